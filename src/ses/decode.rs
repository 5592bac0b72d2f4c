//! Tolerant decoding of seals and seal signatures (GB/T 38540-2020 §6, GM/T 0031-2014 §5,
//! GM/T 0031-2025), with the variants real files contain (DESIGN §4):
//!
//! - version detection: a top-level SEQUENCE of 2 elements is v1; of 4 or 5, `header.version`
//!   5 means v5, anything else v4;
//! - UTCTime or GeneralizedTime wherever a time is; OCTET STRING where BIT STRING belongs;
//! - `extDatas` of SES_SealInfo untagged, `[0]` (explicit or implicit) or OCTET-wrapped, and
//!   `critical` missing; TBS_Sign `extDatas` and `timeStamp` `[0]` explicit or implicit;
//! - v1 `timeInfo` free-form (ASCII times or an opaque token); header versions 1–3 for v1;
//! - any string type where a string is; an AlgorithmIdentifier SEQUENCE where a bare OID is;
//! - a certificate as a bare SEQUENCE where an OCTET STRING wrapping it belongs.
//!
//! Every signed part keeps its raw bytes; nothing is re-encoded.

use super::types::*;
use crate::asn1::{self, Element, Reader};
use crate::error::{Error, ErrorKind, Result};
use crate::pki::Time;

type Ctx = ErrorKind;

fn err(kind: Ctx, what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(kind, format!("{what}: {e}"))
}

fn ctx<T>(r: Result<T>, kind: Ctx, what: &str) -> Result<T> {
    r.map_err(|e| err(kind, what, e.detail()))
}

/// Reads any string type as text.
pub(crate) fn string_of(e: &Element<'_>, kind: Ctx, what: &str) -> Result<String> {
    match e.tag {
        asn1::IA5_STRING
        | asn1::UTF8_STRING
        | asn1::PRINTABLE_STRING
        | asn1::T61_STRING
        | 0x1a // VisibleString
        | 0x1b // GeneralString
        | 0x12 // NumericString
        | asn1::OCTET_STRING => Ok(String::from_utf8_lossy(e.body).into_owned()),
        asn1::BMP_STRING => {
            if !e.body.len().is_multiple_of(2) {
                return Err(err(kind, what, "BMPString of odd length"));
            }
            let units: Vec<u16> = e
                .body
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            Ok(String::from_utf16_lossy(&units))
        }
        t => Err(err(kind, what, format!("expected a string, found tag 0x{t:02x}"))),
    }
}

fn int_of(e: &Element<'_>, kind: Ctx, what: &str) -> Result<i64> {
    if e.tag != asn1::INTEGER {
        return Err(err(
            kind,
            what,
            format!("expected INTEGER, found tag 0x{:02x}", e.tag),
        ));
    }
    ctx(asn1::int_to_i64(e.body), kind, what)
}

/// UTCTime, GeneralizedTime, or (tolerated) a string holding an RFC 3339 / compact time.
pub(crate) fn time_of(e: &Element<'_>, kind: Ctx, what: &str) -> Result<Time> {
    let text = std::str::from_utf8(e.body).map_err(|_| err(kind, what, "time is not ASCII"))?;
    let t = match e.tag {
        asn1::UTC_TIME => Time::parse_utc_time(text),
        asn1::GENERALIZED_TIME => Time::parse_generalized(text),
        asn1::IA5_STRING | asn1::PRINTABLE_STRING | asn1::UTF8_STRING => Time::parse_rfc3339(text),
        t => {
            return Err(err(
                kind,
                what,
                format!("expected a time, found tag 0x{t:02x}"),
            ));
        }
    };
    ctx(t, kind, what)
}

/// The content of a BIT STRING (without the unused-bits octet) or of an OCTET STRING.
pub(crate) fn bits_of<'a>(e: &Element<'a>, kind: Ctx, what: &str) -> Result<&'a [u8]> {
    match e.tag {
        asn1::BIT_STRING => match e.body.split_first() {
            Some((0, rest)) => Ok(rest),
            Some((_, _)) => Err(err(kind, what, "BIT STRING with unused bits")),
            None => Err(err(kind, what, "empty BIT STRING")),
        },
        asn1::OCTET_STRING => Ok(e.body),
        t => Err(err(
            kind,
            what,
            format!("expected BIT STRING, found tag 0x{t:02x}"),
        )),
    }
}

