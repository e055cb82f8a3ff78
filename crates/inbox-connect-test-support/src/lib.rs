//! The tests' harness, shared by the core's, the CLI's and the app's test binaries and the core's
//! benches (dev-only, never in a build that ships): a test "browser" that plays the user by
//! following HTML forms over real HTTP, the sandbox tenant and the independent OpenID provider to
//! sign in against, a corporate TLS-intercepting proxy, a fault-injecting front, the real
//! keychain seen from outside, the diagnosis corpus, and throwaway keychain service names.

pub mod admin;
pub mod browser;
pub mod corpus;
pub mod faults;
pub mod journey;
pub mod keychain;
pub mod oidc;
pub mod own_process;
pub mod sandbox;
pub mod tls_proxy;

use std::sync::atomic::{AtomicUsize, Ordering};

use inbox_connect_core::{Product, Vault};

/// A keychain service name no other test (or real use) shares.
pub fn unique_service(label: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "inbox-connect-test-{label}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A real OS keychain under a throwaway service name.
pub fn test_vault(label: &str) -> Vault {
    vault_named(&unique_service(label))
}

/// The real OS keychain under this service name, locked in Inbox Connect's data folder.
pub fn vault_named(service: &str) -> Vault {
    Vault::with_service(&Product::inbox_connect().identifier, service)
}

use std::sync::Arc;
use std::time::Duration;

use browser::{client, walk, Answers, Landing, TestBrowser};
use inbox_connect_core::http::HttpClient;
use inbox_connect_core::{
    ConnectError, ConnectionStatus, Connector, Feature, PendingSignIn, Profile,
};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

/// A connector with the test browser and a 30-second sign-in timeout, and the links it opens.
pub fn test_connector(profile: Profile, vault: &Vault) -> (Connector, UnboundedReceiver<Url>) {
    test_connector_with(profile, vault, HttpClient::default())
}

/// [`test_connector`] on this HTTP client.
pub fn test_connector_with(
    profile: Profile,
    vault: &Vault,
    http: HttpClient,
) -> (Connector, UnboundedReceiver<Url>) {
    let (browser, links) = TestBrowser::new();
    let connector = Connector::with_http(profile, vault.clone(), Arc::new(browser), http);
    connector.set_sign_in_timeout(Duration::from_secs(30));
    (connector, links)
}

/// What one sign-in came to.
pub struct SignIn {
    /// The link the browser was asked to open.
    pub link: Url,
    /// What `wait` returned.
    pub outcome: Result<ConnectionStatus, ConnectError>,
    /// Where the test browser landed.
    pub landing: Landing,
}

/// One Connect click played to the end by the test browser with these answers.
pub async fn sign_in(
    connector: &Connector,
    links: &mut UnboundedReceiver<Url>,
    features: &[Feature],
    answers: Answers,
) -> SignIn {
    let pending = connector
        .begin_sign_in(features, None)
        .await
        .expect("sign-in starts");
    let link = links
        .recv()
        .await
        .expect("the browser was asked to open the link");
    assert_eq!(
        &link,
        pending.link().url(),
        "the browser opens the link the app shows"
    );
    finish(pending, link, answers).await
}

/// Lets the test browser play a sign-in already started.
pub async fn finish(pending: PendingSignIn, link: Url, answers: Answers) -> SignIn {
    let opened = link.clone();
    let user = tokio::spawn(async move { walk(&client(), &opened, &answers).await });
    let outcome = pending.wait().await;
    let landing = user.await.expect("the test browser finished");
    SignIn {
        link,
        outcome,
        landing,
    }
}

impl SignIn {
    /// Asserts the sign-in connected and the browser tab says so on the clean loopback URL.
    pub fn connected(self) -> ConnectionStatus {
        let status = self.outcome.expect("the sign-in connects");
        assert_eq!(self.landing.status, 200);
        assert!(
            self.landing
                .body
                .contains("Connected — you can close this tab"),
            "{}",
            self.landing.body
        );
        assert_eq!(
            self.landing.url.query(),
            None,
            "the code left the address bar"
        );
        assert_eq!(status.state, inbox_connect_core::ConnectionState::Connected);
        status
    }
}
