//! Accessibility, measured in the real window: axe-core (npm `axe-core`, pinned in
//! `tests/a11y/package-lock.json` and installed with `npm ci --prefix tests/a11y`) is injected through
//! WebDriver and run with the WCAG 2.0/2.1 level A and AA rules on the screen the test is on; any
//! violation fails the test, naming the rule and the elements. No rule is disabled.
//!
//! And the keyboard: [`Page::press`] sends one key (with Shift) to whatever has the focus, the way
//! a keyboard-only user works, and [`Page::focused`] says what has it.

use std::sync::OnceLock;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

use super::{repo_root, Page, Result};

/// The WCAG 2.1 A/AA rule tags (2.1 adds to 2.0; both are needed).
const WCAG_21_AA: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/// axe-core's source, read once per test process.
fn axe_source() -> Result<&'static str> {
    static SOURCE: OnceLock<std::result::Result<String, String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let path = repo_root().join("tests/a11y/node_modules/axe-core/axe.min.js");
            std::fs::read_to_string(&path).map_err(|e| {
                format!(
                    "{}: {e}; install axe-core with `npm ci --prefix tests/a11y` (scripts/test does)",
                    path.display()
                )
            })
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// Runs axe on the whole document; answers JSON text: `{violations, passes, incomplete, scheme}`
/// or `{error}`. Only what is rendered is checked (hidden views are `display: none`).
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
const tags = arguments[0];
axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
  .then((r) => done(JSON.stringify({
    violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    })),
    passes: r.passes.map((v) => v.id),
    incomplete: r.incomplete.map((v) => v.id),
    scheme: matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light",
  })))
  .catch((e) => done(JSON.stringify({ error: String(e) })));
"#;

impl Page {
    /// Loads axe-core into the page unless it is there (a new state keeps it; a new session not).
    async fn inject_axe(&self) -> Result<()> {
        if self.script("return typeof window.axe").await == "object" {
            return Ok(());
        }
        self.client
            .execute(axe_source()?, vec![])
            .await
            .map(drop)
            .map_err(|e| format!("injecting axe-core into {}: {e}", self.name))
    }

    /// Runs axe-core's WCAG 2.1 A/AA rules on what the window shows now (`screen` names it in the
    /// log and in the failure); fails listing each violation with its elements.
    pub async fn assert_accessible(&self, screen: &str) -> Result<()> {
        self.inject_axe().await?;
        let tags = Value::from(WCAG_21_AA.to_vec());
        let answer = self
            .client
            .execute_async(RUN_AXE, vec![tags])
            .await
            .map_err(|e| format!("running axe-core on {screen} in {}: {e}", self.name))?;
        let text = answer.as_str().unwrap_or_default();
        let result: Value = serde_json::from_str(text)
            .map_err(|e| format!("axe-core on {screen} answered {answer}: {e}"))?;
        if let Some(error) = result.get("error") {
            return Err(format!("axe-core failed on {screen}: {error}"));
        }
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        println!(
            "a11y: {screen} ({} scheme): {} violations; passed: {}; needs review: {}",
            result["scheme"].as_str().unwrap_or("?"),
            violations.len(),
            result["passes"],
            result["incomplete"],
        );
        if violations.is_empty() {
            return Ok(());
        }
        let listed: Vec<String> = violations
            .iter()
            .map(|v| {
                let nodes: Vec<String> = v["nodes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|n| {
                        format!(
                            "    {}: {}",
                            n["target"],
                            n["summary"].as_str().unwrap_or("")
                        )
                    })
                    .collect();
                format!(
                    "  {} ({}): {}\n{}",
                    v["id"],
                    v["impact"],
                    v["help"],
                    nodes.join("\n")
                )
            })
            .collect();
        let _ = self.screenshot(&format!("a11y-{screen}")).await;
        Err(format!(
            "WCAG 2.1 A/AA violations on the {screen} screen (axe-core):\n{}",
            listed.join("\n")
        ))
    }

    /// Presses `key` (with Shift if `shift`) where the focus is, as a keyboard would.
    pub async fn press(&self, key: Key, shift: bool) -> Result<()> {
        let mut keys = KeyActions::new("keyboard".to_owned());
        if shift {
            keys = keys.then(KeyAction::Down {
                value: Key::Shift.into(),
            });
        }
        keys = keys
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        if shift {
            keys = keys.then(KeyAction::Up {
                value: Key::Shift.into(),
            });
        }
        self.client
            .perform_actions(keys)
            .await
            .map_err(|e| format!("pressing {key:?} in {}: {e}", self.name))?;
        let _ = self.client.release_actions().await;
        Ok(())
    }

    /// What has the focus: `#id` if it has one, else its tag and text (`button "Copy"`).
    pub async fn focused(&self) -> String {
        self.script(
            "const e = document.activeElement;
             if (!e || e === document.body) return 'body';
             if (e.id) return '#' + e.id;
             return e.tagName.toLowerCase() + ' ' + JSON.stringify((e.textContent || '').trim().slice(0, 40));",
        )
        .await
    }

    /// Presses Tab (Shift+Tab if `back`) until `target` (as [`Page::focused`] names it) has the
    /// focus, at most `limit` times; returns every stop on the way, `target` last.
    pub async fn tab_to(&self, target: &str, back: bool, limit: usize) -> Result<Vec<String>> {
        let mut stops = Vec::new();
        for _ in 0..limit {
            self.press(Key::Tab, back).await?;
            let now = self.focused().await;
            stops.push(now.clone());
            if now == target {
                return Ok(stops);
            }
        }
        Err(format!(
            "{target} not reached with {limit} {}: the focus went {stops:?}",
            if back { "Shift+Tabs" } else { "Tabs" }
        ))
    }
}

