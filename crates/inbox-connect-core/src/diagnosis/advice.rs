//! What each cause means for the person in front of the app, and who can fix it. Each piece of
//! advice has a stable key (`admin_consent_required.risky_app`): the window words it from its
//! catalogs (`ui/i18n/*.json`, `diagnosis.<key>.…`); the English here is the CLI's, the report's
//! and the catalogs' source (a test keeps them equal).

use serde::{Deserialize, Serialize};

use super::cause::Cause;
use Cause::*;
use FixedBy::*;

/// Who can remove the cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixedBy {
    /// The person connecting their mailbox.
    Recruiter,
    /// The organization's IT (an Entra ID administrator).
    ItAdmin,
    /// The recruiting product's vendor (its app registration or client).
    Vendor,
}

/// The plain-language part of a diagnosis, for a cause with one of `details` (or any detail,
/// when there are none).
#[derive(Debug)]
pub struct AdviceEntry {
    /// The stable key (the cause's id, then the detail it is for).
    pub key: &'static str,
    cause: Cause,
    details: &'static [&'static str],
    /// Who can remove the cause.
    pub fixed_by: FixedBy,
    /// The cause in plain words.
    pub explanation: &'static str,
    /// What to do, in order.
    pub next_steps: &'static [&'static str],
}

impl AdviceEntry {
    fn fits(&self, cause: Cause, detail: Option<&str>) -> bool {
        self.cause == cause
            && (self.details.is_empty() || detail.is_some_and(|d| self.details.contains(&d)))
    }
}

/// The advice for a cause; `detail` picks a more precise text where one exists.
pub(crate) fn advise(cause: Cause, detail: Option<&str>) -> &'static AdviceEntry {
    ADVICE
        .iter()
        .find(|a| a.fits(cause, detail))
        .unwrap_or(&UNRECOGNIZED)
}

/// Every piece of advice, each once (the UI's catalogs have one entry for each).
pub fn all_advice() -> impl Iterator<Item = &'static AdviceEntry> {
    ADVICE.iter().chain(std::iter::once(&UNRECOGNIZED))
}

/// For [`Cause::Other`], and any cause without advice of its own.
static UNRECOGNIZED: AdviceEntry = AdviceEntry {
    key: "other",
    cause: Other,
    details: &[],
    fixed_by: Recruiter,
    explanation: "Microsoft stopped the connection for a reason the app does not recognize.",
    next_steps: &[
        "Try Connect Outlook once more.",
        "If it fails again, copy the diagnostic report and send it to your IT admin or the product's support.",
    ],
};

