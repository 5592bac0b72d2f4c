//! Issuing SM2 certificates and CRLs (RFC 5280 profile, GM/T 0015 algorithms).
//!
//! For demos, tests and small private PKIs (a seal maker's test CA): a certificate is built
//! as strict DER — version 3, SM2-with-SM3 signature (OID 1.2.156.10197.1.501) over the DER
//! TBSCertificate with the issuer's [`Signer`] (default user ID), subject public key as
//! id-ecPublicKey with the sm2p256v1 curve, and the extensions basicConstraints, keyUsage,
//! extendedKeyUsage, subjectKeyIdentifier and authorityKeyIdentifier.

use crate::asn1::{self, BIT_STRING, OCTET_STRING, SEQUENCE, SET};
use crate::crypto::sm2::PublicKey;
use crate::crypto::{Signer, sm3};
use crate::error::{Error, ErrorKind, Result};
use crate::oid;
use crate::pki::Time;

// SM2-with-SM3, id-ecPublicKey and the SM2 curve sm2p256v1, from [`crate::oid`].
pub use crate::oid::{
    ID_EC_PUBLIC_KEY as OID_EC_PUBLIC_KEY, SM2 as OID_SM2_CURVE, SM2_WITH_SM3 as OID_SM2_SM3,
};

/// A distinguished name built from (attribute OID, value) pairs, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameBuilder {
    attrs: Vec<(&'static str, String)>,
}

impl NameBuilder {
    /// An empty name.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds countryName (C).
    pub fn country(mut self, v: &str) -> Self {
        self.attrs.push((oid::COUNTRY_NAME, v.to_string()));
        self
    }
    /// Adds organizationName (O).
    pub fn organization(mut self, v: &str) -> Self {
        self.attrs.push((oid::ORGANIZATION_NAME, v.to_string()));
        self
    }
    /// Adds organizationalUnitName (OU).
    pub fn organizational_unit(mut self, v: &str) -> Self {
        self.attrs
            .push((oid::ORGANIZATIONAL_UNIT_NAME, v.to_string()));
        self
    }
    /// Adds commonName (CN).
    pub fn common_name(mut self, v: &str) -> Self {
        self.attrs.push((oid::COMMON_NAME, v.to_string()));
        self
    }

    /// DER `Name` (RDNSequence); countryName as PrintableString, the rest as UTF8String.
    pub fn to_der(&self) -> Result<Vec<u8>> {
        let mut rdns = Vec::new();
        for (oid, value) in &self.attrs {
            let mut atv = Vec::new();
            asn1::write_oid(&mut atv, oid)?;
            if *oid == oid::COUNTRY_NAME {
                if value.len() != 2 || !value.bytes().all(|b| b.is_ascii_alphabetic()) {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        "country must be two letters",
                    ));
                }
                asn1::write_tlv(&mut atv, asn1::PRINTABLE_STRING, value.as_bytes());
            } else {
                asn1::write_tlv(&mut atv, asn1::UTF8_STRING, value.as_bytes());
            }
            let set = asn1::tlv(SET, &asn1::tlv(SEQUENCE, &atv));
            rdns.extend_from_slice(&set);
        }
        Ok(asn1::tlv(SEQUENCE, &rdns))
    }
}

/// What to put in a new certificate.
#[derive(Debug, Clone)]
pub struct CertificateParams {
    /// Serial number (positive, big-endian bytes).
    pub serial: Vec<u8>,
    /// Subject name.
    pub subject: NameBuilder,
    /// Start of validity.
    pub not_before: Time,
    /// End of validity.
    pub not_after: Time,
    /// The subject's public key.
    pub public_key: PublicKey,
    /// Whether the subject is a CA, and its pathLen constraint.
    pub ca: Option<Option<u8>>,
    /// keyUsage bits ([`KeyUsage`](crate::pki::KeyUsage) constants); 0 omits the extension.
    pub key_usage: u16,
    /// Extended key usages (dotted OIDs); empty omits the extension.
    pub extended_key_usage: Vec<&'static str>,
}

/// The issuer of a certificate or CRL: its name (DER), its key identifier and its signer.
pub struct Issuer<'a> {
    /// DER `Name` of the issuer (the issuer certificate's subject).
    pub name_der: Vec<u8>,
    /// The issuer's public key (for the authorityKeyIdentifier).
    pub public_key: PublicKey,
    /// Signs the TBS bytes.
    pub signer: &'a dyn Signer,
}

/// The key identifier used for SKI/AKI: the first 20 bytes of SM3 over the public key point.
pub fn key_identifier(pk: &PublicKey) -> Vec<u8> {
    sm3(&pk.to_sec1_uncompressed())[..20].to_vec()
}

fn write_time(out: &mut Vec<u8>, t: Time) {
    let (y, ..) = t.to_civil();
    if (1950..2050).contains(&y) {
        asn1::write_tlv(out, asn1::UTC_TIME, t.to_utc_time().as_bytes());
    } else {
        asn1::write_tlv(out, asn1::GENERALIZED_TIME, t.to_generalized().as_bytes());
    }
}

