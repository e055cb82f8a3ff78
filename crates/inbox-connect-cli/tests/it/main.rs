//! The CLI's integration tests, one binary (ripgrep's `tests/tests.rs`): the built CLI run as a
//! program against the sandbox tenant, its sign-in link read from its output and walked by the
//! test browser of `inbox-connect-test-support`. `wine` drives the Windows `.exe` under Wine
//! (ignored here; scripts/lib/cross.sh runs it). Keychain tests need the Secret Service: run
//! through `scripts/lib/test-session.sh cargo test -p inbox-connect-cli --test it [module::]`.

mod broken_pipe;
mod cli;
mod corporate_network;
mod diagnose;
mod listener_flood;
mod program;
mod registration;
mod sign_in_link;
mod wine;
