//! What Microsoft's refusals carry, field by field: the OAuth error of the sign-in service and
//! Graph's error body. Plain protocol data at the bottom of the crate, read by the diagnosis, the
//! errors of the façade and the blocked state alike.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The raw fields of an OAuth error, kept faithfully for diagnosis: from the authorize redirect
/// (docs/entra-reference.md §1.4) or the token endpoint's JSON (docs/entra-reference.md §1.7, Entra's extensions included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthErrorFields {
    /// The OAuth `error` value (`access_denied`, `invalid_grant`, ...): key off this first.
    pub error: String,
    /// `error_description` (Entra: `AADSTSnnnnn: message\r\nTrace ID: ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// `error_subcode` on the redirect (`cancel` when the user backed out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<String>,
    /// `error_uri`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_uri: Option<String>,
    /// Entra's `error_codes` (AADSTS numbers); on a redirect, parsed from the description.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<i64>,
    /// Entra's `trace_id` (or the description's "Trace ID").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// Entra's `correlation_id` (or the description's "Correlation ID").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Entra's `timestamp` (or the description's "Timestamp").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Entra's `suberror` (`basic_action`, `consent_required`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suberror: Option<String>,
}

impl OAuthErrorFields {
    /// Fills the AADSTS code, trace id, correlation id and timestamp from an Entra description
    /// when the response did not carry them as fields (the redirect never does).
    pub(crate) fn complete_from_description(mut self) -> Self {
        let Some(description) = self.error_description.clone() else {
            return self;
        };
        if self.error_codes.is_empty() {
            if let Some(rest) = description.trim_start().strip_prefix("AADSTS") {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(code) = digits.parse() {
                    self.error_codes.push(code);
                }
            }
        }
        for line in description.lines() {
            let line = line.trim();
            let field = |prefix: &str| line.strip_prefix(prefix).map(|v| v.trim().to_owned());
            if let (None, Some(v)) = (&self.trace_id, field("Trace ID:")) {
                self.trace_id = Some(v);
            } else if let (None, Some(v)) = (&self.correlation_id, field("Correlation ID:")) {
                self.correlation_id = Some(v);
            } else if let (None, Some(v)) = (&self.timestamp, field("Timestamp:")) {
                self.timestamp = Some(v);
            }
        }
        self
    }

    /// The first line of the description (Entra puts the ids on the following lines).
    pub fn summary(&self) -> String {
        match &self.error_description {
            Some(d) => d.lines().next().unwrap_or_default().trim().to_owned(),
            None => self.error.clone(),
        }
    }
}

/// Graph's error body: `{"error": {code, message, innerError{request-id, date}}}` (docs/entra-reference.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphErrorFields {
    /// HTTP status.
    pub status: u16,
    /// `error.code` (`ErrorAccessDenied`, `MailboxNotEnabledForRESTAPI`, ...).
    pub code: String,
    /// `error.message` (developer-facing).
    pub message: String,
    /// `innerError.request-id`, for Microsoft support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// `innerError.date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl GraphErrorFields {
    pub(crate) fn from_body(status: u16, body: &Value) -> GraphErrorFields {
        let error = &body["error"];
        let inner = if error["innerError"].is_object() {
            &error["innerError"]
        } else {
            &error["innererror"]
        };
        let text = |v: &Value| v.as_str().map(str::to_owned);
        GraphErrorFields {
            status,
            code: text(&error["code"]).unwrap_or_else(|| format!("http_{status}")),
            message: text(&error["message"]).unwrap_or_default(),
            request_id: text(&inner["request-id"]),
            date: text(&inner["date"]),
        }
    }
}
