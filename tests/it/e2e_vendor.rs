//! The vendor build, in the real window, connects to the tenant its profile names, through a
//! corporate TLS-inspecting proxy: the proxy is named the way the OS names it (`HTTPS_PROXY`) and
//! its root CA is trusted the way the OS trusts it (`SSL_CERT_FILE`, which the platform verifier
//! reads on Linux). The sandbox, served as `https://login.inbox-connect.test`, stands in for
//! Microsoft; that name resolves only inside the proxy, so nothing can leave the machine.
//! Without the proxy's CA the app names the certificate it did not trust, and its issuer.
//!
//! The vendor binary is built first (tests/it/vendor_app/). Needs a display, a D-Bus session and an
//! unlocked Secret Service: `scripts/lib/test-session.sh cargo test -p inbox-connect --test it e2e_vendor::`.

// The shared end-to-end support; each test needs a part of it.
// The core tests' corporate network: a test CA and a TLS-intercepting proxy.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

use crate::e2e::{self, close, expect, Page, Result, Run, TempDir};
use crate::vendor_app;
use entra_sandbox::{RunningSandbox, SandboxConfig};
use inbox_connect_test_support::keychain;
use inbox_connect_test_support::tls_proxy::{InterceptingProxy, TestCa};

/// The sign-in host of tests/vendor/e2e-vendor.toml.
const HOST: &str = "login.inbox-connect.test";
/// The product tests/vendor/e2e-vendor.toml names.
const PRODUCT: &str = "Acme Talent Connect";
const IDENTIFIER: &str = "com.acme-recruit.talent-connect";
const USER: &str = "riley@contoso-recruiting.example";
const PASSWORD: &str = "Recruit-2026!";
const CA_NAME: &str = "Contoso Corporate Inspection CA";

/// The sandbox and the proxy in front of it, served by a runtime of their own while the test's
/// WebDriver steps run on another.
struct Network {
    runtime: tokio::runtime::Runtime,
    sandbox: Option<RunningSandbox>,
    proxy: Option<InterceptingProxy>,
    ca: TestCa,
}

impl Network {
    fn start() -> Network {
        let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("a runtime: {e}"));
        let ca = TestCa::new(CA_NAME);
        let (sandbox, proxy) = runtime.block_on(async {
            let public = url::Url::parse(&format!("https://{HOST}/")).expect("the public URL");
            let sandbox = entra_sandbox::start(SandboxConfig {
                public_url: Some(public),
                ..SandboxConfig::with_default_seed()
            })
            .await
            .unwrap_or_else(|e| panic!("the sandbox: {e}"));
            let proxy = InterceptingProxy::start(&ca, [(HOST, sandbox.local_addr())]).await;
            (sandbox, proxy)
        });
        Network {
            runtime,
            sandbox: Some(sandbox),
            proxy: Some(proxy),
            ca,
        }
    }

    fn proxy(&self) -> &InterceptingProxy {
        self.proxy.as_ref().expect("the proxy runs")
    }

    /// The app's environment on a computer behind this proxy, trusting `bundle`.
    fn env(&self, bundle: &Path) -> Vec<(&'static str, OsString)> {
        vec![
            ("HTTPS_PROXY", self.proxy().url().as_str().into()),
            ("SSL_CERT_FILE", bundle.into()),
            ("SSL_CERT_DIR", OsString::new()),
        ]
    }
}

impl Drop for Network {
    fn drop(&mut self) {
        let (sandbox, proxy) = (self.sandbox.take(), self.proxy.take());
        self.runtime.block_on(async move {
            drop(proxy);
            if let Some(sandbox) = sandbox {
                sandbox.shutdown().await;
            }
        });
    }
}

#[test]
fn the_vendor_build_connects_to_its_profiles_tenant_through_a_tls_inspecting_proxy() {
    let binary = vendor_app::built().unwrap_or_else(|e| panic!("{e}"));
    let network = Network::start();
    e2e::run_scenario(|| async {
        untrusted_proxy_is_named(&binary, &network).await?;
        connects_through_the_proxy(&binary, &network).await
    });
}

/// A computer whose trust store lacks the proxy's CA: the app says which certificate it did not
/// trust and who issued it, and keeps nothing.
async fn untrusted_proxy_is_named(binary: &Path, network: &Network) -> Result<()> {
    let other = TestCa::new("Some Other Root CA");
    let dir = TempDir::new("e2e-vendor-untrusted-ca")?;
    let run = Run::start_with(
        "e2e-vendor-untrusted",
        &network.env(&other.write_bundle(dir.path())),
    )?;
    let app = run.open_app_at(binary).await?;
    let step = async {
        app.wait_for("#state:not([data-state=loading])").await?;
        app.click("#connect").await?;
        let text = app.wait_for_text("#error", "not trusted").await?;
        expect(
            text.contains(HOST) && text.contains(CA_NAME),
            format!("the error names the host and the issuer: {text:?}"),
        )?;
        app.screenshot("e2e-vendor-untrusted").await?;
        error_report_is_copied(&app).await
    }
    .await;
    close(app, step).await
}

