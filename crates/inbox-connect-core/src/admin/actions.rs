//! Optional changes an admin can make from the app. Each names the Graph permission it needs, asks
//! for it in a sign-in of its own (incremental: nothing is requested before it is needed), and runs
//! only from a [`Confirmed`] value, which only [`AdminAction::confirm`] makes.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::graph::{GraphError, GraphErrorFields};
use crate::profile::TenantRef;
use crate::words::{List, Words};

use super::error::AdminError;
use super::pending::AdminPending;
use super::roles::{AdminRole, RoleRequirement};
use super::scopes::AdminScopes;
use super::signin::{self, AdminSession};
use super::snapshot::ServicePrincipal;
use super::AdminContext;

/// The "default access" app role: assignment without a named role (docs/entra-reference.md §6.5).
const DEFAULT_ACCESS: &str = "00000000-0000-0000-0000-000000000000";

/// A user or group to assign to the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The user's or group's object id.
    pub id: String,
    /// A name to show in the confirmation.
    pub name: String,
}

/// A change to the organization's setup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum AdminAction {
    /// Assign these users or groups, then turn on "Assignment required" (only they may connect).
    RequireAssignment {
        /// Who may connect.
        assign: Vec<Principal>,
    },
    /// Turn on admin consent requests, reviewed by these users.
    EnableConsentRequests {
        /// The reviewers' user object ids.
        reviewers: Vec<Principal>,
        /// Days before a request expires.
        request_duration_in_days: u32,
    },
}

/// An action the admin confirmed after seeing [`AdminAction::describe`] and [`AdminAction::needs`].
#[derive(Debug, Clone)]
pub struct Confirmed(AdminAction);

/// What a confirmed action did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionReport {
    /// The action.
    pub action: AdminAction,
    /// Each change made, in order.
    pub done: Vec<Words>,
}

impl AdminAction {
    /// The scope set the action signs in with.
    pub fn scopes(&self) -> AdminScopes {
        match self {
            AdminAction::RequireAssignment { .. } => AdminScopes::ManageAssignment,
            AdminAction::EnableConsentRequests { .. } => AdminScopes::ManageConsentRequests,
        }
    }

    /// The role and Graph permission the action needs.
    pub fn needs(&self) -> RoleRequirement {
        match self {
            AdminAction::RequireAssignment { .. } => RoleRequirement::write(
                "Application.ReadWrite.All and AppRoleAssignment.ReadWrite.All",
                &[
                    AdminRole::CloudApplicationAdministrator,
                    AdminRole::ApplicationAdministrator,
                    AdminRole::GlobalAdministrator,
                ],
            ),
            // Configuring the workflow is a Global Administrator's task (docs/entra-reference.md §4).
            AdminAction::EnableConsentRequests { .. } => RoleRequirement::write(
                "Policy.ReadWrite.ConsentRequest",
                &[AdminRole::GlobalAdministrator],
            ),
        }
    }

    /// What will change, in one sentence for the confirmation dialog.
    pub fn describe(&self) -> Words {
        let names =
            |p: &[Principal]| List::AllOf(p.iter().map(|p| p.name.as_str().into()).collect());
        match self {
            AdminAction::RequireAssignment { assign } => {
                Words::new("checklist.change.require_assignment").with("names", names(assign))
            }
            AdminAction::EnableConsentRequests {
                reviewers,
                request_duration_in_days,
            } => Words::new("checklist.change.enable_requests")
                .with("reviewers", names(reviewers))
                .with("count", *request_duration_in_days),
        }
    }

    /// The admin's confirmation.
    pub fn confirm(self) -> Confirmed {
        Confirmed(self)
    }
}

/// Opens the admin's sign-in with just the action's permission; once signed in, the change is made.
pub async fn begin_action(
    ctx: &AdminContext,
    confirmed: Confirmed,
    login_hint: Option<&str>,
    tenant: Option<&TenantRef>,
) -> Result<AdminPending<ActionReport>, AdminError> {
    let action = confirmed.0;
    let pending = signin::begin_sign_in(ctx, action.scopes(), login_hint, tenant).await?;
    let ctx = ctx.clone();
    Ok(pending.then(move |session| async move {
        let done = apply(&ctx, &session, &action).await?;
        Ok(ActionReport { action, done })
    }))
}

async fn apply(
    ctx: &AdminContext,
    session: &AdminSession,
    action: &AdminAction,
) -> Result<Vec<Words>, AdminError> {
    let call = |method: reqwest::Method, path: String, body: Option<Value>| {
        let needs = action.needs();
        async move {
            let answer = ctx
                .graph()?
                .send(session.access.for_graph(), method, &path, body)
                .await?;
            match answer.status {
                200..=299 => Ok(answer.body),
                401 | 403 => Err(AdminError::Denied {
                    needs,
                    graph: GraphErrorFields::from_body(answer.status, &answer.body),
                }),
                status => {
                    Err(GraphError::Api(GraphErrorFields::from_body(status, &answer.body)).into())
                }
            }
        }
    };
    let mut done = Vec::new();
    match action {
        AdminAction::RequireAssignment { assign } => {
            let filter = format!(
                "/servicePrincipals?$filter=appId%20eq%20'{}'",
                ctx.profile.client_id
            );
            let sp = ServicePrincipal::from_list(&call(reqwest::Method::GET, filter, None).await?)
                .ok_or(AdminError::AppNotInTenant)?;
            // Assign first: requiring assignment before would lock the chosen users out meanwhile.
            for principal in assign {
                let body = json!({"principalId": principal.id, "resourceId": sp.id, "appRoleId": DEFAULT_ACCESS});
                call(
                    reqwest::Method::POST,
                    format!("/servicePrincipals/{}/appRoleAssignedTo", sp.id),
                    Some(body),
                )
                .await?;
                done.push(
                    Words::new("checklist.change.assigned").with("name", principal.name.as_str()),
                );
            }
            let body = json!({"appRoleAssignmentRequired": true});
            call(
                reqwest::Method::PATCH,
                format!("/servicePrincipals/{}", sp.id),
                Some(body),
            )
            .await?;
            done.push(Words::new("checklist.change.assignment_required"));
        }
        AdminAction::EnableConsentRequests {
            reviewers,
            request_duration_in_days,
        } => {
            let body = json!({
                "isEnabled": true,
                "notifyReviewers": true,
                "remindersEnabled": true,
                "requestDurationInDays": request_duration_in_days,
                "reviewers": reviewers
                    .iter()
                    .map(|r| json!({"query": format!("/users/{}", r.id), "queryType": "MicrosoftGraph", "queryRoot": null}))
                    .collect::<Vec<_>>(),
            });
            call(
                reqwest::Method::PUT,
                "/policies/adminConsentRequestPolicy".to_owned(),
                Some(body),
            )
            .await?;
            done.push(Words::new("checklist.change.requests_on"));
        }
    }
    Ok(done)
}
