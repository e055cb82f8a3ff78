//! `prompt` and `response_mode` over real HTTP: silent sign-in, the account picker, forced
//! credentials, fragment and form_post answers (docs/entra-reference.md §1.2, §5).

use crate::util::*;
use entra_sandbox::seed::defaults;
use reqwest::StatusCode;

#[tokio::test]
async fn ref_5_50058_prompt_none_without_session_is_login_required() {
    let sb = sandbox().await;
    let response = open_authorize(
        &client(),
        &sb,
        SIGN_IN_SCOPES,
        &Pkce::new(),
        &[("prompt", "none")],
    )
    .await;
    let (_, params) = redirect_params(&response);
    assert_eq!(params["error"], "login_required");
    assert!(params["error_description"].starts_with("AADSTS50058: "));
    assert_eq!(params["state"], "st-123");
}

#[tokio::test]
async fn ref_1_2_prompt_none_with_session_needs_consent_then_succeeds() {
    let sb = sandbox().await;
    let (http, pkce, _) = recruiter_code(&sb, "Mail.Read").await;
    let response = open_authorize(&http, &sb, "Mail.Send", &pkce, &[("prompt", "none")]).await;
    let (_, params) = redirect_params(&response);
    assert_eq!(params["error"], "consent_required");
    assert!(params["error_description"].starts_with("AADSTS65001: "));
    let response = open_authorize(&http, &sb, "Mail.Read", &pkce, &[("prompt", "none")]).await;
    assert!(redirect_params(&response).1.contains_key("code"));
}

#[tokio::test]
async fn ref_1_2_select_account_shows_picker_and_login_forces_credentials() {
    let sb = sandbox().await;
    let (http, pkce, _) = recruiter_code(&sb, "Mail.Read").await;
    let html = page(
        open_authorize(
            &http,
            &sb,
            "Mail.Read",
            &pkce,
            &[("prompt", "select_account")],
        )
        .await,
    )
    .await;
    let form = find_form(&html, "picker").expect("picker");
    assert!(html.contains("Use another account"));
    let response = submit(&http, &sb, &form, &[("account", defaults::RECRUITER_UPN)]).await;
    assert!(redirect_params(&response).1.contains_key("code"));
    let html = page(submit(&http, &sb, &form, &[("account", "")]).await).await;
    assert!(
        find_form(&html, "signin").is_some(),
        "Use another account goes to sign-in"
    );
    let html =
        page(open_authorize(&http, &sb, "Mail.Read", &pkce, &[("prompt", "login")]).await).await;
    assert!(find_form(&html, "signin").is_some());
}

#[tokio::test]
async fn ref_1_2_response_modes_fragment_and_form_post() {
    let sb = sandbox().await;
    let (http, pkce, _) = recruiter_code(&sb, "Mail.Read").await;
    let response = open_authorize(
        &http,
        &sb,
        "Mail.Read",
        &pkce,
        &[("response_mode", "fragment")],
    )
    .await;
    let (url, params) = redirect_params(&response);
    assert!(url.query().is_none() && params.contains_key("code") && params["state"] == "st-123");
    let response = open_authorize(
        &http,
        &sb,
        "Mail.Read",
        &pkce,
        &[("response_mode", "form_post")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = page(response).await;
    let form = find_form(&html, "form_post").expect("form_post form");
    assert_eq!(form.action, "http://localhost:53682/");
    assert!(form.fields.iter().any(|(k, _)| k == "code"));
    assert!(form
        .fields
        .iter()
        .any(|(k, v)| k == "state" && v == "st-123"));
}
