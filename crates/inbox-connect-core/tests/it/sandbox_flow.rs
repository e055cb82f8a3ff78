//! The library against the sandbox tenant over real HTTP on loopback, with the real OS keychain:
//! the test browser plays Riley on the sandbox's sign-in and consent pages.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;
use std::time::Duration;

use entra_sandbox::seed::MailboxKind;
use entra_sandbox::SandboxConfig;
use inbox_connect_core::{
    ConnectError, ConnectionState, ConnectionStatus, Connector, Feature, NoBrowser, PendingSignIn,
};
use support::browser::{answers, get_raw, loopback_of};
use support::sandbox::{self as sb, RILEY, RILEY_PASSWORD};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

fn check<'a>(status: &'a ConnectionStatus, name: &str) -> &'a inbox_connect_core::Check {
    status
        .checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name} check in {:?}", status.checks))
}

#[tokio::test]
async fn full_connect_checks_test_email_restore_and_disconnect() {
    let (sandbox, vault, connector, mut links) = sb::setup("full").await;
    let account = connector.profile().keychain_account().unwrap();

    let status = support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    assert_eq!(
        status.account.as_ref().unwrap().username.as_deref(),
        Some(RILEY)
    );
    let organization = status.organization.as_ref().unwrap();
    assert_eq!(
        organization.tenant_id.as_str(),
        "3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61"
    );
    // Graph's /organization (issue 14, item 1): the name the connected screen shows.
    assert_eq!(
        organization.name.as_deref(),
        Some("Contoso Recruiting (sandbox)")
    );
    assert_eq!(status.features, [Feature::Mailbox, Feature::Calendar]);
    for p in &status.permissions {
        let asked = p.scope != "User.ReadBasic.All";
        assert_eq!((p.requested, p.granted), (asked, asked), "{p:?}");
    }
    for name in ["profile", "mailbox", "calendar"] {
        assert!(check(&status, name).passed, "{:?}", check(&status, name));
    }
    let first = vault
        .load_connection(&account)
        .unwrap()
        .expect("the keychain entry is written");
    assert_eq!(first.meta.account.username.as_deref(), Some(RILEY));

    let sent = connector
        .send_test_email()
        .await
        .expect("the test email goes out");
    assert!(sent.passed, "{sent:?}");
    let items = sandbox.control().sent_items(RILEY);
    assert!(
        items
            .iter()
            .any(|m| sent.detail.contains(m["subject"].as_str().unwrap_or("?"))),
        "{items:?}"
    );

    // "Restart": a new connector restores silently; the rotated refresh token is persisted.
    let restarted = Connector::new(sb::profile(&sandbox), vault.clone(), Arc::new(NoBrowser));
    let restored = restarted.restore().await.expect("restored");
    assert_eq!(restored.state, ConnectionState::Connected);
    assert_eq!(restored.account, status.account);
    assert!(
        restored.checks.iter().any(|c| c.name == "test_email"),
        "the last checks are kept"
    );
    let second = vault.load_connection(&account).unwrap().unwrap();
    assert_ne!(
        first.refresh_token.secret(),
        second.refresh_token.secret(),
        "the rotated token was saved"
    );
    let rechecked = restarted.check().await.expect("checks run again");
    assert!(check(&rechecked, "mailbox").passed);

    let report = restarted.disconnect().await.unwrap();
    assert!(report.removed_from_keychain);
    assert!(
        vault.load_connection(&account).unwrap().is_none(),
        "the keychain entry is removed"
    );
    assert_eq!(
        restarted.status().await.state,
        ConnectionState::Disconnected
    );
    let again = Connector::new(sb::profile(&sandbox), vault.clone(), Arc::new(NoBrowser));
    assert_eq!(
        again.restore().await.unwrap().state,
        ConnectionState::Disconnected
    );
}

