//! The one error type of the façade, and the `{code, message, action}` payload the UI and the CLI
//! show. Codes are stable snake_case strings; a unit test pins the JSON.

use serde::{Deserialize, Serialize};

use crate::graph::GraphError;
use crate::http::NetworkFailure;
use crate::profile::ProfileError;
pub use crate::refusal::OAuthErrorFields;
use crate::vault::VaultError;
use crate::words::Words;

/// Everything that can go wrong in the façade. Each maps to an [`ErrorPayload`].
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The vendor profile is unusable (or names no endpoints).
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The provider's discovery document could not be read or is unusable.
    #[error("could not read the sign-in service's configuration at {url}: {reason}")]
    Discovery {
        /// The discovery URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// A call to the sign-in service (its OpenID configuration, its token endpoint) got no
    /// complete answer; the failure says which host and what happened.
    #[error("could not reach the sign-in service: {0}")]
    Network(NetworkFailure),
    /// The sign-in service answered with its own trouble (5xx or 429 also on the retry, or a
    /// throttling refusal such as AADSTS50196): not the user's fault, and the stored connection
    /// stays as it was.
    #[error("Microsoft's sign-in service is having trouble ({}); the app will try again", trouble_summary(*.status, .fields.as_deref()))]
    SignInServiceTrouble {
        /// The HTTP status, when the service answered 5xx or 429.
        status: Option<u16>,
        /// The service's error fields, when it answered with a throttling error.
        fields: Option<Box<OAuthErrorFields>>,
    },
    /// The loopback receiver could not start.
    #[error("could not listen for the sign-in answer on 127.0.0.1: {0}")]
    Loopback(String),
    /// The user (or a newer Connect click) cancelled the sign-in.
    #[error("the sign-in was cancelled")]
    SignInCancelled,
    /// No answer came back from the browser in time.
    #[error("no answer from the browser after {seconds} seconds")]
    SignInTimedOut {
        /// How long we waited.
        seconds: u64,
    },
    /// The redirect's RFC 9207 `iss` names another issuer.
    #[error("the sign-in answer came from another issuer ({got}, expected {expected})")]
    IssuerMismatch {
        /// The issuer we talked to.
        expected: String,
        /// The issuer named on the redirect.
        got: String,
    },
    /// The sign-in page sent the browser back with an error (`error=` on the redirect).
    #[error("sign-in failed: {}", .0.summary())]
    Authorization(Box<OAuthErrorFields>),
    /// The token endpoint refused the request.
    #[error("the sign-in service refused the token request: {}", .0.summary())]
    TokenRejected(Box<OAuthErrorFields>),
    /// The token endpoint answered something that is not a token response.
    #[error("the sign-in service sent an unreadable token response: {0}")]
    TokenResponse(String),
    /// The id token failed a check.
    #[error("the id token failed a check: {0}")]
    IdToken(String),
    /// A refresh answered with an id token for another account than the connection's (OIDC
    /// Core §12.2); nothing of that answer was kept.
    #[error("the sign-in service answered the refresh for another account ({refreshed}) than the connected one ({stored}); the connection was kept as it was")]
    AccountChanged {
        /// The connected account (object id and tenant).
        stored: String,
        /// The account the new id token names.
        refreshed: String,
    },
    /// No connection is stored or active.
    #[error("not connected")]
    NotConnected,
    /// The stored connection was rejected and needs a new sign-in.
    #[error("the connection needs to be renewed: {}", .0.summary())]
    NeedsReconnect(Box<OAuthErrorFields>),
    /// The OS keychain failed.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The sign-in worked but the OS keychain refused to keep it, so the app is not connected
    /// (saying "connected" would lose the connection at the next start).
    #[error("you signed in, but the OS keychain refused to keep the connection, so the app is not connected: {0}")]
    NotStored(VaultError),
    /// Microsoft Graph answered with an error.
    #[error(transparent)]
    Graph(#[from] GraphError),
}

/// Extra, machine-readable detail of an error payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErrorDetails {
    /// The OAuth / Entra error fields.
    Oauth(OAuthErrorFields),
    /// The Graph error fields.
    Graph(crate::refusal::GraphErrorFields),
    /// What went wrong on the network (`failure`: `connect_timeout`, `cut_off`, ...).
    Network(NetworkFailure),
}

/// What the UI and the CLI show for an error: a stable code, what happened, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorPayload {
    /// Stable snake_case code.
    pub code: String,
    /// What happened, in one or two sentences.
    pub message: String,
    /// What to do next.
    pub action: String,
    /// What to do next as [`Words`], for the window to say in its language (`action` is their
    /// English).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_words: Option<Words>,
    /// The raw fields, when the error came from the sign-in service or Graph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<ErrorDetails>,
}

