//! Blocked, and waiting for an admin: turn a refusal into the `blocked` state, keep the wait in
//! the keychain, make the admin-consent link, and look again whether the approval came — with the
//! refresh token when the recruiter holds one for part of the permissions, else through the
//! browser without a page.

use time::OffsetDateTime;

use super::session::{Access, Health, Held, LookTarget, Session};
use super::sign_in::{PendingSignIn, SignInContext, Unnamed};
use super::stored::ConnectionEntries;
use super::{blocking, Connector};
use crate::blocked::admin_consent::{AdminLinkError, TenantRef};
use crate::blocked::recheck::Look;
use crate::blocked::{
    self, AdminLink, Blocked, CheckedBy, LastCheck, PendingApproval, RecheckOutcome,
};
use crate::diagnosis::{self, Diagnosis, Facts};
use crate::error::{ConnectError, OAuthErrorFields};
use crate::profile::Feature;
use crate::sign_in::auth::{self, Hints};
use crate::status::{self, ConnectionStatus};
use crate::sync::lock;
use crate::vault::VaultError;

/// How a look for the approval goes: through the browser (wait on it), or already answered.
pub enum Recheck {
    /// A `prompt=none` sign-in was opened in the browser: [`PendingSignIn::wait`] for it.
    InBrowser(Box<PendingSignIn>),
    /// The refresh token answered, without a browser: connected, or still waiting.
    Answered(Box<ConnectionStatus>),
}

impl Connector {
    /// Looks again whether Microsoft lets the blocked account connect now (an admin approved).
    ///
    /// When the recruiter holds a connection for part of the permissions (a tenant that lets
    /// users consent to low-impact ones), a refresh-token request for all of them asks: Entra
    /// issues the token once an admin granted them and answers AADSTS65001 until then — no
    /// browser at all.
    ///
    /// Otherwise a sign-in with `prompt=none` (never `consent`: it re-asks users even after admin
    /// consent, docs/entra-reference.md §3.3), `login_hint` and `domain_hint`, through the system browser, because
    /// only the browser holds the user's Entra session cookie (a hidden webview would always get
    /// `login_required`). With the approval there, the redirect carries a code and the status is
    /// `connected`; while it is not, the status stays `blocked` and its `last_check` says what the
    /// look found: not yet (`consent_required`), or that the recruiter must sign in once
    /// (`login_required`: no session; `interaction_required`: MFA due or an account to pick).
    /// [`Connector::recheck_plan`] says when to call this.
    ///
    /// Who is re-checked: the pending approval's account, else the blocked sign-in's, else the
    /// last sign-in's, else the connected account (and the organization likewise); knowing
    /// neither account nor organization, [`ConnectError::NotConnected`].
    pub async fn recheck(&self) -> Result<ConnectionStatus, ConnectError> {
        match self.begin_recheck(Look::ByHand).await? {
            Recheck::InBrowser(pending) => pending.wait().await,
            Recheck::Answered(status) => Ok(*status),
        }
    }

    /// Starts [`Connector::recheck`]: answered at once with the refresh token, or a silent
    /// sign-in in the browser for a caller that shows the link or cancels it. A [`Look::Timed`]
    /// moves the schedule on; one by hand leaves it.
    pub async fn begin_recheck(&self, look: Look) -> Result<Recheck, ConnectError> {
        if let Some(status) = self.recheck_with_refresh_token().await? {
            self.looked(look);
            return Ok(Recheck::Answered(Box::new(status)));
        }
        let (features, LookTarget { account, tenant }) = {
            let session = self.inner.session.lock().await;
            (
                session.wanted_features(&self.inner.profile),
                session.look_target(),
            )
        };
        if account.is_none() && tenant.is_none() {
            return Err(ConnectError::NotConnected);
        }
        self.looked(look);
        let hints = Hints {
            login_hint: account.as_deref(),
            domain_hint: tenant.as_ref().map(TenantRef::as_str),
            silent: true,
        };
        Ok(Recheck::InBrowser(Box::new(
            self.begin(&features, hints, Unnamed::TheConnectedAccount)
                .await?,
        )))
    }

