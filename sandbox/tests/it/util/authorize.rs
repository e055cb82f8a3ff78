//! Authorize URLs: the app's usual request (loopback redirect, PKCE S256, state) and raw ones.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entra_sandbox::seed::defaults;
use entra_sandbox::RunningSandbox;
use reqwest::{Client, Response};
use sha2::{Digest, Sha256};
use url::Url;

use super::get;

/// The scopes the sign-in tests ask for: OpenID Connect, offline access, and a Graph permission
/// with and one without its resource prefix.
pub const SIGN_IN_SCOPES: &str =
    "openid profile offline_access https://graph.microsoft.com/Mail.Send Mail.Read";

/// The mail scopes the preset tests ask for (with a refresh token).
pub const MAIL_SCOPES: &str = "openid offline_access Mail.Send Mail.Read";

/// A PKCE pair (S256).
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let verifier = format!("verifier-{}-{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Self {
            verifier,
            challenge,
        }
    }
}

/// The app's usual request: loopback redirect with a port, PKCE S256, state.
pub fn authorize_url(
    sb: &RunningSandbox,
    tenant: &str,
    scope: &str,
    pkce: &Pkce,
    extra: &[(&str, &str)],
) -> Url {
    let mut params = vec![
        ("state", "st-123"),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    params.extend_from_slice(extra);
    code_request_url(
        sb,
        tenant,
        defaults::CLIENT_ID,
        Some("http://localhost:53682/"),
        scope,
        &params,
    )
}

/// Builds an authorize URL from exactly these parameters.
pub fn raw_authorize_url(sb: &RunningSandbox, tenant: &str, params: &[(&str, &str)]) -> Url {
    let mut url = sb
        .base_url()
        .join(&format!("{tenant}/oauth2/v2.0/authorize"))
        .expect("url");
    url.query_pairs_mut().extend_pairs(params);
    url
}

/// An authorize URL for a code request from `client_id`: `response_type=code`, the redirect URI
/// if any, `scope`, then `extra`, in that order (no PKCE or state unless in `extra`).
pub fn code_request_url(
    sb: &RunningSandbox,
    tenant: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
    scope: &str,
    extra: &[(&str, &str)],
) -> Url {
    let mut params = vec![("client_id", client_id), ("response_type", "code")];
    params.extend(redirect_uri.map(|uri| ("redirect_uri", uri)));
    params.push(("scope", scope));
    params.extend_from_slice(extra);
    raw_authorize_url(sb, tenant, &params)
}

/// GETs the app's usual authorize URL (via `organizations`, plus `extra`) in `http`.
pub async fn open_authorize(
    http: &Client,
    sb: &RunningSandbox,
    scope: &str,
    pkce: &Pkce,
    extra: &[(&str, &str)],
) -> Response {
    get(http, authorize_url(sb, "organizations", scope, pkce, extra)).await
}
