//! Certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3).
//!
//! Understood: basicConstraints, keyUsage, extendedKeyUsage, subject and authority key
//! identifiers, subjectAltName and certificatePolicies (accepted, not interpreted: with an
//! initial policy set of anyPolicy and no explicit-policy requirement, RFC 5280 §6.1 never
//! rejects a path because of them). Any other extension marked critical makes the certificate
//! unusable (§4.2: "A certificate-using system MUST reject the certificate if it encounters a
//! critical extension it does not recognize").

use crate::asn1::{self, Reader};
use crate::error::{Error, ErrorKind, Result};

// The extension OIDs under their older names here (the table is [`crate::oid`]).
pub use crate::oid::{
    ANY_EXTENDED_KEY_USAGE as ANY_EKU, AUTHORITY_KEY_IDENTIFIER as AUTHORITY_KEY_ID,
    BASIC_CONSTRAINTS, CERTIFICATE_POLICIES as CERT_POLICIES, EXT_KEY_USAGE,
    ID_KP_TIME_STAMPING as KP_TIME_STAMPING, KEY_USAGE, SUBJECT_ALT_NAME,
    SUBJECT_KEY_IDENTIFIER as SUBJECT_KEY_ID,
};

/// Key usage bits (RFC 5280 §4.2.1.3), bit n of the BIT STRING as `1 << n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyUsage(pub u16);

impl KeyUsage {
    /// digitalSignature (0).
    pub const DIGITAL_SIGNATURE: u16 = 1 << 0;
    /// nonRepudiation / contentCommitment (1).
    pub const NON_REPUDIATION: u16 = 1 << 1;
    /// keyEncipherment (2).
    pub const KEY_ENCIPHERMENT: u16 = 1 << 2;
    /// dataEncipherment (3).
    pub const DATA_ENCIPHERMENT: u16 = 1 << 3;
    /// keyAgreement (4).
    pub const KEY_AGREEMENT: u16 = 1 << 4;
    /// keyCertSign (5).
    pub const KEY_CERT_SIGN: u16 = 1 << 5;
    /// cRLSign (6).
    pub const CRL_SIGN: u16 = 1 << 6;
    /// encipherOnly (7).
    pub const ENCIPHER_ONLY: u16 = 1 << 7;
    /// decipherOnly (8).
    pub const DECIPHER_ONLY: u16 = 1 << 8;

    /// True when any of `bits` is set.
    pub fn any(self, bits: u16) -> bool {
        self.0 & bits != 0
    }

    /// The names of the bits set, OpenSSL style.
    pub fn names(self) -> Vec<&'static str> {
        const NAMES: [&str; 9] = [
            "digitalSignature",
            "nonRepudiation",
            "keyEncipherment",
            "dataEncipherment",
            "keyAgreement",
            "keyCertSign",
            "cRLSign",
            "encipherOnly",
            "decipherOnly",
        ];
        (0..9)
            .filter(|i| self.0 & (1 << i) != 0)
            .map(|i| NAMES[i])
            .collect()
    }

    /// Parses the extension value (a BIT STRING).
    pub fn from_der(value: &[u8]) -> Result<KeyUsage> {
        let mut r = Reader::new(value);
        let bits = r.read(asn1::BIT_STRING)?;
        r.finish()?;
        let (&unused, data) = bits
            .split_first()
            .ok_or_else(|| bad("empty keyUsage BIT STRING"))?;
        if unused > 7 || data.len() > 2 || (data.is_empty() && unused != 0) {
            return Err(bad("invalid keyUsage BIT STRING"));
        }
        let mut v = 0u16;
        for (i, &byte) in data.iter().enumerate() {
            for bit in 0..8 {
                if byte & (0x80 >> bit) != 0 {
                    v |= 1 << (i * 8 + bit);
                }
            }
        }
        Ok(KeyUsage(v))
    }
}

/// basicConstraints (RFC 5280 §4.2.1.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BasicConstraints {
    /// cA.
    pub ca: bool,
    /// pathLenConstraint.
    pub path_len: Option<u32>,
}

impl BasicConstraints {
    /// Parses the extension value.
    pub fn from_der(value: &[u8]) -> Result<BasicConstraints> {
        let mut outer = Reader::new(value);
        let mut r = outer.read_sequence()?;
        outer.finish()?;
        let mut ca = false;
        if let Some(b) = r.read_optional(asn1::BOOLEAN)? {
            ca = read_bool(b.body)?;
        }
        let mut path_len = None;
        if let Some(i) = r.read_optional(asn1::INTEGER)? {
            let v = asn1::int_to_i64(i.body)?;
            if v < 0 {
                return Err(bad("negative pathLenConstraint"));
            }
            path_len = Some(v.min(u32::MAX as i64) as u32);
        }
        r.finish()?;
        Ok(BasicConstraints { ca, path_len })
    }
}

fn read_bool(body: &[u8]) -> Result<bool> {
    match body {
        [0] => Ok(false),
        [_] => Ok(true),
        _ => Err(bad("BOOLEAN must be one byte")),
    }
}

