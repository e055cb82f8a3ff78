//! The seed: tenants, users, app registrations and tenant policies, loaded from TOML.
//!
//! The policies here drive the consent engine ([`crate::consent`]) and Conditional Access
//! ([`crate::conditional_access`]).

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::SandboxError;

pub mod presets;

/// The bundled default seed (`seed/default.toml`), whose values sandbox/README.md documents.
pub const DEFAULT_SEED_TOML: &str = include_str!("../seed/default.toml");

/// Fixed values of the default seed, for tests and the app's sandbox mode.
pub mod defaults {
    /// The sandbox tenant's id ("Contoso Recruiting (sandbox)").
    pub const TENANT_ID: &str = "3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61";
    /// The sandbox tenant's default verified domain.
    pub const TENANT_DOMAIN: &str = "contoso-recruiting.example";
    /// The sandbox tenant's initial (onmicrosoft) domain.
    pub const TENANT_ONMICROSOFT_DOMAIN: &str = "contosorecruiting.onmicrosoft.com";
    /// The vendor app ("Acme Recruit") client id.
    pub const CLIENT_ID: &str = "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69";
    /// The vendor app's registered redirect URI (Mobile and desktop applications).
    pub const REDIRECT_URI: &str = "http://localhost";
    /// The vendor's separate admin app ("Acme Recruit Admin") client id: a profile's
    /// `admin_client_id`.
    pub const ADMIN_CLIENT_ID: &str = "4c1d7e2b-8a3f-4b6c-9d5e-2f0a1b3c4d5e";
    /// The vendor's home tenant id ("Acme Recruit (vendor)").
    pub const VENDOR_TENANT_ID: &str = "0b9e4d2a-6c13-4f7e-8a5b-2d1c9e8f7a36";
    /// The recruiter's user principal name (Exchange Online mailbox).
    pub const RECRUITER_UPN: &str = "riley@contoso-recruiting.example";
    /// The recruiter's password.
    pub const RECRUITER_PASSWORD: &str = "Recruit-2026!";
    /// The Global Administrator's user principal name.
    pub const ADMIN_UPN: &str = "alex.admin@contoso-recruiting.example";
    /// The Global Administrator's password.
    pub const ADMIN_PASSWORD: &str = "Admin-2026!";
}

/// The tenant id personal Microsoft accounts carry in `tid` (ref §1.1).
pub const PERSONAL_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// Directory roles that may grant tenant-wide consent to delegated permissions (ref §3.2).
const CONSENT_ADMIN_ROLES: [&str; 4] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "Cloud Application Administrator",
    "Application Administrator",
];

/// Everything the sandbox starts from.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Seed {
    /// App registrations (application objects), by client id.
    #[serde(default)]
    pub applications: Vec<Application>,
    /// Tenants (directories).
    #[serde(default)]
    pub tenants: Vec<Tenant>,
}

/// An app registration (the application object in its home tenant).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Application {
    /// Application (client) id.
    pub app_id: String,
    /// Display name shown on the consent page.
    pub display_name: String,
    /// Publisher display name.
    #[serde(default)]
    pub publisher_name: String,
    /// Whether the publisher is verified (blue badge).
    #[serde(default)]
    pub publisher_verified: bool,
    /// Microsoft Partner Network id of the verified publisher.
    #[serde(default)]
    pub publisher_id: Option<String>,
    /// The tenant the application object lives in.
    pub home_tenant_id: String,
    /// `AzureADMyOrg` (single tenant) or `AzureADMultipleOrgs` (multi-tenant).
    #[serde(default = "multiple_orgs")]
    pub sign_in_audience: String,
    /// Whether Microsoft considers the app risky (ref §4, risk-based step-up consent).
    #[serde(default)]
    pub risky: bool,
    /// Statically configured delegated permissions, what `/.default` requests.
    #[serde(default)]
    pub required_scopes: Vec<String>,
    /// Registered redirect URIs with their platform.
    #[serde(default)]
    pub redirect_uris: Vec<RedirectUri>,
}

fn multiple_orgs() -> String {
    "AzureADMultipleOrgs".to_owned()
}

impl Application {
    /// Whether the app may be used from tenants other than its home tenant.
    pub fn is_multi_tenant(&self) -> bool {
        self.sign_in_audience != "AzureADMyOrg"
    }

