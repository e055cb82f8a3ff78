//! Named secrets in the OS keychain (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), or in memory for tests: load, save and remove one secret by name. What
//! the secrets are is the connection's business (`connection/stored.rs`).
//!
//! Windows caps a secret at 2560 bytes (UTF-16), which Entra refresh tokens exceed, so a long
//! secret is split into chunk entries named by a generation number, with a small manifest in the
//! main entry. A new generation is written completely before the manifest points at it and the
//! old chunks go: a crash mid-way never loses the secret.
//!
//! Each operation holds a file lock (`lock`) so the app and the CLI never interleave theirs.

use std::sync::{Arc, Mutex, MutexGuard};

use inbox_connect_profile::AppIdentifier;
use serde::{Deserialize, Serialize};

mod error;
mod lock;
mod memory;
mod os_keychain;
mod store;

pub use error::VaultError;
use lock::{EntryLock, LockPath};
use memory::MemoryStore;
use os_keychain::OsKeychain;
pub use store::Persistence;
use store::SecretStore;

/// UTF-16 code units per entry on Windows: the 2560-byte blob limit, with room to spare
/// (keyring stores a password as UTF-16 there).
const WINDOWS_MAX_UNITS: usize = 1200;

/// The main entry of a secret stored in chunks.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    v: u32,
    generation: u64,
    chunks: usize,
}

/// What keeps two operations on the same secrets apart.
#[derive(Debug, Clone)]
enum Guard {
    /// The keychain's lock file, shared with other processes.
    File(LockPath),
    /// A lock of this process: only it sees an in-memory store.
    Process(Arc<Mutex<()>>),
}

/// Held while one operation runs.
enum Held<'a> {
    File { _lock: EntryLock },
    Process { _guard: MutexGuard<'a, ()> },
}

/// A store of named secrets, with long ones chunked and each operation locked.
#[derive(Debug, Clone)]
pub struct Vault {
    store: Arc<dyn SecretStore>,
    max_chars: usize,
    guard: Guard,
}

impl Vault {
    /// The OS keychain entries of this app: the service is its identifier, which the app and
    /// the CLI share (`Profile::product`).
    pub fn os_keychain(app: &AppIdentifier) -> Vault {
        Vault::with_service(app, app.as_str())
    }

    /// The OS keychain under another service name (tests use their own), locked in `app`'s
    /// data folder.
    pub fn with_service(app: &AppIdentifier, service: impl Into<String>) -> Vault {
        let max_chars = if cfg!(windows) {
            WINDOWS_MAX_UNITS
        } else {
            usize::MAX
        };
        let service = service.into();
        Vault {
            guard: Guard::File(lock::default_path(app, &service)),
            store: Arc::new(OsKeychain::new(service)),
            max_chars,
        }
    }

    /// A store in this process's memory, empty, that says so ([`Persistence::ProcessOnly`]):
    /// for tests of the connection without a keychain daemon.
    pub fn in_memory() -> Vault {
        Vault {
            store: Arc::new(MemoryStore::default()),
            max_chars: usize::MAX,
            guard: Guard::Process(Arc::default()),
        }
    }

    /// Splits secrets longer than `max_chars` UTF-16 code units into chunk entries (Windows
    /// does this at 1200; this lets any OS exercise it).
    pub fn with_max_entry_chars(mut self, max_chars: usize) -> Vault {
        self.max_chars = max_chars.max(1);
        self
    }

    /// How long this vault keeps secrets.
    pub fn persistence(&self) -> Persistence {
        self.store.persistence()
    }

    /// Where a secret lives, for people: `service / name`.
    pub fn describe(&self, name: &str) -> String {
        self.store.describe(name)
    }

    /// Reads the secret named `name`, if any. Blocking.
    pub fn load(&self, name: &str) -> Result<Option<String>, VaultError> {
        // A save elsewhere drops the old chunks right after switching the manifest.
        let _held = self.lock()?;
        let Some(text) = self.store.get(name)? else {
            return Ok(None);
        };
        let Some(manifest) = manifest_in(&text) else {
            return Ok(Some(text));
        };
        let mut whole = String::new();
        for i in 0..manifest.chunks {
            let part = self
                .store
                .get(&chunk_name(name, manifest.generation, i))?
                .ok_or_else(|| {
                    VaultError::Corrupt(format!("chunk {i} of {} is missing", manifest.chunks))
                })?;
            whole.push_str(&part);
        }
        if manifest_in(&whole).is_some() {
            return Err(VaultError::Corrupt("nested chunk manifest".into()));
        }
        Ok(Some(whole))
    }

    /// Stores `secret` under `name`, replacing what was there only once the new value is
    /// complete. Blocking.
    pub fn save(&self, name: &str, secret: &str) -> Result<(), VaultError> {
        let _held = self.lock()?;
        let old = self.chunks_to_replace(name)?;
        if secret.encode_utf16().count() <= self.max_chars {
            self.store.set(name, secret)?;
        } else {
            let generation = old.as_ref().map_or(1, |m| m.generation + 1);
            let parts = split(secret, self.max_chars);
            for (i, part) in parts.iter().enumerate() {
                self.store.set(&chunk_name(name, generation, i), part)?;
            }
            let manifest = serde_json::to_string(&Manifest {
                v: 1,
                generation,
                chunks: parts.len(),
            })
            .map_err(|e| VaultError::Failed(e.to_string()))?;
            self.store.set(name, &manifest)?;
        }
        if let Some(old) = old {
            self.remove_chunks(name, &old);
        }
        Ok(())
    }

    /// Removes the secret (and its chunks); tells whether there was one. Blocking.
    pub fn remove(&self, name: &str) -> Result<bool, VaultError> {
        let _held = self.lock()?;
        let old = self.chunks_to_replace(name)?;
        let existed = self.store.delete(name)?;
        if let Some(old) = old {
            self.remove_chunks(name, &old);
        }
        Ok(existed)
    }

    /// The chunks a save or a removal of `name` leaves behind, to delete after it: the generation
    /// the manifest points at. A keychain that cannot be read is an error: guessing "none" would
    /// make the next save rewrite the generation in use in place. Within one OS every vault splits
    /// alike (Windows at 1200 units, the others never; only tests make a second kind), so a vault
    /// that never splits has no chunks to find and does not read first: each keychain call is a
    /// Secret Service session of its own (~17 ms here), and the reads doubled the calls of a first
    /// connect.
    fn chunks_to_replace(&self, name: &str) -> Result<Option<Manifest>, VaultError> {
        if self.max_chars == usize::MAX {
            return Ok(None);
        }
        Ok(self.store.get(name)?.as_deref().and_then(manifest_in))
    }

    fn lock(&self) -> Result<Held<'_>, VaultError> {
        Ok(match &self.guard {
            Guard::File(path) => Held::File {
                _lock: EntryLock::take(path)?,
            },
            Guard::Process(mutex) => Held::Process {
                _guard: crate::sync::lock(mutex),
            },
        })
    }

    fn remove_chunks(&self, name: &str, manifest: &Manifest) {
        for i in 0..manifest.chunks {
            // Best effort: a leftover chunk holds nothing the manifest points at.
            let _ = self.store.delete(&chunk_name(name, manifest.generation, i));
        }
    }
}

/// The chunk manifest `text` is, if it is one (anything else is a secret stored whole).
fn manifest_in(text: &str) -> Option<Manifest> {
    serde_json::from_str(text).ok()
}

fn chunk_name(name: &str, generation: u64, index: usize) -> String {
    format!("{name}#chunk{generation}.{index}")
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
