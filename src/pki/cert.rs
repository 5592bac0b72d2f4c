//! SM2 X.509 certificates (RFC 5280 §4.1, GM/T 0015 / GB/T 20518).
//!
//! A [`Certificate`] owns its DER and remembers where the TBSCertificate lies in it, so the
//! SM2-with-SM3 signature (`1.2.156.10197.1.501`, default user ID `1234567812345678`, GM/T 0009)
//! is always checked over the raw bytes that were signed. The subject public key must be SM2:
//! `id-ecPublicKey` with the curve `sm2p256v1` (`1.2.156.10197.1.301`), or — as some Chinese CAs
//! write it — the SM2 OID itself as the key algorithm. A certificate with another key parses
//! (it may appear in a document): [`Certificate::public_key`] (SM2 only) reports it unusable,
//! while [`Certificate::subject_key`] and [`Certificate::verify_signed_by_key`] take RSA and
//! ECDSA P-256 / P-384 keys too (see [`crate::pki::alg`]), as path validation and CRL checks do.
//!
//! Decoding is tolerant where real certificates are sloppy (v1/v2 certificates, either time
//! type, NULL or absent algorithm parameters) and strict where it matters: every length is
//! checked, duplicate extensions are rejected, and unknown critical extensions are recorded so
//! path validation can refuse the certificate (§4.2).

use crate::asn1::{self, Reader};
use crate::crypto::sm2::{DEFAULT_ID, PublicKey, Signature};
use crate::error::{Error, ErrorKind, Result};
use crate::pki::Time;
use crate::pki::alg::{SignatureAlgorithm, SubjectPublicKey};
use crate::pki::ext::{CertExtensions, KeyUsage};
use crate::pki::name::Name;
use crate::pki::pem;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

// SM2-with-SM3, `sm2sign` (found in some certificates in place of SM2-with-SM3 and read as
// such: the digest is SM3 either way), the SM2 curve and id-ecPublicKey, from [`crate::oid`].
pub use crate::oid::{ID_EC_PUBLIC_KEY as EC_PUBLIC_KEY, SM2 as SM2_CURVE, SM2_SIGN, SM2_WITH_SM3};

/// Largest certificate accepted, in bytes (hostile-input bound).
pub const MAX_CERT_SIZE: usize = 64 * 1024;

/// An X.509 certificate. Cloning is cheap (the parsed certificate is shared).
#[derive(Clone)]
pub struct Certificate {
    inner: Arc<Inner>,
}

struct Inner {
    der: Vec<u8>,
    tbs: Range<usize>,
    spki: Range<usize>,
    version: u8,
    serial: Vec<u8>,
    tbs_sig_alg: String,
    sig_alg: String,
    /// Parameters (whole TLV) of the signed and of the outer signature algorithm.
    sig_params: (Option<Vec<u8>>, Option<Vec<u8>>),
    signature: Vec<u8>,
    issuer: Name,
    subject: Name,
    not_before: Time,
    not_after: Time,
    key_alg: String,
    key: std::result::Result<PublicKey, Error>,
    /// The key for any supported algorithm (SM2, RSA, ECDSA P-256/P-384).
    subject_key: std::result::Result<SubjectPublicKey, Error>,
    ext: CertExtensions,
    /// The issuer key (SEC1) whose verification of the signature succeeded: an intermediate
    /// met on the path of every certificate of a batch is verified once.
    verified_by: OnceLock<[u8; 65]>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("subject", &self.subject())
            .field("issuer", &self.issuer())
            .field("serial", &self.serial_hex())
            .finish()
    }
}

impl PartialEq for Certificate {
    fn eq(&self, other: &Self) -> bool {
        self.der() == other.der()
    }
}

impl Eq for Certificate {}

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedCertificate, msg)
}

/// Offset range of `inner` inside `outer` (both slices of the same buffer).
pub(crate) fn range_in(outer: &[u8], inner: &[u8]) -> Range<usize> {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    start..start + inner.len()
}

