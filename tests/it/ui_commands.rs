//! The window reaches the app's Rust commands only through `ui/js/commands.js`: every command the
//! app registers (`generate_handler!` in src-tauri/src/lib.rs) is named there exactly once, and no
//! other script calls Tauri (`invoke`, `__TAURI__`), so no other script can name a command.

use std::path::Path;

use crate::ui_catalogs::sources::{scripts, string_literals};

/// The command names `generate_handler!` registers (`module::name`, one a line).
fn registered() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = std::fs::read_to_string(root.join("src-tauri/src/lib.rs"))
        .unwrap_or_else(|e| panic!("src-tauri/src/lib.rs: {e}"));
    let start = lib
        .find("generate_handler![")
        .unwrap_or_else(|| panic!("no generate_handler! in src-tauri/src/lib.rs"));
    let list = &lib[start..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    list.lines()
        .filter_map(|line| line.trim().trim_end_matches(',').rsplit_once("::"))
        .map(|(_, name)| name.to_owned())
        .collect()
}

#[test]
fn every_command_has_its_one_function_and_no_other_script_names_one() {
    let commands = registered();
    assert!(commands.len() >= 20, "read only {commands:?}");
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js");
    let mut files = Vec::new();
    scripts(&ui, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let source =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        if file.ends_with("commands.js") {
            let named: Vec<String> = string_literals(&source)
                .into_iter()
                .map(|(_, literal)| literal)
                .collect();
            for command in &commands {
                let times = named.iter().filter(|n| *n == command).count();
                if times != 1 {
                    problems.push(format!("commands.js names {command} {times} times"));
                }
            }
        } else if source.contains("invoke(") || source.contains("__TAURI__") {
            problems.push(format!("{} calls Tauri itself", file.display()));
        }
    }
    assert!(
        files.iter().any(|f| f.ends_with("commands.js")),
        "no ui/js/commands.js"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
