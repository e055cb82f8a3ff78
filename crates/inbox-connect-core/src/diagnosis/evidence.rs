//! Reading what Microsoft sent back, whatever shape it arrived in, into one set of facts.
//!
//! Four shapes reach us (docs/entra-reference.md §1.4, §1.7, §7, §5): an authorize redirect (a URL or a
//! bare query, `+` or `%20` for spaces), the token endpoint's error JSON, Graph's error JSON, and text
//! a person pasted from Microsoft's error page. Any of them may sit inside surrounding log text, an
//! exception, a CSV cell or an HTML page: decode.rs takes the wrapping off, this module reads the
//! structure (JSON, query) where there is one and the words everywhere.

use std::sync::OnceLock;

use regex_lite::Regex;
use serde::{Deserialize, Serialize};
use url::form_urlencoded;

use super::decode;
use super::table::Tables;

/// The facts found in an artifact; what IT needs to look a failed sign-in up in the sign-in logs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    /// The OAuth `error` value (`access_denied`, `invalid_grant`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `error_subcode` (MSAL-observed: `cancel`) or the token endpoint's `suberror`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<String>,
    /// Microsoft's description, as sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// Every AADSTS number seen, first the one the description leads with.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aadsts_codes: Vec<u32>,
    /// Graph's `error.code` (`ErrorAccessDenied`, `MailboxNotEnabledForRESTAPI`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graph_code: Option<String>,
    /// The HTTP status, when the artifact carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// How long Microsoft asked to wait before retrying (`Retry-After`, in seconds as sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// When Microsoft saw the failure (its own timestamp text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    /// Entra's trace id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// Entra's correlation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// Graph's `request-id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Graph's `client-request-id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_request_id: Option<String>,
    /// The account that tried to sign in, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The tenant (id or domain), when known. Text as the paste or the app named it, not a
    /// [`crate::profile::TenantRef`]: evidence is kept as found (the personal-account tenant,
    /// which is no organization, is itself a clue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// Everything read from one artifact.
#[derive(Debug, Default)]
pub(crate) struct Evidence {
    pub facts: Facts,
    /// The artifact's words, unwrapped, for the phrases and the context of a Graph code.
    pub text: String,
    /// The input's length in bytes when only part of it was read.
    pub cut_from: Option<usize>,
}

impl Facts {
    /// The leading AADSTS number, formatted as Microsoft writes it (`AADSTS90094`).
    pub fn code(&self) -> Option<String> {
        self.aadsts_codes.first().map(|n| format!("AADSTS{n}"))
    }
}

/// Reads an artifact of any of the four shapes, in any wrapping.
pub(crate) fn read(input: &str) -> Evidence {
    let scan = decode::scan(input);
    // The structure is read from the paste as given first: unwrapping can break JSON that was fine.
    let facts = read_json(&scan.raw)
        .or_else(|| read_json(&scan.text))
        .or_else(|| read_query(&scan.raw))
        .unwrap_or_default();
    let mut evidence = Evidence {
        facts,
        text: scan.text,
        cut_from: scan.cut_from,
    };
    // The description's own codes lead; then whatever else the paste names.
    if let Some(description) = evidence.facts.error_description.clone() {
        read_text(&description, &mut evidence.facts);
    }
    let text = std::mem::take(&mut evidence.text);
    read_text(&text, &mut evidence.facts);
    evidence.text = text;
    evidence
}

/// The fields the library already parsed from a redirect or a token response.
pub(crate) fn from_oauth(fields: &crate::refusal::OAuthErrorFields) -> Evidence {
    let facts = Facts {
        error: Some(fields.error.clone()),
        // The redirect's `error_subcode` (`cancel`) matters more than the token JSON's `suberror`.
        error_subcode: fields
            .error_subcode
            .clone()
            .or_else(|| fields.suberror.clone()),
        error_description: fields.error_description.clone(),
        aadsts_codes: fields
            .error_codes
            .iter()
            .filter_map(|c| u32::try_from(*c).ok())
            .collect(),
        timestamp: fields.timestamp.clone(),
        trace_id: fields.trace_id.clone(),
        correlation_id: fields.correlation_id.clone(),
        ..Facts::default()
    };
    with_description(facts)
}

/// The fields the library already parsed from a Graph error answer.
pub(crate) fn from_graph(fields: &crate::refusal::GraphErrorFields) -> Evidence {
    let facts = Facts {
        graph_code: Some(fields.code.clone()),
        error_description: (!fields.message.is_empty()).then(|| fields.message.clone()),
        http_status: Some(fields.status),
        timestamp: fields.date.clone(),
        request_id: fields.request_id.clone(),
        ..Facts::default()
    };
    with_description(facts)
}

/// Reads the codes and ids of the description into parsed facts; its words are the text.
fn with_description(mut facts: Facts) -> Evidence {
    let text = facts.error_description.clone().unwrap_or_default();
    let text = decode::scan(&text).text;
    read_text(&text, &mut facts);
    Evidence {
        facts,
        text,
        cut_from: None,
    }
}

