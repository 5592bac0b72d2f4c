//! CMS SignedData for the `cms` PDF payload (RFC 5652 §5, PKCS #7; GM/T 0010-2012 §8 /
//! GB/T 35275 for the SM2 variant), written and read.
//!
//! Written: a detached SignedData with digest SM3, signed attributes contentType,
//! signingTime and messageDigest (= SM3 of the PDF ByteRange bytes), an SM2-with-SM3 signature
//! (default user ID, DER value) over the DER of the signed attributes, and the signer's
//! certificate plus chain. Either the PKCS #7 OIDs (signedData 1.2.840.113549.1.7.2, digest
//! 1.2.156.10197.1.401, signature 1.2.156.10197.1.501) or the GM/T 0010 OIDs (signedData
//! 1.2.156.10197.6.1.4.2.2, data 1.2.156.10197.6.1.4.2.1, signature 1.2.156.10197.1.301.1).
//!
//! Read: tolerant, keeping the raw signed-attribute bytes so the signature is checked over
//! exactly what was signed. Signatures made elsewhere with RSA (PKCS#1 v1.5, PSS) or ECDSA
//! (P-256, P-384) and SHA-256/384/512 are verified through [`crate::pki::alg`].

use crate::asn1::{self, Element, OCTET_STRING, OID, Reader, SEQUENCE, SET};
use crate::crypto::{PublicKey, Signature, Signer};
use crate::error::{Error, ErrorKind, Result};
use crate::pki::time::Time;

/// PKCS #7 signedData.
pub const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// PKCS #7 data.
pub const OID_DATA: &str = "1.2.840.113549.1.7.1";
/// GM/T 0010 signedData.
pub const OID_GM_SIGNED_DATA: &str = "1.2.156.10197.6.1.4.2.2";
/// GM/T 0010 data.
pub const OID_GM_DATA: &str = "1.2.156.10197.6.1.4.2.1";
/// SM3.
pub const OID_SM3: &str = "1.2.156.10197.1.401";
/// SM2-with-SM3.
pub const OID_SM2_SM3: &str = "1.2.156.10197.1.501";
/// SM2 signature (GM/T 0006 `sm2-1`).
pub const OID_SM2_SIGN: &str = "1.2.156.10197.1.301.1";
/// SM2 curve / algorithm.
pub const OID_SM2: &str = "1.2.156.10197.1.301";
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";

/// Which OIDs the SignedData uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CmsProfile {
    /// PKCS #7 / RFC 5652 OIDs with SM3 and SM2-with-SM3 (what PDF tools expect).
    #[default]
    Pkcs7,
    /// GM/T 0010 OIDs.
    Gmt0010,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedCms, msg)
}

/// The parts of an X.509 certificate that CMS needs.
#[derive(Debug, Clone)]
pub struct CertFacts<'a> {
    /// The whole certificate.
    pub raw: &'a [u8],
    /// Serial number (INTEGER body).
    pub serial: &'a [u8],
    /// Issuer Name (whole TLV).
    pub issuer: &'a [u8],
    /// Subject Name (whole TLV).
    pub subject: &'a [u8],
    /// The public key point (BIT STRING contents without the unused-bits byte).
    pub public_key: &'a [u8],
    /// Subject key identifier, if present.
    pub ski: Option<&'a [u8]>,
}

