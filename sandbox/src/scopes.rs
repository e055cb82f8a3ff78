//! Delegated permissions of Microsoft Graph (docs/entra-reference.md §10) and parsing of `scope` parameters.

use std::collections::BTreeSet;

use crate::seed::Application;

/// Microsoft Graph's resource URI; also the `aud` of Graph access tokens (docs/entra-reference.md §8).
pub const GRAPH_RESOURCE: &str = "https://graph.microsoft.com";
/// Microsoft Graph's application id, the other accepted `aud` (docs/entra-reference.md §8).
pub const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// OpenID Connect scopes: requested by name, granted as Graph permissions (docs/entra-reference.md §10).
pub const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];
/// Scopes Entra adds to the initial consent prompt (docs/entra-reference.md §10, consent-types-developer.md).
pub const AUTO_CONSENTED: [&str; 4] = ["openid", "profile", "offline_access", "User.Read"];

/// One delegated permission of Microsoft Graph.
#[derive(Debug)]
pub struct Permission {
    /// Canonical scope value, e.g. `Mail.Send`.
    pub name: &'static str,
    /// Permission id.
    pub id: &'static str,
    /// Whether only an administrator may consent ("Type: Admin").
    pub admin_only: bool,
    /// Consent-page title shown to users.
    pub title: &'static str,
    /// Consent-page description shown to users.
    pub description: &'static str,
}

const fn user(
    name: &'static str,
    id: &'static str,
    title: &'static str,
    description: &'static str,
) -> Permission {
    Permission {
        name,
        id,
        admin_only: false,
        title,
        description,
    }
}

const fn admin(name: &'static str, id: &'static str, title: &'static str) -> Permission {
    Permission {
        name,
        id,
        admin_only: true,
        title,
        description: title,
    }
}

/// The catalogue of docs/entra-reference.md §10 (user-consent display strings where the reference records them).
pub const PERMISSIONS: &[Permission] = &[
    user("Mail.Send", "e383f46e-2787-4529-855e-0e479a3ffac0", "Send mail as you", "Allows the app to send mail as you."),
    user("Mail.ReadWrite", "024d486e-b451-40bb-833d-3e66d98c5c73", "Read and write access to your mail", "Allows the app to read, update, create and delete email in your mailbox. Does not include permission to send mail."),
    user("Mail.Read", "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", "Read your mail", "Allows the app to read email in your mailbox."),
    user("Mail.ReadBasic", "a4b8392a-d8d1-4954-a029-8e668a39a170", "Read user basic mail", "Allows the app to read email in the signed-in user's mailbox except body, previewBody, attachments and any extended properties."),
    user("Calendars.ReadWrite", "1ec239c2-d7c9-4623-a91a-a9775856bb36", "Have full access to your calendars", "Allows the app to read, update, create and delete events in your calendars."),
    user("Calendars.Read", "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42", "Read your calendars", "Allows the app to read events in your calendars."),
    user("MailboxSettings.Read", "87f447af-9fa4-4c32-9dfa-4a57a73d18ce", "Read your mailbox settings", "Read your mailbox settings"),
    user("MailboxSettings.ReadWrite", "818c620a-27a9-40bd-a6a5-d96f7d610b4b", "Read and write to your mailbox settings", "Read and write to your mailbox settings"),
    user("User.Read", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Sign you in and read your profile", "Allows you to sign in to the app with your organizational account and let the app read your profile. It also allows the app to read basic company information."),
    user("User.ReadBasic.All", "b340eb25-3456-403f-be2f-af7a0d370277", "Read all users' basic profiles", "Allows the app to read a basic set of profile properties of other users in your organization on behalf of the signed-in user. This includes display name, first and last name, email address and photo."),
    user("offline_access", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "Maintain access to data you have given it access to", "Allows the app to see and update the data you gave it access to, even when you are not currently using the app. This does not give the app any additional permissions."),
    user("openid", "37f7f235-527c-4136-accd-4a02d197296e", "Sign in as you", "Allows users to sign in to the app with their work or school accounts and allows the app to see basic user profile information."),
    user("email", "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", "View your email address", "Allows the app to read your users' primary email address"),
    user("profile", "14dad69e-099b-42c9-810b-d002981feec1", "View your basic profile", "Allows the app to see your users' basic profile (e.g., name, picture, user name, email address)"),
    admin("Policy.Read.All", "572fea84-0151-49b2-9301-11cb16974376", "Read your organization's policies"),
    admin("Application.Read.All", "c79f8feb-a9db-4090-85f9-90d820caa0eb", "Read applications"),
    admin("ConsentRequest.Read.All", "f3bfad56-966e-4590-a536-82ecf548ac1e", "Read consent requests"),
    admin("DelegatedPermissionGrant.Read.All", "a197cdc4-a8e8-4d49-9d35-4ca7c83887b4", "Read delegated permission grants"),
    admin("Directory.Read.All", "06da0dbc-49e2-44d2-8312-53f166ab848a", "Read directory data"),
    admin("Policy.Read.PermissionGrant", "414de6ea-2d92-462f-b120-6e2a809a6d01", "Read consent and permission grant policies"),
    // Write scopes for the admin's optional actions (ids from Microsoft's delegated permission list).
    admin("Application.ReadWrite.All", "bdfbf15f-ee85-4955-8675-146e8e5296b5", "Read and write all applications"),
    admin("AppRoleAssignment.ReadWrite.All", "84bccea3-f856-4a8a-967b-dbe0a3d53a64", "Manage app permission grants and app role assignments"),
    admin("DelegatedPermissionGrant.ReadWrite.All", "41ce6ca6-6826-4807-84f1-1c82854f7ee5", "Manage all delegated permission grants"),
    admin("Policy.ReadWrite.ConsentRequest", "4d135e65-66b8-41a8-9f8b-081452c91774", "Read and write consent request policy"),
];

/// Looks a permission up by scope value, case-insensitively (scope values are matched that way).
pub fn permission(name: &str) -> Option<&'static Permission> {
    PERMISSIONS
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
}

