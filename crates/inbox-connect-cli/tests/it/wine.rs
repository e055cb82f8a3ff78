//! The Windows CLI under Wine against the sandbox tenant (issue 21): the loopback listener, the
//! test browser and Windows' Credential Manager as Wine implements it. scripts/lib/cross.sh builds
//! the `.exe`, makes a throwaway Wine prefix and runs these with the `.exe` and Wine's loader named
//! in the environment (see `program`); the ordinary test run has no `.exe` and ignores them.
//!
//! What Credential Manager holds is read with Wine's own `reg.exe` from the registry key where Wine
//! keeps the credentials (`HKCU\Software\Wine\Credential Manager`, one subkey per credential, the
//! secret in its `Password` value, encrypted with a stream cipher of the same length).

use crate::program;
use inbox_connect_test_support::browser;

use std::path::PathBuf;
use std::process::Output;

use crate::program::{run_json, Program};
use entra_sandbox::seed::presets;
use serde_json::Value;
use tokio::process::Command;

const RILEY: &str = "riley@contoso-recruiting.example";
/// Windows' limit on a credential's secret (CRED_MAX_CREDENTIAL_BLOB_SIZE).
const BLOB_LIMIT: usize = 2560;
const CREDENTIALS_KEY: &str = r"HKCU\Software\Wine\Credential Manager";
/// How reg.exe names a credential's subkey (then Wine's type prefix and the target name).
const CREDENTIAL_PREFIX: &str = r"HKEY_CURRENT_USER\Software\Wine\Credential Manager\";

/// One credential in Wine's Credential Manager.
#[derive(Debug)]
struct Credential {
    /// The registry subkey's name (Wine's prefix and the credential's target name).
    name: String,
    /// The secret's size in bytes.
    blob: usize,
}

/// A Windows program run by the same runner as the CLI (`reg`, `cmd`, `winepath`).
fn windows_tool(program: &Program, args: &[&str]) -> Command {
    let mut cmd = Command::new(program.runner().expect("the Windows CLI has a runner"));
    cmd.args(args).kill_on_drop(true);
    cmd
}

fn stdout_of(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).replace('\r', "")
}

/// The credentials whose target names `service` (keyring's `{account}.{service}`).
async fn credentials(program: &Program, service: &str) -> Vec<Credential> {
    let out = windows_tool(program, &["reg", "query", CREDENTIALS_KEY, "/s"])
        .output()
        .await
        .expect("reg.exe runs");
    // No credential stored yet in this prefix: reg.exe finds no key.
    if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("Unable to find") {
        return Vec::new();
    }
    let text = stdout_of(&out, "reg query");
    let mut found: Vec<Credential> = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix(CREDENTIAL_PREFIX) {
            current = name.contains(service).then(|| name.to_owned());
            continue;
        }
        let Some(name) = &current else { continue };
        let mut fields = line.split_whitespace();
        if let (Some("Password"), Some("REG_BINARY")) = (fields.next(), fields.next()) {
            let hex = fields.next().unwrap_or("");
            found.push(Credential {
                name: name.clone(),
                blob: hex.len() / 2,
            });
        }
    }
    found
}

/// Where Wine puts a Windows folder given by an environment variable (`%APPDATA%`), as a Linux
/// path.
async fn windows_folder(program: &Program, variable: &str) -> PathBuf {
    let out = windows_tool(program, &["cmd", "/c", "echo", variable])
        .output()
        .await
        .expect("cmd.exe runs");
    let windows = stdout_of(&out, "cmd /c echo").trim().to_owned();
    assert!(!windows.contains('%'), "{variable} is not set under Wine");
    let out = windows_tool(program, &["winepath", "-u", &windows])
        .output()
        .await
        .expect("winepath runs");
    PathBuf::from(stdout_of(&out, "winepath").trim())
}

fn service(label: &str) -> String {
    format!("inbox-connect-wine-{label}-{}", std::process::id())
}

