//! OpenID Connect against Entra (or any certified provider): discovery, the authorize link (auth
//! code + PKCE S256), code redemption and refresh as a public client, and the id token checks.

use std::fmt;

use base64::Engine as _;
use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AccessToken, AuthUrl, AuthorizationCode, ClientId, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardRevocableToken, TokenUrl,
};
use serde::{Deserialize, Serialize};
use serde_with::{serde_as, DisplayFromStr, OneOrMany, PickFirst};
use time::OffsetDateTime;
use url::Url;

use crate::error::{ConnectError, OAuthErrorFields};
use crate::status::{Account, Organization};

/// Entra's token error JSON: the standard fields plus `error_codes`, `trace_id`,
/// `correlation_id`, `timestamp`, `suberror` (oauth2's `StandardErrorResponse` drops them).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EntraErrorResponse(OAuthErrorFields);

impl fmt::Display for EntraErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.summary())
    }
}

impl oauth2::ErrorResponse for EntraErrorResponse {}

/// An id token (a JWT). Its Debug output is redacted: it names the user.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct IdToken(String);

impl fmt::Debug for IdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdToken([redacted])")
    }
}

/// The token response: RFC 6749 §5.1 plus `id_token`, tolerating `expires_in` as a string.
#[serde_as]
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct EntraTokenResponse {
    access_token: AccessToken,
    #[serde(deserialize_with = "oauth2::helpers::deserialize_untagged_enum_case_insensitive")]
    token_type: BasicTokenType,
    #[serde_as(as = "Option<PickFirst<(_, DisplayFromStr)>>")]
    #[serde(default)]
    expires_in: Option<u64>,
    #[serde(default)]
    refresh_token: Option<RefreshToken>,
    #[serde(rename = "scope", default)]
    #[serde(deserialize_with = "oauth2::helpers::deserialize_space_delimited_vec")]
    #[serde(serialize_with = "oauth2::helpers::serialize_space_delimited_vec")]
    scopes: Option<Vec<Scope>>,
    #[serde(default)]
    id_token: Option<IdToken>,
}

impl oauth2::TokenResponse for EntraTokenResponse {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }
    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }
    fn expires_in(&self) -> Option<std::time::Duration> {
        self.expires_in.map(std::time::Duration::from_secs)
    }
    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }
    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

type OAuthClient = oauth2::Client<
    EntraErrorResponse,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What discovery tells us.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Discovery {
    pub(crate) issuer: String,
    authorization_endpoint: Url,
    token_endpoint: Url,
}

impl Discovery {
    /// Whether `iss` is this provider's issuer. Microsoft's multi-tenant discovery documents say
    /// `https://login.microsoftonline.com/{tenantid}/v2.0`: the token's `tid` fills it in (or,
    /// with no `tid` at hand, any single path segment does).
    pub(crate) fn issuer_matches(&self, iss: &str, tid: Option<&str>) -> bool {
        const TEMPLATE: &str = "{tenantid}";
        match (self.issuer.find(TEMPLATE), tid) {
            (None, _) => self.issuer == iss,
            (Some(_), Some(tid)) => self.issuer.replace(TEMPLATE, tid) == iss,
            (Some(at), None) => {
                let (head, tail) = (&self.issuer[..at], &self.issuer[at + TEMPLATE.len()..]);
                iss.strip_prefix(head)
                    .and_then(|rest| rest.strip_suffix(tail))
                    .is_some_and(|segment| !segment.is_empty() && !segment.contains('/'))
            }
        }
    }

    fn client(&self, client_id: &str) -> OAuthClient {
        oauth2::Client::new(ClientId::new(client_id.to_owned()))
            .set_auth_uri(AuthUrl::from_url(self.authorization_endpoint.clone()))
            .set_token_uri(TokenUrl::from_url(self.token_endpoint.clone()))
    }
}

/// The HTTP client for the sign-in service and Graph. No redirects: the token endpoint must
/// answer itself (oauth2's advice against SSRF).
pub(crate) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(std::time::Duration::from_secs(15))
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap_or_default()
}

/// Reads `{authority}/.well-known/openid-configuration`.
pub(crate) async fn discover(
    http: &reqwest::Client,
    authority: &Url,
) -> Result<Discovery, ConnectError> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        authority.as_str().trim_end_matches('/')
    );
    let fail = |reason: String| ConnectError::Discovery {
        url: url.clone(),
        reason,
    };
    let response = http
        .get(&url)
        .send()
        .await
        .map_err(|e| network_error(&url, &e))?;
    if !response.status().is_success() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let discovery: Discovery = response.json().await.map_err(|e| fail(e.to_string()))?;
    for endpoint in [&discovery.authorization_endpoint, &discovery.token_endpoint] {
        if endpoint.scheme() != "https" && !crate::profile::is_loopback(endpoint) {
            return Err(fail(format!("{endpoint} is not https")));
        }
    }
    Ok(discovery)
}

