//! Token issuance: access tokens for Graph, id tokens and refresh tokens (docs/entra-reference.md §1.6, §8).

use std::collections::BTreeSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::Rng;
use serde_json::{json, Map, Value};

use crate::context::Sandbox;
use crate::random::{guid, secret, sha256_hex};
use crate::scopes::{is_oidc, response_scope, ScopeSet, GRAPH_RESOURCE};
use crate::seed::{Application, Tenant, User};
use crate::state::RefreshRecord;

/// Role template id of Global Administrator, carried in `wids`.
const GLOBAL_ADMIN_TEMPLATE: &str = "62e90394-69f5-4237-9190-012177145e10";
/// Id tokens live an hour.
const ID_TOKEN_SECS: i64 = 3600;

/// Who a token response is for and what was asked.
#[derive(Debug)]
pub struct Subject<'a> {
    /// The user's tenant.
    pub tenant: &'a Tenant,
    /// The user.
    pub user: &'a User,
    /// The client.
    pub app: &'a Application,
    /// Scopes requested on the chain (decide `id_token`, `refresh_token`, OIDC entries of `scope`).
    pub requested: &'a BTreeSet<String>,
    /// `nonce` to echo in the id token.
    pub nonce: Option<&'a str>,
    /// Whether the sign-in passed MFA (`amr` gets `mfa`; refreshes keep it).
    pub mfa: bool,
    /// Whether the token request carried MSAL's `client_info=1`.
    pub client_info: bool,
}

/// Builds the token success JSON (docs/entra-reference.md §1.6) and records a refresh token when `offline_access` was asked.
pub fn respond(sb: &Sandbox, subject: &Subject<'_>) -> Value {
    let Subject {
        tenant,
        user,
        app,
        requested,
        nonce,
        mfa,
        client_info,
    } = subject;
    let consented = sb.store.consented(&tenant.id, &app.app_id, &user.id);
    let graph: BTreeSet<String> = consented.into_iter().filter(|s| !is_oidc(s)).collect();
    let now = sb.clock.unix();
    // Microsoft randomises access-token lifetime between 60 and 90 minutes (docs/entra-reference.md §1.6).
    let expires_in: i64 = rand::thread_rng().gen_range(3600..=5400);
    let access = access_claims(subject, &graph, now, expires_in);
    let requested_set = ScopeSet((*requested).clone());
    let mut body = json!({
        "token_type": "Bearer",
        "scope": response_scope(&graph, &requested_set),
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": sb.signer.sign(&access),
    });
    if *client_info {
        // MSAL asks with `client_info=1` and keys its account as `uid.utid` from this base64url
        // JSON (msal-common src/account/ClientInfo.ts `buildClientInfo`; docs/entra-reference.md §1.6).
        let info = json!({ "uid": user.id, "utid": tenant.id }).to_string();
        body["client_info"] = Value::String(URL_SAFE_NO_PAD.encode(info));
    }
    if requested.contains("offline_access") {
        let token = secret(96);
        sb.store.put_refresh(
            sha256_hex(&token),
            RefreshRecord {
                tenant_id: tenant.id.clone(),
                user_id: user.id.clone(),
                client_id: app.app_id.clone(),
                requested: (*requested).clone(),
                issued_at: sb.clock.now(),
                mfa: *mfa,
            },
        );
        body["refresh_token"] = Value::String(token);
    }
    if requested.contains("openid") {
        let mut id = json!({
            "aud": app.app_id,
            "iss": sb.issuer(&tenant.id),
            "iat": now,
            "nbf": now,
            "exp": now + ID_TOKEN_SECS,
            "name": user.display_name,
            "oid": user.id,
            "preferred_username": user.user_principal_name,
            "sub": pairwise_sub(user, app),
            "tid": tenant.id,
            "uti": guid(),
            "ver": "2.0",
        });
        if let Some(nonce) = nonce {
            id["nonce"] = Value::String((*nonce).to_owned());
        }
        if requested.contains("email") {
            id["email"] = Value::String(user.user_principal_name.clone());
        }
        body["id_token"] = Value::String(sb.signer.sign(&id));
    }
    body
}

/// Graph access-token claims, v1.0 style as Graph tokens are (docs/entra-reference.md §8).
fn access_claims(
    subject: &Subject<'_>,
    graph: &BTreeSet<String>,
    now: i64,
    expires_in: i64,
) -> Value {
    let Subject {
        tenant,
        user,
        app,
        mfa,
        ..
    } = subject;
    let mut claims = Map::new();
    let mut put = |k: &str, v: Value| {
        claims.insert(k.to_owned(), v);
    };
    put("aud", json!(GRAPH_RESOURCE));
    put(
        "iss",
        json!(format!("https://sts.windows.net/{}/", tenant.id)),
    );
    put("iat", json!(now));
    put("nbf", json!(now));
    put("exp", json!(now + expires_in));
    put("app_displayname", json!(app.display_name));
    put("appid", json!(app.app_id));
    put("appidacr", json!("0"));
    put(
        "amr",
        if *mfa {
            json!(["pwd", "mfa"])
        } else {
            json!(["pwd"])
        },
    );
    put("idtyp", json!("user"));
    put("name", json!(user.display_name));
    put("given_name", json!(user.given_name));
    put("family_name", json!(user.surname));
    put("oid", json!(user.id));
    put(
        "scp",
        json!(graph.iter().cloned().collect::<Vec<_>>().join(" ")),
    );
    put("sub", json!(pairwise_sub(user, app)));
    put("tid", json!(tenant.id));
    put("upn", json!(user.user_principal_name));
    put("unique_name", json!(user.user_principal_name));
    put("preferred_username", json!(user.user_principal_name));
    put("uti", json!(guid()));
    put("ver", json!("1.0"));
    if user.is_global_admin() {
        put("wids", json!([GLOBAL_ADMIN_TEMPLATE]));
    }
    Value::Object(claims)
}

/// `sub` is pairwise: stable per user and app, different across apps (docs/entra-reference.md §8).
fn pairwise_sub(user: &User, app: &Application) -> String {
    sha256_hex(&format!("{}|{}", user.id, app.app_id))[..43].to_owned()
}