/// A certificate: OCTET STRING wrapping DER, or the certificate SEQUENCE itself.
fn cert_of(e: &Element<'_>, kind: Ctx, what: &str) -> Result<Vec<u8>> {
    match e.tag {
        asn1::OCTET_STRING => Ok(e.body.to_vec()),
        asn1::SEQUENCE => Ok(e.raw.to_vec()),
        t => Err(err(
            kind,
            what,
            format!("expected OCTET STRING, found tag 0x{t:02x}"),
        )),
    }
}

/// An OBJECT IDENTIFIER, or an AlgorithmIdentifier SEQUENCE whose first element is one.
fn alg_of(e: &Element<'_>, kind: Ctx, what: &str) -> Result<String> {
    match e.tag {
        asn1::OID => ctx(asn1::oid_to_string(e.body), kind, what),
        asn1::SEQUENCE => ctx(e.reader().read_oid(), kind, what),
        t => Err(err(
            kind,
            what,
            format!("expected OBJECT IDENTIFIER, found tag 0x{t:02x}"),
        )),
    }
}

/// Reads the next element and converts it with `f`, naming the field once for both errors.
fn next_as<'a, T>(
    r: &mut Reader<'a>,
    kind: Ctx,
    what: &str,
    f: fn(&Element<'a>, Ctx, &str) -> Result<T>,
) -> Result<T> {
    f(&next(r, kind, what)?, kind, what)
}

fn next<'a>(r: &mut Reader<'a>, kind: Ctx, what: &str) -> Result<Element<'a>> {
    if r.is_empty() {
        return Err(err(kind, what, "missing"));
    }
    ctx(r.read_any(), kind, what)
}

fn expect_seq<'a>(e: &Element<'a>, kind: Ctx, what: &str) -> Result<Reader<'a>> {
    if e.tag != asn1::SEQUENCE {
        return Err(err(
            kind,
            what,
            format!("expected SEQUENCE, found tag 0x{:02x}", e.tag),
        ));
    }
    Ok(e.reader())
}

fn count(mut r: Reader<'_>) -> Result<usize> {
    let mut n = 0;
    while !r.is_empty() {
        r.read_any()?;
        n += 1;
    }
    Ok(n)
}

/// `ExtData ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }`.
fn ext_data(e: &Element<'_>, kind: Ctx) -> Result<ExtData> {
    let what = "ExtData";
    let mut r = expect_seq(e, kind, what)?;
    let extn_id = ctx(r.read_oid(), kind, "ExtData.extnID")?;
    let mut critical = false;
    if let Some(b) = ctx(r.read_optional(asn1::BOOLEAN), kind, "ExtData.critical")? {
        critical = b.body.iter().any(|&x| x != 0);
    }
    let v = next(&mut r, kind, "ExtData.extnValue")?;
    let extn_value = match v.tag {
        asn1::OCTET_STRING => v.body.to_vec(),
        _ => v.raw.to_vec(),
    };
    Ok(ExtData {
        extn_id,
        critical,
        extn_value,
    })
}

/// A list of ExtData given as a reader over the ExtData elements.
fn ext_list(mut r: Reader<'_>, kind: Ctx) -> Result<Vec<ExtData>> {
    let mut out = Vec::new();
    while !r.is_empty() {
        let e = ctx(r.read_any(), kind, "ExtensionDatas")?;
        out.push(ext_data(&e, kind)?);
    }
    Ok(out)
}

/// ExtensionDatas in any of the seen wrappings: SEQUENCE OF ExtData; `[0]` holding either the
/// SEQUENCE OF (explicit) or the ExtData elements (implicit); OCTET STRING holding the DER.
fn ext_datas(e: &Element<'_>, kind: Ctx) -> Result<Vec<ExtData>> {
    match e.tag {
        asn1::SEQUENCE => ext_list(e.reader(), kind),
        t if t == asn1::context(0) => {
            let mut inner = e.reader();
            let mut peek = inner;
            // Explicit: one SEQUENCE OF whose first element is itself a SEQUENCE.
            // Implicit: ExtData elements whose first element is an OID.
            if let Ok(first) = peek.read_any() {
                let first_inner = first.reader().peek_tag();
                if first.tag == asn1::SEQUENCE && first_inner == Some(asn1::SEQUENCE) {
                    let list = ctx(inner.read_any(), kind, "extDatas")?;
                    ctx(inner.finish(), kind, "extDatas")?;
                    return ext_list(list.reader(), kind);
                }
                if first.tag == asn1::SEQUENCE && first_inner.is_none() {
                    // An empty SEQUENCE OF, explicitly tagged.
                    let _ = ctx(inner.read_any(), kind, "extDatas")?;
                    ctx(inner.finish(), kind, "extDatas")?;
                    return Ok(Vec::new());
                }
            }
            ext_list(inner, kind)
        }
        asn1::OCTET_STRING => {
            let inner = ctx(asn1::parse_single(e.body), kind, "extDatas")?;
            ext_list(expect_seq(&inner, kind, "extDatas")?, kind)
        }
        t => Err(err(kind, "extDatas", format!("unexpected tag 0x{t:02x}"))),
    }
}

