//! Microsoft's lists are the spec: every code of the AADSTS reference (the committed list
//! tests/data/aadsts-reference-codes.txt, which cites the reference's commit) and every Graph and
//! Exchange code Microsoft documents (tests/data/graph-exchange-codes.toml) maps to a deliberate
//! cause. A code mapped to `other` counts only with a reviewed note saying why; an unmapped code or
//! an `other` without a note fails, and the figures printed say how the codes split.

use std::collections::{BTreeMap, BTreeSet};

use inbox_connect_core::diagnosis::{diagnose, Cause, Confidence, Tables};
use serde::Deserialize;

const REFERENCE: &str = include_str!("../data/aadsts-reference-codes.txt");
const GRAPH_CODES: &str = include_str!("../data/graph-exchange-codes.toml");

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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GraphSpec {
    sources: BTreeMap<String, toml::Table>,
    code: Vec<GraphCode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GraphCode {
    code: String,
    source: String,
    description: String,
    note: Option<String>,
}

/// How a list's codes split: per cause, and what fails the check.
#[derive(Default)]
struct Coverage {
    by_cause: BTreeMap<&'static str, usize>,
    other_with_note: Vec<String>,
    unmapped: Vec<String>,
    other_without_note: Vec<String>,
    /// Codes with a note that a deliberate cause now covers: the note is stale.
    noted_but_mapped: Vec<String>,
}

impl Coverage {
    fn add(&mut self, code: String, cause: Option<Cause>, note: Option<&str>) {
        match (cause, note) {
            (None, None) => self.unmapped.push(code),
            (Some(Cause::Other), None) => self.other_without_note.push(code),
            (None | Some(Cause::Other), Some(_)) => {
                *self.by_cause.entry(Cause::Other.id()).or_default() += 1;
                self.other_with_note.push(code);
            }
            (Some(_), Some(_)) => self.noted_but_mapped.push(code),
            (Some(cause), None) => *self.by_cause.entry(cause.id()).or_default() += 1,
        }
    }

    fn report(&self, list: &str, total: usize) -> String {
        let mapped: usize = self.by_cause.values().sum::<usize>() - self.other_with_note.len();
        let mut text = format!(
            "{list}: {total} codes; {mapped} map to a deliberate cause, {} to other with a reviewed note, {} unmapped, {} to other without a note\n",
            self.other_with_note.len(),
            self.unmapped.len(),
            self.other_without_note.len(),
        );
        for (cause, n) in &self.by_cause {
            text.push_str(&format!("  {cause}: {n}\n"));
        }
        text.push_str(&format!("  other (noted): {:?}\n", self.other_with_note));
        text
    }

    fn check(&self, list: &str, total: usize) {
        let report = self.report(list, total);
        println!("{report}");
        assert!(
            self.unmapped.is_empty(),
            "{report}codes without a cause: {:?}",
            self.unmapped
        );
        assert!(
            self.other_without_note.is_empty(),
            "{report}codes left to other without a reviewed note: {:?}",
            self.other_without_note
        );
        assert!(
            self.noted_but_mapped.is_empty(),
            "{report}codes noted as unmapped that the table now maps: {:?}",
            self.noted_but_mapped
        );
    }
}

#[test]
fn every_reference_code_maps_to_a_deliberate_cause() {
    let tables = Tables::get();
    let codes = reference();
    assert!(codes.len() >= 340, "only {} codes read", codes.len());
    let mut coverage = Coverage::default();
    for (code, name) in &codes {
        let entry = tables.aadsts_entries().find(|e| e.code == *code);
        if let Some(entry) = entry {
            assert_eq!(entry.name, *name, "AADSTS{code}'s name");
            assert_eq!(entry.source, "entra", "AADSTS{code}'s source");
        }
        // An AADSTS row's note may also say where an observed code was seen: only `other` needs one.
        let note = entry.and_then(|e| (e.cause == Cause::Other).then_some(e.note.as_deref())?);
        coverage.add(format!("AADSTS{code}"), entry.map(|e| e.cause), note);
    }
    coverage.check("Microsoft's AADSTS reference", codes.len());
}

#[test]
fn no_table_row_is_other_without_a_note() {
    let unexplained: Vec<u32> = Tables::get()
        .aadsts_entries()
        .filter(|e| e.cause == Cause::Other && e.note.is_none())
        .map(|e| e.code)
        .collect();
    assert!(
        unexplained.is_empty(),
        "other without a note: {unexplained:?}"
    );
}

#[test]
fn every_documented_graph_and_exchange_code_maps_to_a_deliberate_cause() {
    let spec: GraphSpec = toml::from_str(GRAPH_CODES)
        .unwrap_or_else(|e| panic!("the Graph spec does not parse: {e}"));
    let tables = Tables::get();
    let mut coverage = Coverage::default();
    for code in &spec.code {
        assert!(
            spec.sources.contains_key(&code.source),
            "{} cites the unknown source {}",
            code.code,
            code.source
        );
        assert!(
            !code.description.is_empty(),
            "{} has no description",
            code.code
        );
        coverage.add(
            code.code.clone(),
            tables.graph_cause(&code.code),
            code.note.as_deref(),
        );
    }
    let names: BTreeSet<&str> = spec.code.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(names.len(), spec.code.len(), "a code is listed twice");
    coverage.check("Microsoft's Graph and Exchange codes", spec.code.len());
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
    }
}

#[test]
fn a_refinement_follows_the_description() {
    // The same code, read with the words Microsoft sends for another meaning of it.
    for entry in Tables::get().aadsts_entries() {
        for refinement in &entry.refine {
            let text = format!("AADSTS{}: {}", entry.code, refinement.words[0]);
            let d = diagnose(&text);
            assert_eq!(d.cause, refinement.cause, "{text}");
            assert_eq!(d.detail.as_deref(), refinement.detail.as_deref(), "{text}");
        }
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
