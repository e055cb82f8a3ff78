//! The white-label vendor profile: who the app is, which Entra app it signs in as, where the
//! endpoints are and which features need which scopes (and why).

use serde::{Deserialize, Serialize};
use url::Url;

/// The profile bundled with this build (the sandbox tenant's vendor app).
const BUNDLED: &str = include_str!("../profiles/sandbox.toml");

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

/// A Microsoft national cloud (ref §9): decides the sign-in and Graph hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// Worldwide, including Microsoft 365 GCC.
    Global,
    /// US Government GCC High.
    UsGov,
    /// US Government DoD.
    UsGovDod,
    /// China operated by 21Vianet.
    China,
}

impl Cloud {
    fn login_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    fn graph_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// One permission a feature asks for, with the one-line reason shown to users and admins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeReason {
    /// The scope as the profile names it (`Mail.Send`, `openid`).
    pub scope: String,
    /// Why the product needs it, in the user's words.
    pub reason: String,
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
    /// The app's display name as users see it in Entra's consent page.
    pub app_name: String,
    /// The verified publisher's name.
    pub publisher: String,
    /// The Entra application (client) id.
    pub client_id: String,
    /// `organizations`, `common`, a tenant id or a verified domain.
    pub tenant: String,
    /// The Microsoft cloud, when the endpoints come from it.
    pub cloud: Option<Cloud>,
    /// Path of the loopback redirect URI (`/` gives `http://localhost:{port}/`).
    pub redirect_path: String,
    /// Features and their scopes.
    pub features: Vec<FeatureSpec>,
    endpoints: Option<Endpoints>,
}

/// What is wrong with a profile or an endpoint override.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The TOML did not parse.
    #[error("the vendor profile is not valid TOML: {0}")]
    Invalid(String),
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
    app_name: String,
    publisher: String,
    client_id: String,
    #[serde(default = "default_tenant")]
    tenant: String,
    cloud: Option<Cloud>,
    authority: Option<String>,
    graph: Option<String>,
    #[serde(default = "default_redirect_path")]
    redirect_path: String,
    features: Vec<FeatureSpec>,
}

fn default_tenant() -> String {
    "organizations".to_owned()
}

fn default_redirect_path() -> String {
    "/".to_owned()
}

impl Profile {
    /// The profile bundled with this build.
    pub fn bundled() -> Profile {
        // The bundled file is part of the build, and a unit test parses it.
        Profile::from_toml(BUNDLED).expect("the bundled profile parses")
    }

