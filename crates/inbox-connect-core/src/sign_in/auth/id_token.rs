//! The id token: its claims, and the checks a sign-in's id token must pass.

use base64::Engine as _;
use serde::Deserialize;
use serde_with::{serde_as, OneOrMany};
use time::OffsetDateTime;

use super::{Discovery, IdToken, Tokens};
use crate::error::ConnectError;
use crate::profile::{ClientId, TenantId};
use crate::status::{Account, Organization};

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
        self.tid.clone().map(|tid| Organization {
            tenant_id: TenantId::from(tid),
            name: None,
        })
    }
}

/// The checked claims of the id token that came with a sign-in's tokens.
pub(crate) fn sign_in_claims(
    tokens: &Tokens,
    discovery: &Discovery,
    client_id: &ClientId,
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
    client_id: &ClientId,
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
    if !claims.aud.iter().any(|a| a == client_id.as_str()) {
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
    use super::super::tests::discovery;
    use super::*;

    const CLIENT: &str = "6e1f5b2a-9c3d-4a8e-b7f0-1d2c3b4a5e69";

    fn app_id(text: &str) -> ClientId {
        text.parse().unwrap_or_else(|e| panic!("{e}"))
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
    fn id_token_checks_aud_nonce_and_exp() {
        let d = discovery("https://issuer.example");
        let exp = OffsetDateTime::now_utc().unix_timestamp() + 600;
        let (client, other) = (
            app_id(CLIENT),
            app_id("4c1d7e2b-8a3f-4b6c-9d5e-2f0a1b3c4d5e"),
        );
        let good = json_claims(exp, CLIENT, "n1");
        assert!(check_id_token(&jwt(good.clone()), &d, &client, Some("n1")).is_ok());
        assert!(check_id_token(&jwt(good.clone()), &d, &other, Some("n1")).is_err());
        assert!(check_id_token(&jwt(good), &d, &client, Some("n2")).is_err());
        assert!(check_id_token(
            &jwt(json_claims(exp - 7200, CLIENT, "n1")),
            &d,
            &client,
            Some("n1")
        )
        .is_err());
    }

    fn json_claims(exp: i64, aud: &str, nonce: &str) -> serde_json::Value {
        serde_json::json!({"iss": "https://issuer.example", "aud": aud, "exp": exp, "nonce": nonce, "sub": "s"})
    }
}
