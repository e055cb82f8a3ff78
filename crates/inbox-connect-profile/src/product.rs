//! The product a recruiter installs: its name, its bundle identifier and its icon (the profile's
//! `[product]` table). The identifier names everything the app keeps on a computer (its data,
//! settings and log folders, the keychain service and lock file, the single-instance name), so two
//! vendors' apps on one computer never share any of it.

use serde::Deserialize;

use crate::ProfileError;

mod tauri_config;
pub use tauri_config::{BundleAssets, TargetOs};

/// Inbox Connect's own identifier: the demo's, and what a profile without `[product]` gets.
const INBOX_CONNECT_ID: &str = "app.inboxconnect.desktop";

/// Characters a product name cannot hold: it becomes file names on Windows and macOS (the
/// installer, the `.app`) and a line of a Linux desktop entry.
const NOT_IN_NAMES: &[char] = &['/', '\\', ':', '*', '?', '"', '<', '>', '|', '{', '}'];

/// A bundle identifier in reverse-DNS form (`com.globex.talent-connect`), checked as Tauri and the
/// OSes need it: two or more parts of ASCII letters, digits and hyphens, each starting with a
/// letter (the single-instance plugin makes a D-Bus name of it), not ending in `.app` (macOS).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppIdentifier(String);

impl AppIdentifier {
    /// The identifier as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AppIdentifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for AppIdentifier {
    type Err = ProfileError;

    fn from_str(text: &str) -> Result<AppIdentifier, ProfileError> {
        let problem = |reason: &str| ProfileError::Field {
            field: "product.identifier".to_owned(),
            reason: format!("{text:?} {reason}: use reverse-DNS such as com.globex.talent-connect"),
        };
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() < 2 {
            return Err(problem("has one part"));
        }
        for part in &parts {
            if !part.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Err(problem("has a part that does not start with a letter"));
            }
            if !part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                return Err(problem(
                    "may hold only ASCII letters, digits, hyphens and dots",
                ));
            }
        }
        if text.to_ascii_lowercase().ends_with(".app") {
            return Err(problem(
                "ends in .app, which macOS confuses with the bundle",
            ));
        }
        Ok(AppIdentifier(text.to_owned()))
    }
}

/// The product as the profile names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// What recruiters see: the menu entry, the window's title and heading, the installer.
    pub name: String,
    /// The bundle identifier ([`AppIdentifier`]).
    pub identifier: AppIdentifier,
    /// The square PNG the installers' icons are made from, as written in the file (relative to
    /// it); `None`: Inbox Connect's icons.
    pub icon: Option<String>,
}

impl Product {
    /// Inbox Connect itself: the demo, and a profile without `[product]`.
    pub fn inbox_connect() -> Product {
        Product {
            name: "Inbox Connect".to_owned(),
            identifier: AppIdentifier(INBOX_CONNECT_ID.to_owned()),
            icon: None,
        }
    }

    /// Whether this is Inbox Connect's own identity (a vendor's release must name its own).
    pub fn is_inbox_connect(&self) -> bool {
        self.identifier.as_str() == INBOX_CONNECT_ID
    }

    /// The program's file name and the Linux package's name: the name in lower-case words joined
    /// by hyphens (`Globex Talent Connect` → `globex-talent-connect`), or the identifier's last
    /// part (lower case) when the name has letters beyond ASCII, which file names and package
    /// managers handle unevenly.
    pub fn binary_name(&self) -> String {
        if self
            .name
            .chars()
            .any(|c| c.is_alphanumeric() && !c.is_ascii())
        {
            let last = self.identifier.as_str().rsplit('.').next();
            return last.unwrap_or(INBOX_CONNECT_ID).to_ascii_lowercase();
        }
        let words: Vec<String> = self
            .name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        words.join("-")
    }
}

/// The `[product]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductFile {
    name: String,
    identifier: String,
    icon: Option<String>,
}

impl ProductFile {
    /// Checks the table's values.
    pub(crate) fn parse(self) -> Result<Product, ProfileError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(ProfileError::Field {
                field: "product.name".to_owned(),
                reason:
                    "must be 1 to 64 characters: recruiters see it in menus and the window's title"
                        .to_owned(),
            });
        }
        if let Some(c) = name
            .chars()
            .find(|c| c.is_control() || NOT_IN_NAMES.contains(c))
        {
            return Err(ProfileError::Field {
                field: "product.name".to_owned(),
                reason: format!("may not hold {c:?}: it becomes file names and a desktop entry"),
            });
        }
        if self
            .icon
            .as_deref()
            .is_some_and(|icon| !icon.ends_with(".png"))
        {
            return Err(ProfileError::Field {
                field: "product.icon".to_owned(),
                reason: "must be a square .png (1024×1024 is best), the file the installers' icons are made from".to_owned(),
            });
        }
        Ok(Product {
            name: name.to_owned(),
            identifier: self.identifier.parse()?,
            icon: self.icon,
        })
    }
}
