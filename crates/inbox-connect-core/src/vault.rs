//! The refresh token (and the non-secret connection facts beside it) in the OS keychain: Secret
//! Service on Linux, Keychain on macOS, Credential Manager on Windows. Never a plain file, never
//! the in-memory mock keyring 3 falls back to without platform features.
//!
//! An entry holds one JSON document. Windows caps a secret at 2560 bytes (UTF-16), which Entra
//! refresh tokens exceed, so a long document is split into chunk entries named by a generation
//! number, with a small manifest in the main entry. A new generation is written completely before
//! the manifest points at it and the old chunks go: a crash mid-way never loses the token.

use oauth2::RefreshToken;
use serde::{Deserialize, Serialize};

use crate::blocked::PendingApproval;
use crate::status::ConnectionMeta;

/// The keychain service name the app and the CLI share.
pub const SERVICE: &str = "inbox-connect";

/// UTF-16 code units per entry on Windows: the 2560-byte blob limit, with room to spare
/// (keyring stores a password as UTF-16 there).
const WINDOWS_MAX_UNITS: usize = 1200;

/// A keychain failure, told so a user can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    /// No Secret Service answers (no session bus, or no keyring daemon on it).
    #[error(
        "no Secret Service / keyring daemon running: install and unlock gnome-keyring or KWallet (on a server or \
         in a container, run the app inside a desktop session) ({0})"
    )]
    NoSecretService(String),
    /// The keyring is there but locked.
    #[error(
        "your keyring is locked (or has no default keyring yet): unlock it, for example by logging in again or in \
         Passwords and Keys (Seahorse) ({0})"
    )]
    Locked(String),
    /// The stored entry is not ours or is damaged.
    #[error("the stored connection in the keychain is unreadable: {0}")]
    Corrupt(String),
    /// Any other keychain failure.
    #[error("the OS keychain failed: {0}")]
    Failed(String),
}

impl VaultError {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            VaultError::NoSecretService(_) => "keyring_unavailable",
            VaultError::Locked(_) => "keyring_locked",
            VaultError::Corrupt(_) => "keyring_entry_corrupt",
            VaultError::Failed(_) => "keyring_failed",
        }
    }

    pub(crate) fn action(&self) -> &'static str {
        match self {
            VaultError::NoSecretService(_) => {
                "Install and start gnome-keyring or KWallet (a Secret Service provider), then try again."
            }
            VaultError::Locked(_) => "Unlock your keyring, then try again.",
            VaultError::Corrupt(_) => "Disconnect and connect again.",
            VaultError::Failed(_) => "Try again; if it keeps failing, check your system's keychain.",
        }
    }
}

/// What is stored: the refresh token and the non-secret facts.
#[derive(Clone, Serialize, Deserialize)]
pub struct StoredConnection {
    /// The refresh token (redacted in Debug by `oauth2`).
    pub refresh_token: RefreshToken,
    /// Account, tenant, features, scopes, last checks.
    pub meta: ConnectionMeta,
}

impl std::fmt::Debug for StoredConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredConnection")
            .field("refresh_token", &"[redacted]")
            .field("meta", &self.meta)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Document {
    Whole {
        v: u32,
        connection: Box<StoredConnection>,
    },
    Chunked {
        v: u32,
        generation: u64,
        chunks: usize,
    },
}

/// The OS keychain, under one service name.
#[derive(Debug, Clone)]
pub struct Vault {
    service: String,
    max_chars: usize,
}

impl Vault {
    /// The OS keychain under the shared service name [`SERVICE`].
    pub fn os_keychain() -> Vault {
        Vault::with_service(SERVICE)
    }

    /// The OS keychain under another service name (tests use their own).
    pub fn with_service(service: impl Into<String>) -> Vault {
        let max_chars = if cfg!(windows) {
            WINDOWS_MAX_UNITS
        } else {
            usize::MAX
        };
        Vault {
            service: service.into(),
            max_chars,
        }
    }

    /// Splits documents longer than `max_chars` UTF-16 code units into chunk entries (Windows
    /// does this at 1200; this lets any OS exercise it).
    pub fn with_max_entry_chars(mut self, max_chars: usize) -> Vault {
        self.max_chars = max_chars.max(1);
        self
    }

    /// Where an account's entry lives, for people: `service / account`.
    pub fn describe(&self, account: &str) -> String {
        format!("{} / {account}", self.service)
    }

    /// Reads the stored connection, if any. Blocking.
    pub fn load(&self, account: &str) -> Result<Option<StoredConnection>, VaultError> {
        let Some(text) = self.get(account)? else {
            return Ok(None);
        };
        match parse(&text)? {
            Document::Whole { connection, .. } => Ok(Some(*connection)),
            Document::Chunked {
                generation, chunks, ..
            } => {
                let mut whole = String::new();
                for i in 0..chunks {
                    let part = self
                        .get(&chunk_name(account, generation, i))?
                        .ok_or_else(|| {
                            VaultError::Corrupt(format!("chunk {i} of {chunks} is missing"))
                        })?;
                    whole.push_str(&part);
                }
                match parse(&whole)? {
                    Document::Whole { connection, .. } => Ok(Some(*connection)),
                    Document::Chunked { .. } => {
                        Err(VaultError::Corrupt("nested chunk manifest".into()))
                    }
                }
            }
        }
    }

