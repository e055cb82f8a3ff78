//! The loopback receiver (RFC 8252 §7.3): a tiny HTTP server on 127.0.0.1, port 0, that waits for
//! the browser to come back from the sign-in page.
//!
//! It keeps serving until a request carries `code` or `error` (browsers send favicon and
//! pre-connect requests first: those get 404), checks `state`, answers the real callback with a
//! 302 to the bare `http://localhost:{port}/` so the code leaves the browser history, then serves
//! the result page there, and stops only once that page was delivered (msal-js #6595).

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use oauth2::{AuthorizationCode, CsrfToken};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::diagnosis::Diagnosis;
use crate::error::{ConnectError, ErrorPayload, OAuthErrorFields};
use crate::status::ConnectionStatus;

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

/// The page the browser tab shows at the end.
pub(crate) struct ResultPage(String);

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

/// The OAuth error fields of an error redirect (ref §1.4).
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

impl ResultPage {
    /// A page with a heading and one paragraph (the admin flows' outcomes).
    pub(crate) fn notice(heading: &str, text: &str) -> ResultPage {
        ResultPage(page(
            heading,
            &format!(
                "<h1>{}</h1><p>{}</p><p>You can close this tab.</p>",
                esc(heading),
                esc(text)
            ),
        ))
    }

    pub(crate) fn connected(app_name: &str, status: &ConnectionStatus) -> ResultPage {
        let who = status
            .account
            .as_ref()
            .and_then(|a| a.username.clone().or_else(|| a.name.clone()))
            .unwrap_or_default();
        ResultPage(page(
            "Connected",
            &format!(
                "<h1>Connected — you can close this tab</h1><p>{} is connected to {}.</p>",
                esc(&who),
                esc(app_name)
            ),
        ))
    }

    pub(crate) fn blocked(diagnosis: &Diagnosis) -> ResultPage {
        let step = diagnosis
            .next_steps
            .first()
            .map(|s| format!("<p><strong>Next step:</strong> {}</p>", esc(s)))
            .unwrap_or_default();
        ResultPage(page(
            "Not connected yet",
            &format!(
                "<h1>Not connected yet</h1><p>{}</p>{step}<p>The app shows the details. You can close this tab.</p>",
                esc(&diagnosis.explanation)
            ),
        ))
    }

    pub(crate) fn failed(error: &ErrorPayload) -> ResultPage {
        ResultPage(page(
            "Could not connect",
            &format!(
                "<h1>Could not connect</h1><p>{}</p><p><strong>Next step:</strong> {}</p><p>You can close this tab.</p>",
                esc(&error.message),
                esc(&error.action)
            ),
        ))
    }
}

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} — Inbox Connect</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}</style>\
         </head><body>{body}</body></html>",
        esc(title)
    )
}

struct Shared<A> {
    expected_state: CsrfToken,
    clean_url: String,
    callback: Mutex<Option<oneshot::Sender<Result<A, ConnectError>>>>,
    page: watch::Receiver<Option<Arc<ResultPage>>>,
    delivered: CancellationToken,
}

/// One listener for one sign-in (or admin consent: `A` says what the browser brings back).
pub(crate) struct LoopbackReceiver<A: Answer = Callback> {
    redirect_uri: String,
    callback: oneshot::Receiver<Result<A, ConnectError>>,
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
        // Entra and the portal know `localhost`, not 127.0.0.1 (ref §2 decisions).
        let redirect_uri = format!("http://localhost:{port}{path}");

        let (callback_tx, callback_rx) = oneshot::channel();
        let (page_tx, page_rx) = watch::channel(None);
        let delivered = CancellationToken::new();
        let delivered_for_receiver = delivered.clone();
        let shared = Arc::new(Shared {
            expected_state,
            clean_url: redirect_uri.clone(),
            callback: Mutex::new(Some(callback_tx)),
            page: page_rx,
            delivered: delivered.clone(),
        });
        let app = Router::new()
            .route(&path, get(on_request::<A>))
            .fallback(|| async { StatusCode::NOT_FOUND })
            .with_state(shared);

        let stop = shutdown.clone();
        let stop_when = move || {
            let (stop, delivered) = (stop.clone(), delivered.clone());
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
                let server = axum::serve(listener, app.clone()).with_graceful_shutdown(stop_when());
                tokio::spawn(async move {
                    if let Err(e) = server.await {
                        tracing::warn!("the loopback receiver stopped: {e}");
                    }
                })
            })
            .collect();
        Ok(LoopbackReceiver {
            redirect_uri,
            callback: callback_rx,
            page: page_tx,
            shutdown,
            delivered: delivered_for_receiver,
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
        match (&mut self.callback).await {
            Ok(result) => result,
            Err(_) => Err(ConnectError::Loopback(
                "the receiver stopped before the browser answered".into(),
            )),
        }
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

async fn on_request<A: Answer>(
    State(shared): State<Arc<Shared<A>>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let answer = A::from_query(&params);
    let is_callback = answer.is_some();
    let sender = {
        let mut slot = shared
            .callback
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if is_callback {
            slot.take()
        } else if slot.is_some() {
            // Nothing has come back yet: a stray request (preconnect, a reload of an old tab).
            return StatusCode::NOT_FOUND.into_response();
        } else {
            None
        }
    };
    let Some(answer) = answer else {
        return result_page(&shared).await;
    };
    let Some(sender) = sender else {
        return Html(page(
            "Already finished",
            "<h1>This sign-in has already finished</h1><p>You can close this tab.</p>",
        ))
        .into_response();
    };
    if params.get("state").map(String::as_str) != Some(shared.expected_state.secret().as_str()) {
        let _ = sender.send(Err(ConnectError::StateMismatch));
        shared.delivered.cancel();
        let body = page(
            "Sign-in not recognised",
            "<h1>This sign-in answer does not belong to the sign-in in progress</h1>\
             <p>It was ignored. Close this tab, go back to the app and click Connect again.</p>",
        );
        return (StatusCode::BAD_REQUEST, Html(body)).into_response();
    }
    let _ = sender.send(Ok(answer));
    // Off the address bar and out of history: the code never stays visible.
    (
        StatusCode::FOUND,
        [(header::LOCATION, shared.clean_url.clone())],
    )
        .into_response()
}

/// The result page, once the sign-in has an outcome (the redirect arrives before it has one).
async fn result_page<A>(shared: &Shared<A>) -> Response {
    let mut outcome = shared.page.clone();
    let ready = tokio::time::timeout(RESULT_PAGE_GRACE, outcome.wait_for(Option::is_some)).await;
    let html = match ready {
        Ok(Ok(page)) => page.as_ref().map(|p| p.0.clone()),
        _ => None,
    };
    match html {
        Some(html) => {
            shared.delivered.cancel();
            ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Html(page(
                "Still working",
                "<h1>Still finishing the sign-in</h1><p>Go back to the app.</p>",
            )),
        )
            .into_response(),
    }
}
