//! Verification of sealed PDFs (ISO 32000-1 §12.8.1 ByteRange, §12.8.2.2 DocMDP; DESIGN §5.2).
//!
//! For every signature field: `byte_range` (starts at 0, two ranges around exactly the
//! `/Contents` hex string of this signature dictionary, ending at the end of a revision, i.e.
//! a `%%EOF`), the payload detected by content (`cms` / `ses` / unknown), the payload's own
//! checks (`format`, `data_hash`, `signature`, certificate checks), and `modifications`: every
//! object changed or added after the signed revision, classified. Later signatures with their
//! fields, widgets and appearances are allowed; changed page content, catalog, deleted or
//! replaced objects and new pages make the check fail; added or changed annotations and form
//! values are reported as warnings (failures when a DocMDP `/P` forbids them). This catches the
//! 2019 attack classes: universal signature forgery (missing/empty/wrong ByteRange or
//! Contents), incremental saving attacks, signature wrapping and shadow attacks.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use super::cms;
use super::document::{Document, merge_sections};
use super::object::{Dict, Object, decode_text};
use super::xref::{self, XrefEntry};
use crate::error::Result;
use crate::report::{Check, Kind, Report, SignatureReport, SignerInfo, ids};

/// Verification options.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Trust anchors, intermediates and CRLs. Without anchors, chains are indeterminate.
    pub trust: crate::pki::TrustStore,
    /// The current time (for warnings about later expiry); `None` means now.
    pub now: Option<crate::pki::Time>,
}

/// Verifies every signature of the PDF at `path`.
pub fn verify_pdf(path: &Path, opts: &VerifyOptions) -> Report {
    let name = path.display().to_string();
    match Document::open(path) {
        Ok(doc) => verify_document(&doc, &name, opts),
        Err(e) => Report::from_error(name, Kind::Pdf, &e),
    }
}

/// A signature field found in the form.
struct SigField {
    name: String,
    sig: Option<(u32, u16)>,
    sig_direct: Option<Dict>,
}

