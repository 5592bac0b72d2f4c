//! Timestamp tokens in seals and seal signatures (GB/T 38540-2020 §6.4 `timeStamp`, RFC 3161
//! §2.4.2, GB/T 20520): a CMS SignedData (PKCS#7 or GM/T 0010 OIDs) whose content is a TSTInfo.
//!
//! Verifying a token checks, in this order: it parses; the message imprint equals the hash (by
//! the imprint's algorithm: SM3, SHA-256 or SHA-1) of the timestamped bytes (the signature
//! value); the TSA certificate is in the token; the signed attributes carry the content type
//! and a messageDigest equal to the hash of the TSTInfo; the TSA's SM2 signature over the DER
//! of the signed attributes (or over the TSTInfo when there are none) verifies — or, for a TSA
//! with an RSA or ECDSA key, its signature by the algorithm of [`crate::pki::alg`], an
//! unsupported one (SHA-1, unknown OID) making the check indeterminate; and the TSA
//! certificate chains to a trust anchor, is valid at genTime and has the timeStamping extended
//! key usage.

use super::decode::{bits_of, time_of};
use crate::asn1::{self, Element, Reader};
use crate::crypto::Signature;
use crate::error::{Error, ErrorKind, Result};
use crate::pki::{CertOptions, Certificate, Purpose, Time, TrustStore, check_certificate};
use crate::report::{Check, Status, ids};

/// CMS signedData (PKCS#7).
const OID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// GM/T 0010 signedData.
const OID_SIGNED_DATA_GM: &str = "1.2.156.10197.6.1.4.2.2";
/// id-ct-TSTInfo.
const OID_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";
/// id-contentType attribute.
const OID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
/// id-messageDigest attribute.
const OID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";

/// A parsed RFC 3161 TimeStampToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeStampToken {
    /// TSTInfo genTime.
    pub gen_time: Time,
    /// messageImprint hash algorithm (dotted OID).
    pub imprint_alg: String,
    /// messageImprint hashedMessage.
    pub imprint: Vec<u8>,
    /// TSTInfo policy (dotted OID).
    pub policy: String,
    /// The DER TSTInfo (the encapsulated content).
    pub tst_info: Vec<u8>,
    /// Certificates carried in the token (DER).
    pub certs: Vec<Vec<u8>>,
    /// eContentType (dotted OID).
    content_type: String,
    /// SignerInfo: issuer Name (raw) and serial (INTEGER body), or a subjectKeyIdentifier.
    sid: Sid,
    /// SignerInfo digestAlgorithm (dotted OID).
    digest_alg: String,
    /// Body of the signedAttrs `[0]` (to re-tag as SET), when present.
    signed_attrs: Option<Vec<u8>>,
    /// SignerInfo signatureAlgorithm: OID and parameters (whole TLV).
    signature_alg: (String, Option<Vec<u8>>),
    /// The TSA's signature value.
    signature: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Sid {
    IssuerSerial(Vec<u8>, Vec<u8>),
    KeyId(Vec<u8>),
}

fn bad(m: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::MalformedTimestamp, m.to_string())
}

fn w<T>(r: Result<T>, what: &str) -> Result<T> {
    r.map_err(|e| bad(format!("{what}: {}", e.detail())))
}

/// Reads an AlgorithmIdentifier and returns its OID.
fn alg(r: &mut Reader<'_>, what: &str) -> Result<String> {
    let mut s = w(r.read_sequence(), what)?;
    w(s.read_oid(), what)
}

