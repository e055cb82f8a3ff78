//! What every handler shares: the seed, the state store, the clock, the signing key and the base URL.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use url::Url;

use crate::clock::Clock;
use crate::jwt::Signer;
use crate::ledger::SecretLedger;
use crate::seed::Seed;
use crate::state::Store;

/// The running sandbox's shared parts.
#[derive(Debug)]
pub struct Sandbox {
    /// Tenants, users and apps.
    pub seed: Seed,
    /// Runtime state.
    pub store: Store,
    /// Sandbox time.
    pub clock: Clock,
    /// Token signing key.
    pub signer: Signer,
    /// Origin written into URLs and issuers (no trailing slash when rendered by [`Sandbox::base`]).
    pub base_url: Url,
    /// HTTP requests answered so far, for benchmarks that count round trips.
    pub requests: AtomicU64,
    /// Where issued and received secrets are written for tests (usually nowhere).
    pub ledger: SecretLedger,
}

/// Handler state.
pub type Shared = Arc<Sandbox>;

impl Sandbox {
    /// The base URL without a trailing slash, for building URLs by concatenation.
    pub fn base(&self) -> &str {
        self.base_url.as_str().trim_end_matches('/')
    }

    /// The v2.0 issuer of a tenant: `{base}/{tid}/v2.0` (docs/entra-reference.md §1.9).
    pub fn issuer(&self, tenant_id: &str) -> String {
        format!("{}/{tenant_id}/v2.0", self.base())
    }
}
