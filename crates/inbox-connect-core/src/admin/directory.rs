//! Reading the organization's setup through Graph: two `$batch` round trips (the second needs the
//! service principal's id, and the object ids the policies name, from the first). Every call and
//! the least-privileged permission it needs (docs/entra-reference.md §6; getByIds:
//! directoryobject-getbyids.md), all of them among the admin sign-in's scopes (`scopes.rs`):
//!
//! | Call | Permission |
//! |---|---|
//! | `GET /servicePrincipals?$filter=appId eq '{appId}'` | Application.Read.All |
//! | `GET /servicePrincipals/{spId}/appRoleAssignedTo` | Application.Read.All |
//! | `GET /oauth2PermissionGrants?$filter=clientId eq '{spId}' and consentType eq 'AllPrincipals'` | DelegatedPermissionGrant.Read.All |
//! | `GET /policies/authorizationPolicy` | Policy.Read.All |
//! | `GET /policies/adminConsentRequestPolicy` | Policy.Read.All |
//! | `GET /identity/conditionalAccess/policies` | Policy.Read.All |
//! | `GET /identityGovernance/appConsent/appConsentRequests?$filter=appId eq '{appId}'` | ConsentRequest.Read.All |
//! | `GET /identityGovernance/appConsent/appConsentRequests/{id}/userConsentRequests` | ConsentRequest.Read.All |
//! | `POST /directoryObjects/getByIds` (reviewers, Conditional Access users and groups) | Directory.Read.All |

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Value};

use crate::graph::{Graph, GraphError, GraphErrorFields};

use super::error::AdminError;
use super::signin::AdminSession;
use super::snapshot::{
    Assignment, AuthorizationPolicy, ConditionalAccessPolicy, ConsentRequestPolicy, DirectoryName,
    OrgGrant, PendingRequest, Reading, Reviewer, ServicePrincipal, TenantSnapshot,
};
use super::AdminContext;

/// Graph allows 20 requests per `$batch`.
const BATCH_LIMIT: usize = 20;
/// `getByIds` takes at most 1000 ids (directoryobject-getbyids.md); any further ones keep their id.
const NAMES_LIMIT: usize = 1000;

/// The answers of one `$batch`, by request id.
type Answers = HashMap<String, (u16, Value)>;

