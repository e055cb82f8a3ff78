//! The admin-side app APIs of Microsoft Graph (docs/entra-reference.md §6, §11 item 10): service principals by filter
//! and alternate key, tenant-wide permission grants, app role assignments.

use crate::util::*;
use entra_sandbox::seed::{defaults, presets};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn ref_6_3_service_principals_by_filter_and_alternate_key() {
    let sb = sandbox().await;
    let token = sandbox_admin_token(&sb, ADMIN_READ_SCOPES).await;
    let filter = format!(
        "/servicePrincipals?$filter=appId eq '{}'",
        defaults::CLIENT_ID
    );
    let list = graph_get(&sb, &token, &filter).await;
    let sp = &list["value"][0];
    assert_eq!(list["value"].as_array().map(Vec::len), Some(1));
    assert_eq!(sp["id"], "a7c3e1f0-2b4d-4c6e-8f1a-3b5d7e9f1a2c");
    assert_eq!(sp["appDisplayName"], "Acme Recruit");
    assert_eq!(sp["appOwnerOrganizationId"], defaults::VENDOR_TENANT_ID);
    assert_eq!(sp["appRoleAssignmentRequired"], false);
    assert_eq!(sp["verifiedPublisher"]["verifiedPublisherId"], "5123456");
    let by_key = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{}')", defaults::CLIENT_ID),
    )
    .await;
    assert_eq!(by_key["id"], sp["id"]);
    let missing = "11111111-0000-4000-8000-000000000000";
    let empty = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals?$filter=appId eq '{missing}'"),
    )
    .await;
    assert_eq!(empty["value"], json!([]));
    let (status, body) = graph_call(
        &sb,
        reqwest::Method::GET,
        &token,
        &format!("/servicePrincipals(appId='{missing}')"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
    let graph = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP_ID}')"),
    )
    .await;
    assert_eq!(graph["displayName"], "Microsoft Graph");
    let scopes = graph["oauth2PermissionScopes"].as_array().expect("scopes");
    let kind = |name: &str| {
        scopes
            .iter()
            .find(|s| s["value"] == name)
            .map(|s| s["type"].clone())
    };
    assert_eq!(kind("Mail.Send"), Some(json!("User")));
    assert_eq!(kind("Policy.Read.All"), Some(json!("Admin")));
}

