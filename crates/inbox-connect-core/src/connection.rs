//! The façade the app and the CLI use: connect (interactive sign-in through the system browser and
//! a loopback receiver), restore from the keychain, check, send a test email, disconnect.
//!
//! ```no_run
//! # async fn demo() -> Result<(), inbox_connect_core::ConnectError> {
//! use inbox_connect_core::{Connector, Profile, SystemBrowser, Vault};
//! use std::sync::Arc;
//! let connector = Connector::new(Profile::bundled(), Vault::os_keychain(), Arc::new(SystemBrowser));
//! let pending = connector.begin_sign_in(&[], None).await?;
//! println!("sign in at {}", pending.url());
//! let status = pending.wait().await?;
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex as SyncMutex};
use std::time::Duration;

use oauth2::{AccessToken, RefreshToken};
use time::OffsetDateTime;
use tokio::sync::{Mutex, OnceCell};
use tokio_util::sync::CancellationToken;
use url::Url;

use crate::auth::{self, Discovery, Tokens};
use crate::browser::BrowserOpener;
use crate::error::ConnectError;
use crate::graph::{Graph, GraphError};
use crate::loopback::{Callback, LoopbackReceiver, ResultPage};
use crate::profile::{Feature, Profile};
use crate::status::{self, Check, ConnectionMeta, ConnectionState, ConnectionStatus};
use crate::vault::{StoredConnection, Vault};

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
    http: reqwest::Client,
    sign_in_timeout: SyncMutex<Duration>,
    discovery: OnceCell<Discovery>,
    session: Mutex<Session>,
    current_sign_in: SyncMutex<Option<CancellationToken>>,
}

/// What is known in memory. Access tokens live only here.
#[derive(Default)]
struct Session {
    state: Option<ConnectionState>,
    reason: Option<String>,
    meta: Option<ConnectionMeta>,
    access: Option<(AccessToken, OffsetDateTime)>,
    refresh: Option<RefreshToken>,
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
    url: Url,
    browser_error: Option<String>,
    receiver: LoopbackReceiver,
    cancel: CancellationToken,
    timeout: Duration,
    ctx: SignInContext,
}

struct SignInContext {
    features: Vec<Feature>,
    requested: Vec<String>,
    nonce: String,
    verifier: oauth2::PkceCodeVerifier,
    redirect_uri: String,
}

/// Cancels a sign-in from anywhere (a Cancel button); cloneable.
#[derive(Clone)]
pub struct SignInCanceller(CancellationToken);

impl SignInCanceller {
    /// Cancels the sign-in: its `wait` returns [`ConnectError::SignInCancelled`].
    pub fn cancel(&self) {
        self.0.cancel();
    }
}

