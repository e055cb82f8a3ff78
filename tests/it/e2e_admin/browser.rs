//! The admin path's browsers (e2e_admin): a user played on Microsoft's pages from one of the
//! app's links, as an admin who gets back to the app, or as Riley, whom Microsoft stops.

use std::time::{Duration, Instant};

use crate::e2e::{self, expect, Page, Result};

/// Every admin's password (the preset tenants' Global Administrators and Contoso's Alex).
const ADMIN_PASSWORD: &str = "Admin-2026!";

/// Contoso's recruiter: no directory role at all.
const RILEY: &str = "riley@contoso-recruiting.example";
const RILEY_PASSWORD: &str = "Recruit-2026!";

/// Where Microsoft's pages left a user who followed one of the app's links.
#[derive(Debug, PartialEq)]
enum Landed {
    /// Back at the app, after accepting this many consent pages.
    InApp { consent_pages: usize },
    /// On "Need admin approval".
    NeedAdminApproval,
}

/// Plays `user` in `browser` from the app's link `url`: signs in with `password` when asked,
/// picks `user` on the account picker, and accepts the consent page, until Microsoft sends the
/// browser back to the app or shows "Need admin approval". Any other page fails.
async fn walk(browser: &Page, url: &str, user: &str, password: &str) -> Result<Landed> {
    use fantoccini::Locator;
    browser
        .client
        .goto(url)
        .await
        .map_err(|e| format!("Chromium could not open {url}: {e}"))?;
    let sign_in_origin = e2e::origin(url);
    let deadline = Instant::now() + e2e::WAIT;
    let mut consent_pages = 0;
    loop {
        let here = browser
            .client
            .current_url()
            .await
            .map(|u| e2e::origin(u.as_str()));
        if here.is_ok_and(|o| o != sign_in_origin) {
            return Ok(Landed::InApp { consent_pages });
        }
        let on = async |css: &str| browser.client.find(Locator::Css(css)).await.is_ok();
        if on("form#signin").await {
            browser.fill("#signin input[name=login]", user).await?;
            browser.fill("#signin input[name=passwd]", password).await?;
            browser.click("#idSIButton9").await?;
        } else if on("form#picker").await {
            browser
                .click(&format!("#picker button[name=account][value='{user}']"))
                .await?;
        } else if on("form#consent").await {
            browser.click("#idBtn_Accept").await?;
            consent_pages += 1;
        } else if on("form#needadmin").await {
            return Ok(Landed::NeedAdminApproval);
        } else if on("form#approval, #error-message").await || Instant::now() > deadline {
            return Err(format!(
                "{user} did not get back to the app from {url}; Chromium showed:\n{}",
                browser.screen_text().await
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// [`walk`] for an admin, who must get back to the app; returns how many consent pages they
/// accepted.
pub async fn as_admin(browser: &Page, url: &str, user: &str) -> Result<usize> {
    match walk(browser, url, user, ADMIN_PASSWORD).await? {
        Landed::InApp { consent_pages } => Ok(consent_pages),
        Landed::NeedAdminApproval => Err(format!(
            "expected: {user} is treated as an admin, not sent to \"Need admin approval\""
        )),
    }
}

/// [`walk`] for Riley, who holds no admin role: Microsoft must stop her at "Need admin approval";
/// she returns to the app without granting.
pub async fn riley_needs_an_admin(riley: &Page, url: &str) -> Result<()> {
    let landed = walk(riley, url, RILEY, RILEY_PASSWORD).await?;
    expect(
        landed == Landed::NeedAdminApproval,
        format!("Riley stopped at \"Need admin approval\", not {landed:?}"),
    )?;
    riley.click("#needadmin button[value=return]").await
}
