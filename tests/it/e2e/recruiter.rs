//! The recruiter's side of the connect scenarios (e2e_connect, e2e_connect_keyboard): the sandbox
//! users, playing them on Microsoft's pages in the browser, and what the connected panel shows.

use std::time::Instant;

use crate::e2e::{self, count, expect, Page, Result};

pub const USER: &str = "riley@contoso-recruiting.example";
const PASSWORD: &str = "Recruit-2026!";
/// A user of the sandbox's "Tailspin Talent" tenant, where user consent is off (sandbox/README.md).
pub const BLOCKED_USER: &str = "taylor@tailspin-talent.example";
const BLOCKED_PASSWORD: &str = "Blocked-2026!";

/// What the user does in the browser.
pub enum Consent {
    /// Riley signs in and accepts the permissions.
    Accept,
    /// Riley signs in and cancels on the consent page.
    Decline,
    /// Taylor, whose tenant lets no user consent, leaves the "Need admin approval" page.
    ReturnWithoutApproval,
}

/// Signs in and answers the consent page; returns when Accept was clicked (if it was).
pub async fn sign_in(browser: &Page, url: &str, consent: Consent) -> Result<Option<Instant>> {
    let (user, password) = match consent {
        Consent::ReturnWithoutApproval => (BLOCKED_USER, BLOCKED_PASSWORD),
        Consent::Accept | Consent::Decline => (USER, PASSWORD),
    };
    e2e::sign_in_as(browser, url, user, password).await?;
    // The consent page, unless consent was given before: then the browser goes straight back to
    // the app's loopback receiver (another origin than the sign-in pages).
    let button = match consent {
        Consent::Accept => "#idBtn_Accept",
        Consent::Decline => "#idBtn_Back",
        Consent::ReturnWithoutApproval => "#needadmin button[value=return]",
    };
    // WebDriver's click returns once the navigation it started has loaded: time from before it.
    let before_click = Instant::now();
    let clicked = e2e::click_or_redirected(browser, Some(button), &e2e::origin(url)).await?;
    Ok(clicked
        .filter(|()| matches!(consent, Consent::Accept))
        .map(|()| before_click))
}

/// The panel shows the test user and every requested permission as granted, and no token (a JWT
/// starts with `eyJ`) or authorization code reached the page.
pub async fn assert_connected(app: &Page) -> Result<()> {
    let account = app.text("#account").await?;
    expect(
        account.contains(USER),
        format!("the account shows {USER}: {account:?}"),
    )?;
    // The organization by name (Graph /organization) and when the connection was last proven.
    app.wait_for_text("#organization", "Contoso Recruiting (sandbox)")
        .await?;
    let checked = app.text("#last-checked").await?;
    expect(
        !checked.is_empty() && !checked.contains("Not checked"),
        format!("the connection shows when it was last checked: {checked:?}"),
    )?;
    let html = app
        .client
        .source()
        .await
        .map_err(|e| format!("reading the page source: {e}"))?;
    expect(
        !html.contains("eyJ") && !html.contains("code="),
        "no token or authorization code in the page".into(),
    )?;
    let requested = count(app, "#permissions .permission[data-requested=true]").await?;
    expect(
        requested > 0,
        "the panel lists the requested permissions".into(),
    )?;
    let missing = count(
        app,
        "#permissions .permission[data-requested=true][data-granted=false]",
    )
    .await?;
    expect(
        missing == 0,
        format!(
            "every requested permission is granted; the window showed:\n{}",
            app.screen_text().await
        ),
    )
}
