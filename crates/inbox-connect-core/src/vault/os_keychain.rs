//! The OS keychain as a secret store, through the `keyring` crate: Secret Service on Linux,
//! Keychain on macOS, Credential Manager on Windows. Never the in-memory mock keyring 3 falls back
//! to without platform features (those are set per OS in Cargo.toml).

use super::error::map_error;
use super::store::{Persistence, SecretStore};
use super::VaultError;

/// The OS keychain under one service name.
#[derive(Debug)]
pub(super) struct OsKeychain {
    service: String,
}

impl OsKeychain {
    pub(super) fn new(service: String) -> OsKeychain {
        OsKeychain { service }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, VaultError> {
        keyring::Entry::new(&self.service, name).map_err(map_error)
    }
}

impl SecretStore for OsKeychain {
    fn get(&self, name: &str) -> Result<Option<String>, VaultError> {
        match self.entry(name)?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, name: &str, secret: &str) -> Result<(), VaultError> {
        self.entry(name)?.set_password(secret).map_err(map_error)
    }

    fn delete(&self, name: &str) -> Result<bool, VaultError> {
        match self.entry(name)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }

    fn persistence(&self) -> Persistence {
        Persistence::OsKeychain
    }

    fn describe(&self, name: &str) -> String {
        format!("{} / {name}", self.service)
    }
}
