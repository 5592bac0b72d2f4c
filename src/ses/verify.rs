//! Verifying seals and seal signatures: the checks of GB/T 38540-2020 §7.3 and GM/T 0031-2014
//! §6.2.3 in the order of DESIGN §4.3, each reported by its stable id; every check runs even
//! after another failed.
//!
//! For a seal signature: `format`, `signature`, `signer_in_seal`, `seal_signature`,
//! `seal_validity`, `maker_cert.{chain,validity,revocation,key_usage}` (judged at the seal's
//! createDate), `signer_cert.*` (judged at the signing time, or at the timestamp's genTime when
//! a valid token is present), `timestamp` (skipped when absent) and `data_hash` (skipped when no
//! data is given). For a bare seal: `format`, `seal_signature`, `seal_validity` (judged at the
//! reference time, DESIGN §4.3: a seal verified on its own is judged at `--at`, default now),
//! `maker_cert.*` and, when the seal carries one, `timestamp`.

use super::sign::find_in_seal;
use super::timestamp::{TimestampResult, verify_token};
use super::types::*;
use crate::crypto::{Signature, sm3};
use crate::pki::context::{Context, SealChecks};
use crate::pki::{CertOptions, Certificate, Purpose, Time, TrustStore, check_certificate_in};
use crate::report::{Check, Kind, Report, SignatureReport, ids};
use std::io::Read;
use std::sync::Arc;

/// Options for verification.
#[derive(Debug, Clone)]
pub struct VerifyOptions {
    /// The current time (for warnings about certificates that expired after signing).
    pub now: Time,
    /// Untrusted intermediate certificates that may help build paths (DER).
    pub extra_certs: Vec<Vec<u8>>,
    /// The id given to the signature in its report (container callers set theirs).
    pub id: String,
}

impl Default for VerifyOptions {
    fn default() -> Self {
        VerifyOptions {
            now: Time::now(),
            extra_certs: Vec::new(),
            id: "ses".to_string(),
        }
    }
}

/// The data a seal signature protects, for the `data_hash` check.
pub enum DataInput<'a> {
    /// The bytes themselves.
    Bytes(&'a [u8]),
    /// A stream, hashed in blocks.
    Reader(&'a mut dyn Read),
    /// Their SM3 hash, computed by the caller.
    Hash([u8; 32]),
}

impl std::fmt::Debug for DataInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataInput::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            DataInput::Reader(_) => f.write_str("Reader"),
            DataInput::Hash(_) => f.write_str("Hash"),
        }
    }
}

const SM2_ALGS: [&str; 2] = [OID_SM2_SM3, OID_SM2_SIGN];

/// The SM2 signature check over `msg`.
pub(crate) fn sm2_check(
    id: &str,
    who: &str,
    cert: Option<&Certificate>,
    alg: &str,
    msg: &[u8],
    value: &[u8],
) -> Check {
    if !SM2_ALGS.contains(&alg) {
        return Check::fail(
            id,
            format!("{who} signature algorithm {alg} is not SM2-with-SM3"),
        );
    }
    let Some(cert) = cert else {
        return Check::fail(id, format!("{who} certificate cannot be parsed"));
    };
    let key = match cert.public_key() {
        Ok(k) => k,
        Err(e) => return Check::fail(id, format!("{who} certificate key: {}", e.detail())),
    };
    let sig = match Signature::from_bytes(value) {
        Ok(s) => s,
        Err(e) => return Check::fail(id, format!("{who} signature value: {}", e.detail())),
    };
    match key.verify_default(msg, &sig) {
        Ok(()) => Check::pass(id, format!("{who}'s SM2 signature verifies")),
        Err(_) => Check::fail(id, format!("{who}'s SM2 signature does not verify")),
    }
}

pub(crate) fn extra(opts: &VerifyOptions) -> Vec<Certificate> {
    opts.extra_certs
        .iter()
        .filter_map(|c| Certificate::from_der(c).ok())
        .collect()
}

/// The four `{prefix}.*` checks, or four failures when the certificate does not parse.
fn cert_checks(
    ctx: &Context<'_>,
    cert: &std::result::Result<Certificate, crate::Error>,
    extra: &[Certificate],
    at: Time,
    now: Time,
    prefix: &str,
) -> Vec<Check> {
    match cert {
        Ok(c) => {
            let opts = CertOptions {
                at,
                now,
                purpose: Purpose::Signing,
            };
            check_certificate_in(ctx, c, extra, &opts, prefix)
        }
        Err(e) => ["chain", "validity", "revocation", "key_usage"]
            .iter()
            .map(|s| {
                Check::fail(
                    &format!("{prefix}.{s}"),
                    format!("certificate cannot be parsed: {}", e.detail()),
                )
            })
            .collect(),
    }
}

