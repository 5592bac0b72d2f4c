//! Licence metadata in a PDF, and the licence checks for the PDF verifier.
//!
//! Where the metadata is read (every source feeds the same [`super::Metadata`]):
//! - the XMP metadata stream of the catalog (ISO 32000-1 §14.3.2, `/Metadata`): every simple
//!   property of every `rdf:Description` (attribute or element, an `rdf:Alt`/`Seq`/`Bag` read
//!   as its first `rdf:li`) whose local name is a licence field name, Chinese or English
//!   ([`super::FIELDS`]), in any namespace. eseal writes them in the `pdfx` namespace
//!   ([`XMP_FIELDS_NS`]), where Acrobat mirrors the custom keys of the document information
//!   dictionary, under the English names of [`ENGLISH_KEYS`];
//! - the document information dictionary (§14.3.3, trailer `/Info`): custom keys with a licence
//!   field name (a Chinese key is a UTF-8 name, `#xx`-escaped in the file);
//! - the text of the first [`PAGES_READ`] pages ([`crate::pdf::text`]) for licence identifiers
//!   (`1.2.156.3005.2.…`): the identifier of a licence that has no metadata, and a cross-check
//!   of the one that has (read when the document is signed or has licence metadata, and only
//!   from pages whose content streams and forms decode within 4 MiB);
//! - bindings of a field to a place on a page, written by eseal in its own XMP namespace
//!   [`XMP_LAYOUT_NS`] (prefix `zzbd`): `zzbd:Bindings` is an `rdf:Seq` of resources with
//!   `zzbd:Field` (the field name as written in the metadata), `zzbd:Page` (from 1) and
//!   `zzbd:Rect` (`llx lly urx ury`, default user space). The text shown there (glyphs whose
//!   centre is inside the rectangle) is compared with the metadata (`licence.consistency`).
//!
//! `licence.metadata_protected`: a holder of metadata (the XMP stream, the information
//! dictionary, a page whose text was used) is protected by a signature when it is inside the
//! signature's signed revision (the bytes its `/ByteRange` covers end a revision, §7.5.6) and
//! neither it nor the reference leading to it (catalog `/Metadata`, trailer `/Info`, page
//! `/Contents`) changed in a later revision. This matters because the modification policy of
//! [`crate::pdf::diff`] allows metadata to change after signing: a signature stays valid while
//! its licence fields may not be. Signatures of any payload count (SES seals and CMS
//! signatures); document timestamps do not.

use super::{Binding, Metadata, SealEvidence, Source};
use crate::pdf::document::{Document, merge_sections};
use crate::pdf::object::{Dict, Object, decode_text};
use crate::pdf::xref::XrefEntry;
use crate::report::{Report, SignatureReport};
use std::collections::HashMap;

/// Namespace of the licence fields eseal writes in XMP (Adobe's `pdfx`, custom document
/// properties).
pub const XMP_FIELDS_NS: &str = "http://ns.adobe.com/pdfx/1.3/";
/// eseal's namespace for the page bindings of licence fields in XMP.
pub const XMP_LAYOUT_NS: &str = "urn:x-eseal:licence:bindings:1";
/// Pages whose text is read (licence identifiers and bindings beyond are not looked for).
pub const PAGES_READ: usize = 4;
/// Largest XMP packet read.
const MAX_XMP: usize = 4 << 20;

/// The English key written for each canonical field (the platform clients' names where they
/// have one: certificateIdentifier, certificateTypeCode, …).
pub const ENGLISH_KEYS: &[(&str, &str)] = &[
    ("licence_id", "certificateIdentifier"),
    ("number", "certificateNumber"),
    ("name", "certificateName"),
    ("type", "certificateTypeName"),
    ("type_code", "certificateTypeCode"),
    ("holder", "certificateHolderName"),
    ("holder_id", "certificateHolderCode"),
    ("holder_id_type", "certificateHolderType"),
    ("issuer", "certificateIssuingAuthorityName"),
    ("issuer_code", "certificateIssuingAuthorityCode"),
    ("issue_date", "certificateIssuedDate"),
    ("valid_from", "certificateEffectiveDate"),
    ("valid_to", "certificateExpiringDate"),
    ("jurisdiction", "certificateAreaCode"),
];

