//! Reading a ContentInfo that holds a SignedData (RFC 5652 §3, §5.1–§5.3; GM/T 0010 §8).
//!
//! Tolerant where producers differ (either OID family, signature value in an OCTET STRING or a
//! BIT STRING, any certificate choice skipped unless it is an X.509 certificate, an unreadable
//! signingTime ignored) and strict where the signature depends on it: the signed attributes
//! must be a well-formed `SET OF Attribute`, and their raw bytes are kept. Only the first
//! SignerInfo is read (PDF, OFD and RFC 3161 SignedData carry one signer).

use super::bad;
use crate::asn1::{self, Element, Reader};
use crate::error::{Error, Result};
use crate::oid;
use crate::pki::time::Time;
use std::borrow::Cow;

/// How the SignerInfo names its certificate (RFC 5652 §5.3 `SignerIdentifier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerId<'a> {
    /// `issuerAndSerialNumber`: the issuer Name (whole TLV) and the serial (INTEGER body).
    IssuerAndSerial {
        /// The issuer Name, whole TLV.
        issuer: &'a [u8],
        /// The serial number, INTEGER body.
        serial: &'a [u8],
    },
    /// `subjectKeyIdentifier` `[0]`.
    SubjectKeyId(&'a [u8]),
}

/// The first certificate identifier of an ESS signing-certificate attribute (RFC 2634 §5.4
/// `ESSCertID`, RFC 5035 §3 `ESSCertIDv2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningCertificate<'a> {
    /// The hash algorithm of `cert_hash` (SHA-1 for v1; SHA-256 unless named for v2).
    pub hash_alg: String,
    /// The hash of the signer's whole certificate.
    pub cert_hash: &'a [u8],
}

/// A parsed SignedData with its (first) signer.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    /// True when the GM/T 0010 OIDs are used.
    pub gmt: bool,
    /// eContentType (dotted OID).
    pub econtent_type: String,
    /// eContent (the OCTET STRING inside `[0]`), when the content is attached.
    pub econtent: Option<Element<'a>>,
    /// The certificates carried (DER of each X.509 certificate).
    pub certs: Vec<&'a [u8]>,
    /// The signer identifier.
    pub sid: SignerId<'a>,
    /// The signer's digest algorithm (dotted OID).
    pub digest_alg: String,
    /// The signed attributes as stored (tag `[0]`), if any.
    pub signed_attrs: Option<&'a [u8]>,
    /// The content-type attribute (dotted OID).
    pub content_type: Option<String>,
    /// The message-digest attribute.
    pub message_digest: Option<&'a [u8]>,
    /// The signing-time attribute (absent when unreadable).
    pub signing_time: Option<Time>,
    /// The ESS signing-certificate(-v2) attribute.
    pub signing_certificate: Option<SigningCertificate<'a>>,
    /// The signature algorithm (dotted OID).
    pub signature_alg: String,
    /// Its parameters (whole TLV), if any (RSASSA-PSS-params).
    pub signature_params: Option<&'a [u8]>,
    /// The signature value.
    pub signature: &'a [u8],
}

/// True when `der` starts like a ContentInfo with signedData (either OID family).
pub fn looks_like_signed_data(der: &[u8]) -> bool {
    let Ok((asn1::SEQUENCE, body, _)) = asn1::read_tlv(der) else {
        return false;
    };
    matches!(
        Reader::new(body).read_oid().as_deref(),
        Ok(oid::ID_SIGNED_DATA) | Ok(oid::GM_SIGNED_DATA)
    )
}

/// The DER to give [`SignedData::parse`] for `input`: BER (indefinite lengths, constructed
/// OCTET STRINGs, as Bouncy Castle and OpenSSL stream CMS) rewritten by [`asn1::ber_to_der`],
/// which keeps every definite-length element — the signed attributes, the certificates — byte
/// for byte; DER as it is. Bytes after the first element (PDF zero padding) are left out.
/// Input that is not readable as BER is returned unchanged (the DER reader reports it).
pub fn der_of(input: &[u8]) -> Cow<'_, [u8]> {
    match asn1::ber_to_der(input) {
        Ok((der, used)) if der != input[..used] => Cow::Owned(der),
        Ok((_, used)) => Cow::Borrowed(&input[..used]),
        Err(_) => Cow::Borrowed(input),
    }
}

fn ctx(what: &'static str) -> impl Fn(Error) -> Error {
    move |e| bad(format!("{what}: {}", e.detail()))
}

