//! The code tables, compiled in as data: aadsts.toml (Microsoft's reference of AADSTS codes) and
//! signals.toml (OAuth `error` values, Graph codes, HTTP statuses, words of Microsoft's pages).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use regex_lite::{Regex, RegexBuilder};
use serde::Deserialize;

use super::cause::Cause;

const AADSTS_TOML: &str = include_str!("aadsts.toml");
const SIGNALS_TOML: &str = include_str!("signals.toml");

/// Why a table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// Not TOML of the expected shape (an unknown cause id is one).
    #[error("the table does not parse: {0}")]
    Parse(#[from] toml::de::Error),
    /// Two entries for one AADSTS number.
    #[error("AADSTS{0} has more than one entry")]
    DuplicateCode(u32),
    /// An entry cites a source the file does not describe.
    #[error("AADSTS{code} names the unknown source {source_name:?}")]
    UnknownSource {
        /// The entry's code.
        code: u32,
        /// The source it names.
        source_name: String,
    },
    /// The words of the table do not make a pattern.
    #[error("the table's words do not make a pattern: {0}")]
    Pattern(#[from] regex_lite::Error),
}

/// A cause with its detail and a second cause that also fits, as an entry names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Finding<'a> {
    pub cause: Cause,
    pub detail: Option<&'a str>,
    pub also: Option<Cause>,
}

/// One row of aadsts.toml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AadstsEntry {
    /// The number after `AADSTS`.
    pub code: u32,
    /// Microsoft's name for it (or the start of its description where it has none).
    pub name: String,
    /// Names older versions of the reference used.
    #[serde(default)]
    pub was: Vec<String>,
    /// The cause it means.
    pub cause: Cause,
    /// The finer detail the advice keys off.
    pub detail: Option<String>,
    /// A second cause that fits the same code.
    pub also: Option<Cause>,
    /// Which of the file's `[sources]` the row comes from.
    pub source: String,
    /// Why the row's cause is what it is, where a reviewer had to decide (every `other` has one).
    pub note: Option<String>,
    /// Other meanings the code takes when the description says so, the first that fits winning.
    #[serde(default)]
    pub refine: Vec<Refinement>,
}

/// A meaning of a code that its description's words decide ("AADSTS65005: … has not subscribed to"
/// is a missing service, not a misconfigured app).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refinement {
    /// Words of which one must be in the text (case-insensitive).
    pub words: Vec<String>,
    /// The cause it means then.
    pub cause: Cause,
    /// The finer detail then.
    pub detail: Option<String>,
    /// A second cause that fits then.
    pub also: Option<Cause>,
}

#[derive(Debug, Deserialize)]
struct AadstsFile {
    sources: BTreeMap<String, toml::Table>,
    aadsts: AadstsCodes,
}

#[derive(Debug, Deserialize)]
struct AadstsCodes {
    code: Vec<AadstsEntry>,
}

/// The fields every signal entry shares.
#[derive(Debug, Deserialize)]
struct Meaning {
    cause: Cause,
    detail: Option<String>,
    also: Option<Cause>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OAuthEntry {
    pub error: String,
    #[serde(flatten)]
    meaning: Meaning,
    /// The value decides on its own, whatever codes ride along.
    #[serde(default, rename = "final")]
    pub decisive: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct GraphEntry {
    pub code: String,
    /// Words that must also be in the text for this entry to apply (case-insensitive).
    context: Option<String>,
    #[serde(flatten)]
    meaning: Meaning,
}

#[derive(Debug, Deserialize)]
struct StatusEntry {
    status: u16,
    #[serde(flatten)]
    meaning: Meaning,
}

#[derive(Debug, Deserialize)]
pub(crate) struct PhraseEntry {
    pub words: String,
    #[serde(flatten)]
    meaning: Meaning,
}

#[derive(Debug, Deserialize)]
struct SignalsFile {
    oauth_error: Vec<OAuthEntry>,
    graph: Vec<GraphEntry>,
    status: Vec<StatusEntry>,
    phrase: Vec<PhraseEntry>,
}

/// Both tables, with the patterns that find their words in a text.
pub struct Tables {
    aadsts: BTreeMap<u32, AadstsEntry>,
    signals: SignalsFile,
    graph_codes: Regex,
    phrases: Regex,
}

impl Meaning {
    fn finding(&self) -> Finding<'_> {
        Finding {
            cause: self.cause,
            detail: self.detail.as_deref(),
            also: self.also,
        }
    }
}

impl AadstsEntry {
    pub(crate) fn finding(&self) -> Finding<'_> {
        Finding {
            cause: self.cause,
            detail: self.detail.as_deref(),
            also: self.also,
        }
    }

    /// The code's meaning given the text around it (`lowercase_text`): the first refinement whose
    /// words are there, else the row's own.
    pub(crate) fn finding_in(&self, lowercase_text: &str) -> Finding<'_> {
        self.refine
            .iter()
            .find(|r| {
                r.words
                    .iter()
                    .any(|w| lowercase_text.contains(&w.to_lowercase()))
            })
            .map_or_else(
                || self.finding(),
                |r| Finding {
                    cause: r.cause,
                    detail: r.detail.as_deref(),
                    also: r.also,
                },
            )
    }
}

