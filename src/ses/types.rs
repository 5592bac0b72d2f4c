//! The seal and seal-signature structures of GB/T 38540-2020 §6 (version 4), GM/T 0031-2025
//! (version 5) and GM/T 0031-2014 §5 (version 1), as plain Rust values.
//!
//! Field names follow the ASN.1 of DESIGN §4 (`eSealInfo` → `seal_info`, `signedValue` →
//! `signed_value`, …). Decoded values keep the raw bytes of every signed part, so signatures are
//! verified over exactly what was signed (see [`Seal::signed_bytes`] and
//! [`SesSignature::tbs_bytes`]).
//!
//! ```asn1
//! SESeal ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING, signAlgID OBJECT IDENTIFIER,
//!                       signedValue BIT STRING, timeStamp [0] BIT STRING OPTIONAL }   -- v4, v5
//! SESeal ::= SEQUENCE { esealInfo SES_SealInfo, signInfo SES_SignInfo }               -- v1
//! SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER,
//!                              signature BIT STRING, timeStamp [0] EXPLICIT BIT STRING OPTIONAL }
//! SES_Signature ::= SEQUENCE { toSign TBS_Sign, signature BIT STRING }                -- v1
//! ```

use crate::pki::Time;

// SM2-with-SM3 signatures, and SM2 signatures as some producers write them (`sm2-1`), from
// [`crate::oid`].
pub use crate::oid::{SM2_SIGN as OID_SM2_SIGN, SM2_WITH_SM3 as OID_SM2_SM3};

/// The version of the seal format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Version {
    /// GM/T 0031-2014 (header versions 1–3).
    V1,
    /// GB/T 38540-2020 (header version 4).
    V4,
    /// GM/T 0031-2025 (header version 5: optional seal timestamp).
    V5,
}

impl Version {
    /// The report format name: `ses-v1`, `ses-v4` or `ses-v5`.
    pub fn format_name(self) -> &'static str {
        match self {
            Version::V1 => "ses-v1",
            Version::V4 => "ses-v4",
            Version::V5 => "ses-v5",
        }
    }

    /// The number written in `SES_Header.version` and `TBS_Sign.version`.
    pub fn number(self) -> i64 {
        match self {
            Version::V1 => 1,
            Version::V4 => 4,
            Version::V5 => 5,
        }
    }
}

/// `SES_Header ::= SEQUENCE { ID IA5String, version INTEGER, Vid IA5String }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Always `"ES"` when written.
    pub id: String,
    /// Header version (1–3 for GM/T 0031-2014, 4, 5).
    pub version: i64,
    /// Vendor identifier.
    pub vid: String,
}

/// `ExtData ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
/// extnValue OCTET STRING }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtData {
    /// Extension OID in dotted form.
    pub extn_id: String,
    /// Critical flag (FALSE when absent).
    pub critical: bool,
    /// Extension value.
    pub extn_value: Vec<u8>,
}

/// An entry of `CertDigestList`: `SEQUENCE { type PrintableString, value OCTET STRING }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertDigest {
    /// Digest algorithm name (`"SM3"` when written; free text in real files).
    pub digest_type: String,
    /// Digest of the certificate's DER encoding.
    pub value: Vec<u8>,
}

/// An entry of a certList as written, kept when the list is not purely certificates or
/// digests (vendor variants: an `IA5String` identifier such as `"1"` instead of a
/// certificate, an INTEGER, a mix of certificates and digests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertListEntry {
    /// The entry's tag byte (e.g. 0x16 IA5String, 0x04 OCTET STRING).
    pub tag: u8,
    /// The entry's content octets.
    pub body: Vec<u8>,
    /// The whole entry, tag and length included.
    pub raw: Vec<u8>,
}

impl CertListEntry {
    /// A certificate (DER) when the entry holds one: an OCTET STRING or a bare SEQUENCE.
    pub fn certificate(&self) -> Option<&[u8]> {
        match self.tag {
            0x04 if self.body.first() == Some(&0x30) => Some(&self.body),
            0x30 => Some(&self.raw),
            _ => None,
        }
    }

    /// A short description for reports: the text of a string or INTEGER entry, else its tag.
    pub fn describe(&self) -> String {
        match self.tag {
            0x0c | 0x12 | 0x13 | 0x14 | 0x16 | 0x1a | 0x1b => {
                format!("{:?}", String::from_utf8_lossy(&self.body))
            }
            0x02 if self.body.len() <= 8 => {
                let mut v: i64 = if self.body.first().is_some_and(|b| b & 0x80 != 0) {
                    -1
                } else {
                    0
                };
                for b in &self.body {
                    v = (v << 8) | i64::from(*b);
                }
                format!("INTEGER {v}")
            }
            t => format!("an element with tag 0x{t:02x}"),
        }
    }
}

/// `SES_CertList`: signer certificates (certListType 1) or their digests (certListType 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertList {
    /// `CertInfoList ::= SEQUENCE OF OCTET STRING`: DER certificates.
    Certs(Vec<Vec<u8>>),
    /// `CertDigestList ::= SEQUENCE OF CertDigest`.
    Digests(Vec<CertDigest>),
    /// A list holding entries of other types (vendor variants), every entry as written. The
    /// seal still decodes, so every check that does not need the list still runs; the
    /// `signer_in_seal` check says what the list holds.
    Other(Vec<CertListEntry>),
}

