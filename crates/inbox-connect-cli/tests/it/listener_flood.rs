//! The CLI's loopback receiver at the desktop-default limit of 1,024 open files, with 1,500 idle
//! connections open to it (another local process flooding the port): the browser's real callback
//! must still be answered, and the sign-in still connect. Uses the real OS keychain (run through
//! scripts/lib/test-session.sh).

use inbox_connect_test_support::browser;

use crate::sign_in_link;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;
use tokio::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_inbox-connect-cli");
const RILEY: &str = "riley@contoso-recruiting.example";
const IDLE_CONNECTIONS: usize = 1_500;
/// The soft limit desktop sessions start programs with.
const DESKTOP_FILE_LIMIT: u32 = 1_024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_callback_gets_through_1500_idle_connections_at_a_1024_file_limit() {
    // This process holds the 1,500 client sockets itself (plus the sandbox's).
    rlimit::increase_nofile_limit(4 * IDLE_CONNECTIONS as u64)
        .expect("the test can raise its own open-file limit");
    let sandbox = entra_sandbox::start(entra_sandbox::SandboxConfig::with_default_seed())
        .await
        .expect("sandbox");
    let service = format!("inbox-connect-cli-test-flood-{}", std::process::id());
    let authority = sandbox.authority("organizations").to_string();
    let graph = sandbox.graph_url().to_string();
    let cli_with = |args: &[&str]| {
        // The CLI runs with the desktop's limit, as the app would.
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "ulimit -S -n {DESKTOP_FILE_LIMIT} && exec \"$0\" \"$@\""
            ))
            .arg(CLI)
            .args(args)
            .args(["--authority", &authority, "--graph", &graph])
            .env("INBOX_CONNECT_KEYCHAIN_SERVICE", &service)
            .kill_on_drop(true);
        cmd
    };
    let mut child = cli_with(&["connect", "--no-browser", "--json", "--timeout", "60"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the CLI starts");
    let (mut stdout, link) = sign_in_link::read(&mut child).await;
    let port = browser::loopback_of(&link).port().expect("a port");

    let mut idle = Vec::with_capacity(IDLE_CONNECTIONS);
    for _ in 0..IDLE_CONNECTIONS {
        idle.push(
            TcpStream::connect(("127.0.0.1", port))
                .await
                .expect("the flood connects"),
        );
    }

    let manual = browser::manual_client();
    let callback =
        browser::walk_to_redirect(&manual, &link, &browser::answers(RILEY, "Recruit-2026!")).await;
    let start = Instant::now();
    let redirect =
        tokio::time::timeout(Duration::from_secs(10), browser::get_raw(callback.as_str()))
            .await
            .expect("the real callback is answered within 10 s");
    let answered = start.elapsed();
    println!("the real callback was answered in {answered:?} with {IDLE_CONNECTIONS} idle connections open");
    assert_eq!(redirect.status, 302, "{redirect:?}");
    let clean = redirect.location.expect("the clean URL");
    let page = tokio::time::timeout(Duration::from_secs(30), browser::get_raw(&clean))
        .await
        .expect("the result page is served");
    assert!(page.body.contains("Connected"), "{page:?}");

    let mut rest = String::new();
    stdout.read_to_string(&mut rest).await.expect("the status");
    assert!(
        child.wait().await.expect("the CLI exits").success(),
        "{rest}"
    );
    let status: Value = serde_json::from_str(&rest).expect("the status as JSON");
    assert_eq!(status["state"], "connected");
    drop(idle);

    let out = cli_with(&["disconnect", "--json"])
        .output()
        .await
        .expect("disconnect runs");
    assert!(out.status.success(), "the test's keychain entry is removed");
}
