//! Certificate revocation lists (RFC 5280 §5), signed with SM2-with-SM3 or an RSA / ECDSA
//! algorithm of [`crate::pki::alg`].
//!
//! A [`Crl`] keeps the raw TBSCertList so its signature is verified over the signed bytes. Only
//! complete, direct CRLs are used for revocation checking: a CRL carrying a critical extension
//! not understood here (deltaCRLIndicator, issuingDistributionPoint, …) or a critical entry
//! extension (certificateIssuer: an indirect CRL) is parsed but reported unusable by
//! [`Crl::unsupported`], as §5.2 / §5.3 require.

use crate::asn1::{self, Reader};
use crate::crypto::sm2::PublicKey;
use crate::error::{Error, ErrorKind, Result};
use crate::pki::Time;
use crate::pki::alg::SubjectPublicKey;
use crate::pki::cert::{
    range_in, read_algorithm_with_params, read_signature_bits, read_time, serial_key,
    serial_to_hex, verify_any, verify_sm2_sm3,
};
use crate::pki::ext::{self, AUTHORITY_KEY_ID};
use crate::pki::name::Name;
use crate::pki::pem;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::oid::{CRL_NUMBER, CRL_REASONS as REASON_CODE, INVALIDITY_DATE};

/// Largest CRL accepted, in bytes (hostile-input bound).
pub const MAX_CRL_SIZE: usize = 16 * 1024 * 1024;

/// One revoked certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokedCert {
    /// Serial number INTEGER body, canonical (no leading zero bytes).
    pub serial: Vec<u8>,
    /// revocationDate.
    pub date: Time,
    /// CRLReason (RFC 5280 §5.3.1), when given.
    pub reason: Option<u8>,
}

impl RevokedCert {
    /// The serial as uppercase hex.
    pub fn serial_hex(&self) -> String {
        serial_to_hex(&self.serial)
    }
}

/// A CRL. Cloning is cheap.
#[derive(Clone)]
pub struct Crl {
    inner: Arc<Inner>,
}

struct Inner {
    der: Vec<u8>,
    tbs: Range<usize>,
    tbs_sig_alg: String,
    sig_alg: String,
    /// Parameters (whole TLV) of the signed and of the outer signature algorithm.
    sig_params: (Option<Vec<u8>>, Option<Vec<u8>>),
    signature: Vec<u8>,
    issuer: Name,
    this_update: Time,
    next_update: Option<Time>,
    revoked: Vec<RevokedCert>,
    authority_key_id: Option<Vec<u8>>,
    unsupported: Vec<String>,
    /// The key (SEC1) whose verification of the signature succeeded: a CRL shared by a batch
    /// is verified once.
    verified_by: OnceLock<[u8; 65]>,
    /// Serial → index of its first entry, built on the first lookup.
    index: OnceLock<HashMap<Vec<u8>, usize>>,
}

impl std::fmt::Debug for Crl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crl")
            .field("issuer", &self.issuer())
            .field("this_update", &self.this_update())
            .field("revoked", &self.inner.revoked.len())
            .finish()
    }
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedCrl, msg)
}

impl Crl {
    /// Parses a DER CRL, or the first `X509 CRL` block of PEM input.
    pub fn from_der_or_pem(bytes: &[u8]) -> Result<Crl> {
        if pem::is_pem(bytes) {
            let blocks = pem::decode_all(bytes, ErrorKind::MalformedCrl)?;
            let block = blocks
                .into_iter()
                .find(|b| b.label == "X509 CRL")
                .ok_or_else(|| malformed("no X509 CRL block in the PEM input"))?;
            return Self::from_der(&block.der);
        }
        // DER: the CRL is the first element; trailing white space or NUL padding after it (as
        // some files carry) is ignored. Never trim the element itself: its last byte is the end
        // of the signature and may look like white space.
        match crate::asn1::read_tlv(bytes) {
            Ok((_, _, rest)) if rest.iter().all(|b| b.is_ascii_whitespace() || *b == 0) => {
                Self::from_der(&bytes[..bytes.len() - rest.len()])
            }
            _ => Self::from_der(bytes),
        }
    }

    /// Parses one DER CRL.
    pub fn from_der(der: &[u8]) -> Result<Crl> {
        if der.len() > MAX_CRL_SIZE {
            return Err(malformed("CRL exceeds the size limit"));
        }
        Self::parse(der.to_vec()).map_err(|e| {
            if e.kind() == ErrorKind::MalformedCrl {
                e
            } else {
                malformed(e.to_string())
            }
        })
    }