impl CertList {
    /// The certListType number of this branch: 1 for certificates, 2 for digests, 0 for a
    /// list of other entries.
    pub fn list_type(&self) -> i64 {
        match self {
            CertList::Certs(_) => 1,
            CertList::Digests(_) => 2,
            CertList::Other(_) => 0,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        match self {
            CertList::Certs(c) => c.len(),
            CertList::Digests(d) => d.len(),
            CertList::Other(e) => e.len(),
        }
    }

    /// True when the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `SES_ESPropertyInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyInfo {
    /// Business-defined seal type (not restricted).
    pub seal_type: i64,
    /// Seal name.
    pub name: String,
    /// certListType as written (1 or 2; v1 seals have no such field and read as 1).
    pub cert_list_type: i64,
    /// The signers allowed to use the seal.
    pub cert_list: CertList,
    /// When the seal was made.
    pub create_date: Time,
    /// Start of validity.
    pub valid_start: Time,
    /// End of validity.
    pub valid_end: Time,
}

/// `SES_ESPictrueInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER,
/// height INTEGER }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PictureInfo {
    /// Picture type as written (`PNG`, `JPG`, `GIF`, `BMP`, `SVG`, `ofd`, any case).
    pub picture_type: String,
    /// Picture bytes.
    pub data: Vec<u8>,
    /// Width in millimetres.
    pub width: i64,
    /// Height in millimetres.
    pub height: i64,
}

/// `SES_SealInfo ::= SEQUENCE { header, esID, property, picture, extDatas OPTIONAL }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealInfo {
    /// Header.
    pub header: Header,
    /// Seal code.
    pub es_id: String,
    /// Properties.
    pub property: PropertyInfo,
    /// Picture.
    pub picture: PictureInfo,
    /// Extensions (empty when absent).
    pub ext_datas: Vec<ExtData>,
}

/// A seal (`SESeal`) of any version.
///
/// For version 1 the `SES_SignInfo` fields are flattened into `cert`, `sign_alg` and
/// `signed_value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    /// Format version, detected per DESIGN §4.2.
    pub version: Version,
    /// `eSealInfo`.
    pub seal_info: SealInfo,
    /// Seal maker's certificate (DER).
    pub cert: Vec<u8>,
    /// Signature algorithm OID (dotted).
    pub sign_alg: String,
    /// Maker's signature value (DER `SEQUENCE{r,s}` or raw `r‖s`, as written).
    pub signed_value: Vec<u8>,
    /// v5 `timeStamp` content, when present.
    pub timestamp: Option<Vec<u8>>,
    /// The whole seal as read or built.
    pub(crate) der: Vec<u8>,
    /// What the maker signed: raw SES_SealInfo (v4/v5) or the v1 triple.
    pub(crate) signed_bytes: Vec<u8>,
}

impl Seal {
    /// The format version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The seal's DER bytes exactly as read (or as built by [`crate::ses::SealBuilder`]).
    /// Seal signatures embed these bytes, so the maker's signature stays verifiable.
    pub fn raw_der(&self) -> &[u8] {
        &self.der
    }

    /// The bytes the maker signed: the raw SES_SealInfo for v4/v5, and for v1 the DER of
    /// `SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }` built from the raw elements.
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed_bytes
    }

    /// The seal's facts for reports.
    pub fn report_info(&self) -> crate::report::SealInfo {
        let p = &self.seal_info.property;
        crate::report::SealInfo {
            es_id: self.seal_info.es_id.clone(),
            name: p.name.clone(),
            seal_type: p.seal_type,
            valid_from: p.valid_start.to_rfc3339(),
            valid_to: p.valid_end.to_rfc3339(),
        }
    }
}

/// `TBS_Sign`, the part of a seal signature the signer signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TbsSign {
    /// Version as written (1, 4 or 5; vendors also wrote 2 and 3 for v1).
    pub version: i64,
    /// The seal applied.
    pub seal: Seal,
    /// Signing time, when it can be read (v1 `timeInfo` is free-form and may be a token).
    pub time_info: Option<Time>,
    /// The raw `timeInfo` content as written (GeneralizedTime text, or the v1 bytes).
    pub time_info_raw: Vec<u8>,
    /// SM3 of the protected data (32 bytes).
    pub data_hash: Vec<u8>,
    /// Protection scope (OFD: the path of Signature.xml).
    pub property_info: String,
    /// Extensions (v4/v5; empty when absent).
    pub ext_datas: Vec<ExtData>,
}

/// A seal signature (`SES_Signature`) of any version.
///
/// For version 1, the signer certificate and algorithm that GM/T 0031-2014 keeps inside
/// TBS_Sign are exposed as `cert` and `signature_alg` too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SesSignature {
    /// Format version.
    pub version: Version,
    /// What was signed.
    pub tbs: TbsSign,
    /// Signer's certificate (DER).
    pub cert: Vec<u8>,
    /// Signature algorithm OID (dotted).
    pub signature_alg: String,
    /// Signer's signature value (DER or raw `r‖s`, as written).
    pub signature: Vec<u8>,
    /// RFC 3161 timestamp token over the signature value, when present.
    pub timestamp: Option<Vec<u8>>,
    /// The whole signature as read or built.
    pub(crate) der: Vec<u8>,
    /// Raw TBS_Sign bytes.
    pub(crate) tbs_bytes: Vec<u8>,
}

impl SesSignature {
    /// The format version.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The DER bytes exactly as read or built.
    pub fn raw_der(&self) -> &[u8] {
        &self.der
    }

    /// The raw TBS_Sign bytes the signer signed.
    pub fn tbs_bytes(&self) -> &[u8] {
        &self.tbs_bytes
    }

    /// The seal inside the signature.
    pub fn seal(&self) -> &Seal {
        &self.tbs.seal
    }
}
