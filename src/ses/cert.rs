//! The few certificate facts seals need (RFC 5280 §4.1): public key, validity, key usage,
//! names. A stop-gap until `crate::pki` lands; then this module delegates to it.

use crate::asn1::{self, Reader};
use crate::crypto::PublicKey;
use crate::error::{Error, ErrorKind, Result};
use crate::pki::Time;

/// Key usage bit digitalSignature (bit 0).
pub(crate) const KU_DIGITAL_SIGNATURE: u16 = 0x8000;
/// Key usage bit nonRepudiation (bit 1).
pub(crate) const KU_NON_REPUDIATION: u16 = 0x4000;

/// Parsed facts of one certificate.
#[derive(Debug, Clone)]
pub(crate) struct CertView {
    pub public_key: PublicKey,
    pub not_before: Time,
    pub not_after: Time,
    /// Key usage bits, bit 0 as 0x8000; None when the extension is absent.
    pub key_usage: Option<u16>,
    pub subject: String,
    pub issuer: String,
    pub serial_hex: String,
}

fn bad(m: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::MalformedCertificate, m.to_string())
}

fn time(r: &mut Reader<'_>) -> Result<Time> {
    let e = r.read_any()?;
    let s = std::str::from_utf8(e.body).map_err(|_| bad("time not ASCII"))?;
    match e.tag {
        asn1::UTC_TIME => Time::parse_utc_time(s),
        asn1::GENERALIZED_TIME => Time::parse_generalized(s),
        _ => Err(bad("bad time tag")),
    }
}

fn dn(body: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut r = Reader::new(body);
    while let Ok(set) = r.read_any() {
        let mut sr = set.reader();
        while let Ok(atv) = sr.read_any() {
            let mut ar = atv.reader();
            let oid = ar.read_oid().unwrap_or_default();
            let val = ar
                .read_any()
                .map(|v| String::from_utf8_lossy(v.body).into_owned())
                .unwrap_or_default();
            let name = match oid.as_str() {
                "2.5.4.3" => "CN",
                "2.5.4.6" => "C",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                _ => "",
            };
            if name.is_empty() {
                parts.push(format!("{oid}={val}"));
            } else {
                parts.push(format!("{name}={val}"));
            }
        }
    }
    parts.reverse();
    parts.join(",")
}

impl CertView {
    /// Parses the facts out of a DER certificate.
    pub fn parse(der: &[u8]) -> Result<CertView> {
        let wrap = |e: Error| bad(e.detail());
        let top = asn1::parse_single(der).map_err(wrap)?;
        let mut c = top.reader();
        let mut t = c.read_sequence().map_err(wrap)?;
        if t.peek_tag() == Some(asn1::context(0)) {
            t.read_any().map_err(wrap)?;
        }
        let serial = t.read(asn1::INTEGER).map_err(wrap)?;
        t.read(asn1::SEQUENCE).map_err(wrap)?;
        let issuer = t.read(asn1::SEQUENCE).map_err(wrap)?;
        let mut v = t.read_sequence().map_err(wrap)?;
        let not_before = time(&mut v)?;
        let not_after = time(&mut v)?;
        let subject = t.read(asn1::SEQUENCE).map_err(wrap)?;
        let mut spki = t.read_sequence().map_err(wrap)?;
        spki.read(asn1::SEQUENCE).map_err(wrap)?;
        let bits = spki.read(asn1::BIT_STRING).map_err(wrap)?;
        let point = bits.get(1..).ok_or_else(|| bad("empty key"))?;
        let public_key = PublicKey::from_sec1_bytes(point)?;
        let mut key_usage = None;
        while !t.is_empty() {
            let e = t.read_any().map_err(wrap)?;
            if e.tag != asn1::context(3) {
                continue;
            }
            let mut exts = Reader::new(e.body).read_sequence().map_err(wrap)?;
            while !exts.is_empty() {
                let mut ext = exts.read_sequence().map_err(wrap)?;
                let oid = ext.read_oid().map_err(wrap)?;
                ext.read_optional(asn1::BOOLEAN).map_err(wrap)?;
                let val = ext.read(asn1::OCTET_STRING).map_err(wrap)?;
                if oid == "2.5.29.15" {
                    let ku = Reader::new(val).read(asn1::BIT_STRING).map_err(wrap)?;
                    let b0 = ku.get(1).copied().unwrap_or(0) as u16;
                    let b1 = ku.get(2).copied().unwrap_or(0) as u16;
                    key_usage = Some((b0 << 8) | b1);
                }
            }
        }
        Ok(CertView {
            public_key,
            not_before,
            not_after,
            key_usage,
            subject: dn(subject),
            issuer: dn(issuer),
            serial_hex: serial.iter().map(|b| format!("{b:02X}")).collect(),
        })
    }

    /// The facts reports show about a signer.
    pub fn signer_info(&self) -> crate::report::SignerInfo {
        crate::report::SignerInfo {
            subject: self.subject.clone(),
            serial: self.serial_hex.clone(),
            issuer: self.issuer.clone(),
        }
    }
}