impl Page {
    /// The element `css` is whole in the window's viewport without scrolling (at the window's
    /// current size, which the failure names).
    pub async fn assert_in_view(&self, css: &str) -> Result<()> {
        self.wait_for(css).await?;
        let seen = self
            .script(&format!(
                "const r = document.querySelector('{css}').getBoundingClientRect();
                 return JSON.stringify({{ top: r.top, bottom: r.bottom, scrollY: window.scrollY,
                   width: window.innerWidth, height: window.innerHeight }})"
            ))
            .await;
        let v: Value = serde_json::from_str(&seen).map_err(|e| format!("{seen}: {e}"))?;
        let (top, bottom, height) = (
            v["top"].as_f64().unwrap_or(-1.0),
            v["bottom"].as_f64().unwrap_or(f64::MAX),
            v["height"].as_f64().unwrap_or(0.0),
        );
        super::expect(
            v["scrollY"] == 0 && top >= 0.0 && bottom <= height,
            format!(
                "{css} in view without scrolling in a {}×{} window: {seen}",
                v["width"], height
            ),
        )
    }

    /// No name matched by `css` (permission scopes) breaks inside a word: each is split only where
    /// the UI allows it (after a dot) and overflows nothing. Returns how many names were looked at.
    pub async fn assert_names_unbroken(&self, css: &str) -> Result<usize> {
        let found = self
            .script(&format!(
                "const broken = []; let n = 0;
                 for (const name of document.querySelectorAll('{css}')) {{
                   if (!name.getClientRects().length) continue;
                   n += 1;
                   for (const part of name.childNodes) {{
                     if (part.nodeType !== Node.TEXT_NODE) continue;
                     const range = document.createRange();
                     range.selectNodeContents(part);
                     if (range.getClientRects().length > 1) broken.push(part.textContent);
                   }}
                   if (name.scrollWidth > name.clientWidth + 1) broken.push(name.textContent + ' (overflows)');
                 }}
                 return JSON.stringify({{ n, broken }})"
            ))
            .await;
        let v: Value = serde_json::from_str(&found).map_err(|e| format!("{found}: {e}"))?;
        let n = v["n"].as_u64().unwrap_or(0) as usize;
        super::expect(
            n > 0 && v["broken"].as_array().is_some_and(Vec::is_empty),
            format!("names in {css} broken only after a dot, none inside a word: {found}"),
        )?;
        Ok(n)
    }
}

/// Plants a low-contrast text and an unlabelled field, runs axe on them, and removes them: the
/// answer lists the rules that caught them.
const PLANTED: &str = r##"
const done = arguments[arguments.length - 1];
const box = document.createElement("div");
box.id = "a11y-planted";
const text = document.createElement("p");
text.textContent = "Planted low-contrast text";
// Through the CSSOM: the window's CSP drops inline style attributes.
text.style.color = "#777";
text.style.background = "#888";
box.append(text, document.createElement("input"));
document.body.prepend(box);
axe.run(box, { runOnly: { type: "tag", values: arguments[0] } })
  .then((r) => { box.remove(); done(JSON.stringify({ violations: r.violations.map((v) => v.id),
    incomplete: r.incomplete.map((v) => v.id) })); })
  .catch((e) => { box.remove(); done(JSON.stringify({ error: String(e) })); });
"##;

impl Page {
    /// The measurement measures in this engine: axe-core run here catches a planted contrast
    /// failure and an unlabelled field (a "0 violations" from a broken run would prove nothing).
    pub async fn assert_axe_catches_planted_violations(&self) -> Result<()> {
        self.inject_axe().await?;
        let tags = Value::from(WCAG_21_AA.to_vec());
        let answer = self
            .client
            .execute_async(PLANTED, vec![tags])
            .await
            .map_err(|e| format!("running axe-core on planted violations: {e}"))?;
        let found = answer.as_str().unwrap_or_default();
        super::expect(
            found.starts_with("{\"violations\":[\"color-contrast\",\"label\"]"),
            format!("axe-core catches planted color-contrast and label violations: {found}"),
        )
    }
}