/// The seal's own checks, `seal_signature` and `maker_cert.*` judged at createDate (GB/T 38540
/// §7.3), shared by every signature carrying the seal: from the context's cache when it has
/// one (and no untrusted certificates were offered).
fn seal_checks(
    ctx: &Context<'_>,
    seal: &Seal,
    extra: &[Certificate],
    now: Time,
) -> Arc<SealChecks> {
    ctx.seal_checks(seal.raw_der(), now, extra.is_empty(), || {
        let maker = ctx.parse_certificate(&seal.cert);
        SealChecks {
            seal_signature: sm2_check(
                ids::SEAL_SIGNATURE,
                "maker",
                maker.as_ref().ok(),
                &seal.sign_alg,
                seal.signed_bytes(),
                &seal.signed_value,
            ),
            maker: cert_checks(
                ctx,
                &maker,
                extra,
                seal.seal_info.property.create_date,
                now,
                "maker_cert",
            ),
        }
    })
}

/// `maker_cert.*` of a seal used in a signature: the checks at createDate (`at_created`),
/// unless they fail `maker_cert.validity` for a reason the signing time settles.
///
/// Real production seals disagree with the standard here: the tax e-invoice seals of the State
/// Taxation Administration (e.g. the Jiangsu invoice sample) carry a createDate a few days
/// before their maker certificate's notBefore. When the seal is used in a signature, such a
/// certificate is judged again at the signing time: if it was valid then, `maker_cert.validity`
/// is a warning naming the discrepancy instead of a failure. Without a signing time (a bare
/// seal) the standard's rule stands.
fn maker_cert_checks(
    ctx: &Context<'_>,
    at_created: &[Check],
    extra: &[Certificate],
    seal: &Seal,
    used_at: Option<Time>,
    now: Time,
) -> Vec<Check> {
    let validity_failed = at_created
        .iter()
        .any(|c| c.id == ids::MAKER_CERT_VALIDITY && c.status == crate::report::Status::Fail);
    let Some(used) = used_at.filter(|_| validity_failed) else {
        return at_created.to_vec();
    };
    let maker = ctx.parse_certificate(&seal.cert);
    let created = seal.seal_info.property.create_date;
    let Ok(cert) = &maker else {
        return at_created.to_vec();
    };
    if created >= cert.not_before() || !cert.is_valid_at(used) {
        return at_created.to_vec();
    }
    let mut later = cert_checks(ctx, &maker, extra, used, now, "maker_cert");
    for c in &mut later {
        if c.id == ids::MAKER_CERT_VALIDITY && c.status != crate::report::Status::Fail {
            c.status = crate::report::Status::Warn;
            c.message = format!(
                "the seal's createDate {created} precedes the maker certificate's notBefore {}; \
                 the certificate was valid when the seal was used ({used}): {}",
                cert.not_before(),
                c.message
            );
        }
    }
    later
}

pub(crate) fn format_check(what: &str, v: Version, field: &str, number: i64) -> Check {
    Check::pass(
        ids::FORMAT,
        format!("{what} {} ({field} {number})", v.format_name()),
    )
}

/// Verifies a seal given as DER: a [`Report`] of kind `seal`.
pub fn verify_seal(der: &[u8], store: &TrustStore, opts: &VerifyOptions) -> Report {
    verify_seal_in(&Context::new(store), der, opts)
}

/// [`verify_seal`] in a verification context.
pub fn verify_seal_in(ctx: &Context<'_>, der: &[u8], opts: &VerifyOptions) -> Report {
    match Seal::from_der(der) {
        Ok(seal) => verify_seal_parsed_in(ctx, &seal, opts),
        Err(e) => Report::from_error("", Kind::Seal, &e),
    }
}

/// Verifies a decoded seal: `format`, `seal_signature`, `seal_validity` (the reference time
/// [`VerifyOptions::now`] within [validStart, validEnd]), `maker_cert.*` at createDate and,
/// when present, the v5 `timestamp` over signedValue. The seal's facts and format are put in
/// `report.extra` (`seal`, `format`).
pub fn verify_seal_parsed(seal: &Seal, store: &TrustStore, opts: &VerifyOptions) -> Report {
    verify_seal_parsed_in(&Context::new(store), seal, opts)
}

/// [`verify_seal_parsed`] in a verification context.
pub fn verify_seal_parsed_in(ctx: &Context<'_>, seal: &Seal, opts: &VerifyOptions) -> Report {
    let mut r = Report::new("", Kind::Seal);
    r.checks.push(format_check(
        "SESeal",
        seal.version,
        "header version",
        seal.seal_info.header.version,
    ));
    let part = seal_checks(ctx, seal, &extra(opts), opts.now);
    r.checks.push(part.seal_signature.clone());
    r.checks.push(seal_validity_at_reference(seal, opts.now));
    r.checks.extend(part.maker.iter().cloned());
    if let Some(ts) = &seal.timestamp {
        r.checks
            .push(verify_token(ts, &seal.signed_value, ctx.store(), opts.now).check);
    }
    if let Ok(v) = serde_json::to_value(seal.report_info()) {
        r.extra.insert("seal".into(), v);
    }
    r.extra
        .insert("format".into(), seal.version.format_name().into());
    r.finish();
    r
}