#[tokio::test]
async fn an_error_redirect_is_surfaced_with_its_description() {
    let (_sandbox, vault, connector, mut links) = sb::setup("cancel").await;
    let mut answers = answers(RILEY, RILEY_PASSWORD);
    answers.retain(|(k, _)| *k != "decision");
    answers.push(("decision", "cancel".into()));

    let support::SignIn {
        outcome, landing, ..
    } = support::sign_in(&connector, &mut links, &[], answers).await;
    let Err(ConnectError::Authorization(fields)) = outcome else {
        panic!("expected an authorization error: {outcome:?}")
    };
    assert_eq!(fields.error, "access_denied");
    assert_eq!(fields.error_subcode.as_deref(), Some("cancel"));
    assert!(
        fields
            .error_description
            .as_deref()
            .unwrap_or_default()
            .starts_with("AADSTS"),
        "{fields:?}"
    );
    assert!(!fields.error_codes.is_empty(), "{fields:?}");
    assert!(
        fields.trace_id.is_some() && fields.correlation_id.is_some() && fields.timestamp.is_some(),
        "{fields:?}"
    );
    assert!(
        landing.body.contains("Could not connect"),
        "{}",
        landing.body
    );
    assert!(landing.body.contains("Next step"), "{}", landing.body);
    assert!(vault
        .load_connection(&connector.profile().keychain_account().unwrap())
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn stray_requests_are_ignored_and_a_state_mismatch_is_refused_without_ending_the_sign_in() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("state").await;
    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let link = links.recv().await.unwrap();
    let base = loopback_of(&link);

    for stray in ["favicon.ico", "", "?foo=bar", "robots.txt"] {
        let raw = get_raw(&format!("{base}{stray}")).await;
        assert_eq!(raw.status, 404, "{stray}: {raw:?}");
    }
    let raw = get_raw(&format!("{base}?code=stolen&state=not-the-state")).await;
    assert_eq!(raw.status, 400);
    assert!(
        raw.body
            .contains("does not belong to the sign-in in progress"),
        "{}",
        raw.body
    );
    // Anyone can send that request: the real answer that follows still connects (issue 11).
    support::finish(pending, link, answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn favicon_requests_before_the_callback_do_not_lose_it() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("favicon").await;
    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let link = links.recv().await.unwrap();
    let base = loopback_of(&link);
    assert_eq!(get_raw(&format!("{base}favicon.ico")).await.status, 404);
    let done = support::finish(pending, link, answers(RILEY, RILEY_PASSWORD)).await;
    done.connected();
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn cancel_and_timeout_are_typed_errors_and_free_the_port() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("cancel-timeout").await;

    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let base = loopback_of(&links.recv().await.unwrap());
    let canceller = pending.canceller();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        canceller.cancel();
    });
    let err = pending.wait().await.expect_err("cancelled");
    assert!(matches!(err, ConnectError::SignInCancelled), "{err:?}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = reqwest::get(base.as_str()).await;
    assert!(
        refused.is_err(),
        "the receiver stopped listening: {refused:?}"
    );

    connector.set_sign_in_timeout(Duration::from_secs(1));
    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let err = pending.wait().await.expect_err("timed out");
    assert!(
        matches!(err, ConnectError::SignInTimedOut { seconds: 1 }),
        "{err:?}"
    );
    assert_eq!(err.payload().code, "sign_in_timed_out");
}

#[tokio::test]
async fn a_second_connect_click_cancels_the_first_cleanly() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("two-clicks").await;
    let first = connector.begin_sign_in(&[], None).await.unwrap();
    let first_link = links.recv().await.unwrap();
    let second = connector.begin_sign_in(&[], None).await.unwrap();
    let second_link = links.recv().await.unwrap();
    assert_ne!(
        loopback_of(&first_link),
        loopback_of(&second_link),
        "one listener per sign-in"
    );

    let err = first
        .wait()
        .await
        .expect_err("the first sign-in was superseded");
    assert!(matches!(err, ConnectError::SignInCancelled), "{err:?}");
    let done = support::finish(second, second_link, answers(RILEY, RILEY_PASSWORD)).await;
    done.connected();
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn a_revoked_refresh_token_needs_reconnect_and_a_network_failure_keeps_the_entry() {
    let (sandbox, vault, connector, mut links) = sb::setup("revoked").await;
    let account = connector.profile().keychain_account().unwrap();
    support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();

    assert!(sandbox.control().revoke_refresh_tokens(RILEY));
    let restarted = Connector::new(sb::profile(&sandbox), vault.clone(), Arc::new(NoBrowser));
    let status = restarted.restore().await.expect("a rejection is a status");
    assert_eq!(status.state, ConnectionState::NeedsReconnect);
    assert!(
        status
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("AADSTS"),
        "{status:?}"
    );
    assert_eq!(
        status.account.as_ref().unwrap().username.as_deref(),
        Some(RILEY),
        "who to reconnect is kept"
    );
    assert!(
        vault.load_connection(&account).unwrap().is_some(),
        "the entry is not deleted"
    );
    let err = restarted
        .check()
        .await
        .expect_err("checks need a new sign-in");
    assert_eq!(err.payload().code, "needs_reconnect");
    assert_eq!(
        restarted.status().await.state,
        ConnectionState::NeedsReconnect
    );

    let profile = sb::profile(&sandbox);
    sandbox.shutdown().await;
    let offline = Connector::new(profile, vault.clone(), Arc::new(NoBrowser));
    let err = offline.restore().await.expect_err("the sandbox is gone");
    assert_eq!(err.payload().code, "network_unreachable", "{err:?}");
    assert!(
        vault.load_connection(&account).unwrap().is_some(),
        "a network failure never deletes the token"
    );
    vault.remove_connection(&account).unwrap();
}

#[tokio::test]
async fn a_mailbox_outside_exchange_online_is_reported_by_the_checks() {
    let mut config = SandboxConfig::with_default_seed();
    for tenant in &mut config.seed.tenants {
        for user in &mut tenant.users {
            user.mailbox = MailboxKind::OnPremises;
        }
    }
    let sandbox = sb::start_with(config).await;
    let vault = support::test_vault("onprem");
    let (connector, mut links) = support::test_connector(sb::profile(&sandbox), &vault);
    let status = support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .outcome
        .expect("signed in");
    // Signed in, but the mailbox cannot be used: blocked (tests/it/blocked_flow.rs has the details).
    assert_eq!(status.state, ConnectionState::Blocked);
    assert!(check(&status, "profile").passed);
    let mailbox = check(&status, "mailbox");
    assert!(!mailbox.passed);
    assert!(
        mailbox.detail.contains("not in Exchange Online"),
        "{mailbox:?}"
    );
    connector.disconnect().await.unwrap();
}

#[tokio::test]
async fn chunked_keychain_entries_survive_rotation() {
    let sandbox = sb::start().await;
    let vault = support::test_vault("chunks").with_max_entry_chars(300);
    let (connector, mut links) = support::test_connector(sb::profile(&sandbox), &vault);
    let account = connector.profile().keychain_account().unwrap();
    support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    let first = vault.load_connection(&account).unwrap().unwrap();
    let restarted = Connector::new(sb::profile(&sandbox), vault.clone(), Arc::new(NoBrowser));
    assert_eq!(
        restarted.restore().await.unwrap().state,
        ConnectionState::Connected
    );
    let second = vault.load_connection(&account).unwrap().unwrap();
    assert_ne!(first.refresh_token.secret(), second.refresh_token.secret());
    assert!(restarted.disconnect().await.unwrap().removed_from_keychain);
    assert!(vault.load_connection(&account).unwrap().is_none());
}

#[tokio::test]
async fn add_features_asks_incrementally_for_the_new_scopes() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("incremental").await;
    let first = support::sign_in(
        &connector,
        &mut links,
        &[Feature::Mailbox],
        answers(RILEY, RILEY_PASSWORD),
    )
    .await;
    let scope = support::browser::query(&first.link, "scope").unwrap();
    assert!(!scope.contains("Calendars.ReadWrite"), "{scope}");
    let status = first.outcome.expect("connected for mail");
    assert_eq!(status.features, [Feature::Mailbox]);
    assert!(status.checks.iter().all(|c| c.name != "calendar"));

    let pending = connector.add_features(&[Feature::Calendar]).await.unwrap();
    let link = links.recv().await.unwrap();
    assert_eq!(
        support::browser::query(&link, "login_hint").as_deref(),
        Some(RILEY)
    );
    assert_eq!(
        support::browser::query(&link, "prompt").as_deref(),
        Some("select_account")
    );
    assert!(support::browser::query(&link, "scope")
        .unwrap()
        .contains("Calendars.ReadWrite"));
    let status = support::finish(pending, link, answers(RILEY, RILEY_PASSWORD))
        .await
        .outcome
        .expect("calendar added");
    assert_eq!(status.features, [Feature::Mailbox, Feature::Calendar]);
    assert!(check(&status, "calendar").passed);
    let calendar = status
        .permissions
        .iter()
        .find(|p| p.scope == "Calendars.ReadWrite")
        .unwrap();
    assert!(calendar.requested && calendar.granted);
    connector.disconnect().await.unwrap();
}

