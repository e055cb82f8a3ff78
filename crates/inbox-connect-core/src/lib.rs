//! The logic of Inbox Connect, testable without a window: the vendor profile, the PKCE sign-in
//! through a loopback receiver, the refresh token in the OS keychain, and the Graph checks.
//! When Microsoft blocks a connection, [`diagnosis`] says why and who can fix it, and [`blocked`]
//! builds the admin-consent link for the user's organization, the message to IT and the re-check
//! schedule. The app and the CLI use the [`connection`] façade. The folders read as the product:
//! [`profile`], [`sign_in`], [`vault`], [`graph`] checks, [`connection`], [`blocked`] path,
//! [`diagnosis`], [`admin`], and for the vendor the Entra [`registration`] its profile needs. Any
//! error the person sees has a diagnostic report for support ([`error_report`]).

#![warn(missing_docs)]

pub mod admin;
pub mod blocked;
pub mod connection;
pub mod diagnosis;
pub mod error;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod graph;
pub mod http;
pub mod refusal;
pub mod registration;
mod report;
pub mod settings;
pub mod sign_in;
pub mod status;
mod sync;
pub mod vault;
pub mod words;

/// The vendor profile, from its own crate so the app's build script can check it.
pub use inbox_connect_profile as profile;

pub use blocked::recheck::{Look, RecheckPlan};
pub use blocked::{
    AdminLink, Blocked, CheckedBy, LastCheck, PendingApproval, RecheckOutcome, SignInReason,
};
pub use connection::{
    ConnectionEntries, Connector, DisconnectReport, PendingSignIn, Recheck, SignInCanceller,
    StoredConnection, DEFAULT_SIGN_IN_TIMEOUT,
};
pub use diagnosis::{Cause, Diagnosis};
pub use error::{ConnectError, ErrorDetails, ErrorPayload, OAuthErrorFields};
pub use graph::Finding;
pub use profile::{AppIdentifier, Feature, Product, Profile};
pub use report::error_report;
pub use sign_in::browser::{BrowserOpener, NoBrowser, OpenedLink, SystemBrowser};
pub use status::{Account, Check, ConnectionState, ConnectionStatus, Organization, Permission};
pub use vault::{Persistence, Vault, VaultError};
pub use words::{Language, Words};

/// The sandbox profile on a sandbox-shaped login host, for unit tests that build links.
#[cfg(test)]
pub(crate) fn test_profile() -> Profile {
    let base = url::Url::parse("http://127.0.0.1:4321/").unwrap_or_else(|e| panic!("{e}"));
    let graph =
        url::Url::parse("http://127.0.0.1:4321/graph/v1.0").unwrap_or_else(|e| panic!("{e}"));
    Profile::sandbox()
        .with_login_base(&base, graph)
        .unwrap_or_else(|e| panic!("{e}"))
}
