//! A fault-injecting front for the sandbox, on 127.0.0.1: it forwards every request to the
//! sandbox (whose `public_url` is the front, so every link and endpoint goes through it) and,
//! when armed, breaks the token endpoint in one of the ways networks and servers do.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use entra_sandbox::{RunningSandbox, SandboxConfig};
use inbox_connect_core::Profile;
use serde_json::Value;
use tokio::net::{TcpListener, TcpSocket};
use url::Url;

/// One canned answer of the token endpoint.
#[derive(Debug, Clone)]
pub struct Canned {
    /// HTTP status.
    pub status: u16,
    /// `Retry-After`, if any.
    pub retry_after: Option<&'static str>,
    /// JSON body.
    pub body: Value,
}

/// How the token endpoint misbehaves.
#[derive(Debug, Clone, Default)]
pub enum Fault {
    /// Nothing: every request reaches the sandbox.
    #[default]
    None,
    /// Discovery names a token endpoint that never accepts a connection.
    NeverAccepts,
    /// The token endpoint accepts the request and never answers.
    Stalls,
    /// The token endpoint sends its headers and part of the body, then closes.
    CutsOff,
    /// The token endpoint gives these answers first, then the sandbox's.
    Answers(Vec<Canned>),
}

struct Front {
    sandbox: SocketAddr,
    black_hole: SocketAddr,
    fault: Mutex<(Fault, VecDeque<Canned>)>,
    token_requests: AtomicUsize,
    /// The form bodies of the token requests, in order.
    token_forms: Mutex<Vec<String>>,
    http: reqwest::Client,
}

/// The sandbox behind a fault-injecting front.
pub struct FaultyFront {
    front: Arc<Front>,
    url: Url,
    sandbox: RunningSandbox,
    _black_hole: BlackHole,
    task: tokio::task::JoinHandle<()>,
}

impl FaultyFront {
    /// Starts the sandbox (default seed) behind a new front.
    pub async fn start() -> FaultyFront {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("front binds");
        let url = Url::parse(&format!("http://{}", listener.local_addr().expect("addr")))
            .expect("front URL");
        let sandbox = entra_sandbox::start(SandboxConfig {
            public_url: Some(url.clone()),
            ..SandboxConfig::with_default_seed()
        })
        .await
        .expect("the sandbox starts");
        let black_hole = BlackHole::new().await;
        let front = Arc::new(Front {
            sandbox: sandbox.local_addr(),
            black_hole: black_hole.addr,
            fault: Mutex::new((Fault::None, VecDeque::new())),
            token_requests: AtomicUsize::new(0),
            token_forms: Mutex::new(Vec::new()),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .no_proxy()
                .build()
                .expect("a forwarding client"),
        });
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(front.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FaultyFront {
            front,
            url,
            sandbox,
            _black_hole: black_hole,
            task,
        }
    }

    /// The bundled profile pointed at the front.
    pub fn profile(&self) -> Profile {
        Profile::sandbox()
            .with_login_base(&self.url, self.sandbox.graph_url())
            .expect("the front is loopback")
    }

    /// Arms a fault for the requests from now on.
    pub fn arm(&self, fault: Fault) {
        let canned = match &fault {
            Fault::Answers(answers) => answers.iter().cloned().collect(),
            _ => VecDeque::new(),
        };
        *self.front.fault.lock().expect("fault lock") = (fault, canned);
    }

    /// How many token requests the front has seen.
    pub fn token_requests(&self) -> usize {
        self.front.token_requests.load(Ordering::SeqCst)
    }

    /// The form bodies of the token requests seen so far, decoded into pairs.
    pub fn token_forms(&self) -> Vec<Vec<(String, String)>> {
        let forms = self.front.token_forms.lock().expect("forms lock");
        forms
            .iter()
            .map(|body| {
                url::form_urlencoded::parse(body.as_bytes())
                    .into_owned()
                    .collect()
            })
            .collect()
    }
}

impl Drop for FaultyFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(State(front): State<Arc<Front>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let is_token = req.method() == axum::http::Method::POST && path.ends_with("/oauth2/v2.0/token");
    let fault = front.fault.lock().expect("fault lock").0.clone();
    let req = if is_token {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20)
            .await
            .expect("a token request body");
        front
            .token_forms
            .lock()
            .expect("forms lock")
            .push(String::from_utf8_lossy(&bytes).into_owned());
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };
    if is_token {
        front.token_requests.fetch_add(1, Ordering::SeqCst);
        match fault {
            Fault::Stalls => std::future::pending::<()>().await,
            Fault::CutsOff => return cut_off(),
            Fault::Answers(_) => {
                let next = front.fault.lock().expect("fault lock").1.pop_front();
                if let Some(canned) = next {
                    return canned_response(&canned);
                }
            }
            Fault::None | Fault::NeverAccepts => {}
        }
    }
    let rewrite =
        matches!(fault, Fault::NeverAccepts) && path.ends_with("/.well-known/openid-configuration");
    let mut response = pass_through(&front, req).await;
    if rewrite {
        response = with_black_hole_token_endpoint(response, front.black_hole).await;
    }
    response
}

