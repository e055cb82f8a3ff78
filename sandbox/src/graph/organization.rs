//! `GET /organization` and `GET /organization/{id}`: the signed-in user's tenant (Graph docs
//! api-reference/v1.0/api/organization-list.md, organization-get.md, resources/organization.md
//! and resources/verifieddomain.md).

use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::error::GraphError;
use super::{odata_context, Reply};
use crate::context::Sandbox;
use crate::seed::Tenant;

/// Delegated scopes that may read the organization, least privileged first (organization-get.md).
const READ_SCOPES: [&str; 5] = [
    "User.Read",
    "Organization.Read.All",
    "Directory.Read.All",
    "Organization.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// Scopes that read every property; with only User.Read "all other properties return with null
/// values" (organization-get.md).
const FULL_READ_SCOPES: [&str; 4] = [
    "Organization.Read.All",
    "Directory.Read.All",
    "Organization.ReadWrite.All",
    "Directory.ReadWrite.All",
];
/// Properties of resources/organization.md the seed has no value for.
const UNSEEDED: [&str; 16] = [
    "deletedDateTime",
    "city",
    "country",
    "countryLetterCode",
    "createdDateTime",
    "defaultUsageLocation",
    "directorySizeQuota",
    "isMultipleDataLocationsForServicesEnabled",
    "onPremisesLastSyncDateTime",
    "onPremisesSyncEnabled",
    "partnerTenantType",
    "postalCode",
    "preferredLanguage",
    "privacyProfile",
    "state",
    "street",
];
/// Collection properties: empty for a full reader, null under User.Read.
const COLLECTIONS: [&str; 8] = [
    "assignedPlans",
    "businessPhones",
    "marketingNotificationEmails",
    "provisionedPlans",
    "securityComplianceNotificationMails",
    "securityComplianceNotificationPhones",
    "technicalNotificationMails",
    "onPremisesSyncStatus",
];

/// `GET /organization`: a collection with the caller's one organization.
pub fn list(sb: &Sandbox, caller: &Caller<'_>) -> Result<Reply, GraphError> {
    caller.require(&READ_SCOPES)?;
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, "organization"),
        "value": [organization(caller)],
    })))
}

/// `GET /organization/{id}`: the caller's organization; any other id is not found.
pub fn item(sb: &Sandbox, caller: &Caller<'_>, id: &str) -> Result<Reply, GraphError> {
    caller.require(&READ_SCOPES)?;
    if !caller.tenant.id.eq_ignore_ascii_case(id) {
        return Err(GraphError::resource_not_found(id));
    }
    let mut body = organization(caller);
    body["@odata.context"] = json!(odata_context(sb, "organization/$entity"));
    Ok(Reply::ok(body))
}

fn organization(caller: &Caller<'_>) -> Value {
    let full = FULL_READ_SCOPES.iter().any(|s| caller.has(s));
    let tenant = caller.tenant;
    let mut org = Map::new();
    org.insert("id".into(), json!(tenant.id));
    org.insert("displayName".into(), json!(tenant.display_name));
    org.insert("verifiedDomains".into(), verified_domains(tenant));
    for key in UNSEEDED {
        org.insert(key.into(), Value::Null);
    }
    for key in COLLECTIONS {
        org.insert(key.into(), if full { json!([]) } else { Value::Null });
    }
    org.insert(
        "tenantType".into(),
        if full { json!("AAD") } else { Value::Null },
    );
    Value::Object(org)
}

/// The seed's domains: the first is the default, the `*.onmicrosoft.com` one the initial domain
/// every tenant is created with (resources/verifieddomain.md).
fn verified_domains(tenant: &Tenant) -> Value {
    let domains: Vec<Value> = tenant
        .domains
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({
                "capabilities": "Email, OfficeCommunicationsOnline",
                "isDefault": i == 0,
                "isInitial": name.to_ascii_lowercase().ends_with(".onmicrosoft.com"),
                "name": name,
                "type": "Managed",
            })
        })
        .collect();
    Value::Array(domains)
}
