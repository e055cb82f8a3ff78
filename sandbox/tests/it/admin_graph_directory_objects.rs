//! `POST /directoryObjects/getByIds` (G api-reference/v1.0/api/directoryobject-getbyids.md): the
//! names behind the object ids that policies hold, on its own and inside `$batch`.

use crate::util::*;
use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::RunningSandbox;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Northwind's reviewer (its admin) and recruiter.
const NORTHWIND_ADMIN_ID: &str = "c0a80102-5eed-4b10-8c00-0000000000ad";
const NINA_ID: &str = "c0a80102-5eed-4b10-8c00-0000000000a1";
/// A user of another tenant (Adatum's Bob): not in Northwind's directory.
const BOB_ID: &str = "c0a80105-5eed-4b10-8c00-0000000000a1";
/// Litware's service principal of the recruiters' app.
const LITWARE_SP_ID: &str = "c0a80104-5eed-4b10-8c00-0000000005b1";
/// An id that names nothing.
const UNKNOWN_ID: &str = "00000000-0000-0000-0000-0000000000ff";

async fn get_by_ids(sb: &RunningSandbox, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    graph_call(sb, Method::POST, token, "/directoryObjects/getByIds", body).await
}

fn names(body: &Value) -> Vec<(String, String)> {
    body["value"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|o| {
                    (
                        o["@odata.type"].as_str().unwrap_or_default().to_owned(),
                        o["displayName"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn get_by_ids_answers_the_users_of_the_callers_tenant_with_their_type() {
    let sb = sandbox().await;
    let token =
        preset_admin_token(&sb, presets::WORKFLOW_DOMAIN, "openid Directory.Read.All").await;
    // Unknown ids, and another tenant's users, are left out; the case of a type does not matter.
    let ids = json!([
        NORTHWIND_ADMIN_ID,
        UNKNOWN_ID,
        BOB_ID,
        NINA_ID.to_uppercase()
    ]);
    let asked = json!({"ids": ids, "types": ["User", "group"]});
    let (status, body) = get_by_ids(&sb, &token, Some(asked)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["@odata.context"]
        .as_str()
        .is_some_and(|c| c.ends_with("/v1.0/$metadata#directoryObjects")));
    assert_eq!(
        names(&body),
        [
            ("#microsoft.graph.user".to_owned(), "IT Admin".to_owned()),
            (
                "#microsoft.graph.user".to_owned(),
                "Nina Northwind".to_owned()
            ),
        ]
    );
    assert_eq!(body["value"][0]["id"], NORTHWIND_ADMIN_ID);
    assert_eq!(
        body["value"][0]["userPrincipalName"],
        presets::WORKFLOW_ADMIN
    );
    // Only the types asked for; without `types`, every kind of directory object.
    let groups = json!({"ids": [NORTHWIND_ADMIN_ID], "types": ["group"]});
    let (_, only_groups) = get_by_ids(&sb, &token, Some(groups)).await;
    assert_eq!(only_groups["value"], json!([]));
    let litware = preset_admin_token(
        &sb,
        "litware-recruiting.example",
        "openid Directory.Read.All",
    )
    .await;
    let (status, any) = get_by_ids(&sb, &litware, Some(json!({"ids": [LITWARE_SP_ID]}))).await;
    assert_eq!(status, StatusCode::OK, "{any}");
    assert_eq!(
        names(&any),
        [(
            "#microsoft.graph.servicePrincipal".to_owned(),
            "Acme Recruit".to_owned()
        )]
    );
}

#[tokio::test]
async fn get_by_ids_needs_directory_read_all_but_no_role_a_post_and_ids() {
    let sb = sandbox().await;
    let without = preset_admin_token(&sb, presets::WORKFLOW_DOMAIN, ADMIN_READ_SCOPES).await;
    let (status, body) = get_by_ids(&sb, &without, Some(json!({"ids": [NINA_ID]}))).await;
    assert_denied(status, &body);
    // Alex grants Directory.Read.All for everyone: Riley, who holds no role, may then read names.
    let http = client();
    let url = authorize_url(
        &sb,
        "organizations",
        "openid Directory.Read.All",
        &Pkce::new(),
        &[("prompt", "consent")],
    );
    let html = admin_page_at(&http, &sb, url).await;
    let form = find_form(&html, "consent").expect("the admin's consent page");
    let decision = [("consent_org", "on"), ("decision", "accept")];
    submit(&http, &sb, &form, &decision).await;
    let riley = recruiter_tokens(&sb, "openid Directory.Read.All").await;
    let riley = riley["access_token"].as_str().expect("at");
    let riley_id = claims(riley)["oid"].as_str().unwrap_or_default().to_owned();
    let (status, body) = get_by_ids(&sb, riley, Some(json!({"ids": [riley_id]}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["value"][0]["userPrincipalName"],
        defaults::RECRUITER_UPN
    );

    let (status, _) = graph_call(&sb, Method::GET, riley, "/directoryObjects/getByIds", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let too_many: Vec<String> = (0..1001).map(|i| format!("{i:032x}")).collect();
    let bad = [
        json!({}),
        json!({"ids": "x"}),
        json!({"ids": [1]}),
        json!({"ids": [], "types": "user"}),
        json!({ "ids": too_many }),
    ];
    for body in bad {
        let (status, answer) = get_by_ids(&sb, riley, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
}

#[tokio::test]
async fn get_by_ids_works_inside_batch_with_a_json_body() {
    let sb = sandbox().await;
    let token = preset_admin_token(
        &sb,
        presets::WORKFLOW_DOMAIN,
        &format!("{ADMIN_READ_SCOPES} Directory.Read.All"),
    )
    .await;
    let batch = json!({"requests": [
        {"id": "policy", "method": "GET", "url": "/policies/adminConsentRequestPolicy"},
        {
            "id": "names",
            "method": "POST",
            "url": "/directoryObjects/getByIds",
            "headers": {"Content-Type": "application/json"},
            "body": {"ids": [NORTHWIND_ADMIN_ID], "types": ["user", "group"]},
        },
    ]});
    let (status, body) = graph_call(&sb, Method::POST, &token, "/$batch", Some(batch)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let names = body["responses"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "names"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(names["status"], 200, "{names}");
    assert_eq!(names["body"]["value"][0]["displayName"], "IT Admin");
}
