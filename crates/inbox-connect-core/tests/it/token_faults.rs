//! The token endpoint misbehaving, over real loopback HTTP through a fault-injecting front of the
//! sandbox, with the real OS keychain (run through scripts/lib/test-session.sh): each fault gives
//! a message that names what happened, and the stored refresh token stays.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use inbox_connect_core::http::{HttpClient, HttpOptions};
use inbox_connect_core::{ConnectError, ConnectionState, ConnectionStatus, Connector, NoBrowser};
use serde_json::json;
use support::browser::answers;
use support::faults::{Canned, Fault, FaultyFront};
use support::sandbox::{RILEY, RILEY_PASSWORD};

/// Short timeouts, so a stall is seen in seconds.
fn http() -> HttpClient {
    HttpClient::new(&HttpOptions {
        connect_timeout: Duration::from_secs(1),
        answer_timeout: Duration::from_secs(2),
        ..HttpOptions::default()
    })
    .expect("a client")
}

/// What a restart did with the token endpoint broken by `fault`.
struct Restart {
    outcome: Result<ConnectionStatus, ConnectError>,
    took: Duration,
    /// The connector's status afterwards.
    status: ConnectionStatus,
    /// Whether the keychain still holds the refresh token stored before.
    token_kept: bool,
    token_requests: usize,
}

/// Connects Riley through a healthy front, arms `fault`, then restores on a new connector (one
/// refresh round trip), as the app does at its next start.
async fn restart_with(label: &str, fault: Fault) -> Restart {
    let front = FaultyFront::start().await;
    let vault = support::test_vault(label);
    let (connector, mut links) = support::test_connector_with(front.profile(), &vault, http());
    support::sign_in(&connector, &mut links, &[], answers(RILEY, RILEY_PASSWORD))
        .await
        .connected();
    let account = connector.profile().keychain_account().expect("an account");
    let stored = vault
        .load_connection(&account)
        .expect("keychain")
        .expect("stored");

    front.arm(fault);
    let before = front.token_requests();
    let restarted =
        Connector::with_http(front.profile(), vault.clone(), Arc::new(NoBrowser), http());
    let started = Instant::now();
    let outcome = restarted.restore().await;
    let took = started.elapsed();
    let after = vault
        .load_connection(&account)
        .expect("keychain")
        .expect("still stored");
    let token_kept =
        after.refresh_token.secret() == stored.refresh_token.secret() || outcome.is_ok();
    let status = restarted.status().await;
    vault.remove_connection(&account).expect("cleaned up");
    Restart {
        outcome,
        took,
        status,
        token_kept,
        token_requests: front.token_requests() - before,
    }
}

impl Restart {
    /// Asserts the restore failed with `code` and exactly `message`, and nothing was lost.
    fn failed_with(&self, code: &str, message: &str) {
        let err = self.outcome.as_ref().expect_err("the restore fails");
        let payload = err.payload();
        assert_eq!(payload.code, code, "{payload:?}");
        assert_eq!(payload.message, message, "{payload:?}");
        assert!(!payload.message.contains("client error"), "{payload:?}");
        assert!(self.token_kept, "the stored refresh token is kept");
        assert_ne!(
            self.status.state,
            ConnectionState::NeedsReconnect,
            "not the user's fault"
        );
    }
}

fn trouble(status: u16, retry_after: Option<&'static str>) -> Canned {
    Canned {
        status,
        retry_after,
        body: json!({"error": "server_error", "error_description": "AADSTS90033: A transient error has occurred."}),
    }
}

#[tokio::test]
async fn a_token_endpoint_that_never_accepts_is_a_connect_timeout() {
    let r = restart_with("never-accepts", Fault::NeverAccepts).await;
    r.failed_with(
        "network_unreachable",
        "could not reach the sign-in service: timed out connecting to 127.0.0.1 (no connection within 1 s)",
    );
}

#[tokio::test]
async fn a_stalled_token_endpoint_is_no_answer_within_the_timeout() {
    let r = restart_with("stalls", Fault::Stalls).await;
    r.failed_with(
        "network_unreachable",
        "could not reach the sign-in service: no answer from 127.0.0.1 within 2 s",
    );
    assert!(r.took < Duration::from_secs(10), "{:?}", r.took);
}

#[tokio::test]
async fn a_cut_off_token_answer_says_so() {
    let r = restart_with("cut-off", Fault::CutsOff).await;
    r.failed_with(
        "network_unreachable",
        "could not reach the sign-in service: the answer from 127.0.0.1 was cut off before it was complete",
    );
}

#[tokio::test]
async fn a_503_with_retry_after_is_retried_once_and_connects() {
    let r = restart_with(
        "503-then-200",
        Fault::Answers(vec![trouble(503, Some("1"))]),
    )
    .await;
    let status = r.outcome.expect("the retry connects");
    assert_eq!(status.state, ConnectionState::Connected);
    assert_eq!(r.token_requests, 2, "one retry");
    assert!(
        r.took >= Duration::from_secs(1),
        "waited for Retry-After: {:?}",
        r.took
    );
}

#[tokio::test]
async fn a_429_twice_is_the_service_in_trouble_not_a_refusal() {
    let busy = trouble(429, Some("0.2"));
    let r = restart_with("429", Fault::Answers(vec![busy.clone(), busy])).await;
    r.failed_with(
        "sign_in_service_trouble",
        "Microsoft's sign-in service is having trouble (HTTP 429); the app will try again",
    );
    assert_eq!(r.token_requests, 2, "exactly one retry");
}

#[tokio::test]
async fn a_500_twice_is_the_service_in_trouble_not_a_refusal() {
    let r = restart_with(
        "500",
        Fault::Answers(vec![trouble(500, None), trouble(500, None)]),
    )
    .await;
    r.failed_with(
        "sign_in_service_trouble",
        "Microsoft's sign-in service is having trouble (HTTP 500); the app will try again",
    );
    assert_eq!(r.token_requests, 2, "exactly one retry");
    let action = r.outcome.as_ref().expect_err("failed").payload().action;
    assert!(
        !action.contains("Connect"),
        "no interactive sign-in for a server error: {action}"
    );
}

#[tokio::test]
async fn invalid_grant_for_throttling_is_not_needs_reconnect() {
    let throttled = Canned {
        status: 400,
        retry_after: None,
        body: json!({
            "error": "invalid_grant",
            "error_description": "AADSTS50196: The server terminated an operation because it encountered a client request loop.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-01-01 00:00:00Z",
            "error_codes": [50196]
        }),
    };
    let r = restart_with("50196", Fault::Answers(vec![throttled])).await;
    r.failed_with(
        "sign_in_service_trouble",
        "Microsoft's sign-in service is having trouble (AADSTS50196); the app will try again",
    );
    assert_eq!(r.token_requests, 1, "a 400 is not retried");
}
