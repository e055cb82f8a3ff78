//! The pages the receiver shows in the browser tab: everything echoed is HTML-escaped.

use crate::diagnosis::Diagnosis;
use crate::error::ErrorPayload;
use crate::status::ConnectionStatus;

/// The page the browser tab shows at the end.
pub(crate) struct ResultPage(pub(super) String);

impl ResultPage {
    /// A page with a heading and one paragraph (the admin flows' outcomes).
    pub(crate) fn notice(heading: &str, text: &str) -> ResultPage {
        ResultPage(page(
            heading,
            &format!(
                "<h1>{}</h1><p>{}</p><p>You can close this tab.</p>",
                esc(heading),
                esc(text)
            ),
        ))
    }

    pub(crate) fn connected(app_name: &str, status: &ConnectionStatus) -> ResultPage {
        let who = status
            .account
            .as_ref()
            .and_then(|a| a.username.clone().or_else(|| a.name.clone()))
            .unwrap_or_default();
        ResultPage(page(
            "Connected",
            &format!(
                "<h1>Connected — you can close this tab</h1><p>{} is connected to {}.</p>",
                esc(&who),
                esc(app_name)
            ),
        ))
    }

    pub(crate) fn blocked(diagnosis: &Diagnosis) -> ResultPage {
        let step = diagnosis
            .next_steps
            .first()
            .map(|s| format!("<p><strong>Next step:</strong> {}</p>", esc(s)))
            .unwrap_or_default();
        ResultPage(page(
            "Not connected yet",
            &format!(
                "<h1>Not connected yet</h1><p>{}</p>{step}<p>The app shows the details. You can close this tab.</p>",
                esc(&diagnosis.explanation)
            ),
        ))
    }

    pub(crate) fn failed(error: &ErrorPayload) -> ResultPage {
        ResultPage(page(
            "Could not connect",
            &format!(
                "<h1>Could not connect</h1><p>{}</p><p><strong>Next step:</strong> {}</p><p>You can close this tab.</p>",
                esc(&error.message),
                esc(&error.action)
            ),
        ))
    }
}

impl ResultPage {
    /// The page of a look nobody is watching (a silent re-check): it closes its own tab. Browsers
    /// let a script close a tab whose history holds one page, which a tab opened for the link and
    /// redirected back here is; where one refuses, the page says the tab can be closed.
    pub(crate) fn closing(self) -> ResultPage {
        ResultPage(self.0.replace(
            "</body>",
            "<p>This tab closes by itself.</p><script>window.close()</script></body>",
        ))
    }
}

/// A forged, repeated or foreign callback: says nothing about the sign-in in progress.
pub(super) fn refused() -> String {
    page(
        "Sign-in answer not recognised",
        "<h1>This answer does not belong to the sign-in in progress</h1><p>It was ignored.</p>",
    )
}

/// A `Host` other than the listener's own (a DNS-rebinding page).
pub(super) fn wrong_host() -> String {
    page("Wrong address", "<h1>This address is not served here</h1>")
}

pub(super) fn already_finished() -> String {
    page(
        "Already finished",
        "<h1>This sign-in has already finished</h1><p>You can close this tab.</p>",
    )
}

pub(super) fn still_working() -> String {
    page(
        "Still working",
        "<h1>Still finishing the sign-in</h1><p>Go back to the app.</p>",
    )
}

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} — Inbox Connect</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}</style>\
         </head><body>{body}</body></html>",
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_looks_page_closes_itself_and_others_do_not() {
        let plain = ResultPage::notice("Checked", "Still waiting.");
        assert!(!plain.0.contains("<script>"));
        let closing = plain.closing();
        assert!(
            closing.0.contains("<script>window.close()</script></body>"),
            "{}",
            closing.0
        );
    }
}
