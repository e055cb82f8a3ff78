//! The white-label vendor profile: who the app is, which Entra app it signs in as, where the
//! endpoints are and which features need which scopes (and why).
//!
//! A crate of its own, with no I/O beyond reading the file, so that the app's build script can check a vendor's profile
//! with the very parser the app runs (a bad profile fails the build, not the recruiter's start).
//! The identifiers a profile is made of ([`ClientId`], [`Tenant`], [`TenantRef`]) live here, and
//! [`TenantId`] beside them, so the core names apps and tenants with the same types.

#![warn(missing_docs)]

use serde::{Deserialize, Serialize};
use url::Url;

mod client_id;
mod cloud;
mod product;
mod release;
mod scope;
mod tenant;
mod tenant_id;
mod tenant_ref;
pub use client_id::{ClientId, ClientIdError};
pub use cloud::Cloud;
pub use product::{AppIdentifier, BundleAssets, Product, TargetOs};
pub use scope::ScopeName;
pub use tenant::Tenant;
pub use tenant_id::TenantId;
pub use tenant_ref::{TenantError, TenantRef};

/// The sandbox tenant's vendor app "Acme Recruit", also the documented example of every field.
pub const SANDBOX_PROFILE: &str = include_str!("../profiles/sandbox.toml");

/// The sandbox tenant's demo app id: never valid against Microsoft.
const SANDBOX_CLIENT_ID: &str = "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69";

/// OpenID Connect scopes: never prefixed with a Graph resource and not Graph permissions.
const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// What the app can be connected for; each feature brings its own scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Send mail as the user and show it in Sent Items.
    Mailbox,
    /// Read and write the user's calendar.
    Calendar,
    /// Look up colleagues and meeting rooms.
    MeetingRooms,
}

impl Feature {
    /// `first`, then each feature of `more` that `first` lacks, in order (a connection's features
    /// plus the ones added to it).
    pub fn union(first: &[Feature], more: &[Feature]) -> Vec<Feature> {
        let mut all = first.to_vec();
        for feature in more {
            if !all.contains(feature) {
                all.push(*feature);
            }
        }
        all
    }
}

/// One permission a feature asks for, with the one-line reason shown to users and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeReason {
    /// The scope as the profile names it (`Mail.Send`, `openid`).
    pub scope: String,
    /// Why the product needs it, in the user's words ("send emails to candidates from your own
    /// address").
    pub reason: String,
    /// The same reason for IT, in the third person ("sends email to candidates from the
    /// recruiter's own address"): the message to IT quotes it. Without one, that message says
    /// what recruiters are told.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_for_it: Option<String>,
}

/// A feature as the profile describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Which feature.
    pub id: Feature,
    /// Display name.
    pub name: String,
    /// One sentence on what the feature does.
    #[serde(default)]
    pub description: String,
    /// Whether a first Connect asks for it.
    #[serde(default)]
    pub default: bool,
    /// The scopes it needs.
    pub scopes: Vec<ScopeReason>,
}

/// Where the sign-in and Graph endpoints are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The issuer URL; discovery is at `{authority}/.well-known/openid-configuration`.
    pub authority: Url,
    /// Microsoft Graph's versioned root (`https://graph.microsoft.com/v1.0`); `None` for a plain
    /// OpenID provider, where the Graph checks are skipped.
    pub graph: Option<Url>,
}

/// A vendor profile, read from TOML.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The product recruiters install (`[product]`): its name, identifier and icon.
    pub product: Product,
    /// The app's display name as users see it in Entra's consent page.
    pub app_name: String,
    /// The verified publisher's name.
    pub publisher: String,
    /// The Entra application (client) id.
    pub client_id: ClientId,
    /// Whose accounts sign in: `organizations`, `common` or one organization.
    pub tenant: Tenant,
    /// The Microsoft cloud, when the endpoints come from it.
    pub cloud: Option<Cloud>,
    /// Path of the loopback redirect URI (`/` gives `http://localhost:{port}/`).
    pub redirect_path: String,
    /// Features and their scopes.
    pub features: Vec<FeatureSpec>,
    /// The organization's email domain sent as `domain_hint` when no account is hinted (a
    /// setting IT deployed, not a field of the file).
    pub domain_hint: Option<String>,
    /// Where the admin-consent link in the message to IT lands after the grant: the vendor's web
    /// page, registered as a Web redirect URI of the app. `None`: the loopback URI, which only
    /// works from this app on the admin's own machine.
    pub admin_consent_redirect_uri: Option<Url>,
    /// A separate app registration for the admin's read-only check and changes, so that an admin
    /// who consents "on behalf of your organization" there grants the admin scopes to it, not to
    /// the recruiters' app. `None`: the admin path signs in as `client_id`.
    pub admin_client_id: Option<ClientId>,
    /// The vendor's help page for connecting Outlook (https), linked from every screen.
    pub help_url: Option<Url>,
    endpoints: Option<Endpoints>,
}

