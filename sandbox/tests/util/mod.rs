//! Test helpers: start a sandbox, drive its pages like a browser-less client, read redirects.
#![allow(dead_code)] // Each test binary uses a different subset of these helpers.

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entra_sandbox::seed::defaults;
use entra_sandbox::{start, RunningSandbox, SandboxConfig, Seed};
use reqwest::{redirect::Policy, Client, Response, StatusCode};
use sha2::{Digest, Sha256};
use url::Url;

/// A sandbox with the default seed.
pub async fn sandbox() -> RunningSandbox {
    start(SandboxConfig::with_default_seed())
        .await
        .expect("sandbox starts")
}

/// A sandbox with the fixture seed (on-premises mailbox user, odd apps).
pub async fn fixture_sandbox() -> RunningSandbox {
    let seed =
        Seed::from_toml(include_str!("../fixtures/fixture.toml")).expect("fixture seed parses");
    start(SandboxConfig {
        seed,
        ..SandboxConfig::with_default_seed()
    })
    .await
    .expect("sandbox starts")
}

/// A client with a cookie jar that does not follow redirects (tests read `Location`).
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .no_proxy()
        .build()
        .expect("client")
}

/// A PKCE pair (S256).
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Self {
        let verifier = format!("verifier-{}-{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Self {
            verifier,
            challenge,
        }
    }
}

/// The app's usual request: loopback redirect with a port, PKCE S256, state.
pub fn authorize_url(
    sb: &RunningSandbox,
    tenant: &str,
    scope: &str,
    pkce: &Pkce,
    extra: &[(&str, &str)],
) -> Url {
    let mut params = vec![
        ("state", "st-123"),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    params.extend_from_slice(extra);
    code_request_url(
        sb,
        tenant,
        defaults::CLIENT_ID,
        Some("http://localhost:53682/"),
        scope,
        &params,
    )
}

/// Builds an authorize URL from exactly these parameters.
pub fn raw_authorize_url(sb: &RunningSandbox, tenant: &str, params: &[(&str, &str)]) -> Url {
    let mut url = sb
        .base_url()
        .join(&format!("{tenant}/oauth2/v2.0/authorize"))
        .expect("url");
    url.query_pairs_mut().extend_pairs(params);
    url
}

/// A form found on a page.
#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// Finds `<form id="{id}">` and its hidden inputs.
pub fn find_form(html: &str, id: &str) -> Option<Form> {
    let start = html.find(&format!("<form id=\"{id}\""))?;
    let end = html[start..].find("</form>")? + start;
    let form = &html[start..end];
    let open_end = form.find('>')?;
    let action = attr(&form[..open_end], "action")?;
    let fields = form
        .split("<input ")
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(tag, _)| format!(" {tag}")))
        .filter(|tag| attr(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attr(&tag, "name")?, attr(&tag, "value").unwrap_or_default())))
        .collect();
    Some(Form { action, fields })
}

/// Submits a form with extra fields, as a browser would.
pub async fn submit(
    http: &Client,
    sb: &RunningSandbox,
    form: &Form,
    extra: &[(&str, &str)],
) -> Response {
    let mut fields: Vec<(String, String)> = form.fields.clone();
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    let url = sb.base_url().join(&form.action).expect("action");
    http.post(url).form(&fields).send().await.expect("post")
}

/// The page's body, asserting the status.
pub async fn page(response: Response) -> String {
    response.text().await.expect("body")
}

/// Parameters of a redirect (query, or fragment for response_mode=fragment).
pub fn redirect_params(response: &Response) -> (Url, HashMap<String, String>) {
    assert_eq!(response.status(), StatusCode::FOUND, "expected a redirect");
    let location = response.headers()["location"].to_str().expect("location");
    let url = Url::parse(location).expect("absolute location");
    let pairs = url
        .query_pairs()
        .chain(url::form_urlencoded::parse(
            url.fragment().unwrap_or("").as_bytes(),
        ))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    (url, pairs)
}

/// Signs in on a sign-in page; returns the next response.
pub async fn sign_in(
    http: &Client,
    sb: &RunningSandbox,
    html: &str,
    upn: &str,
    password: &str,
) -> Response {
    let form = find_form(html, "signin").expect("sign-in form");
    submit(http, sb, &form, &[("login", upn), ("passwd", password)]).await
}

/// Runs authorize → sign-in → consent(accept) and returns the code.
pub async fn code_for(
    http: &Client,
    sb: &RunningSandbox,
    url: Url,
    upn: &str,
    password: &str,
) -> String {
    let mut response = sign_in_at(http, sb, url, upn, password).await;
    if response.status() == StatusCode::OK {
        let html = page(response).await;
        response = submit_consent(http, sb, &html, &[("decision", "accept")]).await;
    }
    let (_, params) = redirect_params(&response);
    params
        .get("code")
        .cloned()
        .unwrap_or_else(|| panic!("no code in redirect: {params:?}"))
}