fn collect_fields(doc: &Document) -> Result<Vec<SigField>> {
    let (_, cat) = doc.catalog()?;
    let Some(acro) = cat.get("AcroForm") else {
        return Ok(Vec::new());
    };
    let acro = doc.resolve_dict(acro, "/AcroForm")?;
    let fields = match acro.get("Fields").map(|f| doc.resolve(f)).transpose()? {
        Some(Object::Array(a)) => a,
        _ => return Ok(Vec::new()),
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(Object, String, Option<Vec<u8>>, usize)> = fields
        .into_iter()
        .rev()
        .map(|f| (f, String::new(), None, 0))
        .collect();
    while let Some((f, prefix, inherited_ft, depth)) = stack.pop() {
        if depth > 32 || out.len() > 10_000 {
            return Err(xref::malformed("form field tree too deep or too large"));
        }
        if let Some((n, _)) = f.as_ref()
            && !seen.insert(n)
        {
            continue;
        }
        let Ok(d) = doc.resolve_dict(&f, "field") else {
            continue;
        };
        let t = match d.get("T") {
            Some(Object::String(s)) => decode_text(s),
            _ => String::new(),
        };
        let full = match (prefix.is_empty(), t.is_empty()) {
            (true, _) => t.clone(),
            (false, true) => prefix.clone(),
            (false, false) => format!("{prefix}.{t}"),
        };
        let ft = d.name("FT").map(<[u8]>::to_vec).or(inherited_ft);
        if let Some(Object::Array(kids)) = d.get("Kids").map(|k| doc.resolve(k)).transpose()? {
            let field_kids: Vec<_> = kids
                .iter()
                .filter(|k| {
                    doc.resolve_dict(k, "kid")
                        .is_ok_and(|kd| kd.get("T").is_some() || kd.get("FT").is_some())
                })
                .cloned()
                .collect();
            if !field_kids.is_empty() {
                for k in field_kids.into_iter().rev() {
                    stack.push((k, full.clone(), ft.clone(), depth + 1));
                }
                continue;
            }
        }
        if ft.as_deref() == Some(b"Sig") {
            match d.get("V") {
                Some(Object::Ref(n, g)) => out.push(SigField {
                    name: full,
                    sig: Some((*n, *g)),
                    sig_direct: None,
                }),
                Some(Object::Dict(v)) => out.push(SigField {
                    name: full,
                    sig: None,
                    sig_direct: Some(v.clone()),
                }),
                _ => {} // an unsigned signature field
            }
        }
    }
    Ok(out)
}

/// True when `end` is the end of a revision: the bytes before it are `%%EOF` and at most an
/// end-of-line (ISO 32000-1 §7.5.5, §7.5.6).
fn is_revision_end(doc: &Document, end: u64) -> Result<bool> {
    let start = end.saturating_sub(8);
    let tail = doc.read_at(start, (end - start) as usize)?;
    let mut t = tail.as_slice();
    for _ in 0..2 {
        if let Some(r) = t.strip_suffix(b"\n").or_else(|| t.strip_suffix(b"\r")) {
            t = r;
        }
    }
    Ok(t.ends_with(b"%%EOF"))
}

/// Verifies every signature of an opened document.
pub fn verify_document(doc: &Document, name: &str, opts: &VerifyOptions) -> Report {
    let mut report = Report::new(name, Kind::Pdf);
    let fields = match collect_fields(doc) {
        Ok(f) => f,
        Err(e) => {
            report.checks.push(Check::fail(ids::FORMAT, e.to_string()));
            report.error = Some(e.to_string());
            report.finish();
            return report;
        }
    };
    if doc.is_reconstructed() {
        report.checks.push(Check::warn(
            ids::FORMAT,
            "the cross-reference data is damaged; objects were found by scanning the file",
        ));
    }
    for f in &fields {
        report.signatures.push(verify_signature(doc, f, opts));
    }
    report.finish();
    report
}

fn verify_signature(doc: &Document, field: &SigField, opts: &VerifyOptions) -> SignatureReport {
    let mut checks = Vec::new();
    let mut format = "unknown".to_string();
    let sig_dict = match (&field.sig, &field.sig_direct) {
        (Some((n, _)), _) => doc.get(*n).ok().and_then(|o| o.as_dict().cloned()),
        (None, Some(d)) => Some(d.clone()),
        _ => None,
    };
    let Some(sig) = sig_dict else {
        checks.push(Check::fail(
            ids::FORMAT,
            "the signature value /V is not a dictionary",
        ));
        return SignatureReport::new(&field.name, format, checks);
    };
    // byte_range
    let br = byte_range(doc, field, &sig);
    let (range, contents) = match br {
        Ok((range, contents, msg)) => {
            checks.push(Check::pass(ids::BYTE_RANGE, msg));
            (Some(range), Some(contents))
        }
        Err(msg) => {
            checks.push(Check::fail(ids::BYTE_RANGE, msg));
            // Still look at the payload for the report.
            let c = match sig.get("Contents") {
                Some(Object::String(s)) => Some(s.clone()),
                _ => None,
            };
            (None, c)
        }
    };
    let digest = range.and_then(|r| {
        let mut h = <sm3::Sm3 as sm3::Digest>::new();
        let mut buf = vec![0u8; 1 << 20];
        for (s, l) in [(r[0], r[1]), (r[2], r[3])] {
            let mut rd = doc.range_reader(s, l);
            loop {
                match rd.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => sm3::Digest::update(&mut h, &buf[..n]),
                    Err(_) => return None,
                }
            }
        }
        Some(<[u8; 32]>::from(sm3::Digest::finalize(h)))
    });
    let mut signer = None;
    let mut seal = None;
    let mut signing_time = None;
    match contents.as_deref() {
        None | Some([]) => {
            checks.push(Check::fail(ids::FORMAT, "no /Contents payload"));
        }
        Some(c) if cms::looks_like_cms(c) => {
            format = "cms".into();
            let hash = |d: crate::pki::alg::Digest| range.and_then(|r| hash_byte_range(doc, r, d));
            let (cks, s, t) = check_cms(c, digest.as_ref(), &hash, opts);
            checks.extend(cks);
            signer = s;
            signing_time = t;
        }
        Some(c) if looks_like_ses(c) => {
            // The DER without the zero padding of the placeholder.
            let der = match crate::asn1::read_tlv(c) {
                Ok((_, _, rest)) => &c[..c.len() - rest.len()],
                Err(_) => c,
            };
            let ses_opts = crate::ses::VerifyOptions {
                now: opts.now.unwrap_or_else(crate::pki::Time::now),
                extra_certs: Vec::new(),
                id: field.name.clone(),
            };
            let data = digest.map(crate::ses::DataInput::Hash);
            let data_given = data.is_some();
            let sr = crate::ses::verify_ses_signature(der, data, &opts.trust, &ses_opts);
            format = sr.format.clone();
            for c in sr.checks {
                if c.id == ids::DATA_HASH && !data_given {
                    checks.push(Check::skip(
                        ids::DATA_HASH,
                        "not computed: the ByteRange is not valid",
                    ));
                } else {
                    checks.push(c);
                }
            }
            signer = sr.signer;
            seal = sr.seal;
            signing_time = sr.signing_time;
        }
        Some(_) => {
            checks.push(Check::fail(
                ids::FORMAT,
                "the /Contents payload is neither a CMS SignedData nor an SES_Signature",
            ));
        }
    }
    if signing_time.is_none()
        && let Some(Object::String(m)) = sig.get("M")
    {
        signing_time = Some(String::from_utf8_lossy(m).into_owned());
    }
    // modifications
    match range {
        Some(r) => checks.push(modifications(doc, field, &sig, r[2] + r[3])),
        None => checks.push(Check::skip(
            ids::MODIFICATIONS,
            "not analysed: the ByteRange is not valid",
        )),
    }
    let mut rep = SignatureReport::new(&field.name, format, checks);
    rep.signer = signer;
    rep.seal = seal;
    rep.signing_time = signing_time;
    rep
}

