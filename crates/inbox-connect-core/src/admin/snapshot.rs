//! What the admin path read from Graph about the organization, typed, each part with its own
//! outcome (a 403 on one call is a finding about that item, not a failure of the whole read).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::graph::GraphErrorFields;
use crate::profile::TenantId;

/// The outcome of one Graph read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "data", rename_all = "snake_case")]
pub enum Reading<T> {
    /// Read.
    Read(T),
    /// Graph refused (403 `Authorization_RequestDenied`, or 401): a role or permission is missing.
    Denied(GraphErrorFields),
    /// Any other failure.
    Failed(GraphErrorFields),
}

impl<T> Reading<T> {
    /// The value, when it was read.
    pub fn value(&self) -> Option<&T> {
        match self {
            Reading::Read(v) => Some(v),
            _ => None,
        }
    }

    /// From one Graph answer: a 2xx body parsed by `parse`, otherwise Graph's error.
    pub(crate) fn from_answer(
        status: u16,
        body: &Value,
        parse: impl FnOnce(&Value) -> T,
    ) -> Reading<T> {
        match status {
            200..=299 => Reading::Read(parse(body)),
            401 | 403 => Reading::Denied(GraphErrorFields::from_body(status, body)),
            _ => Reading::Failed(GraphErrorFields::from_body(status, body)),
        }
    }
}

/// The app's service principal in the organization (docs/entra-reference.md §6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePrincipal {
    /// Its object id (what grants and assignments refer to).
    pub id: String,
    /// Whether users can sign in to it ("Enabled for users to sign in?").
    pub account_enabled: bool,
    /// "Assignment required?".
    pub app_role_assignment_required: bool,
    /// The verified publisher's name, when the publisher is verified.
    pub verified_publisher: Option<String>,
}

/// A tenant-wide (`AllPrincipals`) delegated permission grant (docs/entra-reference.md §6.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgGrant {
    /// The resource's service principal id (Microsoft Graph's, in this organization).
    pub resource_id: String,
    /// The granted scopes.
    pub scopes: Vec<String>,
}

/// The user consent setting (docs/entra-reference.md §6.1, §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationPolicy {
    /// `defaultUserRolePermissions.permissionGrantPoliciesAssigned`, as sent.
    pub permission_grant_policies_assigned: Vec<String>,
    /// `allowUserConsentForRiskyApps`.
    pub allow_user_consent_for_risky_apps: bool,
}

/// A reviewer of admin consent requests, read from its query (docs/entra-reference.md §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Reviewer {
    /// `/users/{id}`: one user.
    User(String),
    /// `/groups/{id}/transitiveMembers` (or `/members`): the group's members.
    Group(String),
    /// `.../roleAssignments?$filter=roleDefinitionId eq '{id}'`: the role's holders (a role
    /// template id).
    Role(String),
    /// A query of another form, as sent.
    Other(String),
}

impl Reviewer {
    /// The reviewer a query names.
    pub(crate) fn parse(query: &str) -> Reviewer {
        if let Some(id) = query.strip_prefix("/users/").filter(|id| !id.contains('/')) {
            return Reviewer::User(id.to_owned());
        }
        if let Some(id) = query
            .strip_prefix("/groups/")
            .and_then(|rest| rest.split('/').next())
        {
            return Reviewer::Group(id.to_owned());
        }
        const ROLE: &str = "roledefinitionid eq '";
        let role = query
            .to_ascii_lowercase()
            .find(ROLE)
            .and_then(|at| query.get(at + ROLE.len()..))
            .and_then(|rest| rest.split('\'').next());
        match role {
            Some(id) if !id.is_empty() => Reviewer::Role(id.to_owned()),
            _ => Reviewer::Other(query.to_owned()),
        }
    }
}

/// The admin consent request settings (docs/entra-reference.md §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRequestPolicy {
    /// Whether users can request approval.
    pub is_enabled: bool,
    /// The reviewers.
    pub reviewers: Vec<Reviewer>,
    /// Days before a request expires.
    pub request_duration_in_days: i64,
}

