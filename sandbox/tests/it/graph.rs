//! Microsoft Graph v1.0 subset over real HTTP (docs/entra-reference.md §7).

use crate::util::*;
use entra_sandbox::seed::defaults;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ALL: &str =
    "openid offline_access User.Read Mail.Send Mail.Read MailboxSettings.Read Calendars.Read";

async fn access_token(sb: &entra_sandbox::RunningSandbox, scope: &str) -> String {
    let body = tokens_for(
        sb,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
        scope,
    )
    .await;
    body["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

fn graph(sb: &entra_sandbox::RunningSandbox, path: &str) -> String {
    format!("{}{path}", sb.graph_url())
}

/// Asserts the Graph error shape and returns the code.
async fn graph_error(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status().as_u16(), status);
    assert!(response.headers().contains_key("request-id"));
    let body: Value = response.json().await.expect("json");
    let inner = &body["error"]["innerError"];
    assert!(
        inner["date"].is_string()
            && inner["request-id"].is_string()
            && inner["client-request-id"].is_string(),
        "{body}"
    );
    assert!(body["error"]["message"].is_string());
    body["error"]["code"].as_str().expect("code").to_owned()
}

#[tokio::test]
async fn ref_7_me_returns_default_properties() {
    let sb = sandbox().await;
    let at = access_token(&sb, ALL).await;
    let response = client()
        .get(graph(&sb, "/me"))
        .bearer_auth(&at)
        .header("client-request-id", "c-1")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["client-request-id"], "c-1");
    let me: Value = response.json().await.expect("json");
    assert_eq!(me["userPrincipalName"], defaults::RECRUITER_UPN);
    assert_eq!(me["displayName"], "Riley Recruiter");
    for key in [
        "businessPhones",
        "givenName",
        "id",
        "jobTitle",
        "mail",
        "mobilePhone",
        "officeLocation",
        "preferredLanguage",
        "surname",
        "@odata.context",
    ] {
        assert!(me.get(key).is_some(), "missing {key}");
    }
}

#[tokio::test]
async fn ref_7_401_invalid_authentication_token() {
    let sb = sandbox().await;
    let http = client();
    assert_eq!(
        graph_error(get(&http, graph(&sb, "/me")).await, 401).await,
        "InvalidAuthenticationToken"
    );
    assert_eq!(
        graph_error(
            http.get(graph(&sb, "/me"))
                .bearer_auth("garbage")
                .send()
                .await
                .expect("get"),
            401
        )
        .await,
        "InvalidAuthenticationToken"
    );
    // An id token is signed by the same key but is not for Graph (docs/entra-reference.md §8 `aud`).
    let body = recruiter_tokens(&sb, ALL).await;
    let id_token = body["id_token"].as_str().expect("id token");
    let response = http
        .get(graph(&sb, "/me"))
        .bearer_auth(id_token)
        .send()
        .await
        .expect("get");
    assert_eq!(
        graph_error(response, 401).await,
        "InvalidAuthenticationToken"
    );
    let at = body["access_token"].as_str().expect("access token");
    sb.control()
        .advance_clock(std::time::Duration::from_secs(2 * 3600));
    let response = http
        .get(graph(&sb, "/me"))
        .bearer_auth(at)
        .send()
        .await
        .expect("get");
    assert!(response.headers().contains_key("www-authenticate"));
    assert_eq!(
        graph_error(response, 401).await,
        "InvalidAuthenticationToken"
    );
}

#[tokio::test]
async fn ref_7_403_error_access_denied_when_scope_missing() {
    let sb = sandbox().await;
    let at = access_token(&sb, "Mail.Read").await;
    let http = client();
    for (method, path) in [
        ("GET", "/me/mailboxSettings"),
        ("GET", "/me/events"),
        ("POST", "/me/sendMail"),
    ] {
        let request = http
            .request(method.parse().expect("method"), graph(&sb, path))
            .bearer_auth(&at)
            .json(&json!({}));
        assert_eq!(
            graph_error(request.send().await.expect("send"), 403).await,
            "ErrorAccessDenied",
            "{path}"
        );
    }
}

