//! Settings files: precedence key by key, and bad files or values skipped with file and line.

use super::*;

fn source(scope: Scope, name: &str) -> Source {
    Source {
        scope,
        path: PathBuf::from(name),
    }
}

#[test]
fn every_setting_is_read_with_its_line() {
    let src = source(Scope::User, "user.toml");
    let text = "# IT's settings\ntenant = \"Contoso.com\"\nlogin_hint_domain = \"contoso.com\"\nproxy = \"http://proxy.contoso.com:8080\"\nlog_level = \"DEBUG\"\n";
    let (s, problems) = parse(&src, text);
    assert!(problems.is_empty(), "{problems:?}");
    let tenant = s.tenant.unwrap();
    assert_eq!(tenant.value.as_str(), "contoso.com");
    assert_eq!(tenant.origin.line, 2);
    assert_eq!(s.login_hint_domain.unwrap().value, "contoso.com");
    assert_eq!(
        s.proxy.unwrap().value.as_str(),
        "http://proxy.contoso.com:8080/"
    );
    assert_eq!(s.log_level.unwrap().value, LogLevel::Debug);
}

#[test]
fn a_bad_value_is_skipped_with_file_and_line_and_the_rest_kept() {
    let src = source(Scope::Machine, "/etc/xdg/app/settings.toml");
    let text = "tenant = \"organizations\"\nproxy = \"ftp://x\"\nlog_level = 3\nteant = \"x\"\nlogin_hint_domain = \"contoso.com\"\n";
    let (s, problems) = parse(&src, text);
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 4, "{shown:?}");
    assert!(shown[0].starts_with("/etc/xdg/app/settings.toml:1: `tenant` cannot be used: 'organizations' does not name one organization"), "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|p| p.starts_with("/etc/xdg/app/settings.toml:2: `proxy` must be an http://")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|p| p
                .starts_with("/etc/xdg/app/settings.toml:3: `log_level` must be a quoted string")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|p| p.starts_with("/etc/xdg/app/settings.toml:4: `teant` is not a setting")),
        "{shown:?}"
    );
    assert_eq!(s.login_hint_domain.unwrap().value, "contoso.com");
    assert!(s.tenant.is_none() && s.proxy.is_none() && s.log_level.is_none());
}

#[test]
fn a_file_that_is_not_toml_is_named_with_its_line() {
    let src = source(Scope::User, "settings.toml");
    let (s, problems) = parse(&src, "log_level = \"debug\"\ntenant = contoso.com\n");
    assert_eq!(s, Settings::default());
    assert_eq!(problems.len(), 1);
    let shown = problems[0].to_string();
    assert!(
        shown.starts_with("settings.toml:2: is not valid TOML"),
        "{shown}"
    );
}

