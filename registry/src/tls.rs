//! TLS: loading a PEM certificate chain and key into rustls, and the demo's local CA.
//!
//! Terraform only discovers registries over HTTPS with a certificate it trusts, so the demo
//! generates a CA once (kept in the data directory) and a server certificate for 127.0.0.1
//! and localhost signed by it; users point `SSL_CERT_FILE` at the CA.

use std::fs;
use std::io::BufReader;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{0}` holds no PEM certificate: pass the server certificate (and chain) in PEM form")]
    NoCertificate(PathBuf),
    #[error("`{0}` holds no PEM private key (PKCS#8, PKCS#1 or SEC1)")]
    NoKey(PathBuf),
    #[error("the certificate and key were rejected: {0}")]
    Rustls(#[from] rustls::Error),
    #[error("cannot generate the demo certificates")]
    Generate(#[from] rcgen::Error),
    #[error("cannot write `{path}`")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A rustls server configuration from PEM files; the certificate file may hold a chain.
pub fn server_config(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, TlsError> {
    let read = |path: &Path| {
        fs::read(path).map_err(|source| TlsError::Read {
            path: path.to_owned(),
            source,
        })
    };
    let cert_pem = read(cert)?;
    let chain = rustls_pemfile::certs(&mut BufReader::new(cert_pem.as_slice()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| TlsError::Read {
            path: cert.to_owned(),
            source,
        })?;
    if chain.is_empty() {
        return Err(TlsError::NoCertificate(cert.to_owned()));
    }
    let key_pem = read(key)?;
    let key_der = rustls_pemfile::private_key(&mut BufReader::new(key_pem.as_slice()))
        .map_err(|source| TlsError::Read {
            path: key.to_owned(),
            source,
        })?
        .ok_or_else(|| TlsError::NoKey(key.to_owned()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Paths of the demo's generated CA and server certificate.
#[derive(Debug, Clone)]
pub struct LocalCa {
    /// The CA certificate to trust (`SSL_CERT_FILE`).
    pub ca_cert: PathBuf,
    /// Server certificate chain (leaf, then CA).
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
}

/// Creates (once) a local CA and a server certificate for `ips` and `localhost` under `dir`.
/// Existing files are reused so a trusted CA stays trusted across restarts.
pub fn ensure_local_ca(dir: &Path, ips: &[IpAddr]) -> Result<LocalCa, TlsError> {
    let ca = LocalCa {
        ca_cert: dir.join("ca.pem"),
        server_cert: dir.join("server.pem"),
        server_key: dir.join("server.key"),
    };
    if ca.ca_cert.exists() && ca.server_cert.exists() && ca.server_key.exists() {
        return Ok(ca);
    }
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "modreg local CA");
    ca_params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca_params.self_signed(&ca_key)?;

    let mut leaf = CertificateParams::new(vec!["localhost".to_owned()])?;
    leaf.distinguished_name
        .push(DnType::CommonName, "modreg local registry");
    leaf.subject_alt_names
        .extend(ips.iter().map(|ip| SanType::IpAddress(*ip)));
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate()?;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key)?;

    let write = |path: &Path, text: String| {
        fs::create_dir_all(dir)
            .and_then(|()| fs::write(path, text))
            .map_err(|source| TlsError::Write {
                path: path.to_owned(),
                source,
            })
    };
    write(&ca.server_key, leaf_key.serialize_pem())?;
    write(
        &ca.server_cert,
        format!("{}{}", leaf_cert.pem(), ca_cert.pem()),
    )?;
    // Written last: its presence means the set is complete.
    write(&ca.ca_cert, ca_cert.pem())?;
    Ok(ca)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_ca_signs_a_loadable_server_certificate_and_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let ips = ["127.0.0.1".parse().unwrap()];
        let ca = ensure_local_ca(dir.path(), &ips).unwrap();
        server_config(&ca.server_cert, &ca.server_key).unwrap();
        let first = fs::read(&ca.ca_cert).unwrap();
        ensure_local_ca(dir.path(), &ips).unwrap();
        assert_eq!(first, fs::read(&ca.ca_cert).unwrap());
    }

    #[test]
    fn a_file_without_a_certificate_is_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.pem");
        fs::write(&empty, "").unwrap();
        let err = server_config(&empty, &empty).unwrap_err();
        assert!(err.to_string().contains("empty.pem"), "{err}");
    }
}
