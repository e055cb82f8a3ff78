//! An advisory file lock around each keychain operation: the app and the CLI share the entries,
//! and a save reads the current chunk generation before it writes the next one, so two saves at
//! once would write the same generation and delete each other's chunks. The lock file lives in
//! the app's data folder (where Tauri puts the app's data too), is empty and is never written.

use std::fs::{File, OpenOptions};
use std::path::PathBuf;

use inbox_connect_profile::AppIdentifier;

use super::VaultError;

/// Where the lock file for a keychain service goes: `<data folder>/<app identifier>/
/// <service>.keychain.lock`, the folder Tauri gives the app's data (Linux `~/.local/share/...`,
/// macOS `~/Library/Application Support/...`, Windows `%APPDATA%\...`).
pub(super) fn default_path(app: &AppIdentifier, service: &str) -> LockPath {
    // The service name may come from the command line: keep it one plain file name.
    let name: String = service
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let folder = app.as_str().to_owned();
    match dirs::data_dir() {
        Some(data) => LockPath::At(data.join(&folder).join(format!("{name}.keychain.lock"))),
        None => LockPath::NoDataFolder { folder },
    }
}

/// Where a keychain's lock file is, or why there is none.
#[derive(Debug, Clone)]
pub(super) enum LockPath {
    /// The file.
    At(PathBuf),
    /// The OS names no data folder for this user; `folder` is the app's folder that was wanted.
    NoDataFolder { folder: String },
}

/// Held while one keychain operation runs; the OS drops the lock when the file closes (also
/// when the process dies, so a crash never leaves the entry locked).
#[must_use = "the lock is released when this is dropped"]
pub(super) struct EntryLock {
    _file: File,
}

impl EntryLock {
    /// Waits for the lock at `path`.
    pub(super) fn take(path: &LockPath) -> Result<EntryLock, VaultError> {
        let path = match path {
            LockPath::At(path) => path,
            LockPath::NoDataFolder { folder } => {
                return Err(VaultError::LockFile {
                    path: format!("<data folder>/{folder}"),
                    reason: "the OS names no data folder for this user (is HOME set?)".into(),
                })
            }
        };
        let failed = |e: std::io::Error| VaultError::LockFile {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(failed)?;
        // std's lock (flock / LockFileEx, stable since Rust 1.89) excludes other processes and
        // other open handles of this process alike.
        file.lock().map_err(failed)?;
        Ok(EntryLock { _file: file })
    }
}
