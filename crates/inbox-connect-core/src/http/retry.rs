//! When to call again: Microsoft's `Retry-After` on 429 and 503 (docs/entra-reference.md §7), and server trouble on
//! the token endpoint (5xx, 429), which MSAL retries once.

use std::time::Duration;

/// The longest `Retry-After` honoured (the UI is waiting).
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// How long to wait before the one retry of the token endpoint when it names no time (MSAL's
/// delay).
const TOKEN_RETRY_DEFAULT: Duration = Duration::from_secs(1);

/// `Retry-After` in seconds (Graph sends fractions such as `2.128`); None when absent or an
/// HTTP date (then the caller's default applies).
pub(crate) fn retry_after(header: Option<&str>) -> Option<Duration> {
    header
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite())
        .map(|s| Duration::from_secs_f64(s.clamp(0.0, 3600.0)))
}

/// The `Retry-After` of a response's headers.
pub(crate) fn retry_after_header(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    retry_after(
        headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok()),
    )
}

/// Graph: throttled (429), or unavailable with a time to come back (503 + `Retry-After`).
pub(crate) fn graph_should_wait(status: u16, retry_after: Option<Duration>) -> bool {
    status == 429 || (status == 503 && retry_after.is_some())
}

/// The token endpoint: whether this status is the service's trouble, not the request's.
pub(crate) fn is_server_trouble(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// The wait before the token endpoint's one retry; None when the service asks for longer than
/// [`MAX_RETRY_AFTER`] (then it is reported at once).
pub(crate) fn token_retry_wait(retry_after: Option<Duration>) -> Option<Duration> {
    let wait = retry_after.unwrap_or(TOKEN_RETRY_DEFAULT);
    (wait <= MAX_RETRY_AFTER).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_fractions_and_ignores_dates() {
        assert_eq!(retry_after(Some("2.5")), Some(Duration::from_millis(2500)));
        assert_eq!(retry_after(Some(" 10 ")), Some(Duration::from_secs(10)));
        assert_eq!(retry_after(Some("Wed, 21 Oct 2026 07:28:00 GMT")), None);
        assert_eq!(retry_after(Some("NaN")), None);
        assert_eq!(retry_after(None), None);
    }

    #[test]
    fn the_token_endpoint_is_retried_once_within_the_bound() {
        assert_eq!(token_retry_wait(None), Some(Duration::from_secs(1)));
        assert_eq!(
            token_retry_wait(Some(Duration::from_secs(30))),
            Some(Duration::from_secs(30))
        );
        assert_eq!(token_retry_wait(Some(Duration::from_secs(31))), None);
        assert!(is_server_trouble(503) && is_server_trouble(429) && is_server_trouble(500));
        assert!(!is_server_trouble(400) && !is_server_trouble(401));
        assert!(graph_should_wait(503, Some(Duration::ZERO)) && !graph_should_wait(503, None));
    }
}
