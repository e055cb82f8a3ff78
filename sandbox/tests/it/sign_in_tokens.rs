//! The sign-in path over real HTTP, from the code to the tokens: the full auth code + PKCE round
//! trip, consent remembered or asked again, refresh, single-use and expiring codes, PKCE, and the
//! token endpoint's errors (docs/entra-reference.md §1, §1.5, §1.6, §1.8, §5, §10).

use std::time::Duration;

use crate::util::*;
use entra_sandbox::seed::defaults;
use entra_sandbox::ConsentType;
use reqwest::StatusCode;

#[tokio::test]
async fn ref_1_full_auth_code_pkce_round_trip() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let url = authorize_url(
        &sb,
        "organizations",
        SIGN_IN_SCOPES,
        &pkce,
        &[
            ("nonce", "n-42"),
            ("domain_hint", "contoso-recruiting.example"),
        ],
    );
    let html = page(http.get(url).send().await.expect("authorize")).await;
    let form = find_form(&html, "signin").expect("sign-in form");
    assert!(html.contains("id=\"idSIButton9\""));
    let response = submit(
        &http,
        &sb,
        &form,
        &[
            ("login", defaults::RECRUITER_UPN),
            ("passwd", defaults::RECRUITER_PASSWORD),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = page(response).await;
    assert!(html.contains("Permissions requested"));
    // docs/entra-reference.md §10: display names, and the auto-included User.Read line.
    for title in [
        "Send mail as you",
        "Read your mail",
        "Maintain access to data you have given it access to",
        "Sign you in and read your profile",
    ] {
        assert!(html.contains(title), "consent page lacks {title}");
    }
    assert!(
        !html.contains("consent-org"),
        "only Global Administrators see the org checkbox"
    );
    let response = submit_consent(&http, &sb, &html, &[("decision", "accept")]).await;
    let (location, params) = redirect_params(&response);
    assert_eq!(
        location.as_str().split('?').next(),
        Some("http://localhost:53682/")
    );
    assert_eq!(params["state"], "st-123");
    let response = redeem(&http, &sb, &params["code"], &pkce).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    let expires = body["expires_in"].as_i64().expect("expires_in");
    assert!(
        (3600..=5400).contains(&expires),
        "docs/entra-reference.md §1.6 random 60-90 min: {expires}"
    );
    assert!(body["ext_expires_in"].is_i64());
    assert!(body["refresh_token"].is_string());
    let scope = body["scope"].as_str().expect("scope");
    for s in [
        "https://graph.microsoft.com/Mail.Send",
        "https://graph.microsoft.com/Mail.Read",
        "https://graph.microsoft.com/User.Read",
        "openid",
        "profile",
        "offline_access",
    ] {
        assert!(scope.split(' ').any(|x| x == s), "scope {scope} lacks {s}");
    }
    let access = claims(body["access_token"].as_str().expect("at"));
    assert_eq!(access["aud"], "https://graph.microsoft.com");
    assert_eq!(access["tid"], defaults::TENANT_ID);
    assert_eq!(access["appid"], defaults::CLIENT_ID);
    assert_eq!(access["upn"], defaults::RECRUITER_UPN);
    let scp: Vec<&str> = access["scp"].as_str().expect("scp").split(' ').collect();
    assert!(scp.contains(&"Mail.Send") && scp.contains(&"User.Read") && !scp.contains(&"openid"));
    let id = claims(body["id_token"].as_str().expect("id token"));
    assert_eq!(id["aud"], defaults::CLIENT_ID);
    assert_eq!(
        id["iss"],
        format!("{}{}/v2.0", sb.base_url(), defaults::TENANT_ID)
    );
    assert_eq!(id["nonce"], "n-42");
    assert_eq!(id["ver"], "2.0");
    assert_eq!(id["preferred_username"], defaults::RECRUITER_UPN);
    let grants = sb.control().grants(defaults::TENANT_ID);
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].consent_type, ConsentType::Principal);
    sb.shutdown().await;
}

#[tokio::test]
async fn ref_1_6_no_refresh_token_without_offline_access_and_no_id_token_without_openid() {
    let sb = sandbox().await;
    let body = recruiter_tokens(&sb, "Mail.Read").await;
    assert!(body.get("refresh_token").is_none() && body.get("id_token").is_none());
    assert!(body["access_token"].is_string());
}

#[tokio::test]
async fn ref_10_second_sign_in_skips_consent() {
    let sb = sandbox().await;
    recruiter_tokens(&sb, SIGN_IN_SCOPES).await;
    let http = client();
    let pkce = Pkce::new();
    let html = page(open_authorize(&http, &sb, SIGN_IN_SCOPES, &pkce, &[]).await).await;
    let response = sign_in(
        &http,
        &sb,
        &html,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
    )
    .await;
    let (_, params) = redirect_params(&response);
    assert!(params.contains_key("code"));
    // Same session again: no page at all.
    let response = open_authorize(&http, &sb, SIGN_IN_SCOPES, &pkce, &[]).await;
    assert!(redirect_params(&response).1.contains_key("code"));
    // prompt=consent shows the page even though consent exists (docs/entra-reference.md §1.2).
    let response =
        open_authorize(&http, &sb, SIGN_IN_SCOPES, &pkce, &[("prompt", "consent")]).await;
    assert!(find_form(&page(response).await, "consent").is_some());
}

#[tokio::test]
async fn ref_10_new_scope_asks_consent_again() {
    let sb = sandbox().await;
    recruiter_tokens(&sb, SIGN_IN_SCOPES).await;
    let (_, html) = recruiter_page(&sb, "Calendars.Read").await;
    assert!(html.contains("Read your calendars"));
}

