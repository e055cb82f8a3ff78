//! The blocked screen's message to IT (e2e_blocked): "Email my IT admin" and the clipboard.

use crate::e2e::{self, expect, Page, Result, Run};

/// Issue 27, items 8 and 1: before anyone was asked the screen does not say it waits for IT;
/// "Email my IT admin" opens the mail program with the subject only (the message is too long for
/// a `mailto:` link) and the message is on the clipboard, read back from the X display, and only
/// then does the window say it is copied; from then on the screen waits for IT.
pub async fn email_it_copies_the_message(run: &Run, app: &Page) -> Result<()> {
    let pending = app.text("#approval-pending").await.unwrap_or_default();
    expect(
        !pending.contains("Waiting for your IT admin's approval"),
        format!("no wait for IT before IT was asked: {pending:?}"),
    )?;
    app.click("#email-it").await?;
    let mailto = run.next_sign_in_url().await?;
    let body = mailto
        .split_once("body=")
        .map_or("", |(_, rest)| rest.split('&').next().unwrap_or(""));
    expect(
        mailto.starts_with("mailto:") && body.is_empty(),
        format!("the mail program opens with the subject only: {mailto}"),
    )?;
    let notice = app
        .wait_for_text("#notice", "paste it into the email")
        .await?;
    let message = app.value("it-message").await;
    let clipboard = e2e::clipboard()?;
    let status = app
        .script("return document.getElementById('copy-it-message-status').dataset.outcome || ''")
        .await;
    expect(
        clipboard.trim_end() == message.trim_end() && status == "copied",
        format!(
            "the notice {notice:?} is true: the clipboard holds the message ({} of {} characters \
             match), the Copy status says {status:?}",
            clipboard.len(),
            message.len()
        ),
    )?;
    app.wait_for_text("#approval-pending", "Waiting for your IT admin's approval")
        .await
        .map(drop)
}
