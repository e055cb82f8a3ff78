//! When Microsoft blocks the recruiter: the sandbox's preset tenants over real HTTP, with the real
//! OS keychain. The test browser keeps its cookies across sign-ins, as the system browser keeps
//! the Entra session a re-check relies on.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;

use entra_sandbox::seed::{defaults, presets};
use inbox_connect_core::blocked::admin_consent::TenantRef;
use inbox_connect_core::{
    Cause, CheckedBy, ConnectError, ConnectionState, ConnectionStatus, Connector, Feature,
    Language, Look, Recheck, RecheckOutcome,
};
use support::browser::{client, query, walk, Landing, TestBrowser};
use support::journey::{admin_browser, play, user};
use support::sandbox as sb;
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

/// A Connect click for the mailbox, hinting `login`, played by `browser` as that preset user.
async fn connect_as(
    connector: &Connector,
    browser: &reqwest::Client,
    links: &mut UnboundedReceiver<Url>,
    login: &str,
    decisions: &[&str],
) -> (Url, Result<ConnectionStatus, ConnectError>, Landing) {
    let pending = connector
        .begin_sign_in(&[Feature::Mailbox], Some(login))
        .await
        .expect("sign-in starts");
    play(
        browser,
        pending,
        links,
        user(login, presets::USER_PASSWORD, decisions),
    )
    .await
}

/// A re-check, with the browser coming back on its own (no page to answer).
async fn recheck(
    connector: &Connector,
    browser: &reqwest::Client,
    links: &mut UnboundedReceiver<Url>,
) -> (Url, Result<ConnectionStatus, ConnectError>, Landing) {
    let started = connector
        .begin_recheck(Look::ByHand)
        .await
        .expect("the re-check starts");
    let Recheck::InBrowser(pending) = started else {
        panic!("a look through the browser (no connection to refresh)");
    };
    play(browser, *pending, links, Vec::new()).await
}

fn blocked(outcome: Result<ConnectionStatus, ConnectError>) -> ConnectionStatus {
    let status = outcome.expect("a blocked status, not an error");
    assert_eq!(status.state, ConnectionState::Blocked, "{status:?}");
    assert!(status.blocked.is_some());
    status
}

