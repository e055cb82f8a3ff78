//! The release check: what a vendor build for real tenants needs beyond parsing.

use crate::{Profile, ProfileError, SANDBOX_CLIENT_ID};

impl Profile {
    /// Checks what a build for real tenants needs beyond parsing: the vendor's own product and
    /// app id (parsing made it a GUID), fixed endpoints (no sandbox supplies them), and features whose every scope has a
    /// reason. The first problem found is named by its field.
    pub fn check_release(&self) -> Result<(), ProfileError> {
        let field = |field: &str, reason: &str| {
            Err(ProfileError::Field {
                field: field.to_owned(),
                reason: reason.to_owned(),
            })
        };
        if self.product.is_inbox_connect() {
            return field(
                "product",
                "is not set: name the product recruiters install ([product] name and identifier), so it installs as yours and keeps its own folders and keychain entry",
            );
        }
        for (name, value) in [("app_name", &self.app_name), ("publisher", &self.publisher)] {
            if value.trim().is_empty() {
                return field(name, "is empty: users see it on Microsoft's consent page");
            }
        }
        if self
            .client_id
            .as_str()
            .eq_ignore_ascii_case(SANDBOX_CLIENT_ID)
        {
            return field(
                "client_id",
                "is the sandbox tenant's demo app: use the Application (client) ID of your own app registration",
            );
        }
        if self.endpoints.is_none() {
            return field(
                "cloud",
                "is not set, and neither is authority: set cloud = \"global\" (or authority and graph)",
            );
        }
        if self.admin_client_id.as_ref() == Some(&self.client_id) {
            return field(
                "admin_client_id",
                "must be the Application (client) ID of a second app registration for the admin check, not client_id",
            );
        }
        if let Some(uri) = &self.admin_consent_redirect_uri {
            if uri.scheme() != "https" {
                return field(
                    "admin_consent_redirect_uri",
                    "must be an https:// page of yours, registered as a Web redirect URI of the app: the admin opens the link on their own machine",
                );
            }
        }
        if self
            .help_url
            .as_ref()
            .is_some_and(|url| url.scheme() != "https")
        {
            return field("help_url", "must be an https:// page of yours");
        }
        if !self.redirect_path.starts_with('/') {
            return field("redirect_path", "must start with / (for http://localhost/)");
        }
        if self.features.is_empty() {
            return field(
                "features",
                "is empty: name at least one feature with its scopes",
            );
        }
        if !self.features.iter().any(|f| f.default) {
            return field(
                "features",
                "has no feature with default = true for the first Connect",
            );
        }
        for (i, feature) in self.features.iter().enumerate() {
            if self.features[..i].iter().any(|f| f.id == feature.id) {
                return field(&format!("features[{i}].id"), "names a feature twice");
            }
            if feature.scopes.is_empty() {
                return field(&format!("features[{i}].scopes"), "is empty");
            }
            for (j, scope) in feature.scopes.iter().enumerate() {
                if scope.scope.trim().is_empty() || scope.scope.contains(' ') {
                    return field(
                        &format!("features[{i}].scopes[{j}].scope"),
                        "must be one permission name, such as Mail.Send",
                    );
                }
                if scope.reason.trim().is_empty() {
                    return field(
                        &format!("features[{i}].scopes[{j}].reason"),
                        "is empty: users and admins are shown why each permission is needed",
                    );
                }
            }
        }
        Ok(())
    }
}
