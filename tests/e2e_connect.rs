//! End to end through the real window, against the embedded sandbox tenant, with headless Chromium
//! as the system browser (a fake `xdg-open` hands it the sign-in link):
//! 1. cancel a sign-in, decline consent (error state), get blocked by a tenant where users may not
//!    consent (blocked state with the admin-consent link), then connect; test email; check again;
//! 2. restart: the connection is restored from the OS keychain;
//! 3. the tenant forgets the refresh token: restart shows "needs reconnect"; reconnect; add meeting
//!    rooms (incremental consent); disconnect.
//!
//! Needs a display, a D-Bus session and an unlocked Secret Service: run it with
//! `scripts/lib/test-session.sh cargo test -p inbox-connect --test e2e_connect`.
//! Screenshots go to `test-artifacts/e2e-*.png`.

// The shared end-to-end support; each test needs a part of it.
#[allow(dead_code)]
mod e2e;

use std::time::{Duration, Instant};

use e2e::{close, count, expect, start_disconnected, Page, Result, Run};

const USER: &str = "riley@contoso-recruiting.example";
const PASSWORD: &str = "Recruit-2026!";
/// A user of the sandbox's "Tailspin Talent" tenant, where user consent is off (sandbox/README.md).
const BLOCKED_USER: &str = "taylor@tailspin-talent.example";
const BLOCKED_PASSWORD: &str = "Blocked-2026!";

#[test]
fn connect_restart_reconnect_and_disconnect() {
    e2e::run_scenario(scenario);
}

/// What the user does in the browser.
enum Consent {
    /// Riley signs in and accepts the permissions.
    Accept,
    /// Riley signs in and cancels on the consent page.
    Decline,
    /// Taylor, whose tenant lets no user consent, leaves the "Need admin approval" page.
    ReturnWithoutApproval,
}

async fn scenario() -> Result<()> {
    let run = Run::start("e2e")?;
    let app = run.open_app().await?;
    let step = first_run(&run, &app).await;
    close(app, step).await?;
    let app = run.open_app().await?;
    let step = restored(&app).await;
    close(app, step).await?;
    forget_refresh_tokens(&run)?;
    let app = run.open_app().await?;
    let step = reconnect_then_disconnect(&run, &app).await;
    close(app, step).await?;
    // Three sessions of sign-ins, refreshes and Graph calls: none of their secrets in any file.
    run.assert_no_secrets_written()
}

/// Clicks `button` in the app, plays the user in a fresh browser (opens the app's next sign-in
/// link, signs in, and accepts or declines the consent page if the tenant shows one), and waits for
/// the app's `end` state. Returns the time from the click on Accept to that state.
async fn sign_in_from(
    run: &Run,
    app: &Page,
    button: &str,
    consent: Consent,
    end: &str,
) -> Result<Option<Duration>> {
    app.click(button).await?;
    app.wait_state("waiting").await?;
    let url = run.next_sign_in_url().await?;
    let name = format!("chromium-{}", run.sign_ins());
    let browser = run.open_browser(&name).await?;
    let accepted = sign_in(&browser, &url, consent).await;
    let ended = match &accepted {
        Ok(at) => app
            .wait_state(end)
            .await
            .map(|()| at.map(|at| at.elapsed())),
        Err(e) => Err(e.clone()),
    };
    let shot = browser
        .screenshot(&format!("e2e-browser-{}", run.sign_ins()))
        .await;
    let closed = browser.close().await;
    let elapsed = ended?;
    shot?;
    closed?;
    Ok(elapsed)
}

/// Plays the tenant revoking the app's refresh tokens: the sandbox's state file loses them.
fn forget_refresh_tokens(run: &Run) -> Result<()> {
    let file = run.sandbox_state_file()?;
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut state: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    state["refresh_tokens"] = serde_json::json!({});
    std::fs::write(&file, state.to_string()).map_err(|e| format!("{}: {e}", file.display()))
}

/// Signs in and answers the consent page; returns when Accept was clicked (if it was).
async fn sign_in(browser: &Page, url: &str, consent: Consent) -> Result<Option<Instant>> {
    let (user, password) = match consent {
        Consent::ReturnWithoutApproval => (BLOCKED_USER, BLOCKED_PASSWORD),
        Consent::Accept | Consent::Decline => (USER, PASSWORD),
    };
    e2e::sign_in_as(browser, url, user, password).await?;
    // The consent page, unless consent was given before: then the browser goes straight back to
    // the app's loopback receiver (another origin than the sign-in pages).
    let button = match consent {
        Consent::Accept => "#idBtn_Accept",
        Consent::Decline => "#idBtn_Back",
        Consent::ReturnWithoutApproval => "#needadmin button[value=return]",
    };
    // WebDriver's click returns once the navigation it started has loaded: time from before it.
    let before_click = Instant::now();
    let clicked = e2e::click_or_redirected(browser, Some(button), &e2e::origin(url)).await?;
    Ok(clicked
        .filter(|()| matches!(consent, Consent::Accept))
        .map(|()| before_click))
}

