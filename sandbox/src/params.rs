//! Request parameters: form bodies and query strings parsed leniently (bad percent-encoding and
//! non-UTF-8 bytes become U+FFFD instead of failing), first occurrence wins.

use axum::body::{to_bytes, Body, Bytes};
use axum::http::HeaderMap;

/// Form body limit for Entra endpoints.
pub const FORM_LIMIT: usize = 64 * 1024;
/// Body limit for Graph requests.
pub const GRAPH_LIMIT: usize = 4 * 1024 * 1024;

/// Parsed `name=value` pairs.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` bytes (a body or a raw query).
    pub fn parse(bytes: &[u8]) -> Self {
        Self(
            url::form_urlencoded::parse(bytes)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name` if present and not blank.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// The pairs whose names are not in `skip`, first occurrences only.
    pub fn without(&self, skip: &[&str]) -> Vec<(String, String)> {
        let mut seen = std::collections::HashSet::new();
        self.0
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()) && seen.insert(k.clone()))
            .cloned()
            .collect()
    }
}

/// Reads a whole body up to `limit` bytes; `None` when it is larger (or the stream failed).
pub async fn read_body(body: Body, limit: usize) -> Option<Bytes> {
    to_bytes(body, limit).await.ok()
}

/// The value of a cookie in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}
