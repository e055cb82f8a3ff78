//! The registration printed for a profile, held to Microsoft's published contract: every
//! permission id to Microsoft's list of Graph permission ids, and every manifest to the JSON
//! representation of Graph's `application` resource (both pinned in tests/data/).

use std::path::Path;

use inbox_connect_core::registration::{self, Registration};
use inbox_connect_core::Profile;
use serde_json::Value;

const PUBLISHED_IDS: &str = include_str!("../data/graph-permission-ids.md");
const SCHEMA: &str = include_str!("../data/graph-application-schema.json");

/// The delegated rows of the pinned list: (permission, id).
fn published_delegated() -> Vec<(String, String)> {
    PUBLISHED_IDS
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", name, "Delegated", id, ""] => Some(((*name).to_owned(), (*id).to_owned())),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn every_permission_id_is_microsofts() {
    let published = published_delegated();
    assert!(published.len() >= 20, "read only {published:?}");
    let reference = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/entra-reference.md"),
    )
    .unwrap_or_else(|e| panic!("docs/entra-reference.md: {e}"));
    let mut problems = Vec::new();
    for (scope, id) in registration::known_graph_permissions() {
        let listed = published.iter().find(|(name, _)| name == scope);
        match listed {
            Some((_, published_id)) if published_id == id => {}
            Some((_, published_id)) => {
                problems.push(format!("{scope}: {id}, Microsoft lists {published_id}"))
            }
            // Newer than the pinned list: the reference's Graph dump has it.
            None if reference.contains(&format!("`{scope}` (`{id}`")) => {}
            None => problems.push(format!("{scope}: {id} is in no published source")),
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Whether `value` has the shape `expected` takes in a JSON representation of Graph's docs.
fn conforms(value: &Value, expected: &Value, at: &str, schema: &Value, problems: &mut Vec<String>) {
    match expected {
        Value::String(kind) if kind == "Guid" => {
            let ok = value.as_str().is_some_and(|s| {
                s.len() == 36 && s.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
            });
            if !ok {
                problems.push(format!("{at}: {value} is not a Guid"));
            }
        }
        Value::String(_) if !value.is_string() => {
            problems.push(format!("{at}: {value} is not a string"))
        }
        Value::Bool(_) if !value.is_boolean() => {
            problems.push(format!("{at}: {value} is not a boolean"))
        }
        Value::Array(items) => match (value.as_array(), items.first()) {
            (Some(values), Some(item)) => {
                for (i, v) in values.iter().enumerate() {
                    conforms(v, item, &format!("{at}[{i}]"), schema, problems);
                }
            }
            _ => problems.push(format!("{at}: {value} is not an array")),
        },
        Value::Object(shape) => {
            let Some(type_name) = shape.get("@odata.type").and_then(Value::as_str) else {
                return problems.push(format!("{at}: the schema names no type"));
            };
            resource(value, type_name, at, schema, problems);
        }
        _ => {}
    }
}

/// Whether `value` is a `type_name` resource: only its properties, each of its shape and allowed value.
fn resource(value: &Value, type_name: &str, at: &str, schema: &Value, problems: &mut Vec<String>) {
    let Some(shape) = schema.get(type_name).and_then(Value::as_object) else {
        return problems.push(format!("{at}: {type_name} is not pinned"));
    };
    let Some(fields) = value.as_object() else {
        return problems.push(format!("{at}: {value} is not an object"));
    };
    for (key, v) in fields {
        let here = format!("{at}.{key}");
        let Some(expected) = shape.get(key) else {
            problems.push(format!("{here}: {type_name} has no such property"));
            continue;
        };
        conforms(v, expected, &here, schema, problems);
        if let Some(allowed) = schema["_values"]
            .get(format!("{type_name}.{key}"))
            .and_then(Value::as_array)
        {
            if !allowed.contains(v) {
                problems.push(format!("{here}: {v} is not one of {allowed:?}"));
            }
        }
    }
}

fn profiles() -> Vec<(&'static str, Profile)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let acme = Profile::from_file(&root.join("tests/vendor/acme-vendor.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let with_admin_app = Profile::from_toml(&format!(
        "admin_client_id = \"0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d\"\n\
         admin_consent_redirect_uri = \"https://acme-recruit.example/admin-consent-done\"\n{}",
        inbox_connect_core::profile::SANDBOX_PROFILE
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    vec![
        ("sandbox", Profile::sandbox()),
        ("acme-vendor", acme),
        ("with an admin app", with_admin_app),
    ]
}

#[test]
fn every_manifest_is_a_graph_application() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    let mut admin_apps = 0;
    for (name, profile) in profiles() {
        let registration =
            Registration::for_profile(&profile).unwrap_or_else(|e| panic!("{name}: {e}"));
        let apps = std::iter::once(&registration.recruiter).chain(registration.admin.as_ref());
        for app in apps {
            let manifest = app.manifest();
            resource(
                &manifest,
                "microsoft.graph.application",
                name,
                &schema,
                &mut problems,
            );
            assert_eq!(
                manifest["publicClient"]["redirectUris"],
                serde_json::json!(["http://localhost"]),
                "{name}: the loopback URI the app sends, without its port"
            );
        }
        admin_apps += usize::from(registration.admin.is_some());
    }
    assert_eq!(admin_apps, 1, "one profile names an admin app");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_check_fails_on_what_graph_does_not_take() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap_or_else(|e| panic!("{e}"));
    let mut manifest = Registration::for_profile(&Profile::sandbox())
        .unwrap_or_else(|e| panic!("{e}"))
        .recruiter
        .manifest();
    manifest["allowPublicClient"] = Value::Bool(true);
    manifest["signInAudience"] = Value::from("AzureADMultipleOrganizations");
    manifest["requiredResourceAccess"][0]["resourceAccess"][0]["type"] = Value::from("Delegated");
    let mut problems = Vec::new();
    resource(
        &manifest,
        "microsoft.graph.application",
        "broken",
        &schema,
        &mut problems,
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
}
