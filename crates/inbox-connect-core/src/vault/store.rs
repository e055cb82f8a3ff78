//! Where a vault's secrets live: a small contract (get, set and delete one named secret) that the
//! OS keychain and the in-memory store both keep. Like keyring-core's credential stores, each
//! says how long what it holds lasts, so a store that forgets at exit is never mistaken for the
//! keychain.

use std::fmt::Debug;

use super::VaultError;

/// How long a store keeps what it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// The OS keychain: kept across restarts, shared by the app and the CLI.
    OsKeychain,
    /// This process's memory: gone when it exits (tests, never the app or the CLI).
    ProcessOnly,
}

/// One named secret at a time; the vault builds chunking and locking on top.
pub(super) trait SecretStore: Send + Sync + Debug {
    /// The secret named `name`, if there is one.
    fn get(&self, name: &str) -> Result<Option<String>, VaultError>;
    /// Stores `secret` under `name`, replacing what was there.
    fn set(&self, name: &str, secret: &str) -> Result<(), VaultError>;
    /// Deletes `name`'s secret; tells whether there was one.
    fn delete(&self, name: &str) -> Result<bool, VaultError>;
    /// How long this store keeps secrets.
    fn persistence(&self) -> Persistence;
    /// Where `name`'s secret lives, for people.
    fn describe(&self, name: &str) -> String;
}
