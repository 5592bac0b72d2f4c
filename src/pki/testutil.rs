//! Test-only builder of SM2 certificates (DER written with `crate::asn1`), for path-building
//! cases that files cannot express cheaply (hundreds of candidates, long chains).

use crate::asn1::{self, tlv};
use crate::crypto::sm2::{DEFAULT_ID, PrivateKey};
use crate::pki::Time;
use crate::pki::cert::{Certificate, EC_PUBLIC_KEY, SM2_CURVE, SM2_WITH_SM3};

/// `CN=cn` as a DER Name.
pub fn name(cn: &str) -> Vec<u8> {
    let mut atv = Vec::new();
    asn1::write_oid(&mut atv, crate::oid::COMMON_NAME).unwrap();
    asn1::write_tlv(&mut atv, asn1::UTF8_STRING, cn.as_bytes());
    tlv(asn1::SEQUENCE, &tlv(asn1::SET, &tlv(asn1::SEQUENCE, &atv)))
}

fn ext(oid: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let mut e = Vec::new();
    asn1::write_oid(&mut e, oid).unwrap();
    if critical {
        asn1::write_tlv(&mut e, asn1::BOOLEAN, &[0xff]);
    }
    asn1::write_tlv(&mut e, asn1::OCTET_STRING, value);
    tlv(asn1::SEQUENCE, &e)
}

/// What to put in a test certificate.
pub struct Spec<'a> {
    /// Subject CN.
    pub subject: &'a str,
    /// Issuer CN.
    pub issuer: &'a str,
    /// Serial.
    pub serial: i64,
    /// basicConstraints: None = absent, Some((ca, pathLen)).
    pub ca: Option<(bool, Option<i64>)>,
    /// subjectKeyIdentifier.
    pub ski: Option<Vec<u8>>,
    /// authorityKeyIdentifier keyIdentifier.
    pub aki: Option<Vec<u8>>,
}

impl<'a> Spec<'a> {
    /// A CA certificate spec.
    pub fn ca(subject: &'a str, issuer: &'a str) -> Self {
        Spec {
            subject,
            issuer,
            serial: 1,
            ca: Some((true, None)),
            ski: None,
            aki: None,
        }
    }
    /// A leaf spec.
    pub fn leaf(subject: &'a str, issuer: &'a str) -> Self {
        Spec {
            ca: None,
            ..Spec::ca(subject, issuer)
        }
    }
}

