//! The same library flow against an independent certified OpenID provider (oidc-provider), over
//! real HTTP on loopback, with the real OS keychain.

mod util;

use std::sync::Arc;

use inbox_connect_core::{ConnectError, ConnectionState, Connector, NoBrowser, Profile};
use util::browser::answers;
use util::oidc::{OidcProvider, CLIENT_ID};

fn profile(op: &OidcProvider) -> Profile {
    let scopes: Vec<String> = ["openid", "profile", "email", "offline_access"]
        .map(String::from)
        .to_vec();
    Profile::sandbox()
        .with_client_id(CLIENT_ID)
        .with_scopes(&scopes)
        .with_endpoints(op.issuer.clone(), None)
        .expect("a loopback issuer is allowed")
}

#[tokio::test]
async fn connects_restores_rotates_and_disconnects_against_oidc_provider() {
    let op = OidcProvider::start().await;
    let profile = profile(&op);
    let account = profile.keychain_account().unwrap();
    let vault = util::test_vault("oidc");
    let (connector, mut links) = util::test_connector(profile.clone(), &vault);
    let status = util::sign_in(
        &connector,
        &mut links,
        &[],
        answers("riley", "any-password"),
    )
    .await
    .connected();
    let who = status.account.as_ref().unwrap();
    assert_eq!(who.username.as_deref(), Some("riley"));
    assert_eq!(who.object_id, "riley");
    assert!(
        status.permissions.iter().all(|p| p.requested && p.granted),
        "{:?}",
        status.permissions
    );
    assert!(status.access_token_expires_at.is_some());
    let first = vault
        .load(&account)
        .unwrap()
        .expect("the refresh token is in the keychain");

    // "Restart": a new connector restores from the keychain; the rotated token is persisted.
    let restarted = Connector::new(profile.clone(), vault.clone(), Arc::new(NoBrowser));
    let restored = restarted.restore().await.expect("restore succeeds");
    assert_eq!(restored.state, ConnectionState::Connected);
    assert_eq!(restored.account, status.account);
    let second = vault.load(&account).unwrap().unwrap();
    assert_ne!(
        first.refresh_token.secret(),
        second.refresh_token.secret(),
        "the rotated token was saved"
    );

    // The provider consumed the first token on rotation: using it again is rejected, the status
    // says "needs reconnect" and the entry stays.
    vault.save(&account, &first).unwrap();
    let stale = Connector::new(profile.clone(), vault.clone(), Arc::new(NoBrowser));
    let rejected = stale
        .restore()
        .await
        .expect("a rejection is a status, not an error");
    assert_eq!(rejected.state, ConnectionState::NeedsReconnect);
    assert!(rejected.reason.is_some());
    assert!(
        vault.load(&account).unwrap().is_some(),
        "a rejected token does not wipe the entry"
    );

    let report = connector.disconnect().await.unwrap();
    assert!(report.removed_from_keychain);
    assert!(vault.load(&account).unwrap().is_none());
}

#[tokio::test]
async fn a_network_failure_keeps_the_stored_connection() {
    let op = OidcProvider::start().await;
    let profile = profile(&op);
    let account = profile.keychain_account().unwrap();
    let vault = util::test_vault("oidc-net");
    let (connector, mut links) = util::test_connector(profile.clone(), &vault);
    util::sign_in(&connector, &mut links, &[], answers("sam", "pw"))
        .await
        .connected();

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
        vault.load(&account).unwrap().is_some(),
        "a network failure never deletes the token"
    );
    vault.remove(&account).unwrap();
}