    fn parse(der: Vec<u8>) -> Result<Crl> {
        let top = asn1::parse_single(&der)?;
        if top.tag != asn1::SEQUENCE {
            return Err(malformed("not a SEQUENCE"));
        }
        let mut list = top.reader();
        let tbs_el = list.read_element(asn1::SEQUENCE)?;
        let (sig_alg, sig_params) = read_algorithm_with_params(&mut list)?;
        let signature = read_signature_bits(&mut list)?;
        list.finish()?;

        let mut tbs = tbs_el.reader();
        if let Some(v) = tbs.read_optional(asn1::INTEGER)? {
            let n = asn1::int_to_i64(v.body)?;
            if n != 1 && n != 0 {
                return Err(malformed(format!("unknown CRL version {n}")));
            }
        }
        let (tbs_sig_alg, tbs_sig_params) = read_algorithm_with_params(&mut tbs)?;
        let issuer = Name::read(&mut tbs)?;
        let this_update = read_time(&mut tbs)?;
        let next_update = match tbs.peek_tag() {
            Some(asn1::UTC_TIME) | Some(asn1::GENERALIZED_TIME) => Some(read_time(&mut tbs)?),
            _ => None,
        };
        let mut revoked = Vec::new();
        let mut unsupported = Vec::new();
        if let Some(list) = tbs.read_optional(asn1::SEQUENCE)? {
            let mut entries = list.reader();
            while !entries.is_empty() {
                let mut e = entries.read_sequence()?;
                let serial = e.read(asn1::INTEGER)?;
                if serial.is_empty() || serial.len() > 64 {
                    return Err(malformed("revoked serial empty or longer than 64 bytes"));
                }
                let date = read_time(&mut e)?;
                let mut reason = None;
                if let Some(exts) = e.read_optional(asn1::SEQUENCE)? {
                    for x in ext::read_extensions(exts.body)? {
                        match x.oid.as_str() {
                            REASON_CODE => {
                                let mut r = Reader::new(x.value);
                                let body = r.read(0x0a)?;
                                r.finish()?;
                                reason = Some(asn1::int_to_i64(body)?.clamp(0, 255) as u8);
                            }
                            INVALIDITY_DATE => {}
                            other if x.critical => {
                                unsupported.push(format!("critical entry extension {other}"))
                            }
                            _ => {}
                        }
                    }
                }
                e.finish()?;
                revoked.push(RevokedCert {
                    serial: serial_key(serial).to_vec(),
                    date,
                    reason,
                });
            }
        }
        let mut authority_key_id = None;
        if let Some(x) = tbs.read_optional(asn1::context(0))? {
            let mut xr = x.reader();
            let body = xr.read(asn1::SEQUENCE)?;
            xr.finish()?;
            for e in ext::read_extensions(body)? {
                match e.oid.as_str() {
                    AUTHORITY_KEY_ID => {
                        authority_key_id = ext::read_authority_key_id(e.value)?;
                    }
                    CRL_NUMBER => {}
                    other if e.critical => unsupported.push(format!("critical extension {other}")),
                    _ => {}
                }
            }
        }
        tbs.finish()?;
        let tbs_range = range_in(&der, tbs_el.raw);
        Ok(Crl {
            inner: Arc::new(Inner {
                tbs: tbs_range,
                tbs_sig_alg,
                sig_alg,
                sig_params: (tbs_sig_params, sig_params),
                signature,
                issuer,
                this_update,
                next_update,
                revoked,
                authority_key_id,
                unsupported,
                der,
                verified_by: OnceLock::new(),
                index: OnceLock::new(),
            }),
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }

    /// The raw TBSCertList (the signed bytes).
    pub fn tbs_der(&self) -> &[u8] {
        &self.inner.der[self.inner.tbs.clone()]
    }

    /// Issuer, RFC 4514 style.
    pub fn issuer(&self) -> String {
        self.inner.issuer.to_string()
    }

    /// The parsed issuer name.
    pub fn issuer_name(&self) -> &Name {
        &self.inner.issuer
    }

    /// thisUpdate.
    pub fn this_update(&self) -> Time {
        self.inner.this_update
    }

    /// nextUpdate, when present.
    pub fn next_update(&self) -> Option<Time> {
        self.inner.next_update
    }

    /// The revoked certificates.
    pub fn revoked(&self) -> &[RevokedCert] {
        &self.inner.revoked
    }

    /// keyIdentifier of the CRL's authorityKeyIdentifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.inner.authority_key_id.as_deref()
    }

    /// Why this CRL cannot be used as a complete direct CRL (empty when it can).
    pub fn unsupported(&self) -> &[String] {
        &self.inner.unsupported
    }

    /// The entry for `serial` (an INTEGER body), if listed.
    pub fn find(&self, serial: &[u8]) -> Option<&RevokedCert> {
        let key = serial_key(serial);
        let index = self.inner.index.get_or_init(|| {
            let mut m = HashMap::with_capacity(self.inner.revoked.len());
            for (i, r) in self.inner.revoked.iter().enumerate() {
                m.entry(r.serial.clone()).or_insert(i);
            }
            m
        });
        index.get(key).and_then(|&i| self.inner.revoked.get(i))
    }

    /// Verifies the CRL's SM2-with-SM3 signature (default user ID) over the raw TBSCertList.
    /// A success is remembered with the key, so a CRL checked for every certificate of a batch
    /// costs one signature verification.
    pub fn verify_signed_by(&self, issuer_key: &PublicKey) -> Result<()> {
        let sec1 = issuer_key.to_sec1_uncompressed();
        if self.inner.verified_by.get() == Some(&sec1) {
            return Ok(());
        }
        verify_sm2_sm3(
            issuer_key,
            &self.inner.tbs_sig_alg,
            &self.inner.sig_alg,
            self.tbs_der(),
            &self.inner.signature,
        )?;
        let _ = self.inner.verified_by.set(sec1);
        Ok(())
    }

    /// Verifies the CRL's signature with the issuer's key of any supported algorithm (see
    /// [`crate::pki::alg`]); SM2 keys take [`Crl::verify_signed_by`].
    pub fn verify_signed_by_key(&self, issuer_key: &SubjectPublicKey) -> Result<()> {
        if let SubjectPublicKey::Sm2(k) = issuer_key {
            return self.verify_signed_by(k);
        }
        let p = &self.inner.sig_params;
        verify_any(
            issuer_key,
            (&self.inner.tbs_sig_alg, p.0.as_deref()),
            (&self.inner.sig_alg, p.1.as_deref()),
            self.tbs_der(),
            &self.inner.signature,
        )
    }
}

#[cfg(test)]
mod tests {

