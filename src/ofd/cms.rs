//! The value of an OFD `Type="Sign"` signature (GB/T 33190-2016 §18.2.2): a CMS / GM/T 0010
//! (GB/T 35275) SignedData over Signature.xml, or a bare SM2 signature over its bytes.
//!
//! SignedData (RFC 5652 §5, GM/T 0010 §8 with the OIDs `1.2.156.10197.6.1.4.2.2` / `.2.1`):
//! - attached: eContent is the 32-byte SM3 digest of Signature.xml (or Signature.xml itself);
//! - detached: no eContent, the signed attributes' messageDigest is SM3 of Signature.xml.
//!
//! With signed attributes the SM2 signature covers their DER with the SET tag (RFC 5652
//! §5.4) and messageDigest must equal SM3 of the content; without them it covers the content.
//! Signature algorithm OIDs `1.2.156.10197.1.301.1` (SM2) and `1.2.156.10197.1.501`
//! (SM2-with-SM3) are accepted; SM2 uses the default user ID. A SignedData made elsewhere with
//! SHA-256/384/512 and RSA (PKCS#1 v1.5, PSS) or ECDSA (P-256, P-384) is verified through
//! [`crate::pki::alg`]; SHA-1 and unknown algorithms set [`CmsOutcome::signature_unsupported`].

use crate::asn1::{self, Reader};
use crate::crypto::sm2::Signature;
use crate::error::{Error, ErrorKind, Result};
use crate::pki::Certificate;
use crate::pki::time::Time;

const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
const OID_SIGNED_DATA_GM: &str = "1.2.156.10197.6.1.4.2.2";
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
const OID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
const SIG_OIDS: &[&str] = &[
    "1.2.156.10197.1.301.1",
    "1.2.156.10197.1.501",
    "1.2.156.10197.1.301",
];

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedCms, msg)
}

/// A parsed SignedData with one signer.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// eContent, when attached.
    pub econtent: Option<&'a [u8]>,
    /// The certificates carried.
    pub certificates: Vec<Certificate>,
    /// The signer's certificate (matched by issuer and serial, or key identifier, else the first).
    pub signer: Option<Certificate>,
    /// DER of the signed attributes with the SET tag, when present.
    pub signed_attrs: Option<Vec<u8>>,
    /// messageDigest attribute.
    pub message_digest: Option<&'a [u8]>,
    /// signingTime attribute.
    pub signing_time: Option<Time>,
    /// Digest algorithm OID of the signer.
    pub digest_alg: String,
    /// Signature algorithm OID of the signer.
    pub signature_alg: String,
    /// Its parameters (whole TLV), if any (RSASSA-PSS-params).
    pub signature_params: Option<&'a [u8]>,
    /// The signature value.
    pub signature: &'a [u8],
}

/// Whether `der` looks like a CMS ContentInfo (SEQUENCE starting with an OID).
pub fn looks_like_cms(der: &[u8]) -> bool {
    let Ok(top) = asn1::parse_single(der) else {
        return false;
    };
    top.tag == asn1::SEQUENCE && top.reader().peek_tag() == Some(asn1::OID)
}

