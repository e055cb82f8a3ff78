//! What the connector knows in memory, as states rather than a bag of options: nothing held, or a
//! connection held (healthy or refused at the last refresh), with a block beside it when Microsoft
//! refuses more than the recruiter can fix. Access tokens live only here.

use oauth2::{AccessToken, RefreshToken};
use time::OffsetDateTime;

use crate::blocked::admin_consent::TenantRef;
use crate::blocked::recheck::LookWay;
use crate::blocked::{self, Blocked, RecheckOutcome};
use crate::profile::{Feature, Profile};
use crate::status::{self, ConnectionMeta, ConnectionState, ConnectionStatus, StatusWarning};

/// The connector's memory.
#[derive(Default)]
pub(super) struct Session {
    /// The connection, once a sign-in finished or the keychain gave one back.
    pub(super) held: Option<Held>,
    /// Set while Microsoft blocks the connection (beside a held one, for features it lacks).
    pub(super) blocked: Option<Blocked>,
    /// The last sign-in started, for a re-check after a block.
    pub(super) attempt: Option<Attempt>,
    /// A rotated refresh token the keychain refused to keep.
    pub(super) warning: Option<StatusWarning>,
}

/// Who a look for the approval names (`login_hint`, `domain_hint`); neither: a sign-in page.
pub(super) struct LookTarget {
    pub(super) account: Option<String>,
    pub(super) tenant: Option<TenantRef>,
}

/// A connection: what the keychain keeps (refresh token and facts) and the access token of now.
pub(super) struct Held {
    pub(super) meta: ConnectionMeta,
    /// Absent when Microsoft issued none (no `offline_access`): the connection ends with the app.
    pub(super) refresh: Option<RefreshToken>,
    pub(super) access: Option<Access>,
    pub(super) health: Health,
}

/// An access token and when it expires.
pub(super) struct Access {
    pub(super) token: AccessToken,
    pub(super) expires_at: OffsetDateTime,
}

/// Whether the held connection still works.
pub(super) enum Health {
    Connected,
    /// The sign-in service refused the refresh token: sign in again (its words).
    NeedsReconnect {
        reason: String,
    },
}

/// Who a sign-in was for.
#[derive(Clone)]
pub(super) struct Attempt {
    pub(super) account: Option<String>,
    pub(super) features: Vec<Feature>,
}

impl Held {
    /// A connection just made or refreshed.
    pub(super) fn connected(
        meta: ConnectionMeta,
        refresh: Option<RefreshToken>,
        access: Access,
    ) -> Held {
        Held {
            meta,
            refresh,
            access: Some(access),
            health: Health::Connected,
        }
    }

    /// The access token, unless it is missing or expires within five minutes.
    pub(super) fn fresh_access(&self) -> Option<&AccessToken> {
        self.access
            .as_ref()
            .filter(|a| a.expires_at - time::Duration::minutes(5) > OffsetDateTime::now_utc())
            .map(|a| &a.token)
    }

    /// The refresh token was refused: keep it (the keychain does too), drop the access token.
    pub(super) fn refused(&mut self, reason: String) {
        self.access = None;
        self.health = Health::NeedsReconnect { reason };
    }
}

impl Session {
    pub(super) fn meta(&self) -> Option<&ConnectionMeta> {
        self.held.as_ref().map(|h| &h.meta)
    }

    /// The features a blocked connection is about: the pending approval's, else the last
    /// sign-in's, else the connected ones, else the profile's defaults.
    pub(super) fn wanted_features(&self, profile: &Profile) -> Vec<Feature> {
        let pending = self
            .blocked
            .as_ref()
            .and_then(|b| b.pending_approval.as_ref())
            .map(|p| p.features.clone());
        pending
            .or_else(|| self.attempt.as_ref().map(|a| a.features.clone()))
            .or_else(|| self.meta().map(|m| m.features.clone()))
            .filter(|f| !f.is_empty())
            .unwrap_or_else(|| profile.default_features())
    }

    /// Who a look for the approval names: the pending approval's account, else the blocked
    /// sign-in's, else the last sign-in's, else the connected account; the organization likewise
    /// (or the account's domain).
    pub(super) fn look_target(&self) -> LookTarget {
        let pending = self
            .blocked
            .as_ref()
            .and_then(|b| b.pending_approval.as_ref());
        let facts = self.blocked.as_ref().map(|b| &b.diagnosis.facts);
        let meta = self.meta();
        let account = pending
            .and_then(|p| p.account.clone())
            .or_else(|| facts.and_then(|f| f.account.clone()))
            .or_else(|| self.attempt.as_ref().and_then(|a| a.account.clone()))
            .or_else(|| meta.and_then(|m| m.account.username.clone()));
        let tenant = pending
            .and_then(|p| p.tenant.clone())
            .or_else(|| {
                facts
                    .and_then(|f| f.tenant.as_deref())
                    .and_then(|t| TenantRef::parse(t).ok())
            })
            .or_else(|| {
                blocked::tenant_of(
                    meta.and_then(|m| m.organization.as_ref())
                        .map(|o| &o.tenant_id),
                    account.as_deref(),
                )
            });
        LookTarget { account, tenant }
    }

    /// How a look for the approval would go now.
    pub(super) fn look_way(&self) -> LookWay {
        let last = self.blocked.as_ref().and_then(|b| b.last_check.as_ref());
        if last.is_some_and(|c| matches!(c.outcome, RecheckOutcome::SignInNeeded { .. })) {
            return LookWay::AfterSignIn;
        }
        match self.look_target() {
            LookTarget {
                account: None,
                tenant: None,
            } => LookWay::SignInPage,
            _ => LookWay::Quiet,
        }
    }

    /// Whether an admin's approval is awaited.
    pub(super) fn waiting(&self) -> bool {
        self.blocked
            .as_ref()
            .is_some_and(|b| b.pending_approval.is_some())
    }

    /// What the UI shows.
    pub(super) fn status(&self, profile: &Profile) -> ConnectionStatus {
        let blocked = self.blocked.clone();
        let Some(held) = &self.held else {
            return match blocked {
                Some(blocked) => ConnectionStatus {
                    state: ConnectionState::Blocked,
                    features: self.wanted_features(profile),
                    blocked: Some(blocked),
                    ..ConnectionStatus::disconnected()
                },
                None => ConnectionStatus::disconnected(),
            };
        };
        let (state, reason) = match (&blocked, &held.health) {
            (Some(_), _) => (ConnectionState::Blocked, None),
            (None, Health::Connected) => (ConnectionState::Connected, None),
            (None, Health::NeedsReconnect { reason }) => {
                (ConnectionState::NeedsReconnect, Some(reason.clone()))
            }
        };
        let meta = &held.meta;
        ConnectionStatus {
            state,
            blocked,
            reason,
            account: Some(meta.account.clone()),
            organization: meta.organization.clone(),
            features: meta.features.clone(),
            permissions: status::permissions(profile, meta),
            checks: meta.checks.clone(),
            access_token_expires_at: held.access.as_ref().map(|a| a.expires_at),
            warning: self.warning.clone(),
        }
    }
}