/// Reads a `Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }`.
pub fn read_time(r: &mut Reader<'_>) -> Result<Time> {
    let e = r.read_any()?;
    let text = std::str::from_utf8(e.body)
        .map_err(|_| Error::new(ErrorKind::MalformedTime, "time is not ASCII"))?;
    match e.tag {
        asn1::UTC_TIME => Time::parse_utc_time(text),
        asn1::GENERALIZED_TIME => Time::parse_generalized(text),
        t => Err(Error::new(
            ErrorKind::MalformedTime,
            format!("expected UTCTime or GeneralizedTime, found tag 0x{t:02x}"),
        )),
    }
}

/// Reads an `AlgorithmIdentifier` and returns its OID (parameters are skipped).
pub fn read_algorithm(r: &mut Reader<'_>) -> Result<String> {
    let mut a = r.read_sequence()?;
    let oid = a.read_oid()?;
    if !a.is_empty() {
        a.read_any()?;
    }
    a.finish()?;
    Ok(oid)
}

/// Reads an `AlgorithmIdentifier` and returns its OID and its parameters (whole TLV), if any.
pub fn read_algorithm_with_params(r: &mut Reader<'_>) -> Result<(String, Option<Vec<u8>>)> {
    let (oid, params) = crate::pki::alg::read_identifier(r)?;
    Ok((oid, params.map(|p| p.raw.to_vec())))
}

/// Verifies a certificate or CRL signature by any supported algorithm: the signed and outer
/// algorithm identifiers (OID and parameters) must agree (RFC 5280 §4.1.1.2). SM2 keys take
/// [`verify_sm2_sm3`] (unchanged behaviour).
pub(crate) fn verify_any(
    key: &SubjectPublicKey,
    tbs_alg: (&str, Option<&[u8]>),
    outer_alg: (&str, Option<&[u8]>),
    tbs: &[u8],
    sig: &[u8],
) -> Result<()> {
    if let SubjectPublicKey::Sm2(k) = key {
        return verify_sm2_sm3(k, tbs_alg.0, outer_alg.0, tbs, sig);
    }
    if tbs_alg != outer_alg {
        return Err(Error::new(
            ErrorKind::BadSignature,
            format!(
                "signature algorithm {} differs from the signed one {}",
                outer_alg.0, tbs_alg.0
            ),
        ));
    }
    let params = match outer_alg.1 {
        Some(p) => Some(asn1::parse_single(p)?),
        None => None,
    };
    SignatureAlgorithm::from_identifier(outer_alg.0, params.as_ref(), None)?.verify(key, tbs, sig)
}

/// Reads a signature `BIT STRING` and returns its bytes (no unused bits allowed).
pub fn read_signature_bits(r: &mut Reader<'_>) -> Result<Vec<u8>> {
    let bits = r.read(asn1::BIT_STRING)?;
    match bits.split_first() {
        Some((0, rest)) => Ok(rest.to_vec()),
        _ => Err(Error::new(
            ErrorKind::MalformedDer,
            "signature BIT STRING with unused bits",
        )),
    }
}

/// Verifies an SM2-with-SM3 signature (default user ID) over raw signed bytes; the signed and
/// outer algorithm identifiers must agree (RFC 5280 §4.1.1.2).
pub fn verify_sm2_sm3(
    key: &PublicKey,
    tbs_alg: &str,
    outer_alg: &str,
    tbs: &[u8],
    sig: &[u8],
) -> Result<()> {
    if tbs_alg != outer_alg {
        return Err(Error::new(
            ErrorKind::BadSignature,
            format!("signature algorithm {outer_alg} differs from the signed one {tbs_alg}"),
        ));
    }
    if outer_alg != SM2_WITH_SM3 && outer_alg != SM2_SIGN {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!("signature algorithm {outer_alg} is not SM2-with-SM3"),
        ));
    }
    let sig = Signature::from_bytes(sig)?;
    // Many certificates and CRLs of a batch share an issuer key: its precomputed table
    // (built the second time the key is seen) makes the check about 4 times faster.
    crate::crypto::sm2_verify::verify_cached(key, DEFAULT_ID, tbs, &sig)
}

