//! Sent Items and `POST /me/sendMail` (docs/entra-reference.md §7).

use axum::http::StatusCode;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::error::GraphError;
use super::{odata, odata_context, Call, Reply};
use crate::context::Sandbox;
use crate::params::Params;
use crate::random::{guid, sha256_hex};

const READ_SCOPES: [&str; 3] = ["Mail.ReadBasic", "Mail.Read", "Mail.ReadWrite"];
/// Properties Mail.ReadBasic does not return (docs/entra-reference.md §10).
const BODY_PROPERTIES: [&str; 2] = ["body", "bodyPreview"];

fn folder_id(caller: &Caller<'_>) -> String {
    format!(
        "AAMkSent{}",
        &sha256_hex(&format!("sentitems|{}", caller.user.id))[..32]
    )
}

/// `GET /me/mailFolders/sentitems`.
pub fn sent_folder(sb: &Sandbox, caller: &Caller<'_>) -> Result<Reply, GraphError> {
    caller.require(&READ_SCOPES)?;
    caller.mailbox()?;
    let total = sb.store.sent_items(&caller.user.id).len();
    Ok(Reply::ok(json!({
        "@odata.context": odata_context(sb, "users('me')/mailFolders/$entity"),
        "id": folder_id(caller),
        "displayName": "Sent Items",
        "parentFolderId": format!("AAMkRoot{}", &sha256_hex(&caller.user.id)[..32]),
        "childFolderCount": 0,
        "unreadItemCount": 0,
        "totalItemCount": total,
        "sizeInBytes": 0,
        "isHidden": false
    })))
}

/// Message properties `$filter` may compare with `eq` here (G concepts/query-parameters.md
/// filters messages as `$filter=subject eq 'let''s meet for lunch?'`; `internetMessageId eq` is
/// the usual lookup of one message by its RFC 5322 Message-ID).
const FILTERABLE: [&str; 2] = ["subject", "internetMessageId"];

/// `GET /me/mailFolders/sentitems/messages`, newest first, `$filter` (`eq` on the `FILTERABLE` properties),
/// then `$top` (default 10) and `$skip`.
pub fn sent_messages(
    sb: &Sandbox,
    caller: &Caller<'_>,
    query: Option<&str>,
) -> Result<Reply, GraphError> {
    caller.require(&READ_SCOPES)?;
    caller.mailbox()?;
    let params = Params::parse(query.unwrap_or("").as_bytes());
    let number = |name: &str, default: usize| -> Result<usize, GraphError> {
        params.get(name).map_or(Ok(default), |v| {
            v.parse().map_err(|_| {
                GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    format!("Invalid value for query option '{name}'."),
                )
            })
        })
    };
    let top = number("$top", 10)?.clamp(1, 1000);
    let skip = number("$skip", 0)?;
    let basic_only = !caller.has("Mail.Read") && !caller.has("Mail.ReadWrite");
    let clauses = odata::filter(query, &FILTERABLE)?;
    let all: Vec<Value> = sb
        .store
        .sent_items(&caller.user.id)
        .into_iter()
        .filter(|m| odata::satisfies(m, &clauses))
        .collect();
    let value: Vec<Value> = all
        .iter()
        .skip(skip)
        .take(top)
        .map(|m| {
            let mut m = m.clone();
            if let (true, Some(obj)) = (basic_only, m.as_object_mut()) {
                BODY_PROPERTIES.iter().for_each(|p| {
                    obj.remove(*p);
                });
            }
            m
        })
        .collect();
    let mut body = json!({
        "@odata.context": odata_context(sb, "users('me')/mailFolders('sentitems')/messages"),
        "value": value
    });
    if skip + top < all.len() {
        let mut next = url::Url::parse(&format!(
            "{}/graph/v1.0/me/mailFolders/sentitems/messages",
            sb.base()
        ))
        .map_err(|_| {
            GraphError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "generalException",
                "bad base URL",
            )
        })?;
        {
            // The next page is the same query further on: the filter goes along.
            let mut pairs = next.query_pairs_mut();
            if let Some(filter) = params.non_empty("$filter") {
                pairs.append_pair("$filter", filter);
            }
            pairs
                .append_pair("$top", &top.to_string())
                .append_pair("$skip", &(skip + top).to_string());
        }
        body["@odata.nextLink"] = json!(next.as_str());
    }
    Ok(Reply::ok(body))
}

fn invalid_recipients() -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        "ErrorInvalidRecipients",
        "At least one recipient isn't valid., A message can't be sent because it contains no recipients.",
    )
}

/// `POST /me/sendMail`: 202 with no body; the message lands in Sent Items unless
/// `saveToSentItems` is false. JSON or base64 MIME (`Content-Type: text/plain`) bodies.
pub fn send(sb: &Sandbox, caller: &Caller<'_>, call: &Call<'_>) -> Result<Reply, GraphError> {
    caller.require(&["Mail.Send"])?;
    caller.mailbox()?;
    let is_mime = call.content_type.is_some_and(|ct| {
        ct.trim_start()
            .to_ascii_lowercase()
            .starts_with("text/plain")
    });
    let (message, save) = if is_mime {
        from_mime(call.body)?
    } else {
        from_json(call.body)?
    };
    if save {
        sb.store
            .save_sent(&caller.user.id, stored_message(sb, caller, message));
    }
    Ok(Reply::empty(StatusCode::ACCEPTED))
}

