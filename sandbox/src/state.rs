//! Runtime state: consent grants, admin consent requests, service principals created or changed
//! at run time, authorization codes, refresh-token records, sign-in sessions and mailboxes. All but
//! codes, sessions and mailboxes persist to `--state FILE`.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::SandboxError;

mod consent_requests;

use crate::seed::{AdminConsentRequestPolicy, ServicePrincipal};
pub use consent_requests::{ConsentRequest, RequestStatus, UserConsentRequest};

/// Who a delegated permission grant covers (Graph `oauth2PermissionGrant.consentType`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub enum ConsentType {
    /// One user's own consent.
    Principal,
    /// Tenant-wide admin consent.
    AllPrincipals,
}

/// A delegated permission grant of an app in a tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Grant {
    /// Tenant id.
    pub tenant_id: String,
    /// Client (app) id.
    pub client_id: String,
    /// Principal or AllPrincipals.
    pub consent_type: ConsentType,
    /// The user for a Principal grant.
    pub principal_id: Option<String>,
    /// Granted scope values (canonical names, OIDC scopes included).
    pub scopes: BTreeSet<String>,
}

/// What a refresh token stands for; only its SHA-256 is kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRecord {
    /// Tenant id.
    pub tenant_id: String,
    /// User object id.
    pub user_id: String,
    /// Client id.
    pub client_id: String,
    /// Scopes requested when the chain started (decides `id_token` and OIDC scopes in responses).
    pub requested: BTreeSet<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Whether the sign-in that started the chain passed MFA (Conditional Access, docs/entra-reference.md §5 50076).
    #[serde(default)]
    pub mfa: bool,
}

/// A service principal created (on first sign-in) or changed at run time; it overrides the seed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TenantServicePrincipal {
    /// Tenant id.
    pub tenant_id: String,
    /// The service principal as it now is.
    pub service_principal: ServicePrincipal,
}

/// A pending authorization code.
#[derive(Debug, Clone)]
pub struct AuthCode {
    /// Tenant id of the signed-in user.
    pub tenant_id: String,
    /// User object id.
    pub user_id: String,
    /// Client id.
    pub client_id: String,
    /// `redirect_uri` exactly as sent to authorize.
    pub redirect_uri: String,
    /// Requested scopes (canonical).
    pub requested: BTreeSet<String>,
    /// PKCE challenge and method, if sent.
    pub pkce: Option<(String, String)>,
    /// `nonce` to echo in the id token.
    pub nonce: Option<String>,
    /// Issue time.
    pub issued_at: DateTime<Utc>,
    /// Set on first redemption (second one fails with AADSTS54005).
    pub redeemed: bool,
    /// Whether the sign-in passed MFA.
    pub mfa: bool,
}

/// A sent message (Graph `message` JSON) in a user's Sent Items.
pub type Message = Value;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Persisted {
    #[serde(default)]
    grants: Vec<Grant>,
    /// SHA-256 hex of the refresh token → record.
    #[serde(default)]
    refresh_tokens: HashMap<String, RefreshRecord>,
    /// User id → time before which that user's refresh tokens are revoked.
    #[serde(default)]
    revoked_before: HashMap<String, DateTime<Utc>>,
    #[serde(default)]
    signing_key_pem: Option<String>,
    #[serde(default)]
    consent_requests: Vec<ConsentRequest>,
    #[serde(default)]
    service_principals: Vec<TenantServicePrincipal>,
    /// Tenant id → admin consent request policy as an admin last set it.
    #[serde(default)]
    consent_request_policies: HashMap<String, AdminConsentRequestPolicy>,
}

#[derive(Debug, Default)]
struct Inner {
    persisted: Persisted,
    /// SHA-256 of the code → code.
    codes: HashMap<String, AuthCode>,
    /// Session id → signed-in (tenant id, user id) accounts, most recent last.
    sessions: HashMap<String, Vec<(String, String)>>,
    /// User id → Sent Items.
    sent_items: HashMap<String, Vec<Message>>,
    /// (session id, user id) pairs that passed MFA.
    mfa_done: HashSet<(String, String)>,
    /// (session id, user id) → the one-time code of a pending MFA step.
    mfa_codes: HashMap<(String, String), String>,
}

/// The state store; every method takes the lock briefly.
#[derive(Debug)]
pub struct Store {
    inner: Mutex<Inner>,
    file: Option<PathBuf>,
}