/// The English key of a canonical field.
pub fn english_key(canonical: &str) -> Option<&'static str> {
    ENGLISH_KEYS
        .iter()
        .find(|(c, _)| *c == canonical)
        .map(|(_, k)| *k)
}

/// An object holding licence metadata, named as in [`Metadata::files`].
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    /// The name used in the report (e.g. `XMP metadata (object 12)`).
    pub name: String,
    /// What it is.
    pub kind: HolderKind,
}

/// The kinds of [`Holder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolderKind {
    /// The catalog's `/Metadata` stream, object number.
    Xmp(u32),
    /// The trailer's `/Info` dictionary, object number (`None`: direct in the trailer).
    Info(Option<u32>),
    /// A page whose text was used: page number (from 1) and page object number.
    Page(usize, u32),
}

/// A field bound to a place on a page (read from XMP).
struct PlacedField {
    key: String,
    page: usize,
    rect: [f64; 4],
}

fn xmp_simple_value(node: roxmltree::Node<'_, '_>) -> Option<String> {
    let elements: Vec<_> = node.children().filter(|c| c.is_element()).collect();
    if elements.is_empty() {
        return Some(node.text().unwrap_or("").to_string());
    }
    let container = elements
        .iter()
        .find(|e| matches!(e.tag_name().name(), "Alt" | "Seq" | "Bag"))?;
    let li = container
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "li")?;
    Some(li.text().unwrap_or("").to_string())
}

const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";

/// Reads licence fields and bindings from an XMP packet.
fn read_xmp(xmp: &[u8], file: &str, md: &mut Metadata, placed: &mut Vec<PlacedField>) {
    let Ok(text) = std::str::from_utf8(xmp.strip_prefix(b"\xef\xbb\xbf").unwrap_or(xmp)) else {
        return;
    };
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let Ok(doc) = roxmltree::Document::parse_with_options(text, opts) else {
        return;
    };
    for d in doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Description")
    {
        for a in d.attributes() {
            if a.namespace() != Some(RDF_NS) {
                md.add(a.name(), a.value(), Source::Xmp, file);
            }
        }
        for p in d.children().filter(|c| c.is_element()) {
            if p.tag_name().namespace() == Some(XMP_LAYOUT_NS) && p.tag_name().name() == "Bindings"
            {
                for li in p
                    .descendants()
                    .filter(|n| n.is_element() && n.tag_name().name() == "li")
                {
                    let get = |name: &str| {
                        li.descendants()
                            .find(|n| {
                                n.is_element()
                                    && n.tag_name().namespace() == Some(XMP_LAYOUT_NS)
                                    && n.tag_name().name() == name
                            })
                            .and_then(|n| n.text())
                            .map(|t| t.trim().to_string())
                            .or_else(|| {
                                li.attributes()
                                    .find(|a| {
                                        a.namespace() == Some(XMP_LAYOUT_NS) && a.name() == name
                                    })
                                    .map(|a| a.value().trim().to_string())
                            })
                    };
                    let (Some(key), Some(page), Some(rect)) =
                        (get("Field"), get("Page"), get("Rect"))
                    else {
                        continue;
                    };
                    let r: Vec<f64> = rect
                        .split_whitespace()
                        .filter_map(|v| v.parse().ok())
                        .collect();
                    if let (Ok(page), [a, b, c, e]) = (page.parse::<usize>(), r.as_slice())
                        && page >= 1
                    {
                        placed.push(PlacedField {
                            key,
                            page,
                            rect: [a.min(*c), b.min(*e), a.max(*c), b.max(*e)],
                        });
                    }
                }
                continue;
            }
            if let Some(v) = xmp_simple_value(p) {
                md.add(p.tag_name().name(), &v, Source::Xmp, file);
            }
        }
    }
}

