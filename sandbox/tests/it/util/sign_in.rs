//! Signing in on the sandbox's pages and answering the consent page, as the recruiter, the admin
//! or a preset user.

use std::collections::HashMap;

use entra_sandbox::seed::{defaults, presets};
use entra_sandbox::RunningSandbox;
use reqwest::{Client, Response, StatusCode};
use url::Url;

use super::{
    authorize_url, client, find_form, get, page, redirect_params, submit, Pkce, MAIL_SCOPES,
};

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

/// Signs in as a preset user (asking for [`MAIL_SCOPES`], plus `extra`) and returns the
/// redirect's parameters.
pub async fn preset_redirect(
    sb: &RunningSandbox,
    upn: &str,
    extra: &[(&str, &str)],
) -> HashMap<String, String> {
    let response = sign_in_with(
        &client(),
        sb,
        MAIL_SCOPES,
        upn,
        presets::USER_PASSWORD,
        extra,
    )
    .await;
    redirect_params(&response).1
}

/// [`page_for`] as a preset user (password `Blocked-2026!`).
pub async fn preset_page(sb: &RunningSandbox, scope: &str, upn: &str) -> (Client, String) {
    page_for(sb, scope, upn, presets::USER_PASSWORD).await
}

/// A fresh client opens the app's usual authorize URL for `scope` and signs in as the recruiter;
/// returns the client and the page that follows (consent, or another page).
pub async fn recruiter_page(sb: &RunningSandbox, scope: &str) -> (Client, String) {
    let http = client();
    let url = authorize_url(sb, "organizations", scope, &Pkce::new(), &[]);
    let html = recruiter_page_at(&http, sb, url).await;
    (http, html)
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
