//! The vendor build (feature `sandbox` off) carries the vendor's profile and nothing of the sandbox
//! tenant, installs as the vendor's product, and refuses to build without a valid profile. How it
//! is built: `tests/it/vendor_app/`.

use std::path::Path;
use std::process::Output;

use crate::sandbox_seed;
use crate::vendor_app::{self, build as vendor_build, cargo, repo, PACKAGE};

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
        ("--version", "acme-talent-connect 0.1.0"),
        ("--help", "Usage: acme-talent-connect [--help | --version]"),
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

/// What `dpkg-deb` says of a package (`-f FIELD`, `-c`, `--fsys-tarfile`).
fn dpkg_deb(args: &[&str], deb: &Path) -> Vec<u8> {
    let out = std::process::Command::new("dpkg-deb")
        .args(args)
        .arg(deb)
        .output()
        .unwrap_or_else(|e| panic!("dpkg-deb: {e}"));
    assert!(out.status.success(), "dpkg-deb {args:?}: {}", stderr(&out));
    out.stdout
}

/// One file of the package, read from its data archive.
fn file_in(deb: &Path, path: &str) -> Vec<u8> {
    let tar = dpkg_deb(&["--fsys-tarfile"], deb);
    let mut child = std::process::Command::new("tar")
        .args(["-xO", path])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("tar: {e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("tar's stdin"));
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, &tar));
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("tar: {e}"));
    let _ = writer.join();
    assert!(out.status.success(), "{path} is not in the package");
    out.stdout
}

#[test]
fn the_installer_is_the_vendors_product() {
    let deb = vendor_app::installer().unwrap_or_else(|e| panic!("{e}"));
    let control = |name: &str| {
        let out = std::process::Command::new("dpkg-deb")
            .arg("-f")
            .arg(&deb)
            .arg(name)
            .output()
            .unwrap_or_else(|e| panic!("dpkg-deb: {e}"));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(control("Package"), PACKAGE);
    assert_eq!(control("Maintainer"), "Acme Recruit Ltd");
    let depends = control("Depends");
    let listed: Vec<&str> = depends.split(", ").collect();
    let mut once = listed.clone();
    once.sort_unstable();
    once.dedup();
    assert_eq!(
        once.len(),
        listed.len(),
        "Depends lists a package twice: {depends}"
    );
    assert!(listed.contains(&"libwebkit2gtk-4.1-0"), "{depends}");
    assert!(
        listed.iter().any(|d| d.starts_with("gnome-keyring")),
        "{depends}"
    );

    let contents = String::from_utf8_lossy(&dpkg_deb(&["-c"], &deb)).into_owned();
    let desktop = format!("usr/share/applications/{PACKAGE}.desktop");
    for path in [format!("usr/bin/{PACKAGE}"), desktop.clone()] {
        assert!(contents.contains(&path), "{path} is not in:\n{contents}");
    }
    for other in ["inbox-connect", "Inbox Connect", "inboxconnect"] {
        assert!(
            !contents.contains(other),
            "a path says {other}:\n{contents}"
        );
    }
    let entry = String::from_utf8_lossy(&file_in(&deb, &desktop)).into_owned();
    for line in [
        "Name=Acme Talent Connect",
        &format!("Exec={PACKAGE}"),
        &format!("Icon={PACKAGE}"),
    ] {
        assert!(entry.lines().any(|l| l == line), "no {line:?} in:\n{entry}");
    }
    // The icons are made from the profile's, not Inbox Connect's.
    let icon = file_in(
        &deb,
        &format!("usr/share/icons/hicolor/128x128/apps/{PACKAGE}.png"),
    );
    let made = std::fs::read(vendor_app::target().join("vendor-config/icons/128x128.png"))
        .unwrap_or_else(|e| panic!("the icon set made from the profile's: {e}"));
    assert!(
        icon == made,
        "the package's icon is not the one made from the profile's"
    );
    let ours = std::fs::read(repo().join("icons/128x128.png")).unwrap_or_default();
    assert!(icon != ours, "the package has Inbox Connect's icon");
}