/// Reads everything the checklist needs, as the signed-in admin.
pub async fn read_tenant(
    ctx: &AdminContext,
    session: &AdminSession,
) -> Result<TenantSnapshot, AdminError> {
    let graph = ctx.graph()?;
    let app_id = &ctx.profile.client_id;
    let first = batch(
        &graph,
        session,
        &[
            get("sp", format!("/servicePrincipals?$filter=appId%20eq%20'{app_id}'")),
            get("authz", "/policies/authorizationPolicy"),
            get("requests_policy", "/policies/adminConsentRequestPolicy"),
            get("ca", "/identity/conditionalAccess/policies"),
            get(
                "consent_requests",
                format!("/identityGovernance/appConsent/appConsentRequests?$filter=appId%20eq%20'{app_id}'"),
            ),
        ],
    )
    .await?;
    let service_principal = reading(&first, "sp", ServicePrincipal::from_list);
    let consent_request_policy =
        reading(&first, "requests_policy", ConsentRequestPolicy::from_body);
    let conditional_access = reading(&first, "ca", ConditionalAccessPolicy::list);
    // Entra keeps one open request per app; a batch holds 20, three of them taken below.
    let app_requests = reading(&first, "consent_requests", |b| {
        b["value"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter(|r| r["id"].is_string())
                    .take(BATCH_LIMIT - 3)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });

    let sp_id = service_principal
        .value()
        .and_then(|sp| sp.as_ref())
        .map(|sp| sp.id.clone());
    let mut second: Vec<Value> = Vec::new();
    if let Some(sp_id) = &sp_id {
        second.push(get(
            "grants",
            format!("/oauth2PermissionGrants?$filter=clientId%20eq%20'{sp_id}'%20and%20consentType%20eq%20'AllPrincipals'"),
        ));
        second.push(get(
            "assigned",
            format!("/servicePrincipals/{sp_id}/appRoleAssignedTo"),
        ));
    }
    let to_name = object_ids(&consent_request_policy, &conditional_access);
    if !to_name.is_empty() {
        // getByIds is a POST but reads only, so `batch_reads` may send it again when throttled.
        second.push(json!({
            "id": "names",
            "method": "POST",
            "url": "/directoryObjects/getByIds",
            "headers": {"Content-Type": "application/json"},
            "body": {"ids": to_name, "types": ["user", "group"]},
        }));
    }
    let requests: &[Value] = app_requests.value().map_or(&[], Vec::as_slice);
    let user_request_ids: Vec<String> = (0..requests.len()).map(|i| format!("ucr{i}")).collect();
    for (id, request) in user_request_ids.iter().zip(requests) {
        let request = request["id"].as_str().unwrap_or_default();
        second.push(get(
            id,
            format!(
                "/identityGovernance/appConsent/appConsentRequests/{request}/userConsentRequests"
            ),
        ));
    }
    let second = if second.is_empty() {
        Answers::new()
    } else {
        batch(&graph, session, &second).await?
    };

    // Without a service principal there is nothing granted or assigned: that is the finding.
    // When it could not be read, neither can be known.
    let (org_grants, assignments) = match &service_principal {
        Reading::Read(Some(_)) => (
            reading(&second, "grants", OrgGrant::list),
            reading(&second, "assigned", Assignment::list),
        ),
        Reading::Read(None) => (Reading::Read(Vec::new()), Reading::Read(Vec::new())),
        Reading::Denied(f) => (Reading::Denied(f.clone()), Reading::Denied(f.clone())),
        Reading::Failed(f) => (Reading::Failed(f.clone()), Reading::Failed(f.clone())),
    };
    let names = if to_name.is_empty() {
        Reading::Read(BTreeMap::new())
    } else {
        reading(&second, "names", DirectoryName::map)
    };
    Ok(TenantSnapshot {
        // The snapshot and the checklist still carry it as text.
        tenant_id: session.tenant_id.clone(),
        service_principal,
        org_grants,
        authorization_policy: reading(&first, "authz", AuthorizationPolicy::from_body),
        consent_request_policy,
        assignments,
        conditional_access,
        pending_requests: pending(&app_requests, &second, &user_request_ids),
        names,
    })
}

/// The user and group ids the reviewers and the Conditional Access policies name, each once.
/// (Assignments carry their names; role template ids are not directory objects.)
fn object_ids(
    policy: &Reading<ConsentRequestPolicy>,
    conditional_access: &Reading<Vec<ConditionalAccessPolicy>>,
) -> Vec<String> {
    let reviewers = policy
        .value()
        .into_iter()
        .flat_map(|p| &p.reviewers)
        .filter_map(|r| match r {
            Reviewer::User(id) | Reviewer::Group(id) => Some(id),
            Reviewer::Role(_) | Reviewer::Other(_) => None,
        });
    let policies = conditional_access
        .value()
        .into_iter()
        .flatten()
        .flat_map(|p| {
            [
                &p.include_users,
                &p.include_groups,
                &p.exclude_users,
                &p.exclude_groups,
            ]
            .into_iter()
            .flatten()
        });
    reviewers
        .chain(policies)
        // `All`, `None`, `GuestsOrExternalUsers` are keywords, not objects.
        .filter(|id| is_object_id(id))
        .map(|id| id.to_ascii_lowercase())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .take(NAMES_LIMIT)
        .collect()
}

/// Whether `id` has the shape of a directory object id (a GUID).
fn is_object_id(id: &str) -> bool {
    id.len() == 36
        && id.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// One GET of a `$batch`.
fn get(id: &str, url: impl Into<String>) -> Value {
    json!({"id": id, "method": "GET", "url": url.into()})
}

/// The open user requests of every app request; the first refusal stands for the whole list.
fn pending(
    app_requests: &Reading<Vec<Value>>,
    answers: &Answers,
    ids: &[String],
) -> Reading<Vec<PendingRequest>> {
    let list = match app_requests {
        Reading::Read(list) => list,
        Reading::Denied(f) => return Reading::Denied(f.clone()),
        Reading::Failed(f) => return Reading::Failed(f.clone()),
    };
    let mut out = Vec::new();
    for (app_request, id) in list.iter().zip(ids) {
        match reading(answers, id, |body| PendingRequest::list(app_request, body)) {
            Reading::Read(mut found) => out.append(&mut found),
            other => return other,
        }
    }
    Reading::Read(out)
}

fn reading<T>(answers: &Answers, id: &str, parse: impl FnOnce(&Value) -> T) -> Reading<T> {
    match answers.get(id) {
        Some((status, body)) => Reading::from_answer(*status, body, parse),
        None => Reading::Failed(GraphErrorFields {
            status: 0,
            code: "noAnswer".into(),
            message: "Graph did not answer this request in the batch".into(),
            request_id: None,
            date: None,
        }),
    }
}

/// One `$batch` of reads; its answers by id.
async fn batch(
    graph: &Graph,
    session: &AdminSession,
    requests: &[Value],
) -> Result<Answers, GraphError> {
    let responses = graph
        .batch_reads(session.access.for_graph(), requests)
        .await?;
    Ok(responses
        .iter()
        .filter_map(|r| {
            let id = r["id"].as_str()?.to_owned();
            let status = r["status"].as_u64().and_then(|s| u16::try_from(s).ok())?;
            Some((id, (status, r["body"].clone())))
        })
        .collect())
}