/// Builds and signs a certificate for `subject_key`'s public key with `issuer_key`.
pub fn make(spec: &Spec<'_>, subject_key: &PrivateKey, issuer_key: &PrivateKey) -> Certificate {
    let mut alg = Vec::new();
    asn1::write_oid(&mut alg, SM2_WITH_SM3).unwrap();
    let alg = tlv(asn1::SEQUENCE, &alg);
    let mut tbs = tlv(asn1::context(0), &[2, 1, 2]);
    asn1::write_int(&mut tbs, spec.serial);
    tbs.extend_from_slice(&alg);
    tbs.extend_from_slice(&name(spec.issuer));
    let mut validity = Vec::new();
    for t in ["2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z"] {
        let t = Time::parse_rfc3339(t).unwrap();
        asn1::write_tlv(&mut validity, asn1::UTC_TIME, t.to_utc_time().as_bytes());
    }
    asn1::write_tlv(&mut tbs, asn1::SEQUENCE, &validity);
    tbs.extend_from_slice(&name(spec.subject));
    let mut spki_alg = Vec::new();
    asn1::write_oid(&mut spki_alg, EC_PUBLIC_KEY).unwrap();
    asn1::write_oid(&mut spki_alg, SM2_CURVE).unwrap();
    let mut spki = tlv(asn1::SEQUENCE, &spki_alg);
    let mut bits = vec![0u8];
    bits.extend_from_slice(&subject_key.public_key().to_sec1_uncompressed());
    asn1::write_tlv(&mut spki, asn1::BIT_STRING, &bits);
    asn1::write_tlv(&mut tbs, asn1::SEQUENCE, &spki);
    let mut exts = Vec::new();
    if let Some((ca, pl)) = spec.ca {
        let mut bc = Vec::new();
        if ca {
            asn1::write_tlv(&mut bc, asn1::BOOLEAN, &[0xff]);
        }
        if let Some(pl) = pl {
            asn1::write_int(&mut bc, pl);
        }
        exts.extend(ext(
            crate::oid::BASIC_CONSTRAINTS,
            true,
            &tlv(asn1::SEQUENCE, &bc),
        ));
    }
    if let Some(ski) = &spec.ski {
        exts.extend(ext(
            crate::oid::SUBJECT_KEY_IDENTIFIER,
            false,
            &tlv(asn1::OCTET_STRING, ski),
        ));
    }
    if let Some(aki) = &spec.aki {
        let v = tlv(asn1::SEQUENCE, &tlv(asn1::context_primitive(0), aki));
        exts.extend(ext(crate::oid::AUTHORITY_KEY_IDENTIFIER, false, &v));
    }
    if !exts.is_empty() {
        asn1::write_tlv(&mut tbs, asn1::context(3), &tlv(asn1::SEQUENCE, &exts));
    }
    let tbs = tlv(asn1::SEQUENCE, &tbs);
    let sig = issuer_key.sign(DEFAULT_ID, &tbs).unwrap();
    let mut body = tbs;
    body.extend_from_slice(&alg);
    let mut sig_bits = vec![0u8];
    sig_bits.extend_from_slice(&sig.to_der());
    asn1::write_tlv(&mut body, asn1::BIT_STRING, &sig_bits);
    Certificate::from_der(&tlv(asn1::SEQUENCE, &body)).unwrap()
}

/// One revoked entry for [`make_crl`]: serial, date, reason.
pub type Entry = (i64, &'static str, Option<u8>);

/// Builds a CRL of `issuer` signed with `key`.
pub fn make_crl(
    issuer: &str,
    this_update: &str,
    next_update: Option<&str>,
    entries: &[Entry],
    key: &PrivateKey,
) -> crate::pki::Crl {
    let utc = |s: &str| {
        let t = Time::parse_rfc3339(s).unwrap();
        tlv(asn1::UTC_TIME, t.to_utc_time().as_bytes())
    };
    let mut alg = Vec::new();
    asn1::write_oid(&mut alg, SM2_WITH_SM3).unwrap();
    let alg = tlv(asn1::SEQUENCE, &alg);
    let mut tbs = Vec::new();
    asn1::write_int(&mut tbs, 1);
    tbs.extend_from_slice(&alg);
    tbs.extend_from_slice(&name(issuer));
    tbs.extend(utc(this_update));
    if let Some(n) = next_update {
        tbs.extend(utc(n));
    }
    if !entries.is_empty() {
        let mut list = Vec::new();
        for (serial, date, reason) in entries {
            let mut e = Vec::new();
            asn1::write_int(&mut e, *serial);
            e.extend(utc(date));
            if let Some(r) = reason {
                let v = tlv(0x0a, &[*r]);
                let x = ext(crate::oid::CRL_REASONS, false, &v);
                asn1::write_tlv(&mut e, asn1::SEQUENCE, &x);
            }
            asn1::write_tlv(&mut list, asn1::SEQUENCE, &e);
        }
        asn1::write_tlv(&mut tbs, asn1::SEQUENCE, &list);
    }
    let tbs = tlv(asn1::SEQUENCE, &tbs);
    let sig = key.sign(DEFAULT_ID, &tbs).unwrap();
    let mut body = tbs;
    body.extend_from_slice(&alg);
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig.to_der());
    asn1::write_tlv(&mut body, asn1::BIT_STRING, &bits);
    crate::pki::Crl::from_der(&tlv(asn1::SEQUENCE, &body)).unwrap()
}