    /// The look without a browser, when a working connection lacks features an admin is asked
    /// for: `None` when there is no such connection, or its refresh token cannot tell (the
    /// browser look then runs).
    async fn recheck_with_refresh_token(&self) -> Result<Option<ConnectionStatus>, ConnectError> {
        let (held_meta, refresh, features) = {
            let session = self.inner.session.lock().await;
            let Some(held) = session.held.as_ref().filter(|_| session.waiting()) else {
                return Ok(None);
            };
            let (Some(refresh), Health::Connected) = (&held.refresh, &held.health) else {
                return Ok(None);
            };
            let features = Feature::union(
                &held.meta.features,
                &session.wanted_features(&self.inner.profile),
            );
            if features == held.meta.features {
                return Ok(None);
            }
            (held.meta.clone(), refresh.clone(), features)
        };
        let requested = self.requested_scopes(&features)?;
        let discovery = self.discovery().await?;
        let answer = auth::refresh(
            &self.inner.http,
            discovery,
            &self.inner.profile.client_id,
            &refresh,
            &self.wire_scopes(&requested),
            &held_meta,
        )
        .await;
        let tokens = match answer {
            Ok(tokens) => tokens,
            Err(ConnectError::NeedsReconnect(fields) | ConnectError::TokenRejected(fields)) => {
                return Ok(self.refresh_look_refused(&fields).await);
            }
            Err(e) => return Err(e),
        };
        tracing::info!("the refresh token now carries the permissions awaited");
        let meta = status::ConnectionMeta {
            granted_scopes: status::granted_scopes(
                &self.inner.profile,
                &requested,
                tokens.scopes.as_deref(),
                true,
                true,
            ),
            token_scopes: tokens.scopes.clone().unwrap_or_default(),
            features,
            requested_scopes: requested,
            ..held_meta
        };
        let run = self.checks_of_new(&tokens.access, &meta).await;
        let access = Access {
            token: tokens.access,
            expires_at: tokens.expires_at,
        };
        let connected = Session {
            held: Some(Held::connected(
                meta,
                tokens.refresh.or(Some(refresh)),
                access,
            )),
            ..Session::default()
        };
        self.store_sign_in(connected, run).await.map(Some)
    }

    /// A refresh-token look refused: still waiting when Entra says the grant is missing
    /// (AADSTS65001); anything else, `None`, for the browser look to tell.
    async fn refresh_look_refused(&self, fields: &OAuthErrorFields) -> Option<ConnectionStatus> {
        if RecheckOutcome::of(fields) != Some(RecheckOutcome::NotYet) {
            tracing::info!(error = %fields.error, codes = ?fields.error_codes, "the refresh token cannot tell; looking through the browser");
            return None;
        }
        let mut session = self.inner.session.lock().await;
        if let Some(b) = session.blocked.as_mut() {
            b.last_check = Some(LastCheck {
                at: OffsetDateTime::now_utc(),
                outcome: RecheckOutcome::NotYet,
                code: fields.error_codes.first().map(|c| format!("AADSTS{c}")),
                by: CheckedBy::RefreshToken,
            });
        }
        Some(self.status_of(&session))
    }