/// Reads the fields of a certificate needed to sign or verify CMS.
pub fn cert_facts(der: &[u8]) -> Result<CertFacts<'_>> {
    let e = |err: Error| {
        Error::new(
            ErrorKind::MalformedCertificate,
            format!("certificate: {}", err.detail()),
        )
    };
    let cert = asn1::parse_single(der).map_err(e)?;
    let mut c = cert.reader();
    let tbs = c.read_element(SEQUENCE).map_err(e)?;
    let mut t = tbs.reader();
    if t.peek_tag() == Some(asn1::context(0)) {
        t.read_any().map_err(e)?;
    }
    let serial = t.read(asn1::INTEGER).map_err(e)?;
    t.read_element(SEQUENCE).map_err(e)?;
    let issuer = t.read_element(SEQUENCE).map_err(e)?.raw;
    t.read_element(SEQUENCE).map_err(e)?;
    let subject = t.read_element(SEQUENCE).map_err(e)?.raw;
    let spki = t.read_element(SEQUENCE).map_err(e)?;
    let mut s = spki.reader();
    s.read_element(SEQUENCE).map_err(e)?;
    let bits = s.read(asn1::BIT_STRING).map_err(e)?;
    let public_key = bits.get(1..).ok_or_else(|| bad("empty public key"))?;
    let mut ski = None;
    while let Ok(el) = t.read_any() {
        if el.tag == asn1::context(3) {
            // extensions [3] { SEQUENCE OF Extension }
            if let Ok(mut exts) = el.reader().read_sequence() {
                while let Ok(ext) = exts.read_sequence() {
                    let mut x = ext;
                    if x.read_oid().ok().as_deref() == Some("2.5.29.14") {
                        if x.peek_tag() == Some(asn1::BOOLEAN) {
                            let _ = x.read_any();
                        }
                        if let Ok(v) = x.read(OCTET_STRING)
                            && let Ok((_, id, _)) = asn1::read_tlv(v)
                        {
                            ski = Some(id);
                        }
                    }
                }
            }
        }
    }
    Ok(CertFacts {
        raw: der,
        serial,
        issuer,
        subject,
        public_key,
        ski,
    })
}

/// A Name as `CN=…, O=…` (RFC 4514 order reversed for reading; unknown types by OID).
pub fn name_to_string(name: &[u8]) -> String {
    let mut parts = Vec::new();
    let Ok(n) = asn1::parse_single(name) else {
        return String::new();
    };
    let mut rdns = n.reader();
    while let Ok(set) = rdns.read_any() {
        let mut r = set.reader();
        while let Ok(mut atv) = r.read_sequence() {
            let oid = atv.read_oid().unwrap_or_default();
            let Ok(v) = atv.read_any() else { continue };
            let key = match oid.as_str() {
                "2.5.4.3" => "CN",
                "2.5.4.6" => "C",
                "2.5.4.7" => "L",
                "2.5.4.8" => "ST",
                "2.5.4.10" => "O",
                "2.5.4.11" => "OU",
                "2.5.4.5" => "serialNumber",
                _ => "",
            };
            let val = if v.tag == asn1::BMP_STRING {
                let u: Vec<u16> = v
                    .body
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&u)
            } else {
                String::from_utf8_lossy(v.body).into_owned()
            };
            if key.is_empty() {
                parts.push(format!("{oid}={val}"));
            } else {
                parts.push(format!("{key}={val}"));
            }
        }
    }
    parts.reverse();
    parts.join(", ")
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
    let facts = cert_facts(cert)?;
    if facts.public_key != signer.public_key().to_sec1_uncompressed().as_slice() {
        return Err(Error::new(
            ErrorKind::KeyMismatch,
            "the signer's key is not the certificate's key",
        ));
    }
    let (sd_oid, data_oid, sig_oid) = match profile {
        CmsProfile::Pkcs7 => (OID_SIGNED_DATA, OID_DATA, OID_SM2_SM3),
        CmsProfile::Gmt0010 => (OID_GM_SIGNED_DATA, OID_GM_DATA, OID_SM2_SIGN),
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
        attribute(OID_CONTENT_TYPE, &ct)?,
        attribute(OID_SIGNING_TIME, &time)?,
        attribute(OID_MESSAGE_DIGEST, &asn1::tlv(OCTET_STRING, message_digest))?,
    ];
    attrs.sort();
    let attrs_body: Vec<u8> = attrs.concat();
    let to_sign = asn1::tlv(SET, &attrs_body);
    let sig = signer.sign(&to_sign)?;

    let mut sid = facts.issuer.to_vec();
    asn1::write_tlv(&mut sid, asn1::INTEGER, facts.serial);
    let mut si = Vec::new();
    asn1::write_int(&mut si, 1);
    asn1::write_tlv(&mut si, SEQUENCE, &sid);
    si.extend_from_slice(&alg(OID_SM3, true)?);
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
    asn1::write_tlv(&mut sd, SET, &alg(OID_SM3, true)?);
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

