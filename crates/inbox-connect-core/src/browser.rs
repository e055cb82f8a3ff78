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

/// Opens nothing: the link is shown to the user instead (`--no-browser`).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBrowser;

impl BrowserOpener for NoBrowser {
    fn open(&self, _url: &Url) -> std::io::Result<()> {
        Ok(())
    }
}
