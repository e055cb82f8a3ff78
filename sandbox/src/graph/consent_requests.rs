//! `/identityGovernance/appConsent/appConsentRequests` (docs/entra-reference.md §6.6): the admin consent workflow's
//! requests per app, and each app's `userConsentRequests`.

use serde_json::{json, Value};

use super::auth::{Caller, READER_ROLES};
use super::error::GraphError;
use super::odata::{collection, entity};
use super::{Call, Reply};
use crate::context::Sandbox;
use crate::state::ConsentRequest;

const READ_SCOPES: [&str; 2] = ["ConsentRequest.Read.All", "ConsentRequest.ReadWrite.All"];
const FRAGMENT: &str = "identityGovernance/appConsent/appConsentRequests";

fn request_json(sb: &Sandbox, request: &ConsentRequest) -> Value {
    let name = sb
        .seed
        .application(&request.app_id)
        .map(|a| &a.display_name);
    let pending: Vec<Value> = request
        .pending_scopes
        .iter()
        .map(|s| json!({"displayName": s}))
        .collect();
    json!({
        "id": request.id,
        "appId": request.app_id,
        "appDisplayName": name,
        "consentType": "Dynamic",
        "pendingScopes": pending,
    })
}

/// `GET .../appConsentRequests[/{id}[/userConsentRequests]]`.
pub fn handle(
    sb: &Sandbox,
    caller: &Caller<'_>,
    call: &Call<'_>,
    rest: &[&str],
) -> Result<Reply, GraphError> {
    if *call.method != axum::http::Method::GET {
        return Err(GraphError::method_not_allowed());
    }
    caller.require_admin(&READ_SCOPES, &READER_ROLES)?;
    let requests = sb.store.consent_requests(&caller.tenant.id);
    let find = |id: &str| {
        requests
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))
            .ok_or_else(|| GraphError::resource_not_found(id))
    };
    match rest {
        [] => {
            let items = requests.iter().map(|r| request_json(sb, r)).collect();
            collection(
                sb,
                FRAGMENT,
                items,
                call.query,
                &["appId", "appDisplayName"],
            )
        }
        [id] => Ok(entity(
            sb,
            &format!("{FRAGMENT}/$entity"),
            request_json(sb, find(id)?),
        )),
        [id, "userconsentrequests"] => {
            let request = find(id)?;
            let now = sb.clock.now();
            let items = request
                .user_requests
                .iter()
                .map(|u| {
                    let user = sb.seed.user(&caller.tenant.id, &u.user_id).map(|(_, u)| u);
                    json!({
                        "id": u.id,
                        "approvalId": u.id,
                        "status": u.status(now).as_str(),
                        "reason": u.reason,
                        "createdBy": {"user": {
                            "id": u.user_id,
                            "displayName": user.map(|u| &u.display_name),
                            "userPrincipalName": user.map(|u| &u.user_principal_name),
                        }},
                        "createdDateTime": u.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        "completedDateTime": u.completed.map(|c| c.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                        "customData": null,
                    })
                })
                .collect();
            collection(
                sb,
                &format!("{FRAGMENT}('{}')/userConsentRequests", request.id),
                items,
                call.query,
                &["status"],
            )
        }
        [_, other, ..] => Err(GraphError::unknown_segment(other)),
    }
}
