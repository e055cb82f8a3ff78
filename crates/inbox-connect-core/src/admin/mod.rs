//! The IT admin's side, from the same app: grant the app's permissions for the organization
//! ([`grant_org_consent`]), sign in with a separate, read-only admin scope set and read the
//! organization's setup ([`sign_in`], [`read_tenant`]), turn it into a checklist with fixes
//! ([`evaluate`]; all three in one: [`verify`]), and make optional changes after an explicit
//! confirmation ([`begin_action`]).
//!
//! Nothing here touches the recruiter's connection or the keychain: admin tokens live in memory.

mod actions;
mod browser_trip;
mod checklist;
mod directory;
mod error;
mod grant;
mod pending;
mod portal;
mod roles;
mod scopes;
mod signin;
mod snapshot;
mod token;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use crate::error::ConnectError;
use crate::graph::{Graph, GraphError};
use crate::http::HttpClient;
use crate::profile::{Feature, Profile, TenantRef};
use crate::sign_in::browser::BrowserOpener;
use crate::words::Language;

pub use actions::{begin_action, ActionReport, AdminAction, Confirmed, Principal};
pub use checklist::{evaluate, Checklist, ChecklistItem, ItemId, Status};
pub use directory::read_tenant;
pub use error::AdminError;
pub use grant::{begin_grant, grant_org_consent, GrantOutcome};
pub use pending::AdminPending;
pub use portal::PortalLocation;
pub use roles::{AdminRole, RoleRequirement};
pub use scopes::AdminScopes;
pub use signin::{begin_sign_in, consent_box_note, sign_in, AdminSession};
pub use snapshot::{
    Assignment, AuthorizationPolicy, ConditionalAccessPolicy, ConsentRequestPolicy, DirectoryName,
    OrgGrant, PendingRequest, Reading, Reviewer, ServicePrincipal, TenantSnapshot,
};

/// What the admin path works with: the vendor profile, the browser and the HTTP client.
#[derive(Clone)]
pub struct AdminContext {
    profile: Profile,
    browser: Arc<dyn BrowserOpener>,
    http: HttpClient,
    timeout: Duration,
    /// The window's language, for the browser tab's closing pages (shared by the clones).
    language: Arc<Mutex<Language>>,
}

impl AdminContext {
    /// A context for this profile, opening links with `browser`; waits up to
    /// [`crate::DEFAULT_SIGN_IN_TIMEOUT`] for the browser.
    pub fn new(profile: Profile, browser: Arc<dyn BrowserOpener>) -> AdminContext {
        AdminContext {
            profile,
            browser,
            http: HttpClient::default(),
            timeout: crate::DEFAULT_SIGN_IN_TIMEOUT,
            language: Arc::default(),
        }
    }

    /// Uses this HTTP client (the app's proxy setting, say; share the recruiter's connector's).
    pub fn with_http(mut self, http: HttpClient) -> AdminContext {
        self.http = http;
        self
    }

    /// Changes how long a browser trip waits.
    pub fn with_timeout(mut self, timeout: Duration) -> AdminContext {
        self.timeout = timeout;
        self
    }

    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Speaks `language` in the browser tab from now on (the window's choice).
    pub fn set_language(&self, language: Language) {
        *crate::sync::lock(&self.language) = language;
    }

    fn language(&self) -> Language {
        *crate::sync::lock(&self.language)
    }

    fn graph(&self) -> Result<Graph, ConnectError> {
        let base = self
            .profile
            .endpoints()?
            .graph
            .clone()
            .ok_or(GraphError::NotConfigured)?;
        Ok(Graph::new(self.http.clone(), base))
    }
}

/// What [`begin_verify`] found: who signed in, and the checklist.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    /// The admin who signed in (no token is serialized).
    pub admin: AdminSession,
    /// The organization's checklist.
    pub checklist: Checklist,
}

/// Opens the admin's read-only sign-in ([`AdminScopes::Verify`]); once signed in, the
/// organization's setup is read and the checklist evaluated for `features` (empty: the profile's
/// defaults).
pub async fn begin_verify(
    ctx: &AdminContext,
    features: &[Feature],
    login_hint: Option<&str>,
    tenant: Option<&TenantRef>,
) -> Result<AdminPending<Verification>, AdminError> {
    let pending = begin_sign_in(ctx, AdminScopes::Verify, login_hint, tenant).await?;
    let (ctx, features) = (ctx.clone(), features.to_vec());
    Ok(pending.then(move |admin| async move {
        let snapshot = read_tenant(&ctx, &admin).await?;
        let checklist = evaluate(&ctx.profile, &features, &snapshot)
            .map_err(|e| AdminError::Connect(e.into()))?;
        Ok(Verification { admin, checklist })
    }))
}

/// [`begin_verify`] and its wait in one.
pub async fn verify(
    ctx: &AdminContext,
    features: &[Feature],
    login_hint: Option<&str>,
    tenant: Option<&TenantRef>,
) -> Result<Verification, AdminError> {
    begin_verify(ctx, features, login_hint, tenant)
        .await?
        .wait()
        .await
}
