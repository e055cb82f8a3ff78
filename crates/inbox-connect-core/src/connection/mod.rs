//! The façade the app and the CLI use: connect (interactive sign-in through the system browser and
//! a loopback receiver), restore from the keychain, check, send a test email, disconnect.
//!
//! When Microsoft blocks the connection (see [`crate::blocked`] for which failures do), a sign-in
//! or a check returns a status in the `blocked` state instead of an error; while an admin's
//! approval is awaited, [`Connector::recheck`] looks again without showing anything.
//!
//! Its files: `sign_in.rs` the recruiter's trip through the browser; `restore.rs` the connection
//! at start; `refresh.rs` the access token kept fresh; `persist.rs` and `stored.rs` what the
//! keychain keeps; `approval_wait.rs` blocked and waiting for an admin, `recheck.rs` when it looks
//! again; `session.rs` the state.
//!
//! ```no_run
//! # async fn demo() -> Result<(), inbox_connect_core::ConnectError> {
//! use inbox_connect_core::{Connector, Profile, SystemBrowser, Vault};
//! use std::sync::Arc;
//! let profile = Profile::sandbox();
//! let vault = Vault::os_keychain(&profile.product.identifier);
//! let connector = Connector::new(profile, vault, Arc::new(SystemBrowser));
//! let pending = connector.begin_sign_in(&[], None).await?;
//! println!("sign in at {}", pending.link().url());
//! let status = pending.wait().await?;
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex as SyncMutex};
use std::time::{Duration, Instant};

use oauth2::AccessToken;
use tokio::sync::{Mutex, OnceCell};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::blocked::recheck::RecheckSchedule;
use crate::diagnosis;
use crate::error::ConnectError;
use crate::graph::{CheckRun, Graph, GraphError};
use crate::http::HttpClient;
use crate::profile::{Feature, Profile};
use crate::sign_in::auth::{self, Discovery};
use crate::sign_in::browser::BrowserOpener;
use crate::status::{Check, ConnectionMeta, ConnectionStatus};
use crate::sync::lock;
use crate::vault::{Vault, VaultError};
use crate::words::Language;

mod approval_wait;
mod persist;
mod recheck;
mod refresh;
mod restore;
mod session;
mod sign_in;
mod stored;

pub use approval_wait::Recheck;
use session::Session;
pub use sign_in::{PendingSignIn, SignInCanceller};
pub use stored::{ConnectionEntries, StoredConnection};

/// How long a sign-in waits for the browser by default: long enough for MFA and an admin
/// approval prompt, short enough that a forgotten tab does not hold a port forever.
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(600);

/// Connects one vendor profile's mailbox. Cheap to share: clone it or put it in an `Arc`.
#[derive(Clone)]
pub struct Connector {
    inner: Arc<Inner>,
}

struct Inner {
    profile: Profile,
    vault: Vault,
    browser: Arc<dyn BrowserOpener>,
    http: HttpClient,
    sign_in_timeout: SyncMutex<Duration>,
    discovery: OnceCell<Discovery>,
    session: Mutex<Session>,
    current_sign_in: SyncMutex<Option<CancellationToken>>,
    /// Facts of this computer for the diagnostic report.
    environment: SyncMutex<Vec<String>>,
    /// The window's language: the browser tab's pages and the message to IT speak it.
    language: SyncMutex<Language>,
    /// The browser tabs' result pages still being handed over, after the sign-in's outcome.
    result_pages: TaskTracker,
    /// When to look again whether an admin approved.
    recheck: SyncMutex<RecheckSchedule>,
}

/// What [`Connector::disconnect`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisconnectReport {
    /// Whether a keychain entry existed and was removed.
    pub removed_from_keychain: bool,
    /// Which entry (service and account), so the user can check in their keychain tool.
    pub keychain_entry: String,
    /// What disconnecting does not do (English).
    pub note: String,
    /// Where the user revokes the app's access entirely (My Apps of the profile's cloud), when
    /// the cloud has one; otherwise the IT admin does.
    pub my_apps: Option<&'static str>,
}

impl Connector {
    /// A connector for this profile, keeping its refresh token in `vault` and opening sign-in
    /// links with `browser`; the network as the OS and the environment set it up
    /// ([`HttpClient::default`]).
    pub fn new(profile: Profile, vault: Vault, browser: Arc<dyn BrowserOpener>) -> Connector {
        Connector::with_http(profile, vault, browser, HttpClient::default())
    }

    /// [`Connector::new`] with this HTTP client (the app's proxy setting, say).
    pub fn with_http(
        profile: Profile,
        vault: Vault,
        browser: Arc<dyn BrowserOpener>,
        http: HttpClient,
    ) -> Connector {
        Connector {
            inner: Arc::new(Inner {
                profile,
                vault,
                browser,
                http,
                sign_in_timeout: SyncMutex::new(DEFAULT_SIGN_IN_TIMEOUT),
                discovery: OnceCell::new(),
                session: Mutex::new(Session::default()),
                current_sign_in: SyncMutex::new(None),
                environment: SyncMutex::new(Vec::new()),
                language: SyncMutex::new(Language::default()),
                result_pages: TaskTracker::new(),
                recheck: SyncMutex::new(RecheckSchedule::new(Instant::now())),
            }),
        }
    }

    /// What the app knows of this computer for the diagnostic report (the settings in force and
    /// their files, the log folder), one fact a line.
    pub fn set_environment(&self, lines: Vec<String>) {
        *lock(&self.inner.environment) = lines;
    }

    /// Speaks `language` from now on: the browser tab's pages, and the message to IT (a blocked
    /// connection's is written again in it).
    pub async fn set_language(&self, language: Language) {
        *lock(&self.inner.language) = language;
        self.reword_blocked().await;
    }

