//! A corporate network on loopback: a TLS-intercepting HTTPS proxy, as enterprises put in front
//! of Microsoft, with its own root CA made at test time.
//!
//! - [`TestCa`]: a root CA (rcgen); [`TestCa::write_bundle`] writes its PEM to a file for
//!   `SSL_CERT_FILE`, which is how the OS trust store is given to rustls-platform-verifier on
//!   Linux (via rustls-native-certs: when set, only that file is read).
//! - [`TlsFront`]: the same termination without a proxy, on `https://localhost:<port>`.
//! - [`InterceptingProxy`]: answers `CONNECT host:443` (HTTP/1.1, hyper's upgrade) for the host
//!   names it was given, terminates TLS with a leaf certificate for that host signed by the CA,
//!   speaking HTTP/2 or HTTP/1.1 as Microsoft's servers do, and forwards each request over
//!   HTTP/1.1 to a loopback address (the sandbox). Any other host gets 403:
//!   the names are under `.test`, which only this proxy resolves, so nothing leaves the machine.
//!
//! ```ignore
//! let ca = TestCa::new("Inbox Connect Test Interception CA");
//! let sandbox = entra_sandbox::start(SandboxConfig { public_url: Some(https_url), ..cfg }).await?;
//! let proxy = InterceptingProxy::start(&ca, [("login.inbox-connect.test", sandbox.local_addr())]).await;
//! // HTTPS_PROXY=proxy.url(), SSL_CERT_FILE=ca.write_bundle(dir)
//! ```

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

/// The trust-store and proxy variables a test clears, so that only the ones it sets apply.
pub const NETWORK_ENV: [&str; 9] = [
    "SSL_CERT_DIR",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// A root CA made for one test run.
pub struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
    name: String,
}

impl TestCa {
    /// A CA whose certificate's common name (the issuer the app must name) is `name`.
    pub fn new(name: &str) -> TestCa {
        let mut params = CertificateParams::new(Vec::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params
            .distinguished_name
            .push(DnType::OrganizationName, "Inbox Connect tests");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("a CA key");
        TestCa {
            issuer: CertifiedIssuer::self_signed(params, key).expect("a self-signed CA"),
            name: name.to_owned(),
        }
    }

    /// The CA's common name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The CA certificate, PEM.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    /// Writes the CA certificate as a one-certificate bundle `ca-<name>.pem` in `dir`.
    pub fn write_bundle(&self, dir: &Path) -> PathBuf {
        let path = dir.join(format!("ca-{}.pem", self.name.replace(' ', "-")));
        std::fs::write(&path, self.pem()).expect("the CA bundle is written");
        path
    }

    /// A server certificate for `host`, signed by this CA, and its key.
    fn leaf(&self, host: &str) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let key = KeyPair::generate().expect("a leaf key");
        let mut params = CertificateParams::new(vec![host.to_owned()]).expect("leaf params");
        params.distinguished_name.push(DnType::CommonName, host);
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("the CA signs the leaf");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        (cert.der().clone(), key)
    }
}

/// What the proxy asks of its clients.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProxyPolicy {
    /// Answer every CONNECT with 407 Proxy Authentication Required (a proxy that wants a
    /// sign-in the app does not have).
    pub require_auth: bool,
}

/// A running intercepting proxy on 127.0.0.1.
pub struct InterceptingProxy {
    addr: SocketAddr,
    seen: Arc<Seen>,
    task: tokio::task::JoinHandle<()>,
}

impl InterceptingProxy {
    /// Starts the proxy: `routes` maps each host name it intercepts to the loopback address the
    /// decrypted traffic goes to.
    pub async fn start<'a>(
        ca: &TestCa,
        routes: impl IntoIterator<Item = (&'a str, SocketAddr)>,
    ) -> InterceptingProxy {
        InterceptingProxy::start_with(ca, routes, ProxyPolicy::default()).await
    }

