//! The authorize request over real HTTP: redirect URIs, unknown clients and tenants, parameter
//! errors sent back to the app, the sign-in form's errors and escaping (docs/entra-reference.md §1.1 to §1.4, §2, §5).

use crate::util::*;
use entra_sandbox::seed::defaults;
use reqwest::StatusCode;

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

/// Errors after the redirect URI is trusted go back to the app with `error`, description and state (docs/entra-reference.md §1.4).
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
async fn ref_5_50126_wrong_password_shows_error_on_the_form() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let html = page(
        open_authorize(
            &http,
            &sb,
            SIGN_IN_SCOPES,
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
