//! Writing a detached CMS SignedData (RFC 5652 §5; GM/T 0010 §8) as PDF sealing does.
//!
//! Digest SM3; signed attributes contentType, signingTime and messageDigest (= SM3 of the
//! signed bytes), sorted as a DER SET OF; an SM2-with-SM3 signature (default user ID, DER value)
//! over their DER; the signer's certificate plus chain. Either the PKCS #7 OIDs (signedData
//! `1.2.840.113549.1.7.2`, digest `1.2.156.10197.1.401`, signature `1.2.156.10197.1.501`) or the
//! GM/T 0010 OIDs (signedData `1.2.156.10197.6.1.4.2.2`, data `1.2.156.10197.6.1.4.2.1`,
//! signature `1.2.156.10197.1.301.1`).

use crate::asn1::{self, OCTET_STRING, SEQUENCE, SET};
use crate::crypto::Signer;
use crate::error::{Error, ErrorKind, Result};
use crate::oid;
use crate::pki::Certificate;
use crate::pki::time::Time;

/// Which OIDs the SignedData uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CmsProfile {
    /// PKCS #7 / RFC 5652 OIDs with SM3 and SM2-with-SM3 (what PDF tools expect).
    #[default]
    Pkcs7,
    /// GM/T 0010 OIDs.
    Gmt0010,
}

fn alg(oid: &str, null: bool) -> Result<Vec<u8>> {
    let mut b = Vec::new();
    asn1::write_oid(&mut b, oid)?;
    if null {
        b.extend_from_slice(&[asn1::NULL, 0]);
    }
    Ok(asn1::tlv(SEQUENCE, &b))
}

fn attribute(oid: &str, value: &[u8]) -> Result<Vec<u8>> {
    let mut b = Vec::new();
    asn1::write_oid(&mut b, oid)?;
    asn1::write_tlv(&mut b, SET, value);
    Ok(asn1::tlv(SEQUENCE, &b))
}

/// Builds a detached CMS SignedData over `message_digest` (SM3 of the signed bytes).
pub fn build_signed_data(
    signer: &dyn Signer,
    cert: &[u8],
    chain: &[Vec<u8>],
    signing_time: Time,
    message_digest: &[u8; 32],
    profile: CmsProfile,
) -> Result<Vec<u8>> {
    let facts = Certificate::from_der(cert)?;
    if facts.public_key().ok() != Some(signer.public_key()) {
        return Err(Error::new(
            ErrorKind::KeyMismatch,
            "the signer's key is not the certificate's key",
        ));
    }
    let (sd_oid, data_oid, sig_oid) = match profile {
        CmsProfile::Pkcs7 => (oid::ID_SIGNED_DATA, oid::ID_DATA, oid::SM2_WITH_SM3),
        CmsProfile::Gmt0010 => (oid::GM_SIGNED_DATA, oid::GM_DATA, oid::SM2_SIGN),
    };
    // Signed attributes, sorted by encoding (DER SET OF).
    let mut ct = Vec::new();
    asn1::write_oid(&mut ct, data_oid)?;
    let (y, ..) = signing_time.to_civil();
    let time = if (1950..2050).contains(&y) {
        asn1::tlv(asn1::UTC_TIME, signing_time.to_utc_time().as_bytes())
    } else {
        asn1::tlv(
            asn1::GENERALIZED_TIME,
            signing_time.to_generalized().as_bytes(),
        )
    };
    let mut attrs = [
        attribute(oid::ID_CONTENT_TYPE, &ct)?,
        attribute(oid::ID_SIGNING_TIME, &time)?,
        attribute(
            oid::ID_MESSAGE_DIGEST,
            &asn1::tlv(OCTET_STRING, message_digest),
        )?,
    ];
    attrs.sort();
    let attrs_body: Vec<u8> = attrs.concat();
    let to_sign = asn1::tlv(SET, &attrs_body);
    let sig = signer.sign(&to_sign)?;

    let mut sid = facts.issuer_name().der().to_vec();
    asn1::write_tlv(&mut sid, asn1::INTEGER, facts.serial());
    let mut si = Vec::new();
    asn1::write_int(&mut si, 1);
    asn1::write_tlv(&mut si, SEQUENCE, &sid);
    si.extend_from_slice(&alg(oid::SM3, true)?);
    asn1::write_tlv(&mut si, asn1::context(0), &attrs_body);
    si.extend_from_slice(&alg(sig_oid, false)?);
    asn1::write_tlv(&mut si, OCTET_STRING, &sig.to_der());
    let signer_info = asn1::tlv(SEQUENCE, &si);

    let mut certs = cert.to_vec();
    for c in chain {
        asn1::parse_single(c).map_err(|e| {
            Error::new(
                ErrorKind::MalformedCertificate,
                format!("chain certificate: {}", e.detail()),
            )
        })?;
        certs.extend_from_slice(c);
    }
    let mut sd = Vec::new();
    asn1::write_int(&mut sd, 1);
    asn1::write_tlv(&mut sd, SET, &alg(oid::SM3, true)?);
    let mut eci = Vec::new();
    asn1::write_oid(&mut eci, data_oid)?;
    asn1::write_tlv(&mut sd, SEQUENCE, &eci);
    asn1::write_tlv(&mut sd, asn1::context(0), &certs);
    asn1::write_tlv(&mut sd, SET, &signer_info);
    let signed_data = asn1::tlv(SEQUENCE, &sd);

    let mut ci = Vec::new();
    asn1::write_oid(&mut ci, sd_oid)?;
    asn1::write_tlv(&mut ci, asn1::context(0), &signed_data);
    Ok(asn1::tlv(SEQUENCE, &ci))
}
