//! Every documented command under `scripts/` answers `--help` with its header comment and does no
//! work (a script that took `--help` as an argument would start installing and building: the
//! `timeout` stops it and the test fails).

use std::path::Path;
use std::process::Command;

#[test]
fn every_script_answers_help_without_starting_work() {
    let scripts = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    let mut checked = Vec::new();
    let entries = std::fs::read_dir(&scripts).unwrap_or_else(|e| panic!("scripts/: {e}"));
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let out = Command::new("timeout")
            .arg("20")
            .arg(&path)
            .arg("--help")
            .output()
            .unwrap_or_else(|e| panic!("scripts/{name}: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.lines().count() >= 2,
            "scripts/{name} --help: {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stdout.contains("==>") && !stderr.contains("==>"),
            "scripts/{name} --help started work (setup.sh logs each step with ==>):\n{stderr}"
        );
        checked.push(name);
    }
    checked.sort();
    assert!(
        checked.len() >= 6 && checked.iter().any(|n| n == "registration"),
        "{checked:?}"
    );
}
