//! The page the sandbox serves in place of the vendor's own web page: where the admin-consent
//! link in the message to IT lands after the grant (a Web redirect URI of the vendor app, docs/entra-reference.md
//! §3.1). Microsoft redirects there with `admin_consent=True&tenant=...` or, refused, with `error`
//! and `error_description` (docs/entra-reference.md §3.1: read `error` first, the error redirect carries
//! `admin_consent=True` too).

use axum::extract::RawQuery;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::esc;
use crate::params::Params;

/// The path of the page, registered for the vendor app as `http://localhost{PATH}` under Web in
/// the default seed (the port is ignored for localhost, docs/entra-reference.md §2).
pub const PATH: &str = "/vendor/admin-consent";

/// `GET /vendor/admin-consent`: what the admin sees after Microsoft's admin-consent page.
pub async fn admin_consent_done(RawQuery(query): RawQuery) -> Response {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let (title, text) = match params.non_empty("error") {
        Some(error) => (
            "Admin consent was not granted".to_owned(),
            format!(
                "Microsoft answered {}: {}",
                esc(error),
                esc(params.get("error_description").unwrap_or_default())
            ),
        ),
        None => (
            "Admin consent granted — you can close this tab".to_owned(),
            match params.non_empty("tenant") {
                Some(tenant) => format!(
                    "The app's permissions are granted for your organization ({}). Recruiters can connect now.",
                    esc(tenant)
                ),
                None => "The app's permissions are granted for your organization. Recruiters can connect now.".to_owned(),
            },
        ),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body><main><h1>{title}</h1><p>{text}</p></main></body></html>\n",
        title = esc(&title)
    );
    (StatusCode::OK, Html(html)).into_response()
}