    /// [`InterceptingProxy::start`] with a policy.
    pub async fn start_with<'a>(
        ca: &TestCa,
        routes: impl IntoIterator<Item = (&'a str, SocketAddr)>,
        policy: ProxyPolicy,
    ) -> InterceptingProxy {
        let mut hosts = HashMap::new();
        for (host, backend) in routes {
            hosts.insert(host.to_owned(), (tls_config(ca, host), backend));
        }
        let hosts = Arc::new(hosts);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy binds");
        let addr = listener.local_addr().expect("proxy address");
        let seen = Arc::new(Seen::default());
        let counter = seen.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (hosts, counter) = (hosts.clone(), counter.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let (hosts, counter) = (hosts.clone(), counter.clone());
                        async move {
                            Ok::<_, std::convert::Infallible>(connect(
                                req, &hosts, policy, &counter,
                            ))
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .with_upgrades()
                        .await;
                });
            }
        });
        InterceptingProxy { addr, seen, task }
    }

    /// `http://127.0.0.1:<port>`: the value for `HTTPS_PROXY` or the app's proxy setting.
    pub fn url(&self) -> Url {
        Url::parse(&format!("http://{}", self.addr)).expect("a proxy URL")
    }

    /// A test browser (cookies, redirects followed) behind this proxy, trusting `ca` as the
    /// user's browser would once IT installed it; loopback redirects go direct.
    pub fn browser(&self, ca: &TestCa) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(ca.pem().as_bytes()).expect("the CA as PEM");
        reqwest::Client::builder()
            .cookie_store(true)
            .pool_max_idle_per_host(0)
            .timeout(std::time::Duration::from_secs(60))
            .proxy(reqwest::Proxy::https(self.url().as_str()).expect("the proxy"))
            .tls_certs_only([ca])
            .build()
            .expect("a test browser")
    }

    /// How many tunnels were opened (intercepted CONNECTs).
    pub fn tunnels(&self) -> usize {
        self.seen.tunnels.load(Ordering::SeqCst)
    }

    /// The protocol each TLS session inside a tunnel agreed by ALPN (`h2`, `http/1.1`, or
    /// `none`), in the order they were made.
    pub fn protocols(&self) -> Vec<String> {
        self.seen.protocols.lock().expect("not poisoned").clone()
    }
}

impl Drop for InterceptingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a proxy saw: the CONNECTs it intercepted, and the protocol of each TLS session.
#[derive(Default)]
struct Seen {
    tunnels: AtomicUsize,
    protocols: Mutex<Vec<String>>,
}

type Routes = HashMap<String, (Arc<rustls::ServerConfig>, SocketAddr)>;

/// Answers one proxy request: only CONNECT to a known host is let through.
fn connect(
    req: Request<Incoming>,
    hosts: &Routes,
    policy: ProxyPolicy,
    seen: &Arc<Seen>,
) -> Response<String> {
    let answer = |status: StatusCode| {
        let mut response = Response::new(String::new());
        *response.status_mut() = status;
        response
    };
    if req.method() != Method::CONNECT {
        return answer(StatusCode::METHOD_NOT_ALLOWED);
    }
    if policy.require_auth {
        let mut response = answer(StatusCode::PROXY_AUTHENTICATION_REQUIRED);
        response.headers_mut().insert(
            "proxy-authenticate",
            hyper::header::HeaderValue::from_static("Basic realm=\"corp\""),
        );
        return response;
    }
    let host = req.uri().host().unwrap_or_default().to_owned();
    let Some((tls, backend)) = hosts.get(&host).cloned() else {
        // Never out to the internet.
        return answer(StatusCode::FORBIDDEN);
    };
    seen.tunnels.fetch_add(1, Ordering::SeqCst);
    let seen = seen.clone();
    tokio::spawn(async move {
        if let Ok(upgraded) = hyper::upgrade::on(req).await {
            terminate(tls, TokioIo::new(upgraded), backend, &seen).await;
        }
    });
    answer(StatusCode::OK)
}

