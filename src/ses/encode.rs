//! Strict DER encoding of version 4 and 5 seals and seal signatures (GB/T 38540-2020 §6,
//! GM/T 0031-2025), as `der`-derived structures that mirror the ASN.1 of DESIGN §4.1.
//!
//! Writers emit GeneralizedTime with `Z`, DER SM2 signature values, untagged SES_SealInfo
//! extDatas (omitted when empty), `critical` only when TRUE, and explicit `[0]` for TBS_Sign
//! extDatas and both timeStamp fields. Signed parts that already exist (the SES_SealInfo a maker
//! signed, the seal inside TBS_Sign, the TBS_Sign a signer signed) are embedded byte for byte.

use super::types::*;
use crate::error::{Error, ErrorKind, Result};
use crate::pki::Time;
use der::asn1::{
    BitString, GeneralizedTime, Ia5String, ObjectIdentifier, OctetString, PrintableString,
};
use der::{Decode, Encode, Length, Sequence};

/// An element already encoded, written verbatim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Raw<'a>(&'a [u8]);

impl Encode for Raw<'_> {
    fn encoded_len(&self) -> der::Result<Length> {
        Length::try_from(self.0.len())
    }
    fn encode(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        writer.write(self.0)
    }
}

impl<'a> Decode<'a> for Raw<'a> {
    type Error = der::Error;
    fn decode<R: der::Reader<'a>>(reader: &mut R) -> der::Result<Self> {
        Ok(Raw(reader.tlv_bytes()?))
    }
}

/// `SES_Header`.
#[derive(Sequence)]
struct HeaderW {
    id: Ia5String,
    version: i64,
    vid: Ia5String,
}

/// `ExtData`.
#[derive(Sequence)]
struct ExtDataW {
    extn_id: ObjectIdentifier,
    #[asn1(default = "Default::default")]
    critical: bool,
    extn_value: OctetString,
}

/// `CertDigestList` entry.
#[derive(Sequence)]
struct CertDigestW {
    digest_type: PrintableString,
    value: OctetString,
}

/// `SES_ESPropertyInfo` (certList pre-encoded: its CHOICE branches share the SEQUENCE tag).
#[derive(Sequence)]
struct PropertyW<'a> {
    seal_type: i64,
    name: String,
    cert_list_type: i64,
    cert_list: Raw<'a>,
    create_date: GeneralizedTime,
    valid_start: GeneralizedTime,
    valid_end: GeneralizedTime,
}

/// `SES_ESPictrueInfo`.
#[derive(Sequence)]
struct PictureW {
    picture_type: Ia5String,
    data: OctetString,
    width: i64,
    height: i64,
}

/// `SES_SealInfo`.
#[derive(Sequence)]
struct SealInfoW<'a> {
    header: HeaderW,
    es_id: Ia5String,
    property: PropertyW<'a>,
    picture: PictureW,
    #[asn1(optional = "true")]
    ext_datas: Option<Vec<ExtDataW>>,
}

/// `SESeal` (v4, v5).
#[derive(Sequence)]
struct SealW<'a> {
    seal_info: Raw<'a>,
    cert: OctetString,
    sign_alg: ObjectIdentifier,
    signed_value: BitString,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    timestamp: Option<BitString>,
}

/// `TBS_Sign` (v4, v5).
#[derive(Sequence)]
struct TbsSignW<'a> {
    version: i64,
    eseal: Raw<'a>,
    time_info: GeneralizedTime,
    data_hash: BitString,
    property_info: Ia5String,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    ext_datas: Option<Vec<ExtDataW>>,
}

/// `SES_Signature` (v4, v5).
#[derive(Sequence)]
struct SesSignatureW<'a> {
    to_sign: Raw<'a>,
    cert: OctetString,
    signature_alg: ObjectIdentifier,
    signature: BitString,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    timestamp: Option<BitString>,
}

fn inval(what: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("{what}: {e}"))
}

fn ia5(s: &str, what: &str) -> Result<Ia5String> {
    Ia5String::new(s).map_err(|e| inval(what, format!("not an IA5String ({e})")))
}

fn octets(b: &[u8], what: &str) -> Result<OctetString> {
    OctetString::new(b.to_vec()).map_err(|e| inval(what, e))
}

fn bits(b: &[u8], what: &str) -> Result<BitString> {
    BitString::from_bytes(b).map_err(|e| inval(what, e))
}

fn oid(s: &str, what: &str) -> Result<ObjectIdentifier> {
    ObjectIdentifier::new(s).map_err(|e| inval(what, e))
}

fn gtime(t: Time, what: &str) -> Result<GeneralizedTime> {
    let secs = u64::try_from(t.unix()).map_err(|_| inval(what, "time before 1970"))?;
    GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(secs))
        .map_err(|e| inval(what, e))
}

fn der_of(v: &impl Encode, what: &str) -> Result<Vec<u8>> {
    v.to_der().map_err(|e| inval(what, e))
}

