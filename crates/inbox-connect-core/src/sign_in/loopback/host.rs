//! Only the listener's own `Host` is served: a DNS-rebinding page reaches 127.0.0.1 under a name
//! of its own and could otherwise read the result page.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::page;

/// Middleware: answers 421 unless `Host` is `localhost`, `127.0.0.1` or `[::1]` with `port`.
pub(super) async fn only_own_host(
    State(port): State<u16>,
    request: Request,
    next: Next,
) -> Response {
    if is_own_host(request.headers().get(header::HOST), port) {
        return next.run(request).await;
    }
    // The Host itself is not logged: a page chose it.
    tracing::warn!("the loopback receiver refused a request for another host name");
    (StatusCode::MISDIRECTED_REQUEST, Html(page::wrong_host())).into_response()
}

fn is_own_host(host: Option<&HeaderValue>, port: u16) -> bool {
    let Some((name, given_port)) = host
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.rsplit_once(':'))
    else {
        return false;
    };
    given_port == port.to_string()
        && (name.eq_ignore_ascii_case("localhost") || name == "127.0.0.1" || name == "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(host: &str) -> bool {
        is_own_host(Some(&HeaderValue::from_str(host).unwrap()), 53123)
    }

    #[test]
    fn the_loopback_names_with_the_port_are_the_listeners_own() {
        for host in [
            "localhost:53123",
            "LOCALHOST:53123",
            "127.0.0.1:53123",
            "[::1]:53123",
        ] {
            assert!(own(host), "{host}");
        }
    }

    #[test]
    fn other_names_ports_or_no_port_are_not() {
        for host in [
            "evil.example:53123",
            "localhost.evil.example:53123",
            "localhost:53124",
            "localhost:053123",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "127.0.0.2:53123",
            ":53123",
        ] {
            assert!(!own(host), "{host}");
        }
        assert!(!is_own_host(None, 53123));
    }
}
