//! Certificate verification as named checks (DESIGN §4.3, ETSI EN 319 102-1 outcomes).
//!
//! [`check_certificate`] returns four checks, `{prefix}.chain`, `{prefix}.validity`,
//! `{prefix}.revocation` and `{prefix}.key_usage`, judged at the caller's reference time
//! [`CertOptions::at`] (the signing time for a signer, the seal's createDate for a maker):
//!
//! - **chain**: pass when a path to a trust anchor validates (see [`crate::pki::path`]); fail when a
//!   path exists by names but a signature is bad, an intermediate is not a CA, a
//!   pathLenConstraint is exceeded, a CA lacks keyCertSign or an unknown critical extension is
//!   present; indeterminate when no anchor is reachable or the work budget ran out. A certificate
//!   that is itself a trust anchor passes.
//! - **validity**: fail when `at` lies outside [notBefore, notAfter] of the certificate or of a
//!   certificate of its path (the message says which); warn when everything is valid at `at` but
//!   something has expired by `now`.
//! - **revocation** (RFC 5280 §6.3, direct complete CRLs): for each certificate of the path below
//!   the anchor, the CRLs of the store whose issuer name matches and whose signature verifies with
//!   the issuer's key (which must have cRLSign when it has keyUsage and is not an anchor), with
//!   `thisUpdate <= now`. Fail when one lists the serial with `revocationDate <= at`; warn when
//!   the revocation date is after `at`; indeterminate when CRLs were supplied for the issuer but
//!   none is usable, or none is fresh for `at` (fresh: `thisUpdate >= at`, or `nextUpdate >= at`);
//!   pass when a fresh CRL does not list it. **When the caller supplied no CRL at all for an
//!   issuer the check is `skip` ("no CRL supplied")**: revocation checking is then the caller's
//!   choice, and every certificate would otherwise be indeterminate. A trust anchor passes.
//! - Algorithms: SM2-with-SM3, and RSA (PKCS#1 v1.5, PSS) / ECDSA (P-256, P-384) with SHA-2
//!   through [`crate::pki::alg`]; a signature over SHA-1 or by an unknown algorithm on the path
//!   makes **chain** indeterminate; an intermediate CA with an RSA key below 2048 bits makes a
//!   passing **chain** a warn (the trust anchor's own key is the caller's choice).
//! - **key_usage** of the certificate itself for [`Purpose`]: fail when keyUsage is present and
//!   lacks the purpose's bits (digitalSignature or nonRepudiation), or, for time stamping, when
//!   extendedKeyUsage lacks id-kp-timeStamping (RFC 3161 §2.3); pass otherwise.

use crate::pki::Time;
use crate::pki::cert::Certificate;
use crate::pki::context::Context;
use crate::pki::crl::Crl;
use crate::pki::ext::{KP_TIME_STAMPING, KeyUsage};
use crate::pki::path::{Budget, PathError, build_path};
use crate::pki::store::TrustStore;
use crate::report::{Check, Kind, Report, Status};

/// What the certificate is to be used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Signatures (seals, documents): keyUsage, when present, needs digitalSignature or
    /// nonRepudiation.
    Signing,
    /// Time-stamp tokens: extendedKeyUsage must include id-kp-timeStamping.
    TimeStamping,
    /// No usage requirement.
    Any,
}

/// Options for certificate checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CertOptions {
    /// Reference time the certificate is judged at (signing time, createDate, or now).
    pub at: Time,
    /// The current time (for warnings about later expiry or revocation).
    pub now: Time,
    /// Required usage.
    pub purpose: Purpose,
}

impl CertOptions {
    /// Options judging at the current time.
    pub fn now(purpose: Purpose) -> Self {
        let now = Time::now();
        CertOptions {
            at: now,
            now,
            purpose,
        }
    }
}

