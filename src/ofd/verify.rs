//! Verification of a sealed OFD (GB/T 33190-2016 §18, GB/T 38540-2020 §7.3 "电子签章验证").
//!
//! Steps, for every `<Signature>` listed in every Signatures.xml the OFD.xml names:
//! 1. Signature.xml and the SignedValue are found (BaseLoc and SignedValue absolute, or relative
//!    to the referring file's folder) and parse; otherwise `format` fails;
//! 2. `Type="Seal"`: every check of [`crate::ses::verify_ses_signature`] (GB/T 38540 §7.3:
//!    format, signature, signer_in_seal, seal_signature, seal_validity, maker_cert.*,
//!    signer_cert.*, timestamp, and `data_hash` = SM3 of the exact bytes of Signature.xml);
//!    `property_info` warns when propertyInfo does not name this Signature.xml; `seal_file`:
//!    when Signature.xml names a Seal.esl, it equals the seal inside the signature;
//! 3. `Type="Sign"`: a CMS / GM/T 0010 SignedData ([`super::cms`]) or a bare SM2 signature
//!    over the Signature.xml bytes (checked with [`VerifyOptions::sign_certificate`]), with the
//!    signer_cert.* checks;
//! 4. `references`: every Reference's CheckValue equals the digest (SM3 unless CheckMethod says
//!    otherwise) of the exact bytes of the file it names; changed and missing files are named.
//!
//! Package-level checks: `unprotected_files` (files no signature protects, judged by what a
//! viewer uses them for, see [`super::coverage`]; listed in `extra.unprotected_files`, with
//! their roles in `extra.unprotected_file_roles`), `integrity` (a GM/T 0099 `OFDEntries.xml`
//! is recognised and listed in `extra.integrity_protection`, not verified) and, for electronic
//! licences, `licence` (see [`super::licence`]; the metadata goes to `extra.licence`).

use base64ct::{Base64, Encoding};

use std::collections::BTreeSet;

use super::cms;
use super::coverage;
use super::licence;
use super::package::{self, Limits, Package};
use super::xml::{self, CheckMethod, SignatureType};
use crate::crypto::sm2::Signature;
use crate::error::{Error, ErrorKind, Result};
use crate::pki::verify::{CertOptions, Purpose};
use crate::pki::{self, Certificate, Context, Time, TrustStore};
use crate::report::SignerInfo;
use crate::report::{Check, Kind, Report, SignatureReport, Status, ids};
use crate::ses;

/// Check id: Seal.esl equals the seal inside the signature value.
pub const CHECK_SEAL_FILE: &str = "seal_file";
/// Check id: the SES_Signature's propertyInfo names its Signature.xml (a warning otherwise).
pub const CHECK_PROPERTY_INFO: &str = "property_info";
/// Check id: the signature value does not match the Type given in Signatures.xml (a warning).
pub const CHECK_SIGNATURE_TYPE: &str = "signature_type";
/// Check id: files of the package that no signature protects.
pub const CHECK_UNPROTECTED_FILES: &str = "unprotected_files";
/// Check id: GM/T 0099 integrity protection (`OFDEntries.xml`) was found; it is listed, not
/// verified (indeterminate when it is the package's only protection, skipped beside seals).
pub const CHECK_INTEGRITY: &str = "integrity";
/// Check id: the electronic licence metadata is protected by a valid seal.
pub const CHECK_LICENCE: &str = "licence";

/// Options for [`verify_ofd`].
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Package limits (zip bombs, entry counts).
    pub limits: Limits,
    /// Report files that no signature protects as a warning instead of a failure or an
    /// indeterminate result (a DocRoot pointed at another document still fails).
    pub allow_unprotected: bool,
    /// Trust anchors, intermediates and CRLs for the certificate checks.
    pub trust: TrustStore,
    /// Signer certificate for `Type="Sign"` signatures that carry none: bare SM2 signatures
    /// (without it their `signature` check is indeterminate) and SignedData without
    /// certificates.
    pub sign_certificate: Option<Certificate>,
    /// The current time for certificate checks (default: the system clock).
    pub now: Option<Time>,
}

