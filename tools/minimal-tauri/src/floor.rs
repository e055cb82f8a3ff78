//! The `floor` feature: the crates Inbox Connect cannot ship without, each used once, and nothing
//! of the app's own. The design card names tauri, tokio, reqwest, oauth2, serde, keyring, open and
//! tracing; issue #9 adds the OS trust store (rustls-platform-verifier), the OS proxy settings,
//! a rotating log file and one instance; the loopback redirect needs an HTTP server (hyper).
//! Built with it, this app's installer is the size below which no vendor build can go: the
//! vendor build's size over it is what the app's own code and choices cost (scripts/bench
//! --installer). The work runs only when the app is given a URL, so that nothing is optimised
//! away and nothing runs in the plain baseline.

use std::convert::Infallible;
use std::sync::Arc;

use hyper::Response;
use hyper_util::rt::TokioIo;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, HttpRequest, HttpResponse,
    PkceCodeChallenge, TokenUrl,
};
use rustls::crypto::ring;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A second launch hands over to the first (Linux: over D-Bus).
pub fn single_instance<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::init(|_, _, _| {})
}

/// Logs to a daily file, then signs in against `url` as the app does.
pub fn run(url: String) {
    let log = tracing_appender::rolling::daily(std::env::temp_dir(), "minimal-tauri.log");
    tracing_subscriber::fmt().with_writer(log).init();
    tauri::async_runtime::spawn(async move {
        if let Err(e) = sign_in(&url).await {
            tracing::error!("{e}");
        }
    });
}

async fn sign_in(url: &str) -> Result<(), Failure> {
    // HTTPS with the OS trust store, and the OS proxy settings (reqwest's `system-proxy`).
    let provider = Arc::new(ring::default_provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())?;
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()?;
    let discovery: serde_json::Value = http.get(url).send().await?.json().await?;
    tracing::info!(?discovery, "discovered");

    // The sign-in link (PKCE) in the system browser, and its redirect on loopback.
    let client = BasicClient::new(ClientId::new(url.to_owned()))
        .set_auth_uri(AuthUrl::new(url.to_owned())?)
        .set_token_uri(TokenUrl::new(url.to_owned())?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (link, _state) = client
        .authorize_url(CsrfToken::new_random)
        .set_pkce_challenge(challenge)
        .url();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    open::that(link.as_str())?;
    let (stream, _) = listener.accept().await?;
    let answer = hyper::service::service_fn(|request: hyper::Request<hyper::body::Incoming>| {
        let query = request.uri().query().unwrap_or_default().to_owned();
        async move { Ok::<_, Infallible>(Response::new(query)) }
    });
    hyper::server::conn::http1::Builder::new()
        .serve_connection(TokioIo::new(stream), answer)
        .await?;

    // The code for tokens, over the same reqwest.
    let send = |request: HttpRequest| {
        let http = http.clone();
        async move {
            let answer = http.execute(request.try_into()?).await?;
            let status = answer.status();
            let mut response = HttpResponse::new(answer.bytes().await?.to_vec());
            *response.status_mut() = status;
            Ok::<_, reqwest::Error>(response)
        }
    };
    let tokens = client
        .exchange_code(AuthorizationCode::new(url.to_owned()))
        .set_pkce_verifier(verifier)
        .request_async(&send)
        .await?;

    // The refresh token in the OS keychain.
    if let Some(refresh) = oauth2::TokenResponse::refresh_token(&tokens) {
        keyring::Entry::new("minimal-tauri", "floor")?.set_password(refresh.secret())?;
    }
    Ok(())
}