/// The revocation status of one certificate of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revocation {
    /// A trust anchor: not checked.
    Anchor,
    /// No CRL from the issuer was supplied.
    NoCrl,
    /// A fresh CRL (its thisUpdate given) does not list the certificate.
    Good(Time),
    /// Revoked at or before the reference time.
    Revoked {
        /// revocationDate.
        date: Time,
        /// CRLReason, if given.
        reason: Option<u8>,
    },
    /// Revoked after the reference time (not revoked at `at`, but the caller should know).
    RevokedLater {
        /// revocationDate.
        date: Time,
        /// CRLReason, if given.
        reason: Option<u8>,
    },
    /// CRLs were supplied but none could decide (why).
    Unknown(String),
}

impl Revocation {
    fn status(&self) -> Status {
        match self {
            Revocation::Anchor | Revocation::Good(_) => Status::Pass,
            Revocation::NoCrl => Status::Skip,
            Revocation::Revoked { .. } => Status::Fail,
            Revocation::RevokedLater { .. } => Status::Warn,
            Revocation::Unknown(_) => Status::Indeterminate,
        }
    }
}

/// Everything learnt about one certificate: the path (or why there is none) and the revocation
/// status of each of its certificates.
#[derive(Clone, Debug)]
pub struct Validation {
    /// The validated path, target first and anchor last, or why none was found.
    pub path: Result<Vec<Certificate>, PathError>,
    /// Revocation status of each certificate checked (the path minus its anchor, or the target
    /// alone when there is no path), with that certificate.
    pub revocation: Vec<(Certificate, Revocation)>,
}

fn reason_text(reason: Option<u8>) -> String {
    const NAMES: [&str; 11] = [
        "unspecified",
        "keyCompromise",
        "cACompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
        "7",
        "removeFromCRL",
        "privilegeWithdrawn",
        "aACompromise",
    ];
    match reason {
        Some(r) => format!(
            " (reason {})",
            NAMES.get(r as usize).copied().unwrap_or("unknown")
        ),
        None => String::new(),
    }
}

/// The revocation status of `cert`, issued by `issuer` (`None` when the issuer is unknown).
pub fn revocation_status(
    cert: &Certificate,
    issuer: Option<(&Certificate, bool)>,
    crls: &[Crl],
    opts: &CertOptions,
) -> Revocation {
    let from_issuer: Vec<&Crl> = crls
        .iter()
        .filter(|c| c.issuer_name().matches(cert.issuer_name()))
        .collect();
    if from_issuer.is_empty() {
        return Revocation::NoCrl;
    }
    let Some((issuer, issuer_is_anchor)) = issuer else {
        return Revocation::Unknown(
            "issuer certificate not found: its CRL cannot be checked".into(),
        );
    };
    if !issuer_is_anchor
        && issuer
            .key_usage()
            .is_some_and(|ku| !ku.any(KeyUsage::CRL_SIGN))
    {
        return Revocation::Unknown(format!(
            "issuer \"{}\" keyUsage lacks cRLSign",
            issuer.subject()
        ));
    }
    let key = match issuer.subject_key() {
        Ok(k) => k,
        Err(e) => return Revocation::Unknown(format!("issuer key unusable: {e}")),
    };
    let mut why = String::new();
    let mut usable: Vec<&Crl> = Vec::new();
    for crl in from_issuer {
        let key_mismatch = matches!(
            (crl.authority_key_id(), issuer.subject_key_id()),
            (Some(a), Some(s)) if a != s
        );
        if key_mismatch {
            why = "CRL authorityKeyIdentifier does not match the issuer".into();
        } else if let Some(u) = crl.unsupported().first() {
            why = format!("CRL not usable: {u}");
        } else if crl.verify_signed_by_key(key).is_err() {
            why = "CRL signature does not verify with the issuer's key".into();
        } else if crl.this_update() > opts.now {
            why = format!("CRL thisUpdate {} is in the future", crl.this_update());
        } else {
            usable.push(crl);
        }
    }
    if usable.is_empty() {
        return Revocation::Unknown(why);
    }
    let newest = usable
        .iter()
        .map(|c| c.this_update())
        .max()
        .unwrap_or(Time(i64::MIN));
    let mut earliest: Option<(Time, Option<u8>)> = None;
    for crl in &usable {
        if let Some(entry) = crl.find(cert.serial()) {
            // certificateHold may be lifted: only the newest CRL counts for it.
            if entry.reason == Some(6) && crl.this_update() < newest {
                continue;
            }
            if earliest.is_none_or(|(d, _)| entry.date < d) {
                earliest = Some((entry.date, entry.reason));
            }
        }
    }
    if let Some((date, reason)) = earliest {
        return if date <= opts.at {
            Revocation::Revoked { date, reason }
        } else {
            Revocation::RevokedLater { date, reason }
        };
    }
    let fresh = usable
        .iter()
        .filter(|c| c.this_update() >= opts.at || c.next_update().is_some_and(|n| n >= opts.at))
        .map(|c| c.this_update())
        .max();
    match fresh {
        Some(t) => Revocation::Good(t),
        None => Revocation::Unknown(format!(
            "CRL is stale: issued {} with nextUpdate {}, before {}",
            newest,
            usable
                .iter()
                .filter_map(|c| c.next_update())
                .max()
                .map(|t| t.to_string())
                .unwrap_or_else(|| "absent".into()),
            opts.at
        )),
    }
}

