//! Sandbox mode (the demo build, feature `sandbox`): with no vendor profile named at run time, the
//! app starts the sandbox tenant (a local simulator of Entra ID and Graph) in-process and connects
//! to it, so the whole flow works offline.

use std::path::Path;

use entra_sandbox::seed::defaults;
use entra_sandbox::{RunningSandbox, SandboxConfig};
use inbox_connect_core::profile::ProfileError;
use inbox_connect_core::{ConnectError, Profile};
use url::Url;

use crate::error::{plain, StartupError};
use crate::window::SandboxSignIn;

/// Names a file for the sandbox's ledger of issued secrets: the end-to-end tests search the app's
/// log for each of them.
const SECRETS_LEDGER_ENV: &str = "INBOX_CONNECT_SANDBOX_SECRETS_LEDGER";

/// The state file's name in the app's data folder: grants and refresh-token hashes survive a
/// restart, so a restarted app restores its connection against a restarted sandbox.
const STATE_FILE: &str = "sandbox-tenant-state.json";

/// The sandbox tenant running inside the app; it stops with the app.
pub struct EmbeddedSandbox {
    running: RunningSandbox,
}

impl EmbeddedSandbox {
    /// Starts the sandbox on a free loopback port with its state in `data_dir`.
    pub fn start(data_dir: &Path) -> Result<EmbeddedSandbox, StartupError> {
        let failed = |message: String| {
            Box::new(plain(
                "sandbox_failed",
                message,
                "error.action.sandbox_failed",
            ))
        };
        std::fs::create_dir_all(data_dir).map_err(|e| {
            failed(format!(
                "The sandbox tenant's folder {} could not be created: {e}",
                data_dir.display()
            ))
        })?;
        let config = SandboxConfig {
            state_file: Some(data_dir.join(STATE_FILE)),
            secrets_ledger: std::env::var_os(SECRETS_LEDGER_ENV).map(Into::into),
            ..SandboxConfig::with_default_seed()
        };
        let running = tauri::async_runtime::block_on(entra_sandbox::start(config))
            .map_err(|e| failed(format!("The sandbox tenant could not start: {e}")))?;
        Ok(EmbeddedSandbox { running })
    }

    /// The sandbox's vendor profile (with the settings applied) pointed at this sandbox.
    pub fn profile(&self, profile: Profile) -> Result<Profile, StartupError> {
        profile
            .with_login_base(self.running.base_url(), self.running.graph_url())
            // The sandbox's stand-in for the vendor's page where IT lands after granting.
            .map(|p| p.with_admin_consent_redirect_uri(self.running.admin_consent_page()))
            .map_err(|e| Box::new(ConnectError::from(e).payload()))
    }

    /// Where the sandbox listens.
    pub fn base_url(&self) -> &Url {
        self.running.base_url()
    }

    /// The banner's sign-in.
    pub fn sign_in(&self) -> SandboxSignIn {
        SandboxSignIn {
            user: defaults::RECRUITER_UPN,
            password: defaults::RECRUITER_PASSWORD,
            admin_user: defaults::ADMIN_UPN,
            admin_password: defaults::ADMIN_PASSWORD,
        }
    }
}

/// Names a vendor profile file (TOML) at run time; without it the demo runs against the sandbox.
pub const PROFILE_ENV: &str = "INBOX_CONNECT_PROFILE";

/// Reads the profile named at run time; without fixed endpoints every sign-in would fail later, so
/// that is said now.
pub fn read_profile(path: &Path) -> Result<Profile, StartupError> {
    let fail = |e: ProfileError| {
        let mut payload = ConnectError::from(e).payload();
        payload.action = format!(
            "Fix the file named by {PROFILE_ENV}, or unset {PROFILE_ENV} to use the sandbox tenant, then restart Inbox Connect."
        );
        Box::new(payload)
    };
    let profile = Profile::from_file(path).map_err(fail)?;
    profile.endpoints().map_err(|_| {
        fail(ProfileError::InFile {
            path: path.display().to_string(),
            problem: Box::new(ProfileError::Field {
                field: "cloud".to_owned(),
                reason: "is not set, and neither is authority: set cloud = \"global\" (or authority and graph)".to_owned(),
            }),
        })
    })?;
    Ok(profile)
}
