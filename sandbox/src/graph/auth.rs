//! Bearer token checks for Graph: signature, lifetime, audience, user, and scopes (docs/entra-reference.md §7, §8).

use std::collections::BTreeSet;

use axum::http::{header, HeaderMap};

use super::error::GraphError;
use crate::context::Sandbox;
use crate::scopes::{GRAPH_APP_ID, GRAPH_RESOURCE};
use crate::seed::{MailboxKind, Tenant, User};

/// Directory roles that may read the consent and application configuration (docs/entra-reference.md §6.2, §6.6).
pub const READER_ROLES: [&str; 5] = [
    "Global Administrator",
    "Global Reader",
    "Privileged Role Administrator",
    "Cloud Application Administrator",
    "Application Administrator",
];
/// Directory roles that may change apps, assignments and grants (docs/entra-reference.md §3.2).
pub const WRITER_ROLES: [&str; 4] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "Cloud Application Administrator",
    "Application Administrator",
];

/// The signed-in user a valid token stands for.
#[derive(Debug)]
pub struct Caller<'a> {
    /// The user's tenant.
    pub tenant: &'a Tenant,
    /// The user.
    pub user: &'a User,
    /// `scp` of the token.
    pub scopes: BTreeSet<String>,
}

impl Caller<'_> {
    /// 403 unless the token carries one of `any_of`.
    pub fn require(&self, any_of: &[&str]) -> Result<(), GraphError> {
        if any_of.iter().any(|s| self.scopes.contains(*s)) {
            Ok(())
        } else {
            Err(GraphError::access_denied())
        }
    }

    /// 403 `Authorization_RequestDenied` unless the token carries one of `scopes` and the user holds
    /// one of `roles` (directory APIs check both, docs/entra-reference.md §6).
    pub fn require_admin(&self, scopes: &[&str], roles: &[&str]) -> Result<(), GraphError> {
        if scopes.iter().any(|s| self.scopes.contains(*s)) && self.user.has_role(roles) {
            Ok(())
        } else {
            Err(GraphError::insufficient_privileges())
        }
    }

    /// Whether the token carries this scope.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// 404 MailboxNotEnabledForRESTAPI unless the user has an Exchange Online mailbox (docs/entra-reference.md §7).
    pub fn mailbox(&self) -> Result<(), GraphError> {
        match self.user.mailbox {
            MailboxKind::ExchangeOnline => Ok(()),
            MailboxKind::OnPremises | MailboxKind::None => Err(GraphError::mailbox_not_enabled()),
        }
    }
}

/// Validates the `Authorization: Bearer` header.
pub fn authenticate<'a>(sb: &'a Sandbox, headers: &HeaderMap) -> Result<Caller<'a>, GraphError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim();
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .unwrap_or("")
        .trim();
    if token.is_empty() {
        return Err(GraphError::unauthenticated("Access token is empty."));
    }
    let claims = sb.signer.verify(token).map_err(|_| {
        GraphError::unauthenticated("CompactToken parsing failed with error code: 80049217")
    })?;
    let now = sb.clock.unix();
    let exp = claims["exp"].as_i64().unwrap_or(0);
    let nbf = claims["nbf"].as_i64().unwrap_or(0);
    if exp <= now || nbf > now + 300 {
        return Err(GraphError::unauthenticated(
            "Access token has expired or is not yet valid.",
        ));
    }
    let aud = claims["aud"].as_str().unwrap_or("");
    if aud != GRAPH_RESOURCE && aud != GRAPH_APP_ID {
        return Err(GraphError::unauthenticated(
            "Access token validation failure. Invalid audience.",
        ));
    }
    let (tenant, user) = sb
        .seed
        .user(
            claims["tid"].as_str().unwrap_or(""),
            claims["oid"].as_str().unwrap_or(""),
        )
        .ok_or_else(|| GraphError::unauthenticated("Access token validation failure."))?;
    let scopes = claims["scp"]
        .as_str()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok(Caller {
        tenant,
        user,
        scopes,
    })
}
