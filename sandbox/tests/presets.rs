//! The preset tenants of the default seed: each blocked situation behaves as ref §4, §4.1 and §5
//! record (sandbox/README.md lists them).

mod util;

use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::{ConsentType, RequestStatus};
use reqwest::StatusCode;
use util::*;

const MAIL: &str = "openid offline_access Mail.Send Mail.Read";

/// Signs in as a preset user and returns the redirect's parameters.
async fn redirect_for(
    sb: &entra_sandbox::RunningSandbox,
    upn: &str,
    extra: &[(&str, &str)],
) -> std::collections::HashMap<String, String> {
    let response = sign_in_with(&client(), sb, MAIL, upn, presets::USER_PASSWORD, extra).await;
    redirect_params(&response).1
}

fn assert_redirect_error(
    params: &std::collections::HashMap<String, String>,
    error: &str,
    code: u32,
) {
    assert_eq!(params["error"], error, "{params:?}");
    assert!(
        params["error_description"].starts_with(&format!("AADSTS{code}: ")),
        "{params:?}"
    );
    assert_eq!(params["state"], "st-123");
}

#[tokio::test]
async fn ref_4_consent_off_shows_need_admin_approval_and_return_is_90094() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, MAIL, presets::CONSENT_OFF_USER).await;
    assert!(
        html.contains("<h1>Need admin approval</h1>") && html.contains("only an admin can grant")
    );
    assert!(find_form(&html, "consent").is_none());
    let form = find_form(&html, "needadmin").expect("need-admin form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "consent_required", 90094);
    // Even User.Read alone needs the admin when user consent is off (ref §4.1).
    let (_, html) = preset_page(&sb, "User.Read", presets::CONSENT_OFF_USER).await;
    assert!(html.contains("Need admin approval"));
}

#[tokio::test]
async fn ref_4_need_admin_approval_admin_signs_in_and_consents_for_the_organization() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, MAIL, presets::CONSENT_OFF_USER).await;
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
    let params = redirect_for(&sb, presets::CONSENT_OFF_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
}

