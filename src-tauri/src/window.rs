//! What the window is sent (the data types its commands return) and the window itself.

use std::path::Path;

use inbox_connect_core::admin::{ActionReport, GrantOutcome, Verification};
use inbox_connect_core::profile::FeatureSpec;
use inbox_connect_core::settings::Loaded;
use inbox_connect_core::{BrowserOpener, ConnectionStatus, OpenedLink, Profile, SystemBrowser};
use serde::Serialize;
use tauri::WebviewWindow;
use url::Url;

use crate::error::AppError;

/// What the first screen shows before any sign-in.
#[derive(Debug, Serialize)]
pub struct AppInfo {
    /// This app's own name (the profile's product): the window's heading.
    product: String,
    /// The product being connected (the vendor app's display name).
    vendor: String,
    /// Its publisher.
    publisher: String,
    /// The features to pick from, each with its permissions and their reasons.
    features: Vec<FeatureSpec>,
    /// The sandbox tenant's sign-in, when the app runs against it (never in a vendor build).
    sandbox: Option<SandboxSignIn>,
    /// The vendor's help page for connecting Outlook, when the profile names one.
    help_url: Option<String>,
    /// Where the log files are, for "Open log folder" (none when no file could be opened).
    log_folder: Option<String>,
    /// The settings files read, and what in them was skipped (file:line: why).
    settings_files: Vec<String>,
    settings_problems: Vec<String>,
}

/// A sign-in that was started: the link (for "Copy sign-in link"), and why the browser did not
/// open, if it did not.
#[derive(Debug, Serialize)]
pub struct SignInStarted {
    /// The authorization link (PKCE challenge and state only; nothing secret).
    url: String,
    /// Why the system browser could not be opened, if it could not.
    browser_error: Option<String>,
}

/// A look for an admin's approval: through the browser (wait with `finish_sign_in`), or already
/// answered with the refresh token.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecheckStarted {
    Browser(SignInStarted),
    Answered { status: Box<ConnectionStatus> },
}

/// The mail program was opened with the message to IT: whole, or its subject only (too long
/// for a `mailto:` link; the window then copies the body).
#[derive(Debug, Serialize)]
pub struct MailOpened {
    pub whole: bool,
}

/// The outcome of an action while connected: the new status and what to tell the user.
#[derive(Debug, Serialize)]
pub struct ActionResult {
    /// The connection after the action.
    pub status: ConnectionStatus,
    /// What happened.
    pub notice: Notice,
}