fn bad(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedDer, msg.to_string())
}

/// One raw extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extension<'a> {
    /// extnID, dotted.
    pub oid: String,
    /// critical.
    pub critical: bool,
    /// The contents of extnValue.
    pub value: &'a [u8],
}

/// Reads `Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension` (the SEQUENCE body given);
/// duplicate extensions are an error (§4.2).
pub fn read_extensions(body: &[u8]) -> Result<Vec<Extension<'_>>> {
    let mut r = Reader::new(body);
    let mut out: Vec<Extension<'_>> = Vec::new();
    while !r.is_empty() {
        let mut e = r.read_sequence()?;
        let oid = e.read_oid()?;
        let critical = match e.read_optional(asn1::BOOLEAN)? {
            Some(b) => read_bool(b.body)?,
            None => false,
        };
        let value = e.read(asn1::OCTET_STRING)?;
        e.finish()?;
        if out.iter().any(|x| x.oid == oid) {
            return Err(bad(&format!("duplicate extension {oid}")));
        }
        out.push(Extension {
            oid,
            critical,
            value,
        });
    }
    Ok(out)
}

/// The parsed certificate extensions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CertExtensions {
    /// basicConstraints, if present.
    pub basic_constraints: Option<BasicConstraints>,
    /// keyUsage, if present.
    pub key_usage: Option<KeyUsage>,
    /// extendedKeyUsage purposes (dotted OIDs), if present.
    pub ext_key_usage: Option<Vec<String>>,
    /// subjectKeyIdentifier, if present.
    pub subject_key_id: Option<Vec<u8>>,
    /// keyIdentifier of authorityKeyIdentifier, if present.
    pub authority_key_id: Option<Vec<u8>>,
    /// Critical extensions this crate does not understand (their OIDs).
    pub unknown_critical: Vec<String>,
}

/// Reads the `[1]` keyIdentifier out of an authorityKeyIdentifier value (also used by CRLs).
pub fn read_authority_key_id(value: &[u8]) -> Result<Option<Vec<u8>>> {
    let mut outer = Reader::new(value);
    let mut r = outer.read_sequence()?;
    outer.finish()?;
    let mut id = None;
    while !r.is_empty() {
        let e = r.read_any()?;
        if e.tag == asn1::context_primitive(0) {
            id = Some(e.body.to_vec());
        }
    }
    Ok(id)
}

impl CertExtensions {
    /// Parses the body of the `Extensions` SEQUENCE of a certificate.
    pub fn parse(body: &[u8]) -> Result<CertExtensions> {
        let mut out = CertExtensions::default();
        for e in read_extensions(body)? {
            match e.oid.as_str() {
                BASIC_CONSTRAINTS => {
                    out.basic_constraints = Some(BasicConstraints::from_der(e.value)?)
                }
                KEY_USAGE => out.key_usage = Some(KeyUsage::from_der(e.value)?),
                EXT_KEY_USAGE => {
                    let mut outer = Reader::new(e.value);
                    let mut r = outer.read_sequence()?;
                    outer.finish()?;
                    let mut v = Vec::new();
                    while !r.is_empty() {
                        v.push(r.read_oid()?);
                    }
                    out.ext_key_usage = Some(v);
                }
                SUBJECT_KEY_ID => {
                    let mut r = Reader::new(e.value);
                    out.subject_key_id = Some(r.read(asn1::OCTET_STRING)?.to_vec());
                    r.finish()?;
                }
                AUTHORITY_KEY_ID => out.authority_key_id = read_authority_key_id(e.value)?,
                SUBJECT_ALT_NAME | CERT_POLICIES => {}
                other if e.critical => out.unknown_critical.push(other.to_string()),
                _ => {}
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_usage_bits() {
        // digitalSignature | nonRepudiation | keyCertSign: 03 02 01 e4? -> bits 0,1,5 = 0xc4
        let ku = KeyUsage::from_der(&[0x03, 0x02, 0x02, 0xc4]).unwrap();
        assert_eq!(
            ku.names(),
            ["digitalSignature", "nonRepudiation", "keyCertSign"]
        );
        let ku = KeyUsage::from_der(&[0x03, 0x03, 0x07, 0x00, 0x80]).unwrap();
        assert_eq!(ku.0, KeyUsage::DECIPHER_ONLY);
        assert!(KeyUsage::from_der(&[0x03, 0x01, 0x08]).is_err());
        assert!(KeyUsage::from_der(&[0x03, 0x00]).is_err());
    }

    #[test]
    fn basic_constraints() {
        let bc =
            BasicConstraints::from_der(&[0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00]).unwrap();
        assert_eq!(
            bc,
            BasicConstraints {
                ca: true,
                path_len: Some(0)
            }
        );
        let bc = BasicConstraints::from_der(&[0x30, 0x00]).unwrap();
        assert!(!bc.ca);
        assert!(BasicConstraints::from_der(&[0x30, 0x03, 0x02, 0x01, 0xff]).is_err());
    }
}