/// Nina asks for approval with a justification; returns the client (signed in) afterwards.
async fn request_approval(
    sb: &entra_sandbox::RunningSandbox,
    reason: &str,
) -> (reqwest::Client, String) {
    let (http, html) = page_for(sb, MAIL, presets::WORKFLOW_USER, presets::USER_PASSWORD).await;
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
    // Back to the app: access_denied with the 90095 text (UNCONFIRMED parameters, ref §5).
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
    let params = redirect_for(&sb, presets::WORKFLOW_USER, &[]).await;
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
    let params = redirect_for(&sb, presets::WORKFLOW_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
}

#[tokio::test]
async fn ref_4_1_low_impact_policy_blocks_mail_scopes_but_allows_low_ones() {
    let sb = sandbox().await;
    let (_, html) = preset_page(&sb, MAIL, presets::LOW_IMPACT_USER).await;
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
async fn ref_4_assignment_required_unassigned_user_gets_50105() {
    let sb = sandbox().await;
    let params = redirect_for(&sb, presets::UNASSIGNED_USER, &[]).await;
    assert_redirect_error(&params, "access_denied", 50105);
}

#[tokio::test]
async fn ref_4_assignment_required_assigned_user_needs_admin_consent() {
    let sb = sandbox().await;
    let (_, html) = preset_page(&sb, "User.Read", presets::ASSIGNED_USER).await;
    assert!(html.contains("Need admin approval"), "{html}");
    // Once an admin grants for the organization, the assigned user signs in silently.
    let http = client();
    let mut url = sb
        .base_url()
        .join("litware-recruiting.example/adminconsent")
        .expect("url");
    url.query_pairs_mut()
        .append_pair("client_id", defaults::CLIENT_ID)
        .append_pair("redirect_uri", "http://localhost/");
    let html = page_after_sign_in(
        &http,
        &sb,
        url,
        presets::ASSIGNMENT_ADMIN,
        presets::ADMIN_PASSWORD,
    )
    .await;
    let form = find_form(&html, "consent").expect("admin consent page");
    submit(&http, &sb, &form, &[("decision", "accept")]).await;
    let params = redirect_for(&sb, presets::ASSIGNED_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
    let params = redirect_for(&sb, presets::UNASSIGNED_USER, &[]).await;
    assert_redirect_error(&params, "access_denied", 50105);
}

#[tokio::test]
async fn ref_5_53003_conditional_access_block_is_a_page_and_silent_access_denied() {
    let sb = sandbox().await;
    let http = client();
    let response = sign_in_with(
        &http,
        &sb,
        MAIL,
        presets::CA_BLOCKED_USER,
        presets::USER_PASSWORD,
        &[],
    )
    .await;
    assert_error_page(&page(response).await, 53003);
    let url = authorize_url(
        &sb,
        "organizations",
        MAIL,
        &Pkce::new(),
        &[("prompt", "none")],
    );
    let (_, params) = redirect_params(&get(&http, url).await);
    assert_redirect_error(&params, "access_denied", 53003);
}

#[tokio::test]
async fn ref_6_8_report_only_and_disabled_policies_do_not_block() {
    let sb = sandbox().await;
    let (_, html) = page_for(&sb, MAIL, presets::CA_ADMIN, presets::ADMIN_PASSWORD).await;
    assert!(find_form(&html, "consent").is_some(), "{html}");
}

/// The sandbox authenticator's code shown on the MFA page.
fn mfa_code(html: &str) -> String {
    let start = html.find("id=\"sandboxCode\">").expect("code on the page") + 17;
    html[start..start + 6].to_owned()
}

#[tokio::test]
async fn ref_5_mfa_policy_shows_mfa_step_and_succeeds_after_it() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let url = authorize_url(&sb, "organizations", MAIL, &pkce, &[]);
    let html = page_after_sign_in(
        &http,
        &sb,
        url,
        presets::CA_MFA_USER,
        presets::USER_PASSWORD,
    )
    .await;
    assert!(html.contains("Approve sign-in request"));
    // Silent sign-in before MFA is done: interaction_required 50076.
    let silent = authorize_url(
        &sb,
        "organizations",
        MAIL,
        &Pkce::new(),
        &[("prompt", "none")],
    );
    let (_, params) = redirect_params(&get(&http, silent.clone()).await);
    assert_redirect_error(&params, "interaction_required", 50076);
    let html = page(open_authorize(&http, &sb, MAIL, &pkce, &[]).await).await;
    let form = find_form(&html, "mfa").expect("mfa form");
    let again = page(submit(&http, &sb, &form, &[("otc", "000000x")]).await).await;
    assert!(again.contains("didn&#39;t work"));
    let form = find_form(&again, "mfa").expect("mfa form again");
    let html = page(submit(&http, &sb, &form, &[("otc", &mfa_code(&again))]).await).await;
    let form = find_form(&html, "consent").expect("consent after MFA");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "accept")]).await);
    let response = redeem(&http, &sb, &params["code"], &pkce).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    let access = claims(body["access_token"].as_str().expect("at"));
    assert_eq!(access["amr"], serde_json::json!(["pwd", "mfa"]));
    // The session passed MFA: silent sign-in works now, and so does refresh.
    assert!(redirect_params(&get(&http, silent).await)
        .1
        .contains_key("code"));
    let rt = body["refresh_token"].as_str().expect("rt");
    let response = refresh(&http, &sb, rt).await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// Gets a refresh token for the recruiter, then restarts the sandbox (same state) with a
