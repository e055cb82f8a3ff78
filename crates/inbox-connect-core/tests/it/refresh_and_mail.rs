//! Behaving like MSAL and Graph's documentation where the sandbox alone would not show it (issue
//! 10 items 9, 10, 12), over real loopback HTTP with the real OS keychain (run through
//! scripts/lib/test-session.sh): the refresh request's scopes, the refreshed id token's account,
//! and the test email's address and lookup.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use entra_sandbox::{SandboxConfig, Seed};
use inbox_connect_core::{ConnectError, ConnectionState, Connector, NoBrowser};
use serde_json::{json, Value};
use support::browser::answers;
use support::faults::{Canned, Fault, FaultyFront};
use support::sandbox::{self as sb, RILEY, RILEY_PASSWORD};

/// Riley's tenant and user object id in the default seed.
const CONTOSO: &str = "3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61";
const RILEY_OID: &str = "5d2a8c4e-1f3b-4a6d-9e8c-7b1f2a3d4c5e";

/// An id token as the front's sandbox would issue it for `oid` in `tid` (unsigned: the client
/// reads it from the token endpoint over the connection it opened, OIDC Core §3.1.3.7).
fn id_token(front: &FaultyFront, oid: &str, tid: &str) -> String {
    let authority = front
        .profile()
        .endpoints()
        .expect("endpoints")
        .authority
        .clone();
    let origin = authority.origin().ascii_serialization();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = json!({
        "iss": format!("{origin}/{tid}/v2.0"), "aud": front.profile().client_id.as_str(),
        "iat": now, "nbf": now, "exp": now + 3600, "sub": format!("sub-{oid}"),
        "oid": oid, "tid": tid, "preferred_username": "someone@else.example", "ver": "2.0",
    });
    format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

fn token_answer(body: Value) -> Fault {
    Fault::Answers(vec![Canned {
        status: 200,
        retry_after: None,
        body,
    }])
}

fn scope_of(form: &[(String, String)]) -> Vec<String> {
    form.iter()
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.split(' ').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Item 9. Source: MSAL adds `openid profile offline_access` to every token request
/// (msal-common `src/utils/Constants.ts` `OIDC_DEFAULT_SCOPES`, used by RefreshTokenClient.ts);
/// docs/entra-reference.md §1.6: `scope` lists what the access token is for, and need not echo `offline_access`.
#[tokio::test]
async fn refresh_asks_for_offline_access_though_the_last_answer_left_it_out() {
    let front = FaultyFront::start().await;
    let vault = support::test_vault("refresh-scopes");
    let (connector, mut links) = support::test_connector(front.profile(), &vault);
    support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    let account = connector.profile().keychain_account().expect("account");

    // The restart's refresh is answered without `offline_access` in `scope` (and without a new
    // refresh token, so the sandbox's stays in use) and with a short-lived access token.
    front.arm(token_answer(json!({
        "token_type": "Bearer", "expires_in": 60, "access_token": "short-lived",
        "scope": "https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/User.Read openid profile email",
    })));
    let restarted = Connector::new(front.profile(), vault.clone(), Arc::new(NoBrowser));
    restarted.restore().await.expect("restored");
    let kept = vault
        .load_connection(&account)
        .expect("keychain")
        .expect("stored");
    front.arm(Fault::None);
    // The access token expires within five minutes: the check refreshes again, at the sandbox.
    let checked = restarted.check().await.expect("the checks run");
    assert_eq!(checked.state, ConnectionState::Connected);

    let forms = front.token_forms();
    let refreshes: Vec<_> = forms
        .iter()
        .filter(|f| {
            f.iter()
                .any(|(k, v)| k == "grant_type" && v == "refresh_token")
        })
        .collect();
    assert_eq!(refreshes.len(), 2, "{forms:?}");
    for form in refreshes {
        let scope = scope_of(form);
        for needed in ["offline_access", "openid", "profile"] {
            assert!(scope.iter().any(|s| s == needed), "{needed} in {scope:?}");
        }
    }
    // The sandbox issues a refresh token only to a request with `offline_access`: it rotated.
    let rotated = vault
        .load_connection(&account)
        .expect("keychain")
        .expect("stored");
    assert_ne!(rotated.refresh_token.secret(), kept.refresh_token.secret());
    restarted.disconnect().await.expect("disconnected");
}

/// Item 10. Source: OIDC Core §12.2 (a refresh's id token: "its iss Claim Value MUST be the same
/// as in the ID Token issued when the original authentication occurred, its sub Claim Value MUST
/// be the same"); docs/entra-reference.md §8: a user is `oid` + `tid`.
#[tokio::test]
async fn a_refresh_answered_for_another_account_is_refused_and_nothing_is_kept() {
    let front = FaultyFront::start().await;
    let vault = support::test_vault("refresh-account");
    let (connector, mut links) = support::test_connector(front.profile(), &vault);
    let connected = support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    let account = connector.profile().keychain_account().expect("account");
    let before = vault
        .load_connection(&account)
        .expect("keychain")
        .expect("stored");
    assert_eq!(before.meta.account.object_id, RILEY_OID);

    for (oid, tid) in [
        ("0c8f3a2e-9d41-4b6a-8e7f-5a4b3c2d1e0f", CONTOSO),
        (RILEY_OID, "0b9e4d2a-6c13-4f7e-8a5b-2d1c9e8f7a36"),
    ] {
        front.arm(token_answer(json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": "someone-else",
            "refresh_token": "someone-elses-refresh-token",
            "scope": "https://graph.microsoft.com/Mail.Send openid profile offline_access",
            "id_token": id_token(&front, oid, tid),
        })));
        let restarted = Connector::new(front.profile(), vault.clone(), Arc::new(NoBrowser));
        let err = restarted.restore().await.expect_err("another account");
        assert!(
            matches!(err, ConnectError::AccountChanged { .. }),
            "{err:?}"
        );
        assert_eq!(err.payload().code, "account_changed");
        assert!(err.to_string().contains(RILEY_OID), "{err}");
        let after = vault
            .load_connection(&account)
            .expect("keychain")
            .expect("still stored");
        assert_eq!(after.refresh_token.secret(), before.refresh_token.secret());
        assert_eq!(after.meta.account, before.meta.account);
        assert_eq!(after.meta.organization, before.meta.organization);
        let status = restarted.status().await;
        assert_eq!(
            status.account, connected.account,
            "the connected account stays"
        );
        assert_eq!(
            status.access_token_expires_at, None,
            "no foreign access token"
        );
    }
    front.arm(Fault::None);
    connector.disconnect().await.expect("disconnected");
}

