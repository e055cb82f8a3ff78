//! The IT admin's path against the sandbox tenant over real HTTP: admin consent from the app (then
//! the blocked user connects without a consent page), and the refusals: a recruiter on the admin
//! path, a declined consent, a cancelled trip. (The tenant checklist: admin_checklist.)

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use entra_sandbox::seed::{defaults, presets};
use inbox_connect_core::admin::{self, AdminError, AdminScopes, GrantOutcome, ItemId, Status};
use inbox_connect_core::blocked::admin_consent::TenantRef;
use inbox_connect_core::{Cause, ConnectError, ConnectionState, Feature, Language};
use support::admin::{admin_context, checklist, deciding, in_browser, item};
use support::browser::answers;
use support::sandbox as sb;

#[tokio::test]
async fn admin_grants_consent_and_the_blocked_user_connects_without_a_consent_page() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);

    // Taylor is blocked: user consent is off and nobody has granted anything.
    let vault = support::test_vault("admin-grant");
    let (connector, mut user_links) = support::test_connector(sb::profile(&sandbox), &vault);
    let blocked = support::sign_in(
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
    assert!(
        consent.details[0].english().contains("Mail.Send"),
        "{consent:#?}"
    );
    assert!(consent.location.link_documented);

    let tenant = TenantRef::parse("tailspin-talent.example").unwrap();
    let (outcome, landing) = in_browser(
        &mut links,
        answers(presets::CONSENT_OFF_ADMIN, presets::ADMIN_PASSWORD),
        admin::grant_org_consent(&ctx, &tenant, &[]),
    )
    .await;
    let outcome = outcome.unwrap_or_else(|e| panic!("{:?}", e.payload()));
    // The sign-in with `prompt=admin_consent` answers with a code, not the tenant and scopes of
    // the `/adminconsent` redirect: the grant itself is read from the tenant.
    assert!(
        matches!(&outcome, GrantOutcome::Granted { tenant: None, .. }),
        "{outcome:?}"
    );
    let grants = sandbox.control().grants("tailspin-talent.example");
    assert!(
        grants.iter().any(|g| g.principal_id.is_none()
            && format!("{:?}", g.consent_type) == "AllPrincipals"
            && g.scopes.contains("Mail.Send")),
        "{grants:?}"
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
        user_consent.title.english(),
        "User consent: off — not needed, the app is granted for everyone"
    );
    assert_eq!(item(&after, ItemId::ConsentRequests).status, Status::Green);

    // No decision among the answers: a consent page would stop the walk.
    let login = vec![
        ("login", presets::CONSENT_OFF_USER.to_owned()),
        ("passwd", presets::USER_PASSWORD.to_owned()),
        ("account", presets::CONSENT_OFF_USER.to_owned()),
    ];
    let status = support::sign_in(&connector, &mut user_links, &[], login)
        .await
        .connected();
    assert_eq!(status.features, [Feature::Mailbox, Feature::Calendar]);
    let _ = vault.remove_connection(&connector.profile().keychain_account().unwrap());
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
            let needs = needs.message.english();
            assert!(needs.contains("needs an admin role"), "{needs}");
            assert!(
                landing.body.contains("needs an admin role"),
                "{}",
                landing.body
            );
        }
        other => panic!("{other:?}"),
    }

    // Issue 14: the browser tab speaks the window's language, the roles as the portal names them.
    ctx.set_language(Language::De);
    let (refused, landing) = in_browser(
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
    for german in [
        "<html lang=\"de\">",
        "Admin-Anmeldung fehlgeschlagen",
        "Cloud Application Administrator",
    ] {
        assert!(landing.body.contains(german), "{german}: {}", landing.body);
    }
    assert!(
        !landing.body.contains("needs an admin role"),
        "{}",
        landing.body
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
async fn a_cancelled_admin_trip_says_so_and_stops_listening() {
    let sandbox = sb::start().await;
    let (ctx, mut links) = admin_context(&sandbox);
    let tenant = TenantRef::parse(defaults::TENANT_DOMAIN).unwrap();
    let pending = admin::begin_grant(&ctx, &tenant, &[], None).await.unwrap();
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
