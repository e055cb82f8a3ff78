//! TLS as reqwest's `rustls` feature sets it up (rustls-platform-verifier: the OS trust store;
//! on Linux the system bundle, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set), with one addition:
//! a refused certificate names its issuer. rustls's errors say only "unknown issuer", and behind a
//! TLS-inspecting proxy the issuer is what IT needs to hear.

use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};

/// A certificate the trust store refused, with who issued it. It travels inside rustls's
/// `InvalidCertificate(Other(..))` up to [`super::NetworkFailure`].
#[derive(Debug, thiserror::Error)]
#[error("{problem} (issued by {})", issuer.as_deref().unwrap_or("an issuer that could not be read"))]
pub(crate) struct RefusedCertificate {
    /// The issuer's common name (or its whole name when it has none).
    pub(crate) issuer: Option<String>,
    /// What the verifier said.
    pub(crate) problem: CertificateError,
}

/// The TLS settings for reqwest: the platform verifier (wrapped), and HTTP/1.1 by ALPN.
pub(super) fn client_config() -> Result<rustls::ClientConfig, rustls::Error> {
    // An installed process default, else ring (smaller than aws-lc-rs in the installer).
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let verifier = NamingVerifier {
        provider: provider.clone(),
        platform: OnceLock::new(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // HTTP/1.1 only: the app is built without HTTP/2 (the workspace's reqwest features), and
    // Microsoft's servers pick `h2` when it is offered, on which hyper-util panics ("http2
    // feature is not enabled") and the release build aborts. reqwest takes this list as it is.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// rustls-platform-verifier, made at the first handshake (so a machine without a trust store
/// fails that handshake with a clear reason instead of failing to build a client), whose
/// certificate refusals carry the issuer.
#[derive(Debug)]
struct NamingVerifier {
    provider: Arc<CryptoProvider>,
    platform: OnceLock<Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

impl NamingVerifier {
    fn platform(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        self.platform
            .get_or_init(|| rustls_platform_verifier::Verifier::new(self.provider.clone()))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl ServerCertVerifier for NamingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.platform()?
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map_err(|e| match e {
                rustls::Error::InvalidCertificate(problem) => {
                    let refused = RefusedCertificate {
                        issuer: issuer_of(end_entity),
                        problem,
                    };
                    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(
                        Arc::new(refused),
                    )))
                }
                other => other,
            })
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The issuer's common name, else its whole distinguished name; None when the certificate does
/// not parse (it came from the network: never trusted to be well-formed).
fn issuer_of(certificate: &CertificateDer<'_>) -> Option<String> {
    let (_, parsed) = x509_parser::parse_x509_certificate(certificate.as_ref()).ok()?;
    let issuer = parsed.issuer();
    let common_name = issuer
        .iter_common_name()
        .find_map(|cn| cn.as_str().ok().map(str::to_owned));
    common_name
        .or_else(|| Some(issuer.to_string()))
        .filter(|name| !name.trim().is_empty())
}