fn text_value(o: &Object) -> Option<String> {
    match o {
        Object::String(s) => Some(decode_text(s)),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        Object::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

/// Largest decoded content stream or form whose page text is read (hostile input: a
/// compression bomb is not expanded for the licence reader).
const MAX_PAGE_CONTENT: usize = 4 << 20;

/// Whether every content stream of the page, and every form XObject of its resources, decodes
/// within [`MAX_PAGE_CONTENT`].
fn page_content_bounded(doc: &Document, page: usize) -> bool {
    let Ok(info) = doc.page(page) else {
        return false;
    };
    let mut streams = Vec::new();
    match info.dict.get("Contents").map(|c| doc.resolve(c)) {
        Some(Ok(Object::Array(a))) => streams.extend(a),
        Some(Ok(o)) => streams.push(o),
        _ => {}
    }
    if let Some(xo) = info
        .resources
        .as_ref()
        .and_then(|r| doc.resolve_dict(r, "/Resources").ok())
        .and_then(|r| {
            r.get("XObject")
                .and_then(|x| doc.resolve_dict(x, "/XObject").ok())
        })
    {
        streams.extend(xo.0.iter().map(|(_, v)| v.clone()).take(64));
    }
    streams.iter().all(|o| match doc.resolve(o) {
        Ok(Object::Stream(st)) => {
            st.dict.name("Subtype") == Some(b"Image")
                || doc.decode_stream(&st, MAX_PAGE_CONTENT).is_ok()
        }
        Ok(_) => true,
        Err(_) => false,
    })
}

/// Reads the licence metadata of a PDF; returns it with the objects holding it.
pub fn read(doc: &Document) -> (Metadata, Vec<Holder>) {
    read_with(doc, true)
}

/// [`read`], the page text read only when `pages` is set.
fn read_with(doc: &Document, pages_too: bool) -> (Metadata, Vec<Holder>) {
    let mut md = Metadata::default();
    let mut holders = Vec::new();
    let mut placed = Vec::new();
    // XMP.
    if let Ok((_, cat)) = doc.catalog()
        && let Some(Object::Ref(n, _)) = cat.get("Metadata")
        && let Ok(Object::Stream(s)) = doc.get(*n)
        && let Ok(xmp) = doc.decode_stream(&s, MAX_XMP)
    {
        let name = format!("XMP metadata (object {n})");
        let before = (md.fields.len(), placed.len());
        read_xmp(&xmp, &name, &mut md, &mut placed);
        if (md.fields.len(), placed.len()) != before {
            md.add_file(&name);
            holders.push(Holder {
                name,
                kind: HolderKind::Xmp(*n),
            });
        }
    }
    // Document information dictionary.
    let info = doc.trailer().get("Info").cloned();
    if let Some(info) = info
        && let Ok(Object::Dict(d)) = doc.resolve(&info)
    {
        let num = info.as_ref().map(|(n, _)| n);
        let name = match num {
            Some(n) => format!("document information dictionary (object {n})"),
            None => "document information dictionary (in the trailer)".to_string(),
        };
        let mut found = false;
        for (k, v) in &d.0 {
            let key = String::from_utf8_lossy(k);
            if let Some(v) = text_value(v).or_else(|| text_value(&doc.resolve(v).ok()?)) {
                found |= md.add(&key, &v, Source::PdfInfo, &name);
            }
        }
        if found {
            holders.push(Holder {
                name,
                kind: HolderKind::Info(num),
            });
        }
    }
    // Page text: identifiers and bound fields.
    let pages = if pages_too || !md.fields.is_empty() || !placed.is_empty() {
        doc.page_ids().unwrap_or_default()
    } else {
        Vec::new()
    };
    for (i, id) in pages.iter().enumerate().take(PAGES_READ) {
        let page = i + 1;
        let name = format!("page {page} (object {})", id.0);
        if !page_content_bounded(doc, page) {
            continue;
        }
        let Ok(text) = crate::pdf::text::page_text(doc, page) else {
            continue;
        };
        let mut used = false;
        for ident in super::identifier::find_in_text(&text.text()) {
            if !md.page_identifiers.iter().any(|(p, _)| *p == ident) {
                md.page_identifiers.push((ident, name.clone()));
                used = true;
            }
        }
        for p in placed.iter().filter(|p| p.page == page) {
            let [x0, y0, x1, y1] = p.rect;
            let shown: String = text
                .glyphs
                .iter()
                .filter(|g| {
                    let cx = (g.rect_user[0] + g.rect_user[2]) / 2.0;
                    let cy = (g.rect_user[1] + g.rect_user[3]) / 2.0;
                    cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1
                })
                .map(|g| g.text.as_str())
                .collect();
            let value = md
                .fields
                .iter()
                .find(|f| f.source == Source::Xmp && f.key == p.key)
                .or_else(|| {
                    let c = super::canonical(&p.key)?;
                    md.fields.iter().find(|f| f.name == c)
                })
                .map(|f| f.value.clone());
            let Some(value) = value else { continue };
            md.bindings.push(Binding {
                key: p.key.clone(),
                value,
                page_file: name.clone(),
                object_id: format!("rect [{x0} {y0} {x1} {y1}]"),
                page_text: Some(shown),
            });
            used = true;
        }
        if used {
            md.add_file(&name);
            holders.push(Holder {
                name,
                kind: HolderKind::Page(page, id.0),
            });
        }
    }
    for p in placed
        .iter()
        .filter(|p| p.page > pages.len().min(PAGES_READ))
    {
        md.bindings.push(Binding {
            key: p.key.clone(),
            value: String::new(),
            page_file: format!("page {}", p.page),
            object_id: "(page not read)".into(),
            page_text: None,
        });
    }
    md.identifier_from_page();
    (md, holders)
}

/// The document as it was at the end of an earlier revision: its trailer and xref entries.
struct Revision {
    trailer: Dict,
    entries: HashMap<u32, XrefEntry>,
}

impl Revision {
    fn at(doc: &Document, end: u64) -> Option<Revision> {
        let chain = doc.chain_ending_at(end).ok()?;
        let trailer = chain.first()?.trailer.clone();
        Some(Revision {
            trailer,
            entries: merge_sections(chain.iter()),
        })
    }

    fn get(&self, doc: &Document, n: u32) -> Option<Object> {
        doc.get_with(n, self.entries.get(&n).copied()).ok()
    }
}

/// Whether object `n` is the same in the revision and in the final document.
fn unchanged(doc: &Document, rev: &Revision, n: u32) -> bool {
    let (Some(old), Some(new)) = (rev.entries.get(&n).copied(), doc.entry(n)) else {
        return false;
    };
    match (old, new) {
        (XrefEntry::Free, _) => false,
        (a, b) if a == b => match a {
            // The object stream holding it must be unchanged too.
            XrefEntry::InStream { stream, .. } => {
                rev.entries.get(&stream).copied() == doc.entry(stream)
            }
            _ => true,
        },
        // Rewritten: unchanged when the value is the same (never trusted for an object read
        // from an object stream of an older revision, which may since have been replaced).
        (XrefEntry::InFile { .. }, _) => {
            let (Some(a), Ok(b)) = (rev.get(doc, n), doc.get(n)) else {
                return false;
            };
            same_value(doc, &a, &b)
        }
        _ => false,
    }
}

fn same_value(doc: &Document, a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Stream(x), Object::Stream(y)) => {
            x.dict == y.dict
                && matches!(
                    (doc.stream_raw(x, MAX_XMP), doc.stream_raw(y, MAX_XMP)),
                    (Ok(p), Ok(q)) if p == q
                )
        }
        _ => a == b,
    }
}