/// Sends the request on to the sandbox as it came, and its answer back.
async fn pass_through(front: &Front, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let target = format!(
        "http://{}{}",
        front.sandbox,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .expect("a request body");
    let mut headers = parts.headers.clone();
    headers.remove(axum::http::header::HOST);
    let answer = front
        .http
        .request(parts.method, target)
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("the sandbox answers");
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if name != axum::http::header::TRANSFER_ENCODING
            && name != axum::http::header::CONTENT_LENGTH
        {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.expect("the sandbox's body");
    response.body(Body::from(bytes)).expect("a response")
}

async fn with_black_hole_token_endpoint(response: Response, black_hole: SocketAddr) -> Response {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .expect("discovery body");
    let mut doc: Value = serde_json::from_slice(&bytes).expect("discovery JSON");
    doc["token_endpoint"] = Value::String(format!("http://{black_hole}/oauth2/v2.0/token"));
    axum::response::IntoResponse::into_response(axum::Json(doc))
}

fn canned_response(canned: &Canned) -> Response {
    let mut response = Response::builder()
        .status(canned.status)
        .header("content-type", "application/json");
    if let Some(after) = canned.retry_after {
        response = response.header("retry-after", after);
    }
    response
        .body(Body::from(canned.body.to_string()))
        .expect("a canned response")
}

/// Headers promising 400 bytes, 40 of them, then the connection drops.
fn cut_off() -> Response {
    let part = Bytes::from_static(br#"{"access_token":"eyJ0eXAiOiJKV1QiLCJhbGci"#);
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(part),
        Err(std::io::Error::other("the front drops the connection")),
    ];
    Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("content-length", "400")
        .body(Body::from_stream(futures_util::stream::iter(chunks)))
        .expect("a cut-off response")
}

/// A listener whose accept queue is full, so the kernel drops new connection attempts: a
/// connect to it times out, as to a host behind a firewall that drops packets, on loopback.
struct BlackHole {
    addr: SocketAddr,
    _listener: TcpListener,
    _fillers: Vec<std::net::TcpStream>,
}

impl BlackHole {
    async fn new() -> BlackHole {
        let socket = TcpSocket::new_v4().expect("a socket");
        socket
            .bind("127.0.0.1:0".parse().expect("addr"))
            .expect("bind");
        let listener = socket.listen(0).expect("listen with no backlog");
        let addr = listener.local_addr().expect("addr");
        let fillers = tokio::task::spawn_blocking(move || {
            let mut fillers = Vec::new();
            // Connect until one attempt hangs: from then on the queue is full.
            for _ in 0..16 {
                match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                    Ok(stream) => fillers.push(stream),
                    Err(_) => return fillers,
                }
            }
            panic!("the black hole's accept queue never filled");
        })
        .await
        .expect("fillers");
        BlackHole {
            addr,
            _listener: listener,
            _fillers: fillers,
        }
    }
}
