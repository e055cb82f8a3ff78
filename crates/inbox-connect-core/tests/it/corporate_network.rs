//! Behind a corporate TLS-inspecting proxy, with the proxy named in the app's settings
//! ([`HttpOptions::proxy`]): the sandbox is served as `https://login.inbox-connect.test` through
//! the intercepting proxy of the test-support crate (`tls_proxy`), whose root CA the process trusts
//! the way the OS would (`SSL_CERT_FILE`). The real OS keychain: run through
//! scripts/lib/test-session.sh.
//!
//! The test sets `SSL_CERT_FILE` for its whole process, so it runs in a process of its own.

use inbox_connect_core::ConnectionEntries;
use inbox_connect_test_support as support;

use std::sync::Arc;

use entra_sandbox::SandboxConfig;
use inbox_connect_core::http::{HttpClient, HttpOptions};
use inbox_connect_core::{Connector, NoBrowser, Profile};
use support::browser::{answers, walk};
use support::own_process;
use support::sandbox::{RILEY, RILEY_PASSWORD};
use support::tls_proxy::{InterceptingProxy, ProxyPolicy, TestCa};
use url::Url;

const HOST: &str = "login.inbox-connect.test";

#[test]
fn the_app_connects_through_the_proxy_of_its_settings_and_names_a_407() {
    if !own_process::is_child() {
        let test =
            "corporate_network::the_app_connects_through_the_proxy_of_its_settings_and_names_a_407";
        return own_process::assert_passed(own_process::rerun(test, &[]).output());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(through_the_proxy());
}

async fn through_the_proxy() {
    let ca = TestCa::new("Inbox Connect Test Interception CA");
    let dir = std::env::temp_dir().join(support::unique_service("corporate-ca"));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    // The OS trust store as rustls-platform-verifier reads it on Linux; the environment's
    // proxies are cleared so only the explicit one is used. Alone in this process: no other
    // thread reads the environment meanwhile.
    std::env::set_var("SSL_CERT_FILE", ca.write_bundle(&dir));
    for var in support::tls_proxy::NETWORK_ENV {
        std::env::remove_var(var);
    }

    let public = Url::parse(&format!("https://{HOST}")).expect("a URL");
    let sandbox = entra_sandbox::start(SandboxConfig {
        public_url: Some(public.clone()),
        ..SandboxConfig::with_default_seed()
    })
    .await
    .expect("the sandbox starts");
    let proxy = InterceptingProxy::start(&ca, [(HOST, sandbox.local_addr())]).await;
    let profile = Profile::sandbox()
        .with_login_base(&public, sandbox.graph_url())
        .expect("an https profile");
    let http = HttpClient::new(&HttpOptions {
        proxy: Some(proxy.url()),
        ..HttpOptions::default()
    })
    .expect("a client with the proxy");

    let vault = support::test_vault("corporate");
    let (connector, mut links) = support::test_connector_with(profile.clone(), &vault, http);
    let pending = connector
        .begin_sign_in(&[], None)
        .await
        .expect("discovery through the proxy");
    let link = links.recv().await.expect("the link");
    let browser = proxy.browser(&ca);
    let user =
        tokio::spawn(async move { walk(&browser, &link, &answers(RILEY, RILEY_PASSWORD)).await });
    let status = pending
        .wait()
        .await
        .expect("connected through the intercepting proxy");
    user.await.expect("the browser finished");
    assert_eq!(status.state, inbox_connect_core::ConnectionState::Connected);
    assert!(
        status.checks.iter().all(|c| c.passed),
        "Graph through the proxy too: {:?}",
        status.checks
    );
    assert!(
        proxy.tunnels() >= 2,
        "the token and Graph calls went through the proxy"
    );
    // Microsoft's servers pick `h2` when a client offers it, and the release build has no
    // HTTP/2 (hyper-util would panic, and the app abort, on an `h2` connection): the app's
    // client, like the test browser, must offer HTTP/1.1 only.
    let protocols = proxy.protocols();
    assert!(
        protocols.iter().all(|p| p == "http/1.1"),
        "every TLS session through the proxy spoke HTTP/1.1: {protocols:?}"
    );
    let account = profile.keychain_account().expect("an account");
    vault.remove_connection(&account).expect("cleaned up");

    // A proxy that wants credentials the settings do not have.
    let strict = InterceptingProxy::start_with(
        &ca,
        [(HOST, sandbox.local_addr())],
        ProxyPolicy { require_auth: true },
    )
    .await;
    let http = HttpClient::new(&HttpOptions {
        proxy: Some(strict.url()),
        ..HttpOptions::default()
    })
    .expect("a client with the strict proxy");
    let refused = Connector::with_http(profile, vault, Arc::new(NoBrowser), http)
        .begin_sign_in(&[], None)
        .await
        .err()
        .expect("the proxy refuses");
    let payload = refused.payload();
    assert_eq!(payload.code, "network_unreachable");
    assert_eq!(
        payload.message,
        "could not reach the sign-in service: the proxy refused the connection to login.inbox-connect.test (HTTP 407 Proxy Authentication Required)"
    );
    let _ = std::fs::remove_dir_all(dir);
}
