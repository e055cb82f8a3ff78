//! One instance: a second launch (a double-click while the app runs) focuses the running window
//! and exits, so there is never a second loopback listener or a second keychain writer.
//!
//! Needs a display, a D-Bus session (the plugin meets the first instance on the session bus) and
//! xdotool: run it with `scripts/lib/test-session.sh cargo test -p inbox-connect --test it e2e_single_instance::`.

// The shared end-to-end support; each test needs a part of it.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::e2e::{self, close, Result, Run};

const TITLE: &str = "Inbox Connect";

#[test]
fn a_second_launch_focuses_the_first_window_and_exits() {
    e2e::run_scenario(scenario);
}

async fn scenario() -> Result<()> {
    let run = Run::start("e2e-single")?;
    let app = run.open_app().await?;
    let step = async {
        app.wait_for("#state:not([data-state=loading])").await?;
        let first = windows()?;
        if first.len() != 1 {
            return Err(format!("expected the app's one window, found {first:?}"));
        }
        // Take the focus away from the app first, so that getting it back proves something.
        xdotool(&["windowfocus", "--sync", &root_window()?])?;
        if focused()? == first[0] {
            return Err("the app's window kept the focus after it was moved away".to_owned());
        }
        let status = run.launch_again(Duration::from_secs(20))?;
        if !status.success() {
            return Err(format!("the second launch ended with {status}"));
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while focused()? != first[0] {
            if Instant::now() > deadline {
                return Err("the running window did not get the focus back".to_owned());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let after = windows()?;
        if after != first {
            return Err(format!(
                "one window before, {after:?} after the second launch"
            ));
        }
        if !run.app_log().contains("Inbox Connect was started again") {
            return Err("the running app's log does not show the second launch".to_owned());
        }
        // The first instance still answers.
        app.wait_for("#state:not([data-state=loading])")
            .await
            .map(drop)
    }
    .await;
    close(app, step).await
}

fn xdotool(args: &[&str]) -> Result<String> {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .map_err(|e| format!("xdotool (apt install xdotool): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The app's visible top-level windows (by exact title).
fn windows() -> Result<Vec<String>> {
    // No match is an exit status of 1 with no output: that is "no windows", not a failure.
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", &format!("^{TITLE}$")])
        .output()
        .map_err(|e| format!("xdotool (apt install xdotool): {e}"))?;
    let mut ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    ids.sort();
    Ok(ids)
}

fn focused() -> Result<String> {
    xdotool(&["getwindowfocus", "-f"])
}

fn root_window() -> Result<String> {
    xdotool(&["search", "--maxdepth", "0", "--name", ""])
        .map(|ids| ids.lines().next().unwrap_or_default().to_owned())
}
