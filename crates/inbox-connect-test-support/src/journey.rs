//! Pieces of the blocked journeys: a preset user's answers, a started sign-in played by a
//! cookie-keeping test browser, and IT's browser for the admin-consent link.

use inbox_connect_core::{ConnectError, ConnectionStatus, PendingSignIn};
use tokio::sync::mpsc::UnboundedReceiver;
use url::Url;

use crate::browser::{walk, Answers, Landing};

/// The user's answers on the sign-in pages, then these decisions.
pub fn user(login: &str, password: &str, decisions: &[&str]) -> Answers {
    let mut answers: Answers = vec![
        ("login", login.to_owned()),
        ("passwd", password.to_owned()),
        ("account", login.to_owned()),
        (
            "justification",
            "To email candidates from our recruiting product.".to_owned(),
        ),
    ];
    answers.extend(decisions.iter().map(|d| ("decision", (*d).to_owned())));
    answers
}

/// Lets `browser` (a cookie-keeping test client) play a sign-in already started.
pub async fn play(
    browser: &reqwest::Client,
    pending: PendingSignIn,
    links: &mut UnboundedReceiver<Url>,
    answers: Answers,
) -> (Url, Result<ConnectionStatus, ConnectError>, Landing) {
    let link = links
        .recv()
        .await
        .expect("the browser was asked to open the link");
    let (browser, opened) = (browser.clone(), link.clone());
    let walking = tokio::spawn(async move { walk(&browser, &opened, &answers).await });
    let outcome = pending.wait().await;
    let landing = walking.await.expect("the test browser finished");
    (link, outcome, landing)
}

/// A client that stops at the port-less `http://localhost/` the admin-consent endpoint redirects
/// to (nothing listens there; IT's browser shows "can't be reached", which is expected).
pub fn admin_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.url().host_str() == Some("localhost") {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .expect("a test HTTP client")
}
