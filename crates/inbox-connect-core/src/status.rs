//! What the UI shows about a connection: serializable, and free of tokens by construction.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::blocked::Blocked;
pub use crate::graph::Check;
use crate::profile::{is_oidc_scope, Feature, Profile, ScopeName, TenantId};

/// Whether the mailbox is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionState {
    /// Tokens are at hand (or a refresh token was accepted).
    Connected,
    /// A connection is stored but the sign-in service rejected it: sign in again.
    NeedsReconnect,
    /// Nothing is stored.
    Disconnected,
    /// Microsoft refused the connection for a reason someone else must remove (an admin's
    /// consent, a policy, the mailbox): see [`ConnectionStatus::blocked`].
    Blocked,
}

/// The signed-in account, from the id token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// `preferred_username` (display only; it can change).
    pub username: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `oid` (Entra) or `sub`: the stable user id.
    pub object_id: String,
}

/// The organization (Entra tenant) of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// `tid`.
    pub tenant_id: TenantId,
    /// Display name, when known.
    pub name: Option<String>,
}

/// One permission: asked for, and whether the sign-in service granted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    /// Scope name as the profile names it.
    pub scope: String,
    /// Why the product needs it.
    pub reason: String,
    /// Asked for in the last sign-in.
    pub requested: bool,
    /// Granted, according to the token response's `scope`.
    pub granted: bool,
}

/// Everything the UI shows about the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionStatus {
    /// Connected, needs reconnect, or disconnected.
    pub state: ConnectionState,
    /// Why a reconnect is needed (the sign-in service's words).
    pub reason: Option<String>,
    /// The account.
    pub account: Option<Account>,
    /// The organization.
    pub organization: Option<Organization>,
    /// The features connected for.
    pub features: Vec<Feature>,
    /// Each permission of the profile's features.
    pub permissions: Vec<Permission>,
    /// The last checks.
    pub checks: Vec<Check>,
    /// When the in-memory access token expires.
    #[serde(with = "time::serde::rfc3339::option")]
    pub access_token_expires_at: Option<OffsetDateTime>,
    /// Why the connection is blocked and what to do; set with the `blocked` state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
    /// Something wrong beside a working connection, to show with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<StatusWarning>,
}

/// What a [`StatusWarning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Microsoft renewed the refresh token and the keychain kept refusing the new one: the
    /// keychain still holds the one it replaced, which the next start may find rejected.
    RotatedTokenNotSaved,
}

/// A warning shown with the status: what it is, what happened, what to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusWarning {
    /// Stable, for the UI to pick by.
    pub kind: WarningKind,
    /// What happened.
    pub message: String,
    /// What to do next.
    pub action: String,
}

impl StatusWarning {
    /// The renewed refresh token could not be stored: the keychain's refusal, and what to do
    /// about that refusal.
    pub(crate) fn rotated_token_not_saved(
        keychain: &dyn std::fmt::Display,
        keychain_action: &str,
    ) -> StatusWarning {
        StatusWarning {
            kind: WarningKind::RotatedTokenNotSaved,
            message: format!(
                "Microsoft renewed this connection's sign-in, but the OS keychain refused to keep the renewed one \
                 ({keychain}). The connection works until the app closes; the keychain still holds the previous \
                 sign-in, which Microsoft may refuse at the next start."
            ),
            action: format!(
                "{keychain_action} The app saves again at the next check; if this stays, click Reconnect after fixing it."
            ),
        }
    }
}

impl ConnectionStatus {
    /// Nothing connected.
    pub fn disconnected() -> ConnectionStatus {
        ConnectionStatus {
            state: ConnectionState::Disconnected,
            reason: None,
            account: None,
            organization: None,
            features: Vec::new(),
            permissions: Vec::new(),
            checks: Vec::new(),
            access_token_expires_at: None,
            blocked: None,
            warning: None,
        }
    }
}

/// The non-secret facts about a connection, kept beside the refresh token in the keychain entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionMeta {
    /// The account.
    pub account: Account,
    /// The organization, when the id token named one.
    pub organization: Option<Organization>,
    /// Features asked for.
    pub features: Vec<Feature>,
    /// Scopes asked for (profile spelling).
    pub requested_scopes: Vec<String>,
    /// Scopes granted (profile spelling, from the token response).
    pub granted_scopes: Vec<String>,
    /// The `scope` of the last token response, as sent by the provider: the refresh request
    /// asks for exactly these (a spec-strict provider refuses anything it did not grant).
    #[serde(default)]
    pub token_scopes: Vec<String>,
    /// The last checks.
    #[serde(default)]
    pub checks: Vec<Check>,
}

