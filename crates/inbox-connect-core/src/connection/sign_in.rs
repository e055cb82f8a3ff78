//! Interactive and silent sign-ins through the system browser and the loopback receiver: start
//! one, wait for the browser's answer, redeem the code, store the connection.

use std::time::Duration;

use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use super::session::{Access, Attempt, Held, Session};
use super::Connector;
use crate::error::ConnectError;
use crate::graph::{CheckRun, Finding};
use crate::profile::Feature;
use crate::sign_in::auth::{self, Hints, Tokens};
use crate::sign_in::browser::OpenedLink;
use crate::sign_in::loopback::{Callback, LoopbackReceiver, ResultPage};
use crate::status::{self, Check, ConnectionMeta, ConnectionStatus};
use crate::sync::lock;

/// How long a re-check waits: with `prompt=none` the browser comes straight back.
const RECHECK_TIMEOUT: Duration = Duration::from_secs(120);
/// How long the browser tab's result page waits after the window was told the outcome. The
/// person looks at the window next, and a browser rendering its tab at the same moment slows the
/// window's paint on a busy computer (2 cores: 165 ms to the painted panel, 103 ms with the tab
/// later; `scripts/bench`).
const TAB_AFTER_WINDOW: Duration = Duration::from_millis(200);

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

pub(super) struct SignInContext {
    pub(super) features: Vec<Feature>,
    requested: Vec<String>,
    nonce: String,
    redirect_uri: String,
    /// The `login_hint` sent, if any.
    pub(super) account: Option<String>,
    /// A re-check (`prompt=none`).
    pub(super) silent: bool,
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

/// Whom a sign-in that names no account is for.
#[derive(Clone, Copy)]
pub(super) enum Unnamed {
    /// The connected account, if there is one (a reconnect, a re-check).
    TheConnectedAccount,
    /// Whoever signs in (another account).
    AnyAccount,
}

impl Connector {
    /// Waits until the browser tabs of the sign-ins that have ended got their result pages (or
    /// gave up on them): a program that ends after a sign-in (the CLI) calls it before it exits.
    pub async fn result_pages_delivered(&self) {
        let pages = &self.inner.result_pages;
        pages.close();
        pages.wait().await;
        pages.reopen();
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
        self.begin(features, hints, Unnamed::TheConnectedAccount)
            .await
    }

    /// Starts an interactive sign-in for another account than the connected one ("Use a
    /// different account"): nothing hinted, so Microsoft shows its account picker. The connection
    /// stays until the new one is stored.
    pub async fn begin_sign_in_as_another(
        &self,
        features: &[Feature],
    ) -> Result<PendingSignIn, ConnectError> {
        self.begin(features, Hints::default(), Unnamed::AnyAccount)
            .await
    }

    /// Adds features to the connection (incremental consent): a new interactive sign-in for the
    /// union of the connected features and these, hinting the connected account.
    pub async fn add_features(&self, features: &[Feature]) -> Result<PendingSignIn, ConnectError> {
        let (all, hint) = {
            let session = self.inner.session.lock().await;
            match session.meta() {
                Some(meta) => (
                    Feature::union(&meta.features, features),
                    meta.account.username.clone(),
                ),
                None => (features.to_vec(), None),
            }
        };
        self.begin_sign_in(&all, hint.as_deref()).await
    }

    /// Cancels the sign-in in progress, if any.
    pub fn cancel_sign_in(&self) {
        if let Some(token) = lock(&self.inner.current_sign_in).take() {
            token.cancel();
        }
    }

    pub(super) async fn begin(
        &self,
        features: &[Feature],
        hints: Hints<'_>,
        unnamed: Unnamed,
    ) -> Result<PendingSignIn, ConnectError> {
        let inner = &self.inner;
        let features = inner.profile.features_or_defaults(features);
        let requested = self.requested_scopes(&features)?;
        let discovery = self.discovery().await?;
        let login_hint = {
            let mut session = self.inner.session.lock().await;
            let connected = match unnamed {
                Unnamed::TheConnectedAccount => {
                    session.meta().and_then(|m| m.account.username.clone())
                }
                Unnamed::AnyAccount => None,
            };
            let hint = hints.login_hint.map(str::to_owned).or(connected);
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
            self.language(),
        )
        .await
        .map_err(|e| ConnectError::Loopback(e.to_string()))?;
        let request = auth::authorize_request(
            discovery,
            &inner.profile.client_id,
            receiver.redirect_uri(),
            state,
            // MSAL's OpenID defaults on every sign-in too, so a refresh never asks beyond the grant.
            &discovery.with_oidc_defaults(&self.wire_scopes(&requested)),
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
        let meta = ConnectionMeta {
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
        let run = self.checks_of_new(&tokens.access, &meta).await;
        let access = Access {
            token: tokens.access,
            expires_at: tokens.expires_at,
        };
        // Stored first: "connected" is only said once the next start will find it.
        self.store_sign_in(
            Session {
                held: Some(Held::connected(meta, tokens.refresh, access)),
                ..Session::default()
            },
            run,
        )
        .await
    }

    /// The checks of a connection just made; a failure to run them is one failed check.
    pub(super) async fn checks_of_new(
        &self,
        token: &oauth2::AccessToken,
        meta: &ConnectionMeta,
    ) -> CheckRun {
        match self.run_checks(token, Some(meta)).await {
            Ok(run) => run,
            Err(e) => CheckRun {
                checks: vec![Check::new(
                    "graph",
                    false,
                    Finding::NotRun {
                        reason: e.to_string(),
                    },
                    OffsetDateTime::now_utc(),
                )],
                failures: match &e {
                    ConnectError::Graph(g) => g.fields().into_iter().cloned().collect(),
                    _ => Vec::new(),
                },
                organization_name: None,
            },
        }
    }

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

    /// Whether this is a re-check (`prompt=none`), not a sign-in someone is doing.
    pub fn is_silent(&self) -> bool {
        self.ctx.silent
    }

    /// Waits for the browser's answer, redeems the code, stores the refresh token in the keychain
    /// and runs the checks. The browser tab shows the outcome a moment after this returns it (and,
    /// after a silent re-check nobody is looking at, closes itself where the browser allows): a
    /// program that ends right after waits for [`Connector::result_pages_delivered`] first.
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
        if !ctx.silent {
            connector.restart_looks();
        }
        let language = connector.language();
        let page = match &outcome {
            Ok(ConnectionStatus {
                blocked: Some(blocked),
                ..
            }) => ResultPage::blocked(language, blocked, &connector.inner.profile.app_name),
            Ok(status) => {
                ResultPage::connected(language, &connector.inner.profile.app_name, status)
            }
            Err(e) => ResultPage::failed(language, &e.payload()),
        };
        let page = if ctx.silent { page.closing() } else { page };
        connector.inner.result_pages.spawn(async move {
            tokio::time::sleep(TAB_AFTER_WINDOW).await;
            receiver.finish(page).await;
        });
        match &outcome {
            Ok(_) => tracing::info!("sign-in completed"),
            Err(e) => tracing::info!(code = e.code(), "sign-in failed"),
        }
        outcome
    }
}
