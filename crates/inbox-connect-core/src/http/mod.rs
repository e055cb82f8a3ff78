//! The one HTTP client of the sign-in service and Graph calls: reqwest over rustls, verifying with
//! the OS trust store (where IT installs the root of a TLS-inspecting proxy), through the proxy
//! the OS or the environment names (`HTTPS_PROXY`, `NO_PROXY`; on Windows and macOS also the
//! system settings) or the one the app's settings name ([`HttpOptions::proxy`]).
//!
//! A failed call becomes a [`NetworkFailure`] that says what happened (a timeout, a cut-off
//! answer, an untrusted certificate and who issued it, an unknown DNS name, a proxy refusal).
//!
//! ```no_run
//! # fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use inbox_connect_core::http::{HttpClient, HttpOptions};
//! use inbox_connect_core::{Connector, Profile, SystemBrowser, Vault};
//! let options = HttpOptions {
//!     proxy: Some("http://proxy.corp.example:8080".parse()?),
//!     ..HttpOptions::default()
//! };
//! let http = HttpClient::new(&options)?;
//! let browser = std::sync::Arc::new(SystemBrowser);
//! let profile = Profile::sandbox();
//! let vault = Vault::os_keychain(&profile.product.identifier);
//! let connector = Connector::with_http(profile, vault, browser.clone(), http.clone());
//! let admin = inbox_connect_core::admin::AdminContext::new(Profile::sandbox(), browser).with_http(http);
//! # Ok(()) }
//! ```

mod failure;
pub(crate) mod oauth;
pub(crate) mod retry;
mod tls;

use std::time::Duration;

use url::Url;

pub use failure::NetworkFailure;

/// How the app reaches the network. `Default` is what the app uses without settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOptions {
    /// An explicit proxy (`http://`, `https://` or `socks5://`, user and password allowed in the
    /// URL) from the app's settings. It replaces the OS and environment proxies; `NO_PROXY` still applies.
    pub proxy: Option<Url>,
    /// How long to wait for a connection to be set up.
    pub connect_timeout: Duration,
    /// How long one request may take, answer included.
    pub answer_timeout: Duration,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            proxy: None,
            connect_timeout: Duration::from_secs(15),
            answer_timeout: Duration::from_secs(60),
        }
    }
}

/// Why an [`HttpClient`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum HttpSetupError {
    /// The proxy URL of the settings is not usable.
    #[error(
        "the proxy {url} cannot be used ({reason}); give an http://, https:// or socks5:// URL"
    )]
    Proxy {
        /// The proxy URL, without its password.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// TLS could not be set up.
    #[error("secure connections cannot be set up: {0}")]
    Tls(#[from] rustls::Error),
    /// reqwest refused the configuration.
    #[error("the HTTP client cannot be set up: {0}")]
    Client(#[from] reqwest::Error),
}

/// The HTTP client, cheap to clone (clones share connections). Build one from the app's settings
/// and hand it to [`crate::Connector::with_http`] and [`crate::admin::AdminContext::with_http`].
#[derive(Clone, Debug)]
pub struct HttpClient {
    client: reqwest::Client,
    options: HttpOptions,
}

impl HttpClient {
    /// A client with these options. No redirects are followed: the token endpoint must answer
    /// itself (oauth2's advice against SSRF).
    pub fn new(options: &HttpOptions) -> Result<HttpClient, HttpSetupError> {
        let mut builder = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config()?)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.answer_timeout);
        if let Some(url) = &options.proxy {
            let bad = |reason: String| HttpSetupError::Proxy {
                url: without_password(url),
                reason,
            };
            if !matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h") {
                return Err(bad(format!("{}:// is not a proxy scheme", url.scheme())));
            }
            let proxy = reqwest::Proxy::all(url.as_str()).map_err(|e| bad(e.to_string()))?;
            builder = builder.proxy(proxy.no_proxy(reqwest::NoProxy::from_env()));
        }
        Ok(HttpClient {
            client: builder.build()?,
            options: options.clone(),
        })
    }

    /// The options it was built with.
    pub fn options(&self) -> &HttpOptions {
        &self.options
    }

    pub(crate) fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        self.client.request(method, url)
    }

    pub(crate) fn get(&self, url: &str) -> reqwest::RequestBuilder {
        self.client.get(url)
    }

    /// What a failed call to `url` means.
    pub(crate) fn failure(&self, url: &str, error: &reqwest::Error) -> NetworkFailure {
        let host = Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        NetworkFailure::of(host, error, &self.options)
    }
}

impl Default for HttpClient {
    /// The app's client without settings.
    ///
    /// # Panics
    /// Never in practice: only a bad proxy URL makes the build fail, and the defaults have none
    /// (the trust store is read at the first handshake, so a missing one is a handshake failure).
    fn default() -> HttpClient {
        HttpClient::new(&HttpOptions::default())
            .unwrap_or_else(|e| panic!("the default HTTP settings are valid: {e}"))
    }
}

fn without_password(url: &Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}
