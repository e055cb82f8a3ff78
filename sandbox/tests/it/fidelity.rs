//! Fidelity tests of issue 10 (items 1-7): behaviours Microsoft's own clients depend on, each with
//! the source it follows (docs/entra-reference.md).

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::util::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entra_sandbox::seed::{defaults, presets, PERSONAL_TENANT_ID};
use entra_sandbox::RunningSandbox;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

const SCOPES: &str = "openid profile offline_access User.Read Mail.Read";

/// Entra's own `organizations` discovery document (see tests/fixtures/README.md for its source).
fn recorded_discovery() -> Value {
    serde_json::from_str(include_str!(
        "../fixtures/entra-organizations-openid-configuration.json"
    ))
    .expect("fixture parses")
}

async fn discovery(http: &Client, sb: &RunningSandbox, tenant: &str) -> Value {
    let url = sb
        .authority(tenant)
        .join("v2.0/.well-known/openid-configuration")
        .expect("url");
    json(http.get(url)).await
}

fn keys(doc: &Value) -> BTreeSet<String> {
    doc.as_object().expect("object").keys().cloned().collect()
}

/// Item 1. Source: MSAL.js msal-common `src/account/ClientInfo.ts` (`{uid, utid}`, decoded from
/// base64url) and `src/request/RequestParameterBuilder.ts` `addClientInfo` (`client_info=1`, sent
/// by AuthorizationCodeClient.ts and RefreshTokenClient.ts on every token request); docs/entra-reference.md §1.6.
#[tokio::test]
async fn msal_client_info_1_gets_base64url_uid_utid_on_code_and_refresh() {
    let sb = sandbox().await;
    let (http, pkce, code) = recruiter_code(&sb, SCOPES).await;
    let response = redeem_with(&http, &sb, &code, &pkce, &[("client_info", "1")]).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let id = claims(body["id_token"].as_str().expect("id token"));
    let decode = |body: &Value| -> Value {
        let raw = body["client_info"].as_str().expect("client_info");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(raw).expect("base64url")).expect("json")
    };
    let expected = json!({ "uid": id["oid"], "utid": id["tid"] });
    assert_eq!(decode(&body), expected);
    assert_eq!(id["tid"], defaults::TENANT_ID);
    let rt = body["refresh_token"].as_str().expect("rt");
    let refreshed: Value = token_grant(
        &http,
        &sb,
        defaults::CLIENT_ID,
        "refresh_token",
        &[("refresh_token", rt), ("client_info", "1")],
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(decode(&refreshed), expected);
    // Without the MSAL parameter the field is absent, as for any other OAuth client.
    let plain: Value = refresh(&http, &sb, rt).await.json().await.expect("json");
    assert!(plain.get("client_info").is_none(), "{plain}");
}

/// Item 2. Source: Entra's tenant discovery documents name the tenant GUID in every URL and the
/// issuer (docs/entra-reference.md §1.9; E:docs/identity-platform/v2-protocols-oidc.md "Find your app's OpenID
/// configuration document URI"); `organizations`/`common` keep the segment with issuer
/// `{tenantid}` (tests/fixtures recording); `consumers` names the personal-account tenant
/// (openiddict/openiddict-core#1764 quotes Entra's document).
#[tokio::test]
async fn entra_discovery_for_a_domain_tenant_names_the_guid() {
    let sb = sandbox().await;
    let http = client();
    let base = sb.base_url().as_str().trim_end_matches('/').to_owned();
    for name in [defaults::TENANT_DOMAIN, defaults::TENANT_ID] {
        let doc = discovery(&http, &sb, name).await;
        let root = format!("{base}/{}", defaults::TENANT_ID);
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{root}/oauth2/v2.0/authorize")
        );
        assert_eq!(doc["token_endpoint"], format!("{root}/oauth2/v2.0/token"));
        assert_eq!(doc["jwks_uri"], format!("{root}/discovery/v2.0/keys"));
        assert_eq!(doc["issuer"], format!("{root}/v2.0"));
        assert_eq!(
            doc["end_session_endpoint"],
            format!("{root}/oauth2/v2.0/logout")
        );
    }
    for segment in ["organizations", "common"] {
        let doc = discovery(&http, &sb, segment).await;
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{base}/{segment}/oauth2/v2.0/authorize")
        );
        assert_eq!(
            doc["jwks_uri"],
            format!("{base}/{segment}/discovery/v2.0/keys")
        );
        assert_eq!(doc["issuer"], format!("{base}/{{tenantid}}/v2.0"));
    }
    let doc = discovery(&http, &sb, "consumers").await;
    assert_eq!(
        doc["token_endpoint"],
        format!("{base}/consumers/oauth2/v2.0/token")
    );
    assert_eq!(doc["issuer"], format!("{base}/{PERSONAL_TENANT_ID}/v2.0"));
}

