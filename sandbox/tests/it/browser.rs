//! A person's path through the pages in real headless Chromium: sign in, accept consent, land on
//! the app's loopback redirect with a code and the state (docs/entra-reference.md §1.2, §1.3); and the admin consent
//! workflow of preset 2 (docs/entra-reference.md §4).

use std::net::TcpListener as StdListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::util::*;
use entra_sandbox::seed::{defaults, presets};
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc::UnboundedReceiver;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Kills chromedriver even when the test fails.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

async fn start_chromedriver() -> (Driver, u16) {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(Path::new(tool).exists(), "{tool} is missing: this test needs Chromium and chromedriver installed (apt-get install chromium chromium-driver)");
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (driver, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port} within 10 s");
}

/// The app's loopback listener: reports the request line of every redirect it receives.
async fn redirect_target() -> (u16, UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("listener");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let line = request.lines().next().unwrap_or("").to_owned();
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n<h1>Signed in</h1>")
                .await;
            // Browsers also ask for /favicon.ico; only redirects matter.
            if ["code=", "error=", "admin_consent="]
                .iter()
                .any(|p| line.contains(p))
            {
                let _ = tx.send(line);
            }
        }
    });
    (port, rx)
}

/// A headless Chromium session with a throw-away profile (removed on drop).
struct Browser {
    client: fantoccini::Client,
    profile: std::path::PathBuf,
    _driver: Driver,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

async fn start_browser() -> Browser {
    let (driver, driver_port) = start_chromedriver().await;
    let profile =
        std::env::temp_dir().join(format!("entra-sandbox-chromium-{}", uuid::Uuid::new_v4()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     format!("--user-data-dir={}", profile.display())]
        }),
    );
    // Ignore the error: another test in this process may have installed it already.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = ClientBuilder::rustls()
        .expect("rustls connector")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("webdriver session");
    Browser {
        client,
        profile,
        _driver: driver,
    }
}

/// A sandbox, the app's loopback listener, a browser and the app's PKCE pair.
struct Scene {
    sb: entra_sandbox::RunningSandbox,
    redirected: UnboundedReceiver<String>,
    chromium: Browser,
    pkce: Pkce,
    redirect_uri: String,
}

async fn scene() -> Scene {
    let sb = sandbox().await;
    let (app_port, redirected) = redirect_target().await;
    Scene {
        sb,
        redirected,
        chromium: start_browser().await,
        pkce: Pkce::new(),
        redirect_uri: format!("http://localhost:{app_port}/"),
    }
}

impl Scene {
    /// The app's authorize URL (via `organizations`) with its loopback redirect and PKCE.
    fn authorize_url(&self, state: &str, extra: &[(&str, &str)]) -> url::Url {
        let mut params = vec![
            ("state", state),
            ("code_challenge", self.pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        params.extend_from_slice(extra);
        code_request_url(
            &self.sb,
            "organizations",
            defaults::CLIENT_ID,
            Some(&self.redirect_uri),
            "openid offline_access Mail.Send Mail.Read",
            &params,
        )
    }

    /// Redeems the code in a redirect's request line and expects tokens.
    async fn assert_redeems(&self, line: &str) {
        let code = line
            .split(['?', '&', ' '])
            .find_map(|p| p.strip_prefix("code="))
            .expect("code param");
        let response = token_grant(
            &client(),
            &self.sb,
            defaults::CLIENT_ID,
            "authorization_code",
            &[
                ("code", code),
                ("redirect_uri", &self.redirect_uri),
                ("code_verifier", &self.pkce.verifier),
            ],
        )
        .await;
        assert_eq!(response.status(), reqwest::StatusCode::OK);
    }
}

/// The next redirect the app's listener receives, within 30 s.
async fn next_redirect(redirected: &mut UnboundedReceiver<String>) -> String {
    tokio::time::timeout(Duration::from_secs(30), redirected.recv())
        .await
        .expect("redirect within 30 s")
        .expect("redirect line")
}

#[tokio::test]
async fn chromium_signs_in_and_consents_like_a_person() {
    let mut scene = scene().await;
    let browser = &scene.chromium.client;
    let url = scene.authorize_url("st-browser", &[]);
    let steps = async {
        browser.goto(url.as_str()).await?;
        sign_in_as(
            browser,
            defaults::RECRUITER_UPN,
            defaults::RECRUITER_PASSWORD,
        )
        .await?;
        let accept = browser
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("idBtn_Accept"))
            .await?;
        let listed = browser.find(Locator::Css("ul.perms")).await?.text().await?;
        accept.click().await?;
        Ok::<_, fantoccini::error::CmdError>(listed)
    };
    let listed = steps.await.expect("browser steps");
    assert!(
        listed.contains("Send mail as you"),
        "consent lists permissions: {listed}"
    );
    let line = next_redirect(&mut scene.redirected).await;
    let _ = browser.clone().close().await;
    assert!(line.starts_with("GET /?code="), "{line}");
    assert!(line.contains("state=st-browser"), "{line}");
    scene.assert_redeems(&line).await;
}

/// Types a user name and password on the sign-in page and submits it.
async fn sign_in_as(
    browser: &fantoccini::Client,
    upn: &str,
    password: &str,
) -> Result<(), fantoccini::error::CmdError> {
    let login = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id("i0116"))
        .await?;
    login.send_keys(upn).await?;
    browser
        .find(Locator::Id("i0118"))
        .await?
        .send_keys(password)
        .await?;
    browser
        .find(Locator::Id("idSIButton9"))
        .await?
        .click()
        .await
}