impl TimeStampToken {
    /// Parses a TimeStampToken (ContentInfo with SignedData).
    /// BER (indefinite lengths, as Bouncy Castle writes by default) is read too.
    pub fn from_der(der: &[u8]) -> Result<TimeStampToken> {
        let ber = asn1::ber_normalised(der);
        let der = ber.as_deref().unwrap_or(der);
        let top = w(asn1::parse_single(der), "ContentInfo")?;
        if top.tag != asn1::SEQUENCE {
            return Err(bad("ContentInfo is not a SEQUENCE"));
        }
        let mut ci = top.reader();
        let ct = w(ci.read_oid(), "ContentInfo.contentType")?;
        if ct != OID_SIGNED_DATA && ct != OID_SIGNED_DATA_GM {
            return Err(bad(format!("content type {ct} is not signedData")));
        }
        let explicit = w(ci.read(asn1::context(0)), "ContentInfo.content")?;
        let mut sd = w(Reader::new(explicit).read_sequence(), "SignedData")?;
        w(sd.read(asn1::INTEGER), "SignedData.version")?;
        w(sd.read(asn1::SET), "SignedData.digestAlgorithms")?;
        let mut eci = w(sd.read_sequence(), "encapContentInfo")?;
        let content_type = w(eci.read_oid(), "eContentType")?;
        let ec = w(eci.read(asn1::context(0)), "eContent")?;
        let tst_info = w(Reader::new(ec).read(asn1::OCTET_STRING), "eContent")?.to_vec();
        let mut certs = Vec::new();
        if let Some(c) = w(sd.read_optional(asn1::context(0)), "certificates")? {
            let mut cr = c.reader();
            while !cr.is_empty() {
                let e = w(cr.read_any(), "certificates")?;
                if e.tag == asn1::SEQUENCE {
                    certs.push(e.raw.to_vec());
                }
            }
        }
        w(sd.read_optional(asn1::context(1)), "crls")?;
        let mut sis = Reader::new(w(sd.read(asn1::SET), "signerInfos")?);
        let mut si = w(sis.read_sequence(), "SignerInfo")?;
        w(si.read(asn1::INTEGER), "SignerInfo.version")?;
        let sid_el = w(si.read_any(), "SignerInfo.sid")?;
        let sid = match sid_el.tag {
            asn1::SEQUENCE => {
                let mut r = sid_el.reader();
                let issuer = w(r.read_element(asn1::SEQUENCE), "sid.issuer")?
                    .raw
                    .to_vec();
                let serial = w(r.read(asn1::INTEGER), "sid.serialNumber")?.to_vec();
                Sid::IssuerSerial(issuer, serial)
            }
            t if t == asn1::context_primitive(0) => Sid::KeyId(sid_el.body.to_vec()),
            t => return Err(bad(format!("SignerInfo.sid has tag 0x{t:02x}"))),
        };
        let digest_alg = alg(&mut si, "SignerInfo.digestAlgorithm")?;
        let signed_attrs =
            w(si.read_optional(asn1::context(0)), "signedAttrs")?.map(|e| e.body.to_vec());
        let (sig_oid, sig_params) = w(
            crate::pki::alg::read_identifier(&mut si),
            "SignerInfo.signatureAlgorithm",
        )?;
        let signature_alg = (sig_oid, sig_params.map(|p| p.raw.to_vec()));
        let sig_el = w(si.read_any(), "SignerInfo.signature")?;
        let signature = bits_of(
            &sig_el,
            ErrorKind::MalformedTimestamp,
            "SignerInfo.signature",
        )?
        .to_vec();

        let mut tst = w(Reader::new(&tst_info).read_sequence(), "TSTInfo")?;
        w(tst.read(asn1::INTEGER), "TSTInfo.version")?;
        let policy = w(tst.read_oid(), "TSTInfo.policy")?;
        let mut mi = w(tst.read_sequence(), "TSTInfo.messageImprint")?;
        let imprint_alg = alg(&mut mi, "messageImprint.hashAlgorithm")?;
        let imprint = w(mi.read(asn1::OCTET_STRING), "messageImprint.hashedMessage")?.to_vec();
        w(tst.read(asn1::INTEGER), "TSTInfo.serialNumber")?;
        let gt: Element<'_> = w(tst.read_any(), "TSTInfo.genTime")?;
        let gen_time = time_of(&gt, ErrorKind::MalformedTimestamp, "TSTInfo.genTime")?;
        Ok(TimeStampToken {
            gen_time,
            imprint_alg,
            imprint,
            policy,
            tst_info,
            certs,
            content_type,
            sid,
            digest_alg,
            signed_attrs,
            signature_alg,
            signature,
        })
    }
}