impl OAuthEntry {
    pub(crate) fn finding(&self) -> Finding<'_> {
        self.meaning.finding()
    }
}

impl PhraseEntry {
    pub(crate) fn finding(&self) -> Finding<'_> {
        self.meaning.finding()
    }
}

/// An alternation of literal words (each optionally followed by `suffix`), case-insensitive,
/// whole words only.
fn words_pattern<'a>(
    words: impl Iterator<Item = &'a str>,
    suffix: &str,
) -> Result<Regex, regex_lite::Error> {
    let alternatives: Vec<String> = words.map(regex_lite::escape).collect();
    RegexBuilder::new(&format!(r"\b(?:{}){suffix}\b", alternatives.join("|")))
        .case_insensitive(true)
        .build()
}

impl Tables {
    /// Reads and checks both tables.
    pub fn parse(aadsts: &str, signals: &str) -> Result<Tables, TableError> {
        let file: AadstsFile = toml::from_str(aadsts)?;
        let mut by_code = BTreeMap::new();
        for entry in file.aadsts.code {
            if !file.sources.contains_key(&entry.source) {
                return Err(TableError::UnknownSource {
                    code: entry.code,
                    source_name: entry.source,
                });
            }
            let code = entry.code;
            if by_code.insert(code, entry).is_some() {
                return Err(TableError::DuplicateCode(code));
            }
        }
        let signals: SignalsFile = toml::from_str(signals)?;
        let mut graph_codes: Vec<&str> = signals.graph.iter().map(|g| g.code.as_str()).collect();
        graph_codes.dedup();
        // .NET tools print the code as an exception type (`MailboxInfoStaleException`).
        let graph_codes = words_pattern(graph_codes.into_iter(), "(?:Exception)?")?;
        let phrases = words_pattern(signals.phrase.iter().map(|p| p.words.as_str()), "")?;
        Ok(Tables {
            aadsts: by_code,
            signals,
            graph_codes,
            phrases,
        })
    }

    /// The compiled-in tables.
    pub fn get() -> &'static Tables {
        static TABLES: OnceLock<Tables> = OnceLock::new();
        // Compiled-in data that the tests parse: a failure here is a programming error.
        TABLES.get_or_init(|| {
            Tables::parse(AADSTS_TOML, SIGNALS_TOML).expect("the diagnosis tables parse")
        })
    }

    /// Every AADSTS entry, by code.
    pub fn aadsts_entries(&self) -> impl Iterator<Item = &AadstsEntry> {
        self.aadsts.values()
    }

    pub(crate) fn aadsts(&self, code: u32) -> Option<&AadstsEntry> {
        self.aadsts.get(&code)
    }

    pub(crate) fn oauth_error(&self, error: &str) -> Option<&OAuthEntry> {
        self.signals
            .oauth_error
            .iter()
            .find(|e| e.error.eq_ignore_ascii_case(error))
    }

    /// The OAuth `error` values the table knows, for finding one in free text.
    pub(crate) fn oauth_errors(&self) -> impl Iterator<Item = &str> {
        self.signals.oauth_error.iter().map(|e| e.error.as_str())
    }

    /// The Graph code's entry: the first whose context (if any) is in `lowercase_text`.
    pub(crate) fn graph(&self, code: &str, lowercase_text: &str) -> Option<Finding<'_>> {
        self.signals
            .graph
            .iter()
            .filter(|g| g.code.eq_ignore_ascii_case(code))
            .find(|g| {
                g.context
                    .as_deref()
                    .is_none_or(|c| lowercase_text.contains(&c.to_lowercase()))
            })
            .map(|g| g.meaning.finding())
    }

    /// The cause a Graph (or Exchange) code means when nothing else is known about the answer, if
    /// the table knows the code.
    pub fn graph_cause(&self, code: &str) -> Option<Cause> {
        self.graph(code, "").map(|f| f.cause)
    }

    /// The first Graph code of the table written in the text, as the table spells it.
    pub(crate) fn find_graph_code(&self, text: &str) -> Option<&str> {
        let found = self.graph_codes.find(text)?.as_str();
        let found = found.strip_suffix("Exception").unwrap_or(found);
        self.signals
            .graph
            .iter()
            .map(|g| g.code.as_str())
            .find(|c| c.eq_ignore_ascii_case(found))
    }

    pub(crate) fn status(&self, status: u16) -> Option<Finding<'_>> {
        self.signals
            .status
            .iter()
            .find(|s| s.status == status)
            .map(|s| s.meaning.finding())
    }

    /// The phrases written in the text, each once, with where it first appears.
    pub(crate) fn find_phrases(&self, text: &str) -> Vec<(usize, &PhraseEntry)> {
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        for m in self.phrases.find_iter(text) {
            let words = m.as_str().to_lowercase();
            let Some(entry) = self.signals.phrase.iter().find(|p| p.words == words) else {
                continue;
            };
            if seen.insert(entry.words.as_str()) {
                found.push((m.start(), entry));
            }
        }
        found
    }
}