/// The authorize link and the secrets that go with it.
pub(crate) struct AuthorizeRequest {
    pub(crate) url: Url,
    pub(crate) nonce: String,
    pub(crate) verifier: PkceCodeVerifier,
    pub(crate) redirect_uri: String,
}

/// Who is expected to sign in, and whether the page may show anything.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hints<'a> {
    /// Pre-fills the account (`login_hint`).
    pub(crate) login_hint: Option<&'a str>,
    /// The organization (`domain_hint`: skips home-realm discovery, ref §1.2).
    pub(crate) domain_hint: Option<&'a str>,
    /// `prompt=none`: answer at once from the browser's session, or fail with
    /// `consent_required` / `interaction_required` / `login_required`.
    pub(crate) silent: bool,
}

/// Builds the authorize link: code + PKCE S256, random `state` and `nonce`,
/// `prompt=select_account` or `none` (never `consent`: it blocks users even after admin consent,
/// ref §3.3).
pub(crate) fn authorize_request(
    discovery: &Discovery,
    client_id: &str,
    redirect_uri: String,
    state: CsrfToken,
    scopes: &[String],
    hints: Hints<'_>,
) -> Result<AuthorizeRequest, ConnectError> {
    let redirect = RedirectUrl::new(redirect_uri.clone())
        .map_err(|e| ConnectError::Loopback(e.to_string()))?;
    let client = discovery.client(client_id).set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = CsrfToken::new_random().secret().clone();
    let mut request = client
        .authorize_url(move || state)
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .set_pkce_challenge(challenge)
        .add_extra_param("nonce", nonce.clone())
        .add_extra_param(
            "prompt",
            if hints.silent {
                "none"
            } else {
                "select_account"
            },
        );
    if let Some(hint) = hints.login_hint {
        request = request.add_extra_param("login_hint", hint.to_owned());
    }
    if let Some(hint) = hints.domain_hint {
        request = request.add_extra_param("domain_hint", hint.to_owned());
    }
    let (url, _state) = request.url();
    Ok(AuthorizeRequest {
        url,
        nonce,
        verifier,
        redirect_uri,
    })
}

/// Fresh tokens.
pub(crate) struct Tokens {
    pub(crate) access: AccessToken,
    pub(crate) refresh: Option<RefreshToken>,
    pub(crate) expires_at: OffsetDateTime,
    pub(crate) scopes: Option<Vec<String>>,
    pub(crate) id_token: Option<IdToken>,
}

impl From<EntraTokenResponse> for Tokens {
    fn from(r: EntraTokenResponse) -> Tokens {
        // No `expires_in`: assume Entra's shortest default (60 minutes).
        let lifetime = r.expires_in.unwrap_or(3600);
        Tokens {
            access: r.access_token,
            refresh: r.refresh_token,
            expires_at: OffsetDateTime::now_utc()
                + time::Duration::seconds(lifetime.try_into().unwrap_or(3600)),
            scopes: r
                .scopes
                .map(|v| v.into_iter().map(|s| s.to_string()).collect()),
            id_token: r.id_token,
        }
    }
}

/// Redeems the authorization code (public client: no secret).
pub(crate) async fn redeem_code(
    http: &reqwest::Client,
    discovery: &Discovery,
    client_id: &str,
    redirect_uri: &str,
    code: AuthorizationCode,
    verifier: PkceCodeVerifier,
) -> Result<Tokens, ConnectError> {
    let redirect = RedirectUrl::new(redirect_uri.to_owned())
        .map_err(|e| ConnectError::Loopback(e.to_string()))?;
    let client = discovery.client(client_id).set_redirect_uri(redirect);
    let result = client
        .exchange_code(code)
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await;
    result
        .map(Tokens::from)
        .map_err(|e| token_error(&discovery.token_endpoint, e))
}

/// Redeems a refresh token. A rejection that means "sign in again" becomes `NeedsReconnect`;
/// anything else (network, server trouble) stays an ordinary error, so nothing gets wiped.
pub(crate) async fn refresh(
    http: &reqwest::Client,
    discovery: &Discovery,
    client_id: &str,
    refresh_token: &RefreshToken,
    scopes: &[String],
) -> Result<Tokens, ConnectError> {
    let client = discovery.client(client_id);
    let result = client
        .exchange_refresh_token(refresh_token)
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .request_async(http)
        .await;
    match result
        .map(Tokens::from)
        .map_err(|e| token_error(&discovery.token_endpoint, e))
    {
        Err(ConnectError::TokenRejected(fields)) if needs_new_sign_in(&fields) => {
            Err(ConnectError::NeedsReconnect(fields))
        }
        other => other,
    }
}

