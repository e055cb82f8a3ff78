//! The preset tenants where consent blocks the recruiter (docs/entra-reference.md §3.1, §4, §4.1, §6.6): user consent
//! off, the approval workflow and its requests, the low-impact policy, risky apps
//! (sandbox/README.md lists the presets).

use crate::util::*;
use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::{ConsentType, RequestStatus};

#[tokio::test]
async fn ref_4_consent_off_shows_need_admin_approval_and_return_is_90094() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, MAIL_SCOPES, presets::CONSENT_OFF_USER).await;
    assert!(
        html.contains("<h1>Need admin approval</h1>") && html.contains("only an admin can grant")
    );
    assert!(find_form(&html, "consent").is_none());
    let form = find_form(&html, "needadmin").expect("need-admin form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "consent_required", 90094);
    // Even User.Read alone needs the admin when user consent is off (docs/entra-reference.md §4.1).
    let (_, html) = preset_page(&sb, "User.Read", presets::CONSENT_OFF_USER).await;
    assert!(html.contains("Need admin approval"));
}

#[tokio::test]
async fn ref_4_need_admin_approval_admin_signs_in_and_consents_for_the_organization() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, MAIL_SCOPES, presets::CONSENT_OFF_USER).await;
    let form = find_form(&html, "needadmin").expect("need-admin form");
    let html = page(submit(&http, &sb, &form, &[("decision", "signin_admin")]).await).await;
    let html = next_page(
        &http,
        &sb,
        &html,
        presets::CONSENT_OFF_ADMIN,
        presets::ADMIN_PASSWORD,
    )
    .await;
    assert!(html.contains("id=\"consent-org\""), "{html}");
    let response = accept_for_organization(&http, &sb, &html).await;
    assert!(redirect_params(&response).1.contains_key("code"));
    let grants = sb.control().grants("tailspin-talent.example");
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].consent_type, ConsentType::AllPrincipals);
    // The blocked user now connects without being asked.
    let params = preset_redirect(&sb, presets::CONSENT_OFF_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
}

/// Nina asks for approval with a justification; returns the client (signed in) afterwards.
async fn request_approval(
    sb: &entra_sandbox::RunningSandbox,
    reason: &str,
) -> (reqwest::Client, String) {
    let (http, html) = page_for(
        sb,
        MAIL_SCOPES,
        presets::WORKFLOW_USER,
        presets::USER_PASSWORD,
    )
    .await;
    assert!(html.contains("<h1>Approval required</h1>"), "{html}");
    assert!(html.contains("This app requires your admin's approval to:"));
    assert!(html.contains("Send mail as you") && html.contains("name=\"justification\""));
    assert!(html.contains("id=\"idBtn_RequestApproval\""));
    let form = find_form(&html, "approval").expect("approval form");
    let html = page(
        submit(
            &http,
            sb,
            &form,
            &[("justification", reason), ("decision", "request")],
        )
        .await,
    )
    .await;
    (http, html)
}

#[tokio::test]
async fn ref_4_workflow_on_shows_approval_required_and_stores_request() {
    let sb = sandbox().await;
    assert!(sb
        .control()
        .consent_requests(presets::WORKFLOW_DOMAIN)
        .is_empty());
    let (http, html) = request_approval(&sb, "I send candidates interview invitations").await;
    assert!(html.contains("Request sent") && html.contains("Your admin will review it"));
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.app_id, defaults::CLIENT_ID);
    assert!(
        request.pending_scopes.contains("Mail.Send")
            && request.pending_scopes.contains("User.Read")
    );
    assert_eq!(request.user_requests.len(), 1);
    let user = &request.user_requests[0];
    assert_eq!(user.reason, "I send candidates interview invitations");
    assert_eq!((user.expires - user.created).num_days(), 30);
    assert!(user.completed.is_none());
    assert!(sb.control().grants(presets::WORKFLOW_DOMAIN).is_empty());
    // Back to the app: access_denied with the 90095 text (UNCONFIRMED parameters, docs/entra-reference.md §5).
    let form = find_form(&html, "requestsent").expect("request-sent form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "access_denied", 90095);
}

#[tokio::test]
async fn ref_4_second_request_by_the_same_user_does_not_duplicate() {
    let sb = sandbox().await;
    request_approval(&sb, "first").await;
    request_approval(&sb, "second").await;
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].user_requests.len(), 1);
    assert_eq!(requests[0].user_requests[0].reason, "first");
}