/// Builds the path and checks revocation, with an explicit budget.
pub fn validate(
    cert: &Certificate,
    extra_certs: &[Certificate],
    store: &TrustStore,
    opts: &CertOptions,
    budget: &Budget,
) -> Validation {
    let path = build_path(cert, extra_certs, store, opts.at, budget);
    let mut revocation = Vec::new();
    match &path {
        Ok(p) if p.len() == 1 => revocation.push((cert.clone(), Revocation::Anchor)),
        Ok(p) => {
            for (i, c) in p.iter().enumerate().take(p.len() - 1) {
                let issuer = &p[i + 1];
                let status =
                    revocation_status(c, Some((issuer, i + 2 == p.len())), store.crls(), opts);
                revocation.push((c.clone(), status));
            }
        }
        Err(_) => {
            // Best effort: the CRL is checked with the key of each certificate named as the
            // issuer (and not excluded by the key identifiers) until one decides.
            let aki = cert.authority_key_id();
            let candidates: Vec<(&Certificate, bool)> = store
                .anchors()
                .iter()
                .map(|a| (a, true))
                .chain(
                    extra_certs
                        .iter()
                        .chain(store.intermediates())
                        .map(|c| (c, false)),
                )
                .filter(|(c, _)| c.subject_name().matches(cert.issuer_name()))
                .filter(|(c, _)| match (aki, c.subject_key_id()) {
                    (Some(a), Some(s)) => a == s,
                    _ => true,
                })
                .take(budget.max_signatures)
                .collect();
            let mut status = revocation_status(cert, None, store.crls(), opts);
            for issuer in candidates {
                status = revocation_status(cert, Some(issuer), store.crls(), opts);
                if !matches!(status, Revocation::Unknown(_)) {
                    break;
                }
            }
            revocation.push((cert.clone(), status));
        }
    }
    Validation { path, revocation }
}

fn role(i: usize, len: usize) -> &'static str {
    if i == 0 {
        "certificate"
    } else if i + 1 == len {
        "trust anchor"
    } else {
        "intermediate"
    }
}

fn chain_check(id: &str, v: &Validation) -> Check {
    match &v.path {
        Ok(p) if p.len() == 1 => Check::pass(id, "the certificate is a trust anchor"),
        Ok(p) => {
            let msg = format!(
                "path of {} certificates to trust anchor \"{}\"",
                p.len(),
                p.last().map(|a| a.subject()).unwrap_or_default()
            );
            // A weak key (RSA below 2048 bits) among the signing CAs: the path holds, but
            // the caller should know (see crate::pki::alg).
            let weak = p[1..p.len() - 1]
                .iter()
                .find_map(|c| Some((c, c.subject_key().ok()?.weakness()?)));
            match weak {
                Some((c, w)) => Check::warn(id, format!("{msg}; CA \"{}\": {w}", c.subject())),
                None => Check::pass(id, msg),
            }
        }
        Err(e) => Check::new(id, e.status(), e.to_string()),
    }
}