fn sm2_sm3_alg() -> Vec<u8> {
    let mut alg = Vec::new();
    // Constant OID: always encodes.
    let _ = asn1::write_oid(&mut alg, OID_SM2_SM3);
    asn1::tlv(SEQUENCE, &alg)
}

/// DER SubjectPublicKeyInfo for an SM2 key.
pub fn spki_der(pk: &PublicKey) -> Vec<u8> {
    let mut alg = Vec::new();
    let _ = asn1::write_oid(&mut alg, OID_EC_PUBLIC_KEY);
    let _ = asn1::write_oid(&mut alg, OID_SM2_CURVE);
    let mut bits = vec![0u8];
    bits.extend_from_slice(&pk.to_sec1_uncompressed());
    let mut body = asn1::tlv(SEQUENCE, &alg);
    asn1::write_tlv(&mut body, BIT_STRING, &bits);
    asn1::tlv(SEQUENCE, &body)
}

fn extension(oid: &str, critical: bool, value: &[u8]) -> Result<Vec<u8>> {
    let mut e = Vec::new();
    asn1::write_oid(&mut e, oid)?;
    if critical {
        asn1::write_tlv(&mut e, asn1::BOOLEAN, &[0xff]);
    }
    asn1::write_tlv(&mut e, OCTET_STRING, value);
    Ok(asn1::tlv(SEQUENCE, &e))
}

fn key_usage_bits(bits: u16) -> Vec<u8> {
    // Bit i of the value is bit i of the BIT STRING (MSB first); DER drops trailing zero bits.
    let mut bytes = [0u8; 2];
    for i in 0..9 {
        if bits & (1 << i) != 0 {
            bytes[i / 8] |= 0x80 >> (i % 8);
        }
    }
    let len = if bytes[1] != 0 { 2 } else { 1 };
    let last = bytes[len - 1];
    let unused = if last == 0 {
        0
    } else {
        last.trailing_zeros() as u8
    };
    let mut v = vec![unused];
    v.extend_from_slice(&bytes[..len]);
    asn1::tlv(BIT_STRING, &v)
}

/// Signs `tbs` and wraps it with the algorithm and signature: `SEQUENCE { tbs, alg, sig }`.
fn sign_wrap(tbs: Vec<u8>, signer: &dyn Signer) -> Result<Vec<u8>> {
    let sig = signer.sign(&tbs)?.to_der();
    let mut bits = vec![0u8];
    bits.extend_from_slice(&sig);
    let mut body = tbs;
    body.extend_from_slice(&sm2_sm3_alg());
    asn1::write_tlv(&mut body, BIT_STRING, &bits);
    Ok(asn1::tlv(SEQUENCE, &body))
}

/// Issues a certificate; `issuer` None makes it self-signed (then `self_signer` signs).
pub fn issue_certificate(params: &CertificateParams, issuer: &Issuer<'_>) -> Result<Vec<u8>> {
    if params.serial.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "empty serial number",
        ));
    }
    if params.not_after < params.not_before {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "notAfter before notBefore",
        ));
    }
    let mut tbs = Vec::new();
    asn1::write_tlv(&mut tbs, asn1::context(0), &[2, 1, 2]); // version v3
    asn1::write_uint(&mut tbs, &params.serial);
    tbs.extend_from_slice(&sm2_sm3_alg());
    tbs.extend_from_slice(&issuer.name_der);
    let mut validity = Vec::new();
    write_time(&mut validity, params.not_before);
    write_time(&mut validity, params.not_after);
    asn1::write_tlv(&mut tbs, SEQUENCE, &validity);
    tbs.extend_from_slice(&params.subject.to_der()?);
    tbs.extend_from_slice(&spki_der(&params.public_key));

    let mut exts = Vec::new();
    if let Some(path_len) = params.ca {
        let mut bc = Vec::new();
        asn1::write_tlv(&mut bc, asn1::BOOLEAN, &[0xff]);
        if let Some(n) = path_len {
            asn1::write_int(&mut bc, n as i64);
        }
        exts.extend(extension(
            oid::BASIC_CONSTRAINTS,
            true,
            &asn1::tlv(SEQUENCE, &bc),
        )?);
    }
    if params.key_usage != 0 {
        exts.extend(extension(
            oid::KEY_USAGE,
            true,
            &key_usage_bits(params.key_usage),
        )?);
    }
    if !params.extended_key_usage.is_empty() {
        let mut ekus = Vec::new();
        for oid in &params.extended_key_usage {
            asn1::write_oid(&mut ekus, oid)?;
        }
        let critical = params.extended_key_usage == [crate::pki::ext::KP_TIME_STAMPING];
        exts.extend(extension(
            oid::EXT_KEY_USAGE,
            critical,
            &asn1::tlv(SEQUENCE, &ekus),
        )?);
    }
    exts.extend(extension(
        oid::SUBJECT_KEY_IDENTIFIER,
        false,
        &asn1::tlv(OCTET_STRING, &key_identifier(&params.public_key)),
    )?);
    exts.extend(extension(
        oid::AUTHORITY_KEY_IDENTIFIER,
        false,
        &asn1::tlv(
            SEQUENCE,
            &asn1::tlv(
                asn1::context_primitive(0),
                &key_identifier(&issuer.public_key),
            ),
        ),
    )?);
    asn1::write_tlv(&mut tbs, asn1::context(3), &asn1::tlv(SEQUENCE, &exts));
    sign_wrap(asn1::tlv(SEQUENCE, &tbs), issuer.signer)
}