    /// Whether personal Microsoft accounts may sign in (`AzureADandPersonalMicrosoftAccount`).
    pub fn accepts_personal_accounts(&self) -> bool {
        self.sign_in_audience == "AzureADandPersonalMicrosoftAccount"
            || self.sign_in_audience == "PersonalMicrosoftAccount"
    }

    /// Whether the app signs in as a public client somewhere: it has a "Mobile and desktop"
    /// redirect URI (ref §2). Its refresh tokens are redeemed without a secret.
    pub fn is_public_client(&self) -> bool {
        self.redirect_uris
            .iter()
            .any(|r| r.platform == Platform::MobileDesktop)
    }

    /// Whether a request with this redirect URI is a public client's: the redirect URI's own
    /// platform decides, so one registration can hold a desktop app's loopback URI and a web
    /// page's (E:docs/identity-platform/reply-url.md, "Localhost exceptions": the login server
    /// "uses the behavior associated with that redirect URI (for example, whether it's a web,
    /// native, or spa-type redirect)"; ref §1.5: AADSTS7000218 is the symptom of a redirect URI
    /// registered under Web).
    pub fn is_public_client_redirect(&self, redirect_uri: &str) -> bool {
        url::Url::parse(redirect_uri).is_ok_and(|url| {
            self.redirect_uris.iter().any(|r| {
                r.platform == Platform::MobileDesktop && crate::redirect::matches(&r.uri, &url)
            })
        })
    }
}

/// One registered redirect URI.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RedirectUri {
    /// The URI as registered.
    pub uri: String,
    /// Which portal platform it was registered under.
    pub platform: Platform,
}

/// Redirect URI platform (`replyUrlsWithType` type, ref §2).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// "Mobile and desktop applications" (`InstalledClient`): a public client.
    MobileDesktop,
    /// "Web": a confidential client.
    Web,
    /// "Single-page application".
    Spa,
}

/// A tenant (directory).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tenant {
    /// Tenant GUID.
    pub id: String,
    /// Organisation display name.
    pub display_name: String,
    /// Verified domains; the first is the default.
    #[serde(default)]
    pub domains: Vec<String>,
    /// `authorizationPolicy` (ref §6.1, §4.1).
    #[serde(default)]
    pub authorization_policy: AuthorizationPolicy,
    /// `adminConsentRequestPolicy` (ref §4, §6.2).
    #[serde(default)]
    pub admin_consent_request_policy: AdminConsentRequestPolicy,
    /// Service principals of third-party apps in this tenant.
    #[serde(default)]
    pub service_principals: Vec<ServicePrincipal>,
    /// Conditional Access policies (ref §6.8).
    #[serde(default)]
    pub conditional_access_policies: Vec<ConditionalAccessPolicy>,
    /// Delegated permission classifications on Microsoft Graph (ref §6.7).
    #[serde(default)]
    pub delegated_permission_classifications: Vec<PermissionClassification>,
    /// Users of this tenant.
    #[serde(default)]
    pub users: Vec<User>,
}

impl Tenant {
    /// Whether `name` is this tenant's GUID or one of its verified domains (case-insensitive).
    pub fn answers_to(&self, name: &str) -> bool {
        self.id.eq_ignore_ascii_case(name)
            || self.domains.iter().any(|d| d.eq_ignore_ascii_case(name))
    }

    /// Whether this is the tenant of personal Microsoft accounts (ref §1.1).
    pub fn is_personal(&self) -> bool {
        self.id == PERSONAL_TENANT_ID
    }

    /// The classification of a delegated Graph permission in this tenant, if any (ref §6.7).
    pub fn classification(&self, permission: &str) -> Option<&str> {
        self.delegated_permission_classifications
            .iter()
            .find(|c| c.permission.eq_ignore_ascii_case(permission))
            .map(|c| c.classification.as_str())
    }
}

/// What `permissionGrantPoliciesAssigned` lets users consent to (ref §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserConsent {
    /// No `ManagePermissionGrantsForSelf.*` entry: "Do not allow user consent".
    Disabled,
    /// `microsoft-user-default-legacy` (or `-recommended`): any permission not needing admin consent.
    AnyApp,
    /// `microsoft-user-default-low`: verified publishers (or own-tenant apps), low-impact permissions.
    LowImpactVerified,
}

/// The tenant's authorization policy: user consent settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuthorizationPolicy {
    /// `defaultUserRolePermissions.permissionGrantPoliciesAssigned` (ref §4.1); empty = user consent off.
    #[serde(default)]
    pub permission_grant_policies_assigned: Vec<String>,
    /// `allowUserConsentForRiskyApps` (default false, ref §4).
    #[serde(default)]
    pub allow_user_consent_for_risky_apps: bool,
}

