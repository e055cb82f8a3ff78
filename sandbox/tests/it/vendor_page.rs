//! The vendor's web page in the sandbox (issue 10 item 13): the admin-consent link in the message
//! to IT lands there after the grant, and the vendor app holding a Web redirect URI beside its
//! desktop one stays a public client for the desktop sign-in.

use crate::util::*;
use entra_sandbox::seed::defaults;

/// Source: docs/entra-reference.md §3.1 (the admin-consent redirect: `admin_consent=True&tenant=...`, refusals with
/// `error`) and docs/entra-reference.md §2 (a registered `http://localhost` URI matches on any port); the page stands
/// in for the vendor's own web page, registered as a Web redirect URI.
#[tokio::test]
async fn admin_consent_lands_on_the_vendor_page_the_seed_registers() {
    let sb = sandbox().await;
    let http = client();
    let page = sb.admin_consent_page();
    assert_eq!(page.path(), "/vendor/admin-consent");
    let mut url = sb
        .base_url()
        .join(&format!("{}/v2.0/adminconsent", defaults::TENANT_ID))
        .expect("url");
    url.query_pairs_mut()
        .append_pair("client_id", defaults::CLIENT_ID)
        .append_pair("redirect_uri", page.as_str())
        .append_pair("scope", "https://graph.microsoft.com/Mail.Send");
    let html = admin_page_at(&http, &sb, url).await;
    let (landing, params) = consent_redirect_url(&http, &sb, &html, "accept").await;
    assert_eq!(params["admin_consent"], "True");
    assert_eq!(landing.path(), "/vendor/admin-consent");
    let shown = page_text(&http, &landing).await;
    assert!(
        shown.contains("Admin consent granted — you can close this tab"),
        "{shown}"
    );
    assert!(shown.contains(defaults::TENANT_ID), "{shown}");

    let mut refused = page.clone();
    refused
        .query_pairs_mut()
        .append_pair("admin_consent", "True")
        .append_pair("error", "consent_required")
        .append_pair("error_description", "AADSTS65004: <b>declined</b>");
    let shown = page_text(&http, &refused).await;
    assert!(shown.contains("Admin consent was not granted"), "{shown}");
    assert!(shown.contains("&lt;b&gt;declined"), "escaped: {shown}");
}

/// Source: E:docs/identity-platform/reply-url.md "Localhost exceptions" (the redirect URI's own
/// type, web or native, decides the behaviour) and docs/entra-reference.md §1.5 (AADSTS7000218: a code for a Web
/// redirect URI needs a secret; a public client must present none).
#[tokio::test]
async fn the_redirect_uris_platform_decides_whether_a_secret_is_needed() {
    let sb = sandbox().await;
    // The desktop URI: redeemed without a secret, as always.
    let body = recruiter_tokens(&sb, "openid User.Read").await;
    assert!(body["access_token"].is_string(), "{body}");
    // The Web URI of the same app: a code for it needs a credential.
    let http = client();
    let response = token_grant(
        &http,
        &sb,
        defaults::CLIENT_ID,
        "authorization_code",
        &[
            ("code", "any"),
            ("redirect_uri", sb.admin_consent_page().as_str()),
        ],
    )
    .await;
    token_error(response, 401, "invalid_client", 7000218).await;
}

async fn consent_redirect_url(
    http: &reqwest::Client,
    sb: &entra_sandbox::RunningSandbox,
    html: &str,
    decision: &str,
) -> (url::Url, std::collections::HashMap<String, String>) {
    let response = submit_consent(http, sb, html, &[("decision", decision)]).await;
    redirect_params(&response)
}

async fn page_text(http: &reqwest::Client, url: &url::Url) -> String {
    let response = http
        .get(url.clone())
        .send()
        .await
        .expect("the page answers");
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.expect("html")
}
