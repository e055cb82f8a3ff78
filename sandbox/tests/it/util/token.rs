//! The token endpoint: redeeming codes and refresh tokens, and the error shape of docs/entra-reference.md §1.7.

use entra_sandbox::seed::defaults;
use entra_sandbox::RunningSandbox;
use reqwest::{Client, Response, StatusCode};

use super::{authorize_url, client, code_for, Pkce};

/// POSTs a form to the token endpoint of the sandbox tenant.
pub async fn token(http: &Client, sb: &RunningSandbox, form: &[(&str, &str)]) -> Response {
    let url = sb
        .base_url()
        .join("organizations/oauth2/v2.0/token")
        .expect("url");
    http.post(url).form(form).send().await.expect("token")
}

/// POSTs `client_id`, `grant_type` and then `extra` to the token endpoint of the sandbox tenant.
pub async fn token_grant(
    http: &Client,
    sb: &RunningSandbox,
    client_id: &str,
    grant_type: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![("client_id", client_id), ("grant_type", grant_type)];
    form.extend_from_slice(extra);
    token(http, sb, &form).await
}

/// Redeems a code at the token endpoint.
pub async fn redeem(http: &Client, sb: &RunningSandbox, code: &str, pkce: &Pkce) -> Response {
    redeem_with(http, sb, code, pkce, &[]).await
}

/// [`redeem`] with `extra` form fields (e.g. MSAL's `client_info=1`).
pub async fn redeem_with(
    http: &Client,
    sb: &RunningSandbox,
    code: &str,
    pkce: &Pkce,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![
        ("code", code),
        ("redirect_uri", "http://localhost:53682/"),
        ("code_verifier", &pkce.verifier),
    ];
    form.extend_from_slice(extra);
    token_grant(http, sb, defaults::CLIENT_ID, "authorization_code", &form).await
}

/// Redeems a refresh token for the vendor app.
pub async fn refresh(http: &Client, sb: &RunningSandbox, refresh_token: &str) -> Response {
    token_grant(
        http,
        sb,
        defaults::CLIENT_ID,
        "refresh_token",
        &[("refresh_token", refresh_token)],
    )
    .await
}

/// Full interactive sign-in for a user with the given scopes; returns the token JSON.
pub async fn tokens_for(
    sb: &RunningSandbox,
    upn: &str,
    password: &str,
    scope: &str,
) -> serde_json::Value {
    let http = client();
    let pkce = Pkce::new();
    let code = code_for(
        &http,
        sb,
        authorize_url(sb, "organizations", scope, &pkce, &[]),
        upn,
        password,
    )
    .await;
    let response = redeem(&http, sb, &code, &pkce).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("token json")
}

/// [`tokens_for`] the recruiter.
pub async fn recruiter_tokens(sb: &RunningSandbox, scope: &str) -> serde_json::Value {
    tokens_for(
        sb,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
        scope,
    )
    .await
}

/// Asserts the token-endpoint error shape of docs/entra-reference.md §1.7 and returns the body.
pub async fn token_error(
    response: Response,
    status: u16,
    error: &str,
    code: u64,
) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status);
    let body: serde_json::Value = response.json().await.expect("error json");
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], serde_json::json!([code]), "{body}");
    let description = body["error_description"].as_str().expect("description");
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    assert!(
        description.contains("\r\nTrace ID: ")
            && description.contains("\r\nCorrelation ID: ")
            && description.contains("\r\nTimestamp: ")
    );
    for key in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(body[key].is_string(), "missing {key}");
    }
    body
}

/// [`token_error`] for `400 invalid_grant` with AADSTS `code`.
pub async fn invalid_grant(response: Response, code: u64) -> serde_json::Value {
    token_error(response, 400, "invalid_grant", code).await
}

/// Decodes a JWT payload without verifying it.
pub fn claims(jwt: &str) -> serde_json::Value {
    entra_sandbox::jwt::decode_unverified(jwt).expect("jwt")
}
