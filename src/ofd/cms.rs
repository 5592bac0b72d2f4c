//! The value of an OFD `Type="Sign"` signature (GB/T 33190-2016 §18.2.2): a CMS / GM/T 0010
//! (GB/T 35275) SignedData over Signature.xml, or a bare SM2 signature over its bytes.
//!
//! The SignedData is read and its signature checked by [`crate::cms`]; what is OFD's own is
//! how it binds Signature.xml:
//! - attached: eContent is the digest of Signature.xml (by the signer's digest algorithm) or
//!   Signature.xml itself;
//! - detached: no eContent, the content is Signature.xml.
//!
//! With signed attributes the signature covers their DER with the SET tag (RFC 5652 §5.4) and
//! messageDigest must equal the digest of the content; without them it covers the content.

use crate::cms::Finding;
use crate::error::Result;
use crate::pki::Certificate;
use crate::pki::time::Time;
use crate::report::Status;

/// A parsed SignedData with one signer.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// The SignedData as read by [`crate::cms`].
    pub cms: crate::cms::SignedData<'a>,
    /// The certificates carried (those that parse).
    pub certificates: Vec<Certificate>,
    /// The signer's certificate (matched by issuer and serial, or key identifier), or one the
    /// caller supplies when the SignedData carries none.
    pub signer: Option<Certificate>,
    /// signingTime attribute.
    pub signing_time: Option<Time>,
}

/// Whether `der` looks like a CMS ContentInfo (SEQUENCE starting with an OID).
pub fn looks_like_cms(der: &[u8]) -> bool {
    let Ok(top) = crate::asn1::parse_single(der) else {
        return false;
    };
    top.tag == crate::asn1::SEQUENCE && top.reader().peek_tag() == Some(crate::asn1::OID)
}

/// Parses a DER ContentInfo holding SignedData (exactly one element).
pub fn parse(der: &'_ [u8]) -> Result<SignedData<'_>> {
    let cms = crate::cms::SignedData::parse(der)?;
    let certificates = cms
        .certs
        .iter()
        .filter_map(|c| Certificate::from_der(c).ok())
        .collect();
    Ok(SignedData {
        signer: cms.signer_certificate(),
        signing_time: cms.signing_time,
        certificates,
        cms,
    })
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
    /// The status of `data` (indeterminate when the digest algorithm is not supported).
    pub data_status: Status,
    /// The status of `signature` (warn for a weak key, indeterminate when unsupported).
    pub signature_status: Status,
}

fn outcome(data: Finding, signature: Finding) -> CmsOutcome {
    CmsOutcome {
        data: (data.is_ok(), data.message),
        signature: (signature.is_ok(), signature.message),
        signature_unsupported: signature.status == Status::Indeterminate,
        data_status: data.status,
        signature_status: signature.status,
    }
}

/// Checks the SignedData against the exact bytes of Signature.xml (rules of
/// [`crate::cms::verify`]).
pub fn check(sd: &SignedData<'_>, sig_xml: &[u8]) -> CmsOutcome {
    let cms = &sd.cms;
    let econtent = cms.econtent.map(|e| e.body);
    // What the signature (or messageDigest) covers.
    let content = econtent.unwrap_or(sig_xml);
    let signature = match &sd.signer {
        None => Finding::fail("SignedData carries no signer certificate"),
        Some(cert) => cms.check_signature(cert, Some(content)),
    };
    let digest = match cms.digest() {
        Ok(d) => d,
        Err(f) => return outcome(f, signature),
    };
    let name = digest.name();
    let bound = match econtent {
        Some(c) if c == digest.hash(sig_xml) => {
            Finding::pass(format!("eContent = {name}(Signature.xml)"))
        }
        Some(c) if c == sig_xml => Finding::pass("eContent is Signature.xml"),
        Some(_) => Finding::fail(format!(
            "eContent is neither {name}(Signature.xml) nor Signature.xml"
        )),
        None => Finding::pass("detached signature over Signature.xml"),
    };
    let data = match cms.signed_attrs {
        Some(_) if bound.is_ok() => {
            let md = cms.check_message_digest(digest, &digest.hash(content), "the signed content");
            if md.is_ok() { bound } else { md }
        }
        _ => bound,
    };
    outcome(data, signature)
}
