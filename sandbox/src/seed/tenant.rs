//! Tenants (directories) and the tenant-wide policies that decide consent and Conditional Access.

use serde::{Deserialize, Serialize};

use super::{ServicePrincipal, User, PERSONAL_TENANT_ID};

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
    /// `authorizationPolicy` (docs/entra-reference.md §6.1, §4.1).
    #[serde(default)]
    pub authorization_policy: AuthorizationPolicy,
    /// `adminConsentRequestPolicy` (docs/entra-reference.md §4, §6.2).
    #[serde(default)]
    pub admin_consent_request_policy: AdminConsentRequestPolicy,
    /// Service principals of third-party apps in this tenant.
    #[serde(default)]
    pub service_principals: Vec<ServicePrincipal>,
    /// Conditional Access policies (docs/entra-reference.md §6.8).
    #[serde(default)]
    pub conditional_access_policies: Vec<ConditionalAccessPolicy>,
    /// Delegated permission classifications on Microsoft Graph (docs/entra-reference.md §6.7).
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

    /// Whether this is the tenant of personal Microsoft accounts (docs/entra-reference.md §1.1).
    pub fn is_personal(&self) -> bool {
        self.id == PERSONAL_TENANT_ID
    }

    /// The classification of a delegated Graph permission in this tenant, if any (docs/entra-reference.md §6.7).
    pub fn classification(&self, permission: &str) -> Option<&str> {
        self.delegated_permission_classifications
            .iter()
            .find(|c| c.permission.eq_ignore_ascii_case(permission))
            .map(|c| c.classification.as_str())
    }
}

/// What `permissionGrantPoliciesAssigned` lets users consent to (docs/entra-reference.md §4.1).
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
    /// `defaultUserRolePermissions.permissionGrantPoliciesAssigned` (docs/entra-reference.md §4.1); empty = user consent off.
    #[serde(default)]
    pub permission_grant_policies_assigned: Vec<String>,
    /// `allowUserConsentForRiskyApps` (default false, docs/entra-reference.md §4).
    #[serde(default)]
    pub allow_user_consent_for_risky_apps: bool,
}

impl AuthorizationPolicy {
    /// The user consent setting these policy ids select (compared case-insensitively, docs/entra-reference.md §4.1).
    /// Custom policies are not modelled and count as "Do not allow user consent".
    pub fn user_consent(&self) -> UserConsent {
        let assigned = |id: &str| {
            self.permission_grant_policies_assigned
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&format!("ManagePermissionGrantsForSelf.{id}")))
        };
        // The Microsoft-managed policy's 2025 exclusions are UNCONFIRMED (docs/entra-reference.md §4.1): treated as legacy.
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
    /// Microsoft's historical default: "Allow user consent for apps" (docs/entra-reference.md §4.1).
    fn default() -> Self {
        Self {
            permission_grant_policies_assigned: vec![
                "ManagePermissionGrantsForSelf.microsoft-user-default-legacy".to_owned(),
            ],
            allow_user_consent_for_risky_apps: false,
        }
    }
}

/// The admin consent workflow settings (docs/entra-reference.md §4, §6.2).
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

/// A Conditional Access policy (docs/entra-reference.md §6.8), reduced to what the sandbox models.
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

/// A delegated permission classification (docs/entra-reference.md §6.7).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PermissionClassification {
    /// Scope name, e.g. `User.Read`.
    pub permission: String,
    /// `low`, `medium` or `high`.
    pub classification: String,
}
