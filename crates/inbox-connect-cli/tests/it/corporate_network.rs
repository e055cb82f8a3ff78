//! The built `inbox-connect-cli` behind a corporate TLS-inspecting proxy: the sandbox is served as
//! `https://login.inbox-connect.test` through the library's intercepting proxy
//! (inbox-connect-test-support/src/tls_proxy.rs), named by `HTTPS_PROXY`. With the proxy's root CA
//! in the trust store (`SSL_CERT_FILE`, as the OS would give it) the CLI connects; without it the
//! error names the certificate's issuer. Real OS keychain: run through scripts/lib/test-session.sh.

use inbox_connect_test_support::browser;

use crate::sign_in_link;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use entra_sandbox::{RunningSandbox, SandboxConfig};
use inbox_connect_test_support::tls_proxy::{self, InterceptingProxy, TestCa};
use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use url::Url;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");
const HOST: &str = "login.inbox-connect.test";

/// The sandbox as `https://login.inbox-connect.test`, behind an intercepting proxy with `ca`.
async fn corporate_network(ca: &TestCa) -> (RunningSandbox, InterceptingProxy) {
    let sandbox = entra_sandbox::start(SandboxConfig {
        public_url: Some(Url::parse(&format!("https://{HOST}")).expect("a URL")),
        ..SandboxConfig::with_default_seed()
    })
    .await
    .expect("the sandbox starts");
    let proxy = InterceptingProxy::start(ca, [(HOST, sandbox.local_addr())]).await;
    (sandbox, proxy)
}

/// `connect --no-browser --json` with the proxy in `HTTPS_PROXY` and `bundle` as the trust store.
fn connect_command(
    sandbox: &RunningSandbox,
    proxy: &InterceptingProxy,
    bundle: &Path,
    service: &str,
) -> Command {
    let mut cmd = Command::new(CLI);
    // Nothing of the caller's network: only the proxy and trust store set here (the last call
    // for a variable wins).
    for var in tls_proxy::NETWORK_ENV {
        cmd.env_remove(var);
    }
    cmd.args(["connect", "--no-browser", "--json", "--timeout", "60"])
        .arg("--authority")
        .arg(sandbox.authority("organizations").as_str())
        .arg("--graph")
        .arg(sandbox.graph_url().as_str())
        .env("INBOX_CONNECT_KEYCHAIN_SERVICE", service)
        .env("HTTPS_PROXY", proxy.url().as_str())
        .env("SSL_CERT_FILE", bundle)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

fn temp_dir(label: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("inbox-connect-cli-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    dir
}

#[tokio::test]
async fn the_cli_connects_through_a_tls_inspecting_proxy_whose_ca_the_os_trusts() {
    let ca = TestCa::new("Inbox Connect Test Interception CA");
    let dir = temp_dir("trusted");
    let bundle = ca.write_bundle(&dir);
    let (sandbox, proxy) = corporate_network(&ca).await;
    let service = format!("inbox-connect-cli-test-corporate-{}", std::process::id());

    let mut child = connect_command(&sandbox, &proxy, &bundle, &service)
        .spawn()
        .expect("the CLI starts");
    let (mut stdout, link) = sign_in_link::read(&mut child).await;
    assert_eq!(link.host_str(), Some(HOST));
    let landing = browser::walk(
        &proxy.browser(&ca),
        &link,
        &browser::answers("riley@contoso-recruiting.example", "Recruit-2026!"),
    )
    .await;
    let mut rest = String::new();
    stdout
        .read_to_string(&mut rest)
        .await
        .expect("the rest of stdout");
    let status = child.wait().await.expect("the CLI ends");
    assert!(landing.body.contains("Connected"), "{}", landing.body);
    assert!(status.success(), "connect failed: {rest}");
    let connected: Value = serde_json::from_str(&rest).expect("the status as JSON");
    assert_eq!(connected["state"], "connected");
    assert!(
        proxy.tunnels() >= 2,
        "the CLI's calls went through the proxy"
    );

    let mut disconnect = Command::new(CLI);
    disconnect
        .args([
            "disconnect",
            "--json",
            "--authority",
            sandbox.authority("organizations").as_str(),
        ])
        .env("INBOX_CONNECT_KEYCHAIN_SERVICE", &service);
    assert!(disconnect
        .output()
        .await
        .expect("disconnect runs")
        .status
        .success());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn without_the_proxys_ca_the_cli_names_the_untrusted_certificate_and_its_issuer() {
    let ca = TestCa::new("Inbox Connect Test Interception CA");
    // A trust store that holds some other root, not the proxy's.
    let other = TestCa::new("Some Other Root CA");
    let dir = temp_dir("untrusted");
    let bundle = other.write_bundle(&dir);
    let (sandbox, proxy) = corporate_network(&ca).await;
    let service = format!("inbox-connect-cli-test-untrusted-{}", std::process::id());

    let out = tokio::time::timeout(
        Duration::from_secs(60),
        connect_command(&sandbox, &proxy, &bundle, &service).output(),
    )
    .await
    .expect("the CLI ends")
    .expect("the CLI runs");
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let payload: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    assert_eq!(payload["code"], "network_unreachable", "{payload}");
    assert_eq!(
        payload["message"],
        "could not reach the sign-in service: the TLS certificate of login.inbox-connect.test was not trusted (issued by Inbox Connect Test Interception CA)",
        "{payload}"
    );
    assert_eq!(
        payload["details"]["failure"], "certificate_not_trusted",
        "{payload}"
    );
    assert!(
        payload["action"]
            .as_str()
            .is_some_and(|a| a.contains("Inbox Connect Test Interception CA")),
        "{payload}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
