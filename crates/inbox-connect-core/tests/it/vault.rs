//! The vault on the REAL Secret Service (run through scripts/lib/test-session.sh). These tests fail,
//! never skip, when no Secret Service is reachable: a silent mock keychain is the bug they guard.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use inbox_connect_core::vault::VaultError;
use inbox_connect_core::ConnectError;
use support::keychain::{self, stored};
use support::own_process;

#[test]
fn entries_live_in_the_real_secret_service() {
    let service = support::unique_service("vault");
    let vault = support::vault_named(&service);
    let account = "client@http://127.0.0.1/organizations/v2.0";
    assert!(vault
        .load_connection(account)
        .expect("the Secret Service answers (run via scripts/lib/test-session.sh)")
        .is_none());

    vault
        .save_connection(account, &stored("rt-1"))
        .expect("saved");
    assert_eq!(
        keychain::usernames(&service),
        [account],
        "another process sees the entry: not a mock"
    );
    let back = vault.load_connection(account).unwrap().unwrap();
    assert_eq!(back.refresh_token.secret(), "rt-1");
    assert_eq!(back.meta, stored("rt-1").meta);
    assert!(
        !format!("{back:?}").contains("rt-1"),
        "Debug output redacts the token"
    );

    assert!(vault.remove_connection(account).unwrap());
    assert!(!vault.remove_connection(account).unwrap());
    assert!(keychain::usernames(&service).is_empty());
}

#[test]
fn long_entries_are_chunked_and_old_chunks_go_after_the_new_ones_are_written() {
    let service = support::unique_service("chunks");
    let vault = support::vault_named(&service).with_max_entry_chars(100);
    let account = "client@tenant";
    let long_token = "x".repeat(1200);
    vault
        .save_connection(account, &stored(&long_token))
        .unwrap();
    let first = keychain::usernames(&service);
    assert!(first.len() > 10, "split into chunks: {first:?}");
    assert_eq!(
        vault
            .load_connection(account)
            .unwrap()
            .unwrap()
            .refresh_token
            .secret(),
        &long_token
    );

    let rotated = "y".repeat(1200);
    vault.save_connection(account, &stored(&rotated)).unwrap();
    let second = keychain::usernames(&service);
    assert_eq!(
        second.len(),
        first.len(),
        "the previous generation's chunks are gone: {second:?}"
    );
    assert!(
        second
            .iter()
            .all(|u| u == account || u.contains("#chunk2.")),
        "{second:?}"
    );
    assert_eq!(
        vault
            .load_connection(account)
            .unwrap()
            .unwrap()
            .refresh_token
            .secret(),
        &rotated
    );

    assert!(vault.remove_connection(account).unwrap());
    assert!(
        keychain::usernames(&service).is_empty(),
        "chunks are removed too"
    );
}

#[test]
fn a_locked_or_missing_keyring_gives_a_clear_typed_error() {
    if own_process::is_child() {
        let vault = support::vault_named(&support::unique_service("locked"));
        let err = vault.load_connection("a").expect_err("no unlocked keyring");
        assert!(matches!(err, VaultError::Locked(_)), "{err:?}");
        let payload = ConnectError::from(err).payload();
        assert_eq!(payload.code, "keyring_locked");
        assert!(
            payload.message.contains("your keyring is locked"),
            "{}",
            payload.message
        );
        return;
    }
    // A private session bus of its own, where the Secret Service can start but has no unlocked
    // keyring: a fresh HOME has none. Its own runtime and data folders too: the daemon this bus
    // starts would otherwise find the outer session's daemon there and leave without answering.
    let home = std::env::temp_dir().join(support::unique_service("home"));
    let runtime = home.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    let out = own_process::rerun(
        "vault::a_locked_or_missing_keyring_gives_a_clear_typed_error",
        &["dbus-run-session", "--"],
    )
    .env("HOME", &home)
    .env("XDG_RUNTIME_DIR", &runtime)
    .env("XDG_DATA_HOME", home.join("data"))
    .env_remove("DBUS_SESSION_BUS_ADDRESS")
    .output();
    let _ = std::fs::remove_dir_all(&home);
    own_process::assert_passed(out);
}

#[test]
fn no_secret_service_gives_a_clear_typed_error() {
    if own_process::is_child() {
        let vault = support::vault_named(&support::unique_service("nobus"));
        let err = vault
            .save_connection("a", &stored("rt"))
            .expect_err("no bus, no keychain");
        assert!(matches!(err, VaultError::NoSecretService(_)), "{err:?}");
        let payload = ConnectError::from(err).payload();
        assert_eq!(payload.code, "keyring_unavailable");
        assert!(
            payload
                .message
                .contains("no Secret Service / keyring daemon running"),
            "{}",
            payload.message
        );
        let err = vault.load_connection("a").expect_err("no bus, no keychain");
        assert!(matches!(err, VaultError::NoSecretService(_)), "{err:?}");
        return;
    }
    own_process::assert_passed(
        own_process::rerun("vault::no_secret_service_gives_a_clear_typed_error", &[])
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
            .env_remove("DISPLAY")
            .output(),
    );
}