fn header(e: &Element<'_>, kind: Ctx) -> Result<Header> {
    let mut r = expect_seq(e, kind, "SES_Header")?;
    let id = next_as(&mut r, kind, "SES_Header.ID", string_of)?;
    let version = next_as(&mut r, kind, "SES_Header.version", int_of)?;
    let vid = next_as(&mut r, kind, "SES_Header.Vid", string_of)?;
    Ok(Header { id, version, vid })
}

/// A CertDigest entry `SEQUENCE { type string, value OCTET/BIT STRING }`, or None when the
/// SEQUENCE has another shape.
fn cert_digest(item: &Element<'_>, kind: Ctx) -> Option<CertDigest> {
    let mut ir = item.reader();
    let t = string_of(
        &next(&mut ir, kind, "CertDigest.type").ok()?,
        kind,
        "CertDigest.type",
    )
    .ok()?;
    let v = next(&mut ir, kind, "CertDigest.value").ok()?;
    let value = bits_of(&v, kind, "CertDigest.value").ok()?.to_vec();
    Some(CertDigest {
        digest_type: t,
        value,
    })
}

/// `SES_CertList`: a SEQUENCE (or SET) of certificates (OCTET STRING, or a bare certificate
/// SEQUENCE) or of CertDigest entries. A list holding anything else (an `IA5String`
/// identifier such as `"1"`, an INTEGER, a mix) is kept entry by entry as [`CertList::Other`]:
/// the seal still decodes and every other check still runs.
fn cert_list(e: &Element<'_>, list_type: i64, kind: Ctx) -> Result<CertList> {
    let what = "certList";
    if e.tag == asn1::OCTET_STRING {
        // One certificate written without its list.
        return Ok(CertList::Certs(vec![e.body.to_vec()]));
    }
    let mut r = if e.tag == asn1::SET {
        e.reader()
    } else {
        expect_seq(e, kind, what)?
    };
    let mut certs = Vec::new();
    let mut digests = Vec::new();
    let mut entries = Vec::new();
    let mut other = false;
    while !r.is_empty() {
        let item = ctx(r.read_any(), kind, what)?;
        entries.push(CertListEntry {
            tag: item.tag,
            body: item.body.to_vec(),
            raw: item.raw.to_vec(),
        });
        match item.tag {
            asn1::OCTET_STRING => certs.push(item.body.to_vec()),
            // A certificate written without its OCTET STRING wrapper.
            asn1::SEQUENCE if item.reader().peek_tag() == Some(asn1::SEQUENCE) => {
                certs.push(item.raw.to_vec())
            }
            asn1::SEQUENCE => match cert_digest(&item, kind) {
                Some(d) => digests.push(d),
                None => other = true,
            },
            _ => other = true,
        }
    }
    match (certs.is_empty(), digests.is_empty()) {
        _ if other => Ok(CertList::Other(entries)),
        (_, true) if list_type != 2 || !certs.is_empty() => Ok(CertList::Certs(certs)),
        (true, _) => Ok(CertList::Digests(digests)),
        _ => Ok(CertList::Other(entries)),
    }
}

fn property(e: &Element<'_>, kind: Ctx) -> Result<PropertyInfo> {
    let mut r = expect_seq(e, kind, "SES_ESPropertyInfo")?;
    let seal_type = next_as(&mut r, kind, "property.type", int_of)?;
    let name = next_as(&mut r, kind, "property.name", string_of)?;
    let mut list_el = next(&mut r, kind, "property.certList")?;
    // v4/v5 have certListType before certList; v1 has certList directly.
    let cert_list_type = if list_el.tag == asn1::INTEGER {
        let t = int_of(&list_el, kind, "property.certListType")?;
        list_el = next(&mut r, kind, "property.certList")?;
        t
    } else {
        1
    };
    let cert_list = cert_list(&list_el, cert_list_type, kind)?;
    let create_date = next_as(&mut r, kind, "property.createDate", time_of)?;
    let valid_start = next_as(&mut r, kind, "property.validStart", time_of)?;
    let valid_end = next_as(&mut r, kind, "property.validEnd", time_of)?;
    Ok(PropertyInfo {
        seal_type,
        name,
        cert_list_type,
        cert_list,
        create_date,
        valid_start,
        valid_end,
    })
}

