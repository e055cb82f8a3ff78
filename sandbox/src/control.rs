//! Test hooks on a running sandbox.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::context::Sandbox;
use crate::state::Grant;

/// Handle for tests and the app's sandbox mode to inspect and steer a running sandbox.
#[derive(Debug, Clone)]
pub struct SandboxControl {
    sandbox: Arc<Sandbox>,
}

impl SandboxControl {
    pub(crate) fn new(sandbox: Arc<Sandbox>) -> Self {
        Self { sandbox }
    }

    /// Moves sandbox time forward (codes, tokens and refresh tokens expire by it).
    pub fn advance_clock(&self, by: Duration) {
        self.sandbox.clock.advance(by);
    }

    /// Revokes every refresh token of a user ("revoke sessions", ref §1.8); false if no such user.
    pub fn revoke_refresh_tokens(&self, upn: &str) -> bool {
        match self.sandbox.seed.user_by_upn(upn) {
            Some((_, user)) => {
                self.sandbox
                    .store
                    .revoke_user(&user.id, self.sandbox.clock.now());
                true
            }
            None => false,
        }
    }

    /// The delegated permission grants of a tenant (by GUID or domain).
    pub fn grants(&self, tenant: &str) -> Vec<Grant> {
        match self.sandbox.seed.tenant(tenant) {
            Some(t) => self.sandbox.store.grants(&t.id),
            None => Vec::new(),
        }
    }

    /// A user's Sent Items as Graph message JSON, newest first.
    pub fn sent_items(&self, upn: &str) -> Vec<Value> {
        match self.sandbox.seed.user_by_upn(upn) {
            Some((_, user)) => self.sandbox.store.sent_items(&user.id),
            None => Vec::new(),
        }
    }
}
