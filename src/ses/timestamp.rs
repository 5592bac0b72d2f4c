//! Timestamp tokens in seals and seal signatures (GB/T 38540-2020 §6.4 `timeStamp`, RFC 3161
//! §2.4.2, GB/T 20520): a CMS SignedData (PKCS#7 or GM/T 0010 OIDs) whose content is a TSTInfo.
//!
//! Verifying a token checks, in this order: it parses; the message imprint equals the hash (by
//! the imprint's algorithm: SM3, SHA-256 or SHA-1) of the timestamped bytes (the signature
//! value); the TSA certificate is in the token; the signed attributes carry the content type
//! and a messageDigest equal to the hash of the TSTInfo; the TSA's signature over the DER of
//! the signed attributes (or over the TSTInfo when there are none) verifies — SM2, RSA or
//! ECDSA, by the rules of [`crate::cms::verify`] (an unsupported algorithm or key, such as
//! SHA-1, is indeterminate; a weak key is a warning); and the TSA certificate chains to a trust
//! anchor, is valid at genTime and has the timeStamping extended key usage.

use super::decode::time_of;
use crate::asn1::{self, Element, Reader};
use crate::cms::{Finding, SignedData};
use crate::error::{Error, ErrorKind, Result};
use crate::oid;
use crate::pki::{CertOptions, Certificate, Purpose, Time, TrustStore, check_certificate};
use crate::report::{Check, Status, ids};

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
    /// The token's ContentInfo in DER (BER input rewritten), read again by [`crate::cms`]
    /// to verify it.
    der: Vec<u8>,
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
    /// Parses a TimeStampToken (ContentInfo with SignedData, read by [`crate::cms`]).
    /// BER (indefinite lengths, as Bouncy Castle writes by default) is read too.
    pub fn from_der(der: &[u8]) -> Result<TimeStampToken> {
        let der = asn1::ber_normalised(der).unwrap_or_else(|| der.to_vec());
        let sd = SignedData::parse(&der).map_err(|e| bad(e.detail()))?;
        let content_type = sd.econtent_type.clone();
        let tst_info = match sd.econtent {
            Some(e) if e.tag == asn1::OCTET_STRING => e.body.to_vec(),
            Some(_) => return Err(bad("eContent is not an OCTET STRING")),
            None => return Err(bad("eContent: the token carries no TSTInfo")),
        };
        let certs = sd.certs.iter().map(|c| c.to_vec()).collect();

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
            der,
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
    if t.content_type != oid::ID_CT_TST_INFO {
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
    let sd = match SignedData::parse(&t.der) {
        Ok(sd) => sd,
        Err(e) => return fail(format!("timestamp token cannot be parsed: {}", e.detail())),
    };
    let certs: Vec<Certificate> = t
        .certs
        .iter()
        .filter_map(|c| Certificate::from_der(c).ok())
        .collect();
    let Some(tsa) = sd.signer_certificate() else {
        return fail("the TSA certificate is not in the token".into());
    };
    let finding = |f: Finding, what: &str| TimestampResult {
        check: Check::new(ids::TIMESTAMP, f.status, format!("{what}{}", f.message)),
        time: None,
    };
    if sd.signed_attrs.is_some() {
        // RFC 5652 §5.3: the content type and the digest of the TSTInfo are signed.
        if sd.content_type.as_deref() != Some(oid::ID_CT_TST_INFO) {
            return fail("signed attributes lack content type TSTInfo".into());
        }
        let d = match sd.digest() {
            Ok(d) => d,
            Err(f) => return finding(f, "TSA signature: "),
        };
        let f = sd.check_message_digest(d, &d.hash(&t.tst_info), "the TSTInfo");
        if !f.is_ok() {
            return finding(f, "");
        }
    }
    let f = sd.check_signature(&tsa, Some(&t.tst_info));
    if !f.is_ok() {
        return finding(f, "TSA signature: ");
    }
    let tsa = &tsa;
    let opts = CertOptions {
        at: t.gen_time,
        now,
        purpose: Purpose::TimeStamping,
    };
    let checks = check_certificate(tsa, &certs, store, &opts, "tsa_cert");
    let mut status = f.status;
    let mut notes = Vec::new();
    if f.status == Status::Warn {
        notes.push(format!("TSA signature: {}", f.message));
    }
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