impl AuthorizationPolicy {
    /// The user consent setting these policy ids select (compared case-insensitively, ref §4.1).
    /// Custom policies are not modelled and count as "Do not allow user consent".
    pub fn user_consent(&self) -> UserConsent {
        let assigned = |id: &str| {
            self.permission_grant_policies_assigned
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&format!("ManagePermissionGrantsForSelf.{id}")))
        };
        // The Microsoft-managed policy's 2025 exclusions are UNCONFIRMED (ref §4.1): treated as legacy.
        if assigned("microsoft-user-default-legacy")
            || assigned("microsoft-user-default-recommended")
        {
            UserConsent::AnyApp
        } else if assigned("microsoft-user-default-low") {
            UserConsent::LowImpactVerified
        } else {
            UserConsent::Disabled
        }
    }
}

impl Default for AuthorizationPolicy {
    /// Microsoft's historical default: "Allow user consent for apps" (ref §4.1).
    fn default() -> Self {
        Self {
            permission_grant_policies_assigned: vec![
                "ManagePermissionGrantsForSelf.microsoft-user-default-legacy".to_owned(),
            ],
            allow_user_consent_for_risky_apps: false,
        }
    }
}

/// The admin consent workflow settings (ref §4, §6.2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AdminConsentRequestPolicy {
    /// "Users can request admin consent to apps they are unable to consent to".
    #[serde(default)]
    pub is_enabled: bool,
    /// Reviewers (user ids or UPNs).
    #[serde(default)]
    pub reviewers: Vec<String>,
    /// Email reviewers on new requests.
    #[serde(default)]
    pub notify_reviewers: bool,
    /// Send expiry reminders.
    #[serde(default)]
    pub reminders_enabled: bool,
    /// Days until a request expires.
    #[serde(default = "thirty")]
    pub request_duration_in_days: u32,
    /// Graph `version`, raised by each update.
    #[serde(default)]
    pub version: u32,
}

fn thirty() -> u32 {
    30
}

impl Default for AdminConsentRequestPolicy {
    fn default() -> Self {
        Self {
            is_enabled: false,
            reviewers: Vec::new(),
            notify_reviewers: false,
            reminders_enabled: false,
            request_duration_in_days: thirty(),
            version: 0,
        }
    }
}

/// A third-party app's service principal (enterprise application) in a tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServicePrincipal {
    /// Object id of the service principal.
    pub id: String,
    /// The application (client) id it instantiates.
    pub app_id: String,
    /// "Enabled for users to sign in".
    #[serde(default = "yes")]
    pub account_enabled: bool,
    /// "Assignment required" (ref §4, AADSTS50105).
    #[serde(default)]
    pub app_role_assignment_required: bool,
    /// User ids assigned to the app.
    #[serde(default)]
    pub assigned_user_ids: Vec<String>,
    /// Whether Microsoft's risk-based step-up consent flags this app in this tenant (ref §4), as
    /// [`Application::risky`] does everywhere.
    #[serde(default)]
    pub risky: bool,
}

fn yes() -> bool {
    true
}

/// A Conditional Access policy (ref §6.8), reduced to what the sandbox models.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ConditionalAccessPolicy {
    /// Policy id.
    #[serde(default)]
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// `enabled`, `disabled` or `enabledForReportingButNotEnforced`.
    pub state: String,
    /// User ids, or `All`.
    #[serde(default)]
    pub include_users: Vec<String>,
    /// User ids excluded.
    #[serde(default)]
    pub exclude_users: Vec<String>,
    /// App ids, or `All`.
    #[serde(default)]
    pub include_applications: Vec<String>,
    /// Built-in grant controls, e.g. `block`, `mfa`.
    #[serde(default)]
    pub grant_controls: Vec<String>,
}

/// A delegated permission classification (ref §6.7).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PermissionClassification {
    /// Scope name, e.g. `User.Read`.
    pub permission: String,
    /// `low`, `medium` or `high`.
    pub classification: String,
}

/// Where a user's mailbox lives (ref §7, MailboxNotEnabledForRESTAPI).
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
    #[serde(default = "yes")]
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

    /// Whether the user may grant tenant-wide consent to delegated permissions (ref §3.2).
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

