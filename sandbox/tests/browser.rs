//! A person's path through the pages in real headless Chromium: sign in, accept consent, land on
//! the app's loopback redirect with a code and the state (ref §1.2, §1.3).

mod util;

use std::net::TcpListener as StdListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use entra_sandbox::seed::defaults;
use fantoccini::{ClientBuilder, Locator};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use util::*;

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

/// The app's loopback listener: returns the first request line it receives.
async fn redirect_target() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("listener");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let mut tx = Some(tx);
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let n = stream.read(&mut buf).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            let line = request.lines().next().unwrap_or("").to_owned();
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n<h1>Signed in</h1>")
                .await;
            // Browsers also ask for /favicon.ico; only the redirect matters.
            if line.contains("code=") || line.contains("error=") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(line);
                }
            }
        }
    });
    (port, rx)
}

#[tokio::test]
async fn chromium_signs_in_and_consents_like_a_person() {
    let (_driver, driver_port) = start_chromedriver().await;
    let sb = sandbox().await;
    let (app_port, redirected) = redirect_target().await;
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
    let browser = ClientBuilder::rustls()
        .expect("rustls connector")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("webdriver session");
    let pkce = Pkce::new();
    let redirect_uri = format!("http://localhost:{app_port}/");
    let url = raw_authorize_url(
        &sb,
        "organizations",
        &[
            ("client_id", defaults::CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", &redirect_uri),
            ("scope", "openid offline_access Mail.Send Mail.Read"),
            ("state", "st-browser"),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    let steps = async {
        browser.goto(url.as_str()).await?;
        browser
            .find(Locator::Id("i0116"))
            .await?
            .send_keys(defaults::RECRUITER_UPN)
            .await?;
        browser
            .find(Locator::Id("i0118"))
            .await?
            .send_keys(defaults::RECRUITER_PASSWORD)
            .await?;
        browser
            .find(Locator::Id("idSIButton9"))
            .await?
            .click()
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
    let line = tokio::time::timeout(Duration::from_secs(30), redirected)
        .await
        .expect("redirect within 30 s")
        .expect("redirect line");
    let _ = browser.close().await;
    let _ = std::fs::remove_dir_all(profile);
    assert!(line.starts_with("GET /?code="), "{line}");
    assert!(line.contains("state=st-browser"), "{line}");
    let code = line
        .split(['?', '&', ' '])
        .find_map(|p| p.strip_prefix("code="))
        .expect("code param");
    let http = client();
    let response = token(
        &http,
        &sb,
        &[
            ("client_id", defaults::CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", &pkce.verifier),
        ],
    )
    .await;
    assert_eq!(response.status(), reqwest::StatusCode::OK);
}
