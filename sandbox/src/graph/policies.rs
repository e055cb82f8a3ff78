//! `/policies/...` and `/identity/conditionalAccess/policies` (docs/entra-reference.md §6.1, §6.2, §6.7, §6.8): the
//! consent settings an admin checks, and `PUT` of the admin consent request policy.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::auth::{Caller, READER_ROLES};
use super::error::GraphError;
use super::odata::{body, collection, entity};
use super::{Call, Reply};
use crate::context::Sandbox;
use crate::directory::consent_request_policy;
use crate::seed::{AdminConsentRequestPolicy, Tenant};

const POLICY_READ: [&str; 1] = ["Policy.Read.All"];
/// Scopes that read the authorization policy (docs/entra-reference.md §6.1).
const AUTHORIZATION_POLICY_READ: [&str; 2] = ["Policy.Read.All", "Policy.ReadWrite.Authorization"];
/// Scopes that read the permission grant policies (docs/entra-reference.md §4.1).
const PERMISSION_GRANT_POLICY_READ: [&str; 2] = [
    "Policy.Read.PermissionGrant",
    "Policy.ReadWrite.PermissionGrant",
];
/// Who may change the admin consent request policy (docs/entra-reference.md §4: a Global Administrator).
const POLICY_WRITER_ROLES: [&str; 1] = ["Global Administrator"];
/// Readers of Conditional Access policies (role list UNCONFIRMED, docs/entra-reference.md §6.8).
const CA_READER_ROLES: [&str; 7] = [
    "Global Administrator",
    "Global Reader",
    "Security Reader",
    "Security Administrator",
    "Conditional Access Administrator",
    "Cloud Application Administrator",
    "Application Administrator",
];

/// A read-only endpoint: GET only, with one of `scopes` and one of `roles`.
fn readable(
    caller: &Caller<'_>,
    call: &Call<'_>,
    scopes: &[&str],
    roles: &[&str],
) -> Result<(), GraphError> {
    match *call.method {
        Method::GET => caller.require_admin(scopes, roles),
        _ => Err(GraphError::method_not_allowed()),
    }
}

/// `GET /policies/authorizationPolicy`: the v1.0 singleton (docs/entra-reference.md §6.1).
pub fn authorization_policy(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    readable(caller, call, &AUTHORIZATION_POLICY_READ, &READER_ROLES)?;
    let policy = &caller.tenant.authorization_policy;
    Ok(entity(
        sb,
        "policies/authorizationPolicy/$entity",
        json!({
            "id": "authorizationPolicy",
            "allowInvitesFrom": "everyone",
            "allowedToSignUpEmailBasedSubscriptions": true,
            "allowedToUseSSPR": true,
            "allowEmailVerifiedUsersToJoinOrganization": true,
            "allowUserConsentForRiskyApps": policy.allow_user_consent_for_risky_apps,
            "blockMsolPowerShell": false,
            "displayName": "Authorization Policy",
            "description": "Used to manage authorization related settings across the company.",
            "guestUserRoleId": "10dae51f-b6af-4016-8d66-8c2a99b929b3",
            "defaultUserRolePermissions": {
                "allowedToCreateApps": true,
                "allowedToCreateSecurityGroups": true,
                "allowedToCreateTenants": true,
                "allowedToReadBitlockerKeysForOwnedDevice": true,
                "allowedToReadOtherUsers": true,
                "permissionGrantPoliciesAssigned": policy.permission_grant_policies_assigned,
            },
        }),
    ))
}

/// A reviewer as `accessReviewReviewerScope`: user ids (or UPNs) become `/users/{id}` queries.
fn reviewer_json(sb: &Sandbox, tenant: &Tenant, reviewer: &str) -> Value {
    let query = if reviewer.starts_with('/') {
        reviewer.to_owned()
    } else {
        let id = sb
            .seed
            .user_by_upn(reviewer)
            .filter(|(t, _)| t.id == tenant.id)
            .map_or(reviewer, |(_, u)| u.id.as_str());
        format!("/users/{id}")
    };
    json!({"query": query, "queryType": "MicrosoftGraph", "queryRoot": null})
}

/// `GET` and `PUT /policies/adminConsentRequestPolicy` (docs/entra-reference.md §6.2).
pub fn admin_consent_request_policy(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    let tenant = caller.tenant;
    match *call.method {
        Method::GET => {
            caller.require_admin(
                &["Policy.Read.All", "Policy.ReadWrite.ConsentRequest"],
                &READER_ROLES,
            )?;
            let policy = consent_request_policy(sb, tenant);
            let reviewers: Vec<Value> = policy
                .reviewers
                .iter()
                .map(|r| reviewer_json(sb, tenant, r))
                .collect();
            Ok(entity(
                sb,
                "policies/adminConsentRequestPolicy/$entity",
                json!({
                    "isEnabled": policy.is_enabled,
                    "notifyReviewers": policy.notify_reviewers,
                    "remindersEnabled": policy.reminders_enabled,
                    "requestDurationInDays": policy.request_duration_in_days,
                    "version": policy.version,
                    "reviewers": reviewers,
                }),
            ))
        }
        Method::PUT => {
            caller.require_admin(&["Policy.ReadWrite.ConsentRequest"], &POLICY_WRITER_ROLES)?;
            let policy = parse_policy(&body(call)?, consent_request_policy(sb, tenant).version)?;
            sb.store.set_consent_request_policy(&tenant.id, policy);
            Ok(Reply::empty(StatusCode::NO_CONTENT))
        }
        _ => Err(GraphError::method_not_allowed()),
    }
}

