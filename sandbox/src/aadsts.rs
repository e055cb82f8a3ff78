//! Entra (AADSTS) errors: one value rendered three ways, as token-endpoint JSON (docs/entra-reference.md §1.7), as
//! authorize-redirect parameters (docs/entra-reference.md §1.4) and as an error page.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::random::guid;
use crate::seed::Application;

/// An Entra protocol error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AadError {
    /// OAuth `error` value.
    pub error: &'static str,
    /// AADSTS number.
    pub code: u32,
    /// Message after `AADSTSnnnnn: `.
    pub message: String,
    /// MSAL-observed `error_subcode` on redirects (docs/entra-reference.md §1.4).
    pub subcode: Option<&'static str>,
    /// `suberror` in token-endpoint JSON (docs/entra-reference.md §1.7, §5): one of the values MSAL.js treats as
    /// "interaction required" (`InteractionRequiredAuthSubErrorMessage` in msal-common
    /// `src/error/InteractionRequiredAuthError.ts`), so Microsoft's own clients react as to Entra.
    pub suberror: Option<Suberror>,
    /// HTTP status when returned as JSON.
    pub status: StatusCode,
}

/// The `suberror` values the sandbox sends, named as in MSAL.js's `InteractionRequiredAuthSubErrorMessage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suberror {
    /// An extra sign-in step the user can do (MFA, 50076; docs/entra-reference.md §5 observed logs).
    BasicAction,
    /// Consent is missing for a scope (65001 on the token endpoint; docs/entra-reference.md §5).
    ConsentRequired,
    /// The refresh token is expired or revoked (50173, 700082): MSAL's `bad_token`, "due to an
    /// expired or invalid refresh token".
    BadToken,
}

impl Suberror {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BasicAction => "basic_action",
            Self::ConsentRequired => "consent_required",
            Self::BadToken => "bad_token",
        }
    }
}

/// The per-occurrence identifiers Entra stamps on an error.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// Trace ID.
    pub trace_id: String,
    /// Correlation ID.
    pub correlation_id: String,
    /// `yyyy-MM-dd HH:mm:ssZ`.
    pub timestamp: String,
}

impl Stamp {
    /// Fresh ids at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            trace_id: guid(),
            correlation_id: guid(),
            timestamp: now.format("%Y-%m-%d %H:%M:%SZ").to_string(),
        }
    }
}

impl AadError {
    fn new(error: &'static str, code: u32, message: impl Into<String>) -> Self {
        Self {
            error,
            code,
            message: message.into(),
            subcode: None,
            suberror: None,
            status: StatusCode::BAD_REQUEST,
        }
    }

    /// `error_description`: `AADSTSnnnnn: msg\r\nTrace ID: ..\r\nCorrelation ID: ..\r\nTimestamp: ..` (docs/entra-reference.md §1.7).
    pub fn description(&self, stamp: &Stamp) -> String {
        format!(
            "AADSTS{}: {}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            self.code, self.message, stamp.trace_id, stamp.correlation_id, stamp.timestamp
        )
    }

    /// The token-endpoint JSON response (docs/entra-reference.md §1.7).
    pub fn json(&self, now: DateTime<Utc>) -> Response {
        let stamp = Stamp::new(now);
        let mut body = json!({
            "error": self.error,
            "error_description": self.description(&stamp),
            "error_codes": [self.code],
            "timestamp": stamp.timestamp,
            "trace_id": stamp.trace_id,
            "correlation_id": stamp.correlation_id,
            "error_uri": format!("https://login.microsoftonline.com/error?code={}", self.code),
        });
        if let Some(suberror) = self.suberror {
            body["suberror"] = json!(suberror.as_str());
        }
        (
            self.status,
            [(axum::http::header::CACHE_CONTROL, "no-store, no-cache")],
            axum::Json(body),
        )
            .into_response()
    }

    /// Redirect parameters (docs/entra-reference.md §1.4): `error`, `error_description`, optional `error_subcode`.
    pub fn redirect_params(&self, now: DateTime<Utc>) -> Vec<(&'static str, String)> {
        let mut params = vec![
            ("error", self.error.to_owned()),
            ("error_description", self.description(&Stamp::new(now))),
        ];
        if let Some(sub) = self.subcode {
            params.push(("error_subcode", sub.to_owned()));
        }
        params
    }

    fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    fn with_suberror(mut self, suberror: Suberror) -> Self {
        self.suberror = Some(suberror);
        self
    }

    /// AADSTS90002: unknown `{tenant}`.
    pub fn tenant_not_found(tenant: &str) -> Self {
        Self::new("invalid_tenant", 90002, format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."))
    }

    /// AADSTS700016: unknown client id (or a single-tenant app used elsewhere).
    pub fn unknown_client(client_id: &str, tenant: &str) -> Self {
        Self::new("unauthorized_client", 700016, format!("Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."))
    }

    /// AADSTS50011: redirect URI not registered (docs/entra-reference.md §2).
    pub fn reply_mismatch(redirect_uri: &str, client_id: &str) -> Self {
        Self::new("invalid_request", 50011, format!("The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal."))
    }

    /// AADSTS500113: the app has no redirect URI at all (docs/entra-reference.md §2).
    pub fn no_reply_registered() -> Self {
        Self::new(
            "invalid_request",
            500113,
            "No reply address is registered for the application.",
        )
    }

    /// AADSTS900971: `redirect_uri` missing (docs/entra-reference.md §2).
    pub fn no_reply_provided() -> Self {
        Self::new("invalid_request", 900971, "No reply address provided.")
    }

    /// AADSTS900144: a required parameter is missing (docs/entra-reference.md §5).
    pub fn missing_parameter(name: &str) -> Self {
        Self::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{name}'."),
        )
    }

    /// AADSTS9002313: malformed request.
    pub fn malformed(detail: &str) -> Self {
        Self::new(
            "invalid_request",
            9002313,
            format!("Invalid request. Request is malformed or invalid. {detail}"),
        )
    }

    /// AADSTS900561: wrong HTTP method.
    pub fn method_not_allowed(expected: &str, got: &str) -> Self {
        Self::new(
            "invalid_request",
            900561,
            format!("The endpoint only accepts {expected} requests. Received a {got} request."),
        )
        .with_status(StatusCode::METHOD_NOT_ALLOWED)
    }

    /// Request body over the sandbox's limit.
    pub fn too_large() -> Self {
        Self::malformed("The request body is too large.").with_status(StatusCode::PAYLOAD_TOO_LARGE)
    }

    /// AADSTS70011: bad scope (docs/entra-reference.md §1.7).
    pub fn invalid_scope(scope: &str) -> Self {
        Self::new("invalid_scope", 70011, format!("The provided value for the input parameter 'scope' isn't valid. The scope {scope} isn't valid."))
    }

    /// AADSTS70000-style unsupported response type.
    pub fn unsupported_response_type(value: &str) -> Self {
        Self::new(
            "unsupported_response_type",
            700054,
            format!(
                "Response_type '{value}' is not supported. The response_type must include 'code'."
            ),
        )
    }

    /// AADSTS501491: `code_challenge` of the wrong size (docs/entra-reference.md §5).
    pub fn bad_code_challenge() -> Self {
        Self::new(
            "invalid_request",
            501491,
            "Invalid size of Code_Challenge parameter.",
        )
    }

    /// AADSTS50059-like: unsupported `code_challenge_method`.
    pub fn bad_challenge_method(method: &str) -> Self {
        Self::new(
            "invalid_request",
            501481,
            format!(
                "The code_challenge_method '{method}' is not supported. Use 'S256' or 'plain'."
            ),
        )
    }

    /// AADSTS90023-like: unsupported `prompt` or `response_mode` value.
    pub fn invalid_value(param: &str, value: &str) -> Self {
        Self::new(
            "invalid_request",
            90023,
            format!("Invalid value '{value}' for the input parameter '{param}'."),
        )
    }

    /// AADSTS50058: `prompt=none` without a session (docs/entra-reference.md §5).
    pub fn login_required() -> Self {
        Self::new("login_required", 50058, "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Azure AD.")
    }

    /// AADSTS16000 SelectUserAccount: `prompt=none` while several accounts are signed in and no
    /// `login_hint` picks one (reference-error-codes.md: "may be returned to the application if
    /// prompt=none is specified"; `interaction_required` as MSAL.js #1450 and pnp/pnpframework#1067
    /// record it).
    pub fn several_accounts() -> Self {
        Self::new("interaction_required", 16000, "Either multiple user identities are available for the current request or selected account is not supported for the scenario.")
    }

