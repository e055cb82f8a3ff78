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

mod e2e;

use std::cell::Cell;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Instant;

use e2e::{Page, Result, Server, TempDir};
use fantoccini::Locator;

const USER: &str = "riley@contoso-recruiting.example";
const PASSWORD: &str = "Recruit-2026!";
/// A user of the sandbox's "Tailspin Talent" tenant, where user consent is off (sandbox/README.md).
const BLOCKED_USER: &str = "taylor@tailspin-talent.example";
const BLOCKED_PASSWORD: &str = "Blocked-2026!";
/// The sandbox's state file in the app's data folder (src-tauri/src/sandbox.rs).
const SANDBOX_STATE: &str = "sandbox-tenant-state.json";

#[test]
fn connect_restart_reconnect_and_disconnect() {
    if std::env::var_os("DISPLAY").is_none() {
        panic!("no DISPLAY: run this test inside scripts/lib/test-session.sh (Xvfb, D-Bus, gnome-keyring)");
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => panic!("no tokio runtime: {e}"),
    };
    if let Err(failure) = runtime.block_on(scenario()) {
        panic!("{failure}");
    }
}

/// What the steps share: the drivers, and the files the app and the fake browser write.
struct Run {
    work: TempDir,
    data_home: PathBuf,
    url_file: PathBuf,
    tauri_driver: Server,
    chromedriver: Server,
    /// How many sign-in links the app has opened so far.
    sign_ins: Cell<usize>,
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
    let work = TempDir::new("e2e")?;
    let url_file = work.path().join("opened-urls.txt");
    let data_home = work.path().join("data");
    // The fake xdg-open goes first on PATH: the app's "system browser" hands its URL to this test.
    let mut path = OsString::from(e2e::repo_root().join("tests/e2e/bin"));
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    let envs = [
        ("PATH", path.as_os_str()),
        ("INBOX_CONNECT_E2E_URL_FILE", url_file.as_os_str()),
        // The sandbox tenant's state file lives in the app's data folder: isolate it per run.
        ("XDG_DATA_HOME", data_home.as_os_str()),
    ];
    // No profile means sandbox mode; one set in the caller's shell must not leak in.
    std::env::remove_var("INBOX_CONNECT_PROFILE");
    let run = Run {
        tauri_driver: e2e::start_tauri_driver(&envs)?,
        chromedriver: e2e::start_chromedriver()?,
        work,
        data_home,
        url_file,
        sign_ins: Cell::new(0),
    };
    let app = run.open_app().await?;
    let step = first_run(&run, &app).await;
    close(app, step).await?;
    let app = run.open_app().await?;
    let step = restored(&app).await;
    close(app, step).await?;
    run.forget_refresh_tokens()?;
    let app = run.open_app().await?;
    let step = reconnect_then_disconnect(&run, &app).await;
    close(app, step).await
}

/// Ends the app's session (closing the app) whatever the step's outcome; the step's error wins.
async fn close(app: Page, step: Result<()>) -> Result<()> {
    let closed = app.close().await;
    step.and(closed)
}

impl Run {
    /// Starts the app (a new WebDriver session launches it).
    async fn open_app(&self) -> Result<Page> {
        e2e::open_app(&self.tauri_driver).await
    }

    /// Waits for the app's next sign-in link.
    async fn next_sign_in_url(&self) -> Result<String> {
        self.sign_ins.set(self.sign_ins.get() + 1);
        e2e::wait_for_opened_url(&self.url_file, self.sign_ins.get()).await
    }

    /// Plays the user in a fresh browser: opens the app's next sign-in link, signs in, and
    /// accepts or declines the consent page (if the tenant shows one).
    async fn sign_in_in_browser(&self, consent: Consent) -> Result<()> {
        let url = self.next_sign_in_url().await?;
        let profile = self
            .work
            .path()
            .join(format!("chromium-{}", self.sign_ins.get()));
        let browser = e2e::open_chromium(&self.chromedriver, &profile).await?;
        let result = sign_in(&browser, &url, consent).await;
        let shot = browser
            .screenshot(&format!("e2e-browser-{}", self.sign_ins.get()))
            .await;
        let closed = browser.close().await;
        result.and(shot.map(drop)).and(closed)
    }

    /// Clicks `button` in the app, plays the user in the browser, and waits for the app's `end` state.
    async fn sign_in_from(
        &self,
        app: &Page,
        button: &str,
        consent: Consent,
        end: &str,
    ) -> Result<()> {
        app.click(button).await?;
        app.wait_state("waiting").await?;
        self.sign_in_in_browser(consent).await?;
        app.wait_state(end).await
    }

