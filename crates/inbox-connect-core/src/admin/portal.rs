//! Where each setting lives in the Entra admin centre (docs/entra-reference.md §3.4). The navigation paths are
//! Microsoft's documented ones; the portal deep links are not documented and are labelled so.
//! Links name the admin centre of the profile's cloud (docs/entra-reference.md §9): a national cloud's admins cannot
//! use the worldwide one.

use serde::{Deserialize, Serialize};

/// Where to change a setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalLocation {
    /// The clicks in the Entra admin centre.
    pub path: String,
    /// A link that goes there, when one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Whether Microsoft documents the link (the `/adminconsent` URL is; portal deep links are
    /// UNCONFIRMED portal internals that may change).
    pub link_documented: bool,
}

impl PortalLocation {
    fn path(path: String) -> PortalLocation {
        PortalLocation {
            path,
            link: None,
            link_documented: false,
        }
    }

    /// The enterprise app's page `section` (`Properties`, `Users and groups`, ...).
    pub(crate) fn enterprise_app(app_name: &str, section: &str) -> PortalLocation {
        PortalLocation::path(format!(
            "Entra ID > Enterprise apps > All applications > {app_name} > {section}"
        ))
    }

    /// Enterprise app > Permissions > Grant admin consent, linked by the documented admin-consent
    /// URL when there is one, else by the undocumented portal blade.
    pub(crate) fn grant_consent(
        app_name: &str,
        admin_consent_url: Option<String>,
        sp_id: Option<&str>,
        app_id: &str,
        admin_centre: &str,
    ) -> PortalLocation {
        let path = format!(
            "Entra ID > Enterprise apps > All applications > {app_name} > Security > Permissions > Grant admin consent"
        );
        match (admin_consent_url, sp_id) {
            (Some(url), _) => PortalLocation {
                path,
                link: Some(url),
                link_documented: true,
            },
            (None, Some(sp_id)) => PortalLocation {
                path,
                link: Some(format!(
                    "{admin_centre}/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Permissions/objectId/{sp_id}/appId/{app_id}"
                )),
                link_documented: false,
            },
            (None, None) => PortalLocation::path(path),
        }
    }

    /// Consent and permissions > User consent settings.
    pub(crate) fn user_consent_settings(admin_centre: &str) -> PortalLocation {
        PortalLocation {
            path: "Entra ID > Enterprise apps > Consent and permissions > User consent settings"
                .into(),
            link: Some(format!(
                "{admin_centre}/#view/Microsoft_AAD_IAM/ConsentPoliciesMenuBlade/~/UserSettings"
            )),
            link_documented: false,
        }
    }

    /// Consent and permissions > Admin consent settings.
    pub(crate) fn admin_consent_settings() -> PortalLocation {
        PortalLocation::path(
            "Entra ID > Enterprise apps > Consent and permissions > Admin consent settings".into(),
        )
    }

    /// Enterprise apps > Admin consent requests.
    pub(crate) fn admin_consent_requests() -> PortalLocation {
        PortalLocation::path(
            "Entra ID > Enterprise apps > Admin consent requests > My pending".into(),
        )
    }

    /// Conditional Access > Policies.
    pub(crate) fn conditional_access() -> PortalLocation {
        PortalLocation::path("Entra ID > Conditional Access > Policies".into())
    }
}