fn picture(e: &Element<'_>, kind: Ctx) -> Result<PictureInfo> {
    let mut r = expect_seq(e, kind, "SES_ESPictrueInfo")?;
    let picture_type = next_as(&mut r, kind, "picture.type", string_of)?;
    let d = next(&mut r, kind, "picture.data")?;
    let data = bits_of(&d, kind, "picture.data")?.to_vec();
    let width = next_as(&mut r, kind, "picture.width", int_of)?;
    let height = next_as(&mut r, kind, "picture.height", int_of)?;
    Ok(PictureInfo {
        picture_type,
        data,
        width,
        height,
    })
}

fn seal_info(e: &Element<'_>, kind: Ctx) -> Result<SealInfo> {
    let mut r = expect_seq(e, kind, "SES_SealInfo")?;
    let header = header(&next(&mut r, kind, "SES_Header")?, kind)?;
    let es_id = next_as(&mut r, kind, "esID", string_of)?;
    let property = property(&next(&mut r, kind, "property")?, kind)?;
    let picture = picture(&next(&mut r, kind, "picture")?, kind)?;
    let ext_datas = if r.is_empty() {
        Vec::new()
    } else {
        let e = ctx(r.read_any(), kind, "extDatas")?;
        ext_datas(&e, kind)?
    };
    // Later, unknown elements are tolerated: they are covered by the maker's signature anyway.
    Ok(SealInfo {
        header,
        es_id,
        property,
        picture,
        ext_datas,
    })
}

/// Decodes a seal from its element.
fn seal_from_element(top: &Element<'_>) -> Result<Seal> {
    let kind = ErrorKind::MalformedSeal;
    let body = expect_seq(top, kind, "SESeal")?;
    let n = ctx(count(body), kind, "SESeal")?;
    let mut r = body;
    let info_el = next(&mut r, kind, "SES_SealInfo")?;
    let seal_info = seal_info(&info_el, kind)?;
    match n {
        2 => {
            let sign_el = next(&mut r, kind, "SES_SignInfo")?;
            let mut s = expect_seq(&sign_el, kind, "SES_SignInfo")?;
            let cert_el = next(&mut s, kind, "SES_SignInfo.cert")?;
            let alg_el = next(&mut s, kind, "SES_SignInfo.signatureAlgorithm")?;
            let sig_el = next(&mut s, kind, "SES_SignInfo.signData")?;
            let cert = cert_of(&cert_el, kind, "SES_SignInfo.cert")?;
            let sign_alg = alg_of(&alg_el, kind, "SES_SignInfo.signatureAlgorithm")?;
            let signed_value = bits_of(&sig_el, kind, "SES_SignInfo.signData")?.to_vec();
            // GM/T 0031-2014: the signature covers SEQUENCE { SES_SealInfo, cert, alg }.
            let mut body =
                Vec::with_capacity(info_el.raw.len() + cert_el.raw.len() + alg_el.raw.len());
            body.extend_from_slice(info_el.raw);
            body.extend_from_slice(cert_el.raw);
            body.extend_from_slice(alg_el.raw);
            Ok(Seal {
                version: Version::V1,
                seal_info,
                cert,
                sign_alg,
                signed_value,
                timestamp: None,
                der: top.raw.to_vec(),
                signed_bytes: asn1::tlv(asn1::SEQUENCE, &body),
            })
        }
        4 | 5 => {
            let cert = next_as(&mut r, kind, "cert", cert_of)?;
            let sign_alg = next_as(&mut r, kind, "signAlgID", alg_of)?;
            let signed_value = next_as(&mut r, kind, "signedValue", bits_of)?.to_vec();
            let timestamp = if r.is_empty() {
                None
            } else {
                Some(tagged_bits(
                    &ctx(r.read_any(), kind, "timeStamp")?,
                    kind,
                    "timeStamp",
                )?)
            };
            let version = if seal_info.header.version == 5 {
                Version::V5
            } else {
                Version::V4
            };
            Ok(Seal {
                version,
                seal_info,
                cert,
                sign_alg,
                signed_value,
                timestamp,
                der: top.raw.to_vec(),
                signed_bytes: info_el.raw.to_vec(),
            })
        }
        n => Err(err(
            kind,
            "SESeal",
            format!("a SEQUENCE of {n} elements is no known version"),
        )),
    }
}

