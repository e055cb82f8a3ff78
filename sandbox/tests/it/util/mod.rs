//! Test helpers: start a sandbox, drive its pages like a browser-less client, read redirects.

mod authorize;
mod forms;
mod graph_admin;
mod sign_in;
mod token;

// The helpers by topic, in one namespace (`use crate::util::*`).
pub use {authorize::*, forms::*, graph_admin::*, sign_in::*, token::*};

use entra_sandbox::{start, RunningSandbox, SandboxConfig, Seed};
use reqwest::{redirect::Policy, Client, Response};

/// A sandbox with the default seed.
pub async fn sandbox() -> RunningSandbox {
    start(SandboxConfig::with_default_seed())
        .await
        .expect("sandbox starts")
}

/// A sandbox with the fixture seed (on-premises mailbox user, odd apps).
pub async fn fixture_sandbox() -> RunningSandbox {
    let seed =
        Seed::from_toml(include_str!("../../fixtures/fixture.toml")).expect("fixture seed parses");
    start(SandboxConfig {
        seed,
        ..SandboxConfig::with_default_seed()
    })
    .await
    .expect("sandbox starts")
}

/// A client with a cookie jar that does not follow redirects (tests read `Location`).
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

/// GETs a URL.
pub async fn get(http: &Client, url: impl reqwest::IntoUrl) -> Response {
    http.get(url).send().await.expect("get")
}

/// Sends a request and parses the JSON answer.
pub async fn json(request: reqwest::RequestBuilder) -> serde_json::Value {
    request
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}
