//! Keychain failures, told so a user can fix them, and how `keyring`'s errors map onto them: by
//! `keyring`'s variants and, where one wraps the platform's own error, by that error's type
//! (never by its English text, which changes between versions and locales).

use crate::words::Words;

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
    /// More than one keychain item answers to the entry's name (another program copied or
    /// imported it), so the keychain cannot tell which one to read or replace.
    #[error("{count} items in the OS keychain carry this connection's name, so none of them can be used")]
    Ambiguous {
        /// How many items matched.
        count: usize,
    },
    /// The lock file that keeps the app and the CLI from writing the entry at the same time
    /// could not be taken.
    #[error("could not take the keychain lock file {path}: {reason}")]
    LockFile {
        /// The lock file.
        path: String,
        /// What the OS said.
        reason: String,
    },
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
            VaultError::Ambiguous { .. } => "keyring_entry_ambiguous",
            VaultError::LockFile { .. } => "keyring_lock_failed",
            VaultError::Failed(_) => "keyring_failed",
        }
    }

    pub(crate) fn action(&self) -> Words {
        Words::new(match self {
            VaultError::NoSecretService(_) => "error.action.no_secret_service",
            VaultError::Locked(_) => "error.action.keyring_locked",
            VaultError::Corrupt(_) => "error.action.keyring_corrupt",
            VaultError::Ambiguous { .. } => "error.action.keyring_ambiguous",
            VaultError::LockFile { .. } => "error.action.keyring_lock_failed",
            VaultError::Failed(_) => "error.action.keyring_failed",
        })
    }
}

/// What a platform error means for the user, where its type tells (only the Secret Service's do).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
enum Kind {
    Locked,
    NoService,
}

/// Classifies a keyring failure (`NoEntry` is handled by the callers before this).
pub(super) fn map_error(e: keyring::Error) -> VaultError {
    let text = e.to_string();
    match e {
        // keyring's own meaning of this variant: the store is there but refuses access.
        keyring::Error::NoStorageAccess(inner) => match platform_kind(inner.as_ref()) {
            Some(Kind::NoService) => VaultError::NoSecretService(text),
            Some(Kind::Locked) | None => VaultError::Locked(text),
        },
        keyring::Error::PlatformFailure(inner) => match platform_kind(inner.as_ref()) {
            Some(Kind::NoService) => VaultError::NoSecretService(text),
            Some(Kind::Locked) => VaultError::Locked(text),
            None => VaultError::Failed(text),
        },
        keyring::Error::BadEncoding(_) => {
            VaultError::Corrupt("the stored secret is not UTF-8 text".into())
        }
        keyring::Error::Ambiguous(items) => VaultError::Ambiguous { count: items.len() },
        _ => VaultError::Failed(text),
    }
}

/// The Secret Service's typed errors (the crate keyring's `sync-secret-service` uses). keyring
/// wraps everything `create_item` says in `PlatformFailure`, so a locked collection can arrive
/// there too.
#[cfg(target_os = "linux")]
fn platform_kind(inner: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Kind> {
    use dbus_secret_service::Error as Ss;
    match inner.downcast_ref::<Ss>()? {
        Ss::Locked | Ss::NoResult | Ss::Prompt => Some(Kind::Locked),
        Ss::Unavailable => Some(Kind::NoService),
        Ss::Dbus(e) => dbus_kind(e.name()?),
        _ => None,
    }
}

/// Other platforms' keyring backends put only their status codes in these variants, and
/// keyring's variant already says "locked" (`NoStorageAccess`) or not.
#[cfg(not(target_os = "linux"))]
fn platform_kind(_inner: &(dyn std::error::Error + Send + Sync + 'static)) -> Option<Kind> {
    None
}

/// D-Bus error names (protocol identifiers, not prose) that mean the keychain is locked or that
/// nothing serves it.
#[cfg(target_os = "linux")]
fn dbus_kind(name: &str) -> Option<Kind> {
    match name {
        "org.freedesktop.Secret.Error.IsLocked" => Some(Kind::Locked),
        // No daemon owns org.freedesktop.secrets and none can be activated.
        "org.freedesktop.DBus.Error.ServiceUnknown"
        | "org.freedesktop.DBus.Error.NameHasNoOwner"
        // No session bus at the address (or none to autolaunch without X11).
        | "org.freedesktop.DBus.Error.NoServer"
        | "org.freedesktop.DBus.Error.FileNotFound"
        | "org.freedesktop.DBus.Error.BadAddress"
        | "org.freedesktop.DBus.Error.NotSupported"
        | "org.freedesktop.DBus.Error.Disconnected" => Some(Kind::NoService),
        // The daemon could not be started.
        spawn if spawn.starts_with("org.freedesktop.DBus.Error.Spawn.") => Some(Kind::NoService),
        _ => None,
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use dbus_secret_service::Error as Ss;

    fn platform(inner: Ss) -> keyring::Error {
        keyring::Error::PlatformFailure(Box::new(inner))
    }

    #[test]
    fn dbus_errors_are_told_apart_by_name_not_by_text() {
        // Every text says "locked" and "dbus": only the name counts.
        for (name, code) in [
            ("org.freedesktop.DBus.Error.InvalidArgs", "keyring_failed"),
            ("org.freedesktop.DBus.Error.NoReply", "keyring_failed"),
            ("org.freedesktop.Secret.Error.IsLocked", "keyring_locked"),
            (
                "org.freedesktop.DBus.Error.ServiceUnknown",
                "keyring_unavailable",
            ),
            (
                "org.freedesktop.DBus.Error.Spawn.ChildExited",
                "keyring_unavailable",
            ),
        ] {
            let e = dbus::Error::new_custom(name, "DBus error: the bus policy blocked the reply");
            assert_eq!(map_error(platform(Ss::Dbus(e))).code(), code, "{name}");
        }
    }

    #[test]
    fn wrapped_secret_service_errors_keep_their_meaning() {
        for (error, code) in [
            (platform(Ss::Locked), "keyring_locked"),
            (platform(Ss::Unavailable), "keyring_unavailable"),
            (
                keyring::Error::NoStorageAccess(Box::new(Ss::Prompt)),
                "keyring_locked",
            ),
            (
                keyring::Error::BadEncoding(vec![0xff]),
                "keyring_entry_corrupt",
            ),
            (
                keyring::Error::Ambiguous(Vec::new()),
                "keyring_entry_ambiguous",
            ),
        ] {
            let text = error.to_string();
            assert_eq!(map_error(error).code(), code, "{text}");
        }
    }
}
