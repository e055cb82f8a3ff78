//! Microsoft Graph v1.0 subset under `/graph/v1.0`: the user's own calls (docs/entra-reference.md §7) and the admin's
//! directory calls (docs/entra-reference.md §6, [`admin`]).

pub mod admin;
pub mod auth;
pub mod batch;
pub mod calendar;
pub mod consent_requests;
pub mod directory_objects;
pub mod error;
pub mod grants;
pub mod mail;
pub mod me;
pub mod odata;
pub mod organization;
pub mod policies;
pub mod service_principals;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use self::auth::{authenticate, Caller};
use self::error::{GraphError, RequestIds};
use crate::context::{Sandbox, Shared};
use crate::params::{read_body, GRAPH_LIMIT};

/// What a Graph call produced, before it becomes an HTTP response or a `$batch` item.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body, if any.
    pub body: Option<Value>,
}

impl Reply {
    /// 200 with a JSON body.
    pub fn ok(body: Value) -> Self {
        Self {
            status: StatusCode::OK,
            body: Some(body),
        }
    }

    /// A status without a body (e.g. 202 from sendMail).
    pub fn empty(status: StatusCode) -> Self {
        Self { status, body: None }
    }

    /// An error reply.
    pub fn error(error: &GraphError, ids: &RequestIds) -> Self {
        Self {
            status: error.status,
            body: Some(error.body(ids)),
        }
    }
}

/// One Graph request, from HTTP or from a `$batch` item.
#[derive(Debug)]
pub struct Call<'a> {
    /// HTTP method.
    pub method: &'a Method,
    /// Path below `/v1.0`, starting with `/`.
    pub path: &'a str,
    /// Raw query string.
    pub query: Option<&'a str>,
    /// `Content-Type` of the body.
    pub content_type: Option<&'a str>,
    /// Request body.
    pub body: &'a [u8],
}

/// `ANY /graph/v1.0/{*path}`.
pub async fn handle(
    State(sb): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ids = RequestIds::new(&headers, sb.clock.now());
    let reply = match read_body(body, GRAPH_LIMIT).await {
        None => Reply::error(&GraphError::too_large(), &ids),
        Some(bytes) => {
            let call = Call {
                method: &method,
                path: uri.path().strip_prefix("/graph/v1.0").unwrap_or("/"),
                query: uri.query(),
                content_type: headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok()),
                body: &bytes,
            };
            match authenticate(&sb, &headers) {
                Err(e) => Reply::error(&e, &ids),
                Ok(caller) if call.path.eq_ignore_ascii_case("/$batch") => {
                    batch::run(&sb, &caller, &call, &ids)
                }
                Ok(caller) => dispatch(&sb, &caller, &call, &ids),
            }
        }
    };
    let mut response = match reply.body {
        Some(body) => (reply.status, Json(body)).into_response(),
        None => reply.status.into_response(),
    };
    let out = response.headers_mut();
    for (name, value) in [
        ("request-id", &ids.request_id),
        ("client-request-id", &ids.client_request_id),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            out.insert(HeaderName::from_static(name), value);
        }
    }
    if reply.status == StatusCode::UNAUTHORIZED {
        out.insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(
                "Bearer realm=\"\", client_id=\"00000003-0000-0000-c000-000000000000\"",
            ),
        );
    }
    response
}

/// Routes one call (paths are case-insensitive, as Graph's are).
pub fn dispatch(sb: &Sandbox, caller: &Caller<'_>, call: &Call<'_>, ids: &RequestIds) -> Reply {
    // Alternate keys may arrive percent-encoded: `(appId=%27...%27)`.
    let path = call
        .path
        .trim_matches('/')
        .to_ascii_lowercase()
        .replace("%27", "'")
        .replace("%28", "(")
        .replace("%29", ")");
    let segments: Vec<&str> = path.split('/').collect();
    let get = |handler: &dyn Fn() -> Result<Reply, GraphError>| match *call.method {
        Method::GET => handler(),
        _ => Err(GraphError::method_not_allowed()),
    };
    let result = match segments.as_slice() {
        ["me"] => get(&|| me::user(sb, caller)),
        ["me", "mailboxsettings"] => get(&|| me::mailbox_settings(sb, caller)),
        ["me", "mailfolders", "sentitems"] => get(&|| mail::sent_folder(sb, caller)),
        ["me", "mailfolders", "sentitems", "messages"] => {
            get(&|| mail::sent_messages(sb, caller, call.query))
        }
        ["me", "sendmail"] => match *call.method {
            Method::POST => mail::send(sb, caller, call),
            _ => Err(GraphError::method_not_allowed()),
        },
        ["me", "calendar"] => get(&|| calendar::calendar(sb, caller)),
        ["me", "events"] => get(&|| calendar::events(sb, caller)),
        ["organization"] => get(&|| organization::list(sb, caller)),
        ["organization", id] => get(&|| organization::item(sb, caller, id)),
        other => match admin::dispatch(sb, caller, call, other) {
            Some(result) => result,
            None => Err(GraphError::unknown_segment(
                call.path
                    .trim_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or_default(),
            )),
        },
    };
    result.unwrap_or_else(|e| Reply::error(&e, ids))
}

/// `@odata.context` for a resource path.
pub fn odata_context(sb: &Sandbox, fragment: &str) -> String {
    format!("{}/graph/v1.0/$metadata#{fragment}", sb.base())
}
