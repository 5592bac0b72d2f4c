//! Loading signing keys and certificates for the commands that sign.

use eseal::crypto::keyfile::load_key_bundle;
use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pki::{Certificate, parse_certificates};
use std::path::Path;

/// A key and its certificate, checked to belong together.
pub struct KeyAndCert {
    /// Signs with the private key.
    pub signer: SoftwareSigner,
    /// The certificate (DER).
    pub cert: Vec<u8>,
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Loads the key (PEM, DER or PKCS#12) and the certificate. The certificate comes from
/// `cert` (PEM or DER; its first certificate) or, when absent, from the PKCS#12 bundle.
pub fn load(key: &Path, cert: Option<&Path>, password: Option<&str>) -> Result<KeyAndCert, String> {
    let bundle = load_key_bundle(&read(key)?, password.map(str::as_bytes))
        .map_err(|e| format!("{}: {e}", key.display()))?;
    let cert_der = match cert {
        Some(p) => {
            let certs =
                parse_certificates(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?;
            certs
                .first()
                .map(|c| c.der().to_vec())
                .ok_or_else(|| format!("{}: no certificate", p.display()))?
        }
        None => bundle.certificates.first().cloned().ok_or_else(|| {
            format!(
                "{}: no certificate in the key file; give --cert",
                key.display()
            )
        })?,
    };
    check_pair(&bundle.key, &cert_der)?;
    Ok(KeyAndCert {
        signer: SoftwareSigner::new(bundle.key),
        cert: cert_der,
    })
}

fn check_pair(key: &PrivateKey, cert_der: &[u8]) -> Result<(), String> {
    let cert = Certificate::from_der(cert_der).map_err(|e| e.to_string())?;
    let pk = cert.public_key().map_err(|e| e.to_string())?;
    if pk != key.public_key() {
        return Err(format!(
            "the private key does not match the certificate of {}",
            cert.subject()
        ));
    }
    Ok(())
}