/// An error the UI and the CLI show as an [`ErrorPayload`]: the façade's [`ConnectError`] and the
/// admin path's [`crate::admin::AdminError`]. The message is the error's `Display` text.
pub(crate) trait UserFacing: std::fmt::Display {
    /// The stable snake_case code.
    fn code(&self) -> &'static str;
    /// What to do next.
    fn action(&self) -> Words;
    /// The raw fields, when the error came from the sign-in service or Graph.
    fn details(&self) -> Option<ErrorDetails>;

    /// The `{code, message, action, details}` payload.
    fn payload(&self) -> ErrorPayload {
        ErrorPayload {
            details: self.details(),
            ..ErrorPayload::new(self.code(), self.to_string(), self.action())
        }
    }
}

impl ErrorPayload {
    /// A payload with no protocol details: `action` travels as words and as their English.
    pub fn new(code: &str, message: String, action: Words) -> ErrorPayload {
        ErrorPayload {
            code: code.to_owned(),
            message,
            action: action.english(),
            action_words: Some(action),
            details: None,
        }
    }
}

/// Serializes a [`UserFacing`] error as its payload.
macro_rules! serialize_as_payload {
    ($error:ty) => {
        impl serde::Serialize for $error {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&$crate::error::UserFacing::payload(self), serializer)
            }
        }
    };
}
pub(crate) use serialize_as_payload;

impl ConnectError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> &'static str {
        UserFacing::code(self)
    }

    /// The payload for the UI and `--json` output.
    pub fn payload(&self) -> ErrorPayload {
        UserFacing::payload(self)
    }
}

impl UserFacing for ConnectError {
    fn code(&self) -> &'static str {
        match self {
            ConnectError::Profile(ProfileError::EndpointsNotSet) => "endpoints_not_set",
            ConnectError::Profile(_) => "profile_invalid",
            ConnectError::Discovery { .. } => "discovery_failed",
            ConnectError::Network(_) => "network_unreachable",
            ConnectError::SignInServiceTrouble { .. } => "sign_in_service_trouble",
            ConnectError::Loopback(_) => "loopback_failed",
            ConnectError::SignInCancelled => "sign_in_cancelled",
            ConnectError::SignInTimedOut { .. } => "sign_in_timed_out",
            ConnectError::IssuerMismatch { .. } => "issuer_mismatch",
            ConnectError::Authorization(_) => "authorization_failed",
            ConnectError::TokenRejected(_) => "token_rejected",
            ConnectError::TokenResponse(_) => "token_response_invalid",
            ConnectError::IdToken(_) => "id_token_invalid",
            ConnectError::AccountChanged { .. } => "account_changed",
            ConnectError::NotConnected => "not_connected",
            ConnectError::NeedsReconnect(_) => "needs_reconnect",
            ConnectError::Vault(e) => e.code(),
            ConnectError::NotStored(_) => "connection_not_stored",
            ConnectError::Graph(e) => e.code(),
        }
    }

    fn action(&self) -> Words {
        let key = match self {
            ConnectError::Profile(ProfileError::EndpointsNotSet) => {
                "error.action.endpoints_not_set"
            }
            ConnectError::Profile(_) => "error.action.profile_invalid",
            ConnectError::Discovery { .. } => "error.action.check_network",
            ConnectError::Network(failure) => return failure.action(),
            ConnectError::SignInServiceTrouble { .. } => "error.action.sign_in_service_trouble",
            ConnectError::Loopback(_) => "error.action.loopback_failed",
            ConnectError::SignInCancelled => "error.action.connect_again",
            ConnectError::SignInTimedOut { .. } => "error.action.sign_in_timed_out",
            ConnectError::IssuerMismatch { .. } => "error.action.issuer_mismatch",
            ConnectError::Authorization(f) => authorization_action(f),
            ConnectError::TokenRejected(_)
            | ConnectError::TokenResponse(_)
            | ConnectError::IdToken(_) => "error.action.send_to_support",
            ConnectError::NotConnected => "error.action.not_connected",
            ConnectError::AccountChanged { .. } => "error.action.account_changed",
            ConnectError::NeedsReconnect(_) => "error.action.needs_reconnect",
            ConnectError::Vault(e) => return e.action(),
            ConnectError::NotStored(e) => {
                return Words::new("error.action.not_stored").with("action", e.action())
            }
            ConnectError::Graph(e) => return e.action(),
        };
        Words::new(key)
    }

    fn details(&self) -> Option<ErrorDetails> {
        match self {
            ConnectError::Authorization(f)
            | ConnectError::TokenRejected(f)
            | ConnectError::NeedsReconnect(f) => Some(ErrorDetails::Oauth(f.as_ref().clone())),
            ConnectError::SignInServiceTrouble {
                fields: Some(f), ..
            } => Some(ErrorDetails::Oauth(f.as_ref().clone())),
            ConnectError::Graph(e) => graph_details(e),
            ConnectError::Network(failure) => Some(ErrorDetails::Network(failure.clone())),
            _ => None,
        }
    }
}