    /// The admin-consent link for the organization the user typed (a domain, an email address or
    /// a tenant id; never `common`), for the features the blocked sign-in asked for, with the
    /// message to IT. A blocked status shows it from then on.
    pub async fn admin_consent_link(
        &self,
        tenant_input: &str,
    ) -> Result<AdminLink, AdminLinkError> {
        let mut session = self.inner.session.lock().await;
        let features = session.wanted_features(&self.inner.profile);
        let link = blocked::admin_link(
            &self.inner.profile,
            &TenantRef::parse(tenant_input)?,
            &features,
            session.blocked.as_ref().map(|b| &b.diagnosis),
            self.language(),
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
            p.facts.tenant = Some(link.tenant.to_string());
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

    /// The recruiter asked IT (sent the message, or copied the message or the link for them):
    /// from now on the wait is a wait for IT, kept across restarts. Answers the status.
    pub async fn it_asked(&self) -> ConnectionStatus {
        let mut session = self.inner.session.lock().await;
        let pending = session
            .blocked
            .as_mut()
            .and_then(|b| b.pending_approval.as_mut())
            .filter(|p| p.asked_at.is_none());
        if let Some(p) = pending {
            p.asked_at = Some(OffsetDateTime::now_utc());
            // Best effort: after a restart the screen would only say less.
            if let Err(e) = self.save_pending(p).await {
                tracing::warn!("could not keep that IT was asked: {e}");
            }
        }
        self.status_of(&session)
    }

    /// Explains the text of an error page Microsoft showed in the browser (such pages never come
    /// back to the app) and keeps the result as the `blocked` status, as if the sign-in had
    /// returned it: the admin screens and a re-read of the status then know the organization.
    /// `account` is the work email the user typed, if any; its domain names the organization.
    pub async fn explain_error_page(&self, text: &str, account: Option<&str>) -> ConnectionStatus {
        let account = account.map(str::trim).filter(|a| !a.is_empty());
        let known = Facts {
            tenant: blocked::tenant_of(None, account).map(String::from),
            account: account.map(str::to_owned),
            ..Facts::default()
        };
        let diagnosis = diagnosis::diagnose_with(text, known);
        let mut session = self.inner.session.lock().await;
        let features = session.wanted_features(&self.inner.profile);
        // A pending approval stays: the page may be about another attempt of the same wait.
        let pending = session.blocked.take().and_then(|b| b.pending_approval);
        session.blocked = Some(self.blocked_for(diagnosis, &features, pending));
        self.status_of(&session)
    }

    /// Turns a refusal of the sign-in service into the `blocked` state when its cause blocks;
    /// anything else stays the error it was. To a re-check, "not yet" and "sign in once" keep
    /// the wait and its facts (those IT was sent) and go to `last_check`.
    pub(super) async fn refused(
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
        let mut last_check = None;
        let diagnosis = match &pending {
            Some(p)
                if ctx.silent && (!fresh.cause.blocks() || fresh.cause.awaits_admin_consent()) =>
            {
                last_check = Some(LastCheck {
                    at: OffsetDateTime::now_utc(),
                    outcome: RecheckOutcome::of(fields).unwrap_or(RecheckOutcome::NotYet),
                    code: fresh.code.clone(),
                    by: CheckedBy::Browser,
                });
                p.diagnosis()
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
            look = ?last_check.as_ref().map(|c| c.outcome),
            "sign-in blocked"
        );
        let mut blocked = self.blocked_for(diagnosis, &ctx.features, pending);
        blocked.last_check = last_check;
        session.blocked = Some(blocked);
        Ok(self.status_of(&session))
    }

    pub(super) async fn save_pending(&self, pending: &PendingApproval) -> Result<(), ConnectError> {
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let pending = pending.clone();
        blocking(move || vault.save_pending(&account, &pending)).await
    }

    /// The pending approval in the keychain; an unreadable one is dropped (it is only a hint).
    pub(super) async fn pending_load(&self) -> Result<Option<PendingApproval>, ConnectError> {
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

    /// What the app knows of the account and its organization, for a diagnosis's facts.
    pub(super) fn known_facts(&self, session: &Session, account: Option<&str>) -> Facts {
        let meta = session.meta();
        let account = account
            .map(str::to_owned)
            .or_else(|| meta.and_then(|m| m.account.username.clone()));
        let tenant_id = meta
            .and_then(|m| m.organization.as_ref())
            .map(|o| &o.tenant_id);
        Facts {
            tenant: blocked::tenant_of(tenant_id, account.as_deref()).map(String::from),
            account,
            ..Facts::default()
        }
    }

    pub(super) fn blocked_for(
        &self,
        diagnosis: Diagnosis,
        features: &[Feature],
        pending: Option<PendingApproval>,
    ) -> Blocked {
        // What the blocked screen shows, in the log too: support reads the cause from the log.
        tracing::warn!(
            cause = ?diagnosis.cause,
            code = diagnosis.code.as_deref().unwrap_or("none"),
            advice = %diagnosis.advice,
            "blocked"
        );
        let environment = lock(&self.inner.environment).clone();
        blocked::blocked(
            &self.inner.profile,
            features,
            diagnosis,
            pending,
            &environment,
            self.language(),
        )
    }

    /// Writes a blocked connection's messages to IT again, in the language now spoken; the
    /// diagnosis, the link and the last look stay as they are.
    pub(super) async fn reword_blocked(&self) {
        let language = self.language();
        let profile = &self.inner.profile;
        let mut session = self.inner.session.lock().await;
        let features = session.wanted_features(profile);
        let Some(b) = session.blocked.as_mut() else {
            return;
        };
        if let Some(link) = b.admin_consent.as_mut() {
            let again = blocked::admin_link(
                profile,
                &link.tenant,
                &features,
                Some(&b.diagnosis),
                language,
            );
            if let Ok(again) = again {
                *link = again;
            }
        }
        if b.it_message.is_some() {
            b.it_message = blocked::it_message(profile, &features, &b.diagnosis, language);
        }
    }
}