/// Whether a token-endpoint error means the user must sign in again (ref §5 decision hints).
/// Entra also answers `invalid_grant` for some transient trouble (peer lessons), which is why the
/// caller only marks the connection `needs_reconnect` and never deletes the stored entry.
fn needs_new_sign_in(fields: &OAuthErrorFields) -> bool {
    matches!(
        fields.error.as_str(),
        "invalid_grant" | "interaction_required" | "consent_required" | "login_required"
    )
}

fn token_error(
    endpoint: &Url,
    e: RequestTokenError<oauth2::HttpClientError<reqwest::Error>, EntraErrorResponse>,
) -> ConnectError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            ConnectError::TokenRejected(Box::new(r.0.complete_from_description()))
        }
        RequestTokenError::Request(e) => ConnectError::Network {
            host: endpoint.host_str().unwrap_or_default().to_owned(),
            reason: e.to_string(),
        },
        RequestTokenError::Parse(e, _) => ConnectError::TokenResponse(e.to_string()),
        RequestTokenError::Other(e) => ConnectError::TokenResponse(e),
    }
}

pub(crate) fn network_error(url: &str, e: &reqwest::Error) -> ConnectError {
    let host = Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    ConnectError::Network {
        host,
        reason: e.to_string(),
    }
}

/// The id token claims we read.
#[serde_as]
#[derive(Debug, Deserialize)]
pub(crate) struct IdClaims {
    iss: String,
    #[serde_as(as = "OneOrMany<_>")]
    aud: Vec<String>,
    exp: i64,
    #[serde(default)]
    nonce: Option<String>,
    sub: String,
    #[serde(default)]
    tid: Option<String>,
    #[serde(default)]
    oid: Option<String>,
    #[serde(default)]
    preferred_username: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

impl IdClaims {
    pub(crate) fn account(&self) -> Account {
        Account {
            username: self
                .preferred_username
                .clone()
                .or_else(|| self.email.clone()),
            name: self.name.clone(),
            object_id: self.oid.clone().unwrap_or_else(|| self.sub.clone()),
        }
    }

    pub(crate) fn organization(&self) -> Option<Organization> {
        self.tid.clone().map(|tenant_id| Organization {
            tenant_id,
            name: None,
        })
    }
}

/// The checked claims of the id token that came with a sign-in's tokens.
pub(crate) fn sign_in_claims(
    tokens: &Tokens,
    discovery: &Discovery,
    client_id: &str,
    nonce: &str,
) -> Result<IdClaims, ConnectError> {
    let id_token = tokens.id_token.as_ref().ok_or_else(|| {
        ConnectError::IdToken("no id token came back (was `openid` asked for?)".into())
    })?;
    check_id_token(id_token, discovery, client_id, Some(nonce))
}

/// Checks an id token's `iss`, `aud`, `exp` and (on sign-in) `nonce`, and returns its claims.
///
/// The signature is not checked: the token came straight from the token endpoint over TLS in
/// answer to our own request, which OIDC Core §3.1.3.7 (item 6) accepts in place of a signature
/// check; decoding the payload is enough.
pub(crate) fn check_id_token(
    token: &IdToken,
    discovery: &Discovery,
    client_id: &str,
    nonce: Option<&str>,
) -> Result<IdClaims, ConnectError> {
    let bad = |why: &str| ConnectError::IdToken(why.to_owned());
    let payload = token
        .0
        .split('.')
        .nth(1)
        .ok_or_else(|| bad("it is not a JWT"))?;
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = engine
        .decode(payload)
        .map_err(|_| bad("its payload is not base64url"))?;
    let claims: IdClaims = serde_json::from_slice(&bytes)
        .map_err(|e| bad(&format!("its claims are unreadable: {e}")))?;
    if !discovery.issuer_matches(&claims.iss, claims.tid.as_deref()) {
        return Err(bad(&format!(
            "issuer {} is not {}",
            claims.iss, discovery.issuer
        )));
    }
    if !claims.aud.iter().any(|a| a == client_id) {
        return Err(bad("it was issued to another application (aud)"));
    }
    // Five minutes of leeway for clock skew between this machine and the provider.
    if claims.exp + 300 < OffsetDateTime::now_utc().unix_timestamp() {
        return Err(bad("it has expired (is this computer's clock right?)"));
    }
    if let Some(expected) = nonce {
        if claims.nonce.as_deref() != Some(expected) {
            return Err(bad("its nonce does not match this sign-in"));
        }
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discovery(issuer: &str) -> Discovery {
        Discovery {
            issuer: issuer.into(),
            authorization_endpoint: Url::parse("https://login.example/authorize").unwrap(),
            token_endpoint: Url::parse("https://login.example/token").unwrap(),
        }
    }

    fn jwt(claims: serde_json::Value) -> IdToken {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        IdToken(format!(
            "{}.{}.sig",
            engine.encode(b"{\"alg\":\"none\"}"),
            engine.encode(claims.to_string())
        ))
    }

    #[test]
    fn token_response_tolerates_expires_in_as_a_string() {
        let r: EntraTokenResponse = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"3599","scope":"Mail.Send openid","refresh_token":"r"}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(3599));
        let tokens = Tokens::from(r);
        assert_eq!(tokens.scopes.unwrap(), ["Mail.Send", "openid"]);
    }

