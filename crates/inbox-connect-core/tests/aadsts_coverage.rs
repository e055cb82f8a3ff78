//! Every code of Microsoft's AADSTS reference (the committed list tests/data/aadsts-reference-codes.txt,
//! which cites the reference's commit) has an entry in the compiled-in table, and diagnosing the bare
//! code gives that entry's cause with high confidence.

use std::collections::BTreeSet;

use inbox_connect_core::diagnosis::{diagnose, Confidence, Tables};

const REFERENCE: &str = include_str!("data/aadsts-reference-codes.txt");

/// The reference's codes with Microsoft's names, in the list's order.
fn reference() -> Vec<(u32, &'static str)> {
    REFERENCE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (code, name) = l.split_once('\t').unwrap_or((l, ""));
            let code = code
                .trim()
                .parse()
                .unwrap_or_else(|e| panic!("{l:?} is not a code line: {e}"));
            (code, name)
        })
        .collect()
}

#[test]
fn every_reference_code_has_an_entry_with_its_name() {
    let tables = Tables::get();
    let codes = reference();
    assert!(codes.len() >= 340, "only {} codes read", codes.len());
    let missing: Vec<u32> = codes
        .iter()
        .filter(|(code, _)| tables.aadsts_entries().all(|e| e.code != *code))
        .map(|(code, _)| *code)
        .collect();
    assert!(missing.is_empty(), "codes without a cause: {missing:?}");
    for (code, name) in &codes {
        let entry = tables
            .aadsts_entries()
            .find(|e| e.code == *code)
            .unwrap_or_else(|| panic!("AADSTS{code}"));
        assert_eq!(entry.name, *name, "AADSTS{code}'s name");
        assert_eq!(entry.source, "entra", "AADSTS{code}'s source");
    }
    println!("{} of {} reference codes covered", codes.len(), codes.len());
}

#[test]
fn entries_citing_the_reference_are_in_it() {
    let listed: BTreeSet<u32> = reference().into_iter().map(|(code, _)| code).collect();
    let phantom: Vec<u32> = Tables::get()
        .aadsts_entries()
        .filter(|e| e.source == "entra" && !listed.contains(&e.code))
        .map(|e| e.code)
        .collect();
    assert!(
        phantom.is_empty(),
        "cited but not in the reference: {phantom:?}"
    );
}

#[test]
fn a_bare_code_gets_its_entrys_cause_surely() {
    for entry in Tables::get().aadsts_entries() {
        let d = diagnose(&format!("AADSTS{}: something", entry.code));
        assert_eq!(d.cause, entry.cause, "AADSTS{}", entry.code);
        assert_eq!(
            d.detail.as_deref(),
            entry.detail.as_deref(),
            "AADSTS{}",
            entry.code
        );
        assert_eq!(d.confidence, Confidence::High, "AADSTS{}", entry.code);
        assert_eq!(d.also_possible, entry.also, "AADSTS{}", entry.code);
        assert!(!d.next_steps.is_empty(), "AADSTS{}", entry.code);
    }
}

#[test]
fn the_older_names_are_kept() {
    let tables = Tables::get();
    let selected = tables
        .aadsts_entries()
        .find(|e| e.code == 16000)
        .map(|e| e.was.clone());
    assert_eq!(selected, Some(vec!["SelectUserAccount".to_owned()]));
}
