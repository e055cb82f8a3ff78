//! Graph error JSON `{error:{code,message,innerError:{date,request-id,client-request-id}}}` (docs/entra-reference.md §7).

use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::random::guid;

/// Identifiers Graph stamps on every response (`request-id`, `client-request-id`, docs/entra-reference.md §7).
#[derive(Debug, Clone)]
pub struct RequestIds {
    /// Server-side request id.
    pub request_id: String,
    /// The caller's `client-request-id`, or a new one.
    pub client_request_id: String,
    /// `innerError.date`.
    pub date: String,
}

impl RequestIds {
    /// Ids for a request, echoing the caller's `client-request-id` when it sent one.
    pub fn new(headers: &HeaderMap, now: DateTime<Utc>) -> Self {
        let request_id = guid();
        let client_request_id = headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && v.len() <= 100)
            .map_or_else(|| request_id.clone(), str::to_owned);
        Self {
            request_id,
            client_request_id,
            date: now.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }
}

/// A Graph error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// HTTP status.
    pub status: StatusCode,
    /// `error.code`.
    pub code: &'static str,
    /// `error.message`.
    pub message: String,
}

impl GraphError {
    /// A new error.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// 401 InvalidAuthenticationToken (docs/entra-reference.md §7).
    pub fn unauthenticated(message: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }

    /// 403 ErrorAccessDenied: the token lacks the scope (docs/entra-reference.md §7).
    pub fn access_denied() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    }

    /// 403 `Authorization_RequestDenied`: a directory API without the scope or the role (docs/entra-reference.md §6, §11 item 10).
    pub fn insufficient_privileges() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    /// 404 `Request_ResourceNotFound`: no object with this id or alternate key (docs/entra-reference.md §6.3).
    pub fn resource_not_found(key: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!("Resource '{key}' does not exist or one of its queried reference-property objects are not present."),
        )
    }

    /// 400 for a `$filter` the sandbox does not support.
    pub fn bad_filter(filter: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "Request_UnsupportedQuery",
            format!("Unsupported or invalid query filter clause specified: '{filter}'."),
        )
    }

    /// 400 for a body whose values are wrong.
    pub fn bad_value(message: &str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
    }

    /// 404 MailboxNotEnabledForRESTAPI: mailbox on-premises or missing (docs/entra-reference.md §7, KB 4462988).
    pub fn mailbox_not_enabled() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "MailboxNotEnabledForRESTAPI",
            "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
        )
    }

    /// 400 BadRequest for an unknown path.
    pub fn unknown_segment(segment: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    /// 405 for a known path and the wrong method.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request target.",
        )
    }

    /// 400 for a body that is not the JSON expected.
    pub fn bad_json() -> Self {
        Self::new(StatusCode::BAD_REQUEST, "RequestBodyRead", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
    }

    /// 413 for a body over the sandbox's limit.
    pub fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestEntityTooLarge",
            "The request body is too large.",
        )
    }

    /// The error body.
    pub fn body(&self, ids: &RequestIds) -> Value {
        json!({"error": {
            "code": self.code,
            "message": self.message,
            "innerError": {
                "date": ids.date,
                "request-id": ids.request_id,
                "client-request-id": ids.client_request_id,
            }
        }})
    }
}
