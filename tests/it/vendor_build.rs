//! The vendor build (feature `sandbox` off) carries the vendor's profile and nothing of the sandbox
//! tenant, and refuses to build without a valid profile. How it is built: `tests/it/vendor_app/`.

use std::process::Output;

use crate::sandbox_seed;
use crate::vendor_app::{self, build as vendor_build, cargo, repo};

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_vendor_dependency_tree_has_no_simulator() {
    let out = cargo()
        .args([
            "tree",
            "--locked",
            "-p",
            "inbox-connect",
            "--no-default-features",
        ])
        .args(["-e", "normal,build", "--prefix", "none", "--format", "{p}"])
        .output()
        .unwrap_or_else(|e| panic!("cargo tree: {e}"));
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        tree.contains("inbox-connect-core"),
        "not the app's tree:\n{tree}"
    );
    for crate_name in ["entra-sandbox ", "rsa "] {
        assert!(
            !tree.lines().any(|l| l.starts_with(crate_name)),
            "the vendor build depends on {crate_name}"
        );
    }
    // The demo does have it: the check above looks at the right thing.
    let demo = cargo()
        .args(["tree", "--locked", "-p", "inbox-connect", "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}"])
        .output()
        .unwrap_or_else(|e| panic!("cargo tree: {e}"));
    assert!(String::from_utf8_lossy(&demo.stdout)
        .lines()
        .any(|l| l.starts_with("entra-sandbox ")));
}

#[test]
fn the_vendor_binary_has_the_vendor_profile_and_no_sandbox_secrets() {
    let binary = vendor_app::built().unwrap_or_else(|e| panic!("{e}"));
    let binary = std::fs::read(binary).unwrap_or_else(|e| panic!("the vendor binary: {e}"));
    let contains = |needle: &str| binary.windows(needle.len()).any(|w| w == needle.as_bytes());
    // The bundled profile's client id and authority are in it…
    assert!(contains("0b8d3c1e-7f42-4a6b-9e15-c2d4f6a8b0e3"));
    assert!(contains(
        "https://login.inbox-connect.test/contoso-recruiting.example/v2.0"
    ));
    // …and none of the sandbox's passwords, seed accounts, or code.
    for secret in sandbox_seed::passwords(&repo()) {
        assert!(
            !contains(&secret),
            "the vendor binary contains a sandbox password"
        );
    }
    for leftover in ["riley@contoso-recruiting.example", "entra_sandbox"] {
        assert!(!contains(leftover), "the vendor binary contains {leftover}");
    }
    // Only the profile's values: none of the comments in the vendor's file.
    assert!(
        !contains("whose name only the tests' TLS-intercepting proxy resolves"),
        "the vendor binary contains the profile's comments"
    );
}

#[test]
fn the_app_answers_help_and_version_without_a_display() {
    let binary = vendor_app::built().unwrap_or_else(|e| panic!("{e}"));
    for (arg, expected) in [
        ("--version", "inbox-connect 0.1.0"),
        ("--help", "Usage: inbox-connect [--help | --version]"),
    ] {
        let out = std::process::Command::new(&binary)
            .arg(arg)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{arg}: {}", stderr(&out));
        assert!(said.contains(expected), "{arg} said: {said}");
    }
}

#[test]
fn a_vendor_build_without_a_profile_says_what_to_pass() {
    let out = vendor_build(None);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("a vendor build (without the `sandbox` feature) needs the vendor's profile: set INBOX_CONNECT_PROFILE=/path/to/profile.toml"),
        "{err}"
    );
}

#[test]
fn an_invalid_profile_fails_the_build_naming_file_and_field() {
    let dir = repo().join("target/vendor-check/profiles");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let good = std::fs::read_to_string(repo().join("tests/vendor/acme-vendor.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            "bad-client-id.toml",
            good.replace("0b8d3c1e-7f42-4a6b-9e15-c2d4f6a8b0e3", "acme"),
            "`client_id` is not a GUID",
        ),
        (
            "typo.toml",
            good.replace("cloud = \"global\"", "clowd = \"global\""),
            "line 9: unknown field `clowd`",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let out = vendor_build(Some(&path));
        assert!(!out.status.success(), "{name} was accepted");
        let err = stderr(&out);
        let named = format!("the vendor profile {}: {expected}", path.display());
        assert!(err.contains(&named), "expected «{named}» in:\n{err}");
    }
}