/// The PUT body: `isEnabled` required; reviewers' `/users/{id}` queries keep the id.
fn parse_policy(
    body: &serde_json::Map<String, Value>,
    version: u32,
) -> Result<AdminConsentRequestPolicy, GraphError> {
    let flag = |name: &str| body.get(name).and_then(Value::as_bool);
    let is_enabled =
        flag("isEnabled").ok_or_else(|| GraphError::bad_value("isEnabled is required."))?;
    let days = match body.get("requestDurationInDays") {
        None => 30,
        Some(v) => v
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .filter(|d| (1..=365).contains(d))
            .ok_or_else(|| GraphError::bad_value("requestDurationInDays must be 1 to 365."))?,
    };
    let reviewers: Vec<String> = body
        .get("reviewers")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|r| r["query"].as_str())
                .map(|q| q.strip_prefix("/users/").unwrap_or(q).to_owned())
                .collect()
        })
        .unwrap_or_default();
    if is_enabled && reviewers.is_empty() {
        return Err(GraphError::bad_value(
            "At least one reviewer is required when the policy is enabled.",
        ));
    }
    Ok(AdminConsentRequestPolicy {
        is_enabled,
        reviewers,
        notify_reviewers: flag("notifyReviewers").unwrap_or(false),
        reminders_enabled: flag("remindersEnabled").unwrap_or(false),
        request_duration_in_days: days,
        version: version + 1,
    })
}

/// `GET /policies/permissionGrantPolicies`: the built-in policies of docs/entra-reference.md §4.1, reduced to the
/// condition sets the sandbox's consent engine applies.
pub fn permission_grant_policies(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    readable(caller, call, &PERMISSION_GRANT_POLICY_READ, &READER_ROLES)?;
    let set = |classification: &str, verified_only: bool| {
        json!({
            "id": "00000000-0000-0000-0000-000000000000",
            "permissionClassification": classification,
            "permissionType": "delegated",
            "resourceApplication": "any",
            "permissions": ["all"],
            "clientApplicationIds": ["all"],
            "clientApplicationTenantIds": ["all"],
            "clientApplicationPublisherIds": ["all"],
            "clientApplicationsFromVerifiedPublisherOnly": verified_only,
        })
    };
    let policy = |id: &str, name: &str, description: &str, includes: Vec<Value>| json!({"id": id, "displayName": name, "description": description, "includes": includes, "excludes": []});
    let items = vec![
        policy(
            "microsoft-user-default-low",
            "Default policy for user consent to apps (low impact)",
            "Includes delegated permissions classified low, for client apps from verified publishers or registered in this organization.",
            vec![set("low", true)],
        ),
        policy(
            "microsoft-user-default-legacy",
            "Default policy for user consent to apps (legacy)",
            "Includes delegated permissions that do not require admin consent, for any client app.",
            vec![set("all", false)],
        ),
        policy(
            "microsoft-user-default-recommended",
            "Microsoft User Default Recommended Policy",
            "Permissions consentable based on Microsoft's current recommendations.",
            vec![set("all", false)],
        ),
    ];
    collection(
        sb,
        "policies/permissionGrantPolicies",
        items,
        call.query,
        &["id"],
    )
}

/// `GET /identity/conditionalAccess/policies` (docs/entra-reference.md §6.8).
pub fn conditional_access(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
) -> Result<Reply, GraphError> {
    readable(caller, call, &POLICY_READ, &CA_READER_ROLES)?;
    let items = caller
        .tenant
        .conditional_access_policies
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "displayName": p.display_name,
                "createdDateTime": null,
                "modifiedDateTime": null,
                "state": p.state,
                "sessionControls": null,
                "conditions": {
                    "clientAppTypes": ["all"],
                    "signInRiskLevels": [],
                    "platforms": null,
                    "locations": null,
                    "applications": {
                        "includeApplications": p.include_applications,
                        "excludeApplications": [],
                        "includeUserActions": [],
                    },
                    "users": {
                        "includeUsers": p.include_users,
                        "excludeUsers": p.exclude_users,
                        "includeGroups": [],
                        "excludeGroups": [],
                        "includeRoles": [],
                        "excludeRoles": [],
                    },
                },
                "grantControls": {
                    "operator": "OR",
                    "builtInControls": p.grant_controls,
                    "customAuthenticationFactors": [],
                    "termsOfUse": [],
                },
            })
        })
        .collect();
    collection(
        sb,
        "identity/conditionalAccess/policies",
        items,
        call.query,
        &["state", "displayName", "id"],
    )
}