#[tokio::test]
async fn ref_7_mailbox_settings_folder_calendar_and_events() {
    let sb = sandbox().await;
    let at = access_token(&sb, ALL).await;
    let http = client();
    let get = |path: &'static str| http.get(graph(&sb, path)).bearer_auth(&at).send();
    let settings: Value = get("/me/mailboxSettings")
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(settings["timeZone"], "UTC");
    assert_eq!(settings["userPurpose"]["value"], "user");
    let folder: Value = get("/me/mailFolders/SentItems")
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(folder["displayName"], "Sent Items");
    let calendar: Value = get("/me/calendar")
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(calendar["name"], "Calendar");
    assert_eq!(calendar["isDefaultCalendar"], true);
    let events: Value = get("/me/events")
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(
        events["value"][0]["subject"],
        "Interview: candidate screening"
    );
}

#[tokio::test]
async fn ref_7_send_mail_is_202_and_lands_in_sent_items() {
    let sb = sandbox().await;
    let at = access_token(&sb, ALL).await;
    let http = client();
    let message = json!({"message": {
        "subject": "Interview invite",
        "body": {"contentType": "Text", "content": "Hello from the sandbox"},
        "toRecipients": [{"emailAddress": {"address": "candidate@example.com"}}]
    }});
    let response = http
        .post(graph(&sb, "/me/sendMail"))
        .bearer_auth(&at)
        .json(&message)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(response.text().await.expect("body").is_empty());
    let listed: Value = json(
        http.get(graph(&sb, "/me/mailFolders/sentitems/messages"))
            .bearer_auth(&at),
    )
    .await;
    assert_eq!(listed["value"][0]["subject"], "Interview invite");
    assert_eq!(
        listed["value"][0]["toRecipients"][0]["emailAddress"]["address"],
        "candidate@example.com"
    );
    assert_eq!(sb.control().sent_items(defaults::RECRUITER_UPN).len(), 1);
    let unsaved = json!({"message": message["message"], "saveToSentItems": false});
    let response = http
        .post(graph(&sb, "/me/sendMail"))
        .bearer_auth(&at)
        .json(&unsaved)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(
        sb.control().sent_items(defaults::RECRUITER_UPN).len(),
        1,
        "saveToSentItems=false is not saved"
    );
}

#[tokio::test]
async fn ref_7_send_mail_rejects_bad_bodies() {
    let sb = sandbox().await;
    let at = access_token(&sb, ALL).await;
    let http = client();
    let post = |body: Vec<u8>, content_type: &'static str| {
        http.post(graph(&sb, "/me/sendMail"))
            .bearer_auth(&at)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    assert_eq!(
        graph_error(
            post(b"{not json".to_vec(), "application/json")
                .await
                .expect("post"),
            400
        )
        .await,
        "RequestBodyRead"
    );
    let no_recipients = json!({"message": {"subject": "x"}})
        .to_string()
        .into_bytes();
    assert_eq!(
        graph_error(
            post(no_recipients, "application/json").await.expect("post"),
            400
        )
        .await,
        "ErrorInvalidRecipients"
    );
    assert_eq!(
        graph_error(
            post(b"%%%not base64%%%".to_vec(), "text/plain")
                .await
                .expect("post"),
            400
        )
        .await,
        "ErrorMimeContentInvalidBase64String"
    );
    assert_eq!(
        graph_error(
            post(vec![0xff, 0xfe, 0x00], "application/json")
                .await
                .expect("post"),
            400
        )
        .await,
        "RequestBodyRead"
    );
    assert!(sb.control().sent_items(defaults::RECRUITER_UPN).is_empty());
}

