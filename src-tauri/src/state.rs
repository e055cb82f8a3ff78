//! What the app keeps between commands: the connector (real profile or embedded sandbox), the
//! settings in force, the log, and the sign-in in progress.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use inbox_connect_core::admin::{AdminContext, AdminPending, Checklist, ItemId};
use inbox_connect_core::http::{HttpClient, HttpOptions};
use inbox_connect_core::settings::{Loaded, Settings};
use inbox_connect_core::{
    Connector, ErrorPayload, PendingSignIn, Profile, SignInCanceller, SystemBrowser, Vault,
};
use tauri::AppHandle;

use crate::error::{AppError, StartupError};
use crate::logs::Log;
#[cfg(feature = "sandbox")]
use crate::sandbox::EmbeddedSandbox;
use crate::window::{AdminResult, SandboxSignIn};

/// The app's state, managed by Tauri.
pub struct AppState {
    /// The connector, or why the app could not build one (shown in the window, not a crash).
    ready: Result<Ready, StartupError>,
    /// The sign-in started by `begin_sign_in`, waited on by `finish_sign_in`.
    pending: Mutex<Option<PendingSignIn>>,
    /// The admin trip begun by an `admin_begin_*` command, waited on by `admin_finish`.
    admin_pending: Mutex<Option<AdminPending<AdminResult>>>,
    /// Cancels the admin trip in progress (kept apart: `admin_finish` owns the trip meanwhile).
    admin_cancel: Mutex<Option<SignInCanceller>>,
    /// The checklist read last: its portal links are the only ones the admin screen may open.
    checklist: Mutex<Option<Checklist>>,
    /// The settings files read at start, with what in them was skipped.
    settings: Loaded,
    /// The log file's folder (and the writer, flushed when the app ends).
    log: Log,
}

struct Ready {
    connector: Connector,
    /// The admin path, over the same profile and browser.
    admin: AdminContext,
    /// Kept alive for as long as the app runs; `None` with a real vendor profile.
    #[cfg(feature = "sandbox")]
    sandbox: Option<EmbeddedSandbox>,
}

impl AppState {
    /// Builds the connector from the vendor's profile (in the demo build: the one named by
    /// `INBOX_CONNECT_PROFILE`, or the embedded sandbox).
    pub fn start(app: &AppHandle, settings: Loaded, log: Log) -> AppState {
        let ready = build(app, &settings.settings).inspect(|ready| {
            ready
                .connector
                .set_environment(environment(&settings, log.folder()));
        });
        if let Err(payload) = &ready {
            tracing::error!(code = %payload.code, "the app could not start: {}", payload.message);
        }
        AppState {
            ready,
            pending: Mutex::new(None),
            admin_pending: Mutex::new(None),
            admin_cancel: Mutex::new(None),
            checklist: Mutex::new(None),
            settings,
            log,
        }
    }

    /// The settings files read at start.
    pub fn settings(&self) -> &Loaded {
        &self.settings
    }

    /// The log file's folder, when the log is written to a file.
    pub fn log_folder(&self) -> Option<&Path> {
        self.log.folder()
    }

    /// The connector, or the start-up error.
    pub fn connector(&self) -> Result<&Connector, AppError> {
        match &self.ready {
            Ok(ready) => Ok(&ready.connector),
            Err(payload) => Err(AppError::Startup(payload.clone())),
        }
    }

