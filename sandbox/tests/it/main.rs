//! The sandbox tenant's tests, one binary (ripgrep's `tests/tests.rs`), a module per area: its
//! sign-in pages and tokens, the Graph and directory calls, the preset tenants, and its fidelity to
//! what Microsoft's own clients depend on. `util` starts sandboxes and drives them over HTTP.

mod admin_graph_access;
mod admin_graph_apps;
mod admin_graph_directory_objects;
mod admin_graph_policies;
mod browser;
mod fidelity;
mod graph;
mod mail_lookup;
mod presets_access;
mod presets_consent;
mod robustness;
mod sign_in_admin_consent;
mod sign_in_authorize;
mod sign_in_prompts;
mod sign_in_tokens;
mod util;
mod vendor_page;
