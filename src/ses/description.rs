//! A seal described for people and programs (GB/T 38540-2020 §6.1 `SESeal`, §6.2
//! `SES_SealInfo`): the one JSON shape written by the C ABI (`eseal_seal_info_json`) and by
//! `eseal seal show --format json`.
//!
//! The two used to differ; every key either wrote is kept. createDate is written under both
//! `created` (the C ABI's name) and `create_date` (the CLI's), and either is accepted on input.
//! `signers` is the number of entries of the certificate list in the C ABI and the entries
//! themselves in the CLI ([`Signers`]); `signer_count` is the number in both (absent from
//! descriptions written before it existed).

use crate::error::{Error, ErrorKind, Result};
use crate::pki::Certificate;
use crate::ses::{CertList, Seal};
use serde::de::{Deserializer, Error as _};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Facts about a seal. Serialized as described in the module documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealDescription {
    /// `ses-v1`, `ses-v4` or `ses-v5`.
    pub format: String,
    /// `SES_Header.vid`, the vendor identifier.
    pub vid: String,
    /// `esID`, the seal code.
    pub es_id: String,
    /// The seal's name.
    pub name: String,
    /// The business-defined seal type.
    #[serde(rename = "type")]
    pub seal_type: i64,
    /// certListType as written (1 certificates, 2 digests).
    pub cert_list_type: i64,
    /// The signers allowed to use the seal.
    pub signers: Signers,
    /// The number of entries of the certificate list (None when read from a description
    /// written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signer_count: Option<usize>,
    /// createDate, RFC 3339: written as `created` and as `create_date`, read from either.
    #[serde(flatten)]
    pub created: CreateDate,
    /// validStart, RFC 3339.
    pub valid_from: String,
    /// validEnd, RFC 3339.
    pub valid_to: String,
    /// The seal picture.
    pub picture: PictureDescription,
    /// The extnID of every extension (`extDatas`).
    #[serde(default)]
    pub ext_datas: Vec<String>,
    /// The maker certificate, or None (JSON null) when it is not described.
    #[serde(default)]
    pub maker: Option<Entry>,
    /// The maker's signature algorithm OID.
    #[serde(default)]
    pub sign_alg: String,
    /// True when the seal carries a timestamp.
    #[serde(default)]
    pub timestamp: bool,
}

/// createDate (RFC 3339) under its two JSON names, `created` (C ABI) and `create_date` (CLI).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateDate(pub String);

impl Serialize for CreateDate {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("created", &self.0)?;
        m.serialize_entry("create_date", &self.0)?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for CreateDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Names {
            created: Option<String>,
            create_date: Option<String>,
        }
        let n = Names::deserialize(d)?;
        match (n.created, n.create_date) {
            (Some(a), Some(b)) if a != b => Err(D::Error::custom(format!(
                "created {a:?} and create_date {b:?} differ"
            ))),
            (Some(a), _) | (None, Some(a)) => Ok(CreateDate(a)),
            (None, None) => Err(D::Error::missing_field("created")),
        }
    }
}

/// The seal's signers: the number of entries (the C ABI's form) or the entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Signers {
    /// The number of entries of the certificate list.
    Count(usize),
    /// The entries, in order.
    List(Vec<Entry>),
}

/// One certificate-list entry or the maker certificate, written with the keys that apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    /// A certificate: subject and issuer distinguished names, serial number (hex).
    Certificate {
        /// Subject distinguished name.
        subject: String,
        /// Serial number, hexadecimal.
        serial: String,
        /// Issuer distinguished name.
        issuer: String,
    },
    /// A certificate digest (certListType 2): the algorithm as written and the value (hex).
    Digest {
        /// The digest algorithm.
        digest_type: String,
        /// The digest, hexadecimal.
        value: String,
    },
    /// A vendor entry that holds no certificate: what it holds.
    Other {
        /// Its description.
        entry: String,
    },
    /// A certificate that cannot be read: why.
    Error {
        /// The parse error.
        error: String,
    },
}

impl Entry {
    /// A certificate (DER): subject, serial and issuer, or the parse error.
    pub fn certificate(der: &[u8]) -> Entry {
        match Certificate::from_der(der) {
            Ok(c) => Entry::Certificate {
                subject: c.subject(),
                serial: c.serial_hex(),
                issuer: c.issuer(),
            },
            Err(e) => Entry::Error {
                error: e.to_string(),
            },
        }
    }

    /// True when this describes a certificate that could not be read.
    pub fn is_error(&self) -> bool {
        matches!(self, Entry::Error { .. })
    }
}

