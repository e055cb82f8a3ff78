//! The test email: sent to the mailbox's own SMTP address, then found in Sent Items by its
//! unique subject.

use std::time::Duration;

use oauth2::AccessToken;
use serde_json::json;
use time::OffsetDateTime;
use url::form_urlencoded::byte_serialize;

use super::{Check, Finding};
use super::{Graph, GraphError, GraphErrorFields};

/// How often Sent Items is looked at: sendMail's 202 does not mean the message was processed
/// (docs/entra-reference.md §7), so it may take a moment to appear.
const LOOKS: u32 = 5;

impl Graph {
    /// Sends a test message to the signed-in mailbox's own address through `/me/sendMail`, then
    /// looks for it in Sent Items.
    pub(crate) async fn send_test_email(
        &self,
        token: &AccessToken,
        app_name: &str,
    ) -> Result<Check, GraphError> {
        let to = self.mail_address(token).await?;
        let marker = oauth2::CsrfToken::new_random()
            .secret()
            .chars()
            .take(8)
            .collect::<String>();
        let subject = format!("{app_name} test message {marker}");
        let message = json!({
            "message": {
                "subject": subject,
                "body": {"contentType": "Text", "content": format!("{app_name} is connected and can send email from your mailbox.")},
                "toRecipients": [{"emailAddress": {"address": to}}]
            },
            "saveToSentItems": true
        });
        let answer = self
            .send(token, reqwest::Method::POST, "/me/sendMail", Some(message))
            .await?;
        if !(200..300).contains(&answer.status) {
            return Err(GraphError::Api(GraphErrorFields::from_body(
                answer.status,
                &answer.body,
            )));
        }
        let found = self.find_sent(token, &subject).await?;
        let finding = if found {
            Finding::TestEmailInSentItems { subject, to }
        } else {
            Finding::TestEmailNotInSentItems { subject, to }
        };
        Ok(Check::new(
            "test_email",
            found,
            finding,
            OffsetDateTime::now_utc(),
        ))
    }

    /// The mailbox's SMTP address: `/me`'s `mail`. Not the id token's `preferred_username`, a
    /// UPN, which Graph keeps apart from `mail` and need not be an address that receives mail
    /// (G api-reference/v1.0/resources/user.md).
    async fn mail_address(&self, token: &AccessToken) -> Result<String, GraphError> {
        let answer = self
            .send(token, reqwest::Method::GET, "/me?$select=mail", None)
            .await?;
        if answer.status != 200 {
            return Err(GraphError::Api(GraphErrorFields::from_body(
                answer.status,
                &answer.body,
            )));
        }
        answer.body["mail"]
            .as_str()
            .map(str::trim)
            .filter(|mail| !mail.is_empty())
            .map(str::to_owned)
            .ok_or(GraphError::NoMailAddress)
    }

    /// Whether Sent Items holds a message with exactly this subject, asked with `$filter` (G
    /// concepts/query-parameters.md: `subject eq '...'`, a single quote doubled), so a busy
    /// mailbox's newest messages do not hide it.
    async fn find_sent(&self, token: &AccessToken, subject: &str) -> Result<bool, GraphError> {
        let path = sent_items_query(subject);
        for attempt in 0..LOOKS {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(500 * u64::from(attempt))).await;
            }
            let answer = self.send(token, reqwest::Method::GET, &path, None).await?;
            if answer.status != 200 {
                return Err(GraphError::Api(GraphErrorFields::from_body(
                    answer.status,
                    &answer.body,
                )));
            }
            let messages = answer.body["value"].as_array().cloned().unwrap_or_default();
            if messages
                .iter()
                .any(|m| m["subject"].as_str() == Some(subject))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

fn sent_items_query(subject: &str) -> String {
    let filter = format!("subject eq '{}'", subject.replace('\'', "''"));
    format!(
        "/me/mailFolders/sentitems/messages?$filter={}&$select=subject",
        byte_serialize(filter.as_bytes()).collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sent_items_filter_quotes_the_subject() {
        assert_eq!(
            sent_items_query("Bob's Recruit test message ab12"),
            "/me/mailFolders/sentitems/messages?$filter=subject+eq+%27Bob%27%27s+Recruit+test+message+ab12%27&$select=subject"
        );
    }
}
