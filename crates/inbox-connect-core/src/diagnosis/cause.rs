//! The closed set of causes a diagnosis picks from. Which code or words point to which cause is
//! data (aadsts.toml, signals.toml); how the clues are weighed is verdict.rs.

use serde::{Deserialize, Serialize};

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
    /// The device or platform does not meet the organization's requirements (compliant, joined,
    /// supported platform, approved client app).
    DeviceOrPlatformNotAllowed,
    /// The account is locked, disabled or blocked for risk.
    AccountLockedOrDisabled,
    /// The password expired or has to be changed.
    PasswordExpired,
    /// The user name or password (or other credential) was wrong.
    InvalidCredentials,
    /// A clock is off: a token or request is outside its valid time range.
    ClockSkew,
    /// The app talks to the wrong endpoint or protocol version (`/common` for a single-tenant app,
    /// v1 for personal accounts, an old TLS version, a GET where a POST belongs).
    WrongEndpointOrProtocol,
    /// Microsoft knows no organization by that name or domain.
    TenantNotFound,
    /// The API the app calls (or the app itself) has no service principal in the organization.
    ServicePrincipalMissing,
    /// The organization's federation server, pass-through agent or other identity provider failed.
    IdentityProviderError,
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
            Cause::DeviceOrPlatformNotAllowed => "device_or_platform_not_allowed",
            Cause::AccountLockedOrDisabled => "account_locked_or_disabled",
            Cause::PasswordExpired => "password_expired",
            Cause::InvalidCredentials => "invalid_credentials",
            Cause::ClockSkew => "clock_skew",
            Cause::WrongEndpointOrProtocol => "wrong_endpoint_or_protocol",
            Cause::TenantNotFound => "tenant_not_found",
            Cause::ServicePrincipalMissing => "service_principal_missing",
            Cause::IdentityProviderError => "identity_provider_error",
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
                | Cause::DeviceOrPlatformNotAllowed
                | Cause::AccountLockedOrDisabled
                | Cause::ServicePrincipalMissing
                | Cause::IdentityProviderError
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

    /// Whether the cause is a catch-all that a more specific clue explains: an `invalid_grant` or a
    /// 503 is often only the wrapping of the real refusal.
    pub(crate) fn is_generic(self) -> bool {
        matches!(
            self,
            Cause::Other
                | Cause::InvalidOrExpiredGrant
                | Cause::TransientServiceError
                | Cause::Throttled
        )
    }
}
