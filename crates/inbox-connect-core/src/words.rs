//! The catalogs of words (`ui/i18n/*.json`, the window's own, so one set of translations serves
//! all): the core words with them what it puts in front of people outside the window (the browser
//! tab's result pages, the message to IT) and, in English, what the CLI prints; what it sends to
//! the window are [`Words`], keys with parameters, worded there. What IT looks up (ids, codes,
//! times, the app's registration) stays in English.

use std::collections::HashMap;
use std::sync::OnceLock;

mod message;

pub use message::{List, Param, Words};

/// A catalog's message: plain, or one text per plural category (`one`, `other`, …).
#[derive(Debug)]
enum Entry {
    Plain(String),
    Plural(HashMap<String, String>),
}

/// A language of the catalogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// English, and the fallback for a message a catalog lacks.
    #[default]
    En,
    /// German.
    De,
    /// French.
    Fr,
    /// Dutch.
    Nl,
    /// Spanish.
    Es,
}

impl Language {
    /// Every language, in the window's picker order (and the order of declaration, which indexes
    /// the catalogs).
    pub const ALL: [Language; 5] = [
        Language::En,
        Language::De,
        Language::Fr,
        Language::Nl,
        Language::Es,
    ];

    /// The language of a BCP 47 tag (`de`, `de-AT`, `fr_CH`), when the catalogs have it.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_', '.']).next()?.to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The tag (`en`), as in `<html lang>` and the catalogs' file names.
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
            Language::Fr => "fr",
            Language::Nl => "nl",
            Language::Es => "es",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Language::En => include_str!("../../../ui/i18n/en.json"),
            Language::De => include_str!("../../../ui/i18n/de.json"),
            Language::Fr => include_str!("../../../ui/i18n/fr.json"),
            Language::Nl => include_str!("../../../ui/i18n/nl.json"),
            Language::Es => include_str!("../../../ui/i18n/es.json"),
        }
    }

    /// The catalog's messages, read once.
    fn catalog(self) -> &'static HashMap<String, Entry> {
        static CATALOGS: OnceLock<[HashMap<String, Entry>; 5]> = OnceLock::new();
        &CATALOGS.get_or_init(|| Language::ALL.map(|l| read(l.source())))[self as usize]
    }

    /// The message `key` with its `{name}` placeholders filled; English where this catalog lacks
    /// it, `None` where English does too.
    pub fn try_say(self, key: &str, params: &[(&str, &str)]) -> Option<String> {
        self.try_say_counted(key, None, params)
    }

    /// [`Language::try_say`] for the form of a plural message that fits `count` (without one, its
    /// `other` form).
    fn try_say_counted(
        self,
        key: &str,
        count: Option<u64>,
        params: &[(&str, &str)],
    ) -> Option<String> {
        let (language, entry) = match self.catalog().get(key) {
            Some(entry) => (self, entry),
            None => (Language::En, Language::En.catalog().get(key)?),
        };
        let text = match entry {
            Entry::Plain(text) => text,
            Entry::Plural(forms) => {
                let category = count.map_or("other", |n| language.plural_category(n));
                forms.get(category).or_else(|| forms.get("other"))?
            }
        };
        Some(fill(text, params))
    }

    /// [`Language::try_say`], or the key itself (a test keeps every key the core says in the
    /// catalogs).
    pub fn say(self, key: &str, params: &[(&str, &str)]) -> String {
        self.try_say(key, params).unwrap_or_else(|| key.to_owned())
    }
}

/// The messages of a catalog's JSON text; one that does not parse reads as empty (a test parses
/// every catalog).
fn read(source: &str) -> HashMap<String, Entry> {
    let all: HashMap<String, serde_json::Value> = serde_json::from_str(source).unwrap_or_default();
    all.into_iter()
        .filter_map(|(key, value)| match value {
            serde_json::Value::String(text) => Some((key, Entry::Plain(text))),
            serde_json::Value::Object(forms) => {
                let forms = forms
                    .into_iter()
                    .filter_map(|(form, text)| Some((form, text.as_str()?.to_owned())))
                    .collect();
                Some((key, Entry::Plural(forms)))
            }
            _ => None,
        })
        .collect()
}

/// Puts each `{name}`'s value in its place, in one pass (a value holding `{x}` stays as it is).
fn fill(text: &str, params: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            params
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_parses_and_a_tag_finds_its_language() {
        for language in Language::ALL {
            let parsed: Result<HashMap<String, serde_json::Value>, _> =
                serde_json::from_str(language.source());
            assert!(
                parsed.is_ok(),
                "{}.json: {:?}",
                language.tag(),
                parsed.err()
            );
            assert!(!language.catalog().is_empty());
        }
        assert!(Language::ALL
            .iter()
            .enumerate()
            .all(|(i, l)| *l as usize == i));
        assert_eq!(Language::from_tag("de-AT"), Some(Language::De));
        assert_eq!(Language::from_tag("nl_BE.UTF-8"), Some(Language::Nl));
        assert_eq!(Language::from_tag("ES"), Some(Language::Es));
        assert_eq!(Language::from_tag("pt-BR"), None);
    }

    #[test]
    fn placeholders_are_filled_once_and_unknown_ones_stay() {
        assert_eq!(
            fill("{a} and {b}, {c}", &[("a", "{b}"), ("b", "2")]),
            "{b} and 2, {c}"
        );
        assert_eq!(fill("no {close", &[]), "no {close");
        assert_eq!(
            Language::De.say("connected.heading", &[]),
            "Outlook ist verbunden"
        );
        // A key no catalog has says itself, for the test that lists the core's keys.
        assert_eq!(Language::Fr.say("no.such.key", &[]), "no.such.key");
    }
}
