//! Distinguished names (X.501 `Name`, RFC 5280 §4.1.2.4).
//!
//! A [`Name`] keeps its raw DER (names are compared by exact DER first, RFC 5280 §7.1), a
//! normalised form (string values decoded, case-folded, with insignificant white space removed,
//! each RDN's attributes sorted) for the second comparison, and an RFC 4514 string for people:
//! RDNs in reverse order, `,` between RDNs, `+` inside one, special characters escaped, values of
//! unknown string types written as `#` + hex of their DER.

use crate::asn1::{self, Reader};
use crate::error::{Error, ErrorKind, Result};
use crate::oid;
use std::fmt;

/// Universal tag: UniversalString.
const UNIVERSAL_STRING: u8 = 0x1c;
/// Universal tag: VisibleString.
const VISIBLE_STRING: u8 = 0x1a;
/// Universal tag: NumericString.
const NUMERIC_STRING: u8 = 0x12;

/// A distinguished name.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Name {
    raw: Vec<u8>,
    normalized: Vec<Vec<(String, String)>>,
    display: String,
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Name({})", self.display)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

fn bad(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedDer, format!("malformed Name: {msg}"))
}

/// Short names of the attribute types seen in SM2 certificates (RFC 4514 §3 and common use).
fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        oid::COMMON_NAME => "CN",
        oid::SURNAME => "SN",
        oid::SERIAL_NUMBER => "serialNumber",
        oid::COUNTRY_NAME => "C",
        oid::LOCALITY_NAME => "L",
        oid::STATE_OR_PROVINCE_NAME => "ST",
        oid::STREET_ADDRESS => "STREET",
        oid::ORGANIZATION_NAME => "O",
        oid::ORGANIZATIONAL_UNIT_NAME => "OU",
        oid::TITLE => "title",
        oid::GIVEN_NAME => "GN",
        oid::DN_QUALIFIER => "dnQualifier",
        oid::ORGANIZATION_IDENTIFIER => "organizationIdentifier",
        oid::DOMAIN_COMPONENT => "DC",
        oid::USER_ID => "UID",
        oid::EMAIL_ADDRESS => "emailAddress",
        _ => return None,
    })
}