fn validity_check(id: &str, cert: &Certificate, v: &Validation, opts: &CertOptions) -> Check {
    let path: Vec<Certificate> = match &v.path {
        Ok(p) => p.clone(),
        Err(_) => vec![cert.clone()],
    };
    let len = path.len();
    for (i, c) in path.iter().enumerate() {
        let who = if i == 0 {
            "certificate".to_string()
        } else {
            format!("{} \"{}\"", role(i, len), c.subject())
        };
        if opts.at < c.not_before() {
            return Check::fail(
                id,
                format!(
                    "{who} is not yet valid at {}: notBefore {}",
                    opts.at,
                    c.not_before()
                ),
            );
        }
        if opts.at > c.not_after() {
            return Check::fail(
                id,
                format!("{who} expired at {}, before {}", c.not_after(), opts.at),
            );
        }
    }
    for (i, c) in path.iter().enumerate() {
        if opts.now > c.not_after() {
            let who = if i == 0 {
                "certificate".to_string()
            } else {
                format!("{} \"{}\"", role(i, len), c.subject())
            };
            return Check::warn(
                id,
                format!(
                    "valid at {}, but {who} expired at {}",
                    opts.at,
                    c.not_after()
                ),
            );
        }
    }
    Check::pass(
        id,
        format!(
            "valid at {} ({} to {})",
            opts.at,
            cert.not_before(),
            cert.not_after()
        ),
    )
}

fn revocation_check(id: &str, v: &Validation) -> Check {
    if matches!(v.revocation.as_slice(), [(_, Revocation::Anchor)]) {
        return Check::pass(id, "the certificate is a trust anchor");
    }
    let rank = |s: Status| match s {
        Status::Fail => 4,
        Status::Indeterminate => 3,
        Status::Warn => 2,
        Status::Pass => 1,
        Status::Skip => 0,
    };
    let worst = v
        .revocation
        .iter()
        .map(|(_, r)| r.status())
        .max_by_key(|s| rank(*s))
        .unwrap_or(Status::Skip);
    let mut parts = Vec::new();
    for (i, (c, r)) in v.revocation.iter().enumerate() {
        let who = if i == 0 {
            "certificate".to_string()
        } else {
            format!("intermediate \"{}\"", c.subject())
        };
        let serial = c.serial_hex();
        parts.push(match r {
            Revocation::Anchor => format!("{who} is a trust anchor"),
            Revocation::NoCrl => format!("{who}: no CRL supplied"),
            Revocation::Good(t) => format!("{who} not revoked (CRL of {t})"),
            Revocation::Revoked { date, reason } => {
                format!(
                    "{who} (serial {serial}) revoked at {date}{}",
                    reason_text(*reason)
                )
            }
            Revocation::RevokedLater { date, reason } => format!(
                "{who} (serial {serial}) revoked at {date}{}, after the reference time",
                reason_text(*reason)
            ),
            Revocation::Unknown(why) => format!("{who}: revocation status unknown: {why}"),
        });
    }
    Check::new(id, worst, parts.join("; "))
}

fn key_usage_check(id: &str, cert: &Certificate, purpose: Purpose) -> Check {
    let ku = cert.key_usage();
    let ku_text = ku.map(|k| k.names().join(", ")).unwrap_or_default();
    let signing_bits = KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION;
    match purpose {
        Purpose::Any => Check::pass(id, "no usage required"),
        Purpose::Signing => match ku {
            None => Check::pass(id, "no keyUsage extension: any usage allowed"),
            Some(k) if k.any(signing_bits) => Check::pass(id, format!("keyUsage: {ku_text}")),
            Some(_) => Check::fail(
                id,
                format!("keyUsage ({ku_text}) allows neither digitalSignature nor nonRepudiation"),
            ),
        },
        Purpose::TimeStamping => {
            if let Some(k) = ku
                && !k.any(signing_bits)
            {
                return Check::fail(
                    id,
                    format!(
                        "keyUsage ({ku_text}) allows neither digitalSignature nor nonRepudiation"
                    ),
                );
            }
            match cert.ext_key_usage() {
                Some(eku) if eku.iter().any(|o| o == KP_TIME_STAMPING) => {
                    Check::pass(id, "extendedKeyUsage includes timeStamping")
                }
                Some(_) => Check::fail(id, "extendedKeyUsage lacks timeStamping"),
                None => Check::fail(id, "no extendedKeyUsage: timeStamping required"),
            }
        }
    }
}

