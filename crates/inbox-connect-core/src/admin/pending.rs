//! An admin trip through the browser, in two steps so a window can show the link and a Cancel
//! button meanwhile: a `begin_*` function opens the browser and returns an [`AdminPending`], whose
//! [`AdminPending::wait`] brings the outcome.

use std::future::Future;
use std::pin::Pin;

use tokio_util::sync::CancellationToken;

use crate::connection::SignInCanceller;
use crate::error::ConnectError;
use crate::sign_in::browser::OpenedLink;

use super::error::AdminError;

type Outcome<T> = Pin<Box<dyn Future<Output = Result<T, AdminError>> + Send>>;

/// An admin trip in progress: the link that was opened, and the wait for its outcome.
pub struct AdminPending<T> {
    link: OpenedLink,
    cancel: CancellationToken,
    outcome: Outcome<T>,
}

impl<T: Send + 'static> AdminPending<T> {
    pub(crate) fn new(
        link: OpenedLink,
        outcome: impl Future<Output = Result<T, AdminError>> + Send + 'static,
    ) -> AdminPending<T> {
        AdminPending {
            link,
            cancel: CancellationToken::new(),
            outcome: Box::pin(outcome),
        }
    }

    /// The link as opened (show it with a Copy button: the browser may not have opened).
    pub fn link(&self) -> &OpenedLink {
        &self.link
    }

    /// A handle that cancels this trip: [`AdminPending::wait`] then fails with
    /// [`ConnectError::SignInCancelled`] and the loopback receiver stops.
    pub fn canceller(&self) -> SignInCanceller {
        SignInCanceller(self.cancel.clone())
    }

    /// Turns the outcome into another value (for a caller keeping several kinds of trip).
    pub fn map<U: Send + 'static>(
        self,
        f: impl FnOnce(T) -> U + Send + 'static,
    ) -> AdminPending<U> {
        self.then(|value| async move { Ok(f(value)) })
    }

    /// Continues with `next` once the browser part succeeded (Graph calls after a sign-in).
    pub(crate) fn then<U, F, Fut>(self, next: F) -> AdminPending<U>
    where
        U: Send + 'static,
        F: FnOnce(T) -> Fut + Send + 'static,
        Fut: Future<Output = Result<U, AdminError>> + Send + 'static,
    {
        let outcome = self.outcome;
        AdminPending {
            link: self.link,
            cancel: self.cancel,
            outcome: Box::pin(async move { next(outcome.await?).await }),
        }
    }

    /// Waits for the outcome. Dropping the wait (or cancelling) stops the loopback receiver.
    pub async fn wait(self) -> Result<T, AdminError> {
        tokio::select! {
            // Cancelling is the news even when an answer arrives at the same moment.
            biased;
            () = self.cancel.cancelled() => Err(ConnectError::SignInCancelled.into()),
            outcome = self.outcome => outcome,
        }
    }
}