/// Uppercase hex of an INTEGER body without a leading sign byte.
pub(crate) fn serial_to_hex(serial: &[u8]) -> String {
    let s = match serial {
        [0, rest @ ..] if !rest.is_empty() => rest,
        s => s,
    };
    // One allocation (this runs for every certificate of a batch report).
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(2 * s.len());
    for &b in s {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// A serial number in canonical form (leading zero bytes dropped) for comparisons.
pub(crate) fn serial_key(serial: &[u8]) -> &[u8] {
    let skip = serial
        .iter()
        .take_while(|&&b| b == 0)
        .count()
        .min(serial.len().saturating_sub(1));
    &serial[skip..]
}

type SpkiParts = (
    String,
    std::result::Result<PublicKey, Error>,
    std::result::Result<SubjectPublicKey, Error>,
);

fn parse_spki(spki: &[u8]) -> Result<SpkiParts> {
    let mut outer = Reader::new(spki);
    let mut r = outer.read_sequence()?;
    outer.finish()?;
    let mut alg = r.read_sequence()?;
    let alg_oid = alg.read_oid()?;
    let param = if alg.is_empty() {
        None
    } else {
        let p = alg.read_any()?;
        if p.tag == asn1::OID {
            Some(asn1::oid_to_string(p.body)?)
        } else {
            None
        }
    };
    alg.finish()?;
    let bits = r.read(asn1::BIT_STRING)?;
    r.finish()?;
    let is_sm2 =
        alg_oid == SM2_CURVE || (alg_oid == EC_PUBLIC_KEY && param.as_deref() == Some(SM2_CURVE));
    let key = if !is_sm2 {
        Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "public key algorithm {alg_oid}{} is not SM2",
                param
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
        ))
    } else {
        match bits.split_first() {
            Some((0, point)) => PublicKey::from_sec1_bytes(point),
            _ => Err(Error::new(
                ErrorKind::InvalidPublicKey,
                "public key BIT STRING with unused bits",
            )),
        }
    };
    let subject_key = match &key {
        Ok(k) => Ok(SubjectPublicKey::Sm2(k.clone())),
        Err(_) if is_sm2 => key.clone().map(SubjectPublicKey::Sm2),
        Err(_) => SubjectPublicKey::from_spki_parts(&alg_oid, param.as_deref(), bits),
    };
    Ok((alg_oid, key, subject_key))
}

impl Certificate {
    /// Parses one DER certificate (exactly one element, nothing after it).
    pub fn from_der(der: &[u8]) -> Result<Certificate> {
        if der.len() > MAX_CERT_SIZE {
            return Err(malformed(format!(
                "certificate of {} bytes exceeds the {MAX_CERT_SIZE}-byte limit",
                der.len()
            )));
        }
        Self::parse(der.to_vec()).map_err(|e| {
            if e.kind() == ErrorKind::MalformedCertificate {
                e
            } else {
                malformed(e.to_string())
            }
        })
    }

