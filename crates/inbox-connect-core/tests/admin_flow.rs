//! The IT admin's path against the sandbox tenant over real HTTP: admin consent from the app, the
//! admin's read-only sign-in, the tenant checklist for every preset tenant, and the refusals.

mod util;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::RunningSandbox;
use inbox_connect_core::admin::{
    self, AdminAction, AdminContext, AdminError, AdminScopes, Checklist, GrantOutcome, ItemId,
    Principal, Status,
};
use inbox_connect_core::blocked::admin_consent::TenantRef;
use inbox_connect_core::{Cause, ConnectError, ConnectionState, Feature};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;
use util::browser::{answers, client, walk, Answers, Landing, TestBrowser};
use util::sandbox as sb;

/// The admin path on this sandbox with the test browser, and the links it opens.
fn admin_context(sandbox: &RunningSandbox) -> (AdminContext, UnboundedReceiver<Url>) {
    let (browser, links) = TestBrowser::new();
    let ctx = AdminContext::new(sb::profile(sandbox), Arc::new(browser))
        .with_timeout(Duration::from_secs(30));
    (ctx, links)
}

/// Runs `flow` while the test browser plays the next opened link with `answers`.
async fn in_browser<F: Future>(
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
fn deciding(login: &str, password: &str, decision: &str) -> Answers {
    vec![
        ("login", login.to_owned()),
        ("passwd", password.to_owned()),
        ("decision", decision.to_owned()),
    ]
}

/// The admin signs in read-only and the checklist is evaluated for the default features.
async fn checklist(
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

fn colours(list: &Checklist) -> Vec<(ItemId, Status)> {
    list.items.iter().map(|i| (i.id, i.status)).collect()
}

fn item(list: &Checklist, id: ItemId) -> &admin::ChecklistItem {
    list.item(id)
        .unwrap_or_else(|| panic!("no {id:?} in {list:#?}"))
}

/// Issue 14: no Graph property name, API value or guide option in what the admin reads.
fn assert_plain(admin: &str, list: &Checklist) {
    const RAW: [&str; 7] = [
        "permissionGrantPoliciesAssigned",
        "ManagePermissionGrantsForSelf",
        "microsoft-user-default",
        "allowUserConsentForRiskyApps",
        "Service principal",
        "(enabled)",
        "Option ",
    ];
    for i in &list.items {
        let texts = [&i.title, &i.consequence, &i.fix]
            .into_iter()
            .chain(&i.details);
        for text in texts {
            assert!(
                !RAW.iter().any(|raw| text.contains(raw)),
                "{admin}: {text:?} in {i:#?}"
            );
        }
    }
}

#[tokio::test]
async fn admin_grants_consent_and_the_blocked_user_connects_without_a_consent_page() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);

    // Taylor is blocked: user consent is off and nobody has granted anything.
    let vault = util::test_vault("admin-grant");
    let (connector, mut user_links) = util::test_connector(sb::profile(&sandbox), &vault);
    let blocked = util::sign_in(
        &connector,
        &mut user_links,
        &[],
        deciding(presets::CONSENT_OFF_USER, presets::USER_PASSWORD, "return"),
    )
    .await;
    let status = blocked.outcome.expect("a blocked status");
    assert_eq!(status.state, ConnectionState::Blocked, "{status:?}");

    let before = checklist(&ctx, &mut links, presets::CONSENT_OFF_ADMIN).await;
    let consent = item(&before, ItemId::OrgConsent);
    assert_eq!(consent.status, Status::Red, "{consent:#?}");
    assert!(consent.details[0].contains("Mail.Send"), "{consent:#?}");
    assert!(consent.location.link_documented);

    let tenant = TenantRef::parse("tailspin-talent.example").unwrap();
    let (outcome, landing) = in_browser(
        &mut links,
        answers(presets::CONSENT_OFF_ADMIN, presets::ADMIN_PASSWORD),
        admin::grant_org_consent(&ctx, &tenant, &[]),
    )
    .await;
    let outcome = outcome.unwrap_or_else(|e| panic!("{:?}", e.payload()));
    let GrantOutcome::Granted { tenant, scopes } = &outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(
        tenant.as_deref(),
        Some("c0a80101-5eed-4b10-8c00-000000000001")
    );
    assert!(
        scopes.iter().any(|s| s.ends_with("Mail.Send")),
        "{scopes:?}"
    );
    assert!(
        landing.body.contains("Permissions granted"),
        "{}",
        landing.body
    );
    assert_eq!(landing.url.query(), None, "the answer left the address bar");

    let after = checklist(&ctx, &mut links, presets::CONSENT_OFF_ADMIN).await;
    assert_eq!(
        item(&after, ItemId::OrgConsent).status,
        Status::Green,
        "{after:#?}"
    );
    // Still off, but no longer in the way: the title says both.
    let user_consent = item(&after, ItemId::UserConsent);
    assert_eq!(user_consent.status, Status::Green);
    assert_eq!(
        user_consent.title,
        "User consent: off — not needed, the app is granted for everyone"
    );
    assert_eq!(item(&after, ItemId::ConsentRequests).status, Status::Green);

    // No decision among the answers: a consent page would stop the walk.
    let login = vec![
        ("login", presets::CONSENT_OFF_USER.to_owned()),
        ("passwd", presets::USER_PASSWORD.to_owned()),
        ("account", presets::CONSENT_OFF_USER.to_owned()),
    ];
    let status = util::sign_in(&connector, &mut user_links, &[], login)
        .await
        .connected();
    assert_eq!(status.features, [Feature::Mailbox, Feature::Calendar]);
    let _ = vault.remove(&connector.profile().keychain_account().unwrap());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn checklist_colours_and_fixes_for_every_preset_tenant() {
    use ItemId::*;
    use Status::*;
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);

    // Nina asks for approval first, so Northwind has a request waiting.
    let vault = util::test_vault("admin-presets");
    let (connector, mut user_links) = util::test_connector(sb::profile(&sandbox), &vault);
    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let link = user_links.recv().await.unwrap();
    // (The test browser fills inputs, not the justification textarea: no reason is given.)
    let request = deciding(presets::WORKFLOW_USER, presets::USER_PASSWORD, "request");
    walk(&client(), &link, &request).await;
    pending.cancel();

    let fine = [
        (AppPresent, Green),
        (OrgConsent, Amber),
        (UserConsent, Green),
        (ConsentRequests, Green),
        (Assignment, Green),
        (ConditionalAccess, Green),
        (PendingRequests, Green),
        (VerifiedPublisher, Green),
    ];
    let with = |changes: &[(ItemId, Status)]| {
        fine.iter()
            .map(|(id, s)| *changes.iter().find(|(c, _)| c == id).unwrap_or(&(*id, *s)))
            .collect::<Vec<_>>()
    };
    let blocked_users = [
        (OrgConsent, Red),
        (UserConsent, Red),
        (ConsentRequests, Amber),
    ];
    let cases: Vec<(&str, Vec<(ItemId, Status)>)> = vec![
        (defaults::ADMIN_UPN, with(&[])),
        (presets::CONSENT_OFF_ADMIN, with(&blocked_users)),
        (
            presets::WORKFLOW_ADMIN,
            with(&[
                (OrgConsent, Red),
                (UserConsent, Red),
                (PendingRequests, Amber),
            ]),
        ),
        ("admin@fourthcoffee-careers.example", with(&blocked_users)),
        (
            presets::ASSIGNMENT_ADMIN,
            with(&[
                (OrgConsent, Red),
                (ConsentRequests, Amber),
                (Assignment, Amber),
            ]),
        ),
        (presets::CA_ADMIN, with(&[(ConditionalAccess, Red)])),
        ("admin@fabrikam-hybrid.example", with(&[])),
        ("admin@woodgrove-risky.example", with(&[])),
        ("admin@coho-risky.example", with(&[])),
    ];
    for (admin, expected) in cases {
        let list = checklist(&ctx, &mut links, admin).await;
        assert_eq!(colours(&list), expected, "{admin}: {list:#?}");
        for i in &list.items {
            assert_eq!(
                i.status == Green,
                i.fix.is_empty(),
                "{admin}: a fix exactly when not green: {i:#?}"
            );
        }
        let json = serde_json::to_value(&list).unwrap();
        assert!(json["items"][0]["location"]["path"].is_string(), "{json}");
        assert_plain(admin, &list);
    }

    // Issue 14: titles name the setting and its state; fixes say the action.
    let tailspin = checklist(&ctx, &mut links, presets::CONSENT_OFF_ADMIN).await;
    assert_eq!(
        item(&tailspin, UserConsent).title,
        "User consent: off — recruiters are blocked"
    );
    assert_eq!(
        item(&tailspin, UserConsent).details[0],
        "User consent for applications: \"Do not allow user consent\""
    );
    let fix = &item(&tailspin, OrgConsent).fix;
    assert!(
        fix.starts_with("Grant admin consent for the organization: open the admin-consent link")
            && fix.contains("Consent on behalf of your organization"),
        "{fix}"
    );
    let fourth = checklist(&ctx, &mut links, "admin@fourthcoffee-careers.example").await;
    let low = item(&fourth, UserConsent);
    assert!(
        low.fix
            .starts_with("Classify the app's permissions as low impact"),
        "{low:#?}"
    );
    assert!(
        low.details[0].contains(
            "Allow user consent for apps from verified publishers, for selected permissions"
        ),
        "{low:#?}"
    );
    // Names, not object ids: the reviewer, the assigned users, the policies' users.
    let northwind = checklist(&ctx, &mut links, presets::WORKFLOW_ADMIN).await;
    let waiting = &item(&northwind, PendingRequests).details;
    assert!(
        waiting
            .iter()
            .any(|d| d.contains(presets::WORKFLOW_USER) && d.contains("(no reason given)")),
        "{waiting:?}"
    );
    assert_eq!(
        item(&northwind, ConsentRequests).details[0],
        "Reviewers: IT Admin (admin@northwind-hiring.example)"
    );
    let litware = checklist(&ctx, &mut links, presets::ASSIGNMENT_ADMIN).await;
    let assignment = item(&litware, Assignment);
    assert_eq!(
        assignment.title,
        "Assignment required: Yes — only the 2 assigned users and groups may connect"
    );
    assert!(
        assignment
            .details
            .iter()
            .any(|d| d == "Assigned: Ada Assigned (user)"),
        "{assignment:#?}"
    );
    let adatum = checklist(&ctx, &mut links, presets::CA_ADMIN).await;
    let ca = item(&adatum, ConditionalAccess);
    assert_eq!(ca.title, "Conditional Access: 1 policy blocks Acme Recruit");
    assert_eq!(
        ca.details,
        [
            "\"Block Acme Recruit for contractors\" for Bob Blocked (bob@adatum-agency.example): Block access",
            "\"Require MFA for recruiters\" for Mia Multifactor (mia@adatum-agency.example): Require multifactor authentication",
        ],
        "report-only and disabled policies do not apply"
    );

    // Proseware disabled the app: even the admin's sign-in is refused, and the diagnosis says why.
    let (refused, _) = in_browser(
        &mut links,
        answers("admin@proseware.example", presets::ADMIN_PASSWORD),
        admin::sign_in(&ctx, AdminScopes::Verify, None, None),
    )
    .await;
    match refused {
        Err(AdminError::Refused {
            diagnosis,
            needs: None,
        }) => {
            assert_eq!(diagnosis.cause, Cause::AppNotFoundInTenant)
        }
        other => panic!("{other:?}"),
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_non_admin_on_the_admin_path_is_told_which_role_is_needed() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);
    let tenant = TenantRef::parse(presets::CONSENT_OFF_USER).unwrap();
    let (outcome, landing) = in_browser(
        &mut links,
        deciding(presets::CONSENT_OFF_USER, presets::USER_PASSWORD, "return"),
        admin::grant_org_consent(&ctx, &tenant, &[]),
    )
    .await;
    match outcome.unwrap_or_else(|e| panic!("{:?}", e.payload())) {
        GrantOutcome::Failed {
            needs_admin_role: Some(needs),
            diagnosis,
        } => {
            assert_eq!(diagnosis.cause, Cause::AdminConsentRequired);
            assert!(
                needs.message.contains("needs an admin role"),
                "{}",
                needs.message
            );
            assert!(
                landing.body.contains("needs an admin role"),
                "{}",
                landing.body
            );
        }
        other => panic!("{other:?}"),
    }

    let (refused, _) = in_browser(
        &mut links,
        deciding(presets::CONSENT_OFF_USER, presets::USER_PASSWORD, "return"),
        admin::sign_in(&ctx, AdminScopes::Verify, None, None),
    )
    .await;
    let e = refused.expect_err("a recruiter cannot sign in for the admin checks");
    let payload = e.payload();
    assert_eq!(payload.code, "admin_role_required", "{payload:?}");
    assert!(
        payload.action.contains("Cloud Application Administrator"),
        "{payload:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_declined_admin_consent_is_declined() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);
    let tenant = TenantRef::parse("tailspin-talent.example").unwrap();
    let (outcome, landing) = in_browser(
        &mut links,
        deciding(
            presets::CONSENT_OFF_ADMIN,
            presets::ADMIN_PASSWORD,
            "cancel",
        ),
        admin::grant_org_consent(&ctx, &tenant, &[]),
    )
    .await;
    let outcome = outcome.unwrap_or_else(|e| panic!("{:?}", e.payload()));
    assert!(
        matches!(outcome, GrantOutcome::Declined { .. }),
        "{outcome:?}"
    );
    assert!(landing.body.contains("Not granted"), "{}", landing.body);
    assert!(sandbox
        .control()
        .grants("tailspin-talent.example")
        .is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn confirmed_actions_turn_on_requests_and_require_assignment() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);
    let alex = Principal {
        id: "8e4b1d7f-3c2a-4e5b-a6d9-0f1e2d3c4b5a".into(),
        name: "Alex Admin".into(),
    };
    let riley = Principal {
        id: "5d2a8c4e-1f3b-4a6d-9e8c-7b1f2a3d4c5e".into(),
        name: "Riley Recruiter".into(),
    };
    let actions = [
        AdminAction::EnableConsentRequests {
            reviewers: vec![alex.clone()],
            request_duration_in_days: 14,
        },
        AdminAction::RequireAssignment {
            assign: vec![riley, alex],
        },
    ];
    for action in actions {
        assert!(action.needs().permission.is_some());
        let (report, _) = in_browser(
            &mut links,
            answers(defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD),
            async {
                admin::begin_action(&ctx, action.confirm(), Some(defaults::ADMIN_UPN), None)
                    .await?
                    .wait()
                    .await
            },
        )
        .await;
        let report = report.unwrap_or_else(|e| panic!("{:?}", e.payload()));
        assert!(!report.done.is_empty());
    }
    let list = checklist(&ctx, &mut links, defaults::ADMIN_UPN).await;
    assert_eq!(
        item(&list, ItemId::ConsentRequests).status,
        Status::Green,
        "{list:#?}"
    );
    let assignment = item(&list, ItemId::Assignment);
    assert_eq!(assignment.status, Status::Amber, "{assignment:#?}");
    assert!(
        assignment
            .details
            .iter()
            .any(|d| d.contains("Riley Recruiter")),
        "{assignment:#?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_graph_refusal_marks_the_items_unknown_with_the_role_needed() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);
    // Alex grants the read-only admin scopes for everyone (the organization box), so that Riley,
    // who holds no directory role, gets a token with them: Graph then refuses every read.
    let mut for_everyone = answers(defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD);
    for_everyone.push(("consent_org", "on".to_owned()));
    let (session, _) = in_browser(
        &mut links,
        for_everyone,
        admin::sign_in(&ctx, AdminScopes::Verify, None, None),
    )
    .await;
    session.unwrap_or_else(|e| panic!("{:?}", e.payload()));

    let (list, _) = in_browser(
        &mut links,
        answers(defaults::RECRUITER_UPN, defaults::RECRUITER_PASSWORD),
        admin::verify(&ctx, &[], None, None),
    )
    .await;
    let list = list.unwrap_or_else(|e| panic!("{:?}", e.payload()));
    for i in &list.checklist.items {
        assert_eq!(i.status, Status::Unknown, "{i:#?}");
        let needs = i.needs.as_ref().unwrap_or_else(|| panic!("{i:#?}"));
        assert!(needs.message.contains("needs an admin role"), "{needs:?}");
        assert!(
            i.fix.contains(needs.permission.as_deref().unwrap_or("?")),
            "{i:#?}"
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_cancelled_admin_trip_says_so_and_stops_listening() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);
    let tenant = TenantRef::parse(defaults::TENANT_DOMAIN).unwrap();
    let pending = admin::begin_grant(&ctx, &tenant, &[]).await.unwrap();
    let opened = links.recv().await.unwrap();
    assert_eq!(
        &opened,
        pending.link().url(),
        "the link shown is the link opened"
    );
    let redirect = opened
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    pending.canceller().cancel();
    let outcome = pending.wait().await;
    assert!(
        matches!(
            &outcome,
            Err(AdminError::Connect(ConnectError::SignInCancelled))
        ),
        "{outcome:?}"
    );
    // The receiver is gone with the trip: a late redirect finds nobody listening.
    let late = reqwest::get(format!("{redirect}?admin_consent=True")).await;
    assert!(late.is_err(), "{late:?}");
    sandbox.shutdown().await;
}