/// `[0] BIT STRING`, explicit (`a0 { 03 … }`) or implicit (`80 …`); an OCTET STRING or a bare
/// token SEQUENCE inside `[0]` is accepted too.
fn tagged_bits(e: &Element<'_>, kind: Ctx, what: &str) -> Result<Vec<u8>> {
    if e.tag == asn1::context(0) {
        let inner = ctx(asn1::parse_single(e.body), kind, what)?;
        return match inner.tag {
            asn1::BIT_STRING | asn1::OCTET_STRING => Ok(bits_of(&inner, kind, what)?.to_vec()),
            asn1::SEQUENCE => Ok(inner.raw.to_vec()),
            t => Err(err(
                kind,
                what,
                format!("unexpected tag 0x{t:02x} inside [0]"),
            )),
        };
    }
    if e.tag == asn1::context_primitive(0) {
        let as_bits = Element {
            tag: asn1::BIT_STRING,
            body: e.body,
            raw: e.raw,
        };
        return Ok(bits_of(&as_bits, kind, what)?.to_vec());
    }
    Err(err(
        kind,
        what,
        format!("expected [0], found tag 0x{:02x}", e.tag),
    ))
}

/// Parses the top-level element of `bytes` (trailing bytes after it are ignored).
fn top<'a>(bytes: &'a [u8], kind: Ctx, what: &str) -> Result<Element<'a>> {
    let mut r = Reader::new(bytes);
    ctx(r.read_any(), kind, what)
}

/// Decodes a seal (`SESeal`) of version 1, 4 or 5.
pub fn decode_seal(bytes: &[u8]) -> Result<Seal> {
    let e = top(bytes, ErrorKind::MalformedSeal, "SESeal")?;
    seal_from_element(&e)
}

/// Reads v1 `timeInfo`: a BIT STRING (or OCTET STRING) holding ASCII time text or an opaque
/// token, or a UTCTime / GeneralizedTime.
fn v1_time(e: &Element<'_>, kind: Ctx) -> Result<(Option<Time>, Vec<u8>)> {
    match e.tag {
        asn1::UTC_TIME | asn1::GENERALIZED_TIME => {
            Ok((Some(time_of(e, kind, "timeInfo")?), e.body.to_vec()))
        }
        asn1::BIT_STRING
        | asn1::OCTET_STRING
        | asn1::IA5_STRING
        | asn1::PRINTABLE_STRING
        | asn1::UTF8_STRING => {
            let content = if e.tag == asn1::BIT_STRING {
                bits_of(e, kind, "timeInfo")?
            } else {
                e.body
            };
            Ok((free_time(content), content.to_vec()))
        }
        t => Err(err(kind, "timeInfo", format!("unexpected tag 0x{t:02x}"))),
    }
}

/// Best-effort reading of a free-form time: ASCII text in the forms producers write, or a DER
/// UTCTime/GeneralizedTime. None when it is something else (e.g. a timestamp token).
pub(crate) fn free_time(content: &[u8]) -> Option<Time> {
    if let Ok(text) = std::str::from_utf8(content) {
        let text = text.trim_matches(|c: char| c == '\0' || c.is_whitespace());
        if let Ok(t) = Time::parse_rfc3339(text) {
            return Some(t);
        }
        if let Ok(t) = Time::parse_utc_time(text) {
            return Some(t);
        }
    }
    let e = asn1::parse_single(content).ok()?;
    time_of(&e, ErrorKind::MalformedSesSignature, "timeInfo").ok()
}