#[tokio::test]
async fn need_admin_approval_gives_the_link_for_the_users_tenant_and_the_admin_unblocks() {
    let (sandbox, vault, connector, mut links) = sb::setup("need-admin").await;
    let browser = client();
    let (_, outcome, landing) = connect_as(
        &connector,
        &browser,
        &mut links,
        presets::CONSENT_OFF_USER,
        &["return"],
    )
    .await;
    assert!(
        landing.body.contains("Not connected yet"),
        "{}",
        landing.body
    );
    let status = blocked(outcome);
    let b = status.blocked.as_ref().unwrap();
    assert_eq!(b.diagnosis.cause, Cause::AdminConsentRequired);
    assert_eq!(b.diagnosis.code.as_deref(), Some("AADSTS90094"));
    assert_eq!(
        b.diagnosis.facts.account.as_deref(),
        Some(presets::CONSENT_OFF_USER)
    );
    let link = b.admin_consent.as_ref().expect("the admin-consent link");
    assert_eq!(link.tenant.as_str(), "tailspin-talent.example");
    let url = Url::parse(&link.url).unwrap();
    assert_eq!(url.path(), "/tailspin-talent.example/v2.0/adminconsent");
    assert_eq!(
        query(&url, "client_id").as_deref(),
        Some(defaults::CLIENT_ID)
    );
    assert!(link.it_request.body.contains(&link.url));
    assert!(link.mailto.starts_with("mailto:?subject="));
    assert!(b.report.contains("admin_consent_required") && !b.report.contains("token"));
    assert!(b.pending_approval.is_some(), "waiting for the admin");

    // The window switches to German (issue 14 item 2): the message to IT is written again in it,
    // the facts IT looks up stay English, and the link and the facts stay the same.
    connector.set_language(Language::De).await;
    let german = connector.status().await.blocked.expect("still blocked");
    let de_link = german.admin_consent.as_ref().expect("the link");
    let hello = Language::De.say("it.hello", &[]);
    assert_ne!(hello, Language::En.say("it.hello", &[]));
    assert!(
        de_link.it_request.body.starts_with(&hello),
        "{}",
        de_link.it_request.body
    );
    assert!(
        de_link.it_request.body.contains("Application (client) ID"),
        "{}",
        de_link.it_request.body
    );
    assert_eq!((&de_link.url, &german.diagnosis), (&link.url, &b.diagnosis));
    connector.set_language(Language::En).await;

    // The admin opens the link from the message to IT and grants consent for the organization.
    let it = admin_browser();
    walk(
        &it,
        &url,
        &support::browser::answers(presets::CONSENT_OFF_ADMIN, presets::ADMIN_PASSWORD),
    )
    .await;
    assert!(
        !sandbox
            .control()
            .grants("tailspin-talent.example")
            .is_empty(),
        "the admin's consent is recorded"
    );

    let (link, outcome, landing) = recheck(&connector, &browser, &mut links).await;
    assert_eq!(query(&link, "prompt").as_deref(), Some("none"));
    let status = outcome.expect("connected after the admin's consent");
    assert_eq!(status.state, ConnectionState::Connected, "{status:?}");
    assert!(landing.body.contains("Connected"), "{}", landing.body);
    let account = connector.profile().keychain_account().unwrap();
    assert!(vault.load_pending(&account).unwrap().is_none());
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn approval_request_survives_a_restart_and_the_recheck_connects_once_approved() {
    let (sandbox, vault, connector, mut links) = sb::setup("approval").await;
    let account = connector.profile().keychain_account().unwrap();
    let browser = client();
    let (_, outcome, _) = connect_as(
        &connector,
        &browser,
        &mut links,
        presets::WORKFLOW_USER,
        &["request", "return"],
    )
    .await;
    let status = blocked(outcome);
    let b = status.blocked.as_ref().unwrap();
    assert_eq!(b.diagnosis.cause, Cause::AdminApprovalRequestPossible);
    let waiting = b.pending_approval.as_ref().expect("waiting for approval");
    assert_eq!(waiting.account.as_deref(), Some(presets::WORKFLOW_USER));
    assert_eq!(
        waiting.tenant.as_ref().map(TenantRef::as_str),
        Some(presets::WORKFLOW_DOMAIN)
    );
    assert_eq!(waiting.features, [Feature::Mailbox]);
    assert!(!sandbox
        .control()
        .consent_requests(presets::WORKFLOW_DOMAIN)
        .is_empty());
    assert!(vault.load_pending(&account).unwrap().is_some());

    // Restart: the wait is still there.
    let (opener, mut links) = TestBrowser::new();
    let restarted = Connector::new(sb::profile(&sandbox), vault.clone(), Arc::new(opener));
    let restored = restarted.restore().await.expect("restored");
    assert_eq!(restored.state, ConnectionState::Blocked);
    let b = restored.blocked.as_ref().unwrap();
    assert_eq!(b.pending_approval.as_ref(), Some(waiting));
    assert_eq!(b.diagnosis.cause, Cause::AdminApprovalRequestPossible);
    assert!(b.admin_consent.is_some());

    // Not approved yet: the silent look says so and the wait goes on.
    let (link, outcome, landing) = recheck(&restarted, &browser, &mut links).await;
    for (key, value) in [
        ("prompt", "none"),
        ("login_hint", presets::WORKFLOW_USER),
        ("domain_hint", presets::WORKFLOW_DOMAIN),
    ] {
        assert_eq!(query(&link, key).as_deref(), Some(value), "{link}");
    }
    let still = blocked(outcome);
    let b = still.blocked.as_ref().unwrap();
    assert_eq!(b.diagnosis.cause, Cause::AdminApprovalRequestPossible);
    assert_eq!(b.pending_approval.as_ref(), Some(waiting));
    // The facts IT was sent stay; the look's own answer is shown beside them (issue 14, item 4).
    assert_eq!(b.diagnosis.facts, waiting.facts);
    assert_eq!(b.diagnosis.code.as_deref(), Some("AADSTS90095"));
    let look = b.last_check.as_ref().expect("the look is recorded");
    assert_eq!(
        (look.outcome, look.by, look.code.as_deref()),
        (
            RecheckOutcome::NotYet,
            CheckedBy::Browser,
            Some("AADSTS65001")
        )
    );
    assert!(
        landing.body.contains("<script>window.close()</script>"),
        "a silent look's tab closes itself: {}",
        landing.body
    );

    assert!(sandbox
        .control()
        .approve_consent_request(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID));
    let (link, outcome, landing) = recheck(&restarted, &browser, &mut links).await;
    assert_ne!(query(&link, "prompt").as_deref(), Some("consent"));
    let status = outcome.expect("connected once approved");
    assert_eq!(status.state, ConnectionState::Connected, "{status:?}");
    assert!(status.blocked.is_none());
    assert!(landing.body.contains("Connected"), "{}", landing.body);
    assert!(vault.load_pending(&account).unwrap().is_none());
    assert_eq!(
        status.account.unwrap().username.as_deref(),
        Some(presets::WORKFLOW_USER)
    );

    restarted.disconnect().await.unwrap();
    let again = Connector::new(
        sb::profile(&sandbox),
        vault,
        Arc::new(inbox_connect_core::NoBrowser),
    );
    assert_eq!(
        again.restore().await.unwrap().state,
        ConnectionState::Disconnected
    );
}

#[tokio::test]
async fn a_user_not_assigned_is_blocked_without_an_admin_link() {
    let (_sandbox, vault, connector, mut links) = sb::setup("unassigned").await;
    let (_, outcome, _) = connect_as(
        &connector,
        &client(),
        &mut links,
        presets::UNASSIGNED_USER,
        &["accept"],
    )
    .await;
    let status = blocked(outcome);
    let b = status.blocked.unwrap();
    assert_eq!(b.diagnosis.cause, Cause::UserNotAssigned);
    assert_eq!(b.diagnosis.code.as_deref(), Some("AADSTS50105"));
    assert!(b.admin_consent.is_none() && !b.needs_tenant && b.pending_approval.is_none());
    let account = connector.profile().keychain_account().unwrap();
    assert!(vault.load_pending(&account).unwrap().is_none());
}

#[tokio::test]
async fn conditional_access_blocks_on_the_page_and_on_the_recheck() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("ca").await;
    let browser = client();
    let pending = connector
        .begin_sign_in(&[], Some(presets::CA_BLOCKED_USER))
        .await
        .unwrap();
    let link = links.recv().await.unwrap();
    // Interactive: Microsoft shows its error page and never redirects back.
    let landing = walk(
        &browser,
        &link,
        &user(
            presets::CA_BLOCKED_USER,
            presets::USER_PASSWORD,
            &["accept"],
        ),
    )
    .await;
    pending.cancel();
    // The user pastes the page into the app, with the email they typed (spaces and all).
    let typed = format!(" {} ", presets::CA_BLOCKED_USER);
    let pasted = connector
        .explain_error_page(&landing.body, Some(&typed))
        .await;
    let b = pasted.blocked.clone().unwrap();
    assert_eq!(
        b.diagnosis.cause,
        Cause::ConditionalAccessBlocked,
        "{}",
        landing.body
    );
    let domain = presets::CA_BLOCKED_USER.split('@').nth(1);
    assert_eq!(b.diagnosis.facts.tenant.as_deref(), domain);
    assert_eq!(
        b.diagnosis.facts.account.as_deref(),
        Some(presets::CA_BLOCKED_USER)
    );
    assert!(
        b.report.contains("conditional_access_blocked"),
        "{}",
        b.report
    );
    // Kept: the admin screens and a re-read of the status still show it.
    let kept = connector.status().await;
    assert_eq!(kept.state, ConnectionState::Blocked);
    assert_eq!(
        kept.blocked.map(|b| b.diagnosis.cause),
        Some(Cause::ConditionalAccessBlocked)
    );

    // Silent: the redirect carries the error, and the façade shows it as blocked.
    let (_, outcome, _) = recheck(&connector, &browser, &mut links).await;
    let status = blocked(outcome);
    let b = status.blocked.unwrap();
    assert_eq!(b.diagnosis.cause, Cause::ConditionalAccessBlocked);
    assert_eq!(b.diagnosis.code.as_deref(), Some("AADSTS53003"));
    assert!(b.pending_approval.is_none());
}