    fn parse(der: Vec<u8>) -> Result<Certificate> {
        let top = asn1::parse_single(&der)?;
        if top.tag != asn1::SEQUENCE {
            return Err(malformed("not a SEQUENCE"));
        }
        let mut cert = top.reader();
        let tbs_el = cert.read_element(asn1::SEQUENCE)?;
        let (sig_alg, sig_params) = read_algorithm_with_params(&mut cert)?;
        let signature = read_signature_bits(&mut cert)?;
        cert.finish()?;

        let mut tbs = tbs_el.reader();
        let version = match tbs.read_optional(asn1::context(0))? {
            Some(v) => {
                let mut vr = v.reader();
                let n = vr.read_small_int()?;
                vr.finish()?;
                match n {
                    0..=2 => n as u8 + 1,
                    _ => return Err(malformed(format!("unknown version {n}"))),
                }
            }
            None => 1,
        };
        let serial_body = tbs.read(asn1::INTEGER)?;
        if serial_body.is_empty() || serial_body.len() > 64 {
            return Err(malformed("serial number empty or longer than 64 bytes"));
        }
        let (tbs_sig_alg, tbs_sig_params) = read_algorithm_with_params(&mut tbs)?;
        let issuer = Name::read(&mut tbs)?;
        let mut validity = tbs.read_sequence()?;
        let not_before = read_time(&mut validity)?;
        let not_after = read_time(&mut validity)?;
        validity.finish()?;
        let subject = Name::read(&mut tbs)?;
        let spki_el = tbs.read_element(asn1::SEQUENCE)?;
        let (key_alg, key, subject_key) = parse_spki(spki_el.raw)?;
        tbs.read_optional(asn1::context_primitive(1))?;
        tbs.read_optional(asn1::context(1))?;
        tbs.read_optional(asn1::context_primitive(2))?;
        tbs.read_optional(asn1::context(2))?;
        let ext = match tbs.read_optional(asn1::context(3))? {
            Some(e) => {
                let mut er = e.reader();
                let body = er.read(asn1::SEQUENCE)?;
                er.finish()?;
                CertExtensions::parse(body)?
            }
            None => CertExtensions::default(),
        };
        tbs.finish()?;

        let tbs_range = range_in(&der, tbs_el.raw);
        let spki_range = range_in(&der, spki_el.raw);
        let serial = serial_body.to_vec();
        Ok(Certificate {
            inner: Arc::new(Inner {
                tbs: tbs_range,
                spki: spki_range,
                version,
                serial,
                tbs_sig_alg,
                sig_alg,
                sig_params: (tbs_sig_params, sig_params),
                signature,
                issuer,
                subject,
                not_before,
                not_after,
                key_alg,
                key,
                subject_key,
                ext,
                der,
                verified_by: OnceLock::new(),
            }),
        })
    }

    /// The DER encoding.
    pub fn der(&self) -> &[u8] {
        &self.inner.der
    }

    /// The raw TBSCertificate (the signed bytes).
    pub fn tbs_der(&self) -> &[u8] {
        &self.inner.der[self.inner.tbs.clone()]
    }

