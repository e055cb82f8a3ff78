//! The app's integration tests, one binary (ripgrep's `tests/tests.rs`): the window end to end
//! through tauri-driver (`e2e*`, one scenario at a time), the UI's catalogs, and the vendor build.
//! Run with `scripts/lib/test-session.sh cargo test -p inbox-connect --test it [module::]`.

mod e2e;
mod e2e_admin;
mod e2e_blocked;
mod e2e_connect;
mod e2e_connect_keyboard;
mod e2e_connect_speed;
mod e2e_languages;
mod e2e_single_instance;
mod e2e_vendor;
mod sandbox_seed;
mod scripts_help;
mod ui_catalogs;
mod ui_commands;
mod vendor_app;
mod vendor_build;
