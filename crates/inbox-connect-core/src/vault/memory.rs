//! A secret store in this process's memory, for tests of the connection without a keychain
//! daemon. It says what it is ([`Persistence::ProcessOnly`]) and nothing falls back to it.

use std::collections::HashMap;
use std::sync::Mutex;

use super::store::{Persistence, SecretStore};
use super::VaultError;
use crate::sync::lock;

/// Secrets by name, until the process exits.
#[derive(Debug, Default)]
pub(super) struct MemoryStore {
    secrets: Mutex<HashMap<String, String>>,
}

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<String>, VaultError> {
        Ok(lock(&self.secrets).get(name).cloned())
    }

    fn set(&self, name: &str, secret: &str) -> Result<(), VaultError> {
        lock(&self.secrets).insert(name.to_owned(), secret.to_owned());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<bool, VaultError> {
        Ok(lock(&self.secrets).remove(name).is_some())
    }

    fn persistence(&self) -> Persistence {
        Persistence::ProcessOnly
    }

    fn describe(&self, name: &str) -> String {
        format!("memory of this process / {name}")
    }
}
