//! The admin-side policy APIs of Microsoft Graph (docs/entra-reference.md §6, §11 item 10): the authorization policy,
//! the admin consent request policy and its requests, permission grant policies and
//! classifications, Conditional Access policies.

use crate::util::*;
use entra_sandbox::seed::{defaults, presets};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn ref_6_1_authorization_policy_is_a_singleton_with_the_consent_setting() {
    let sb = sandbox().await;
    let token = sandbox_admin_token(&sb, ADMIN_READ_SCOPES).await;
    let policy = graph_get(&sb, &token, "/policies/authorizationPolicy").await;
    assert_eq!(policy["id"], "authorizationPolicy");
    assert!(policy["@odata.context"]
        .as_str()
        .is_some_and(|c| c.ends_with("#policies/authorizationPolicy/$entity")));
    assert_eq!(policy["allowUserConsentForRiskyApps"], false);
    assert_eq!(
        policy["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"],
        json!(["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"])
    );
    let token = preset_admin_token(&sb, "tailspin-talent.example", ADMIN_READ_SCOPES).await;
    let policy = graph_get(&sb, &token, "/policies/authorizationPolicy").await;
    assert_eq!(
        policy["defaultUserRolePermissions"]["permissionGrantPoliciesAssigned"],
        json!([])
    );
}

#[tokio::test]
async fn ref_6_2_admin_consent_request_policy_get_and_put_changes_what_users_see() {
    let sb = sandbox().await;
    let token = preset_admin_token(&sb, presets::WORKFLOW_DOMAIN, ADMIN_READ_SCOPES).await;
    let policy = graph_get(&sb, &token, "/policies/adminConsentRequestPolicy").await;
    assert_eq!(policy["isEnabled"], true);
    assert_eq!(policy["requestDurationInDays"], 30);
    assert_eq!(
        policy["reviewers"][0]["query"],
        "/users/c0a80102-5eed-4b10-8c00-0000000000ad"
    );
    // Tailspin turns requests on: Taylor now sees "Approval required".
    let domain = "tailspin-talent.example";
    let token = preset_admin_token(
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
    let (status, _) = graph_call(
        &sb,
        reqwest::Method::PUT,
        &token,
        "/policies/adminConsentRequestPolicy",
        Some(put),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let policy = graph_get(&sb, &token, "/policies/adminConsentRequestPolicy").await;
    assert_eq!(
        (policy["isEnabled"].clone(), policy["version"].clone()),
        (json!(true), json!(1))
    );
    let (_, html) = preset_page(&sb, "Mail.Send", presets::CONSENT_OFF_USER).await;
    assert!(html.contains("Approval required"), "{html}");
    // Enabling without reviewers is refused; reading needs no write scope, writing does.
    let (status, _) = graph_call(
        &sb,
        reqwest::Method::PUT,
        &token,
        "/policies/adminConsentRequestPolicy",
        Some(json!({"isEnabled": true, "reviewers": []})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The Northwind admin's token carries only read scopes.
    let reader = preset_admin_token(&sb, presets::WORKFLOW_DOMAIN, ADMIN_READ_SCOPES).await;
    let (status, body) = graph_call(
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
    let token = preset_admin_token(&sb, presets::WORKFLOW_DOMAIN, ADMIN_READ_SCOPES).await;
    let base = "/identityGovernance/appConsent/appConsentRequests";
    let list = graph_get(
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
    let users = graph_get(&sb, &token, &format!("{base}/{id}/userConsentRequests")).await;
    let user = &users["value"][0];
    assert_eq!(user["status"], "InProgress");
    assert_eq!(user["reason"], "interviews");
    assert_eq!(
        user["createdBy"]["user"]["userPrincipalName"],
        presets::WORKFLOW_USER
    );
    let other = graph_get(
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
    let token = preset_admin_token(&sb, "fourthcoffee-careers.example", ADMIN_READ_SCOPES).await;
    let policies = graph_get(&sb, &token, "/policies/permissionGrantPolicies").await;
    let low = policies["value"]
        .as_array()
        .expect("value")
        .iter()
        .find(|p| p["id"] == "microsoft-user-default-low")
        .expect("low policy")
        .clone();
    assert_eq!(low["includes"][0]["permissionClassification"], "low");
    let graph = graph_get(
        &sb,
        &token,
        &format!("/servicePrincipals(appId='{GRAPH_APP_ID}')"),
    )
    .await;
    let id = graph["id"].as_str().expect("id");
    let classes = graph_get(
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
    let token = preset_admin_token(&sb, "adatum-agency.example", ADMIN_READ_SCOPES).await;
    let policies = graph_get(&sb, &token, "/identity/conditionalAccess/policies").await;
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
    let enabled = graph_get(
        &sb,
        &token,
        "/identity/conditionalAccess/policies?$filter=state eq 'enabled'",
    )
    .await;
    assert_eq!(enabled["value"].as_array().map(Vec::len), Some(2));
}