/// The four checks `{prefix}.chain`, `{prefix}.validity`, `{prefix}.revocation`,
/// `{prefix}.key_usage` (prefix `cert`, `maker_cert` or `signer_cert`), judged at `opts.at`;
/// `extra_certs` are untrusted intermediates carried by the document (e.g. a CMS bag). Uses the
/// default [`Budget`]. [`check_certificate_in`] with an uncached context over `store`.
pub fn check_certificate(
    cert: &Certificate,
    extra_certs: &[Certificate],
    store: &TrustStore,
    opts: &CertOptions,
    prefix: &str,
) -> Vec<Check> {
    check_certificate_in(&Context::new(store), cert, extra_certs, opts, prefix)
}

/// [`check_certificate`] in a verification context (its trust store, and its cache of path
/// validations when it has one).
pub fn check_certificate_in(
    ctx: &Context<'_>,
    cert: &Certificate,
    extra_certs: &[Certificate],
    opts: &CertOptions,
    prefix: &str,
) -> Vec<Check> {
    let v = ctx.validate(cert, extra_certs, opts);
    checks_of(cert, &v, opts, prefix)
}

/// The four checks for an already computed [`Validation`].
pub fn checks_of(
    cert: &Certificate,
    v: &Validation,
    opts: &CertOptions,
    prefix: &str,
) -> Vec<Check> {
    vec![
        chain_check(&format!("{prefix}.chain"), v),
        validity_check(&format!("{prefix}.validity"), cert, v, opts),
        revocation_check(&format!("{prefix}.revocation"), v),
        key_usage_check(&format!("{prefix}.key_usage"), cert, opts.purpose),
    ]
}

/// The `format` check of a certificate report: pass naming the key ("an SM2 key", "an RSA
/// 2048-bit key", "an ECDSA P-256 key"), warn for a weak key (RSA below 2048 bits) or a key
/// algorithm that is not supported, fail for an invalid key.
pub fn format_check(cert: &Certificate) -> Check {
    let id = crate::report::ids::FORMAT;
    match cert.subject_key() {
        Ok(k) => match k.weakness() {
            None => Check::pass(
                id,
                format!(
                    "X.509 v{} certificate with {}",
                    cert.version(),
                    k.describe()
                ),
            ),
            Some(w) => Check::warn(id, format!("X.509 v{} certificate: {w}", cert.version())),
        },
        Err(e) if e.kind() == crate::ErrorKind::Unsupported => {
            Check::warn(id, format!("X.509 v{} certificate: {e}", cert.version()))
        }
        Err(e) => Check::fail(id, e.to_string()),
    }
}

/// A whole report (kind `cert`) for one certificate: a `format` check, the four `cert.*`
/// checks, and `subject`, `issuer`, `serial`, `not_before`, `not_after` and (when a path was
/// found) `chain` (subjects, target first) in `report.extra`.
pub fn verify_certificate_report(
    path: &str,
    cert: &Certificate,
    store: &TrustStore,
    opts: &CertOptions,
) -> Report {
    verify_certificate_report_with(path, cert, &[], store, opts)
}

/// A report for certificate file contents: PEM (the first certificate is verified, the others
/// serve as untrusted intermediates) or one DER certificate. Unparseable input gives a report
/// with a failed `format` check and the error.
pub fn verify_certificate_bytes(
    path: &str,
    bytes: &[u8],
    store: &TrustStore,
    opts: &CertOptions,
) -> Report {
    match crate::pki::cert::parse_certificates(bytes) {
        Ok(certs) => match certs.split_first() {
            Some((cert, extra)) => verify_certificate_report_with(path, cert, extra, store, opts),
            None => Report::from_error(
                path,
                Kind::Cert,
                &crate::Error::new(crate::ErrorKind::MalformedCertificate, "no certificate"),
            ),
        },
        Err(e) => Report::from_error(path, Kind::Cert, &e),
    }
}

