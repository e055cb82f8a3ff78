//! The seed: tenants, users, app registrations and tenant policies, loaded from TOML.
//!
//! The policies here drive the consent engine ([`crate::consent`]) and Conditional Access
//! ([`crate::conditional_access`]).

use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::error::SandboxError;

mod application;
pub mod presets;
mod tenant;
mod user;

pub use application::{Application, Platform, RedirectUri, ServicePrincipal};
pub use tenant::{
    AdminConsentRequestPolicy, AuthorizationPolicy, ConditionalAccessPolicy,
    PermissionClassification, Tenant, UserConsent,
};
pub use user::{MailboxKind, SeedEvent, User};

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

/// The tenant id personal Microsoft accounts carry in `tid` (docs/entra-reference.md §1.1).
pub const PERSONAL_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

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

fn yes() -> bool {
    true
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