/// Conditional Access policy the admin added meanwhile; returns the refresh answer.
async fn refresh_after_policy(control: &str) -> reqwest::Response {
    let dir = std::env::temp_dir().join(format!("entra-sandbox-ca-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let config = entra_sandbox::SandboxConfig {
        state_file: Some(dir.join("state.json")),
        ..entra_sandbox::SandboxConfig::with_default_seed()
    };
    let sb = entra_sandbox::start(config.clone()).await.expect("start");
    let body = recruiter_tokens(&sb, MAIL).await;
    let rt = body["refresh_token"].as_str().expect("rt").to_owned();
    sb.shutdown().await;
    let mut seed = config.seed.clone();
    let tenant = seed
        .tenants
        .iter_mut()
        .find(|t| t.id == defaults::TENANT_ID)
        .expect("sandbox tenant");
    tenant
        .conditional_access_policies
        .push(entra_sandbox::seed::ConditionalAccessPolicy {
            id: "new".to_owned(),
            display_name: "Added later".to_owned(),
            state: "enabled".to_owned(),
            include_users: vec!["All".to_owned()],
            exclude_users: Vec::new(),
            include_applications: vec![defaults::CLIENT_ID.to_owned()],
            grant_controls: vec![control.to_owned()],
        });
    let sb = entra_sandbox::start(entra_sandbox::SandboxConfig { seed, ..config })
        .await
        .expect("restart");
    let response = refresh(&client(), &sb, &rt).await;
    let _ = std::fs::remove_dir_all(dir);
    response
}

#[tokio::test]
async fn ref_5_53003_refresh_under_a_blocking_policy_is_invalid_grant() {
    invalid_grant(refresh_after_policy("block").await, 53003).await;
}

#[tokio::test]
async fn ref_5_50076_refresh_without_mfa_is_interaction_required_basic_action() {
    let body = token_error(
        refresh_after_policy("mfa").await,
        400,
        "interaction_required",
        50076,
    )
    .await;
    assert_eq!(body["suberror"], "basic_action");
}

#[tokio::test]
async fn ref_1_1_personal_account_at_a_work_or_school_app_is_50020() {
    let sb = sandbox().await;
    let http = client();
    let url = authorize_url(&sb, "common", MAIL, &Pkce::new(), &[]);
    let html = page_after_sign_in(
        &http,
        &sb,
        url,
        presets::PERSONAL_USER,
        presets::USER_PASSWORD,
    )
    .await;
    assert_error_page(&html, 50020);
    assert!(html.contains("live.com") && html.contains("Microsoft Services"));
    // `organizations` does not even know personal accounts.
    let (_, html) = preset_page(&sb, MAIL, presets::PERSONAL_USER).await;
    assert!(html.contains("AADSTS50034"));
}

#[tokio::test]
async fn ref_5_50020_user_of_another_tenant_at_a_tenant_endpoint() {
    let sb = sandbox().await;
    let http = client();
    let url = authorize_url(&sb, presets::WORKFLOW_DOMAIN, MAIL, &Pkce::new(), &[]);
    let html = recruiter_page_at(&http, &sb, url).await;
    assert_error_page(&html, 50020);
    assert!(html.contains("Northwind Hiring"));
}

#[tokio::test]
async fn ref_5_700016_disabled_service_principal_is_unauthorized_client() {
    let sb = sandbox().await;
    let params = redirect_for(&sb, presets::APP_DISABLED_USER, &[]).await;
    assert_redirect_error(&params, "unauthorized_client", 700016);
}

#[tokio::test]
async fn ref_4_risky_app_is_900941_with_requests_off_and_900981_with_requests_on() {
    let sb = sandbox().await;
    let (http, html) = preset_page(&sb, MAIL, presets::RISKY_USER).await;
    assert!(html.contains("This app might be risky") && html.contains("AADSTS900941"));
    let form = find_form(&html, "needadmin").expect("need-admin form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "consent_required", 900941);
    let (http, html) = preset_page(&sb, MAIL, presets::RISKY_WORKFLOW_USER).await;
    assert!(html.contains("Approval required") && html.contains("AADSTS900981"));
    let form = find_form(&html, "approval").expect("approval form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_redirect_error(&params, "access_denied", 900981);
}

#[tokio::test]
async fn peer_lessons_service_principal_appears_after_the_first_sign_in_attempt() {
    let sb = sandbox().await;
    let control = sb.control();
    assert!(control
        .service_principal(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID)
        .is_none());
    preset_page(&sb, MAIL, presets::WORKFLOW_USER).await;
    let sp = control
        .service_principal(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID)
        .expect("created on first attempt");
    assert!(sp.account_enabled && !sp.app_role_assignment_required);
}

#[tokio::test]
async fn ref_7_hybrid_and_unlicensed_users_sign_in_but_mail_is_404() {
    let sb = sandbox().await;
    for upn in [presets::ON_PREMISES_USER, presets::NO_MAILBOX_USER] {
        let body = tokens_for(&sb, upn, presets::USER_PASSWORD, "User.Read Mail.Read").await;
        let at = body["access_token"].as_str().expect("at");
        let http = client();
        let me = http
            .get(format!("{}/me", sb.graph_url()))
            .bearer_auth(at)
            .send()
            .await
            .expect("me");
        assert_eq!(me.status(), StatusCode::OK);
        let sent = http
            .get(format!("{}/me/mailFolders/sentitems", sb.graph_url()))
            .bearer_auth(at)
            .send()
            .await
            .expect("sent");
        assert_eq!(sent.status(), StatusCode::NOT_FOUND);
        let body: serde_json::Value = sent.json().await.expect("json");
        assert_eq!(body["error"]["code"], "MailboxNotEnabledForRESTAPI");
    }
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