#[derive(Deserialize)]
struct TokenError {
    error: String,
    error_description: Option<String>,
    #[serde(default)]
    error_codes: Vec<u32>,
    timestamp: Option<String>,
    trace_id: Option<String>,
    correlation_id: Option<String>,
    suberror: Option<String>,
}

#[derive(Deserialize)]
struct GraphErrorBody {
    error: GraphError,
}

#[derive(Deserialize)]
struct GraphError {
    code: String,
    message: Option<String>,
    #[serde(alias = "innererror", alias = "innerError")]
    inner_error: Option<GraphInnerError>,
}

#[derive(Deserialize)]
struct GraphInnerError {
    date: Option<String>,
    #[serde(rename = "request-id")]
    request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    client_request_id: Option<String>,
    status: Option<String>,
}

/// How many `{` of a paste are tried as the start of the error JSON (log prefixes have braces too).
const JSON_STARTS: usize = 16;

/// The first JSON object in the input that reads as a token error or a Graph error.
fn read_json(input: &str) -> Option<Facts> {
    input
        .match_indices('{')
        .take(JSON_STARTS)
        .find_map(|(start, _)| {
            let mut stream = serde_json::Deserializer::from_str(&input[start..])
                .into_iter::<serde_json::Value>();
            let value = stream.next()?.ok()?;
            graph_facts(&value).or_else(|| token_facts(value))
        })
}

fn graph_facts(value: &serde_json::Value) -> Option<Facts> {
    // Graph wraps its error in `error`; some tools print the inner object alone.
    let error = serde_json::from_value::<GraphErrorBody>(value.clone())
        .map(|body| body.error)
        .or_else(|_| serde_json::from_value::<GraphError>(value.clone()))
        .ok()?;
    let inner = error.inner_error;
    let http_status = inner
        .as_ref()
        .and_then(|i| i.status.as_deref())
        .and_then(|s| s.parse().ok());
    Some(Facts {
        graph_code: Some(error.code),
        error_description: error.message,
        timestamp: inner.as_ref().and_then(|i| i.date.clone()),
        request_id: inner.as_ref().and_then(|i| i.request_id.clone()),
        client_request_id: inner.as_ref().and_then(|i| i.client_request_id.clone()),
        http_status,
        ..Facts::default()
    })
}

fn token_facts(value: serde_json::Value) -> Option<Facts> {
    let token: TokenError = serde_json::from_value(value).ok()?;
    Some(Facts {
        error: Some(token.error),
        error_subcode: token.suberror,
        error_description: token.error_description,
        aadsts_codes: token.error_codes,
        timestamp: token.timestamp,
        trace_id: token.trace_id,
        correlation_id: token.correlation_id,
        ..Facts::default()
    })
}

/// An authorize or admin-consent redirect: a full URL, or a bare query, perhaps inside log text.
fn read_query(input: &str) -> Option<Facts> {
    let start = input.find("error=")?;
    // Back up to the start of the query (or URL) the parameter belongs to.
    let begin = input[..start]
        .rfind(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '<')
        .map_or(0, |i| i + 1);
    let token = input[begin..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '>')
        .next()
        .unwrap_or_default();
    let query = token
        .split_once('?')
        .map_or(token, |(_, q)| q)
        .split('#')
        .next()
        .unwrap_or_default();
    let mut facts = Facts::default();
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        // A URL copied out of HTML keeps its `&amp;`.
        match key.trim_start_matches("amp;") {
            "error" => facts.error = Some(value),
            "error_description" => facts.error_description = Some(value),
            "error_subcode" => facts.error_subcode = Some(value),
            "tenant" => facts.tenant = Some(value),
            "error_codes" => {
                facts.aadsts_codes = value
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect()
            }
            _ => {}
        }
    }
    facts.error.is_some().then_some(facts)
}

fn pattern(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    // The patterns are literals checked by the tests; a failure here is a programming error.
    cell.get_or_init(|| Regex::new(&unicode_spaces(source)).expect("diagnosis pattern compiles"))
}

/// Unicode's White_Space characters, as a class's contents: what `\s` means in the `regex`
/// crate. regex-lite's `\s` is ASCII only, and an error page's `&nbsp;` decodes to U+00A0.
const SPACES: &str =
    r"\t\n\x0B\x0C\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";

