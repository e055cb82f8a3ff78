//! The window's message catalogs (`ui/i18n/<language>.json`) against English and against the UI
//! that uses them:
//! - every language has exactly the keys of `en.json` (missing and extra keys named per language);
//! - each translation has the same `{placeholders}` as English (for a plural message: over all its
//!   forms), and every plural message has the forms `Intl.PluralRules` needs (`one` and `other` for
//!   these five languages), chosen by its `{count}`;
//! - every key the UI uses exists in `en.json`: `t("…")` and `tNodes("…")` in `ui/**/*.js`, the
//!   keys the scripts keep in tables (string literals like `"cause.throttled"` in a catalog
//!   namespace), `data-i18n="…"` and `data-i18n-attr="attr:key"` in `ui/index.html`; and every
//!   English key is used somewhere;
//! - the English that `index.html` keeps as the fallback is `en.json`'s text.
//!
//! Plain std and serde_json: no JavaScript runs here (the end-to-end tests run the real window).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

pub mod sources;

use sources::{
    core_keys, html_keys, is_message_call, key_like, scripts, squeeze, string_literals, unescape,
};

/// The languages of the picker (ui/js/i18n.js `LANGUAGES`).
const LANGUAGES: &[&str] = &["en", "de", "fr", "nl", "es"];
/// The plural categories each language's messages need (CLDR, as `Intl.PluralRules` uses them;
/// French "one" covers 0 and 1, and the `many` of French and Spanish for millions falls back to
/// `other`).
const NEEDED_FORMS: &[&str] = &["one", "other"];
/// Every category `Intl.PluralRules` can answer.
const ALL_FORMS: &[&str] = &["zero", "one", "two", "few", "many", "other"];

fn ui_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui")
}

type Catalog = BTreeMap<String, Value>;

fn read_catalog(language: &str) -> Catalog {
    let path = ui_dir().join("i18n").join(format!("{language}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match value {
        Value::Object(map) => map.into_iter().collect(),
        other => panic!("{}: not a JSON object but {other}", path.display()),
    }
}

/// Fails with every problem found, one per line.
fn report(what: &str, problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s)\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// The `{name}` placeholders of a message text (the names i18n.js fills: letters, digits, `_`).
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                let valid = name
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if valid {
                    found.insert(name.to_owned());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    found
}

/// A message's texts: one for a string, one per form for a plural object. `Err` for anything else.
fn forms(value: &Value) -> Result<Vec<(Option<&str>, &str)>, String> {
    match value {
        Value::String(text) => Ok(vec![(None, text.as_str())]),
        Value::Object(map) => map
            .iter()
            .map(|(form, text)| match text {
                Value::String(text) => Ok((Some(form.as_str()), text.as_str())),
                other => Err(format!("its form {form:?} is {other}, not text")),
            })
            .collect(),
        other => Err(format!("is {other}, neither text nor a plural object")),
    }
}

fn message_placeholders(value: &Value) -> BTreeSet<String> {
    forms(value)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(_, text)| placeholders(text))
        .collect()
}

#[test]
fn every_language_has_exactly_the_english_keys() {
    let english = read_catalog("en");
    let mut problems = Vec::new();
    for language in &LANGUAGES[1..] {
        let catalog = read_catalog(language);
        let missing: Vec<&String> = english
            .keys()
            .filter(|k| !catalog.contains_key(*k))
            .collect();
        let extra: Vec<&String> = catalog
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{language}.json lacks {} key(s): {missing:?}",
                missing.len()
            ));
        }
        if !extra.is_empty() {
            problems.push(format!(
                "{language}.json has {} key(s) en.json has not: {extra:?}",
                extra.len()
            ));
        }
    }
    report("catalog keys", problems);
}