/// What a sent message says.
struct Outgoing {
    subject: String,
    content_type: String,
    content: String,
    to: Vec<Value>,
    cc: Vec<Value>,
    bcc: Vec<Value>,
    has_attachments: bool,
}

fn from_json(body: &[u8]) -> Result<(Outgoing, bool), GraphError> {
    let request: Value = serde_json::from_slice(body).map_err(|_| GraphError::bad_json())?;
    let message = request
        .get("message")
        .and_then(Value::as_object)
        .ok_or_else(GraphError::bad_json)?;
    let save = match request.get("saveToSentItems") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(GraphError::bad_json()),
    };
    let text = |key: &str| {
        message
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let body = message.get("body").and_then(Value::as_object);
    let content_type = body
        .and_then(|b| b.get("contentType"))
        .and_then(Value::as_str)
        .unwrap_or("text")
        .to_ascii_lowercase();
    if content_type != "text" && content_type != "html" {
        return Err(GraphError::bad_json());
    }
    let outgoing = Outgoing {
        subject: text("subject"),
        content_type,
        content: body
            .and_then(|b| b.get("content"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned(),
        to: recipients(message, "toRecipients")?,
        cc: recipients(message, "ccRecipients")?,
        bcc: recipients(message, "bccRecipients")?,
        has_attachments: message
            .get("attachments")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty()),
    };
    if outgoing.to.is_empty() && outgoing.cc.is_empty() && outgoing.bcc.is_empty() {
        return Err(invalid_recipients());
    }
    Ok((outgoing, save))
}

/// Validates and normalises one recipient list to `{emailAddress:{name,address}}`.
fn recipients(message: &Map<String, Value>, key: &str) -> Result<Vec<Value>, GraphError> {
    let Some(list) = message.get(key) else {
        return Ok(Vec::new());
    };
    let list = list.as_array().ok_or_else(GraphError::bad_json)?;
    list.iter()
        .map(|r| {
            let email = r.get("emailAddress").ok_or_else(invalid_recipients)?;
            let address = email
                .get("address")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim();
            if !is_address(address) {
                return Err(invalid_recipients());
            }
            let name = email.get("name").and_then(Value::as_str).unwrap_or(address);
            Ok(json!({"emailAddress": {"name": name, "address": address}}))
        })
        .collect()
}

fn is_address(address: &str) -> bool {
    matches!(address.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !address.contains(char::is_whitespace))
}

/// A base64 MIME message (docs/entra-reference.md §7: bad base64 → ErrorMimeContentInvalidBase64String).
fn from_mime(body: &[u8]) -> Result<(Outgoing, bool), GraphError> {
    let compact: Vec<u8> = body
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let decoded = STANDARD.decode(compact).map_err(|_| {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorMimeContentInvalidBase64String",
            "Invalid base64 string for MIME content.",
        )
    })?;
    let text = String::from_utf8_lossy(&decoded);
    let (head, content) = text
        .split_once("\r\n\r\n")
        .or_else(|| text.split_once("\n\n"))
        .unwrap_or((&text, ""));
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            })
            .map(|(_, v)| v.trim().to_owned())
    };
    let to: Vec<Value> = header("To")
        .unwrap_or_default()
        .split(',')
        .map(|a| {
            a.trim()
                .trim_start_matches(|c| c != '<')
                .trim_matches(|c| c == '<' || c == '>')
                .to_owned()
        })
        .filter(|a| is_address(a))
        .map(|a| json!({"emailAddress": {"name": a, "address": a}}))
        .collect();
    if to.is_empty() {
        return Err(invalid_recipients());
    }
    let outgoing = Outgoing {
        subject: header("Subject").unwrap_or_default(),
        content_type: "text".to_owned(),
        content: content.to_owned(),
        to,
        cc: Vec::new(),
        bcc: Vec::new(),
        has_attachments: false,
    };
    Ok((outgoing, true))
}

/// The Graph `message` as it appears in Sent Items.
fn stored_message(sb: &Sandbox, caller: &Caller<'_>, m: Outgoing) -> Value {
    let now = sb.clock.now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let me = json!({"emailAddress": {"name": caller.user.display_name, "address": caller.user.mail_address()}});
    let preview: String = m.content.chars().take(255).collect();
    let id = guid();
    json!({
        "id": format!("AAMkMsg{}", id.replace('-', "")),
        "createdDateTime": now,
        "lastModifiedDateTime": now,
        "receivedDateTime": now,
        "sentDateTime": now,
        "hasAttachments": m.has_attachments,
        "internetMessageId": format!("<{id}@sandbox.example>"),
        "subject": m.subject,
        "bodyPreview": preview,
        "importance": "normal",
        "parentFolderId": folder_id(caller),
        "conversationId": format!("AAQkConv{}", &sha256_hex(&id)[..24]),
        "isRead": true,
        "isDraft": false,
        "body": {"contentType": m.content_type, "content": m.content},
        "sender": me,
        "from": me,
        "toRecipients": m.to,
        "ccRecipients": m.cc,
        "bccRecipients": m.bcc,
        "replyTo": []
    })
}
