//! The connect path on screen, as a benchmark (`scripts/bench` runs it; ignored in the test run):
//! from the consent submitted on Microsoft's page to the connected panel painted in the window.
//! The start is the browser's own clock (the time origin of the navigation the submission began,
//! which ends on the app's result page), the end the window's mark (`shown:connected`,
//! ui/js/dom.js: the task after the frame that drew the panel), both on the wall clock; neither is
//! WebDriver's polling. Each run is a fresh start of the app, a fresh browser and a first consent
//! (the sandbox forgets the grant between runs). It runs the program INBOX_CONNECT_E2E_APP names
//! (scripts/bench: a release build), else the test build. It prints figures and asserts nothing
//! about speed.

use std::path::PathBuf;
use std::time::Duration;

use crate::e2e::recruiter::{sign_in, Consent};
use crate::e2e::{self, close, expect, start_disconnected, Page, Result, Run};

/// Runs unless INBOX_CONNECT_BENCH_RUNS says otherwise.
const RUNS: usize = 9;

#[test]
#[ignore = "a benchmark: scripts/bench runs it"]
fn consent_to_connected_panel_painted() {
    e2e::run_scenario(scenario);
}

async fn scenario() -> Result<()> {
    let program: PathBuf = std::env::var_os("INBOX_CONNECT_E2E_APP")
        .map_or_else(|| env!("CARGO_BIN_EXE_inbox-connect").into(), Into::into);
    let runs = std::env::var("INBOX_CONNECT_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RUNS);
    let run = Run::start("e2e-speed")?;
    let mut painted = Vec::new();
    for _ in 0..runs {
        let app = run.open_app_at(&program).await?;
        let measured = connect_once(&run, &app).await;
        let step = measured.as_ref().map(drop).map_err(Clone::clone);
        close(app, step).await?;
        painted.push(measured?);
        forget_consent(&run)?;
    }
    painted.sort_unstable();
    let ms: Vec<String> = painted.iter().map(|d| d.as_millis().to_string()).collect();
    println!(
        "figure: consent_to_connected_painted_ms median={} min={} max={} runs={} ({})",
        painted[painted.len() / 2].as_millis(),
        painted[0].as_millis(),
        painted[painted.len() - 1].as_millis(),
        painted.len(),
        ms.join(" ")
    );
    Ok(())
}

/// One first connect: returns the time from the consent's submission to the panel's paint.
async fn connect_once(run: &Run, app: &Page) -> Result<Duration> {
    start_disconnected(app).await?;
    app.click("#connect").await?;
    app.wait_state("waiting").await?;
    let url = run.next_sign_in_url().await?;
    let browser = run
        .open_browser(&format!("chromium-speed-{}", run.sign_ins()))
        .await?;
    let measured = async {
        sign_in(&browser, &url, Consent::Accept)
            .await?
            .ok_or("the sandbox showed no consent page: the grant was not forgotten")?;
        app.wait_state("connected").await?;
        // When the browser submitted the consent: the start of the navigation that ended on the
        // app's result page (its redirects included), on the wall clock the window's marks are on
        // too. WebDriver's click itself (~80 ms here) is the harness's, not the app's.
        let origin = browser
            .script("return String(performance.timeOrigin)")
            .await;
        let submitted_ms: f64 = origin
            .parse()
            .map_err(|_| format!("the browser's result page has no time origin: {origin:?}"))?;
        let shown = app
            .script(
                "const m = performance.getEntriesByName('shown:connected').pop(); \
                 return m ? String(performance.timeOrigin + m.startTime) : ''",
            )
            .await;
        let shown_ms: f64 = shown
            .parse()
            .map_err(|_| format!("the window made no shown:connected mark: {shown:?}"))?;
        expect(
            shown_ms >= submitted_ms,
            format!("the panel was marked before the consent was submitted ({shown_ms} < {submitted_ms})"),
        )?;
        Ok(Duration::from_secs_f64((shown_ms - submitted_ms) / 1000.0))
    }
    .await;
    let closed = close(browser, measured.as_ref().map(drop).map_err(Clone::clone)).await;
    let measured = measured?;
    closed?;
    // Leaves the keychain as it found it for the next run.
    start_disconnected(app).await?;
    Ok(measured)
}

/// Plays a tenant that never saw a consent: the sandbox's state file (read when the app starts)
/// loses its grants, so the next sign-in shows the consent page again.
fn forget_consent(run: &Run) -> Result<()> {
    let file = run.sandbox_state_file()?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut state: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    state["grants"] = serde_json::json!([]);
    std::fs::write(&file, state.to_string()).map_err(|e| format!("{}: {e}", file.display()))
}