#[tokio::test]
async fn ref_7_mailbox_not_enabled_for_rest_api_on_premises() {
    let sb = fixture_sandbox().await;
    for (upn, password) in [
        ("pat@fabrikam-hybrid.example", "OnPrem-2026!"),
        ("nora@fabrikam-hybrid.example", "NoBox-2026!"),
    ] {
        let body = tokens_for(&sb, upn, password, ALL).await;
        let at = body["access_token"].as_str().expect("at");
        let http = client();
        for path in [
            "/me/mailFolders/sentitems",
            "/me/mailboxSettings",
            "/me/calendar",
            "/me/events",
        ] {
            let response = http
                .get(graph(&sb, path))
                .bearer_auth(at)
                .send()
                .await
                .expect("get");
            assert_eq!(
                graph_error(response, 404).await,
                "MailboxNotEnabledForRESTAPI",
                "{upn} {path}"
            );
        }
        // The directory still answers.
        assert_eq!(
            http.get(graph(&sb, "/me"))
                .bearer_auth(at)
                .send()
                .await
                .expect("get")
                .status(),
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn ref_7_batch_runs_items_and_reports_each_status() {
    let sb = sandbox().await;
    let at = access_token(&sb, "User.Read Mail.Read Mail.Send").await;
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/me"},
        {"id": "2", "method": "GET", "url": "/me/mailboxSettings"},
        {"id": "3", "method": "GET", "url": "/me/events", "dependsOn": ["2"]},
        {"id": "4", "method": "POST", "url": "/me/sendMail", "headers": {"Content-Type": "application/json"},
         "body": {"message": {"subject": "via batch", "toRecipients": [{"emailAddress": {"address": "a@b.example"}}]}}}
    ]});
    let response = client()
        .post(graph(&sb, "/$batch"))
        .bearer_auth(&at)
        .json(&batch)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let status = |id: &str| {
        body["responses"]
            .as_array()
            .expect("responses")
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_u64().unwrap_or(0))
    };
    assert_eq!(status("1"), Some(200));
    assert_eq!(status("2"), Some(403));
    assert_eq!(status("3"), Some(424), "dependsOn a failed request");
    assert_eq!(status("4"), Some(202));
    assert_eq!(
        sb.control().sent_items(defaults::RECRUITER_UPN)[0]["subject"],
        "via batch"
    );
}

#[tokio::test]
async fn ref_7_batch_envelope_errors_are_400() {
    let sb = sandbox().await;
    let at = access_token(&sb, "User.Read").await;
    let http = client();
    let too_many: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"}))
        .collect();
    let bodies = [
        json!({"requests": too_many}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/me"}, {"id": "1", "method": "GET", "url": "/me"}]}),
        json!({"requests": [{"id": "1", "method": "POST", "url": "/me/sendMail", "body": {"message": {}}}]}),
        json!({"requests": [{"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]}]}),
        json!({"nope": true}),
    ];
    for body in bodies {
        let response = http
            .post(graph(&sb, "/$batch"))
            .bearer_auth(&at)
            .json(&body)
            .send()
            .await
            .expect("post");
        assert_eq!(graph_error(response, 400).await, "BadRequest", "{body}");
    }
    let twenty: Vec<Value> = (0..20)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "me"}))
        .collect();
    let response = http
        .post(graph(&sb, "/$batch"))
        .bearer_auth(&at)
        .json(&json!({"requests": twenty}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn graph_wrong_method_unknown_path_and_oversized_body() {
    let sb = sandbox().await;
    let at = access_token(&sb, ALL).await;
    let http = client();
    assert_eq!(
        graph_error(
            http.delete(graph(&sb, "/me"))
                .bearer_auth(&at)
                .send()
                .await
                .expect("delete"),
            405
        )
        .await,
        "Request_BadRequest"
    );
    assert_eq!(
        graph_error(
            http.get(graph(&sb, "/me/sendMail"))
                .bearer_auth(&at)
                .send()
                .await
                .expect("get"),
            405
        )
        .await,
        "Request_BadRequest"
    );
    assert_eq!(
        graph_error(
            http.get(graph(&sb, "/me/nothing"))
                .bearer_auth(&at)
                .send()
                .await
                .expect("get"),
            400
        )
        .await,
        "BadRequest"
    );
    let huge = vec![b'a'; 5 * 1024 * 1024];
    let response = http
        .post(graph(&sb, "/me/sendMail"))
        .bearer_auth(&at)
        .body(huge)
        .send()
        .await
        .expect("post");
    assert_eq!(graph_error(response, 413).await, "RequestEntityTooLarge");
}
