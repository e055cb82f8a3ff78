//! The connection to and from the keychain: store a sign-in before saying "connected", keep a
//! rotated refresh token (retrying a refused save, then warning), read the stored one back.

use std::time::Duration;

use super::stored::{ConnectionEntries, StoredConnection};
use super::{blocking, Connector, Session};
use crate::error::ConnectError;
use crate::graph::CheckRun;
use crate::status::{ConnectionStatus, StatusWarning};

/// Pauses before the retries of a refused rotation save: a keychain that is busy (another
/// process writing, a daemon restarting) answers again within about a second.
const ROTATION_RETRIES: [Duration; 2] = [Duration::from_millis(200), Duration::from_millis(800)];

impl Connector {
    pub(super) async fn vault_load(&self) -> Result<Option<StoredConnection>, ConnectError> {
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        blocking(move || vault.load_connection(&account)).await
    }

    /// Writes the session's refresh token and facts; once the keychain holds them, a warning
    /// that it did not is over.
    pub(super) async fn persist_locked(&self, session: &mut Session) -> Result<(), ConnectError> {
        let Some((meta, Some(refresh))) = session.held.as_ref().map(|h| (&h.meta, &h.refresh))
        else {
            return Ok(());
        };
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let stored = StoredConnection {
            refresh_token: refresh.clone(),
            meta: meta.clone(),
        };
        blocking(move || vault.save_connection(&account, &stored)).await?;
        session.warning = None;
        Ok(())
    }

    /// Keeps a refresh token Microsoft just rotated. Entra may already have replaced the old one,
    /// so a refused save is retried; if the keychain still refuses, the connection goes on (the
    /// new token is in memory) and the status warns that the next start may need a reconnect.
    pub(super) async fn persist_rotation(&self, session: &mut Session) {
        let mut pauses = ROTATION_RETRIES.iter();
        loop {
            let Err(e) = self.persist_locked(session).await else {
                return;
            };
            let Some(pause) = pauses.next() else {
                tracing::warn!(
                    code = e.code(),
                    "the rotated refresh token could not be stored: {e}"
                );
                if let ConnectError::Vault(keychain) = &e {
                    session.warning = Some(StatusWarning::rotated_token_not_saved(
                        keychain,
                        &keychain.action().english(),
                    ));
                }
                return;
            };
            tracing::info!(
                code = e.code(),
                "storing the rotated refresh token failed; retrying"
            );
            tokio::time::sleep(*pause).await;
        }
    }

    /// Stores a finished sign-in (with its checks), then makes it the session: a keychain that
    /// refuses leaves the session as it was and says so ([`ConnectError::NotStored`]).
    pub(super) async fn store_sign_in(
        &self,
        mut connected: Session,
        run: CheckRun,
    ) -> Result<ConnectionStatus, ConnectError> {
        let mut session = self.inner.session.lock().await;
        connected.attempt = session.attempt.clone();
        self.record_checks(&mut connected, run);
        let account = self.inner.profile.keychain_account()?;
        let vault = self.inner.vault.clone();
        let stored = async {
            // Connected: whatever approval was awaited has come.
            blocking(move || vault.remove_pending(&account)).await?;
            self.persist_locked(&mut connected).await
        }
        .await;
        match stored {
            Err(ConnectError::Vault(e)) => return Err(ConnectError::NotStored(e)),
            other => other?,
        }
        *session = connected;
        Ok(self.status_of(&session))
    }
}