#[tokio::test]
#[ignore = "needs the Windows .exe and Wine: scripts/lib/cross.sh runs it"]
async fn connect_status_and_disconnect_under_wine() {
    let program = Program::windows();
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = service("connect");

    let (_, landing, status, rest) = program
        .connect(
            &sandbox,
            &service,
            &[],
            browser::answers(RILEY, "Recruit-2026!"),
        )
        .await;
    assert!(landing.body.contains("Connected"), "{}", landing.body);
    assert!(status.success(), "connect failed: {rest}");
    let connected: Value = serde_json::from_str(&rest).expect("the status as JSON");
    assert_eq!(connected["state"], "connected");

    // The refresh token is longer than one credential can hold: a manifest and its chunks, each
    // within Windows' limit.
    let stored = credentials(&program, &service).await;
    let chunks = stored.iter().filter(|c| c.name.contains("#chunk")).count();
    assert!(chunks >= 2, "chunked: {stored:?}");
    assert_eq!(
        stored.len(),
        chunks + 1,
        "the chunks and their manifest: {stored:?}"
    );
    assert!(
        stored.iter().all(|c| c.blob > 0 && c.blob <= BLOB_LIMIT),
        "{stored:?}"
    );
    assert!(
        stored.iter().map(|c| c.blob).sum::<usize>() > BLOB_LIMIT,
        "the connection would not fit one credential: {stored:?}"
    );
    // The keychain's lock file is in %APPDATA%\app.inboxconnect.desktop (Windows' data folder).
    let lock = windows_folder(&program, "%APPDATA%")
        .await
        .join("app.inboxconnect.desktop")
        .join(format!("{service}.keychain.lock"));
    assert!(lock.is_file(), "no lock file at {}", lock.display());

    let (ok, status) = run_json(program.command(&sandbox, &service, &["status", "--json"])).await;
    assert!(ok, "{status}");
    assert_eq!(status["state"], "connected");
    assert_eq!(status["account"]["username"], RILEY);

    let (ok, report) =
        run_json(program.command(&sandbox, &service, &["disconnect", "--json"])).await;
    assert!(ok && report["removed_from_keychain"] == true, "{report}");
    let left = credentials(&program, &service).await;
    assert!(left.is_empty(), "left in Credential Manager: {left:?}");
    let (ok, status) = run_json(program.command(&sandbox, &service, &["status", "--json"])).await;
    assert!(ok, "{status}");
    assert_eq!(status["state"], "disconnected");
}

#[tokio::test]
#[ignore = "needs the Windows .exe and Wine: scripts/lib/cross.sh runs it"]
async fn a_blocked_sign_in_under_wine_keeps_its_pending_approval() {
    let program = Program::windows();
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = service("blocked");
    let user = presets::CONSENT_OFF_USER;
    // Microsoft's "Need admin approval" page, left with "Return to the application".
    let answers = vec![
        ("login", user.to_owned()),
        ("passwd", presets::USER_PASSWORD.to_owned()),
        ("account", user.to_owned()),
        ("decision", "return".to_owned()),
    ];
    let (_, landing, status, rest) = program
        .connect(&sandbox, &service, &["--login-hint", user], answers)
        .await;
    let json = program::blocked(&landing, status, &rest);
    assert_eq!(
        json["blocked"]["diagnosis"]["cause"],
        "admin_consent_required"
    );
    assert!(json["blocked"]["pending_approval"].is_object(), "{json}");

    // Only the pending approval is stored: no token came back.
    let stored = credentials(&program, &service).await;
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert!(stored[0].name.contains("#pending-approval"), "{stored:?}");
    assert!(
        stored[0].blob > 0 && stored[0].blob <= BLOB_LIMIT,
        "{stored:?}"
    );

    let (ok, report) =
        run_json(program.command(&sandbox, &service, &["disconnect", "--json"])).await;
    assert!(ok, "{report}");
    let left = credentials(&program, &service).await;
    assert!(left.is_empty(), "left in Credential Manager: {left:?}");
}
