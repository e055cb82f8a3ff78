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
        (MailboxNotExchangeOnline, _) => (
            ItAdmin,
            "Your mailbox is not in Exchange Online (it is on-premises, unlicensed or inactive), and the recruiting product only works with Microsoft 365 mailboxes.",
            &["Ask your IT admin whether your mailbox is hosted in Exchange Online and licensed; hybrid and on-premises mailboxes are not supported."],
        ),
        (InsufficientPermissions, _) => (
            ItAdmin,
            "Microsoft refused a call the app needs: a permission is missing, or a mailbox policy blocks the app.",
            &[
                "Press Check again after reconnecting with every permission accepted.",
                "If it persists, ask your IT admin whether an Exchange application access policy blocks the app.",
            ],
        ),
        (Throttled, _) => (
            Recruiter,
            "Microsoft is limiting how fast requests are accepted right now.",
            &["Wait a minute and press Check again; the app also retries by itself."],
        ),
        (TransientServiceError, _) => (
            Recruiter,
            "Microsoft had a temporary problem.",
            &["Try again in a few minutes. If it persists, send the details below to support."],
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