fn catalog_entry(doc: &Document, trailer: &Dict, rev: Option<&Revision>, key: &str) -> Object {
    let Some(Object::Ref(root, _)) = trailer.get("Root") else {
        return Object::Null;
    };
    let cat = match rev {
        Some(r) => r.get(doc, *root),
        None => doc.get(*root).ok(),
    };
    cat.and_then(|c| c.as_dict().and_then(|d| d.get(key).cloned()))
        .unwrap_or(Object::Null)
}

/// Whether `holder` is inside the revision ending at `end` and unchanged since.
pub fn holder_unchanged_since(doc: &Document, holder: &Holder, end: u64) -> bool {
    let Some(rev) = Revision::at(doc, end) else {
        return false;
    };
    match holder.kind {
        HolderKind::Xmp(n) => {
            catalog_entry(doc, &rev.trailer, Some(&rev), "Metadata")
                == catalog_entry(doc, doc.trailer(), None, "Metadata")
                && unchanged(doc, &rev, n)
        }
        HolderKind::Info(Some(n)) => {
            rev.trailer.get("Info") == doc.trailer().get("Info") && unchanged(doc, &rev, n)
        }
        HolderKind::Info(None) => rev.trailer.get("Info") == doc.trailer().get("Info"),
        HolderKind::Page(_, n) => {
            let contents = |o: Option<Object>| {
                o.and_then(|p| p.as_dict().and_then(|d| d.get("Contents").cloned()))
            };
            let old = contents(rev.get(doc, n));
            let new = contents(doc.get(n).ok());
            if old.is_none() || old != new {
                return false;
            }
            let refs: Vec<u32> = match &new {
                Some(Object::Ref(c, _)) => match rev.get(doc, *c) {
                    // An indirect array of content streams.
                    Some(Object::Array(a)) => {
                        if !unchanged(doc, &rev, *c) {
                            return false;
                        }
                        a.iter().filter_map(|o| o.as_ref().map(|r| r.0)).collect()
                    }
                    _ => vec![*c],
                },
                Some(Object::Array(a)) => {
                    a.iter().filter_map(|o| o.as_ref().map(|r| r.0)).collect()
                }
                _ => Vec::new(),
            };
            !refs.is_empty() && refs.iter().all(|c| unchanged(doc, &rev, *c))
        }
    }
}