impl Store {
    /// Opens the store, loading `file` if it exists.
    pub fn open(file: Option<PathBuf>) -> Result<Self, SandboxError> {
        let persisted = match &file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path).map_err(|source| SandboxError::Io {
                    path: path.clone(),
                    source,
                })?;
                serde_json::from_str(&text).map_err(|e| SandboxError::State {
                    path: path.clone(),
                    message: e.to_string(),
                })?
            }
            _ => Persisted::default(),
        };
        Ok(Self {
            inner: Mutex::new(Inner {
                persisted,
                ..Inner::default()
            }),
            file,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent-enough data for a simulator.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the persisted part to the state file (temp file + rename, so a crash never leaves half a file).
    fn save(&self, inner: &Inner) {
        let Some(path) = &self.file else { return };
        let Ok(text) = serde_json::to_string_pretty(&inner.persisted) else {
            return;
        };
        let tmp = path.with_extension("tmp");
        let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = result {
            tracing::warn!("cannot save sandbox state to {}: {e}", path.display());
        }
    }

    /// Whether state persists to a file.
    pub fn has_file(&self) -> bool {
        self.file.is_some()
    }

    /// The signing key saved in the state file, if any.
    pub fn signing_key_pem(&self) -> Option<String> {
        self.lock().persisted.signing_key_pem.clone()
    }

    /// Remembers the signing key so tokens survive a restart.
    pub fn set_signing_key_pem(&self, pem: String) {
        let mut inner = self.lock();
        inner.persisted.signing_key_pem = Some(pem);
        self.save(&inner);
    }

    /// All grants of a tenant.
    pub fn grants(&self, tenant_id: &str) -> Vec<Grant> {
        let inner = self.lock();
        inner
            .persisted
            .grants
            .iter()
            .filter(|g| g.tenant_id == tenant_id)
            .cloned()
            .collect()
    }

    /// Scopes a user has for an app: their own grant plus the tenant-wide one.
    pub fn consented(&self, tenant_id: &str, client_id: &str, user_id: &str) -> BTreeSet<String> {
        let inner = self.lock();
        inner
            .persisted
            .grants
            .iter()
            .filter(|g| {
                g.tenant_id == tenant_id
                    && g.client_id == client_id
                    && (g.consent_type == ConsentType::AllPrincipals
                        || g.principal_id.as_deref() == Some(user_id))
            })
            .flat_map(|g| g.scopes.iter().cloned())
            .collect()
    }

    /// Adds scopes to the matching grant (creating it): consent only ever widens a grant.
    pub fn add_grant(&self, grant: Grant) {
        let mut inner = self.lock();
        let existing = inner.persisted.grants.iter_mut().find(|g| {
            g.tenant_id == grant.tenant_id
                && g.client_id == grant.client_id
                && g.consent_type == grant.consent_type
                && g.principal_id == grant.principal_id
        });
        match existing {
            Some(g) => g.scopes.extend(grant.scopes),
            None => inner.persisted.grants.push(grant),
        }
        self.save(&inner);
    }

    /// Stores a new code under its hash, forgetting codes long past their 10-minute life.
    pub fn put_code(&self, code_hash: String, code: AuthCode) {
        let mut inner = self.lock();
        let horizon = code.issued_at - chrono::Duration::hours(1);
        inner.codes.retain(|_, c| c.issued_at > horizon);
        inner.codes.insert(code_hash, code);
    }

    /// The code stored under this hash.
    pub fn code(&self, code_hash: &str) -> Option<AuthCode> {
        self.lock().codes.get(code_hash).cloned()
    }

    /// Marks a code redeemed; false if it already was (a concurrent second redemption).
    pub fn mark_redeemed(&self, code_hash: &str) -> bool {
        let mut inner = self.lock();
        match inner.codes.get_mut(code_hash) {
            Some(code) if !code.redeemed => {
                code.redeemed = true;
                true
            }
            _ => false,
        }
    }

    /// Records a refresh token by hash, forgetting records older than their 90-day life.
    pub fn put_refresh(&self, hash: String, record: RefreshRecord) {
        let mut inner = self.lock();
        let horizon = record.issued_at - chrono::Duration::days(91);
        inner
            .persisted
            .refresh_tokens
            .retain(|_, r| r.issued_at > horizon);
        inner.persisted.refresh_tokens.insert(hash, record);
        self.save(&inner);
    }

    /// Looks a refresh token up by hash; the flag says whether it was revoked.
    pub fn refresh(&self, hash: &str) -> Option<(RefreshRecord, bool)> {
        let inner = self.lock();
        let record = inner.persisted.refresh_tokens.get(hash)?.clone();
        let revoked = inner
            .persisted
            .revoked_before
            .get(&record.user_id)
            .is_some_and(|cut| record.issued_at <= *cut);
        Some((record, revoked))
    }

    /// Revokes every refresh token of a user issued up to `now` ("revoke sessions").
    pub fn revoke_user(&self, user_id: &str, now: DateTime<Utc>) {
        let mut inner = self.lock();
        inner
            .persisted
            .revoked_before
            .insert(user_id.to_owned(), now);
        self.save(&inner);
    }

    /// Accounts signed in to a session.
    pub fn session(&self, id: &str) -> Vec<(String, String)> {
        self.lock().sessions.get(id).cloned().unwrap_or_default()
    }

    /// Adds an account to a session (moving it to most recent).
    pub fn sign_in(&self, session_id: &str, tenant_id: &str, user_id: &str) {
        let mut inner = self.lock();
        let accounts = inner.sessions.entry(session_id.to_owned()).or_default();
        accounts.retain(|(t, u)| !(t == tenant_id && u == user_id));
        accounts.push((tenant_id.to_owned(), user_id.to_owned()));
    }

    /// Remembers the one-time code shown on the MFA page for this session and user.
    pub fn set_mfa_code(&self, session_id: &str, user_id: &str, code: String) {
        self.lock()
            .mfa_codes
            .insert((session_id.to_owned(), user_id.to_owned()), code);
    }

    /// Checks an MFA code; on a match the session's account counts as MFA-verified from now on.
    pub fn verify_mfa(&self, session_id: &str, user_id: &str, code: &str) -> bool {
        let mut inner = self.lock();
        let key = (session_id.to_owned(), user_id.to_owned());
        let matched = inner.mfa_codes.get(&key).is_some_and(|c| c == code.trim());
        if matched {
            inner.mfa_codes.remove(&key);
            inner.mfa_done.insert(key);
        }
        matched
    }

    /// Whether this session's account passed MFA.
    pub fn mfa_done(&self, session_id: &str, user_id: &str) -> bool {
        self.lock()
            .mfa_done
            .contains(&(session_id.to_owned(), user_id.to_owned()))
    }

    /// The run-time version of an app's service principal in a tenant, if one was created or changed.
    pub fn service_principal(&self, tenant_id: &str, app_id: &str) -> Option<ServicePrincipal> {
        self.lock()
            .persisted
            .service_principals
            .iter()
            .find(|s| {
                s.tenant_id == tenant_id && s.service_principal.app_id.eq_ignore_ascii_case(app_id)
            })
            .map(|s| s.service_principal.clone())
    }

    /// Stores (creating or replacing) a tenant's service principal.
    pub fn put_service_principal(&self, tenant_id: &str, sp: ServicePrincipal) {
        let mut inner = self.lock();
        let list = &mut inner.persisted.service_principals;
        list.retain(|s| !(s.tenant_id == tenant_id && s.service_principal.app_id == sp.app_id));
        list.push(TenantServicePrincipal {
            tenant_id: tenant_id.to_owned(),
            service_principal: sp,
        });
        self.save(&inner);
    }

    /// The admin consent request policy an admin set at run time, if any.
    pub fn consent_request_policy(&self, tenant_id: &str) -> Option<AdminConsentRequestPolicy> {
        self.lock()
            .persisted
            .consent_request_policies
            .get(tenant_id)
            .cloned()
    }

    /// Replaces a tenant's admin consent request policy.
    pub fn set_consent_request_policy(&self, tenant_id: &str, policy: AdminConsentRequestPolicy) {
        let mut inner = self.lock();
        inner
            .persisted
            .consent_request_policies
            .insert(tenant_id.to_owned(), policy);
        self.save(&inner);
    }

    /// Service principals created or changed at run time in a tenant.
    pub fn service_principals(&self, tenant_id: &str) -> Vec<ServicePrincipal> {
        self.lock()
            .persisted
            .service_principals
            .iter()
            .filter(|s| s.tenant_id == tenant_id)
            .map(|s| s.service_principal.clone())
            .collect()
    }

    /// A user's Sent Items, newest first.
    pub fn sent_items(&self, user_id: &str) -> Vec<Message> {
        let inner = self.lock();
        inner
            .sent_items
            .get(user_id)
            .map(|v| v.iter().rev().cloned().collect())
            .unwrap_or_default()
    }

    /// Saves a message to a user's Sent Items.
    pub fn save_sent(&self, user_id: &str, message: Message) {
        self.lock()
            .sent_items
            .entry(user_id.to_owned())
            .or_default()
            .push(message);
    }
}