type ByteRangeOk = ([u64; 4], Vec<u8>, String);

fn byte_range(
    doc: &Document,
    field: &SigField,
    sig: &Dict,
) -> std::result::Result<ByteRangeOk, String> {
    let arr = match sig.get("ByteRange") {
        Some(Object::Array(a)) => a,
        Some(Object::Ref(..)) => return Err("/ByteRange is an indirect object".into()),
        None => return Err("no /ByteRange".into()),
        _ => return Err("/ByteRange is not an array".into()),
    };
    let v: Vec<u64> = arr
        .iter()
        .filter_map(|o| o.as_int().filter(|&i| i >= 0).map(|i| i as u64))
        .collect();
    if v.len() != 4 || arr.len() != 4 {
        return Err(format!(
            "/ByteRange must be four non-negative integers, found {} entries",
            arr.len()
        ));
    }
    let (s0, a, b, c) = (v[0], v[1], v[2], v[3]);
    if s0 != 0 {
        return Err(format!("/ByteRange starts at {s0}, not 0"));
    }
    let end = b.checked_add(c).ok_or("ByteRange overflow")?;
    if a == 0 || b < a + 2 || end > doc.len() {
        return Err(format!(
            "/ByteRange [0 {a} {b} {c}] is inconsistent with the file ({} bytes)",
            doc.len()
        ));
    }
    let gap_len = (b - a) as usize;
    if gap_len > 2 * super::sign::MAX_CONTENTS + 2 {
        return Err("the gap of the ByteRange is too large".into());
    }
    let gap = doc.read_at(a, gap_len).map_err(|e| e.to_string())?;
    if gap.first() != Some(&b'<')
        || gap.last() != Some(&b'>')
        || !gap[1..gap.len() - 1].iter().all(u8::is_ascii_hexdigit)
    {
        return Err("the bytes skipped by the ByteRange are not exactly one hex string".into());
    }
    let hex = &gap[1..gap.len() - 1];
    if hex.len() % 2 != 0 {
        return Err("the /Contents hex string has an odd length".into());
    }
    let decoded: Vec<u8> = hex
        .chunks(2)
        .map(|p| {
            let s = std::str::from_utf8(p).unwrap_or("00");
            u8::from_str_radix(s, 16).unwrap_or(0)
        })
        .collect();
    match sig.get("Contents") {
        Some(Object::String(s)) if *s == decoded => {}
        Some(Object::String(_)) => {
            return Err("the hex string skipped by the ByteRange is not this /Contents".into());
        }
        _ => return Err("/Contents is missing or not a string".into()),
    }
    // The skipped string must lie inside this signature dictionary's object.
    let Some((num, _)) = field.sig else {
        return Err("the signature dictionary is a direct object in its field".into());
    };
    match doc.entry(num) {
        Some(XrefEntry::InFile { offset, .. }) => {
            let (_, _, _, obj_end) = doc.object_span(offset).map_err(|e| e.to_string())?;
            if !(offset < a && b <= obj_end) {
                return Err(format!(
                    "the ByteRange gap [{a}, {b}) is outside the signature dictionary (object {num} at {offset}..{obj_end})"
                ));
            }
        }
        _ => {
            return Err("the signature dictionary is not stored directly in the file".into());
        }
    }
    if !is_revision_end(doc, end).map_err(|e| e.to_string())? {
        return Err(format!(
            "the ByteRange ends at {end}, which is not the end of a revision (%%EOF)"
        ));
    }
    // Revisions counted by cross-reference sections (a hybrid file's stream is not separate).
    let total = doc.sections().len().max(1);
    let rev = doc
        .sections()
        .iter()
        .filter(|s| s.offset < end)
        .count()
        .max(1);
    let msg = if end == doc.len() {
        format!("covers the whole file except /Contents (revision {rev} of {total})")
    } else {
        format!(
            "covers revision {rev} of {total} except /Contents; {} bytes follow",
            doc.len() - end
        )
    };
    Ok(([0, a, b, c], decoded, msg))
}