impl Seed {
    /// Parses a seed from TOML text.
    pub fn from_toml(text: &str) -> Result<Self, SandboxError> {
        toml::from_str(text).map_err(|e| SandboxError::Seed(e.to_string()))
    }

    /// Reads and parses a seed file.
    pub fn load(path: &Path) -> Result<Self, SandboxError> {
        let text = std::fs::read_to_string(path).map_err(|e| SandboxError::Io {
            path: path.to_owned(),
            source: e,
        })?;
        Self::from_toml(&text)
    }

    /// The bundled default seed.
    pub fn default_seed() -> Self {
        // The bundled file is part of the build and covered by a unit test, so it always parses.
        Self::from_toml(DEFAULT_SEED_TOML).unwrap_or(Seed {
            applications: Vec::new(),
            tenants: Vec::new(),
        })
    }

    /// The tenant a `{tenant}` path segment names (GUID or verified domain).
    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.answers_to(name))
    }

    /// The app registration with this client id.
    pub fn application(&self, client_id: &str) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.app_id.eq_ignore_ascii_case(client_id))
    }

    /// Finds a user by UPN across tenants, returning its tenant too.
    pub fn user_by_upn(&self, upn: &str) -> Option<(&Tenant, &User)> {
        self.tenants.iter().find_map(|t| {
            t.users
                .iter()
                .find(|u| u.user_principal_name.eq_ignore_ascii_case(upn))
                .map(|u| (t, u))
        })
    }

    /// Finds a user by object id within a tenant.
    pub fn user(&self, tenant_id: &str, user_id: &str) -> Option<(&Tenant, &User)> {
        let tenant = self.tenants.iter().find(|t| t.id == tenant_id)?;
        tenant
            .users
            .iter()
            .find(|u| u.id == user_id)
            .map(|u| (tenant, u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_seed_parses_with_readme_values() {
        let seed = Seed::from_toml(DEFAULT_SEED_TOML).expect("bundled seed parses");
        let tenant = seed
            .tenant(defaults::TENANT_DOMAIN)
            .expect("tenant by domain");
        assert_eq!(tenant.id, defaults::TENANT_ID);
        assert!(seed.tenant(defaults::TENANT_ONMICROSOFT_DOMAIN).is_some());
        let app = seed.application(defaults::CLIENT_ID).expect("vendor app");
        assert!(app.is_public_client() && app.is_multi_tenant());
        assert_eq!(app.home_tenant_id, defaults::VENDOR_TENANT_ID);
        let (_, admin) = seed.user_by_upn(defaults::ADMIN_UPN).expect("admin");
        assert!(admin.is_global_admin());
        assert_eq!(admin.password, defaults::ADMIN_PASSWORD);
        let (_, riley) = seed
            .user_by_upn(defaults::RECRUITER_UPN)
            .expect("recruiter");
        assert_eq!(riley.password, defaults::RECRUITER_PASSWORD);
        assert_eq!(riley.mailbox, MailboxKind::ExchangeOnline);
    }

    #[test]
    fn every_preset_user_exists_with_the_documented_password() {
        let seed = Seed::default_seed();
        let users = [
            presets::CONSENT_OFF_USER,
            presets::WORKFLOW_USER,
            presets::LOW_IMPACT_USER,
            presets::UNASSIGNED_USER,
            presets::ASSIGNED_USER,
            presets::CA_BLOCKED_USER,
            presets::CA_MFA_USER,
            presets::PERSONAL_USER,
            presets::APP_DISABLED_USER,
            presets::ON_PREMISES_USER,
            presets::NO_MAILBOX_USER,
            presets::RISKY_USER,
            presets::RISKY_WORKFLOW_USER,
        ];
        for upn in users {
            let (_, user) = seed.user_by_upn(upn).expect("preset user");
            assert_eq!(user.password, presets::USER_PASSWORD, "{upn}");
        }
        for upn in [
            presets::CONSENT_OFF_ADMIN,
            presets::WORKFLOW_ADMIN,
            presets::ASSIGNMENT_ADMIN,
            presets::CA_ADMIN,
        ] {
            let (_, admin) = seed.user_by_upn(upn).expect("preset admin");
            assert!(admin.is_global_admin() && admin.password == presets::ADMIN_PASSWORD);
        }
        let (tenant, _) = seed.user_by_upn(presets::PERSONAL_USER).expect("sam");
        assert!(tenant.is_personal());
    }
}
