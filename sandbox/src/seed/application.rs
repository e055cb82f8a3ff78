//! App registrations (the application object, its redirect URIs) and their service principals
//! in tenants.

use serde::{Deserialize, Serialize};

/// An app registration (the application object in its home tenant).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Application {
    /// Application (client) id.
    pub app_id: String,
    /// Display name shown on the consent page.
    pub display_name: String,
    /// Publisher display name.
    #[serde(default)]
    pub publisher_name: String,
    /// Whether the publisher is verified (blue badge).
    #[serde(default)]
    pub publisher_verified: bool,
    /// Microsoft Partner Network id of the verified publisher.
    #[serde(default)]
    pub publisher_id: Option<String>,
    /// The tenant the application object lives in.
    pub home_tenant_id: String,
    /// `AzureADMyOrg` (single tenant) or `AzureADMultipleOrgs` (multi-tenant).
    #[serde(default = "multiple_orgs")]
    pub sign_in_audience: String,
    /// Whether Microsoft considers the app risky (docs/entra-reference.md §4, risk-based step-up consent).
    #[serde(default)]
    pub risky: bool,
    /// Statically configured delegated permissions, what `/.default` requests.
    #[serde(default)]
    pub required_scopes: Vec<String>,
    /// Registered redirect URIs with their platform.
    #[serde(default)]
    pub redirect_uris: Vec<RedirectUri>,
}

fn multiple_orgs() -> String {
    "AzureADMultipleOrgs".to_owned()
}

impl Application {
    /// Whether the app may be used from tenants other than its home tenant.
    pub fn is_multi_tenant(&self) -> bool {
        self.sign_in_audience != "AzureADMyOrg"
    }

    /// Whether personal Microsoft accounts may sign in (`AzureADandPersonalMicrosoftAccount`).
    pub fn accepts_personal_accounts(&self) -> bool {
        self.sign_in_audience == "AzureADandPersonalMicrosoftAccount"
            || self.sign_in_audience == "PersonalMicrosoftAccount"
    }

    /// Whether the app signs in as a public client somewhere: it has a "Mobile and desktop"
    /// redirect URI (docs/entra-reference.md §2). Its refresh tokens are redeemed without a secret.
    pub fn is_public_client(&self) -> bool {
        self.redirect_uris
            .iter()
            .any(|r| r.platform == Platform::MobileDesktop)
    }

    /// Whether a request with this redirect URI is a public client's: the redirect URI's own
    /// platform decides, so one registration can hold a desktop app's loopback URI and a web
    /// page's (E:docs/identity-platform/reply-url.md, "Localhost exceptions": the login server
    /// "uses the behavior associated with that redirect URI (for example, whether it's a web,
    /// native, or spa-type redirect)"; docs/entra-reference.md §1.5: AADSTS7000218 is the symptom of a redirect URI
    /// registered under Web).
    pub fn is_public_client_redirect(&self, redirect_uri: &str) -> bool {
        url::Url::parse(redirect_uri).is_ok_and(|url| {
            self.redirect_uris.iter().any(|r| {
                r.platform == Platform::MobileDesktop && crate::redirect::matches(&r.uri, &url)
            })
        })
    }
}

/// One registered redirect URI.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RedirectUri {
    /// The URI as registered.
    pub uri: String,
    /// Which portal platform it was registered under.
    pub platform: Platform,
}

/// Redirect URI platform (`replyUrlsWithType` type, docs/entra-reference.md §2).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    /// "Mobile and desktop applications" (`InstalledClient`): a public client.
    MobileDesktop,
    /// "Web": a confidential client.
    Web,
    /// "Single-page application".
    Spa,
}

/// A third-party app's service principal (enterprise application) in a tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServicePrincipal {
    /// Object id of the service principal.
    pub id: String,
    /// The application (client) id it instantiates.
    pub app_id: String,
    /// "Enabled for users to sign in".
    #[serde(default = "super::yes")]
    pub account_enabled: bool,
    /// "Assignment required" (docs/entra-reference.md §4, AADSTS50105).
    #[serde(default)]
    pub app_role_assignment_required: bool,
    /// User ids assigned to the app.
    #[serde(default)]
    pub assigned_user_ids: Vec<String>,
    /// Whether Microsoft's risk-based step-up consent flags this app in this tenant (docs/entra-reference.md §4), as
    /// [`Application::risky`] does everywhere.
    #[serde(default)]
    pub risky: bool,
}