    /// The raw SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        &self.inner.der[self.inner.spki.clone()]
    }

    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        pem::encode("CERTIFICATE", self.der())
    }

    /// X.509 version (1, 2 or 3).
    pub fn version(&self) -> u8 {
        self.inner.version
    }

    /// The SM2 public key; an error when the key is not SM2 or not a valid point.
    pub fn public_key(&self) -> Result<&PublicKey> {
        self.inner.key.as_ref().map_err(Clone::clone)
    }

    /// The public key for any supported algorithm (SM2, RSA, ECDSA P-256/P-384); an error
    /// naming the algorithm when it is not supported or the key is not valid.
    pub fn subject_key(&self) -> Result<&SubjectPublicKey> {
        self.inner.subject_key.as_ref().map_err(Clone::clone)
    }

    /// The public key algorithm OID of the SubjectPublicKeyInfo.
    pub fn key_algorithm(&self) -> &str {
        &self.inner.key_alg
    }

    /// The outer signature algorithm OID.
    pub fn signature_algorithm(&self) -> &str {
        &self.inner.sig_alg
    }

    /// The signature value bytes (DER `SEQUENCE {r, s}` for SM2).
    pub fn signature_value(&self) -> &[u8] {
        &self.inner.signature
    }

    /// Subject name, RFC 4514 style.
    pub fn subject(&self) -> String {
        self.inner.subject.to_string()
    }

    /// Issuer name, RFC 4514 style.
    pub fn issuer(&self) -> String {
        self.inner.issuer.to_string()
    }

    /// The parsed subject name.
    pub fn subject_name(&self) -> &Name {
        &self.inner.subject
    }

    /// The parsed issuer name.
    pub fn issuer_name(&self) -> &Name {
        &self.inner.issuer
    }

    /// Serial number as uppercase hex (no sign byte).
    pub fn serial_hex(&self) -> String {
        serial_to_hex(&self.inner.serial)
    }

    /// The serial number INTEGER body, as encoded.
    pub fn serial(&self) -> &[u8] {
        &self.inner.serial
    }

    /// Start of validity.
    pub fn not_before(&self) -> Time {
        self.inner.not_before
    }

    /// End of validity.
    pub fn not_after(&self) -> Time {
        self.inner.not_after
    }

    /// True when `t` lies within `[notBefore, notAfter]`.
    pub fn is_valid_at(&self, t: Time) -> bool {
        self.inner.not_before <= t && t <= self.inner.not_after
    }

    /// True when basicConstraints says cA.
    pub fn is_ca(&self) -> bool {
        self.inner.ext.basic_constraints.is_some_and(|b| b.ca)
    }

    /// pathLenConstraint, when basicConstraints has one.
    pub fn path_len(&self) -> Option<u32> {
        self.inner.ext.basic_constraints.and_then(|b| b.path_len)
    }

    /// The keyUsage extension, if present.
    pub fn key_usage(&self) -> Option<KeyUsage> {
        self.inner.ext.key_usage
    }

    /// The extendedKeyUsage purposes (dotted OIDs), if the extension is present.
    pub fn ext_key_usage(&self) -> Option<&[String]> {
        self.inner.ext.ext_key_usage.as_deref()
    }

    /// subjectKeyIdentifier, if present.
    pub fn subject_key_id(&self) -> Option<&[u8]> {
        self.inner.ext.subject_key_id.as_deref()
    }

    /// keyIdentifier of authorityKeyIdentifier, if present.
    pub fn authority_key_id(&self) -> Option<&[u8]> {
        self.inner.ext.authority_key_id.as_deref()
    }

    /// All parsed extensions.
    pub fn extensions(&self) -> &CertExtensions {
        &self.inner.ext
    }

    /// Critical extensions not understood here (a path through this certificate is refused).
    pub fn unknown_critical_extensions(&self) -> &[String] {
        &self.inner.ext.unknown_critical
    }

    /// True when subject and issuer names match (RFC 5280 "self-issued").
    pub fn is_self_issued(&self) -> bool {
        self.inner.subject.matches(&self.inner.issuer)
    }

    /// True when both certificates have the same subject name and public key.
    pub fn same_subject_and_key(&self, other: &Certificate) -> bool {
        self.spki_der() == other.spki_der() && self.subject_name().matches(other.subject_name())
    }

    /// Subject, serial and issuer for reports.
    pub fn signer_info(&self) -> crate::report::SignerInfo {
        crate::report::SignerInfo {
            subject: self.subject(),
            serial: self.serial_hex(),
            issuer: self.issuer(),
        }
    }

    /// Verifies this certificate's SM2-with-SM3 signature (default user ID) over the raw
    /// TBSCertificate with `issuer_key`.
    /// A success is remembered with the key (the result cannot change).
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
}