/// The `suberror` values MSAL.js treats as "interaction required": msal-common
/// `src/error/InteractionRequiredAuthError.ts`, `InteractionRequiredAuthSubErrorMessage`.
const MSAL_INTERACTION_SUBERRORS: [&str; 6] = [
    "message_only",
    "additional_action",
    "basic_action",
    "user_password_expired",
    "consent_required",
    "bad_token",
];

async fn suberror(response: reqwest::Response, code: u64) -> String {
    let body = invalid_grant(response, code).await;
    let suberror = body["suberror"].as_str().expect("suberror").to_owned();
    assert!(MSAL_INTERACTION_SUBERRORS.contains(&suberror.as_str()));
    suberror
}

/// Item 3. Source: docs/entra-reference.md §5 (65001 `invalid_grant` + `suberror: consent_required`; 50076
/// `basic_action` in public logs) and MSAL.js msal-common `InteractionRequiredAuthError.ts`
/// (`bad_token`: "due to an expired or invalid refresh token", for 50173 / 700082).
#[tokio::test]
async fn entra_token_errors_carry_msal_interaction_suberrors() {
    let sb = sandbox().await;
    let http = client();
    let tokens = recruiter_tokens(&sb, SCOPES).await;
    let rt = tokens["refresh_token"].as_str().expect("rt");
    let beyond = token_grant(
        &http,
        &sb,
        defaults::CLIENT_ID,
        "refresh_token",
        &[("refresh_token", rt), ("scope", "Calendars.ReadWrite")],
    )
    .await;
    assert_eq!(suberror(beyond, 65001).await, "consent_required");
    sb.control().advance_clock(Duration::from_secs(90 * 86_400));
    assert_eq!(
        suberror(refresh(&http, &sb, rt).await, 700082).await,
        "bad_token"
    );
    let fresh = recruiter_tokens(&sb, SCOPES).await;
    assert!(sb.control().revoke_refresh_tokens(defaults::RECRUITER_UPN));
    let revoked = refresh(&http, &sb, fresh["refresh_token"].as_str().expect("rt")).await;
    assert_eq!(suberror(revoked, 50173).await, "bad_token");
}

fn redirect_error(response: &reqwest::Response) -> (String, String) {
    let (_, params) = redirect_params(response);
    let code = params["error_description"]
        .split(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    (params["error"].clone(), code)
}

/// Item 4. Source: docs/entra-reference.md §1.2 (`prompt=none` fails with `login_required` or
/// `interaction_required`), §1.4 (`login_required`: "no users found"; `interaction_required`:
/// "extra auth step"), §5 (50058 "might be returned to the application if prompt=none is
/// specified"; 50076 MFA) and reference-error-codes.md AADSTS16000 SelectUserAccount, seen as
/// `interaction_required` (MSAL.js #1450, pnp/pnpframework#1067).
#[tokio::test]
async fn entra_prompt_none_login_required_or_interaction_required() {
    let sb = sandbox().await;
    let none = [("prompt", "none")];
    // No session cookie at all.
    let http = client();
    let response = open_authorize(&http, &sb, SCOPES, &Pkce::new(), &none).await;
    assert_eq!(
        redirect_error(&response),
        ("login_required".into(), "AADSTS50058".into())
    );
    // Two accounts in the browser and no login_hint: Entra cannot pick one silently.
    let (http, pkce, _) = recruiter_code(&sb, SCOPES).await;
    let again = authorize_url(&sb, "organizations", SCOPES, &pkce, &[("prompt", "login")]);
    let html = admin_page_at(&http, &sb, again).await;
    assert!(
        find_form(&html, "consent").is_some(),
        "the admin's consent page"
    );
    let response = open_authorize(&http, &sb, SCOPES, &pkce, &none).await;
    assert_eq!(
        redirect_error(&response),
        ("interaction_required".into(), "AADSTS16000".into())
    );
    // A login_hint naming one of them answers silently.
    let hinted = [("prompt", "none"), ("login_hint", defaults::RECRUITER_UPN)];
    let response = open_authorize(&http, &sb, SCOPES, &pkce, &hinted).await;
    assert!(redirect_params(&response).1.contains_key("code"));
    // MFA due under Conditional Access: interaction_required 50076.
    let http = client();
    let html = page(
        sign_in_with(
            &http,
            &sb,
            SCOPES,
            presets::CA_MFA_USER,
            presets::USER_PASSWORD,
            &[],
        )
        .await,
    )
    .await;
    assert!(html.contains("Approve sign-in request"));
    let response = open_authorize(&http, &sb, SCOPES, &Pkce::new(), &none).await;
    assert_eq!(
        redirect_error(&response),
        ("interaction_required".into(), "AADSTS50076".into())
    );
}

/// Item 5. Source: Graph docs api-reference/v1.0/api/organization-list.md and organization-get.md
/// (User.Read suffices and reads only `id`, `displayName`, `verifiedDomains`; "all other
/// properties return with null values"), resources/verifieddomain.md (the domain shape).
#[tokio::test]
async fn graph_organization_names_the_tenant_and_its_verified_domains() {
    let sb = sandbox().await;
    let http = client();
    let tokens = recruiter_tokens(&sb, SCOPES).await;
    let at = tokens["access_token"].as_str().expect("at");
    let graph = sb.graph_url();
    let list: Value = json(http.get(format!("{graph}/organization")).bearer_auth(at)).await;
    let org = &list["value"][0];
    assert_eq!(list["value"].as_array().map(Vec::len), Some(1));
    assert_eq!(org["id"], defaults::TENANT_ID);
    assert_eq!(org["displayName"], "Contoso Recruiting (sandbox)");
    assert_eq!(
        org["verifiedDomains"],
        json!([
            {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": true,
             "isInitial": false, "name": defaults::TENANT_DOMAIN, "type": "Managed"},
            {"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": false,
             "isInitial": true, "name": defaults::TENANT_ONMICROSOFT_DOMAIN, "type": "Managed"},
        ])
    );
    assert_eq!(
        org["tenantType"],
        Value::Null,
        "User.Read reads three properties"
    );
    let one: Value = json(
        http.get(format!("{graph}/organization/{}", defaults::TENANT_ID))
            .bearer_auth(at),
    )
    .await;
    assert_eq!(one["displayName"], org["displayName"]);
    let other = http
        .get(format!(
            "{graph}/organization/{}",
            defaults::VENDOR_TENANT_ID
        ))
        .bearer_auth(at)
        .send()
        .await
        .expect("get");
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    // Also inside $batch, beside the profile.
    let batch: Value = json(http.post(format!("{graph}/$batch")).bearer_auth(at).json(
        &json!({"requests": [
            {"id": "me", "method": "GET", "url": "/me"},
            {"id": "org", "method": "GET", "url": "/organization"},
        ]}),
    ))
    .await;
    let item = batch["responses"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["id"] == "org"))
        .expect("org response");
    assert_eq!(item["status"], 200);
    assert_eq!(item["body"]["value"][0]["id"], defaults::TENANT_ID);
}