#[tokio::test]
async fn an_on_premises_mailbox_is_blocked_by_the_checks() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("on-prem").await;
    let (_, outcome, _) = connect_as(
        &connector,
        &client(),
        &mut links,
        presets::ON_PREMISES_USER,
        &["accept"],
    )
    .await;
    let status = blocked(outcome);
    assert_eq!(
        status.account.as_ref().and_then(|a| a.username.as_deref()),
        Some(presets::ON_PREMISES_USER),
        "signed in: the tokens are kept"
    );
    assert!(status
        .checks
        .iter()
        .any(|c| c.name == "mailbox" && !c.passed));
    let b = status.blocked.unwrap();
    assert_eq!(b.diagnosis.cause, Cause::MailboxNotExchangeOnline);
    assert_eq!(
        b.diagnosis.code.as_deref(),
        Some("MailboxNotEnabledForRESTAPI")
    );
    assert!(b.admin_consent.is_none());
    let again = connector.check().await.expect("the checks run again");
    assert_eq!(again.state, ConnectionState::Blocked);
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn an_unknown_organization_is_asked_for_and_kept_for_the_wait() {
    let (sandbox, vault, connector, mut links) = sb::setup("typed-tenant").await;
    assert!(
        matches!(connector.recheck().await, Err(ConnectError::NotConnected)),
        "nothing to re-check yet"
    );
    // No login hint: the app does not know who signs in, so not the organization either.
    let pending = connector
        .begin_sign_in(&[Feature::Mailbox], None)
        .await
        .unwrap();
    let answers = user(
        presets::WORKFLOW_USER,
        presets::USER_PASSWORD,
        &["request", "return"],
    );
    let (_, outcome, _) = play(&client(), pending, &mut links, answers).await;
    let status = blocked(outcome);
    let b = status.blocked.unwrap();
    assert_eq!(b.diagnosis.cause, Cause::AdminApprovalRequestPossible);
    assert!(b.needs_tenant && b.admin_consent.is_none(), "the UI asks");
    assert_eq!(b.pending_approval.as_ref().unwrap().tenant, None);

    assert!(connector.admin_consent_link("common").await.is_err());
    assert!(connector.admin_consent_link("").await.is_err());
    let link = connector
        .admin_consent_link(&format!(" {} ", presets::WORKFLOW_USER))
        .await
        .expect("a link");
    assert_eq!(link.tenant.as_str(), presets::WORKFLOW_DOMAIN);
    assert!(link
        .url
        .contains("/northwind-hiring.example/v2.0/adminconsent?"));
    let shown = connector.status().await.blocked.unwrap();
    assert_eq!(shown.admin_consent.as_ref(), Some(&link));
    assert_eq!(
        shown.diagnosis.facts.account.as_deref(),
        Some(presets::WORKFLOW_USER)
    );
    assert!(!shown.needs_tenant);

    // After a restart the wait knows its organization.
    let restarted = Connector::new(
        sb::profile(&sandbox),
        vault,
        Arc::new(inbox_connect_core::NoBrowser),
    );
    let b = restarted.restore().await.unwrap().blocked.unwrap();
    let pending = b.pending_approval.unwrap();
    assert_eq!(
        pending.tenant.as_ref().map(TenantRef::as_str),
        Some(presets::WORKFLOW_DOMAIN)
    );
    // The email typed is the account too: the re-check needs no sign-in page.
    assert_eq!(pending.account.as_deref(), Some(presets::WORKFLOW_USER));
    assert_eq!(b.admin_consent.map(|l| l.url), Some(link.url));
    restarted.disconnect().await.unwrap();
}