    /// Reads a profile from TOML text.
    pub fn from_toml(text: &str) -> Result<Profile, ProfileError> {
        let file: ProfileFile =
            toml::from_str(text).map_err(|e| ProfileError::Invalid(e.message().to_owned()))?;
        let mut profile = Profile {
            app_name: file.app_name,
            publisher: file.publisher,
            client_id: file.client_id,
            tenant: file.tenant,
            cloud: file.cloud,
            redirect_path: file.redirect_path,
            features: file.features,
            endpoints: None,
        };
        if let Some(authority) = file.authority {
            let graph = file.graph.as_deref().map(parse_endpoint).transpose()?;
            profile = profile.with_endpoints(parse_endpoint(&authority)?, graph)?;
        } else if let Some(cloud) = profile.cloud {
            let authority = format!("{}/{}/v2.0", cloud.login_host(), profile.tenant);
            let graph = format!("{}/v1.0", cloud.graph_host());
            profile.endpoints = Some(Endpoints {
                authority: parse_endpoint(&authority)?,
                graph: Some(parse_endpoint(&graph)?),
            });
        }
        Ok(profile)
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

    /// Uses another application (client) id.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Profile {
        self.client_id = client_id.into();
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
                    .any(|s| s.scope.eq_ignore_ascii_case(&scope.scope))
                {
                    out.push(scope.clone());
                }
            }
        }
        Ok(out)
    }

    /// A scope as sent on the wire: national clouds need Graph scopes qualified with their own
    /// Graph host (ref §9); bare names mean the global Graph.
    pub fn wire_scope(&self, scope: &str) -> String {
        match self.cloud {
            Some(cloud)
                if cloud != Cloud::Global && !is_oidc_scope(scope) && !scope.contains("://") =>
            {
                format!("{}/{}", cloud.graph_host(), scope)
            }
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

#[cfg(test)]
impl Profile {
    /// The bundled profile on a sandbox-shaped login host, for unit tests that build links.
    pub(crate) fn for_tests() -> Profile {
        let base = Url::parse("http://127.0.0.1:4321/").unwrap_or_else(|e| panic!("{e}"));
        let graph =
            Url::parse("http://127.0.0.1:4321/graph/v1.0").unwrap_or_else(|e| panic!("{e}"));
        Profile::bundled()
            .with_login_base(&base, graph)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}

/// Whether a scope is an OpenID Connect scope rather than a Graph permission.
pub(crate) fn is_oidc_scope(scope: &str) -> bool {
    OIDC_SCOPES.iter().any(|s| s.eq_ignore_ascii_case(scope))
}

fn parse_endpoint(text: &str) -> Result<Url, ProfileError> {
    let url = Url::parse(text).map_err(|e| ProfileError::BadUrl {
        url: text.to_owned(),
        reason: e.to_string(),
    })?;
    require_https_unless_loopback(&url)?;
    Ok(url)
}

pub(crate) fn is_loopback(url: &Url) -> bool {
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
mod tests {
    use super::*;

    #[test]
    fn bundled_profile_is_the_sandbox_app_with_runtime_endpoints() {
        let p = Profile::bundled();
        assert_eq!(p.client_id, "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69");
        assert!(matches!(p.endpoints(), Err(ProfileError::EndpointsNotSet)));
        assert_eq!(
            p.default_features(),
            vec![Feature::Mailbox, Feature::Calendar]
        );
        let scopes: Vec<_> = p
            .scopes_for(&[Feature::Mailbox])
            .unwrap()
            .into_iter()
            .map(|s| s.scope)
            .collect();
        assert_eq!(
            scopes,
            [
                "Mail.Send",
                "Mail.ReadWrite",
                "offline_access",
                "User.Read",
                "openid",
                "profile",
                "email"
            ]
        );
    }

    #[test]
    fn cloud_profiles_get_microsoft_hosts_and_qualified_scopes() {
        let text = BUNDLED.replace("# cloud = \"global\"", "cloud = \"us_gov_dod\"");
        let p = Profile::from_toml(&text).unwrap();
        let e = p.endpoints().unwrap();
        assert_eq!(
            e.authority.as_str(),
            "https://login.microsoftonline.us/organizations/v2.0"
        );
        assert_eq!(
            e.graph.as_ref().unwrap().as_str(),
            "https://dod-graph.microsoft.us/v1.0"
        );
        assert_eq!(
            p.wire_scope("Mail.Send"),
            "https://dod-graph.microsoft.us/Mail.Send"
        );
        assert_eq!(p.wire_scope("openid"), "openid");
        assert_eq!(
            p.keychain_account().unwrap(),
            "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69@usgovdod/organizations"
        );
    }

    #[test]
    fn non_loopback_http_authority_is_refused() {
        let p = Profile::bundled();
        let err = p
            .with_endpoints(Url::parse("http://login.example.com/t/v2.0").unwrap(), None)
            .unwrap_err();
        assert!(matches!(err, ProfileError::InsecureEndpoint { .. }));
    }

    #[test]
    fn keychain_account_ignores_the_sandbox_port() {
        let graph = Url::parse("http://127.0.0.1:1/graph/v1.0").unwrap();
        let a = Profile::bundled()
            .with_login_base(&Url::parse("http://127.0.0.1:4100").unwrap(), graph.clone())
            .unwrap();
        let b = Profile::bundled()
            .with_login_base(&Url::parse("http://127.0.0.1:5200/").unwrap(), graph)
            .unwrap();
        assert_eq!(a.keychain_account().unwrap(), b.keychain_account().unwrap());
        assert_eq!(
            a.keychain_account().unwrap(),
            "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69@http://127.0.0.1/organizations/v2.0"
        );
    }
}
