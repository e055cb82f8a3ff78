//! Sandbox mode: with no vendor profile configured, the app starts the sandbox tenant (a local
//! simulator of Entra ID and Graph) in-process and connects to it, so the whole flow works offline.

use std::path::Path;

use entra_sandbox::seed::defaults;
use entra_sandbox::{RunningSandbox, SandboxConfig};
use inbox_connect_core::{ConnectError, Profile};
use serde::Serialize;
use url::Url;

use crate::error::{plain, StartupError};

/// The state file's name in the app's data folder: grants and refresh-token hashes survive a
/// restart, so a restarted app restores its connection against a restarted sandbox.
const STATE_FILE: &str = "sandbox-tenant-state.json";

/// The sign-ins the sandbox banner shows (the default seed's published test credentials, not
/// secrets), so anyone can try both paths.
#[derive(Debug, Clone, Serialize)]
pub struct SandboxSignIn {
    /// The recruiter.
    user: &'static str,
    password: &'static str,
    /// The Global Administrator, for "I'm an IT admin".
    admin_user: &'static str,
    admin_password: &'static str,
}

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
                "Check that the app's data folder is writable and that local connections to 127.0.0.1 are allowed, \
                 then restart Inbox Connect.",
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
            ..SandboxConfig::with_default_seed()
        };
        let running = tauri::async_runtime::block_on(entra_sandbox::start(config))
            .map_err(|e| failed(format!("The sandbox tenant could not start: {e}")))?;
        Ok(EmbeddedSandbox { running })
    }

    /// The bundled vendor profile pointed at this sandbox.
    pub fn profile(&self) -> Result<Profile, StartupError> {
        Profile::bundled()
            .with_login_base(self.running.base_url(), self.running.graph_url())
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