/// Waits for an element and clicks it.
async fn click(
    browser: &fantoccini::Client,
    id: &str,
) -> Result<fantoccini::elements::Element, fantoccini::error::CmdError> {
    let element = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Id(id))
        .await?;
    element.clone().click().await?;
    Ok(element)
}

#[tokio::test]
async fn chromium_preset_2_request_approval_then_admin_consent_then_silent_sign_in() {
    let mut scene = scene().await;
    let (sb, browser) = (&scene.sb, &scene.chromium.client);
    let mut admin_consent = sb
        .base_url()
        .join(&format!("{}/v2.0/adminconsent", presets::WORKFLOW_DOMAIN))
        .expect("url");
    admin_consent
        .query_pairs_mut()
        .append_pair("client_id", defaults::CLIENT_ID)
        .append_pair("redirect_uri", &scene.redirect_uri)
        .append_pair("scope", "https://graph.microsoft.com/.default")
        .append_pair("state", "st-admin");
    // The recruiter asks for approval.
    let request = async {
        browser
            .goto(scene.authorize_url("st-nina", &[]).as_str())
            .await?;
        sign_in_as(browser, presets::WORKFLOW_USER, presets::USER_PASSWORD).await?;
        let button = browser
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id("idBtn_RequestApproval"))
            .await?;
        browser
            .find(Locator::Id("justification"))
            .await?
            .send_keys("I email candidates from the recruiting product")
            .await?;
        button.click().await?;
        click(browser, "requestSent").await?.text().await
    };
    let sent = request.await.expect("request approval in the browser");
    assert!(sent.contains("Your admin will review it"), "{sent}");
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    assert_eq!(
        requests[0].user_requests[0].reason,
        "I email candidates from the recruiting product"
    );
    // The admin opens the admin consent link in the same browser and grants for the organization.
    let grant = async {
        browser.goto(admin_consent.as_str()).await?;
        click(browser, "adminSignIn").await?;
        sign_in_as(browser, presets::WORKFLOW_ADMIN, presets::ADMIN_PASSWORD).await?;
        click(browser, "idBtn_Accept").await?;
        Ok::<_, fantoccini::error::CmdError>(())
    };
    grant.await.expect("admin consent in the browser");
    let line = next_redirect(&mut scene.redirected).await;
    assert!(
        line.contains("admin_consent=True") && line.contains("state=st-admin"),
        "{line}"
    );
    assert!(requests_completed(sb));
    // The recruiter's silent sign-in now succeeds.
    browser
        .goto(
            scene
                .authorize_url(
                    "st-nina",
                    &[("prompt", "none"), ("login_hint", presets::WORKFLOW_USER)],
                )
                .as_str(),
        )
        .await
        .expect("silent sign-in");
    let line = next_redirect(&mut scene.redirected).await;
    let _ = browser.clone().close().await;
    assert!(
        line.starts_with("GET /?code=") && line.contains("state=st-nina"),
        "{line}"
    );
    scene.assert_redeems(&line).await;
}

fn requests_completed(sb: &entra_sandbox::RunningSandbox) -> bool {
    sb.control()
        .consent_requests(presets::WORKFLOW_DOMAIN)
        .iter()
        .all(|r| r.user_requests.iter().all(|u| u.completed.is_some()))
}
