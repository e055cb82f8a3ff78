//! entra-sandbox: a local simulator of the Microsoft Entra ID v2.0 endpoints and a Microsoft Graph
//! v1.0 subset, built from `docs/entra-reference.md` (cited as "docs/entra-reference.md §N").
//!
//! Start it in-process with [`start`] and a [`SandboxConfig`]; the binary `entra-sandbox` does the
//! same from the command line. sandbox/README.md documents URLs, seed values and page forms.

#![warn(missing_docs)]

pub mod aadsts;
pub mod clock;
pub mod conditional_access;
pub mod consent;
pub mod context;
pub mod directory;
pub mod endpoints;
pub mod error;
pub mod graph;
pub mod jwt;
pub mod ledger;
pub mod pages;
pub mod params;
pub mod random;
pub mod redirect;
pub mod scopes;
pub mod seed;
pub mod server;
pub mod state;
pub mod tokens;

mod control;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use url::Url;

pub use control::SandboxControl;
pub use error::SandboxError;
pub use seed::Seed;
pub use state::{ConsentRequest, ConsentType, Grant, RequestStatus, UserConsentRequest};

use clock::Clock;
use context::Sandbox;
use jwt::Signer;
use state::Store;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Tenants, users and apps.
    pub seed: Seed,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Origin written into URLs and issuers instead of `http://127.0.0.1:<port>`.
    pub public_url: Option<Url>,
    /// Where grants, refresh-token hashes and the signing key persist (memory only when None).
    pub state_file: Option<PathBuf>,
    /// A file that receives every secret issued or received, one per line: a test aid for
    /// proving a client never writes them to logs or files (see [`ledger`]).
    pub secrets_ledger: Option<PathBuf>,
}

impl SandboxConfig {
    /// The bundled default seed on a free port, state in memory.
    pub fn with_default_seed() -> Self {
        Self {
            seed: Seed::default_seed(),
            port: 0,
            public_url: None,
            state_file: None,
            secrets_ledger: None,
        }
    }
}

/// A sandbox serving on loopback.
#[derive(Debug)]
pub struct RunningSandbox {
    sandbox: Arc<Sandbox>,
    /// The address actually bound (the base URL may be a public URL in front of it).
    local_addr: SocketAddr,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Starts the sandbox: binds 127.0.0.1, then serves until [`RunningSandbox::shutdown`].
pub async fn start(config: SandboxConfig) -> Result<RunningSandbox, SandboxError> {
    let store = Store::open(config.state_file)?;
    let ledger = ledger::SecretLedger::open(config.secrets_ledger.as_deref())?;
    // With a state file the key persists too, so tokens issued before a restart still verify.
    let signer = match store.signing_key_pem() {
        Some(pem) => Signer::from_pem(&pem)?,
        None => {
            let signer = Signer::generate()?;
            if store.has_file() {
                store.set_signing_key_pem(signer.to_pem()?);
            }
            signer
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| SandboxError::Bind {
            port: config.port,
            source,
        })?;
    let local = listener.local_addr().map_err(|source| SandboxError::Bind {
        port: config.port,
        source,
    })?;
    let base_url = match config.public_url {
        Some(url) => url,
        None => Url::parse(&format!("http://{local}"))
            .map_err(|e| SandboxError::Seed(format!("bad listen address: {e}")))?,
    };
    let sandbox = Arc::new(Sandbox {
        seed: config.seed,
        store,
        clock: Clock::default(),
        signer,
        base_url,
        requests: std::sync::atomic::AtomicU64::new(0),
        ledger,
    });
    let app = server::router(sandbox.clone());
    let (shutdown, stop) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!("entra-sandbox server stopped: {e}");
        }
    });
    Ok(RunningSandbox {
        sandbox,
        local_addr: local,
        shutdown,
        task,
    })
}

impl RunningSandbox {
    /// `http://127.0.0.1:<port>` (or the public URL).
    pub fn base_url(&self) -> &Url {
        &self.sandbox.base_url
    }

    /// The address the listener is bound to on 127.0.0.1 (with `--public-url`, what the proxy in
    /// front must forward to).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `{base}/graph/v1.0`.
    pub fn graph_url(&self) -> Url {
        self.join(&format!("{}/graph/v1.0", self.sandbox.base()))
    }

    /// `{base}/{tenant}/v2.0`: the authority; discovery is under `/.well-known/openid-configuration`.
    pub fn authority(&self, tenant: &str) -> Url {
        self.join(&format!("{}/{tenant}/v2.0", self.sandbox.base()))
    }

    /// The vendor's page where the admin-consent link for IT lands after the grant, as the
    /// default seed registers it for the vendor app (`http://localhost/vendor/admin-consent`,
    /// Web; the port is ignored for localhost, docs/entra-reference.md §2): on this listener's port.
    pub fn admin_consent_page(&self) -> Url {
        self.join(&format!(
            "http://localhost:{}{}",
            self.local_addr.port(),
            pages::vendor::PATH
        ))
    }

    fn join(&self, url: &str) -> Url {
        Url::parse(url).unwrap_or_else(|_| self.sandbox.base_url.clone())
    }

    /// Test hooks: clock, revocation, grants, mailboxes.
    pub fn control(&self) -> SandboxControl {
        SandboxControl::new(self.sandbox.clone())
    }

    /// Stops serving and waits for in-flight requests.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}