    /// Plays the tenant revoking the app's refresh tokens: the sandbox's state file loses them.
    fn forget_refresh_tokens(&self) -> Result<()> {
        let file = e2e::find_file(&self.data_home, SANDBOX_STATE)
            .ok_or_else(|| format!("no {SANDBOX_STATE} under {}", self.data_home.display()))?;
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut state: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        state["refresh_tokens"] = serde_json::json!({});
        std::fs::write(&file, state.to_string()).map_err(|e| format!("{}: {e}", file.display()))
    }
}

async fn sign_in(browser: &Page, url: &str, consent: Consent) -> Result<()> {
    browser
        .client
        .goto(url)
        .await
        .map_err(|e| format!("Chromium could not open the sign-in link: {e}"))?;
    let (user, password) = match consent {
        Consent::ReturnWithoutApproval => (BLOCKED_USER, BLOCKED_PASSWORD),
        Consent::Accept | Consent::Decline => (USER, PASSWORD),
    };
    browser.fill("#signin input[name=login]", user).await?;
    browser.fill("#signin input[name=passwd]", password).await?;
    browser.click("#idSIButton9").await?;
    // The consent page, unless consent was given before: then the browser goes straight back to
    // the app's loopback receiver (another origin than the sign-in pages).
    let sign_in_origin = origin(url);
    let deadline = Instant::now() + e2e::WAIT;
    loop {
        let button = match consent {
            Consent::Accept => "#idBtn_Accept",
            Consent::Decline => "#idBtn_Back",
            Consent::ReturnWithoutApproval => "#needadmin button[value=return]",
        };
        if let Ok(element) = browser.client.find(Locator::Css(button)).await {
            return element
                .click()
                .await
                .map_err(|e| format!("clicking {button}: {e}"));
        }
        let now = browser
            .client
            .current_url()
            .await
            .map(|u| origin(u.as_str()));
        if now.is_ok_and(|o| o != sign_in_origin) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "no consent page and no redirect after signing in; Chromium showed:\n{}",
                browser.screen_text().await
            ));
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
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
    run.sign_in_from(app, "#connect", Consent::Decline, "error")
        .await?;
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
    run.sign_in_from(app, "#connect", Consent::ReturnWithoutApproval, "blocked")
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

    // Connect for real.
    run.sign_in_from(app, "#connect", Consent::Accept, "connected")
        .await?;
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

/// Waits for the first screen. The keychain entry is shared with the CLI, whose tests may run in
/// the same session before this one: forget a leftover connection first.
async fn start_disconnected(app: &Page) -> Result<()> {
    app.wait_for("#state:not([data-state=loading])").await?;
    let state = app
        .script("return document.getElementById('state').dataset.state")
        .await;
    match state.as_str() {
        "connected" => app.click("#disconnect").await?,
        "needs_reconnect" => app.click("#forget").await?,
        _ => {}
    }
    app.wait_state("idle").await
}

async fn restored(app: &Page) -> Result<()> {
    app.wait_state("connected").await?;
    assert_connected(app).await?;
    app.screenshot("e2e-restored").await?;
    // The narrowest the window may be (tauri.conf.json minWidth): nothing may overflow.
    app.client
        .set_window_size(560, 720)
        .await
        .map_err(|e| format!("resizing the window: {e}"))?;
    let overflow = app
        .script("return String(document.documentElement.scrollWidth > window.innerWidth)")
        .await;
    app.screenshot("e2e-restored-560px").await?;
    expect(
        overflow == "false",
        "no horizontal scrolling at 560px".into(),
    )
}

async fn reconnect_then_disconnect(run: &Run, app: &Page) -> Result<()> {
    app.wait_state("needs_reconnect").await?;
    let reason = app.text("#reconnect-reason").await?;
    expect(!reason.is_empty(), "the reconnect state says why".into())?;
    app.screenshot("e2e-needs-reconnect").await?;

    run.sign_in_from(app, "#reconnect", Consent::Accept, "connected")
        .await?;
    assert_connected(app).await?;

    // Incremental consent: add meeting rooms; then every permission of the profile is granted.
    app.wait_for("#add-feature-picker input[data-feature=meeting_rooms]:checked")
        .await?;
    run.sign_in_from(app, "#add-features", Consent::Accept, "connected")
        .await?;
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

/// How many elements match `css` now.
async fn count(app: &Page, css: &str) -> Result<usize> {
    app.client
        .find_all(Locator::Css(css))
        .await
        .map(|found| found.len())
        .map_err(|e| format!("looking for {css}: {e}"))
}

fn expect(condition: bool, what: String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(format!("expected: {what}"))
    }
}
