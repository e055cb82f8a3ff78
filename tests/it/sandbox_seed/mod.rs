//! What the sandbox's default seed publishes, read from the seed itself so that tests searching
//! for leaks follow the seed when it changes.

use std::path::Path;

/// Every password of the seed's accounts, each once.
pub fn passwords(repo: &Path) -> Vec<String> {
    let seed = std::fs::read_to_string(repo.join("sandbox/seed/default.toml"))
        .unwrap_or_else(|e| panic!("the sandbox seed: {e}"));
    let mut passwords: Vec<String> = seed
        .lines()
        .filter_map(|line| line.trim().strip_prefix("password = \""))
        .filter_map(|rest| rest.strip_suffix('"'))
        .map(str::to_owned)
        .collect();
    passwords.sort();
    passwords.dedup();
    assert!(passwords.len() >= 3, "found only {passwords:?} in the seed");
    passwords
}
