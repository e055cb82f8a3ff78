//! The profile's tenant: the `{tenant}` segment of the sign-in authority (docs/entra-reference.md §1.1).

use std::fmt;
use std::str::FromStr;

use crate::{ProfileError, TenantError, TenantRef};

/// Whose accounts sign in: `{tenant}` in `https://login.microsoftonline.com/{tenant}/v2.0`.
/// `consumers` (personal accounts only) is not among them: the app connects work mailboxes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tenant {
    /// `organizations`: a work or school account of any organization (the default).
    Organizations,
    /// `common`: work or school accounts and personal Microsoft accounts.
    Common,
    /// One organization's accounts only (a setting IT deployed, or a single-tenant app).
    One(TenantRef),
}

impl Tenant {
    /// The segment as written into the authority URL.
    pub fn as_str(&self) -> &str {
        match self {
            Tenant::Organizations => "organizations",
            Tenant::Common => "common",
            Tenant::One(tenant) => tenant.as_str(),
        }
    }
}

impl fmt::Display for Tenant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Reads the profile's `tenant` field; a problem is named by the field.
impl FromStr for Tenant {
    type Err = ProfileError;

    fn from_str(text: &str) -> Result<Tenant, ProfileError> {
        let reason = match text.trim().to_ascii_lowercase().as_str() {
            "organizations" => return Ok(Tenant::Organizations),
            "common" => return Ok(Tenant::Common),
            "consumers" => "is consumers, which signs in personal Microsoft accounts only: use organizations for work or school accounts".to_owned(),
            _ if text.contains('@') => format!("is the email address {text:?}: use the organization's domain or tenant id"),
            _ => match TenantRef::parse(text) {
                Ok(tenant) => return Ok(Tenant::One(tenant)),
                Err(TenantError::PersonalAccount) => "is the tenant of personal Microsoft accounts: use organizations, or the tenant id of a work organization".to_owned(),
                Err(_) => format!("is {text:?}: must be organizations, common, a tenant id or a verified domain"),
            },
        };
        Err(ProfileError::Field {
            field: "tenant".to_owned(),
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_one_organization() {
        assert_eq!("organizations".parse(), Ok(Tenant::Organizations));
        assert_eq!(" Common ".parse(), Ok(Tenant::Common));
        let one: Tenant = "Contoso.com".parse().unwrap();
        assert_eq!(one.to_string(), "contoso.com");
        for bad in ["consumers", "riley@contoso.com", "contoso", "", "a/b.com"] {
            let e = bad.parse::<Tenant>().unwrap_err().to_string();
            assert!(e.starts_with("`tenant` is "), "{bad}: {e}");
        }
    }
}
