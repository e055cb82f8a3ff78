//! Reading what Microsoft sent back, whatever shape it arrived in, into one set of facts.
//!
//! Four shapes reach us (entra-reference.md §1.4, §1.7, §7, §5): an authorize redirect (a URL or a
//! bare query, `+` or `%20` for spaces), the token endpoint's error JSON, Graph's error JSON, and text
//! a person pasted from Microsoft's error page. Any of them may sit inside surrounding log text.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use url::form_urlencoded;

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
    /// The tenant (id or domain), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

/// What a page of Microsoft's said in words, for text pasted from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageMarker {
    NeedAdminApproval,
    ApprovalRequired,
}

/// Everything read from one artifact.
#[derive(Debug, Clone, Default)]
pub(crate) struct Evidence {
    pub facts: Facts,
    pub page: Option<PageMarker>,
}

impl Facts {
    /// The leading AADSTS number, formatted as Microsoft writes it (`AADSTS90094`).
    pub fn code(&self) -> Option<String> {
        self.aadsts_codes.first().map(|n| format!("AADSTS{n}"))
    }
}

/// Reads an artifact of any of the four shapes.
pub(crate) fn read(input: &str) -> Evidence {
    let mut evidence = read_json(input)
        .or_else(|| read_query(input))
        .unwrap_or_default();
    // Whatever the shape, the description (or the whole text) may name codes, ids and page titles.
    let text = evidence
        .facts
        .error_description
        .clone()
        .unwrap_or_else(|| input.to_owned());
    read_text(&text, &mut evidence);
    if evidence.facts.error_description.is_some() {
        // Pasted page text around a JSON or URL can still carry the page title.
        read_page_markers(input, &mut evidence);
    }
    evidence
}

/// The fields the library already parsed from a redirect or a token response.
pub(crate) fn from_oauth(fields: &crate::error::OAuthErrorFields) -> Evidence {
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
pub(crate) fn from_graph(fields: &crate::graph::GraphErrorFields) -> Evidence {
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

/// Reads the codes, ids and page words of the description into parsed facts.
fn with_description(facts: Facts) -> Evidence {
    let description = facts.error_description.clone();
    let mut evidence = Evidence { facts, page: None };
    if let Some(text) = description {
        read_text(&text, &mut evidence);
    }
    evidence
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

/// The first JSON object in the input, read as a token error or a Graph error.
fn read_json(input: &str) -> Option<Evidence> {
    let start = input.find('{')?;
    let mut stream =
        serde_json::Deserializer::from_str(&input[start..]).into_iter::<serde_json::Value>();
    let value = stream.next()?.ok()?;
    if let Ok(graph) = serde_json::from_value::<GraphErrorBody>(value.clone()) {
        let inner = graph.error.inner_error;
        let http_status = inner
            .as_ref()
            .and_then(|i| i.status.as_deref())
            .and_then(|s| s.parse().ok());
        return Some(Evidence {
            facts: Facts {
                graph_code: Some(graph.error.code),
                error_description: graph.error.message,
                timestamp: inner.as_ref().and_then(|i| i.date.clone()),
                request_id: inner.as_ref().and_then(|i| i.request_id.clone()),
                client_request_id: inner.as_ref().and_then(|i| i.client_request_id.clone()),
                http_status,
                ..Facts::default()
            },
            page: None,
        });
    }
    let token: TokenError = serde_json::from_value(value).ok()?;
    Some(Evidence {
        facts: Facts {
            error: Some(token.error),
            error_subcode: token.suberror,
            error_description: token.error_description,
            aadsts_codes: token.error_codes,
            timestamp: token.timestamp,
            trace_id: token.trace_id,
            correlation_id: token.correlation_id,
            ..Facts::default()
        },
        page: None,
    })
}

/// An authorize or admin-consent redirect: a full URL, or a bare query, perhaps inside log text.
fn read_query(input: &str) -> Option<Evidence> {
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
        match key.as_ref() {
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
    facts
        .error
        .is_some()
        .then_some(Evidence { facts, page: None })
}

fn pattern(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    // The patterns are literals checked by the tests; a failure here is a programming error.
    cell.get_or_init(|| Regex::new(source).expect("diagnosis pattern compiles"))
}

/// Codes, ids and timestamps written in Microsoft's description format (§1.7) or on its error page.
fn read_text(text: &str, evidence: &mut Evidence) {
    static AADSTS: OnceLock<Regex> = OnceLock::new();
    static TRACE: OnceLock<Regex> = OnceLock::new();
    static CORRELATION: OnceLock<Regex> = OnceLock::new();
    static TIMESTAMP: OnceLock<Regex> = OnceLock::new();
    static REQUEST: OnceLock<Regex> = OnceLock::new();
    let facts = &mut evidence.facts;
    for capture in pattern(&AADSTS, r"AADSTS(\d{4,8})").captures_iter(text) {
        if let Ok(number) = capture[1].parse::<u32>() {
            if !facts.aadsts_codes.contains(&number) {
                // The description's own code leads: error_codes from JSON are already in place.
                facts.aadsts_codes.push(number);
            }
        }
    }
    let id = r"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})";
    let find = |cell: &'static OnceLock<Regex>, source: &str| {
        pattern(cell, source)
            .captures(text)
            .map(|c| c[1].trim().to_owned())
    };
    facts.trace_id = facts
        .trace_id
        .take()
        .or_else(|| find(&TRACE, &format!(r"(?i)trace\s*id:?\s*{id}")));
    facts.correlation_id = facts
        .correlation_id
        .take()
        .or_else(|| find(&CORRELATION, &format!(r"(?i)correlation\s*id:?\s*{id}")));
    facts.request_id = facts
        .request_id
        .take()
        .or_else(|| find(&REQUEST, &format!(r"(?i)request[- ]id:?\s*{id}")));
    facts.timestamp = facts.timestamp.take().or_else(|| {
        find(
            &TIMESTAMP,
            r"(?i)timestamp:?\s*(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?)",
        )
    });
    if facts.graph_code.is_none() {
        for code in [
            "MailboxNotEnabledForRESTAPI",
            "MailboxNotSupportedForRESTAPI",
        ] {
            if text.contains(code) {
                facts.graph_code = Some(code.to_owned());
            }
        }
    }
    read_page_markers(text, evidence);
}

fn read_page_markers(text: &str, evidence: &mut Evidence) {
    if evidence.page.is_some() {
        return;
    }
    let lower = text.to_lowercase();
    evidence.page = if lower.contains("need admin approval") {
        Some(PageMarker::NeedAdminApproval)
    } else if lower.contains("approval required") || lower.contains("request approval") {
        Some(PageMarker::ApprovalRequired)
    } else {
        None
    };
}
