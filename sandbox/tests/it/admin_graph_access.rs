//! Who may call the admin-side directory APIs of Microsoft Graph (docs/entra-reference.md §6): 403
//! `Authorization_RequestDenied` without scope or role, and the calls inside `$batch`.

use crate::util::*;
use entra_sandbox::seed::defaults;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn ref_6_403_without_scope_or_admin_role_is_authorization_request_denied() {
    let sb = sandbox().await;
    let paths = [
        "/policies/authorizationPolicy".to_owned(),
        "/policies/adminConsentRequestPolicy".to_owned(),
        "/servicePrincipals".to_owned(),
        format!(
            "/servicePrincipals(appId='{}')/appRoleAssignedTo",
            defaults::CLIENT_ID
        ),
        "/oauth2PermissionGrants".to_owned(),
        "/identityGovernance/appConsent/appConsentRequests".to_owned(),
        "/policies/permissionGrantPolicies".to_owned(),
        "/identity/conditionalAccess/policies".to_owned(),
    ];
    // An ordinary user's token has no admin scope (and the user could not consent to one).
    let user = recruiter_tokens(&sb, "User.Read").await;
    let user = user["access_token"].as_str().expect("at");
    // An admin token with only User.Read lacks the scopes.
    let admin = sandbox_admin_token(&sb, "User.Read").await;
    for path in &paths {
        for token in [user, admin.as_str()] {
            let (status, body) = graph_call(&sb, reqwest::Method::GET, token, path, None).await;
            assert_denied(status, &body);
        }
    }
    // A non-admin holding the scopes (granted tenant-wide by the admin) still lacks the role.
    let full = sandbox_admin_token(&sb, ADMIN_READ_SCOPES).await;
    assert_eq!(
        graph_call(&sb, reqwest::Method::GET, &full, "/servicePrincipals", None)
            .await
            .0,
        StatusCode::OK
    );
    let http = client();
    let html = admin_page_at(
        &http,
        &sb,
        authorize_url(
            &sb,
            "organizations",
            ADMIN_READ_SCOPES,
            &Pkce::new(),
            &[("prompt", "consent")],
        ),
    )
    .await;
    let form = find_form(&html, "consent").expect("admin gets the consent page for admin scopes");
    submit(
        &http,
        &sb,
        &form,
        &[("consent_org", "on"), ("decision", "accept")],
    )
    .await;
    let riley = recruiter_tokens(&sb, ADMIN_READ_SCOPES).await;
    let riley = riley["access_token"].as_str().expect("at");
    assert!(claims(riley)["scp"]
        .as_str()
        .is_some_and(|s| s.contains("Policy.Read.All")));
    for path in &paths {
        let (status, body) = graph_call(&sb, reqwest::Method::GET, riley, path, None).await;
        assert_denied(status, &body);
    }
}

#[tokio::test]
async fn ref_6_directory_calls_work_inside_batch() {
    let sb = sandbox().await;
    let token = sandbox_admin_token(&sb, ADMIN_READ_SCOPES).await;
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/policies/authorizationPolicy"},
        {"id": "2", "method": "GET", "url": format!("/servicePrincipals?$filter=appId eq '{}'", defaults::CLIENT_ID)},
    ]});
    let (status, body) =
        graph_call(&sb, reqwest::Method::POST, &token, "/$batch", Some(batch)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let responses = body["responses"].as_array().expect("responses");
    let by_id = |id: &str| {
        responses
            .iter()
            .find(|r| r["id"] == id)
            .expect("item")
            .clone()
    };
    assert_eq!(by_id("1")["body"]["id"], "authorizationPolicy");
    assert_eq!(by_id("2")["body"]["value"][0]["appId"], defaults::CLIENT_ID);
}
