//! The diagnosis corpus (tests/diagnosis-corpus/ at the repository root: cases.toml, and issue 31's
//! families under issue-31/), shared by the `diagnosis_corpus` bench (which prints the figure) and
//! test (which holds it to a threshold).

use inbox_connect_core::diagnosis::diagnose;
use serde::Deserialize;

/// Each corpus file, by its path under tests/diagnosis-corpus/.
const FILES: &[(&str, &str)] = &[
    (
        "cases.toml",
        include_str!("../../../tests/diagnosis-corpus/cases.toml"),
    ),
    (
        "issue-31/cancellation.toml",
        include_str!("../../../tests/diagnosis-corpus/issue-31/cancellation.toml"),
    ),
    (
        "issue-31/conditional-access.toml",
        include_str!("../../../tests/diagnosis-corpus/issue-31/conditional-access.toml"),
    ),
    (
        "issue-31/accounts.toml",
        include_str!("../../../tests/diagnosis-corpus/issue-31/accounts.toml"),
    ),
    (
        "issue-31/services.toml",
        include_str!("../../../tests/diagnosis-corpus/issue-31/services.toml"),
    ),
    (
        "issue-31/graph-exchange.toml",
        include_str!("../../../tests/diagnosis-corpus/issue-31/graph-exchange.toml"),
    ),
    (
        "issue-31/grants.toml",
        include_str!("../../../tests/diagnosis-corpus/issue-31/grants.toml"),
    ),
];

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

/// Every case of the corpus.
pub fn run() -> Score {
    run_where(|_| true)
}

/// The cases of the files whose path `pick` accepts.
pub fn run_where(pick: fn(&str) -> bool) -> Score {
    let cases: Vec<Case> = FILES
        .iter()
        .filter(|(path, _)| pick(path))
        .flat_map(|(path, text)| {
            toml::from_str::<Corpus>(text)
                .unwrap_or_else(|e| panic!("{path} does not parse: {e}"))
                .case
        })
        .collect();
    let total = cases.len();
    let wrong: Vec<_> = cases
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
