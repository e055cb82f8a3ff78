//! Fidelity of what a client needs to prove a test email went out (issue 10 item 12): `/me`'s
//! `mail` is the SMTP address and may differ from the UPN, and Sent Items is searched with
//! `$filter` instead of paging through the newest messages.

use crate::util::*;
use entra_sandbox::seed::defaults;
use entra_sandbox::{start, RunningSandbox, SandboxConfig, Seed};
use serde_json::{json, Value};

const SMTP: &str = "riley.recruiter@mail.contoso-recruiting.example";

/// The default seed with the recruiter's SMTP address different from the UPN.
async fn sandbox_with_distinct_mail() -> RunningSandbox {
    let mut seed = Seed::default_seed();
    let riley = seed
        .tenants
        .iter_mut()
        .flat_map(|t| t.users.iter_mut())
        .find(|u| u.user_principal_name == defaults::RECRUITER_UPN)
        .expect("the recruiter is seeded");
    riley.mail = Some(SMTP.to_owned());
    start(SandboxConfig {
        seed,
        ..SandboxConfig::with_default_seed()
    })
    .await
    .expect("sandbox starts")
}

async fn token(sb: &RunningSandbox) -> String {
    let body = tokens_for(
        sb,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
        "openid User.Read Mail.Send Mail.Read",
    )
    .await;
    body["access_token"].as_str().expect("token").to_owned()
}

/// Source: G api-reference/v1.0/resources/user.md: `mail` is "The SMTP address for the user" and
/// `userPrincipalName` a separate property ("an Internet-style login name ... should map to the
/// user's email name", not must); docs/entra-reference.md §7 lists both among `/me`'s default properties.
#[tokio::test]
async fn graph_me_mail_is_the_smtp_address_not_the_upn() {
    let sb = sandbox_with_distinct_mail().await;
    let at = token(&sb).await;
    let me: Value = json(
        client()
            .get(format!("{}/me", sb.graph_url()))
            .bearer_auth(&at),
    )
    .await;
    assert_eq!(me["mail"], SMTP);
    assert_eq!(me["userPrincipalName"], defaults::RECRUITER_UPN);
}

/// Source: G concepts/query-parameters.md (`$filter` on messages, e.g.
/// `/me/messages?$filter=subject eq 'let''s meet for lunch?'`, a quote doubled inside a literal);
/// `internetMessageId eq` finds one message by its Message-ID; the next page of a filtered list
/// keeps the filter (OData `@odata.nextLink` is the same query further on).
#[tokio::test]
async fn graph_sent_items_filter_on_subject_and_internet_message_id() {
    let sb = sandbox_with_distinct_mail().await;
    let at = token(&sb).await;
    let http = client();
    for subject in ["let's meet for lunch?", "other", "other", "other"] {
        let message = json!({"message": {
            "subject": subject,
            "body": {"contentType": "Text", "content": "hi"},
            "toRecipients": [{"emailAddress": {"address": SMTP}}]
        }});
        let response = http
            .post(format!("{}/me/sendMail", sb.graph_url()))
            .bearer_auth(&at)
            .json(&message)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status().as_u16(), 202);
    }
    let list = |query: &str| {
        let url = format!(
            "{}/me/mailFolders/sentitems/messages?{query}",
            sb.graph_url()
        );
        json(http.get(url).bearer_auth(&at))
    };
    let found = list("$filter=subject%20eq%20%27let%27%27s%20meet%20for%20lunch%3F%27").await;
    let value = found["value"].as_array().expect("value");
    assert_eq!(value.len(), 1, "{found}");
    assert_eq!(value[0]["from"]["emailAddress"]["address"], SMTP);
    let id = value[0]["internetMessageId"].as_str().expect("Message-ID");
    let query = format!(
        "$filter={}",
        url::form_urlencoded::byte_serialize(format!("internetMessageId eq '{id}'").as_bytes())
            .collect::<String>()
    );
    let by_id = list(&query).await;
    assert_eq!(by_id["value"][0]["subject"], "let's meet for lunch?");

    let page = list("$filter=subject%20eq%20%27other%27&$top=2").await;
    assert_eq!(page["value"].as_array().map(Vec::len), Some(2));
    let next = page["@odata.nextLink"].as_str().expect("a next page");
    assert!(next.contains("subject+eq+%27other%27"), "{next}");
    let rest: Value = json(http.get(next).bearer_auth(&at)).await;
    assert_eq!(rest["value"].as_array().map(Vec::len), Some(1), "{rest}");
}
