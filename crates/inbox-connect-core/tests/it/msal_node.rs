//! Microsoft's own client library against the sandbox (issue 10, tests section): @azure/msal-node
//! (`tests/oidc/msal-check.mjs`) signs in with auth code + PKCE, refreshes with
//! `acquireTokenSilent({forceRefresh})`, keys its account as `oid.tid`, calls Graph `/me`, and
//! gets `InteractionRequiredAuthError` when a refresh asks for a scope never consented. The
//! sandbox is served over HTTPS by a TLS front with a test CA (MSAL refuses http authorities);
//! node trusts the CA through `NODE_EXTRA_CA_CERTS`, and this test plays the browser.

use inbox_connect_test_support as support;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use entra_sandbox::seed::defaults;
use entra_sandbox::SandboxConfig;
use serde_json::Value;
use support::browser::{answers, walk_to_redirect};
use support::tls_proxy::{TestCa, TlsFront};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{ChildStdout, Command};
use url::Url;

const RILEY_OID: &str = "5d2a8c4e-1f3b-4a6d-9e8c-7b1f2a3d4c5e";

fn harness_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc")
}

/// The next JSON line node printed; its `step` must be `step`.
async fn next(lines: &mut Lines<BufReader<ChildStdout>>, step: &str) -> Value {
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .unwrap_or_else(|_| panic!("msal-check printed `{step}` within 60 s"))
        .expect("reading msal-check's stdout")
        .unwrap_or_else(|| panic!("msal-check ended before `{step}`"));
    let value: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(value["step"], step, "{value:#}");
    value
}

/// Sources: MSAL.js msal-common `src/account/ClientInfo.ts` (`homeAccountId` = `uid.utid` from
/// `client_info`), `src/error/InteractionRequiredAuthError.ts` (`consent_required` suberror), and
/// the msal-node auth code sample (`getAuthCodeUrl` + `acquireTokenByCode` with a PKCE
/// verifier); docs/entra-reference.md §1 (auth code + PKCE), §1.8 (refresh), §5 (AADSTS65001).
#[tokio::test]
async fn msal_node_signs_in_refreshes_calls_graph_and_sees_missing_consent() {
    let dir = harness_dir();
    assert!(
        dir.join("node_modules/@azure/msal-node").is_dir(),
        "tests/oidc/node_modules is missing: run `npm ci --prefix tests/oidc` first"
    );
    let ca = TestCa::new("Inbox Connect MSAL Test CA");
    let mut front = TlsFront::bind().await;
    let sandbox = entra_sandbox::start(SandboxConfig {
        public_url: Some(front.url().clone()),
        ..SandboxConfig::with_default_seed()
    })
    .await
    .expect("the sandbox starts");
    front.serve(&ca, sandbox.local_addr());
    let bundle_dir = std::env::temp_dir().join(support::unique_service("msal-ca"));
    std::fs::create_dir_all(&bundle_dir).expect("a temp dir");
    let bundle = ca.write_bundle(&bundle_dir);

    let base = front.url().as_str().trim_end_matches('/').to_owned();
    let mut child = Command::new("node")
        .arg("msal-check.mjs")
        .current_dir(&dir)
        .env("NODE_EXTRA_CA_CERTS", &bundle)
        .env(
            "MSAL_AUTHORITY",
            format!("{base}/{}", defaults::TENANT_DOMAIN),
        )
        .env("MSAL_GRAPH", format!("{base}/graph/v1.0"))
        .env("MSAL_CLIENT_ID", defaults::CLIENT_ID)
        .env("MSAL_LOGIN_HINT", defaults::RECRUITER_UPN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs (is Node.js installed?)");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();

    // MSAL's link: auth code + PKCE S256 and MSAL's `client_info=1`.
    let authorize = next(&mut lines, "authorize").await;
    let link = Url::parse(authorize["url"].as_str().expect("a URL")).expect("a link");
    let query = |k: &str| support::browser::query(&link, k);
    assert_eq!(query("code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(query("client_info").as_deref(), Some("1"));
    let redirect = walk_to_redirect(
        &TlsFront::browser(&ca),
        &link,
        &answers(defaults::RECRUITER_UPN, defaults::RECRUITER_PASSWORD),
    )
    .await;
    assert!(
        support::browser::query(&redirect, "code").is_some(),
        "{redirect}"
    );
    stdin
        .write_all(format!("{redirect}\n").as_bytes())
        .await
        .expect("the redirect goes to node");

    let expected = format!("{RILEY_OID}.{}", defaults::TENANT_ID);
    let code = next(&mut lines, "code").await;
    assert_eq!(code["home_account_id"], expected.as_str(), "{code:#}");
    assert_eq!(code["oid"], RILEY_OID);
    assert_eq!(code["tid"], defaults::TENANT_ID);
    assert_eq!(code["tenant_id"], defaults::TENANT_ID);
    assert_eq!(code["username"], defaults::RECRUITER_UPN);
    assert_eq!(code["cached_accounts"], serde_json::json!([expected]));

    let me = next(&mut lines, "graph_me").await;
    assert_eq!(me["status"], 200, "{me:#}");
    assert_eq!(me["body"]["userPrincipalName"], defaults::RECRUITER_UPN);
    assert_eq!(me["body"]["id"], RILEY_OID);

    let refresh = next(&mut lines, "refresh").await;
    assert_eq!(refresh["home_account_id"], expected.as_str());
    assert_eq!(refresh["from_cache"], false, "{refresh:#}");
    assert_eq!(refresh["new_access_token"], true);

    let missing = next(&mut lines, "missing_consent").await;
    assert_eq!(missing["interaction_required"], true, "{missing:#}");
    assert_eq!(missing["error"], "InteractionRequiredAuthError");
    assert_eq!(missing["suberror"], "consent_required", "{missing:#}");

    next(&mut lines, "done").await;
    let status = child.wait().await.expect("node exits");
    assert!(status.success(), "msal-check exited with {status}");
    let _ = std::fs::remove_dir_all(&bundle_dir);
}
