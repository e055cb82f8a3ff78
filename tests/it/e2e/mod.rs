//! Support for the end-to-end tests: the WebDriver servers (tauri-driver for the app window,
//! chromedriver for the headless Chromium that plays the system browser), bounded waits that report
//! what was on screen when they time out, and screenshots into `test-artifacts/`.

mod a11y;
mod drivers;
mod leaks;
mod page;
pub mod recruiter;

use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::Locator;

pub use drivers::{
    open_app, open_chromium, start_chromedriver, start_tauri_driver, Server, TempDir,
};
pub use page::Page;

/// How long any single wait may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(200);

/// Errors carry a sentence for the test log; nothing here is recovered from.
pub type Result<T> = std::result::Result<T, String>;

/// The repository root (the root package's manifest directory).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Waits up to `within` until the fake `xdg-open` has written its `n`-th URL (1-based) to `file`,
/// and returns it.
async fn wait_for_opened_url(file: &Path, n: usize, within: Duration) -> Result<String> {
    let deadline = Instant::now() + within;
    loop {
        let written = std::fs::read_to_string(file).unwrap_or_default();
        if let Some(url) = written.lines().filter(|l| !l.trim().is_empty()).nth(n - 1) {
            return Ok(url.trim().to_owned());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the app did not open a browser (sign-in #{n}) within {within:?}: {} holds {written:?}",
                file.display()
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Finds the file called `name` under `dir` (the app's data folder is named by its identifier).
fn find_file(dir: &Path, name: &str) -> Option<PathBuf> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file(&path, name) {
                return Some(found);
            }
        } else if path.file_name().is_some_and(|n| n == name) {
            return Some(path);
        }
    }
    None
}

/// Runs an end-to-end scenario on a fresh runtime; panics with its failure (the test's message).
pub fn run_scenario<F: Future<Output = Result<()>>>(scenario: impl FnOnce() -> F) {
    // One scenario at a time in the whole binary: the scenarios share the display, the clipboard
    // and the keychain entry. A failed scenario poisons the lock; the next one still runs.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(PoisonError::into_inner);
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

/// The app's environment in a run whose scratch folder is `work`: the fake `xdg-open` first on
/// PATH (the app's "system browser" hands its URL to the test), the sandbox's secrets ledger, and
/// a data folder of its own (the sandbox tenant's state, the log).
fn app_env(work: &Path) -> Vec<(&'static str, OsString)> {
    let mut path = OsString::from(repo_root().join("tests/it/e2e/bin"));
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    vec![
        ("PATH", path),
        (
            "INBOX_CONNECT_E2E_URL_FILE",
            work.join("opened-urls.txt").into(),
        ),
        // Every secret the sandbox issues, for `assert_no_secrets_written`.
        (
            "INBOX_CONNECT_SANDBOX_SECRETS_LEDGER",
            work.join(leaks::LEDGER_FILE).into(),
        ),
        ("XDG_DATA_HOME", work.join("data").into()),
        // The window picks its language from the OS's: the texts the tests look for are English
        // whatever the machine's LANG (e2e_languages switches language in the window itself).
        ("LANGUAGE", "en".into()),
    ]
}

/// What a scenario's steps share: the drivers, and the files the app and the fake browser write.
pub struct Run {
    /// Scratch space: Chromium profiles, the opened-URL file, the app's data folder.
    pub work: TempDir,
    /// The app's `XDG_DATA_HOME` (the sandbox tenant's state file lives under it).
    data_home: PathBuf,
    url_file: PathBuf,
    tauri_driver: Server,
    /// Drives the headless Chromium that plays the system browser.
    pub chromedriver: Server,
    /// How many sign-in links the app has opened so far.
    sign_ins: Cell<usize>,
}

impl Run {
    /// Starts tauri-driver (with the fake `xdg-open` first on the app's PATH and a data folder of
    /// its own) and chromedriver.
    pub fn start(label: &str) -> Result<Run> {
        Run::start_with(label, &[])
    }

    /// [`Run::start`] with more variables in the app's environment (a proxy, a trust store).
    pub fn start_with(label: &str, extra: &[(&'static str, OsString)]) -> Result<Run> {
        let work = TempDir::new(label)?;
        let url_file = work.path().join("opened-urls.txt");
        let data_home = work.path().join("data");
        let mut envs = app_env(work.path());
        envs.extend_from_slice(extra);
        let envs: Vec<(&str, &std::ffi::OsStr)> =
            envs.iter().map(|(k, v)| (*k, v.as_os_str())).collect();
        Ok(Run {
            tauri_driver: start_tauri_driver(&envs)?,
            chromedriver: start_chromedriver()?,
            work,
            data_home,
            url_file,
            sign_ins: Cell::new(0),
        })
    }

    /// Launches the app a second time, directly (as a double-click would), with the first
    /// launch's environment; returns how it ended, or fails if it is still running after `within`.
    pub fn launch_again(&self, within: Duration) -> Result<std::process::ExitStatus> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_inbox-connect"))
            .env_remove("INBOX_CONNECT_PROFILE")
            .envs(app_env(self.work.path()))
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("the second launch did not start: {e}"))?;
        let deadline = Instant::now() + within;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(100))
                }
                Ok(None) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!(
                        "the second launch was still running after {within:?}"
                    ));
                }
                Err(e) => return Err(format!("the second launch: {e}")),
            }
        }
    }

    /// The app's `XDG_DATA_HOME`: its data folder is the identifier's folder in it.
    pub fn data_home(&self) -> &Path {
        &self.data_home
    }

    /// The app's log files, concatenated.
    pub fn app_log(&self) -> String {
        leaks::app_log(&self.data_home)
    }

    /// Starts the app (a new WebDriver session launches it).
    pub async fn open_app(&self) -> Result<Page> {
        self.open_app_at(Path::new(env!("CARGO_BIN_EXE_inbox-connect")))
            .await
    }

    /// Starts this build of the app (the vendor build, say), once the instance before it (if
    /// any) has let go of its single-instance name: a launch while it is still closing would hand
    /// over to it and exit.
    pub async fn open_app_at(&self, binary: &Path) -> Result<Page> {
        wait_until_no_instance().await?;
        open_app(&self.tauri_driver, binary).await
    }

    /// Waits for the app's next sign-in link.
    pub async fn next_sign_in_url(&self) -> Result<String> {
        self.next_sign_in_url_within(WAIT).await
    }

    /// Waits up to `within` for the app's next sign-in link (one the app opens by itself).
    pub async fn next_sign_in_url_within(&self, within: Duration) -> Result<String> {
        self.sign_ins.set(self.sign_ins.get() + 1);
        wait_for_opened_url(&self.url_file, self.sign_ins.get(), within).await
    }

    /// How many sign-in links the app has opened so far.
    pub fn sign_ins(&self) -> usize {
        self.sign_ins.get()
    }

    /// The sandbox tenant's state file (grants, consent requests, refresh-token hashes) in the
    /// app's data folder.
    pub fn sandbox_state_file(&self) -> Result<PathBuf> {
        // The file name is src-tauri/src/sandbox.rs's; the folder is named by the app identifier.
        const NAME: &str = "sandbox-tenant-state.json";
        find_file(&self.data_home, NAME)
            .ok_or_else(|| format!("no {NAME} under {}", self.data_home.display()))
    }

    /// A headless Chromium with a fresh profile named `name` (a browser session of its own).
    pub async fn open_browser(&self, name: &str) -> Result<Page> {
        self.open_browser_with(name, &[]).await
    }

    /// [`Run::open_browser`] with extra Chromium flags (a proxy, say).
    pub async fn open_browser_with(&self, name: &str, flags: &[String]) -> Result<Page> {
        open_chromium(&self.chromedriver, &self.work.path().join(name), flags).await
    }
}