async fn first_run(run: &Run, app: &Page) -> Result<()> {
    start_disconnected(app).await?;
    let banner = app.text("#sandbox-banner").await?;
    expect(
        banner.contains(USER),
        format!("the sandbox banner names the test user: {banner:?}"),
    )?;
    app.screenshot("e2e-idle").await?;

    // Cancel while waiting for the browser.
    app.click("#connect").await?;
    app.wait_state("waiting").await?;
    app.wait_for("#view-waiting [role=progressbar][aria-busy=true]")
        .await?;
    app.screenshot("e2e-waiting").await?;
    // "Copy sign-in link" shows exactly the link the browser was given.
    let opened = run.next_sign_in_url().await?;
    app.click("#copy-link").await?;
    app.wait_for("#link-row:not([hidden])").await?;
    let shown = app.value("sign-in-link").await;
    expect(
        shown == opened,
        format!("the copyable link {shown:?} is the opened one {opened:?}"),
    )?;
    app.click("#cancel").await?;
    app.wait_state("idle").await?;
    app.wait_for_text("#notice", "cancelled").await?;

    // Decline consent: the error state says what happened and what to do.
    sign_in_from(run, app, "#connect", Consent::Decline, "error").await?;
    let message = app.text("#error-message").await?;
    let action = app.text("#error-action").await?;
    expect(
        !message.is_empty() && !action.is_empty(),
        format!("an error with an action: {message:?} / {action:?}"),
    )?;
    app.screenshot("e2e-error").await?;
    app.click("#retry").await?;
    app.wait_state("idle").await?;

    // Blocked by the tenant: who can fix it, and the approval link and message for IT.
    sign_in_from(
        run,
        app,
        "#connect",
        Consent::ReturnWithoutApproval,
        "blocked",
    )
    .await?;
    // Microsoft's error names no organization: the app asks for it, then makes the link.
    if app
        .script("return String(document.getElementById('tenant-form').hidden)")
        .await
        == "false"
    {
        app.fill("#organization-input", BLOCKED_USER).await?;
        app.click("#make-admin-link").await?;
    }
    app.wait_for("#admin-link-box:not([hidden])").await?;
    app.screenshot("e2e-blocked").await?;
    let link = app.value("admin-link").await;
    expect(
        link.contains("adminconsent") && link.contains("tailspin-talent.example"),
        format!(
            "an admin-consent link for Tailspin: {link:?}; the window showed:\n{}",
            app.screen_text().await
        ),
    )?;
    app.wait_for_text("#it-message", "").await?;
    app.click("#blocked-forget").await?;
    app.wait_state("idle").await?;

    // Connect for real, timing the way back from Microsoft's consent page to the status panel.
    let redirect = sign_in_from(run, app, "#connect", Consent::Accept, "connected").await?;
    if let Some(elapsed) = redirect {
        println!("figure: redirect_to_connected_ms={}", elapsed.as_millis());
    }
    assert_connected(app).await?;
    app.screenshot("e2e-connected").await?;

    app.click("#send-test").await?;
    app.wait_for_text("#notice", "Test email sent").await?;
    app.click("#check-again").await?;
    app.wait_for_text("#notice", "All checks passed").await?;
    let _ = app
        .client
        .execute(
            "document.getElementById('checks-heading').scrollIntoView()",
            vec![],
        )
        .await;
    app.screenshot("e2e-checks").await?;
    Ok(())
}

async fn restored(app: &Page) -> Result<()> {
    app.wait_state("connected").await?;
    assert_connected(app).await?;
    app.screenshot("e2e-restored").await?;
    e2e::fits_narrowest_window(app, "e2e-restored-560px").await
}

async fn reconnect_then_disconnect(run: &Run, app: &Page) -> Result<()> {
    app.wait_state("needs_reconnect").await?;
    let reason = app.text("#reconnect-reason").await?;
    expect(!reason.is_empty(), "the reconnect state says why".into())?;
    app.screenshot("e2e-needs-reconnect").await?;

    sign_in_from(run, app, "#reconnect", Consent::Accept, "connected").await?;
    assert_connected(app).await?;

    // Incremental consent: add meeting rooms; then every permission of the profile is granted.
    app.wait_for("#add-feature-picker input[data-feature=meeting_rooms]:checked")
        .await?;
    sign_in_from(run, app, "#add-features", Consent::Accept, "connected").await?;
    app.wait_for(".permission[data-scope=\"User.ReadBasic.All\"][data-granted=true]")
        .await?;
    let missing = count(app, "#permissions .permission[data-granted=false]").await?;
    expect(
        missing == 0,
        format!(
            "every permission is granted; the window showed:\n{}",
            app.screen_text().await
        ),
    )?;
    app.screenshot("e2e-all-granted").await?;

    app.click("#disconnect").await?;
    app.wait_state("idle").await?;
    let notice = app.text("#notice").await?;
    expect(
        notice.contains("keychain"),
        format!("disconnect says the keychain entry went: {notice:?}"),
    )?;
    app.screenshot("e2e-disconnected").await?;
    Ok(())
}

/// The panel shows the test user and every requested permission as granted, and no token (a JWT
/// starts with `eyJ`) or authorization code reached the page.
async fn assert_connected(app: &Page) -> Result<()> {
    let account = app.text("#account").await?;
    expect(
        account.contains(USER),
        format!("the account shows {USER}: {account:?}"),
    )?;
    let html = app
        .client
        .source()
        .await
        .map_err(|e| format!("reading the page source: {e}"))?;
    expect(
        !html.contains("eyJ") && !html.contains("code="),
        "no token or authorization code in the page".into(),
    )?;
    let requested = count(app, "#permissions .permission[data-requested=true]").await?;
    expect(
        requested > 0,
        "the panel lists the requested permissions".into(),
    )?;
    let missing = count(
        app,
        "#permissions .permission[data-requested=true][data-granted=false]",
    )
    .await?;
    expect(
        missing == 0,
        format!(
            "every requested permission is granted; the window showed:\n{}",
            app.screen_text().await
        ),
    )
}
