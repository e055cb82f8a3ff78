//! The loopback receiver (RFC 8252 §7.3): a tiny HTTP server on 127.0.0.1, port 0, that waits for
//! the browser to come back from the sign-in page.
//!
//! It keeps serving until a request carries `code` or `error` (browsers send favicon and
//! pre-connect requests first: those get 404), checks `state`, answers the real callback with a
//! 302 to the bare `http://localhost:{port}/` so the code leaves the browser history, then serves
//! the result page there, and stops only once that page was delivered (msal-js #6595).
//!
//! Under attack it holds: a forged or repeated callback is refused and the wait goes on
//! (`callback`); slow, idle and excess connections are closed (`serve`, `connections`); only the
//! listener's own `Host` is served (`host`).

mod callback;
mod connections;
mod host;
mod page;
pub(crate) mod query;
mod serve;

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use oauth2::{AuthorizationCode, CsrfToken};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::error::{ConnectError, OAuthErrorFields};
use crate::words::Language;

use connections::Connections;
pub(crate) use page::ResultPage;

/// How long the result page stays available after the sign-in finished, for a browser that is
/// slow to follow the redirect.
const RESULT_PAGE_GRACE: Duration = Duration::from_secs(120);
/// How long the sign-in's caller waits for the browser to take its result page before going on.
const DELIVERY_WAIT: Duration = Duration::from_secs(3);

/// What a receiver waits for: read from the query of the browser's request.
pub(crate) trait Answer: Sized + Send + 'static {
    /// The answer this query carries, or `None` for a stray request (favicon, preconnect).
    fn from_query(params: &HashMap<String, String>) -> Option<Self>;
}

/// What the browser brought back (with a matching `state`).
pub(crate) enum Callback {
    /// Success: the code, and RFC 9207 `iss` when the provider sent it.
    Code {
        code: AuthorizationCode,
        iss: Option<String>,
    },
    /// The provider redirected with `error=`.
    Error(OAuthErrorFields),
}

impl Answer for Callback {
    fn from_query(params: &HashMap<String, String>) -> Option<Callback> {
        if !params.contains_key("code") && !params.contains_key("error") {
            return None;
        }
        Some(match params.get("code") {
            Some(code) if !params.contains_key("error") => Callback::Code {
                code: AuthorizationCode::new(code.clone()),
                iss: params.get("iss").cloned(),
            },
            _ => Callback::Error(oauth_error_fields(params)),
        })
    }
}

/// The OAuth error fields of an error redirect (docs/entra-reference.md §1.4).
pub(crate) fn oauth_error_fields(params: &HashMap<String, String>) -> OAuthErrorFields {
    OAuthErrorFields {
        error: params.get("error").cloned().unwrap_or_default(),
        error_description: params.get("error_description").cloned(),
        error_subcode: params.get("error_subcode").cloned(),
        error_uri: params.get("error_uri").cloned(),
        ..Default::default()
    }
    .complete_from_description()
}

/// What the request handlers share.
struct Shared<A> {
    expected_state: CsrfToken,
    clean_url: String,
    /// Taken by the one callback that carries this sign-in's `state`.
    callback: Mutex<Option<oneshot::Sender<A>>>,
    page: watch::Receiver<Option<Arc<ResultPage>>>,
    delivered: CancellationToken,
    /// The window's language, for the pages the handlers make themselves.
    language: Language,
}

impl<A> Shared<A> {
    /// Whether the callback has yet to come.
    fn waiting(&self) -> bool {
        self.slot().is_some()
    }