#[test]
fn messages_are_text_or_plural_forms_with_the_english_placeholders() {
    let english = read_catalog("en");
    let mut problems = Vec::new();
    for language in LANGUAGES {
        let catalog = read_catalog(language);
        for (key, value) in &catalog {
            let texts = match forms(value) {
                Ok(texts) => texts,
                Err(e) => {
                    problems.push(format!("{language}.json {key:?} {e}"));
                    continue;
                }
            };
            if texts.iter().any(|(_, text)| text.trim().is_empty()) {
                problems.push(format!("{language}.json {key:?} has an empty text"));
            }
            if let Value::Object(map) = value {
                let have: BTreeSet<&str> = map.keys().map(String::as_str).collect();
                let lacking: Vec<&&str> = NEEDED_FORMS
                    .iter()
                    .filter(|f| !have.contains(**f))
                    .collect();
                if !lacking.is_empty() {
                    problems.push(format!(
                        "{language}.json {key:?} lacks the plural form(s) {lacking:?}"
                    ));
                }
                let unknown: Vec<&&str> = have.iter().filter(|f| !ALL_FORMS.contains(*f)).collect();
                if !unknown.is_empty() {
                    problems.push(format!(
                        "{language}.json {key:?} has form(s) Intl.PluralRules never picks: {unknown:?}"
                    ));
                }
                if !message_placeholders(value).contains("count") {
                    problems.push(format!(
                        "{language}.json {key:?} is plural but never says {{count}} (the number that picks the form)"
                    ));
                }
            }
            let Some(source) = english.get(key) else {
                continue;
            };
            let want = message_placeholders(source);
            let have = message_placeholders(value);
            if want != have {
                problems.push(format!(
                    "{language}.json {key:?} has the placeholders {have:?}, English has {want:?}"
                ));
            }
        }
    }
    report("catalog messages", problems);
}

#[test]
fn every_key_the_ui_uses_is_in_english_and_every_english_key_is_used() {
    let english = read_catalog("en");
    let namespaces: BTreeSet<&str> = english
        .keys()
        .filter_map(|k| k.split_once('.').map(|(ns, _)| ns))
        .collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut problems = Vec::new();

    let mut files = Vec::new();
    scripts(&ui_dir(), &mut files);
    files.sort();
    assert!(!files.is_empty(), "no scripts under {}", ui_dir().display());
    for file in &files {
        let source =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let name = file
            .strip_prefix(ui_dir())
            .unwrap_or(file)
            .display()
            .to_string();
        for (before, literal) in string_literals(&source) {
            let call = is_message_call(&before);
            let table = key_like(&literal)
                && literal
                    .split_once('.')
                    .is_some_and(|(ns, _)| namespaces.contains(ns));
            if !(call || table) {
                continue;
            }
            if english.contains_key(&literal) {
                used.insert(literal);
            } else {
                problems.push(format!(
                    "ui/{name} uses the key {literal:?}, which en.json lacks"
                ));
            }
        }
    }

    let path = ui_dir().join("index.html");
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (key, fallback) in html_keys(&html) {
        match english.get(&key) {
            None => problems.push(format!(
                "ui/index.html uses the key {key:?}, which en.json lacks"
            )),
            Some(value) => {
                if let (Some(fallback), Value::String(text)) = (fallback, value) {
                    if squeeze(&unescape(&fallback)) != squeeze(text) {
                        problems.push(format!(
                            "ui/index.html's English for {key:?} is {:?}, en.json says {text:?}",
                            squeeze(&fallback)
                        ));
                    }
                }
                used.insert(key);
            }
        }
    }

    // The core's advice and Microsoft's words for the permissions are worded under keys the
    // scripts build (advice.js, permissions.js): checked against the core in
    // `the_english_advice_is_the_cores` and `microsofts_words_for_each_permission_are_the_cores`. The keys of the core's `Words` count as used.
    let said = core_keys();
    let unused: Vec<&String> = english
        .keys()
        .filter(|k| {
            !used.contains(*k)
                && !said.contains(*k)
                && !k.starts_with(ADVICE)
                && !k.starts_with(SCOPE)
                && !CORE_NAMESPACES.iter().any(|ns| k.starts_with(ns))
        })
        .collect();
    if !unused.is_empty() {
        problems.push(format!(
            "en.json has {} key(s) nothing uses: {unused:?}",
            unused.len()
        ));
    }
    report("keys used by the UI", problems);
}

/// The namespace of the core's advice (ui/js/advice.js).
const ADVICE: &str = "advice.";
/// The namespace of Microsoft's words for each permission (ui/js/permissions.js).
const SCOPE: &str = "scope.";
/// What only the core says (the browser tab's pages, the message to IT, the admin roles, list
/// joining): checked against the core's sources in `every_key_the_core_says_is_in_english_and_used`.
const CORE_NAMESPACES: &[&str] = &["page.", "it.", "role.", "list."];
/// Where else the core's keys are: the checklist's `Words`, and the admin screen's notes.
const SHARED_NAMESPACES: &[&str] = &["checklist.", "admin.consent_note.", "error.action."];

