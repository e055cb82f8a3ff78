//! Writes the Tauri configuration that makes an installer the vendor's product, from the vendor's
//! profile (what `scripts/lib/vendor-config.sh` runs before `tauri build --config`).
//!
//! Usage: `tauri-vendor-config PROFILE.toml OUT_DIR [BASE_CONFIG]` (BASE_CONFIG: the app's
//! `tauri.conf.json`, by default in the current folder). Writes `OUT_DIR/tauri.json` and, for
//! Linux, `OUT_DIR/app.desktop`; prints the path of the profile's icon when it names one: the
//! caller makes `OUT_DIR/icons/` from it with `tauri icon`, which the configuration lists.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use inbox_connect_profile::{BundleAssets, Profile, TargetOs};

/// The files `tauri icon` makes that the bundlers read (Tauri's own list for `bundle.icon`, and
/// the large PNG the app's own configuration also lists).
const ICON_FILES: [&str; 6] = [
    "32x32.png",
    "128x128.png",
    "128x128@2x.png",
    "icon.png",
    "icon.icns",
    "icon.ico",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (profile, out, base) = match args.as_slice() {
        [profile, out] => (profile, out, "tauri.conf.json"),
        [profile, out, base] => (profile, out, base.as_str()),
        _ => {
            eprintln!("usage: tauri-vendor-config PROFILE.toml OUT_DIR [BASE_CONFIG]");
            return ExitCode::from(2);
        }
    };
    match write(Path::new(profile), Path::new(out), Path::new(base)) {
        Ok(icon) => {
            if let Some(icon) = icon {
                println!("{}", icon.display());
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes the configuration; returns the icon to make the set from.
fn write(profile_path: &Path, out: &Path, base: &Path) -> Result<Option<PathBuf>, String> {
    let profile = Profile::from_file(profile_path).map_err(|e| e.to_string())?;
    profile
        .check_release()
        .map_err(|e| format!("the vendor profile {}: {e}", profile_path.display()))?;
    let base_text =
        std::fs::read_to_string(base).map_err(|e| format!("{}: {e}", base.display()))?;
    let base_config: serde_json::Value =
        serde_json::from_str(&base_text).map_err(|e| format!("{}: {e}", base.display()))?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let out = std::path::absolute(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let os = TargetOs::from_os_name(std::env::consts::OS);
    let mut assets = BundleAssets::default();
    let icon = match &profile.product.icon {
        Some(icon) => {
            let folder = profile_path.parent().unwrap_or(Path::new("."));
            let source = std::path::absolute(folder.join(icon))
                .map_err(|e| format!("product.icon {icon}: {e}"))?;
            if !source.is_file() {
                return Err(format!(
                    "the vendor profile {}: `product.icon` names {}, which is not a file",
                    profile_path.display(),
                    source.display()
                ));
            }
            assets.icons = ICON_FILES
                .iter()
                .map(|file| slashes(&out.join("icons").join(file)))
                .collect();
            Some(source)
        }
        None => None,
    };
    if os == TargetOs::Linux {
        let template = out.join("app.desktop");
        std::fs::write(&template, profile.product.desktop_entry_template())
            .map_err(|e| format!("{}: {e}", template.display()))?;
        assets.desktop_template = Some(slashes(&template));
    }
    let config = profile.tauri_bundle_config(os, &base_config, &assets);
    let path = out.join("tauri.json");
    let text = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(icon)
}

/// A path as Tauri's configuration takes it on every OS (forward slashes).
fn slashes(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}