/// The fully qualified name of a form field (§12.7.3.2): the parent's name, a period, its `/T`.
pub(crate) fn field_name(prefix: &str, field: &Dict) -> String {
    let t = match field.get("T") {
        Some(Object::String(s)) => decode_text(s),
        _ => String::new(),
    };
    match (prefix.is_empty(), t.is_empty()) {
        (true, _) => t,
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix}.{t}"),
    }
}

/// A signature dictionary of the form: field name, `/ByteRange` end, `/Contents`.
struct SigDict {
    name: String,
    end: Option<u64>,
    contents: Vec<u8>,
}

fn signature_dicts(doc: &Document) -> Vec<SigDict> {
    let mut out = Vec::new();
    let Ok((_, cat)) = doc.catalog() else {
        return out;
    };
    let Some(acro) = cat.get("AcroForm").and_then(|a| doc.resolve(a).ok()) else {
        return out;
    };
    let Some(Object::Array(fields)) = acro
        .as_dict()
        .and_then(|d| d.get("Fields"))
        .and_then(|f| doc.resolve(f).ok())
    else {
        return out;
    };
    let mut stack: Vec<(Object, String, usize)> = fields
        .into_iter()
        .rev()
        .map(|f| (f, String::new(), 0))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((f, prefix, depth)) = stack.pop() {
        if depth > 32 || out.len() > 10_000 {
            break;
        }
        if let Some((n, _)) = f.as_ref()
            && !seen.insert(n)
        {
            continue;
        }
        let Ok(d) = doc.resolve_dict(&f, "field") else {
            continue;
        };
        let full = field_name(&prefix, &d);
        if let Some(Object::Array(kids)) = d.get("Kids").and_then(|k| doc.resolve(k).ok()) {
            for k in kids.into_iter().rev() {
                stack.push((k, full.clone(), depth + 1));
            }
        }
        let Some(v) = d.get("V").and_then(|v| doc.resolve(v).ok()) else {
            continue;
        };
        let Some(sig) = v.as_dict() else { continue };
        let Some(Object::String(contents)) = sig.get("Contents") else {
            continue;
        };
        let end = sig.get("ByteRange").and_then(|b| {
            let a = b.as_array()?;
            let v: Vec<u64> = a
                .iter()
                .filter_map(|o| o.as_int()?.try_into().ok())
                .collect();
            (v.len() == 4).then(|| v[2].checked_add(v[3]))?
        });
        out.push(SigDict {
            name: full,
            end,
            contents: contents.clone(),
        });
    }
    out
}

