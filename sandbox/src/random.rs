//! Random identifiers and secrets.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random GUID in Microsoft's lower-case hyphenated form.
pub fn guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An opaque random secret (codes, refresh tokens, session ids): `bytes` random bytes, base64url.
pub fn secret(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256 of a secret: what the sandbox stores instead of the secret itself.
pub fn sha256_hex(value: &str) -> String {
    Sha256::digest(value.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A stable opaque id derived from `seed` (base64url of its SHA-256, like Graph's 43-character ids).
pub fn stable_id(seed: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(seed.as_bytes()))
}