impl Connector {
    /// A connector for this profile, keeping its refresh token in `vault` and opening sign-in
    /// links with `browser`.
    pub fn new(profile: Profile, vault: Vault, browser: Arc<dyn BrowserOpener>) -> Connector {
        // No redirects: the token endpoint must answer itself (oauth2's advice against SSRF).
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap_or_default();
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
            }),
        }
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
        let remembered = match login_hint {
            Some(_) => None,
            None => self
                .inner
                .session
                .lock()
                .await
                .meta
                .as_ref()
                .and_then(|m| m.account.username.clone()),
        };
        let login_hint = login_hint.or(remembered.as_deref());

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
        let wire_scopes: Vec<String> = requested
            .iter()
            .map(|s| inner.profile.wire_scope(s))
            .collect();
        let request = auth::authorize_request(
            discovery,
            &inner.profile.client_id,
            receiver.redirect_uri(),
            state,
            &wire_scopes,
            login_hint,
        )?;
        let browser_error = inner
            .browser
            .open(&request.url)
            .err()
            .map(|e| e.to_string());
        if let Some(e) = &browser_error {
            tracing::warn!("could not open the browser: {e}");
        }
        let timeout = *lock(&inner.sign_in_timeout);
        // Ids and codes never go to the log; where the answer is awaited does.
        tracing::info!(redirect_uri = %request.redirect_uri, "sign-in started");
        Ok(PendingSignIn {
            connector: self.clone(),
            url: request.url,
            browser_error,
            receiver,
            cancel,
            timeout,
            ctx: SignInContext {
                features,
                requested,
                nonce: request.nonce,
                verifier: request.verifier,
                redirect_uri: request.redirect_uri,
            },
        })
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
    pub async fn restore(&self) -> Result<ConnectionStatus, ConnectError> {
        let stored = self.vault_load().await?;
        let Some(stored) = stored else {
            *self.inner.session.lock().await = Session::default();
            return Ok(ConnectionStatus::disconnected());
        };
        let mut session = self.inner.session.lock().await;
        session.meta = Some(stored.meta);
        session.refresh = Some(stored.refresh_token);
        session.access = None;
        match self.refresh_locked(&mut session).await {
            Ok(()) => {}
            Err(ConnectError::NeedsReconnect(fields)) => {
                tracing::info!(error = %fields.error, codes = ?fields.error_codes, "stored connection rejected");
                session.state = Some(ConnectionState::NeedsReconnect);
                session.reason = Some(fields.summary());
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
        let checks = match self.run_checks(&token, session.meta.as_ref()).await {
            // The access token was revoked or expired early: refresh once and retry.
            Err(ConnectError::Graph(GraphError::Api(f))) if f.status == 401 => {
                session.access = None;
                let token = self.access_token_locked(&mut session).await?;
                self.run_checks(&token, session.meta.as_ref()).await?
            }
            other => other?,
        };
        if let Some(meta) = session.meta.as_mut() {
            meta.checks = checks;
        }
        self.persist_locked(&session).await?;
        Ok(self.status_of(&session))
    }

    /// Sends a test email to the connected account itself and looks for it in Sent Items.
    pub async fn send_test_email(&self) -> Result<Check, ConnectError> {
        let mut session = self.inner.session.lock().await;
        let token = self.access_token_locked(&mut session).await?;
        let to = session
            .meta
            .as_ref()
            .and_then(|m| m.account.username.clone())
            .ok_or(ConnectError::NotConnected)?;
        let graph = self
            .graph()?
            .ok_or(ConnectError::Graph(GraphError::NotConfigured))?;
        let check = graph
            .send_test_email(&token, &to, &self.inner.profile.app_name)
            .await?;
        if let Some(meta) = session.meta.as_mut() {
            meta.checks.retain(|c| c.name != check.name);
            meta.checks.push(check.clone());
        }
        self.persist_locked(&session).await?;
        Ok(check)
    }

    /// Forgets the connection: removes the keychain entry and the tokens in memory.
    pub async fn disconnect(&self) -> Result<DisconnectReport, ConnectError> {
        self.cancel_sign_in();
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let entry = vault.describe(&account);
        let removed = blocking(move || vault.remove(&account)).await?;
        *self.inner.session.lock().await = Session::default();
        Ok(DisconnectReport {
            removed_from_keychain: removed,
            keychain_entry: entry,
            note: "Tokens already issued stay valid until they expire (about an hour); to revoke the app's access \
                   entirely, remove it at https://myapps.microsoft.com or ask your IT admin."
                .to_owned(),
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
    ) -> Result<Vec<Check>, ConnectError> {
        let Some(graph) = self.graph()? else {
            return Ok(Vec::new());
        };
        let calendar = meta.is_some_and(|m| m.features.contains(&Feature::Calendar));
        Ok(graph.run_checks(token, calendar).await?)
    }

    async fn vault_load(&self) -> Result<Option<StoredConnection>, ConnectError> {
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        blocking(move || vault.load(&account)).await
    }

    async fn persist_locked(&self, session: &Session) -> Result<(), ConnectError> {
        let (Some(meta), Some(refresh)) = (&session.meta, &session.refresh) else {
            return Ok(());
        };
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let stored = StoredConnection {
            refresh_token: refresh.clone(),
            meta: meta.clone(),
        };
        blocking(move || vault.save(&account, &stored)).await
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
        let tokens = auth::refresh(
            &self.inner.http,
            discovery,
            &self.inner.profile.client_id,
            &refresh,
            &wire,
        )
        .await?;
        if let Some(id_token) = &tokens.id_token {
            auth::check_id_token(id_token, discovery, &self.inner.profile.client_id, None)?;
        }
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
            self.persist_locked(session).await?;
        }
        session.access = Some((tokens.access, tokens.expires_at));
        session.state = Some(ConnectionState::Connected);
        session.reason = None;
        Ok(())
    }

    fn status_of(&self, session: &Session) -> ConnectionStatus {
        let Some(meta) = &session.meta else {
            return ConnectionStatus::disconnected();
        };
        ConnectionStatus {
            state: session.state.unwrap_or(ConnectionState::Connected),
            reason: session.reason.clone(),
            account: Some(meta.account.clone()),
            organization: meta.organization.clone(),
            features: meta.features.clone(),
            permissions: status::permissions(&self.inner.profile, meta),
            checks: meta.checks.clone(),
            access_token_expires_at: session.access.as_ref().map(|(_, at)| *at),
        }
    }

    /// Finishes a sign-in once the browser brought a code back.
    async fn complete_sign_in(
        &self,
        code: oauth2::AuthorizationCode,
        ctx: SignInContext,
    ) -> Result<ConnectionStatus, ConnectError> {
        let discovery = self.discovery().await?;
        let client_id = &self.inner.profile.client_id;
        let tokens: Tokens = auth::redeem_code(
            &self.inner.http,
            discovery,
            client_id,
            &ctx.redirect_uri,
            code,
            ctx.verifier,
        )
        .await?;
        let id_token = tokens.id_token.as_ref().ok_or_else(|| {
            ConnectError::IdToken("no id token came back (was `openid` asked for?)".into())
        })?;
        let claims = auth::check_id_token(id_token, discovery, client_id, Some(&ctx.nonce))?;
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
            features: ctx.features,
            requested_scopes: ctx.requested,
            granted_scopes: granted,
            token_scopes: tokens.scopes.clone().unwrap_or_default(),
            checks: Vec::new(),
        };
        // A check failing (say, a mailbox that is not in Exchange Online) is a finding, not a
        // failed sign-in: record it and stay connected.
        meta.checks = match self.run_checks(&tokens.access, Some(&meta)).await {
            Ok(checks) => checks,
            Err(e) => vec![Check {
                name: "graph".into(),
                passed: false,
                detail: e.to_string(),
                ran_at: OffsetDateTime::now_utc(),
            }],
        };
        let mut session = self.inner.session.lock().await;
        *session = Session {
            state: Some(ConnectionState::Connected),
            reason: None,
            meta: Some(meta),
            access: Some((tokens.access, tokens.expires_at)),
            refresh: tokens.refresh,
        };
        self.persist_locked(&session).await?;
        Ok(self.status_of(&session))
    }
}

impl PendingSignIn {
    /// The sign-in link (show it with a Copy button: the browser may not have opened).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Why the browser could not be opened, if it could not.
    pub fn browser_error(&self) -> Option<&str> {
        self.browser_error.as_deref()
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
                    connector.complete_sign_in(code, ctx).await
                }
            }
            Ok(Callback::Error(fields)) => Err(ConnectError::Authorization(Box::new(fields))),
            Err(e) => Err(e),
        };
        receiver.finish(match &outcome {
            Ok(status) => ResultPage::connected(&connector.inner.profile.app_name, status),
            Err(e) => ResultPage::failed(&e.payload()),
        });
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
            Profile::bundled(),
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
        let _ = |pending: PendingSignIn| is_send(&pending.wait());
    }
}
