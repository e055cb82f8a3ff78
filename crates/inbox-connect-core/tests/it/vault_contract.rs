//! The vault's contract (load, save and remove one named secret, long ones in chunks), held on
//! both stores: the real OS keychain (through scripts/lib/test-session.sh) and the in-memory one.
//! Each store says how long it keeps secrets; the in-memory one never passes for the keychain.

use inbox_connect_test_support as support;

use inbox_connect_core::{Persistence, Vault};
use support::keychain;

/// What every store must do, through the vault.
fn holds_the_contract(vault: &Vault) {
    let name = "contract@http://127.0.0.1/organizations/v2.0";
    assert_eq!(vault.load(name).expect("readable"), None, "empty at first");
    assert!(!vault.remove(name).expect("removable"), "nothing to remove");

    vault.save(name, "short").expect("saved");
    assert_eq!(
        vault.load(name).expect("readable").as_deref(),
        Some("short")
    );
    let other = format!("{name}#pending-approval");
    vault.save(&other, "beside").expect("saved");

    // Long enough to be chunked at 7 units; the text looks like JSON but is no chunk manifest.
    let long = r#"{"v":1,"generation":"not a manifest","text":"é😀 over several chunks"}"#;
    let chunked = vault.clone().with_max_entry_chars(7);
    chunked.save(name, long).expect("saved in chunks");
    assert_eq!(chunked.load(name).expect("readable").as_deref(), Some(long));
    assert_eq!(
        vault.load(name).expect("readable").as_deref(),
        Some(long),
        "any vault on the same store reads the chunks back"
    );
    let longer = format!("{long} and a second generation");
    chunked.save(name, &longer).expect("replaced");
    assert_eq!(chunked.load(name).expect("readable"), Some(longer));
    chunked.save(name, "short again").expect("replaced");
    assert_eq!(
        chunked.load(name).expect("readable").as_deref(),
        Some("short again")
    );

    // The vault that split it removes it: one that never splits does not look for chunks
    // (within one OS every vault splits alike; only tests make two kinds).
    assert!(chunked.remove(name).expect("removed"));
    assert_eq!(vault.load(name).expect("readable"), None);
    assert_eq!(
        vault.load(&other).expect("readable").as_deref(),
        Some("beside"),
        "removing one name leaves the others"
    );
    assert!(vault.remove(&other).expect("removed"));
}

#[test]
fn the_os_keychain_keeps_the_contract() {
    let service = support::unique_service("contract");
    let vault = support::vault_named(&service);
    assert_eq!(vault.persistence(), Persistence::OsKeychain);
    holds_the_contract(&vault);
    assert!(
        keychain::usernames(&service).is_empty(),
        "no chunk or entry is left behind"
    );
    vault.save("seen", "from outside").expect("saved");
    assert_eq!(
        keychain::usernames(&service),
        ["seen"],
        "another process sees the entry: not a mock"
    );
    assert!(vault.remove("seen").expect("removed"));
}

#[test]
fn the_in_memory_store_keeps_the_contract_and_says_what_it_is() {
    let vault = Vault::in_memory();
    assert_eq!(vault.persistence(), Persistence::ProcessOnly);
    assert!(
        vault.describe("a").contains("memory"),
        "{}",
        vault.describe("a")
    );
    holds_the_contract(&vault);

    vault.save("a", "kept").expect("saved");
    assert_eq!(
        vault.clone().load("a").expect("readable").as_deref(),
        Some("kept"),
        "clones share the store"
    );
    assert_eq!(
        Vault::in_memory().load("a").expect("readable"),
        None,
        "each in-memory vault is its own"
    );
}
