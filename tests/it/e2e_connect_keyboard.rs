//! End to end through the real window, against the embedded sandbox tenant, with headless Chromium
//! as the system browser: Riley connects with the keyboard only, in the dark colour scheme, and the
//! main screens (first screen, waiting, connected, blocked, admin) pass axe-core in that scheme;
//! the first screen in German too, for the README.
//! (The rest of the connect path, in the light scheme: e2e_connect.)
//!
//! Needs a display, a D-Bus session and an unlocked Secret Service: run it with
//! `scripts/lib/test-session.sh cargo test -p inbox-connect --test it e2e_connect_keyboard::`.
//! Screenshots go to `test-artifacts/dark-*.png`.

// The shared end-to-end support; each test needs a part of it.

// The users and their steps in the browser, shared with e2e_connect; this scenario needs a part.

use crate::e2e::recruiter::{assert_connected, sign_in, Consent, BLOCKED_USER, USER};
use crate::e2e::{self, close, count, expect, start_disconnected, Page, Result, Run};
use fantoccini::key::Key;

/// Riley connects with the keyboard only (Tab, Shift+Tab, Enter, Space; the browser part is
/// Microsoft's), in the dark colour scheme; the main screens in that scheme pass axe-core too and
/// are saved as `test-artifacts/dark-*.png`.
#[test]
fn keyboard_only_connect_in_the_dark_scheme() {
    e2e::run_scenario(dark_scenario);
}

/// WebKitGTK follows GTK's dark preference for `prefers-color-scheme`; under Xvfb (no desktop
/// settings daemon) the GTK theme's `:dark` variant in the app's environment is what sets it.
const DARK_THEME: (&str, &str) = ("GTK_THEME", "Adwaita:dark");

async fn dark_scenario() -> Result<()> {
    let run = Run::start_with("e2e-dark", &[(DARK_THEME.0, DARK_THEME.1.into())])?;
    let app = run.open_app().await?;
    let step = dark_steps(&run, &app).await;
    close(app, step).await?;
    run.assert_no_secrets_written().map(drop)
}

async fn dark_steps(run: &Run, app: &Page) -> Result<()> {
    start_disconnected(app).await?;
    let scheme = app
        .script("return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'")
        .await;
    expect(
        scheme == "dark",
        format!(
            "{}={} puts the window in the dark scheme (it is {scheme})",
            DARK_THEME.0, DARK_THEME.1
        ),
    )?;
    app.assert_axe_catches_planted_violations().await?;
    app.assert_in_view("#connect").await?;
    app.screenshot("dark-idle").await?;
    app.assert_accessible("idle-dark").await?;
    keyboard_only_connect(run, app).await?;

    // The other main screens in the dark scheme: blocked (and its waiting screen), the admin screen.
    app.fill("#login-hint", BLOCKED_USER).await?;
    app.click("#connect").await?;
    app.wait_state("waiting").await?;
    app.screenshot("dark-waiting").await?;
    app.assert_accessible("waiting-dark").await?;
    let url = run.next_sign_in_url().await?;
    let browser = run.open_browser("chromium-dark-taylor").await?;
    let step = async {
        sign_in(&browser, &url, Consent::ReturnWithoutApproval).await?;
        app.wait_state("blocked").await
    }
    .await;
    close(browser, step).await?;
    app.wait_for("#admin-link-box:not([hidden])").await?;
    app.screenshot("dark-blocked").await?;
    app.assert_accessible("blocked-dark").await?;
    app.click("#blocked-admin").await?;
    app.wait_state("admin").await?;
    app.screenshot("dark-admin").await?;
    app.assert_accessible("admin-dark").await?;
    app.click("#admin-back").await?;
    app.wait_state("blocked").await?;
    app.click("#blocked-forget").await?;
    app.wait_state("idle").await?;
    // The first screen in German, for the README (e2e_languages tests the picker).
    app.click("#language option[value=\"de\"]").await?;
    app.wait_for_text("#connect", "Outlook verbinden").await?;
    app.screenshot("dark-idle-de").await.map(drop)
}

/// The connect path with the keyboard only. From the first screen's heading (where the app puts
/// the focus): Shift+Tab reaches "Skip to content" first; Tab then goes through the feature
/// checkboxes, the work-email field (typed into) and "Connect Outlook", in that order; Enter in the
/// email field starts the sign-in; on the waiting screen Tab reaches Cancel and Space cancels;
/// Enter on "Connect Outlook" starts it again; once connected, Tab reaches Disconnect and Space
/// disconnects.
async fn keyboard_only_connect(run: &Run, app: &Page) -> Result<()> {
    let back = app.tab_to("a \"Skip to content\"", true, 1).await?;
    expect(back.len() == 1, format!("Skip to content first: {back:?}"))?;
    let stops = app.tab_to("#login-hint", false, 10).await?;
    let boxes = count(app, "#feature-picker input[type=checkbox]").await?;
    expect(
        stops.len() == boxes + 1
            && stops[..boxes]
                .iter()
                .all(|s| s.starts_with("input") || s.starts_with('#')),
        format!("the {boxes} feature checkboxes, then the work email field: {stops:?}"),
    )?;
    app.client
        .active_element()
        .await
        .map_err(|e| format!("the focused element: {e}"))?
        .send_keys(USER)
        .await
        .map_err(|e| format!("typing the work email: {e}"))?;
    let next = app.tab_to("#connect", false, 1).await?;
    expect(
        next == ["#connect"],
        format!("Connect Outlook right after the email field: {next:?}"),
    )?;
    let after = app.tab_to("#permissions-box-summary", false, 1).await?;
    expect(
        after.len() == 1,
        format!("the permissions one Tab after Connect: {after:?}"),
    )?;

    // Enter in the email field starts the connect (C: no need to reach the button).
    app.tab_to("#login-hint", true, 2).await?;
    app.press(Key::Enter, false).await?;
    app.wait_state("waiting").await?;
    let first = run.next_sign_in_url().await?;
    expect(
        first.contains("login_hint=riley"),
        format!("the sign-in started from the email field hints it: {first}"),
    )?;
    app.tab_to("#cancel", false, 6).await?;
    app.press(Key::Space, false).await?;
    app.wait_state("idle").await?;
    app.wait_for_text("#notice", "cancelled").await?;

    // Enter on "Connect Outlook" itself, then Microsoft's pages (not the window's) in the browser.
    app.tab_to("#connect", false, 10).await?;
    app.press(Key::Enter, false).await?;
    app.wait_state("waiting").await?;
    let url = run.next_sign_in_url().await?;
    let browser = run.open_browser("chromium-keyboard").await?;
    let step = async {
        sign_in(&browser, &url, Consent::Accept).await?;
        app.wait_state("connected").await
    }
    .await;
    close(browser, step).await?;
    assert_connected(app).await?;
    app.screenshot("dark-connected").await?;
    app.assert_accessible("connected-dark").await?;
    app.tab_to("#disconnect", false, 10).await?;
    app.press(Key::Space, false).await?;
    // It asks first, with the focus on "Yes, disconnect".
    app.wait_for("#disconnect-confirm-box:not([hidden])")
        .await?;
    app.assert_accessible("connected-disconnect-confirm")
        .await?;
    app.press(Key::Space, false).await?;
    app.wait_state("idle").await
}
