//! Unwrapping a paste to the words Microsoft wrote: URL encoding (`%0d%0a`, `+`), HTML entities and
//! tags, JSON string escapes (also doubly escaped), CSV's doubled quotes. Bounded work: the input is
//! cut to [`MAX_SCAN`] bytes (its head and its tail, where logs put the failure), and each of the few
//! rounds is linear in that.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_lite::Regex;

/// The most bytes of a paste that are read; beyond it only the first and the last half are.
pub const MAX_SCAN: usize = 1024 * 1024;

/// How many times a text is unwrapped: a JSON string inside a JSON string inside a URL is three.
const ROUNDS: usize = 4;

/// The text to read, and whether (and from what length) it was cut.
pub(crate) struct Scan<'a> {
    /// The input as given, cut to [`MAX_SCAN`].
    pub raw: Cow<'a, str>,
    /// The same, unwrapped.
    pub text: String,
    /// The input's length in bytes, when it was cut.
    pub cut_from: Option<usize>,
}

fn floor_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// Cuts the input to its head and tail when it is longer than [`MAX_SCAN`].
fn cut(input: &str) -> (Cow<'_, str>, Option<usize>) {
    if input.len() <= MAX_SCAN {
        return (Cow::Borrowed(input), None);
    }
    let head = floor_boundary(input, MAX_SCAN / 2);
    let tail = ceil_boundary(input, input.len() - MAX_SCAN / 2);
    let joined = format!("{}\n…\n{}", &input[..head], &input[tail..]);
    (Cow::Owned(joined), Some(input.len()))
}

pub(crate) fn scan(input: &str) -> Scan<'_> {
    let (raw, cut_from) = cut(input);
    let mut text = raw.to_string();
    for _ in 0..ROUNDS {
        let next = unwrap_once(&text);
        if next == text {
            break;
        }
        text = next;
    }
    Scan {
        raw,
        text,
        cut_from,
    }
}

fn pattern(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    // The patterns are literals checked by the tests; a failure here is a programming error.
    cell.get_or_init(|| Regex::new(source).expect("decode pattern compiles"))
}

/// One round of every unwrapping that applies.
fn unwrap_once(text: &str) -> String {
    static PERCENT: OnceLock<Regex> = OnceLock::new();
    static TAG: OnceLock<Regex> = OnceLock::new();
    static UNICODE: OnceLock<Regex> = OnceLock::new();
    let mut text = Cow::Borrowed(text);
    if pattern(&PERCENT, "%[0-9A-Fa-f]{2}").is_match(&text) {
        // Form encoding writes spaces as `+`; a literal `+` would have been `%2B`.
        let spaced = text.replace('+', " ");
        text = Cow::Owned(
            percent_encoding::percent_decode_str(&spaced)
                .decode_utf8_lossy()
                .into_owned(),
        );
    }
    if text.contains('&') && text.contains(';') {
        text = Cow::Owned(html_escape::decode_html_entities(&text).into_owned());
    }
    if text.contains("</") || text.contains("/>") {
        // Microsoft's error page splits "Error Code: <span>53003</span>" and the like.
        text = Cow::Owned(
            pattern(&TAG, r"<[A-Za-z/!][^<>]{0,400}>")
                .replace_all(&text, " ")
                .into_owned(),
        );
    }
    if text.contains('\\') {
        let unicode = pattern(&UNICODE, r"\\u([0-9A-Fa-f]{4})").replace_all(
            &text,
            |c: &regex_lite::Captures| {
                u32::from_str_radix(&c[1], 16)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or_else(String::new, String::from)
            },
        );
        // Escaped line ends become spaces: in the text they only separate words.
        text = Cow::Owned(
            unicode
                .replace("\\r\\n", " ")
                .replace("\\n", " ")
                .replace("\\r", " ")
                .replace("\\t", " ")
                .replace("\\\"", "\"")
                .replace("\\/", "/")
                .replace("\\\\", "\\"),
        );
    }
    if text.contains("\"\"") {
        // CSV doubles the quotes of a quoted field.
        text = Cow::Owned(text.replace("\"\"", "\""));
    }
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_wrapping_comes_off() {
        for (wrapped, words) in [
            (
                "error_description=AADSTS50076%3a+Due%0d%0aTrace",
                "error_description=AADSTS50076: Due\r\nTrace",
            ),
            (
                "\"{\\\"error\\\":\\\"invalid_grant\\\"}\"",
                "\"{\"error\":\"invalid_grant\"}\"",
            ),
            (
                "\"{\"\"code\"\":\"\"ErrorAccessDenied\"\"}\"",
                "\"{\"code\":\"ErrorAccessDenied\"}\"",
            ),
            (
                "<div>Error Code: <span>53003</span></div>",
                " Error Code:  53003  ",
            ),
            (
                "Need admin approval &amp; more",
                "Need admin approval & more",
            ),
            ("a\\u0026b\\r\\nc", "a&b c"),
        ] {
            assert_eq!(scan(wrapped).text, words, "{wrapped}");
        }
    }

    #[test]
    fn a_long_input_is_cut_to_its_head_and_tail() {
        let long = format!(
            "AADSTS50076{}é{}AADSTS53003",
            "x".repeat(MAX_SCAN),
            "y".repeat(MAX_SCAN)
        );
        let scan = scan(&long);
        assert_eq!(scan.cut_from, Some(long.len()));
        assert!(scan.raw.len() <= MAX_SCAN + 8);
        assert!(scan.raw.starts_with("AADSTS50076") && scan.raw.ends_with("AADSTS53003"));
    }
}