    /// A discovery-listed endpoint the sandbox does not implement (device code, logout, Kerberos,
    /// userinfo): 501, so a client that relies on one fails loudly instead of half-working.
    pub fn not_served(endpoint: &str) -> Self {
        Self::malformed(&format!("The sandbox tenant does not serve the {endpoint} endpoint; Entra's discovery document names it, so the sandbox's does too."))
            .with_status(StatusCode::NOT_IMPLEMENTED)
    }

    /// AADSTS65001 on the authorize redirect: `prompt=none` but consent is missing (docs/entra-reference.md §1.2, §5).
    pub fn consent_required(client_id: &str) -> Self {
        Self::new("consent_required", 65001, format!("The user or administrator has not consented to use the application with ID '{client_id}'. Send an interactive authorization request for this user and resource."))
    }

    /// AADSTS65001 on the token endpoint: refresh for a scope never consented; `invalid_grant`
    /// with `suberror` `consent_required` (docs/entra-reference.md §5).
    pub fn delegation_missing(client_id: &str) -> Self {
        Self {
            error: "invalid_grant",
            ..Self::consent_required(client_id)
        }
        .with_suberror(Suberror::ConsentRequired)
    }

    /// AADSTS65004: the user pressed Cancel on the consent page (docs/entra-reference.md §1.4, §5).
    pub fn consent_cancelled() -> Self {
        Self {
            subcode: Some("cancel"),
            ..Self::new(
                "access_denied",
                65004,
                "User declined to consent to access the app.",
            )
        }
    }

    /// AADSTS90094: admin consent required, when the user leaves "Need admin approval" (docs/entra-reference.md §4, §5;
    /// the redirect parameters are UNCONFIRMED, MSAL.NET #1736 saw `consent_required`).
    pub fn admin_consent_required() -> Self {
        Self::new(
            "consent_required",
            90094,
            "Administrator consent is required.",
        )
    }

    /// AADSTS65004 from the admin consent endpoint: the admin cancelled (docs/entra-reference.md §3.1).
    pub fn admin_consent_declined() -> Self {
        Self::new(
            "consent_required",
            65004,
            "The resource owner or authorization server denied the request.",
        )
    }

    /// AADSTS50126: wrong user name or password (shown on the sign-in page).
    pub fn bad_credentials() -> Self {
        Self::new(
            "invalid_grant",
            50126,
            "Error validating credentials due to invalid username or password.",
        )
    }

    /// AADSTS50034: no such account in this directory.
    pub fn unknown_account(upn: &str, tenant: &str) -> Self {
        Self::new("invalid_grant", 50034, format!("The user account {upn} does not exist in the {tenant} directory. To sign into this application, the account must be added to the directory."))
    }

    /// AADSTS50057: disabled account.
    pub fn user_disabled() -> Self {
        Self::new("invalid_grant", 50057, "The user account is disabled.")
    }

