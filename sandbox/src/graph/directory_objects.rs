//! `POST /directoryObjects/getByIds` (G api-reference/v1.0/api/directoryobject-getbyids.md): the
//! directory objects of the caller's tenant with the given ids, each with its `@odata.type`.
//! Ids that name nothing are left out. The sandbox's directory holds users and service
//! principals; asking for other types (`group`, `device`, ...) finds nothing.

use axum::http::Method;
use serde_json::{json, Value};

use super::auth::Caller;
use super::error::GraphError;
use super::me::user_json;
use super::odata::body;
use super::service_principals::by_object_id;
use super::{odata_context, Call, Reply};
use crate::context::Sandbox;

/// The v1.0 page's permission table: Directory.Read.All, delegated and application alike.
const READ_SCOPES: [&str; 1] = ["Directory.Read.All"];
/// "You can specify up to 1000 IDs."
const MAX_IDS: usize = 1000;

/// The request's `types`, lower-cased ("The values aren't case-sensitive"); `None`: every type.
fn types(body: &serde_json::Map<String, Value>) -> Result<Option<Vec<String>>, GraphError> {
    match body.get("types") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(list)) => list
            .iter()
            .map(|t| t.as_str().map(str::to_ascii_lowercase))
            .collect::<Option<Vec<_>>>()
            .map(Some)
            .ok_or_else(|| GraphError::bad_value("'types' must be a collection of strings.")),
        Some(_) => Err(GraphError::bad_value(
            "'types' must be a collection of strings.",
        )),
    }
}

/// The ids asked for, each once, in the order given.
fn ids(body: &serde_json::Map<String, Value>) -> Result<Vec<String>, GraphError> {
    let list = body
        .get("ids")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .ok_or_else(|| GraphError::bad_value("'ids' is required: a collection of strings."))?;
    if list.len() > MAX_IDS {
        return Err(GraphError::bad_value(&format!(
            "At most {MAX_IDS} ids may be given."
        )));
    }
    let mut unique: Vec<String> = Vec::with_capacity(list.len());
    for id in list {
        if !unique.iter().any(|u| u.eq_ignore_ascii_case(&id)) {
            unique.push(id);
        }
    }
    Ok(unique)
}

/// `POST /directoryObjects/getByIds` `{ids, types}`.
pub fn get_by_ids(sb: &Sandbox, caller: &Caller<'_>, call: &Call<'_>) -> Result<Reply, GraphError> {
    if *call.method != Method::POST {
        return Err(GraphError::method_not_allowed());
    }
    // Any member may read the directory with the permission: no directory role is checked.
    if !READ_SCOPES.iter().any(|s| caller.has(s)) {
        return Err(GraphError::insufficient_privileges());
    }
    let body = body(call)?;
    let wanted = types(&body)?;
    let ids = ids(&body)?;
    let wants = |kind: &str| {
        wanted.as_ref().is_none_or(|list| {
            list.iter()
                .any(|t| t == "directoryobject" || t.eq_ignore_ascii_case(kind))
        })
    };
    let tenant = caller.tenant;
    let value: Vec<Value> = ids
        .iter()
        .filter_map(|id| {
            let user = tenant
                .users
                .iter()
                .find(|u| u.id.eq_ignore_ascii_case(id))
                .filter(|_| wants("user"))
                .map(|u| ("#microsoft.graph.user", user_json(u)));
            let found = user.or_else(|| {
                by_object_id(sb, tenant, id)
                    .filter(|_| wants("servicePrincipal"))
                    .map(|sp| ("#microsoft.graph.servicePrincipal", sp))
            });
            found.map(|(odata_type, mut object)| {
                object["@odata.type"] = json!(odata_type);
                object
            })
        })
        .collect();
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, "directoryObjects"),
        "value": value,
    })))
}