/// A parsed SignedData (first signer only; PDF signatures carry one).
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// True when GM/T 0010 OIDs are used.
    pub gmt: bool,
    /// The certificates carried.
    pub certs: Vec<&'a [u8]>,
    /// The signer's issuer Name (TLV), when identified by issuer and serial.
    pub sid_issuer: Option<&'a [u8]>,
    /// The signer's serial (INTEGER body).
    pub sid_serial: Option<&'a [u8]>,
    /// The signer's subject key identifier, when identified by it.
    pub sid_ski: Option<&'a [u8]>,
    /// The digest algorithm OID.
    pub digest_alg: String,
    /// The signed attributes as stored (tag `[0]`), if any.
    pub signed_attrs: Option<&'a [u8]>,
    /// The messageDigest attribute.
    pub message_digest: Option<&'a [u8]>,
    /// The signingTime attribute.
    pub signing_time: Option<Time>,
    /// The signature algorithm OID.
    pub signature_alg: String,
    /// The signature algorithm's parameters (whole TLV), if any (RSASSA-PSS-params).
    pub signature_params: Option<&'a [u8]>,
    /// The signature value.
    pub signature: &'a [u8],
}

/// True when `der` starts like a CMS ContentInfo with signedData (either OID family).
pub fn looks_like_cms(der: &[u8]) -> bool {
    let Ok((SEQUENCE, body, _)) = asn1::read_tlv(der) else {
        return false;
    };
    let mut r = Reader::new(body);
    matches!(
        r.read_oid().as_deref(),
        Ok(OID_SIGNED_DATA) | Ok(OID_GM_SIGNED_DATA)
    )
}

