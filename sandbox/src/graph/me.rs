//! `GET /me` and `GET /me/mailboxSettings` (docs/entra-reference.md §7).

use serde_json::{json, Value};

use super::auth::Caller;
use super::error::GraphError;
use super::{odata_context, Reply};
use crate::context::Sandbox;
use crate::seed::User;

/// `GET /me`: the default user properties (needs User.Read).
pub fn user(sb: &Sandbox, caller: &Caller<'_>) -> Result<Reply, GraphError> {
    caller.require(&[
        "User.Read",
        "User.ReadWrite",
        "User.ReadBasic.All",
        "Directory.Read.All",
    ])?;
    let mut body = user_json(caller.user);
    body["@odata.context"] = json!(odata_context(sb, "users/$entity"));
    Ok(Reply::ok(body))
}

/// A user's default properties (what `/me` and `directoryObjects/getByIds` answer).
pub fn user_json(u: &User) -> Value {
    json!({
        "businessPhones": [],
        "displayName": u.display_name,
        "givenName": u.given_name,
        "jobTitle": u.job_title,
        "mail": u.mail_address(),
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "en-US",
        "surname": u.surname,
        "userPrincipalName": u.user_principal_name,
        "id": u.id,
    })
}

/// `GET /me/mailboxSettings`: needs MailboxSettings.Read, which Mail.* does not imply (docs/entra-reference.md §7).
pub fn mailbox_settings(sb: &Sandbox, caller: &Caller<'_>) -> Result<Reply, GraphError> {
    caller.require(&["MailboxSettings.Read", "MailboxSettings.ReadWrite"])?;
    caller.mailbox()?;
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, &format!("users('{}')/mailboxSettings", caller.user.id)),
        "archiveFolder": format!("archive-{}", caller.user.id),
        "timeZone": "UTC",
        "automaticRepliesSetting": {
            "status": "disabled",
            "externalAudience": "all",
            "internalReplyMessage": "",
            "externalReplyMessage": "",
            "scheduledStartDateTime": {"dateTime": "2026-01-01T00:00:00.0000000", "timeZone": "UTC"},
            "scheduledEndDateTime": {"dateTime": "2026-01-02T00:00:00.0000000", "timeZone": "UTC"}
        },
        "language": {"locale": "en-US", "displayName": "English (United States)"},
        "workingHours": {
            "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
            "startTime": "08:00:00.0000000",
            "endTime": "17:00:00.0000000",
            "timeZone": {"name": "UTC"}
        },
        "userPurpose": {"value": "user"},
        "dateFormat": "yyyy-MM-dd",
        "timeFormat": "HH:mm",
        "delegateMeetingMessageDeliveryOptions": "sendToDelegateOnly"
    })))
}
