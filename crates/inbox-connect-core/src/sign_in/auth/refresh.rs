//! Redeeming a stored connection's refresh token: which scopes are asked for, and the checks the
//! new id token must pass before anything of the answer is kept.

use oauth2::{RefreshToken, Scope};

use super::{check_id_token, needs_new_sign_in, token_error, Discovery, Tokens};
use crate::error::ConnectError;
use crate::http::oauth::TokenHttp;
use crate::http::HttpClient;
use crate::profile::{ClientId, ScopeName, TenantId};
use crate::status::ConnectionMeta;

/// The OpenID scopes MSAL adds to every authorize and token request, refreshes included
/// (msal-common `src/utils/Constants.ts`, `OIDC_DEFAULT_SCOPES`). Entra does not necessarily echo
/// `offline_access` in a response's `scope` (docs/entra-reference.md §1.6: `scope` lists what the access token is
/// for), so a refresh that asked only for "the scopes of the last response" could drop it and,
/// with it, the next refresh token.
const OIDC_DEFAULT_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

impl Discovery {
    /// `scopes` with MSAL's OpenID defaults added where missing (compared case-insensitively),
    /// each one the provider supports: Entra lists all three in `scopes_supported`; a provider
    /// that lists less (oidc-provider at its defaults: `openid offline_access`) would refuse a
    /// refresh asking beyond the grant with `invalid_scope` (RFC 6749 §6). A document without
    /// the list (OIDC Discovery 1.0 §3: RECOMMENDED only) gets all three.
    pub(crate) fn with_oidc_defaults(&self, scopes: &[String]) -> Vec<String> {
        let supported = |scope: &str| {
            self.scopes_supported
                .as_ref()
                .is_none_or(|list| ScopeName::of(scope).is_in(list))
        };
        let mut out = scopes.to_vec();
        for default in OIDC_DEFAULT_SCOPES {
            if supported(default) && !ScopeName::of(default).is_in(&out) {
                out.push(default.to_owned());
            }
        }
        out
    }
}

/// Redeems `refresh_token` for the connection `owner` describes, asking for `scopes` plus the
/// OpenID defaults. A rejection that means "sign in again" becomes `NeedsReconnect`; anything
/// else (network, server trouble) stays an ordinary error, so nothing gets wiped. A new id token
/// must pass the sign-in checks and name the same account ([`same_account`]).
pub(crate) async fn refresh(
    http: &HttpClient,
    discovery: &Discovery,
    client_id: &ClientId,
    refresh_token: &RefreshToken,
    scopes: &[String],
    owner: &ConnectionMeta,
) -> Result<Tokens, ConnectError> {
    let result = discovery
        .client(client_id)
        .exchange_refresh_token(refresh_token)
        .add_scopes(
            discovery
                .with_oidc_defaults(scopes)
                .into_iter()
                .map(Scope::new),
        )
        .request_async(&TokenHttp(http))
        .await;
    let tokens = match result.map(Tokens::from).map_err(token_error) {
        Err(ConnectError::TokenRejected(fields)) if needs_new_sign_in(&fields) => {
            return Err(ConnectError::NeedsReconnect(fields))
        }
        other => other?,
    };
    if let Some(id_token) = &tokens.id_token {
        let claims = check_id_token(id_token, discovery, client_id, None)?;
        let tenant = claims.organization().map(|o| o.tenant_id);
        same_account(owner, &claims.account().object_id, tenant.as_ref())?;
    }
    Ok(tokens)
}

/// OIDC Core §12.2: an id token from a refresh must name the user of the original sign-in. The
/// connection knows its user by `oid` (else `sub`) and its organization by `tid`, the pair Entra
/// says identifies a user (docs/entra-reference.md §8); another pair is another account, whose tokens must never be
/// kept under this connection.
fn same_account(
    owner: &ConnectionMeta,
    object_id: &str,
    tenant_id: Option<&TenantId>,
) -> Result<(), ConnectError> {
    let stored_tenant = owner.organization.as_ref().map(|o| &o.tenant_id);
    if owner.account.object_id == object_id && stored_tenant == tenant_id {
        return Ok(());
    }
    Err(ConnectError::AccountChanged {
        stored: describe(&owner.account.object_id, stored_tenant),
        refreshed: describe(object_id, tenant_id),
    })
}

fn describe(object_id: &str, tenant_id: Option<&TenantId>) -> String {
    match tenant_id {
        Some(tid) => format!("object id {object_id} in tenant {tid}"),
        None => format!("subject {object_id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::discovery;
    use super::*;
    use crate::status::{Account, Organization};

    fn owner(oid: &str, tid: Option<&str>) -> ConnectionMeta {
        ConnectionMeta {
            account: Account {
                username: Some("riley@contoso.example".into()),
                name: None,
                object_id: oid.into(),
            },
            organization: tid.map(|t| Organization {
                tenant_id: t.to_owned().into(),
                name: None,
            }),
            features: Vec::new(),
            requested_scopes: Vec::new(),
            granted_scopes: Vec::new(),
            token_scopes: Vec::new(),
            checks: Vec::new(),
        }
    }

    #[test]
    fn refresh_always_asks_for_offline_access_openid_and_profile() {
        let mut entra = discovery("https://login.microsoftonline.com/{tenantid}/v2.0");
        entra.scopes_supported = Some(
            ["openid", "profile", "email", "offline_access"]
                .map(String::from)
                .to_vec(),
        );
        // Entra's `scope` of the last response, with `offline_access` not echoed (docs/entra-reference.md §1.6).
        let last = [
            "https://graph.microsoft.com/Mail.Send".to_owned(),
            "openid".to_owned(),
        ];
        assert_eq!(
            entra.with_oidc_defaults(&last),
            [
                "https://graph.microsoft.com/Mail.Send",
                "openid",
                "profile",
                "offline_access"
            ]
        );
        let spelled = [
            "OpenID".to_owned(),
            "Offline_Access".to_owned(),
            "profile".to_owned(),
        ];
        assert_eq!(entra.with_oidc_defaults(&spelled), spelled, "no duplicates");
        // oidc-provider at its defaults supports no `profile` scope.
        let mut op = discovery("https://issuer.example");
        op.scopes_supported = Some(["openid", "offline_access"].map(String::from).to_vec());
        assert_eq!(op.with_oidc_defaults(&[]), ["openid", "offline_access"]);
    }

    #[test]
    fn a_refreshed_id_token_must_name_the_same_oid_and_tid() {
        let meta = owner("oid-1", Some("tid-1"));
        let tid_1 = TenantId::from("tid-1".to_owned());
        assert!(same_account(&meta, "oid-1", Some(&tid_1)).is_ok());
        for (oid, tid) in [
            ("oid-2", Some("tid-1")),
            ("oid-1", Some("tid-2")),
            ("oid-1", None),
        ] {
            let tid = tid.map(|t| TenantId::from(t.to_owned()));
            let err = same_account(&meta, oid, tid.as_ref()).expect_err("another account");
            assert_eq!(err.code(), "account_changed", "{oid} {tid:?}");
            assert!(err.to_string().contains("oid-1"), "{err}");
        }
        // A provider without `tid` (oidc-provider): the subject alone.
        assert!(same_account(&owner("riley", None), "riley", None).is_ok());
        assert!(same_account(&owner("riley", None), "sam", None).is_err());
    }
}