/// Decodes a seal signature (`SES_Signature`) of version 1, 4 or 5.
pub fn decode_signature(bytes: &[u8]) -> Result<SesSignature> {
    let kind = ErrorKind::MalformedSesSignature;
    let top = top(bytes, kind, "SES_Signature")?;
    let body = expect_seq(&top, kind, "SES_Signature")?;
    let n = ctx(count(body), kind, "SES_Signature")?;
    let mut r = body;
    let tbs_el = next(&mut r, kind, "TBS_Sign")?;
    let mut t = expect_seq(&tbs_el, kind, "TBS_Sign")?;
    let version = int_of(
        &next(&mut t, kind, "TBS_Sign.version")?,
        kind,
        "TBS_Sign.version",
    )?;
    let seal_el = next(&mut t, kind, "TBS_Sign.eseal")?;
    let seal = seal_from_element(&seal_el).map_err(|e| err(kind, "TBS_Sign.eseal", e.detail()))?;
    let time_el = next(&mut t, kind, "TBS_Sign.timeInfo")?;
    let dh_el = next(&mut t, kind, "TBS_Sign.dataHash")?;
    let data_hash = bits_of(&dh_el, kind, "TBS_Sign.dataHash")?.to_vec();
    let property_info = string_of(
        &next(&mut t, kind, "TBS_Sign.propertyInfo")?,
        kind,
        "TBS_Sign.propertyInfo",
    )?;
    match n {
        2 => {
            let (time_info, time_info_raw) = v1_time(&time_el, kind)?;
            let cert = cert_of(&next(&mut t, kind, "TBS_Sign.cert")?, kind, "TBS_Sign.cert")?;
            let signature_alg = alg_of(
                &next(&mut t, kind, "TBS_Sign.signatureAlgorithm")?,
                kind,
                "TBS_Sign.signatureAlgorithm",
            )?;
            let signature = next_as(&mut r, kind, "signature", bits_of)?.to_vec();
            Ok(SesSignature {
                version: Version::V1,
                tbs: TbsSign {
                    version,
                    seal,
                    time_info,
                    time_info_raw,
                    data_hash,
                    property_info,
                    ext_datas: Vec::new(),
                },
                cert,
                signature_alg,
                signature,
                timestamp: None,
                der: top.raw.to_vec(),
                tbs_bytes: tbs_el.raw.to_vec(),
            })
        }
        4 | 5 => {
            let (time_info, time_info_raw) = match time_el.tag {
                asn1::UTC_TIME | asn1::GENERALIZED_TIME => (
                    Some(time_of(&time_el, kind, "TBS_Sign.timeInfo")?),
                    time_el.body.to_vec(),
                ),
                _ => v1_time(&time_el, kind)?,
            };
            let ext_datas = if t.is_empty() {
                Vec::new()
            } else {
                let e = ctx(t.read_any(), kind, "TBS_Sign.extDatas")?;
                ext_datas(&e, kind)?
            };
            let cert = next_as(&mut r, kind, "cert", cert_of)?;
            let signature_alg = next_as(&mut r, kind, "signatureAlgID", alg_of)?;
            let signature = next_as(&mut r, kind, "signature", bits_of)?.to_vec();
            let timestamp = if r.is_empty() {
                None
            } else {
                Some(tagged_bits(
                    &ctx(r.read_any(), kind, "timeStamp")?,
                    kind,
                    "timeStamp",
                )?)
            };
            let v = if version == 5 {
                Version::V5
            } else {
                Version::V4
            };
            Ok(SesSignature {
                version: v,
                tbs: TbsSign {
                    version,
                    seal,
                    time_info,
                    time_info_raw,
                    data_hash,
                    property_info,
                    ext_datas,
                },
                cert,
                signature_alg,
                signature,
                timestamp,
                der: top.raw.to_vec(),
                tbs_bytes: tbs_el.raw.to_vec(),
            })
        }
        n => Err(err(
            kind,
            "SES_Signature",
            format!("a SEQUENCE of {n} elements is no known version"),
        )),
    }
}

/// What a DER blob is, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A seal (`SESeal`).
    Seal,
    /// A seal signature (`SES_Signature`).
    Signature,
}

/// Tells a seal from a seal signature by structure: both are SEQUENCEs whose first element is a
/// SEQUENCE; a seal's starts with the header SEQUENCE, a signature's (TBS_Sign) with the version
/// INTEGER. None when the bytes are neither.
pub fn detect(bytes: &[u8]) -> Option<Kind> {
    let top = Reader::new(bytes).read_any().ok()?;
    if top.tag != asn1::SEQUENCE {
        return None;
    }
    let n = count(top.reader()).ok()?;
    if !(2..=5).contains(&n) || n == 3 {
        return None;
    }
    let first = top.reader().read_any().ok()?;
    if first.tag != asn1::SEQUENCE {
        return None;
    }
    match first.reader().peek_tag()? {
        asn1::SEQUENCE => Some(Kind::Seal),
        asn1::INTEGER => Some(Kind::Signature),
        _ => None,
    }
}
