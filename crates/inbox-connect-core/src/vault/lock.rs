//! An advisory file lock around each keychain operation: the app and the CLI share the entries,
//! and a save reads the current chunk generation before it writes the next one, so two saves at
//! once would write the same generation and delete each other's chunks. The lock file lives in
//! the app's data folder (where Tauri puts the app's data too), is empty and is never written.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use super::VaultError;

/// The app's folder name in the OS data folder (Tauri's bundle identifier).
const APP_FOLDER: &str = "app.inboxconnect.desktop";

/// Where the lock file for a keychain service goes: `<data folder>/app.inboxconnect.desktop/
/// <service>.keychain.lock` (Linux `~/.local/share/...`, macOS `~/Library/Application Support/...`,
/// Windows `%APPDATA%\...`).
pub(super) fn default_path(service: &str) -> Option<PathBuf> {
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
    dirs::data_dir().map(|d| d.join(APP_FOLDER).join(format!("{name}.keychain.lock")))
}

/// Held while one keychain operation runs; the OS drops the lock when the file closes (also
/// when the process dies, so a crash never leaves the entry locked).
#[must_use = "the lock is released when this is dropped"]
pub(super) struct EntryLock {
    _file: File,
}

impl EntryLock {
    /// Waits for the lock at `path` (none: the OS names no data folder).
    pub(super) fn take(path: Option<&Path>) -> Result<EntryLock, VaultError> {
        let Some(path) = path else {
            return Err(VaultError::LockFile {
                path: format!("<data folder>/{APP_FOLDER}"),
                reason: "the OS names no data folder for this user (is HOME set?)".into(),
            });
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