/// Parses a ContentInfo holding a SignedData. Trailing bytes (PDF zero padding) are ignored.
pub fn parse_signed_data(der: &[u8]) -> Result<SignedData<'_>> {
    let m = |e: Error| bad(format!("SignedData: {}", e.detail()));
    let (tag, body, _) = asn1::read_tlv(der).map_err(m)?;
    if tag != SEQUENCE {
        return Err(bad("ContentInfo is not a SEQUENCE"));
    }
    let mut ci = Reader::new(body);
    let ct = ci.read_oid().map_err(m)?;
    let gmt = match ct.as_str() {
        OID_SIGNED_DATA => false,
        OID_GM_SIGNED_DATA => true,
        other => return Err(bad(format!("content type {other} is not signedData"))),
    };
    let explicit = ci.read_element(asn1::context(0)).map_err(m)?;
    let mut sd = explicit.reader().read_sequence().map_err(m)?;
    sd.read_small_int().map_err(m)?;
    sd.read_element(SET).map_err(m)?;
    sd.read_element(SEQUENCE).map_err(m)?;
    let mut certs = Vec::new();
    let mut next = sd.read_any().map_err(m)?;
    if next.tag == asn1::context(0) {
        let mut r = next.reader();
        while let Ok(c) = r.read_any() {
            if c.tag == SEQUENCE {
                certs.push(c.raw);
            }
        }
        next = sd.read_any().map_err(m)?;
    }
    if next.tag == asn1::context(1) {
        next = sd.read_any().map_err(m)?;
    }
    if next.tag != SET {
        return Err(bad("no signerInfos"));
    }
    let mut sis = next.reader();
    let mut si = sis.read_sequence().map_err(m)?;
    si.read_small_int().map_err(m)?;
    let sid: Element<'_> = si.read_any().map_err(m)?;
    let (mut sid_issuer, mut sid_serial, mut sid_ski) = (None, None, None);
    if sid.tag == SEQUENCE {
        let mut r = sid.reader();
        sid_issuer = Some(r.read_element(SEQUENCE).map_err(m)?.raw);
        sid_serial = Some(r.read(asn1::INTEGER).map_err(m)?);
    } else if sid.tag == asn1::context_primitive(0) {
        sid_ski = Some(sid.body);
    } else {
        return Err(bad("unknown signer identifier"));
    }
    let digest_alg = si
        .read_sequence()
        .and_then(|mut a| a.read_oid())
        .map_err(m)?;
    let mut signed_attrs = None;
    let mut message_digest = None;
    let mut signing_time = None;
    if si.peek_tag() == Some(asn1::context(0)) {
        let attrs = si.read_any().map_err(m)?;
        signed_attrs = Some(attrs.raw);
        let mut r = attrs.reader();
        while let Ok(mut a) = r.read_sequence() {
            let oid = a.read_oid().unwrap_or_default();
            let Ok(vals) = a.read_element(SET) else {
                continue;
            };
            let mut v = vals.reader();
            match oid.as_str() {
                OID_MESSAGE_DIGEST => message_digest = v.read(OCTET_STRING).ok(),
                OID_SIGNING_TIME => {
                    if let Ok(t) = v.read_any() {
                        let s = String::from_utf8_lossy(t.body);
                        signing_time = match t.tag {
                            asn1::UTC_TIME => Time::parse_utc_time(&s).ok(),
                            asn1::GENERALIZED_TIME => Time::parse_generalized(&s).ok(),
                            _ => None,
                        };
                    }
                }
                _ => {}
            }
        }
    }
    let (signature_alg, signature_params) = crate::pki::alg::read_identifier(&mut si).map_err(m)?;
    let signature_params = signature_params.map(|p| p.raw);
    let signature = si.read(OCTET_STRING).map_err(m)?;
    let _ = OID;
    Ok(SignedData {
        gmt,
        certs,
        sid_issuer,
        sid_serial,
        sid_ski,
        digest_alg,
        signed_attrs,
        message_digest,
        signing_time,
        signature_alg,
        signature_params,
        signature,
    })
}

/// True for the OIDs that mean SM3.
pub fn is_sm3(oid: &str) -> bool {
    matches!(
        oid,
        "1.2.156.10197.1.401" | "1.2.156.10197.1.401.1" | "1.2.156.10197.1.401.2"
    )
}

/// True for the OIDs that mean an SM2 signature.
pub fn is_sm2_sig(oid: &str) -> bool {
    matches!(oid, OID_SM2_SM3 | OID_SM2_SIGN | OID_SM2)
}

