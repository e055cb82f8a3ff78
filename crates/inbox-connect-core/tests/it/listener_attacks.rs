//! The loopback receiver under attack, over real HTTP on loopback (issue 11): forged and repeated
//! callbacks are refused without ending the sign-in, slow or idle connections are closed by the
//! header-read timeout, and only the listener's own `Host` is served. Forged values never reach the
//! log. Sign-ins that connect use the real OS keychain (run through scripts/lib/test-session.sh).

use inbox_connect_test_support as support;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use inbox_connect_core::PendingSignIn;
use support::browser::{answers, loopback_of, query};
use support::sandbox::{self as sb, RILEY, RILEY_PASSWORD};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

/// Values only a forger sends: they must show up neither in a page nor in the log.
const STOLEN: &str = "stolen-code-7c1e";
const FORGED: &str = "forged-state-9a2b";

/// The log lines written while a test runs (the test's own thread: `#[tokio::test]` runs every
/// task there).
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let sink = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || sink.clone())
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(
            &self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
        .into_owned()
    }
}

/// A sign-in waiting for its callback: the link, the receiver's base URL and the link's `state`.
struct Waiting {
    pending: PendingSignIn,
    link: Url,
    base: Url,
    state: String,
}

async fn begin(
    connector: &inbox_connect_core::Connector,
    links: &mut tokio::sync::mpsc::UnboundedReceiver<Url>,
) -> Waiting {
    let pending = connector
        .begin_sign_in(&[], None)
        .await
        .expect("sign-in starts");
    let link = links.recv().await.expect("the link was opened");
    let base = loopback_of(&link);
    let state = query(&link, "state").expect("the link carries a state");
    Waiting {
        pending,
        link,
        base,
        state,
    }
}

/// What the receiver answered to one raw HTTP/1.1 request.
#[derive(Debug)]
struct Reply {
    status: u16,
    text: String,
}

/// One request written by hand, so the test picks the `Host` header and the exact query bytes.
async fn raw_get(base: &Url, target: &str, host: Option<&str>) -> Reply {
    let port = base.port().expect("the receiver has a port");
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("the receiver accepts");
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    let request = format!("GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request is sent");
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes))
        .await
        .expect("the receiver answers within 10 s")
        .expect("the answer is read");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    Reply { status, text }
}

fn own_host(base: &Url) -> String {
    format!("localhost:{}", base.port().expect("a port"))
}

fn assert_refused(reply: &Reply, what: &str) {
    assert_eq!(reply.status, 400, "{what}: {reply:?}");
    assert!(
        reply
            .text
            .contains("does not belong to the sign-in in progress"),
        "{what}: {reply:?}"
    );
    for secret in [STOLEN, FORGED] {
        assert!(
            !reply.text.contains(secret),
            "{what} echoed {secret}: {reply:?}"
        );
    }
}

#[tokio::test]
async fn forged_callbacks_are_refused_and_the_real_one_still_connects() {
    let log = Log::default();
    let _capture = log.capture();
    let (_sandbox, _vault, connector, mut links) = sb::setup("forged").await;
    let w = begin(&connector, &mut links).await;
    let host = own_host(&w.base);

    for forged in [
        format!("/?code={STOLEN}&state={FORGED}"),
        format!("/?code={STOLEN}"),
        format!("/?code={STOLEN}&state="),
        format!("/?error=access_denied&state={FORGED}"),
        "/?error=access_denied&error_description=AADSTS65004".to_owned(),
    ] {
        assert_refused(&raw_get(&w.base, &forged, Some(&host)).await, &forged);
    }

    let done = support::finish(w.pending, w.link, answers(RILEY, RILEY_PASSWORD)).await;
    done.connected();
    connector.disconnect().await.expect("disconnected");

    let log = log.text();
    assert!(
        log.contains("loopback receiver refused"),
        "the refusals are logged:\n{log}"
    );
    for secret in [STOLEN, FORGED] {
        assert!(!log.contains(secret), "{secret} reached the log:\n{log}");
    }
}

