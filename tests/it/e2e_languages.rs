//! End to end through the real window: the language picker in the footer. Picking German turns the
//! first screen German at once (and `<html lang>` with it); a blocked sign-in then speaks German
//! in the window, in the browser tab and in the message to IT (its technical block English); a
//! restart of the app finds German remembered; switching back to English restores the English
//! wording.
//!
//! Needs a display, a D-Bus session and an unlocked Secret Service: run it with
//! `scripts/lib/test-session.sh cargo test -p inbox-connect --test it e2e_languages::`.
//! Screenshots go to `test-artifacts/languages-*.png`.

// The shared end-to-end support; each test needs a part of it.

use crate::e2e::{self, close, expect, start_disconnected, Page, Result, Run};

/// A user of the sandbox's "Tailspin Talent" tenant, where user consent is off (sandbox/README.md).
const TAYLOR: &str = "taylor@tailspin-talent.example";
const TAYLOR_PASSWORD: &str = "Blocked-2026!";

#[test]
fn the_picked_language_applies_at_once_and_is_remembered() {
    e2e::run_scenario(scenario);
}

async fn scenario() -> Result<()> {
    let run = Run::start("e2e-languages")?;
    let app = run.open_app().await?;
    let step = async {
        pick_german(&app).await?;
        blocked_in_german(&run, &app).await
    }
    .await;
    close(app, step).await?;
    // A new start of the app (once the first instance has let go of its name).
    let app = run.open_app().await?;
    let step = german_remembered_then_english(&app).await;
    close(app, step).await
}

/// The language of the page (`<html lang>`) and the picker's value.
async fn languages(app: &Page) -> (String, String) {
    let lang = app.script("return document.documentElement.lang").await;
    let picked = app.value("language").await;
    (lang, picked)
}

/// Picks `language` in the footer's picker, the way a pointer does.
async fn pick(app: &Page, language: &str) -> Result<()> {
    app.click(&format!("#language option[value=\"{language}\"]"))
        .await
}

/// No message key (`announce.idle`, `footer.language`) and no unfilled `{placeholder}` on screen.
async fn no_raw_messages(app: &Page, what: &str) -> Result<()> {
    let text = app.screen_text().await;
    expect(
        !text.contains('{') && !text.contains("announce.") && !text.contains("footer."),
        format!("only finished sentences on the {what} screen:\n{text}"),
    )
}

async fn pick_german(app: &Page) -> Result<()> {
    start_disconnected(app).await?;
    let english = app.text("#connect").await?;
    expect(
        english == "Connect Outlook",
        format!("the first start is English: {english:?}"),
    )?;
    let label = app.text("label[for=language]").await?;
    expect(
        label == "Language",
        format!("the picker is labelled: {label:?}"),
    )?;

    pick(app, "de").await?;
    app.wait_for_text("#connect", "Outlook verbinden").await?;
    let heading = app.text("#idle-heading").await?;
    expect(
        heading.starts_with("Outlook mit ") && heading.ends_with(" verbinden"),
        format!("the heading is German: {heading:?}"),
    )?;
    let (lang, picked) = languages(app).await;
    expect(
        lang == "de" && picked == "de",
        format!("<html lang> {lang:?} and the picker {picked:?} say German"),
    )?;
    let label = app.text("label[for=language]").await?;
    expect(
        label == "Sprache",
        format!("the picker's label is German: {label:?}"),
    )?;
    no_raw_messages(app, "German first").await?;
    app.screenshot("languages-idle-de").await?;
    app.assert_accessible("idle-de").await
}

/// Taylor is blocked while the window speaks German: the window's explanation, the browser tab's
/// page and the message to IT are German; what IT looks up stays English.
async fn blocked_in_german(run: &Run, app: &Page) -> Result<()> {
    let de = e2e::catalog("de")?;
    let word = |key: &str| de.get(key).cloned().ok_or(format!("de.json lacks {key}"));
    app.fill("#login-hint", TAYLOR).await?;
    app.click("#connect").await?;
    app.wait_state("waiting").await?;
    let url = run.next_sign_in_url().await?;
    let browser = run.open_browser("chromium-taylor-de").await?;
    let step = async {
        e2e::sign_in_as(&browser, &url, TAYLOR, TAYLOR_PASSWORD).await?;
        let back = Some("#needadmin button[value=return]");
        e2e::click_or_redirected(&browser, back, &e2e::origin(&url)).await?;
        app.wait_state("blocked").await?;
        browser
            .wait_for_text("h1", &word("page.blocked.title")?)
            .await?;
        let lang = browser.script("return document.documentElement.lang").await;
        expect(
            lang == "de",
            format!("the tab's page is German: lang {lang:?}"),
        )
    }
    .await;
    close(browser, step).await?;
    app.wait_for_text(
        "#blocked-explanation",
        &word("advice.admin_consent_required.explanation")?,
    )
    .await?;
    let message = app.value("it-message").await;
    expect(
        message.contains(&word("it.hello")?)
            && message.contains(&word("it.thanks")?)
            && message.contains("Application (client) ID"),
        format!("the message to IT is German, its technical block English:\n{message}"),
    )?;
    no_raw_messages(app, "German blocked").await?;
    app.screenshot("languages-blocked-de").await?;
    app.assert_accessible("blocked-de").await?;
    app.click("#blocked-forget").await?;
    app.wait_state("idle").await?;
    // What to do after an error is the core's key too, worded by the window: in German here.
    app.click("#admin-entry").await?;
    app.wait_state("admin").await?;
    app.fill("#admin-organization", "not a domain").await?;
    app.click("#admin-grant").await?;
    app.wait_for_text("#error-action", &word("error.action.admin_link_failed")?)
        .await?;
    no_raw_messages(app, "German error").await
}

async fn german_remembered_then_english(app: &Page) -> Result<()> {
    start_disconnected(app).await?;
    let button = app.text("#connect").await?;
    let (lang, picked) = languages(app).await;
    expect(
        button == "Outlook verbinden" && lang == "de" && picked == "de",
        format!("German remembered after a restart: {button:?}, lang {lang:?}, picker {picked:?}"),
    )?;

    pick(app, "en").await?;
    app.wait_for_text("#connect", "Connect Outlook").await?;
    let heading = app.text("#idle-heading").await?;
    let (lang, picked) = languages(app).await;
    expect(
        heading.starts_with("Connect Outlook to ") && lang == "en" && picked == "en",
        format!("back in English: {heading:?}, lang {lang:?}, picker {picked:?}"),
    )?;
    no_raw_messages(app, "English first").await?;
    app.screenshot("languages-idle-en").await.map(drop)
}
