//! Directory objects that change at run time. A multi-tenant app's service principal exists in a
//! tenant from the seed, or appears on the first sign-in attempt to the app there (peer lessons:
//! admins cannot find the app before a user has tried); admins may later change it, and the
//! admin consent request policy.

use crate::context::Sandbox;
use crate::random::{guid, sha256_hex};
use crate::seed::{AdminConsentRequestPolicy, Application, ServicePrincipal, Tenant};

/// The app's service principal in the tenant, if it exists (run-time version first, then the seed).
pub fn service_principal(sb: &Sandbox, tenant: &Tenant, app_id: &str) -> Option<ServicePrincipal> {
    sb.store.service_principal(&tenant.id, app_id).or_else(|| {
        tenant
            .service_principals
            .iter()
            .find(|sp| sp.app_id.eq_ignore_ascii_case(app_id))
            .cloned()
    })
}

/// The app's service principal in the tenant, created (enabled, no assignment required) if absent.
pub fn ensure_service_principal(
    sb: &Sandbox,
    tenant: &Tenant,
    app: &Application,
) -> ServicePrincipal {
    if let Some(sp) = service_principal(sb, tenant, &app.app_id) {
        return sp;
    }
    let sp = ServicePrincipal {
        id: guid(),
        app_id: app.app_id.clone(),
        account_enabled: true,
        app_role_assignment_required: false,
        assigned_user_ids: Vec::new(),
        risky: false,
    };
    sb.store.put_service_principal(&tenant.id, sp.clone());
    sp
}

/// Every third-party service principal of the tenant: the seed's, overridden by run-time versions.
pub fn service_principals(sb: &Sandbox, tenant: &Tenant) -> Vec<ServicePrincipal> {
    let runtime = sb.store.service_principals(&tenant.id);
    let seeded = tenant
        .service_principals
        .iter()
        .filter(|s| !runtime.iter().any(|r| r.app_id == s.app_id))
        .cloned();
    seeded.chain(runtime.iter().cloned()).collect()
}

/// The tenant's admin consent request policy: as an admin last set it, else the seed's.
pub fn consent_request_policy(sb: &Sandbox, tenant: &Tenant) -> AdminConsentRequestPolicy {
    sb.store
        .consent_request_policy(&tenant.id)
        .unwrap_or_else(|| tenant.admin_consent_request_policy.clone())
}

/// The object id of Microsoft Graph's own service principal in a tenant: it differs per tenant
/// (docs/entra-reference.md §6.3), so the sandbox derives a stable one from the tenant id.
pub fn graph_service_principal_id(tenant: &Tenant) -> String {
    let hex = sha256_hex(&format!("{}|microsoft-graph", tenant.id));
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