/// The digest by `alg` of the two ByteRange spans `r` (None on a read error).
fn hash_byte_range(doc: &Document, r: [u64; 4], alg: crate::pki::alg::Digest) -> Option<Vec<u8>> {
    let mut h = alg.hasher();
    let mut buf = vec![0u8; 1 << 20];
    for (s, l) in [(r[0], r[1]), (r[2], r[3])] {
        let mut rd = doc.range_reader(s, l);
        loop {
            match rd.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => h.update(&buf[..n]),
                Err(_) => return None,
            }
        }
    }
    Some(h.finish())
}

/// Checks a CMS payload: `digest` is SM3 of the ByteRange bytes, `hash` computes the ByteRange
/// digest by another algorithm (SHA-256/384/512 for signatures made elsewhere).
fn check_cms(
    c: &[u8],
    digest: Option<&[u8; 32]>,
    hash: &dyn Fn(crate::pki::alg::Digest) -> Option<Vec<u8>>,
    opts: &VerifyOptions,
) -> (Vec<Check>, Option<SignerInfo>, Option<String>) {
    let mut checks = Vec::new();
    let sd = match cms::parse_signed_data(c) {
        Ok(sd) => sd,
        Err(e) => {
            checks.push(Check::fail(ids::FORMAT, e.to_string()));
            return (checks, None, None);
        }
    };
    checks.push(Check::pass(
        ids::FORMAT,
        format!(
            "CMS SignedData ({} OIDs)",
            if sd.gmt { "GM/T 0010" } else { "PKCS #7" }
        ),
    ));
    let time = sd.signing_time.map(|t| t.to_rfc3339());
    match (cms::is_sm3(&sd.digest_alg), sd.message_digest, digest) {
        (false, ..) => checks.push(check_sha2_digest(&sd, hash)),
        (true, None, _) => checks.push(Check::fail(ids::DATA_HASH, "no messageDigest attribute")),
        (true, Some(_), None) => checks.push(Check::skip(
            ids::DATA_HASH,
            "not computed: the ByteRange is not valid",
        )),
        (true, Some(md), Some(d)) if md == d => checks.push(Check::pass(
            ids::DATA_HASH,
            "messageDigest equals SM3 of the ByteRange bytes",
        )),
        (true, Some(_), Some(_)) => checks.push(Check::fail(
            ids::DATA_HASH,
            "messageDigest differs from SM3 of the ByteRange bytes: the document was changed",
        )),
    }
    let cert = sd.signer_cert();
    let signer = cert.as_ref().map(|c| SignerInfo {
        subject: cms::name_to_string(c.subject),
        issuer: cms::name_to_string(c.issuer),
        serial: c.serial.iter().map(|b| format!("{b:02x}")).collect(),
    });
    match &cert {
        None => checks.push(Check::fail(
            ids::SIGNATURE,
            "the signer's certificate is not in the SignedData",
        )),
        Some(c) if !cms::is_sm2_sig(&sd.signature_alg) => {
            checks.push(check_other_signature(&sd, c.raw));
        }
        Some(c) => match sd.verify_sm2(c) {
            Ok(()) => checks.push(Check::pass(
                ids::SIGNATURE,
                "SM2 signature over the signed attributes verifies",
            )),
            Err(e) => checks.push(Check::fail(ids::SIGNATURE, e.to_string())),
        },
    }
    // The signer certificate, judged at the signing time (DESIGN §4.3).
    match cert
        .as_ref()
        .map(|c| crate::pki::Certificate::from_der(c.raw))
    {
        Some(Ok(c)) => {
            let extras: Vec<crate::pki::Certificate> = sd
                .certs
                .iter()
                .filter(|x| **x != c.der())
                .filter_map(|x| crate::pki::Certificate::from_der(x).ok())
                .collect();
            let now = opts.now.unwrap_or_else(crate::pki::Time::now);
            let copts = crate::pki::CertOptions {
                at: sd.signing_time.unwrap_or(now),
                now,
                purpose: crate::pki::Purpose::Signing,
            };
            checks.extend(crate::pki::check_certificate(
                &c,
                &extras,
                &opts.trust,
                &copts,
                "signer_cert",
            ));
        }
        Some(Err(e)) => checks.push(Check::fail(ids::SIGNER_CERT_CHAIN, e.to_string())),
        None => {}
    }
    (checks, signer, time)
}

