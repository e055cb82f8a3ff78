//! The admin-consent link for the user's own organization (entra-reference.md §3.1): the one URL an
//! IT admin opens to grant the app's permissions for everyone, instead of a page of portal clicks.

use url::Url;

use crate::profile::{Feature, Profile, ProfileError, TenantError};

/// One organization, from the profile crate, where the links and their callers have it.
pub use crate::profile::TenantRef;

/// Why no admin-consent link could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminLinkError {
    /// What was given does not name one organization.
    #[error(transparent)]
    Tenant(#[from] TenantError),
    /// The profile's sign-in authority is not Microsoft-shaped (`{host}/{tenant}/v2.0`).
    #[error("the sign-in authority {0} is not a Microsoft Entra authority, so it has no admin-consent endpoint")]
    NotEntraAuthority(String),
    /// The profile could not give its endpoints or scopes.
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

/// Where an admin-consent link handed to someone (the message to IT, a copied link) sends the
/// browser after the grant: the vendor's page (`admin_consent_redirect_uri`, a Web redirect URI
/// of the app) when the profile names one. Otherwise the desktop app's registered URI (§2:
/// `http://localhost` under Mobile and desktop applications, the port ignored when Entra matches
/// it), where the admin's browser then finds nothing listening and shows an error.
pub fn registered_redirect_uri(profile: &Profile) -> String {
    match &profile.admin_consent_redirect_uri {
        Some(page) => page.to_string(),
        None => format!("http://localhost{}", profile.redirect_path),
    }
}

/// The v2 admin-consent URL for `tenant`, asking for exactly the scopes of `features`:
/// `{login}/{tenant}/v2.0/adminconsent?client_id=…&scope=…&redirect_uri=…[&state=…]`.
pub fn admin_consent_url(
    profile: &Profile,
    tenant: &TenantRef,
    features: &[Feature],
    redirect_uri: &str,
    state: Option<&str>,
) -> Result<Url, AdminLinkError> {
    let authority = &profile.endpoints()?.authority;
    // `{login host}/{any tenant}/v2.0`: an authority given on the command line may name another
    // tenant than the profile (`common`, a tenant id), and the link replaces it anyway.
    let base = authority
        .as_str()
        .trim_end_matches('/')
        .strip_suffix("/v2.0")
        .and_then(|rest| rest.rsplit_once('/'))
        .map(|(base, _tenant)| base)
        .filter(|base| {
            base.contains("://") && !base.ends_with('/') && base.matches('/').count() >= 2
        })
        .ok_or_else(|| AdminLinkError::NotEntraAuthority(authority.to_string()))?;
    let mut url = Url::parse(&format!("{base}/{}/v2.0/adminconsent", tenant.as_str()))
        .map_err(|_| AdminLinkError::NotEntraAuthority(authority.to_string()))?;
    // §3.1 names Graph permissions by their full URI, in the profile's cloud (§9).
    let scopes: Vec<String> = profile
        .scopes_for(features)?
        .iter()
        .map(|s| profile.qualified_scope(&s.scope))
        .collect();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("client_id", profile.client_id.as_str())
            .append_pair("scope", &scopes.join(" "))
            .append_pair("redirect_uri", redirect_uri);
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_has_the_tenant_the_client_and_exactly_the_feature_scopes() {
        let profile = crate::test_profile();
        let tenant =
            TenantRef::parse("contoso-recruiting.example").unwrap_or_else(|e| panic!("{e}"));
        let url = admin_consent_url(
            &profile,
            &tenant,
            &[Feature::Mailbox],
            &registered_redirect_uri(&profile),
            Some("s1"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(url.path(), "/contoso-recruiting.example/v2.0/adminconsent");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("client_id"), Some(profile.client_id.as_str()));
        assert_eq!(get("redirect_uri"), Some("http://localhost/"));
        assert_eq!(get("state"), Some("s1"));
        assert_eq!(
            get("scope"),
            Some("https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/Mail.ReadWrite offline_access https://graph.microsoft.com/User.Read openid profile email")
        );
    }

    #[test]
    fn a_link_for_it_lands_on_the_vendors_page_when_the_profile_names_one() {
        let text = crate::profile::SANDBOX_PROFILE.replace(
            "# admin_consent_redirect_uri = ",
            "admin_consent_redirect_uri = ",
        );
        let profile = Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            registered_redirect_uri(&profile),
            "https://acme-recruit.example/admin-consent-done"
        );
        assert_eq!(
            registered_redirect_uri(&Profile::sandbox()),
            "http://localhost/"
        );
    }

    #[test]
    fn national_cloud_links_use_the_cloud_hosts() {
        let text =
            crate::profile::SANDBOX_PROFILE.replace("# cloud = \"global\"", "cloud = \"us_gov\"");
        let profile = Profile::from_toml(&text).unwrap_or_else(|e| panic!("{e}"));
        let tenant = TenantRef::parse("agency.gov").unwrap_or_else(|e| panic!("{e}"));
        let url = admin_consent_url(
            &profile,
            &tenant,
            &[Feature::Calendar],
            "http://localhost/",
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(url
            .as_str()
            .starts_with("https://login.microsoftonline.us/agency.gov/v2.0/adminconsent?"));
        assert!(url.query_pairs().any(|(k, v)| k == "scope"
            && v.starts_with("https://graph.microsoft.us/Calendars.ReadWrite")));
    }
}