/// Terminates TLS on `stream` as Microsoft's front doors do, offering `h2` before `http/1.1`
/// by ALPN (a client that offers `h2` gets it), and forwards each request to `backend`.
async fn terminate<S>(tls: Arc<rustls::ServerConfig>, stream: S, backend: SocketAddr, seen: &Seen)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let Ok(client) = acceptor.accept(stream).await else {
        // The client refused our certificate: that is the test's point, nothing to do.
        return;
    };
    let protocol = client.get_ref().1.alpn_protocol().unwrap_or(b"none");
    let protocol = String::from_utf8_lossy(protocol).into_owned();
    seen.protocols.lock().expect("not poisoned").push(protocol);
    let service = hyper::service::service_fn(move |req| forward(req, backend));
    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
        .serve_connection(TokioIo::new(client), service)
        .await;
}

type ForwardError = Box<dyn std::error::Error + Send + Sync>;

/// One request to the HTTP/1.1 backend, translated from HTTP/2 where it came as that: the host
/// from `:authority` into `Host`, and the split `cookie` fields joined (RFC 9113 §8.2.3).
async fn forward(
    mut req: Request<Incoming>,
    backend: SocketAddr,
) -> Result<Response<Incoming>, ForwardError> {
    if let Some(authority) = req.uri().authority() {
        let host = HeaderValue::from_str(authority.as_str())?;
        req.headers_mut().insert(header::HOST, host);
    }
    let cookies: Vec<&str> = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    if cookies.len() > 1 {
        let joined = HeaderValue::from_str(&cookies.join("; "))?;
        req.headers_mut().insert(header::COOKIE, joined);
    }
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    *req.uri_mut() = path.parse()?;
    *req.version_mut() = hyper::Version::HTTP_11;
    let stream = TcpStream::connect(backend).await?;
    let (mut sender, connection) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender.send_request(req).await?)
}

/// A plain TLS front, no proxy: `https://localhost:<port>` with a leaf signed by the test CA,
/// forwarding to a loopback backend. For clients that take no proxy setting (msal-node 7 uses
/// Node's `fetch`, which ignores proxies) but trust an extra CA (`NODE_EXTRA_CA_CERTS`).
pub struct TlsFront {
    listener: Option<TcpListener>,
    url: Url,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TlsFront {
    /// Binds 127.0.0.1 on a free port, so that the backend can be told the front's URL before
    /// it starts; [`TlsFront::serve`] then forwards to it.
    pub async fn bind() -> TlsFront {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("front binds");
        let port = listener.local_addr().expect("front address").port();
        TlsFront {
            listener: Some(listener),
            url: Url::parse(&format!("https://localhost:{port}")).expect("a front URL"),
            task: None,
        }
    }

    /// `https://localhost:<port>`.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Serves TLS for `localhost` with a leaf signed by `ca`, forwarding to `backend`.
    pub fn serve(&mut self, ca: &TestCa, backend: SocketAddr) {
        let Some(listener) = self.listener.take() else {
            return;
        };
        let tls = tls_config(ca, "localhost");
        let seen = Arc::new(Seen::default());
        self.task = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (tls, seen) = (tls.clone(), seen.clone());
                tokio::spawn(async move { terminate(tls, stream, backend, &seen).await });
            }
        }));
    }

    /// A test browser (cookies kept, redirects not followed) that trusts only `ca`.
    pub fn browser(ca: &TestCa) -> reqwest::Client {
        let ca = reqwest::Certificate::from_pem(ca.pem().as_bytes()).expect("the CA as PEM");
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .no_proxy()
            .timeout(std::time::Duration::from_secs(60))
            .tls_certs_only([ca])
            .build()
            .expect("a test browser")
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// The TLS server side for `host`: a leaf signed by the CA, and the ALPN list of
/// login.microsoftonline.com and graph.microsoft.com (`h2`, then `http/1.1`).
fn tls_config(ca: &TestCa, host: &str) -> Arc<rustls::ServerConfig> {
    let (cert, key) = ca.leaf(host);
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("the leaf certificate is usable");
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Arc::new(config)
}