    /// AADSTS54005: code already redeemed (docs/entra-reference.md §5).
    pub fn code_redeemed() -> Self {
        Self::new("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
    }

    /// AADSTS70008: expired code (docs/entra-reference.md §5).
    pub fn code_expired() -> Self {
        Self::new("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.")
    }

    /// AADSTS9002313 as `invalid_grant`: an unknown or malformed code.
    pub fn bad_code() -> Self {
        Self {
            error: "invalid_grant",
            ..Self::malformed("The authorization code is malformed or invalid.")
        }
    }

    /// AADSTS700005: code redeemed at another tenant (docs/entra-reference.md §1.1).
    pub fn code_other_tenant() -> Self {
        Self::new(
            "invalid_grant",
            700005,
            "Provided Authorization Code is intended to use against other tenant, thus rejected.",
        )
    }

    /// AADSTS70000: the code or token was issued to another client.
    pub fn grant_other_client() -> Self {
        Self::new(
            "invalid_grant",
            70000,
            "Provided grant is invalid or malformed. The grant was issued to a different client.",
        )
    }

    /// AADSTS50011 on the token endpoint: `redirect_uri` differs from the authorize request.
    pub fn redirect_changed() -> Self {
        Self::new("invalid_grant", 50011, "The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.")
    }

    /// AADSTS501481: PKCE verifier mismatch (docs/entra-reference.md §5).
    pub fn pkce_mismatch() -> Self {
        Self::new("invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
    }

    /// AADSTS700025: public client sent a credential (docs/entra-reference.md §1.5).
    pub fn public_client_credential() -> Self {
        Self::new("invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
            .with_status(StatusCode::UNAUTHORIZED)
    }

    /// AADSTS7000218: confidential client without a credential (docs/entra-reference.md §1.5, §11 item 4).
    pub fn credential_required() -> Self {
        Self::new("invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
            .with_status(StatusCode::UNAUTHORIZED)
    }

    /// AADSTS50173: refresh token revoked (docs/entra-reference.md §1.8, §5); `suberror` `bad_token`.
    pub fn refresh_revoked() -> Self {
        Self::new("invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.")
            .with_suberror(Suberror::BadToken)
    }

    /// AADSTS9002313 as `invalid_grant`: unknown refresh token.
    pub fn bad_refresh_token() -> Self {
        Self {
            error: "invalid_grant",
            ..Self::malformed("The refresh token is malformed or invalid.")
        }
    }

    /// AADSTS700082: refresh token expired (90 days, docs/entra-reference.md §1.8); `suberror` `bad_token`.
    pub fn refresh_expired() -> Self {
        Self::new(
            "invalid_grant",
            700082,
            "The refresh token has expired due to inactivity.",
        )
        .with_suberror(Suberror::BadToken)
    }

    /// AADSTS70003: unsupported grant type.
    pub fn unsupported_grant(grant: &str) -> Self {
        Self::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{grant}'."),
        )
    }

    /// AADSTS50020: the account belongs to another tenant (or is a personal account) and is not
    /// a guest in `tenant` (docs/entra-reference.md §1.1, §5).
    pub fn user_from_other_tenant(upn: &str, idp: &str, tenant: &str, app: &Application) -> Self {
        Self::new("invalid_request", 50020, format!("User account '{upn}' from identity provider '{idp}' does not exist in tenant '{tenant}' and cannot access the application '{}'({}) in that tenant. This account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.", app.app_id, app.display_name))
    }

    /// AADSTS50105: assignment required and the user is not assigned (docs/entra-reference.md §4, §5).
    pub fn not_assigned(user_id: &str, app: &Application) -> Self {
        Self::new("access_denied", 50105, format!("Your administrator has configured the application {} ('{}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{{EUII Hidden}}' (object id {user_id}) is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.", app.display_name, app.app_id))
    }

    /// AADSTS53003: blocked by Conditional Access (docs/entra-reference.md §5); `access_denied` on redirects.
    pub fn blocked_by_conditional_access() -> Self {
        Self::new("access_denied", 53003, "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.")
    }

    /// AADSTS50076: Conditional Access requires MFA the request cannot perform (docs/entra-reference.md §5):
    /// `interaction_required` with `suberror` `basic_action`.
    pub fn mfa_required() -> Self {
        Self::new("interaction_required", 50076, "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource. Retry with a new authorize request for the resource.")
            .with_suberror(Suberror::BasicAction)
    }

    /// AADSTS90095: the user left "Approval required" (docs/entra-reference.md §4; redirect parameters UNCONFIRMED).
    pub fn approval_required() -> Self {
        Self::new("access_denied", 90095, "Admin consent is required for the permissions requested by this application. An admin consent request may be submitted.")
    }

    /// AADSTS900941: user consent blocked for a risky app, workflow off (docs/entra-reference.md §4).
    pub fn risky_app() -> Self {
        Self::new(
            "consent_required",
            900941,
            "Administrator consent is required. App is considered risky.",
        )
    }

    /// AADSTS900981: a request for a risky app, workflow on (docs/entra-reference.md §4).
    pub fn risky_app_request() -> Self {
        Self::new(
            "access_denied",
            900981,
            "An admin consent request was received for a risky app.",
        )
    }

    /// The same error as the token endpoint reports it: `invalid_grant` (docs/entra-reference.md §5 for 53003, 50105).
    pub fn as_grant_error(self) -> Self {
        Self {
            error: "invalid_grant",
            ..self
        }
    }
}
