//! Reading the organization's setup through Graph: two `$batch` round trips (the second needs the
//! service principal's id from the first). Every call and the permission it needs is listed in
//! [`GRAPH_READS`].

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::graph::{Graph, GraphError, GraphErrorFields};

use super::error::AdminError;
use super::signin::AdminSession;
use super::snapshot::{
    Assignment, AuthorizationPolicy, ConditionalAccessPolicy, ConsentRequestPolicy, OrgGrant,
    PendingRequest, Reading, ServicePrincipal, TenantSnapshot,
};
use super::AdminContext;

/// Graph allows 20 requests per `$batch`.
const BATCH_LIMIT: usize = 20;

/// Every Graph read of the admin path and the least-privileged permission it needs (ref §6).
pub const GRAPH_READS: [(&str, &str); 8] = [
    ("GET /servicePrincipals?$filter=appId eq '{appId}'", "Application.Read.All"),
    ("GET /servicePrincipals/{spId}/appRoleAssignedTo", "Application.Read.All"),
    ("GET /oauth2PermissionGrants?$filter=clientId eq '{spId}' and consentType eq 'AllPrincipals'", "DelegatedPermissionGrant.Read.All"),
    ("GET /policies/authorizationPolicy", "Policy.Read.All"),
    ("GET /policies/adminConsentRequestPolicy", "Policy.Read.All"),
    ("GET /identity/conditionalAccess/policies", "Policy.Read.All"),
    ("GET /identityGovernance/appConsent/appConsentRequests?$filter=appId eq '{appId}'", "ConsentRequest.Read.All"),
    ("GET /identityGovernance/appConsent/appConsentRequests/{id}/userConsentRequests", "ConsentRequest.Read.All"),
];

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
            ("sp", format!("/servicePrincipals?$filter=appId%20eq%20'{app_id}'")),
            ("authz", "/policies/authorizationPolicy".to_owned()),
            ("requests_policy", "/policies/adminConsentRequestPolicy".to_owned()),
            ("ca", "/identity/conditionalAccess/policies".to_owned()),
            (
                "consent_requests",
                format!("/identityGovernance/appConsent/appConsentRequests?$filter=appId%20eq%20'{app_id}'"),
            ),
        ],
    )
    .await?;
    let service_principal = reading(&first, "sp", ServicePrincipal::from_list);
    // Entra keeps one open request per app; a batch holds 20, two of them taken below.
    let app_requests = reading(&first, "consent_requests", |b| {
        b["value"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter(|r| r["id"].is_string())
                    .take(BATCH_LIMIT - 2)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });

    let sp_id = service_principal
        .value()
        .and_then(|sp| sp.as_ref())
        .map(|sp| sp.id.clone());
    let mut second: Vec<(&str, String)> = Vec::new();
    if let Some(sp_id) = &sp_id {
        second.push((
            "grants",
            format!("/oauth2PermissionGrants?$filter=clientId%20eq%20'{sp_id}'%20and%20consentType%20eq%20'AllPrincipals'"),
        ));
        second.push((
            "assigned",
            format!("/servicePrincipals/{sp_id}/appRoleAssignedTo"),
        ));
    }
    let requests: &[Value] = app_requests.value().map_or(&[], Vec::as_slice);
    let user_request_ids: Vec<String> = (0..requests.len()).map(|i| format!("ucr{i}")).collect();
    for (id, request) in user_request_ids.iter().zip(requests) {
        let request = request["id"].as_str().unwrap_or_default();
        second.push((
            id.as_str(),
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
    Ok(TenantSnapshot {
        tenant_id: session.tenant_id.clone(),
        service_principal,
        org_grants,
        authorization_policy: reading(&first, "authz", AuthorizationPolicy::from_body),
        consent_request_policy: reading(&first, "requests_policy", ConsentRequestPolicy::from_body),
        assignments,
        conditional_access: reading(&first, "ca", ConditionalAccessPolicy::list),
        pending_requests: pending(&app_requests, &second, &user_request_ids),
    })
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

/// One `$batch` of GETs; its answers by id.
async fn batch(
    graph: &Graph,
    session: &AdminSession,
    requests: &[(&str, String)],
) -> Result<Answers, GraphError> {
    let requests: Vec<Value> = requests
        .iter()
        .map(|(id, url)| json!({"id": id, "method": "GET", "url": url}))
        .collect();
    let responses = graph
        .batch_reads(session.access.for_graph(), &requests)
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