/// What one signature protects, for the package-level checks.
#[derive(Debug, Clone, Default)]
struct Coverage {
    /// Files named by the References (resolved paths).
    referenced: Vec<String>,
    /// Files belonging to the signature itself (Signature.xml, SignedValue.dat, Seal.esl).
    own: Vec<String>,
    /// Files named by a Reference whose digest no longer matches (resolved paths).
    changed: Vec<String>,
}

impl VerifyOptions {
    /// The verification context of these options' `trust` and `now` (uncached).
    pub fn context(&self) -> Context<'_> {
        Context::new(&self.trust).with_now(self.now)
    }
}

/// Verifies the OFD file at `path`.
pub fn verify_ofd_file(path: impl AsRef<std::path::Path>, opts: &VerifyOptions) -> Report {
    verify_ofd_file_in(&opts.context(), path, opts)
}

/// Verifies an OFD given as bytes; `name` is used as the report's path.
pub fn verify_ofd(name: &str, bytes: &[u8], opts: &VerifyOptions) -> Report {
    verify_ofd_in(&opts.context(), name, bytes, opts)
}

/// Verifies a package already read.
pub fn verify_package(name: &str, pkg: &Package, opts: &VerifyOptions) -> Report {
    verify_package_in(&opts.context(), name, pkg, opts)
}

/// [`verify_ofd_file`] in a verification context, which gives the trust store and the current
/// time (`opts.trust` and `opts.now` are not read) and optionally a cache.
pub fn verify_ofd_file_in(
    ctx: &Context<'_>,
    path: impl AsRef<std::path::Path>,
    opts: &VerifyOptions,
) -> Report {
    let p = path.as_ref();
    let name = p.display().to_string();
    match Package::open(p, &opts.limits) {
        Ok(pkg) => verify_package_in(ctx, &name, &pkg, opts),
        Err(e) => Report::from_error(name, Kind::Ofd, &e),
    }
}

/// [`verify_ofd`] in a verification context (see [`verify_ofd_file_in`]).
pub fn verify_ofd_in(ctx: &Context<'_>, name: &str, bytes: &[u8], opts: &VerifyOptions) -> Report {
    match Package::from_bytes(bytes, &opts.limits) {
        Ok(pkg) => verify_package_in(ctx, name, &pkg, opts),
        Err(e) => Report::from_error(name, Kind::Ofd, &e),
    }
}

/// [`verify_package`] in a verification context (see [`verify_ofd_file_in`]).
pub fn verify_package_in(
    ctx: &Context<'_>,
    name: &str,
    pkg: &Package,
    opts: &VerifyOptions,
) -> Report {
    match verify_inner(ctx, name, pkg, opts) {
        Ok(r) => r,
        Err(e) => Report::from_error(name, Kind::Ofd, &e),
    }
}

/// The Signatures.xml files named by OFD.xml (normalised paths), one per DocBody that has one.
pub(crate) fn signatures_files(pkg: &Package, ofd: &xml::OfdXml) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for body in &ofd.bodies {
        if let Some(loc) = &body.signatures {
            let p = package::resolve_in(pkg, "OFD.xml", loc)?;
            if !pkg.contains(&p) {
                return Err(Error::new(
                    ErrorKind::MalformedOfd,
                    format!(
                        "OFD.xml names {loc:?} as Signatures, but the package has no such file"
                    ),
                ));
            }
            out.push(p);
        }
    }
    Ok(out)
}