/// What happened, as a stable code and its parameters: the window words it (`ui/js/flow.js`
/// maps each code to its catalog key).
#[derive(Debug, Serialize)]
#[serde(tag = "code", content = "params", rename_all = "snake_case")]
pub enum Notice {
    /// The checks ran and all passed.
    ChecksPassed,
    /// The checks ran and `count` failed.
    ChecksFailed { count: usize },
    /// The test email went to `to` and is in Sent Items.
    TestEmailSent { to: String },
    /// The saved sign-in was removed; `my_apps` revokes the app entirely.
    Disconnected { my_apps: &'static str },
    /// The saved sign-in was removed; only IT revokes the app entirely (no My Apps here).
    DisconnectedAskIt,
    /// There was no saved sign-in; `my_apps` revokes the app entirely.
    NothingSaved { my_apps: &'static str },
    /// There was no saved sign-in; only IT revokes the app entirely.
    NothingSavedAskIt,
}

impl From<&OpenedLink> for SignInStarted {
    fn from(link: &OpenedLink) -> SignInStarted {
        SignInStarted {
            url: link.url().to_string(),
            browser_error: link.browser_error().map(str::to_owned),
        }
    }
}

impl AppInfo {
    pub fn new(profile: &Profile, sandbox: Option<SandboxSignIn>) -> AppInfo {
        AppInfo {
            product: profile.product.name.clone(),
            vendor: profile.app_name.clone(),
            publisher: profile.publisher.clone(),
            features: profile.features.clone(),
            sandbox,
            help_url: profile.help_url.as_ref().map(|url| url.to_string()),
            log_folder: None,
            settings_files: Vec::new(),
            settings_problems: Vec::new(),
        }
    }

    /// With the log folder shown.
    pub fn with_log_folder(mut self, folder: Option<&Path>) -> AppInfo {
        self.log_folder = folder.map(|f| f.display().to_string());
        self
    }

    /// With the settings files read and their problems.
    pub fn with_settings(mut self, loaded: &Loaded) -> AppInfo {
        self.settings_files = loaded
            .files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        self.settings_problems = loaded.problems.iter().map(ToString::to_string).collect();
        self
    }
}

/// The sandbox tenant's published test sign-ins (the default seed's, not secrets), which the demo's
/// banner shows so anyone can try both paths.
#[derive(Debug, Clone, Serialize)]
pub struct SandboxSignIn {
    /// The recruiter.
    pub user: &'static str,
    /// The recruiter's password.
    pub password: &'static str,
    /// The Global Administrator, for "I'm an IT admin".
    pub admin_user: &'static str,
    /// The administrator's password.
    pub admin_password: &'static str,
}

/// Opens `url` outside the window (the system browser, the mail program, the file manager).
pub fn open_outside(url: &Url) -> Result<(), AppError> {
    SystemBrowser
        .open(url)
        .map_err(|e| AppError::Opener(e.to_string()))
}

/// The user is in the browser: bring them back to see the result. A window manager that refuses
/// focus is harmless.
pub fn bring_to_front(window: &WebviewWindow) {
    if let Err(e) = window.unminimize().and_then(|()| window.set_focus()) {
        tracing::debug!("could not bring the window to the front: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use inbox_connect_core::Profile;

    /// Pins what ui/app.js reads from `app_info`.
    #[test]
    fn app_info_json_is_what_the_ui_reads() {
        let json =
            serde_json::to_value(AppInfo::new(&Profile::sandbox(), None)).unwrap_or_default();
        assert_eq!(json["vendor"], "Acme Recruit");
        assert_eq!(json["sandbox"], serde_json::Value::Null);
        let mailbox = &json["features"][0];
        assert_eq!(mailbox["id"], "mailbox");
        assert_eq!(mailbox["default"], true);
        assert!(mailbox["name"].is_string() && mailbox["description"].is_string());
        assert_eq!(mailbox["scopes"][0]["scope"], "Mail.Send");
        assert!(mailbox["scopes"][0]["reason"].is_string());
    }

    /// Every notice code is one the window words (ui/js/flow.js `NOTICES`).
    #[test]
    fn the_window_words_every_notice() {
        let flow = include_str!("../../ui/js/flow.js");
        let every = [
            Notice::ChecksPassed,
            Notice::ChecksFailed { count: 2 },
            Notice::TestEmailSent { to: "r@x".into() },
            Notice::Disconnected {
                my_apps: "https://myapps.microsoft.com",
            },
            Notice::DisconnectedAskIt,
            Notice::NothingSaved {
                my_apps: "https://myapps.microsoft.com",
            },
            Notice::NothingSavedAskIt,
        ];
        for notice in every {
            let json = serde_json::to_value(&notice).unwrap_or_default();
            let code = json["code"].as_str().unwrap_or_default();
            assert!(
                flow.contains(&format!("\n  {code}: \"notice.")),
                "flow.js words no {code:?}"
            );
        }
    }
}

/// How an admin trip ended.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AdminResult {
    /// "Grant for my organization".
    Grant {
        /// The outcome of the admin-consent page.
        outcome: GrantOutcome,
    },
    /// "Check my organization's setup": who signed in, and the checklist.
    Verify {
        /// What was found.
        verification: Verification,
    },
    /// A confirmed change.
    Action {
        /// What was done.
        report: ActionReport,
    },
}
