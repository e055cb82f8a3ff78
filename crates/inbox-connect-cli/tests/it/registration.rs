//! `registration` through the built binary: what a vendor's profile needs registered, as text and
//! as JSON, and exit code 2 for a profile it cannot use.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");

fn run(args: &[&str]) -> Output {
    Command::new(CLI).args(args).output().expect("the CLI runs")
}

fn vendor_profile() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vendor/acme-vendor.toml")
        .display()
        .to_string()
}

#[test]
fn the_vendors_registration_is_printed_for_a_person_and_as_json() {
    let profile = vendor_profile();
    let out = run(&["--profile", &profile, "registration"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    for expected in [
        "save this as recruiter-app.json",
        "Delegated Microsoft Graph permissions: Mail.Send, Mail.ReadWrite, offline_access,",
        "\"resourceAppId\": \"00000003-0000-0000-c000-000000000000\"",
        "\"redirectUris\": [\n      \"http://localhost\"\n    ]",
        "az rest --method POST --url https://graph.microsoft.com/v1.0/applications",
        "1. Put each created app's appId into the profile",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }

    let out = run(&["--profile", &profile, "registration", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    let access = json["recruiter_app"]["requiredResourceAccess"][0]["resourceAccess"]
        .as_array()
        .unwrap_or_else(|| panic!("{json:#}"));
    assert!(
        access.contains(&serde_json::json!({
            "id": "e383f46e-2787-4529-855e-0e479a3ffac0", "type": "Scope"
        })),
        "Mail.Send's delegated id: {access:?}"
    );
    assert_eq!(json["az"].as_array().map(Vec::len), Some(1), "{json:#}");
}

#[test]
fn a_profile_it_cannot_use_exits_2_naming_the_problem() {
    let dir = std::env::temp_dir().join(format!("registration-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let bad = dir.join("bad.toml");
    let text = std::fs::read_to_string(vendor_profile())
        .expect("the vendor profile")
        .replace("\"Mail.Send\"", "\"Mail.Sendd\"");
    std::fs::write(&bad, text).expect("written");
    let out = run(&["--profile", &bad.display().to_string(), "registration"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("\"Mail.Sendd\""), "{stderr}");

    let out = run(&["--profile", "/nonexistent/profile.toml", "registration"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
}