fn verify_inner(
    ctx: &Context<'_>,
    name: &str,
    pkg: &Package,
    opts: &VerifyOptions,
) -> Result<Report> {
    let ofd_bytes = pkg
        .get("OFD.xml")
        .ok_or_else(|| Error::new(ErrorKind::MalformedOfd, "package has no OFD.xml"))?;
    let ofd = xml::parse_ofd_xml(ofd_bytes)?;
    let mut report = Report::new(name, Kind::Ofd);
    let mut coverage: Vec<(Coverage, bool)> = Vec::new();
    // Per DocBody (in OFD.xml order): the files its signatures protect.
    let mut by_body: Vec<BTreeSet<String>> = Vec::new();
    for body in &ofd.bodies {
        let mut mine = BTreeSet::new();
        if let Some(loc) = &body.signatures {
            let sigs_path = package::resolve_in(pkg, "OFD.xml", loc)?;
            if !pkg.contains(&sigs_path) {
                return Err(Error::new(
                    ErrorKind::MalformedOfd,
                    format!(
                        "OFD.xml names {loc:?} as Signatures, but the package has no such file"
                    ),
                ));
            }
            let bytes = pkg.get(&sigs_path).unwrap_or_default();
            let list = xml::parse_signatures_xml(&sigs_path, bytes)?;
            for entry in &list.signatures {
                let (mut sr, cov) = verify_signature(ctx, pkg, &sigs_path, entry, opts);
                riding_layout(pkg, body, &sigs_path, entry, &mut sr);
                let ok = sr.verdict != crate::report::Verdict::Invalid;
                mine.extend(cov.referenced.iter().cloned());
                coverage.push((cov, ok));
                report.signatures.push(sr);
            }
        }
        by_body.push(mine);
    }

    // What no signature protects, judged by what a viewer uses it for.
    if !report.signatures.is_empty() {
        let protected: BTreeSet<String> = by_body.iter().flatten().cloned().collect();
        let own: BTreeSet<String> = coverage
            .iter()
            .flat_map(|(c, _)| c.own.iter().cloned())
            .collect();
        let everything = pkg.files().iter().all(|f| protected.contains(&f.name));
        let walk = if everything {
            coverage::Walk::default()
        } else {
            coverage::walk(pkg, &ofd)
        };
        let changed: BTreeSet<String> = coverage
            .iter()
            .flat_map(|(c, _)| c.changed.iter().cloned())
            .collect();
        let j = coverage::judge(
            pkg,
            &walk,
            &coverage::Protection {
                protected: &protected,
                by_body: &by_body,
                own: &own,
                changed: &changed,
            },
            CHECK_UNPROTECTED_FILES,
        );
        report.extra.insert(
            "unprotected_files".into(),
            serde_json::Value::from(
                j.unprotected
                    .iter()
                    .map(|u| u.file.clone())
                    .collect::<Vec<_>>(),
            ),
        );
        report.extra.insert(
            "unprotected_file_roles".into(),
            serde_json::Value::from(
                j.unprotected
                    .iter()
                    .map(|u| {
                        serde_json::json!({
                            "file": u.file,
                            "role": u.role.as_str(),
                            "status": u.status.as_str(),
                        })
                    })
                    .collect::<Vec<_>>(),
            ),
        );
        let mut check = j.check;
        // The caller may accept unprotected files; a DocRoot pointed elsewhere still fails.
        let swapped = check.message.contains("DocRoot");
        if opts.allow_unprotected
            && !swapped
            && matches!(check.status, Status::Fail | Status::Indeterminate)
        {
            check.status = Status::Warn;
        }
        report.checks.push(check);
    }

    // GM/T 0099 integrity protection: recognised and listed, not yet verified.
    if let Some(entries) = coverage::integrity_entries(pkg) {
        let files = integrity_files(pkg, &entries);
        report.extra.insert(
            "integrity_protection".into(),
            serde_json::json!({"entries": entries, "files": files}),
        );
        let msg = format!(
            "GM/T 0099 integrity protection found ({entries} lists {} files); this scheme is not verified",
            files.len()
        );
        report.checks.push(if report.signatures.is_empty() {
            Check::indeterminate(CHECK_INTEGRITY, msg)
        } else {
            Check::skip(CHECK_INTEGRITY, msg)
        });
    }

    // Electronic licence (电子证照): metadata, identifier, codes, issuer, validity, consistency
    // (see crate::licence); the first release's `licence` check repeats metadata_protected.
    let seals: Vec<_> = report
        .signatures
        .iter()
        .zip(&coverage)
        .map(|(s, (c, _))| (s, c.referenced.as_slice()))
        .collect();
    if let Some((checks, section)) = licence::check(pkg, &ofd, &seals, ctx.now()) {
        if let Some(p) = checks.first() {
            report
                .checks
                .push(Check::new(CHECK_LICENCE, p.status, p.message.clone()));
        }
        report.checks.extend(checks);
        report.extra.insert("licence".into(), section);
    }

    report.finish();
    Ok(report)
}