/// "HTTP 503", or the AADSTS code of a throttling refusal.
fn trouble_summary(status: Option<u16>, fields: Option<&OAuthErrorFields>) -> String {
    let code = fields.and_then(|f| f.error_codes.first());
    match (status, code) {
        (_, Some(code)) => format!("AADSTS{code}"),
        (Some(status), None) => format!("HTTP {status}"),
        (None, None) => fields.map_or_else(|| "no answer".into(), |f| f.error.clone()),
    }
}

fn authorization_action(f: &OAuthErrorFields) -> &'static str {
    let cancelled = f
        .error_subcode
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("cancel"));
    match f.error.as_str() {
        _ if cancelled => "error.action.cancelled_in_browser",
        "access_denied" | "consent_required" => "error.action.permissions_not_granted",
        "server_error" | "temporarily_unavailable" => "error.action.sign_in_service_problem",
        _ => "error.action.send_to_it",
    }
}

serialize_as_payload!(ConnectError);

/// What a Graph failure shows under Details.
fn graph_details(error: &GraphError) -> Option<ErrorDetails> {
    match error {
        GraphError::Api(f) => Some(ErrorDetails::Graph(f.clone())),
        GraphError::Network(failure) => Some(ErrorDetails::Network(failure.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entra_description_fields_are_extracted() {
        let f = OAuthErrorFields {
            error: "access_denied".into(),
            error_description: Some(
                "AADSTS65004: User declined to consent.\r\nTrace ID: t-1\r\nCorrelation ID: c-2\r\nTimestamp: 2026-01-09 02:02:12Z"
                    .into(),
            ),
            ..Default::default()
        }
        .complete_from_description();
        assert_eq!(f.error_codes, [65004]);
        assert_eq!(f.trace_id.as_deref(), Some("t-1"));
        assert_eq!(f.correlation_id.as_deref(), Some("c-2"));
        assert_eq!(f.timestamp.as_deref(), Some("2026-01-09 02:02:12Z"));
        assert_eq!(f.summary(), "AADSTS65004: User declined to consent.");
    }

    #[test]
    fn error_payload_json_is_pinned() {
        let f = OAuthErrorFields {
            error: "access_denied".into(),
            error_description: Some("AADSTS65004: User declined to consent.".into()),
            error_subcode: Some("cancel".into()),
            error_codes: vec![65004],
            ..Default::default()
        };
        let json = serde_json::to_value(ConnectError::Authorization(Box::new(f))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "authorization_failed",
                "message": "sign-in failed: AADSTS65004: User declined to consent.",
                "action": "The sign-in was cancelled in the browser. Click Connect to start again.",
                "action_words": {"key": "error.action.cancelled_in_browser"},
                "details": {
                    "kind": "oauth",
                    "error": "access_denied",
                    "error_description": "AADSTS65004: User declined to consent.",
                    "error_subcode": "cancel",
                    "error_codes": [65004]
                }
            })
        );
        let json = serde_json::to_value(ConnectError::SignInTimedOut { seconds: 600 }).unwrap();
        assert_eq!(json["code"], "sign_in_timed_out");
        assert_eq!(
            json["message"],
            "no answer from the browser after 600 seconds"
        );
        assert!(json.get("details").is_none());
    }

    #[test]
    fn network_failure_payload_json_is_pinned() {
        let failure = NetworkFailure::CertificateNotTrusted {
            host: "login.microsoftonline.com".into(),
            issuer: Some("Corp Inspection CA".into()),
            problem: None,
        };
        let json = serde_json::to_value(ConnectError::Network(failure)).unwrap();
        assert_eq!(json["code"], "network_unreachable");
        assert_eq!(
            json["message"],
            "could not reach the sign-in service: the TLS certificate of login.microsoftonline.com was not trusted (issued by Corp Inspection CA)"
        );
        assert_eq!(
            json["details"],
            serde_json::json!({"kind": "network", "failure": "certificate_not_trusted",
                "host": "login.microsoftonline.com", "issuer": "Corp Inspection CA"})
        );
    }
}
