//! The independent OpenID provider: `node tests/oidc/provider.mjs` (oidc-provider), started per
//! test on 127.0.0.1 port 0 and stopped when dropped.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use url::Url;

/// The client id `provider.mjs` registers (native, PKCE required, `http://localhost/`): a GUID,
/// as the app takes only Entra-shaped application ids.
pub const CLIENT_ID: &str = "b7e3c9a1-2d4f-4e6a-8c1b-5f0d9e2a7c43";

/// A running oidc-provider.
pub struct OidcProvider {
    /// Its issuer (`http://127.0.0.1:PORT`).
    pub issuer: Url,
    _child: Child,
    // Kept open: a closed pipe would make the provider's next stdout write fail.
    _stdout: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

fn harness_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc")
}

impl OidcProvider {
    /// Starts the provider and reads its issuer from the first line of its stdout.
    pub async fn start() -> OidcProvider {
        let dir = harness_dir();
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "tests/oidc/node_modules is missing: run `npm ci --prefix tests/oidc` first"
        );
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(&dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs (is Node.js installed?)");
        // Through the test harness's capture: shown only when a test fails.
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(async move {
                let mut lines = BufReader::new(stderr).lines();
                while let Ok(Some(line)) = lines.next_line().await {
                    eprintln!("oidc-provider: {line}");
                }
            });
        }
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
            .await
            .expect("oidc-provider printed its issuer within 30 s")
            .expect("reading oidc-provider's stdout")
            .expect("oidc-provider printed a line");
        let issuer = Url::parse(first.trim()).expect("the first line is the issuer URL");
        OidcProvider {
            issuer,
            _child: child,
            _stdout: lines,
        }
    }
}