/// Parses a ContentInfo holding SignedData.
pub fn parse(der: &'_ [u8]) -> Result<SignedData<'_>> {
    let top = asn1::parse_single(der).map_err(|e| bad(e.detail().to_string()))?;
    let inner = || -> Result<SignedData<'_>> {
        let mut r = top.reader();
        let ct = r.read_oid()?;
        if ct != OID_SIGNED_DATA && ct != OID_SIGNED_DATA_GM {
            return Err(bad(format!("content type {ct} is not SignedData")));
        }
        let explicit = r.read_element(asn1::context(0))?;
        let mut sd = explicit.reader().read_sequence()?;
        let _version = sd.read_small_int()?;
        let _digest_algs = sd.read_element(asn1::SET)?;
        let mut eci = sd.read_sequence()?;
        let _ect = eci.read_oid()?;
        let econtent = match eci.read_optional(asn1::context(0))? {
            Some(e) => {
                let oct = e.reader().read_any()?;
                Some(oct.body)
            }
            None => None,
        };
        let mut certificates = Vec::new();
        if let Some(certs) = sd.read_optional(asn1::context(0))? {
            let mut cr = certs.reader();
            while !cr.is_empty() {
                let c = cr.read_any()?;
                if c.tag == asn1::SEQUENCE
                    && let Ok(cert) = Certificate::from_der(c.raw)
                {
                    certificates.push(cert);
                }
            }
        }
        let _crls = sd.read_optional(asn1::context(1))?;
        let infos = sd.read_element(asn1::SET)?;
        let mut ir = infos.reader();
        let mut si = ir.read_sequence()?;
        let _v = si.read_small_int()?;
        let sid = si.read_any()?;
        let mut dig = si.read_sequence()?;
        let digest_alg = dig.read_oid()?;
        let mut signed_attrs = None;
        let mut message_digest = None;
        let mut signing_time = None;
        if let Some(attrs) = si.read_optional(asn1::context(0))? {
            let mut set = asn1::tlv(asn1::SET, attrs.body);
            set.shrink_to_fit();
            signed_attrs = Some(set);
            let mut ar = attrs.reader();
            while !ar.is_empty() {
                let mut a = ar.read_sequence()?;
                let oid = a.read_oid()?;
                let vals = a.read_element(asn1::SET)?;
                let v = vals.reader().read_any()?;
                if oid == OID_MESSAGE_DIGEST {
                    message_digest = Some(v.body);
                } else if oid == OID_SIGNING_TIME {
                    let s = std::str::from_utf8(v.body).unwrap_or("");
                    signing_time = match v.tag {
                        asn1::UTC_TIME => Time::parse_utc_time(s).ok(),
                        _ => Time::parse_generalized(s).ok(),
                    };
                }
            }
        }
        let (signature_alg, signature_params) = crate::pki::alg::read_identifier(&mut si)?;
        let signature_params = signature_params.map(|p| p.raw);
        let signature = si.read(asn1::OCTET_STRING)?;
        let signer = match_signer(&certificates, sid);
        Ok(SignedData {
            econtent,
            signer,
            certificates,
            signed_attrs,
            message_digest,
            signing_time,
            digest_alg,
            signature_alg,
            signature_params,
            signature,
        })
    };
    inner().map_err(|e| bad(e.detail().to_string()))
}

fn match_signer(certs: &[Certificate], sid: asn1::Element<'_>) -> Option<Certificate> {
    if sid.tag == asn1::SEQUENCE {
        let mut r: Reader<'_> = sid.reader();
        if let (Ok(issuer), Ok(serial)) = (r.read_any(), r.read(asn1::INTEGER)) {
            let trim = |s: &[u8]| -> Vec<u8> {
                let mut s = s;
                while s.len() > 1 && s[0] == 0 {
                    s = &s[1..];
                }
                s.to_vec()
            };
            if let Some(c) = certs
                .iter()
                .find(|c| trim(c.serial()) == trim(serial) && c.issuer_name().der() == issuer.raw)
            {
                return Some(c.clone());
            }
        }
    } else if sid.tag == asn1::context_primitive(0)
        && let Some(c) = certs.iter().find(|c| c.subject_key_id() == Some(sid.body))
    {
        return Some(c.clone());
    }
    certs.first().cloned()
}

/// The outcome of checking a SignedData against Signature.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsOutcome {
    /// Whether the content / messageDigest binds Signature.xml, with a message.
    pub data: (bool, String),
    /// Whether the signature verifies, with a message.
    pub signature: (bool, String),
    /// True when `signature` is false only because the algorithm or key is not supported
    /// (SHA-1, an unknown OID): the signature could not be checked, rather than failed.
    pub signature_unsupported: bool,
}

