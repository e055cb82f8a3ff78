//! OData pieces of the directory APIs: `$filter` with `eq` clauses joined by `and` (what docs/entra-reference.md §6
//! uses), collection bodies, and JSON request bodies.

use serde_json::{json, Value};

use super::error::GraphError;
use super::{odata_context, Call, Reply};
use crate::context::Sandbox;
use crate::params::Params;

/// One `property eq 'value'` clause (property as written, value unquoted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// Property name.
    pub property: String,
    /// The literal compared with.
    pub value: String,
}

fn clause(text: &str) -> Option<Clause> {
    let (property, literal) = text.trim().split_once(" eq ")?;
    let inner = literal.trim().strip_prefix('\'')?.strip_suffix('\'')?;
    Some(Clause {
        property: property.trim().to_owned(),
        value: inner.replace("''", "'"),
    })
}

/// The `$filter` clauses of a query; each property must be one of `supported` (case-insensitive).
pub fn filter(query: Option<&str>, supported: &[&str]) -> Result<Vec<Clause>, GraphError> {
    let params = Params::parse(query.unwrap_or_default().as_bytes());
    let Some(text) = params.non_empty("$filter") else {
        return Ok(Vec::new());
    };
    let lower = text.to_ascii_lowercase();
    // Split on " and " found in the lower-cased copy; ASCII lower-casing keeps byte offsets.
    let mut parts = Vec::new();
    let mut start = 0;
    while let Some(at) = lower[start..].find(" and ") {
        parts.push(&text[start..start + at]);
        start += at + 5;
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .map(|part| {
            clause(part)
                .filter(|c| {
                    supported
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(&c.property))
                })
                .ok_or_else(|| GraphError::bad_filter(text))
        })
        .collect()
}

/// Whether a JSON object satisfies every clause (property names and values case-insensitive).
pub fn satisfies(item: &Value, clauses: &[Clause]) -> bool {
    clauses.iter().all(|c| {
        item.as_object()
            .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(&c.property)))
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.eq_ignore_ascii_case(&c.value))
    })
}

/// `{"@odata.context": ..., "value": [...]}` of the items satisfying the query's `$filter`.
pub fn collection(
    sb: &Sandbox,
    fragment: &str,
    items: Vec<Value>,
    query: Option<&str>,
    supported: &[&str],
) -> Result<Reply, GraphError> {
    let clauses = filter(query, supported)?;
    let value: Vec<Value> = items
        .into_iter()
        .filter(|item| satisfies(item, &clauses))
        .collect();
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, fragment),
        "value": value,
    })))
}

/// An entity body with its `@odata.context`.
pub fn entity(sb: &Sandbox, fragment: &str, mut body: Value) -> Reply {
    body["@odata.context"] = json!(odata_context(sb, fragment));
    Reply::ok(body)
}

/// The JSON object a write sends.
pub fn body(call: &Call<'_>) -> Result<serde_json::Map<String, Value>, GraphError> {
    match serde_json::from_slice(call.body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(GraphError::bad_json()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ref_6_4_filter_with_and_and_quotes() {
        let clauses = filter(
            Some("%24filter=clientId%20eq%20%27abc%27%20AND%20consentType%20eq%20%27AllPrincipals%27"),
            &["clientId", "consentType"],
        )
        .expect("parses");
        assert_eq!(clauses.len(), 2);
        assert_eq!(clauses[1].value, "AllPrincipals");
        assert!(filter(Some("$filter=appId ne 'x'"), &["appId"]).is_err());
        assert!(filter(Some("$filter=other eq 'x'"), &["appId"]).is_err());
        assert!(satisfies(&json!({"clientId": "ABC"}), &clauses[..1]));
    }
}