/// Starts a sign-in and forges the browser's answer: the loopback callback with the sign-in's
/// `state` and these parameters.
async fn forged_callback(
    connector: &Connector,
    links: &mut UnboundedReceiver<Url>,
    params: &[(&str, &str)],
) -> (PendingSignIn, Url) {
    let pending = connector.begin_sign_in(&[], None).await.unwrap();
    let link = links.recv().await.unwrap();
    let state = support::browser::query(&link, "state").unwrap();
    let mut callback = loopback_of(&link);
    callback
        .query_pairs_mut()
        .extend_pairs(params)
        .append_pair("state", &state);
    (pending, callback)
}

#[tokio::test]
async fn echoed_error_text_is_html_escaped_on_the_result_page() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("xss").await;
    let (pending, callback) = forged_callback(
        &connector,
        &mut links,
        &[
            ("error", "server_error"),
            (
                "error_description",
                "<script>alert(1)</script> AADSTS90000: bad",
            ),
        ],
    )
    .await;
    // A browser: follows the 302 to the clean URL and waits there for the result page.
    let page = tokio::spawn(async move {
        let response = support::browser::client()
            .get(callback)
            .send()
            .await
            .unwrap();
        (response.url().clone(), response.text().await.unwrap())
    });
    let err = pending
        .wait()
        .await
        .expect_err("the error redirect fails the sign-in");
    let (landed, body) = page.await.unwrap();
    assert_eq!(landed.query(), None);
    assert!(
        matches!(&err, ConnectError::Authorization(f) if f.error == "server_error"),
        "{err:?}"
    );
    assert!(!body.contains("<script>"), "{body}");
    assert!(body.contains("&lt;script&gt;"), "{body}");
}

#[tokio::test]
async fn a_redirect_naming_another_issuer_is_rejected() {
    let (_sandbox, vault, connector, mut links) = sb::setup("iss").await;
    let (pending, callback) = forged_callback(
        &connector,
        &mut links,
        &[("code", "a-code"), ("iss", "https://evil.example/")],
    )
    .await;
    let raw = get_raw(callback.as_str()).await;
    assert_eq!(raw.status, 302);
    let err = pending.wait().await.expect_err("RFC 9207 issuer mismatch");
    assert!(
        matches!(err, ConnectError::IssuerMismatch { .. }),
        "{err:?}"
    );
    assert!(vault
        .load_connection(&connector.profile().keychain_account().unwrap())
        .unwrap()
        .is_none());
}