/// What is wrong with a profile or an endpoint override.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The TOML did not parse, or a field is missing, unknown or of the wrong type.
    #[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
    Invalid {
        /// The line the parser stopped at (1-based), when it knows.
        line: Option<usize>,
        /// The parser's words, which name the field.
        message: String,
    },
    /// The file could not be read.
    #[error("could not be read: {0}")]
    Unreadable(String),
    /// A problem in a profile file, named with the file.
    #[error("the vendor profile {path}: {problem}")]
    InFile {
        /// The file, as given.
        path: String,
        /// What is wrong in it.
        #[source]
        problem: Box<ProfileError>,
    },
    /// A field parsed but cannot work against Microsoft.
    #[error("`{field}` {reason}")]
    Field {
        /// The field, as written in the file (`client_id`, `features[1].scopes`).
        field: String,
        /// Why it cannot work, and what to put there.
        reason: String,
    },
    /// A non-loopback endpoint uses plain http.
    #[error("{url} must use https (plain http is only allowed for 127.0.0.1 or localhost)")]
    InsecureEndpoint {
        /// The offending URL.
        url: String,
    },
    /// A URL did not parse.
    #[error("{url} is not a valid URL: {reason}")]
    BadUrl {
        /// The offending text.
        url: String,
        /// Why.
        reason: String,
    },
    /// The profile names no endpoints and none were supplied.
    #[error(
        "the profile has no fixed sign-in authority: start the sandbox tenant (`cargo run -p entra-sandbox -- --port 0`) \
         and pass its URL, e.g. --authority http://127.0.0.1:PORT/organizations/v2.0 --graph http://127.0.0.1:PORT/graph/v1.0"
    )]
    EndpointsNotSet,
    /// A feature was asked for that the profile does not define.
    #[error("the profile does not offer the feature {0:?}")]
    UnknownFeature(Feature),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    product: Option<product::ProductFile>,
    app_name: String,
    publisher: String,
    client_id: String,
    tenant: Option<String>,
    cloud: Option<Cloud>,
    authority: Option<String>,
    graph: Option<String>,
    #[serde(default = "default_redirect_path")]
    redirect_path: String,
    admin_consent_redirect_uri: Option<String>,
    admin_client_id: Option<String>,
    help_url: Option<String>,
    features: Vec<FeatureSpec>,
}

fn default_redirect_path() -> String {
    "/".to_owned()
}

impl Profile {
    /// The sandbox tenant's vendor app (endpoints supplied at run time).
    pub fn sandbox() -> Profile {
        // The file is part of the build, and a unit test parses it.
        Profile::from_toml(SANDBOX_PROFILE).expect("the sandbox profile parses")
    }

    /// Reads a profile file; errors name the file.
    pub fn from_file(path: &std::path::Path) -> Result<Profile, ProfileError> {
        let in_file = |problem| ProfileError::InFile {
            path: path.display().to_string(),
            problem: Box::new(problem),
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| in_file(ProfileError::Unreadable(e.to_string())))?;
        Profile::from_toml(&text).map_err(in_file)
    }

