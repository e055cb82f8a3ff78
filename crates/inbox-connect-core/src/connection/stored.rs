//! What the connection keeps in the vault: the refresh token with the connection's facts, under
//! the profile's keychain account, and a pending approval beside it (`{account}#pending-approval`).
//! The vault stores text; the JSON documents here are what that text is.

use oauth2::RefreshToken;
use serde::{Deserialize, Serialize};

use crate::blocked::PendingApproval;
use crate::status::ConnectionMeta;
use crate::vault::{Vault, VaultError};

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

/// The stored connection's document, versioned.
#[derive(Serialize, Deserialize)]
struct Document {
    v: u32,
    connection: Box<StoredConnection>,
}

/// The connection's entries in a vault. Each call is blocking.
pub trait ConnectionEntries {
    /// Reads the stored connection of `account`, if any.
    fn load_connection(&self, account: &str) -> Result<Option<StoredConnection>, VaultError>;
    /// Stores `account`'s connection, replacing what was there once the new one is complete.
    fn save_connection(&self, account: &str, stored: &StoredConnection) -> Result<(), VaultError>;
    /// Removes `account`'s connection; tells whether there was one.
    fn remove_connection(&self, account: &str) -> Result<bool, VaultError>;
    /// Reads the pending approval kept beside `account`'s connection, if any.
    ///
    /// It lives in its own keychain entry, not in a file: the keychain is the one per-user store
    /// the library already has (no directory to pass in), the entry goes with the connection's on
    /// disconnect, and the account name in it stays out of plain files. Nothing in it is secret.
    fn load_pending(&self, account: &str) -> Result<Option<PendingApproval>, VaultError>;
    /// Keeps a pending approval beside `account`'s connection.
    fn save_pending(&self, account: &str, pending: &PendingApproval) -> Result<(), VaultError>;
    /// Forgets the pending approval beside `account`'s connection; tells whether there was one.
    fn remove_pending(&self, account: &str) -> Result<bool, VaultError>;
}

impl ConnectionEntries for Vault {
    fn load_connection(&self, account: &str) -> Result<Option<StoredConnection>, VaultError> {
        self.load(account)?
            .map(|text| parse::<Document>(&text).map(|d| *d.connection))
            .transpose()
    }

    fn save_connection(&self, account: &str, stored: &StoredConnection) -> Result<(), VaultError> {
        self.save(
            account,
            &to_json(&Document {
                v: 1,
                connection: Box::new(stored.clone()),
            })?,
        )
    }

    fn remove_connection(&self, account: &str) -> Result<bool, VaultError> {
        self.remove(account)
    }

    fn load_pending(&self, account: &str) -> Result<Option<PendingApproval>, VaultError> {
        self.load(&pending_name(account))?
            .map(|text| parse(&text))
            .transpose()
    }

    fn save_pending(&self, account: &str, pending: &PendingApproval) -> Result<(), VaultError> {
        self.save(&pending_name(account), &to_json(pending)?)
    }

    fn remove_pending(&self, account: &str) -> Result<bool, VaultError> {
        self.remove(&pending_name(account))
    }
}

fn pending_name(account: &str) -> String {
    format!("{account}#pending-approval")
}

fn parse<T: for<'de> Deserialize<'de>>(text: &str) -> Result<T, VaultError> {
    serde_json::from_str(text).map_err(|e| VaultError::Corrupt(e.to_string()))
}

fn to_json(value: &impl Serialize) -> Result<String, VaultError> {
    serde_json::to_string(value).map_err(|e| VaultError::Failed(e.to_string()))
}