    /// The diagnostic report of an error the window shows: with the app's facts when it started,
    /// and the settings in force and the log folder either way.
    pub fn error_report(&self, error: &ErrorPayload) -> String {
        let profile = self
            .ready
            .as_ref()
            .ok()
            .map(|ready| ready.connector.profile());
        let environment = environment(&self.settings, self.log.folder());
        inbox_connect_core::error_report(error, profile, env!("CARGO_PKG_VERSION"), &environment)
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

    /// The embedded sandbox's sign-ins, when the app runs against it.
    pub fn sandbox_sign_in(&self) -> Option<SandboxSignIn> {
        #[cfg(feature = "sandbox")]
        return self
            .ready
            .as_ref()
            .ok()
            .and_then(|r| r.sandbox.as_ref())
            .map(EmbeddedSandbox::sign_in);
        #[cfg(not(feature = "sandbox"))]
        None
    }

    /// Remembers a started sign-in (replacing one the connector has already cancelled).
    pub fn set_pending(&self, pending: PendingSignIn) {
        *lock(&self.pending) = Some(pending);
    }

    /// Takes the started sign-in, to wait on it.
    pub fn take_pending(&self) -> Option<PendingSignIn> {
        lock(&self.pending).take()
    }
}

/// The demo build: a profile named at run time, or the embedded sandbox tenant.
#[cfg(feature = "sandbox")]
fn build(app: &AppHandle, settings: &Settings) -> Result<Ready, StartupError> {
    use tauri::Manager;

    if let Some(path) = std::env::var_os(crate::sandbox::PROFILE_ENV) {
        let profile = crate::sandbox::read_profile(Path::new(&path))?;
        tracing::info!(app = %profile.app_name, "using the vendor profile named at run time");
        return Ok(Ready::new(with_settings(profile, settings), settings, None));
    }
    let data_dir = app.path().app_data_dir().map_err(|e| {
        Box::new(crate::error::plain(
            "data_dir_unavailable",
            format!("The app's data folder could not be found: {e}"),
            "error.action.data_dir_unavailable",
        ))
    })?;
    let sandbox = EmbeddedSandbox::start(&data_dir)?;
    let profile = sandbox.profile(with_settings(Profile::sandbox(), settings))?;
    tracing::info!(base = %sandbox.base_url(), "no vendor profile configured: using the embedded sandbox tenant");
    Ok(Ready::new(profile, settings, Some(sandbox)))
}

/// A vendor build: the profile its build checked and bundled.
#[cfg(not(feature = "sandbox"))]
fn build(_app: &AppHandle, settings: &Settings) -> Result<Ready, StartupError> {
    const VENDOR_PROFILE: &str = include_str!(env!("INBOX_CONNECT_VENDOR_PROFILE"));
    let profile = Profile::from_toml(VENDOR_PROFILE)
        .map_err(|e| Box::new(inbox_connect_core::ConnectError::from(e).payload()))?;
    tracing::info!(app = %profile.app_name, "using the bundled vendor profile");
    Ok(Ready::new(with_settings(profile, settings), settings))
}

/// The profile as the deployed settings change it; what they could not change is logged.
fn with_settings(profile: Profile, settings: &Settings) -> Profile {
    let (profile, problem) = settings.apply(profile);
    if let Some(problem) = problem {
        tracing::warn!("settings: {problem}");
    }
    profile
}

impl Ready {
    fn new(
        profile: Profile,
        settings: &Settings,
        #[cfg(feature = "sandbox")] sandbox: Option<EmbeddedSandbox>,
    ) -> Ready {
        let browser = Arc::new(SystemBrowser);
        let http = http_client(settings);
        let vault = Vault::os_keychain(&profile.product.identifier);
        Ready {
            admin: AdminContext::new(profile.clone(), browser.clone()).with_http(http.clone()),
            connector: Connector::with_http(profile, vault, browser, http),
            #[cfg(feature = "sandbox")]
            sandbox,
        }
    }
}

/// The HTTP client for the proxy the settings name (otherwise the OS's and `HTTPS_PROXY`); one
/// that cannot be used is logged and left out.
fn http_client(settings: &Settings) -> HttpClient {
    let options = HttpOptions {
        proxy: settings.proxy.as_ref().map(|s| s.value.clone()),
        ..HttpOptions::default()
    };
    HttpClient::new(&options).unwrap_or_else(|e| {
        tracing::warn!("settings: the proxy is ignored: {e}");
        HttpClient::default()
    })
}

/// The diagnostic report's facts of this computer: the settings in force with their files, what
/// was skipped, and the log folder.
fn environment(loaded: &Loaded, log_folder: Option<&Path>) -> Vec<String> {
    let mut lines: Vec<String> = loaded
        .settings
        .report_lines()
        .into_iter()
        .map(|line| format!("Setting {line}"))
        .collect();
    lines.extend(
        loaded
            .problems
            .iter()
            .map(|p| format!("Settings skipped: {p}")),
    );
    lines.push(match log_folder {
        Some(folder) => format!("Log folder: {}", folder.display()),
        None => "Log folder: none (the log goes to stderr only)".to_owned(),
    });
    lines
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The guarded values are plain data; a panic elsewhere cannot leave them half-written.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
