//! The sign-in path over real HTTP: authorize pages, consent, codes, tokens, refresh (ref §1, §2, §10).

mod util;

use std::time::Duration;

use entra_sandbox::seed::defaults;
use entra_sandbox::ConsentType;
use reqwest::StatusCode;
use util::*;

const SCOPES: &str =
    "openid profile offline_access https://graph.microsoft.com/Mail.Send Mail.Read";

#[tokio::test]
async fn ref_1_full_auth_code_pkce_round_trip() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let url = authorize_url(
        &sb,
        "organizations",
        SCOPES,
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
    // ref §10: display names, and the auto-included User.Read line.
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
        "ref §1.6 random 60-90 min: {expires}"
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
    recruiter_tokens(&sb, SCOPES).await;
    let http = client();
    let pkce = Pkce::new();
    let html = page(open_authorize(&http, &sb, SCOPES, &pkce, &[]).await).await;
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
    let response = open_authorize(&http, &sb, SCOPES, &pkce, &[]).await;
    assert!(redirect_params(&response).1.contains_key("code"));
    // prompt=consent shows the page even though consent exists (ref §1.2).
    let response = open_authorize(&http, &sb, SCOPES, &pkce, &[("prompt", "consent")]).await;
    assert!(find_form(&page(response).await, "consent").is_some());
}

#[tokio::test]
async fn ref_10_new_scope_asks_consent_again() {
    let sb = sandbox().await;
    recruiter_tokens(&sb, SCOPES).await;
    let (_, html) = recruiter_page(&sb, "Calendars.Read").await;
    assert!(html.contains("Read your calendars"));
}

#[tokio::test]
async fn ref_1_8_refresh_rotates_and_old_token_stays_valid() {
    let sb = sandbox().await;
    let http = client();
    let first = recruiter_tokens(&sb, SCOPES).await;
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
    // Asking for a scope never consented needs consent (ref §1.8, AADSTS65001).
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
    let (http, pkce, code) = recruiter_code(&sb, SCOPES).await;
    assert_eq!(
        redeem(&http, &sb, &code, &pkce).await.status(),
        StatusCode::OK
    );
    invalid_grant(redeem(&http, &sb, &code, &pkce).await, 54005).await;
}

#[tokio::test]
async fn ref_1_3_codes_expire_after_about_ten_minutes() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SCOPES).await;
    sb.control().advance_clock(Duration::from_secs(11 * 60));
    invalid_grant(redeem(&http, &sb, &code, &pkce).await, 70008).await;
}

#[tokio::test]
async fn ref_5_501481_pkce_verifier_mismatch() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SCOPES).await;
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
    let (http, pkce, code) = recruiter_code(&sb, SCOPES).await;
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

