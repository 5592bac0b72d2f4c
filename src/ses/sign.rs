//! Applying a seal (GB/T 38540-2020 §7.2): the signer (签章者) hashes the protected data with
//! SM3, builds TBS_Sign {version, the seal, signing time, dataHash, propertyInfo}, signs its DER
//! with SM2 and writes SES_Signature, optionally with an RFC 3161 timestamp over the signature
//! value.
//!
//! Refused ([`ErrorKind::SealRefused`]) when the signer certificate is not in the seal
//! (certListType 1: equal DER; 2: a digest matches), when the signing time is outside the
//! seal's validity, or when the seal is version 1; [`ErrorKind::KeyMismatch`] when the key does
//! not match the signer certificate.

use super::encode;
use super::types::*;
use crate::crypto::{Signer, sm3};
use crate::error::{Error, ErrorKind, Result};
use crate::pki::{Certificate, Time};
use std::io::Read;

/// A timestamp source: turns the signature value into an RFC 3161 TimeStampToken (DER).
pub type TimestampFn<'a> = &'a dyn Fn(&[u8]) -> Result<Vec<u8>>;

/// What to sign and how.
#[derive(Clone)]
pub struct SignRequest<'a> {
    /// The seal to apply.
    pub seal: &'a Seal,
    /// The signer certificate (DER); must be listed in the seal.
    pub cert: &'a [u8],
    /// propertyInfo: the protection scope (OFD: the absolute path of Signature.xml).
    pub property_info: &'a str,
    /// The signing time written in timeInfo.
    pub signing_time: Time,
    /// Version 4 (default) or 5.
    pub version: Version,
    /// TBS_Sign extensions.
    pub ext_datas: Vec<ExtData>,
    /// Optional timestamp source.
    pub timestamp: Option<TimestampFn<'a>>,
}

impl<'a> SignRequest<'a> {
    /// A version 4 request without extensions or timestamp.
    pub fn new(seal: &'a Seal, cert: &'a [u8], property_info: &'a str, signing_time: Time) -> Self {
        SignRequest {
            seal,
            cert,
            property_info,
            signing_time,
            version: Version::V4,
            ext_datas: Vec::new(),
            timestamp: None,
        }
    }
}

impl std::fmt::Debug for SignRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignRequest")
            .field("seal", &self.seal.seal_info.es_id)
            .field("property_info", &self.property_info)
            .field("signing_time", &self.signing_time)
            .field("version", &self.version)
            .field("timestamp", &self.timestamp.is_some())
            .finish()
    }
}

/// How a certificate was found in a seal's certList, or why not.
pub(crate) fn find_in_seal(seal: &Seal, cert: &[u8]) -> std::result::Result<String, String> {
    match &seal.seal_info.property.cert_list {
        CertList::Certs(certs) => {
            if certs.iter().any(|c| c.as_slice() == cert) {
                Ok("signer certificate is listed in the seal".to_string())
            } else {
                Err(format!(
                    "signer certificate is not among the seal's {} certificate(s)",
                    certs.len()
                ))
            }
        }
        CertList::Digests(digests) => {
            use sha1::Digest as _;
            let candidates: [(&str, Vec<u8>); 3] = [
                ("SM3", sm3(cert).to_vec()),
                ("SHA-256", sha2::Sha256::digest(cert).to_vec()),
                ("SHA-1", sha1::Sha1::digest(cert).to_vec()),
            ];
            for d in digests {
                if let Some((alg, _)) = candidates.iter().find(|(_, h)| *h == d.value) {
                    return Ok(format!(
                        "signer certificate's {alg} digest is listed in the seal (type {:?})",
                        d.digest_type
                    ));
                }
            }
            Err(format!(
                "no SM3, SHA-256 or SHA-1 digest of the signer certificate among the seal's {} digest(s)",
                digests.len()
            ))
        }
        CertList::Other(entries) => {
            if entries.iter().any(|e| e.certificate() == Some(cert)) {
                Ok("signer certificate is listed in the seal".to_string())
            } else {
                Err(format!(
                    "the seal's certList holds no certificate of the signer ({} entries: {})",
                    entries.len(),
                    entries
                        .iter()
                        .map(|e| e.describe())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
    }
}

/// Applies the seal to everything `data` yields (streamed, never loaded whole).
pub fn sign_data(
    req: &SignRequest<'_>,
    data: impl Read,
    signer: &dyn Signer,
) -> Result<SesSignature> {
    let hash = crate::crypto::sm3::sm3_reader(data)?;
    sign_hash(req, &hash, signer)
}

/// Applies the seal to data whose SM3 hash is `hash`.
pub fn sign_hash(
    req: &SignRequest<'_>,
    hash: &[u8; 32],
    signer: &dyn Signer,
) -> Result<SesSignature> {
    let refuse = |m: String| Error::new(ErrorKind::SealRefused, m);
    if req.version == Version::V1 {
        return Err(Error::new(
            ErrorKind::Unsupported,
            "cannot write v1 seal signatures",
        ));
    }
    if req.seal.version == Version::V1 {
        return Err(refuse(
            "a GM/T 0031-2014 (v1) seal cannot be applied in a GB/T 38540 signature".to_string(),
        ));
    }
    let cert = Certificate::from_der(req.cert)?;
    if cert.public_key()? != signer.public_key() {
        return Err(Error::new(
            ErrorKind::KeyMismatch,
            "the signer's key does not match the signer certificate",
        ));
    }
    find_in_seal(req.seal, req.cert).map_err(refuse)?;
    let p = &req.seal.seal_info.property;
    if req.signing_time < p.valid_start || req.signing_time > p.valid_end {
        return Err(refuse(format!(
            "signing time {} is outside the seal's validity {} to {}",
            req.signing_time, p.valid_start, p.valid_end
        )));
    }
    let tbs = encode::tbs_der(
        req.version.number(),
        req.seal.raw_der(),
        req.signing_time,
        hash,
        req.property_info,
        &req.ext_datas,
    )?;
    let sig = signer.sign(&tbs)?.to_der();
    let token = match req.timestamp {
        Some(ts) => Some(ts(&sig)?),
        None => None,
    };
    let der = encode::signature_der(&tbs, req.cert, OID_SM2_SM3, &sig, token.as_deref())?;
    SesSignature::from_der(&der)
}
