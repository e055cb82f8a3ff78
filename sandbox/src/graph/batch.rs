//! `POST /$batch` (docs/entra-reference.md §7, json-batching.md): at most 20 requests, unique ids, `headers` required
//! with a `body`, `dependsOn` failures answered 424.

use std::collections::{HashMap, HashSet};

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::error::{GraphError, RequestIds};
use super::{dispatch, Call, Reply};
use crate::context::Sandbox;

/// Graph's limit on requests per batch.
const MAX_REQUESTS: usize = 20;

fn bad(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
}

/// One parsed batch item.
struct Item {
    id: String,
    method: Method,
    url: String,
    content_type: Option<String>,
    body: Vec<u8>,
    depends_on: Vec<String>,
}

/// Runs a batch; errors in the envelope fail the whole batch with 400.
pub fn run(sb: &Sandbox, caller: &Caller<'_>, call: &Call<'_>, ids: &RequestIds) -> Reply {
    if *call.method != Method::POST {
        return Reply::error(&GraphError::method_not_allowed(), ids);
    }
    match parse(call.body) {
        Ok(items) => Reply::ok(json!({ "responses": execute(sb, caller, &items, ids) })),
        Err(e) => Reply::error(&e, ids),
    }
}

fn parse(body: &[u8]) -> Result<Vec<Item>, GraphError> {
    let envelope: Value =
        serde_json::from_slice(body).map_err(|_| bad("Invalid batch payload format."))?;
    let requests = envelope
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("Invalid batch payload format."))?;
    if requests.len() > MAX_REQUESTS {
        return Err(bad(format!(
            "The number of requests in the batch ({}) exceeds the limit of {MAX_REQUESTS}.",
            requests.len()
        )));
    }
    let items = requests
        .iter()
        .map(parse_item)
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen = HashSet::new();
    if let Some(dup) = items.iter().find(|i| !seen.insert(i.id.as_str())) {
        return Err(bad(format!(
            "Batch request contains duplicate request id '{}'.",
            dup.id
        )));
    }
    if let Some(missing) = items
        .iter()
        .flat_map(|i| &i.depends_on)
        .find(|d| !seen.contains(d.as_str()))
    {
        return Err(bad(format!(
            "Request depends on unknown request id '{missing}'."
        )));
    }
    Ok(items)
}

fn parse_item(request: &Value) -> Result<Item, GraphError> {
    let text = |key: &str| {
        request
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let id = text("id").ok_or_else(|| bad("Each batch request needs a string 'id'."))?;
    let method = text("method")
        .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
        .ok_or_else(|| bad(format!("Request '{id}' needs a valid 'method'.")))?;
    let url = text("url").ok_or_else(|| bad(format!("Request '{id}' needs a 'url'.")))?;
    let headers = request.get("headers").and_then(Value::as_object);
    let content_type = headers.and_then(|h| header(h, "content-type"));
    let body = match request.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(body) => {
            // "headers" with a Content-Type are required whenever a body is present.
            let Some(ct) = &content_type else {
                return Err(bad(format!(
                    "Request '{id}' has a body but no Content-Type header."
                )));
            };
            match body {
                Value::String(s) if !ct.to_ascii_lowercase().contains("json") => {
                    s.clone().into_bytes()
                }
                other => other.to_string().into_bytes(),
            }
        }
    };
    let depends_on = match request.get("dependsOn") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(_) => return Err(bad(format!("Request '{id}' has an invalid 'dependsOn'."))),
    };
    Ok(Item {
        id: id.to_owned(),
        method,
        url: url.to_owned(),
        content_type,
        body,
        depends_on,
    })
}

fn header(headers: &Map<String, Value>, name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
}

/// Runs items whose dependencies are done, pass after pass; a failed or cyclic dependency is 424.
fn execute(sb: &Sandbox, caller: &Caller<'_>, items: &[Item], ids: &RequestIds) -> Vec<Value> {
    let mut statuses: HashMap<&str, StatusCode> = HashMap::new();
    let mut responses = Vec::with_capacity(items.len());
    while statuses.len() < items.len() {
        let ready: Vec<&Item> = items
            .iter()
            .filter(|i| !statuses.contains_key(i.id.as_str()))
            .filter(|i| {
                i.depends_on
                    .iter()
                    .all(|d| statuses.contains_key(d.as_str()))
            })
            .collect();
        // Nothing ready means a dependency cycle: everything left fails.
        let stuck = ready.is_empty();
        let batch: Vec<&Item> = if stuck {
            items
                .iter()
                .filter(|i| !statuses.contains_key(i.id.as_str()))
                .collect()
        } else {
            ready
        };
        for item in batch {
            let failed_dependency = stuck
                || item
                    .depends_on
                    .iter()
                    .any(|d| statuses.get(d.as_str()).is_some_and(|s| !s.is_success()));
            let reply = if failed_dependency {
                Reply::error(
                    &GraphError::new(
                        StatusCode::FAILED_DEPENDENCY,
                        "FailedDependency",
                        "The dependent request failed.",
                    ),
                    ids,
                )
            } else {
                run_item(sb, caller, item, ids)
            };
            statuses.insert(&item.id, reply.status);
            responses.push(item_response(&item.id, reply));
        }
    }
    responses
}

fn run_item(sb: &Sandbox, caller: &Caller<'_>, item: &Item, ids: &RequestIds) -> Reply {
    // Items use relative URLs ("/me" or "me"); an absolute v1.0 URL is tolerated.
    let relative = item
        .url
        .find("/v1.0/")
        .map_or(item.url.as_str(), |at| &item.url[at + "/v1.0".len()..]);
    let (path, query) = match relative.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (relative, None),
    };
    let path = format!("/{}", path.trim_start_matches('/'));
    if path.eq_ignore_ascii_case("/$batch") {
        return Reply::error(&bad("Nested batch requests are not supported."), ids);
    }
    let call = Call {
        method: &item.method,
        path: &path,
        query,
        content_type: item.content_type.as_deref(),
        body: &item.body,
    };
    dispatch(sb, caller, &call, ids)
}

fn item_response(id: &str, reply: Reply) -> Value {
    let mut response = json!({"id": id, "status": reply.status.as_u16(), "headers": {}});
    if let Some(body) = reply.body {
        response["headers"] = json!({"Content-Type": "application/json"});
        response["body"] = body;
    }
    response
}