    pub(crate) fn language(&self) -> Language {
        *lock(&self.inner.language)
    }

    /// Changes how long a sign-in waits for the browser.
    pub fn set_sign_in_timeout(&self, timeout: Duration) {
        *lock(&self.inner.sign_in_timeout) = timeout;
    }

    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// The status as known now, without any network call.
    pub async fn status(&self) -> ConnectionStatus {
        let session = self.inner.session.lock().await;
        self.status_of(&session)
    }

    /// Re-runs the Graph checks (refreshing the access token first when needed).
    pub async fn check(&self) -> Result<ConnectionStatus, ConnectError> {
        let mut session = self.inner.session.lock().await;
        let token = self.access_token_locked(&mut session).await?;
        let run = match self.run_checks(&token, session.meta()).await {
            // The access token was revoked or expired early: refresh once and retry.
            Err(ConnectError::Graph(GraphError::Api(f))) if f.status == 401 => {
                if let Some(held) = session.held.as_mut() {
                    held.access = None;
                }
                let token = self.access_token_locked(&mut session).await?;
                self.run_checks(&token, session.meta()).await?
            }
            other => other?,
        };
        self.record_checks(&mut session, run);
        self.persist_locked(&mut session).await?;
        Ok(self.status_of(&session))
    }

    /// Keeps the checks, and blocks the connection when a failure has a blocking cause (a mailbox
    /// that is not in Exchange Online); a wait for approval stays.
    fn record_checks(&self, session: &mut Session, run: CheckRun) {
        let known = self.known_facts(session, None);
        let found = run
            .failures
            .iter()
            .map(|f| diagnosis::diagnose_graph(f, known.clone()))
            .find(|d| d.cause.blocks());
        let waiting = session.waiting();
        if let Some(held) = session.held.as_mut() {
            held.meta.checks = run.checks;
            if let (Some(org), Some(name)) =
                (held.meta.organization.as_mut(), run.organization_name)
            {
                org.name = Some(name);
            }
        }
        if let Some(diagnosis) = found {
            let features = session.wanted_features(&self.inner.profile);
            let pending = session.blocked.take().and_then(|b| b.pending_approval);
            session.blocked = Some(self.blocked_for(diagnosis, &features, pending));
        } else if !waiting {
            session.blocked = None;
        }
    }

    /// Sends a test email to the connected mailbox's own address (Graph's `mail`) and looks for
    /// it in Sent Items.
    pub async fn send_test_email(&self) -> Result<Check, ConnectError> {
        let mut session = self.inner.session.lock().await;
        let token = self.access_token_locked(&mut session).await?;
        let graph = self
            .graph()?
            .ok_or(ConnectError::Graph(GraphError::NotConfigured))?;
        let check = graph
            .send_test_email(&token, &self.inner.profile.app_name)
            .await?;
        if let Some(held) = session.held.as_mut() {
            held.meta.checks.retain(|c| c.name != check.name);
            held.meta.checks.push(check.clone());
        }
        self.persist_locked(&mut session).await?;
        Ok(check)
    }

    /// Forgets the connection: removes the keychain entry and the tokens in memory.
    pub async fn disconnect(&self) -> Result<DisconnectReport, ConnectError> {
        self.cancel_sign_in();
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let entry = vault.describe(&account);
        let removed = blocking(move || {
            vault.remove_pending(&account)?;
            vault.remove_connection(&account)
        })
        .await?;
        *self.inner.session.lock().await = Session::default();
        Ok(DisconnectReport {
            removed_from_keychain: removed,
            keychain_entry: entry,
            note: crate::blocked::revoke_note(&self.inner.profile),
            my_apps: self.inner.profile.links_cloud().my_apps(),
        })
    }

    async fn discovery(&self) -> Result<&Discovery, ConnectError> {
        let authority = self.inner.profile.endpoints()?.authority.clone();
        self.inner
            .discovery
            .get_or_try_init(|| auth::discover(&self.inner.http, &authority))
            .await
    }

    fn graph(&self) -> Result<Option<Graph>, ConnectError> {
        let graph = self.inner.profile.endpoints()?.graph.clone();
        Ok(graph.map(|base| Graph::new(self.inner.http.clone(), base)))
    }

    async fn run_checks(
        &self,
        token: &AccessToken,
        meta: Option<&ConnectionMeta>,
    ) -> Result<CheckRun, ConnectError> {
        let Some(graph) = self.graph()? else {
            return Ok(CheckRun::default());
        };
        let features = meta.map(|m| m.features.as_slice()).unwrap_or_default();
        Ok(graph.run_checks(token, features).await?)
    }

    /// The profile's scope names for these features.
    fn requested_scopes(&self, features: &[Feature]) -> Result<Vec<String>, ConnectError> {
        Ok(self
            .inner
            .profile
            .scopes_for(features)?
            .into_iter()
            .map(|s| s.scope)
            .collect())
    }

    /// Scope names as sent to the authority (qualified with the Graph resource where needed).
    fn wire_scopes(&self, scopes: &[String]) -> Vec<String> {
        scopes
            .iter()
            .map(|s| self.inner.profile.wire_scope(s))
            .collect()
    }

    fn status_of(&self, session: &Session) -> ConnectionStatus {
        session.status(&self.inner.profile)
    }
}
/// Runs a blocking keychain call off the async runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, VaultError> + Send + 'static,
) -> Result<T, ConnectError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ConnectError::from),
        Err(e) => Err(ConnectError::Vault(VaultError::Failed(e.to_string()))),
    }
}

#[cfg(test)]
mod tests;