/// Every key the core says is in `en.json`, and every key of the core's namespaces is said.
#[test]
fn every_key_the_core_says_is_in_english_and_used() {
    let english = read_catalog("en");
    let said = core_keys();
    assert!(
        said.len() > 100,
        "only {} keys found in the core",
        said.len()
    );
    let mut problems: Vec<String> = said
        .iter()
        .filter(|k| !english.contains_key(*k))
        .map(|k| format!("the core says {k:?}, which en.json lacks"))
        .collect();
    for key in english
        .keys()
        .filter(|k| CORE_NAMESPACES.iter().any(|ns| k.starts_with(ns)))
    {
        if !said.contains(key) {
            problems.push(format!("en.json has {key:?}, which the core never says"));
        }
    }
    report("keys the core says", problems);
}

/// Every piece of the core's advice has its English in `en.json`, word for word (the core's
/// English is the CLI's and the report's), and `en.json` words nothing else under `advice.`.
#[test]
fn the_english_advice_is_the_cores() {
    let english = read_catalog("en");
    let mut expected: BTreeMap<String, String> = BTreeMap::new();
    for advice in inbox_connect_core::diagnosis::all_advice() {
        let key = format!("{ADVICE}{}", advice.key);
        expected.insert(format!("{key}.explanation"), advice.explanation.to_owned());
        for (n, step) in advice.next_steps.iter().enumerate() {
            expected.insert(format!("{key}.steps.{}", n + 1), (*step).to_owned());
        }
    }
    let mut problems = Vec::new();
    for (key, text) in &expected {
        match english.get(key) {
            Some(Value::String(found)) if found == text => {}
            Some(found) => problems.push(format!("{key}: en.json says {found}, the core {text:?}")),
            None => problems.push(format!("{key}: missing; the core says {text:?}")),
        }
    }
    for key in english.keys().filter(|k| k.starts_with(ADVICE)) {
        if !expected.contains_key(key) {
            problems.push(format!("{key}: the core has no such advice"));
        }
    }
    assert!(
        expected.len() > 40,
        "only {} advice texts read",
        expected.len()
    );
    report("the advice in en.json", problems);
}

/// Every kind of check finding the core reports is worded in `en.json` (`check.finding.<kind>`).
#[test]
fn every_check_finding_is_worded() {
    let english = read_catalog("en");
    let missing: Vec<String> = inbox_connect_core::Finding::KINDS
        .iter()
        .map(|kind| format!("check.finding.{kind}"))
        .filter(|key| !english.contains_key(key))
        .collect();
    report("check findings without words in en.json", missing);
}

#[test]
fn the_placeholder_reader_reads_what_i18n_js_fills() {
    assert_eq!(
        placeholders("Last checked {time}: not approved yet ({code})"),
        BTreeSet::from(["code".to_owned(), "time".to_owned()])
    );
    assert!(placeholders("{ not one } {} {1x}").is_empty());
    assert!(key_like("cause.throttled") && key_like("recheck.plan.next"));
    assert!(!key_like("Mail.Send") && !key_like("./dom.js") && !key_like("skip"));
    assert!(is_message_call("ing = t(") && is_message_call("(...tNodes("));
    assert!(!is_message_call("select(") && !is_message_call("x.t("));
}

/// Microsoft's title and description of each permission in `en.json` are the core's table, word
/// for word (the core quotes them to IT), and `en.json` words no permission the table lacks.
#[test]
fn microsofts_words_for_each_permission_are_the_cores() {
    let english = read_catalog("en");
    let mut expected: BTreeMap<String, &str> = BTreeMap::new();
    for words in inbox_connect_core::graph::permissions::all_microsoft_words() {
        let key = format!(
            "{SCOPE}{}",
            words.scope.to_ascii_lowercase().replace('.', "_")
        );
        expected.insert(format!("{key}.title"), words.title);
        expected.insert(format!("{key}.allows"), words.allows);
    }
    let mut problems = Vec::new();
    for (key, text) in &expected {
        match english.get(key) {
            Some(Value::String(found)) if found == text => {}
            found => problems.push(format!("{key}: en.json says {found:?}, the core {text:?}")),
        }
    }
    for key in english.keys().filter(|k| k.starts_with(SCOPE)) {
        if !expected.contains_key(key) {
            problems.push(format!("{key}: the core has no such permission"));
        }
    }
    assert!(expected.len() >= 40, "only {} texts read", expected.len());
    report("Microsoft's words for the permissions", problems);
}