async fn connects_through_the_proxy(binary: &Path, network: &Network) -> Result<()> {
    let dir = TempDir::new("e2e-vendor-ca")?;
    let run = Run::start_with(
        "e2e-vendor",
        &network.env(&network.ca.write_bundle(dir.path())),
    )?;
    let app = run.open_app_at(binary).await?;
    let step = async {
        app.wait_for("#state:not([data-state=loading])").await?;
        is_the_vendors_product(&app).await?;
        // A vendor build has no sandbox banner and no sandbox sign-in to show.
        expect(
            app.script("return String(document.getElementById('sandbox-banner').hidden)")
                .await
                == "true",
            "a vendor build shows no sandbox banner".to_owned(),
        )?;
        let tunnels_before = network.proxy().tunnels();
        app.click("#connect").await?;
        app.wait_state("waiting").await?;
        let url = run.next_sign_in_url().await?;
        expect(
            url.starts_with(&format!("https://{HOST}/")),
            format!("the sign-in goes to the profile's authority: {url}"),
        )?;
        // The user's browser is behind the same proxy (loopback, the app's redirect, goes direct).
        // Chromium wants the proxy as host:port, without the URL's trailing slash.
        let proxy = network.proxy().url();
        let proxy = format!("--proxy-server={}", proxy.as_str().trim_end_matches('/'));
        let flags = [proxy, "--ignore-certificate-errors".to_owned()];
        let browser = run.open_browser_with("chromium-vendor", &flags).await?;
        // The browser stays open until the app is connected: it may still be on its way back.
        let signed_in = async {
            sign_in(&browser, &url).await?;
            app.wait_state("connected").await
        }
        .await;
        close(browser, signed_in).await?;
        let account = app.text("#view-connected").await?;
        expect(
            account.contains(USER),
            format!("connected as {USER}: {account:?}"),
        )?;
        expect(
            network.proxy().tunnels() > tunnels_before,
            "the app's calls went through the proxy".to_owned(),
        )?;
        app.screenshot("e2e-vendor-connected").await?;
        keeps_to_its_identifier(&run)?;
        e2e::start_disconnected(&app).await
    }
    .await;
    close(app, step).await
}

/// Any error screen copies a diagnostic report for support: the product, the error with its
/// cause, the app's facts, and the log folder.
async fn error_report_is_copied(app: &Page) -> Result<()> {
    app.click("#copy-error-report").await?;
    app.wait_for_text("#copy-error-report-status", "Report copied")
        .await?;
    let report = e2e::clipboard()?;
    for part in [
        &format!("{PRODUCT} diagnostic report\n\nError: "),
        CA_NAME,
        "- Application (client) ID: 0b8d3c1e-7f42-4a6b-9e15-c2d4f6a8b0e3\n",
        "- Log folder: ",
    ] {
        expect(
            report.contains(part),
            format!("the copied report has {part:?}: {report:?}"),
        )?;
    }
    Ok(())
}

/// The window is the vendor's product: its heading, the page's title and the OS window's title
/// (what the taskbar shows) name it, and nothing says "Inbox Connect".
async fn is_the_vendors_product(app: &Page) -> Result<()> {
    let heading = app.text("#product-name").await?;
    expect(
        heading == PRODUCT,
        format!("the heading names the product: {heading:?}"),
    )?;
    let title = app.script("return document.title").await;
    expect(title == PRODUCT, format!("the page's title: {title:?}"))?;
    let out = Command::new("xdotool")
        .args(["search", "--name", &format!("^{PRODUCT}$")])
        .output()
        .map_err(|e| format!("xdotool: {e}"))?;
    expect(
        !String::from_utf8_lossy(&out.stdout).trim().is_empty(),
        format!("no window is titled {PRODUCT:?}"),
    )?;
    let page = app.text("body").await?;
    expect(
        !page.contains("Inbox Connect"),
        format!("the window says \"Inbox Connect\": {page:?}"),
    )
}

/// What the connected app keeps is under the profile's identifier: its data folder with the log
/// and the keychain's lock file, and the keychain entries' service; nothing under Inbox Connect's.
fn keeps_to_its_identifier(run: &Run) -> Result<()> {
    let folder = run.data_home().join(IDENTIFIER);
    for kept in [
        folder.join("logs"),
        folder.join(format!("{IDENTIFIER}.keychain.lock")),
    ] {
        expect(kept.exists(), format!("{} is missing", kept.display()))?;
    }
    let demo = run.data_home().join("app.inboxconnect.desktop");
    expect(!demo.exists(), format!("{} exists", demo.display()))?;
    let entries = keychain::usernames(IDENTIFIER);
    expect(
        !entries.is_empty(),
        format!("no keychain entry has the service {IDENTIFIER}"),
    )
}

async fn sign_in(browser: &Page, url: &str) -> Result<()> {
    e2e::sign_in_as(browser, url, USER, PASSWORD).await?;
    // Riley consents to the vendor's app once; afterwards the browser goes straight back.
    e2e::click_or_redirected(browser, Some("#idBtn_Accept"), &e2e::origin(url))
        .await
        .map(drop)
}
