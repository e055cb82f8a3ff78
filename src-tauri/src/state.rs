//! What the app keeps between commands: the connector (real profile or embedded sandbox) and the
//! sign-in in progress.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use inbox_connect_core::{
    ConnectError, Connector, PendingSignIn, Profile, RecheckSchedule, SystemBrowser, Vault,
};
use tauri::{AppHandle, Manager};

use crate::error::{plain, AppError, StartupError};
use crate::sandbox::EmbeddedSandbox;

/// Names a vendor profile file (TOML); without it the app runs against the embedded sandbox.
pub const PROFILE_ENV: &str = "INBOX_CONNECT_PROFILE";

/// The app's state, managed by Tauri.
pub struct AppState {
    /// The connector, or why the app could not build one (shown in the window, not a crash).
    ready: Result<Ready, StartupError>,
    /// The sign-in started by `begin_sign_in`, waited on by `finish_sign_in`.
    pending: Mutex<Option<PendingSignIn>>,
    /// When to look again whether an admin approved (while the connection is blocked).
    recheck: Mutex<RecheckSchedule>,
}

struct Ready {
    connector: Connector,
    /// Kept alive for as long as the app runs; `None` with a real vendor profile.
    sandbox: Option<EmbeddedSandbox>,
}

impl AppState {
    /// Builds the connector from `INBOX_CONNECT_PROFILE`, or starts the embedded sandbox.
    pub fn start(app: &AppHandle) -> AppState {
        let ready = build(app);
        if let Err(payload) = &ready {
            tracing::error!(code = %payload.code, "Inbox Connect could not start: {}", payload.message);
        }
        AppState {
            ready,
            pending: Mutex::new(None),
            recheck: Mutex::new(RecheckSchedule::new(Instant::now())),
        }
    }

    /// The connector, or the start-up error.
    pub fn connector(&self) -> Result<&Connector, AppError> {
        match &self.ready {
            Ok(ready) => Ok(&ready.connector),
            Err(payload) => Err(AppError::Startup(payload.clone())),
        }
    }

    /// The embedded sandbox, when the app runs against it.
    pub fn sandbox(&self) -> Option<&EmbeddedSandbox> {
        self.ready.as_ref().ok().and_then(|r| r.sandbox.as_ref())
    }

    /// Remembers a started sign-in (replacing one the connector has already cancelled).
    pub fn set_pending(&self, pending: PendingSignIn) {
        *lock(&self.pending) = Some(pending);
    }

    /// Takes the started sign-in, to wait on it.
    pub fn take_pending(&self) -> Option<PendingSignIn> {
        lock(&self.pending).take()
    }

    /// How long until the next automatic re-check (`None`: the user has been away too long);
    /// `active` restarts the backoff because someone is there to see the result.
    pub fn next_recheck_in(&self, active: bool) -> Option<Duration> {
        let now = Instant::now();
        let mut schedule = lock(&self.recheck);
        if active {
            schedule.user_active(now);
        }
        schedule
            .next_due()
            .map(|due| due.saturating_duration_since(now))
    }

    /// Records that a re-check started now.
    pub fn rechecked(&self) {
        lock(&self.recheck).checked(Instant::now());
    }
}

fn build(app: &AppHandle) -> Result<Ready, StartupError> {
    let browser = Arc::new(SystemBrowser);
    if let Some(path) = std::env::var_os(PROFILE_ENV) {
        let profile = read_profile(PathBuf::from(path))?;
        tracing::info!(app = %profile.app_name, "using the configured vendor profile");
        return Ok(Ready {
            connector: Connector::new(profile, Vault::os_keychain(), browser),
            sandbox: None,
        });
    }
    let data_dir = app.path().app_data_dir().map_err(|e| {
        Box::new(plain(
            "data_dir_unavailable",
            format!("The app's data folder could not be found: {e}"),
            "Check that your home folder is set and writable, then restart Inbox Connect.",
        ))
    })?;
    let sandbox = EmbeddedSandbox::start(&data_dir)?;
    let profile = sandbox.profile()?;
    tracing::info!(base = %sandbox.base_url(), "no vendor profile configured: using the embedded sandbox tenant");
    Ok(Ready {
        connector: Connector::new(profile, Vault::os_keychain(), browser),
        sandbox: Some(sandbox),
    })
}

fn read_profile(path: PathBuf) -> Result<Profile, StartupError> {
    let fix = format!(
        "Fix the file named by {PROFILE_ENV}, or unset {PROFILE_ENV} to use the sandbox tenant, then restart Inbox Connect."
    );
    let text = std::fs::read_to_string(&path).map_err(|e| {
        plain(
            "profile_unreadable",
            format!(
                "The vendor profile {} could not be read: {e}",
                path.display()
            ),
            &fix,
        )
    })?;
    let profile = Profile::from_toml(&text).map_err(|e| {
        let mut payload = ConnectError::from(e).payload();
        payload.message = format!("The vendor profile {}: {}", path.display(), payload.message);
        payload.action = fix.clone();
        Box::new(payload)
    })?;
    // Without endpoints every sign-in would fail later; say so now.
    if let Err(e) = profile.endpoints() {
        let mut payload = ConnectError::from(e).payload();
        payload.message = format!(
            "The vendor profile {} names no sign-in service (set cloud = \"global\", or authority and graph).",
            path.display()
        );
        payload.action = fix;
        return Err(Box::new(payload));
    }
    Ok(profile)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values are plain data; a panic elsewhere cannot leave them half-written.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
