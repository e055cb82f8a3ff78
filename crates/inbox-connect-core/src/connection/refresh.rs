//! The refresh token at work: keep an access token fresh, and rotate the refresh token Microsoft
//! renews (restoring at start is `restore.rs`).

use oauth2::AccessToken;

use super::session::{Access, Held, Session};
use super::Connector;
use crate::error::ConnectError;
use crate::sign_in::auth;
use crate::status;

impl Connector {
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
