//! Errors of the window's commands. Each reaches the UI as the core's `{code, message, action}`
//! payload, so the UI never has to interpret a code to tell the user what to do.

use inbox_connect_core::admin::AdminError;
use inbox_connect_core::blocked::admin_consent::AdminLinkError;
use inbox_connect_core::{ConnectError, ErrorPayload, Words};
use serde::Serialize;

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The core library failed (sign-in, keychain, Graph, ...).
    #[error(transparent)]
    Connect(#[from] ConnectError),
    /// The admin path failed (admin consent, admin sign-in, Graph reads or changes); boxed
    /// because a diagnosis is large.
    #[error(transparent)]
    Admin(Box<AdminError>),
    /// The app could not start its connection (bad profile, sandbox did not start).
    #[error("{}", .0.message)]
    Startup(Box<ErrorPayload>),
    /// `finish_sign_in` was called with no sign-in started.
    #[error("no sign-in is in progress")]
    NoSignInInProgress,
    /// The test email went out (or not) but the check after it failed.
    #[error("{0}")]
    TestEmailFailed(String),
    /// "Email IT" with no message to IT at hand (the connection is not blocked).
    #[error("there is no message to IT: the connection is not blocked")]
    NoItMessage,
    /// The QR code asked for with no admin-consent link at hand (no organization known yet).
    #[error("there is no approval link yet: the organization is not known")]
    NoAdminLink,
    /// No admin-consent link could be made for what the user typed.
    #[error(transparent)]
    AdminLink(#[from] AdminLinkError),
    /// The admin-consent link could not be drawn as a QR code.
    #[error("the QR code could not be made: {0}")]
    QrCode(#[from] qrcode::types::QrError),
    /// "Open log folder" with no log file (the OS gave no log folder, or it was not writable).
    #[error("the app is not writing a log file on this computer")]
    NoLogFile,
    /// "Help" with no help page in the vendor profile.
    #[error("this build names no help page")]
    NoHelpPage,
    /// The mail program or the browser could not be opened.
    #[error("it could not be opened: {0}")]
    Opener(String),
}

impl AppError {
    /// The payload the UI shows.
    pub fn payload(&self) -> ErrorPayload {
        match self {
            AppError::Connect(e) => e.payload(),
            AppError::Admin(e) => e.payload(),
            AppError::Startup(payload) => (**payload).clone(),
            AppError::NoSignInInProgress => plain(
                "no_sign_in_in_progress",
                self.to_string(),
                "error.action.start_signing_in",
            ),
            AppError::TestEmailFailed(_) => plain(
                "test_email_failed",
                format!("The test email did not arrive: {self}"),
                "error.action.test_email_failed",
            ),
            AppError::AdminLink(_) => plain(
                "admin_link_failed",
                self.to_string(),
                "error.action.admin_link_failed",
            ),
            AppError::NoItMessage => plain(
                "no_it_message",
                self.to_string(),
                "error.action.no_it_message",
            ),
            AppError::NoAdminLink => plain(
                "no_admin_link",
                self.to_string(),
                "error.action.no_admin_link",
            ),
            AppError::QrCode(_) => plain(
                "qr_code_failed",
                self.to_string(),
                "error.action.qr_code_failed",
            ),
            AppError::NoLogFile => {
                plain("no_log_file", self.to_string(), "error.action.no_log_file")
            }
            AppError::NoHelpPage => plain(
                "no_help_page",
                self.to_string(),
                "error.action.no_help_page",
            ),
            AppError::Opener(_) => {
                plain("open_failed", self.to_string(), "error.action.open_failed")
            }
        }
    }
}

impl From<AdminError> for AppError {
    fn from(e: AdminError) -> AppError {
        AppError::Admin(Box::new(e))
    }
}

/// Why the app could not build its connector; boxed because payloads are large.
pub type StartupError = Box<ErrorPayload>;

/// A payload with no protocol details; `action` is the catalog key of what to do.
pub fn plain(code: &str, message: String, action: &str) -> ErrorPayload {
    ErrorPayload::new(code, message, Words::new(action))
}

impl Serialize for AppError {
    /// A command's error is serialised once, as the window receives it: the one place every
    /// error the person sees passes, so it is logged here with its code and cause chain (the
    /// errors' texts never hold a token).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let payload = self.payload();
        let mut causes = Vec::new();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            causes.push(cause.to_string());
            next = cause.source();
        }
        tracing::warn!(code = %payload.code, causes = ?causes, "shown: {}", payload.message);
        payload.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_the_ui_as_code_message_action() {
        let json = serde_json::to_value(AppError::NoSignInInProgress).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "no_sign_in_in_progress",
                "message": "no sign-in is in progress",
                "action": "Click Connect Outlook to start signing in.",
                "action_words": {"key": "error.action.start_signing_in"}
            })
        );
        let json =
            serde_json::to_value(AppError::from(ConnectError::SignInCancelled)).unwrap_or_default();
        assert_eq!(json["code"], "sign_in_cancelled");
        assert!(json["action"].as_str().is_some_and(|a| !a.is_empty()));
    }

    #[test]
    fn every_error_the_window_receives_is_logged_with_its_code_and_causes() {
        #[derive(Clone, Default)]
        struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl std::io::Write for Captured {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                if let Ok(mut out) = self.0.lock() {
                    out.extend_from_slice(bytes);
                }
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let error = AppError::QrCode(qrcode::types::QrError::DataTooLong);
        tracing::subscriber::with_default(subscriber, || serde_json::to_value(&error))
            .unwrap_or_default();
        let logged =
            String::from_utf8_lossy(&captured.0.lock().map(|b| b.clone()).unwrap_or_default())
                .into_owned();
        assert!(logged.contains("code=qr_code_failed"), "{logged}");
        assert!(
            logged.contains("shown: the QR code could not be made"),
            "{logged}"
        );
        assert!(logged.contains("causes=[\"data too long\"]"), "{logged}");
    }
}