impl<'a> SignedData<'a> {
    /// Parses a DER ContentInfo holding a SignedData; `der` must be exactly that element.
    /// BER input: see [`der_of`].
    pub fn parse(der: &'a [u8]) -> Result<SignedData<'a>> {
        let top = asn1::parse_single(der).map_err(ctx("ContentInfo"))?;
        if top.tag != asn1::SEQUENCE {
            return Err(bad("ContentInfo is not a SEQUENCE"));
        }
        let mut ci = top.reader();
        let ct = ci.read_oid().map_err(ctx("ContentInfo.contentType"))?;
        let gmt = match ct.as_str() {
            oid::ID_SIGNED_DATA => false,
            oid::GM_SIGNED_DATA => true,
            other => return Err(bad(format!("content type {other} is not signedData"))),
        };
        let explicit = ci
            .read_element(asn1::context(0))
            .map_err(ctx("ContentInfo.content"))?;
        let mut sd = explicit
            .reader()
            .read_sequence()
            .map_err(ctx("SignedData"))?;
        sd.read(asn1::INTEGER).map_err(ctx("SignedData.version"))?;
        sd.read(asn1::SET)
            .map_err(ctx("SignedData.digestAlgorithms"))?;
        let mut eci = sd.read_sequence().map_err(ctx("encapContentInfo"))?;
        let econtent_type = eci.read_oid().map_err(ctx("eContentType"))?;
        let econtent = match eci
            .read_optional(asn1::context(0))
            .map_err(ctx("eContent"))?
        {
            Some(e) => Some(e.reader().read_any().map_err(ctx("eContent"))?),
            None => None,
        };
        let mut certs = Vec::new();
        if let Some(c) = sd
            .read_optional(asn1::context(0))
            .map_err(ctx("certificates"))?
        {
            let mut r = c.reader();
            while !r.is_empty() {
                let e = r.read_any().map_err(ctx("certificates"))?;
                // Other certificate choices (attribute certificates, `other`) are skipped.
                if e.tag == asn1::SEQUENCE {
                    certs.push(e.raw);
                }
            }
        }
        sd.read_optional(asn1::context(1)).map_err(ctx("crls"))?;
        let infos = sd.read_element(asn1::SET).map_err(ctx("signerInfos"))?;
        let mut si = infos.reader().read_sequence().map_err(ctx("SignerInfo"))?;
        si.read(asn1::INTEGER).map_err(ctx("SignerInfo.version"))?;
        let sid_el = si.read_any().map_err(ctx("SignerInfo.sid"))?;
        let sid = match sid_el.tag {
            asn1::SEQUENCE => {
                let mut r = sid_el.reader();
                let issuer = r
                    .read_element(asn1::SEQUENCE)
                    .map_err(ctx("sid.issuer"))?
                    .raw;
                let serial = r.read(asn1::INTEGER).map_err(ctx("sid.serialNumber"))?;
                SignerId::IssuerAndSerial { issuer, serial }
            }
            t if t == asn1::context_primitive(0) => SignerId::SubjectKeyId(sid_el.body),
            t => return Err(bad(format!("SignerInfo.sid has tag 0x{t:02x}"))),
        };
        let (digest_alg, _) =
            crate::pki::alg::read_identifier(&mut si).map_err(ctx("SignerInfo.digestAlgorithm"))?;
        let mut out = SignedData {
            gmt,
            econtent_type,
            econtent,
            certs,
            sid,
            digest_alg,
            signed_attrs: None,
            content_type: None,
            message_digest: None,
            signing_time: None,
            signing_certificate: None,
            signature_alg: String::new(),
            signature_params: None,
            signature: &[],
        };
        if let Some(attrs) = si
            .read_optional(asn1::context(0))
            .map_err(ctx("signedAttrs"))?
        {
            out.signed_attrs = Some(attrs.raw);
            out.read_attributes(attrs.body)
                .map_err(ctx("signed attribute"))?;
        }
        let (alg, params) = crate::pki::alg::read_identifier(&mut si)
            .map_err(ctx("SignerInfo.signatureAlgorithm"))?;
        out.signature_alg = alg;
        out.signature_params = params.map(|p| p.raw);
        let sig = si.read_any().map_err(ctx("SignerInfo.signature"))?;
        out.signature = match (sig.tag, sig.body.split_first()) {
            (asn1::OCTET_STRING, _) => sig.body,
            (asn1::BIT_STRING, Some((0, bits))) => bits,
            _ => return Err(bad("SignerInfo.signature is not an OCTET STRING")),
        };
        Ok(out)
    }

    /// Reads the attributes this layer understands from the body of `signedAttrs`.
    fn read_attributes(&mut self, body: &'a [u8]) -> Result<()> {
        let mut r = Reader::new(body);
        while !r.is_empty() {
            let mut a = r.read_sequence()?;
            let oid = a.read_oid()?;
            let vals = a.read_element(asn1::SET)?;
            let mut v = vals.reader();
            match oid.as_str() {
                oid::ID_CONTENT_TYPE => self.content_type = Some(v.read_oid()?),
                oid::ID_MESSAGE_DIGEST => {
                    self.message_digest = Some(v.read(asn1::OCTET_STRING)?);
                }
                oid::ID_SIGNING_TIME => {
                    let t = v.read_any()?;
                    let s = std::str::from_utf8(t.body).unwrap_or("");
                    self.signing_time = match t.tag {
                        asn1::UTC_TIME => Time::parse_utc_time(s).ok(),
                        asn1::GENERALIZED_TIME => Time::parse_generalized(s).ok(),
                        _ => None,
                    };
                }
                oid::ID_AA_SIGNING_CERTIFICATE | oid::ID_AA_SIGNING_CERTIFICATE_V2 => {
                    let v2 = oid == oid::ID_AA_SIGNING_CERTIFICATE_V2;
                    let mut sc = v.read_sequence()?;
                    let mut id = sc.read_sequence()?.read_sequence()?;
                    let hash_alg = match id.peek_tag() {
                        Some(asn1::SEQUENCE) if v2 => crate::pki::alg::read_identifier(&mut id)?.0,
                        _ if v2 => oid::ID_SHA256.to_string(),
                        _ => oid::ID_SHA1.to_string(),
                    };
                    let cert_hash = id.read(asn1::OCTET_STRING)?;
                    self.signing_certificate = Some(SigningCertificate {
                        hash_alg,
                        cert_hash,
                    });
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// What the signature covers when there are signed attributes: their DER with the SET tag
    /// (RFC 5652 §5.4).
    pub fn signed_attrs_der(&self) -> Option<Vec<u8>> {
        self.signed_attrs.map(|a| {
            let mut m = a.to_vec();
            m[0] = asn1::SET;
            m
        })
    }
}
