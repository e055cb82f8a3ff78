//! Admin consent over real HTTP: "Consent on behalf of your organization", "Need admin approval"
//! for admin-only permissions, and the admin-consent endpoint (docs/entra-reference.md §3.1, §3.2, §4, §10).

use crate::util::*;
use entra_sandbox::seed::defaults;
use entra_sandbox::ConsentType;

#[tokio::test]
async fn ref_10_admin_consent_on_behalf_of_organization_covers_other_users() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    let html = admin_page_at(
        &http,
        &sb,
        authorize_url(&sb, "organizations", SIGN_IN_SCOPES, &pkce, &[]),
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
            authorize_url(&sb, "organizations", SIGN_IN_SCOPES, &pkce, &[]),
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
        "docs/entra-reference.md §3.2: no scope means the configured permissions"
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

/// Issue 27: the app's own "Grant for my organization" on the recruiter's computer. Her browser is
/// signed in as her; the authorization endpoint with `prompt=admin_consent` and the admin's
/// `login_hint` asks for the admin's sign-in (never her "Need admin approval"), then shows the
/// admin-consent page; accepting grants for everyone and answers with a code and
/// `admin_consent=True`.
#[tokio::test]
async fn prompt_admin_consent_with_the_admins_hint_skips_the_recruiters_session() {
    let sb = sandbox().await;
    let http = client();
    let pkce = Pkce::new();
    // The recruiter's own sign-in leaves her session in this browser.
    recruiter_page_at(
        &http,
        &sb,
        authorize_url(&sb, "organizations", "Mail.Send", &pkce, &[]),
    )
    .await;
    let url = authorize_url(
        &sb,
        defaults::TENANT_DOMAIN,
        "https://graph.microsoft.com/Mail.Send openid",
        &pkce,
        &[
            ("prompt", "admin_consent"),
            ("login_hint", defaults::ADMIN_UPN),
        ],
    );
    let html = page(get(&http, url).await).await;
    assert!(
        find_form(&html, "signin").is_some() && !html.contains("Need admin approval"),
        "the admin's sign-in, not the recruiter's page: {html}"
    );
    let html = page(
        sign_in(
            &http,
            &sb,
            &html,
            defaults::ADMIN_UPN,
            defaults::ADMIN_PASSWORD,
        )
        .await,
    )
    .await;
    assert!(html.contains("Accept for your organization"), "{html}");
    let params = consent_redirect(&http, &sb, &html, "accept").await;
    assert!(params.contains_key("code"), "{params:?}");
    assert_eq!(params["admin_consent"], "True");
    assert_eq!(params["state"], "st-123");
    let grants = sb.control().grants(defaults::TENANT_ID);
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0].consent_type, ConsentType::AllPrincipals);
}
