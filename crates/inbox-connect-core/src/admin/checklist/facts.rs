//! What every checklist item needs to know, gathered once from the profile and the snapshot.

use crate::admin::snapshot::{ServicePrincipal, TenantSnapshot};
use crate::blocked::admin_consent::{admin_consent_url, registered_redirect_uri, TenantRef};
use crate::profile::{Feature, Profile, ProfileError, ScopeName};
use crate::words::Words;

use super::names::Names;

/// Which user consent setting the tenant has (docs/entra-reference.md §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UserConsent {
    Off,
    VerifiedLowImpact,
    MicrosoftManaged,
    AllApps,
    Custom,
}

/// The ids of the user consent policies assigned (`ManagePermissionGrantsForSelf.{id}`, whose
/// case varies in the wild, docs/entra-reference.md §4.1), as sent.
pub(super) fn user_consent_policies(assigned: &[String]) -> Vec<&str> {
    const PREFIX: &str = "ManagePermissionGrantsForSelf.";
    assigned
        .iter()
        .filter(|p| {
            p.get(..PREFIX.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(PREFIX))
        })
        .filter_map(|p| p.get(PREFIX.len()..))
        .collect()
}

impl UserConsent {
    pub(super) fn of(assigned: &[String]) -> UserConsent {
        let ids = user_consent_policies(assigned);
        let has = |id: &str| ids.iter().any(|i| i.eq_ignore_ascii_case(id));
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

    /// The option chosen in User consent settings, in the Entra admin centre's words (docs/entra-reference.md §4.1);
    /// `None` for a custom policy, which is not one of its options.
    pub(super) fn option(self) -> Option<&'static str> {
        match self {
            UserConsent::Off => Some("Do not allow user consent"),
            UserConsent::VerifiedLowImpact => Some(
                "Allow user consent for apps from verified publishers, for selected permissions",
            ),
            // The portal's label as audit scripts quote it; Microsoft's docs do not (docs/entra-reference.md §4.1).
            UserConsent::MicrosoftManaged => Some("Let Microsoft manage your consent settings"),
            UserConsent::AllApps => Some("Allow user consent for apps"),
            UserConsent::Custom => None,
        }
    }

    /// The setting's state in a few words, for a title.
    pub(super) fn state(self) -> Words {
        Words::new(match self {
            UserConsent::Off => "checklist.user_consent.state.off",
            UserConsent::VerifiedLowImpact => "checklist.user_consent.state.verified_low_impact",
            UserConsent::MicrosoftManaged => "checklist.user_consent.state.microsoft_managed",
            UserConsent::AllApps => "checklist.user_consent.state.all_apps",
            UserConsent::Custom => "checklist.user_consent.state.custom",
        })
    }
}

/// How a sentence about granting for the organization begins.
#[derive(Clone, Copy)]
pub(super) enum Lead {
    /// "Grant admin consent …"
    Grant,
    /// "Or grant admin consent …"
    OrGrant,
    /// "If recruiters are blocked, grant admin consent …"
    IfBlocked,
}

/// What every item needs to know.
pub(super) struct Facts<'a> {
    pub(super) app: &'a str,
    pub(super) app_id: &'a str,
    /// The admin centre of the profile's cloud (docs/entra-reference.md §9).
    pub(super) admin_centre: &'a str,
    pub(super) sp: Option<&'a ServicePrincipal>,
    /// The profile's permissions not covered by tenant-wide consent (`None`: unknown).
    pub(super) missing: Option<Vec<String>>,
    pub(super) user_consent: Option<UserConsent>,
    pub(super) consent_link: Option<String>,
    /// Who the policies name.
    pub(super) names: Names<'a>,
}

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
        let consent_link = TenantRef::parse(snapshot.tenant_id.as_str())
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
            app_id: profile.client_id.as_str(),
            admin_centre: profile.links_cloud().admin_centre(),
            sp,
            missing,
            user_consent: snapshot
                .authorization_policy
                .value()
                .map(|p| UserConsent::of(&p.permission_grant_policies_assigned)),
            consent_link,
            names: Names(snapshot.names.value()),
        })
    }

    /// How to grant admin consent for the organization, in the admin centre's words.
    pub(super) fn grant_how(&self) -> Words {
        let key = match (self.sp.is_some(), self.consent_link.is_some()) {
            (true, true) => "checklist.grant.how.link_or_portal",
            (true, false) => "checklist.grant.how.portal",
            // The enterprise app appears with the first consent: until then only the link works.
            (false, true) => "checklist.grant.how.link",
            (false, false) => return self.consent_box(),
        };
        Words::new(key).with("app", self.app)
    }

    /// The sentence "`lead` admin consent for the organization: how."
    pub(super) fn grant_action(&self, lead: Lead) -> Words {
        Words::new(match lead {
            Lead::Grant => "checklist.grant.action",
            Lead::OrGrant => "checklist.grant.action_or",
            Lead::IfBlocked => "checklist.grant.action_if_blocked",
        })
        .with("how", self.grant_how())
    }

    /// The box a Global Administrator ticks on Microsoft's consent page to grant for everyone:
    /// only where neither the link nor the portal can grant (issue 27: the admin screen tells
    /// the admin to leave that box unticked on the check's sign-in, so the checklist offers it
    /// as no second way beside the link).
    fn consent_box(&self) -> Words {
        Words::new("checklist.grant.consent_box").with("app", self.app)
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
