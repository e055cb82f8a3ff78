//! What a check found, as a stable kind with its parameters: the window words it from its
//! catalogs (`check.finding.<kind>`), the CLI prints the English of [`std::fmt::Display`].

use serde::{Deserialize, Serialize};

use crate::words::Words;

use super::GraphErrorFields;

/// What one check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// `/me` answered: who is signed in.
    SignedInAs {
        /// The display name.
        name: String,
        /// The user principal name.
        account: String,
    },
    /// Sent Items answered.
    SentItemsReadable {
        /// How many messages it holds.
        messages: u64,
    },
    /// The default calendar answered.
    CalendarReachable {
        /// The calendar's name.
        name: String,
    },
    /// Another read answered.
    Answered,
    /// The `$batch` answer left this request out.
    NoAnswer,
    /// Graph says the mailbox is not an Exchange Online one (`MailboxNot…`).
    MailboxNotSupported {
        /// The HTTP status.
        status: u16,
        /// Graph's error code.
        code: String,
    },
    /// Graph refused the request.
    Refused {
        /// The HTTP status.
        status: u16,
        /// Graph's error code.
        code: String,
        /// Graph's message (English, Microsoft's).
        message: String,
        /// The `request-id` support asks for.
        request_id: Option<String>,
    },
    /// The test email went out and is in Sent Items.
    TestEmailInSentItems {
        /// Its subject.
        subject: String,
        /// The address it went to (the mailbox's own).
        to: String,
    },
    /// The test email went out but is not in Sent Items yet.
    TestEmailNotInSentItems {
        /// Its subject.
        subject: String,
        /// The address it went to (the mailbox's own).
        to: String,
    },
    /// The checks could not run (no answer from Graph at all, or a refused `$batch`).
    NotRun {
        /// Why, in English.
        reason: String,
    },
}

impl Finding {
    /// Every kind, as serialized (the window's catalogs word each).
    pub const KINDS: &'static [&'static str] = &[
        "signed_in_as",
        "sent_items_readable",
        "calendar_reachable",
        "answered",
        "no_answer",
        "mailbox_not_supported",
        "refused",
        "test_email_in_sent_items",
        "test_email_not_in_sent_items",
        "not_run",
    ];

    /// What a failed answer says.
    pub(crate) fn refusal(fields: GraphErrorFields) -> Finding {
        if fields.code.starts_with("MailboxNot") {
            Finding::MailboxNotSupported {
                status: fields.status,
                code: fields.code,
            }
        } else {
            Finding::Refused {
                status: fields.status,
                code: fields.code,
                message: fields.message,
                request_id: fields.request_id,
            }
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::SignedInAs { name, account } => write!(f, "Signed in as {name} ({account})"),
            Finding::SentItemsReadable { messages } => {
                write!(f, "Sent Items is readable ({messages} messages)")
            }
            Finding::CalendarReachable { name } => write!(f, "Calendar \"{name}\" is reachable"),
            Finding::Answered => f.write_str("OK"),
            Finding::NoAnswer => f.write_str("Graph did not answer this request"),
            Finding::MailboxNotSupported { status, code } => {
                write!(
                    f,
                    "{} (Graph: {status} {code})",
                    Words::new("error.action.mailbox_not_supported").english()
                )
            }
            Finding::Refused {
                status,
                code,
                message,
                request_id,
            } => {
                write!(f, "Graph answered {status} {code}: {message}")?;
                match request_id {
                    Some(id) => write!(f, ", request-id {id}"),
                    None => Ok(()),
                }
            }
            Finding::TestEmailInSentItems { subject, to } => {
                write!(f, "Sent \"{subject}\" to {to}; it is in Sent Items.")
            }
            Finding::TestEmailNotInSentItems { subject, to } => write!(
                f,
                "Sent \"{subject}\" to {to}, but it has not appeared in Sent Items yet."
            ),
            Finding::NotRun { reason } => write!(f, "The checks could not run: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `KINDS` is the serialized kind of every variant (the catalog test relies on it).
    #[test]
    fn kinds_are_the_serialized_kinds() {
        let text = |s: &str| s.to_owned();
        let every = [
            Finding::SignedInAs {
                name: text("R"),
                account: text("r@x"),
            },
            Finding::SentItemsReadable { messages: 1 },
            Finding::CalendarReachable {
                name: text("Calendar"),
            },
            Finding::Answered,
            Finding::NoAnswer,
            Finding::MailboxNotSupported {
                status: 404,
                code: text("MailboxNotEnabledForRESTAPI"),
            },
            Finding::Refused {
                status: 403,
                code: text("ErrorAccessDenied"),
                message: text("m"),
                request_id: None,
            },
            Finding::TestEmailInSentItems {
                subject: text("s"),
                to: text("t"),
            },
            Finding::TestEmailNotInSentItems {
                subject: text("s"),
                to: text("t"),
            },
            Finding::NotRun { reason: text("r") },
        ];
        let kinds: Vec<String> = every
            .iter()
            .map(|f| {
                serde_json::to_value(f).unwrap_or_default()["kind"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        assert_eq!(kinds, Finding::KINDS);
    }
}