#[tokio::test]
async fn every_redirecting_preset_gets_its_cause() {
    let sandbox = sb::start().await;
    let cases = [
        (
            presets::LOW_IMPACT_USER,
            "return",
            Cause::AdminConsentRequired,
            true,
        ),
        (
            presets::ASSIGNED_USER,
            "return",
            Cause::AdminConsentRequired,
            true,
        ),
        (
            presets::RISKY_USER,
            "return",
            Cause::AdminConsentRequired,
            true,
        ),
        (
            presets::RISKY_WORKFLOW_USER,
            "return",
            Cause::AdminApprovalRequestPossible,
            true,
        ),
        (
            presets::APP_DISABLED_USER,
            "accept",
            Cause::AppNotFoundInTenant,
            false,
        ),
    ];
    for (login, decision, cause, waits) in cases {
        let vault = support::test_vault("presets");
        let (connector, mut links) = support::test_connector(sb::profile(&sandbox), &vault);
        let (_, outcome, _) =
            connect_as(&connector, &client(), &mut links, login, &[decision]).await;
        let status = outcome.unwrap_or_else(|e| panic!("{login}: {e:?}"));
        let b = status
            .blocked
            .unwrap_or_else(|| panic!("{login}: not blocked"));
        assert_eq!(b.diagnosis.cause, cause, "{login}: {:?}", b.diagnosis);
        assert_eq!(b.pending_approval.is_some(), waits, "{login}");
        assert_eq!(b.admin_consent.is_some(), waits, "{login}: the link");
        connector.disconnect().await.unwrap();
    }
}