pub(crate) fn hash_data(data: DataInput<'_>) -> std::result::Result<[u8; 32], String> {
    match data {
        DataInput::Bytes(b) => Ok(sm3(b)),
        DataInput::Reader(r) => {
            crate::crypto::sm3::sm3_reader(r).map_err(|e| format!("cannot read the data: {e}"))
        }
        DataInput::Hash(h) => Ok(h),
    }
}

/// Verifies a seal signature given as DER, with the protected data when given.
pub fn verify_ses_signature(
    der: &[u8],
    data: Option<DataInput<'_>>,
    store: &TrustStore,
    opts: &VerifyOptions,
) -> SignatureReport {
    verify_ses_signature_in(&Context::new(store), der, data, opts)
}

/// [`verify_ses_signature`] in a verification context: with a cache, the seal's own checks
/// are computed once per seal, certificates parsed once and paths validated once, for the
/// same report.
pub fn verify_ses_signature_in(
    ctx: &Context<'_>,
    der: &[u8],
    data: Option<DataInput<'_>>,
    opts: &VerifyOptions,
) -> SignatureReport {
    match SesSignature::from_der(der) {
        Ok(s) => verify_ses_signature_parsed_in(ctx, &s, data, opts),
        Err(e) => {
            let mut checks = vec![Check::fail(ids::FORMAT, e.to_string())];
            for id in [
                ids::SIGNATURE,
                ids::SIGNER_IN_SEAL,
                ids::SEAL_SIGNATURE,
                ids::SEAL_VALIDITY,
                ids::MAKER_CERT_CHAIN,
                ids::MAKER_CERT_VALIDITY,
                ids::MAKER_CERT_REVOCATION,
                ids::MAKER_CERT_KEY_USAGE,
                ids::SIGNER_CERT_CHAIN,
                ids::SIGNER_CERT_VALIDITY,
                ids::SIGNER_CERT_REVOCATION,
                ids::SIGNER_CERT_KEY_USAGE,
                ids::TIMESTAMP,
                ids::DATA_HASH,
            ] {
                checks.push(Check::skip(
                    id,
                    "not checked: the signature cannot be parsed",
                ));
            }
            let format = match super::detect(der) {
                Some(_)
                    if crate::asn1::Reader::new(der)
                        .read_sequence()
                        .map(|mut r| {
                            let _ = r.read_any();
                            let _ = r.read_any();
                            r.is_empty()
                        })
                        .unwrap_or(false) =>
                {
                    "ses-v1"
                }
                _ => "ses-v4",
            };
            SignatureReport::new(opts.id.clone(), format, checks)
        }
    }
}

/// Verifies a decoded seal signature (see the module docs for the checks).
pub fn verify_ses_signature_parsed(
    s: &SesSignature,
    data: Option<DataInput<'_>>,
    store: &TrustStore,
    opts: &VerifyOptions,
) -> SignatureReport {
    verify_ses_signature_parsed_in(&Context::new(store), s, data, opts)
}

/// [`verify_ses_signature_parsed`] in a verification context.
pub fn verify_ses_signature_parsed_in(
    ctx: &Context<'_>,
    s: &SesSignature,
    data: Option<DataInput<'_>>,
    opts: &VerifyOptions,
) -> SignatureReport {
    let seal = s.seal();
    let signer = ctx.parse_certificate(&s.cert);
    let ex = extra(opts);

    // The timestamp is checked first: a valid one gives the trusted signing time.
    let ts: Option<TimestampResult> = s
        .timestamp
        .as_ref()
        .map(|t| verify_token(t, &s.signature, ctx.store(), opts.now));
    let claimed = s.tbs.time_info;
    let at = ts.as_ref().and_then(|t| t.time).or(claimed);
    let part = seal_checks(ctx, seal, &ex, opts.now);

    let mut checks = Vec::with_capacity(16);
    checks.push(format_check(
        "SES_Signature",
        s.version,
        "TBS_Sign version",
        s.tbs.version,
    ));
    checks.push(sm2_check(
        ids::SIGNATURE,
        "signer",
        signer.as_ref().ok(),
        &s.signature_alg,
        s.tbs_bytes(),
        &s.signature,
    ));
    checks.push(signer_in_seal(seal, &s.cert));
    checks.push(part.seal_signature.clone());
    checks.push(seal_validity(seal, at));
    checks.extend(maker_cert_checks(ctx, &part.maker, &ex, seal, at, opts.now));
    checks.extend(cert_checks(
        ctx,
        &signer,
        &ex,
        at.unwrap_or(opts.now),
        opts.now,
        "signer_cert",
    ));
    checks.push(match ts {
        Some(t) => t.check,
        None => Check::skip(ids::TIMESTAMP, "no timestamp"),
    });
    checks.push(match data {
        None => Check::skip(ids::DATA_HASH, "no data given"),
        Some(d) => match hash_data(d) {
            Err(m) => Check::fail(ids::DATA_HASH, m),
            Ok(h) if h.as_slice() == s.tbs.data_hash.as_slice() => {
                Check::pass(ids::DATA_HASH, "SM3 of the data equals dataHash")
            }
            Ok(_) => Check::fail(ids::DATA_HASH, "SM3 of the data does not equal dataHash"),
        },
    });
    let mut r = SignatureReport::new(opts.id.clone(), s.version.format_name(), checks);
    r.signing_time = claimed.map(|t| t.to_rfc3339());
    r.signer = signer.as_ref().ok().map(|c| c.signer_info());
    r.seal = Some(seal.report_info());
    r
}