#[tokio::test]
async fn ref_1_3_no_path_redirect_gets_trailing_slash_and_port_is_ignored() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let url = code_request_url(
        &sb,
        "organizations",
        defaults::CLIENT_ID,
        Some("http://localhost:7071"),
        "Mail.Read",
        &[
            ("state", "abc"),
            ("code_challenge", &pkce.challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    let html = recruiter_page_at(&http, &sb, url).await;
    let response = submit_consent(&http, &sb, &html, &[("decision", "accept")]).await;
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with("http://localhost:7071/?code="),
        "{location}"
    );
}

#[tokio::test]
async fn ref_2_50011_unregistered_redirect_is_a_page_not_a_redirect() {
    let sb = sandbox().await;
    let http = client();
    for uri in [
        "http://localhost:5000/MyApp",
        "https://localhost:5000/",
        "http://127.0.0.1:5000/",
        "http://evil.example/",
    ] {
        let url = code_request_url(
            &sb,
            "common",
            defaults::CLIENT_ID,
            Some(uri),
            "Mail.Read",
            &[],
        );
        let response = get(&http, url).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert!(page(response).await.contains("AADSTS50011"), "{uri}");
    }
}

#[tokio::test]
async fn ref_2_900971_and_500113_reply_address_missing() {
    let sb = fixture_sandbox().await;
    let http = client();
    let url = code_request_url(&sb, "common", defaults::CLIENT_ID, None, "Mail.Read", &[]);
    assert!(page(get(&http, url).await).await.contains("AADSTS900971"));
    let url = code_request_url(
        &sb,
        "common",
        "11111111-2222-4333-8444-555555555555",
        Some("http://localhost/"),
        "Mail.Read",
        &[],
    );
    assert!(page(get(&http, url).await)
        .await
        .contains("AADSTS500113: No reply address is registered for the application."));
}

#[tokio::test]
async fn ref_5_700016_unknown_client_is_a_page() {
    let sb = fixture_sandbox().await;
    let http = client();
    for (tenant, client_id) in [
        ("common", "00000000-0000-0000-0000-000000000001"),
        (
            "fabrikam-hybrid.example",
            "33333333-4444-4555-8666-777777777777",
        ),
    ] {
        let url = code_request_url(
            &sb,
            tenant,
            client_id,
            Some("http://localhost/"),
            "Mail.Read",
            &[],
        );
        let response = get(&http, url).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(page(response).await.contains("AADSTS700016"));
    }
}

#[tokio::test]
async fn ref_1_1_90002_unknown_tenant() {
    let sb = sandbox().await;
    let http = client();
    let url = raw_authorize_url(
        &sb,
        "nowhere.example",
        &[("client_id", defaults::CLIENT_ID)],
    );
    assert!(page(get(&http, url).await).await.contains("AADSTS90002"));
    let response = get(
        &http,
        sb.authority("nowhere.example")
            .join("v2.0/.well-known/openid-configuration")
            .expect("url"),
    )
    .await;
    token_error(response, 400, "invalid_tenant", 90002).await;
    let response = http
        .post(
            sb.base_url()
                .join("nowhere.example/oauth2/v2.0/token")
                .expect("url"),
        )
        .form(&[("a", "b")])
        .send()
        .await
        .expect("post");
    token_error(response, 400, "invalid_tenant", 90002).await;
}

/// Errors after the redirect URI is trusted go back to the app with `error`, description and state (ref §1.4).
#[tokio::test]
async fn ref_1_4_validation_errors_redirect_with_state() {
    let sb = sandbox().await;
    let http = client();
    let base = [
        ("client_id", defaults::CLIENT_ID),
        ("redirect_uri", "http://localhost:4000/"),
        ("state", "s<b>"),
    ];
    let (long, ok_len) = ("a".repeat(129), "a".repeat(43));
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);
    let cases: Vec<Case<'_>> = vec![
        (
            vec![("scope", "Mail.Read")],
            "invalid_request",
            "AADSTS900144",
        ),
        (
            vec![("response_type", "token"), ("scope", "Mail.Read")],
            "unsupported_response_type",
            "AADSTS700054",
        ),
        (
            vec![("response_type", "code")],
            "invalid_request",
            "AADSTS900144",
        ),
        (
            vec![("response_type", "code"), ("scope", "Bogus.Scope")],
            "invalid_scope",
            "AADSTS70011",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "Mail.Read"),
                ("code_challenge", "short"),
            ],
            "invalid_request",
            "AADSTS501491",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "Mail.Read"),
                ("code_challenge", &long),
            ],
            "invalid_request",
            "AADSTS501491",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "Mail.Read"),
                ("code_challenge", &ok_len),
                ("code_challenge_method", "S512"),
            ],
            "invalid_request",
            "AADSTS501481",
        ),
        (
            vec![
                ("response_type", "code"),
                ("scope", "Mail.Read"),
                ("prompt", "always"),
            ],
            "invalid_request",
            "AADSTS90023",
        ),
    ];
    for (extra, error, code) in cases {
        let mut params = base.to_vec();
        params.extend(extra.iter().copied());
        let response = get(&http, raw_authorize_url(&sb, "common", &params)).await;
        let (url, got) = redirect_params(&response);
        assert_eq!(url.host_str(), Some("localhost"));
        assert_eq!(got["error"], error, "{params:?}");
        let description = &got["error_description"];
        assert!(
            description.starts_with(&format!("{code}: ")),
            "{description}"
        );
        assert!(
            description.contains("\r\nTrace ID: ")
                && description.contains("\r\nCorrelation ID: ")
                && description.contains("\r\nTimestamp: ")
        );
        assert_eq!(got["state"], "s<b>");
    }
}

