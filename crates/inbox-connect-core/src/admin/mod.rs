//! The IT admin's side, from the same app: grant the app's permissions for the organization
//! ([`grant_org_consent`]), sign in with a separate, read-only admin scope set and read the
//! organization's setup ([`sign_in`], [`read_tenant`]), turn it into a checklist with fixes
//! ([`evaluate`]; all three in one: [`verify`]), and make optional changes after an explicit
//! confirmation ([`run_action`]).
//!
//! Nothing here touches the recruiter's connection or the keychain: admin tokens live in memory.

mod actions;
mod browser_trip;
mod checklist;
mod directory;
mod error;
mod grant;
mod portal;
mod roles;
mod scopes;
mod signin;
mod snapshot;

use std::sync::Arc;
use std::time::Duration;

use crate::browser::BrowserOpener;
use crate::error::ConnectError;
use crate::graph::{Graph, GraphError};
use crate::profile::{Feature, Profile};

pub use actions::{run_action, ActionReport, AdminAction, Confirmed, Principal};
pub use checklist::{evaluate, Checklist, ChecklistItem, ItemId, Status};
pub use directory::{read_tenant, GRAPH_READS};
pub use error::AdminError;
pub use grant::{grant_org_consent, GrantOutcome};
pub use portal::PortalLocation;
pub use roles::{AdminRole, RoleRequirement};
pub use scopes::AdminScopes;
pub use signin::{sign_in, AdminSession};
pub use snapshot::{
    Assignment, AuthorizationPolicy, ConditionalAccessPolicy, ConsentRequestPolicy, OrgGrant,
    PendingRequest, Reading, ServicePrincipal, TenantSnapshot,
};

/// What the admin path works with: the vendor profile, the browser and the HTTP client.
#[derive(Clone)]
pub struct AdminContext {
    profile: Profile,
    browser: Arc<dyn BrowserOpener>,
    http: reqwest::Client,
    timeout: Duration,
}

impl AdminContext {
    /// A context for this profile, opening links with `browser`; waits up to
    /// [`crate::DEFAULT_SIGN_IN_TIMEOUT`] for the browser.
    pub fn new(profile: Profile, browser: Arc<dyn BrowserOpener>) -> AdminContext {
        AdminContext {
            profile,
            browser,
            http: crate::auth::http_client(),
            timeout: crate::DEFAULT_SIGN_IN_TIMEOUT,
        }
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

/// Signs the admin in read-only ([`AdminScopes::Verify`]), reads the organization's setup and
/// evaluates the checklist for `features` (empty: the profile's defaults).
pub async fn verify(
    ctx: &AdminContext,
    features: &[Feature],
    login_hint: Option<&str>,
    tenant: Option<&str>,
) -> Result<Checklist, AdminError> {
    let session = sign_in(ctx, AdminScopes::Verify, login_hint, tenant).await?;
    let snapshot = read_tenant(ctx, &session).await?;
    evaluate(&ctx.profile, features, &snapshot).map_err(|e| AdminError::Connect(e.into()))
}
