//! The HTTP router.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;

use crate::context::Shared;
use crate::endpoints::{authorize, discovery, method_not_allowed, token};
use crate::graph;

/// Builds the sandbox's router.
pub fn router(sb: Shared) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration).fallback(only_get),
        )
        .route(
            "/{tenant}/discovery/v2.0/keys",
            get(discovery::keys).fallback(only_get),
        )
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::get)
                .post(authorize::post)
                .fallback(only_get_post),
        )
        .route(
            "/{tenant}/v2.0/adminconsent",
            get(authorize::get)
                .post(authorize::post)
                .fallback(only_get_post),
        )
        .route(
            "/{tenant}/adminconsent",
            get(authorize::get)
                .post(authorize::post)
                .fallback(only_get_post),
        )
        .route(
            "/{tenant}/oauth2/v2.0/token",
            post(token::post).fallback(only_post),
        )
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            discovery::not_served("device code"),
        )
        .route(
            "/{tenant}/oauth2/v2.0/logout",
            discovery::not_served("logout"),
        )
        .route("/{tenant}/kerberos", discovery::not_served("Kerberos"))
        .route("/graph/oidc/userinfo", discovery::not_served("userinfo"))
        .route("/graph/v1.0/{*path}", any(graph::handle))
        .route(
            crate::pages::vendor::PATH,
            get(crate::pages::vendor::admin_consent_done).fallback(only_get),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(sb.clone(), count_request))
        .with_state(sb)
}

/// Counts every request, whatever its route, so benchmarks can report round trips.
async fn count_request(State(sb): State<Shared>, request: Request, next: Next) -> Response {
    sb.requests.fetch_add(1, Ordering::Relaxed);
    next.run(request).await
}

async fn only_get(State(sb): State<Shared>, method: Method) -> Response {
    method_not_allowed(&sb, "GET", &method)
}

async fn only_post(State(sb): State<Shared>, method: Method) -> Response {
    method_not_allowed(&sb, "POST", &method)
}

async fn only_get_post(State(sb): State<Shared>, method: Method) -> Response {
    method_not_allowed(&sb, "GET or POST", &method)
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}