/// Which of the requested scopes the token response granted. The response's `scope` is the
/// truth (never the access token, ref decisions); Entra qualifies Graph scopes with the Graph host
/// and leaves out OIDC scopes, which are granted when their artefact came back.
pub(crate) fn granted_scopes(
    profile: &Profile,
    requested: &[String],
    response_scopes: Option<&[String]>,
    got_refresh_token: bool,
    got_id_token: bool,
) -> Vec<String> {
    let Some(response_scopes) = response_scopes else {
        // RFC 6749 §5.1: no `scope` means exactly what was asked for.
        return requested.to_vec();
    };
    let offline = ScopeName::of("offline_access");
    requested
        .iter()
        .filter(|scope| {
            let name = ScopeName::of(scope);
            ScopeName::of(&profile.wire_scope(scope)).is_in(response_scopes)
                || (name == offline && got_refresh_token)
                || (is_oidc_scope(scope) && name != offline && got_id_token)
        })
        .cloned()
        .collect()
}

/// The permission list of a status: every scope of the profile's features, marked.
pub(crate) fn permissions(profile: &Profile, meta: &ConnectionMeta) -> Vec<Permission> {
    let all: Vec<_> = profile.features.iter().map(|f| f.id).collect();
    let scopes = profile.scopes_for(&all).unwrap_or_default();
    let has = |list: &[String], scope: &str| ScopeName::of(scope).is_in(list);
    scopes
        .into_iter()
        .map(|s| Permission {
            requested: has(&meta.requested_scopes, &s.scope),
            granted: has(&meta.granted_scopes, &s.scope),
            scope: s.scope,
            reason: s.reason,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_json_is_pinned() {
        let status = ConnectionStatus {
            state: ConnectionState::Connected,
            reason: None,
            account: Some(Account {
                username: Some("riley@contoso-recruiting.example".into()),
                name: Some("Riley Recruiter".into()),
                object_id: "oid-1".into(),
            }),
            organization: Some(Organization {
                tenant_id: "tid-1".to_owned().into(),
                name: None,
            }),
            features: vec![Feature::Mailbox],
            permissions: vec![Permission {
                scope: "Mail.Send".into(),
                reason: "send emails to candidates from your own address".into(),
                requested: true,
                granted: true,
            }],
            checks: vec![Check::new(
                "mailbox",
                true,
                crate::graph::Finding::SentItemsReadable { messages: 3 },
                OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap(),
            )],
            access_token_expires_at: Some(
                OffsetDateTime::from_unix_timestamp(1_800_003_600).unwrap(),
            ),
            blocked: None,
            warning: None,
        };
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            serde_json::json!({
                "state": "connected",
                "reason": null,
                "account": {"username": "riley@contoso-recruiting.example", "name": "Riley Recruiter", "object_id": "oid-1"},
                "organization": {"tenant_id": "tid-1", "name": null},
                "features": ["mailbox"],
                "permissions": [{"scope": "Mail.Send", "reason": "send emails to candidates from your own address", "requested": true, "granted": true}],
                "checks": [{"name": "mailbox", "passed": true, "finding": {"kind": "sent_items_readable", "messages": 3}, "detail": "Sent Items is readable (3 messages)", "ran_at": "2027-01-15T08:00:00Z"}],
                "access_token_expires_at": "2027-01-15T09:00:00Z"
            })
        );
    }

    #[test]
    fn granted_scopes_read_entra_qualified_names_and_oidc_artefacts() {
        let p = Profile::sandbox();
        let requested: Vec<String> = [
            "Mail.Send",
            "Mail.ReadWrite",
            "offline_access",
            "openid",
            "Calendars.ReadWrite",
        ]
        .map(String::from)
        .to_vec();
        let returned: Vec<String> = [
            "https://graph.microsoft.com/Mail.Send",
            "https://graph.microsoft.com/mail.readwrite",
        ]
        .map(String::from)
        .to_vec();
        let granted = granted_scopes(&p, &requested, Some(&returned), true, true);
        assert_eq!(
            granted,
            ["Mail.Send", "Mail.ReadWrite", "offline_access", "openid"]
        );
    }
}
