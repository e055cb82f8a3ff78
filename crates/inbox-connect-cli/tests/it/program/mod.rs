//! The CLI binary the tests drive against the sandbox: the one cargo built for this machine, or the
//! Windows `.exe` run under Wine (scripts/lib/cross.sh), each with a throwaway keychain service.

use std::path::PathBuf;
use std::process::Stdio;

use serde_json::Value;
use tokio::io::AsyncReadExt;
use tokio::process::Command;
use url::Url;

use crate::sign_in_link;
use inbox_connect_test_support::browser;

/// Names the Windows `inbox-connect-cli.exe` to run (set by scripts/lib/cross.sh).
pub const WINDOWS_EXE_ENV: &str = "INBOX_CONNECT_WINDOWS_CLI";
/// Names the program that runs it (Wine's loader).
pub const RUNNER_ENV: &str = "INBOX_CONNECT_WINDOWS_RUNNER";

/// How to start the CLI.
#[derive(Clone, Debug)]
pub struct Program {
    /// The CLI's executable.
    exe: PathBuf,
    /// Runs the executable (`wine64`), when it is not this machine's.
    runner: Option<PathBuf>,
}

impl Program {
    /// The CLI cargo built for this machine.
    pub fn native() -> Program {
        Program {
            exe: PathBuf::from(env!("CARGO_BIN_EXE_inbox-connect-cli")),
            runner: None,
        }
    }

    /// The Windows CLI and its runner, from [`WINDOWS_EXE_ENV`] and [`RUNNER_ENV`]. Panics when
    /// either is missing: a run that asked for Windows must not pass without it.
    pub fn windows() -> Program {
        let var = |name: &str| {
            std::env::var_os(name)
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    panic!("{name} is not set: run this test through scripts/lib/cross.sh")
                })
        };
        let exe = var(WINDOWS_EXE_ENV);
        assert!(
            exe.is_file(),
            "{WINDOWS_EXE_ENV}={} is no file",
            exe.display()
        );
        Program {
            exe,
            runner: Some(var(RUNNER_ENV)),
        }
    }

    /// The runner, if any.
    pub fn runner(&self) -> Option<&PathBuf> {
        self.runner.as_ref()
    }

    /// The CLI with `args`, the sandbox's endpoints and the keychain service `service`.
    pub fn command(
        &self,
        sandbox: &entra_sandbox::RunningSandbox,
        service: &str,
        args: &[&str],
    ) -> Command {
        let mut cmd = match &self.runner {
            Some(runner) => {
                let mut cmd = Command::new(runner);
                cmd.arg(&self.exe);
                cmd
            }
            None => Command::new(&self.exe),
        };
        cmd.args(args)
            .arg("--authority")
            .arg(sandbox.authority("organizations").as_str())
            .arg("--graph")
            .arg(sandbox.graph_url().as_str())
            .env("INBOX_CONNECT_KEYCHAIN_SERVICE", service)
            .kill_on_drop(true);
        cmd
    }

    /// `connect --no-browser --json` with `extra` arguments, played by the test browser with
    /// `answers`: the sign-in link, the page the browser landed on, the exit status and stdout's
    /// rest.
    pub async fn connect(
        &self,
        sandbox: &entra_sandbox::RunningSandbox,
        service: &str,
        extra: &[&str],
        answers: browser::Answers,
    ) -> (Url, browser::Landing, std::process::ExitStatus, String) {
        let mut args = vec!["connect", "--no-browser", "--json", "--timeout", "60"];
        args.extend_from_slice(extra);
        let mut child = self
            .command(sandbox, service, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the CLI starts");
        let (mut stdout, link) = sign_in_link::read(&mut child).await;
        let landing = browser::walk(&browser::client(), &link, &answers).await;
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).await.unwrap();
        let status = child.wait().await.unwrap();
        (link, landing, status, rest)
    }
}

/// Runs a command that prints JSON: whether it succeeded, and the JSON.
pub async fn run_json(mut cmd: Command) -> (bool, Value) {
    let out = cmd.output().await.expect("the CLI runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let json = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), json)
}

/// Asserts a `connect` ended blocked (the tab says so, exit code 1) and returns its status JSON.
pub fn blocked(landing: &browser::Landing, status: std::process::ExitStatus, rest: &str) -> Value {
    assert!(
        landing.body.contains("Not connected yet"),
        "{}",
        landing.body
    );
    assert_eq!(status.code(), Some(1), "{rest}");
    let json: Value = serde_json::from_str(rest).expect("the status as JSON");
    assert_eq!(json["state"], "blocked");
    json
}
