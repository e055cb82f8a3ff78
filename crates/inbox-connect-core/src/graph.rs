//! Proving the connection with Microsoft Graph: one `$batch` round trip for the checks, and the
//! test email. Graph errors are parsed into typed fields; 429, and 503 with `Retry-After`, wait
//! and retry.

use std::time::Duration;

use oauth2::AccessToken;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use time::OffsetDateTime;
use url::Url;

use crate::http::retry::{graph_should_wait, retry_after, retry_after_header, MAX_RETRY_AFTER};
use crate::http::{HttpClient, NetworkFailure};
use crate::profile::Feature;
pub use crate::refusal::GraphErrorFields;
use crate::words::Words;

mod finding;
pub mod permissions;
mod test_email;

pub use finding::Finding;

/// How often a throttled request is retried.
const MAX_RETRIES: u32 = 3;
/// The wait when Graph throttles without `Retry-After`.
const DEFAULT_WAIT: Duration = Duration::from_secs(2);

/// The result of one check against Graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Stable name: `profile`, `mailbox`, `calendar`, `test_email`.
    pub name: String,
    /// Whether it passed.
    pub passed: bool,
    /// What was found, or what failed and why.
    pub finding: Finding,
    /// The finding in English (the CLI's; kept in the saved connection).
    pub detail: String,
    /// When it ran.
    #[serde(with = "time::serde::rfc3339")]
    pub ran_at: OffsetDateTime,
}

/// A Graph failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// Graph answered with an error.
    #[error("Microsoft Graph refused the request: {} ({})", .0.message, .0.code)]
    Api(GraphErrorFields),
    /// Graph gave no complete answer.
    #[error("could not reach Microsoft Graph: {0}")]
    Network(NetworkFailure),
    /// Graph kept throttling.
    #[error("Microsoft Graph is throttling requests (asked to wait {0} seconds)")]
    Throttled(u64),
    /// Graph's answer was not what the API documents.
    #[error("Microsoft Graph sent an unexpected answer: {0}")]
    Unexpected(String),
    /// The profile names no Graph endpoint.
    #[error("no Microsoft Graph endpoint is configured for this provider")]
    NotConfigured,
    /// `/me` names no SMTP address (`mail` is empty), so there is nowhere to send the test email.
    #[error("Microsoft Graph lists no email address for this account (`mail` is empty)")]
    NoMailAddress,
}

impl GraphError {
    pub(crate) fn code(&self) -> &'static str {
        match self {
            GraphError::Api(f) if f.code.starts_with("MailboxNot") => "mailbox_not_supported",
            GraphError::Api(f) if f.status == 401 => "graph_unauthorized",
            GraphError::Api(f) if f.status == 403 => "graph_access_denied",
            GraphError::Api(_) => "graph_error",
            GraphError::Network(_) => "graph_unreachable",
            GraphError::Throttled(_) => "graph_throttled",
            GraphError::Unexpected(_) => "graph_unexpected",
            GraphError::NotConfigured => "graph_not_configured",
            GraphError::NoMailAddress => "graph_no_mail_address",
        }
    }

    pub(crate) fn action(&self) -> Words {
        if let GraphError::Network(failure) = self {
            return failure.action();
        }
        Words::new(match self.code() {
            "mailbox_not_supported" => "error.action.mailbox_not_supported",
            "graph_access_denied" => "error.action.graph_access_denied",
            "graph_unauthorized" => "error.action.reconnect",
            "graph_throttled" => "error.action.graph_throttled",
            "graph_no_mail_address" => "error.action.graph_no_mail_address",
            _ => "error.action.send_to_support",
        })
    }

    pub(crate) fn fields(&self) -> Option<&GraphErrorFields> {
        match self {
            GraphError::Api(f) => Some(f),
            _ => None,
        }
    }
}

/// A Graph client bound to one Graph root.
pub(crate) struct Graph {
    http: HttpClient,
    base: String,
}

/// The checks, and the Graph errors behind the failed ones (for the diagnosis).
#[derive(Debug, Default)]
pub(crate) struct CheckRun {
    pub(crate) checks: Vec<Check>,
    pub(crate) failures: Vec<GraphErrorFields>,
    /// The organization's display name (`GET /organization`, readable with `User.Read`): shown
    /// with the connection, not a check of its own.
    pub(crate) organization_name: Option<String>,
}