/// Decodes a directory string value; `None` for types that are not character strings.
pub fn decode_string(tag: u8, body: &[u8]) -> Option<String> {
    match tag {
        asn1::UTF8_STRING => Some(String::from_utf8_lossy(body).into_owned()),
        asn1::PRINTABLE_STRING | asn1::IA5_STRING | VISIBLE_STRING | NUMERIC_STRING => {
            Some(String::from_utf8_lossy(body).into_owned())
        }
        // T.61 in practice carries Latin-1 (or UTF-8 written by careless encoders).
        asn1::T61_STRING => Some(match std::str::from_utf8(body) {
            Ok(s) => s.to_string(),
            Err(_) => body.iter().map(|&b| b as char).collect(),
        }),
        asn1::BMP_STRING => {
            if !body.len().is_multiple_of(2) {
                return None;
            }
            let units = body
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect::<Vec<_>>();
            Some(String::from_utf16_lossy(&units))
        }
        UNIVERSAL_STRING => {
            if !body.len().is_multiple_of(4) {
                return None;
            }
            Some(
                body.chunks(4)
                    .map(|c| {
                        char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                            .unwrap_or('\u{fffd}')
                    })
                    .collect(),
            )
        }
        _ => None,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// RFC 4514 §2.4 escaping.
fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let n = value.chars().count();
    for (i, c) in value.chars().enumerate() {
        let special = matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (c == '#' || c == ' '))
            || (i + 1 == n && c == ' ');
        if c == '\0' {
            out.push_str("\\00");
        } else {
            if special {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The normalised form of a string value: white space trimmed and collapsed, lower-cased.
fn normalize(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Name {
    /// Parses a DER `Name` (the whole TLV, tag SEQUENCE).
    pub fn from_der(raw: &[u8]) -> Result<Name> {
        let el = asn1::parse_single(raw).map_err(|e| bad(e.detail()))?;
        if el.tag != asn1::SEQUENCE {
            return Err(bad("not a SEQUENCE"));
        }
        let mut rdns = el.reader();
        let mut normalized = Vec::new();
        let mut shown = Vec::new();
        while !rdns.is_empty() {
            let set = rdns.read_element(asn1::SET).map_err(|e| bad(e.detail()))?;
            let mut atvs = set.reader();
            let mut norm_rdn = Vec::new();
            let mut shown_rdn = Vec::new();
            if atvs.is_empty() {
                return Err(bad("empty RDN"));
            }
            while !atvs.is_empty() {
                let mut atv = atvs.read_sequence().map_err(|e| bad(e.detail()))?;
                let oid = atv.read_oid().map_err(|e| bad(e.detail()))?;
                let value = atv.read_any().map_err(|e| bad(e.detail()))?;
                atv.finish().map_err(|e| bad(e.detail()))?;
                let key = short_name(&oid)
                    .map(str::to_string)
                    .unwrap_or_else(|| oid.clone());
                match decode_string(value.tag, value.body) {
                    Some(s) => {
                        shown_rdn.push(format!("{key}={}", escape(&s)));
                        norm_rdn.push((oid, normalize(&s)));
                    }
                    None => {
                        shown_rdn.push(format!("{key}=#{}", hex(value.raw)));
                        norm_rdn.push((oid, format!("#{}", hex(value.raw))));
                    }
                }
            }
            norm_rdn.sort();
            normalized.push(norm_rdn);
            shown.push(shown_rdn.join("+"));
        }
        shown.reverse();
        Ok(Name {
            raw: raw.to_vec(),
            normalized,
            display: shown.join(","),
        })
    }

    /// Reads a `Name` from `r`.
    pub fn read(r: &mut Reader<'_>) -> Result<Name> {
        let el = r.read_element(asn1::SEQUENCE)?;
        Name::from_der(el.raw)
    }

    /// The DER encoding, as found in the certificate.
    pub fn der(&self) -> &[u8] {
        &self.raw
    }

    /// The RFC 4514 string (empty for an empty name).
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// True for the empty name (no RDN).
    pub fn is_empty(&self) -> bool {
        self.normalized.is_empty()
    }

    /// Name matching (RFC 5280 §7.1): exact DER, else equal normalised forms.
    pub fn matches(&self, other: &Name) -> bool {
        self.raw == other.raw || self.normalized == other.normalized
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atv(oid: &str, tag: u8, value: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        asn1::write_oid(&mut body, oid).unwrap();
        asn1::write_tlv(&mut body, tag, value);
        asn1::tlv(asn1::SEQUENCE, &body)
    }

    fn name(rdns: &[Vec<u8>]) -> Vec<u8> {
        let mut body = Vec::new();
        for r in rdns {
            asn1::write_tlv(&mut body, asn1::SET, r);
        }
        asn1::tlv(asn1::SEQUENCE, &body)
    }

    #[test]
    fn strings_order_and_matching() {
        let bmp: Vec<u8> = "测试"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let a = name(&[
            atv("2.5.4.6", asn1::PRINTABLE_STRING, b"CN"),
            atv("2.5.4.10", asn1::BMP_STRING, &bmp),
            atv("2.5.4.3", asn1::UTF8_STRING, b"A, B"),
        ]);
        let n = Name::from_der(&a).unwrap();
        assert_eq!(n.as_str(), "CN=A\\, B,O=测试,C=CN");
        let b = name(&[
            atv("2.5.4.6", asn1::UTF8_STRING, b"cn"),
            atv("2.5.4.10", asn1::UTF8_STRING, "测试".as_bytes()),
            atv("2.5.4.3", asn1::PRINTABLE_STRING, b"  a,   b "),
        ]);
        let m = Name::from_der(&b).unwrap();
        assert!(n.matches(&m));
        let c = name(&[atv("2.5.4.3", asn1::UTF8_STRING, b"other")]);
        assert!(!n.matches(&Name::from_der(&c).unwrap()));
        let t61 = name(&[atv("2.5.4.3", asn1::T61_STRING, &[0x41, 0xe9])]);
        assert_eq!(Name::from_der(&t61).unwrap().as_str(), "CN=Aé");
        let odd = name(&[atv("1.2.3.4", asn1::INTEGER, &[5])]);
        assert_eq!(Name::from_der(&odd).unwrap().as_str(), "1.2.3.4=#020105");
        assert!(Name::from_der(&name(&[Vec::new()])).is_err());
        assert!(Name::from_der(&[0x30, 0x03, 0x31, 0x01]).is_err());
    }
}
