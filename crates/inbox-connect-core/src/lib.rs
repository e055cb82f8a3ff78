//! The logic of Inbox Connect, testable without a window: the vendor profile, the PKCE sign-in
//! through a loopback receiver, the refresh token in the OS keychain, and the Graph checks.
//! When Microsoft blocks a connection, [`diagnosis`] says why and who can fix it, [`admin_consent`]
//! builds the admin-consent link for the user's organization and [`it_request`] the message to IT.
//! The app and the CLI use the [`connection`] façade.

#![warn(missing_docs)]

pub mod admin;
pub mod admin_consent;
mod auth;
pub mod blocked;
pub mod browser;
pub mod connection;
pub mod diagnosis;
pub mod error;
pub mod graph;
pub mod it_request;
mod loopback;
pub mod profile;
pub mod recheck;
pub mod status;
pub mod vault;

pub use blocked::{AdminLink, Blocked, PendingApproval};
pub use browser::{BrowserOpener, NoBrowser, OpenedLink, SystemBrowser};
pub use connection::{
    Connector, DisconnectReport, PendingSignIn, SignInCanceller, DEFAULT_SIGN_IN_TIMEOUT,
};
pub use diagnosis::{Cause, Diagnosis};
pub use error::{ConnectError, ErrorDetails, ErrorPayload, OAuthErrorFields};
pub use profile::{Feature, Profile};
pub use recheck::RecheckSchedule;
pub use status::{Account, Check, ConnectionState, ConnectionStatus, Organization, Permission};
pub use vault::Vault;
