//! The Tauri shell of Inbox Connect: a thin adapter over `inbox-connect-core`. The window's
//! commands live in `commands` (what they return in `window`), the app's state in `state`,
//! and, in the demo build only, the embedded sandbox tenant in `sandbox`.

mod admin;
mod commands;
mod error;
mod logs;
mod qr;
#[cfg(feature = "sandbox")]
mod sandbox;
mod state;
mod window;

use inbox_connect_core::settings::{self, Loaded};
use tauri::Manager;

/// What the app answers on its command line without opening a window (`--help`, `--version`), so
/// that a script or a terminal without a display gets an answer instead of GTK's panic. Any other
/// arguments (a second launch's) are the window's.
pub fn command_line_answer(args: &[String]) -> Option<String> {
    let name = env!("INBOX_CONNECT_BINARY_NAME");
    let version = env!("CARGO_PKG_VERSION");
    match args.first().map(String::as_str) {
        Some("--version" | "-V") => Some(format!("{name} {version}")),
        Some("--help" | "-h") => Some(format!(
            "{name} {version}\n{}\n\nUsage: {name} [--help | --version]\n\nWith no option it \
             opens its window, which needs a desktop session.",
            env!("CARGO_PKG_DESCRIPTION")
        )),
        _ => None,
    }
}

/// Starts the desktop app.
pub fn run() {
    let ran = tauri::Builder::default()
        // First, as the plugin asks: a second launch only focuses this window and exits, so there
        // is never a second loopback listener or a second writer of the keychain entry.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tracing::info!("Inbox Connect was started again: showing the running window");
            if let Some(window) = app.get_webview_window("main") {
                window::bring_to_front(&window);
            }
        }))
        // The Copy buttons write through the OS clipboard: the webview's own clipboard refuses a
        // write that does not follow a click at once (after "Email my IT admin" opened the mail
        // program), so the window said "copied" while nothing was.
        .plugin(tauri_plugin_clipboard_manager::init())
        .setup(|app| {
            let handle = app.handle();
            let settings = read_settings(handle);
            let level = settings
                .settings
                .log_level
                .as_ref()
                .map_or("info", |s| s.value.as_str());
            let (log, log_failure) = logs::Log::start(level, handle.path().app_log_dir().ok());
            tracing::info!(
                version = env!("CARGO_PKG_VERSION"),
                "Inbox Connect starting"
            );
            if let Some(failure) = log_failure {
                tracing::warn!("no log file: {failure}");
            }
            for problem in &settings.problems {
                tracing::warn!("settings: {problem}");
            }
            let state = state::AppState::start(handle, settings, log);
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::restore,
            commands::status,
            commands::begin_sign_in,
            commands::begin_add_features,
            commands::finish_sign_in,
            commands::cancel_sign_in,
            commands::check,
            commands::send_test_email,
            commands::disconnect,
            commands::email_it,
            commands::it_asked,
            commands::begin_recheck,
            commands::recheck_plan,
            commands::recheck_on_return,
            commands::admin_consent_link,
            commands::admin_consent_qr,
            commands::explain_error,
            commands::open_log_folder,
            commands::error_report,
            commands::open_help,
            commands::set_language,
            commands::begin_sign_in_as_another,
            admin::admin_info,
            admin::admin_begin_grant,
            admin::admin_begin_verify,
            admin::admin_preview_action,
            admin::admin_begin_confirmed_action,
            admin::admin_finish,
            admin::admin_cancel,
            admin::admin_open_portal,
        ])
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = ran {
        // E.g. no display, or a second launch while the first instance is still closing (the
        // single-instance plugin cannot hand over to it): say so and exit, without a panic.
        tracing::error!("the app could not start: {e}");
        eprintln!(
            "The app could not start: {e}. If it was just closed, start it again in a moment."
        );
        std::process::exit(1);
    }
}

/// The settings files of this computer: per machine (IT's) and per user, in the OS's standard
/// folders named for the app's identifier.
fn read_settings(app: &tauri::AppHandle) -> Loaded {
    let identifier = &app.config().identifier;
    let Ok(user_dir) = app.path().app_config_dir() else {
        return Loaded::default();
    };
    settings::load(&settings::standard_sources(identifier, &user_dir))
}
