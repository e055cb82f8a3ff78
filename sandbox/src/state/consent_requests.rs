//! Admin consent workflow requests (Graph `appConsentRequest` / `userConsentRequest`, docs/entra-reference.md §4,
//! §6.6): what "Request approval" stores and admin consent completes.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Store;

/// A user's request in the admin consent workflow (Graph `userConsentRequest`, docs/entra-reference.md §6.6).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserConsentRequest {
    /// Request id.
    pub id: String,
    /// The requesting user's object id.
    pub user_id: String,
    /// The justification the user typed.
    pub reason: String,
    /// When it was made.
    pub created: DateTime<Utc>,
    /// When it expires (`requestDurationInDays` after creation).
    pub expires: DateTime<Utc>,
    /// When an admin granted consent, ending the request.
    pub completed: Option<DateTime<Utc>>,
}

/// Graph `userConsentRequest.status` (docs/entra-reference.md §6.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Waiting for a reviewer.
    InProgress,
    /// Consent was granted.
    Completed,
    /// Nobody acted within `requestDurationInDays`.
    Expired,
}

impl RequestStatus {
    /// The Graph value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "InProgress",
            Self::Completed => "Completed",
            Self::Expired => "Expired",
        }
    }
}

impl UserConsentRequest {
    /// The status at `now`.
    pub fn status(&self, now: DateTime<Utc>) -> RequestStatus {
        match self.completed {
            Some(_) => RequestStatus::Completed,
            None if now >= self.expires => RequestStatus::Expired,
            None => RequestStatus::InProgress,
        }
    }
}

/// The requests for one app in one tenant (Graph `appConsentRequest`, docs/entra-reference.md §6.6).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ConsentRequest {
    /// Request id.
    pub id: String,
    /// Tenant id.
    pub tenant_id: String,
    /// Client (app) id.
    pub app_id: String,
    /// Scopes users asked for and nobody granted yet.
    pub pending_scopes: BTreeSet<String>,
    /// One entry per requesting user.
    pub user_requests: Vec<UserConsentRequest>,
}

impl Store {
    /// Records a user's request for admin approval. A user with a request still open for the app
    /// is not added twice; the app's pending scopes widen.
    pub fn add_consent_request(
        &self,
        tenant_id: &str,
        app_id: &str,
        scopes: &BTreeSet<String>,
        request: UserConsentRequest,
    ) {
        let mut inner = self.lock();
        let now = request.created;
        let list = &mut inner.persisted.consent_requests;
        let index = match list
            .iter()
            .position(|r| r.tenant_id == tenant_id && r.app_id == app_id)
        {
            Some(i) => i,
            None => {
                list.push(ConsentRequest {
                    id: crate::random::guid(),
                    tenant_id: tenant_id.to_owned(),
                    app_id: app_id.to_owned(),
                    pending_scopes: BTreeSet::new(),
                    user_requests: Vec::new(),
                });
                list.len() - 1
            }
        };
        let entry = &mut list[index];
        entry.pending_scopes.extend(scopes.iter().cloned());
        let open = entry
            .user_requests
            .iter()
            .any(|u| u.user_id == request.user_id && u.status(now) == RequestStatus::InProgress);
        if !open {
            entry.user_requests.push(request);
        }
        self.save(&inner);
    }

    /// Admin consent was granted for an app: its open requests complete and nothing stays pending.
    pub fn complete_consent_requests(&self, tenant_id: &str, app_id: &str, now: DateTime<Utc>) {
        let mut inner = self.lock();
        for request in inner
            .persisted
            .consent_requests
            .iter_mut()
            .filter(|r| r.tenant_id == tenant_id && r.app_id.eq_ignore_ascii_case(app_id))
        {
            request.pending_scopes.clear();
            for user in &mut request.user_requests {
                if user.status(now) == RequestStatus::InProgress {
                    user.completed = Some(now);
                }
            }
        }
        self.save(&inner);
    }

    /// The admin consent requests of a tenant.
    pub fn consent_requests(&self, tenant_id: &str) -> Vec<ConsentRequest> {
        self.lock()
            .persisted
            .consent_requests
            .iter()
            .filter(|r| r.tenant_id == tenant_id)
            .cloned()
            .collect()
    }
}
