//! The product as Tauri configuration: JSON merge patches (RFC 7396, what `tauri build --config`
//! and the `TAURI_CONFIG` variable take) over `tauri.conf.json`. The app's build script applies
//! the identity (so the program knows its own folders and title however it is built); the
//! installer build adds what only the bundler reads (publisher, icons, desktop entry).

use serde_json::{json, Value};

use super::Product;
use crate::Profile;

/// The OS an installer is built for: Linux names its package and desktop entry differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetOs {
    /// `.deb`, `.rpm`, AppImage.
    Linux,
    /// `.msi`, NSIS `.exe`.
    Windows,
    /// `.app`, `.dmg`.
    MacOs,
}

impl TargetOs {
    /// From Cargo's `CARGO_CFG_TARGET_OS` or Rust's `std::env::consts::OS` (`linux`, `windows`,
    /// `macos`); other Unixes package as Linux does.
    pub fn from_os_name(os: &str) -> TargetOs {
        match os {
            "windows" => TargetOs::Windows,
            "macos" => TargetOs::MacOs,
            _ => TargetOs::Linux,
        }
    }
}

/// Files the installer build made for the bundler, as paths it can read.
#[derive(Debug, Clone, Default)]
pub struct BundleAssets {
    /// The icon set made from the profile's icon (`tauri icon`); empty: Inbox Connect's.
    pub icons: Vec<String>,
    /// The Linux desktop entry template ([`Product::desktop_entry_template`]), written to a file.
    pub desktop_template: Option<String>,
}

impl Product {
    /// The patch that makes a Tauri build this product over `base` (the app's tauri.conf.json):
    /// its identifier, product and program names, and the base's windows titled with its name. A
    /// merge patch replaces a list whole, so the windows come back whole with only the title
    /// changed.
    pub fn tauri_identity(&self, os: TargetOs, base: &Value) -> Value {
        let windows: Vec<Value> = base["app"]["windows"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|window| {
                let mut window = window.clone();
                if let Some(fields) = window.as_object_mut() {
                    fields.insert("title".to_owned(), json!(self.name));
                }
                window
            })
            .collect();
        // Linux's bundler names the package and the desktop entry's file after productName; a
        // space there makes `Globex Talent Connect.desktop`. The entry's Name comes from
        // `desktop_entry_template` instead.
        let product_name = match os {
            TargetOs::Linux => self.binary_name(),
            TargetOs::Windows | TargetOs::MacOs => self.name.clone(),
        };
        json!({
            "identifier": self.identifier.as_str(),
            "productName": product_name,
            "mainBinaryName": self.binary_name(),
            "app": { "windows": windows },
        })
    }

    /// The Linux desktop entry as a template of Tauri's bundler (its own template with the name
    /// written in): the menu shows the product's name, not the package's.
    pub fn desktop_entry_template(&self) -> String {
        format!(
            "[Desktop Entry]\nCategories={{{{categories}}}}\n{{{{#if comment}}}}\nComment={{{{comment}}}}\n{{{{/if}}}}\n\
             Exec={{{{exec}}}}\nIcon={{{{icon}}}}\nName={}\nTerminal=false\nType=Application\n\
             {{{{#if mime_type}}}}\nMimeType={{{{mime_type}}}}\n{{{{/if}}}}\n",
            self.name
        )
    }
}

impl Profile {
    /// The whole patch an installer build passes to `tauri build --config`: the product's
    /// identity, and for the bundler the publisher (a `.deb`'s Maintainer), a description naming
    /// the vendor's product, the icons and the desktop entry.
    pub fn tauri_bundle_config(&self, os: TargetOs, base: &Value, assets: &BundleAssets) -> Value {
        let mut config = self.product.tauri_identity(os, base);
        let mut bundle = json!({
            "publisher": self.publisher,
            "shortDescription": format!("Connects Outlook to {}", self.app_name),
        });
        if !assets.icons.is_empty() {
            bundle["icon"] = json!(assets.icons);
        }
        if let Some(template) = &assets.desktop_template {
            bundle["linux"] = json!({
                "deb": { "desktopTemplate": template },
                "rpm": { "desktopTemplate": template },
            });
        }
        config["bundle"] = bundle;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::ProductFile;

    fn globex() -> Product {
        ProductFile {
            name: "Globex Talent Connect".into(),
            identifier: "com.globex.talent-connect".into(),
            icon: None,
        }
        .parse()
        .unwrap()
    }

    #[test]
    fn linux_names_the_package_without_spaces_and_titles_every_window() {
        let windows = [json!({"label": "main", "title": "Inbox Connect", "width": 880})];
        let base = json!({"app": {"windows": windows}});
        let patch = globex().tauri_identity(TargetOs::Linux, &base);
        assert_eq!(patch["identifier"], "com.globex.talent-connect");
        assert_eq!(patch["productName"], "globex-talent-connect");
        assert_eq!(patch["mainBinaryName"], "globex-talent-connect");
        assert_eq!(
            patch["app"]["windows"],
            json!([{"label": "main", "title": "Globex Talent Connect", "width": 880}])
        );
        let windows_patch = globex().tauri_identity(TargetOs::Windows, &base);
        assert_eq!(windows_patch["productName"], "Globex Talent Connect");
    }

    #[test]
    fn the_desktop_entry_names_the_product_and_keeps_the_bundlers_fields() {
        let entry = globex().desktop_entry_template();
        assert!(entry.contains("\nName=Globex Talent Connect\n"), "{entry}");
        assert!(
            entry.contains("\nExec={{exec}}\nIcon={{icon}}\n"),
            "{entry}"
        );
        assert!(entry.starts_with("[Desktop Entry]\nCategories={{categories}}\n"));
    }
}