/// Someone assigned to the app (docs/entra-reference.md §6.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// The user's, group's or app's object id.
    pub id: String,
    /// Its display name (empty when Graph sent none).
    pub name: String,
    /// `User`, `Group` or `ServicePrincipal`.
    pub kind: String,
}

/// A Conditional Access policy, as far as the checklist reads it (docs/entra-reference.md §6.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionalAccessPolicy {
    /// Its name.
    pub display_name: String,
    /// `enabled`, `disabled` or `enabledForReportingButNotEnforced`.
    pub state: String,
    /// `includeApplications` (`All` or app ids).
    pub include_applications: Vec<String>,
    /// `excludeApplications`.
    pub exclude_applications: Vec<String>,
    /// `includeUsers` (`All`, `None`, `GuestsOrExternalUsers`, user ids).
    pub include_users: Vec<String>,
    /// `includeGroups` (group ids).
    pub include_groups: Vec<String>,
    /// `includeRoles` (role template ids).
    pub include_roles: Vec<String>,
    /// `excludeUsers` (`GuestsOrExternalUsers`, user ids).
    pub exclude_users: Vec<String>,
    /// `excludeGroups` (group ids).
    pub exclude_groups: Vec<String>,
    /// `grantControls.builtInControls` (`block`, `mfa`, `compliantDevice`, ...).
    pub controls: Vec<String>,
    /// `grantControls.operator` is `AND`: every control is required, not one of them.
    pub require_all_controls: bool,
}

/// A recruiter's pending request to approve the app (docs/entra-reference.md §6.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingRequest {
    /// Who asked (user principal name or display name).
    pub requester: String,
    /// Their justification.
    pub reason: Option<String>,
    /// When they asked.
    pub created: Option<String>,
    /// The permissions still waiting.
    pub pending_scopes: Vec<String>,
}

/// A user's or group's name, read with `directoryObjects/getByIds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryName {
    /// `displayName`.
    pub display_name: String,
    /// A user's `userPrincipalName` (none for groups).
    pub user_principal_name: Option<String>,
}

impl DirectoryName {
    /// The names of a `getByIds` answer, by lower-cased object id.
    pub(crate) fn map(body: &Value) -> BTreeMap<String, DirectoryName> {
        items(body)
            .iter()
            .filter_map(|o| {
                let id = o["id"].as_str()?.to_ascii_lowercase();
                let display_name = o["displayName"].as_str().filter(|n| !n.trim().is_empty())?;
                Some((
                    id,
                    DirectoryName {
                        display_name: display_name.to_owned(),
                        user_principal_name: o["userPrincipalName"].as_str().map(str::to_owned),
                    },
                ))
            })
            .collect()
    }
}

