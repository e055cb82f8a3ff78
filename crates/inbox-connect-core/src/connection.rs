//! The façade the app and the CLI use: connect (interactive sign-in through the system browser and
//! a loopback receiver), restore from the keychain, check, send a test email, disconnect.
//!
//! When Microsoft blocks the connection (see [`crate::blocked`] for which failures do), a sign-in
//! or a check returns a status in the `blocked` state instead of an error; while an admin's
//! approval is awaited, [`Connector::recheck`] looks again without showing anything.
//!
//! ```no_run
//! # async fn demo() -> Result<(), inbox_connect_core::ConnectError> {
//! use inbox_connect_core::{Connector, Profile, SystemBrowser, Vault};
//! use std::sync::Arc;
//! let connector = Connector::new(Profile::sandbox(), Vault::os_keychain(), Arc::new(SystemBrowser));
//! let pending = connector.begin_sign_in(&[], None).await?;
//! println!("sign in at {}", pending.link().url());
//! let status = pending.wait().await?;
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex as SyncMutex};
use std::time::Duration;

use oauth2::{AccessToken, RefreshToken};
use time::OffsetDateTime;
use tokio::sync::{Mutex, OnceCell};
use tokio_util::sync::CancellationToken;

use crate::admin_consent::AdminLinkError;
use crate::auth::{self, Discovery, Hints, Tokens};
use crate::blocked::{self, AdminLink, Blocked, PendingApproval};
use crate::browser::{BrowserOpener, OpenedLink};
use crate::diagnosis::{self, Diagnosis, Facts};
use crate::error::ConnectError;
use crate::graph::{CheckRun, Graph, GraphError};
use crate::http::HttpClient;
use crate::loopback::{Callback, LoopbackReceiver, ResultPage};
use crate::profile::{Feature, Profile};
use crate::status::{
    self, Check, ConnectionMeta, ConnectionState, ConnectionStatus, StatusWarning,
};
use crate::vault::{Vault, VaultError};

mod persist;

/// How long a sign-in waits for the browser by default: long enough for MFA and an admin
/// approval prompt, short enough that a forgotten tab does not hold a port forever.
pub const DEFAULT_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(600);

/// How long a re-check waits: with `prompt=none` the browser comes straight back.
const RECHECK_TIMEOUT: Duration = Duration::from_secs(120);

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
}

/// What is known in memory. Access tokens live only here.
#[derive(Default)]
struct Session {
    state: Option<ConnectionState>,
    reason: Option<String>,
    meta: Option<ConnectionMeta>,
    access: Option<(AccessToken, OffsetDateTime)>,
    refresh: Option<RefreshToken>,
    /// Set while Microsoft blocks the connection.
    blocked: Option<Blocked>,
    /// The last sign-in started, for a re-check after a block.
    attempt: Option<Attempt>,
    /// A rotated refresh token the keychain refused to keep.
    warning: Option<StatusWarning>,
}

/// Who a sign-in was for.
#[derive(Clone)]
struct Attempt {
    account: Option<String>,
    features: Vec<Feature>,
}

/// What [`Connector::disconnect`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DisconnectReport {
    /// Whether a keychain entry existed and was removed.
    pub removed_from_keychain: bool,
    /// Which entry (service and account), so the user can check in their keychain tool.
    pub keychain_entry: String,
    /// What disconnecting does not do.
    pub note: String,
}

/// A sign-in in progress: the link to open, and the wait for the browser's answer.
pub struct PendingSignIn {
    connector: Connector,
    link: OpenedLink,
    receiver: LoopbackReceiver,
    cancel: CancellationToken,
    timeout: Duration,
    verifier: oauth2::PkceCodeVerifier,
    ctx: SignInContext,
}

struct SignInContext {
    features: Vec<Feature>,
    requested: Vec<String>,
    nonce: String,
    redirect_uri: String,
    /// The `login_hint` sent, if any.
    account: Option<String>,
    /// A re-check (`prompt=none`).
    silent: bool,
}

