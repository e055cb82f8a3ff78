//! One trip through the system browser: a loopback receiver with a fresh `state`, the answer
//! awaited (with the context's time limit), and the tab's closing page. The caller builds the link
//! on [`Trip::redirect_uri`] and opens it ([`crate::sign_in::browser::OpenedLink`]).

use oauth2::CsrfToken;
use tokio_util::sync::CancellationToken;

use crate::error::ConnectError;
use crate::sign_in::loopback::{Answer, LoopbackReceiver, ResultPage};
use crate::words::{Language, Words};

use super::AdminContext;

/// A receiver started and waiting for its link to be built.
pub(crate) struct Trip<A: Answer> {
    receiver: LoopbackReceiver<A>,
    /// The `state` the answer must carry (checked by the receiver).
    pub(crate) state: CsrfToken,
    /// The language of the tab's pages.
    language: Language,
}

impl<A: Answer> Trip<A> {
    /// Starts the loopback receiver on a free port.
    pub(crate) async fn start(ctx: &AdminContext) -> Result<Trip<A>, ConnectError> {
        let state = CsrfToken::new_random();
        let language = ctx.language();
        // The receiver stops on its own once the closing page was delivered.
        let receiver = LoopbackReceiver::start(
            &ctx.profile.redirect_path,
            state.clone(),
            CancellationToken::new(),
            language,
        )
        .await
        .map_err(|e| ConnectError::Loopback(e.to_string()))?;
        Ok(Trip {
            receiver,
            state,
            language,
        })
    }

    /// `http://localhost:{port}/`: where Microsoft sends the browser back.
    pub(crate) fn redirect_uri(&self) -> String {
        self.receiver.redirect_uri()
    }

    /// The language of the tab's pages.
    pub(crate) fn language(&self) -> Language {
        self.language
    }

    /// Waits for the answer, up to the context's time limit.
    pub(crate) async fn answer(&mut self, ctx: &AdminContext) -> Result<A, ConnectError> {
        tokio::select! {
            answer = self.receiver.callback() => answer,
            () = tokio::time::sleep(ctx.timeout) => Err(ConnectError::SignInTimedOut { seconds: ctx.timeout.as_secs() }),
        }
    }

    /// Hands the browser tab its closing page: `heading` (a `page.` key) and `text`.
    pub(crate) async fn finish(self, heading: &str, text: &str) {
        let heading = self.language.say(heading, &[]);
        self.receiver
            .finish(ResultPage::notice(self.language, &heading, text))
            .await;
    }

    /// [`Trip::finish`] with the text as [`Words`].
    pub(crate) async fn finish_with(self, heading: &str, text: &Words) {
        let text = self.language.word(text);
        self.finish(heading, &text).await;
    }
}