#[test]
fn the_machine_file_wins_key_by_key() {
    let dir = std::env::temp_dir().join(format!("inbox-connect-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let machine = dir.join("machine.toml");
    let user = dir.join("user.toml");
    std::fs::write(&machine, "proxy = \"http://it-proxy:3128\"\n").unwrap();
    std::fs::write(
        &user,
        "proxy = \"http://my-proxy:8080\"\nlog_level = \"trace\"\n",
    )
    .unwrap();
    let sources = [
        Source {
            scope: Scope::Machine,
            path: machine.clone(),
        },
        Source {
            scope: Scope::User,
            path: user.clone(),
        },
        Source {
            scope: Scope::User,
            path: dir.join("absent.toml"),
        },
    ];
    let loaded = load(&sources);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.files, [machine.clone(), user.clone()]);
    let proxy = loaded.settings.proxy.unwrap();
    assert_eq!(proxy.value.as_str(), "http://it-proxy:3128/");
    assert_eq!(proxy.origin.scope, Scope::Machine);
    assert_eq!(loaded.settings.log_level.unwrap().origin.path, user);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Writes a machine and a user file into a fresh folder and loads them, machine first.
fn load_pair(name: &str, machine: &str, user: &str) -> (Loaded, PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "inbox-connect-settings-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let (machine_path, user_path) = (dir.join("machine.toml"), dir.join("user.toml"));
    std::fs::write(&machine_path, machine).unwrap();
    std::fs::write(&user_path, user).unwrap();
    let loaded = load(&[
        Source {
            scope: Scope::Machine,
            path: machine_path.clone(),
        },
        Source {
            scope: Scope::User,
            path: user_path.clone(),
        },
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    (loaded, machine_path, user_path)
}

#[test]
fn a_bad_machine_value_does_not_open_the_key_to_the_user() {
    let (loaded, machine, user) = load_pair(
        "locked-key",
        "proxy = \"ftp://it-proxy\"\ntenant = \"contoso.com\"\n",
        "log_level = \"debug\"\nproxy = \"http://my-proxy:8080\"\n",
    );
    // IT's proxy could not be used; the user's is not used in its place.
    assert!(loaded.settings.proxy.is_none(), "{:?}", loaded.settings);
    assert_eq!(loaded.settings.tenant.unwrap().origin.path, machine);
    assert_eq!(loaded.settings.log_level.unwrap().origin.path, user);
    let shown: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert_eq!(shown.len(), 2, "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|p| p.starts_with(&format!("{}:1: `proxy` must be", machine.display()))),
        "{shown:?}"
    );
    let ignored = format!(
        "{}:2: `proxy` is ignored: the machine's settings set it with a value that cannot be used",
        user.display()
    );
    assert!(shown.iter().any(|p| p.starts_with(&ignored)), "{shown:?}");
}

#[test]
fn a_machine_file_that_is_not_toml_closes_every_key_to_the_user() {
    let (loaded, _, user) = load_pair(
        "locked-file",
        "proxy = http://it-proxy\n",
        "log_level = \"debug\"\n",
    );
    assert_eq!(loaded.settings, Settings::default());
    assert!(loaded.problems.iter().any(|p| p.path == user
        && p.about == About::Key("log_level")
        && p.message.contains("is ignored")));
}

#[test]
fn the_report_names_each_origin_and_hides_a_proxy_password() {
    let src = source(Scope::Machine, "m.toml");
    let (s, _) = parse(&src, "proxy = \"http://alice:s3cret@proxy:8080\"\n");
    let lines = s.report_lines();
    assert_eq!(lines[0], "tenant: not set");
    assert_eq!(
        lines[2],
        "proxy = http://alice:***@proxy:8080/ (machine settings, m.toml:1)"
    );
    assert!(!lines.join("\n").contains("s3cret"));
}

#[cfg(target_os = "linux")]
#[test]
fn machine_settings_follow_xdg_config_dirs() {
    // The user folder comes from the caller (Tauri's path API); the machine's from XDG.
    let sources = standard_sources("app.example", Path::new("/home/u/.config/app.example"));
    let last = sources.last().unwrap();
    assert_eq!(last.scope, Scope::User);
    assert_eq!(
        last.path,
        Path::new("/home/u/.config/app.example/settings.toml")
    );
    assert!(sources[..sources.len() - 1]
        .iter()
        .all(|s| s.scope == Scope::Machine && s.path.ends_with("app.example/settings.toml")));
}

/// Under Wine (scripts/lib/cross.sh) and on the release workflow's Windows runner: IT's file is
/// read from %ProgramData%\{app}\settings.toml, as the README documents, and wins over the user's.
#[cfg(windows)]
#[test]
fn machine_settings_are_read_from_program_data() {
    let program_data =
        PathBuf::from(std::env::var_os("PROGRAMDATA").expect("%ProgramData% is set"));
    let app = format!("inbox-connect-test-{}", std::process::id());
    let user_dir = std::env::temp_dir().join(&app);
    let sources = standard_sources(&app, &user_dir);
    let machine = program_data.join(&app).join(FILE_NAME);
    assert_eq!(sources[0].scope, Scope::Machine);
    assert_eq!(sources[0].path, machine);
    assert_eq!(sources[1].path, user_dir.join(FILE_NAME));

    std::fs::create_dir_all(machine.parent().unwrap()).unwrap();
    std::fs::create_dir_all(&user_dir).unwrap();
    std::fs::write(&machine, "tenant = \"contoso.com\"\n").unwrap();
    std::fs::write(user_dir.join(FILE_NAME), "tenant = \"fabrikam.com\"\n").unwrap();
    let loaded = load(&sources);
    std::fs::remove_dir_all(machine.parent().unwrap()).unwrap();
    std::fs::remove_dir_all(&user_dir).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let tenant = loaded.settings.tenant.expect("the machine's tenant");
    assert_eq!(tenant.value.as_str(), "contoso.com");
    assert_eq!(tenant.origin.path, machine);
}
