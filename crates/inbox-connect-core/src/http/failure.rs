//! What a failed HTTP call means, read from the error's `source()` chain (reqwest → hyper →
//! io / rustls / the proxy tunnel): wrapper texts such as "client error" say nothing.

use std::error::Error as StdError;

use serde::{Deserialize, Serialize};

use crate::words::Words;

use super::tls::RefusedCertificate;
use super::HttpOptions;

/// Why a call never got a complete answer. `host` is the server the call was for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "failure", rename_all = "snake_case")]
pub enum NetworkFailure {
    /// No connection could be set up in time (nothing answered, or a firewall dropped it).
    #[error("timed out connecting to {host} (no connection within {seconds} s)")]
    ConnectTimeout {
        /// The server.
        host: String,
        /// The connect timeout.
        seconds: u64,
    },
    /// Connected, but the answer did not come in time.
    #[error("no answer from {host} within {seconds} s")]
    NoAnswer {
        /// The server.
        host: String,
        /// The request timeout.
        seconds: u64,
    },
    /// The connection closed before the whole answer had come.
    #[error("the answer from {host} was cut off before it was complete")]
    CutOff {
        /// The server.
        host: String,
    },
    /// The server's TLS certificate was refused by this computer's trust store.
    #[error("the TLS certificate of {host} was not trusted (issued by {}){}",
        issuer.as_deref().unwrap_or("an issuer that could not be read"),
        problem.as_deref().map(|p| format!(": {p}")).unwrap_or_default())]
    CertificateNotTrusted {
        /// The server.
        host: String,
        /// Who issued the certificate (its common name), when it could be read.
        issuer: Option<String>,
        /// What else the verifier said (expired, for another name, ...); None when the issuer is
        /// simply not in the trust store.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        problem: Option<String>,
    },
    /// The TLS handshake failed for another reason.
    #[error("a secure connection to {host} could not be set up: {reason}")]
    Tls {
        /// The server.
        host: String,
        /// rustls's reason.
        reason: String,
    },
    /// The name does not resolve.
    #[error("DNS name {host} not found")]
    DnsNotFound {
        /// The server.
        host: String,
    },
    /// The proxy wants credentials.
    #[error("the proxy refused the connection to {host} (HTTP 407 Proxy Authentication Required)")]
    ProxyAuthRequired {
        /// The server.
        host: String,
    },
    /// The proxy answered the tunnel request with something other than 200.
    #[error("the proxy refused the connection to {host}")]
    ProxyRefused {
        /// The server.
        host: String,
    },
    /// The proxy itself could not be reached.
    #[error("could not connect to the proxy (for {host}): {reason}")]
    ProxyUnreachable {
        /// The server.
        host: String,
        /// Why.
        reason: String,
    },
    /// Nothing listens there.
    #[error("{host} refused the connection")]
    ConnectionRefused {
        /// The server.
        host: String,
    },
    /// Anything else: the innermost cause's own words.
    #[error("could not reach {host}: {reason}")]
    Other {
        /// The server.
        host: String,
        /// The innermost cause.
        reason: String,
    },
}

/// hyper-util's CONNECT tunnel error: public but not exported by name, so named through the
/// service that returns it.
type TunnelError = <hyper_util::client::legacy::connect::proxy::Tunnel<
    hyper_util::client::legacy::connect::HttpConnector,
> as tower::Service<hyper::Uri>>::Error;

impl NetworkFailure {
    /// Reads `error`'s causes for the first one that says what happened.
    pub(crate) fn of(
        host: String,
        error: &reqwest::Error,
        options: &HttpOptions,
    ) -> NetworkFailure {
        let causes = causes(error);
        for cause in &causes {
            if let Some(found) = Self::from_cause(&host, *cause) {
                return found;
            }
        }
        if error.is_dns() {
            return NetworkFailure::DnsNotFound { host };
        }
        if error.is_timeout() {
            let seconds = if error.is_connect() {
                options.connect_timeout
            } else {
                options.answer_timeout
            };
            let seconds = seconds.as_secs();
            return if error.is_connect() {
                NetworkFailure::ConnectTimeout { host, seconds }
            } else {
                NetworkFailure::NoAnswer { host, seconds }
            };
        }
        let reason = causes
            .last()
            .map_or_else(|| error.to_string(), ToString::to_string);
        NetworkFailure::Other { host, reason }
    }