#[tokio::test]
async fn ref_1_4_cancel_on_consent_is_access_denied_with_subcode_cancel() {
    let sb = sandbox().await;
    let (http, html) = recruiter_page(&sb, SCOPES).await;
    let params = consent_redirect(&http, &sb, &html, "cancel").await;
    assert_eq!(params["error"], "access_denied");
    assert_eq!(params["error_subcode"], "cancel");
    assert!(params["error_description"].starts_with("AADSTS65004: "));
    assert_eq!(params["state"], "st-123");
    assert!(sb.control().grants(defaults::TENANT_ID).is_empty());
}

#[tokio::test]
async fn ref_5_50126_wrong_password_shows_error_on_the_form() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let html = page(
        open_authorize(
            &http,
            &sb,
            SCOPES,
            &pkce,
            &[("login_hint", defaults::RECRUITER_UPN)],
        )
        .await,
    )
    .await;
    assert!(
        html.contains(&format!("value=\"{}\"", defaults::RECRUITER_UPN)),
        "login_hint prefills"
    );
    let response = sign_in(&http, &sb, &html, defaults::RECRUITER_UPN, "wrong").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = page(response).await;
    assert!(html.contains("AADSTS50126"));
    assert!(
        find_form(&html, "signin").is_some(),
        "the form is shown again"
    );
    let html =
        page(sign_in(&http, &sb, &html, "nobody@contoso-recruiting.example", "x").await).await;
    assert!(html.contains("AADSTS50034"));
}

#[tokio::test]
async fn ref_5_50058_prompt_none_without_session_is_login_required() {
    let sb = sandbox().await;
    let response =
        open_authorize(&client(), &sb, SCOPES, &Pkce::new(), &[("prompt", "none")]).await;
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

#[tokio::test]
async fn ref_10_admin_consent_on_behalf_of_organization_covers_other_users() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let html = admin_page_at(
        &http,
        &sb,
        authorize_url(&sb, "organizations", SCOPES, &pkce, &[]),
    )
    .await;
    assert!(
        html.contains("id=\"consent-org\"")
            && html.contains("Consent on behalf of your organization")
    );
    let response = accept_for_organization(&http, &sb, &html).await;
    assert!(redirect_params(&response).1.contains_key("code"));
    let grants = sb.control().grants(defaults::TENANT_DOMAIN);
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].consent_type, ConsentType::AllPrincipals);
    assert!(grants[0].principal_id.is_none());
    // The recruiter now signs in without a consent page.
    let other = client();
    let html = page(
        get(
            &other,
            authorize_url(&sb, "organizations", SCOPES, &pkce, &[]),
        )
        .await,
    )
    .await;
    let response = sign_in(
        &other,
        &sb,
        &html,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
    )
    .await;
    assert!(redirect_params(&response).1.contains_key("code"));
}