/// `data_hash` for a CMS digest algorithm other than SM3: SHA-256/384/512 of the ByteRange bytes
/// against messageDigest; SHA-1 and unknown algorithms are indeterminate (see
/// [`crate::pki::alg`] for the SHA-1 policy).
fn check_sha2_digest(
    sd: &cms::SignedData<'_>,
    hash: &dyn Fn(crate::pki::alg::Digest) -> Option<Vec<u8>>,
) -> Check {
    use crate::pki::alg::Digest;
    let d = match Digest::from_oid(&sd.digest_alg) {
        Some(d @ (Digest::Sha256 | Digest::Sha384 | Digest::Sha512)) => d,
        Some(Digest::Sha1) => {
            return Check::indeterminate(
                ids::DATA_HASH,
                "digest algorithm SHA-1 is not accepted (SHA-1 collisions are practical)",
            );
        }
        _ => {
            return Check::indeterminate(
                ids::DATA_HASH,
                format!("digest algorithm {} is not supported", sd.digest_alg),
            );
        }
    };
    match (sd.message_digest, hash(d)) {
        (None, _) => Check::fail(ids::DATA_HASH, "no messageDigest attribute"),
        (Some(_), None) => Check::skip(ids::DATA_HASH, "not computed: the ByteRange is not valid"),
        (Some(md), Some(h)) if md == h.as_slice() => Check::pass(
            ids::DATA_HASH,
            format!("messageDigest equals {} of the ByteRange bytes", d.name()),
        ),
        (Some(_), Some(_)) => Check::fail(
            ids::DATA_HASH,
            format!(
                "messageDigest differs from {} of the ByteRange bytes: the document was changed",
                d.name()
            ),
        ),
    }
}

/// `signature` for a non-SM2 CMS signature (RSA PKCS#1 v1.5 / PSS, ECDSA): pass when it
/// verifies (warn when the key is weak), fail when it does not, indeterminate when the
/// algorithm or key is not supported (the message names the OID).
fn check_other_signature(sd: &cms::SignedData<'_>, cert_der: &[u8]) -> Check {
    let alg = match sd.signature_algorithm() {
        Ok(a) => a,
        Err(e) if e.kind() == crate::ErrorKind::Unsupported => {
            return Check::indeterminate(ids::SIGNATURE, e.detail().to_string());
        }
        Err(e) => {
            return Check::fail(
                ids::SIGNATURE,
                format!("signature algorithm {}: {}", sd.signature_alg, e.detail()),
            );
        }
    };
    let cert = match crate::pki::Certificate::from_der(cert_der) {
        Ok(c) => c,
        Err(e) => return Check::fail(ids::SIGNATURE, e.to_string()),
    };
    match sd.verify_with(&alg, &cert) {
        Ok(()) => {
            let msg = format!(
                "{} signature over the signed attributes verifies",
                alg.name()
            );
            match cert.subject_key().ok().and_then(|k| k.weakness()) {
                Some(w) => Check::warn(ids::SIGNATURE, format!("{msg}, but the {w}")),
                None => Check::pass(ids::SIGNATURE, msg),
            }
        }
        Err(e) if e.kind() == crate::ErrorKind::Unsupported => {
            Check::indeterminate(ids::SIGNATURE, format!("signer key: {}", e.detail()))
        }
        Err(e) => Check::fail(ids::SIGNATURE, e.detail().to_string()),
    }
}