/// The signer certificate of a `/Contents` payload (SES_Signature or CMS SignedData).
fn signer_certificate(contents: &[u8]) -> Option<crate::pki::Certificate> {
    let ber = crate::asn1::ber_normalised(contents);
    let c = ber.as_deref().unwrap_or(contents);
    let der = match crate::asn1::read_tlv(c) {
        Ok((_, _, rest)) => &c[..c.len() - rest.len()],
        Err(_) => c,
    };
    if crate::pdf::cms::looks_like_cms(der) {
        let sd = crate::pdf::cms::parse_signed_data(der).ok()?;
        return crate::pki::Certificate::from_der(sd.signer_cert()?.raw).ok();
    }
    let ses = crate::ses::SesSignature::from_der(der).ok()?;
    crate::pki::Certificate::from_der(&ses.cert).ok()
}

/// Runs the licence checks on a verified PDF: returns `None` when it is not a licence.
pub fn check(
    doc: &Document,
    signatures: &[SignatureReport],
    at: crate::pki::Time,
) -> Option<(Vec<crate::report::Check>, serde_json::Value)> {
    // Page text only for a signed document or one with licence metadata.
    let (md, holders) = read_with(doc, !signatures.is_empty());
    if !md.is_licence() {
        return None;
    }
    let dicts = signature_dicts(doc);
    let evidence: Vec<SealEvidence> = signatures
        .iter()
        .enumerate()
        .map(|(i, sr)| {
            let mut same = dicts.iter().filter(|d| d.name == sr.id);
            let d = match (same.next(), same.next()) {
                (Some(d), None) => Some(d),
                _ => dicts.get(i).filter(|_| dicts.len() == signatures.len()),
            };
            let covers = match d.and_then(|d| d.end) {
                Some(end) => holders
                    .iter()
                    .filter(|h| holder_unchanged_since(doc, h, end))
                    .map(|h| h.name.clone())
                    .collect(),
                None => Vec::new(),
            };
            SealEvidence {
                id: sr.id.clone(),
                verdict: sr.verdict,
                is_seal: !matches!(sr.format.as_str(), "rfc3161" | "unknown"),
                covers,
                signer: d.and_then(|d| signer_certificate(&d.contents)),
            }
        })
        .collect();
    Some(super::evaluate(&md, &evidence, &super::Evaluation { at }))
}

/// Adds the licence checks and the `licence` section to the report of a PDF (nothing when the
/// document is not a licence). Called by the PDF verifier once every signature is verified.
pub fn apply(doc: &Document, report: &mut Report, now: Option<crate::pki::Time>) {
    let at = now.unwrap_or_else(crate::pki::Time::now);
    if let Some((checks, section)) = check(doc, &report.signatures, at) {
        report.checks.extend(checks);
        report.extra.insert("licence".into(), section);
    }
}
