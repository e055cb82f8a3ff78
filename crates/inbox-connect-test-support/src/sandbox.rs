//! The sandbox tenant (entra-sandbox), started in-process per test.

use entra_sandbox::{RunningSandbox, SandboxConfig};
use inbox_connect_core::{Connector, Profile, Vault};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

/// Riley Recruiter, the sandbox's recruiter.
pub const RILEY: &str = "riley@contoso-recruiting.example";
/// Riley's password.
pub const RILEY_PASSWORD: &str = "Recruit-2026!";

/// Starts the sandbox with the default seed.
pub async fn start() -> RunningSandbox {
    start_with(SandboxConfig::with_default_seed()).await
}

/// Starts the sandbox with this configuration.
pub async fn start_with(config: SandboxConfig) -> RunningSandbox {
    entra_sandbox::start(config)
        .await
        .expect("the sandbox starts")
}

/// The bundled profile pointed at this sandbox, as the app does when it starts one.
pub fn profile(sandbox: &RunningSandbox) -> Profile {
    Profile::sandbox()
        .with_login_base(sandbox.base_url(), sandbox.graph_url())
        .expect("the sandbox URLs are loopback")
}

/// A sandbox, a throwaway keychain service and a connector on them with the test browser.
pub async fn setup(label: &str) -> (RunningSandbox, Vault, Connector, UnboundedReceiver<Url>) {
    let sandbox = start().await;
    let vault = crate::test_vault(label);
    let (connector, links) = crate::test_connector(profile(&sandbox), &vault);
    (sandbox, vault, connector, links)
}
