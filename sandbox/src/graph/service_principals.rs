//! `/servicePrincipals` (docs/entra-reference.md §6.3, §6.5, §6.7): list and `$filter=appId eq`, the `(appId='...')`
//! alternate key, `PATCH` (assignment required, enabled), `appRoleAssignedTo` (list, assign) and
//! `delegatedPermissionClassifications` on Microsoft Graph's service principal.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::auth::{Caller, READER_ROLES, WRITER_ROLES};
use super::error::GraphError;
use super::odata::{body, collection, entity};
use super::{Call, Reply};
use crate::context::Sandbox;
use crate::directory::{graph_service_principal_id, service_principals};
use crate::random::stable_id;
use crate::scopes::{GRAPH_APP_ID, PERMISSIONS};
use crate::seed::{ServicePrincipal, Tenant};

/// Scopes that read service principals (docs/entra-reference.md §6.3).
pub const READ_SCOPES: [&str; 5] = [
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All",
];
const WRITE_SCOPES: [&str; 3] = [
    "Application.ReadWrite.All",
    "Directory.ReadWrite.All",
    "Directory.AccessAsUser.All",
];
const ASSIGN_SCOPES: [&str; 3] = [
    "AppRoleAssignment.ReadWrite.All",
    "Application.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// Microsoft's tenant, owner of Microsoft Graph's application.
const MICROSOFT_TENANT_ID: &str = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
/// "Default access": an assignment without a specific app role (docs/entra-reference.md §6.5).
const DEFAULT_ACCESS_ROLE: &str = "00000000-0000-0000-0000-000000000000";

/// A service principal an address names.
#[derive(Debug)]
enum Target {
    /// Microsoft Graph's own.
    Graph,
    /// A third-party app's.
    App(ServicePrincipal),
}

/// Microsoft Graph's service principal, with its delegated permissions (docs/entra-reference.md §10 types).
fn graph_json(tenant: &Tenant) -> Value {
    let scopes: Vec<Value> = PERMISSIONS
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "value": p.name,
                "type": if p.admin_only { "Admin" } else { "User" },
                "adminConsentDisplayName": p.title,
                "userConsentDisplayName": p.title,
                "userConsentDescription": p.description,
                "isEnabled": true,
            })
        })
        .collect();
    json!({
        "id": graph_service_principal_id(tenant),
        "appId": GRAPH_APP_ID,
        "appDisplayName": "Microsoft Graph",
        "displayName": "Microsoft Graph",
        "appOwnerOrganizationId": MICROSOFT_TENANT_ID,
        "accountEnabled": true,
        "appRoleAssignmentRequired": false,
        "servicePrincipalType": "Application",
        "signInAudience": "AzureADMultipleOrgs",
        "publisherName": "Microsoft Services",
        "replyUrls": [],
        "tags": [],
        "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
        "disabledByMicrosoftStatus": null,
        "appRoles": [],
        "oauth2PermissionScopes": scopes,
    })
}

/// A third-party app's service principal (docs/entra-reference.md §6.3 properties).
fn app_json(sb: &Sandbox, sp: &ServicePrincipal) -> Value {
    let app = sb.seed.application(&sp.app_id);
    let verified = app.filter(|a| a.publisher_verified);
    json!({
        "id": sp.id,
        "appId": sp.app_id,
        "appDisplayName": app.map(|a| &a.display_name),
        "displayName": app.map(|a| &a.display_name),
        "appOwnerOrganizationId": app.map(|a| &a.home_tenant_id),
        "accountEnabled": sp.account_enabled,
        "appRoleAssignmentRequired": sp.app_role_assignment_required,
        "servicePrincipalType": "Application",
        "signInAudience": app.map(|a| &a.sign_in_audience),
        "publisherName": app.map(|a| &a.publisher_name),
        "replyUrls": app.map(|a| a.redirect_uris.iter().map(|r| r.uri.clone()).collect::<Vec<_>>()),
        "tags": ["WindowsAzureActiveDirectoryIntegratedApp"],
        "verifiedPublisher": {
            "displayName": verified.map(|a| &a.publisher_name),
            "verifiedPublisherId": verified.and_then(|a| a.publisher_id.as_ref()),
            "addedDateTime": verified.map(|_| "2024-01-15T00:00:00Z"),
        },
        "disabledByMicrosoftStatus": null,
        "appRoles": [],
        "oauth2PermissionScopes": [],
    })
}

