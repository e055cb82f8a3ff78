//! tauri.conf.json and capabilities/ sit at the repository root (design card), so point tauri-build
//! there. A vendor build (feature `sandbox` off) also checks and bundles the vendor's profile, and
//! makes the program the vendor's product (identifier, names, window title) however it is built:
//! by `tauri build` (whose `--config` from scripts/vendor-build says the same) or by plain cargo.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use inbox_connect_profile::{Product, Profile, TargetOs};

/// Names the vendor's profile file at build time.
const PROFILE_ENV: &str = "INBOX_CONNECT_PROFILE";

/// The Tauri configuration patch (JSON) that tauri-build and `generate_context!` merge over
/// tauri.conf.json; the Tauri CLI sets it from its `--config`.
const TAURI_CONFIG_ENV: &str = "TAURI_CONFIG";

fn main() -> ExitCode {
    let product = if std::env::var_os("CARGO_FEATURE_SANDBOX").is_none() {
        match bundle_vendor_profile() {
            Ok(product) => product,
            Err(message) => {
                // Cargo shows a failed build script's stderr: say what to pass, without a backtrace.
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        Product::inbox_connect()
    };
    // The program's own name on its command line (`--help`, `--version`), as installed.
    println!(
        "cargo:rustc-env=INBOX_CONNECT_BINARY_NAME={}",
        product.binary_name()
    );
    if let Err(error) = tauri_build::try_build(
        tauri_build::Attributes::new()
            .config_path("tauri.conf.json")
            .capabilities_path_pattern("capabilities/**/*"),
    ) {
        eprintln!("error: tauri-build failed: {error:#}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Checks the file named by INBOX_CONNECT_PROFILE as a release profile and hands the compiler
/// (`INBOX_CONNECT_VENDOR_PROFILE`) the path of its values written anew, which the binary includes:
/// the vendor's comments and notes in the file stay out of the installer.
fn bundle_vendor_profile() -> Result<Product, String> {
    println!("cargo:rerun-if-env-changed={PROFILE_ENV}");
    let Some(path) = std::env::var_os(PROFILE_ENV) else {
        return Err(format!(
            "a vendor build (without the `sandbox` feature) needs the vendor's profile: set \
             {PROFILE_ENV}=/path/to/profile.toml (the fields are documented in \
             crates/inbox-connect-profile/profiles/sandbox.toml; an example is tests/vendor/acme-vendor.toml), \
             or build the demo with the default features"
        ));
    };
    let path = absolute(Path::new(&path))?;
    println!("cargo:rerun-if-changed={}", path.display());
    let profile = Profile::from_file(&path).map_err(|e| e.to_string())?;
    profile
        .check_release()
        .map_err(|e| format!("the vendor profile {}: {e}", path.display()))?;
    let read = |e: &dyn std::fmt::Display| format!("the vendor profile {}: {e}", path.display());
    let text = std::fs::read_to_string(&path).map_err(|e| read(&e))?;
    let values: toml::Table = toml::from_str(&text).map_err(|e| read(&e))?;
    let bare = toml::to_string(&values).map_err(|e| read(&e))?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo set no OUT_DIR")?)
        .join("vendor-profile.toml");
    std::fs::write(&out, bare).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "cargo:rustc-env=INBOX_CONNECT_VENDOR_PROFILE={}",
        out.display()
    );
    apply_identity(&profile)?;
    Ok(profile.product)
}

/// Merges the product's identity over the Tauri configuration in force, for tauri-build (this
/// process) and for `generate_context!` (the compiler's environment): the program then keeps its
/// data, settings, logs and single-instance name under the vendor's identifier.
fn apply_identity(profile: &Profile) -> Result<(), String> {
    let base =
        std::fs::read_to_string("tauri.conf.json").map_err(|e| format!("tauri.conf.json: {e}"))?;
    let base: serde_json::Value =
        serde_json::from_str(&base).map_err(|e| format!("tauri.conf.json: {e}"))?;
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let identity = profile
        .product
        .tauri_identity(TargetOs::from_os_name(&os), &base);
    let mut config = match std::env::var(TAURI_CONFIG_ENV) {
        Ok(given) => serde_json::from_str(&given)
            .map_err(|e| format!("{TAURI_CONFIG_ENV} is not JSON: {e}"))?,
        Err(_) => serde_json::json!({}),
    };
    json_patch::merge(&mut config, &identity);
    let config = config.to_string();
    std::env::set_var(TAURI_CONFIG_ENV, &config);
    println!("cargo:rustc-env={TAURI_CONFIG_ENV}={config}");
    Ok(())
}

/// Relative paths are the caller's, not the package's: build scripts run in the package folder,
/// which for this package is the repository root, as is the documented command's.
fn absolute(path: &Path) -> Result<PathBuf, String> {
    std::path::absolute(path).map_err(|e| format!("{PROFILE_ENV}={}: {e}", path.display()))
}
