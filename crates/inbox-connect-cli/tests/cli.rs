//! The built `inbox-connect-cli` binary against the in-process sandbox tenant, with the real OS
//! keychain (run through scripts/lib/test-session.sh).

#[path = "../../inbox-connect-core/tests/util/browser.rs"]
#[allow(dead_code)] // Shared with the library's tests, which use more of it.
mod browser;

use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::Command;
use url::Url;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");
const RILEY: &str = "riley@contoso-recruiting.example";

fn cli(sandbox: &entra_sandbox::RunningSandbox, service: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(CLI);
    cmd.args(args)
        .arg("--authority")
        .arg(sandbox.authority("organizations").as_str())
        .arg("--graph")
        .arg(sandbox.graph_url().as_str())
        .env("INBOX_CONNECT_KEYCHAIN_SERVICE", service)
        .kill_on_drop(true);
    cmd
}

async fn run_json(mut cmd: Command) -> (bool, Value) {
    let out = cmd.output().await.expect("the CLI runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (out.status.success(), json)
}

#[tokio::test]
async fn connect_status_and_disconnect_through_the_binary() {
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = format!("inbox-connect-cli-test-{}", std::process::id());

    let mut child = cli(
        &sandbox,
        &service,
        &["connect", "--no-browser", "--json", "--timeout", "60"],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the CLI starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).await.expect("the first line");
    let link = Url::parse(first.trim())
        .unwrap_or_else(|e| panic!("the first line is the sign-in link ({e}): {first}"));
    assert_eq!(
        browser::query(&link, "client_id").as_deref(),
        Some("6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69")
    );

    let landing = browser::walk(
        &browser::client(),
        &link,
        &browser::answers(RILEY, "Recruit-2026!"),
    )
    .await;
    assert!(landing.body.contains("Connected"), "{}", landing.body);
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.unwrap();
    let status = child.wait().await.unwrap();
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
    let mut child = cli(
        &sandbox,
        &service,
        &[
            "connect",
            "--no-browser",
            "--json",
            "--timeout",
            "60",
            "--login-hint",
            presets::UNASSIGNED_USER,
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("the CLI starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).await.expect("the first line");
    let link = Url::parse(first.trim()).expect("the sign-in link");
    let landing = browser::walk(
        &browser::client(),
        &link,
        &browser::answers(presets::UNASSIGNED_USER, presets::USER_PASSWORD),
    )
    .await;
    assert!(
        landing.body.contains("Not connected yet"),
        "{}",
        landing.body
    );
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.unwrap();
    let status = child.wait().await.unwrap();
    assert_eq!(status.code(), Some(1), "{rest}");
    let json: Value = serde_json::from_str(&rest).expect("the status as JSON");
    assert_eq!(json["state"], "blocked");
    assert_eq!(json["blocked"]["diagnosis"]["cause"], "user_not_assigned");
    assert_eq!(json["blocked"]["diagnosis"]["code"], "AADSTS50105");
}