/// Redeems a code at the token endpoint.
pub async fn redeem(http: &Client, sb: &RunningSandbox, code: &str, pkce: &Pkce) -> Response {
    redeem_with(http, sb, code, pkce, &[]).await
}

/// [`redeem`] with `extra` form fields (e.g. MSAL's `client_info=1`).
pub async fn redeem_with(
    http: &Client,
    sb: &RunningSandbox,
    code: &str,
    pkce: &Pkce,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![
        ("code", code),
        ("redirect_uri", "http://localhost:53682/"),
        ("code_verifier", &pkce.verifier),
    ];
    form.extend_from_slice(extra);
    token_grant(http, sb, defaults::CLIENT_ID, "authorization_code", &form).await
}

/// POSTs a form to the token endpoint of the sandbox tenant.
pub async fn token(http: &Client, sb: &RunningSandbox, form: &[(&str, &str)]) -> Response {
    let url = sb
        .base_url()
        .join("organizations/oauth2/v2.0/token")
        .expect("url");
    http.post(url).form(form).send().await.expect("token")
}

/// Full interactive sign-in for a user with the given scopes; returns the token JSON.
pub async fn tokens_for(
    sb: &RunningSandbox,
    upn: &str,
    password: &str,
    scope: &str,
) -> serde_json::Value {
    let http = client();
    let pkce = Pkce::new();
    let code = code_for(
        &http,
        sb,
        authorize_url(sb, "organizations", scope, &pkce, &[]),
        upn,
        password,
    )
    .await;
    let response = redeem(&http, sb, &code, &pkce).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("token json")
}

/// Asserts the token-endpoint error shape of ref §1.7 and returns the body.
pub async fn token_error(
    response: Response,
    status: u16,
    error: &str,
    code: u64,
) -> serde_json::Value {
    assert_eq!(response.status().as_u16(), status);
    let body: serde_json::Value = response.json().await.expect("error json");
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], serde_json::json!([code]), "{body}");
    let description = body["error_description"].as_str().expect("description");
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    assert!(
        description.contains("\r\nTrace ID: ")
            && description.contains("\r\nCorrelation ID: ")
            && description.contains("\r\nTimestamp: ")
    );
    for key in ["timestamp", "trace_id", "correlation_id", "error_uri"] {
        assert!(body[key].is_string(), "missing {key}");
    }
    body
}

/// Decodes a JWT payload without verifying it.
pub fn claims(jwt: &str) -> serde_json::Value {
    entra_sandbox::tokens::jwt::decode_unverified(jwt).expect("jwt")
}

/// GETs a URL.
pub async fn get(http: &Client, url: impl reqwest::IntoUrl) -> Response {
    http.get(url).send().await.expect("get")
}