    #[test]
    fn entra_error_fields_are_kept() {
        let r: EntraErrorResponse = serde_json::from_str(
            r#"{"error":"invalid_grant","error_description":"AADSTS70008: expired.","error_codes":[70008],
                "timestamp":"2026-01-01 00:00:00Z","trace_id":"t","correlation_id":"c","suberror":"bad_token",
                "error_uri":"https://login.microsoftonline.com/error?code=70008"}"#,
        )
        .unwrap();
        assert_eq!(r.0.error_codes, [70008]);
        assert_eq!(r.0.suberror.as_deref(), Some("bad_token"));
        assert!(needs_new_sign_in(&r.0));
    }

    #[test]
    fn microsoft_issuer_template_is_filled_with_tid() {
        let d = discovery("https://login.microsoftonline.com/{tenantid}/v2.0");
        assert!(d.issuer_matches("https://login.microsoftonline.com/abc/v2.0", Some("abc")));
        assert!(!d.issuer_matches("https://login.microsoftonline.com/abc/v2.0", Some("xyz")));
        assert!(d.issuer_matches("https://login.microsoftonline.com/abc/v2.0", None));
        assert!(!d.issuer_matches("https://evil.example/abc/v2.0", None));
    }

    #[test]
    fn id_token_checks_aud_nonce_and_exp() {
        let d = discovery("https://issuer.example");
        let exp = OffsetDateTime::now_utc().unix_timestamp() + 600;
        let good = json_claims(exp, "client", "n1");
        assert!(check_id_token(&jwt(good.clone()), &d, "client", Some("n1")).is_ok());
        assert!(check_id_token(&jwt(good.clone()), &d, "other", Some("n1")).is_err());
        assert!(check_id_token(&jwt(good), &d, "client", Some("n2")).is_err());
        assert!(check_id_token(
            &jwt(json_claims(exp - 7200, "client", "n1")),
            &d,
            "client",
            Some("n1")
        )
        .is_err());
    }

    fn json_claims(exp: i64, aud: &str, nonce: &str) -> serde_json::Value {
        serde_json::json!({"iss": "https://issuer.example", "aud": aud, "exp": exp, "nonce": nonce, "sub": "s"})
    }

    #[test]
    fn authorize_link_has_pkce_state_nonce_and_no_consent_prompt() {
        let d = discovery("https://issuer.example");
        let state = CsrfToken::new_random();
        let r = authorize_request(
            &d,
            "client",
            "http://localhost:1234/".into(),
            state.clone(),
            &["openid".into()],
            Hints {
                login_hint: Some("a@b.example"),
                ..Hints::default()
            },
        )
        .unwrap();
        let q: std::collections::HashMap<_, _> = r.url.query_pairs().into_owned().collect();
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["prompt"], "select_account");
        assert_eq!(q["login_hint"], "a@b.example");
        assert_eq!(q["redirect_uri"], "http://localhost:1234/");
        assert_eq!(&q["state"], state.secret());
        assert_eq!(q["nonce"], r.nonce);
        assert!(!q.contains_key("domain_hint"));
    }

    #[test]
    fn a_silent_link_says_prompt_none_and_hints_the_organization() {
        let d = discovery("https://issuer.example");
        let hints = Hints {
            login_hint: Some("nina@northwind-hiring.example"),
            domain_hint: Some("northwind-hiring.example"),
            silent: true,
        };
        let r = authorize_request(
            &d,
            "client",
            "http://localhost:1234/".into(),
            CsrfToken::new_random(),
            &["openid".into()],
            hints,
        )
        .unwrap();
        let q: std::collections::HashMap<_, _> = r.url.query_pairs().into_owned().collect();
        assert_eq!(q["prompt"], "none");
        assert_eq!(q["domain_hint"], "northwind-hiring.example");
        assert_eq!(q["login_hint"], "nina@northwind-hiring.example");
    }
}
