//! OpenID Connect against Entra (or any certified provider): discovery, the authorize link (auth
//! code + PKCE S256), code redemption and refresh as a public client, and the id token checks.

use std::fmt;

use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AccessToken, AuthUrl, AuthorizationCode, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    StandardRevocableToken, TokenUrl,
};
use serde::{Deserialize, Serialize};
use serde_with::{serde_as, DisplayFromStr, PickFirst};
use time::OffsetDateTime;
use url::Url;

use crate::error::{ConnectError, OAuthErrorFields};
use crate::http::oauth::{TokenHttp, TokenTransportError};
use crate::http::HttpClient;
use crate::profile::ClientId;

mod id_token;
mod prompt;
mod refresh;
pub(crate) use id_token::{check_id_token, sign_in_claims};
pub(crate) use refresh::refresh;

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
    /// The `prompt` values the provider accepts, when it says (Entra does not).
    #[serde(default)]
    prompt_values_supported: Option<Vec<String>>,
    /// Entra's name for its cloud (`microsoftonline.com`); other providers have none.
    #[serde(default)]
    cloud_instance_name: Option<String>,
    /// The scopes the provider supports, when it says (OIDC Discovery 1.0 §3).
    #[serde(default)]
    scopes_supported: Option<Vec<String>>,
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

    fn client(&self, client_id: &ClientId) -> OAuthClient {
        oauth2::Client::new(oauth2::ClientId::new(client_id.to_string()))
            .set_auth_uri(AuthUrl::from_url(self.authorization_endpoint.clone()))
            .set_token_uri(TokenUrl::from_url(self.token_endpoint.clone()))
    }
}

/// Reads `{authority}/.well-known/openid-configuration`.
pub(crate) async fn discover(
    http: &HttpClient,
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
    let network = |e: reqwest::Error| ConnectError::Network(http.failure(&url, &e));
    let response = http.get(&url).send().await.map_err(network)?;
    if !response.status().is_success() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    // The body first, then JSON: a cut-off answer is a network failure, not a bad document.
    let body = response.bytes().await.map_err(network)?;
    let discovery: Discovery = serde_json::from_slice(&body).map_err(|e| fail(e.to_string()))?;
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
    /// The organization (`domain_hint`: skips home-realm discovery, docs/entra-reference.md §1.2).
    pub(crate) domain_hint: Option<&'a str>,
    /// `prompt=none`: answer at once from the browser's session, or fail with
    /// `consent_required` / `interaction_required` / `login_required`.
    pub(crate) silent: bool,
}

/// Builds the authorize link: code + PKCE S256, random `state` and `nonce`, and `prompt=none`
/// for a silent look or what [`Discovery::interactive_prompt`] allows (never `consent` to Entra:
/// it blocks users even after admin consent, docs/entra-reference.md §3.3).
pub(crate) fn authorize_request(
    discovery: &Discovery,
    client_id: &ClientId,
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
        .add_extra_param("nonce", nonce.clone());
    let prompt = if hints.silent {
        Some("none".to_owned())
    } else {
        discovery.interactive_prompt(scopes)
    };
    if let Some(prompt) = prompt {
        request = request.add_extra_param("prompt", prompt);
    }
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
    http: &HttpClient,
    discovery: &Discovery,
    client_id: &ClientId,
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
        .request_async(&TokenHttp(http))
        .await;
    result.map(Tokens::from).map_err(token_error)
}

/// Whether a token-endpoint error means the user must sign in again (docs/entra-reference.md §5 decision hints).
/// Entra also answers `invalid_grant` for some transient trouble (peer lessons): those are
/// [`is_service_trouble`] and never get here; for the rest the caller only marks the connection
/// `needs_reconnect` and never deletes the stored entry.
fn needs_new_sign_in(fields: &OAuthErrorFields) -> bool {
    matches!(
        fields.error.as_str(),
        "invalid_grant" | "interaction_required" | "consent_required" | "login_required"
    )
}

/// AADSTS codes that mean "too many requests", whatever the `error` says (AADSTS50196: the
/// service saw a request loop and throttles the client).
const THROTTLING_CODES: [i64; 1] = [50196];

/// Whether the sign-in service refused because of its own state (busy, throttling), not because
/// of the user's sign-in.
fn is_service_trouble(fields: &OAuthErrorFields) -> bool {
    fields.error == "temporarily_unavailable"
        || fields
            .error_codes
            .iter()
            .any(|code| THROTTLING_CODES.contains(code))
}

fn token_error(e: RequestTokenError<TokenTransportError, EntraErrorResponse>) -> ConnectError {
    match e {
        RequestTokenError::ServerResponse(r) => {
            let fields = r.0.complete_from_description();
            if is_service_trouble(&fields) {
                ConnectError::SignInServiceTrouble {
                    status: None,
                    fields: Some(Box::new(fields)),
                }
            } else {
                ConnectError::TokenRejected(Box::new(fields))
            }
        }
        RequestTokenError::Request(TokenTransportError::Network(failure)) => {
            ConnectError::Network(failure)
        }
        RequestTokenError::Request(TokenTransportError::ServiceTrouble { status }) => {
            ConnectError::SignInServiceTrouble {
                status: Some(status),
                fields: None,
            }
        }
        RequestTokenError::Request(e @ TokenTransportError::Request(_)) => {
            ConnectError::TokenResponse(e.to_string())
        }
        RequestTokenError::Parse(e, _) => ConnectError::TokenResponse(e.to_string()),
        RequestTokenError::Other(e) => ConnectError::TokenResponse(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn discovery(issuer: &str) -> Discovery {
        Discovery {
            issuer: issuer.into(),
            authorization_endpoint: Url::parse("https://login.example/authorize").unwrap(),
            token_endpoint: Url::parse("https://login.example/token").unwrap(),
            prompt_values_supported: None,
            cloud_instance_name: None,
            scopes_supported: None,
        }
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
    fn throttling_and_busy_refusals_are_service_trouble_not_a_new_sign_in() {
        let fields = |error: &str, codes: Vec<i64>| OAuthErrorFields {
            error: error.into(),
            error_codes: codes,
            ..OAuthErrorFields::default()
        };
        assert!(is_service_trouble(&fields("invalid_grant", vec![50196])));
        assert!(is_service_trouble(&fields(
            "temporarily_unavailable",
            vec![]
        )));
        assert!(!is_service_trouble(&fields("invalid_grant", vec![70008])));
        let response = |f: OAuthErrorFields| {
            token_error(RequestTokenError::ServerResponse(EntraErrorResponse(f)))
        };
        assert_eq!(
            response(fields("invalid_grant", vec![50196])).code(),
            "sign_in_service_trouble"
        );
        assert_eq!(
            response(fields("invalid_grant", vec![70008])).code(),
            "token_rejected"
        );
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
    fn authorize_link_has_pkce_state_nonce_and_no_consent_prompt() {
        let mut d = discovery("https://issuer.example");
        d.cloud_instance_name = Some("microsoftonline.com".into());
        let state = CsrfToken::new_random();
        let r = authorize_request(
            &d,
            &crate::Profile::sandbox().client_id,
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
            &crate::Profile::sandbox().client_id,
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