    /// Stores the connection, replacing what was there only once the new value is complete.
    /// Blocking.
    pub fn save(&self, account: &str, connection: &StoredConnection) -> Result<(), VaultError> {
        let text = serde_json::to_string(&Document::Whole {
            v: 1,
            connection: Box::new(connection.clone()),
        })
        .map_err(|e| VaultError::Failed(e.to_string()))?;
        let old = self.current_chunks(account);
        if text.encode_utf16().count() <= self.max_chars {
            self.set(account, &text)?;
        } else {
            let generation = old.map_or(1, |(g, _)| g + 1);
            let parts = split(&text, self.max_chars);
            for (i, part) in parts.iter().enumerate() {
                self.set(&chunk_name(account, generation, i), part)?;
            }
            let manifest = serde_json::to_string(&Document::Chunked {
                v: 1,
                generation,
                chunks: parts.len(),
            })
            .map_err(|e| VaultError::Failed(e.to_string()))?;
            self.set(account, &manifest)?;
        }
        if let Some((generation, chunks)) = old {
            self.remove_chunks(account, generation, chunks);
        }
        Ok(())
    }

    /// Removes the entry (and its chunks); tells whether there was one. Blocking.
    pub fn remove(&self, account: &str) -> Result<bool, VaultError> {
        let old = self.current_chunks(account);
        let existed = match self.entry(account)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(e) => return Err(map_error(e)),
        };
        if let Some((generation, chunks)) = old {
            self.remove_chunks(account, generation, chunks);
        }
        Ok(existed)
    }

    /// Reads the pending approval kept beside `account`'s entry, if any. Blocking.
    ///
    /// It lives in its own keychain entry (`{account}#pending-approval`), not in a file: the
    /// keychain is the one per-user store the library already has (no directory to pass in), the
    /// entry goes with the connection's on disconnect, and the account name in it stays out of
    /// plain files. Nothing in it is secret.
    pub fn load_pending(&self, account: &str) -> Result<Option<PendingApproval>, VaultError> {
        self.get(&pending_name(account))?
            .map(|text| serde_json::from_str(&text).map_err(|e| VaultError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Keeps a pending approval beside `account`'s entry. Blocking.
    pub fn save_pending(&self, account: &str, pending: &PendingApproval) -> Result<(), VaultError> {
        let text = serde_json::to_string(pending).map_err(|e| VaultError::Failed(e.to_string()))?;
        self.set(&pending_name(account), &text)
    }

    /// Forgets the pending approval beside `account`'s entry; tells whether there was one.
    /// Blocking.
    pub fn remove_pending(&self, account: &str) -> Result<bool, VaultError> {
        match self.entry(&pending_name(account))?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }

    fn current_chunks(&self, account: &str) -> Option<(u64, usize)> {
        match self.get(account).ok().flatten().map(|t| parse(&t)) {
            Some(Ok(Document::Chunked {
                generation, chunks, ..
            })) => Some((generation, chunks)),
            _ => None,
        }
    }

    fn remove_chunks(&self, account: &str, generation: u64, chunks: usize) {
        for i in 0..chunks {
            // Best effort: a leftover chunk holds nothing the manifest points at.
            if let Ok(entry) = self.entry(&chunk_name(account, generation, i)) {
                let _ = entry.delete_credential();
            }
        }
    }

    fn entry(&self, account: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, account).map_err(map_error)
    }

    fn get(&self, account: &str) -> Result<Option<String>, VaultError> {
        match self.entry(account)?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, account: &str, text: &str) -> Result<(), VaultError> {
        self.entry(account)?.set_password(text).map_err(map_error)
    }
}

fn parse(text: &str) -> Result<Document, VaultError> {
    serde_json::from_str(text).map_err(|e| VaultError::Corrupt(e.to_string()))
}

fn pending_name(account: &str) -> String {
    format!("{account}#pending-approval")
}

fn chunk_name(account: &str, generation: u64, index: usize) -> String {
    format!("{account}#chunk{generation}.{index}")
}

/// Splits on character boundaries into parts of at most `max_units` UTF-16 code units.
fn split(text: &str, max_units: usize) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut units = 0;
    for c in text.chars() {
        if units + c.len_utf16() > max_units && units > 0 {
            parts.push(String::new());
            units = 0;
        }
        units += c.len_utf16();
        if let Some(part) = parts.last_mut() {
            part.push(c);
        }
    }
    parts
}

/// Tells the Secret Service failures apart by what the platform said (keyring only has
/// `PlatformFailure` / `NoStorageAccess` for all of them; tauri-notes lists the texts seen):
/// no bus or no daemon is a platform failure; a daemon that cannot hand out its default
/// collection (locked, or none created yet) is "no storage access".
fn map_error(e: keyring::Error) -> VaultError {
    match e {
        keyring::Error::NoStorageAccess(inner) => {
            VaultError::Locked(format!("{inner} ({inner:?})"))
        }
        keyring::Error::PlatformFailure(inner) => {
            let text = format!("{inner} ({inner:?})");
            let lower = text.to_lowercase();
            if lower.contains("locked") {
                VaultError::Locked(text)
            } else if [
                "dbus",
                "d-bus",
                "org.freedesktop.secrets",
                "autolaunch",
                "serviceunknown",
            ]
            .iter()
            .any(|needle| lower.contains(needle))
            {
                VaultError::NoSecretService(text)
            } else {
                VaultError::Failed(text)
            }
        }
        other => VaultError::Failed(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_utf16_units_and_keeps_characters_whole() {
        assert_eq!(split("abcdé", 2), ["ab", "cd", "é"]);
        assert_eq!(split("a😀b", 2), ["a", "😀", "b"]);
    }
}
