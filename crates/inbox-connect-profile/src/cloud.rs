//! Microsoft's national clouds (docs/entra-reference.md §9): each has its own sign-in, Graph, admin-centre and My
//! Apps hosts, and an app or a link of one cloud does not work in another.

use serde::{Deserialize, Serialize};

use crate::{parse_endpoint, Endpoints, ProfileError, Tenant};

/// A Microsoft national cloud (docs/entra-reference.md §9): decides the sign-in and Graph hosts.
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
    pub(crate) fn login_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// Microsoft's endpoints in this cloud for a tenant.
    pub(crate) fn endpoints(self, tenant: &Tenant) -> Result<Endpoints, ProfileError> {
        Ok(Endpoints {
            authority: parse_endpoint(&format!("{}/{tenant}/v2.0", self.login_host()))?,
            graph: Some(parse_endpoint(&format!("{}/v1.0", self.graph_host()))?),
        })
    }

    /// Microsoft Graph's host in this cloud (docs/entra-reference.md §9; G concepts/deployments.md).
    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGov => "https://graph.microsoft.us",
            Cloud::UsGovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// Where admins manage Entra ID in this cloud: the Entra admin centre worldwide, the cloud's
    /// Azure portal elsewhere (docs/entra-reference.md §9 "Portal" column: `portal.azure.us`, `portal.azure.cn`).
    /// Both open the same `#view/...` blades (docs/entra-reference.md §3.4: the blade links are also seen on
    /// `portal.azure.com`).
    pub fn admin_centre(self) -> &'static str {
        match self {
            Cloud::Global => "https://entra.microsoft.com",
            Cloud::UsGov | Cloud::UsGovDod => "https://portal.azure.us",
            Cloud::China => "https://portal.azure.cn",
        }
    }

    /// The My Apps portal, where users see and remove the apps they consented to, when its host
    /// in this cloud is known. UNCONFIRMED for US Government: `myapps.microsoft.us` is what
    /// Microsoft's own My Account front end names for that cloud (no Microsoft doc lists it);
    /// none is known for China, so no link is made there.
    pub fn my_apps(self) -> Option<&'static str> {
        match self {
            Cloud::Global => Some("https://myapps.microsoft.com"),
            Cloud::UsGov | Cloud::UsGovDod => Some("https://myapps.microsoft.us"),
            Cloud::China => None,
        }
    }
}
