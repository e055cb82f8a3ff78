//! What the app keeps between commands: the connector (real profile or embedded sandbox) and the
//! sign-in in progress.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use inbox_connect_core::admin::{AdminContext, AdminPending, Checklist, ItemId};
use inbox_connect_core::{
    ConnectError, Connector, PendingSignIn, Profile, RecheckSchedule, SignInCanceller,
    SystemBrowser, Vault,
};
use tauri::{AppHandle, Manager};

use crate::admin::AdminResult;
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
    /// The admin trip begun by an `admin_begin_*` command, waited on by `admin_finish`.
    admin_pending: Mutex<Option<AdminPending<AdminResult>>>,
    /// Cancels the admin trip in progress (kept apart: `admin_finish` owns the trip meanwhile).
    admin_cancel: Mutex<Option<SignInCanceller>>,
    /// The checklist read last: its portal links are the only ones the admin screen may open.
    checklist: Mutex<Option<Checklist>>,
}

struct Ready {
    connector: Connector,
    /// The admin path, over the same profile and browser.
    admin: AdminContext,
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
            admin_pending: Mutex::new(None),
            admin_cancel: Mutex::new(None),
            checklist: Mutex::new(None),
        }
    }

    /// The connector, or the start-up error.
    pub fn connector(&self) -> Result<&Connector, AppError> {
        match &self.ready {
            Ok(ready) => Ok(&ready.connector),
            Err(payload) => Err(AppError::Startup(payload.clone())),
        }
    }

    /// The admin path, or the start-up error.
    pub fn admin(&self) -> Result<&AdminContext, AppError> {
        match &self.ready {
            Ok(ready) => Ok(&ready.admin),
            Err(payload) => Err(AppError::Startup(payload.clone())),
        }
    }

    /// Remembers a begun admin trip, cancelling the one before (two clicks in a row).
    pub fn set_admin_pending(&self, pending: AdminPending<AdminResult>) {
        if let Some(previous) = lock(&self.admin_cancel).replace(pending.canceller()) {
            previous.cancel();
        }
        *lock(&self.admin_pending) = Some(pending);
    }

    /// Takes the begun admin trip, to wait on it.
    pub fn take_admin_pending(&self) -> Option<AdminPending<AdminResult>> {
        lock(&self.admin_pending).take()
    }

    /// Cancels the admin trip in progress, if any.
    pub fn cancel_admin(&self) {
        if let Some(cancel) = lock(&self.admin_cancel).take() {
            cancel.cancel();
        }
    }

    /// Keeps the checklist just read.
    pub fn set_checklist(&self, checklist: Checklist) {
        *lock(&self.checklist) = Some(checklist);
    }

    /// The portal link of an item of the checklist read last.
    pub fn checklist_link(&self, item: ItemId) -> Option<String> {
        lock(&self.checklist)
            .as_ref()
            .and_then(|c| c.item(item))
            .and_then(|i| i.location.link.clone())
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
    if let Some(path) = std::env::var_os(PROFILE_ENV) {
        let profile = read_profile(PathBuf::from(path))?;
        tracing::info!(app = %profile.app_name, "using the configured vendor profile");
        return Ok(Ready::new(profile, None));
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
    Ok(Ready::new(profile, Some(sandbox)))
}

impl Ready {
    fn new(profile: Profile, sandbox: Option<EmbeddedSandbox>) -> Ready {
        let browser = Arc::new(SystemBrowser);
        Ready {
            admin: AdminContext::new(profile.clone(), browser.clone()),
            connector: Connector::new(profile, Vault::os_keychain(), browser),
            sandbox,
        }
    }
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