/// The files a GM/T 0099 `OFDEntries.xml` lists (FileList/File/@FileLoc), as written.
fn integrity_files(pkg: &Package, entries: &str) -> Vec<String> {
    let Some(doc) = pkg.get(entries).and_then(|b| xml::parse(entries, b).ok()) else {
        return Vec::new();
    };
    doc.root_element()
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "File")
        .filter_map(|n| xml::attr(n, "FileLoc").or_else(|| n.text()))
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn skip_rest(checks: &mut Vec<Check>, why: &str) {
    for id in [ids::REFERENCES, ids::DATA_HASH] {
        if !checks.iter().any(|c| c.id == id) {
            checks.push(Check::skip(id, why));
        }
    }
}

/// Verifies one signature entry of `sigs_path`.
fn verify_signature(
    ctx: &Context<'_>,
    pkg: &Package,
    sigs_path: &str,
    entry: &xml::SignatureEntry,
    opts: &VerifyOptions,
) -> (SignatureReport, Coverage) {
    let mut checks = Vec::new();
    let mut cov = Coverage::default();
    let default_format = match entry.kind {
        SignatureType::Seal => "ses",
        SignatureType::Sign => "sign",
    };
    let mut format = default_format.to_string();
    let mut signing_time = None;
    let mut parsed_time: Option<Time> = None;
    let signer: Option<SignerInfo>;
    let mut seal_info = None;

    let finish = |checks: Vec<Check>, format: String, signing_time: Option<String>| {
        let mut sr = SignatureReport::new(entry.id.clone(), format, checks);
        sr.signing_time = signing_time;
        sr
    };

    // Signature.xml
    let sig_path = match package::resolve_in(pkg, sigs_path, &entry.base_loc) {
        Ok(p) => p,
        Err(e) => {
            checks.push(Check::fail(ids::FORMAT, e.detail().to_string()));
            skip_rest(&mut checks, "Signature.xml not found");
            return (finish(checks, format, None), cov);
        }
    };
    let Some(sig_bytes) = pkg.get(&sig_path) else {
        checks.push(Check::fail(
            ids::FORMAT,
            format!("Signature.xml {:?} is not in the package", entry.base_loc),
        ));
        skip_rest(&mut checks, "Signature.xml not found");
        return (finish(checks, format, None), cov);
    };
    cov.own.push(sig_path.clone());
    let sx = match xml::parse_signature_xml(&sig_path, sig_bytes) {
        Ok(s) => s,
        Err(e) => {
            checks.push(Check::fail(ids::FORMAT, e.detail().to_string()));
            skip_rest(&mut checks, "Signature.xml cannot be parsed");
            return (finish(checks, format, None), cov);
        }
    };
    if let Some(t) = &sx.signature_date_time
        && let Ok(t) = xml::parse_date_time(t)
    {
        signing_time = Some(t.to_rfc3339());
        parsed_time = Some(t);
    }

    // SignedValue.dat
    let signed_value = match &sx.signed_value {
        None => Err(format!("{sig_path}: no SignedValue")),
        Some(loc) => match package::resolve_in(pkg, &sig_path, loc) {
            Err(e) => Err(e.detail().to_string()),
            Ok(p) => match pkg.get(&p) {
                Some(b) => {
                    cov.own.push(p.clone());
                    Ok(b)
                }
                None => Err(format!("SignedValue {loc:?} is not in the package")),
            },
        },
    };
    let seal_file = match &sx.seal_loc {
        None => None,
        Some(loc) => match package::resolve_in(pkg, &sig_path, loc) {
            Ok(p) => {
                cov.own.push(p.clone());
                Some((loc.clone(), pkg.get(&p)))
            }
            Err(_) => Some((loc.clone(), None)),
        },
    };

    // References.
    checks.push(check_references(pkg, &sig_path, &sx, &mut cov));

    let signed_value = match signed_value {
        Ok(b) => b,
        Err(msg) => {
            checks.insert(0, Check::fail(ids::FORMAT, msg));
            skip_rest(&mut checks, "no signature value");
            return (finish(checks, format, signing_time), cov);
        }
    };

    // Producers sometimes label the value wrongly: the content decides (a well-formed CMS
    // SignedData is checked as `Sign`, an SES_Signature as `Seal`), with a warning. A value of
    // neither kind keeps its declared type (and fails its format check).
    let kind = match (entry.kind, ses::detect(signed_value)) {
        (SignatureType::Sign, Some(ses::Kind::Signature)) => SignatureType::Seal,
        (SignatureType::Seal, None)
            if cms::parse(
                crate::asn1::ber_normalised(signed_value)
                    .as_deref()
                    .unwrap_or(signed_value),
            )
            .is_ok() =>
        {
            SignatureType::Sign
        }
        (k, _) => k,
    };
    let mislabelled = (kind != entry.kind).then(|| {
        Check::warn(
            CHECK_SIGNATURE_TYPE,
            format!(
                "Signatures.xml says Type=\"{}\" but the signature value is {}",
                type_name(entry.kind),
                match kind {
                    SignatureType::Seal => "an SES_Signature",
                    SignatureType::Sign => "a CMS SignedData",
                }
            ),
        )
    });
    match kind {
        SignatureType::Seal => {
            // GB/T 38540 §7.3: every SES check, with dataHash over the exact Signature.xml bytes.
            let ses_opts = ses::VerifyOptions {
                now: ctx.now(),
                extra_certs: Vec::new(),
                id: entry.id.clone(),
            };
            let sr = ses::verify_ses_signature_in(
                ctx,
                signed_value,
                Some(ses::DataInput::Bytes(sig_bytes)),
                &ses_opts,
            );
            let decoded = ses::SesSignature::from_der(signed_value).ok();
            let references = checks.pop();
            checks = sr.checks;
            checks.extend(references);
            if let Some(d) = &decoded {
                checks.push(check_property_info(&sig_path, &d.tbs.property_info));
            }
            checks.push(match (&seal_file, &decoded) {
                (None, _) => Check::skip(CHECK_SEAL_FILE, "no Seal.esl"),
                (Some((loc, None)), _) => Check::fail(
                    CHECK_SEAL_FILE,
                    format!("Seal {loc:?} is not in the package"),
                ),
                (Some(_), None) => Check::skip(CHECK_SEAL_FILE, "the signature cannot be parsed"),
                (Some((loc, Some(b))), Some(d)) if *b == d.seal().raw_der() => Check::pass(
                    CHECK_SEAL_FILE,
                    format!("{loc} equals the seal inside the signature"),
                ),
                (Some((loc, Some(_))), Some(_)) => Check::fail(
                    CHECK_SEAL_FILE,
                    format!("{loc} differs from the seal inside the signature"),
                ),
            });
            format = sr.format;
            signing_time = sr.signing_time.or(signing_time);
            signer = sr.signer;
            seal_info = sr.seal;
        }
        SignatureType::Sign => {
            let (f, first, rest, who) =
                verify_sign_value(ctx, sig_bytes, signed_value, parsed_time, opts);
            format = f;
            checks.splice(0..0, first.into_iter().take(1));
            checks.extend(rest);
            signer = who;
        }
    }
    checks.extend(mislabelled);
    let mut sr = finish(checks, format, signing_time);
    sr.signer = signer;
    sr.seal = seal_info;
    (sr, cov)
}