/// The hash of `data` by a digest algorithm OID: SM3, SHA-256/384/512 or SHA-1 (a SHA-1
/// imprint only binds the token to the stamped bytes; signatures over SHA-1 are not accepted).
pub(crate) fn hash_by_oid(oid: &str, data: &[u8]) -> Option<Vec<u8>> {
    crate::pki::alg::Digest::from_oid(oid).map(|d| d.hash(data))
}

/// The outcome of verifying a token: the `timestamp` check and, when it passed, the trusted
/// time.
#[derive(Debug, Clone)]
pub struct TimestampResult {
    /// The `timestamp` check.
    pub check: Check,
    /// genTime, when the token is valid.
    pub time: Option<Time>,
}

/// Verifies `token` as a timestamp over `stamped` (the signature value), with the TSA
/// certificate judged against `store` at genTime.
pub fn verify_token(
    token: &[u8],
    stamped: &[u8],
    store: &TrustStore,
    now: Time,
) -> TimestampResult {
    let fail = |m: String| TimestampResult {
        check: Check::fail(ids::TIMESTAMP, m),
        time: None,
    };
    let t = match TimeStampToken::from_der(token) {
        Ok(t) => t,
        Err(e) => return fail(format!("timestamp token cannot be parsed: {}", e.detail())),
    };
    if t.content_type != OID_TST_INFO {
        return fail(format!(
            "token content type {} is not TSTInfo",
            t.content_type
        ));
    }
    match hash_by_oid(&t.imprint_alg, stamped) {
        Some(h) if h == t.imprint => {}
        Some(_) => return fail("message imprint does not match the signature value".into()),
        None => {
            return fail(format!(
                "unsupported imprint hash algorithm {}",
                t.imprint_alg
            ));
        }
    }
    let certs: Vec<Certificate> = t
        .certs
        .iter()
        .filter_map(|c| Certificate::from_der(c).ok())
        .collect();
    let tsa = certs.iter().find(|c| match &t.sid {
        Sid::IssuerSerial(issuer, serial) => {
            c.serial() == serial.as_slice() && c.issuer_name().der() == issuer.as_slice()
        }
        Sid::KeyId(k) => c.subject_key_id() == Some(k.as_slice()),
    });
    let Some(tsa) = tsa else {
        return fail("the TSA certificate is not in the token".into());
    };
    let sm2_key = tsa.public_key();
    let other_alg = sm2_key.is_err() && !is_sm2_alg(&t.signature_alg.0);
    if let (Err(e), false) = (&sm2_key, other_alg) {
        return fail(format!("TSA certificate key: {}", e.detail()));
    }
    let signed: Vec<u8> = match &t.signed_attrs {
        Some(body) => {
            if let Err(m) = check_attrs(body, &t) {
                return fail(m);
            }
            asn1::tlv(asn1::SET, body)
        }
        None => t.tst_info.clone(),
    };
    match sm2_key {
        // A TSA with an RSA or ECDSA key (RFC 3161 tokens from other systems).
        Err(e) => match verify_other(&t, tsa, &signed) {
            None => return fail(format!("TSA certificate key: {}", e.detail())),
            Some(Err(r)) => return r,
            Some(Ok(())) => {}
        },
        Ok(key) => {
            let sig = match Signature::from_bytes(&t.signature) {
                Ok(s) => s,
                Err(e) => return fail(format!("TSA signature value: {}", e.detail())),
            };
            if key.verify_default(&signed, &sig).is_err() {
                return fail("the TSA's SM2 signature does not verify".into());
            }
        }
    }
    let opts = CertOptions {
        at: t.gen_time,
        now,
        purpose: Purpose::TimeStamping,
    };
    let checks = check_certificate(tsa, &certs, store, &opts, "tsa_cert");
    let mut status = Status::Pass;
    let mut notes = Vec::new();
    for c in &checks {
        match c.status {
            Status::Fail => status = Status::Fail,
            Status::Indeterminate if status != Status::Fail => status = Status::Indeterminate,
            Status::Warn if status == Status::Pass => status = Status::Warn,
            _ => {}
        }
        if c.status != Status::Pass && c.status != Status::Skip {
            notes.push(format!("{}: {}", c.id, c.message));
        }
    }
    let mut msg = format!(
        "token signed by \"{}\" at {}, imprint matches the signature value",
        tsa.subject(),
        t.gen_time
    );
    if !notes.is_empty() {
        msg.push_str("; ");
        msg.push_str(&notes.join("; "));
    }
    let time = matches!(status, Status::Pass | Status::Warn).then_some(t.gen_time);
    TimestampResult {
        check: Check::new(ids::TIMESTAMP, status, msg),
        time,
    }
}

