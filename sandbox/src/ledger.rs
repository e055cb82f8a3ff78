//! A test aid: every secret the sandbox hands out or receives (codes, PKCE verifiers, access, id
//! and refresh tokens), one per line in a file, so that a test can search logs and files written
//! by a client for each of them. Off unless [`crate::SandboxConfig::secrets_ledger`] names a file.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use crate::error::SandboxError;

/// Where secrets are written, if anywhere.
#[derive(Debug, Default)]
pub struct SecretLedger(Option<Mutex<File>>);

impl SecretLedger {
    /// Appends to `path` (created if missing), or records nothing.
    pub fn open(path: Option<&Path>) -> Result<SecretLedger, SandboxError> {
        let Some(path) = path else {
            return Ok(SecretLedger(None));
        };
        let file = File::options()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| SandboxError::Io {
                path: path.to_owned(),
                source,
            })?;
        Ok(SecretLedger(Some(Mutex::new(file))))
    }

    /// Records these secrets (blank ones are skipped).
    pub fn record<'a>(&self, secrets: impl IntoIterator<Item = &'a str>) {
        let Some(file) = &self.0 else { return };
        let mut file = file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for secret in secrets.into_iter().filter(|s| !s.is_empty()) {
            // A test aid: a failed write only weakens the test that reads it.
            let _ = writeln!(file, "{secret}");
        }
    }
}