/// Cancels a sign-in from anywhere (a Cancel button); cloneable.
#[derive(Clone)]
pub struct SignInCanceller(pub(crate) CancellationToken);

impl SignInCanceller {
    /// Cancels the sign-in: its `wait` returns [`ConnectError::SignInCancelled`].
    pub fn cancel(&self) {
        self.0.cancel();
    }
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
            }),
        }
    }

    /// What the app knows of this computer for the diagnostic report (the settings in force and
    /// their files, the log folder), one fact a line.
    pub fn set_environment(&self, lines: Vec<String>) {
        *lock(&self.inner.environment) = lines;
    }

    /// Changes how long a sign-in waits for the browser.
    pub fn set_sign_in_timeout(&self, timeout: Duration) {
        *lock(&self.inner.sign_in_timeout) = timeout;
    }

    /// The profile in use.
    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// Starts an interactive sign-in for these features (empty: the profile's defaults): starts
    /// the loopback receiver, builds the link and opens it in the browser. A sign-in already in
    /// progress is cancelled (two Connect clicks in a row). Without a `login_hint`, the account
    /// of the current connection (if any) is hinted, as for a reconnect.
    pub async fn begin_sign_in(
        &self,
        features: &[Feature],
        login_hint: Option<&str>,
    ) -> Result<PendingSignIn, ConnectError> {
        let hints = Hints {
            login_hint,
            ..Hints::default()
        };
        self.begin(features, hints).await
    }

    async fn begin(
        &self,
        features: &[Feature],
        hints: Hints<'_>,
    ) -> Result<PendingSignIn, ConnectError> {
        let inner = &self.inner;
        let features = if features.is_empty() {
            inner.profile.default_features()
        } else {
            features.to_vec()
        };
        let requested: Vec<String> = inner
            .profile
            .scopes_for(&features)?
            .into_iter()
            .map(|s| s.scope)
            .collect();
        let discovery = self.discovery().await?;
        let login_hint = {
            let mut session = self.inner.session.lock().await;
            let hint = hints.login_hint.map(str::to_owned).or_else(|| {
                session
                    .meta
                    .as_ref()
                    .and_then(|m| m.account.username.clone())
            });
            session.attempt = Some(Attempt {
                account: hint.clone(),
                features: features.clone(),
            });
            hint
        };
        // The organization IT deployed goes to Microsoft when no account is named.
        let domain_hint = match (hints.domain_hint, &login_hint) {
            (None, None) => inner.profile.domain_hint.as_deref(),
            (hint, _) => hint,
        };
        let hints = Hints {
            login_hint: login_hint.as_deref(),
            domain_hint,
            ..hints
        };

        let cancel = CancellationToken::new();
        if let Some(previous) = lock(&inner.current_sign_in).replace(cancel.clone()) {
            previous.cancel();
        }
        let state = oauth2::CsrfToken::new_random();
        let receiver = LoopbackReceiver::start(
            &inner.profile.redirect_path,
            state.clone(),
            cancel.child_token(),
        )
        .await
        .map_err(|e| ConnectError::Loopback(e.to_string()))?;
        // MSAL's OpenID defaults on every sign-in too, so a refresh never asks beyond the grant.
        let wire_scopes = discovery.with_oidc_defaults(
            &requested
                .iter()
                .map(|s| inner.profile.wire_scope(s))
                .collect::<Vec<_>>(),
        );
        let request = auth::authorize_request(
            discovery,
            &inner.profile.client_id,
            receiver.redirect_uri(),
            state,
            &wire_scopes,
            hints,
        )?;
        let link = OpenedLink::open(inner.browser.as_ref(), request.url);
        let timeout = *lock(&inner.sign_in_timeout);
        let timeout = if hints.silent {
            timeout.min(RECHECK_TIMEOUT)
        } else {
            timeout
        };
        // Ids and codes never go to the log; where the answer is awaited does.
        tracing::info!(redirect_uri = %request.redirect_uri, silent = hints.silent, "sign-in started");
        Ok(PendingSignIn {
            connector: self.clone(),
            link,
            receiver,
            cancel,
            timeout,
            verifier: request.verifier,
            ctx: SignInContext {
                features,
                requested,
                nonce: request.nonce,
                redirect_uri: request.redirect_uri,
                account: login_hint.clone(),
                silent: hints.silent,
            },
        })
    }

    /// Looks again whether Microsoft lets the blocked account connect now (an admin approved):
    /// a sign-in with `prompt=none` (never `consent`: it re-asks users even after admin consent,
    /// ref §3.3), `login_hint` and `domain_hint`, through the browser and the loopback receiver.
    /// When the approval is there, the redirect carries a code and the status is `connected`
    /// (the pending approval is forgotten); while it is not, Entra answers `consent_required`,
    /// `interaction_required` or `login_required` and the status stays `blocked`.
    ///
    /// It goes through the system browser because only the browser holds the user's Entra
    /// session cookie: a hidden webview has no session, so Entra would always answer
    /// `login_required` there. [`crate::RecheckSchedule`] says when to call this.
    ///
    /// Who is re-checked: the pending approval's account, else the blocked sign-in's, else the
    /// last sign-in's, else the connected account (and the organization likewise); knowing
    /// neither account nor organization, [`ConnectError::NotConnected`].
    pub async fn recheck(&self) -> Result<ConnectionStatus, ConnectError> {
        self.begin_recheck().await?.wait().await
    }

    /// Starts [`Connector::recheck`]'s silent sign-in and returns it, for a caller that shows the
    /// link or cancels it.
    pub async fn begin_recheck(&self) -> Result<PendingSignIn, ConnectError> {
        let (features, account, tenant) = {
            let session = self.inner.session.lock().await;
            let pending = session
                .blocked
                .as_ref()
                .and_then(|b| b.pending_approval.as_ref());
            let facts = session.blocked.as_ref().map(|b| &b.diagnosis.facts);
            let meta = session.meta.as_ref();
            let account = pending
                .and_then(|p| p.account.clone())
                .or_else(|| facts.and_then(|f| f.account.clone()))
                .or_else(|| session.attempt.as_ref().and_then(|a| a.account.clone()))
                .or_else(|| meta.and_then(|m| m.account.username.clone()));
            let tenant = pending
                .and_then(|p| p.tenant.clone())
                .or_else(|| facts.and_then(|f| f.tenant.clone()))
                .or_else(|| {
                    blocked::tenant_of(
                        meta.and_then(|m| m.organization.as_ref())
                            .map(|o| o.tenant_id.as_str()),
                        account.as_deref(),
                    )
                });
            (self.wanted_features(&session), account, tenant)
        };
        if account.is_none() && tenant.is_none() {
            return Err(ConnectError::NotConnected);
        }
        let hints = Hints {
            login_hint: account.as_deref(),
            domain_hint: tenant.as_deref(),
            silent: true,
        };
        self.begin(&features, hints).await
    }

    /// The admin-consent link for the organization the user typed (a domain, an email address or
    /// a tenant id; never `common`), for the features the blocked sign-in asked for, with the
    /// message to IT. A blocked status shows it from then on.
    pub async fn admin_consent_link(
        &self,
        tenant_input: &str,
    ) -> Result<AdminLink, AdminLinkError> {
        let mut session = self.inner.session.lock().await;
        let features = self.wanted_features(&session);
        let link = blocked::admin_link(
            &self.inner.profile,
            tenant_input,
            &features,
            session.blocked.as_ref().map(|b| &b.diagnosis),
        )?;
        let Some(b) = session.blocked.as_mut() else {
            return Ok(link);
        };
        b.admin_consent = Some(link.clone());
        b.needs_tenant = false;
        // A typed email is also the account: the re-check can then look without a sign-in page.
        let typed_account = Some(tenant_input.trim())
            .filter(|t| t.contains('@'))
            .map(str::to_owned);
        if b.diagnosis.facts.account.is_none() {
            b.diagnosis.facts.account.clone_from(&typed_account);
        }
        // A wait that did not know its organization keeps the one typed: the re-check's
        // `domain_hint`, and the link again after a restart.
        if let Some(p) = b.pending_approval.as_mut().filter(|p| p.tenant.is_none()) {
            p.tenant = Some(link.tenant.clone());
            p.facts.tenant = Some(link.tenant.clone());
            if p.account.is_none() {
                p.account.clone_from(&typed_account);
                p.facts.account.clone_from(&typed_account);
            }
            // Best effort: the link is what the user asked for.
            if let Err(e) = self.save_pending(p).await {
                tracing::warn!("could not keep the organization typed: {e}");
            }
        }
        Ok(link)
    }

    /// Explains the text of an error page Microsoft showed in the browser (such pages never come
    /// back to the app) and keeps the result as the `blocked` status, as if the sign-in had
    /// returned it: the admin screens and a re-read of the status then know the organization.
    /// `account` is the work email the user typed, if any; its domain names the organization.
    pub async fn explain_error_page(&self, text: &str, account: Option<&str>) -> ConnectionStatus {
        let account = account.map(str::trim).filter(|a| !a.is_empty());
        let known = Facts {
            tenant: blocked::tenant_of(None, account),
            account: account.map(str::to_owned),
            ..Facts::default()
        };
        let diagnosis = diagnosis::diagnose_with(text, known);
        let mut session = self.inner.session.lock().await;
        let features = self.wanted_features(&session);
        // A pending approval stays: the page may be about another attempt of the same wait.
        let pending = session.blocked.take().and_then(|b| b.pending_approval);
        session.blocked = Some(self.blocked_for(diagnosis, &features, pending));
        self.status_of(&session)
    }

    /// Adds features to the connection (incremental consent): a new interactive sign-in for the
    /// union of the connected features and these, hinting the connected account.
    pub async fn add_features(&self, features: &[Feature]) -> Result<PendingSignIn, ConnectError> {
        let (mut all, hint) = {
            let session = self.inner.session.lock().await;
            match &session.meta {
                Some(meta) => (meta.features.clone(), meta.account.username.clone()),
                None => (Vec::new(), None),
            }
        };
        for f in features {
            if !all.contains(f) {
                all.push(*f);
            }
        }
        self.begin_sign_in(&all, hint.as_deref()).await
    }

    /// Cancels the sign-in in progress, if any.
    pub fn cancel_sign_in(&self) {
        if let Some(token) = lock(&self.inner.current_sign_in).take() {
            token.cancel();
        }
    }

    /// Restores the connection stored in the keychain with one refresh round trip. A rejected
    /// refresh token gives a `needs_reconnect` status (and keeps the entry); a network failure is
    /// an error and keeps the entry too.
    ///
    /// A pending approval kept in the keychain gives a `blocked` status with `pending_approval`
    /// set (with or without a stored connection); a refresh token rejected for a blocking cause
    /// (a Conditional Access policy, say) gives `blocked` too.
    pub async fn restore(&self) -> Result<ConnectionStatus, ConnectError> {
        let pending = self.pending_load().await?;
        let stored = self.vault_load().await?;
        let waiting =
            pending.map(|p| self.blocked_for(p.diagnosis(), &p.features.clone(), Some(p)));
        let Some(stored) = stored else {
            *self.inner.session.lock().await = Session {
                blocked: waiting,
                ..Session::default()
            };
            return Ok(self.status().await);
        };
        let mut session = self.inner.session.lock().await;
        session.meta = Some(stored.meta);
        session.refresh = Some(stored.refresh_token);
        session.access = None;
        session.blocked = waiting;
        match self.refresh_locked(&mut session).await {
            Ok(()) => {}
            Err(ConnectError::NeedsReconnect(fields)) => {
                tracing::info!(error = %fields.error, codes = ?fields.error_codes, "stored connection rejected");
                session.state = Some(ConnectionState::NeedsReconnect);
                session.reason = Some(fields.summary());
                let diagnosis =
                    diagnosis::diagnose_oauth(&fields, self.known_facts(&session, None));
                if diagnosis.cause.blocks() && session.blocked.is_none() {
                    let features = self.wanted_features(&session);
                    session.blocked = Some(self.blocked_for(diagnosis, &features, None));
                }
            }
            Err(e) => return Err(e),
        }
        Ok(self.status_of(&session))
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
        let run = match self.run_checks(&token, session.meta.as_ref()).await {
            // The access token was revoked or expired early: refresh once and retry.
            Err(ConnectError::Graph(GraphError::Api(f))) if f.status == 401 => {
                session.access = None;
                let token = self.access_token_locked(&mut session).await?;
                self.run_checks(&token, session.meta.as_ref()).await?
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
        let waiting = session
            .blocked
            .as_ref()
            .is_some_and(|b| b.pending_approval.is_some());
        if let Some(meta) = session.meta.as_mut() {
            meta.checks = run.checks;
        }
        if let Some(diagnosis) = found {
            let features = self.wanted_features(session);
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
        if let Some(meta) = session.meta.as_mut() {
            meta.checks.retain(|c| c.name != check.name);
            meta.checks.push(check.clone());
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
            vault.remove(&account)
        })
        .await?;
        *self.inner.session.lock().await = Session::default();
        Ok(DisconnectReport {
            removed_from_keychain: removed,
            keychain_entry: entry,
            note: crate::blocked::revoke_note(&self.inner.profile),
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
        let calendar = meta.is_some_and(|m| m.features.contains(&Feature::Calendar));
        Ok(graph.run_checks(token, calendar).await?)
    }

    async fn save_pending(&self, pending: &PendingApproval) -> Result<(), ConnectError> {
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let pending = pending.clone();
        blocking(move || vault.save_pending(&account, &pending)).await
    }

    /// The pending approval in the keychain; an unreadable one is dropped (it is only a hint).
    async fn pending_load(&self) -> Result<Option<PendingApproval>, ConnectError> {
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        match blocking(move || vault.load_pending(&account)).await {
            Err(ConnectError::Vault(VaultError::Corrupt(e))) => {
                tracing::warn!("ignoring an unreadable pending approval: {e}");
                Ok(None)
            }
            other => other,
        }
    }

    /// The features a blocked connection is about: the pending approval's, else the last
    /// sign-in's, else the connected ones, else the profile's defaults.
    fn wanted_features(&self, session: &Session) -> Vec<Feature> {
        let pending = session
            .blocked
            .as_ref()
            .and_then(|b| b.pending_approval.as_ref())
            .map(|p| p.features.clone());
        pending
            .or_else(|| session.attempt.as_ref().map(|a| a.features.clone()))
            .or_else(|| session.meta.as_ref().map(|m| m.features.clone()))
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| self.inner.profile.default_features())
    }

    /// What the app knows of the account and its organization, for a diagnosis's facts.
    fn known_facts(&self, session: &Session, account: Option<&str>) -> Facts {
        let meta = session.meta.as_ref();
        let account = account
            .map(str::to_owned)
            .or_else(|| meta.and_then(|m| m.account.username.clone()));
        let tenant_id = meta
            .and_then(|m| m.organization.as_ref())
            .map(|o| o.tenant_id.as_str());
        Facts {
            tenant: blocked::tenant_of(tenant_id, account.as_deref()),
            account,
            ..Facts::default()
        }
    }

    fn blocked_for(
        &self,
        diagnosis: Diagnosis,
        features: &[Feature],
        pending: Option<PendingApproval>,
    ) -> Blocked {
        let environment = lock(&self.inner.environment).clone();
        blocked::blocked(
            &self.inner.profile,
            features,
            diagnosis,
            pending,
            &environment,
        )
    }

    /// Turns a refusal of the sign-in service into the `blocked` state when its cause blocks;
    /// anything else stays the error it was.
    async fn refused(
        &self,
        error: ConnectError,
        ctx: &SignInContext,
    ) -> Result<ConnectionStatus, ConnectError> {
        let fields = match &error {
            ConnectError::Authorization(f)
            | ConnectError::TokenRejected(f)
            | ConnectError::NeedsReconnect(f) => f,
            _ => return Err(error),
        };
        let mut session = self.inner.session.lock().await;
        let fresh =
            diagnosis::diagnose_oauth(fields, self.known_facts(&session, ctx.account.as_deref()));
        let pending = session
            .blocked
            .as_ref()
            .and_then(|b| b.pending_approval.clone());
        let diagnosis = match &pending {
            // To a re-check, consent_required / interaction_required / login_required only say
            // "not yet": the wait's own cause stays, with this attempt's facts.
            Some(p)
                if ctx.silent && (!fresh.cause.blocks() || fresh.cause.awaits_admin_consent()) =>
            {
                Diagnosis::of(p.cause, p.detail.clone(), fresh.facts)
            }
            _ if fresh.cause.blocks() => fresh,
            _ => return Err(error),
        };
        let pending = match pending {
            Some(p) => Some(p),
            None if diagnosis.cause.awaits_admin_consent() => {
                let p = PendingApproval::start(&diagnosis, &ctx.features);
                self.save_pending(&p).await?;
                Some(p)
            }
            None => None,
        };
        tracing::info!(
            cause = diagnosis.cause.id(),
            waiting = pending.is_some(),
            "sign-in blocked"
        );
        session.blocked = Some(self.blocked_for(diagnosis, &ctx.features, pending));
        Ok(self.status_of(&session))
    }

    /// A valid access token, refreshing when it is missing or about to expire.
    async fn access_token_locked(
        &self,
        session: &mut Session,
    ) -> Result<AccessToken, ConnectError> {
        if session.meta.is_none() {
            return Err(ConnectError::NotConnected);
        }
        if let Some((token, expires_at)) = &session.access {
            if *expires_at - time::Duration::minutes(5) > OffsetDateTime::now_utc() {
                return Ok(token.clone());
            }
        }
        if let Err(e) = self.refresh_locked(session).await {
            if let ConnectError::NeedsReconnect(fields) = &e {
                session.state = Some(ConnectionState::NeedsReconnect);
                session.reason = Some(fields.summary());
                session.access = None;
            }
            return Err(e);
        }
        session
            .access
            .as_ref()
            .map(|(t, _)| t.clone())
            .ok_or(ConnectError::NotConnected)
    }

    /// Redeems the refresh token. Rotation: the new refresh token is saved before the old one is
    /// dropped. Only a classified rejection gives `NeedsReconnect`; nothing is ever wiped here.
    async fn refresh_locked(&self, session: &mut Session) -> Result<(), ConnectError> {
        let refresh = session.refresh.clone().ok_or(ConnectError::NotConnected)?;
        let meta = session.meta.clone().ok_or(ConnectError::NotConnected)?;
        let discovery = self.discovery().await?;
        let wire: Vec<String> = if meta.token_scopes.is_empty() {
            meta.requested_scopes
                .iter()
                .map(|s| self.inner.profile.wire_scope(s))
                .collect()
        } else {
            meta.token_scopes.clone()
        };
        // Nothing of the session changes before this returns: a rejected answer (another
        // account, say) leaves the stored connection as it was.
        let tokens = auth::refresh(
            &self.inner.http,
            discovery,
            &self.inner.profile.client_id,
            &refresh,
            &wire,
            &meta,
        )
        .await?;
        let mut meta = meta;
        if let Some(scopes) = &tokens.scopes {
            meta.token_scopes = scopes.clone();
            meta.granted_scopes = status::granted_scopes(
                &self.inner.profile,
                &meta.requested_scopes,
                tokens.scopes.as_deref(),
                true,
                true,
            );
        }
        session.meta = Some(meta);
        if let Some(new_refresh) = tokens.refresh.clone() {
            session.refresh = Some(new_refresh);
            self.persist_rotation(session).await;
        }
        session.access = Some((tokens.access, tokens.expires_at));
        session.state = Some(ConnectionState::Connected);
        session.reason = None;
        Ok(())
    }

    fn status_of(&self, session: &Session) -> ConnectionStatus {
        let blocked = session.blocked.clone();
        let Some(meta) = &session.meta else {
            return match blocked {
                Some(blocked) => ConnectionStatus {
                    state: ConnectionState::Blocked,
                    features: self.wanted_features(session),
                    blocked: Some(blocked),
                    ..ConnectionStatus::disconnected()
                },
                None => ConnectionStatus::disconnected(),
            };
        };
        let state = match blocked {
            Some(_) => ConnectionState::Blocked,
            None => session.state.unwrap_or(ConnectionState::Connected),
        };
        ConnectionStatus {
            state,
            blocked,
            reason: session.reason.clone(),
            account: Some(meta.account.clone()),
            organization: meta.organization.clone(),
            features: meta.features.clone(),
            permissions: status::permissions(&self.inner.profile, meta),
            checks: meta.checks.clone(),
            access_token_expires_at: session.access.as_ref().map(|(_, at)| *at),
            warning: session.warning.clone(),
        }
    }

    /// Finishes a sign-in once the browser brought a code back.
    async fn complete_sign_in(
        &self,
        code: oauth2::AuthorizationCode,
        verifier: oauth2::PkceCodeVerifier,
        ctx: &SignInContext,
    ) -> Result<ConnectionStatus, ConnectError> {
        let discovery = self.discovery().await?;
        let client_id = &self.inner.profile.client_id;
        let tokens: Tokens = auth::redeem_code(
            &self.inner.http,
            discovery,
            client_id,
            &ctx.redirect_uri,
            code,
            verifier,
        )
        .await?;
        let claims = auth::sign_in_claims(&tokens, discovery, client_id, &ctx.nonce)?;
        let granted = status::granted_scopes(
            &self.inner.profile,
            &ctx.requested,
            tokens.scopes.as_deref(),
            tokens.refresh.is_some(),
            true,
        );
        let mut meta = ConnectionMeta {
            account: claims.account(),
            organization: claims.organization(),
            features: ctx.features.clone(),
            requested_scopes: ctx.requested.clone(),
            granted_scopes: granted,
            token_scopes: tokens.scopes.clone().unwrap_or_default(),
            checks: Vec::new(),
        };
        // A check failing is a finding, not a failed sign-in: the tokens are kept; a blocking
        // cause (a mailbox that is not in Exchange Online) shows as `blocked`.
        let run = match self.run_checks(&tokens.access, Some(&meta)).await {
            Ok(run) => run,
            Err(e) => CheckRun {
                checks: vec![Check {
                    name: "graph".into(),
                    passed: false,
                    detail: e.to_string(),
                    ran_at: OffsetDateTime::now_utc(),
                }],
                failures: match &e {
                    ConnectError::Graph(g) => g.fields().into_iter().cloned().collect(),
                    _ => Vec::new(),
                },
            },
        };
        meta.checks.clear();
        // Stored first: "connected" is only said once the next start will find it.
        self.store_sign_in(
            Session {
                state: Some(ConnectionState::Connected),
                meta: Some(meta),
                access: Some((tokens.access, tokens.expires_at)),
                refresh: tokens.refresh,
                ..Session::default()
            },
            run,
        )
        .await
    }
}

impl PendingSignIn {
    /// The sign-in link as opened (show it with a Copy button: the browser may not have opened).
    pub fn link(&self) -> &OpenedLink {
        &self.link
    }

    /// A handle that cancels this sign-in.
    pub fn canceller(&self) -> SignInCanceller {
        SignInCanceller(self.cancel.clone())
    }

    /// Cancels this sign-in.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }

    /// Waits for the browser's answer, redeems the code, stores the refresh token in the keychain
    /// and runs the checks. The browser tab then shows the outcome.
    pub async fn wait(self) -> Result<ConnectionStatus, ConnectError> {
        let PendingSignIn {
            connector,
            mut receiver,
            cancel,
            timeout,
            verifier,
            ctx,
            ..
        } = self;
        let callback = tokio::select! {
            // Cancelling also stops the receiver, which then reports that it stopped: the
            // cancellation is the news, so it is looked at first.
            biased;
            () = cancel.cancelled() => Err(ConnectError::SignInCancelled),
            callback = receiver.callback() => callback,
            () = tokio::time::sleep(timeout) => Err(ConnectError::SignInTimedOut { seconds: timeout.as_secs() }),
        };
        let outcome = match callback {
            Ok(Callback::Code { code, iss }) => {
                if let Some(err) = connector.issuer_mismatch(iss.as_deref()).await {
                    Err(err)
                } else {
                    connector.complete_sign_in(code, verifier, &ctx).await
                }
            }
            Ok(Callback::Error(fields)) => Err(ConnectError::Authorization(Box::new(fields))),
            Err(e) => Err(e),
        };
        let outcome = match outcome {
            Err(e) => connector.refused(e, &ctx).await,
            ok => ok,
        };
        receiver
            .finish(match &outcome {
                Ok(ConnectionStatus {
                    blocked: Some(blocked),
                    ..
                }) => ResultPage::blocked(&blocked.diagnosis),
                Ok(status) => ResultPage::connected(&connector.inner.profile.app_name, status),
                Err(e) => ResultPage::failed(&e.payload()),
            })
            .await;
        match &outcome {
            Ok(_) => tracing::info!("sign-in completed"),
            Err(e) => tracing::info!(code = e.code(), "sign-in failed"),
        }
        outcome
    }
}

impl Connector {
    /// RFC 9207: when the redirect names its issuer, it must be the one we talked to.
    async fn issuer_mismatch(&self, iss: Option<&str>) -> Option<ConnectError> {
        let iss = iss?;
        let discovery = self.discovery().await.ok()?;
        (!discovery.issuer_matches(iss, None)).then(|| ConnectError::IssuerMismatch {
            expected: discovery.issuer.clone(),
            got: iss.to_owned(),
        })
    }
}

/// Runs a blocking keychain call off the async runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, crate::vault::VaultError> + Send + 'static,
) -> Result<T, ConnectError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(result) => result.map_err(ConnectError::from),
        Err(e) => Err(ConnectError::Vault(crate::vault::VaultError::Failed(
            e.to_string(),
        ))),
    }
}

fn lock<T>(m: &SyncMutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding these small locks leaves valid data behind; keep going.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_send<T: Send>(_: &T) {}

    #[test]
    fn the_facade_works_from_spawned_tasks() {
        // Tauri commands and the CLI run these on a multi-threaded runtime.
        let connector = Connector::new(
            Profile::sandbox(),
            Vault::with_service("unused"),
            Arc::new(crate::NoBrowser),
        );
        is_send(&connector);
        is_send(&connector.begin_sign_in(&[], None));
        is_send(&connector.add_features(&[]));
        is_send(&connector.restore());
        is_send(&connector.check());
        is_send(&connector.send_test_email());
        is_send(&connector.disconnect());
        is_send(&connector.recheck());
        is_send(&connector.admin_consent_link("contoso.com"));
        let _ = |pending: PendingSignIn| is_send(&pending.wait());
    }
}
