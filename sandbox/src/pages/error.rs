//! The "Sorry, but we're having trouble signing you in" page for errors Entra shows instead of redirecting.

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::{esc, page};
use crate::aadsts::{AadError, Stamp};

/// Renders an AADSTS error as a page (docs/entra-reference.md §2: bad client_id or redirect_uri never redirect).
pub fn render(error: &AadError, now: DateTime<Utc>) -> Response {
    let stamp = Stamp::new(now);
    let body = format!(
        "<h1>Sign in</h1>\n<p>Sorry, but we're having trouble signing you in.</p>\n\
<p class=\"error\" id=\"error-message\" role=\"alert\">AADSTS{code}: {message}</p>\n\
<div class=\"details\"><p>Request Id: {trace}<br>Correlation Id: {corr}<br>Timestamp: {ts}<br>Message: AADSTS{code}: {message}</p></div>\n",
        code = error.code,
        message = esc(&error.message),
        trace = stamp.trace_id,
        corr = stamp.correlation_id,
        ts = stamp.timestamp,
    );
    page(StatusCode::BAD_REQUEST, "Sign in to your account", &body)
}