/// Sends a request and parses the JSON answer.
pub async fn json(request: reqwest::RequestBuilder) -> serde_json::Value {
    request
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

/// A client whose session is signed in as the recruiter, who consented to `scope`; with the
/// PKCE pair and the code of that sign-in.
pub async fn recruiter_code(sb: &RunningSandbox, scope: &str) -> (Client, Pkce, String) {
    let http = client();
    let pkce = Pkce::new();
    let url = authorize_url(sb, "organizations", scope, &pkce, &[]);
    let code = code_for(
        &http,
        sb,
        url,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
    )
    .await;
    (http, pkce, code)
}

/// A fresh client opens the app's usual authorize URL for `scope` and signs in as the recruiter;
/// returns the client and the page that follows (consent, or another page).
pub async fn recruiter_page(sb: &RunningSandbox, scope: &str) -> (Client, String) {
    let http = client();
    let url = authorize_url(sb, "organizations", scope, &Pkce::new(), &[]);
    let html = recruiter_page_at(&http, sb, url).await;
    (http, html)
}

/// Opens the app's usual authorize URL (via `organizations`, plus `extra`) in `http` and signs in
/// as `upn`; returns the response after the password.
pub async fn sign_in_with(
    http: &Client,
    sb: &RunningSandbox,
    scope: &str,
    upn: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> Response {
    let url = authorize_url(sb, "organizations", scope, &Pkce::new(), extra);
    sign_in_at(http, sb, url, upn, password).await
}

/// A fresh client signs in as `upn`; returns it and the page that follows ("" after a redirect).
pub async fn page_for(
    sb: &RunningSandbox,
    scope: &str,
    upn: &str,
    password: &str,
) -> (Client, String) {
    let http = client();
    let response = sign_in_with(&http, sb, scope, upn, password, &[]).await;
    let html = page(response).await;
    (http, html)
}

/// [`page_for`] as a preset user (password `Blocked-2026!`).
pub async fn preset_page(sb: &RunningSandbox, scope: &str, upn: &str) -> (Client, String) {
    page_for(sb, scope, upn, entra_sandbox::seed::presets::USER_PASSWORD).await
}

/// The error page's or redirect's AADSTS code check: the page shows `AADSTS{code}`.
pub fn assert_error_page(html: &str, code: u32) {
    assert!(
        html.contains("id=\"error-message\"") && html.contains(&format!("AADSTS{code}: ")),
        "expected an AADSTS{code} error page: {html}"
    );
}

/// Signs in on the sign-in page `html` and returns the next page's body.
pub async fn next_page(
    http: &Client,
    sb: &RunningSandbox,
    html: &str,
    upn: &str,
    password: &str,
) -> String {
    page(sign_in(http, sb, html, upn, password).await).await
}

/// Redeems a refresh token for the vendor app.
pub async fn refresh(http: &Client, sb: &RunningSandbox, refresh_token: &str) -> Response {
    token_grant(
        http,
        sb,
        defaults::CLIENT_ID,
        "refresh_token",
        &[("refresh_token", refresh_token)],
    )
    .await
}

/// GETs the app's usual authorize URL (via `organizations`, plus `extra`) in `http`.
pub async fn open_authorize(
    http: &Client,
    sb: &RunningSandbox,
    scope: &str,
    pkce: &Pkce,
    extra: &[(&str, &str)],
) -> Response {
    get(http, authorize_url(sb, "organizations", scope, pkce, extra)).await
}

/// [`token_error`] for `400 invalid_grant` with AADSTS `code`.
pub async fn invalid_grant(response: Response, code: u64) -> serde_json::Value {
    token_error(response, 400, "invalid_grant", code).await
}

/// Submits the consent form of the page `html` with `extra` (the decision and its options).
pub async fn submit_consent(
    http: &Client,
    sb: &RunningSandbox,
    html: &str,
    extra: &[(&str, &str)],
) -> Response {
    let form = find_form(html, "consent").expect("consent form");
    submit(http, sb, &form, extra).await
}

/// An authorize URL for a code request from `client_id`: `response_type=code`, the redirect URI
/// if any, `scope`, then `extra`, in that order (no PKCE or state unless in `extra`).
pub fn code_request_url(
    sb: &RunningSandbox,
    tenant: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
    scope: &str,
    extra: &[(&str, &str)],
) -> Url {
    let mut params = vec![("client_id", client_id), ("response_type", "code")];
    params.extend(redirect_uri.map(|uri| ("redirect_uri", uri)));
    params.push(("scope", scope));
    params.extend_from_slice(extra);
    raw_authorize_url(sb, tenant, &params)
}

/// Submits the consent form of `html` with `decision` and returns the redirect's parameters.
pub async fn consent_redirect(
    http: &Client,
    sb: &RunningSandbox,
    html: &str,
    decision: &str,
) -> HashMap<String, String> {
    let response = submit_consent(http, sb, html, &[("decision", decision)]).await;
    redirect_params(&response).1
}

/// An admin accepts the consent page `html` on behalf of the organization.
pub async fn accept_for_organization(http: &Client, sb: &RunningSandbox, html: &str) -> Response {
    submit_consent(
        http,
        sb,
        html,
        &[("consent_org", "on"), ("decision", "accept")],
    )
    .await
}

/// [`tokens_for`] the recruiter.
pub async fn recruiter_tokens(sb: &RunningSandbox, scope: &str) -> serde_json::Value {
    tokens_for(
        sb,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
        scope,
    )
    .await
}

/// Opens `url` in `http` and signs in there as `upn`; returns the response after the password.
pub async fn sign_in_at(
    http: &Client,
    sb: &RunningSandbox,
    url: Url,
    upn: &str,
    password: &str,
) -> Response {
    let html = page(get(http, url).await).await;
    sign_in(http, sb, &html, upn, password).await
}

/// [`sign_in_at`], returning the next page's body.
pub async fn page_after_sign_in(
    http: &Client,
    sb: &RunningSandbox,
    url: Url,
    upn: &str,
    password: &str,
) -> String {
    page(sign_in_at(http, sb, url, upn, password).await).await
}

/// [`page_after_sign_in`] as the recruiter.
pub async fn recruiter_page_at(http: &Client, sb: &RunningSandbox, url: Url) -> String {
    page_after_sign_in(
        http,
        sb,
        url,
        defaults::RECRUITER_UPN,
        defaults::RECRUITER_PASSWORD,
    )
    .await
}

/// [`page_after_sign_in`] as the tenant's Global Administrator.
pub async fn admin_page_at(http: &Client, sb: &RunningSandbox, url: Url) -> String {
    page_after_sign_in(http, sb, url, defaults::ADMIN_UPN, defaults::ADMIN_PASSWORD).await
}

/// POSTs `client_id`, `grant_type` and then `extra` to the token endpoint of the sandbox tenant.
pub async fn token_grant(
    http: &Client,
    sb: &RunningSandbox,
    client_id: &str,
    grant_type: &str,
    extra: &[(&str, &str)],
) -> Response {
    let mut form = vec![("client_id", client_id), ("grant_type", grant_type)];
    form.extend_from_slice(extra);
    token(http, sb, &form).await
}
