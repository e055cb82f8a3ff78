//! The vault keeps its entries whole on the REAL Secret Service (run through
//! scripts/lib/test-session.sh) when the keychain misbehaves or two writers meet: failures are
//! told by keyring's error types, a save that cannot read the manifest writes nothing, and two
//! vaults saving at once (the app and the CLI) lose no update.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::thread;

use inbox_connect_core::vault::VaultError;
use inbox_connect_core::ConnectError;
use support::keychain::{self, stored};

const ACCOUNT: &str = "client@tenant";

/// The manifest's chunk generation, as another process reads it.
fn generation(service: &str) -> u64 {
    let manifest = keychain::lookup(service, ACCOUNT).expect("a manifest is stored");
    let value: serde_json::Value = serde_json::from_str(&manifest).expect("the manifest is JSON");
    value["generation"]
        .as_u64()
        .unwrap_or_else(|| panic!("a chunked manifest: {manifest}"))
}

#[test]
fn an_entry_copied_by_another_program_is_named_as_such() {
    let service = support::unique_service("copied");
    let vault = support::vault_named(&service);
    vault
        .save_connection(ACCOUNT, &stored("rt-1"))
        .expect("saved");
    keychain::plant_copy(&service, ACCOUNT, "1", b"someone else's");

    let err = vault
        .load_connection(ACCOUNT)
        .expect_err("two items answer");
    assert_eq!(err, VaultError::Ambiguous { count: 2 });
    let payload = ConnectError::from(err).payload();
    assert_eq!(payload.code, "keyring_entry_ambiguous");
    assert!(
        payload.action.contains("delete the inbox-connect items"),
        "{}",
        payload.action
    );

    keychain::remove_copies(&service, ACCOUNT);
    assert!(vault.remove_connection(ACCOUNT).expect("removed"));
}

#[test]
fn a_stored_secret_that_is_not_text_is_a_corrupt_entry() {
    let service = support::unique_service("binary");
    keychain::plant_copy(&service, ACCOUNT, "1", &[0xff, 0xfe, 0x00]);
    let err = support::vault_named(&service)
        .load_connection(ACCOUNT)
        .expect_err("not UTF-8");
    assert!(matches!(err, VaultError::Corrupt(_)), "{err:?}");
    assert_eq!(ConnectError::from(err).code(), "keyring_entry_corrupt");
    keychain::remove_copies(&service, ACCOUNT);
}

#[test]
fn a_save_that_cannot_read_the_manifest_leaves_the_generation_in_use_alone() {
    let service = support::unique_service("unreadable");
    let vault = support::vault_named(&service).with_max_entry_chars(100);
    let old_token = "o".repeat(600);
    vault
        .save_connection(ACCOUNT, &stored(&old_token))
        .expect("saved");
    let chunks_before: Vec<(String, Option<String>)> = keychain::usernames(&service)
        .into_iter()
        .filter(|u| u != ACCOUNT)
        .map(|u| (u.clone(), keychain::lookup(&service, &u)))
        .collect();
    assert!(chunks_before.len() > 5, "chunked: {chunks_before:?}");

    // The manifest can no longer be read: two items answer to it.
    keychain::plant_copy(&service, ACCOUNT, "1", b"someone else's");
    let err = vault
        .save_connection(ACCOUNT, &stored(&"n".repeat(600)))
        .expect_err("the manifest cannot be read, so nothing may be written");
    assert_eq!(err, VaultError::Ambiguous { count: 2 });
    for (name, before) in &chunks_before {
        assert_eq!(
            &keychain::lookup(&service, name),
            before,
            "chunk {name} of the generation in use was rewritten in place"
        );
    }

    keychain::remove_copies(&service, ACCOUNT);
    let back = vault
        .load_connection(ACCOUNT)
        .expect("readable")
        .expect("stored");
    assert_eq!(back.refresh_token.secret(), &old_token);
    assert!(vault.remove_connection(ACCOUNT).expect("removed"));
}

#[test]
fn two_vaults_saving_at_once_lose_no_update() {
    const SAVES: u64 = 8;
    let service = support::unique_service("two-writers");
    // Each save reads the generation and writes the next one in a few chunk entries: without the
    // lock, two writers read the same generation and one of the updates is lost.
    let writers: Vec<_> = ["app", "cli"]
        .into_iter()
        .map(|who| {
            let vault = support::vault_named(&service).with_max_entry_chars(200);
            thread::spawn(move || {
                for i in 0..SAVES {
                    let token = format!("{who}-{i}-").repeat(40);
                    vault
                        .save_connection(ACCOUNT, &stored(&token))
                        .expect("saved");
                    let back = vault
                        .load_connection(ACCOUNT)
                        .expect("whole")
                        .expect("stored");
                    assert!(back.refresh_token.secret().len() >= 200);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("the writer finished");
    }

    assert_eq!(
        generation(&service),
        2 * SAVES,
        "every save moved to a generation of its own"
    );
    let vault = support::vault_named(&service).with_max_entry_chars(200);
    assert!(vault.load_connection(ACCOUNT).expect("whole").is_some());
    let names = keychain::usernames(&service);
    assert!(
        names
            .iter()
            .all(|u| u == ACCOUNT || u.contains(&format!("#chunk{}.", 2 * SAVES))),
        "no chunk of an older generation is left behind: {names:?}"
    );
    assert!(vault.remove_connection(ACCOUNT).expect("removed"));
    assert!(keychain::usernames(&service).is_empty());
    // The lock file holds nothing: no secret ever lands in a plain file.
    let lock = dirs_lock_file(&service);
    assert_eq!(
        std::fs::metadata(&lock).map(|m| m.len()).ok(),
        Some(0),
        "{lock:?}"
    );
}

/// Where the vault keeps its lock file (XDG_DATA_HOME, set by test-session.sh).
fn dirs_lock_file(service: &str) -> std::path::PathBuf {
    let data = std::env::var_os("XDG_DATA_HOME").expect("run via scripts/lib/test-session.sh");
    std::path::Path::new(&data)
        .join("app.inboxconnect.desktop")
        .join(format!("{service}.keychain.lock"))
}