/// One Graph answer: HTTP status and JSON body (`Null` when empty or not JSON).
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl Graph {
    pub(crate) fn new(http: HttpClient, base: Url) -> Graph {
        Graph {
            http,
            base: base.as_str().trim_end_matches('/').to_owned(),
        }
    }

    /// `/me`, and for the connection's features the Sent Items folder (mailbox) and
    /// `/me/calendar` (calendar), in one `$batch` round trip: a feature not connected for has no
    /// permission to check, so its check would only fail.
    pub(crate) async fn run_checks(
        &self,
        token: &AccessToken,
        features: &[Feature],
    ) -> Result<CheckRun, GraphError> {
        let mut requests = vec![json!({"id": "profile", "method": "GET", "url": "/me"})];
        if features.contains(&Feature::Mailbox) {
            requests.push(
                json!({"id": "mailbox", "method": "GET", "url": "/me/mailFolders/sentitems"}),
            );
        }
        if features.contains(&Feature::Calendar) {
            requests.push(json!({"id": "calendar", "method": "GET", "url": "/me/calendar"}));
        }
        let organization = json!({"id": "organization", "method": "GET", "url": "/organization?$select=id,displayName"});
        let responses = self
            .batch_reads(token, &[requests.clone(), vec![organization]].concat())
            .await?;
        let now = OffsetDateTime::now_utc();
        let mut run = CheckRun {
            organization_name: responses
                .iter()
                .find(|r| {
                    r["id"].as_str() == Some("organization") && r["status"].as_u64() == Some(200)
                })
                .and_then(|r| r["body"]["value"][0]["displayName"].as_str())
                .filter(|name| !name.trim().is_empty())
                .map(str::to_owned),
            ..CheckRun::default()
        };
        for request in &requests {
            let id = request["id"].as_str().unwrap_or_default();
            let response = responses.iter().find(|r| r["id"].as_str() == Some(id));
            let (passed, finding) = match response {
                None => (false, Finding::NoAnswer),
                Some(r) => {
                    let status = r["status"]
                        .as_u64()
                        .and_then(|s| u16::try_from(s).ok())
                        .unwrap_or(0);
                    if !(200..300).contains(&status) {
                        run.failures
                            .push(GraphErrorFields::from_body(status, &r["body"]));
                    }
                    describe(id, status, &r["body"])
                }
            };
            run.checks.push(Check::new(id, passed, finding, now));
        }
        Ok(run)
    }

    /// One `$batch` of reads (`{id, method: "GET", url}` items); its `responses`. Each inner
    /// request is throttled on its own (docs/entra-reference.md §7): these are all reads, so the whole batch is sent
    /// again after the longest wait asked for (429, or 503 with `Retry-After`).
    pub(crate) async fn batch_reads(
        &self,
        token: &AccessToken,
        requests: &[Value],
    ) -> Result<Vec<Value>, GraphError> {
        let body = json!({ "requests": requests });
        let mut attempt = 0;
        loop {
            let answer = self
                .send(token, reqwest::Method::POST, "/$batch", Some(body.clone()))
                .await?;
            if answer.status != 200 {
                return Err(GraphError::Api(GraphErrorFields::from_body(
                    answer.status,
                    &answer.body,
                )));
            }
            let responses = answer.body["responses"]
                .as_array()
                .cloned()
                .ok_or_else(|| {
                    GraphError::Unexpected("a $batch answer without `responses`".into())
                })?;
            let wait = responses
                .iter()
                .filter_map(|r| {
                    let status = r["status"].as_u64().and_then(|s| u16::try_from(s).ok())?;
                    let after = retry_after(r["headers"]["Retry-After"].as_str());
                    graph_should_wait(status, after).then(|| after.unwrap_or(DEFAULT_WAIT))
                })
                .max();
            match wait {
                Some(wait) if attempt < MAX_RETRIES && wait <= MAX_RETRY_AFTER => {
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                }
                _ => return Ok(responses),
            }
        }
    }

    /// One request, retried while Graph answers 429 or 503 with `Retry-After` (waiting that
    /// long; it may be fractional). A 503 still there after the retries is Graph's answer.
    pub(crate) async fn send(
        &self,
        token: &AccessToken,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Answer, GraphError> {
        let url = format!("{}{path}", self.base);
        let mut attempt = 0;
        loop {
            let mut request = self
                .http
                .request(method.clone(), &url)
                .bearer_auth(token.secret());
            if let Some(body) = &body {
                request = request.json(body);
            }
            let failed = |e: reqwest::Error| GraphError::Network(self.http.failure(&url, &e));
            let response = request.send().await.map_err(failed)?;
            let status = response.status().as_u16();
            let after = retry_after_header(response.headers());
            let text = response.text().await.map_err(failed)?;
            let body: Value = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::Null)
            };
            if graph_should_wait(status, after) {
                let wait = after.unwrap_or(DEFAULT_WAIT);
                if attempt < MAX_RETRIES && wait <= MAX_RETRY_AFTER {
                    attempt += 1;
                    tokio::time::sleep(wait).await;
                    continue;
                }
                if status == 429 {
                    return Err(GraphError::Throttled(wait.as_secs()));
                }
            }
            return Ok(Answer { status, body });
        }
    }
}

