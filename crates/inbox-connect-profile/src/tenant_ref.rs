//! One organization, as Entra accepts it in a URL: the admin-consent link's tenant, the tenant a
//! setting pins sign-in to, and what a person types to name their organization.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The personal Microsoft account "tenant" (docs/entra-reference.md §1.1): it has no admin who could consent.
const PERSONAL_ACCOUNT_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// An organization, named as Entra accepts it in a URL: its tenant id or one of its verified
/// domains, in lower case. Never a multi-organization alias (`organizations`, `common`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct TenantRef(String);

/// Why a text does not name one organization.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TenantError {
    /// The tenant was left empty.
    #[error("no organization given: enter your organization's domain (e.g. contoso.com), tenant id, or your work email address")]
    Missing,
    /// A multi-organization alias was given where one organization is needed.
    #[error("'{0}' does not name one organization; admin consent needs your organization's own domain or tenant id (Microsoft: do not use 'common')")]
    NotOneOrganization(String),
    /// The personal-account tenant was given.
    #[error("personal Microsoft accounts have no IT admin who could grant consent; sign in with your work account")]
    PersonalAccount,
    /// The text is neither a tenant id nor a domain name.
    #[error("'{0}' is not a domain name, a tenant id or an email address")]
    Malformed(String),
}

impl TenantRef {
    /// Reads a tenant id, a domain name, or an email address (its domain is the organization's).
    pub fn parse(input: &str) -> Result<TenantRef, TenantError> {
        let text = input.trim();
        let text = text
            .rsplit_once('@')
            .map_or(text, |(_, domain)| domain)
            .trim_end_matches('.');
        if text.is_empty() {
            return Err(TenantError::Missing);
        }
        let lower = text.to_ascii_lowercase();
        if ["common", "organizations", "consumers"].contains(&lower.as_str()) {
            return Err(TenantError::NotOneOrganization(text.to_owned()));
        }
        if lower == PERSONAL_ACCOUNT_TENANT {
            return Err(TenantError::PersonalAccount);
        }
        let is_label = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        let is_guid = lower.len() == 36
            && lower.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_hexdigit(),
            });
        let is_domain = lower.contains('.') && lower.len() <= 253 && lower.split('.').all(is_label);
        if is_guid || is_domain {
            Ok(TenantRef(lower))
        } else {
            Err(TenantError::Malformed(text.to_owned()))
        }
    }

    /// The tenant as written into URLs.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<TenantRef> for String {
    fn from(tenant: TenantRef) -> String {
        tenant.0
    }
}

/// What is read back is what was written: `parse` of its own output gives it again.
impl TryFrom<String> for TenantRef {
    type Error = TenantError;

    fn try_from(text: String) -> Result<TenantRef, TenantError> {
        TenantRef::parse(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_from_id_domain_or_email() {
        let id = "3F6B2C1E-5A47-4D8E-9C21-7B0E4F9A2D61";
        assert_eq!(
            TenantRef::parse(id).map(|t| t.0),
            Ok(id.to_ascii_lowercase())
        );
        assert_eq!(
            TenantRef::parse(" Contoso.com ").map(|t| t.0),
            Ok("contoso.com".into())
        );
        assert_eq!(
            TenantRef::parse("riley@contoso-recruiting.example").map(|t| t.0),
            Ok("contoso-recruiting.example".into())
        );
    }

    #[test]
    fn never_common_or_personal() {
        for alias in ["common", "Organizations", "consumers"] {
            assert!(matches!(
                TenantRef::parse(alias),
                Err(TenantError::NotOneOrganization(_))
            ));
        }
        assert_eq!(
            TenantRef::parse(PERSONAL_ACCOUNT_TENANT),
            Err(TenantError::PersonalAccount)
        );
        assert_eq!(TenantRef::parse("  "), Err(TenantError::Missing));
        for bad in ["contoso", "a b.com", "x.com/../common"] {
            assert!(matches!(
                TenantRef::parse(bad),
                Err(TenantError::Malformed(_))
            ));
        }
    }

    #[test]
    fn stored_as_the_plain_string_and_only_an_organization_reads_back() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Stored {
            tenant: TenantRef,
        }
        let stored = Stored {
            tenant: TenantRef::parse("Contoso.com").unwrap(),
        };
        let text = toml::to_string(&stored).unwrap();
        assert_eq!(text, "tenant = \"contoso.com\"\n");
        assert_eq!(toml::from_str::<Stored>(&text).unwrap(), stored);
        assert!(toml::from_str::<Stored>("tenant = \"common\"").is_err());
    }
}