#[tokio::test]
async fn ref_4_approved_request_lets_the_user_connect_without_being_asked() {
    let sb = sandbox().await;
    request_approval(&sb, "please").await;
    assert!(sb
        .control()
        .approve_consent_request(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID));
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    let now = chrono::Utc::now();
    assert_eq!(
        requests[0].user_requests[0].status(now),
        RequestStatus::Completed
    );
    assert!(requests[0].pending_scopes.is_empty());
    let grants = sb.control().grants(presets::WORKFLOW_DOMAIN);
    assert_eq!(grants[0].consent_type, ConsentType::AllPrincipals);
    let params = preset_redirect(&sb, presets::WORKFLOW_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
    assert!(!sb
        .control()
        .approve_consent_request(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID));
}

#[tokio::test]
async fn ref_3_1_admin_consent_endpoint_completes_pending_requests() {
    let sb = sandbox().await;
    request_approval(&sb, "please").await;
    let http = client();
    let mut url = sb
        .base_url()
        .join(&format!("{}/v2.0/adminconsent", presets::WORKFLOW_DOMAIN))
        .expect("url");
    url.query_pairs_mut()
        .append_pair("client_id", defaults::CLIENT_ID)
        .append_pair("redirect_uri", "http://localhost/")
        .append_pair("scope", "https://graph.microsoft.com/.default");
    let html = page_after_sign_in(
        &http,
        &sb,
        url,
        presets::WORKFLOW_ADMIN,
        presets::ADMIN_PASSWORD,
    )
    .await;
    let params = consent_redirect(&http, &sb, &html, "accept").await;
    assert_eq!(params["admin_consent"], "True");
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    assert!(requests[0].user_requests[0].completed.is_some());
    let params = preset_redirect(&sb, presets::WORKFLOW_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
}

#[tokio::test]
async fn state_file_keeps_consent_requests_and_service_principals() {
    let dir = std::env::temp_dir().join(format!("entra-sandbox-req-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = entra_sandbox::SandboxConfig {
        state_file: Some(dir.join("state.json")),
        ..entra_sandbox::SandboxConfig::with_default_seed()
    };
    let sb = entra_sandbox::start(config.clone()).await.expect("start");
    request_approval(&sb, "keep me").await;
    let sp = sb
        .control()
        .service_principal(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID);
    sb.shutdown().await;
    let sb = entra_sandbox::start(config).await.expect("restart");
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    assert_eq!(requests[0].user_requests[0].reason, "keep me");
    assert_eq!(
        sb.control()
            .service_principal(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID),
        sp
    );
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn ref_6_6_requests_expire_after_request_duration_and_may_be_made_again() {
    let sb = sandbox().await;
    request_approval(&sb, "first").await;
    sb.control()
        .advance_clock(std::time::Duration::from_secs(31 * 24 * 3600));
    request_approval(&sb, "again").await;
    let requests = sb.control().consent_requests(presets::WORKFLOW_DOMAIN);
    let users = &requests[0].user_requests;
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].status(users[1].created), RequestStatus::Expired);
    assert_eq!(users[1].status(users[1].created), RequestStatus::InProgress);
    assert!(!sb
        .control()
        .approve_consent_request(presets::WORKFLOW_DOMAIN, "unknown-app"));
}

#[tokio::test]
async fn ref_4_1_low_impact_policy_blocks_mail_scopes_but_allows_low_ones() {
    let sb = sandbox().await;
    let (_, html) = preset_page(&sb, MAIL_SCOPES, presets::LOW_IMPACT_USER).await;
    assert!(
        html.contains("Need admin approval"),
        "Mail.Send is not classified low: {html}"
    );
    let (http, html) = preset_page(
        &sb,
        "openid profile email offline_access User.Read",
        presets::LOW_IMPACT_USER,
    )
    .await;
    let form = find_form(&html, "consent").expect("low-impact scopes get the consent page");
    let response = submit(&http, &sb, &form, &[("decision", "accept")]).await;
    assert!(redirect_params(&response).1.contains_key("code"));
}

#[tokio::test]
async fn ref_4_1_low_impact_policy_blocks_apps_of_unverified_publishers() {
    let sb = sandbox().await;
    let http = client();
    let url = code_request_url(
        &sb,
        "organizations",
        presets::UNVERIFIED_CLIENT_ID,
        Some("http://localhost:53682/"),
        "openid profile offline_access User.Read",
        &[("state", "st-123")],
    );
    let html = page_after_sign_in(
        &http,
        &sb,
        url,
        presets::LOW_IMPACT_USER,
        presets::USER_PASSWORD,
    )
    .await;
    assert!(html.contains("Need admin approval"), "{html}");
}

#[tokio::test]
async fn ref_4_risky_app_is_900941_with_requests_off_and_900981_with_requests_on() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, MAIL_SCOPES, presets::RISKY_USER).await;
    assert!(html.contains("This app might be risky") && html.contains("AADSTS900941"));
    let form = find_form(&html, "needadmin").expect("need-admin form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "consent_required", 900941);
    let (http, html) = preset_page(&sb, MAIL_SCOPES, presets::RISKY_WORKFLOW_USER).await;
    assert!(html.contains("Approval required") && html.contains("AADSTS900981"));
    let form = find_form(&html, "approval").expect("approval form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "access_denied", 900981);
}
