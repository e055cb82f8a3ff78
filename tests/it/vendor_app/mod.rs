//! The vendor app as the tests build it: with the documented command, `scripts/vendor-build
//! tests/vendor/e2e-vendor.toml --debug --bundles deb`, once per test process, into a target folder
//! of its own (`target/vendor-check`), so that the demo binary the window tests run is never
//! replaced under them. One build gives both the program the window tests run and the `.deb` the
//! installer test opens. Debug info is off there: the program is seven times smaller to link and to
//! pack. The first build compiles Tauri once more (a few minutes on 2 cores); later ones are
//! incremental.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The profile the tests bundle: the vendor's own product and app at an authority only the tests'
/// proxy resolves.
pub const PROFILE: &str = "tests/vendor/e2e-vendor.toml";

/// The program's and the package's name the profile's product gives.
pub const PACKAGE: &str = "acme-talent-connect";

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The vendor builds' target folder.
pub fn target() -> PathBuf {
    repo().join("target/vendor-check")
}

/// `cargo` as the tests run it, in the repository.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(repo()).env_remove("CARGO_TARGET_DIR");
    cmd
}

/// The environment every vendor build of the tests shares, so none rebuilds another's crates.
fn vendor_env(cmd: &mut Command) -> &mut Command {
    cmd.env("CARGO_TARGET_DIR", target())
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
}

/// Builds the vendor app with this profile (or none: that must fail) with plain cargo and the
/// features `tauri build` adds, for the build script's errors.
pub fn build(profile: Option<&Path>) -> Output {
    let mut cmd = cargo();
    vendor_env(&mut cmd)
        .args(["build", "--locked", "--no-default-features"])
        .args(["--features", "custom-protocol", "-p", "inbox-connect"])
        .args(["--bin", "inbox-connect"]);
    match profile {
        Some(path) => cmd.env("INBOX_CONNECT_PROFILE", path),
        None => cmd.env_remove("INBOX_CONNECT_PROFILE"),
    };
    cmd.output()
        .unwrap_or_else(|e| panic!("cargo could not be run: {e}"))
}

/// What the one installer build of this process made.
struct Built {
    program: PathBuf,
    installer: PathBuf,
}

/// Runs `scripts/vendor-build` with [`PROFILE`] once; later calls get its outcome.
fn built_once() -> Result<&'static Built, String> {
    static BUILT: OnceLock<Result<Built, String>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let mut cmd = Command::new(repo().join("scripts/vendor-build"));
            vendor_env(&mut cmd)
                .current_dir(repo())
                .args([PROFILE, "--debug", "--bundles", "deb"])
                .env_remove("INBOX_CONNECT_PROFILE");
            let out = cmd
                .output()
                .map_err(|e| format!("scripts/vendor-build could not be run: {e}"))?;
            if !out.status.success() {
                return Err(format!(
                    "scripts/vendor-build failed:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                ));
            }
            let debs = target().join("debug/bundle/deb");
            let name = format!("{PACKAGE}_{}_amd64.deb", env!("CARGO_PKG_VERSION"));
            let installer = debs.join(&name);
            if !installer.is_file() {
                let there: Vec<_> = std::fs::read_dir(&debs)
                    .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.file_name())).collect())
                    .unwrap_or_default();
                return Err(format!("no {name} in {}: {there:?}", debs.display()));
            }
            Ok(Built {
                program: target().join("debug").join(PACKAGE),
                installer,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The vendor program built from [`PROFILE`] (what the installer ships, before its rename).
pub fn built() -> Result<PathBuf, String> {
    built_once().map(|b| b.program.clone())
}

/// The `.deb` built from [`PROFILE`].
pub fn installer() -> Result<PathBuf, String> {
    built_once().map(|b| b.installer.clone())
}
