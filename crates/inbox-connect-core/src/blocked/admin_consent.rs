//! The admin-consent link for the user's own organization (docs/entra-reference.md §3.1): the one URL an
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
/// `{login}/{tenant}/v2.0/adminconsent?client_id=…&scope=…&redirect_uri=…[&state=…]`. This is the
/// link handed to IT (the message, the QR code): it names no account, and Microsoft documents no
/// account hint for it.
pub fn admin_consent_url(
    profile: &Profile,
    tenant: &TenantRef,
    features: &[Feature],
    redirect_uri: &str,
    state: Option<&str>,
) -> Result<Url, AdminLinkError> {
    let scope = qualified_scopes(profile, features)?;
    let mut pairs = vec![
        ("client_id", profile.client_id.as_str()),
        ("scope", scope.as_str()),
        ("redirect_uri", redirect_uri),
    ];
    pairs.extend(state.map(|s| ("state", s)));
    tenant_url(profile, tenant, "v2.0/adminconsent", &pairs)
}

/// "Grant for my organization" from this app: Microsoft's sign-in for the admin, then the
/// admin-consent page, `{login}/{tenant}/oauth2/v2.0/authorize?…&prompt=admin_consent
/// [&login_hint=…]`.
///
/// Why not `/adminconsent` (issue 27): its documented parameters are the tenant, `client_id`,
/// `redirect_uri`, `scope` and `state` (docs/entra-reference.md §3.1) and no account hint, so on a computer whose
/// browser is signed in as the recruiter it opens on her own "Need admin approval" page.
/// `login_hint` is documented on the authorization endpoint (docs/entra-reference.md §1.2). `prompt=admin_consent` is
/// documented for the consent framework (an administrator consenting for the whole organization;
/// its success carries `admin_consent=True`) and used by Microsoft's own portals, but the v2
/// reference lists only login, none, consent and select_account: this relies on Entra's behaviour,
/// and `/adminconsent` without the hint is the fallback. The code that comes back too is never redeemed: the grant is the point.
pub fn admin_grant_url(
    profile: &Profile,
    tenant: &TenantRef,
    features: &[Feature],
    redirect_uri: &str,
    state: &str,
    login_hint: Option<&str>,
) -> Result<Url, AdminLinkError> {
    let scope = qualified_scopes(profile, features)?;
    let mut pairs = vec![
        ("client_id", profile.client_id.as_str()),
        ("response_type", "code"),
        ("redirect_uri", redirect_uri),
        ("scope", scope.as_str()),
        ("state", state),
        ("prompt", "admin_consent"),
    ];
    pairs.extend(login_hint.map(|hint| ("login_hint", hint)));
    tenant_url(profile, tenant, "oauth2/v2.0/authorize", &pairs)
}

/// `{login}/{tenant}/{path}?{pairs}` for the profile's cloud.
fn tenant_url(
    profile: &Profile,
    tenant: &TenantRef,
    path: &str,
    pairs: &[(&str, &str)],
) -> Result<Url, AdminLinkError> {
    let mut url = Url::parse(&format!(
        "{}/{}/{path}",
        login_base(profile)?,
        tenant.as_str()
    ))
    .map_err(|_| not_entra(profile))?;
    url.query_pairs_mut().extend_pairs(pairs);
    Ok(url)
}

/// The sign-in host of the profile's authority, `{login host}/{any tenant}/v2.0` minus the tenant:
/// an authority given on the command line may name another tenant than the profile (`common`, a
/// tenant id), and the links replace it anyway.
fn login_base(profile: &Profile) -> Result<String, AdminLinkError> {
    let authority = &profile.endpoints()?.authority;
    authority
        .as_str()
        .trim_end_matches('/')
        .strip_suffix("/v2.0")
        .and_then(|rest| rest.rsplit_once('/'))
        .map(|(base, _tenant)| base)
        .filter(|base| {
            base.contains("://") && !base.ends_with('/') && base.matches('/').count() >= 2
        })
        .map(str::to_owned)
        .ok_or_else(|| not_entra(profile))
}

fn not_entra(profile: &Profile) -> AdminLinkError {
    AdminLinkError::NotEntraAuthority(
        profile
            .endpoints()
            .map(|e| e.authority.to_string())
            .unwrap_or_default(),
    )
}

/// The scopes of `features`, Graph permissions by their full URI in the profile's cloud (§3.1, §9).
fn qualified_scopes(profile: &Profile, features: &[Feature]) -> Result<String, AdminLinkError> {
    let scopes: Vec<String> = profile
        .scopes_for(features)?
        .iter()
        .map(|s| profile.qualified_scope(&s.scope))
        .collect();
    Ok(scopes.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the query parameter `key` of `url`.
    fn param(url: &Url, key: &str) -> Option<String> {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }

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
        let get = |k: &str| param(&url, k);
        assert_eq!(
            get("client_id").as_deref(),
            Some(profile.client_id.as_str())
        );
        assert_eq!(get("redirect_uri").as_deref(), Some("http://localhost/"));
        assert_eq!(get("state").as_deref(), Some("s1"));
        assert_eq!(
            get("scope").as_deref(),
            Some("https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/Mail.ReadWrite offline_access https://graph.microsoft.com/User.Read openid profile email")
        );
    }

    #[test]
    fn the_apps_own_grant_signs_the_admin_in_first_with_their_account_hinted() {
        let profile = crate::test_profile();
        let tenant = TenantRef::parse("tailspin.example").unwrap_or_else(|e| panic!("{e}"));
        let url = admin_grant_url(
            &profile,
            &tenant,
            &[Feature::Mailbox],
            "http://127.0.0.1:5000/",
            "s1",
            Some("admin@tailspin.example"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(url.path(), "/tailspin.example/oauth2/v2.0/authorize");
        let get = |k: &str| param(&url, k);
        assert_eq!(get("prompt").as_deref(), Some("admin_consent"));
        assert_eq!(get("login_hint").as_deref(), Some("admin@tailspin.example"));
        assert_eq!(get("response_type").as_deref(), Some("code"));
        assert_eq!(get("state").as_deref(), Some("s1"));
        assert!(get("scope").is_some_and(|s| s.contains("https://graph.microsoft.com/Mail.Send")));
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