impl Certificate {
    /// Verifies this certificate's signature over the raw TBSCertificate with the issuer's key
    /// of any supported algorithm (see [`crate::pki::alg`]); SM2 keys take
    /// [`Certificate::verify_signed_by`].
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

/// Parses certificates from PEM (every `CERTIFICATE` block, at least one) or one DER
/// certificate (trailing white space tolerated).
pub fn parse_certificates(bytes: &[u8]) -> Result<Vec<Certificate>> {
    if pem::is_pem(bytes) {
        let blocks = pem::decode_all(bytes, ErrorKind::MalformedCertificate)?;
        let certs = blocks
            .iter()
            .filter(|b| b.label == "CERTIFICATE" || b.label == "X509 CERTIFICATE")
            .map(|b| Certificate::from_der(&b.der))
            .collect::<Result<Vec<_>>>()?;
        if certs.is_empty() {
            return Err(malformed("no CERTIFICATE block in the PEM input"));
        }
        return Ok(certs);
    }
    // One DER certificate, possibly followed by white space or NULs: the end is where the
    // outer element ends (the DER itself may well end with a byte such as 0x00 or 0x0c).
    let end = match asn1::read_tlv(bytes) {
        Ok((_, _, rest)) if rest.iter().all(|b| b.is_ascii_whitespace() || *b == 0) => {
            bytes.len() - rest.len()
        }
        _ => bytes.len(),
    };
    Ok(vec![Certificate::from_der(&bytes[..end])?])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials() {
        assert_eq!(serial_to_hex(&[0x00, 0x9a, 0x01]), "9A01");
        assert_eq!(serial_to_hex(&[0x00]), "00");
        assert_eq!(serial_to_hex(&[0x0f, 0xf0, 0xab, 0x7c]), "0FF0AB7C");
        assert_eq!(serial_to_hex(&[]), "");
        assert_eq!(serial_key(&[0, 0, 5]), &[5]);
        assert_eq!(serial_key(&[0]), &[0]);
    }

    fn spki(alg: &str, param: Option<&str>, point: &[u8]) -> Vec<u8> {
        let mut a = Vec::new();
        asn1::write_oid(&mut a, alg).unwrap();
        if let Some(p) = param {
            asn1::write_oid(&mut a, p).unwrap();
        }
        let mut body = asn1::tlv(asn1::SEQUENCE, &a);
        let mut bits = vec![0u8];
        bits.extend_from_slice(point);
        asn1::write_tlv(&mut body, asn1::BIT_STRING, &bits);
        asn1::tlv(asn1::SEQUENCE, &body)
    }

    #[test]
    fn spki_forms() {
        let k = crate::crypto::sm2::PrivateKey::generate().unwrap();
        let point = k.public_key().to_sec1_uncompressed();
        for (alg, param) in [(EC_PUBLIC_KEY, Some(SM2_CURVE)), (SM2_CURVE, None)] {
            let (_, key, any) = parse_spki(&spki(alg, param, &point)).unwrap();
            assert_eq!(&key.unwrap(), k.public_key());
            assert!(matches!(any.unwrap(), SubjectPublicKey::Sm2(_)));
        }
        // P-256 and RSA keys parse but are not usable here.
        let (_, key, _) =
            parse_spki(&spki(EC_PUBLIC_KEY, Some(crate::oid::SECP256R1), &point)).unwrap();
        assert_eq!(key.unwrap_err().kind(), ErrorKind::Unsupported);
        let (_, key, _) = parse_spki(&spki(crate::oid::RSA_ENCRYPTION, None, &[0x30, 0])).unwrap();
        assert_eq!(key.unwrap_err().kind(), ErrorKind::Unsupported);
        // Not a point on the curve.
        let mut bad = point;
        bad[64] ^= 1;
        let (_, key, _) = parse_spki(&spki(EC_PUBLIC_KEY, Some(SM2_CURVE), &bad)).unwrap();
        assert_eq!(key.unwrap_err().kind(), ErrorKind::InvalidPublicKey);
    }

    /// A DER certificate whose last byte is a white-space or NUL byte (as the last byte of a
    /// signature can be) parses, alone or followed by white space.
    #[test]
    fn der_ending_in_whitespace_byte() {
        use crate::pki::testutil::{Spec, make};
        let key = crate::crypto::sm2::PrivateKey::generate().unwrap();
        let ends_badly = |c: &Certificate| {
            let last = *c.der().last().unwrap();
            last == 0 || last.is_ascii_whitespace()
        };
        // About 6 in 256 signatures end so; 2000 tries fail with probability < 1e-20.
        let cert = (0..2000)
            .map(|i| {
                make(
                    &Spec {
                        serial: i,
                        ..Spec::leaf("leaf", "leaf")
                    },
                    &key,
                    &key,
                )
            })
            .find(ends_badly)
            .unwrap();
        let der = cert.der().to_vec();
        assert_eq!(parse_certificates(&der).unwrap()[0].der(), &der[..]);
        let mut padded = der.clone();
        padded.extend_from_slice(b"\r\n \0");
        assert_eq!(parse_certificates(&padded).unwrap()[0].der(), &der[..]);
    }

    #[test]
    fn rejects_garbage() {
        assert!(Certificate::from_der(&[]).is_err());
        assert!(Certificate::from_der(&[0x30, 0x00]).is_err());
        let e =
            parse_certificates(b"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n")
                .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedCertificate);
        assert!(parse_certificates(b"-----BEGIN FOO-----\nMAA=\n-----END FOO-----\n").is_err());
    }
}
