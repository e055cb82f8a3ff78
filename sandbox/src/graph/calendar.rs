//! `GET /me/calendar` and `GET /me/events` (docs/entra-reference.md §7). Times are UTC (the `Prefer: outlook.timezone`
//! header is not honoured yet).

use serde_json::{json, Value};

use super::auth::Caller;
use super::error::GraphError;
use super::{odata_context, Reply};
use crate::context::Sandbox;
use crate::random::sha256_hex;

const CALENDAR_SCOPES: [&str; 3] = [
    "Calendars.ReadBasic",
    "Calendars.Read",
    "Calendars.ReadWrite",
];

/// `GET /me/calendar`: the default calendar.
pub fn calendar(sb: &Sandbox, caller: &Caller<'_>) -> Result<Reply, GraphError> {
    caller.require(&CALENDAR_SCOPES)?;
    caller.mailbox()?;
    let u = caller.user;
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, "users('me')/calendar/$entity"),
        "id": format!("AAMkCal{}", &sha256_hex(&u.id)[..32]),
        "name": "Calendar",
        "color": "auto",
        "hexColor": "",
        "isDefaultCalendar": true,
        "changeKey": sha256_hex(&format!("calendar|{}", u.id))[..16].to_owned(),
        "canShare": true,
        "canViewPrivateItems": true,
        "canEdit": true,
        "allowedOnlineMeetingProviders": ["teamsForBusiness"],
        "defaultOnlineMeetingProvider": "teamsForBusiness",
        "isTallyingResponses": true,
        "isRemovable": false,
        "owner": {"name": u.display_name, "address": u.user_principal_name}
    })))
}

/// `GET /me/events`: the seeded events.
pub fn events(sb: &Sandbox, caller: &Caller<'_>) -> Result<Reply, GraphError> {
    caller.require(&CALENDAR_SCOPES)?;
    caller.mailbox()?;
    let u = caller.user;
    let organizer =
        json!({"emailAddress": {"name": u.display_name, "address": u.user_principal_name}});
    let value: Vec<Value> = u
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            json!({
                "id": format!("AAMkEvt{}", &sha256_hex(&format!("{}|{i}", u.id))[..32]),
                "subject": e.subject,
                "bodyPreview": "",
                "isAllDay": false,
                "isCancelled": false,
                "isOrganizer": true,
                "showAs": "busy",
                "type": "singleInstance",
                "start": {"dateTime": format!("{}.0000000", e.start), "timeZone": "UTC"},
                "end": {"dateTime": format!("{}.0000000", e.end), "timeZone": "UTC"},
                "location": {"displayName": ""},
                "attendees": [],
                "organizer": organizer,
                "responseStatus": {"response": "organizer", "time": "0001-01-01T00:00:00Z"}
            })
        })
        .collect();
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, "users('me')/events"),
        "value": value
    })))
}
