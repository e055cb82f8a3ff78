//! Reading the sources for the keys they use: the window's scripts and HTML, and the core's Rust
//! (plain text scanning; keys are simple literals).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{CORE_NAMESPACES, SHARED_NAMESPACES};

/// The `.js` files under `dir`, recursively.
pub fn scripts(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            scripts(&path, found);
        } else if path.extension().is_some_and(|e| e == "js") {
            found.push(path);
        }
    }
}

/// The double-quoted string literals of a script, with the text just before each (to tell
/// `t("key")` from other strings). Escapes are kept as written (keys have none).
pub fn string_literals(source: &str) -> Vec<(String, String)> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len() && bytes[end] != b'"' && bytes[end] != b'\n' {
                if bytes[end] == b'\\' {
                    end += 1;
                }
                end += 1;
            }
            let end = end.min(bytes.len());
            let before = source[..i].chars().rev().take(8).collect::<String>();
            let before: String = before.chars().rev().collect();
            found.push((before, source[start..end].to_owned()));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    found
}

/// Whether `text` looks like a catalog key: lowercase dotted words (`cause.throttled`).
pub fn key_like(text: &str) -> bool {
    let mut parts = text.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_lowercase()));
    let parts: Vec<&str> = text.split('.').collect();
    first_ok
        && parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Whether a literal is the first argument of `t(` or `tNodes(`.
pub fn is_message_call(before: &str) -> bool {
    for call in ["tNodes(", "t("] {
        if let Some(head) = before.strip_suffix(call) {
            // `x.t(` is another object's method; `...t(` spreads the call's result.
            let member = head.ends_with('.') && !head.ends_with("...");
            return !member
                && !head.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        }
    }
    false
}

/// The keys `ui/index.html` names: `data-i18n="key"` and `data-i18n-attr="attr:key;…"`, each with
/// the English fallback text when it is plain text (no child elements).
pub fn html_keys(html: &str) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    for (marker, attrs) in [("data-i18n=\"", false), ("data-i18n-attr=\"", true)] {
        let mut rest = html;
        while let Some(at) = rest.find(marker) {
            let after = &rest[at + marker.len()..];
            let Some(close) = after.find('"') else { break };
            let value = &after[..close];
            if attrs {
                for pair in value.split(';') {
                    if let Some((_, key)) = pair.split_once(':') {
                        found.push((key.trim().to_owned(), None));
                    }
                }
            } else {
                // The element's text, from the end of its start tag to its end tag, when it has no
                // child elements.
                let tail = &after[close..];
                let fallback = tail.find('>').and_then(|gt| {
                    let text = &tail[gt + 1..];
                    let end = text.find('<')?;
                    let plain = text[end..].starts_with("</") && !text[..end].trim().is_empty();
                    plain.then(|| text[..end].to_owned())
                });
                found.push((value.to_owned(), fallback));
            }
            rest = &after[close..];
        }
    }
    found
}

pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML's few entities in the fallback texts.
pub fn unescape(text: &str) -> String {
    text.replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The keys the core (and the app's errors) say: its string literals under the namespaces above (`say("page.…")`,
/// `Words::new("checklist.…")`, and the keys its tables pick from).
pub fn core_keys() -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    // The app's own errors (src-tauri) name their keys the same way.
    for dir in ["crates/inbox-connect-core/src", "src-tauri/src"] {
        core_keys_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir), &mut found);
    }
    // The words module's own test asks for a key nobody has, on purpose.
    found.remove("no.such.key");
    found
}

fn core_keys_in(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            core_keys_in(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            // A quote as a char literal would open a string for the reader below.
            let text = text.replace("'\"'", "");
            for (_, literal) in string_literals(&text) {
                let ours = CORE_NAMESPACES
                    .iter()
                    .chain(SHARED_NAMESPACES)
                    .any(|ns| literal.starts_with(ns));
                if ours && key_like(&literal) {
                    found.insert(literal);
                }
            }
        }
    }
}