/// Everything the admin path read about one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantSnapshot {
    /// The organization, from the admin's id token.
    pub tenant_id: TenantId,
    /// The app's service principal; `Read(None)` when it is not in the organization.
    pub service_principal: Reading<Option<ServicePrincipal>>,
    /// The tenant-wide grants to the app (empty without a service principal).
    pub org_grants: Reading<Vec<OrgGrant>>,
    /// The user consent setting.
    pub authorization_policy: Reading<AuthorizationPolicy>,
    /// The admin consent request settings.
    pub consent_request_policy: Reading<ConsentRequestPolicy>,
    /// Who is assigned to the app.
    pub assignments: Reading<Vec<Assignment>>,
    /// Every Conditional Access policy.
    pub conditional_access: Reading<Vec<ConditionalAccessPolicy>>,
    /// The open approval requests for the app.
    pub pending_requests: Reading<Vec<PendingRequest>>,
    /// The names of the users and groups the policies above name, by lower-cased object id.
    pub names: Reading<BTreeMap<String, DirectoryName>>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn texts(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn items(body: &Value) -> &[Value] {
    body["value"].as_array().map_or(&[], Vec::as_slice)
}

impl ServicePrincipal {
    /// From a `$filter=appId eq` list: the first item, if any.
    pub(crate) fn from_list(body: &Value) -> Option<ServicePrincipal> {
        items(body).first().map(|sp| ServicePrincipal {
            id: text(&sp["id"]),
            // Not nullable in Graph; an absent value is read as the default.
            account_enabled: sp["accountEnabled"].as_bool().unwrap_or(true),
            app_role_assignment_required: sp["appRoleAssignmentRequired"]
                .as_bool()
                .unwrap_or(false),
            verified_publisher: sp["verifiedPublisher"]["verifiedPublisherId"]
                .as_str()
                .map(|_| text(&sp["verifiedPublisher"]["displayName"])),
        })
    }
}

impl OrgGrant {
    pub(crate) fn list(body: &Value) -> Vec<OrgGrant> {
        items(body)
            .iter()
            .map(|g| OrgGrant {
                resource_id: text(&g["resourceId"]),
                scopes: text(&g["scope"])
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            })
            .collect()
    }
}

impl AuthorizationPolicy {
    pub(crate) fn from_body(body: &Value) -> AuthorizationPolicy {
        AuthorizationPolicy {
            permission_grant_policies_assigned: texts(
                &body["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"],
            ),
            allow_user_consent_for_risky_apps: body["allowUserConsentForRiskyApps"]
                .as_bool()
                .unwrap_or(false),
        }
    }
}

impl ConsentRequestPolicy {
    pub(crate) fn from_body(body: &Value) -> ConsentRequestPolicy {
        ConsentRequestPolicy {
            is_enabled: body["isEnabled"].as_bool().unwrap_or(false),
            reviewers: body["reviewers"]
                .as_array()
                .map(|r| {
                    r.iter()
                        .map(|r| Reviewer::parse(&text(&r["query"])))
                        .collect()
                })
                .unwrap_or_default(),
            request_duration_in_days: body["requestDurationInDays"].as_i64().unwrap_or(0),
        }
    }
}

impl Assignment {
    pub(crate) fn list(body: &Value) -> Vec<Assignment> {
        items(body)
            .iter()
            .map(|a| Assignment {
                id: text(&a["principalId"]),
                name: text(&a["principalDisplayName"]),
                kind: text(&a["principalType"]),
            })
            .collect()
    }
}

impl ConditionalAccessPolicy {
    pub(crate) fn list(body: &Value) -> Vec<ConditionalAccessPolicy> {
        items(body)
            .iter()
            .map(|p| {
                let apps = &p["conditions"]["applications"];
                let users = &p["conditions"]["users"];
                ConditionalAccessPolicy {
                    display_name: text(&p["displayName"]),
                    state: text(&p["state"]),
                    include_applications: texts(&apps["includeApplications"]),
                    exclude_applications: texts(&apps["excludeApplications"]),
                    include_users: texts(&users["includeUsers"]),
                    include_groups: texts(&users["includeGroups"]),
                    include_roles: texts(&users["includeRoles"]),
                    exclude_users: texts(&users["excludeUsers"]),
                    exclude_groups: texts(&users["excludeGroups"]),
                    controls: texts(&p["grantControls"]["builtInControls"]),
                    require_all_controls: p["grantControls"]["operator"]
                        .as_str()
                        .is_some_and(|o| o.eq_ignore_ascii_case("AND")),
                }
            })
            .collect()
    }
}

impl PendingRequest {
    /// The open user requests of one `appConsentRequest` and its `userConsentRequests` list.
    pub(crate) fn list(app_request: &Value, user_requests: &Value) -> Vec<PendingRequest> {
        let pending_scopes: Vec<String> = app_request["pendingScopes"]
            .as_array()
            .map(|s| s.iter().map(|s| text(&s["displayName"])).collect())
            .unwrap_or_default();
        items(user_requests)
            .iter()
            .filter(|u| matches!(u["status"].as_str(), Some("InProgress" | "Initializing")))
            .map(|u| {
                let user = &u["createdBy"]["user"];
                let requester = user["userPrincipalName"]
                    .as_str()
                    .or_else(|| user["displayName"].as_str())
                    .unwrap_or("someone")
                    .to_owned();
                PendingRequest {
                    requester,
                    reason: u["reason"]
                        .as_str()
                        .filter(|r| !r.trim().is_empty())
                        .map(str::to_owned),
                    created: u["createdDateTime"].as_str().map(str::to_owned),
                    pending_scopes: pending_scopes.clone(),
                }
            })
            .collect()
    }
}
