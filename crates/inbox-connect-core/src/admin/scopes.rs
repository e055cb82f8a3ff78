//! The Graph permissions the admin path asks for, each with the reason shown before sign-in.
//! They are asked for only on this path, in a sign-in of their own, never with the recruiter's.

use serde::{Deserialize, Serialize};

use crate::profile::ScopeReason;

/// A set of scopes the admin path signs in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminScopes {
    /// Read-only: what the checklist needs.
    Verify,
    /// Require assignment and assign users or groups.
    ManageAssignment,
    /// Turn on admin consent requests.
    ManageConsentRequests,
}

/// Signs the admin in and reads the id token's tenant; never stored.
const SIGN_IN: [(&str, &str); 2] = [
    (
        "openid",
        "sign you in and learn which organization you manage",
    ),
    ("profile", "show which admin account is signed in"),
];

const VERIFY: [(&str, &str); 5] = [
    ("Application.Read.All", "find the app in your organization and see whether it requires assignment, is enabled and has a verified publisher"),
    ("DelegatedPermissionGrant.Read.All", "see which of the app's permissions were granted for the whole organization"),
    ("Policy.Read.All", "read the user consent setting, the admin consent request settings and the Conditional Access policies"),
    ("ConsentRequest.Read.All", "list the approval requests recruiters sent for the app"),
    ("Directory.Read.All", "show the names of the reviewers, users and groups these settings name, instead of their object IDs"),
];

const MANAGE_ASSIGNMENT: [(&str, &str); 2] = [
    (
        "Application.ReadWrite.All",
        "turn on \"Assignment required\" for the app",
    ),
    (
        "AppRoleAssignment.ReadWrite.All",
        "assign the users or groups you chose to the app",
    ),
];

const MANAGE_CONSENT_REQUESTS: [(&str, &str); 1] = [(
    "Policy.ReadWrite.ConsentRequest",
    "turn on admin consent requests with the reviewers you chose",
)];

impl AdminScopes {
    /// The scopes with their reasons, sign-in scopes first.
    pub fn scopes(self) -> Vec<ScopeReason> {
        let own: &[(&str, &str)] = match self {
            AdminScopes::Verify => &VERIFY,
            AdminScopes::ManageAssignment => &MANAGE_ASSIGNMENT,
            AdminScopes::ManageConsentRequests => &MANAGE_CONSENT_REQUESTS,
        };
        SIGN_IN
            .iter()
            .chain(own)
            .map(|(scope, reason)| ScopeReason {
                scope: (*scope).to_owned(),
                reason: (*reason).to_owned(),
                reason_for_it: None,
            })
            .collect()
    }
}
