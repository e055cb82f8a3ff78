//! The refresh token at work: restore the stored connection at start, keep an access token fresh,
//! and rotate the refresh token Microsoft renews.

use oauth2::AccessToken;

use super::session::{Access, Health, Held, Session};
use super::Connector;
use crate::diagnosis;
use crate::error::ConnectError;
use crate::sign_in::auth;
use crate::status::{self, ConnectionStatus};

impl Connector {
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
        let mut session = self.inner.session.lock().await;
        *session = Session {
            blocked: waiting,
            held: stored.map(|stored| Held {
                meta: stored.meta,
                refresh: Some(stored.refresh_token),
                access: None,
                health: Health::Connected,
            }),
            ..Session::default()
        };
        if session.held.is_none() {
            return Ok(self.status_of(&session));
        }
        match self.refresh_locked(&mut session).await {
            Ok(()) => {}
            Err(ConnectError::NeedsReconnect(fields)) => {
                tracing::info!(error = %fields.error, codes = ?fields.error_codes, "stored connection rejected");
                if let Some(held) = session.held.as_mut() {
                    held.refused(fields.summary());
                }
                let diagnosis =
                    diagnosis::diagnose_oauth(&fields, self.known_facts(&session, None));
                if diagnosis.cause.blocks() && session.blocked.is_none() {
                    let features = session.wanted_features(&self.inner.profile);
                    session.blocked = Some(self.blocked_for(diagnosis, &features, None));
                }
            }
            Err(e) => return Err(e),
        }
        Ok(self.status_of(&session))
    }

    /// A valid access token, refreshing when it is missing or about to expire.
    pub(super) async fn access_token_locked(
        &self,
        session: &mut Session,
    ) -> Result<AccessToken, ConnectError> {
        let held = session.held.as_ref().ok_or(ConnectError::NotConnected)?;
        if let Some(token) = held.fresh_access() {
            return Ok(token.clone());
        }
        if let Err(e) = self.refresh_locked(session).await {
            if let (ConnectError::NeedsReconnect(fields), Some(held)) = (&e, session.held.as_mut())
            {
                held.refused(fields.summary());
            }
            return Err(e);
        }
        session
            .held
            .as_ref()
            .and_then(|h| h.access.as_ref())
            .map(|a| a.token.clone())
            .ok_or(ConnectError::NotConnected)
    }

    /// Redeems the refresh token. Rotation: the new refresh token is saved before the old one is
    /// dropped. Only a classified rejection gives `NeedsReconnect`; nothing is ever wiped here.
    pub(super) async fn refresh_locked(&self, session: &mut Session) -> Result<(), ConnectError> {
        let held = session.held.as_ref().ok_or(ConnectError::NotConnected)?;
        let refresh = held.refresh.clone().ok_or(ConnectError::NotConnected)?;
        let meta = held.meta.clone();
        let discovery = self.discovery().await?;
        let wire: Vec<String> = if meta.token_scopes.is_empty() {
            self.wire_scopes(&meta.requested_scopes)
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
        let rotated = tokens.refresh.is_some();
        let access = Access {
            token: tokens.access,
            expires_at: tokens.expires_at,
        };
        session.held = Some(Held::connected(
            meta,
            tokens.refresh.or(Some(refresh)),
            access,
        ));
        if rotated {
            self.persist_rotation(session).await;
        }
        Ok(())
    }
}
