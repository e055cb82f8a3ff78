//! Advice for the causes of the app and its calls: its registration and grant, the mailbox,
//! Microsoft Graph's and Exchange's answers, the services the organization has.

use super::AdviceEntry;
use super::FixedBy::*;
use crate::diagnosis::cause::Cause::*;

/// A cause's advice for a detail comes before its advice for any detail.
pub(super) static ADVICE: &[AdviceEntry] = &[
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
        key: "pkce_or_client_config_error.code_verifier",
        cause: PkceOrClientConfigError,
        details: &["code_verifier"],
        fixed_by: Vendor,
        explanation: "The sign-in's one-time security check (PKCE) did not match when the app finished it; this happens when two sign-ins overlap or the app's registration expects another kind of app.",
        next_steps: &[
            "Close any other sign-in windows and press Connect Outlook once more.",
            "If it happens again, send the details below to the recruiting product's support.",
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
        key: "invalid_or_expired_grant.password_changed",
        cause: InvalidOrExpiredGrant,
        details: &["password_changed"],
        fixed_by: Recruiter,
        explanation: "Your password was changed or reset since you connected, so Microsoft ended the app's access.",
        next_steps: &[
            "Press Connect Outlook and sign in with your new password.",
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
        key: "mailbox_not_exchange_online.no_licence",
        cause: MailboxNotExchangeOnline,
        details: &["no_licence"],
        fixed_by: ItAdmin,
        explanation: "Your account has no Exchange Online mailbox, or no licence that includes one, so there is no mailbox to connect.",
        next_steps: &[
            "Ask your IT admin to assign you a licence that includes Exchange Online; the mailbox can take a few hours to appear.",
            "Then press Connect Outlook again.",
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
        key: "insufficient_permissions.send_as_denied",
        cause: InsufficientPermissions,
        details: &["send_as_denied"],
        fixed_by: ItAdmin,
        explanation: "Exchange refused to send mail from an address your account is not allowed to send as or on behalf of.",
        next_steps: &[
            "Send from your own address, or ask your IT admin to give your account Send As or Send on Behalf rights on the other mailbox.",
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
        key: "service_principal_missing.service_not_enabled",
        cause: ServicePrincipalMissing,
        details: &["service_not_enabled"],
        fixed_by: ItAdmin,
        explanation: "The app asked for a Microsoft service that your organization has not subscribed to or turned on (Microsoft names it in the details below).",
        next_steps: &[
            "Send your IT admin the details below: they can enable the service named there, or grant the app access once so that Microsoft sets it up for your organization.",
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
];