/// Item 12. Source: G api-reference/v1.0/resources/user.md (`mail`, "The SMTP address for the
/// user", is not `userPrincipalName`) and G concepts/query-parameters.md (`$filter=subject eq`).
#[tokio::test]
async fn the_test_email_goes_to_the_smtp_address_from_graph_and_is_found_by_filter() {
    const SMTP: &str = "riley.recruiter@mail.contoso-recruiting.example";
    let mut seed = Seed::default_seed();
    let riley = seed
        .tenants
        .iter_mut()
        .flat_map(|t| t.users.iter_mut())
        .find(|u| u.user_principal_name == RILEY)
        .expect("Riley is seeded");
    riley.mail = Some(SMTP.to_owned());
    let sandbox = sb::start_with(SandboxConfig {
        seed,
        ..SandboxConfig::with_default_seed()
    })
    .await;
    let vault = support::test_vault("test-email");
    let (connector, mut links) = support::test_connector(sb::profile(&sandbox), &vault);
    let status = support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    assert_eq!(
        status.account.and_then(|a| a.username).as_deref(),
        Some(RILEY),
        "the id token names the UPN"
    );
    let sent = connector.send_test_email().await.expect("sent");
    assert!(sent.passed, "{sent:?}");
    assert!(sent.detail.contains(SMTP), "{}", sent.detail);
    let items = sandbox.control().sent_items(RILEY);
    let newest = items.first().expect("a sent message");
    assert_eq!(newest["toRecipients"][0]["emailAddress"]["address"], SMTP);
    connector.disconnect().await.expect("disconnected");
}