fn is_sm2_alg(oid: &str) -> bool {
    matches!(
        oid,
        "1.2.156.10197.1.501" | "1.2.156.10197.1.301.1" | "1.2.156.10197.1.301"
    )
}

/// Verifies an RSA or ECDSA token signature ([`crate::pki::alg`]); `None` when the TSA key is
/// not one of those. An unsupported algorithm (SHA-1, unknown OID) is indeterminate.
fn verify_other(
    t: &TimeStampToken,
    tsa: &Certificate,
    signed: &[u8],
) -> Option<std::result::Result<(), TimestampResult>> {
    let key = tsa.subject_key().ok()?;
    let undecided = |m: String| TimestampResult {
        check: Check::indeterminate(ids::TIMESTAMP, m),
        time: None,
    };
    let failed = |m: String| TimestampResult {
        check: Check::fail(ids::TIMESTAMP, m),
        time: None,
    };
    let params = match t
        .signature_alg
        .1
        .as_deref()
        .map(asn1::parse_single)
        .transpose()
    {
        Ok(p) => p,
        Err(e) => {
            return Some(Err(failed(format!(
                "TSA signature parameters: {}",
                e.detail()
            ))));
        }
    };
    let alg = match crate::pki::SignatureAlgorithm::from_identifier(
        &t.signature_alg.0,
        params.as_ref(),
        Some(&t.digest_alg),
    ) {
        Ok(a) => a,
        Err(e) if e.kind() == ErrorKind::Unsupported => {
            return Some(Err(undecided(format!("TSA signature: {}", e.detail()))));
        }
        Err(e) => return Some(Err(failed(format!("TSA signature: {}", e.detail())))),
    };
    if let Err(e) = alg.verify(key, signed, &t.signature) {
        return Some(Err(if e.kind() == ErrorKind::Unsupported {
            undecided(format!("TSA signature: {}", e.detail()))
        } else {
            failed(format!(
                "the TSA's {} signature does not verify",
                alg.name()
            ))
        }));
    }
    Some(Ok(()))
}

/// Checks the content-type and messageDigest signed attributes.
fn check_attrs(body: &[u8], t: &TimeStampToken) -> std::result::Result<(), String> {
    let mut r = Reader::new(body);
    let mut digest = None;
    let mut ctype = None;
    while !r.is_empty() {
        let mut a = r
            .read_sequence()
            .map_err(|e| format!("signed attribute: {}", e.detail()))?;
        let oid = a
            .read_oid()
            .map_err(|e| format!("signed attribute: {}", e.detail()))?;
        let vals = a
            .read(asn1::SET)
            .map_err(|e| format!("signed attribute: {}", e.detail()))?;
        let v = Reader::new(vals)
            .read_any()
            .map_err(|e| format!("signed attribute: {}", e.detail()))?;
        match oid.as_str() {
            OID_MESSAGE_DIGEST if v.tag == asn1::OCTET_STRING => digest = Some(v.body.to_vec()),
            OID_CONTENT_TYPE if v.tag == asn1::OID => {
                ctype = asn1::oid_to_string(v.body).ok();
            }
            _ => {}
        }
    }
    if ctype.as_deref() != Some(OID_TST_INFO) {
        return Err("signed attributes lack content type TSTInfo".into());
    }
    let Some(digest) = digest else {
        return Err("signed attributes lack messageDigest".into());
    };
    match hash_by_oid(&t.digest_alg, &t.tst_info) {
        Some(h) if h == digest => Ok(()),
        Some(_) => Err("messageDigest does not match the TSTInfo".into()),
        None => Err(format!("unsupported digest algorithm {}", t.digest_alg)),
    }
}
