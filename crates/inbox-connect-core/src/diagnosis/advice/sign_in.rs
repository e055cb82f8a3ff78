//! Advice for the sign-in's causes: consent, policies, the account and its device, the
//! organization's identity setup.

use super::AdviceEntry;
use super::FixedBy::*;
use crate::diagnosis::cause::Cause::*;

/// A cause's advice for a detail comes before its advice for any detail.
pub(super) static ADVICE: &[AdviceEntry] = &[
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
            "If it keeps stopping without you closing the window, check that your default browser opens and that no other Microsoft sign-in window is still open; if it still fails, send the details below to support.",
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
        key: "device_or_platform_not_allowed.app_protection_policy_required",
        cause: DeviceOrPlatformNotAllowed,
        details: &["app_protection_policy_required"],
        fixed_by: ItAdmin,
        explanation: "Your organization only lets apps with its data-protection policy (Intune app protection) reach your mailbox, and this app is not one of them.",
        next_steps: &[
            "Send your IT admin the details below: only they can exclude this app from the app protection requirement for your mailbox.",
        ],
    },
    AdviceEntry {
        key: "device_or_platform_not_allowed.device_not_managed",
        cause: DeviceOrPlatformNotAllowed,
        details: &["device_not_managed", "device_not_compliant"],
        fixed_by: ItAdmin,
        explanation: "Your organization only lets devices it manages (enrolled in Intune and compliant) reach your mailbox, and Microsoft does not see this computer as one.",
        next_steps: &[
            "If you have a work computer your organization manages, connect from it.",
            "Otherwise send your IT admin the details below: they can enroll this computer or exclude the app from the device requirement.",
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