/// True when `c` starts like an SES_Signature: SEQUENCE { SEQUENCE { INTEGER, SEQUENCE … } … }.
fn looks_like_ses(c: &[u8]) -> bool {
    let Ok((crate::asn1::SEQUENCE, body, _)) = crate::asn1::read_tlv(c) else {
        return false;
    };
    let Ok((crate::asn1::SEQUENCE, tbs, _)) = crate::asn1::read_tlv(body) else {
        return false;
    };
    let mut r = crate::asn1::Reader::new(tbs);
    r.read_small_int().is_ok() && r.read_element(crate::asn1::SEQUENCE).is_ok()
}

/// Severity of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// Allowed by the default policy (annotation, form value).
    Annotation,
    /// A form field value.
    FormFill,
    /// Content change: always a failure.
    Content,
}

/// The DocMDP /P of a certification signature, if this signature has one.
pub(crate) fn docmdp_p(doc: &Document, sig: &Dict) -> Option<i64> {
    let refs = match sig.get("Reference").map(|r| doc.resolve(r)) {
        Some(Ok(Object::Array(a))) => a,
        _ => return None,
    };
    for r in refs.iter().take(16) {
        let Ok(d) = doc.resolve_dict(r, "reference") else {
            continue;
        };
        if d.name("TransformMethod") == Some(b"DocMDP") {
            let p = d
                .get("TransformParams")
                .and_then(|t| doc.resolve_dict(t, "params").ok())
                .and_then(|t| t.int("P"))
                .unwrap_or(2);
            return Some(p);
        }
    }
    None
}

fn refs_in(o: &Object, out: &mut Vec<u32>) {
    match o {
        Object::Ref(n, _) => out.push(*n),
        Object::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        Object::Dict(d) => d.0.iter().for_each(|(_, v)| refs_in(v, out)),
        Object::Stream(s) => s.dict.0.iter().for_each(|(_, v)| refs_in(v, out)),
        _ => {}
    }
}

fn dict_without(d: &Dict, keys: &[&str]) -> Dict {
    Dict(
        d.0.iter()
            .filter(|(k, _)| !keys.iter().any(|x| x.as_bytes() == k.as_slice()))
            .cloned()
            .collect(),
    )
}

fn same_unordered(a: &Dict, b: &Dict) -> bool {
    a.0.len() == b.0.len()
        && a.0
            .iter()
            .all(|(k, v)| b.0.iter().any(|(k2, v2)| k == k2 && v == v2))
}

