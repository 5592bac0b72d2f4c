//! Verification of sealed PDFs (ISO 32000-1 §12.8.1 ByteRange, §12.8.2.2 DocMDP; DESIGN §5.2).
//!
//! For every signature field: `byte_range` (starts at 0, two ranges around exactly the
//! `/Contents` hex string of this signature dictionary, ending at the end of a revision, i.e.
//! a `%%EOF`), the payload detected by content (`cms` / `ses` / unknown), the payload's own
//! checks (`format`, `data_hash`, `signature`, certificate checks; document timestamps,
//! `/SubFilter /ETSI.RFC3161`, are reported with format `rfc3161`), and `modifications` with the
//! signature's `modification_level`: every revision after the signed one judged by the policy
//! of [`super::diff`] (new signatures, timestamps, DSS and metadata allowed; form values and
//! annotations by DocMDP level; everything else fails, named). This catches the
//! 2019 attack classes: universal signature forgery (missing/empty/wrong ByteRange or
//! Contents), incremental saving attacks, signature wrapping and shadow attacks. A file cut
//! short fails the report's `byte_range` when a `/ByteRange` left in it reaches past its end.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use super::cms;
use super::diff;
use super::document::Document;
use super::object::{Dict, Object, decode_text};
use super::sigdict::docmdp_p;
use super::xref::{self, XrefEntry};
use crate::error::Result;
use crate::pki::Context;
use crate::report::{Check, Kind, Report, SignatureReport, SignerInfo, Status, ids};

/// Verification options.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Trust anchors, intermediates and CRLs. Without anchors, chains are indeterminate.
    pub trust: crate::pki::TrustStore,
    /// The current time (for warnings about later expiry); `None` means now.
    pub now: Option<crate::pki::Time>,
}

impl VerifyOptions {
    /// The verification context these options describe (uncached).
    pub fn context(&self) -> Context<'_> {
        Context::new(&self.trust).with_now(self.now)
    }
}

/// Verifies every signature of the PDF at `path`.
pub fn verify_pdf(path: &Path, opts: &VerifyOptions) -> Report {
    verify_pdf_in(&opts.context(), path)
}

/// [`verify_pdf`] in a verification context (trust store, current time, optional cache).
pub fn verify_pdf_in(ctx: &Context<'_>, path: &Path) -> Report {
    let name = path.display().to_string();
    match Document::open(path) {
        Ok(doc) => verify_document_in(ctx, &doc, &name),
        Err(e) => Report::from_error(name, Kind::Pdf, &e),
    }
}

/// A signature field found in the form.
struct SigField {
    name: String,
    /// The field dictionary (for its `/Lock`).
    dict: Dict,
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
                    dict: d.clone(),
                    name: full,
                    sig: Some((*n, *g)),
                    sig_direct: None,
                }),
                Some(Object::Dict(v)) => out.push(SigField {
                    dict: d.clone(),
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
    verify_document_in(&opts.context(), doc, name)
}

/// [`verify_document`] in a verification context (trust store, current time, optional cache).
pub fn verify_document_in(ctx: &Context<'_>, doc: &Document, name: &str) -> Report {
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
        report.signatures.push(verify_signature(ctx, doc, f));
    }
    if let Some(cut) = cut_byte_range(doc) {
        report.checks.push(Check::fail(ids::BYTE_RANGE, cut));
    }
    crate::licence::pdf::apply(doc, &mut report, Some(ctx.now()));
    report.finish();
    report
}

/// A `/ByteRange` after the cross-reference data the reader used (anywhere when that was
/// rebuilt) that reaches past the end of the file: a signature whose signed bytes are missing
/// because the file was cut short (its dictionary may be unreadable, so no field names it).
fn cut_byte_range(doc: &Document) -> Option<String> {
    let mut at = if doc.is_reconstructed() {
        0
    } else {
        doc.startxref()?
    };
    while let Some(p) = doc.find_forward(at, b"/ByteRange") {
        at = p + 10;
        let text = doc.read_at(at, 96).ok()?;
        let text = String::from_utf8_lossy(&text);
        let Some(inner) = text.trim_start().strip_prefix('[') else {
            continue;
        };
        let inner = inner.split(']').next().unwrap_or("");
        let v: Vec<u64> = inner
            .split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        if let [_, _, b, c] = v[..]
            && b.saturating_add(c) > doc.len()
        {
            return Some(format!(
                "the /ByteRange at byte {p} ends at byte {}, past the end of the file ({} bytes): the signed bytes are missing (the file was cut short)",
                b.saturating_add(c),
                doc.len()
            ));
        }
    }
    None
}

