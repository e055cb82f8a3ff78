//! Where an authorize request's answer goes: the validated redirect URI, in the requested
//! response mode, with `state` echoed (docs/entra-reference.md §1.3, §1.4).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use url::Url;

use crate::pages::authorize as page;

/// `response_mode` values (docs/entra-reference.md §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

/// Where results go: known once client_id and redirect_uri are valid.
#[derive(Debug)]
pub(super) struct Target {
    pub(super) redirect: Url,
    pub(super) mode: ResponseMode,
    pub(super) state: Option<String>,
    pub(super) admin_consent: bool,
}

/// Sends parameters to the redirect URI in the requested response mode, echoing `state`.
pub(super) fn deliver(target: &Target, fields: Vec<(&'static str, String)>) -> Response {
    // The admin consent flow marks every redirect, errors included (docs/entra-reference.md §3.1).
    let marker = target
        .admin_consent
        .then(|| ("admin_consent".to_owned(), "True".to_owned()));
    let mut fields: Vec<(String, String)> = marker
        .into_iter()
        .chain(fields.into_iter().map(|(k, v)| (k.to_owned(), v)))
        .collect();
    if let Some(state) = &target.state {
        fields.push(("state".to_owned(), state.clone()));
    }
    let mut url = target.redirect.clone();
    match target.mode {
        ResponseMode::Query => {
            url.query_pairs_mut().extend_pairs(&fields);
        }
        ResponseMode::Fragment => {
            let fragment = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish();
            url.set_fragment(Some(&fragment));
        }
        ResponseMode::FormPost => return page::form_post(url.as_str(), &fields),
    }
    (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
}