fn ext_list(exts: &[ExtData]) -> Result<Option<Vec<ExtDataW>>> {
    if exts.is_empty() {
        return Ok(None);
    }
    exts.iter()
        .map(|e| {
            Ok(ExtDataW {
                extn_id: oid(&e.extn_id, "ExtData.extnID")?,
                critical: e.critical,
                extn_value: octets(&e.extn_value, "ExtData.extnValue")?,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// DER of a `SES_CertList` branch.
fn cert_list_der(list: &CertList) -> Result<Vec<u8>> {
    match list {
        CertList::Certs(certs) => {
            let v = certs
                .iter()
                .map(|c| octets(c, "certList"))
                .collect::<Result<Vec<_>>>()?;
            der_of(&v, "certList")
        }
        CertList::Digests(d) => {
            let v = d
                .iter()
                .map(|d| {
                    Ok(CertDigestW {
                        digest_type: PrintableString::new(&d.digest_type)
                            .map_err(|e| inval("CertDigest.type", e))?,
                        value: octets(&d.value, "CertDigest.value")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            der_of(&v, "certList")
        }
        // Entries of other types are written back as read.
        CertList::Other(entries) => {
            let body: Vec<u8> = entries.iter().flat_map(|e| e.raw.iter().copied()).collect();
            Ok(crate::asn1::tlv(crate::asn1::SEQUENCE, &body))
        }
    }
}

/// DER of `SES_SealInfo`.
pub(crate) fn seal_info_der(info: &SealInfo) -> Result<Vec<u8>> {
    let p = &info.property;
    let list = cert_list_der(&p.cert_list)?;
    let w = SealInfoW {
        header: HeaderW {
            id: ia5(&info.header.id, "SES_Header.ID")?,
            version: info.header.version,
            vid: ia5(&info.header.vid, "SES_Header.Vid")?,
        },
        es_id: ia5(&info.es_id, "esID")?,
        property: PropertyW {
            seal_type: p.seal_type,
            name: p.name.clone(),
            cert_list_type: p.cert_list_type,
            cert_list: Raw(&list),
            create_date: gtime(p.create_date, "createDate")?,
            valid_start: gtime(p.valid_start, "validStart")?,
            valid_end: gtime(p.valid_end, "validEnd")?,
        },
        picture: PictureW {
            picture_type: ia5(&info.picture.picture_type, "picture.type")?,
            data: octets(&info.picture.data, "picture.data")?,
            width: info.picture.width,
            height: info.picture.height,
        },
        ext_datas: ext_list(&info.ext_datas)?,
    };
    der_of(&w, "SES_SealInfo")
}

/// DER of `SESeal` from the (already signed) SES_SealInfo bytes.
pub(crate) fn seal_der(
    seal_info: &[u8],
    cert: &[u8],
    sign_alg: &str,
    signed_value: &[u8],
    timestamp: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let w = SealW {
        seal_info: Raw(seal_info),
        cert: octets(cert, "cert")?,
        sign_alg: oid(sign_alg, "signAlgID")?,
        signed_value: bits(signed_value, "signedValue")?,
        timestamp: timestamp.map(|t| bits(t, "timeStamp")).transpose()?,
    };
    der_of(&w, "SESeal")
}

/// DER of `TBS_Sign` embedding the seal bytes as they are.
pub(crate) fn tbs_der(
    version: i64,
    seal: &[u8],
    time_info: Time,
    data_hash: &[u8],
    property_info: &str,
    ext_datas: &[ExtData],
) -> Result<Vec<u8>> {
    let w = TbsSignW {
        version,
        eseal: Raw(seal),
        time_info: gtime(time_info, "timeInfo")?,
        data_hash: bits(data_hash, "dataHash")?,
        property_info: ia5(property_info, "propertyInfo")?,
        ext_datas: ext_list(ext_datas)?,
    };
    der_of(&w, "TBS_Sign")
}

/// DER of `SES_Signature` from the (already signed) TBS_Sign bytes.
pub(crate) fn signature_der(
    tbs: &[u8],
    cert: &[u8],
    signature_alg: &str,
    signature: &[u8],
    timestamp: Option<&[u8]>,
) -> Result<Vec<u8>> {
    let w = SesSignatureW {
        to_sign: Raw(tbs),
        cert: octets(cert, "cert")?,
        signature_alg: oid(signature_alg, "signatureAlgID")?,
        signature: bits(signature, "signature")?,
        timestamp: timestamp.map(|t| bits(t, "timeStamp")).transpose()?,
    };
    der_of(&w, "SES_Signature")
}

fn v1_unsupported() -> Error {
    Error::new(
        ErrorKind::Unsupported,
        "writing GM/T 0031-2014 (v1) structures is not supported",
    )
}

impl Seal {
    /// Strict DER of the seal, re-encoded from its fields (SES_SealInfo included). For a seal
    /// made by [`crate::ses::SealBuilder`] or decoded from strict DER this equals
    /// [`Seal::raw_der`]; use `raw_der` to pass a decoded seal on unchanged. Version 1 seals
    /// cannot be written.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        if self.version == Version::V1 {
            return Err(v1_unsupported());
        }
        let info = seal_info_der(&self.seal_info)?;
        seal_der(
            &info,
            &self.cert,
            &self.sign_alg,
            &self.signed_value,
            self.timestamp.as_deref(),
        )
    }
}

impl SesSignature {
    /// Strict DER of the signature, re-encoded from its fields; the seal inside is embedded as
    /// its [`Seal::raw_der`] so the maker's signature stays intact. Version 1 signatures cannot
    /// be written.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        if self.version == Version::V1 {
            return Err(v1_unsupported());
        }
        let t = &self.tbs;
        let time = t
            .time_info
            .ok_or_else(|| inval("timeInfo", "no signing time"))?;
        let tbs = tbs_der(
            t.version,
            t.seal.raw_der(),
            time,
            &t.data_hash,
            &t.property_info,
            &t.ext_datas,
        )?;
        signature_der(
            &tbs,
            &self.cert,
            &self.signature_alg,
            &self.signature,
            self.timestamp.as_deref(),
        )
    }
}
