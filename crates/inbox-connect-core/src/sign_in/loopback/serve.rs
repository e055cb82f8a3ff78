//! The receiver's HTTP/1 server. A hand-written accept loop rather than `axum::serve`, which runs
//! hyper without a timer (so its header-read timeout never fires) and sleeps a full second after
//! each failed `accept()` (so at the open-file limit the real callback waits behind a flood).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use super::connections::{Connections, Slot};

/// How long a connection may take to send a request's headers, and how long an idle keep-alive
/// connection stays open (hyper starts the same timer while it waits for the next request).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Open connections across both listeners: a browser uses a handful; each one is a file.
pub(super) const MAX_CONNECTIONS: usize = 64;
/// The pause after a failed `accept()` (out of files: an eviction frees one).
const ACCEPT_RETRY: Duration = Duration::from_millis(10);
/// How long connections may take to finish their answer once the receiver stops.
const DRAIN_LIMIT: Duration = Duration::from_secs(1);

/// Serves `router` on `listener` until `stop`, then closes the port and lets the connections
/// finish their answers (for [`DRAIN_LIMIT`] at most).
pub(super) async fn serve(
    listener: TcpListener,
    router: Router,
    connections: Arc<Connections>,
    stop: impl Future<Output = ()>,
) {
    let draining = CancellationToken::new();
    let mut open = JoinSet::new();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let slot = connections.admit();
                    open.spawn(connection(stream, router.clone(), slot, draining.clone()));
                }
                Err(e) => {
                    tracing::debug!("the loopback receiver could not accept a connection: {e}");
                    connections.evict_oldest_idle();
                    tokio::time::sleep(ACCEPT_RETRY).await;
                }
            },
            Some(_) = open.join_next(), if !open.is_empty() => {}
        }
    }
    drop(listener);
    draining.cancel();
    let drained = async { while open.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(DRAIN_LIMIT, drained).await;
    // Dropping `open` cuts what is left: connections still sending their headers.
}

async fn connection(stream: TcpStream, router: Router, slot: Slot, draining: CancellationToken) {
    let activity = slot.activity();
    let service = service_fn(move |request: Request<Incoming>| {
        let during = activity.begin();
        let answer = router.clone().oneshot(request);
        async move {
            let response = answer.await;
            drop(during);
            response
        }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let ended = tokio::select! {
        ended = conn.as_mut() => ended,
        // Dropping the connection closes its socket.
        () = slot.evicted() => Ok(()),
        () = draining.cancelled() => {
            conn.as_mut().graceful_shutdown();
            conn.await
        }
    };
    if let Err(e) = ended {
        tracing::debug!("a loopback connection ended: {e}");
    }
}
