//! The refresh token (and the non-secret connection facts beside it) in the OS keychain: Secret
//! Service on Linux, Keychain on macOS, Credential Manager on Windows. Never a plain file, never
//! the in-memory mock keyring 3 falls back to without platform features.
//!
//! An entry holds one JSON document. Windows caps a secret at 2560 bytes (UTF-16), which Entra
//! refresh tokens exceed, so a long document is split into chunk entries named by a generation
//! number, with a small manifest in the main entry. A new generation is written completely before
//! the manifest points at it and the old chunks go: a crash mid-way never loses the token.
//!
//! Each operation holds a file lock (`lock`) so the app and the CLI never interleave theirs.

use std::path::PathBuf;

use oauth2::RefreshToken;
use serde::{Deserialize, Serialize};

use crate::blocked::PendingApproval;
use crate::status::ConnectionMeta;

mod error;
mod lock;

use error::map_error;
pub use error::VaultError;
use lock::EntryLock;

/// The keychain service name the app and the CLI share.
pub const SERVICE: &str = "inbox-connect";

/// UTF-16 code units per entry on Windows: the 2560-byte blob limit, with room to spare
/// (keyring stores a password as UTF-16 there).
const WINDOWS_MAX_UNITS: usize = 1200;

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
    lock_path: Option<PathBuf>,
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
        let service = service.into();
        Vault {
            lock_path: lock::default_path(&service),
            service,
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
        // A save elsewhere drops the old chunks right after switching the manifest.
        let _lock = self.lock()?;
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
        let _lock = self.lock()?;
        let old = self.current_chunks(account)?;
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
        let _lock = self.lock()?;
        let old = self.current_chunks(account)?;
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
        let _lock = self.lock()?;
        self.get(&pending_name(account))?
            .map(|text| serde_json::from_str(&text).map_err(|e| VaultError::Corrupt(e.to_string())))
            .transpose()
    }

    /// Keeps a pending approval beside `account`'s entry. Blocking.
    pub fn save_pending(&self, account: &str, pending: &PendingApproval) -> Result<(), VaultError> {
        let text = serde_json::to_string(pending).map_err(|e| VaultError::Failed(e.to_string()))?;
        let _lock = self.lock()?;
        self.set(&pending_name(account), &text)
    }

    /// Forgets the pending approval beside `account`'s entry; tells whether there was one.
    /// Blocking.
    pub fn remove_pending(&self, account: &str) -> Result<bool, VaultError> {
        let _lock = self.lock()?;
        match self.entry(&pending_name(account))?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }

    /// The chunk generation the manifest points at. A keychain that cannot be read is an error:
    /// guessing "none" would make the next save rewrite the generation in use in place. An
    /// unparseable entry points at nothing, so overwriting it loses nothing readable.
    fn current_chunks(&self, account: &str) -> Result<Option<(u64, usize)>, VaultError> {
        Ok(match self.get(account)?.map(|t| parse(&t)) {
            Some(Ok(Document::Chunked {
                generation, chunks, ..
            })) => Some((generation, chunks)),
            _ => None,
        })
    }

    fn lock(&self) -> Result<EntryLock, VaultError> {
        EntryLock::take(self.lock_path.as_deref())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_counts_utf16_units_and_keeps_characters_whole() {
        assert_eq!(split("abcdé", 2), ["ab", "cd", "é"]);
        assert_eq!(split("a😀b", 2), ["a", "😀", "b"]);
    }
}