/// `seal_validity`: the signing time within [validStart, validEnd]; for v5 seals also not
/// before createDate.
pub(crate) fn seal_validity(seal: &Seal, at: Option<Time>) -> Check {
    let p = &seal.seal_info.property;
    let Some(t) = at else {
        return Check::indeterminate(
            ids::SEAL_VALIDITY,
            "the signing time cannot be read (free-form v1 timeInfo)",
        );
    };
    if p.valid_start > p.valid_end {
        return Check::fail(
            ids::SEAL_VALIDITY,
            "the seal's validStart is after its validEnd",
        );
    }
    if seal.version == Version::V5 && t < p.create_date {
        return Check::fail(
            ids::SEAL_VALIDITY,
            format!(
                "signing time {t} is before the seal's createDate {}",
                p.create_date
            ),
        );
    }
    if t < p.valid_start || t > p.valid_end {
        return Check::fail(
            ids::SEAL_VALIDITY,
            format!(
                "signing time {t} is outside the seal's validity {} to {}",
                p.valid_start, p.valid_end
            ),
        );
    }
    Check::pass(
        ids::SEAL_VALIDITY,
        format!(
            "signing time {t} is within {} to {}",
            p.valid_start, p.valid_end
        ),
    )
}

/// `seal_validity` of a seal verified on its own: the reference time `at` (the caller's `--at`,
/// default now) within [validStart, validEnd].
pub(crate) fn seal_validity_at_reference(seal: &Seal, at: Time) -> Check {
    let p = &seal.seal_info.property;
    if p.valid_start > p.valid_end {
        return Check::fail(
            ids::SEAL_VALIDITY,
            "the seal's validStart is after its validEnd",
        );
    }
    if at < p.valid_start {
        return Check::fail(
            ids::SEAL_VALIDITY,
            format!(
                "at the reference time {at} the seal is not yet valid (validStart {})",
                p.valid_start
            ),
        );
    }
    if at > p.valid_end {
        return Check::fail(
            ids::SEAL_VALIDITY,
            format!(
                "at the reference time {at} the seal has expired (validEnd {})",
                p.valid_end
            ),
        );
    }
    Check::pass(
        ids::SEAL_VALIDITY,
        format!(
            "reference time {at} is within {} to {}",
            p.valid_start, p.valid_end
        ),
    )
}

/// `signer_in_seal`: the signer certificate is in the seal's certList (certificates or their
/// digests). A vendor list that holds no certificate at all, only identifiers (e.g. an
/// `IA5String` "1" in GM/T 0031-2014 seals), cannot be matched: indeterminate, saying what the
/// list holds.
pub(crate) fn signer_in_seal(seal: &Seal, cert: &[u8]) -> Check {
    if let CertList::Other(entries) = &seal.seal_info.property.cert_list
        && !entries.iter().any(|e| e.certificate().is_some())
    {
        let what: Vec<String> = entries.iter().map(|e| e.describe()).collect();
        return Check::indeterminate(
            ids::SIGNER_IN_SEAL,
            format!(
                "certList holds identifiers, not certificates ({}): the signer certificate \
                 cannot be matched to the seal",
                if what.is_empty() {
                    "empty".to_string()
                } else {
                    what.join(", ")
                }
            ),
        );
    }
    match find_in_seal(seal, cert) {
        Ok(m) => Check::pass(ids::SIGNER_IN_SEAL, m),
        Err(m) => Check::fail(ids::SIGNER_IN_SEAL, m),
    }
}