#[tokio::test]
async fn pages_escape_echoed_values() {
    let sb = sandbox().await;
    let url = authorize_url(
        &sb,
        "organizations",
        "Mail.Read",
        &Pkce::new(),
        &[("login_hint", "\"><script>alert(1)</script>")],
    );
    let html = page(client().get(url).send().await.expect("get")).await;
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn ref_4_90094_user_asking_admin_only_scope_sees_need_admin_approval() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let url = authorize_url(
        &sb,
        "organizations",
        "User.Read Directory.Read.All",
        &pkce,
        &[],
    );
    let html = recruiter_page_at(&http, &sb, url).await;
    assert!(html.contains("Need admin approval") && html.contains("only an admin can grant"));
    assert!(
        find_form(&html, "consent").is_none(),
        "no way to consent as a user"
    );
    let form = find_form(&html, "needadmin").expect("need-admin form");
    let (_, params) = redirect_params(&submit(&http, &sb, &form, &[("decision", "return")]).await);
    assert_eq!(params["error"], "consent_required");
    assert!(params["error_description"].starts_with("AADSTS90094: "));
    assert_eq!(params["state"], "st-123");
    // "Have an admin account?" leads to sign-in; the admin gets the consent page with the org checkbox.
    let html = page(submit(&http, &sb, &form, &[("decision", "signin_admin")]).await).await;
    let html = next_page(
        &http,
        &sb,
        &html,
        defaults::ADMIN_UPN,
        defaults::ADMIN_PASSWORD,
    )
    .await;
    assert!(html.contains("Read directory data") && html.contains("id=\"consent-org\""));
    assert!(sb.control().grants(defaults::TENANT_ID).is_empty());
}

fn admin_consent_url(
    sb: &entra_sandbox::RunningSandbox,
    path: &str,
    scope: Option<&str>,
) -> url::Url {
    let mut url = sb.base_url().join(path).expect("url");
    url.query_pairs_mut()
        .append_pair("client_id", defaults::CLIENT_ID)
        .append_pair("redirect_uri", "http://localhost/")
        .append_pair("state", "12345");
    if let Some(scope) = scope {
        url.query_pairs_mut().append_pair("scope", scope);
    }
    url
}

#[tokio::test]
async fn ref_3_1_admin_consent_endpoint_grants_for_the_organization() {
    let sb = sandbox().await;
    let http = client();
    let scope = "https://graph.microsoft.com/Calendars.Read https://graph.microsoft.com/Mail.Send";
    let url = admin_consent_url(
        &sb,
        &format!("{}/v2.0/adminconsent", defaults::TENANT_ID),
        Some(scope),
    );
    let html = admin_page_at(&http, &sb, url).await;
    assert!(html.contains("Accept for your organization"));
    let params = consent_redirect(&http, &sb, &html, "accept").await;
    assert_eq!(params["admin_consent"], "True");
    assert_eq!(params["tenant"], defaults::TENANT_ID);
    assert_eq!(params["scope"], scope);
    assert_eq!(params["state"], "12345");
    let grants = sb.control().grants(defaults::TENANT_ID);
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].consent_type, ConsentType::AllPrincipals);
    // The recruiter is covered without a consent page.
    let (_, html) = recruiter_page(&sb, "Calendars.Read").await;
    assert!(html.is_empty(), "a redirect, not a page: {html}");
}

#[tokio::test]
async fn ref_3_1_admin_cancel_is_consent_required_with_admin_consent_true() {
    let sb = sandbox().await;
    let http = client();
    let url = admin_consent_url(
        &sb,
        &format!("{}/adminconsent", defaults::TENANT_DOMAIN),
        None,
    );
    let html = admin_page_at(&http, &sb, url).await;
    assert!(
        html.contains("Send mail as you"),
        "ref §3.2: no scope means the configured permissions"
    );
    let params = consent_redirect(&http, &sb, &html, "cancel").await;
    assert_eq!(params["admin_consent"], "True");
    assert_eq!(params["error"], "consent_required");
    assert!(params["error_description"].starts_with("AADSTS65004: "));
    assert_eq!(params["state"], "12345");
    assert!(sb.control().grants(defaults::TENANT_ID).is_empty());
}

#[tokio::test]
async fn ref_3_2_non_admin_on_admin_consent_url_is_told_to_ask_an_admin() {
    let sb = sandbox().await;
    let http = client();
    let url = admin_consent_url(&sb, "organizations/v2.0/adminconsent", Some("Mail.Send"));
    let html = recruiter_page_at(&http, &sb, url).await;
    assert!(html.contains("Need admin approval"));
    assert!(find_form(&html, "consent").is_none());
}