fn verify_signature(ctx: &Context<'_>, doc: &Document, field: &SigField) -> SignatureReport {
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
    let doc_timestamp =
        sig.is_type("DocTimeStamp") || sig.name("SubFilter") == Some(b"ETSI.RFC3161");
    // A BER payload (Bouncy Castle's default CMS encoding, indefinite lengths) is read in its
    // definite-length form; the zero padding after its end-of-contents octets is dropped.
    let ber = contents.as_deref().and_then(crate::asn1::ber_normalised);
    match ber.as_deref().or(contents.as_deref()) {
        None | Some([]) => {
            checks.push(Check::fail(ids::FORMAT, "no /Contents payload"));
        }
        Some(c) if doc_timestamp => {
            format = "rfc3161".into();
            let (cks, t) = check_doc_timestamp(ctx, doc, c, range);
            checks.extend(cks);
            signing_time = t;
        }
        Some(c) if cms::looks_like_cms(c) => {
            format = "cms".into();
            let hash = |d: crate::pki::alg::Digest| range.and_then(|r| hash_byte_range(doc, r, d));
            let (cks, s, t) = check_cms(ctx, c, digest.as_ref(), &hash);
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
                now: ctx.now(),
                extra_certs: Vec::new(),
                id: field.name.clone(),
            };
            let data = digest.map(crate::ses::DataInput::Hash);
            let data_given = data.is_some();
            let sr = crate::ses::verify_ses_signature_in(ctx, der, data, &ses_opts);
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
    let mut level = None;
    match range {
        Some(r) => {
            let (c, l) = modifications(doc, field, &sig, r[2] + r[3]);
            checks.push(c);
            level = l;
        }
        None => checks.push(Check::skip(
            ids::MODIFICATIONS,
            "not analysed: the ByteRange is not valid",
        )),
    }
    let riding = riding_layout(doc, field);
    if let Err(why) = &riding
        && let Some(c) = checks.iter_mut().find(|c| c.id == ids::MODIFICATIONS)
        && c.status != Status::Fail
    {
        *c = Check::fail(ids::MODIFICATIONS, why.clone());
    }
    let mut rep = SignatureReport::new(&field.name, format, checks);
    rep.riding = riding.ok().flatten();
    rep.modification_level = level.map(|l| l.as_str().to_string());
    rep.signer = signer;
    rep.seal = seal;
    rep.signing_time = signing_time;
    rep
}

/// A riding seal's layout: the page of each widget of the field (its `/Kids` without `/T`),
/// looked up in the current page tree.
fn riding_layout(
    doc: &Document,
    field: &SigField,
) -> std::result::Result<Option<crate::report::RidingInfo>, String> {
    let Some(Ok(Object::Array(kids))) = field.dict.get("Kids").map(|k| doc.resolve(k)) else {
        return Ok(None);
    };
    if kids.len() < 2 {
        return Ok(None);
    }
    let pages = doc.page_ids().unwrap_or_default();
    // `/P` is optional: without it on every widget the layout is unknown.
    let mut strip_pages = Vec::with_capacity(kids.len());
    for k in &kids {
        let Some(p) = doc
            .resolve_dict(k, "widget")
            .ok()
            .and_then(|w| w.get("P").and_then(Object::as_ref))
        else {
            return Ok(None);
        };
        strip_pages.push(pages.iter().position(|q| *q == p).map(|i| i + 1));
    }
    crate::riding::layout(&strip_pages)
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
    if gap_len > 2 * super::sigdict::MAX_CONTENTS + 2 {
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
/// digest by another algorithm (SHA-256/384/512 for signatures made elsewhere); see
/// [`cms::check_payload`].
fn check_cms(
    ctx: &Context<'_>,
    c: &[u8],
    digest: Option<&[u8; 32]>,
    hash: &dyn Fn(crate::pki::alg::Digest) -> Option<Vec<u8>>,
) -> (Vec<Check>, Option<SignerInfo>, Option<String>) {
    cms::check_payload(c, digest, hash, ctx)
}

/// Largest signed range read into memory to check a document timestamp's imprint.
const MAX_TIMESTAMPED: u64 = 512 << 20;

/// A document timestamp (ISO 32000-2 §12.8.5, ETSI EN 319 142-1 `ETSI.RFC3161`): `/Contents`
/// is an RFC 3161 TimeStampToken whose message imprint is the hash of the ByteRange bytes.
/// Checks `format` (the token parses), `data_hash` (the imprint) and `timestamp` (the TSA's
/// signature and certificate, through the RFC 3161 reader of [`crate::ses::timestamp`]).
fn check_doc_timestamp(
    ctx: &Context<'_>,
    doc: &Document,
    c: &[u8],
    range: Option<[u64; 4]>,
) -> (Vec<Check>, Option<String>) {
    use crate::ses::timestamp::{TimeStampToken, hash_by_oid, verify_token};
    let mut checks = Vec::new();
    // The DER without the zero padding of the placeholder.
    let der = match crate::asn1::read_tlv(c) {
        Ok((_, _, rest)) => &c[..c.len() - rest.len()],
        Err(_) => c,
    };
    let token = match TimeStampToken::from_der(der) {
        Ok(t) => t,
        Err(e) => {
            checks.push(Check::fail(
                ids::FORMAT,
                format!(
                    "the document timestamp is not an RFC 3161 token: {}",
                    e.detail()
                ),
            ));
            return (checks, None);
        }
    };
    checks.push(Check::pass(
        ids::FORMAT,
        format!("RFC 3161 document timestamp of {}", token.gen_time),
    ));
    let time = Some(token.gen_time.to_rfc3339());
    let Some(r) = range else {
        checks.push(Check::skip(
            ids::DATA_HASH,
            "not computed: the ByteRange is not valid",
        ));
        return (checks, time);
    };
    if r[1] + r[3] > MAX_TIMESTAMPED {
        checks.push(Check::indeterminate(
            ids::DATA_HASH,
            "the timestamped range is too large to check here",
        ));
        return (checks, time);
    }
    let mut data = Vec::with_capacity((r[1] + r[3]) as usize);
    for (s, l) in [(r[0], r[1]), (r[2], r[3])] {
        if doc.range_reader(s, l).read_to_end(&mut data).is_err() {
            checks.push(Check::indeterminate(
                ids::DATA_HASH,
                "the file cannot be read",
            ));
            return (checks, time);
        }
    }
    match hash_by_oid(&token.imprint_alg, &data) {
        None => checks.push(Check::indeterminate(
            ids::DATA_HASH,
            format!("imprint hash algorithm {} is not supported", token.imprint_alg),
        )),
        Some(h) if h == token.imprint => checks.push(Check::pass(
            ids::DATA_HASH,
            "the token's message imprint equals the hash of the ByteRange bytes",
        )),
        Some(_) => checks.push(Check::fail(
            ids::DATA_HASH,
            "the token's message imprint differs from the hash of the ByteRange bytes: the document was changed",
        )),
    }
    let mut ts = verify_token(der, &data, ctx.store(), ctx.now()).check;
    // A TSA key the library cannot use yet is undecided, not wrong.
    if ts.status == crate::report::Status::Fail && ts.message.starts_with("TSA certificate key") {
        ts.status = crate::report::Status::Indeterminate;
    }
    checks.push(ts);
    (checks, time)
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

/// The FieldMDP locks and the DocMDP level a signature sets: its `/Reference` transforms
/// (§12.8.2.2, §12.8.2.4) and its field's `/Lock` (ISO 32000-2 §12.7.5.5).
fn permissions(doc: &Document, field: &SigField, sig: &Dict) -> diff::Permissions {
    let mut perms = diff::Permissions {
        docmdp: docmdp_p(doc, sig),
        locks: Vec::new(),
    };
    let mut lock_of = |d: &Dict| {
        let action = d
            .name("Action")
            .map(|a| String::from_utf8_lossy(a).into_owned());
        let fields: Vec<String> = match d.get("Fields").map(|f| doc.resolve(f)) {
            Some(Ok(Object::Array(a))) => a
                .iter()
                .filter_map(|x| match x {
                    Object::String(s) => Some(decode_text(s)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if let Some(a) = action {
            perms.locks.push((a, fields));
        }
        d.int("P")
    };
    if let Some(Ok(lock)) = field.dict.get("Lock").map(|l| doc.resolve_dict(l, "/Lock"))
        && let Some(p) = lock_of(&lock)
        && perms.docmdp.is_none()
    {
        perms.docmdp = Some(p);
    }
    if let Some(Ok(Object::Array(refs))) = sig.get("Reference").map(|r| doc.resolve(r)) {
        for r in refs.iter().take(16) {
            if let Ok(d) = doc.resolve_dict(r, "reference")
                && d.name("TransformMethod") == Some(b"FieldMDP")
                && let Some(Ok(t)) = d
                    .get("TransformParams")
                    .map(|t| doc.resolve_dict(t, "params"))
            {
                lock_of(&t);
            }
        }
    }
    perms
}

/// The `modifications` check and the modification level for a signature whose revision ends
/// at `end` (the analysis and its policy are in [`super::diff`]).
fn modifications(
    doc: &Document,
    field: &SigField,
    sig: &Dict,
    end: u64,
) -> (Check, Option<diff::ModificationLevel>) {
    if end >= doc.len() {
        return (
            Check::pass(
                ids::MODIFICATIONS,
                "nothing was appended after the signature",
            ),
            Some(diff::ModificationLevel::None),
        );
    }
    let history = match diff::history(doc, end) {
        Ok(h) => h,
        Err(diff::HistoryError::NotInChain) => {
            return (
                Check::fail(
                    ids::MODIFICATIONS,
                    "the signed revision is not part of the document's revision chain",
                ),
                Some(diff::ModificationLevel::Other),
            );
        }
        Err(diff::HistoryError::TooLarge) => {
            return (
                Check::fail(
                    ids::MODIFICATIONS,
                    "too many objects or revisions changed after the signature",
                ),
                Some(diff::ModificationLevel::Other),
            );
        }
        Err(diff::HistoryError::Damaged(e)) => {
            return (
                Check::indeterminate(
                    ids::MODIFICATIONS,
                    format!(
                        "bytes follow the signed revision, but the damaged xref hides which objects changed ({e})"
                    ),
                ),
                None,
            );
        }
    };
    let j = diff::judge(&history, &permissions(doc, field, sig));
    (j.check, Some(j.level))
}
