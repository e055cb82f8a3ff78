//! The same library flow against an independent certified OpenID provider (oidc-provider), over
//! real HTTP on loopback, with the real OS keychain.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;

use inbox_connect_core::{ConnectError, ConnectionState, Connector, NoBrowser, Profile, Vault};
use support::browser::answers;
use support::oidc::{OidcProvider, CLIENT_ID};

fn profile(op: &OidcProvider) -> Profile {
    let scopes: Vec<String> = ["openid", "profile", "email", "offline_access"]
        .map(String::from)
        .to_vec();
    Profile::sandbox()
        .with_client_id(CLIENT_ID.parse().expect("a GUID"))
        .with_scopes(&scopes)
        .with_endpoints(op.issuer.clone(), None)
        .expect("a loopback issuer is allowed")
}

/// A provider, and `user` connected to it: the profile, its keychain account and the vault.
async fn connected_as(label: &str, user: &str) -> (OidcProvider, Profile, String, Vault) {
    let op = OidcProvider::start().await;
    let profile = profile(&op);
    let account = profile.keychain_account().unwrap();
    let vault = support::test_vault(label);
    let (connector, mut links) = support::test_connector(profile.clone(), &vault);
    support::sign_in(&connector, &mut links, &[], answers(user, "pw"))
        .await
        .connected();
    (op, profile, account, vault)
}

#[tokio::test]
async fn connects_restores_rotates_and_disconnects_against_oidc_provider() {
    let op = OidcProvider::start().await;
    let profile = profile(&op);
    let account = profile.keychain_account().unwrap();
    let vault = support::test_vault("oidc");
    let (connector, mut links) = support::test_connector(profile.clone(), &vault);
    let status = support::sign_in(
        &connector,
        &mut links,
        &[],
        answers("riley", "any-password"),
    )
    .await
    .connected();
    // At its defaults the provider's id token names `sub` only: the account is its subject.
    let who = status.account.as_ref().unwrap();
    assert_eq!(who.username, None);
    assert_eq!(who.object_id, "riley");
    assert!(
        status.permissions.iter().all(|p| p.requested && p.granted),
        "{:?}",
        status.permissions
    );
    assert!(status.access_token_expires_at.is_some());
    let first = vault
        .load_connection(&account)
        .unwrap()
        .expect("the refresh token is in the keychain");

    // "Restart": a new connector restores from the keychain; the rotated token is persisted.
    let restarted = Connector::new(profile.clone(), vault.clone(), Arc::new(NoBrowser));
    let restored = restarted.restore().await.expect("restore succeeds");
    assert_eq!(restored.state, ConnectionState::Connected);
    assert_eq!(restored.account, status.account);
    let second = vault.load_connection(&account).unwrap().unwrap();
    assert_ne!(
        first.refresh_token.secret(),
        second.refresh_token.secret(),
        "the rotated token was saved"
    );

    // The provider consumed the first token on rotation: using it again is rejected, the status
    // says "needs reconnect" and the entry stays.
    vault.save_connection(&account, &first).unwrap();
    let stale = Connector::new(profile.clone(), vault.clone(), Arc::new(NoBrowser));
    let rejected = stale
        .restore()
        .await
        .expect("a rejection is a status, not an error");
    assert_eq!(rejected.state, ConnectionState::NeedsReconnect);
    assert!(rejected.reason.is_some());
    assert!(
        vault.load_connection(&account).unwrap().is_some(),
        "a rejected token does not wipe the entry"
    );

    let report = connector.disconnect().await.unwrap();
    assert!(report.removed_from_keychain);
    assert!(vault.load_connection(&account).unwrap().is_none());
}

/// Issue 10 item 8: oidc-provider at its defaults refuses `prompt=select_account`
/// (`invalid_request`) and keeps `offline_access` only with `prompt=consent` (OIDC Core §11), and
/// lists no `prompt_values_supported`: the link says `consent` and not `select_account`.
#[tokio::test]
async fn the_sign_in_link_sends_only_prompt_values_a_default_provider_accepts() {
    let op = OidcProvider::start().await;
    let profile = profile(&op);
    let vault = support::test_vault("oidc-prompt");
    let (connector, mut links) = support::test_connector(profile, &vault);
    let signed_in = support::sign_in(&connector, &mut links, &[], answers("ada", "pw")).await;
    assert_eq!(
        support::browser::query(&signed_in.link, "prompt").as_deref(),
        Some("consent"),
        "{}",
        signed_in.link
    );
    let status = signed_in.connected();
    assert!(
        status
            .permissions
            .iter()
            .any(|p| p.scope == "offline_access" && p.granted),
        "a refresh token came back"
    );
    connector.disconnect().await.unwrap();
}

/// Issue 10 item 10, against a real provider: the id token of a refresh must name the stored
/// account (OIDC Core §12.2). A stored connection whose account is not the refresh token's is
/// refused with `account_changed`, and the entry stays exactly as it was.
#[tokio::test]
async fn a_refreshed_id_token_for_another_subject_is_refused() {
    let (_op, profile, account, vault) = connected_as("oidc-subject", "riley").await;
    let mut stored = vault.load_connection(&account).unwrap().unwrap();
    stored.meta.account.object_id = "sam".into();
    vault.save_connection(&account, &stored).unwrap();

    let restarted = Connector::new(profile, vault.clone(), Arc::new(NoBrowser));
    let err = restarted
        .restore()
        .await
        .expect_err("riley's token, sam's entry");
    assert_eq!(err.payload().code, "account_changed", "{err:?}");
    let after = vault.load_connection(&account).unwrap().unwrap();
    assert_eq!(after.refresh_token.secret(), stored.refresh_token.secret());
    assert_eq!(after.meta.account.object_id, "sam");
    vault.remove_connection(&account).unwrap();
}

#[tokio::test]
async fn a_network_failure_keeps_the_stored_connection() {
    let (op, profile, account, vault) = connected_as("oidc-net", "sam").await;

    drop(op); // The provider goes away (kill on drop).
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let offline = Connector::new(profile, vault.clone(), Arc::new(NoBrowser));
    let err = offline
        .restore()
        .await
        .expect_err("the provider is unreachable");
    assert!(matches!(err, ConnectError::Network { .. }), "{err:?}");
    assert_eq!(err.payload().code, "network_unreachable");
    assert!(
        vault.load_connection(&account).unwrap().is_some(),
        "a network failure never deletes the token"
    );
    vault.remove_connection(&account).unwrap();
}