/// Whether a canonical scope name is an OpenID Connect scope rather than a Graph API permission.
pub fn is_oidc(name: &str) -> bool {
    OIDC_SCOPES.contains(&name)
}

/// A parsed `scope` parameter: canonical names of Graph permissions and OIDC scopes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeSet(pub BTreeSet<String>);

impl ScopeSet {
    /// Parses a space-separated scope list. Bare names and `https://graph.microsoft.com/X` both mean
    /// Graph's X (docs/entra-reference.md §1.2); `/.default` stands for the app's static permissions (docs/entra-reference.md §3.1).
    /// Returns the first value that is not a known Graph permission as the error.
    pub fn parse(scope: &str, app: &Application) -> Result<Self, String> {
        let mut names = BTreeSet::new();
        for raw in scope.split_whitespace() {
            let bare = strip_graph_prefix(raw).ok_or_else(|| raw.to_owned())?;
            if bare == ".default" {
                for name in &app.required_scopes {
                    let p = permission(name).ok_or_else(|| name.clone())?;
                    names.insert(p.name.to_owned());
                }
                continue;
            }
            let p = permission(bare).ok_or_else(|| raw.to_owned())?;
            names.insert(p.name.to_owned());
        }
        Ok(Self(names))
    }

    /// Whether no scope was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the set contains this canonical name.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// Whether every scope here is also in `other`.
    pub fn is_subset(&self, other: &BTreeSet<String>) -> bool {
        self.0.is_subset(other)
    }

    /// The Graph API permissions (without OIDC scopes).
    pub fn graph(&self) -> impl Iterator<Item = &String> {
        self.0.iter().filter(|s| !is_oidc(s))
    }
}

/// `https://graph.microsoft.com/X` or `00000003-.../X` or bare `X` → `X`; other resources → None.
fn strip_graph_prefix(raw: &str) -> Option<&str> {
    for prefix in [GRAPH_RESOURCE, GRAPH_APP_ID] {
        let with_slash = prefix.len() + 1;
        if raw.len() > with_slash
            && raw[..prefix.len()].eq_ignore_ascii_case(prefix)
            && raw.as_bytes()[prefix.len()] == b'/'
        {
            return Some(&raw[with_slash..]);
        }
    }
    (!raw.contains('/') && !raw.contains(':')).then_some(raw)
}

/// The token response `scope` value: Graph scopes as full URIs, then the OIDC scopes requested.
pub fn response_scope(granted_graph: &BTreeSet<String>, requested: &ScopeSet) -> String {
    let graph = granted_graph
        .iter()
        .map(|s| format!("{GRAPH_RESOURCE}/{s}"));
    let oidc = OIDC_SCOPES
        .iter()
        .filter(|s| requested.contains(s))
        .map(|s| (*s).to_owned());
    graph.chain(oidc).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::{defaults, Seed};

    #[test]
    fn ref_1_2_bare_names_and_graph_uris_are_the_same_scope() {
        let seed = Seed::default_seed();
        let app = seed.application(defaults::CLIENT_ID).expect("app");
        let a = ScopeSet::parse(
            "mail.send https://graph.microsoft.com/Mail.Read openid",
            app,
        );
        let b = ScopeSet::parse("Mail.Send Mail.Read OpenID", app);
        assert_eq!(a, b);
        assert_eq!(
            ScopeSet::parse("api://other/x", app),
            Err("api://other/x".to_owned())
        );
        assert_eq!(
            ScopeSet::parse("Nope.Read", app),
            Err("Nope.Read".to_owned())
        );
    }

    #[test]
    fn ref_3_1_dot_default_expands_to_static_permissions() {
        let seed = Seed::default_seed();
        let app = seed.application(defaults::CLIENT_ID).expect("app");
        let set = ScopeSet::parse("https://graph.microsoft.com/.default", app).expect("parses");
        assert!(set.contains("Mail.Send") && set.contains("User.Read"));
    }
}
