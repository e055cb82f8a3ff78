//! `inbox-connect-cli diagnose … | head`: a reader that goes away before the output is written
//! must end the CLI quietly (exit 0, nothing on stderr), not with a panic and a backtrace.

use std::process::Stdio;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");
const ARTIFACT: &str = "http://localhost:53123/?error=consent_required&error_description=AADSTS90094%3a+Admin+consent+is+required.&state=x";

/// Runs `args` with stdout a pipe whose reading end is already closed, and the artifact on stdin
/// (given only once stdout is closed, so the first write always meets the closed pipe).
async fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(CLI)
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().expect("stdin");
    stdin
        .write_all(ARTIFACT.as_bytes())
        .await
        .expect("stdin takes the artifact");
    drop(stdin);
    child.wait_with_output().await.expect("the CLI ends")
}

#[tokio::test]
async fn a_closed_stdout_pipe_ends_diagnose_quietly() {
    for args in [&["diagnose", "-"][..], &["diagnose", "-", "--json"][..]] {
        let out = with_closed_stdout(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?} panicked on the closed pipe:\n{stderr}"
        );
        assert!(
            stderr.trim().is_empty(),
            "{args:?} said something:\n{stderr}"
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
    }
}