    /// Reads a profile from TOML text.
    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let file: ProfileFile = toml::from_str(text).map_err(|e| ProfileError::Invalid {
            line: e
                .span()
                .and_then(|span| text.get(..span.start))
                .map(|before| before.matches('\n').count() + 1),
            message: e.message().to_owned(),
        })?;
        let mut profile = Profile {
            product: file
                .product
                .map_or_else(|| Ok(Product::inbox_connect()), product::ProductFile::parse)?,
            app_name: file.app_name,
            publisher: file.publisher,
            client_id: parse_client_id("client_id", &file.client_id)?,
            tenant: file
                .tenant
                .as_deref()
                .map_or(Ok(Tenant::Organizations), str::parse)?,
            cloud: file.cloud,
            redirect_path: file.redirect_path,
            features: file.features,
            domain_hint: None,
            admin_consent_redirect_uri: file
                .admin_consent_redirect_uri
                .as_deref()
                .map(parse_url)
                .transpose()?,
            admin_client_id: file
                .admin_client_id
                .map(|id| parse_client_id("admin_client_id", &id))
                .transpose()?,
            help_url: file.help_url.as_deref().map(parse_url).transpose()?,
            endpoints: None,
        };
        if let Some(authority) = file.authority {
            let graph = file.graph.as_deref().map(parse_endpoint).transpose()?;
            profile = profile.with_endpoints(parse_endpoint(&authority)?, graph)?;
        } else if let Some(cloud) = profile.cloud {
            profile.endpoints = Some(cloud.endpoints(&profile.tenant)?);
        }
        Ok(profile)
    }

    /// Signs in to this organization instead of the profile's tenant (a setting IT deployed). The
    /// authority follows when it comes from the cloud, or later from a login base (the sandbox).
    pub fn with_tenant(mut self, tenant: TenantRef) -> Result<Profile, ProfileError> {
        let from_cloud = self.endpoints_from_cloud();
        if self.endpoints.is_some() && !from_cloud {
            return Err(ProfileError::Field {
                field: "tenant".to_owned(),
                reason: "cannot be changed by a setting: the profile names its own authority"
                    .to_owned(),
            });
        }
        self.tenant = Tenant::One(tenant);
        if let (true, Some(cloud)) = (from_cloud, self.cloud) {
            self.endpoints = Some(cloud.endpoints(&self.tenant)?);
        }
        Ok(self)
    }

    /// Uses these endpoints (an issuer and, optionally, a Graph root) instead of the profile's.
    pub fn with_endpoints(
        mut self,
        authority: Url,
        graph: Option<Url>,
    ) -> Result<Profile, ProfileError> {
        require_https_unless_loopback(&authority)?;
        if let Some(graph) = &graph {
            require_https_unless_loopback(graph)?;
        }
        self.endpoints = Some(Endpoints { authority, graph });
        Ok(self)
    }

    /// Uses a Microsoft-shaped login host (such as the sandbox's base URL): the authority becomes
    /// `{base}/{tenant}/v2.0` with this profile's tenant.
    pub fn with_login_base(self, base: &Url, graph: Url) -> Result<Profile, ProfileError> {
        let authority = format!(
            "{}/{}/v2.0",
            base.as_str().trim_end_matches('/'),
            self.tenant
        );
        let authority = parse_endpoint(&authority)?;
        self.with_endpoints(authority, Some(graph))
    }

    /// Hints this organization's domain to Microsoft when the recruiter names no account.
    pub fn with_domain_hint(mut self, domain: impl Into<String>) -> Profile {
        self.domain_hint = Some(domain.into());
        self
    }

    /// Sends admin-consent links handed to IT to this page after the grant (the sandbox's stand-in
    /// for the vendor's page, whose port is known only at run time).
    pub fn with_admin_consent_redirect_uri(mut self, page: Url) -> Profile {
        self.admin_consent_redirect_uri = Some(page);
        self
    }

    /// Uses another application (client) id.
    pub fn with_client_id(mut self, client_id: ClientId) -> Profile {
        self.client_id = client_id;
        self
    }

    /// Replaces the features' scopes with exactly these (for `--scopes`): one mailbox feature
    /// that asks for them.
    pub fn with_scopes(mut self, scopes: &[String]) -> Profile {
        let scopes = scopes
            .iter()
            .map(|scope| ScopeReason {
                scope: scope.clone(),
                reason: "asked for on the command line".to_owned(),
                reason_for_it: None,
            })
            .collect();
        self.features = vec![FeatureSpec {
            id: Feature::Mailbox,
            name: "Custom scopes".to_owned(),
            description: String::new(),
            default: true,
            scopes,
        }];
        self
    }

    /// The endpoints, or why there are none.
    pub fn endpoints(&self) -> Result<&Endpoints, ProfileError> {
        self.endpoints.as_ref().ok_or(ProfileError::EndpointsNotSet)
    }

    /// The features a first Connect asks for.
    pub fn default_features(&self) -> Vec<Feature> {
        self.features
            .iter()
            .filter(|f| f.default)
            .map(|f| f.id)
            .collect()
    }

    /// The features asked for, or the profile's defaults when none are named (a first Connect, a
    /// CLI call without `--feature`).
    pub fn features_or_defaults(&self, features: &[Feature]) -> Vec<Feature> {
        if features.is_empty() {
            self.default_features()
        } else {
            features.to_vec()
        }
    }

    /// The scopes (with reasons) these features need, each once, in profile order.
    pub fn scopes_for(&self, features: &[Feature]) -> Result<Vec<ScopeReason>, ProfileError> {
        let mut out: Vec<ScopeReason> = Vec::new();
        for feature in features {
            let spec = self
                .features
                .iter()
                .find(|f| f.id == *feature)
                .ok_or(ProfileError::UnknownFeature(*feature))?;
            for scope in &spec.scopes {
                if !out
                    .iter()
                    .any(|s| ScopeName::of(&s.scope) == ScopeName::of(&scope.scope))
                {
                    out.push(scope.clone());
                }
            }
        }
        Ok(out)
    }

    /// The Microsoft cloud whose hosts the links for admins and users name: the profile's, else
    /// the worldwide one (the sandbox tenant stands in for it).
    pub fn links_cloud(&self) -> Cloud {
        self.cloud.unwrap_or(Cloud::Global)
    }

    /// A Graph permission by its full URI in the profile's cloud (`https://graph.microsoft.us/Mail.Send`,
    /// docs/entra-reference.md §3.1 and §9); OpenID scopes and already qualified ones stay as they are.
    pub fn qualified_scope(&self, scope: &str) -> String {
        if is_oidc_scope(scope) || scope.contains("://") {
            scope.to_owned()
        } else {
            format!("{}/{scope}", self.links_cloud().graph_host())
        }
    }

    /// A scope as sent on the wire: national clouds need Graph scopes qualified with their own
    /// Graph host (docs/entra-reference.md §9); bare names mean the global Graph.
    pub fn wire_scope(&self, scope: &str) -> String {
        match self.cloud {
            Some(cloud) if cloud != Cloud::Global => self.qualified_scope(scope),
            _ => scope.to_owned(),
        }
    }

    /// The keychain account name for this profile: the client id and an authority identity that
    /// survives the sandbox's changing port, so the app and the CLI share one entry.
    pub fn keychain_account(&self) -> Result<String, ProfileError> {
        let authority = &self.endpoints()?.authority;
        let identity = match self.cloud {
            Some(cloud) if self.endpoints_from_cloud() => {
                format!("{cloud:?}/{}", self.tenant).to_lowercase()
            }
            _ => {
                let mut url = authority.clone();
                if is_loopback(&url) {
                    // The sandbox starts on a new port every time; the port is not its identity.
                    let _ = url.set_port(None);
                }
                url.as_str().trim_end_matches('/').to_owned()
            }
        };
        Ok(format!("{}@{identity}", self.client_id))
    }

    fn endpoints_from_cloud(&self) -> bool {
        match (self.cloud, &self.endpoints) {
            (Some(cloud), Some(e)) => e.authority.as_str().starts_with(cloud.login_host()),
            _ => false,
        }
    }
}

/// Whether a scope is an OpenID Connect scope rather than a Graph permission.
pub fn is_oidc_scope(scope: &str) -> bool {
    ScopeName::of(scope).is_in(&OIDC_SCOPES)
}

pub(crate) fn parse_endpoint(text: &str) -> Result<Url, ProfileError> {
    let url = parse_url(text)?;
    require_https_unless_loopback(&url)?;
    Ok(url)
}

/// A client id field of the file, checked as a GUID so a typo fails the load, not the sign-in.
fn parse_client_id(field: &str, text: &str) -> Result<ClientId, ProfileError> {
    text.parse()
        .map_err(|e: ClientIdError| ProfileError::Field {
            field: field.to_owned(),
            reason: e.to_string(),
        })
}

fn parse_url(text: &str) -> Result<Url, ProfileError> {
    Url::parse(text).map_err(|e| ProfileError::BadUrl {
        url: text.to_owned(),
        reason: e.to_string(),
    })
}

/// Whether a URL points at this machine (`localhost`, 127.0.0.0/8, `[::1]`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn require_https_unless_loopback(url: &Url) -> Result<(), ProfileError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(url) => Ok(()),
        _ => Err(ProfileError::InsecureEndpoint {
            url: url.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests;
