//! The pages the receiver shows in the browser tab, in the window's language: everything echoed
//! is HTML-escaped.

use crate::blocked::Blocked;
use crate::diagnosis::Cause;
use crate::error::ErrorPayload;
use crate::status::ConnectionStatus;
use crate::words::Language;

/// The page the browser tab shows at the end.
pub(crate) struct ResultPage(pub(super) String, Language);

impl ResultPage {
    /// A page with a heading and one paragraph (the admin flows' outcomes).
    pub(crate) fn notice(language: Language, heading: &str, text: &str) -> ResultPage {
        let close = language.say("page.close_tab", &[]);
        ResultPage::new(
            language,
            heading,
            &format!(
                "<h1>{}</h1><p>{}</p><p>{}</p>",
                esc(heading),
                esc(text),
                esc(&close)
            ),
        )
    }

    pub(crate) fn connected(
        language: Language,
        app_name: &str,
        status: &ConnectionStatus,
    ) -> ResultPage {
        let who = status
            .account
            .as_ref()
            .and_then(|a| a.username.clone().or_else(|| a.name.clone()))
            .unwrap_or_default();
        let say = |key| language.say(key, &[("account", &who), ("vendor", app_name)]);
        ResultPage::new(
            language,
            &say("page.connected.title"),
            &format!(
                "<h1>{}</h1><p>{}</p>",
                esc(&say("page.connected.heading")),
                esc(&say("page.connected.text"))
            ),
        )
    }

    /// The block in the window's words (the core's English where a catalog has none). Once the
    /// recruiter's request for approval went to IT, the tab says what the window says: IT reviews
    /// it (never "press Request approval" to someone who just did).
    pub(crate) fn blocked(language: Language, blocked: &Blocked, app_name: &str) -> ResultPage {
        let diagnosis = &blocked.diagnosis;
        let requested = blocked.pending_approval.is_some()
            && diagnosis.cause == Cause::AdminApprovalRequestPossible;
        let (explanation, steps) = if requested {
            let vendor = [("vendor", app_name)];
            (
                language.say("blocked.requested.explanation", &vendor),
                vec![language.say("blocked.requested.step.review", &vendor)],
            )
        } else {
            (
                diagnosis.explanation_in(language),
                diagnosis.next_steps_in(language),
            )
        };
        let step = steps
            .first()
            .map(|s| {
                format!(
                    "<p><strong>{}</strong> {}</p>",
                    esc(&language.say("page.next_step", &[])),
                    esc(s)
                )
            })
            .unwrap_or_default();
        let title = language.say("page.blocked.title", &[]);
        ResultPage::new(
            language,
            &title,
            &format!(
                "<h1>{}</h1><p>{}</p>{step}<p>{}</p>",
                esc(&title),
                esc(&explanation),
                esc(&language.say("page.blocked.details", &[]))
            ),
        )
    }

    pub(crate) fn failed(language: Language, error: &ErrorPayload) -> ResultPage {
        let title = language.say("page.failed.title", &[]);
        ResultPage::new(
            language,
            &title,
            &format!(
                "<h1>{}</h1><p>{}</p><p><strong>{}</strong> {}</p><p>{}</p>",
                esc(&title),
                esc(&error.message),
                esc(&language.say("page.next_step", &[])),
                esc(&error.action),
                esc(&language.say("page.close_tab", &[]))
            ),
        )
    }

    fn new(language: Language, title: &str, body: &str) -> ResultPage {
        ResultPage(page(language, title, body), language)
    }

    /// The page of a look nobody is watching (a silent re-check): it closes its own tab. Browsers
    /// let a script close a tab whose history holds one page, which a tab opened for the link and
    /// redirected back here is; where one refuses, the page says the tab can be closed.
    pub(crate) fn closing(self) -> ResultPage {
        let note = esc(&self.1.say("page.closes_itself", &[]));
        ResultPage(
            self.0.replace(
                "</body>",
                &format!("<p>{note}</p><script>window.close()</script></body>"),
            ),
            self.1,
        )
    }
}

/// A forged, repeated or foreign callback: says nothing about the sign-in in progress (nor in
/// which language it runs).
pub(super) fn refused() -> String {
    page(
        Language::En,
        "Sign-in answer not recognised",
        "<h1>This answer does not belong to the sign-in in progress</h1><p>It was ignored.</p>",
    )
}

/// A `Host` other than the listener's own (a DNS-rebinding page).
pub(super) fn wrong_host() -> String {
    page(
        Language::En,
        "Wrong address",
        "<h1>This address is not served here</h1>",
    )
}

pub(super) fn already_finished(language: Language) -> String {
    simple(
        language,
        &language.say("page.already_finished.title", &[]),
        &language.say("page.already_finished.text", &[]),
    )
}

pub(super) fn still_working(language: Language) -> String {
    simple(
        language,
        &language.say("page.still_working.title", &[]),
        &language.say("page.still_working.text", &[]),
    )
}

fn simple(language: Language, title: &str, text: &str) -> String {
    page(
        language,
        title,
        &format!("<h1>{}</h1><p>{}</p>", esc(title), esc(text)),
    )
}

fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

fn page(language: Language, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}}</style>\
         </head><body>{body}</body></html>",
        language.tag(),
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_silent_looks_page_closes_itself_and_others_do_not() {
        let plain = ResultPage::notice(Language::En, "Checked", "Still waiting.");
        assert!(!plain.0.contains("<script>"));
        let closing = plain.closing();
        assert!(
            closing.0.contains(
                "<p>This tab closes by itself.</p><script>window.close()</script></body>"
            ),
            "{}",
            closing.0
        );
    }

    /// The tab speaks the window's language, down to `<html lang>`.
    #[test]
    fn the_page_is_in_the_windows_language() {
        let page = ResultPage::notice(Language::De, "Geprüft", "Noch nicht.").closing();
        assert!(page.0.contains("<html lang=\"de\">"), "{}", page.0);
        let closes = Language::De.say("page.closes_itself", &[]);
        assert_ne!(closes, Language::En.say("page.closes_itself", &[]));
        assert!(page.0.contains(&esc(&closes)), "{}", page.0);
    }
}
