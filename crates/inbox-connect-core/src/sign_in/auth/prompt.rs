//! Which `prompt` an interactive sign-in sends: only values the authority is known to accept.
//! An OpenID provider answers a value it does not support with `invalid_request` (oidc-provider
//! does, at its defaults), so `select_account` goes only where it is known to work.

use super::Discovery;

/// Microsoft's sign-in hosts, MSAL's well-known authority hosts (MSAL Python `msal/authority.py`
/// `WELL_KNOWN_AUTHORITY_HOSTS`; docs/entra-reference.md §9): they accept all four values of docs/entra-reference.md §1.2.
const MICROSOFT_HOSTS: [&str; 10] = [
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.chinacloudapi.cn",
    "login.partner.microsoftonline.cn",
    "login.microsoftonline.de",
    "login-us.microsoftonline.com",
    "login.usgovcloudapi.net",
    "login.windows.net",
    "login.microsoft.com",
    "sts.windows.net",
];

/// The `cloud_instance_name` Entra's discovery documents name themselves with (recorded in MSAL's
/// test fixtures of `openid-configuration`; docs/entra-reference.md §9 clouds): a document saying so is Entra's, or
/// the sandbox tenant's stand-in for it served on another host.
const MICROSOFT_CLOUD_INSTANCES: [&str; 4] = [
    "microsoftonline.com",
    "microsoftonline.us",
    "chinacloudapi.cn",
    "partner.microsoftonline.cn",
];

impl Discovery {
    /// Whether this is Microsoft Entra ID: one of Microsoft's hosts, or a document that names a
    /// Microsoft cloud instance.
    pub(crate) fn is_entra(&self) -> bool {
        let host = self.authorization_endpoint.host_str().unwrap_or_default();
        MICROSOFT_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host))
            || self.cloud_instance_name.as_deref().is_some_and(|name| {
                MICROSOFT_CLOUD_INSTANCES
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(name))
            })
    }

    /// Whether the provider is known to accept `prompt=value`: Entra accepts every value of docs/entra-reference.md
    /// §1.2; anyone else only what its `prompt_values_supported` lists (the discovery metadata of
    /// "Initiating User Registration via OpenID Connect 1.0").
    fn supports_prompt(&self, value: &str) -> bool {
        self.is_entra() || self.lists_prompt(value)
    }

    fn lists_prompt(&self, value: &str) -> bool {
        self.prompt_values_supported
            .as_ref()
            .is_some_and(|values| values.iter().any(|v| v == value))
    }

    /// The `prompt` of an interactive sign-in asking for `scopes`, if any:
    /// - `select_account` where known to be supported, so a browser already signed in to another
    ///   account does not connect that one without asking;
    /// - `consent` only for a provider other than Entra asked for `offline_access`: OIDC Core §11
    ///   requires it there (oidc-provider drops `offline_access` without it), unless its
    ///   `prompt_values_supported` leaves `consent` out. Never to Entra: `prompt=consent` re-asks
    ///   users even after admin consent and blocks those who may not consent (docs/entra-reference.md §3.3).
    pub(crate) fn interactive_prompt(&self, scopes: &[String]) -> Option<String> {
        let mut values = Vec::new();
        if self.supports_prompt("select_account") {
            values.push("select_account");
        }
        let offline = scopes
            .iter()
            .any(|s| s.eq_ignore_ascii_case("offline_access"));
        let consent_allowed =
            self.prompt_values_supported.is_none() || self.lists_prompt("consent");
        if offline && !self.is_entra() && consent_allowed {
            values.push("consent");
        }
        (!values.is_empty()).then(|| values.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::discovery;

    fn scopes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn microsoft_hosts_get_select_account_and_never_consent() {
        let mut d = discovery("https://login.microsoftonline.com/{tenantid}/v2.0");
        d.authorization_endpoint =
            url::Url::parse("https://login.microsoftonline.us/organizations/oauth2/v2.0/authorize")
                .unwrap();
        assert!(d.is_entra());
        let offline = scopes(&["openid", "offline_access", "Mail.Send"]);
        assert_eq!(
            d.interactive_prompt(&offline).as_deref(),
            Some("select_account")
        );
    }

    #[test]
    fn an_entra_document_on_another_host_is_entra() {
        // The sandbox tenant: Entra's document, served on 127.0.0.1.
        let mut d = discovery("http://127.0.0.1:4321/{tenantid}/v2.0");
        d.cloud_instance_name = Some("microsoftonline.com".into());
        assert!(d.is_entra());
        d.cloud_instance_name = Some("example.org".into());
        assert!(!d.is_entra());
    }

    #[test]
    fn other_providers_get_only_what_they_list() {
        // oidc-provider at its defaults: no `prompt_values_supported`, no `select_account`.
        let d = discovery("https://issuer.example");
        assert!(!d.is_entra());
        assert_eq!(d.interactive_prompt(&scopes(&["openid"])), None);
        assert_eq!(
            d.interactive_prompt(&scopes(&["openid", "offline_access"]))
                .as_deref(),
            Some("consent")
        );
        let mut listed = discovery("https://issuer.example");
        listed.prompt_values_supported = Some(scopes(&["none", "login", "select_account"]));
        assert_eq!(
            listed
                .interactive_prompt(&scopes(&["openid", "offline_access"]))
                .as_deref(),
            Some("select_account"),
            "consent is not listed, so it is not sent"
        );
        listed.prompt_values_supported = Some(scopes(&["consent", "select_account"]));
        assert_eq!(
            listed
                .interactive_prompt(&scopes(&["offline_access"]))
                .as_deref(),
            Some("select_account consent")
        );
    }
}