fn target_json(sb: &Sandbox, tenant: &Tenant, target: &Target) -> Value {
    match target {
        Target::Graph => graph_json(tenant),
        Target::App(sp) => app_json(sb, sp),
    }
}

/// The third-party service principal a write addresses; Microsoft Graph's own is Microsoft's.
fn third_party(target: Target) -> Result<ServicePrincipal, GraphError> {
    match target {
        Target::App(sp) => Ok(sp),
        Target::Graph => Err(GraphError::bad_value(
            "Microsoft Graph's service principal is managed by Microsoft.",
        )),
    }
}

/// Resolves `{id}` or `(appId='{appId}')` (segment already lower-cased).
fn resolve(sb: &Sandbox, tenant: &Tenant, key: &str) -> Result<Target, GraphError> {
    let by_app = key
        .strip_prefix("(appid='")
        .and_then(|rest| rest.strip_suffix("')"));
    let graph_id = graph_service_principal_id(tenant);
    if by_app.is_some_and(|a| a.eq_ignore_ascii_case(GRAPH_APP_ID)) || key == graph_id {
        return Ok(Target::Graph);
    }
    service_principals(sb, tenant)
        .into_iter()
        .find(|sp| match by_app {
            Some(app_id) => sp.app_id.eq_ignore_ascii_case(app_id),
            None => sp.id.eq_ignore_ascii_case(key),
        })
        .map(Target::App)
        .ok_or_else(|| GraphError::resource_not_found(by_app.unwrap_or(key)))
}

/// The service principal with this object id, as Graph shows it (for `directoryObjects/getByIds`).
pub fn by_object_id(sb: &Sandbox, tenant: &Tenant, id: &str) -> Option<Value> {
    // `resolve` compares with lower-cased keys, as routing hands them over.
    let key = id.to_ascii_lowercase();
    (!key.starts_with('('))
        .then(|| resolve(sb, tenant, &key).ok())
        .flatten()
        .map(|target| target_json(sb, tenant, &target))
}

/// `GET /servicePrincipals` with `$filter` on `appId`, `id` or `displayName`.
pub fn list(sb: &Sandbox, caller: &Caller<'_>, call: &Call<'_>) -> Result<Reply, GraphError> {
    caller.require_admin(&READ_SCOPES, &READER_ROLES)?;
    let items = std::iter::once(graph_json(caller.tenant))
        .chain(
            service_principals(sb, caller.tenant)
                .iter()
                .map(|sp| app_json(sb, sp)),
        )
        .collect();
    collection(
        sb,
        "servicePrincipals",
        items,
        call.query,
        &["appId", "id", "displayName"],
    )
}

/// `/servicePrincipals/{key}[/{relation}]`.
pub fn item(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
    key: &str,
    relation: Option<&str>,
) -> Result<Reply, GraphError> {
    let tenant = caller.tenant;
    match (call.method, relation) {
        (&Method::GET, None) => {
            caller.require_admin(&READ_SCOPES, &READER_ROLES)?;
            let target = resolve(sb, tenant, key)?;
            Ok(entity(
                sb,
                "servicePrincipals/$entity",
                target_json(sb, tenant, &target),
            ))
        }
        (&Method::PATCH, None) => {
            caller.require_admin(&WRITE_SCOPES, &WRITER_ROLES)?;
            patch(sb, tenant, third_party(resolve(sb, tenant, key)?)?, call)
        }
        (&Method::GET, Some("approleassignedto")) => {
            caller.require_admin(&READ_SCOPES, &READER_ROLES)?;
            let items = match resolve(sb, tenant, key)? {
                Target::Graph => Vec::new(),
                Target::App(sp) => assignments(sb, tenant, &sp),
            };
            collection(
                sb,
                "appRoleAssignments",
                items,
                call.query,
                &["principalId"],
            )
        }
        (&Method::POST, Some("approleassignedto")) => {
            caller.require_admin(&ASSIGN_SCOPES, &WRITER_ROLES)?;
            assign(sb, tenant, third_party(resolve(sb, tenant, key)?)?, call)
        }
        (&Method::GET, Some("delegatedpermissionclassifications")) => {
            caller.require_admin(&READ_SCOPES, &READER_ROLES)?;
            let items = match resolve(sb, tenant, key)? {
                Target::Graph => classifications(tenant),
                Target::App(_) => Vec::new(),
            };
            collection(
                sb,
                "delegatedPermissionClassifications",
                items,
                call.query,
                &["classification", "permissionName"],
            )
        }
        (_, None | Some("approleassignedto" | "delegatedpermissionclassifications")) => {
            Err(GraphError::method_not_allowed())
        }
        (_, Some(other)) => Err(GraphError::unknown_segment(other)),
    }
}

