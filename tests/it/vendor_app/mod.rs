//! The vendor app as the tests build it: `cargo build --no-default-features` with a vendor profile,
//! into a target folder of its own (`target/vendor-check`, a debug build of the sources a release
//! ships), so that the demo binary the window tests run is never replaced under them. The first
//! build compiles Tauri once more (a few minutes on 2 cores); later ones are incremental.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The profile the tests bundle: the vendor's own app at an authority only the tests' proxy
/// resolves.
pub const PROFILE: &str = "tests/vendor/e2e-vendor.toml";

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo` as the tests run it, in the repository.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(repo()).env_remove("CARGO_TARGET_DIR");
    cmd
}

/// Builds the vendor app with this profile (or none: that must fail).
pub fn build(profile: Option<&Path>) -> Output {
    let mut cmd = cargo();
    cmd.args([
        "build",
        "--locked",
        "--no-default-features",
        "-p",
        "inbox-connect",
    ])
    .args(["--bin", "inbox-connect", "--target-dir"])
    .arg(repo().join("target/vendor-check"));
    match profile {
        Some(path) => cmd.env("INBOX_CONNECT_PROFILE", path),
        None => cmd.env_remove("INBOX_CONNECT_PROFILE"),
    };
    cmd.output()
        .unwrap_or_else(|e| panic!("cargo could not be run: {e}"))
}

/// Builds the vendor app with [`PROFILE`] and returns the binary's path.
pub fn built() -> Result<PathBuf, String> {
    let out = build(Some(&repo().join(PROFILE)));
    if !out.status.success() {
        return Err(format!(
            "the vendor build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(repo().join("target/vendor-check/debug/inbox-connect"))
}
