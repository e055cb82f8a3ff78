//! The consent engine (docs/entra-reference.md §4, §4.1, §11 item 7): given who asks what, does the user get a code,
//! the consent page, "Need admin approval" or "Approval required"?

use std::collections::BTreeSet;

use crate::scopes::{permission, ScopeSet, AUTO_CONSENTED};
use crate::seed::{Application, ServicePrincipal, Tenant, User, UserConsent};

/// What a sign-in needs before a code can be issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Existing consent covers the request.
    Covered,
    /// The consent page ("Permissions requested").
    Prompt,
    /// "Need admin approval": AADSTS90094, or AADSTS900941 for a risky app (workflow off).
    NeedAdmin {
        /// Blocked because the app is considered risky.
        risky: bool,
    },
    /// "Approval required": AADSTS90095, or AADSTS900981 for a risky app (workflow on).
    RequestApproval {
        /// Blocked because the app is considered risky.
        risky: bool,
    },
}

/// One consent question.
#[derive(Debug)]
pub struct Ask<'a> {
    /// The user's tenant.
    pub tenant: &'a Tenant,
    /// The signed-in user.
    pub user: &'a User,
    /// The client.
    pub app: &'a Application,
    /// The app's service principal in the tenant.
    pub sp: &'a ServicePrincipal,
    /// Scopes requested.
    pub requested: &'a ScopeSet,
    /// Scopes already granted to this user (own and tenant-wide grants).
    pub consented: &'a BTreeSet<String>,
    /// `prompt=consent` or an admin consent endpoint: the page shows even when covered.
    pub force_prompt: bool,
    /// The admin consent endpoints, where only an admin can accept (docs/entra-reference.md §3.2).
    pub for_organization: bool,
    /// Whether the tenant's admin consent requests are on (docs/entra-reference.md §4).
    pub requests_enabled: bool,
}

/// What a consent grants: the request plus the scopes Entra adds to the initial consent (docs/entra-reference.md §10).
pub fn consent_scopes(requested: &ScopeSet) -> BTreeSet<String> {
    let auto = AUTO_CONSENTED
        .iter()
        .filter_map(|s| permission(s))
        .map(|p| p.name.to_owned());
    requested.0.iter().cloned().chain(auto).collect()
}

/// Whether the tenant's user consent setting lets a user consent to this scope for this app.
fn user_may_consent(tenant: &Tenant, app: &Application, scope: &str) -> bool {
    let user_consentable = matches!(permission(scope), Some(p) if !p.admin_only);
    if !user_consentable {
        return false;
    }
    match tenant.authorization_policy.user_consent() {
        UserConsent::Disabled => false,
        UserConsent::AnyApp => true,
        // "apps from verified publishers and apps registered in your tenant", low impact only (docs/entra-reference.md §4.1).
        UserConsent::LowImpactVerified => {
            (app.publisher_verified || app.home_tenant_id == tenant.id)
                && tenant.classification(scope) == Some("low")
        }
    }
}

/// Decides the outcome (docs/entra-reference.md §4: admins get the consent page; users whose consent the tenant does
/// not allow are sent to the admin, via a request when the workflow is on).
pub fn decide(ask: &Ask<'_>) -> Outcome {
    if !ask.force_prompt && ask.requested.is_subset(ask.consented) {
        return Outcome::Covered;
    }
    if ask.user.is_consent_admin() {
        return Outcome::Prompt;
    }
    // A non-admin on an admin consent URL is told to ask an admin, workflow or not (docs/entra-reference.md §3.2).
    if ask.for_organization {
        return Outcome::NeedAdmin { risky: false };
    }
    let risky = (ask.app.risky || ask.sp.risky)
        && !ask
            .tenant
            .authorization_policy
            .allow_user_consent_for_risky_apps;
    // prompt=consent asks again for everything, so earlier admin consent does not help (docs/entra-reference.md §3.3).
    let wanted = consent_scopes(ask.requested);
    let allowed = !ask.sp.app_role_assignment_required
        && wanted
            .iter()
            .filter(|s| ask.force_prompt || !ask.consented.contains(*s))
            .all(|s| user_may_consent(ask.tenant, ask.app, s));
    match (allowed && !risky, ask.requests_enabled) {
        (true, _) => Outcome::Prompt,
        (false, true) => Outcome::RequestApproval { risky },
        (false, false) => Outcome::NeedAdmin { risky },
    }
}
