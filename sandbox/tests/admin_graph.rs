//! The admin-side directory APIs of Microsoft Graph (ref §6, §11 item 10): shapes, filters,
//! alternate keys, writes, and 403 `Authorization_RequestDenied` without scope or role.

mod util;

use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::RunningSandbox;
use reqwest::StatusCode;
use serde_json::{json, Value};
use util::*;

const READ: &str = "openid Policy.Read.All Application.Read.All DelegatedPermissionGrant.Read.All ConsentRequest.Read.All Policy.Read.PermissionGrant";
const GRAPH_APP: &str = "00000003-0000-0000-c000-000000000000";

async fn admin_token(sb: &RunningSandbox, upn: &str, password: &str, scope: &str) -> String {
    let body = tokens_for(sb, upn, password, scope).await;
    body["access_token"]
        .as_str()
        .expect("access token")
        .to_owned()
}

/// A preset tenant's admin (password `Admin-2026!`) with `scope`.
async fn preset_admin(sb: &RunningSandbox, domain: &str, scope: &str) -> String {
    admin_token(
        sb,
        &format!("admin@{domain}"),
        presets::ADMIN_PASSWORD,
        scope,
    )
    .await
}

async fn call(
    sb: &RunningSandbox,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = client()
        .request(method, format!("{}{path}", sb.graph_url()))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("graph call");
    let status = response.status();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get_json(sb: &RunningSandbox, token: &str, path: &str) -> Value {
    let (status, body) = call(sb, reqwest::Method::GET, token, path, None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

fn assert_denied(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    assert_eq!(
        body["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
}

#[tokio::test]
async fn ref_6_1_authorization_policy_is_a_singleton_with_the_consent_setting() {
    let sb = sandbox().await;
    let token = admin_token(&sb, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD, READ).await;
    let policy = get_json(&sb, &token, "/policies/authorizationPolicy").await;
    assert_eq!(policy["id"], "authorizationPolicy");
    assert!(policy["@odata.context"]
        .as_str()
        .is_some_and(|c| c.ends_with("#policies/authorizationPolicy/$entity")));
    assert_eq!(policy["allowUserConsentForRiskyApps"], false);
    assert_eq!(
        policy["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"],
        json!(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])
    );
    let token = preset_admin(&sb, "tailspin-talent.example", READ).await;
    let policy = get_json(&sb, &token, "/policies/authorizationPolicy").await;
    assert_eq!(
        policy["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"],
        json!([])
    );
}

#[tokio::test]
async fn ref_6_2_admin_consent_request_policy_get_and_put_changes_what_users_see() {
    let sb = sandbox().await;
    let token = preset_admin(&sb, presets::WORKFLOW_DOMAIN, READ).await;
    let policy = get_json(&sb, &token, "/policies/adminConsentRequestPolicy").await;
    assert_eq!(policy["isEnabled"], true);
    assert_eq!(policy["requestDurationInDays"], 30);
    assert_eq!(
        policy["reviewers"][0]["query"],
        "/users/c0a80102-5eed-4b10-8c00-0000000000ad"
    );
    // Tailspin turns requests on: Taylor now sees "Approval required".
    let domain = "tailspin-talent.example";
    let token = preset_admin(
        &sb,
        domain,
        "Policy.ReadWrite.ConsentRequest Policy.Read.All",
    )
    .await;
    let put = json!({
        "isEnabled": true,
        "notifyReviewers": true,
        "remindersEnabled": false,
        "requestDurationInDays": 14,
        "reviewers": [{"query": "/users/c0a80101-5eed-4b10-8c00-0000000000ad", "queryType": "MicrosoftGraph"}]
    });
    let (status, _) = call(
        &sb,
        reqwest::Method::PUT,
        &token,
        "/policies/adminConsentRequestPolicy",
        Some(put),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let policy = get_json(&sb, &token, "/policies/adminConsentRequestPolicy").await;
    assert_eq!(
        (policy["isEnabled"].clone(), policy["version"].clone()),
        (json!(true), json!(1))
    );
    let (_, html) = preset_page(&sb, "Mail.Send", presets::CONSENT_OFF_USER).await;
    assert!(html.contains("Approval required"), "{html}");
    // Enabling without reviewers is refused; reading needs no write scope, writing does.
    let (status, _) = call(
        &sb,
        reqwest::Method::PUT,
        &token,
        "/policies/adminConsentRequestPolicy",
        Some(json!({"isEnabled": true, "reviewers": []})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The Northwind admin's token carries only read scopes.
    let reader = preset_admin(&sb, presets::WORKFLOW_DOMAIN, READ).await;
    let (status, body) = call(
        &sb,
        reqwest::Method::PUT,
        &reader,
        "/policies/adminConsentRequestPolicy",
        Some(json!({"isEnabled": false})),
    )
    .await;
    assert_denied(status, &body);
}

#[tokio::test]
async fn ref_6_3_service_principals_by_filter_and_alternate_key() {
    let sb = sandbox().await;
    let token = admin_token(&sb, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD, READ).await;
    let filter = format!(
        "/servicePrincipals?$filter=appId eq '{}'",
        defaults::CLIENT_ID
    );
    let list = get_json(&sb, &token, &filter).await;
    let sp = &list["value"][0];
    assert_eq!(list["value"].as_array().map(Vec::len), Some(1));
    assert_eq!(sp["id"], "a7c3e1f0-2b4d-4c6e-8f1a-3b5d7e9f1a2c");
    assert_eq!(sp["appDisplayName"], "Acme Recruit");
    assert_eq!(sp["appOwnerOrganizationId"], defaults::VENDOR_TENANT_ID);
    assert_eq!(sp["appRoleAssignmentRequired"], false);
    assert_eq!(sp["verifiedPublisher"]["verifiedPublisherId"], "5123456");
    let by_key = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{}')", defaults::CLIENT_ID),
    )
    .await;
    assert_eq!(by_key["id"], sp["id"]);
    let missing = "11111111-0000-4000-8000-000000000000";
    let empty = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals?$filter=appId eq '{missing}'"),
    )
    .await;
    assert_eq!(empty["value"], json!([]));
    let (status, body) = call(
        &sb,
        reqwest::Method::GET,
        &token,
        &format!("/servicePrincipals(appId='{missing}')"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
    let graph = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP}')"),
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
    let token = preset_admin(&sb, presets::WORKFLOW_DOMAIN, READ).await;
    // The admin's own sign-in created it; compare with a tenant nobody signed in to yet.
    let filter = format!(
        "/servicePrincipals?$filter=appId eq '{}'",
        defaults::CLIENT_ID
    );
    assert_eq!(
        get_json(&sb, &token, &filter).await["value"]
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
    let token = admin_token(&sb, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD, READ).await;
    let sp_id = "a7c3e1f0-2b4d-4c6e-8f1a-3b5d7e9f1a2c";
    let grants = get_json(
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
    let graph = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP}')"),
    )
    .await;
    assert_eq!(riley["resourceId"], graph["id"]);
    let admin_consent = get_json(
        &sb,
        &token,
        &format!("/oauth2PermissionGrants?$filter=clientId eq '{sp_id}' and consentType eq 'AllPrincipals'"),
    )
    .await;
    assert_eq!(admin_consent["value"], json!([]));
    // The app id is not the client id (ref §6.4).
    let by_app_id = get_json(
        &sb,
        &token,
        &format!(
            "/oauth2PermissionGrants?$filter=clientId eq '{}'",
            defaults::CLIENT_ID
        ),
    )
    .await;
    assert_eq!(by_app_id["value"], json!([]));
    let (status, _) = call(
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
    let token = preset_admin(
        &sb,
        domain,
        "Application.Read.All DelegatedPermissionGrant.ReadWrite.All",
    )
    .await;
    let sp = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{}')", defaults::CLIENT_ID),
    )
    .await;
    let graph = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP}')"),
    )
    .await;
    let grant = json!({
        "clientId": sp["id"],
        "consentType": "AllPrincipals",
        "resourceId": graph["id"],
        "scope": "openid profile offline_access User.Read Mail.Send Mail.Read"
    });
    let (status, body) = call(
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
    let reader = preset_admin(&sb, "fourthcoffee-careers.example", READ).await;
    let (status, body) = call(
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
    let token = preset_admin(
        &sb,
        domain,
        "Application.Read.All AppRoleAssignment.ReadWrite.All Application.ReadWrite.All",
    )
    .await;
    let key = format!("/servicePrincipals(appId='{}')", defaults::CLIENT_ID);
    let assigned = get_json(&sb, &token, &format!("{key}/appRoleAssignedTo")).await;
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
    let (status, body) = call(
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
    let (status, _) = call(
        &sb,
        reqwest::Method::PATCH,
        &token,
        &key,
        Some(json!({"appRoleAssignmentRequired": false})),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        get_json(&sb, &token, &key).await["appRoleAssignmentRequired"],
        false
    );
    let (_, html) = preset_page(&sb, "User.Read", presets::UNASSIGNED_USER).await;
    assert!(find_form(&html, "consent").is_some(), "{html}");
}

#[tokio::test]
async fn ref_6_6_app_consent_requests_and_user_consent_requests() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, "Mail.Send", presets::WORKFLOW_USER).await;
    let form = find_form(&html, "approval").expect("approval form");
    submit(
        &http,
        &sb,
        &form,
        &[("justification", "interviews"), ("decision", "request")],
    )
    .await;
    let token = preset_admin(&sb, presets::WORKFLOW_DOMAIN, READ).await;
    let base = "/identityGovernance/appConsent/appConsentRequests";
    let list = get_json(
        &sb,
        &token,
        &format!("{base}?$filter=appId eq '{}'", defaults::CLIENT_ID),
    )
    .await;
    let request = &list["value"][0];
    assert_eq!(request["appDisplayName"], "Acme Recruit");
    assert_eq!(request["consentType"], "Dynamic");
    assert!(request["pendingScopes"]
        .as_array()
        .expect("scopes")
        .contains(&json!({"displayName": "Mail.Send"})));
    let id = request["id"].as_str().expect("id");
    let users = get_json(&sb, &token, &format!("{base}/{id}/userConsentRequests")).await;
    let user = &users["value"][0];
    assert_eq!(user["status"], "InProgress");
    assert_eq!(user["reason"], "interviews");
    assert_eq!(
        user["createdBy"]["user"]["userPrincipalName"],
        presets::WORKFLOW_USER
    );
    let other = get_json(
        &sb,
        &token,
        &format!("{base}?$filter=appId eq '11111111-0000-4000-8000-000000000000'"),
    )
    .await;
    assert_eq!(other["value"], json!([]));
}

#[tokio::test]
async fn ref_6_7_permission_grant_policies_and_graph_classifications() {
    let sb = sandbox().await;
    let token = preset_admin(&sb, "fourthcoffee-careers.example", READ).await;
    let policies = get_json(&sb, &token, "/policies/permissionGrantPolicies").await;
    let low = policies["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|p| p["id"] == "microsoft-user-default-low")
        .expect("low policy")
        .clone();
    assert_eq!(low["includes"][0]["permissionClassification"], "low");
    let graph = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP}')"),
    )
    .await;
    let id = graph["id"].as_str().expect("id");
    let classes = get_json(
        &sb,
        &token,
        &format!("/servicePrincipals/{id}/delegatedPermissionClassifications"),
    )
    .await;
    let user_read = classes["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|c| c["permissionName"] == "User.Read")
        .expect("User.Read classified")
        .clone();
    assert_eq!(user_read["classification"], "low");
    assert_eq!(
        user_read["permissionId"],
        "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
    );
}

#[tokio::test]
async fn ref_6_8_conditional_access_policies_are_listed_with_their_state() {
    let sb = sandbox().await;
    let token = preset_admin(&sb, "adatum-agency.example", READ).await;
    let policies = get_json(&sb, &token, "/identity/conditionalAccess/policies").await;
    let items = policies["value"].as_array().expect("value");
    assert_eq!(items.len(), 4);
    assert_eq!(
        items[0]["grantControls"]["builtInControls"],
        json!(["block"])
    );
    assert_eq!(
        items[0]["conditions"]["applications"]["includeApplications"],
        json!([defaults::CLIENT_ID])
    );
    let enabled = get_json(
        &sb,
        &token,
        "/identity/conditionalAccess/policies?$filter=state eq 'enabled'",
    )
    .await;
    assert_eq!(enabled["value"].as_array().map(Vec::len), Some(2));
}

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
    let admin = admin_token(
        &sb,
        defaults::ADMIN_UPN,
        defaults::ADMIN_PASSWORD,
        "User.Read",
    )
    .await;
    for path in &paths {
        for token in [user, admin.as_str()] {
            let (status, body) = call(&sb, reqwest::Method::GET, token, path, None).await;
            assert_denied(status, &body);
        }
    }
    // A non-admin holding the scopes (granted tenant-wide by the admin) still lacks the role.
    let full = admin_token(&sb, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD, READ).await;
    assert_eq!(
        call(&sb, reqwest::Method::GET, &full, "/servicePrincipals", None)
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
            READ,
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
    let riley = recruiter_tokens(&sb, READ).await;
    let riley = riley["access_token"].as_str().expect("at");
    assert!(claims(riley)["scp"]
        .as_str()
        .is_some_and(|s| s.contains("Policy.Read.All")));
    for path in &paths {
        let (status, body) = call(&sb, reqwest::Method::GET, riley, path, None).await;
        assert_denied(status, &body);
    }
}

#[tokio::test]
async fn ref_6_directory_calls_work_inside_batch() {
    let sb = sandbox().await;
    let token = admin_token(&sb, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD, READ).await;
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/policies/authorizationPolicy"},
        {"id": "2", "method": "GET", "url": format!("/servicePrincipals?$filter=appId eq '{}'", defaults::CLIENT_ID)},
    ]});
    let (status, body) = call(&sb, reqwest::Method::POST, &token, "/$batch", Some(batch)).await;
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
