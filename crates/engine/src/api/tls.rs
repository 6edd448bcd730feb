//! TLS for the three listeners (`serve --tls-cert/--tls-key`): the PEM files read once at start
//! into a rustls server configuration (ring provider, HTTP/2 and HTTP/1.1 offered) for the HTTP
//! ports, and into tonic's identity for gRPC.

use super::ServeError;
use crate::config::TlsFiles;
use axum_server::tls_rustls::RustlsConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::sync::Arc;

/// The certificate and key, as each server takes them.
#[derive(Clone)]
pub struct TlsMaterial {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
    pub http: RustlsConfig,
}

impl std::fmt::Debug for TlsMaterial {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("TlsMaterial").finish_non_exhaustive()
    }
}

fn invalid(files: &TlsFiles, message: impl std::fmt::Display) -> ServeError {
    ServeError::Tls { cert: files.cert.display().to_string(), key: files.key.display().to_string(), message: message.to_string() }
}

/// Reads and checks the certificate and key.
pub fn load(files: &TlsFiles) -> Result<TlsMaterial, ServeError> {
    let cert_pem = std::fs::read(&files.cert).map_err(|error| invalid(files, format!("cannot read the certificate: {error}")))?;
    let key_pem = std::fs::read(&files.key).map_err(|error| invalid(files, format!("cannot read the key: {error}")))?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|error| invalid(files, format!("the certificate is not PEM: {error}")))?;
    if chain.is_empty() {
        return Err(invalid(files, "the certificate file holds no certificate"));
    }
    let key =
        PrivateKeyDer::from_pem_slice(&key_pem).map_err(|error| invalid(files, format!("the key is not a PEM private key: {error}")))?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|error| invalid(files, error))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|error| invalid(files, format!("the certificate and key do not go together: {error}")))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsMaterial { cert_pem, key_pem, http: RustlsConfig::from_config(Arc::new(config)) })
}
