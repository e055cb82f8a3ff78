//! The app's identity in Entra ID: an application (client) id.

use std::fmt;
use std::str::FromStr;

/// An Entra application (client) id: a GUID. Kept as written, because the keychain entry's name
/// and every request carry it so; compared in any letter case, as Entra compares it.
#[derive(Debug, Clone)]
pub struct ClientId(String);

/// Why a text is not an application (client) id, worded to follow the field's name
/// (`client_id` is not a GUID: …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("is not a GUID: use the Application (client) ID of your app registration in Entra ID")]
pub struct ClientIdError;

impl ClientId {
    /// The id as written, for URLs, requests and Graph filters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ClientId {
    type Err = ClientIdError;

    fn from_str(text: &str) -> Result<ClientId, ClientIdError> {
        uuid::Uuid::try_parse(text)
            .map(|_| ClientId(text.to_owned()))
            .map_err(|_| ClientIdError)
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq for ClientId {
    fn eq(&self, other: &ClientId) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for ClientId {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guid_is_kept_as_written_and_compared_in_any_case() {
        let id: ClientId = "0B8D3C1E-7F42-4A6B-9E15-C2D4F6A8B0E3".parse().unwrap();
        assert_eq!(id.to_string(), "0B8D3C1E-7F42-4A6B-9E15-C2D4F6A8B0E3");
        assert_eq!(id, "0b8d3c1e-7f42-4a6b-9e15-c2d4f6a8b0e3".parse().unwrap());
        assert_eq!("acme-recruit".parse::<ClientId>(), Err(ClientIdError));
        assert_eq!("".parse::<ClientId>(), Err(ClientIdError));
    }
}