#[tokio::test]
async fn peer_lessons_multi_tenant_app_is_absent_until_the_first_sign_in_attempt() {
    let sb = sandbox().await;
    let token = preset_admin_token(&sb, presets::WORKFLOW_DOMAIN, ADMIN_READ_SCOPES).await;
    // The admin's own sign-in created it; compare with a tenant nobody signed in to yet.
    let filter = format!(
        "/servicePrincipals?$filter=appId eq '{}'",
        defaults::CLIENT_ID
    );
    assert_eq!(
        graph_get(&sb, &token, &filter).await["value"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert!(sb
        .control()
        .service_principal("fourthcoffee-careers.example", defaults::CLIENT_ID)
        .is_none());
}

#[tokio::test]
async fn ref_6_4_oauth2_permission_grants_filter_on_the_client_service_principal_id() {
    let sb = sandbox().await;
    recruiter_tokens(&sb, "Mail.Send").await;
    let token = sandbox_admin_token(&sb, ADMIN_READ_SCOPES).await;
    let sp_id = "a7c3e1f0-2b4d-4c6e-8f1a-3b5d7e9f1a2c";
    let grants = graph_get(
        &sb,
        &token,
        &format!("/oauth2PermissionGrants?$filter=clientId eq '{sp_id}'"),
    )
    .await;
    let items = grants["value"].as_array().expect("value");
    // The recruiter's grant and the admin's own (both Principal).
    assert_eq!(items.len(), 2, "{grants}");
    let riley = items
        .iter()
        .find(|g| g["principalId"] == "5d2a8c4e-1f3b-4a6d-9e8c-7b1f2a3d4c5e")
        .expect("recruiter's grant");
    assert_eq!(riley["consentType"], "Principal");
    assert!(riley["scope"]
        .as_str()
        .is_some_and(|s| s.split(' ').any(|x| x == "Mail.Send")));
    let graph = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP_ID}')"),
    )
    .await;
    assert_eq!(riley["resourceId"], graph["id"]);
    let admin_consent = graph_get(
        &sb,
        &token,
        &format!("/oauth2PermissionGrants?$filter=clientId eq '{sp_id}' and consentType eq 'AllPrincipals'"),
    )
    .await;
    assert_eq!(admin_consent["value"], json!([]));
    // The app id is not the client id (docs/entra-reference.md §6.4).
    let by_app_id = graph_get(
        &sb,
        &token,
        &format!(
            "/oauth2PermissionGrants?$filter=clientId eq '{}'",
            defaults::CLIENT_ID
        ),
    )
    .await;
    assert_eq!(by_app_id["value"], json!([]));
    let (status, _) = graph_call(
        &sb,
        reqwest::Method::GET,
        &token,
        "/oauth2PermissionGrants?$filter=scope ne 'x'",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn ref_6_4_post_all_principals_grant_lets_blocked_users_connect() {
    let sb = sandbox().await;
    let domain = "tailspin-talent.example";
    let token = preset_admin_token(
        &sb,
        domain,
        "Application.Read.All DelegatedPermissionGrant.ReadWrite.All",
    )
    .await;
    let sp = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{}')", defaults::CLIENT_ID),
    )
    .await;
    let graph = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP_ID}')"),
    )
    .await;
    let grant = json!({
        "clientId": sp["id"],
        "consentType": "AllPrincipals",
        "resourceId": graph["id"],
        "scope": "openid profile offline_access User.Read Mail.Send Mail.Read"
    });
    let (status, body) = graph_call(
        &sb,
        reqwest::Method::POST,
        &token,
        "/oauth2PermissionGrants",
        Some(grant),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["consentType"], "AllPrincipals");
    let response = sign_in_with(
        &client(),
        &sb,
        "openid offline_access Mail.Send Mail.Read",
        presets::CONSENT_OFF_USER,
        presets::USER_PASSWORD,
        &[],
    )
    .await;
    assert!(redirect_params(&response).1.contains_key("code"));
    // Without the write scope: denied.
    let reader = preset_admin_token(&sb, "fourthcoffee-careers.example", ADMIN_READ_SCOPES).await;
    let (status, body) = graph_call(
        &sb,
        reqwest::Method::POST,
        &reader,
        "/oauth2PermissionGrants",
        Some(json!({})),
    )
    .await;
    assert_denied(status, &body);
}

#[tokio::test]
async fn ref_6_5_app_role_assigned_to_lists_and_assigns_users() {
    let sb = sandbox().await;
    let domain = "litware-recruiting.example";
    let token = preset_admin_token(
        &sb,
        domain,
        "Application.Read.All AppRoleAssignment.ReadWrite.All Application.ReadWrite.All",
    )
    .await;
    let key = format!("/servicePrincipals(appId='{}')", defaults::CLIENT_ID);
    let assigned = graph_get(&sb, &token, &format!("{key}/appRoleAssignedTo")).await;
    let items = assigned["value"].as_array().expect("value");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["principalDisplayName"], "Ada Assigned");
    assert_eq!(items[1]["principalDisplayName"], "IT Admin");
    assert_eq!(
        items[0]["appRoleId"],
        "00000000-0000-0000-0000-000000000000"
    );
    let sp_id = items[0]["resourceId"]
        .as_str()
        .expect("resource")
        .to_owned();
    let ulla = "c0a80104-5eed-4b10-8c00-0000000000a1";
    let (status, body) = graph_call(
        &sb,
        reqwest::Method::POST,
        &token,
        &format!("/servicePrincipals/{sp_id}/appRoleAssignedTo"),
        Some(json!({"principalId": ulla, "resourceId": sp_id, "appRoleId": "00000000-0000-0000-0000-000000000000"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // Ulla is assigned now: no more 50105, but still admin consent (assignment required).
    let (_, html) = preset_page(&sb, "User.Read", presets::UNASSIGNED_USER).await;
    assert!(html.contains("Need admin approval"), "{html}");
    // Turning assignment off: Ulla may consent herself (Litware allows user consent).
    let (status, _) = graph_call(
        &sb,
        reqwest::Method::PATCH,
        &token,
        &key,
        Some(json!({"appRoleAssignmentRequired": false})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        graph_get(&sb, &token, &key).await["appRoleAssignmentRequired"],
        false
    );
    let (_, html) = preset_page(&sb, "User.Read", presets::UNASSIGNED_USER).await;
    assert!(find_form(&html, "consent").is_some(), "{html}");
}
