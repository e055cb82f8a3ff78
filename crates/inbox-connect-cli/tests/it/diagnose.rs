//! `diagnose` and `admin-link` through the built binary: several artifact shapes (argument and
//! stdin), the JSON shape, the link, and exit code 2 for bad input.

use std::process::{Output, Stdio};

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use url::Url;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");
const TRACE: &str = "0000aaaa-11bb-cccc-dd33-eeeeee333333";

async fn run(args: &[&str]) -> Output {
    Command::new(CLI)
        .args(args)
        .output()
        .await
        .expect("the CLI runs")
}

async fn run_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(CLI)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(input.as_bytes())
        .await
        .expect("stdin takes the input");
    drop(stdin);
    child.wait_with_output().await.expect("the CLI ends")
}

fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test]
async fn a_redirect_url_gets_a_human_summary() {
    let url = format!("http://localhost:53123/?error=consent_required&error_description=AADSTS90094%3a+Admin+consent+is+required.%0d%0aTrace+ID%3a+{TRACE}&state=x");
    let out = run(&["diagnose", &url]).await;
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "cause: admin_consent_required (need_admin_approval)",
        "code: AADSTS90094",
        "confidence: high",
        "read: AADSTS90094 AdminConsentRequired",
        "who can fix it: your IT admin",
        "next steps:\n1. ",
        &format!("trace_id: {TRACE}"),
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[tokio::test]
async fn json_output_has_exactly_the_diagnosis_keys() {
    let token_error = format!(
        r#"{{"error":"invalid_grant","error_description":"AADSTS50105: Your administrator has configured the application Acme Recruit to block users unless they are specifically granted ('assigned') access to the application.\r\nTrace ID: {TRACE}","error_codes":[50105],"trace_id":"{TRACE}"}}"#
    );
    let json = json_of(&run(&["diagnose", "--json", &token_error]).await);
    let keys: Vec<&str> = json
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [
            "advice",
            "also_possible",
            "cause",
            "code",
            "confidence",
            "detail",
            "evidence",
            "explanation",
            "facts",
            "fixed_by",
            "next_steps"
        ]
    );
    assert_eq!(json["confidence"], "high");
    assert_eq!(json["evidence"][0]["kind"], "aadsts_code");
    assert_eq!(
        json["evidence"][0]["text"],
        "AADSTS50105 EntitlementGrantsNotFound"
    );
    assert_eq!(json["cause"], "user_not_assigned");
    assert_eq!(json["code"], "AADSTS50105");
    assert_eq!(json["fixed_by"], "it_admin");
    assert_eq!(json["facts"]["trace_id"], TRACE);
    assert!(json["next_steps"].as_array().is_some_and(|s| !s.is_empty()));
}

#[tokio::test]
async fn stdin_takes_pasted_page_text_and_graph_json() {
    let page = "Sign in\nYou cannot access this right now\nYour sign-in was successful but does not meet the criteria to access this resource.\nError Code: 53003\nRequest Id: 5ad0fa0e-ad31-4e25-9f3e-5f6b3a6ce500\nMessage: AADSTS53003: Access has been blocked by Conditional Access policies.";
    let json = json_of(&run_with_stdin(&["diagnose", "-", "--json"], page).await);
    assert_eq!(json["cause"], "conditional_access_blocked");
    assert_eq!(json["code"], "AADSTS53003");

    let graph = r#"2026-11-23 WARN check failed: {"error":{"code":"MailboxNotEnabledForRESTAPI","message":"REST API is not yet supported for this mailbox.","innerError":{"request-id":"5ad0fa0e-ad31-4e25-9f3e-5f6b3a6ce500","date":"2026-11-23T10:00:00"}}}"#;
    let json = json_of(&run_with_stdin(&["diagnose", "--json", "-"], graph).await);
    assert_eq!(json["cause"], "mailbox_not_exchange_online");
    assert_eq!(json["code"], "MailboxNotEnabledForRESTAPI");
    assert_eq!(
        json["facts"]["request_id"],
        "5ad0fa0e-ad31-4e25-9f3e-5f6b3a6ce500"
    );
}

#[tokio::test]
async fn a_python_exception_with_a_lowercase_code_says_what_it_read() {
    let exception = r#"msal.exceptions: {'error': 'invalid_grant', 'error_description': 'aadsts50005: User tried to log in to a device from a platform (Unknown) that\'s currently not supported through Conditional Access policy.'}"#;
    let json = json_of(&run_with_stdin(&["diagnose", "--json", "-"], exception).await);
    assert_eq!(json["cause"], "device_or_platform_not_allowed");
    assert_eq!(json["also_possible"], "conditional_access_blocked");
    assert_eq!(json["confidence"], "high");
    let read: Vec<&str> = json["evidence"]
        .as_array()
        .map(|e| e.iter().filter_map(|c| c["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        read,
        ["AADSTS50005 DevicePolicyError", "error=invalid_grant"]
    );
}

#[tokio::test]
async fn empty_input_is_an_input_error() {
    let out = run_with_stdin(&["diagnose", "-"], "  \n").await;
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to diagnose"));
    let out = run(&["diagnose"]).await;
    assert_eq!(out.status.code(), Some(2), "clap's usage error: {out:?}");
}

#[tokio::test]
async fn admin_link_names_the_tenant_and_exactly_the_feature_scopes() {
    let out = run(&[
        "admin-link",
        "--tenant",
        "nina@northwind-hiring.example",
        "--features",
        "calendar",
        "--authority",
        "http://127.0.0.1:4321/organizations/v2.0",
    ])
    .await;
    assert!(out.status.success(), "{out:?}");
    let link = Url::parse(String::from_utf8_lossy(&out.stdout).trim()).expect("a URL");
    assert_eq!(link.path(), "/northwind-hiring.example/v2.0/adminconsent");
    let query = |k: &str| {
        link.query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(
        query("client_id").as_deref(),
        Some("6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69")
    );
    assert_eq!(query("redirect_uri").as_deref(), Some("http://localhost/"));
    let scope = query("scope").unwrap_or_default();
    assert!(
        scope.contains("https://graph.microsoft.com/Calendars.ReadWrite")
            && !scope.contains("Mail.Send"),
        "{scope}"
    );
}

#[tokio::test]
async fn admin_link_refuses_common_malformed_input_and_non_entra_authorities() {
    let entra = "https://login.microsoftonline.com/organizations/v2.0";
    for (args, needle) in [
        (vec!["--tenant", "common", "--authority", entra], "common"),
        (
            vec!["--tenant", "not a domain", "--authority", entra],
            "is not a domain name",
        ),
        (
            vec![
                "--tenant",
                "contoso.com",
                "--authority",
                "https://accounts.example.com/",
            ],
            "not a Microsoft Entra authority",
        ),
        (vec!["--tenant", "contoso.com"], "--authority"),
    ] {
        let mut all = vec!["admin-link"];
        all.extend(args.iter().copied());
        let out = run(&all).await;
        assert_eq!(out.status.code(), Some(2), "{all:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{all:?}: {stderr}");
    }
}
