//! The session never claims more than the keychain holds, over real loopback HTTP against the
//! sandbox and the REAL Secret Service (run through scripts/lib/test-session.sh). The keychain's
//! refusal is real: two items another program left under the entry's name make every write to
//! it fail (`keyring_entry_ambiguous`).

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;

use inbox_connect_core::status::WarningKind;
use inbox_connect_core::vault::VaultError;
use inbox_connect_core::{ConnectError, ConnectionState, Connector, NoBrowser};
use support::browser::answers;
use support::keychain;
use support::sandbox::{RILEY, RILEY_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_sign_in_the_keychain_refuses_to_keep_is_not_connected() {
    let sandbox = support::sandbox::start().await;
    let service = support::unique_service("refused-sign-in");
    let vault = support::vault_named(&service);
    let (connector, mut links) =
        support::test_connector(support::sandbox::profile(&sandbox), &vault);
    let account = connector.profile().keychain_account().expect("an account");
    keychain::plant_copy(&service, &account, "1", b"one");
    keychain::plant_copy(&service, &account, "2", b"two");

    let sign_in =
        support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD)).await;
    let err = sign_in.outcome.expect_err("nothing could be stored");
    assert!(
        matches!(
            err,
            ConnectError::NotStored(VaultError::Ambiguous { count: 2 })
        ),
        "{err:?}"
    );
    let payload = err.payload();
    assert_eq!(payload.code, "connection_not_stored");
    assert!(
        payload.message.contains("so the app is not connected"),
        "{}",
        payload.message
    );
    assert!(
        payload.action.ends_with("Then click Connect again."),
        "{}",
        payload.action
    );
    assert_eq!(
        connector.status().await.state,
        ConnectionState::Disconnected
    );
    assert!(
        !sign_in
            .landing
            .body
            .contains("Connected — you can close this tab"),
        "{}",
        sign_in.landing.body
    );

    // Once the keychain takes it, the same sign-in connects.
    keychain::remove_copies(&service, &account);
    support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    assert!(vault.load_connection(&account).expect("readable").is_some());
    connector.disconnect().await.expect("disconnected");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rotated_token_the_keychain_refuses_is_retried_then_shown_as_a_warning() {
    let sandbox = support::sandbox::start().await;
    let profile = support::sandbox::profile(&sandbox);
    // Chunked, so that the rotation's save writes entries of a new generation first.
    let service = support::unique_service("refused-rotation");
    let vault = support::vault_named(&service).with_max_entry_chars(300);
    let (connector, mut links) = support::test_connector(profile.clone(), &vault);
    support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    let account = profile.keychain_account().expect("an account");
    let before = vault
        .load_connection(&account)
        .expect("readable")
        .expect("stored");

    // The next generation's first chunk cannot be written.
    let blocked_chunk = format!("{account}#chunk2.0");
    keychain::plant_copy(&service, &blocked_chunk, "1", b"one");
    keychain::plant_copy(&service, &blocked_chunk, "2", b"two");

    // The next start: Microsoft rotates the refresh token, the keychain refuses it.
    let restarted = Connector::new(profile, vault.clone(), Arc::new(NoBrowser));
    let status = restarted.restore().await.expect("the connection works");
    assert_eq!(status.state, ConnectionState::Connected);
    let warning = status
        .warning
        .expect("a warning says the token was not kept");
    assert_eq!(warning.kind, WarningKind::RotatedTokenNotSaved);
    assert!(
        warning.message.contains("may refuse at the next start"),
        "{}",
        warning.message
    );
    assert!(
        warning
            .message
            .contains("items in the OS keychain carry this connection's name"),
        "{}",
        warning.message
    );
    let json = serde_json::to_value(restarted.status().await).expect("JSON");
    assert_eq!(json["warning"]["kind"], "rotated_token_not_saved");
    let kept = vault
        .load_connection(&account)
        .expect("readable")
        .expect("stored");
    assert_eq!(
        kept.refresh_token.secret(),
        before.refresh_token.secret(),
        "the keychain still holds the previous, whole entry"
    );

    // Once the keychain takes it again, the next check stores the new token and the warning goes.
    keychain::remove_copies(&service, &blocked_chunk);
    let status = restarted.check().await.expect("checked");
    assert_eq!(status.warning, None);
    let saved = vault
        .load_connection(&account)
        .expect("readable")
        .expect("stored");
    assert_ne!(saved.refresh_token.secret(), before.refresh_token.secret());
    restarted.disconnect().await.expect("disconnected");
}

/// "Use a different account" (issue 14 item 4): a new interactive sign-in while connected, with
/// no hint. Alex's sign-in replaces Riley's in the one keychain entry, and a restart restores
/// Alex.
#[tokio::test(flavor = "multi_thread")]
async fn another_account_replaces_the_saved_connection() {
    const ALEX: &str = "alex.admin@contoso-recruiting.example";
    let (sandbox, vault, connector, mut links) = support::sandbox::setup("switch-account").await;
    let riley = support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    assert_eq!(
        riley.account.and_then(|a| a.username).as_deref(),
        Some(RILEY)
    );
    let account = connector.profile().keychain_account().expect("an account");

    let pending = connector
        .begin_sign_in_as_another(&[])
        .await
        .expect("sign-in starts");
    let link = links.recv().await.expect("the browser opens the link");
    assert!(
        !link.query_pairs().any(|(name, _)| name == "login_hint"),
        "Riley is not hinted: {link}"
    );
    let alex = support::finish(pending, link, answers(ALEX, "Admin-2026!"))
        .await
        .connected();
    assert_eq!(alex.account.and_then(|a| a.username).as_deref(), Some(ALEX));
    let stored = vault
        .load_connection(&account)
        .expect("readable")
        .expect("stored");
    assert_eq!(stored.meta.account.username.as_deref(), Some(ALEX));

    let (restarted, _links) = support::test_connector(support::sandbox::profile(&sandbox), &vault);
    let restored = restarted.restore().await.expect("restored");
    assert_eq!(restored.state, ConnectionState::Connected, "{restored:?}");
    assert_eq!(
        restored.account.and_then(|a| a.username).as_deref(),
        Some(ALEX)
    );
    connector.disconnect().await.expect("disconnected");
}
