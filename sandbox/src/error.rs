//! Errors of the sandbox's own machinery (start-up, seed, state file); protocol errors live in
//! [`crate::aadsts`] and [`crate::graph::error`].

use std::path::PathBuf;

/// Why the sandbox could not start or persist its state.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// The seed TOML did not parse.
    #[error("invalid seed: {0}")]
    Seed(String),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The state file did not parse.
    #[error("invalid state file {path}: {message}")]
    State {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// The listener could not bind.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind {
        /// The requested port.
        port: u16,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The signing key could not be generated.
    #[error("cannot create the token signing key: {0}")]
    Key(String),
}
