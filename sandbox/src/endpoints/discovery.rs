//! OpenID discovery document and signing keys (docs/entra-reference.md §1.9), plus the endpoints the document names
//! that the sandbox does not implement.
//!
//! The document carries exactly the keys of Entra's own (recorded in
//! `tests/fixtures/entra-organizations-openid-configuration.json`): a client must not come to rely
//! on a key Entra does not publish (e.g. `code_challenge_methods_supported`).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, MethodRouter};
use axum::Json;
use serde_json::{json, Value};

use super::Authority;
use crate::aadsts::AadError;
use crate::context::{Sandbox, Shared};
use crate::seed::PERSONAL_TENANT_ID;

/// The claims Entra lists, in its order (recorded document).
const CLAIMS_SUPPORTED: [&str; 19] = [
    "sub",
    "iss",
    "cloud_instance_name",
    "cloud_instance_host_name",
    "cloud_graph_host_name",
    "msgraph_host",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "acr",
    "nonce",
    "preferred_username",
    "name",
    "tid",
    "ver",
    "at_hash",
    "c_hash",
    "email",
];

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub async fn openid_configuration(
    State(sb): State<Shared>,
    Path(tenant): Path<String>,
) -> Response {
    match Authority::resolve(&sb, &tenant) {
        Ok(authority) => (
            [(header::CACHE_CONTROL, "max-age=86400, private")],
            Json(document(&sb, authority, &tenant)),
        )
            .into_response(),
        Err(e) => e.json(sb.clock.now()),
    }
}

/// The document for `authority`, reached as `/{requested}/...`.
fn document(sb: &Sandbox, authority: Authority<'_>, requested: &str) -> Value {
    // A tenant named by domain is answered with its GUID in every URL and the issuer, as Entra
    // does; the multi-tenant segments stay, with a templated issuer (the panva/wellknown
    // `entra-organizations` recording), except `consumers`, whose issuer is the personal-account
    // tenant (openiddict/openiddict-core#1764 quotes Entra's document).
    let (segment, issuer_tenant, region) = match authority {
        Authority::Tenant(t) => (t.id.as_str(), t.id.as_str(), json!("EU")),
        Authority::Consumers => (requested, PERSONAL_TENANT_ID, Value::Null),
        Authority::Common | Authority::AnyOrganization => (requested, "{tenantid}", Value::Null),
    };
    let root = format!("{}/{segment}", sb.base());
    json!({
        "token_endpoint": format!("{root}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{root}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": sb.issuer(issuer_tenant),
        "request_uri_parameter_supported": false,
        // Entra's lives on the Graph host; the sandbox's Graph is under its own origin.
        "userinfo_endpoint": format!("{}/graph/oidc/userinfo", sb.base()),
        "authorization_endpoint": format!("{root}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{root}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{root}/oauth2/v2.0/logout"),
        "claims_supported": CLAIMS_SUPPORTED,
        "kerberos_endpoint": format!("{root}/kerberos"),
        "tenant_region_scope": region,
        // Host names of Microsoft's global cloud, as published; informational for clients.
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
        "rbac_url": "https://pas.windows.net",
    })
}

/// `GET /{tenant}/discovery/v2.0/keys`.
pub async fn keys(State(sb): State<Shared>, Path(tenant): Path<String>) -> Response {
    if let Err(e) = Authority::resolve(&sb, &tenant) {
        return e.json(sb.clock.now());
    }
    let issuer = sb.issuer("{tenantid}");
    Json(json!({ "keys": [sb.signer.jwk(&issuer)] })).into_response()
}

/// Every method of an endpoint the document names that the sandbox does not implement (device
/// code, logout, Kerberos, userinfo): 501 in the token-error shape.
pub fn not_served(endpoint: &'static str) -> MethodRouter<Shared> {
    any(move |State(sb): State<Shared>| async move {
        AadError::not_served(endpoint).json(sb.clock.now())
    })
}