/// A cause's advice for a detail comes before its advice for any detail.
static ADVICE: &[AdviceEntry] = &[
    AdviceEntry {
        key: "admin_consent_required.risky_app",
        cause: AdminConsentRequired,
        details: &["risky_app"],
        fixed_by: ItAdmin,
        explanation: "Microsoft flagged this app as risky, so only an administrator of your organization can allow it.",
        next_steps: &[
            "Send your IT admin the admin-consent link and the details below.",
            "Once they have granted access, the app notices by itself; or press Check again.",
        ],
    },
    AdviceEntry {
        key: "admin_consent_required.consent_not_granted",
        cause: AdminConsentRequired,
        details: &["consent_not_granted"],
        fixed_by: Recruiter,
        explanation: "Nobody has agreed yet to let the app use these permissions for your account.",
        next_steps: &[
            "Connect again and accept the permissions on Microsoft's page.",
            "If Microsoft shows \"Need admin approval\", send your IT admin the admin-consent link.",
        ],
    },
    AdviceEntry {
        key: "admin_consent_required.signed_in_account_not_admin",
        cause: AdminConsentRequired,
        details: &["signed_in_account_not_admin"],
        fixed_by: ItAdmin,
        explanation: "The account that tried to grant access for the organization is not allowed to: it takes one of the roles Privileged Role Administrator, Cloud Application Administrator, Application Administrator or Global Administrator.",
        next_steps: &[
            "Sign in with an account that holds one of those roles and grant access again.",
            "Or send the admin-consent link to someone who holds one.",
        ],
    },
    AdviceEntry {
        key: "admin_consent_required",
        cause: AdminConsentRequired,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your organization does not let users approve apps like this one themselves: an administrator has to grant access once for everyone (Microsoft's \"Need admin approval\" page).",
        next_steps: &[
            "Send your IT admin the admin-consent link for your organization, with the details below.",
            "Or, if you have an admin account, choose \"Have an admin account? Grant access for your organization\".",
            "Once access is granted, the app notices by itself; or press Check again.",
        ],
    },
    AdviceEntry {
        key: "admin_approval_request_possible",
        cause: AdminApprovalRequestPossible,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your organization requires an administrator's approval for this app, and lets you ask for it from Microsoft's \"Approval required\" page.",
        next_steps: &[
            "On Microsoft's \"Approval required\" page, write why you need the app (e.g. \"to email candidates from our recruiting product\") and press Request approval.",
            "Your IT admin reviews it under Enterprise applications > Admin consent requests; you get an email when it is decided.",
            "Leave the app open or come back later: it notices the approval by itself.",
        ],
    },
    AdviceEntry {
        key: "user_declined.cancelled",
        cause: UserDeclined,
        details: &["cancelled"],
        fixed_by: Recruiter,
        explanation: "The sign-in was cancelled before it finished.",
        next_steps: &[
            "Press Connect Outlook to try again, and accept the permissions when Microsoft asks.",
        ],
    },
    AdviceEntry {
        key: "user_declined.admin_cancelled",
        cause: UserDeclined,
        details: &["admin_cancelled"],
        fixed_by: ItAdmin,
        explanation: "The administrator cancelled the organization-wide approval.",
        next_steps: &[
            "Open the admin-consent link again and press Accept to grant access for the organization.",
        ],
    },
    AdviceEntry {
        key: "user_declined",
        cause: UserDeclined,
        details: &[],
        fixed_by: Recruiter,
        explanation: "The permissions were declined on Microsoft's page, so the app cannot use your mailbox.",
        next_steps: &[
            "Press Connect Outlook again and accept the permissions; each one is explained on the first screen.",
        ],
    },
    AdviceEntry {
        key: "user_not_assigned",
        cause: UserNotAssigned,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your organization only lets assigned people use this app, and your account is not assigned to it.",
        next_steps: &[
            "Ask your IT admin to assign you (or a group you are in) to the app under Enterprise applications > the app > Users and groups.",
            "Then press Check again.",
        ],
    },
    AdviceEntry {
        key: "conditional_access_blocked",
        cause: ConditionalAccessBlocked,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "A security policy of your organization (Conditional Access) blocked this sign-in.",
        next_steps: &[
            "Send your IT admin the details below: with the time and the correlation id they find the policy in the sign-in logs (Conditional Access tab).",
            "They can exclude the app or meet the policy's requirement (for example a compliant device).",
        ],
    },
    AdviceEntry {
        key: "mfa_required.mfa_registration_required",
        cause: MfaRequired,
        details: &["mfa_registration_required"],
        fixed_by: Recruiter,
        explanation: "Your organization requires multifactor authentication and your account has not set it up yet.",
        next_steps: &[
            "Press Connect Outlook and follow Microsoft's steps to register a sign-in method (e.g. the Authenticator app).",
        ],
    },
    AdviceEntry {
        key: "mfa_required",
        cause: MfaRequired,
        details: &[],
        fixed_by: Recruiter,
        explanation: "Your organization requires an extra verification step (multifactor authentication) for this sign-in.",
        next_steps: &[
            "Press Connect Outlook and complete the verification in the browser.",
        ],
    },
    AdviceEntry {
        key: "app_not_found_in_tenant.app_disabled",
        cause: AppNotFoundInTenant,
        details: &["app_disabled"],
        fixed_by: ItAdmin,
        explanation: "The app is disabled in your organization, so nobody can sign in to it.",
        next_steps: &[
            "Ask your IT admin to turn \"Enabled for users to sign in\" back on under Enterprise applications > the app > Properties, then press Check again.",
        ],
    },
    AdviceEntry {
        key: "app_not_found_in_tenant",
        cause: AppNotFoundInTenant,
        details: &[],
        fixed_by: Vendor,
        explanation: "Microsoft does not know this app in the organization it was asked about: a wrong app id, a wrong tenant or cloud, or the app was deleted there.",
        next_steps: &[
            "Check that you sign in with your work account and the right organization.",
            "If it persists, send the details below to the recruiting product's support; an IT admin can also restore a deleted app under Enterprise applications > Deleted applications.",
        ],
    },
    AdviceEntry {
        key: "wrong_account_type.personal_account",
        cause: WrongAccountType,
        details: &["personal_account", "personal_account_not_supported"],
        fixed_by: Recruiter,
        explanation: "That is a personal Microsoft account; the recruiting product needs your work (Microsoft 365) account.",
        next_steps: &[
            "Press Connect Outlook and choose \"Use another account\", then sign in with your work email address.",
        ],
    },
    AdviceEntry {
        key: "wrong_account_type",
        cause: WrongAccountType,
        details: &[],
        fixed_by: Recruiter,
        explanation: "The account you signed in with does not belong to the organization the app asked about.",
        next_steps: &[
            "Press Connect Outlook and sign in with your work account of the right organization.",
            "If you are a guest in that organization, ask its IT to invite your account first.",
        ],
    },
    AdviceEntry {
        key: "redirect_uri_mismatch",
        cause: RedirectUriMismatch,
        details: &[],
        fixed_by: Vendor,
        explanation: "The app's registration at Microsoft does not list the address Microsoft sends you back to (http://localhost under \"Mobile and desktop applications\").",
        next_steps: &[
            "Send the details below to the recruiting product's support: their app registration needs the redirect URI http://localhost as a Mobile and desktop platform.",
        ],
    },
    AdviceEntry {
        key: "pkce_or_client_config_error.claims_mapping",
        cause: PkceOrClientConfigError,
        details: &["claims_mapping"],
        fixed_by: ItAdmin,
        explanation: "The app's claims settings in your organization (its single sign-on attributes and claims) are misconfigured.",
        next_steps: &[
            "Ask your IT admin to check the app's claims mapping under Enterprise applications > the app > Single sign-on, with the details below.",
        ],
    },
    AdviceEntry {
        key: "pkce_or_client_config_error",
        cause: PkceOrClientConfigError,
        details: &[],
        fixed_by: Vendor,
        explanation: "The app's sign-in request or its registration is misconfigured; this is not something you can fix.",
        next_steps: &[
            "Send the details below to the recruiting product's support.",
        ],
    },
    AdviceEntry {
        key: "invalid_or_expired_grant",
        cause: InvalidOrExpiredGrant,
        details: &[],
        fixed_by: Recruiter,
        explanation: "Your saved sign-in has expired or was revoked (for example after a password change, inactivity, or a security policy).",
        next_steps: &[
            "Press Reconnect and sign in again; your settings are kept.",
        ],
    },
    AdviceEntry {
        key: "mailbox_not_exchange_online.mailbox_not_found",
        cause: MailboxNotExchangeOnline,
        details: &["mailbox_not_found", "no_mailbox"],
        fixed_by: ItAdmin,
        explanation: "Microsoft found no Exchange Online mailbox for this account: it has no Exchange Online licence, or it is not the account of your mailbox.",
        next_steps: &[
            "Check that you signed in with the work account of your own mailbox.",
            "If you did, ask your IT admin to give the account an Exchange Online licence (a mailbox appears within an hour or so).",
        ],
    },
    AdviceEntry {
        key: "mailbox_not_exchange_online",
        cause: MailboxNotExchangeOnline,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your mailbox is not in Exchange Online (it is on-premises, unlicensed or inactive), and the recruiting product only works with Microsoft 365 mailboxes.",
        next_steps: &[
            "Ask your IT admin whether your mailbox is hosted in Exchange Online and licensed; hybrid and on-premises mailboxes are not supported.",
        ],
    },
    AdviceEntry {
        key: "insufficient_permissions.directory_privileges",
        cause: InsufficientPermissions,
        details: &["directory_privileges"],
        fixed_by: ItAdmin,
        explanation: "The signed-in account lacks the privileges Microsoft requires to read or change these organization settings.",
        next_steps: &[
            "Sign in with an account that holds the role named on the screen, or ask your IT admin to run the check.",
        ],
    },
    AdviceEntry {
        key: "insufficient_permissions.mailbox_policy",
        cause: InsufficientPermissions,
        details: &["mailbox_policy"],
        fixed_by: ItAdmin,
        explanation: "Your organization's Exchange Online settings turn off API access to your mailbox.",
        next_steps: &[
            "Ask your Exchange Online admin to allow REST (Microsoft Graph) access for your mailbox, or to lift the application access policy that blocks the app.",
        ],
    },
    AdviceEntry {
        key: "insufficient_permissions",
        cause: InsufficientPermissions,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Microsoft refused a call the app needs: a permission is missing, or a mailbox policy blocks the app.",
        next_steps: &[
            "Press Check again after reconnecting with every permission accepted.",
            "If it persists, ask your IT admin whether an Exchange application access policy blocks the app.",
        ],
    },
    AdviceEntry {
        key: "throttled.mailbox_concurrency",
        cause: Throttled,
        details: &["mailbox_concurrency", "too_many_objects_opened"],
        fixed_by: Recruiter,
        explanation: "Too many apps or connections use your mailbox at the same time, so Exchange Online refuses more for now.",
        next_steps: &[
            "Close other tools that sync your mailbox, wait a few minutes and press Check again; the app also retries by itself.",
        ],
    },
    AdviceEntry {
        key: "throttled.loop_detected",
        cause: Throttled,
        details: &["loop_detected"],
        fixed_by: Vendor,
        explanation: "The app asked Microsoft for sign-ins too often in a short time, so Microsoft stopped answering it for a while.",
        next_steps: &[
            "Wait a few minutes and try again. If it persists, send the details below to the recruiting product's support.",
        ],
    },
    AdviceEntry {
        key: "throttled",
        cause: Throttled,
        details: &[],
        fixed_by: Recruiter,
        explanation: "Microsoft is limiting how fast requests are accepted right now.",
        next_steps: &[
            "Wait a minute and press Check again; the app also retries by itself.",
        ],
    },
    AdviceEntry {
        key: "transient_service_error.mailbox_move_in_progress",
        cause: TransientServiceError,
        details: &["mailbox_move_in_progress", "mailbox_info_stale"],
        fixed_by: Recruiter,
        explanation: "Your mailbox is being moved or updated at Microsoft, so it cannot be reached for now.",
        next_steps: &[
            "Try again in an hour or so. If it lasts more than a day, ask your IT admin about the mailbox move.",
        ],
    },
    AdviceEntry {
        key: "transient_service_error",
        cause: TransientServiceError,
        details: &[],
        fixed_by: Recruiter,
        explanation: "Microsoft had a temporary problem.",
        next_steps: &[
            "Try again in a few minutes. If it persists, send the details below to support.",
        ],
    },
    AdviceEntry {
        key: "device_or_platform_not_allowed",
        cause: DeviceOrPlatformNotAllowed,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your organization only allows sign-ins from approved devices, platforms or apps, and this sign-in did not come from one.",
        next_steps: &[
            "Sign in from a device your organization manages (enrolled, compliant or joined), if you have one.",
            "Otherwise send your IT admin the details below: they find the requirement in the sign-in logs and can register your device or exclude the app.",
        ],
    },
    AdviceEntry {
        key: "account_locked_or_disabled",
        cause: AccountLockedOrDisabled,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your account is locked, disabled or blocked for a security risk, so Microsoft does not let it sign in.",
        next_steps: &[
            "Ask your IT admin to unlock or re-enable the account (or to clear its risk), then connect again.",
        ],
    },
    AdviceEntry {
        key: "password_expired.password_change_failed",
        cause: PasswordExpired,
        details: &["password_change_failed"],
        fixed_by: ItAdmin,
        explanation: "Your password could not be changed: your organization's password service refused or failed.",
        next_steps: &[
            "Ask your IT admin to reset your password, then connect again with the new one.",
        ],
    },
    AdviceEntry {
        key: "password_expired",
        cause: PasswordExpired,
        details: &[],
        fixed_by: Recruiter,
        explanation: "Your password has expired or has to be changed before you can sign in.",
        next_steps: &[
            "Press Connect Outlook and change your password when Microsoft asks (or through your organization's password reset), then sign in with the new one.",
        ],
    },
    AdviceEntry {
        key: "invalid_credentials",
        cause: InvalidCredentials,
        details: &[],
        fixed_by: Recruiter,
        explanation: "The user name or password (or other sign-in credential) was not right.",
        next_steps: &[
            "Press Connect Outlook and sign in again, checking your work email address and password.",
        ],
    },
    AdviceEntry {
        key: "clock_skew.agent_time_skew",
        cause: ClockSkew,
        details: &["agent_time_skew"],
        fixed_by: ItAdmin,
        explanation: "The clocks of your organization's authentication agent and its directory are out of step, so your password could not be checked.",
        next_steps: &[
            "Ask your IT admin to fix the time synchronization of the pass-through authentication agent's server.",
        ],
    },
    AdviceEntry {
        key: "clock_skew",
        cause: ClockSkew,
        details: &[],
        fixed_by: Recruiter,
        explanation: "A sign-in token was outside its valid time, which usually means this computer's clock is wrong.",
        next_steps: &[
            "Set your computer's clock to set the time automatically, then press Connect Outlook again.",
        ],
    },
    AdviceEntry {
        key: "wrong_endpoint_or_protocol",
        cause: WrongEndpointOrProtocol,
        details: &[],
        fixed_by: Vendor,
        explanation: "The app talked to Microsoft's sign-in service at the wrong address or in an unsupported way (endpoint, protocol version or security settings).",
        next_steps: &[
            "Send the details below to the recruiting product's support.",
        ],
    },
    AdviceEntry {
        key: "tenant_not_found",
        cause: TenantNotFound,
        details: &[],
        fixed_by: Recruiter,
        explanation: "Microsoft knows no organization by that name: the email domain may be mistyped, or your organization does not use Microsoft 365 under it.",
        next_steps: &[
            "Check the work email address you typed and press Connect Outlook again; ask your IT admin which Microsoft 365 account to use.",
        ],
    },
    AdviceEntry {
        key: "service_principal_missing",
        cause: ServicePrincipalMissing,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "A Microsoft service the app needs (or the app itself) is not set up in your organization.",
        next_steps: &[
            "Ask your IT admin to check that your organization has Exchange Online and Microsoft Graph, and to grant the app access once (the admin-consent link) so it is added to the organization.",
        ],
    },
    AdviceEntry {
        key: "identity_provider_error",
        cause: IdentityProviderError,
        details: &[],
        fixed_by: ItAdmin,
        explanation: "Your organization's own sign-in system (its federation server, pass-through agent or single sign-on) failed this sign-in.",
        next_steps: &[
            "Send your IT admin the details below: the failure is in their identity setup, not in the app.",
        ],
    },
];
