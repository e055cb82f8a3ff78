//! What each cause means for the person in front of the app, and who can fix it.

use serde::{Deserialize, Serialize};

use super::cause::Cause;

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

/// The plain-language part of a diagnosis.
pub(crate) struct Advice {
    pub fixed_by: FixedBy,
    pub explanation: &'static str,
    pub next_steps: &'static [&'static str],
}

/// The advice for a cause; `detail` picks a more precise text where one exists.
pub(crate) fn advise(cause: Cause, detail: Option<&str>) -> Advice {
    use Cause::*;
    use FixedBy::*;
    let (fixed_by, explanation, next_steps): (FixedBy, &'static str, &'static [&'static str]) = match (cause, detail) {
        (AdminConsentRequired, Some("risky_app")) => (
            ItAdmin,
            "Microsoft flagged this app as risky, so only an administrator of your organization can allow it.",
            &[
                "Send your IT admin the admin-consent link and the details below.",
                "Once they have granted access, the app notices by itself; or press Check again.",
            ],
        ),
        (AdminConsentRequired, Some("consent_not_granted")) => (
            Recruiter,
            "Nobody has agreed yet to let the app use these permissions for your account.",
            &[
                "Connect again and accept the permissions on Microsoft's page.",
                "If Microsoft shows \"Need admin approval\", send your IT admin the admin-consent link.",
            ],
        ),
        (AdminConsentRequired, Some("signed_in_account_not_admin")) => (
            ItAdmin,
            "The account that tried to grant access for the organization is not allowed to: it takes one of the roles Privileged Role Administrator, Cloud Application Administrator, Application Administrator or Global Administrator.",
            &[
                "Sign in with an account that holds one of those roles and grant access again.",
                "Or send the admin-consent link to someone who holds one.",
            ],
        ),
        (AdminConsentRequired, _) => (
            ItAdmin,
            "Your organization does not let users approve apps like this one themselves: an administrator has to grant access once for everyone (Microsoft's \"Need admin approval\" page).",
            &[
                "Send your IT admin the admin-consent link for your organization, with the details below.",
                "Or, if you have an admin account, choose \"Have an admin account? Grant access for your organization\".",
                "Once access is granted, the app notices by itself; or press Check again.",
            ],
        ),
        (AdminApprovalRequestPossible, _) => (
            ItAdmin,
            "Your organization requires an administrator's approval for this app, and lets you ask for it from Microsoft's \"Approval required\" page.",
            &[
                "On Microsoft's \"Approval required\" page, write why you need the app (e.g. \"to email candidates from our recruiting product\") and press Request approval.",
                "Your IT admin reviews it under Enterprise applications > Admin consent requests; you get an email when it is decided.",
                "Leave the app open or come back later: it notices the approval by itself.",
            ],
        ),
        (UserDeclined, Some("cancelled")) => (
            Recruiter,
            "The sign-in was cancelled before it finished.",
            &["Press Connect Outlook to try again, and accept the permissions when Microsoft asks."],
        ),
        (UserDeclined, Some("admin_cancelled")) => (
            ItAdmin,
            "The administrator cancelled the organization-wide approval.",
            &["Open the admin-consent link again and press Accept to grant access for the organization."],
        ),
        (UserDeclined, _) => (
            Recruiter,
            "The permissions were declined on Microsoft's page, so the app cannot use your mailbox.",
            &["Press Connect Outlook again and accept the permissions; each one is explained on the first screen."],
        ),
        (UserNotAssigned, _) => (
            ItAdmin,
            "Your organization only lets assigned people use this app, and your account is not assigned to it.",
            &[
                "Ask your IT admin to assign you (or a group you are in) to the app under Enterprise applications > the app > Users and groups.",
                "Then press Check again.",
            ],
        ),
        (ConditionalAccessBlocked, _) => (
            ItAdmin,
            "A security policy of your organization (Conditional Access) blocked this sign-in.",
            &[
                "Send your IT admin the details below: with the time and the correlation id they find the policy in the sign-in logs (Conditional Access tab).",
                "They can exclude the app or meet the policy's requirement (for example a compliant device).",
            ],
        ),
        (MfaRequired, Some("mfa_registration_required")) => (
            Recruiter,
            "Your organization requires multifactor authentication and your account has not set it up yet.",
            &["Press Connect Outlook and follow Microsoft's steps to register a sign-in method (e.g. the Authenticator app)."],
        ),
        (MfaRequired, _) => (
            Recruiter,
            "Your organization requires an extra verification step (multifactor authentication) for this sign-in.",
            &["Press Connect Outlook and complete the verification in the browser."],
        ),
        (AppNotFoundInTenant, Some("app_disabled")) => (
            ItAdmin,
            "The app is disabled in your organization, so nobody can sign in to it.",
            &["Ask your IT admin to turn \"Enabled for users to sign in\" back on under Enterprise applications > the app > Properties, then press Check again."],
        ),
        (AppNotFoundInTenant, _) => (
            Vendor,
            "Microsoft does not know this app in the organization it was asked about: a wrong app id, a wrong tenant or cloud, or the app was deleted there.",
            &[
                "Check that you sign in with your work account and the right organization.",
                "If it persists, send the details below to the recruiting product's support; an IT admin can also restore a deleted app under Enterprise applications > Deleted applications.",
            ],
        ),
        (WrongAccountType, Some("personal_account")) | (WrongAccountType, Some("personal_account_not_supported")) => (
            Recruiter,
            "That is a personal Microsoft account; the recruiting product needs your work (Microsoft 365) account.",
            &["Press Connect Outlook and choose \"Use another account\", then sign in with your work email address."],
        ),
        (WrongAccountType, _) => (
            Recruiter,
            "The account you signed in with does not belong to the organization the app asked about.",
            &[
                "Press Connect Outlook and sign in with your work account of the right organization.",
                "If you are a guest in that organization, ask its IT to invite your account first.",
            ],
        ),
        (RedirectUriMismatch, _) => (
            Vendor,
            "The app's registration at Microsoft does not list the address Microsoft sends you back to (http://localhost under \"Mobile and desktop applications\").",
            &["Send the details below to the recruiting product's support: their app registration needs the redirect URI http://localhost as a Mobile and desktop platform."],
        ),
        (PkceOrClientConfigError, Some("claims_mapping")) => (
            ItAdmin,
            "The app's claims settings in your organization (its single sign-on attributes and claims) are misconfigured.",
            &["Ask your IT admin to check the app's claims mapping under Enterprise applications > the app > Single sign-on, with the details below."],
        ),
        (PkceOrClientConfigError, _) => (
            Vendor,
            "The app's sign-in request or its registration is misconfigured; this is not something you can fix.",
            &["Send the details below to the recruiting product's support."],
        ),
        (InvalidOrExpiredGrant, _) => (
            Recruiter,
            "Your saved sign-in has expired or was revoked (for example after a password change, inactivity, or a security policy).",
            &["Press Reconnect and sign in again; your settings are kept."],
        ),
        (MailboxNotExchangeOnline, Some("mailbox_not_found" | "no_mailbox")) => (
            ItAdmin,
            "Microsoft found no Exchange Online mailbox for this account: it has no Exchange Online licence, or it is not the account of your mailbox.",
            &[
                "Check that you signed in with the work account of your own mailbox.",
                "If you did, ask your IT admin to give the account an Exchange Online licence (a mailbox appears within an hour or so).",
            ],
        ),
        (MailboxNotExchangeOnline, _) => (
            ItAdmin,
            "Your mailbox is not in Exchange Online (it is on-premises, unlicensed or inactive), and the recruiting product only works with Microsoft 365 mailboxes.",
            &["Ask your IT admin whether your mailbox is hosted in Exchange Online and licensed; hybrid and on-premises mailboxes are not supported."],
        ),
        (InsufficientPermissions, Some("directory_privileges")) => (
            ItAdmin,
            "The signed-in account lacks the privileges Microsoft requires to read or change these organization settings.",
            &["Sign in with an account that holds the role named on the screen, or ask your IT admin to run the check."],
        ),
        (InsufficientPermissions, Some("mailbox_policy")) => (
            ItAdmin,
            "Your organization's Exchange Online settings turn off API access to your mailbox.",
            &["Ask your Exchange Online admin to allow REST (Microsoft Graph) access for your mailbox, or to lift the application access policy that blocks the app."],
        ),
        (InsufficientPermissions, _) => (
            ItAdmin,
            "Microsoft refused a call the app needs: a permission is missing, or a mailbox policy blocks the app.",
            &[
                "Press Check again after reconnecting with every permission accepted.",
                "If it persists, ask your IT admin whether an Exchange application access policy blocks the app.",
            ],
        ),
        (Throttled, Some("mailbox_concurrency" | "too_many_objects_opened")) => (
            Recruiter,
            "Too many apps or connections use your mailbox at the same time, so Exchange Online refuses more for now.",
            &["Close other tools that sync your mailbox, wait a few minutes and press Check again; the app also retries by itself."],
        ),
        (Throttled, Some("loop_detected")) => (
            Vendor,
            "The app asked Microsoft for sign-ins too often in a short time, so Microsoft stopped answering it for a while.",
            &["Wait a few minutes and try again. If it persists, send the details below to the recruiting product's support."],
        ),
        (Throttled, _) => (
            Recruiter,
            "Microsoft is limiting how fast requests are accepted right now.",
            &["Wait a minute and press Check again; the app also retries by itself."],
        ),
        (TransientServiceError, Some("mailbox_move_in_progress" | "mailbox_info_stale")) => (
            Recruiter,
            "Your mailbox is being moved or updated at Microsoft, so it cannot be reached for now.",
            &["Try again in an hour or so. If it lasts more than a day, ask your IT admin about the mailbox move."],
        ),
        (TransientServiceError, _) => (
            Recruiter,
            "Microsoft had a temporary problem.",
            &["Try again in a few minutes. If it persists, send the details below to support."],
        ),
        (DeviceOrPlatformNotAllowed, _) => (
            ItAdmin,
            "Your organization only allows sign-ins from approved devices, platforms or apps, and this sign-in did not come from one.",
            &[
                "Sign in from a device your organization manages (enrolled, compliant or joined), if you have one.",
                "Otherwise send your IT admin the details below: they find the requirement in the sign-in logs and can register your device or exclude the app.",
            ],
        ),
        (AccountLockedOrDisabled, _) => (
            ItAdmin,
            "Your account is locked, disabled or blocked for a security risk, so Microsoft does not let it sign in.",
            &["Ask your IT admin to unlock or re-enable the account (or to clear its risk), then connect again."],
        ),
        (PasswordExpired, Some("password_change_failed")) => (
            ItAdmin,
            "Your password could not be changed: your organization's password service refused or failed.",
            &["Ask your IT admin to reset your password, then connect again with the new one."],
        ),
        (PasswordExpired, _) => (
            Recruiter,
            "Your password has expired or has to be changed before you can sign in.",
            &["Press Connect Outlook and change your password when Microsoft asks (or through your organization's password reset), then sign in with the new one."],
        ),
        (InvalidCredentials, _) => (
            Recruiter,
            "The user name or password (or other sign-in credential) was not right.",
            &["Press Connect Outlook and sign in again, checking your work email address and password."],
        ),
        (ClockSkew, Some("agent_time_skew")) => (
            ItAdmin,
            "The clocks of your organization's authentication agent and its directory are out of step, so your password could not be checked.",
            &["Ask your IT admin to fix the time synchronization of the pass-through authentication agent's server."],
        ),
        (ClockSkew, _) => (
            Recruiter,
            "A sign-in token was outside its valid time, which usually means this computer's clock is wrong.",
            &["Set your computer's clock to set the time automatically, then press Connect Outlook again."],
        ),
        (WrongEndpointOrProtocol, _) => (
            Vendor,
            "The app talked to Microsoft's sign-in service at the wrong address or in an unsupported way (endpoint, protocol version or security settings).",
            &["Send the details below to the recruiting product's support."],
        ),
        (TenantNotFound, _) => (
            Recruiter,
            "Microsoft knows no organization by that name: the email domain may be mistyped, or your organization does not use Microsoft 365 under it.",
            &["Check the work email address you typed and press Connect Outlook again; ask your IT admin which Microsoft 365 account to use."],
        ),
        (ServicePrincipalMissing, _) => (
            ItAdmin,
            "A Microsoft service the app needs (or the app itself) is not set up in your organization.",
            &["Ask your IT admin to check that your organization has Exchange Online and Microsoft Graph, and to grant the app access once (the admin-consent link) so it is added to the organization."],
        ),
        (IdentityProviderError, _) => (
            ItAdmin,
            "Your organization's own sign-in system (its federation server, pass-through agent or single sign-on) failed this sign-in.",
            &["Send your IT admin the details below: the failure is in their identity setup, not in the app."],
        ),
        (Other, _) => (
            Recruiter,
            "Microsoft stopped the connection for a reason the app does not recognize.",
            &[
                "Try Connect Outlook once more.",
                "If it fails again, copy the diagnostic report and send it to your IT admin or the product's support.",
            ],
        ),
    };
    Advice {
        fixed_by,
        explanation,
        next_steps,
    }
}