    fn take_sender(&self) -> Option<oneshot::Sender<A>> {
        self.slot().take()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<oneshot::Sender<A>>> {
        crate::sync::lock(&self.callback)
    }
}

/// One listener for one sign-in (or admin consent: `A` says what the browser brings back).
pub(crate) struct LoopbackReceiver<A: Answer = Callback> {
    redirect_uri: String,
    callback: oneshot::Receiver<A>,
    page: watch::Sender<Option<Arc<ResultPage>>>,
    shutdown: CancellationToken,
    delivered: CancellationToken,
    servers: Vec<JoinHandle<()>>,
    finished: bool,
}

impl<A: Answer> LoopbackReceiver<A> {
    /// Binds 127.0.0.1 on a free port (and [::1] on the same port when it can, for browsers that
    /// resolve `localhost` to IPv6 first) and starts serving. `shutdown` stops it at once.
    pub(crate) async fn start(
        redirect_path: &str,
        expected_state: CsrfToken,
        shutdown: CancellationToken,
        language: Language,
    ) -> std::io::Result<LoopbackReceiver<A>> {
        let v4 = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await?;
        let port = v4.local_addr()?.port();
        let v6 = TcpListener::bind(SocketAddr::from((Ipv6Addr::LOCALHOST, port)))
            .await
            .ok();
        let path = if redirect_path.starts_with('/') {
            redirect_path.to_owned()
        } else {
            format!("/{redirect_path}")
        };
        // Entra and the portal know `localhost`, not 127.0.0.1 (docs/entra-reference.md §2 decisions).
        let redirect_uri = format!("http://localhost:{port}{path}");

        let (callback_tx, callback_rx) = oneshot::channel();
        let (page_tx, page_rx) = watch::channel(None);
        let delivered = CancellationToken::new();
        let shared = Arc::new(Shared {
            expected_state,
            clean_url: redirect_uri.clone(),
            callback: Mutex::new(Some(callback_tx)),
            page: page_rx,
            delivered: delivered.clone(),
            language,
        });
        let router = callback::router(&path, port, shared);
        let connections = Connections::new(serve::MAX_CONNECTIONS);

        let stop_when = || {
            let (stop, delivered) = (shutdown.clone(), delivered.clone());
            async move {
                tokio::select! {
                    () = stop.cancelled() => {}
                    () = delivered.cancelled() => {}
                }
            }
        };
        let servers = std::iter::once(v4)
            .chain(v6)
            .map(|listener| {
                tokio::spawn(serve::serve(
                    listener,
                    router.clone(),
                    connections.clone(),
                    stop_when(),
                ))
            })
            .collect();
        Ok(LoopbackReceiver {
            redirect_uri,
            callback: callback_rx,
            page: page_tx,
            shutdown,
            delivered,
            servers,
            finished: false,
        })
    }

    /// The redirect URI to send: `http://localhost:{port}{path}`.
    pub(crate) fn redirect_uri(&self) -> String {
        self.redirect_uri.clone()
    }

    /// Waits for the callback (`code` or `error` with a matching `state`).
    pub(crate) async fn callback(&mut self) -> Result<A, ConnectError> {
        (&mut self.callback).await.map_err(|_| {
            ConnectError::Loopback("the receiver stopped before the browser answered".into())
        })
    }

    /// Hands over the result page and waits, briefly, until the browser has it and the listener
    /// has drained: a caller that exits right after (the CLI) must not take the page down with it
    /// (msal-js #6595). A browser that never asks keeps the listener up for a grace time only.
    pub(crate) async fn finish(mut self, page: ResultPage) {
        self.finished = true;
        let _ = self.page.send(Some(Arc::new(page)));
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::time::sleep(RESULT_PAGE_GRACE).await;
            shutdown.cancel();
        });
        let servers = std::mem::take(&mut self.servers);
        let delivered = self.delivered.clone();
        let drained = async move {
            delivered.cancelled().await;
            for server in servers {
                let _ = server.await;
            }
        };
        let _ = tokio::time::timeout(DELIVERY_WAIT, drained).await;
    }
}

impl<A: Answer> Drop for LoopbackReceiver<A> {
    fn drop(&mut self) {
        // Dropped without an outcome (the sign-in was abandoned): free the port now.
        if !self.finished {
            self.shutdown.cancel();
        }
    }
}
