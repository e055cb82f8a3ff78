//! Discovery, keys, bad input, persistence and the command line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::util::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entra_sandbox::seed::defaults;
use entra_sandbox::{start, SandboxConfig};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn ref_1_9_discovery_and_keys_for_every_tenant_form() {
    let sb = sandbox().await;
    let http = client();
    for tenant in [
        "common",
        "organizations",
        "consumers",
        defaults::TENANT_ID,
        defaults::TENANT_DOMAIN,
    ] {
        let url = sb
            .authority(tenant)
            .join("v2.0/.well-known/openid-configuration")
            .expect("url");
        let doc: Value = json(http.get(url)).await;
        // A tenant named by domain is answered with its GUID, as Entra does (tests/it/fidelity.rs).
        let segment = if tenant == defaults::TENANT_DOMAIN {
            defaults::TENANT_ID
        } else {
            tenant
        };
        assert_eq!(
            doc["authorization_endpoint"],
            format!("{}{segment}/oauth2/v2.0/authorize", sb.base_url())
        );
        assert_eq!(
            doc["token_endpoint"],
            format!("{}{segment}/oauth2/v2.0/token", sb.base_url())
        );
        let keys: Value = json(http.get(doc["jwks_uri"].as_str().expect("jwks"))).await;
        assert_eq!(keys["keys"][0]["kty"], "RSA");
    }
    let url = sb
        .authority(defaults::TENANT_DOMAIN)
        .join("v2.0/.well-known/openid-configuration")
        .expect("url");
    let doc: Value = json(http.get(url)).await;
    assert_eq!(
        doc["issuer"],
        format!("{}{}/v2.0", sb.base_url(), defaults::TENANT_ID)
    );
}

#[tokio::test]
async fn ref_1_9_tokens_are_signed_by_a_published_key() {
    let sb = sandbox().await;
    let body = recruiter_tokens(&sb, "openid Mail.Read").await;
    let id_token = body["id_token"].as_str().expect("id token");
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').next().expect("header"))
            .expect("b64"),
    )
    .expect("json");
    assert_eq!(header["alg"], "RS256");
    let keys: Value = client()
        .get(
            sb.base_url()
                .join("common/discovery/v2.0/keys")
                .expect("url"),
        )
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(keys["keys"][0]["kid"], header["kid"]);
}

#[tokio::test]
async fn wrong_methods_are_405_in_the_token_error_shape() {
    let sb = sandbox().await;
    let http = client();
    let token_url = sb.base_url().join("common/oauth2/v2.0/token").expect("url");
    token_error(get(&http, token_url).await, 405, "invalid_request", 900561).await;
    let keys = sb
        .base_url()
        .join("common/discovery/v2.0/keys")
        .expect("url");
    token_error(
        http.post(keys).send().await.expect("post"),
        405,
        "invalid_request",
        900561,
    )
    .await;
    let authorize = sb
        .base_url()
        .join("common/oauth2/v2.0/authorize")
        .expect("url");
    token_error(
        http.put(authorize).send().await.expect("put"),
        405,
        "invalid_request",
        900561,
    )
    .await;
}

#[tokio::test]
async fn oversized_and_non_utf8_bodies_do_not_crash() {
    let sb = sandbox().await;
    let http = client();
    let token_url = sb.base_url().join("common/oauth2/v2.0/token").expect("url");
    let huge = format!(
        "client_id={}&grant_type=refresh_token&refresh_token={}",
        defaults::CLIENT_ID,
        "a".repeat(70 * 1024)
    );
    let response = http
        .post(token_url.clone())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let junk: Vec<u8> = b"client_id=\xff\xfe%zz&grant_type=%C0%AF&\x00=\x01".to_vec();
    let response = http
        .post(token_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(junk)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let authorize = format!(
        "{}common/oauth2/v2.0/authorize?client_id=%ff%fe&redirect_uri=%zz&scope=%C0",
        sb.base_url()
    );
    let response = get(&http, authorize).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = http
        .post(
            sb.base_url()
                .join("common/oauth2/v2.0/authorize")
                .expect("url"),
        )
        .body(vec![b'x'; 100 * 1024])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Still serving.
    let discovery = sb
        .authority("common")
        .join("v2.0/.well-known/openid-configuration")
        .expect("url");
    assert_eq!(get(&http, discovery).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn ref_11_4_web_platform_app_without_secret_is_7000218() {
    let sb = fixture_sandbox().await;
    let response = token_grant(
        &client(),
        &sb,
        "22222222-3333-4444-8555-666666666666",
        "authorization_code",
        &[("code", "x"), ("redirect_uri", "http://localhost/callback")],
    )
    .await;
    token_error(response, 401, "invalid_client", 7000218).await;
}

#[tokio::test]
async fn state_file_keeps_grants_and_refresh_tokens_across_restarts() {
    let dir = std::env::temp_dir().join(format!("entra-sandbox-state-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("state.json");
    let config = SandboxConfig {
        state_file: Some(file.clone()),
        ..SandboxConfig::with_default_seed()
    };
    let sb = start(config.clone()).await.expect("start");
    let body = recruiter_tokens(&sb, "openid offline_access Mail.Read").await;
    let rt = body["refresh_token"].as_str().expect("rt").to_owned();
    sb.shutdown().await;
    let saved = std::fs::read_to_string(&file).expect("state saved");
    assert!(
        !saved.contains(&rt),
        "only hashes of refresh tokens are stored"
    );
    let sb = start(config).await.expect("restart");
    assert_eq!(sb.control().grants(defaults::TENANT_ID).len(), 1);
    let response = token_grant(
        &client(),
        &sb,
        defaults::CLIENT_ID,
        "refresh_token",
        &[("refresh_token", &rt)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let at = body["access_token"].as_str().expect("at");
    let me = client()
        .get(format!("{}/me", sb.graph_url()))
        .bearer_auth(at)
        .send()
        .await
        .expect("get");
    assert_eq!(me.status(), StatusCode::OK);
    sb.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn binary_prints_base_url_then_graph_line() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_entra-sandbox"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = lines.next().expect("first line").expect("utf-8");
    let graph = lines.next().expect("second line").expect("utf-8");
    assert!(
        base.starts_with("http://127.0.0.1:") && !base.ends_with('/'),
        "{base}"
    );
    assert_eq!(graph, format!("graph: {base}/graph/v1.0"));
    let response = client()
        .get(format!(
            "{base}/common/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    child.kill().expect("kill");
    let _ = child.wait();
}

#[tokio::test]
async fn public_url_is_written_into_urls_and_issuers() {
    let public = url::Url::parse("https://login.sandbox.example/").expect("url");
    let config = SandboxConfig {
        public_url: Some(public.clone()),
        ..SandboxConfig::with_default_seed()
    };
    let sb = start(config).await.expect("start");
    assert_eq!(sb.base_url(), &public);
    assert_eq!(
        sb.graph_url().as_str(),
        "https://login.sandbox.example/graph/v1.0"
    );
    assert_eq!(
        sb.authority("common").as_str(),
        "https://login.sandbox.example/common/v2.0"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn counts_every_request_it_answers_for_benchmarks() {
    let sb = sandbox().await;
    let http = client();
    let before = sb.control().requests_served();
    let discovery = sb
        .authority("organizations")
        .join("v2.0/.well-known/openid-configuration")
        .expect("url");
    get(&http, discovery).await;
    get(&http, sb.base_url().join("no/such/path").expect("url")).await;
    get(&http, sb.graph_url()).await;
    assert_eq!(sb.control().requests_served() - before, 3);
}
