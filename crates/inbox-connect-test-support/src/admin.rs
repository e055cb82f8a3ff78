//! The admin path's harness (admin_flow, admin_checklist): an admin context on the sandbox with the
//! test browser, the browser's trip while a flow waits for it, and the checklist of an admin's
//! read-only sign-in.

/// Graph's property names, API values and guide options an admin never reads in the checklist
/// (issue 14): its unit tests and the integration tests hold every text to this one list.
pub const RAW_WORDS: [&str; 8] = [
    "permissionGrantPoliciesAssigned",
    "ManagePermissionGrantsForSelf",
    "microsoft-user-default",
    "allowUserConsentForRiskyApps",
    "Service principal",
    "(enabled)",
    "Option ",
    "option ",
];

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use entra_sandbox::seed::presets;
use entra_sandbox::RunningSandbox;
use inbox_connect_core::admin::{self, AdminContext, Checklist, ItemId};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

use crate::browser::{answers, client, walk, Answers, Landing, TestBrowser};
use crate::sandbox as sb;

/// The admin path on this sandbox with the test browser, and the links it opens.
pub fn admin_context(sandbox: &RunningSandbox) -> (AdminContext, UnboundedReceiver<Url>) {
    let (browser, links) = TestBrowser::new();
    let ctx = AdminContext::new(sb::profile(sandbox), Arc::new(browser))
        .with_timeout(Duration::from_secs(30));
    (ctx, links)
}

/// Runs `flow` while the test browser plays the next opened link with `answers`.
pub async fn in_browser<F: Future>(
    links: &mut UnboundedReceiver<Url>,
    answers: Answers,
    flow: F,
) -> (F::Output, Landing) {
    let user = async {
        let link = links.recv().await.expect("a link was opened");
        walk(&client(), &link, &answers).await
    };
    tokio::join!(flow, user)
}

/// Answers that sign in and press `decision`.
pub fn deciding(login: &str, password: &str, decision: &str) -> Answers {
    vec![
        ("login", login.to_owned()),
        ("passwd", password.to_owned()),
        ("decision", decision.to_owned()),
    ]
}

/// The admin signs in read-only and the checklist is evaluated for the default features.
pub async fn checklist(
    ctx: &AdminContext,
    links: &mut UnboundedReceiver<Url>,
    admin: &str,
) -> Checklist {
    let (list, _) = in_browser(
        links,
        answers(admin, presets::ADMIN_PASSWORD),
        admin::verify(ctx, &[], Some(admin), None),
    )
    .await;
    let found = list.unwrap_or_else(|e| panic!("{admin} verifies: {:?}", e.payload()));
    // Who signed in comes from the id token: the account, and the object id used as reviewer.
    assert_eq!(found.admin.account.as_deref(), Some(admin));
    assert!(!found.admin.object_id.is_empty());
    found.checklist
}

pub fn item(list: &Checklist, id: ItemId) -> &admin::ChecklistItem {
    list.item(id)
        .unwrap_or_else(|| panic!("no {id:?} in {list:#?}"))
}