/// [`verify_certificate_report`] with untrusted intermediates given alongside the certificate
/// (e.g. the rest of a PEM bundle).
pub fn verify_certificate_report_with(
    path: &str,
    cert: &Certificate,
    extra_certs: &[Certificate],
    store: &TrustStore,
    opts: &CertOptions,
) -> Report {
    verify_certificate_report_in(&Context::new(store), path, cert, extra_certs, opts)
}

/// [`verify_certificate_report_with`] in a verification context (its trust store, and its
/// cache of path validations when it has one).
pub fn verify_certificate_report_in(
    ctx: &Context<'_>,
    path: &str,
    cert: &Certificate,
    extra_certs: &[Certificate],
    opts: &CertOptions,
) -> Report {
    let mut r = Report::new(path, Kind::Cert);
    r.checks.push(format_check(cert));
    let v = ctx.validate(cert, extra_certs, opts);
    r.checks.extend(checks_of(cert, &v, opts, "cert"));
    let s = serde_json::Value::String;
    r.extra.insert("subject".into(), s(cert.subject()));
    r.extra.insert("issuer".into(), s(cert.issuer()));
    r.extra.insert("serial".into(), s(cert.serial_hex()));
    r.extra
        .insert("not_before".into(), s(cert.not_before().to_string()));
    r.extra
        .insert("not_after".into(), s(cert.not_after().to_string()));
    if let Ok(p) = &v.path {
        r.extra.insert(
            "chain".into(),
            serde_json::Value::Array(p.iter().map(|c| s(c.subject())).collect()),
        );
    }
    r.finish();
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sm2::PrivateKey;
    use crate::pki::testutil::{Spec, make, make_crl};

    fn t(s: &str) -> Time {
        Time::parse_rfc3339(s).unwrap()
    }

    fn opts(at: &str, now: &str) -> CertOptions {
        CertOptions {
            at: t(at),
            now: t(now),
            purpose: Purpose::Signing,
        }
    }

    struct Pki {
        ca_key: PrivateKey,
        ca: Certificate,
        leaf: Certificate,
    }

    fn pki() -> Pki {
        let ca_key = PrivateKey::generate().unwrap();
        let ca = make(&Spec::ca("CA", "CA"), &ca_key, &ca_key);
        let mut s = Spec::leaf("Leaf", "CA");
        s.serial = 7;
        let leaf = make(&s, &PrivateKey::generate().unwrap(), &ca_key);
        Pki { ca_key, ca, leaf }
    }

    fn status(p: &Pki, crls: &[Crl], o: &CertOptions) -> Revocation {
        revocation_status(&p.leaf, Some((&p.ca, false)), crls, o)
    }

    #[test]
    fn revocation_rules() {
        let p = pki();
        let o = opts("2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z");
        assert_eq!(status(&p, &[], &o), Revocation::NoCrl);
        let revoked = [(7, "2025-06-01T00:00:00Z", Some(1))];
        let crl = make_crl(
            "CA",
            "2026-02-01T00:00:00Z",
            Some("2026-03-01T00:00:00Z"),
            &revoked,
            &p.ca_key,
        );
        assert_eq!(
            status(&p, std::slice::from_ref(&crl), &o),
            Revocation::Revoked {
                date: t("2025-06-01T00:00:00Z"),
                reason: Some(1)
            }
        );
        // Judged before the revocation: a warning-level fact, not a revocation.
        let early = opts("2025-01-01T00:00:00Z", "2026-06-01T00:00:00Z");
        assert!(matches!(
            status(&p, std::slice::from_ref(&crl), &early),
            Revocation::RevokedLater { .. }
        ));
        // Issued after `at`: fresh for `at` even though its nextUpdate has passed by now.
        let good = make_crl(
            "CA",
            "2026-02-01T00:00:00Z",
            Some("2026-03-01T00:00:00Z"),
            &[(8, "2025-06-01T00:00:00Z", None)],
            &p.ca_key,
        );
        assert_eq!(
            status(&p, std::slice::from_ref(&good), &o),
            Revocation::Good(t("2026-02-01T00:00:00Z"))
        );
        // Issued before `at` with nextUpdate before `at`: stale.
        let stale = make_crl(
            "CA",
            "2025-01-01T00:00:00Z",
            Some("2025-02-01T00:00:00Z"),
            &[],
            &p.ca_key,
        );
        assert!(matches!(
            status(&p, std::slice::from_ref(&stale), &o),
            Revocation::Unknown(_)
        ));
        // Issued before `at`, nextUpdate after it: current at `at`.
        let current = make_crl(
            "CA",
            "2025-12-01T00:00:00Z",
            Some("2026-01-15T00:00:00Z"),
            &[],
            &p.ca_key,
        );
        assert!(matches!(status(&p, &[current], &o), Revocation::Good(_)));
        // From the future (thisUpdate after now): unusable.
        let future = make_crl("CA", "2027-01-01T00:00:00Z", None, &[], &p.ca_key);
        assert!(matches!(
            status(&p, &[future], &o),
            Revocation::Unknown(m) if m.contains("future")
        ));
        // Signed by another key.
        let forged = make_crl(
            "CA",
            "2026-02-01T00:00:00Z",
            None,
            &[],
            &PrivateKey::generate().unwrap(),
        );
        assert!(matches!(
            status(&p, &[forged], &o),
            Revocation::Unknown(m) if m.contains("signature")
        ));
        // certificateHold lifted in a newer CRL.
        let hold = make_crl(
            "CA",
            "2026-02-01T00:00:00Z",
            None,
            &[(7, "2025-06-01T00:00:00Z", Some(6))],
            &p.ca_key,
        );
        let lifted = make_crl("CA", "2026-03-01T00:00:00Z", None, &[], &p.ca_key);
        assert!(matches!(
            status(&p, &[hold.clone(), lifted], &o),
            Revocation::Good(_)
        ));
        assert!(matches!(
            status(&p, &[hold], &o),
            Revocation::Revoked {
                reason: Some(6),
                ..
            }
        ));
        // Unknown issuer certificate: cannot check the CRL.
        assert!(matches!(
            revocation_status(&p.leaf, None, std::slice::from_ref(&crl), &o),
            Revocation::Unknown(_)
        ));
    }

    #[test]
    fn report_shape_and_anchor() {
        let p = pki();
        let mut store = TrustStore::new();
        store.add_anchor(p.ca.clone());
        store.add_crl(make_crl(
            "CA",
            "2026-02-01T00:00:00Z",
            None,
            &[(7, "2026-03-01T00:00:00Z", Some(4))],
            &p.ca_key,
        ));
        let o = opts("2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z");
        let r = verify_certificate_report("leaf.pem", &p.leaf, &store, &o);
        assert_eq!(r.verdict, crate::Verdict::Valid);
        let rev = r.find_check("cert.revocation").unwrap();
        assert_eq!(rev.status, Status::Warn);
        assert!(
            rev.message.contains("2026-03-01T00:00:00Z"),
            "{}",
            rev.message
        );
        let j = r.to_json();
        assert_eq!(j["kind"], "cert");
        assert_eq!(j["subject"], "CN=Leaf");
        assert_eq!(j["serial"], "07");
        assert_eq!(j["chain"][1], "CN=CA");
        let checks = check_certificate(&p.leaf, &[], &store, &o, "signer_cert");
        let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "signer_cert.chain",
                "signer_cert.validity",
                "signer_cert.revocation",
                "signer_cert.key_usage"
            ]
        );
        let checks = check_certificate(&p.ca, &[], &store, &o, "maker_cert");
        assert!(
            checks.iter().all(|c| c.status == Status::Pass),
            "{checks:?}"
        );
    }
}