/// Waits until no app instance, the demo's or a vendor's, owns a single-instance name on the
/// session bus (tauri-plugin-single-instance: the identifier + `.SingleInstance`). An instance
/// closed through WebDriver is gone within a second here; CI once saw one outlive 30 s on a
/// loaded machine (cause unknown: the failure now names the process and what its threads wait
/// in), so the wait is twice the usual.
async fn wait_until_no_instance() -> Result<()> {
    const EXIT_WAIT: Duration = Duration::from_secs(2 * WAIT.as_secs());
    let deadline = Instant::now() + EXIT_WAIT;
    loop {
        let out = Command::new("dbus-send")
            .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus"])
            .args(["/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"])
            .output()
            .map_err(|e| format!("dbus-send: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "dbus-send could not list the session bus's names: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let names = String::from_utf8_lossy(&out.stdout);
        let Some(name) = names.split('"').find(|n| n.ends_with(".SingleInstance")) else {
            return Ok(());
        };
        if Instant::now() > deadline {
            return Err(format!(
                "the previous app instance did not exit within {EXIT_WAIT:?}: {}",
                name_owner(name)
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Which process owns the bus name `name`, and what its threads are doing (for the failure).
fn name_owner(name: &str) -> String {
    let pid = Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus"])
        .args([
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
        ])
        .arg(format!("string:{name}"))
        .output()
        .ok()
        .and_then(|o| {
            let reply = String::from_utf8_lossy(&o.stdout).into_owned();
            reply.split_whitespace().last()?.parse::<u32>().ok()
        });
    let Some(pid) = pid else {
        return format!("{name} is owned by a process the bus did not name");
    };
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let cmdline = std::fs::read_to_string(proc.join("cmdline")).unwrap_or_default();
    let threads: Vec<String> = std::fs::read_dir(proc.join("task"))
        .map(|tasks| {
            tasks
                .flatten()
                .map(|t| {
                    let read =
                        |f: &str| std::fs::read_to_string(t.path().join(f)).unwrap_or_default();
                    let state = read("stat");
                    let state = state.rsplit(") ").next().unwrap_or("").split(' ').next();
                    format!(
                        "{} {} in {}",
                        read("comm").trim(),
                        state.unwrap_or("?"),
                        read("wchan").trim()
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    format!(
        "{name} is still owned by pid {pid} ({}); its threads: {}",
        cmdline.replace('\0', " ").trim(),
        threads.join(", ")
    )
}

/// Ends a session (for the app: closes it) whatever the step's outcome; the step's error wins.
pub async fn close(page: Page, step: Result<()>) -> Result<()> {
    let closed = page.close().await;
    step.and(closed)
}

/// Opens `url` in `browser` and signs in on the sandbox's sign-in form.
pub async fn sign_in_as(browser: &Page, url: &str, user: &str, password: &str) -> Result<()> {
    browser
        .client
        .goto(url)
        .await
        .map_err(|e| format!("Chromium could not open {url}: {e}"))?;
    browser.fill("#signin input[name=login]", user).await?;
    browser.fill("#signin input[name=passwd]", password).await?;
    browser.click("#idSIButton9").await
}

/// Waits until `button` (if given) shows in the browser and clicks it (`Some(())`), or until the
/// browser has left `sign_in_origin` (redirected back to the app or to a registered redirect URI:
/// `None`).
pub async fn click_or_redirected(
    browser: &Page,
    button: Option<&str>,
    sign_in_origin: &str,
) -> Result<Option<()>> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(button) = button {
            if let Ok(element) = browser.client.find(Locator::Css(button)).await {
                return element
                    .click()
                    .await
                    .map(Some)
                    .map_err(|e| format!("clicking {button}: {e}"));
            }
        }
        let now = browser
            .client
            .current_url()
            .await
            .map(|u| origin(u.as_str()));
        if now.is_ok_and(|o| o != sign_in_origin) {
            return Ok(None);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "no {button:?} and no redirect; Chromium showed:\n{}",
                browser.screen_text().await
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The origin of a URL (`http://127.0.0.1:1234`), "" when it does not parse.
pub fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

/// Waits for the first screen. The keychain entry is shared with the CLI and the other scenarios,
/// which may run in the same session before this one: forget a leftover connection first.
pub async fn start_disconnected(app: &Page) -> Result<()> {
    app.wait_for("#state:not([data-state=loading])").await?;
    let state = app
        .script("return document.getElementById('state').dataset.state")
        .await;
    match state.as_str() {
        "connected" => {
            app.click("#disconnect").await?;
            app.click("#disconnect-confirm").await?
        }
        "needs_reconnect" => app.click("#forget").await?,
        "blocked" => app.click("#blocked-forget").await?,
        _ => {}
    }
    app.wait_state("idle").await
}

/// How many elements match `css` now.
pub async fn count(app: &Page, css: &str) -> Result<usize> {
    app.client
        .find_all(Locator::Css(css))
        .await
        .map(|found| found.len())
        .map_err(|e| format!("looking for {css}: {e}"))
}

/// `Ok` when `condition` holds, else the failure `expected: {what}`.
pub fn expect(condition: bool, what: String) -> Result<()> {
    if condition {
        Ok(())
    } else {
        Err(format!("expected: {what}"))
    }
}

/// At the narrowest the window may be (tauri.conf.json `minWidth`) nothing overflows sideways;
/// saves the screen as `test-artifacts/<shot>.png`.
pub async fn fits_narrowest_window(app: &Page, shot: &str) -> Result<()> {
    app.client
        .set_window_size(560, 720)
        .await
        .map_err(|e| format!("resizing the window: {e}"))?;
    let overflow = app
        .script("return String(document.documentElement.scrollWidth > window.innerWidth)")
        .await;
    app.screenshot(shot).await?;
    expect(
        overflow == "false",
        format!("no horizontal scrolling at 560px ({shot})"),
    )
}

/// The plain messages of a catalog (`ui/i18n/<language>.json`).
pub fn catalog(language: &str) -> Result<HashMap<String, String>> {
    let path = repo_root().join(format!("ui/i18n/{language}.json"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let all: HashMap<String, serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(all
        .into_iter()
        .filter_map(|(k, v)| v.as_str().map(|v| (k, v.to_owned())))
        .collect())
}

/// The text on the X display's clipboard (the test session's Xvfb), read with `xclip`
/// (scripts/lib/setup.sh installs it): what a user's Control+V would paste.
pub fn clipboard() -> Result<String> {
    let out = Command::new("xclip")
        .args(["-selection", "clipboard", "-o"])
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("xclip (scripts/lib/setup.sh installs it): {e}"))?;
    // An empty clipboard is an answer too: "nothing was copied".
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