#[tokio::test]
async fn repeated_parameters_are_refused_and_do_not_end_the_sign_in() {
    let log = Log::default();
    let _capture = log.capture();
    let (_sandbox, _vault, connector, mut links) = sb::setup("repeated").await;
    let w = begin(&connector, &mut links).await;
    let (host, state) = (own_host(&w.base), w.state.clone());

    // RFC 6749 §3.1: a parameter must not appear twice, whichever copy is the right one.
    for repeated in [
        format!("/?code={STOLEN}&state={FORGED}&state={state}"),
        format!("/?code={STOLEN}&state={state}&state={FORGED}"),
        format!("/?code={STOLEN}&state={state}&state={state}"),
        format!("/?code={STOLEN}&code={STOLEN}&state={state}"),
        format!("/?error=access_denied&error=server_error&state={state}"),
        format!("/?code={STOLEN}&error=access_denied&error=access_denied&state={state}"),
    ] {
        assert_refused(&raw_get(&w.base, &repeated, Some(&host)).await, &repeated);
    }

    let done = support::finish(w.pending, w.link, answers(RILEY, RILEY_PASSWORD)).await;
    done.connected();
    connector.disconnect().await.expect("disconnected");
    let log = log.text();
    for secret in [STOLEN, FORGED, &state] {
        assert!(
            !log.contains(secret),
            "a parameter value reached the log:\n{log}"
        );
    }
}

#[tokio::test]
async fn only_the_listeners_own_host_is_served() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("host").await;
    let w = begin(&connector, &mut links).await;
    let port = w.base.port().expect("a port");

    // A DNS-rebinding page reaches 127.0.0.1 under its own name; a bare host lacks the port.
    for host in [
        Some(format!("evil.example:{port}")),
        Some(format!("localhost.evil.example:{port}")),
        Some(format!("localhost:{}", port.wrapping_add(1))),
        Some("localhost".to_owned()),
        Some("127.0.0.1".to_owned()),
        None,
    ] {
        let reply = raw_get(&w.base, "/favicon.ico", host.as_deref()).await;
        assert!(
            matches!(reply.status, 400 | 421),
            "Host {host:?} was served: {reply:?}"
        );
    }
    // Nor does a wrong Host end the sign-in, even carrying the right state.
    let reply = raw_get(
        &w.base,
        &format!("/?code={STOLEN}&state={}", w.state),
        Some(&format!("evil.example:{port}")),
    )
    .await;
    assert!(matches!(reply.status, 400 | 421), "{reply:?}");
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let reply = raw_get(&w.base, "/favicon.ico", Some(&host)).await;
        assert_eq!(
            reply.status, 404,
            "Host {host} is the listener's own: {reply:?}"
        );
    }

    let done = support::finish(w.pending, w.link, answers(RILEY, RILEY_PASSWORD)).await;
    done.connected();
    connector.disconnect().await.expect("disconnected");
}

/// How long the receiver takes to close a connection that sends `opening` and then nothing.
async fn closed_after(port: u16, opening: &[u8]) -> Duration {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("the receiver accepts");
    stream.write_all(opening).await.expect("sent");
    let start = Instant::now();
    let mut sink = Vec::new();
    // The answer to a complete request comes first; the close is the read that returns.
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut sink))
        .await
        .expect("the receiver closes the connection within 20 s")
        .ok();
    start.elapsed()
}

#[tokio::test]
async fn slow_and_idle_connections_are_closed_by_the_header_timeout() {
    let (_sandbox, _vault, connector, mut links) = sb::setup("slowloris").await;
    let w = begin(&connector, &mut links).await;
    let port = w.base.port().expect("a port");
    let host = own_host(&w.base);

    let slowloris = format!("GET /?code={STOLEN} HTTP/1.1\r\nHost: {host}\r\nX-Slow: 1\r\n");
    let keep_alive = format!("GET /favicon.ico HTTP/1.1\r\nHost: {host}\r\n\r\n");
    let (silent, slow, idle) = tokio::join!(
        closed_after(port, b""),
        closed_after(port, slowloris.as_bytes()),
        closed_after(port, keep_alive.as_bytes()),
    );
    println!(
        "closed after: silent connection {silent:?}, slowloris {slow:?}, idle keep-alive {idle:?}"
    );

    // The sign-in itself is still waiting: a forged callback is still refused, not "finished".
    assert_refused(
        &raw_get(
            &w.base,
            &format!("/?code={STOLEN}&state={FORGED}"),
            Some(&host),
        )
        .await,
        "after the slow connections",
    );
    drop(w.pending);
}
