//! The admin-side directory APIs of Microsoft Graph: admin tokens, calls and the 403 answer.

use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::RunningSandbox;
use reqwest::StatusCode;
use serde_json::Value;

use super::{client, tokens_for};

/// The read-only admin scopes of the directory checks (docs/entra-reference.md §6).
pub const ADMIN_READ_SCOPES: &str = "openid Policy.Read.All Application.Read.All DelegatedPermissionGrant.Read.All ConsentRequest.Read.All Policy.Read.PermissionGrant";
/// Microsoft Graph's application id (its service principal's `appId`).
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

/// An access token for `upn` with `scope`, after an interactive sign-in.
pub async fn admin_token(sb: &RunningSandbox, upn: &str, password: &str, scope: &str) -> String {
    let body = tokens_for(sb, upn, password, scope).await;
    body["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// The sandbox tenant's Global Administrator's access token with `scope`.
pub async fn sandbox_admin_token(sb: &RunningSandbox, scope: &str) -> String {
    admin_token(sb, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD, scope).await
}

/// A preset tenant's admin (password `Admin-2026!`) with `scope`.
pub async fn preset_admin_token(sb: &RunningSandbox, domain: &str, scope: &str) -> String {
    admin_token(
        sb,
        &format!("admin@{domain}"),
        presets::ADMIN_PASSWORD,
        scope,
    )
    .await
}

/// Calls Graph at `path` with `token` (and a JSON body); returns the status and the JSON answer
/// (`null` when it is not JSON).
pub async fn graph_call(
    sb: &RunningSandbox,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client()
        .request(method, format!("{}{path}", sb.graph_url()))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("graph call");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// GETs Graph `path` with `token`, asserting 200; returns the JSON.
pub async fn graph_get(sb: &RunningSandbox, token: &str, path: &str) -> Value {
    let (status, body) = graph_call(sb, reqwest::Method::GET, token, path, None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// Asserts Graph's 403 `Authorization_RequestDenied` answer (docs/entra-reference.md §6).
pub fn assert_denied(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    assert_eq!(
        body["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
}
