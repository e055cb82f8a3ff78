//! The connection at start: the one stored in the keychain, restored with one refresh round trip,
//! and a pending approval kept beside it.

use super::session::{Health, Held, Session};
use super::Connector;
use crate::diagnosis;
use crate::error::ConnectError;
use crate::status::ConnectionStatus;

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
}