/// A revoked entry of a CRL: serial and revocation time.
#[derive(Debug, Clone)]
pub struct RevokedEntry {
    /// Serial number of the revoked certificate (big-endian bytes).
    pub serial: Vec<u8>,
    /// When it was revoked.
    pub revoked_at: Time,
}

/// Issues a v2 CRL.
pub fn issue_crl(
    issuer: &Issuer<'_>,
    this_update: Time,
    next_update: Time,
    crl_number: u64,
    revoked: &[RevokedEntry],
) -> Result<Vec<u8>> {
    let mut tbs = Vec::new();
    asn1::write_int(&mut tbs, 1);
    tbs.extend_from_slice(&sm2_sm3_alg());
    tbs.extend_from_slice(&issuer.name_der);
    write_time(&mut tbs, this_update);
    write_time(&mut tbs, next_update);
    if !revoked.is_empty() {
        let mut list = Vec::new();
        for r in revoked {
            let mut e = Vec::new();
            asn1::write_uint(&mut e, &r.serial);
            write_time(&mut e, r.revoked_at);
            asn1::write_tlv(&mut list, SEQUENCE, &e);
        }
        asn1::write_tlv(&mut tbs, SEQUENCE, &list);
    }
    let mut exts = Vec::new();
    let mut num = Vec::new();
    asn1::write_uint(&mut num, &crl_number.to_be_bytes());
    exts.extend(extension(oid::CRL_NUMBER, false, &num)?);
    exts.extend(extension(
        oid::AUTHORITY_KEY_IDENTIFIER,
        false,
        &asn1::tlv(
            SEQUENCE,
            &asn1::tlv(
                asn1::context_primitive(0),
                &key_identifier(&issuer.public_key),
            ),
        ),
    )?);
    asn1::write_tlv(&mut tbs, asn1::context(0), &asn1::tlv(SEQUENCE, &exts));
    sign_wrap(asn1::tlv(SEQUENCE, &tbs), issuer.signer)
}

/// PEM armour for DER bytes under `label` (e.g. `CERTIFICATE`, `X509 CRL`).
pub fn to_pem(label: &str, der: &[u8]) -> String {
    crate::pki::pem::encode(label, der)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{PrivateKey, SoftwareSigner};
    use crate::pki::KeyUsage;

    #[test]
    fn self_signed_certificate_verifies_over_raw_tbs() {
        let key = PrivateKey::generate().unwrap();
        let signer = SoftwareSigner::new(key.clone());
        let name = NameBuilder::new()
            .country("CN")
            .organization("eseal")
            .common_name("Test Root");
        let params = CertificateParams {
            serial: vec![1],
            subject: name.clone(),
            not_before: Time::parse_rfc3339("2025-01-01T00:00:00Z").unwrap(),
            not_after: Time::parse_rfc3339("2035-01-01T00:00:00Z").unwrap(),
            public_key: key.public_key().clone(),
            ca: Some(None),
            key_usage: KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN,
            extended_key_usage: vec![],
        };
        let issuer = Issuer {
            name_der: name.to_der().unwrap(),
            public_key: key.public_key().clone(),
            signer: &signer,
        };
        let der = issue_certificate(&params, &issuer).unwrap();
        // Take the certificate apart with the DER reader and check the signature over raw TBS.
        let mut outer = asn1::Reader::new(&der).read_sequence().unwrap();
        let tbs = outer.read_element(SEQUENCE).unwrap();
        outer.read_element(SEQUENCE).unwrap();
        let bits = outer.read(BIT_STRING).unwrap();
        let sig = crate::crypto::Signature::from_der(&bits[1..]).unwrap();
        key.public_key().verify_default(tbs.raw, &sig).unwrap();
        assert!(to_pem("CERTIFICATE", &der).starts_with("-----BEGIN CERTIFICATE-----\nMII"));
        let crl = issue_crl(
            &issuer,
            params.not_before,
            params.not_after,
            1,
            &[RevokedEntry {
                serial: vec![5],
                revoked_at: params.not_before,
            }],
        )
        .unwrap();
        assert_eq!(crl[0], 0x30);
    }

    #[test]
    fn key_usage_encoding() {
        assert_eq!(
            key_usage_bits(KeyUsage::DIGITAL_SIGNATURE),
            vec![3, 2, 7, 0x80]
        );
        assert_eq!(
            key_usage_bits(KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN),
            vec![3, 2, 1, 0x06]
        );
        assert_eq!(
            key_usage_bits(KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION),
            vec![3, 2, 6, 0xc0]
        );
    }
}
