//! The real Secret Service seen from another process (`secret-tool`, package libsecret-tools):
//! what is stored, and items other programs might have put there.

use std::io::Write;
use std::process::{Command, Stdio};

use inbox_connect_core::status::{Account, ConnectionMeta};
use inbox_connect_core::Feature;
use inbox_connect_core::StoredConnection;
use oauth2::RefreshToken;

/// A connection of Riley's with this refresh token.
pub fn stored(token: &str) -> StoredConnection {
    StoredConnection {
        refresh_token: RefreshToken::new(token.to_owned()),
        meta: ConnectionMeta {
            account: Account {
                username: Some("riley@contoso-recruiting.example".into()),
                name: Some("Riley Recruiter".into()),
                object_id: "oid".into(),
            },
            organization: None,
            features: vec![Feature::Mailbox],
            requested_scopes: vec!["Mail.Send".into()],
            granted_scopes: vec!["Mail.Send".into()],
            token_scopes: vec!["Mail.Send".into()],
            checks: Vec::new(),
        },
    }
}

/// The entry names (`username`s) `secret-tool` sees for a service.
pub fn usernames(service: &str) -> Vec<String> {
    let out = Command::new("secret-tool")
        .args(["search", "--all", "service", service])
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("attribute.username = "))
        .map(str::to_owned)
        .collect()
}

/// The secret of the entry `username` as stored, if there is exactly one.
pub fn lookup(service: &str, username: &str) -> Option<String> {
    let out = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", username])
        .output()
        .expect("secret-tool runs");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Stores an item that answers to the entry `username` as keyring names it (service, username,
/// target `default`), told apart from the app's own by an extra `copy` attribute: what another
/// program copying or importing the entry leaves behind.
pub fn plant_copy(service: &str, username: &str, copy: &str, secret: &[u8]) {
    let mut child = Command::new("secret-tool")
        .args(["store", "--label", "a copy made elsewhere"])
        .args([
            "service", service, "username", username, "target", "default",
        ])
        .args(["application", "rust-keyring", "copy", copy])
        .stdin(Stdio::piped())
        .spawn()
        .expect("secret-tool runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(secret)
        .expect("the secret is written");
    assert!(child.wait().expect("secret-tool ends").success());
}

/// Removes the copies [`plant_copy`] made of the entry `username` (copies `1` and `2`; one that
/// is not there is fine).
pub fn remove_copies(service: &str, username: &str) {
    for copy in ["1", "2"] {
        Command::new("secret-tool")
            .args([
                "clear", "service", service, "username", username, "copy", copy,
            ])
            .status()
            .expect("secret-tool runs");
    }
}