/// `PATCH`: `appRoleAssignmentRequired` and `accountEnabled` (the admin's optional actions).
fn patch(
    sb: &Sandbox,
    tenant: &Tenant,
    mut sp: ServicePrincipal,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    for (key, value) in body(call)? {
        let flag = value.as_bool();
        match (key.as_str(), flag) {
            ("appRoleAssignmentRequired", Some(on)) => sp.app_role_assignment_required = on,
            ("accountEnabled", Some(on)) => sp.account_enabled = on,
            _ => {
                return Err(GraphError::bad_value(&format!(
                    "Property '{key}' cannot be updated here or has the wrong type."
                )))
            }
        }
    }
    sb.store.put_service_principal(&tenant.id, sp);
    Ok(Reply::empty(StatusCode::NO_CONTENT))
}

fn assignment_json(sb: &Sandbox, tenant: &Tenant, sp: &ServicePrincipal, user_id: &str) -> Value {
    let user = sb.seed.user(&tenant.id, user_id).map(|(_, u)| u);
    let app = sb.seed.application(&sp.app_id);
    json!({
        "id": stable_id(&format!("{}|{user_id}", sp.id)),
        "deletedDateTime": null,
        "appRoleId": DEFAULT_ACCESS_ROLE,
        "createdDateTime": null,
        "principalDisplayName": user.map(|u| &u.display_name),
        "principalId": user_id,
        "principalType": "User",
        "resourceDisplayName": app.map(|a| &a.display_name),
        "resourceId": sp.id,
    })
}

fn assignments(sb: &Sandbox, tenant: &Tenant, sp: &ServicePrincipal) -> Vec<Value> {
    sp.assigned_user_ids
        .iter()
        .map(|id| assignment_json(sb, tenant, sp, id))
        .collect()
}

/// `POST .../appRoleAssignedTo` `{principalId, resourceId, appRoleId}`: assigns a user.
fn assign(
    sb: &Sandbox,
    tenant: &Tenant,
    mut sp: ServicePrincipal,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    let body = body(call)?;
    let field = |name: &str| body.get(name).and_then(Value::as_str).unwrap_or_default();
    let principal = field("principalId");
    if sb.seed.user(&tenant.id, principal).is_none() {
        return Err(GraphError::resource_not_found(principal));
    }
    if !field("resourceId").eq_ignore_ascii_case(&sp.id) {
        return Err(GraphError::bad_value(
            "resourceId must be this service principal's id.",
        ));
    }
    if !sp.assigned_user_ids.iter().any(|u| u == principal) {
        sp.assigned_user_ids.push(principal.to_owned());
    }
    let created = assignment_json(sb, tenant, &sp, principal);
    sb.store.put_service_principal(&tenant.id, sp);
    Ok(Reply {
        status: StatusCode::CREATED,
        body: Some(created),
    })
}

/// The tenant's classifications of Graph's delegated permissions (docs/entra-reference.md §6.7).
fn classifications(tenant: &Tenant) -> Vec<Value> {
    tenant
        .delegated_permission_classifications
        .iter()
        .map(|c| {
            let id = PERMISSIONS
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(&c.permission))
                .map(|p| p.id);
            json!({
                "id": stable_id(&format!("{}|{}", tenant.id, c.permission)),
                "permissionId": id,
                "permissionName": c.permission,
                "classification": c.classification,
            })
        })
        .collect()
}