/// The pattern with every `\s` (in a class or not) standing for Unicode's white space.
fn unicode_spaces(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut in_class = false;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if in_class => out.push_str(SPACES),
                Some('s') => {
                    out.push('[');
                    out.push_str(SPACES);
                    out.push(']');
                }
                Some(escaped) => {
                    out.push('\\');
                    out.push(escaped);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Codes, ids, statuses and timestamps written in the text, in Microsoft's formats (§1.7, §7) or a
/// log's; what the structure already gave stays.
fn read_text(text: &str, facts: &mut Facts) {
    static AADSTS: OnceLock<Regex> = OnceLock::new();
    static BARE_CODE: OnceLock<Regex> = OnceLock::new();
    let tables = Tables::get();
    for capture in pattern(&AADSTS, r"(?i)aadsts\s?(\d{4,8})").captures_iter(text) {
        add_code(facts, &capture[1]);
    }
    // "Error Code: 53003" on the error page, `error_codes":[50076]` or `?code=50076` in logs: a
    // number is a code only when the reference lists it.
    let bare = r#"(?i)(?:error[\s_-]?codes?|\bcode)["']?\s*[:=]?\s*\[?\s*(\d{5,7})\b"#;
    for capture in pattern(&BARE_CODE, bare).captures_iter(text) {
        if capture[1].parse().is_ok_and(|n| tables.aadsts(n).is_some()) {
            add_code(facts, &capture[1]);
        }
    }
    read_ids(text, facts);
    read_http(text, facts);
    if facts.graph_code.is_none() {
        facts.graph_code = tables.find_graph_code(text).map(str::to_owned);
    }
    if facts.error.is_none() {
        facts.error = first_word_of(text, tables.oauth_errors()).map(str::to_owned);
    }
}

fn add_code(facts: &mut Facts, digits: &str) {
    if let Ok(number) = digits.parse::<u32>() {
        if !facts.aadsts_codes.contains(&number) {
            // The JSON's error_codes and the description's own code lead: they are read first.
            facts.aadsts_codes.push(number);
        }
    }
}

/// The word of `words` that appears first in the text as a whole word.
fn first_word_of<'a>(text: &str, words: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    words
        .filter_map(|w| {
            text.match_indices(w)
                .find(|(at, _)| is_word_at(text, *at, w.len()))
                .map(|(at, _)| (at, w))
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, w)| w)
}

fn is_word_at(text: &str, at: usize, len: usize) -> bool {
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    let before = text[..at].chars().next_back().is_none_or(|c| !word_char(c));
    let after = text[at + len..]
        .chars()
        .next()
        .is_none_or(|c| !word_char(c));
    before && after
}

fn read_ids(text: &str, facts: &mut Facts) {
    static TRACE: OnceLock<Regex> = OnceLock::new();
    static CORRELATION: OnceLock<Regex> = OnceLock::new();
    static TIMESTAMP: OnceLock<Regex> = OnceLock::new();
    static REQUEST: OnceLock<Regex> = OnceLock::new();
    let id = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
    let find = |cell: &'static OnceLock<Regex>, source: &str| {
        pattern(cell, source)
            .captures(text)
            .map(|c| c[1].trim().to_owned())
    };
    facts.trace_id = facts
        .trace_id
        .take()
        .or_else(|| find(&TRACE, &format!(r#"(?i)trace[\s_]*id"?:?\s*"?{id}"#)));
    facts.correlation_id = facts.correlation_id.take().or_else(|| {
        find(
            &CORRELATION,
            &format!(r#"(?i)correlation[\s_]*id"?:?\s*"?{id}"#),
        )
    });
    facts.request_id = facts
        .request_id
        .take()
        .or_else(|| find(&REQUEST, &format!(r#"(?i)request[- ]id"?:?\s*"?{id}"#)));
    facts.timestamp = facts.timestamp.take().or_else(|| {
        find(
            &TIMESTAMP,
            r"(?i)timestamp:?\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)",
        )
    });
}

/// The HTTP status and `Retry-After` a log or a pasted response shows (urllib3's retry error
/// says "too many 504 error responses").
fn read_http(text: &str, facts: &mut Facts) {
    static STATUS: OnceLock<Regex> = OnceLock::new();
    static RETRY_AFTER: OnceLock<Regex> = OnceLock::new();
    let status = r"(?i)(?:\bHTTP/\d(?:\.\d)?\s+|\bstatus(?:\s*code)?\W{1,3}|\bresponse\s+code\W{1,3})(\d{3})\b|\b(\d{3})\)?\s+(?:Too Many Requests|Service Unavailable|Unauthorized|Forbidden|Not Found|Internal Server Error|Bad Gateway|Gateway Time-?out)\b|\btoo many (\d{3}) error responses\b";
    if facts.http_status.is_none() {
        facts.http_status = pattern(&STATUS, status).captures(text).and_then(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .or_else(|| c.get(3))
                .and_then(|m| m.as_str().parse().ok())
        });
    }
    if facts.retry_after.is_none() {
        facts.retry_after = pattern(&RETRY_AFTER, r"(?i)retry-after\W{1,4}(\d+(?:\.\d+)?)")
            .captures(text)
            .map(|c| c[1].to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_in_patterns_is_unicodes() {
        assert_eq!(unicode_spaces(r"a\s?b"), format!("a[{SPACES}]?b"));
        assert_eq!(
            unicode_spaces(r"[\s_-]\\s\d"),
            format!("[{SPACES}_-]\\\\s\\d")
        );
        // `&nbsp;` and an ideographic space between the label and the value, as pages write them.
        let mut facts = Facts::default();
        read_text(
            "Error Code:\u{a0}53003 AADSTS\u{2009}50076 Trace ID:\u{3000}0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
            &mut facts,
        );
        assert_eq!(facts.aadsts_codes, vec![50076, 53003]);
        assert_eq!(
            facts.trace_id.as_deref(),
            Some("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
        );
    }
}