/// A riding seal's layout: the page of each StampAnnot (its PageRef among Document.xml's
/// pages). A StampAnnot whose page is gone fails `references` (if nothing failed yet).
fn riding_layout(
    pkg: &Package,
    body: &xml::DocBody,
    sigs_path: &str,
    entry: &xml::SignatureEntry,
    sr: &mut SignatureReport,
) {
    let Some(sx) = package::resolve_in(pkg, sigs_path, &entry.base_loc)
        .ok()
        .and_then(|p| xml::parse_signature_xml(&p, pkg.get(&p)?).ok())
    else {
        return;
    };
    if sx.stamp_annots.len() < 2 {
        return;
    }
    let Some(pages) = body
        .doc_root
        .as_deref()
        .and_then(|d| package::resolve_in(pkg, "OFD.xml", d).ok())
        .and_then(|d| super::sign::page_ids(pkg, &d).ok())
    else {
        return;
    };
    let strip_pages: Vec<Option<usize>> = sx
        .stamp_annots
        .iter()
        .map(|s| {
            pages
                .iter()
                .position(|p| *p == s.page_ref.trim())
                .map(|i| i + 1)
        })
        .collect();
    match crate::riding::layout(&strip_pages) {
        Ok(r) => sr.riding = r,
        Err(why) => {
            if let Some(c) = sr.checks.iter_mut().find(|c| c.id == ids::REFERENCES)
                && c.status != Status::Fail
            {
                *c = Check::fail(ids::REFERENCES, why);
                sr.update_verdict();
            }
        }
    }
}

