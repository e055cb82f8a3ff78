//! Which cause a set of facts points to.
//!
//! Microsoft advises keying off the OAuth `error` value first and AADSTS numbers second, because codes
//! and texts change (entra-reference.md, opening caveat). So the `error` value picks a family and a
//! default, a known AADSTS number refines it, and only a few `error` values are final on their own.

use serde::{Deserialize, Serialize};

use super::evidence::{Evidence, PageMarker};

/// Why a connection failed: a closed set with stable snake_case ids (the UI and scripts key off them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The tenant lets no user consent to this app or these permissions; an admin must grant them.
    AdminConsentRequired,
    /// Same, but the tenant's admin consent workflow lets the user request approval.
    AdminApprovalRequestPossible,
    /// The user (or admin) declined or cancelled.
    UserDeclined,
    /// The app requires assignment and this user is not assigned.
    UserNotAssigned,
    /// A Conditional Access policy (or security defaults, tenant restrictions) blocked the sign-in.
    ConditionalAccessBlocked,
    /// Multifactor authentication is required.
    MfaRequired,
    /// The app (or the resource) is not known in the tenant.
    AppNotFoundInTenant,
    /// A personal Microsoft account, an account of another tenant, or the wrong tenant or cloud.
    WrongAccountType,
    /// The redirect URI is not registered for the app.
    RedirectUriMismatch,
    /// The client or its registration is misconfigured (PKCE, secret, scope, platform type).
    PkceOrClientConfigError,
    /// The stored grant (refresh token, code) is expired, revoked or unusable: sign in again.
    InvalidOrExpiredGrant,
    /// The mailbox is not in Exchange Online (on-premises, unlicensed, inactive).
    MailboxNotExchangeOnline,
    /// The token lacks a permission the call needs, or a mailbox policy denies the app.
    InsufficientPermissions,
    /// Microsoft is throttling requests.
    Throttled,
    /// Microsoft had a passing failure.
    TransientServiceError,
    /// Nothing more specific is known.
    Other,
}

impl Cause {
    /// The stable id, as serialized (`admin_consent_required`).
    pub fn id(self) -> &'static str {
        match self {
            Cause::AdminConsentRequired => "admin_consent_required",
            Cause::AdminApprovalRequestPossible => "admin_approval_request_possible",
            Cause::UserDeclined => "user_declined",
            Cause::UserNotAssigned => "user_not_assigned",
            Cause::ConditionalAccessBlocked => "conditional_access_blocked",
            Cause::MfaRequired => "mfa_required",
            Cause::AppNotFoundInTenant => "app_not_found_in_tenant",
            Cause::WrongAccountType => "wrong_account_type",
            Cause::RedirectUriMismatch => "redirect_uri_mismatch",
            Cause::PkceOrClientConfigError => "pkce_or_client_config_error",
            Cause::InvalidOrExpiredGrant => "invalid_or_expired_grant",
            Cause::MailboxNotExchangeOnline => "mailbox_not_exchange_online",
            Cause::InsufficientPermissions => "insufficient_permissions",
            Cause::Throttled => "throttled",
            Cause::TransientServiceError => "transient_service_error",
            Cause::Other => "other",
        }
    }

    /// Whether this cause blocks the connection until someone changes something on Microsoft's
    /// side (an admin, a policy, a licence, the account used): the app then shows a `blocked`
    /// state with the diagnosis. The rest (a cancel, an expired grant, a passing failure, a
    /// client misconfiguration) stay ordinary errors: clicking Connect again is the remedy, or
    /// support is.
    pub fn blocks(self) -> bool {
        matches!(
            self,
            Cause::AdminConsentRequired
                | Cause::AdminApprovalRequestPossible
                | Cause::UserNotAssigned
                | Cause::ConditionalAccessBlocked
                | Cause::AppNotFoundInTenant
                | Cause::WrongAccountType
                | Cause::MailboxNotExchangeOnline
                | Cause::InsufficientPermissions
        )
    }

    /// Whether an admin's consent removes this cause: the app offers the admin-consent link and the
    /// message to IT, and waits for the approval.
    pub fn awaits_admin_consent(self) -> bool {
        matches!(
            self,
            Cause::AdminConsentRequired | Cause::AdminApprovalRequestPossible
        )
    }
}

