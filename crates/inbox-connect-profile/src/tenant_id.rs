//! The tenant id Microsoft sends back: the `tid` of an id token, the `tenant` of an admin-consent
//! redirect.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A tenant id as Microsoft sent it (a GUID from Entra). Not checked: it comes only from
/// Microsoft's answers and from the app's own keychain entry, where refusing an odd value would
/// lose the stored connection. To name the organization in a link, parse it as a
/// [`crate::TenantRef`] (the personal-account tenant is none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TenantId(String);

impl TenantId {
    /// The id as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for TenantId {
    fn from(id: String) -> TenantId {
        TenantId(id)
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