impl<'a> SignedData<'a> {
    /// The signer's certificate among those carried.
    pub fn signer_cert(&self) -> Option<CertFacts<'a>> {
        self.certs.iter().find_map(|c| {
            let f = cert_facts(c).ok()?;
            let by_sid = match (self.sid_issuer, self.sid_serial, self.sid_ski) {
                (Some(i), Some(s), _) => f.issuer == i && f.serial == s,
                (_, _, Some(k)) => f.ski == Some(k),
                _ => false,
            };
            by_sid.then_some(f)
        })
    }

    /// Verifies the SM2 signature over the signed attributes (re-tagged as SET, RFC 5652
    /// §5.4) with the certificate's key and the default user ID.
    pub fn verify_sm2(&self, cert: &CertFacts<'_>) -> Result<()> {
        let attrs = self
            .signed_attrs
            .ok_or_else(|| bad("no signed attributes"))?;
        let mut msg = attrs.to_vec();
        msg[0] = SET;
        let pk = PublicKey::from_sec1_bytes(cert.public_key)?;
        let sig = Signature::from_bytes(self.signature)?;
        pk.verify_default(&msg, &sig)
    }

    /// The signature algorithm (RSA, ECDSA or SM2; see [`crate::pki::alg`]); the digest
    /// algorithm stands in for the hash when the OID names only the key type.
    pub fn signature_algorithm(&self) -> Result<crate::pki::SignatureAlgorithm> {
        let params = match self.signature_params {
            Some(p) => Some(asn1::parse_single(p)?),
            None => None,
        };
        crate::pki::SignatureAlgorithm::from_identifier(
            &self.signature_alg,
            params.as_ref(),
            Some(&self.digest_alg),
        )
    }

    /// Verifies the signature over the signed attributes (re-tagged as SET, RFC 5652 §5.4) by
    /// `alg` with the key of `cert` (any algorithm of [`crate::pki::alg`]).
    pub fn verify_with(
        &self,
        alg: &crate::pki::SignatureAlgorithm,
        cert: &crate::pki::Certificate,
    ) -> Result<()> {
        let attrs = self
            .signed_attrs
            .ok_or_else(|| bad("no signed attributes"))?;
        let mut msg = attrs.to_vec();
        msg[0] = SET;
        alg.verify(cert.subject_key()?, &msg, self.signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{PrivateKey, SoftwareSigner};
    use crate::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate};

    pub(crate) fn test_cert(key: &PrivateKey) -> Vec<u8> {
        let signer = SoftwareSigner::new(key.clone());
        let name = NameBuilder::new()
            .common_name("Test Seal")
            .organization("eseal");
        let params = CertificateParams {
            serial: vec![0x12, 0x34],
            subject: name.clone(),
            not_before: Time::from_civil(2025, 1, 1, 0, 0, 0).unwrap(),
            not_after: Time::from_civil(2035, 1, 1, 0, 0, 0).unwrap(),
            public_key: key.public_key().clone(),
            ca: None,
            key_usage: 1 | 2,
            extended_key_usage: vec![],
        };
        issue_certificate(
            &params,
            &Issuer {
                name_der: name.to_der().unwrap(),
                public_key: key.public_key().clone(),
                signer: &signer,
            },
        )
        .unwrap()
    }

    #[test]
    fn build_parse_verify() {
        let key = PrivateKey::generate().unwrap();
        let cert = test_cert(&key);
        let signer = SoftwareSigner::new(key);
        let md = crate::crypto::sm3(b"pdf bytes");
        for profile in [CmsProfile::Pkcs7, CmsProfile::Gmt0010] {
            let t = Time::from_civil(2026, 1, 2, 3, 4, 5).unwrap();
            let der = build_signed_data(&signer, &cert, &[], t, &md, profile).unwrap();
            assert!(looks_like_cms(&der));
            let mut padded = der.clone();
            padded.extend_from_slice(&[0; 100]);
            let sd = parse_signed_data(&padded).unwrap();
            assert_eq!(sd.gmt, profile == CmsProfile::Gmt0010);
            assert_eq!(sd.message_digest, Some(&md[..]));
            assert_eq!(sd.signing_time, Some(t));
            let c = sd.signer_cert().unwrap();
            assert!(name_to_string(c.subject).contains("CN=Test Seal"));
            sd.verify_sm2(&c).unwrap();
            // A flipped attribute byte breaks the signature.
            let pos = der.windows(32).position(|w| w == md).unwrap();
            let mut bad = der.clone();
            bad[pos] ^= 1;
            let sd = parse_signed_data(&bad).unwrap();
            assert!(sd.verify_sm2(&sd.signer_cert().unwrap()).is_err());
        }
        for cut in [0, 1, 5, 40, 200] {
            let der =
                build_signed_data(&signer, &cert, &[], Time(0), &md, CmsProfile::Pkcs7).unwrap();
            let _ = parse_signed_data(&der[..cut.min(der.len())]);
        }
    }

    /// BER as OpenSSL streams it (`openssl cms -sign -stream -nodetach -binary -nosmimecap
    /// -outform DER`, OpenSSL 3.0, P-256 key): indefinite lengths and a constructed OCTET
    /// STRING. Read through [`crate::asn1::ber_normalised`], its signature still verifies
    /// over the signed attributes as they were signed.
    #[test]
    fn ber_openssl_stream() {
        let ber = include_bytes!("../../test-vectors/ber/openssl-stream.p7s");
        let content = include_bytes!("../../test-vectors/ber/content.txt");
        assert_eq!(&ber[..2], [0x30, 0x80]);
        assert!(parse_signed_data(ber).is_err());
        let der = crate::asn1::ber_normalised(ber).unwrap();
        assert!(looks_like_cms(&der));
        // Zero padding after the end-of-contents octets is not part of the element.
        let mut padded = ber.to_vec();
        padded.extend_from_slice(&[0; 64]);
        assert_eq!(crate::asn1::ber_normalised(&padded).unwrap(), der);
        // Already-definite input is left to the DER reader unchanged.
        assert_eq!(crate::asn1::ber_normalised(&der), None);
        let sd = parse_signed_data(&der).unwrap();
        let md = crate::pki::alg::Digest::Sha256.hash(content);
        assert_eq!(sd.message_digest, Some(&md[..]));
        let cert = crate::pki::Certificate::from_der(sd.signer_cert().unwrap().raw).unwrap();
        let alg = sd.signature_algorithm().unwrap();
        sd.verify_with(&alg, &cert).unwrap();
        // A changed signed attribute byte (inside the BER wrapper) breaks the signature.
        let pos = ber.windows(32).position(|w| w == md).unwrap();
        let mut bad = ber.to_vec();
        bad[pos] ^= 1;
        let der = crate::asn1::ber_normalised(&bad).unwrap();
        let sd = parse_signed_data(&der).unwrap();
        assert!(sd.verify_with(&alg, &cert).is_err());
    }

    /// Truncated, unterminated, too deep or otherwise malformed BER is an error, never a panic.
    #[test]
    fn ber_malformed() {
        let ber = include_bytes!("../../test-vectors/ber/openssl-stream.p7s");
        for cut in 0..ber.len() {
            // Every proper prefix lacks end-of-contents octets or is truncated.
            assert!(crate::asn1::ber_to_der(&ber[..cut]).is_err(), "cut {cut}");
            let _ = crate::asn1::ber_normalised(&ber[..cut]);
        }
        // Flipping each byte never panics.
        for i in 0..ber.len() {
            let mut b = ber.to_vec();
            b[i] ^= 0xff;
            if let Some(der) = crate::asn1::ber_normalised(&b) {
                let _ = parse_signed_data(&der);
            }
        }
        // Nesting beyond the limit.
        let deep: Vec<u8> = [0x30, 0x80]
            .repeat(100)
            .into_iter()
            .chain([0; 200])
            .collect();
        assert!(crate::asn1::ber_to_der(&deep).is_err());
        let ok: Vec<u8> = [0x30, 0x80].repeat(10).into_iter().chain([0; 20]).collect();
        assert_eq!(crate::asn1::ber_to_der(&ok).unwrap().1, 40);
        // Indefinite length on a primitive, a constructed OCTET STRING with a non-OCTET
        // STRING segment, an indefinite element running past its definite parent.
        assert!(crate::asn1::ber_to_der(&[0x04, 0x80, 0x01, 0x00, 0x00]).is_err());
        assert!(crate::asn1::ber_to_der(&[0x24, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]).is_err());
        assert!(crate::asn1::ber_to_der(&[0x30, 0x03, 0x30, 0x80, 0x00, 0x00, 0x00]).is_err());
        assert_eq!(
            crate::asn1::ber_to_der(&[0x24, 0x80, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb, 0, 0])
                .unwrap(),
            (vec![0x04, 0x02, 0xaa, 0xbb], 10)
        );
    }
}
