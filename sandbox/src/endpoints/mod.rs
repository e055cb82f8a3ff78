//! Entra endpoints: discovery and keys, authorize, token.

pub mod authorize;
pub mod discovery;
pub mod token;

use axum::response::Response;

use crate::aadsts::AadError;
use crate::context::Sandbox;
use crate::seed::{Tenant, User};

/// What a `{tenant}` path segment allows (docs/entra-reference.md §1.1).
#[derive(Debug, Clone, Copy)]
pub enum Authority<'a> {
    /// `common`: work or school accounts and personal Microsoft accounts.
    Common,
    /// `organizations`: any work or school account.
    AnyOrganization,
    /// `consumers`: personal Microsoft accounts only.
    Consumers,
    /// One tenant, named by GUID or verified domain.
    Tenant(&'a Tenant),
}

impl<'a> Authority<'a> {
    /// Resolves a `{tenant}` segment; unknown tenants are AADSTS90002.
    pub fn resolve(sb: &'a Sandbox, name: &str) -> Result<Self, AadError> {
        if name.eq_ignore_ascii_case("common") {
            Ok(Self::Common)
        } else if name.eq_ignore_ascii_case("organizations") {
            Ok(Self::AnyOrganization)
        } else if name.eq_ignore_ascii_case("consumers") {
            Ok(Self::Consumers)
        } else {
            sb.seed
                .tenant(name)
                .map(Self::Tenant)
                .ok_or_else(|| AadError::tenant_not_found(name))
        }
    }

    /// Whether a user of `tenant` may sign in here.
    pub fn admits(&self, tenant: &Tenant) -> bool {
        match self {
            Self::Common => true,
            Self::AnyOrganization => !tenant.is_personal(),
            Self::Consumers => tenant.is_personal(),
            Self::Tenant(t) => t.id == tenant.id,
        }
    }

    /// Finds a signed-in account this authority admits, by tenant and user id.
    pub fn account(
        &self,
        sb: &'a Sandbox,
        tenant_id: &str,
        user_id: &str,
    ) -> Option<(&'a Tenant, &'a User)> {
        sb.seed
            .user(tenant_id, user_id)
            .filter(|(t, _)| self.admits(t))
    }
}

/// The 405 answer of Entra endpoints, in the token error shape (docs/entra-reference.md §1.7).
pub fn method_not_allowed(sb: &Sandbox, expected: &str, got: &axum::http::Method) -> Response {
    AadError::method_not_allowed(expected, got.as_str()).json(sb.clock.now())
}
