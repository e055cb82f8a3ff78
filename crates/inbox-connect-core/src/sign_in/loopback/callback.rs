//! What the receiver answers to the browser's requests. A request that is not the callback of
//! this sign-in (a wrong, missing or repeated `state`, a repeated parameter) is refused with 400
//! and the receiver keeps waiting: any local process or web page can send one, and it must not be
//! able to end the sign-in.

use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oauth2::CsrfToken;
use subtle::ConstantTimeEq;

use super::query::{unique_params, RepeatedParameter};
use super::{host, page, Answer, Shared, RESULT_PAGE_GRACE};

/// Why a callback was refused (logged without any of its values).
#[derive(Debug, thiserror::Error)]
enum Refused {
    #[error("{0} (RFC 6749 §3.1)")]
    Repeated(#[from] RepeatedParameter),
    #[error("its state is missing or not this sign-in's")]
    State,
}

/// The routes: the callback path, 404 elsewhere, and only for the listener's own `Host`.
pub(super) fn router<A: Answer>(path: &str, port: u16, shared: Arc<Shared<A>>) -> Router {
    Router::new()
        .route(path, get(on_request::<A>))
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(
            port,
            host::only_own_host,
        ))
}

/// In constant time, so that how fast a guess is refused says nothing about how close it was.
fn state_matches(expected: &CsrfToken, given: Option<&String>) -> bool {
    given.is_some_and(|given| bool::from(given.as_bytes().ct_eq(expected.secret().as_bytes())))
}

async fn on_request<A: Answer>(
    State(shared): State<Arc<Shared<A>>>,
    RawQuery(query): RawQuery,
) -> Response {
    let params = match unique_params(query.as_deref().unwrap_or_default()) {
        Ok(params) => params,
        Err(e) => return refuse(&e.into()),
    };
    let Some(answer) = A::from_query(&params) else {
        return if shared.waiting() {
            // Nothing has come back yet: a stray request (preconnect, a reload of an old tab).
            StatusCode::NOT_FOUND.into_response()
        } else {
            result_page(&shared).await
        };
    };
    if !state_matches(&shared.expected_state, params.get("state")) {
        return refuse(&Refused::State);
    }
    let Some(sender) = shared.take_sender() else {
        return Html(page::already_finished(shared.language)).into_response();
    };
    let _ = sender.send(answer);
    // Off the address bar and out of history: the code never stays visible.
    (
        StatusCode::FOUND,
        [(header::LOCATION, shared.clean_url.clone())],
    )
        .into_response()
}

fn refuse(why: &Refused) -> Response {
    tracing::warn!(
        "the loopback receiver refused a callback: {why}; still waiting for the sign-in's own"
    );
    (StatusCode::BAD_REQUEST, Html(page::refused())).into_response()
}

/// The result page, once the sign-in has an outcome (the redirect arrives before it has one).
async fn result_page<A>(shared: &Shared<A>) -> Response {
    let mut outcome = shared.page.clone();
    let ready = tokio::time::timeout(RESULT_PAGE_GRACE, outcome.wait_for(Option::is_some)).await;
    let html = match ready {
        Ok(Ok(page)) => page.as_ref().map(|p| p.0.clone()),
        _ => None,
    };
    match html {
        Some(html) => {
            shared.delivered.cancel();
            ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Html(page::still_working(shared.language)),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_state_matches() {
        let expected = CsrfToken::new("s3cr3t-state".into());
        assert!(state_matches(&expected, Some(&"s3cr3t-state".into())));
        for given in [
            "s3cr3t-statf",
            "s3cr3t-stat",
            "s3cr3t-state2",
            "",
            "S3CR3T-STATE",
        ] {
            assert!(!state_matches(&expected, Some(&given.into())), "{given}");
        }
        assert!(!state_matches(&expected, None));
    }
}