/// Checks the SignedData against the exact bytes of Signature.xml. The digest algorithm may
/// be SM3 or SHA-256/384/512; the signature SM2 (default user ID) or, for signatures made
/// elsewhere, RSA PKCS#1 v1.5 / PSS or ECDSA P-256 / P-384 ([`crate::pki::alg`]).
pub fn check(sd: &SignedData<'_>, sig_xml: &[u8]) -> CmsOutcome {
    use crate::pki::alg::Digest;
    let digest = match Digest::from_oid(&sd.digest_alg) {
        Some(d @ (Digest::Sm3 | Digest::Sha256 | Digest::Sha384 | Digest::Sha512)) => d,
        _ => {
            return CmsOutcome {
                data: (
                    false,
                    format!("digest algorithm {} is not supported", sd.digest_alg),
                ),
                signature: (false, "digest algorithm not supported".into()),
                signature_unsupported: true,
            };
        }
    };
    let name = digest.name();
    let xml_hash = digest.hash(sig_xml);
    // What the signature covers (content), and whether it binds Signature.xml.
    let (content, data): (&[u8], (bool, String)) = match sd.econtent {
        Some(c) if c == xml_hash => (c, (true, format!("eContent = {name}(Signature.xml)"))),
        Some(c) if c == sig_xml => (c, (true, "eContent is Signature.xml".into())),
        Some(c) => (
            c,
            (
                false,
                format!("eContent is neither {name}(Signature.xml) nor Signature.xml"),
            ),
        ),
        None => (
            sig_xml,
            (true, "detached signature over Signature.xml".into()),
        ),
    };
    let (signed, data) = match &sd.signed_attrs {
        Some(attrs) => {
            let d = match sd.message_digest {
                Some(md) if md == digest.hash(content) => data,
                Some(_) => (
                    false,
                    format!("messageDigest does not equal {name} of the signed content"),
                ),
                None => (false, "signed attributes without messageDigest".to_string()),
            };
            (attrs.as_slice(), d)
        }
        None => (content, data),
    };
    if !SIG_OIDS.contains(&sd.signature_alg.as_str()) {
        let (signature, signature_unsupported) = other_signature(sd, signed);
        return CmsOutcome {
            data,
            signature,
            signature_unsupported,
        };
    }
    if digest != Digest::Sm3 {
        return CmsOutcome {
            data,
            signature: (
                false,
                format!("SM2 signature with digest algorithm {name} is not supported"),
            ),
            signature_unsupported: true,
        };
    }
    let signature = {
        match (&sd.signer, Signature::from_bytes(sd.signature)) {
            (None, _) => (
                false,
                "SignedData carries no signer certificate".to_string(),
            ),
            (_, Err(_)) => (false, "signature value is not an SM2 signature".to_string()),
            (Some(cert), Ok(sig)) => match cert.public_key() {
                Err(e) => (false, format!("signer key: {e}")),
                Ok(pk) => match pk.verify_default(signed, &sig) {
                    Ok(()) => (true, "SM2 signature of the SignedData verifies".to_string()),
                    Err(_) => (
                        false,
                        "SM2 signature of the SignedData does not verify".to_string(),
                    ),
                },
            },
        }
    };
    CmsOutcome {
        data,
        signature,
        signature_unsupported: false,
    }
}

/// An RSA or ECDSA signature over `signed`: (verifies, message), and whether it could not be
/// checked (unsupported algorithm or key).
fn other_signature(sd: &SignedData<'_>, signed: &[u8]) -> ((bool, String), bool) {
    let params = match sd.signature_params.map(asn1::parse_single).transpose() {
        Ok(p) => p,
        Err(e) => {
            return (
                (false, format!("signature parameters: {}", e.detail())),
                false,
            );
        }
    };
    let alg = match crate::pki::SignatureAlgorithm::from_identifier(
        &sd.signature_alg,
        params.as_ref(),
        Some(&sd.digest_alg),
    ) {
        Ok(a) => a,
        Err(e) => {
            let unsupported = e.kind() == ErrorKind::Unsupported;
            return ((false, e.detail().to_string()), unsupported);
        }
    };
    let Some(cert) = &sd.signer else {
        return (
            (
                false,
                "SignedData carries no signer certificate".to_string(),
            ),
            false,
        );
    };
    let key = match cert.subject_key() {
        Ok(k) => k,
        Err(e) => {
            let unsupported = e.kind() == ErrorKind::Unsupported;
            return ((false, format!("signer key: {}", e.detail())), unsupported);
        }
    };
    match alg.verify(key, signed, sd.signature) {
        Ok(()) => {
            let mut m = format!("{} signature of the SignedData verifies", alg.name());
            if let Some(w) = key.weakness() {
                m.push_str(&format!(" ({w})"));
            }
            ((true, m), false)
        }
        Err(e) => (
            (false, e.detail().to_string()),
            e.kind() == ErrorKind::Unsupported,
        ),
    }
}
