//! Tests that change what a whole process shares (its environment, its session bus) run again in a
//! process of their own: the test binary started with `--exact <module::name>` and one test thread,
//! so nothing else runs beside them.

use std::process::{Command, Output};

/// Set in the process [`rerun`] starts.
const CHILD: &str = "INBOX_CONNECT_TEST_OWN_PROCESS";

/// Whether this process is the one [`rerun`] started: then run the test's body.
pub fn is_child() -> bool {
    std::env::var_os(CHILD).is_some()
}

/// The test binary again, running only `test` (its path in the binary, `module::name`), started
/// through `wrapper` (a program and its arguments, such as `dbus-run-session --`) when not empty.
pub fn rerun(test: &str, wrapper: &[&str]) -> Command {
    let me = std::env::current_exe().expect("the test binary's path");
    let mut command = match wrapper.split_first() {
        Some((program, args)) => {
            let mut command = Command::new(program);
            command.args(args).arg(me);
            command
        }
        None => Command::new(me),
    };
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1");
    command
}

/// Asserts the child ran exactly its one test and it passed (a mistyped name runs none).
pub fn assert_passed(out: std::io::Result<Output>) {
    let out = out.expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the test in its own process failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