/// What one check's answer means.
fn describe(id: &str, status: u16, body: &Value) -> (bool, Finding) {
    if !(200..300).contains(&status) {
        return (
            false,
            Finding::refusal(GraphErrorFields::from_body(status, body)),
        );
    }
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    let finding = match id {
        "profile" => Finding::SignedInAs {
            name: text("displayName"),
            account: text("userPrincipalName"),
        },
        "mailbox" => Finding::SentItemsReadable {
            messages: body["totalItemCount"].as_u64().unwrap_or(0),
        },
        "calendar" => Finding::CalendarReachable { name: text("name") },
        _ => Finding::Answered,
    };
    (true, finding)
}

impl Check {
    pub(crate) fn new(name: &str, passed: bool, finding: Finding, ran_at: OffsetDateTime) -> Check {
        Check {
            name: name.to_owned(),
            passed,
            detail: finding.to_string(),
            finding,
            ran_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_error_body_is_parsed_with_either_inner_error_casing() {
        let body = json!({"error": {"code": "MailboxNotEnabledForRESTAPI", "message": "REST API is not yet supported for this mailbox.",
            "innererror": {"request-id": "r-1", "date": "2026-01-01T00:00:00"}}});
        let f = GraphErrorFields::from_body(404, &body);
        assert_eq!(f.request_id.as_deref(), Some("r-1"));
        assert_eq!(GraphError::Api(f).code(), "mailbox_not_supported");
        let (passed, finding) = describe("mailbox", 404, &body);
        assert!(!passed);
        assert!(
            matches!(finding, Finding::MailboxNotSupported { status: 404, .. }),
            "{finding:?}"
        );
        assert!(
            finding.to_string().contains("not in Exchange Online"),
            "{finding}"
        );
    }

    /// A stand-in Graph that throttles the first batch, then one inner request of the second
    /// (docs/entra-reference.md §7's 429 shapes), over real HTTP.
    #[tokio::test]
    async fn throttled_batches_wait_for_retry_after_and_retry() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;

        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let app = axum::Router::new().route(
            "/v1.0/$batch",
            axum::routing::post(move || {
                let n = counter.fetch_add(1, Ordering::SeqCst);
                async move {
                    let throttled = json!({"error": {"code": "TooManyRequests", "message": "Please retry again later.",
                        "innerError": {"code": "429", "request-id": "r-429", "date": "2026-01-01T00:00:00"}}});
                    let profile = json!({"id": "profile", "status": 200,
                        "body": {"displayName": "Riley", "userPrincipalName": "riley@x"}});
                    let mailbox = if n == 1 {
                        json!({"id": "mailbox", "status": 429, "headers": {"Retry-After": "0.2"}, "body": throttled})
                    } else {
                        json!({"id": "mailbox", "status": 200, "body": {"totalItemCount": 2}})
                    };
                    match n {
                        0 => (axum::http::StatusCode::TOO_MANY_REQUESTS, [("Retry-After", "0.2")], axum::Json(throttled)),
                        _ => (axum::http::StatusCode::OK, [("Retry-After", "0")], axum::Json(json!({"responses": [profile, mailbox]}))),
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = Url::parse(&format!("http://{}/v1.0", listener.local_addr().unwrap())).unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });

        let graph = Graph::new(HttpClient::default(), base);
        let started = std::time::Instant::now();
        let checks = graph
            .run_checks(&AccessToken::new("token".into()), &[Feature::Mailbox])
            .await
            .unwrap()
            .checks;
        assert!(
            started.elapsed() >= Duration::from_millis(400),
            "waited for both Retry-After"
        );
        assert_eq!(hits.load(Ordering::SeqCst), 3);
        assert!(checks.iter().all(|c| c.passed), "{checks:?}");
        assert_eq!(checks[0].detail, "Signed in as Riley (riley@x)");
    }

    /// 503 with `Retry-After` is waited out like 429 (docs/entra-reference.md §7: 503 "may include Retry-After").
    #[tokio::test]
    async fn unavailable_with_retry_after_is_retried() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;

        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let app = axum::Router::new().route(
            "/v1.0/me",
            axum::routing::get(move || {
                let first = counter.fetch_add(1, Ordering::SeqCst) == 0;
                async move {
                    let status = if first {
                        axum::http::StatusCode::SERVICE_UNAVAILABLE
                    } else {
                        axum::http::StatusCode::OK
                    };
                    (
                        status,
                        [("Retry-After", "0.2")],
                        axum::Json(json!({"id": "me"})),
                    )
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = Url::parse(&format!("http://{}/v1.0", listener.local_addr().unwrap())).unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });

        let graph = Graph::new(HttpClient::default(), base);
        let answer = graph
            .send(
                &AccessToken::new("token".into()),
                reqwest::Method::GET,
                "/me",
                None,
            )
            .await
            .unwrap();
        assert_eq!((answer.status, hits.load(Ordering::SeqCst)), (200, 2));
    }
}