    fn from_cause(host: &str, cause: &(dyn StdError + 'static)) -> Option<NetworkFailure> {
        let host = host.to_owned();
        if let Some(tunnel) = cause.downcast_ref::<TunnelError>() {
            return Some(match tunnel {
                TunnelError::ProxyAuthRequired => NetworkFailure::ProxyAuthRequired { host },
                TunnelError::ConnectFailed(e) => NetworkFailure::ProxyUnreachable {
                    host,
                    reason: innermost(e.as_ref()),
                },
                _ => NetworkFailure::ProxyRefused { host },
            });
        }
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            return Some(match tls {
                rustls::Error::InvalidCertificate(rustls::CertificateError::Other(other)) => {
                    match other.0.downcast_ref::<RefusedCertificate>() {
                        Some(refused) => NetworkFailure::CertificateNotTrusted {
                            host,
                            issuer: refused.issuer.clone(),
                            problem: describe(&refused.problem),
                        },
                        None => NetworkFailure::Tls {
                            host,
                            reason: tls.to_string(),
                        },
                    }
                }
                rustls::Error::InvalidCertificate(problem) => {
                    NetworkFailure::CertificateNotTrusted {
                        host,
                        issuer: None,
                        problem: describe(problem),
                    }
                }
                other => NetworkFailure::Tls {
                    host,
                    reason: other.to_string(),
                },
            });
        }
        if let Some(hyper) = cause.downcast_ref::<hyper::Error>() {
            if hyper.is_incomplete_message() {
                return Some(NetworkFailure::CutOff { host });
            }
        }
        let io = cause.downcast_ref::<std::io::Error>()?;
        match io.kind() {
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => {
                Some(NetworkFailure::CutOff { host })
            }
            std::io::ErrorKind::ConnectionRefused => {
                Some(NetworkFailure::ConnectionRefused { host })
            }
            _ => None,
        }
    }

    /// What to do about it.
    pub(crate) fn action(&self) -> Words {
        match self {
            NetworkFailure::CertificateNotTrusted {
                issuer: Some(issuer),
                ..
            } => Words::new("error.action.certificate_not_trusted_by")
                .with("issuer", issuer.as_str()),
            NetworkFailure::CertificateNotTrusted { issuer: None, .. } => {
                Words::new("error.action.certificate_not_trusted")
            }
            NetworkFailure::ProxyAuthRequired { .. } | NetworkFailure::ProxyRefused { .. } => {
                Words::new("error.action.proxy_refused")
            }
            NetworkFailure::ProxyUnreachable { .. } => Words::new("error.action.proxy_unreachable"),
            NetworkFailure::DnsNotFound { .. } => Words::new("error.action.dns_not_found"),
            _ => Words::new("error.action.check_network"),
        }
    }
}

/// The error's causes, outermost first. `io::Error::source()` skips the error it wraps (rustls's,
/// for one), so each io error's inner error is visited too.
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> Vec<&'a (dyn StdError + 'static)> {
    let mut out = Vec::new();
    let mut next = error.source();
    while let Some(cause) = next {
        out.push(cause);
        next = match cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => cause.source(),
        };
    }
    out
}

fn innermost(error: &(dyn StdError + 'static)) -> String {
    causes(error)
        .last()
        .map_or_else(|| error.to_string(), ToString::to_string)
}

/// What is wrong besides an issuer missing from the trust store (None: only that).
fn describe(problem: &rustls::CertificateError) -> Option<String> {
    use rustls::CertificateError as E;
    Some(match problem {
        E::UnknownIssuer => return None,
        E::Expired | E::ExpiredContext { .. } => "it has expired".into(),
        E::NotValidYet | E::NotValidYetContext { .. } => "it is not valid yet".into(),
        E::NotValidForName | E::NotValidForNameContext { .. } => {
            "it was made for another name".into()
        }
        E::Revoked => "it has been revoked".into(),
        other => other.to_string(),
    })
}
