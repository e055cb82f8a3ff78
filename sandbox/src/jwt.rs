//! RS256 JSON Web Tokens: signing, verification and the published key set.

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer as _, Verifier as _};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::error::SandboxError;
use crate::random::sha256_hex;

/// Why a token was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JwtError {
    /// Not three base64url JSON parts.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// Wrong algorithm or key id.
    #[error("the token was not signed by this sandbox")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the token signature is invalid")]
    BadSignature,
}

/// The sandbox's signing key and its key id.
#[derive(Clone)]
pub struct Signer {
    key: RsaPrivateKey,
    public: RsaPublicKey,
    kid: String,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer with a new 2048-bit key. Generation is slow, so one key is made per process and
    /// shared by every sandbox it starts.
    pub fn generate() -> Result<Self, SandboxError> {
        static KEY: OnceLock<Result<RsaPrivateKey, String>> = OnceLock::new();
        let key = KEY
            .get_or_init(|| {
                RsaPrivateKey::new(&mut rand::thread_rng(), 2048).map_err(|e| e.to_string())
            })
            .clone()
            .map_err(SandboxError::Key)?;
        Ok(Self::from_key(key))
    }

    /// A signer from a PKCS#8 PEM key (as saved in the state file).
    pub fn from_pem(pem: &str) -> Result<Self, SandboxError> {
        RsaPrivateKey::from_pkcs8_pem(pem)
            .map(Self::from_key)
            .map_err(|e| SandboxError::Key(e.to_string()))
    }

    fn from_key(key: RsaPrivateKey) -> Self {
        let public = key.to_public_key();
        // The key id is derived from the modulus so a reloaded key keeps its kid.
        let kid = sha256_hex(&URL_SAFE_NO_PAD.encode(public.n().to_bytes_be()))[..27].to_owned();
        Self { key, public, kid }
    }

    /// The key as PKCS#8 PEM, for the state file.
    pub fn to_pem(&self) -> Result<String, SandboxError> {
        self.key
            .to_pkcs8_pem(LineEnding::LF)
            .map(|pem| pem.to_string())
            .map_err(|e| SandboxError::Key(e.to_string()))
    }

    /// The key id (`kid` header).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Signs `claims` as a compact JWS.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({"typ": "JWT", "alg": "RS256", "x5t": self.kid, "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = SigningKey::<Sha256>::new(self.key.clone()).sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// Verifies a token's signature and returns its claims (expiry and audience are the caller's).
    pub fn verify(&self, token: &str) -> Result<Value, JwtError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let header: Value = decode_json(header)?;
        if header["alg"] != "RS256" || header["kid"] != self.kid.as_str() {
            return Err(JwtError::UnknownKey);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::try_from(bytes.as_slice()).ok())
            .ok_or(JwtError::Malformed)?;
        let signed_len = token.len() - signature_len(token);
        VerifyingKey::<Sha256>::new(self.public.clone())
            .verify(&token.as_bytes()[..signed_len], &signature)
            .map_err(|_| JwtError::BadSignature)?;
        decode_json(payload)
    }

    /// The JWK for the keys endpoint (docs/entra-reference.md §1.9).
    pub fn jwk(&self, issuer: &str) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "x5t": self.kid,
            "n": URL_SAFE_NO_PAD.encode(self.public.n().to_bytes_be()),
            "e": URL_SAFE_NO_PAD.encode(self.public.e().to_bytes_be()),
            "issuer": issuer,
        })
    }
}

/// Length of `.signature` at the end of a token.
fn signature_len(token: &str) -> usize {
    token.rfind('.').map_or(0, |dot| token.len() - dot)
}

fn decode_json(part: &str) -> Result<Value, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

/// Decodes a JWT's claims without verifying it (tests and diagnostics).
pub fn decode_unverified(token: &str) -> Option<Value> {
    decode_json(token.split('.').nth(1)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_verify_and_tampered_ones_do_not() {
        let signer = Signer::generate().expect("key");
        let token = signer.sign(&json!({"sub": "x"}));
        assert_eq!(signer.verify(&token).expect("verifies")["sub"], "x");
        let forged = format!(
            "{}.{}.{}",
            token.split('.').next().unwrap_or_default(),
            URL_SAFE_NO_PAD.encode(r#"{"sub":"y"}"#),
            token.rsplit('.').next().unwrap_or_default()
        );
        assert_eq!(signer.verify(&forged), Err(JwtError::BadSignature));
        assert_eq!(signer.verify("a.b"), Err(JwtError::Malformed));
        let reloaded = Signer::from_pem(&signer.to_pem().expect("pem")).expect("reload");
        assert_eq!(reloaded.kid(), signer.kid());
    }
}