/// Item 6. Source: Entra's recorded `organizations` document (tests/fixtures/README.md): the same
/// key set for every tenant form (no `code_challenge_methods_supported`, which Entra does not
/// publish) and Entra's lists; the named endpoints the sandbox does not serve answer 501 in the
/// token-error shape (docs/entra-reference.md §1.7).
#[tokio::test]
async fn entra_discovery_has_exactly_the_keys_of_a_recorded_entra_document() {
    let sb = sandbox().await;
    let http = client();
    let recorded = recorded_discovery();
    for tenant in [
        "organizations",
        "common",
        "consumers",
        defaults::TENANT_ID,
        defaults::TENANT_DOMAIN,
    ] {
        let doc = discovery(&http, &sb, tenant).await;
        assert_eq!(keys(&doc), keys(&recorded), "{tenant}");
        for list in [
            "claims_supported",
            "subject_types_supported",
            "scopes_supported",
            "response_modes_supported",
            "response_types_supported",
            "token_endpoint_auth_methods_supported",
            "id_token_signing_alg_values_supported",
        ] {
            assert_eq!(doc[list], recorded[list], "{tenant} {list}");
        }
    }
    let doc = discovery(&http, &sb, "organizations").await;
    for (key, method) in [
        ("device_authorization_endpoint", "POST"),
        ("end_session_endpoint", "GET"),
        ("kerberos_endpoint", "GET"),
        ("userinfo_endpoint", "GET"),
    ] {
        let url = doc[key].as_str().expect(key);
        let request = match method {
            "POST" => http.post(url).form(&[("client_id", defaults::CLIENT_ID)]),
            _ => http.get(url),
        };
        let response = request.send().await.expect("send");
        let body = token_error(response, 501, "invalid_request", 9002313).await;
        assert!(body["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("does not serve")));
    }
}

/// Item 7. Source: issue 10 item 7 and this crate's contract (sandbox/README.md "Running it"):
/// line 1 stays the base URL callers read, the third line names the address really bound.
#[tokio::test]
async fn binary_prints_the_bound_address_when_a_public_url_is_given() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entra-sandbox"))
        .args([
            "--port",
            "0",
            "--public-url",
            "https://login.sandbox.example/",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut next = || lines.next().expect("a line").expect("utf-8");
    assert_eq!(next(), "https://login.sandbox.example");
    assert_eq!(next(), "graph: https://login.sandbox.example/graph/v1.0");
    let listening = next();
    let bound = listening
        .strip_prefix("listening: http://127.0.0.1:")
        .and_then(|port| port.parse::<u16>().ok())
        .unwrap_or_else(|| panic!("{listening}"));
    assert_ne!(bound, 0);
    let doc: Value = json(client().get(format!(
        "http://127.0.0.1:{bound}/common/v2.0/.well-known/openid-configuration"
    )))
    .await;
    assert_eq!(
        doc["token_endpoint"],
        "https://login.sandbox.example/common/oauth2/v2.0/token"
    );
    child.kill().expect("kill");
    let _ = child.wait();
}
