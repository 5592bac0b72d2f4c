//! The caller's trust store: trust anchors, known intermediate certificates and CRLs.
//!
//! Trust is explicit, as in rustls-webpki: nothing is trusted unless the caller adds it, and
//! there is no global state. An anchor is trusted for its name and key (RFC 5280 §6.1.1 (d));
//! its own extensions are not enforced (RFC 5937 leaves that optional, and test roots in the
//! field, such as ofdrw's, lack keyCertSign). The store is `Send + Sync`; clone it cheaply
//! (certificates and CRLs are reference-counted) or share it behind an `Arc`.

use crate::error::{ErrorKind, Result};
use crate::pki::cert::{Certificate, parse_certificates};
use crate::pki::crl::Crl;
use crate::pki::pem;

/// Trust anchors, intermediates and CRLs supplied by the caller.
#[derive(Clone, Debug, Default)]
pub struct TrustStore {
    anchors: Vec<Certificate>,
    intermediates: Vec<Certificate>,
    crls: Vec<Crl>,
}

impl TrustStore {
    /// An empty store (every chain is then indeterminate).
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a trust anchor (duplicates are ignored).
    pub fn add_anchor(&mut self, c: Certificate) {
        if !self.anchors.contains(&c) {
            self.anchors.push(c);
        }
    }

    /// Adds an untrusted intermediate certificate available for path building.
    pub fn add_intermediate(&mut self, c: Certificate) {
        if !self.intermediates.contains(&c) {
            self.intermediates.push(c);
        }
    }

    /// Adds a CRL.
    pub fn add_crl(&mut self, c: Crl) {
        if !self.crls.iter().any(|x| x.der() == c.der()) {
            self.crls.push(c);
        }
    }

    /// Adds every certificate of PEM or DER input as an anchor; returns how many.
    pub fn add_pem_or_der_anchors(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = parse_certificates(bytes)?;
        let n = certs.len();
        certs.into_iter().for_each(|c| self.add_anchor(c));
        Ok(n)
    }

    /// Adds every certificate of PEM or DER input as an intermediate; returns how many.
    pub fn add_pem_or_der_intermediates(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = parse_certificates(bytes)?;
        let n = certs.len();
        certs.into_iter().for_each(|c| self.add_intermediate(c));
        Ok(n)
    }

    /// Adds every CRL of PEM input (all `X509 CRL` blocks) or one DER CRL; returns how many.
    pub fn add_pem_or_der_crls(&mut self, bytes: &[u8]) -> Result<usize> {
        if pem::is_pem(bytes) {
            let blocks = pem::decode_all(bytes, ErrorKind::MalformedCrl)?;
            let mut n = 0;
            for b in blocks.iter().filter(|b| b.label == "X509 CRL") {
                self.add_crl(Crl::from_der(&b.der)?);
                n += 1;
            }
            if n == 0 {
                return Err(crate::Error::new(
                    ErrorKind::MalformedCrl,
                    "no X509 CRL block in the PEM input",
                ));
            }
            return Ok(n);
        }
        self.add_crl(Crl::from_der_or_pem(bytes)?);
        Ok(1)
    }

    /// The trust anchors.
    pub fn anchors(&self) -> &[Certificate] {
        &self.anchors
    }

    /// The intermediates.
    pub fn intermediates(&self) -> &[Certificate] {
        &self.intermediates
    }

    /// The CRLs.
    pub fn crls(&self) -> &[Crl] {
        &self.crls
    }

    /// True when no anchor was added.
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    /// True when `c` is a trust anchor (same subject name and public key as one).
    pub fn is_anchor(&self, c: &Certificate) -> bool {
        self.anchors
            .iter()
            .any(|a| a == c || a.same_subject_and_key(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<TrustStore>();
        let mut s = TrustStore::new();
        assert!(s.is_empty());
        assert!(s.add_pem_or_der_anchors(b"junk").is_err());
        assert!(s.add_pem_or_der_crls(b"junk").is_err());
    }
}
