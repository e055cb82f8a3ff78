//! The preset tenants where something other than consent blocks the recruiter (docs/entra-reference.md §1.1, §4, §5,
//! §6.8, §7): assignment required, Conditional Access (block, MFA, at refresh), accounts of the
//! wrong kind or tenant, a disabled app, mailboxes outside Exchange Online (sandbox/README.md
//! lists the presets).

use crate::util::*;
use entra_sandbox::seed::{defaults, presets};
use reqwest::StatusCode;

#[tokio::test]
async fn ref_4_assignment_required_unassigned_user_gets_50105() {
    let sb = sandbox().await;
    let params = preset_redirect(&sb, presets::UNASSIGNED_USER, &[]).await;
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
    let params = preset_redirect(&sb, presets::ASSIGNED_USER, &[]).await;
    assert!(params.contains_key("code"), "{params:?}");
    let params = preset_redirect(&sb, presets::UNASSIGNED_USER, &[]).await;
    assert_redirect_error(&params, "access_denied", 50105);
}

#[tokio::test]
async fn ref_5_53003_conditional_access_block_is_a_page_and_silent_access_denied() {
    let sb = sandbox().await;
    let http = client();
    let response = sign_in_with(
        &http,
        &sb,
        MAIL_SCOPES,
        presets::CA_BLOCKED_USER,
        presets::USER_PASSWORD,
        &[],
    )
    .await;
    assert_error_page(&page(response).await, 53003);
    let url = authorize_url(
        &sb,
        "organizations",
        MAIL_SCOPES,
        &Pkce::new(),
        &[("prompt", "none")],
    );
    let (_, params) = redirect_params(&get(&http, url).await);
    assert_redirect_error(&params, "access_denied", 53003);
}

#[tokio::test]
async fn ref_6_8_report_only_and_disabled_policies_do_not_block() {
    let sb = sandbox().await;
    let (_, html) = page_for(&sb, MAIL_SCOPES, presets::CA_ADMIN, presets::ADMIN_PASSWORD).await;
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
    let url = authorize_url(&sb, "organizations", MAIL_SCOPES, &pkce, &[]);
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
        MAIL_SCOPES,
        &Pkce::new(),
        &[("prompt", "none")],
    );
    let (_, params) = redirect_params(&get(&http, silent.clone()).await);
    assert_redirect_error(&params, "interaction_required", 50076);
    let html = page(open_authorize(&http, &sb, MAIL_SCOPES, &pkce, &[]).await).await;
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
    let body = recruiter_tokens(&sb, MAIL_SCOPES).await;
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
    let url = authorize_url(&sb, "common", MAIL_SCOPES, &Pkce::new(), &[]);
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
    let (_, html) = preset_page(&sb, MAIL_SCOPES, presets::PERSONAL_USER).await;
    assert!(html.contains("AADSTS50034"));
}

#[tokio::test]
async fn ref_5_50020_user_of_another_tenant_at_a_tenant_endpoint() {
    let sb = sandbox().await;
    let http = client();
    let url = authorize_url(
        &sb,
        presets::WORKFLOW_DOMAIN,
        MAIL_SCOPES,
        &Pkce::new(),
        &[],
    );
    let html = recruiter_page_at(&http, &sb, url).await;
    assert_error_page(&html, 50020);
    assert!(html.contains("Northwind Hiring"));
}

#[tokio::test]
async fn ref_5_700016_disabled_service_principal_is_unauthorized_client() {
    let sb = sandbox().await;
    let params = preset_redirect(&sb, presets::APP_DISABLED_USER, &[]).await;
    assert_redirect_error(&params, "unauthorized_client", 700016);
}

#[tokio::test]
async fn peer_lessons_service_principal_appears_after_the_first_sign_in_attempt() {
    let sb = sandbox().await;
    let control = sb.control();
    assert!(control
        .service_principal(presets::WORKFLOW_DOMAIN, defaults::CLIENT_ID)
        .is_none());
    preset_page(&sb, MAIL_SCOPES, presets::WORKFLOW_USER).await;
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