    /// A DER CRL whose signature ends in a byte that looks like white space (0x00, 0x09, 0x0a,
    /// 0x0c, 0x0d, 0x20) parses whole; padding after it is ignored.
    #[test]
    fn der_crl_ending_in_whitespace_byte() {
        use crate::crypto::{PrivateKey, SoftwareSigner};
        use crate::pki::issue::{Issuer, NameBuilder, issue_crl};
        let t = Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
        let key = PrivateKey::generate().unwrap();
        let signer = SoftwareSigner::new(key.clone());
        let issuer = Issuer {
            name_der: NameBuilder::new().common_name("crl").to_der().unwrap(),
            public_key: key.public_key().clone(),
            signer: &signer,
        };
        for _ in 0..5000 {
            let der = issue_crl(&issuer, t, Time(t.0 + 86400), 1, &[]).unwrap();
            if der
                .last()
                .is_some_and(|b| *b == 0 || b.is_ascii_whitespace())
            {
                assert_eq!(Crl::from_der_or_pem(&der).unwrap().der(), &der[..]);
                let mut padded = der.clone();
                padded.extend_from_slice(b"\n\0 ");
                assert_eq!(Crl::from_der_or_pem(&padded).unwrap().der(), &der[..]);
                return;
            }
        }
        panic!("no CRL ending in a white-space byte in 5000 tries");
    }

    use super::*;

    #[test]
    fn rejects_garbage() {
        assert_eq!(
            Crl::from_der_or_pem(&[0x30, 0x00]).unwrap_err().kind(),
            ErrorKind::MalformedCrl
        );
        assert!(Crl::from_der_or_pem(b"").is_err());
        assert!(
            Crl::from_der_or_pem(b"-----BEGIN X509 CRL-----\n!!\n-----END X509 CRL-----").is_err()
        );
    }
}
