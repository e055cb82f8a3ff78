//! What the IT admin gets from the recruiter's app (issue 10 items 13 and 15): the admin-consent
//! link in the message to IT lands, after the grant, on the vendor's page (in the sandbox, a page
//! the sandbox serves, registered as a Web redirect URI of the vendor app), not on
//! `http://localhost/`; and the admin's check signs in as the vendor's admin app when the profile
//! names one, so consenting "on behalf of your organization" there leaves the recruiters' app alone.

use inbox_connect_test_support as support;

use std::sync::Arc;
use std::time::Duration;

use entra_sandbox::seed::{defaults, presets};
use inbox_connect_core::admin::{self, AdminContext};
use support::browser::{answers, client, query, walk, TestBrowser};
use support::sandbox as sb;
use url::Url;

/// Source: docs/entra-reference.md §3.1 (the admin-consent endpoint redirects to the `redirect_uri` given, which must
/// be registered for the app) and docs/entra-reference.md §2 (a Web redirect URI beside the desktop one).
#[tokio::test]
async fn the_link_for_it_lands_on_the_vendors_page_after_the_grant() {
    let sandbox = sb::start().await;
    let page = sandbox.admin_consent_page();
    let profile = sb::profile(&sandbox).with_admin_consent_redirect_uri(page.clone());
    let vault = support::test_vault("handoff");
    let (connector, _links) = support::test_connector(profile, &vault);
    let link = connector
        .admin_consent_link(presets::CONSENT_OFF_USER)
        .await
        .expect("a link");
    let url = Url::parse(&link.url).expect("a URL");
    assert_eq!(query(&url, "redirect_uri").as_deref(), Some(page.as_str()));
    assert!(
        link.it_request
            .body
            .contains("Acme Recruit's page confirms the approval"),
        "{}",
        link.it_request.body
    );
    assert!(!link.it_request.body.contains("cannot reach"));

    let landing = walk(
        &client(),
        &url,
        &answers(presets::CONSENT_OFF_ADMIN, presets::ADMIN_PASSWORD),
    )
    .await;
    assert_eq!(landing.status, 200, "{}", landing.body);
    assert_eq!(landing.url.path(), "/vendor/admin-consent");
    assert!(
        landing
            .body
            .contains("Admin consent granted — you can close this tab"),
        "{}",
        landing.body
    );
    assert!(!sandbox
        .control()
        .grants("tailspin-talent.example")
        .is_empty());
}

/// Source: docs/entra-reference.md §3.3 (an admin's consent page carries "Consent on behalf of your organization";
/// ticked, the grant is tenant-wide, AllPrincipals) and docs/entra-reference.md §10 (the admin scopes need admin
/// consent: "a separate admin-only app/flow").
#[tokio::test]
async fn the_admin_check_signs_in_as_the_admin_app_so_an_org_wide_tick_spares_the_recruiters_app() {
    let sandbox = sb::start().await;
    let mut profile = sb::profile(&sandbox);
    profile.admin_client_id = Some(defaults::ADMIN_CLIENT_ID.parse().expect("a GUID"));
    let note = admin::consent_box_note(&profile).english();
    assert!(note.contains(defaults::ADMIN_CLIENT_ID), "{note}");
    assert!(note.contains("admin app only"), "{note}");
    let (browser, mut links) = TestBrowser::new();
    let ctx = AdminContext::new(profile, Arc::new(browser)).with_timeout(Duration::from_secs(30));
    let mut ticking = answers(defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD);
    ticking.push(("consent_org", "on".to_owned()));
    let user = async {
        let link = links.recv().await.expect("a link was opened");
        let landing = walk(&client(), &link, &ticking).await;
        (link, landing)
    };
    let (found, (link, _landing)) = tokio::join!(
        admin::verify(&ctx, &[], Some(defaults::ADMIN_UPN), None),
        user
    );
    let found = found.unwrap_or_else(|e| panic!("verifies: {:?}", e.payload()));
    assert_eq!(
        query(&link, "client_id").as_deref(),
        Some(defaults::ADMIN_CLIENT_ID)
    );
    // The checklist is still about the recruiters' app.
    assert!(!found.checklist.items.is_empty());
    let grants = sandbox.control().grants(defaults::TENANT_ID);
    let org_wide = |client: &str| {
        grants
            .iter()
            .filter(|g| g.client_id == client)
            .filter(|g| g.consent_type == entra_sandbox::ConsentType::AllPrincipals)
            .flat_map(|g| g.scopes.iter().cloned())
            .collect::<Vec<_>>()
    };
    assert!(
        org_wide(defaults::ADMIN_CLIENT_ID).contains(&"Policy.Read.All".to_owned()),
        "{grants:?}"
    );
    assert!(
        !org_wide(defaults::CLIENT_ID).contains(&"Policy.Read.All".to_owned()),
        "{grants:?}"
    );

    let without = admin::consent_box_note(&sb::profile(&sandbox)).english();
    assert!(
        without.contains("leave \"Consent on behalf of your organization\" unticked"),
        "{without}"
    );
}
