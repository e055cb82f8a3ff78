//! The built `inbox-connect-cli` binary against the in-process sandbox tenant, with the real OS
//! keychain (run through scripts/lib/test-session.sh).

use inbox_connect_test_support::browser;

use crate::program;
use crate::sign_in_link;

use std::process::Stdio;

use crate::program::{run_json, Program};
use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use url::Url;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");
const RILEY: &str = "riley@contoso-recruiting.example";

fn cli(sandbox: &entra_sandbox::RunningSandbox, service: &str, args: &[&str]) -> Command {
    Program::native().command(sandbox, service, args)
}

async fn connect(
    sandbox: &entra_sandbox::RunningSandbox,
    service: &str,
    extra: &[&str],
    answers: browser::Answers,
) -> (Url, browser::Landing, std::process::ExitStatus, String) {
    Program::native()
        .connect(sandbox, service, extra, answers)
        .await
}

#[tokio::test]
async fn connect_status_and_disconnect_through_the_binary() {
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = format!("inbox-connect-cli-test-{}", std::process::id());

    let (link, landing, status, rest) = connect(
        &sandbox,
        &service,
        &[],
        browser::answers(RILEY, "Recruit-2026!"),
    )
    .await;
    assert_eq!(
        browser::query(&link, "client_id").as_deref(),
        Some("6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69")
    );
    assert!(landing.body.contains("Connected"), "{}", landing.body);
    assert!(status.success(), "connect failed: {rest}");
    let connected: Value = serde_json::from_str(&rest).expect("the status as JSON");
    assert_eq!(connected["state"], "connected");

    let (ok, status) = run_json(cli(&sandbox, &service, &["status", "--json"])).await;
    assert!(ok, "{status}");
    assert_eq!(status["state"], "connected");
    assert_eq!(status["account"]["username"], RILEY);
    assert_eq!(
        status["organization"]["tenant_id"],
        "3f6b2c1e-5a47-4d8e-9c21-7b0e4f9a2d61"
    );
    assert!(status["permissions"].as_array().is_some_and(|p| p
        .iter()
        .any(|p| p["scope"] == "Mail.Send" && p["granted"] == true)));
    assert!(status["access_token_expires_at"].is_string());

    let (ok, report) = run_json(cli(&sandbox, &service, &["disconnect", "--json"])).await;
    assert!(ok && report["removed_from_keychain"] == true, "{report}");
    let (ok, status) = run_json(cli(&sandbox, &service, &["status", "--json"])).await;
    assert!(ok);
    assert_eq!(status["state"], "disconnected");
}

/// The CLI exits as soon as it has printed the status; the browser tab must still get its result
/// page (msal-js #6595), even when the browser asks for it a moment after the redirect.
#[tokio::test]
async fn a_slow_browser_still_gets_the_result_page_from_an_exiting_cli() {
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = format!("inbox-connect-cli-test-slow-{}", std::process::id());
    let mut child = cli(&sandbox, &service, &["connect", "--no-browser", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the CLI starts");
    let (_stdout, link) = sign_in_link::read(&mut child).await;

    let manual = browser::manual_client();
    let callback =
        browser::walk_to_redirect(&manual, &link, &browser::answers(RILEY, "Recruit-2026!")).await;
    let redirect = manual
        .get(callback)
        .send()
        .await
        .expect("the callback is answered");
    assert_eq!(redirect.status(), 302, "the code leaves the address bar");
    let clean = redirect
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .expect("a clean URL")
        .to_owned();
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let page = browser::client()
        .get(&clean)
        .send()
        .await
        .expect("the result page is still served")
        .text()
        .await
        .expect("a page body");
    assert!(page.contains("Connected"), "{page}");
    assert!(child.wait().await.expect("the CLI exits").success());

    let (ok, _) = run_json(cli(&sandbox, &service, &["disconnect", "--json"])).await;
    assert!(ok, "the test's keychain entry is removed");
}

#[tokio::test]
async fn without_an_authority_the_cli_says_how_to_start_the_sandbox() {
    let out = Command::new(CLI)
        .args(["status"])
        .output()
        .await
        .expect("the CLI runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("entra-sandbox") && stderr.contains("--authority"),
        "{stderr}"
    );

    let out = Command::new(CLI)
        .args(["status", "--json"])
        .output()
        .await
        .expect("the CLI runs");
    let payload: Value = serde_json::from_slice(&out.stdout).expect("the error as JSON");
    assert_eq!(payload["code"], "endpoints_not_set");
    assert!(payload["action"]
        .as_str()
        .is_some_and(|a| a.contains("entra-sandbox")));
}

#[tokio::test]
async fn a_non_loopback_http_authority_is_refused() {
    let mut child = Command::new(CLI)
        .args([
            "status",
            "--json",
            "--authority",
            "http://login.example.com/common/v2.0",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the CLI runs");
    let mut text = String::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut text)
        .await
        .unwrap();
    assert!(!child.wait().await.unwrap().success());
    let payload: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(payload["code"], "profile_invalid");
    assert!(
        payload["message"]
            .as_str()
            .is_some_and(|m| m.contains("must use https")),
        "{payload}"
    );
}

#[tokio::test]
async fn a_blocked_connect_prints_the_diagnosis_and_exits_1() {
    use entra_sandbox::seed::presets;
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = format!("inbox-connect-cli-blocked-{}", std::process::id());
    let (_, landing, status, rest) = connect(
        &sandbox,
        &service,
        &["--login-hint", presets::UNASSIGNED_USER],
        browser::answers(presets::UNASSIGNED_USER, presets::USER_PASSWORD),
    )
    .await;
    let json = program::blocked(&landing, status, &rest);
    assert_eq!(json["blocked"]["diagnosis"]["cause"], "user_not_assigned");
    assert_eq!(json["blocked"]["diagnosis"]["code"], "AADSTS50105");
}
