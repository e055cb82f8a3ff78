//! `/oauth2PermissionGrants` (docs/entra-reference.md §6.4): the delegated permission grants, filtered by `clientId`
//! (the client's service principal id, not the app id) and `consentType`; `POST` grants as an admin.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::auth::{Caller, READER_ROLES, WRITER_ROLES};
use super::error::GraphError;
use super::odata::{body, collection};
use super::{Call, Reply};
use crate::context::Sandbox;
use crate::directory::{graph_service_principal_id, service_principal, service_principals};
use crate::random::stable_id;
use crate::scopes::ScopeSet;
use crate::seed::Tenant;
use crate::state::{ConsentType, Grant};

const READ_SCOPES: [&str; 4] = [
    "DelegatedPermissionGrant.Read.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
const WRITE_SCOPES: [&str; 1] = ["DelegatedPermissionGrant.ReadWrite.All"];

fn consent_type_name(t: ConsentType) -> &'static str {
    match t {
        ConsentType::Principal => "Principal",
        ConsentType::AllPrincipals => "AllPrincipals",
    }
}

/// A grant as Graph shows it; None when the app has no service principal in the tenant.
fn grant_json(sb: &Sandbox, tenant: &Tenant, grant: &Grant) -> Option<Value> {
    let sp = service_principal(sb, tenant, &grant.client_id)?;
    let principal = grant.principal_id.as_deref().unwrap_or("");
    Some(json!({
        "id": stable_id(&format!("{}|{}|{principal}", tenant.id, sp.id)),
        "clientId": sp.id,
        "consentType": consent_type_name(grant.consent_type),
        "principalId": grant.principal_id,
        "resourceId": graph_service_principal_id(tenant),
        "scope": grant.scopes.iter().cloned().collect::<Vec<_>>().join(" "),
    }))
}

/// `GET` and `POST /oauth2PermissionGrants`.
pub fn handle(sb: &Sandbox, caller: &Caller<'_>, call: &Call<'_>) -> Result<Reply, GraphError> {
    let tenant = caller.tenant;
    match *call.method {
        Method::GET => {
            caller.require_admin(&READ_SCOPES, &READER_ROLES)?;
            let items = sb
                .store
                .grants(&tenant.id)
                .iter()
                .filter_map(|g| grant_json(sb, tenant, g))
                .collect();
            collection(
                sb,
                "oauth2PermissionGrants",
                items,
                call.query,
                &["clientId", "consentType", "principalId", "resourceId"],
            )
        }
        Method::POST => {
            caller.require_admin(&WRITE_SCOPES, &WRITER_ROLES)?;
            create(sb, tenant, call)
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

/// `POST {clientId, consentType, principalId, resourceId, scope}` (docs/entra-reference.md §6.4).
fn create(sb: &Sandbox, tenant: &Tenant, call: &Call<'_>) -> Result<Reply, GraphError> {
    let body = body(call)?;
    let field = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default();
    let sp = service_principals(sb, tenant)
        .into_iter()
        .find(|sp| sp.id.eq_ignore_ascii_case(field("clientId")))
        .ok_or_else(|| GraphError::resource_not_found(field("clientId")))?;
    if !field("resourceId").eq_ignore_ascii_case(&graph_service_principal_id(tenant)) {
        return Err(GraphError::bad_value(
            "resourceId must be Microsoft Graph's service principal in this tenant.",
        ));
    }
    let app = sb
        .seed
        .application(&sp.app_id)
        .ok_or_else(|| GraphError::resource_not_found(&sp.app_id))?;
    let scopes = ScopeSet::parse(field("scope"), app)
        .ok()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            GraphError::bad_value("scope must list Microsoft Graph delegated permissions.")
        })?;
    let (consent_type, principal_id) =
        match field("consentType") {
            "AllPrincipals" => (ConsentType::AllPrincipals, None),
            "Principal" if sb.seed.user(&tenant.id, field("principalId")).is_some() => (
                ConsentType::Principal,
                Some(field("principalId").to_owned()),
            ),
            _ => return Err(GraphError::bad_value(
                "consentType must be AllPrincipals, or Principal with the principalId of a user.",
            )),
        };
    let grant = Grant {
        tenant_id: tenant.id.clone(),
        client_id: sp.app_id.clone(),
        consent_type,
        principal_id,
        scopes: scopes.0,
    };
    sb.store.add_grant(grant.clone());
    if consent_type == ConsentType::AllPrincipals {
        sb.store
            .complete_consent_requests(&tenant.id, &sp.app_id, sb.clock.now());
    }
    Ok(Reply {
        status: StatusCode::CREATED,
        body: grant_json(sb, tenant, &grant),
    })
}
