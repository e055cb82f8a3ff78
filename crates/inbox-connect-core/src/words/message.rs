//! A message as data: a catalog key and its parameters, worded by whoever shows it (the window in
//! its language, the CLI and the report in English). A parameter may be a message itself or a list
//! of them, so that a sentence made of parts is still worded whole by each language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Language;

/// A message: its key in the catalogs (`ui/i18n/*.json`) and the values of its `{name}`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    /// The catalog key, e.g. `checklist.user_consent.title`.
    pub key: String,
    /// The placeholders' values; `count` also picks a plural message's form.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, Param>,
}

/// The value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Param {
    /// A number, shown in the language's digits.
    Count(u64),
    /// Text shown as it is: a name, an id, a label of Microsoft's portal.
    Text(String),
    /// A message of its own.
    Words(Words),
    /// Several values, joined as the language joins a list.
    List(List),
}

/// A list and how it joins: "A, B and C" or "A, B or C".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum List {
    /// Every one of them.
    AllOf(Vec<Param>),
    /// Any one of them.
    AnyOf(Vec<Param>),
}

impl Words {
    /// The message `key` without parameters (yet).
    pub fn new(key: &str) -> Words {
        Words {
            key: key.to_owned(),
            params: BTreeMap::new(),
        }
    }

    /// This message with `{name}` set to `value`.
    pub fn with(mut self, name: &str, value: impl Into<Param>) -> Words {
        self.params.insert(name.to_owned(), value.into());
        self
    }

    /// The message in English, as the CLI and the report show it.
    pub fn english(&self) -> String {
        Language::En.word(self)
    }
}

impl From<&str> for Param {
    fn from(text: &str) -> Param {
        Param::Text(text.to_owned())
    }
}

impl From<String> for Param {
    fn from(text: String) -> Param {
        Param::Text(text)
    }
}

impl From<Words> for Param {
    fn from(words: Words) -> Param {
        Param::Words(words)
    }
}

impl From<usize> for Param {
    fn from(n: usize) -> Param {
        Param::Count(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

impl From<u32> for Param {
    fn from(n: u32) -> Param {
        Param::Count(n.into())
    }
}

impl From<List> for Param {
    fn from(list: List) -> Param {
        Param::List(list)
    }
}

impl Language {
    /// `words` in this language: the message's form for its `count`, every parameter worded in
    /// turn; the key itself where no catalog has the message.
    pub fn word(self, words: &Words) -> String {
        let values: Vec<(&str, String)> = words
            .params
            .iter()
            .map(|(name, value)| (name.as_str(), self.value(value)))
            .collect();
        let params: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let count = match words.params.get("count") {
            Some(Param::Count(n)) => Some(*n),
            _ => None,
        };
        self.try_say_counted(&words.key, count, &params)
            .unwrap_or_else(|| words.key.clone())
    }

    /// One parameter's value in this language.
    pub(crate) fn value(self, value: &Param) -> String {
        match value {
            Param::Count(n) => n.to_string(),
            Param::Text(text) => text.clone(),
            Param::Words(words) => self.word(words),
            Param::List(list) => self.list(list),
        }
    }

    /// "A, B and C": the last item joined by the catalog's `list.all_of` / `list.any_of`.
    fn list(self, list: &List) -> String {
        let (items, key) = match list {
            List::AllOf(items) => (items, "list.all_of"),
            List::AnyOf(items) => (items, "list.any_of"),
        };
        let items: Vec<String> = items.iter().map(|v| self.value(v)).collect();
        match items.split_last() {
            None => String::new(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => self.say(key, &[("rest", &rest.join(", ")), ("last", last)]),
        }
    }

    /// The CLDR plural category of a whole number, as `Intl.PluralRules` names it in the window
    /// (the cardinal rules of these five languages, for integers).
    pub(super) fn plural_category(self, n: u64) -> &'static str {
        match self {
            Language::Fr if n <= 1 => "one",
            Language::Fr | Language::Es if n.is_multiple_of(1_000_000) && n != 0 => "many",
            Language::Fr => "other",
            _ if n == 1 => "one",
            _ => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_worded_in_the_same_language_and_counts_pick_the_form() {
        let group = Words::new("checklist.name.group").with("name", "IT");
        let words = Words::new("checklist.name.members_of").with("group", group);
        assert_eq!(words.english(), "members of the group \"IT\"");
        let json = serde_json::to_value(&words).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"key": "checklist.name.members_of", "params": {"group": {"key": "checklist.name.group", "params": {"name": "IT"}}}})
        );
        let back: Result<Words, _> = serde_json::from_value(json);
        assert_eq!(back.ok(), Some(words));
        let list = List::AnyOf(vec!["A".into(), "B".into(), "C".into()]);
        assert_eq!(Language::En.list(&list), "A, B or C");
        assert_eq!(Language::En.list(&List::AllOf(vec!["A".into()])), "A");
        for (n, form) in [(0, "other"), (1, "one"), (2, "other")] {
            assert_eq!(Language::De.plural_category(n), form);
        }
        assert_eq!(Language::Fr.plural_category(0), "one");
        assert_eq!(Language::Es.plural_category(2_000_000), "many");
        assert_eq!(Language::En.plural_category(2_000_000), "other");
    }
}
