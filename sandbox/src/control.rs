//! Test hooks on a running sandbox.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::consent::consent_scopes;
use crate::context::Sandbox;
use crate::directory::service_principal;
use crate::scopes::ScopeSet;
use crate::seed::ServicePrincipal;
use crate::state::{ConsentRequest, ConsentType, Grant, RequestStatus};

/// Handle for tests and the app's sandbox mode to inspect and steer a running sandbox.
#[derive(Debug, Clone)]
pub struct SandboxControl {
    sandbox: Arc<Sandbox>,
}

impl SandboxControl {
    pub(crate) fn new(sandbox: Arc<Sandbox>) -> Self {
        Self { sandbox }
    }

    /// How many HTTP requests the sandbox has answered since it started.
    pub fn requests_served(&self) -> u64 {
        self.sandbox
            .requests
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Moves sandbox time forward (codes, tokens and refresh tokens expire by it).
    pub fn advance_clock(&self, by: Duration) {
        self.sandbox.clock.advance(by);
    }

    /// Revokes every refresh token of a user ("revoke sessions", docs/entra-reference.md §1.8); false if no such user.
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

    /// The admin consent requests of a tenant (by GUID or domain), as the workflow stored them.
    pub fn consent_requests(&self, tenant: &str) -> Vec<ConsentRequest> {
        match self.sandbox.seed.tenant(tenant) {
            Some(t) => self.sandbox.store.consent_requests(&t.id),
            None => Vec::new(),
        }
    }

    /// Acts like an admin approving the app's pending request in the portal: grants its pending
    /// scopes tenant-wide (`AllPrincipals`) and completes the open requests. False when the app
    /// has no request in progress there.
    pub fn approve_consent_request(&self, tenant: &str, app_id: &str) -> bool {
        let Some(t) = self.sandbox.seed.tenant(tenant) else {
            return false;
        };
        let now = self.sandbox.clock.now();
        let Some(request) = self
            .sandbox
            .store
            .consent_requests(&t.id)
            .into_iter()
            .find(|r| {
                r.app_id.eq_ignore_ascii_case(app_id)
                    && r.user_requests
                        .iter()
                        .any(|u| u.status(now) == RequestStatus::InProgress)
            })
        else {
            return false;
        };
        self.sandbox.store.add_grant(Grant {
            tenant_id: t.id.clone(),
            client_id: request.app_id.clone(),
            consent_type: ConsentType::AllPrincipals,
            principal_id: None,
            scopes: consent_scopes(&ScopeSet(request.pending_scopes)),
        });
        self.sandbox
            .store
            .complete_consent_requests(&t.id, &request.app_id, now);
        true
    }

    /// The app's service principal in a tenant, once it exists there (seeded, or created by the
    /// first sign-in attempt).
    pub fn service_principal(&self, tenant: &str, app_id: &str) -> Option<ServicePrincipal> {
        let t = self.sandbox.seed.tenant(tenant)?;
        service_principal(&self.sandbox, t, app_id)
    }
}