#[tokio::test]
async fn ref_1_4_cancel_on_consent_is_access_denied_with_subcode_cancel() {
    let sb = sandbox().await;
    let (http, html) = recruiter_page(&sb, SIGN_IN_SCOPES).await;
    let params = consent_redirect(&http, &sb, &html, "cancel").await;
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["error_subcode"], "cancel");
    assert!(params["error_description"].starts_with("AADSTS65004: "));
    assert_eq!(params["state"], "st-123");
    assert!(sb.control().grants(defaults::TENANT_ID).is_empty());
}

#[tokio::test]
async fn ref_1_8_refresh_rotates_and_old_token_stays_valid() {
    let sb = sandbox().await;
    let http = client();
    let first = recruiter_tokens(&sb, SIGN_IN_SCOPES).await;
    let rt1 = first["refresh_token"].as_str().expect("rt").to_owned();
    let refresh = |rt: String| {
        let http = http.clone();
        let sb = &sb;
        async move {
            token_grant(
                &http,
                sb,
                defaults::CLIENT_ID,
                "refresh_token",
                &[("refresh_token", &rt)],
            )
            .await
        }
    };
    let second: serde_json::Value = refresh(rt1.clone()).await.json().await.expect("json");
    let rt2 = second["refresh_token"].as_str().expect("new rt").to_owned();
    assert_ne!(rt1, rt2, "a new refresh token every time");
    assert!(second["id_token"].is_string());
    assert_eq!(second["scope"], first["scope"]);
    let again = refresh(rt1.clone()).await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "the old refresh token is not revoked by use"
    );
    // Asking for a scope never consented needs consent (docs/entra-reference.md §1.8, AADSTS65001).
    let more = token_grant(
        &http,
        &sb,
        defaults::CLIENT_ID,
        "refresh_token",
        &[("refresh_token", &rt2), ("scope", "Calendars.ReadWrite")],
    )
    .await;
    invalid_grant(more, 65001).await;
    assert!(sb.control().revoke_refresh_tokens(defaults::RECRUITER_UPN));
    invalid_grant(refresh(rt2).await, 50173).await;
    invalid_grant(refresh("not-a-token".to_owned()).await, 9002313).await;
}

#[tokio::test]
async fn ref_5_54005_codes_are_single_use() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SIGN_IN_SCOPES).await;
    assert_eq!(
        redeem(&http, &sb, &code, &pkce).await.status(),
        StatusCode::OK
    );
    invalid_grant(redeem(&http, &sb, &code, &pkce).await, 54005).await;
}

#[tokio::test]
async fn ref_1_3_codes_expire_after_about_ten_minutes() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SIGN_IN_SCOPES).await;
    sb.control().advance_clock(Duration::from_secs(11 * 60));
    invalid_grant(redeem(&http, &sb, &code, &pkce).await, 70008).await;
}

#[tokio::test]
async fn ref_5_501481_pkce_verifier_mismatch() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SIGN_IN_SCOPES).await;
    invalid_grant(redeem(&http, &sb, &code, &Pkce::new()).await, 501481).await;
    // A failed verifier does not burn the code.
    assert_eq!(
        redeem(&http, &sb, &code, &pkce).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn ref_1_2_missing_challenge_method_means_plain() {
    let sb = sandbox().await;
    let http = client();
    let verifier = "plain-verifier-plain-verifier-plain-verifier-0123";
    let url = code_request_url(
        &sb,
        "common",
        defaults::CLIENT_ID,
        Some("http://localhost:53682/"),
        "Mail.Read",
        &[("code_challenge", verifier)],
    );
    let code = code_for(
        &http,
        &sb,
        url,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
    )
    .await;
    let pkce = Pkce {
        verifier: verifier.to_owned(),
        challenge: String::new(),
    };
    assert_eq!(
        redeem(&http, &sb, &code, &pkce).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn ref_1_5_redirect_uri_must_match_the_authorize_one() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SIGN_IN_SCOPES).await;
    let response = token_grant(
        &http,
        &sb,
        defaults::CLIENT_ID,
        "authorization_code",
        &[
            ("code", &code),
            ("redirect_uri", "http://localhost:9999/"),
            ("code_verifier", &pkce.verifier),
        ],
    )
    .await;
    invalid_grant(response, 50011).await;
}

#[tokio::test]
async fn ref_1_5_700025_public_client_must_not_send_a_secret() {
    let sb = sandbox().await;
    let response = token_grant(
        &client(),
        &sb,
        defaults::CLIENT_ID,
        "authorization_code",
        &[
            ("code", "x"),
            ("redirect_uri", "http://localhost/"),
            ("client_secret", "s3cret"),
        ],
    )
    .await;
    token_error(response, 401, "invalid_client", 700025).await;
}

#[tokio::test]
async fn ref_5_900144_missing_token_parameters() {
    let sb = sandbox().await;
    let http = client();
    token_error(
        token(&http, &sb, &[("grant_type", "authorization_code")]).await,
        400,
        "invalid_request",
        900144,
    )
    .await;
    let body = token_error(
        token_grant(&http, &sb, defaults::CLIENT_ID, "authorization_code", &[]).await,
        400,
        "invalid_request",
        900144,
    )
    .await;
    assert!(body["error_description"]
        .as_str()
        .unwrap_or("")
        .contains("'code'"));
    token_error(
        token_grant(&http, &sb, defaults::CLIENT_ID, "password", &[]).await,
        400,
        "unsupported_grant_type",
        70003,
    )
    .await;
    token_error(
        token_grant(
            &http,
            &sb,
            "00000000-0000-0000-0000-000000000001",
            "refresh_token",
            &[],
        )
        .await,
        400,
        "unauthorized_client",
        700016,
    )
    .await;
}