fn type_name(t: SignatureType) -> &'static str {
    match t {
        SignatureType::Seal => "Seal",
        SignatureType::Sign => "Sign",
    }
}

fn check_references(
    pkg: &Package,
    sig_path: &str,
    sx: &xml::SignatureXml,
    cov: &mut Coverage,
) -> Check {
    let Some(method) = CheckMethod::parse(sx.check_method.as_deref()) else {
        return Check::fail(
            ids::REFERENCES,
            format!(
                "unknown CheckMethod {:?}",
                sx.check_method.as_deref().unwrap_or("")
            ),
        );
    };
    if sx.references.is_empty() {
        return Check::fail(ids::REFERENCES, "Signature.xml has no References");
    }
    let mut bad = Vec::new();
    let mut missing = Vec::new();
    for r in &sx.references {
        let path = match package::resolve_in(pkg, sig_path, &r.file_ref) {
            Ok(p) => p,
            Err(_) => {
                missing.push(r.file_ref.clone());
                continue;
            }
        };
        let Some(data) = pkg.get(&path) else {
            missing.push(r.file_ref.clone());
            continue;
        };
        let want = Base64::decode_vec(&r.check_value);
        match want {
            Ok(w) if w == method.digest(data) => cov.referenced.push(path),
            Ok(_) => {
                cov.changed.push(path);
                bad.push(r.file_ref.clone())
            }
            Err(_) => bad.push(format!("{} (CheckValue not base64)", r.file_ref)),
        }
    }
    if bad.is_empty() && missing.is_empty() {
        Check::pass(
            ids::REFERENCES,
            format!(
                "{} references match ({})",
                sx.references.len(),
                method.name()
            ),
        )
    } else {
        let mut parts = Vec::new();
        if !bad.is_empty() {
            parts.push(format!("changed: {}", bad.join(", ")));
        }
        if !missing.is_empty() {
            parts.push(format!("missing: {}", missing.join(", ")));
        }
        Check::fail(ids::REFERENCES, parts.join("; "))
    }
}

/// propertyInfo should name this Signature.xml (GB/T 38540 §7.2: the protection scope).
fn check_property_info(sig_path: &str, property_info: &str) -> Check {
    let scope = property_info.trim();
    if package::normalize(scope).is_ok_and(|p| p == sig_path) {
        Check::pass(
            CHECK_PROPERTY_INFO,
            format!("propertyInfo names /{sig_path}"),
        )
    } else {
        Check::warn(
            CHECK_PROPERTY_INFO,
            format!("propertyInfo {scope:?} does not name /{sig_path}"),
        )
    }
}