/// `SES_ESPictrueInfo` without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureDescription {
    /// The type as written (`PNG`, `JPG`, …).
    #[serde(rename = "type")]
    pub picture_type: String,
    /// Width in millimetres.
    pub width_mm: i64,
    /// Height in millimetres.
    pub height_mm: i64,
    /// The picture's size in bytes.
    pub bytes: usize,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl SealDescription {
    /// Describes `seal`, listing its signers (`signers` as entries).
    pub fn of(seal: &Seal) -> SealDescription {
        let info = &seal.seal_info;
        let p = &info.property;
        let entries = match &p.cert_list {
            CertList::Certs(cs) => cs.iter().map(|c| Entry::certificate(c)).collect(),
            CertList::Digests(ds) => ds
                .iter()
                .map(|d| Entry::Digest {
                    digest_type: d.digest_type.clone(),
                    value: hex(&d.value),
                })
                .collect(),
            CertList::Other(es) => es
                .iter()
                .map(|e| match e.certificate().map(Entry::certificate) {
                    Some(c) if !c.is_error() => c,
                    _ => Entry::Other {
                        entry: e.describe(),
                    },
                })
                .collect(),
        };
        SealDescription {
            format: seal.version().format_name().to_string(),
            vid: info.header.vid.clone(),
            es_id: info.es_id.clone(),
            name: p.name.clone(),
            seal_type: p.seal_type,
            cert_list_type: p.cert_list_type,
            signers: Signers::List(entries),
            signer_count: Some(p.cert_list.len()),
            created: CreateDate(p.create_date.to_rfc3339()),
            valid_from: p.valid_start.to_rfc3339(),
            valid_to: p.valid_end.to_rfc3339(),
            picture: PictureDescription {
                picture_type: info.picture.picture_type.clone(),
                width_mm: info.picture.width,
                height_mm: info.picture.height,
                bytes: info.picture.data.len(),
            },
            ext_datas: info.ext_datas.iter().map(|e| e.extn_id.clone()).collect(),
            maker: Some(Entry::certificate(&seal.cert)),
            sign_alg: seal.sign_alg.clone(),
            timestamp: seal.timestamp.is_some(),
        }
    }

    /// The description as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a description written by either surface (`created` or `create_date`).
    pub fn from_json(text: &str) -> Result<SealDescription> {
        serde_json::from_str(text)
            .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("seal description: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SealDescription {
        SealDescription {
            format: "ses-v4".into(),
            vid: "v".into(),
            es_id: "1101".into(),
            name: "合同专用章".into(),
            seal_type: 3,
            cert_list_type: 1,
            signers: Signers::Count(2),
            signer_count: Some(2),
            created: CreateDate("2026-01-01T00:00:00Z".into()),
            valid_from: "2026-01-01T00:00:00Z".into(),
            valid_to: "2027-01-01T00:00:00Z".into(),
            picture: PictureDescription {
                picture_type: "PNG".into(),
                width_mm: 40,
                height_mm: 40,
                bytes: 99,
            },
            ext_datas: vec![],
            maker: None,
            sign_alg: "1.2.156.10197.1.501".into(),
            timestamp: false,
        }
    }

    #[test]
    fn both_spellings_of_create_date() {
        let d = sample();
        let j: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(j["created"], "2026-01-01T00:00:00Z");
        assert_eq!(j["create_date"], "2026-01-01T00:00:00Z");
        assert_eq!(j["type"], 3);
        assert_eq!(j["signers"], 2);
        assert_eq!(j["maker"], serde_json::Value::Null);
        assert_eq!(SealDescription::from_json(&d.to_json()).unwrap(), d);
        for key in ["created", "create_date"] {
            let mut one = j.clone();
            one.as_object_mut().unwrap().remove(key);
            let back = SealDescription::from_json(&one.to_string()).unwrap();
            assert_eq!(back.created.0, "2026-01-01T00:00:00Z");
        }
        let mut both = j.clone();
        both["create_date"] = "2020-01-01T00:00:00Z".into();
        assert!(SealDescription::from_json(&both.to_string()).is_err());
        let mut none = j;
        none.as_object_mut().unwrap().remove("created");
        none.as_object_mut().unwrap().remove("create_date");
        let e = SealDescription::from_json(&none.to_string()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    }

    #[test]
    fn signers_as_a_list() {
        let mut d = sample();
        d.signers = Signers::List(vec![
            Entry::Digest {
                digest_type: "1.2.156.10197.1.401".into(),
                value: "00ff".into(),
            },
            Entry::Other {
                entry: "INTEGER 1".into(),
            },
        ]);
        d.signer_count = Some(2);
        let j: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(
            j["signers"],
            serde_json::json!([
                {"digest_type": "1.2.156.10197.1.401", "value": "00ff"},
                {"entry": "INTEGER 1"}
            ])
        );
        assert_eq!(j["signer_count"], 2);
        assert_eq!(SealDescription::from_json(&d.to_json()).unwrap(), d);
    }
}
