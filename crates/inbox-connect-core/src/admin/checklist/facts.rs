//! What every checklist item needs to know, gathered once from the profile and the snapshot.

use crate::admin::snapshot::{ServicePrincipal, TenantSnapshot};
use crate::blocked::admin_consent::{admin_consent_url, registered_redirect_uri, TenantRef};
use crate::profile::{Feature, Profile, ProfileError, ScopeName};

/// Which user consent setting the tenant has (ref §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UserConsent {
    Off,
    VerifiedLowImpact,
    MicrosoftManaged,
    AllApps,
    Custom,
}

impl UserConsent {
    pub(super) fn of(assigned: &[String]) -> UserConsent {
        const PREFIX: &str = "managepermissiongrantsforself.";
        let ids: Vec<String> = assigned
            .iter()
            .filter_map(|p| {
                p.to_ascii_lowercase()
                    .strip_prefix(PREFIX)
                    .map(str::to_owned)
            })
            .collect();
        let has = |id: &str| ids.iter().any(|i| i == id);
        if ids.is_empty() {
            UserConsent::Off
        } else if has("microsoft-user-default-legacy") {
            UserConsent::AllApps
        } else if has("microsoft-user-default-recommended") {
            UserConsent::MicrosoftManaged
        } else if has("microsoft-user-default-low") {
            UserConsent::VerifiedLowImpact
        } else {
            UserConsent::Custom
        }
    }

    /// Whether recruiters can consent to mail and calendar permissions themselves.
    pub(super) fn lets_users_consent(self) -> bool {
        matches!(self, UserConsent::AllApps | UserConsent::MicrosoftManaged)
    }
}

/// What every item needs to know.
pub(super) struct Facts<'a> {
    pub(super) app: &'a str,
    pub(super) app_id: &'a str,
    /// The admin centre of the profile's cloud (ref §9).
    pub(super) admin_centre: &'a str,
    pub(super) sp: Option<&'a ServicePrincipal>,
    /// The profile's permissions not covered by tenant-wide consent (`None`: unknown).
    pub(super) missing: Option<Vec<String>>,
    pub(super) user_consent: Option<UserConsent>,
    pub(super) consent_link: Option<String>,
}

pub(super) const OPTION_A: &str = "Option A: grant admin consent for the organization (the link, or Grant admin consent in the portal).";
pub(super) const OPTION_C: &str = "Option C: sign in to the app as a Global Administrator and tick \"Consent on behalf of your organization\" on the consent page.";
pub(super) const OPTION_B: &str = "Option B: allow user consent for apps from verified publishers for selected permissions, and classify the app's permissions as low impact (Consent and permissions > Permission classifications).";

impl<'a> Facts<'a> {
    /// The facts for the profile's permissions for `features` (not empty) in `snapshot`.
    pub(super) fn gather(
        profile: &'a Profile,
        features: &[Feature],
        snapshot: &'a TenantSnapshot,
    ) -> Result<Facts<'a>, ProfileError> {
        let required: Vec<String> = profile
            .scopes_for(features)?
            .into_iter()
            .map(|s| s.scope)
            .collect();
        let sp = snapshot.service_principal.value().and_then(Option::as_ref);
        let missing = snapshot.org_grants.value().map(|grants| {
            let granted: Vec<&String> = grants.iter().flat_map(|g| g.scopes.iter()).collect();
            required
                .iter()
                .filter(|s| !ScopeName::of(s).is_in(&granted))
                .cloned()
                .collect()
        });
        let consent_link = TenantRef::parse(&snapshot.tenant_id)
            .ok()
            .and_then(|t| {
                admin_consent_url(
                    profile,
                    &t,
                    features,
                    &registered_redirect_uri(profile),
                    None,
                )
                .ok()
            })
            .map(String::from);
        Ok(Facts {
            app: &profile.app_name,
            app_id: &profile.client_id,
            admin_centre: profile.links_cloud().admin_centre(),
            sp,
            missing,
            user_consent: snapshot
                .authorization_policy
                .value()
                .map(|p| UserConsent::of(&p.permission_grant_policies_assigned)),
            consent_link,
        })
    }

    pub(super) fn covered(&self) -> bool {
        self.missing.as_ref().is_some_and(Vec::is_empty)
    }

    /// Whether recruiters without tenant-wide consent are blocked at the consent page.
    pub(super) fn users_blocked(&self) -> bool {
        !self.covered()
            && (self.sp.is_some_and(|sp| sp.app_role_assignment_required)
                || self.user_consent.is_some_and(|u| !u.lets_users_consent()))
    }
}
