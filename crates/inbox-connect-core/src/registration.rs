//! What a vendor registers in Microsoft Entra for its profile, printed rather than clicked: the
//! recruiters' app (a public client whose redirect URI is the loopback one the app sends, asking
//! for the delegated Graph permissions of the profile's features) and, when the profile names one,
//! the admin app. Each is an `application` object as Microsoft Graph's `POST /applications`
//! takes it, and the Azure CLI commands that create it.

mod graph_ids;

use serde_json::{json, Value};

use crate::admin::AdminScopes;
use crate::profile::{Cloud, Profile, Tenant};

pub use graph_ids::{delegated_id, MICROSOFT_GRAPH};

/// Every delegated Graph permission this app knows the id of: (name, id).
pub fn known_graph_permissions() -> &'static [(&'static str, &'static str)] {
    graph_ids::DELEGATED
}

/// Why no registration could be printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    /// A scope of the profile is not a Graph delegated permission this app knows the id of.
    #[error(
        "no Microsoft Graph permission id is known for the scope {0:?}: check its spelling against \
         https://learn.microsoft.com/graph/permissions-reference, or add it to the registration by hand"
    )]
    UnknownScope(String),
}

/// One app registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRegistration {
    /// Its display name (what consent pages show).
    pub display_name: String,
    /// `signInAudience`, from the profile's tenant.
    pub sign_in_audience: &'static str,
    /// "Mobile and desktop applications" redirect URIs.
    pub public_client_redirect_uris: Vec<String>,
    /// "Web" redirect URIs (the vendor's page after an admin's grant).
    pub web_redirect_uris: Vec<String>,
    /// The delegated Graph permissions, each with its id.
    pub permissions: Vec<(String, &'static str)>,
}

/// The recruiters' app and, when the profile has one, the admin app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The app recruiters sign in to (the profile's `client_id` once created).
    pub recruiter: AppRegistration,
    /// The admin app (the profile's `admin_client_id`), if the profile names one.
    pub admin: Option<AppRegistration>,
    /// The profile's Microsoft cloud: where the apps are created and managed.
    pub cloud: Cloud,
}

impl Registration {
    /// The registration the profile needs.
    pub fn for_profile(profile: &Profile) -> Result<Registration, RegistrationError> {
        let audience = sign_in_audience(&profile.tenant);
        let loopback = if profile.redirect_path == "/" {
            "http://localhost".to_owned()
        } else {
            format!("http://localhost{}", profile.redirect_path)
        };
        let scopes: Vec<String> = profile
            .features
            .iter()
            .flat_map(|f| f.scopes.iter().map(|s| s.scope.clone()))
            .collect();
        let recruiter = AppRegistration {
            display_name: profile.app_name.clone(),
            sign_in_audience: audience,
            public_client_redirect_uris: vec![loopback.clone()],
            web_redirect_uris: profile
                .admin_consent_redirect_uri
                .iter()
                .map(|u| u.to_string())
                .collect(),
            permissions: permissions(profile, &scopes)?,
        };
        let admin = match &profile.admin_client_id {
            None => None,
            Some(_) => {
                let scopes: Vec<String> = [
                    AdminScopes::Verify,
                    AdminScopes::ManageAssignment,
                    AdminScopes::ManageConsentRequests,
                ]
                .into_iter()
                .flat_map(|s| s.scopes().into_iter().map(|r| r.scope))
                .collect();
                Some(AppRegistration {
                    display_name: format!("{} (IT admin check)", profile.app_name),
                    sign_in_audience: audience,
                    public_client_redirect_uris: vec![loopback],
                    web_redirect_uris: Vec::new(),
                    permissions: permissions(profile, &scopes)?,
                })
            }
        };
        Ok(Registration {
            recruiter,
            admin,
            cloud: profile.links_cloud(),
        })
    }

    /// The Azure CLI commands that create the apps from the manifest files `recruiter-app.json`
    /// and `admin-app.json` (each [`AppRegistration::manifest`]).
    pub fn az_commands(&self) -> String {
        let files = std::iter::once("recruiter-app.json")
            .chain(self.admin.as_ref().map(|_| "admin-app.json"));
        files
            .map(|file| {
                format!(
                    "az rest --method POST --url {}/v1.0/applications \
                     --headers Content-Type=application/json --body @{file}\n",
                    self.cloud.graph_host()
                )
            })
            .collect()
    }

    /// What the commands leave to the vendor, in order.
    pub fn next_steps(&self) -> [String; 4] {
        [
            "Put each created app's appId into the profile: client_id (and admin_client_id)."
                .to_owned(),
            format!(
                "Verify the publisher (App registrations > Branding & properties > Publisher \
                 verification, in {}): many organizations let users consent only to apps from \
                 verified publishers.",
                self.cloud.admin_centre()
            ),
            "Give each app a logo and the links to your terms and privacy statement (Branding & \
             properties): Microsoft's consent page shows them."
                .to_owned(),
            "Add no client secret or certificate: the app is a public client and signs in with PKCE."
                .to_owned(),
        ]
    }
}

impl AppRegistration {
    /// The `application` object to create (Graph v1.0: `POST /applications`).
    pub fn manifest(&self) -> Value {
        let access: Vec<Value> = self
            .permissions
            .iter()
            .map(|(_, id)| json!({ "id": id, "type": "Scope" }))
            .collect();
        let mut app = json!({
            "displayName": self.display_name,
            "signInAudience": self.sign_in_audience,
            "publicClient": { "redirectUris": self.public_client_redirect_uris },
            "requiredResourceAccess": [
                { "resourceAppId": MICROSOFT_GRAPH, "resourceAccess": access }
            ],
        });
        if !self.web_redirect_uris.is_empty() {
            app["web"] = json!({ "redirectUris": self.web_redirect_uris });
        }
        app
    }
}

/// Each distinct scope with its Graph id, in the order first named.
fn permissions(
    profile: &Profile,
    scopes: &[String],
) -> Result<Vec<(String, &'static str)>, RegistrationError> {
    let graph = format!("{}/", profile.links_cloud().graph_host());
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for scope in scopes {
        let name = scope.strip_prefix(&graph).unwrap_or(scope);
        let id =
            delegated_id(name).ok_or_else(|| RegistrationError::UnknownScope(scope.clone()))?;
        if !out.iter().any(|(_, known)| *known == id) {
            out.push((name.to_owned(), id));
        }
    }
    Ok(out)
}

/// `signInAudience` for whose accounts the profile signs in.
fn sign_in_audience(tenant: &Tenant) -> &'static str {
    match tenant {
        Tenant::Organizations => "AzureADMultipleOrgs",
        Tenant::Common => "AzureADandPersonalMicrosoftAccount",
        Tenant::One(_) => "AzureADMyOrg",
    }
}

#[cfg(test)]
mod tests;