fn modifications(doc: &Document, _field: &SigField, sig: &Dict, end: u64) -> Check {
    if end >= doc.len() {
        return Check::pass(
            ids::MODIFICATIONS,
            "nothing was appended after the signature",
        );
    }
    if doc.is_reconstructed() {
        return Check::indeterminate(
            ids::MODIFICATIONS,
            "bytes follow the signed revision, but the damaged xref hides which objects changed",
        );
    }
    let later: Vec<_> = doc.sections().iter().filter(|s| s.offset >= end).collect();
    let signed: Vec<_> = doc.sections().iter().filter(|s| s.offset < end).collect();
    if later.is_empty() {
        return Check::warn(
            ids::MODIFICATIONS,
            format!(
                "{} bytes follow the signed revision but no reader uses them",
                doc.len() - end
            ),
        );
    }
    if signed.is_empty() {
        return Check::fail(
            ids::MODIFICATIONS,
            "the signed revision is not part of the document's revision chain",
        );
    }
    let old = merge_sections(signed.iter().copied());
    let new = merge_sections(later.iter().copied().chain(signed.iter().copied()));
    let mut changed: Vec<u32> = later
        .iter()
        .flat_map(|s| s.entries.iter().chain(s.hybrid.iter()).map(|e| e.0))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    changed.sort_unstable();
    if changed.len() > 200_000 {
        return Check::fail(
            ids::MODIFICATIONS,
            "too many objects changed after the signature",
        );
    }
    let get_old = |n: u32| {
        doc.get_with(n, old.get(&n).copied())
            .unwrap_or(Object::Null)
    };
    let get_new = |n: u32| {
        doc.get_with(n, new.get(&n).copied())
            .unwrap_or(Object::Null)
    };
    let exists_old = |n: u32| {
        matches!(
            old.get(&n),
            Some(XrefEntry::InFile { .. } | XrefEntry::InStream { .. })
        )
    };

    // New signatures, their fields/widgets and appearance objects are allowed.
    let mut allowed: HashSet<u32> = HashSet::new();
    let mut new_objs: HashMap<u32, Object> = HashMap::new();
    for &n in &changed {
        new_objs.insert(n, get_new(n));
    }
    let mut sig_widgets: HashSet<u32> = HashSet::new();
    for (&n, o) in &new_objs {
        if exists_old(n) {
            continue;
        }
        if let Some(d) = o.as_dict() {
            let is_sig = d.is_type("Sig") || d.is_type("DocTimeStamp");
            let is_sig_field = d.name("FT") == Some(b"Sig");
            if is_sig {
                allowed.insert(n);
            }
            if is_sig_field {
                allowed.insert(n);
                sig_widgets.insert(n);
            }
        }
    }
    // Appearance streams reachable from new signature widgets, among new objects only.
    let mut stack: Vec<u32> = Vec::new();
    for &w in &sig_widgets {
        if let Some(ap) = new_objs
            .get(&w)
            .and_then(|o| o.as_dict())
            .and_then(|d| d.get("AP"))
        {
            refs_in(ap, &mut stack);
        }
    }
    let mut budget = 10_000;
    while let Some(n) = stack.pop() {
        budget -= 1;
        if budget <= 0 {
            break;
        }
        if exists_old(n) || !allowed.insert(n) {
            continue;
        }
        // Follow what an appearance draws (resources, images, masks): only new objects are
        // ever allowed this way.
        if let Some(o) = new_objs.get(&n) {
            refs_in(o, &mut stack);
        }
    }
    let is_widget_ref = |o: &Object| o.as_ref().is_some_and(|(n, _)| sig_widgets.contains(&n));
    let root = doc
        .trailer()
        .get("Root")
        .and_then(Object::as_ref)
        .map(|r| r.0);
    let info = doc
        .trailer()
        .get("Info")
        .and_then(Object::as_ref)
        .map(|r| r.0);

    let mut findings: Vec<(Level, String)> = Vec::new();
    for &n in &changed {
        if allowed.contains(&n) {
            continue;
        }
        let newo = new_objs.get(&n).cloned().unwrap_or(Object::Null);
        if let Some(d) = newo.as_dict()
            && (d.is_type("XRef") || d.is_type("ObjStm"))
            && !exists_old(n)
        {
            continue;
        }
        if !exists_old(n) {
            if matches!(newo, Object::Null) {
                continue; // freed entry that never existed
            }
            if let Some(d) = newo.as_dict() {
                if d.is_type("Page") {
                    findings.push((Level::Content, format!("page object {n} added")));
                } else if d.get("Subtype").is_some() && d.get("Rect").is_some() {
                    let st = d
                        .name("Subtype")
                        .map(|s| String::from_utf8_lossy(s).into_owned());
                    findings.push((
                        Level::Annotation,
                        format!("annotation {n} (/{}) added", st.unwrap_or_default()),
                    ));
                }
            }
            continue;
        }
        let oldo = get_old(n);
        if oldo == newo {
            continue; // rewritten unchanged
        }
        if matches!(newo, Object::Null) {
            findings.push((Level::Content, format!("object {n} deleted")));
            continue;
        }
        match (&oldo, &newo) {
            (Object::Dict(a), Object::Dict(b)) if Some(n) == root => {
                if !same_unordered(
                    &dict_without(a, &["AcroForm"]),
                    &dict_without(b, &["AcroForm"]),
                ) {
                    findings.push((
                        Level::Content,
                        format!("the document catalog (object {n}) changed"),
                    ));
                }
            }
            (Object::Dict(_), Object::Dict(_)) if Some(n) == info => {
                findings.push((
                    Level::Annotation,
                    "the document information dictionary changed".into(),
                ));
            }
            (Object::Dict(a), Object::Dict(b)) if a.is_type("Page") || b.is_type("Page") => {
                if !same_unordered(&dict_without(a, &["Annots"]), &dict_without(b, &["Annots"])) {
                    findings.push((
                        Level::Content,
                        format!("page object {n} changed (content or resources)"),
                    ));
                } else {
                    let oa = a
                        .get("Annots")
                        .map(|x| doc.resolve(x).unwrap_or(Object::Null));
                    let na = b
                        .get("Annots")
                        .map(|x| doc.resolve(x).unwrap_or(Object::Null));
                    let empty = Object::Array(Vec::new());
                    array_change(
                        n,
                        oa.as_ref().unwrap_or(&empty),
                        na.as_ref().unwrap_or(&empty),
                        &is_widget_ref,
                        &mut findings,
                        "annotations of page",
                    );
                }
            }
            (Object::Dict(a), Object::Dict(b))
                if b.get("Fields").is_some() || a.get("Fields").is_some() =>
            {
                if !same_unordered(
                    &dict_without(a, &["Fields", "SigFlags"]),
                    &dict_without(b, &["Fields", "SigFlags"]),
                ) {
                    findings.push((
                        Level::FormFill,
                        format!("the form dictionary (object {n}) changed"),
                    ));
                }
                let empty = Object::Array(Vec::new());
                let of = a
                    .get("Fields")
                    .map(|x| doc.resolve(x).unwrap_or(Object::Null));
                let nf = b
                    .get("Fields")
                    .map(|x| doc.resolve(x).unwrap_or(Object::Null));
                array_change(
                    n,
                    of.as_ref().unwrap_or(&empty),
                    nf.as_ref().unwrap_or(&empty),
                    &is_widget_ref,
                    &mut findings,
                    "fields of form",
                );
            }
            (Object::Array(_), Object::Array(_)) => {
                array_change(n, &oldo, &newo, &is_widget_ref, &mut findings, "array");
            }
            (Object::Dict(a), Object::Dict(b))
                if a.get("FT").is_some() || b.get("FT").is_some() =>
            {
                findings.push((
                    Level::FormFill,
                    format!("form field {n} changed (value or appearance)"),
                ));
            }
            (Object::Dict(a), Object::Dict(_))
                if a.get("Subtype").is_some() && a.get("Rect").is_some() =>
            {
                findings.push((Level::Annotation, format!("annotation {n} changed")));
            }
            (Object::Stream(_), _) | (_, Object::Stream(_)) => {
                findings.push((
                    Level::Content,
                    format!("stream object {n} replaced (content, image, font or form)"),
                ));
            }
            _ => findings.push((Level::Content, format!("object {n} changed"))),
        }
    }
    let p = docmdp_p(doc, sig);
    let revisions = later.len();
    if p == Some(1) {
        findings.insert(
            0,
            (
                Level::Content,
                "the certification signature (DocMDP /P 1) forbids any change".to_string(),
            ),
        );
    }
    if findings.is_empty() {
        return Check::pass(
            ids::MODIFICATIONS,
            format!(
                "{revisions} later revision(s) only add signatures, their fields and appearances"
            ),
        );
    }
    // DocMDP /P 1: no change; /P 2: form filling and signatures; /P 3: also annotations.
    let fail = findings.iter().any(|(l, _)| {
        *l == Level::Content || p == Some(1) || (p == Some(2) && *l == Level::Annotation)
    });
    let mut list: Vec<String> = findings.iter().map(|(_, m)| m.clone()).collect();
    list.truncate(50);
    let mdp = match p {
        Some(p) => format!(" (DocMDP /P {p})"),
        None => String::new(),
    };
    let msg = format!(
        "changed after signing in {revisions} later revision(s){mdp}: {}",
        list.join("; ")
    );
    if fail {
        Check::fail(ids::MODIFICATIONS, msg)
    } else {
        Check::warn(ids::MODIFICATIONS, msg)
    }
}

fn array_change(
    n: u32,
    old: &Object,
    new: &Object,
    is_widget: &dyn Fn(&Object) -> bool,
    findings: &mut Vec<(Level, String)>,
    what: &str,
) {
    let (Some(a), Some(b)) = (old.as_array(), new.as_array()) else {
        findings.push((Level::Content, format!("{what} {n} changed type")));
        return;
    };
    let removed = a.iter().filter(|x| !b.contains(x)).count();
    let added: Vec<&Object> = b.iter().filter(|x| !a.contains(x)).collect();
    if removed > 0 {
        findings.push((
            Level::Content,
            format!("{removed} entries removed from {what} {n}"),
        ));
    }
    let others = added.iter().filter(|x| !is_widget(x)).count();
    if others > 0 {
        findings.push((
            Level::Annotation,
            format!("{others} entries added to {what} {n}"),
        ));
    }
}
