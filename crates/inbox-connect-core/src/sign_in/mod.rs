//! Signing in through the system browser: the authorize link and the token requests (`auth`),
//! opening the link ([`browser`]) and the loopback receiver that takes Microsoft's answer back
//! (`loopback`).

pub(crate) mod auth;
pub mod browser;
pub(crate) mod loopback;
