//! Opening the sign-in link in the user's browser, behind a trait so tests can play the user.

use url::Url;

/// Opens a URL in a browser.
pub trait BrowserOpener: Send + Sync + 'static {
    /// Opens `url`; returns at once (the sign-in continues in the browser).
    fn open(&self, url: &Url) -> std::io::Result<()>;
}

/// The system's default browser (`xdg-open`, `open`, `start`), through the `open` crate.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemBrowser;

impl BrowserOpener for SystemBrowser {
    fn open(&self, url: &Url) -> std::io::Result<()> {
        // `that_detached`: `that` blocks until the browser command exits.
        open::that_detached(url.as_str())
    }
}

/// A link opened in the browser for a sign-in or an admin trip: the link itself (the UI shows it
/// with a Copy button) and why the browser did not open, if it did not.
#[derive(Debug, Clone)]
pub struct OpenedLink {
    url: Url,
    browser_error: Option<String>,
}

impl OpenedLink {
    /// Opens `url` with `browser`. A browser that does not open is not the end: the link is
    /// still shown, so the failure is kept rather than returned.
    pub(crate) fn open(browser: &dyn BrowserOpener, url: Url) -> OpenedLink {
        let browser_error = browser.open(&url).err().map(|e| e.to_string());
        if let Some(e) = &browser_error {
            tracing::warn!("could not open the browser: {e}");
        }
        OpenedLink { url, browser_error }
    }

    /// The link (PKCE challenge and `state` only; nothing secret).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Why the browser could not be opened, if it could not.
    pub fn browser_error(&self) -> Option<&str> {
        self.browser_error.as_deref()
    }
}

/// Opens nothing: the link is shown to the user instead (`--no-browser`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &Url) -> std::io::Result<()> {
        Ok(())
    }
}
