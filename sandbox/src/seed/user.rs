//! Users of a tenant: sign-in name, password, mailbox, directory roles, calendar.

use serde::{Deserialize, Serialize};

/// Directory roles that may grant tenant-wide consent to delegated permissions (docs/entra-reference.md §3.2).
const CONSENT_ADMIN_ROLES: [&str; 4] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "Cloud Application Administrator",
    "Application Administrator",
];

/// Where a user's mailbox lives (docs/entra-reference.md §7, MailboxNotEnabledForRESTAPI).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum MailboxKind {
    /// A Microsoft 365 (Exchange Online) mailbox: Graph mail and calendar work.
    #[default]
    ExchangeOnline,
    /// Hosted on an on-premises Exchange server: Graph answers 404.
    OnPremises,
    /// No mailbox (no licence).
    None,
}

/// A user of a tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct User {
    /// Object id (`oid`, Graph `user.id`).
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Given name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Surname.
    #[serde(default)]
    pub surname: Option<String>,
    /// Sign-in name; also the mail address unless `mail` says otherwise.
    pub user_principal_name: String,
    /// The SMTP address (Graph `user.mail`), when it is not the UPN: Graph documents the two as
    /// separate properties (G api-reference/v1.0/resources/user.md: `mail` "The SMTP address for
    /// the user", `userPrincipalName` "The user principal name (UPN) of the user").
    #[serde(default)]
    pub mail: Option<String>,
    /// Password (the sandbox's only credential).
    pub password: String,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Whether sign-in is allowed.
    #[serde(default = "super::yes")]
    pub account_enabled: bool,
    /// Where the mailbox lives.
    #[serde(default)]
    pub mailbox: MailboxKind,
    /// Directory role display names, e.g. `Global Administrator`.
    #[serde(default)]
    pub directory_roles: Vec<String>,
    /// Calendar events present at start.
    #[serde(default)]
    pub events: Vec<SeedEvent>,
}

impl User {
    /// The SMTP address: `mail`, else the UPN.
    pub fn mail_address(&self) -> &str {
        self.mail.as_deref().unwrap_or(&self.user_principal_name)
    }

    /// Whether the user may grant tenant-wide (admin) consent.
    pub fn is_global_admin(&self) -> bool {
        self.directory_roles
            .iter()
            .any(|r| r.eq_ignore_ascii_case("Global Administrator"))
    }

    /// Whether the user holds one of these directory roles (display names, case-insensitive).
    pub fn has_role(&self, any_of: &[&str]) -> bool {
        self.directory_roles
            .iter()
            .any(|r| any_of.iter().any(|want| r.eq_ignore_ascii_case(want)))
    }

    /// Whether the user may grant tenant-wide consent to delegated permissions (docs/entra-reference.md §3.2).
    pub fn is_consent_admin(&self) -> bool {
        self.has_role(&CONSENT_ADMIN_ROLES)
    }
}

/// A calendar event in the seed (UTC times, `yyyy-MM-ddTHH:mm:ss`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SeedEvent {
    /// Subject line.
    pub subject: String,
    /// Start (UTC).
    pub start: String,
    /// End (UTC).
    pub end: String,
}
