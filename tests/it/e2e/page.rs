//! One WebDriver session (the app's window or a Chromium tab), with waits that say what was on
//! screen when they time out, and screenshots into `test-artifacts/`.

use std::path::PathBuf;
use std::time::Instant;

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::{repo_root, Result, POLL, WAIT};

/// One WebDriver session, with waits that say what was on screen when they fail.
pub struct Page {
    /// The fantoccini client.
    pub client: Client,
    pub(super) name: &'static str,
}

impl Page {
    /// Ends the session (for the app: closes the window and the process).
    pub async fn close(self) -> Result<()> {
        self.client
            .close()
            .await
            .map_err(|e| format!("closing {}: {e}", self.name))
    }

    /// The visible text of the page, for failure messages.
    pub async fn screen_text(&self) -> String {
        self.script("return document.body ? document.body.innerText : '(no page)'")
            .await
    }

    /// Waits until `css` matches an element, then returns it.
    pub async fn wait_for(&self, css: &str) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                return Ok(element);
            }
            if Instant::now() > deadline {
                return Err(self.timed_out(&format!("`{css}`")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the app shows `state` (`#state[data-state=...]`).
    /// Keyboard users land on the new state: focus must be on its heading.
    pub async fn wait_state(&self, state: &str) -> Result<()> {
        self.wait_for(&format!("#state[data-state=\"{state}\"]"))
            .await?;
        let deadline = Instant::now() + WAIT;
        loop {
            let focused = self
                .script("return document.activeElement ? document.activeElement.tagName : ''")
                .await;
            if focused == "H2" {
                return Ok(());
            }
            if Instant::now() > deadline {
                let what = format!("focus on the heading of state {state} (it is on {focused:?})");
                return Err(self.timed_out(&what).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The current value of the form field with this id.
    pub async fn value(&self, id: &str) -> String {
        self.script(&format!("return document.getElementById('{id}').value"))
            .await
    }

    /// Runs `script` and returns its result as text ("" when it fails).
    pub async fn script(&self, script: &str) -> String {
        match self.client.execute(script, vec![]).await {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the element `css` shows text containing `needle`; returns the whole text.
    pub async fn wait_for_text(&self, css: &str, needle: &str) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if let Ok(text) = element.text().await {
                    if text.contains(needle) {
                        return Ok(text);
                    }
                }
            }
            if Instant::now() > deadline {
                return Err(self.timed_out(&format!("`{css}` to say {needle:?}")).await);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The text of the element `css` (waiting for it).
    pub async fn text(&self, css: &str) -> Result<String> {
        let element = self.wait_for(css).await?;
        element
            .text()
            .await
            .map_err(|e| format!("reading {css} in {}: {e}", self.name))
    }

    /// Clicks the element `css` (waiting for it, and for it to stay where it is: a click lands
    /// where the element was when it was measured, so content still appearing above it, as on a
    /// slow machine, would take the click).
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        let deadline = Instant::now() + WAIT;
        let mut last = None;
        loop {
            let rect = element
                .rectangle()
                .await
                .map_err(|e| format!("measuring {css} in {}: {e}", self.name))?;
            if last == Some(rect) {
                break;
            }
            if Instant::now() > deadline {
                return Err(format!("{css} in {} kept moving for {WAIT:?}", self.name));
            }
            last = Some(rect);
            tokio::time::sleep(POLL).await;
        }
        element
            .click()
            .await
            .map_err(|e| format!("clicking {css} in {}: {e}", self.name))
    }

    /// Replaces the text of the field `css` (waiting for it) with `text`.
    pub async fn fill(&self, css: &str, text: &str) -> Result<()> {
        let element = self.wait_for(css).await?;
        element
            .clear()
            .await
            .map_err(|e| format!("clearing {css} in {}: {e}", self.name))?;
        element
            .send_keys(text)
            .await
            .map_err(|e| format!("typing into {css} in {}: {e}", self.name))
    }

    /// Saves a PNG screenshot as `test-artifacts/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(|e| format!("screenshot of {}: {e}", self.name))?;
        let dir = repo_root().join("test-artifacts");
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| format!("writing {}: {e}", path.display()))?;
        Ok(path)
    }

    async fn timed_out(&self, what: &str) -> String {
        format!(
            "waited {WAIT:?} for {what} in {}; the screen showed:\n---\n{}\n---",
            self.name,
            self.screen_text().await
        )
    }
}
