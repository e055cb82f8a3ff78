//! The diagnosis corpus (tests/diagnosis-corpus/cases.toml at the repository root), shared by the
//! `diagnosis_corpus` bench (which prints the figure) and test (which holds it to a threshold).

use inbox_connect_core::diagnosis::diagnose;
use serde::Deserialize;

const CASES: &str = include_str!("../../../../tests/diagnosis-corpus/cases.toml");

#[derive(Deserialize)]
struct Corpus {
    case: Vec<Case>,
}

/// One pasted error and the cause it must get.
#[derive(Deserialize)]
pub struct Case {
    pub source: String,
    pub wrapping: String,
    pub expect: String,
    pub text: String,
}

/// How the corpus fared.
pub struct Score {
    pub right: usize,
    pub total: usize,
    /// Each wrong case: its source, wrapping, the expected and the given cause id.
    pub wrong: Vec<(String, String, String, &'static str)>,
}

pub fn run() -> Score {
    let corpus: Corpus =
        toml::from_str(CASES).unwrap_or_else(|e| panic!("the corpus does not parse: {e}"));
    let total = corpus.case.len();
    let wrong: Vec<_> = corpus
        .case
        .into_iter()
        .filter_map(|case| {
            let got = diagnose(&case.text).cause.id();
            (got != case.expect).then_some((case.source, case.wrapping, case.expect, got))
        })
        .collect();
    Score {
        right: total - wrong.len(),
        total,
        wrong,
    }
}

impl Score {
    /// "N/M right", then each miss.
    pub fn report(&self) -> String {
        let mut text = format!("diagnosis corpus: {}/{} right\n", self.right, self.total);
        for (source, wrapping, expect, got) in &self.wrong {
            text.push_str(&format!(
                "  wrong: {source} ({wrapping}): expected {expect}, got {got}\n"
            ));
        }
        text
    }
}
