//! The core's integration tests, one binary (ripgrep's `tests/tests.rs`), a module per area. The
//! harness (test browser, sandbox launcher, TLS proxy, keychain helpers) is the dev-only crate
//! `inbox-connect-test-support`. Tests that use the keychain need the Secret Service: run them
//! through `scripts/lib/test-session.sh cargo test -p inbox-connect-core --test it [module::]`.

mod aadsts_coverage;
mod admin_checklist;
mod admin_flow;
mod admin_handoff;
mod approval_recheck;
mod blocked_flow;
mod corporate_network;
mod deployed_settings;
mod diagnosis_corpus;
mod listener_attacks;
mod msal_node;
mod oidc_provider;
mod refresh_and_mail;
mod registration;
mod sandbox_flow;
mod session_persist;
mod token_faults;
mod vault;
mod vault_contract;
mod vault_integrity;