/// A cause with the finer detail that rides along (`risky_app`, `device_not_compliant`, …).
pub(crate) type Finding = (Cause, Option<&'static str>);

/// The AADSTS numbers of entra-reference.md §4 and §5, each with its cause and detail.
fn by_aadsts(code: u32) -> Option<Finding> {
    use Cause::*;
    let found = match code {
        90094 => (AdminConsentRequired, Some("need_admin_approval")),
        90093 => (AdminConsentRequired, Some("user_consent_not_allowed")),
        900941 => (AdminConsentRequired, Some("risky_app")),
        90099 => (AdminConsentRequired, Some("partner_admin_not_authorized")),
        65001 => (AdminConsentRequired, Some("consent_not_granted")),
        90095 => (AdminApprovalRequestPossible, Some("approval_required")),
        900981 => (AdminApprovalRequestPossible, Some("risky_app")),
        65004 => (UserDeclined, None),
        50105 => (UserNotAssigned, None),
        53003 => (ConditionalAccessBlocked, Some("blocked_by_policy")),
        53000 | 530003 => (ConditionalAccessBlocked, Some("device_not_compliant")),
        53001 => (ConditionalAccessBlocked, Some("device_not_domain_joined")),
        53002 => (ConditionalAccessBlocked, Some("app_not_approved")),
        53004 => (
            ConditionalAccessBlocked,
            Some("proof_up_blocked_due_to_risk"),
        ),
        53009 => (
            ConditionalAccessBlocked,
            Some("app_protection_policy_required"),
        ),
        530032 => (ConditionalAccessBlocked, Some("security_policy")),
        530035 => (ConditionalAccessBlocked, Some("security_defaults")),
        500021 | 500022 => (ConditionalAccessBlocked, Some("tenant_restrictions")),
        500212 | 500213 => (ConditionalAccessBlocked, Some("cross_tenant_access_policy")),
        50076 | 50074 => (MfaRequired, None),
        50079 | 50072 => (MfaRequired, Some("mfa_registration_required")),
        50158 => (MfaRequired, Some("external_security_challenge")),
        700016 | 700011 => (AppNotFoundInTenant, None),
        500011 => (AppNotFoundInTenant, Some("resource_not_found")),
        50020 | 90072 | 16000 => (WrongAccountType, Some("account_not_in_tenant")),
        50034 => (WrongAccountType, Some("account_not_found")),
        50059 | 50128 | 90019 => (WrongAccountType, Some("tenant_not_identified")),
        90002 => (WrongAccountType, Some("tenant_not_found")),
        90038 | 900432 | 1000104 => (WrongAccountType, Some("wrong_cloud")),
        9002332 => (WrongAccountType, Some("personal_account_not_supported")),
        50011 => (RedirectUriMismatch, None),
        500113 => (RedirectUriMismatch, Some("no_redirect_uri_registered")),
        900971 => (RedirectUriMismatch, Some("redirect_uri_missing")),
        50199 => (RedirectUriMismatch, Some("custom_scheme_confirmation")),
        501481 => (PkceOrClientConfigError, Some("pkce_verifier_mismatch")),
        50147 | 501491 => (PkceOrClientConfigError, Some("pkce_challenge_invalid")),
        700025 => (
            PkceOrClientConfigError,
            Some("secret_sent_by_public_client"),
        ),
        7000218 => (PkceOrClientConfigError, Some("registered_as_web_app")),
        7000215 | 7000222 => (PkceOrClientConfigError, Some("client_secret_invalid")),
        65002 => (PkceOrClientConfigError, Some("first_party_client_id")),
        65005 | 650056 | 650057 => (
            PkceOrClientConfigError,
            Some("app_registration_permissions"),
        ),
        90008 => (PkceOrClientConfigError, Some("user_read_missing")),
        70011 | 700022 | 28002 | 28003 => (PkceOrClientConfigError, Some("invalid_scope")),
        50194 | 9001023 => (PkceOrClientConfigError, Some("wrong_tenant_endpoint")),
        700054 => (
            PkceOrClientConfigError,
            Some("id_token_response_not_enabled"),
        ),
        9002313 | 900144 | 90014 | 90100 => (PkceOrClientConfigError, Some("malformed_request")),
        650052 => (MailboxNotExchangeOnline, Some("service_not_subscribed")),
        50173 => (InvalidOrExpiredGrant, Some("revoked")),
        70000 => (InvalidOrExpiredGrant, Some("grant_invalid")),
        70008 | 700082 => (InvalidOrExpiredGrant, Some("expired_inactive")),
        70043 => (InvalidOrExpiredGrant, Some("sign_in_frequency")),
        700084 => (InvalidOrExpiredGrant, Some("spa_lifetime")),
        54005 => (InvalidOrExpiredGrant, Some("code_already_redeemed")),
        50058 => (InvalidOrExpiredGrant, Some("login_required")),
        _ => return None,
    };
    Some(found)
}

/// The family and default an OAuth `error` value stands for, and whether it is final on its own.
fn by_error(error: &str, subcode: Option<&str>) -> (Finding, bool) {
    use Cause::*;
    let cancelled = subcode.is_some_and(|s| s.eq_ignore_ascii_case("cancel"));
    match error {
        // MSAL treats error_subcode=cancel as a user cancel whatever the error (§1.4).
        _ if cancelled => ((UserDeclined, Some("cancelled")), true),
        "server_error" => ((TransientServiceError, None), true),
        "temporarily_unavailable" => ((TransientServiceError, Some("busy")), true),
        // The admin-consent cancel of consent-types-developer.md (§3.1).
        "permission_denied" => ((UserDeclined, Some("admin_cancelled")), false),
        "access_denied" => ((UserDeclined, None), false),
        "consent_required" => ((AdminConsentRequired, Some("consent_not_granted")), false),
        "interaction_required" => ((InvalidOrExpiredGrant, Some("interaction_required")), false),
        "login_required" => ((InvalidOrExpiredGrant, Some("login_required")), false),
        "invalid_grant" => ((InvalidOrExpiredGrant, None), false),
        "unauthorized_client" => ((AppNotFoundInTenant, None), false),
        "invalid_resource" => ((AppNotFoundInTenant, Some("resource_not_found")), false),
        "invalid_client"
        | "invalid_request"
        | "invalid_scope"
        | "unsupported_response_type"
        | "unsupported_grant_type" => ((PkceOrClientConfigError, None), false),
        _ => ((Other, None), false),
    }
}

/// Graph's error codes (§7) and HTTP statuses.
fn by_graph(code: &str, status: Option<u16>) -> Finding {
    use Cause::*;
    match code {
        "MailboxNotEnabledForRESTAPI" | "MailboxNotSupportedForRESTAPI" => {
            (MailboxNotExchangeOnline, None)
        }
        "extensionError" | "ExtensionError" => {
            (MailboxNotExchangeOnline, Some("on_premises_or_policy"))
        }
        "ErrorAccessDenied" | "Authorization_RequestDenied" | "accessDenied" => {
            (InsufficientPermissions, None)
        }
        "InvalidAuthenticationToken" | "unauthenticated" => {
            (InvalidOrExpiredGrant, Some("access_token_rejected"))
        }
        "TooManyRequests" | "activityLimitReached" | "ApplicationThrottled" => (Throttled, None),
        "serviceNotAvailable" | "generalException" | "ServiceUnavailable" => {
            (TransientServiceError, None)
        }
        _ => match status {
            Some(429) => (Throttled, None),
            Some(401) => (InvalidOrExpiredGrant, Some("access_token_rejected")),
            Some(403) => (InsufficientPermissions, None),
            Some(500..=599) => (TransientServiceError, None),
            _ => (Other, None),
        },
    }
}

/// The personal-account tenant (§1.1): its presence means a Microsoft account, not a work account.
const PERSONAL_ACCOUNT_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// Decides the cause from the evidence.
pub(crate) fn classify(evidence: &Evidence) -> Finding {
    let facts = &evidence.facts;
    let by_code = facts.aadsts_codes.iter().find_map(|code| by_aadsts(*code));
    if let Some(error) = facts.error.as_deref() {
        let (default, is_final) = by_error(error, facts.error_subcode.as_deref());
        return if is_final {
            default
        } else {
            by_code.unwrap_or(default)
        };
    }
    if let Some(code) = facts.graph_code.as_deref() {
        return by_graph(code, facts.http_status);
    }
    if let Some(found) = by_code {
        return found;
    }
    match evidence.page {
        Some(PageMarker::NeedAdminApproval) => {
            return (Cause::AdminConsentRequired, Some("need_admin_approval"))
        }
        Some(PageMarker::ApprovalRequired) => {
            return (
                Cause::AdminApprovalRequestPossible,
                Some("approval_required"),
            )
        }
        None => {}
    }
    if facts.tenant.as_deref() == Some(PERSONAL_ACCOUNT_TENANT) {
        return (Cause::WrongAccountType, Some("personal_account"));
    }
    (Cause::Other, None)
}
