//! OpenID discovery document and signing keys (ref §1.9).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::Authority;
use crate::context::Shared;

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`.
pub async fn openid_configuration(
    State(sb): State<Shared>,
    Path(tenant): Path<String>,
) -> Response {
    let authority = match Authority::resolve(&sb, &tenant) {
        Ok(a) => a,
        Err(e) => return e.json(sb.clock.now()),
    };
    // Multi-tenant authorities publish a templated issuer, as Microsoft's common document does.
    let tenant_id = match authority {
        Authority::Tenant(t) => t.id.clone(),
        Authority::Common | Authority::AnyOrganization | Authority::Consumers => {
            "{tenantid}".to_owned()
        }
    };
    let base = sb.base();
    let doc = json!({
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": sb.issuer(&tenant_id),
        "request_uri_parameter_supported": false,
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "code_challenge_methods_supported": ["plain", "S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "nonce", "oid", "preferred_username", "tid", "ver", "email"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
    });
    (
        [(header::CACHE_CONTROL, "max-age=86400, private")],
        Json(doc),
    )
        .into_response()
}

/// `GET /{tenant}/discovery/v2.0/keys`.
pub async fn keys(State(sb): State<Shared>, Path(tenant): Path<String>) -> Response {
    if let Err(e) = Authority::resolve(&sb, &tenant) {
        return e.json(sb.clock.now());
    }
    let issuer = sb.issuer("{tenantid}");
    Json(json!({ "keys": [sb.signer.jwk(&issuer)] })).into_response()
}
