//! The Tauri shell of Inbox Connect: a thin adapter over `inbox-connect-core`. The window's
//! commands live in [`commands`], the app's state in [`state`], and the embedded sandbox tenant
//! (used when no vendor profile is configured) in [`sandbox`].

mod admin;
mod commands;
mod error;
mod qr;
mod sandbox;
mod state;

use tauri::Manager;

/// Starts the desktop app.
pub fn run() {
    init_tracing();
    tauri::Builder::default()
        .setup(|app| {
            let state = state::AppState::start(app.handle());
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
            commands::begin_recheck,
            commands::next_recheck_in,
            commands::admin_consent_link,
            commands::admin_consent_qr,
            commands::explain_error,
            admin::admin_info,
            admin::admin_begin_grant,
            admin::admin_begin_verify,
            admin::admin_preview_action,
            admin::admin_begin_confirmed_action,
            admin::admin_finish,
            admin::admin_cancel,
            admin::admin_open_portal,
        ])
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("the Tauri runtime could not start (is a display available?)");
}

/// Logs to stderr; `RUST_LOG` overrides the default level. Nothing secret is ever logged: tokens
/// and codes stay inside the core library.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only for a terminal, not for log files or a test's captured output.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