/// Verifies the value of a `Type="Sign"` signature: returns (format, [format check], checks,
/// signer).
fn verify_sign_value(
    ctx: &Context<'_>,
    sig_xml: &[u8],
    value: &[u8],
    signing_time: Option<Time>,
    opts: &VerifyOptions,
) -> (String, Vec<Check>, Vec<Check>, Option<SignerInfo>) {
    let cert_opts = |t: Option<Time>| CertOptions {
        at: t.or(signing_time).unwrap_or_else(|| ctx.now()),
        now: ctx.now(),
        purpose: Purpose::Signing,
    };
    // A bare SM2 signature: DER SEQUENCE { r, s } or raw r || s.
    if !cms::looks_like_cms(value)
        && let Ok(sig) = Signature::from_bytes(value)
    {
        let fmt_check = Check::pass(ids::FORMAT, "bare SM2 signature over Signature.xml");
        let mut rest = vec![Check::skip(
            ids::DATA_HASH,
            "the signature covers Signature.xml directly",
        )];
        let mut signer = None;
        match &opts.sign_certificate {
            None => rest.push(Check::indeterminate(
                ids::SIGNATURE,
                "bare SM2 signature without certificate: no signer certificate given to verify it",
            )),
            Some(cert) => {
                let ok = cert
                    .public_key()
                    .map(|pk| pk.verify_default(sig_xml, &sig).is_ok())
                    .unwrap_or(false);
                rest.push(if ok {
                    Check::pass(ids::SIGNATURE, "SM2 signature over Signature.xml verifies")
                } else {
                    Check::fail(
                        ids::SIGNATURE,
                        "SM2 signature over Signature.xml does not verify with the given certificate",
                    )
                });
                rest.extend(pki::verify::check_certificate_in(
                    ctx,
                    cert,
                    &[],
                    &cert_opts(None),
                    "signer_cert",
                ));
                signer = Some(cert.signer_info());
            }
        }
        return ("sm2".into(), vec![fmt_check], rest, signer);
    }
    let ber = crate::asn1::ber_normalised(value);
    let mut sd = match cms::parse(ber.as_deref().unwrap_or(value)) {
        Ok(sd) => sd,
        Err(e) => {
            return (
                "cms".into(),
                vec![Check::fail(
                    ids::FORMAT,
                    format!(
                        "SignedValue is neither a bare SM2 signature nor a CMS SignedData: {}",
                        e.detail()
                    ),
                )],
                vec![Check::skip(ids::DATA_HASH, "no readable signature value")],
                None,
            );
        }
    };
    if sd.signer.is_none() {
        // A SignedData without certificates: the caller may know the signer.
        sd.signer = opts.sign_certificate.clone();
    }
    let outcome = cms::check(&sd, sig_xml);
    let mut rest = vec![
        Check::new(ids::DATA_HASH, outcome.data_status, outcome.data.1),
        Check::new(
            ids::SIGNATURE,
            outcome.signature_status,
            outcome.signature.1,
        ),
    ];
    let mut signer = None;
    if let Some(cert) = &sd.signer {
        let extra: Vec<_> = sd
            .certificates
            .iter()
            .filter(|c| *c != cert)
            .cloned()
            .collect();
        rest.extend(pki::verify::check_certificate_in(
            ctx,
            cert,
            &extra,
            &cert_opts(sd.signing_time),
            "signer_cert",
        ));
        signer = Some(cert.signer_info());
    }
    (
        "cms".into(),
        vec![Check::pass(ids::FORMAT, "CMS SignedData")],
        rest,
        signer,
    )
}

/// Whether an earlier signature's References include a Signatures.xml of the package (such a
/// document may receive no further signature). Returns the ID of the first such signature.
pub fn protected_signatures_xml(pkg: &Package) -> Result<Option<String>> {
    let ofd_bytes = pkg
        .get("OFD.xml")
        .ok_or_else(|| Error::new(ErrorKind::MalformedOfd, "package has no OFD.xml"))?;
    let ofd = xml::parse_ofd_xml(ofd_bytes)?;
    for sigs_path in signatures_files(pkg, &ofd)? {
        let bytes = pkg.get(&sigs_path).unwrap_or_default();
        let list = xml::parse_signatures_xml(&sigs_path, bytes)?;
        for entry in &list.signatures {
            let sig_path = package::resolve_in(pkg, &sigs_path, &entry.base_loc)?;
            let Some(b) = pkg.get(&sig_path) else {
                continue;
            };
            let sx = xml::parse_signature_xml(&sig_path, b)?;
            for r in &sx.references {
                if let Ok(p) = package::resolve_in(pkg, &sig_path, &r.file_ref)
                    && p == sigs_path
                {
                    return Ok(Some(entry.id.clone()));
                }
            }
        }
    }
    Ok(None)
}
