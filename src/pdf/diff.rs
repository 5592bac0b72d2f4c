//! What changed after a PDF signature, revision by revision, judged by a written policy
//! (ISO 32000-1 §7.5.6 incremental updates, §12.8.2.2 DocMDP, §12.8.2.4 FieldMDP; ISO 32000-2
//! §12.8.4.5 `/Lock`; ETSI EN 319 142-1 §5.4 document security store; DESIGN §5.2).
//!
//! The analysis has three parts, kept apart:
//!
//! - **reader** ([`History`]): the signed revision's cross-reference state, then every later
//!   revision on its own (its xref section, newest trailer keys completed from older ones), and
//!   an **update without any xref** at the end of the file (objects appended after the last
//!   `%%EOF`, found by scanning as a reader that reconstructs the xref would find them);
//! - **diff** ([`classify`]): every object a revision wrote, compared with the state before that
//!   revision, is given one or more [`Change`]s naming the object and what it is;
//! - **policy** ([`POLICY`]): a table giving each kind of change its [`ModificationLevel`] and
//!   whether it is reported as a warning; [`judge`] compares the highest level with what the
//!   signature allows.
//!
//! # The policy
//!
//! As strict as pyHanko's default diff policy, and no stricter:
//!
//! | level | changes |
//! |---|---|
//! | `ltv` (always allowed) | new document timestamps (`/Type /DocTimeStamp`) and invisible signature fields; the `/DSS` with `/VRI`, `/Certs`, `/CRLs`, `/OCSPs` and their streams; the Info dictionary; the catalog's `/Metadata` stream (must still be XML); `/Extensions`, `/Version`, `/MarkInfo`; xref and object streams; objects rewritten unchanged; new objects nothing references (orphans) |
//! | `form_filling` (DocMDP P ≥ 2 or none) | new signatures in new or existing signature fields, with their widgets and appearance streams (pass); form field values and appearances (`/V`, `/AS`, `/AP`, `/F`, `/DA`, `/Q`, `/Ff`), other `/AcroForm` entries (warn) |
//! | `annotations` (DocMDP P = 3 or none) | annotations added or changed, with their appearances (warn) |
//! | `other` (never allowed) | anything else, named: page content, resources or page tree changed, pages added, objects deleted, streams replaced, catalog entries other than the above (including `/Perms`), form fields other than signatures added or removed, annotations removed, and objects that the signed revision referenced but did not define |
//!
//! A document with no DocMDP signature allows up to `annotations`; DocMDP `/P 1` allows only
//! `ltv`, `/P 2` up to `form_filling`, `/P 3` up to `annotations`. The DocMDP transform is read
//! from the signature's `/Reference` or from its field's `/Lock /P`. FieldMDP (`/Lock` of the
//! signature field, or a FieldMDP `/Reference`) with `/Action /All`, `/Include` or `/Exclude`
//! makes a change to a locked field fail: a new value, a signature in a locked empty field, or a
//! new visible signature field whose name is locked (as pyHanko: invisible ones never are). A
//! new visible signature after a certification with P = 2 is allowed, as ISO 32000-1 says
//! ("signing"), where pyHanko by default refuses it.
//!
//! Every later revision is compared with the one before it, so a forbidden change undone by a
//! later revision still fails; the signature's `modification_level` is the highest level of all.
//! The `modifications` check fails when the level exceeds what the signature allows (and names
//! every change above it), warns when a reported change was allowed or when unused bytes
//! follow the last revision, and passes otherwise.
//!
//! # Updates without an xref
//!
//! Objects appended after the last revision with no cross-reference section are judged as one
//! more revision ("without xref"), with the same table: readers that rebuild a damaged xref
//! use the last definition of each object number, so an object of the signed state redefined
//! there is a change like any other, and a forbidden one fails with its number. New objects
//! there are judged by the same rules too: by their type when they say what they are (a new
//! page is `other`, an annotation `annotations`), and as orphans when nothing references them —
//! they cannot be displayed without a reference from the document, so the check only warns that
//! unused bytes follow. A redefined catalog or page tree is caught as the change of those
//! objects.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::document::{Document, merge_sections};
use super::object::{Dict, Object, decode_text};
use super::xref::{XrefEntry, XrefSection};

/// How far a document was changed after a signature (after pyHanko's `ModificationLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ModificationLevel {
    /// Nothing was appended.
    None,
    /// Only long-term validation material, metadata and new document timestamps.
    Ltv,
    /// New signatures and form field values.
    FormFilling,
    /// Annotations added or changed.
    Annotations,
    /// Anything else: never allowed after a signature.
    Other,
}

impl ModificationLevel {
    /// The lowercase name used in reports (`none`, `ltv`, `form_filling`, `annotations`,
    /// `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            ModificationLevel::None => "none",
            ModificationLevel::Ltv => "ltv",
            ModificationLevel::FormFilling => "form_filling",
            ModificationLevel::Annotations => "annotations",
            ModificationLevel::Other => "other",
        }
    }

    /// The highest level a signature with DocMDP `/P p` (or none) allows.
    pub fn allowed_by_docmdp(p: Option<i64>) -> ModificationLevel {
        match p {
            Some(1) => ModificationLevel::Ltv,
            Some(2) => ModificationLevel::FormFilling,
            _ => ModificationLevel::Annotations,
        }
    }
}

/// The kinds of change the diff analysis finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    /// An object written again with the same value.
    Unchanged,
    /// A cross-reference or object stream.
    XrefStructure,
    /// A new object nothing in the revision references.
    Orphan,
    /// The document information dictionary.
    DocInfo,
    /// The catalog's XMP `/Metadata` stream.
    Metadata,
    /// The document security store and what it holds.
    Dss,
    /// The catalog's `/Extensions` (e.g. the ESIC extension level written with a DSS),
    /// `/Version` and `/MarkInfo`.
    Extensions,
    /// A new document timestamp.
    DocTimeStamp,
    /// A new invisible signature field.
    InvisibleSigField,
    /// `/Fields` or a page's `/Annots` grew by new objects, `/SigFlags`, `/DR`, `/DA`.
    FormStructure,
    /// A new signature value (`/Type /Sig`).
    Signature,
    /// A new visible signature field, or a signature put in an existing empty field.
    SignatureField,
    /// A form field's value or appearance.
    FieldValue,
    /// Other entries of the `/AcroForm` dictionary.
    FormDictionary,
    /// An annotation added or changed.
    Annotation,
    /// A forbidden change.
    Forbidden,
}

/// The policy as data: each kind of change, its level, and whether it is reported as a
/// warning when allowed.
pub const POLICY: &[(Change, ModificationLevel, bool)] = &[
    (Change::Unchanged, ModificationLevel::Ltv, false),
    (Change::XrefStructure, ModificationLevel::Ltv, false),
    (Change::Orphan, ModificationLevel::Ltv, false),
    (Change::DocInfo, ModificationLevel::Ltv, false),
    (Change::Metadata, ModificationLevel::Ltv, false),
    (Change::Dss, ModificationLevel::Ltv, false),
    (Change::Extensions, ModificationLevel::Ltv, false),
    (Change::DocTimeStamp, ModificationLevel::Ltv, false),
    (Change::InvisibleSigField, ModificationLevel::Ltv, false),
    (Change::FormStructure, ModificationLevel::Ltv, false),
    (Change::Signature, ModificationLevel::FormFilling, false),
    (
        Change::SignatureField,
        ModificationLevel::FormFilling,
        false,
    ),
    (Change::FieldValue, ModificationLevel::FormFilling, true),
    (Change::FormDictionary, ModificationLevel::FormFilling, true),
    (Change::Annotation, ModificationLevel::Annotations, true),
    (Change::Forbidden, ModificationLevel::Other, true),
];

/// The level and warning flag of a kind of change.
pub fn rule(c: Change) -> (ModificationLevel, bool) {
    POLICY
        .iter()
        .find(|(k, _, _)| *k == c)
        .map(|(_, l, w)| (*l, *w))
        .unwrap_or((ModificationLevel::Other, true))
}

/// One change found: the object, its kind, a description, and the form field it concerns.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Object number (0 when the change is not about one object).
    pub obj: u32,
    /// What kind of change.
    pub change: Change,
    /// For people: the object and what happened to it.
    pub what: String,
    /// The fully qualified name of the form field changed, if any (for FieldMDP locks).
    pub field: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Reader: the signed state and every later revision.

/// Upper bound on objects visited by one walk of the document graph.
const WALK_BUDGET: usize = 200_000;
/// Upper bound on the objects one revision may change.
const MAX_CHANGED: usize = 200_000;

/// One state of the document: the merged cross-reference entries and the trailer.
#[derive(Clone)]
pub struct State<'a> {
    doc: &'a Document,
    map: HashMap<u32, XrefEntry>,
    trailer: Dict,
}

impl<'a> State<'a> {
    fn from_chain(doc: &'a Document, chain: &[XrefSection]) -> Self {
        let mut trailer = chain.first().map(|s| s.trailer.clone()).unwrap_or_default();
        for s in chain.iter().skip(1) {
            for key in ["Root", "Info", "ID", "Size"] {
                if trailer.get(key).is_none()
                    && let Some(v) = s.trailer.get(key)
                {
                    trailer.set(key, v.clone());
                }
            }
        }
        State {
            doc,
            map: merge_sections(chain.iter()),
            trailer,
        }
    }

    /// True when object `n` is in use in this state.
    pub fn exists(&self, n: u32) -> bool {
        matches!(
            self.map.get(&n),
            Some(XrefEntry::InFile { .. } | XrefEntry::InStream { .. })
        )
    }

    /// Object `n` in this state (`null` when missing or unreadable).
    pub fn get(&self, n: u32) -> Object {
        self.doc
            .get_with(n, self.map.get(&n).copied())
            .unwrap_or(Object::Null)
    }

    /// Resolves one level of reference in this state.
    pub fn resolve(&self, o: &Object) -> Object {
        match o {
            Object::Ref(n, _) => self.get(*n),
            o => o.clone(),
        }
    }

    fn resolve_dict(&self, o: &Object) -> Option<Dict> {
        match self.resolve(o) {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(s.dict),
            _ => None,
        }
    }

    fn trailer_ref(&self, key: &str) -> Option<u32> {
        self.trailer.get(key).and_then(Object::as_ref).map(|r| r.0)
    }

    fn catalog(&self) -> Dict {
        self.trailer
            .get("Root")
            .and_then(|r| self.resolve_dict(r))
            .unwrap_or_default()
    }

    /// One more than the highest object number the state may use.
    fn size(&self) -> u32 {
        let declared = self
            .trailer
            .int("Size")
            .unwrap_or(0)
            .clamp(0, u32::MAX as i64) as u32;
        let max = self.map.keys().copied().max().unwrap_or(0);
        declared.max(max.saturating_add(1))
    }

    /// The page objects, in order, with a budget against loops.
    fn pages(&self) -> Vec<(u32, Dict)> {
        let mut out = Vec::new();
        let Some(root) = self.catalog().get("Pages").cloned() else {
            return out;
        };
        let mut stack = vec![(root, 0u32)];
        let mut seen = HashSet::new();
        while let Some((o, depth)) = stack.pop() {
            if depth > 64 || seen.len() > WALK_BUDGET {
                break;
            }
            let num = o.as_ref().map(|r| r.0);
            if let Some(n) = num
                && !seen.insert(n)
            {
                continue;
            }
            let Some(d) = self.resolve_dict(&o) else {
                continue;
            };
            match d.get("Kids").map(|k| self.resolve(k)) {
                Some(Object::Array(kids)) if !d.is_type("Page") => {
                    for k in kids.into_iter().rev() {
                        stack.push((k, depth + 1));
                    }
                }
                _ => {
                    if let Some(n) = num {
                        out.push((n, d));
                    }
                }
            }
        }
        out
    }

    /// True when the two values are the same (streams by dictionary and encoded data).
    fn same(&self, a: &Object, b: &Object) -> bool {
        match (a, b) {
            (Object::Stream(x), Object::Stream(y)) => {
                if !dict_eq(&x.dict, &y.dict) {
                    return false;
                }
                let lim = 16 << 20;
                match (self.doc.stream_raw(x, lim), self.doc.stream_raw(y, lim)) {
                    (Ok(p), Ok(q)) => p == q,
                    _ => false,
                }
            }
            _ => obj_eq(a, b),
        }
    }
}

/// One later revision: what it wrote and the states around it.
pub struct Revision<'a> {
    /// For messages: "revision 3" or "update without xref at byte N".
    pub label: String,
    /// The state before this revision.
    pub before: State<'a>,
    /// The state after it.
    pub after: State<'a>,
    /// The object numbers it wrote, sorted.
    pub changed: Vec<u32>,
    /// True for objects appended with no cross-reference section.
    pub without_xref: bool,
}

/// The revisions after a signed revision.
pub struct History<'a> {
    /// Every later revision, oldest first.
    pub revisions: Vec<Revision<'a>>,
    /// Bytes after the last revision that hold no object (not counting white space).
    pub unused_tail: u64,
}

/// Why a history could not be read.
pub enum HistoryError {
    /// The signed revision is not in the document's chain of revisions.
    NotInChain,
    /// The cross-reference data needed to tell what changed is damaged.
    Damaged(String),
    /// Too much changed to analyse.
    TooLarge,
}

fn is_blank(b: &[u8]) -> bool {
    b.iter().all(|&c| super::object::is_white(c))
}

/// Reads the signed state (the revision ending at `end`) and every later revision.
pub fn history(doc: &Document, end: u64) -> Result<History<'_>, HistoryError> {
    let signed_chain = match doc.chain_ending_at(end) {
        Ok(c) => c,
        Err(_) if !doc.is_reconstructed() => doc
            .sections()
            .iter()
            .filter(|s| s.offset < end)
            .cloned()
            .collect(),
        Err(e) => return Err(HistoryError::Damaged(e.detail().to_string())),
    };
    let Some(signed_head) = signed_chain.first().map(|s| s.offset) else {
        return Err(HistoryError::NotInChain);
    };
    // The chain of the newest revision with an xref.
    let newest: Vec<XrefSection> = if doc.is_reconstructed() {
        newest_chain_after(doc, end, signed_head)
    } else {
        doc.sections().to_vec()
    };
    let mut later: Vec<&XrefSection> = Vec::new();
    if !newest.is_empty() {
        if !newest.iter().any(|s| s.offset == signed_head) {
            return Err(HistoryError::NotInChain);
        }
        later = newest.iter().filter(|s| s.offset >= end).collect();
        later.sort_by_key(|s| s.offset);
    }
    if later.len() > 1000 {
        return Err(HistoryError::TooLarge);
    }
    let signed_count = signed_chain.len();
    let mut state = State::from_chain(doc, &signed_chain);
    let mut revisions = Vec::new();
    let mut last_end = end;
    for (i, s) in later.iter().enumerate() {
        let mut after = state.clone();
        let own = merge_sections(std::iter::once(*s));
        if own.len() > MAX_CHANGED {
            return Err(HistoryError::TooLarge);
        }
        for (n, e) in &own {
            after.map.insert(*n, *e);
        }
        // The trailer of this revision, completed from the older ones.
        let mut trailer = s.trailer.clone();
        for key in ["Root", "Info", "ID", "Size"] {
            if trailer.get(key).is_none()
                && let Some(v) = state.trailer.get(key)
            {
                trailer.set(key, v.clone());
            }
        }
        after.trailer = trailer;
        let mut changed: Vec<u32> = own.keys().copied().collect();
        changed.sort_unstable();
        revisions.push(Revision {
            label: format!("revision {}", signed_count + i + 1),
            before: state,
            after: after.clone(),
            changed,
            without_xref: false,
        });
        state = after;
        if let Some(e) = doc.revision_end_after(s.offset) {
            last_end = last_end.max(e);
        }
    }
    // Objects appended after the last revision without a cross-reference section.
    let mut unused_tail = 0;
    if last_end < doc.len() {
        let objs = doc
            .scan_objects(last_end, doc.len())
            .map_err(|e| HistoryError::Damaged(e.detail().to_string()))?;
        if objs.len() > MAX_CHANGED {
            return Err(HistoryError::TooLarge);
        }
        if objs.is_empty() {
            let tail = doc
                .read_at(last_end, (doc.len() - last_end).min(1 << 20) as usize)
                .unwrap_or_default();
            if !is_blank(&tail) {
                unused_tail = doc.len() - last_end;
            }
        } else {
            let mut after = state.clone();
            let mut changed = HashSet::new();
            for &(n, g, offset) in &objs {
                after.map.insert(
                    n,
                    XrefEntry::InFile {
                        offset,
                        generation: g,
                    },
                );
                changed.insert(n);
            }
            // Objects inside object streams found there.
            for &(n, _, _) in &objs {
                if let Object::Stream(st) = after.get(n)
                    && st.dict.is_type("ObjStm")
                    && let Ok(data) = doc.decode_stream(&st, super::document::MAX_DECODED)
                {
                    for (i, m) in objstm_numbers(&st.dict, &data).into_iter().enumerate() {
                        if !changed.contains(&m) {
                            after.map.insert(
                                m,
                                XrefEntry::InStream {
                                    stream: n,
                                    index: i as u32,
                                },
                            );
                            changed.insert(m);
                        }
                    }
                }
            }
            if doc.is_reconstructed() && doc.trailer().get("Root").is_some() {
                after.trailer = doc.trailer().clone();
            }
            let mut changed: Vec<u32> = changed.into_iter().collect();
            changed.sort_unstable();
            revisions.push(Revision {
                label: format!(
                    "update without xref at byte {last_end} ({} bytes)",
                    doc.len() - last_end
                ),
                before: state,
                after,
                changed,
                without_xref: true,
            });
        }
    }
    Ok(History {
        revisions,
        unused_tail,
    })
}

/// The object numbers an object stream holds, in order.
fn objstm_numbers(dict: &Dict, data: &[u8]) -> Vec<u32> {
    let n = dict.int("N").unwrap_or(0).clamp(0, 100_000) as usize;
    let mut p = super::object::Parser::new(data, 0);
    let mut out = Vec::new();
    for _ in 0..n {
        let (Ok(num), Ok(_)) = (p.uint(), p.uint()) else {
            break;
        };
        out.push(num as u32);
    }
    out
}

/// For a document whose newest xref is damaged: the last chain after `end` that loads and
/// contains the signed revision's section.
fn newest_chain_after(doc: &Document, end: u64, signed_head: u64) -> Vec<XrefSection> {
    let mut best = Vec::new();
    let mut from = end.saturating_sub(1024);
    let mut tries = 0;
    while let Some(at) = doc.find_forward(from, b"startxref") {
        from = at + 9;
        tries += 1;
        if tries > 1000 {
            break;
        }
        let Ok(after) = doc.read_at(at + 9, 32) else {
            break;
        };
        let digits: Vec<u8> = after
            .iter()
            .skip_while(|b| super::object::is_white(**b))
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        let Some(off) = std::str::from_utf8(&digits)
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
        else {
            continue;
        };
        if let Ok(chain) = doc.read_chain(off)
            && chain.iter().any(|s| s.offset == signed_head)
        {
            best = chain;
        }
    }
    best
}

// ---------------------------------------------------------------------------------------------
// Diff: what each revision changed.

fn refs_in(o: &Object, out: &mut Vec<u32>) {
    match o {
        Object::Ref(n, _) => out.push(*n),
        Object::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        Object::Dict(d) => d.0.iter().for_each(|(_, v)| refs_in(v, out)),
        Object::Stream(s) => s.dict.0.iter().for_each(|(_, v)| refs_in(v, out)),
        _ => {}
    }
}

/// Equality of PDF values with dictionaries compared as maps (key order does not matter).
fn obj_eq(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::Dict(x), Object::Dict(y)) => dict_eq(x, y),
        (Object::Stream(x), Object::Stream(y)) => {
            x.data_offset == y.data_offset && dict_eq(&x.dict, &y.dict)
        }
        (Object::Array(x), Object::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| obj_eq(p, q))
        }
        (Object::Int(x), Object::Real(y)) | (Object::Real(y), Object::Int(x)) => *x as f64 == *y,
        _ => a == b,
    }
}

fn dict_eq(a: &Dict, b: &Dict) -> bool {
    a.0.len() == b.0.len()
        && a.0
            .iter()
            .all(|(k, v)| b.0.iter().any(|(k2, v2)| k == k2 && obj_eq(v, v2)))
}

/// The keys whose values differ between two dictionaries (in either).
fn changed_keys(a: &Dict, b: &Dict) -> Vec<String> {
    let mut keys: Vec<&Vec<u8>> = a.0.iter().map(|(k, _)| k).collect();
    for (k, _) in &b.0 {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .filter(|k| {
            let ka = a.0.iter().find(|(x, _)| x == *k).map(|(_, v)| v);
            let kb = b.0.iter().find(|(x, _)| x == *k).map(|(_, v)| v);
            match (ka, kb) {
                (Some(p), Some(q)) => !obj_eq(p, q),
                (None, None) => false,
                _ => true,
            }
        })
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect()
}

fn name_of(d: &Dict, key: &str) -> String {
    d.name(key)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .unwrap_or_default()
}

/// A short description of what an object is, for messages.
fn describe(o: &Object) -> String {
    match o {
        Object::Stream(s) => {
            let d = &s.dict;
            match (name_of(d, "Type").as_str(), name_of(d, "Subtype").as_str()) {
                ("", "") if d.get("Length1").is_some() || d.get("Length2").is_some() => {
                    "font program stream".into()
                }
                ("", "") => "content stream".into(),
                (t, "") => format!("/{t} stream"),
                ("", st) => format!("/{st} stream"),
                (t, st) => format!("/{t} /{st} stream"),
            }
        }
        Object::Dict(d) => {
            if d.get("FT").is_some() {
                return format!("form field /{}", name_of(d, "FT"));
            }
            match (name_of(d, "Type").as_str(), name_of(d, "Subtype").as_str()) {
                ("", "") => "dictionary".into(),
                (t, "") => format!("/{t} dictionary"),
                ("", st) => format!("/{st} dictionary"),
                (t, st) => format!("/{t} /{st} dictionary"),
            }
        }
        Object::Array(_) => "array".into(),
        Object::Null => "null".into(),
        _ => "value".into(),
    }
}

fn is_annotation(d: &Dict) -> bool {
    d.is_type("Annot") || (d.get("Subtype").is_some() && d.get("Rect").is_some())
}

fn is_widget(d: &Dict) -> bool {
    d.name("Subtype") == Some(b"Widget")
}

fn is_sig_value(d: &Dict) -> bool {
    d.is_type("Sig")
        || d.is_type("DocTimeStamp")
        || (d.get("ByteRange").is_some()
            && d.get("Contents").is_some()
            && d.get("Filter").is_some())
}

fn rect_visible(d: &Dict) -> bool {
    let Some(Object::Array(r)) = d.get("Rect") else {
        return false;
    };
    let v: Vec<f64> = r.iter().filter_map(Object::as_f64).collect();
    v.len() == 4 && ((v[2] - v[0]) * (v[3] - v[1])).abs() > 0.0
}

/// The field type, inherited through `/Parent` (§12.7.3.1).
fn field_type(st: &State<'_>, d: &Dict) -> Option<Vec<u8>> {
    let mut cur = d.clone();
    for _ in 0..32 {
        if let Some(ft) = cur.name("FT") {
            return Some(ft.to_vec());
        }
        cur = st.resolve_dict(cur.get("Parent")?)?;
    }
    None
}

/// The fully qualified field name (§12.7.3.2), through `/Parent`.
pub(crate) fn field_name(st: &State<'_>, d: &Dict) -> String {
    let mut parts = Vec::new();
    let mut cur = d.clone();
    for _ in 0..32 {
        if let Some(Object::String(t)) = cur.get("T") {
            parts.push(decode_text(t));
        }
        match cur.get("Parent").and_then(|p| st.resolve_dict(p)) {
            Some(p) => cur = p,
            None => break,
        }
    }
    parts.reverse();
    parts.join(".")
}

fn is_field(st: &State<'_>, d: &Dict) -> bool {
    d.get("FT").is_some()
        || d.get("T").is_some()
        || (!is_widget(d) && d.get("Parent").is_some() && field_type(st, d).is_some())
}

/// Every object number of the document security store of a state.
fn dss_objects(st: &State<'_>) -> HashSet<u32> {
    let mut out = HashSet::new();
    let Some(dss) = st.catalog().get("DSS").cloned() else {
        return out;
    };
    let mut stack = vec![(dss, 0u32)];
    while let Some((o, depth)) = stack.pop() {
        if depth > 4 || out.len() > WALK_BUDGET {
            break;
        }
        if let Some((n, _)) = o.as_ref()
            && !out.insert(n)
        {
            continue;
        }
        match st.resolve(&o) {
            Object::Dict(d) => {
                for (_, v) in d.0 {
                    stack.push((v, depth + 1));
                }
            }
            Object::Array(a) => {
                for v in a {
                    stack.push((v, depth + 1));
                }
            }
            _ => {}
        }
    }
    out
}

/// Compares two `/Fields` or `/Annots` arrays: removed entries, and old objects added.
fn list_change(
    before: &State<'_>,
    old: &Object,
    new: &Object,
    what: &str,
    owner: u32,
    added_old: Change,
    out: &mut Vec<Finding>,
) {
    let empty = Vec::new();
    let a = match old {
        Object::Array(a) => a,
        _ => &empty,
    };
    let b = match new {
        Object::Array(b) => b,
        Object::Null => &empty,
        _ => {
            out.push(Finding {
                obj: owner,
                change: Change::Forbidden,
                what: format!("the {what} of object {owner} is no longer an array"),
                field: None,
            });
            return;
        }
    };
    for x in a.iter().filter(|x| !b.contains(x)) {
        out.push(Finding {
            obj: x.as_ref().map(|r| r.0).unwrap_or(owner),
            change: Change::Forbidden,
            what: format!(
                "{} removed from the {what} of object {owner}",
                match x.as_ref() {
                    Some((n, _)) => format!("object {n}"),
                    None => "an entry".into(),
                }
            ),
            field: None,
        });
    }
    for x in b.iter().filter(|x| !a.contains(x)) {
        match x.as_ref() {
            Some((n, _)) if !before.exists(n) => {} // a new object: judged on its own
            Some((n, _)) => out.push(Finding {
                obj: n,
                change: added_old,
                what: format!("existing object {n} added to the {what} of object {owner}"),
                field: None,
            }),
            None => out.push(Finding {
                obj: owner,
                change: added_old,
                what: format!("a direct entry added to the {what} of object {owner}"),
                field: None,
            }),
        }
    }
}

/// Classifies every object one revision wrote. Returns the findings and the level of every
/// new object reached from a classified one (appearances, fonts, streams of the DSS, …).
pub fn classify(rev: &Revision<'_>) -> Vec<Finding> {
    let (b, a) = (&rev.before, &rev.after);
    let mut out: Vec<Finding> = Vec::new();
    let mut explained: HashMap<u32, ModificationLevel> = HashMap::new();
    let push = |out: &mut Vec<Finding>, obj: u32, change: Change, what: String| {
        out.push(Finding {
            obj,
            change,
            what,
            field: None,
        })
    };

    // The catalog, compared key by key, whatever its object number.
    let (root_b, root_a) = (b.trailer_ref("Root"), a.trailer_ref("Root"));
    let (cat_b, cat_a) = (b.catalog(), a.catalog());
    let root_changed = rev.changed.iter().any(|n| Some(*n) == root_a) || root_a != root_b;
    if root_changed {
        let root = root_a.unwrap_or(0);
        for key in changed_keys(&cat_b, &cat_a) {
            let change = match key.as_str() {
                "AcroForm" => Change::FormStructure, // its content is judged below
                "DSS" => Change::Dss,
                "Metadata" => Change::Metadata,
                "Extensions" | "Version" | "MarkInfo" => Change::Extensions,
                _ => Change::Forbidden,
            };
            push(
                &mut out,
                root,
                change,
                format!("the document catalog (object {root}) changed /{key}"),
            );
        }
        if root_a != root_b {
            push(
                &mut out,
                root,
                Change::FormStructure,
                format!("the trailer's /Root now names object {root}"),
            );
        }
        explained.insert(root, ModificationLevel::Ltv);
    }
    // The /AcroForm dictionary, wherever it is stored.
    let acro_b = cat_b.get("AcroForm").and_then(|x| b.resolve_dict(x));
    let acro_a = cat_a.get("AcroForm").and_then(|x| a.resolve_dict(x));
    let acro_num = cat_a.get("AcroForm").and_then(Object::as_ref).map(|r| r.0);
    let acro_changed = match (&acro_b, &acro_a) {
        (Some(x), Some(y)) => !dict_eq(x, y),
        (None, None) => false,
        _ => true,
    };
    if acro_changed {
        let owner = acro_num.or(root_a).unwrap_or(0);
        let ob = acro_b.clone().unwrap_or_default();
        let oa = acro_a.clone().unwrap_or_default();
        for key in changed_keys(&ob, &oa) {
            let change = match key.as_str() {
                "Fields" => continue,
                "SigFlags" | "DR" | "DA" | "Q" => Change::FormStructure,
                "XFA" => Change::Forbidden,
                _ => Change::FormDictionary,
            };
            push(
                &mut out,
                owner,
                change,
                format!("the form dictionary (object {owner}) changed /{key}"),
            );
        }
        let fb = ob
            .get("Fields")
            .map(|f| b.resolve(f))
            .unwrap_or(Object::Null);
        let fa = oa
            .get("Fields")
            .map(|f| a.resolve(f))
            .unwrap_or(Object::Null);
        list_change(
            b,
            &fb,
            &fa,
            "form fields",
            owner,
            Change::Forbidden,
            &mut out,
        );
        if let Some(n) = acro_num {
            explained.insert(n, ModificationLevel::Ltv);
        }
        if let Some(Object::Ref(n, _)) = oa.get("Fields") {
            explained.insert(*n, ModificationLevel::Ltv);
        }
    }
    // Pages whose /Annots is stored apart.
    let mut annots_owner: HashMap<u32, u32> = HashMap::new();
    let changed_set: HashSet<u32> = rev.changed.iter().copied().collect();
    if rev
        .changed
        .iter()
        .any(|n| b.exists(*n) && !explained.contains_key(n))
    {
        for (p, d) in a.pages() {
            if let Some(Object::Ref(n, _)) = d.get("Annots")
                && changed_set.contains(n)
            {
                annots_owner.insert(*n, p);
            }
        }
    }
    let info_a = a.trailer_ref("Info");
    let meta_a = cat_a.get("Metadata").and_then(Object::as_ref).map(|r| r.0);
    let dss_a = dss_objects(a);
    let dss_b = if dss_a.iter().any(|n| b.exists(*n)) {
        dss_objects(b)
    } else {
        HashSet::new()
    };

    // New objects reachable from the trailer or from the objects of the signed state this
    // revision rewrote; the others are orphans whatever they claim to be (pyHanko clears them
    // as LTV updates): nothing can display them.
    let reachable = reachable_new(rev, &changed_set);
    for &n in &rev.changed {
        if !b.exists(n) && a.exists(n) && !reachable.contains(&n) {
            continue;
        }
        let new = a.get(n);
        let existed = b.exists(n);
        if !existed && !a.exists(n) {
            continue; // freed or empty entry of an object that never existed
        }
        if existed && !a.exists(n) {
            push(
                &mut out,
                n,
                Change::Forbidden,
                format!("object {n} ({}) deleted", describe(&b.get(n))),
            );
            continue;
        }
        if explained.contains_key(&n) {
            continue;
        }
        let old = if existed { b.get(n) } else { Object::Null };
        if existed && b.same(&old, &new) {
            explained.insert(n, ModificationLevel::Ltv);
            continue;
        }
        let dict = match &new {
            Object::Dict(d) => Some(d.clone()),
            Object::Stream(s) => Some(s.dict.clone()),
            _ => None,
        };
        macro_rules! found {
            ($out:expr, $change:expr, $what:expr $(,)?) => {{
                let change: Change = $change;
                explained.insert(n, rule(change).0);
                push($out, n, change, $what);
            }};
        }
        if !existed
            && let Some(d) = &dict
            && (d.is_type("XRef") || d.is_type("ObjStm"))
        {
            found!(&mut out, Change::XrefStructure, String::new());
            continue;
        }
        if Some(n) == info_a {
            found!(
                &mut out,
                Change::DocInfo,
                format!("the document information dictionary (object {n})"),
            );
            continue;
        }
        if Some(n) == meta_a {
            let xml = match &new {
                Object::Stream(s) => a
                    .doc
                    .decode_stream(s, 4 << 20)
                    .map(|d| {
                        let t: Vec<u8> = d
                            .iter()
                            .skip_while(|c| {
                                c.is_ascii_whitespace() || **c == 0xEF || **c == 0xBB || **c == 0xBF
                            })
                            .take(1)
                            .copied()
                            .collect();
                        t == b"<"
                    })
                    .unwrap_or(false),
                _ => false,
            };
            if xml {
                found!(
                    &mut out,
                    Change::Metadata,
                    format!("the XMP metadata stream (object {n})"),
                );
            } else {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("the catalog's /Metadata (object {n}) is not an XML stream"),
                );
            }
            continue;
        }
        if dss_a.contains(&n) {
            if !existed || dss_b.contains(&n) {
                found!(
                    &mut out,
                    Change::Dss,
                    format!("document security store object {n}"),
                );
            } else {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!(
                        "object {n} ({}) of the signed revision was reused in the /DSS",
                        describe(&old)
                    ),
                );
            }
            continue;
        }
        if let Some(&page) = annots_owner.get(&n) {
            explained.insert(n, ModificationLevel::Ltv);
            list_change(
                b,
                &old,
                &new,
                "annotations",
                page,
                Change::Annotation,
                &mut out,
            );
            continue;
        }
        let Some(d) = dict else {
            if existed {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("object {n} ({}) changed", describe(&old)),
                );
            }
            continue;
        };
        let old_dict = old.as_dict().cloned().or_else(|| match &old {
            Object::Stream(s) => Some(s.dict.clone()),
            _ => None,
        });
        if is_sig_value(&d) {
            if existed {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("signature dictionary {n} changed"),
                );
            } else if d.is_type("DocTimeStamp") {
                found!(
                    &mut out,
                    Change::DocTimeStamp,
                    format!("document timestamp {n} added"),
                );
            } else {
                found!(&mut out, Change::Signature, format!("signature {n} added"));
            }
            continue;
        }
        if d.is_type("Page") || old_dict.as_ref().is_some_and(|o| o.is_type("Page")) {
            let Some(od) = old_dict.filter(|_| existed) else {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!("page object {n} added")
                );
                continue;
            };
            let keys: Vec<String> = changed_keys(&od, &d)
                .into_iter()
                .filter(|k| k != "Annots")
                .collect();
            if !keys.is_empty() || matches!(new, Object::Stream(_)) {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!(
                        "page object {n} changed (/{}: content or resources)",
                        keys.join(", /")
                    ),
                );
                continue;
            }
            explained.insert(n, ModificationLevel::Ltv);
            let oa = od
                .get("Annots")
                .map(|x| b.resolve(x))
                .unwrap_or(Object::Null);
            let na = d
                .get("Annots")
                .map(|x| a.resolve(x))
                .unwrap_or(Object::Null);
            list_change(b, &oa, &na, "annotations", n, Change::Annotation, &mut out);
            continue;
        }
        if d.is_type("Pages") || old_dict.as_ref().is_some_and(|o| o.is_type("Pages")) {
            found!(
                &mut out,
                Change::Forbidden,
                format!("page tree node {n} changed"),
            );
            continue;
        }
        if is_field(a, &d) {
            let ft = field_type(a, &d);
            let name = field_name(a, &d);
            let sig = ft.as_deref() == Some(b"Sig");
            if !existed {
                if !sig {
                    found!(
                        &mut out,
                        Change::Forbidden,
                        format!(
                            "form field {n} (\"{name}\", /{}) added",
                            String::from_utf8_lossy(ft.as_deref().unwrap_or(b"?"))
                        ),
                    );
                    continue;
                }
                let visible = rect_visible(&d)
                    || matches!(d.get("Kids").map(|k| a.resolve(k)), Some(Object::Array(k))
                        if k.iter().any(|x| a.resolve_dict(x).is_some_and(|kd| rect_visible(&kd))));
                let change = if visible {
                    Change::SignatureField
                } else {
                    Change::InvisibleSigField
                };
                explained.insert(n, rule(change).0);
                out.push(Finding {
                    obj: n,
                    change,
                    what: format!(
                        "{} signature field {n} (\"{name}\") added",
                        if visible { "visible" } else { "invisible" }
                    ),
                    field: visible.then_some(name),
                });
                continue;
            }
            let od = old_dict.unwrap_or_default();
            let keys = changed_keys(&od, &d);
            let other: Vec<&String> = keys
                .iter()
                .filter(|k| {
                    !matches!(
                        k.as_str(),
                        "V" | "AP" | "AS" | "F" | "DA" | "Q" | "Ff" | "Type" | "Kids"
                    )
                })
                .collect();
            if !other.is_empty() {
                found!(
                    &mut out,
                    Change::Forbidden,
                    format!(
                        "form field {n} (\"{name}\") changed /{}",
                        other
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", /")
                    ),
                );
                continue;
            }
            if keys.iter().any(|k| k == "Kids") {
                let ok = od.get("Kids").map(|x| b.resolve(x)).unwrap_or(Object::Null);
                let nk = d.get("Kids").map(|x| a.resolve(x)).unwrap_or(Object::Null);
                list_change(b, &ok, &nk, "kids", n, Change::Forbidden, &mut out);
            }
            let change = if sig && od.get("V").is_none() && d.get("V").is_some() {
                Change::SignatureField
            } else if sig && keys.iter().any(|k| k == "V") {
                Change::Forbidden
            } else {
                Change::FieldValue
            };
            explained.insert(n, rule(change).0);
            out.push(Finding {
                obj: n,
                change,
                what: match change {
                    Change::SignatureField => {
                        format!("signature field {n} (\"{name}\") signed")
                    }
                    Change::Forbidden => {
                        format!("the value of signature field {n} (\"{name}\") replaced")
                    }
                    _ => format!("form field {n} (\"{name}\") value or appearance changed"),
                },
                field: Some(name),
            });
            continue;
        }
        if is_annotation(&d) {
            if existed && is_widget(&d) {
                let od = old_dict.unwrap_or_default();
                let keys = changed_keys(&od, &d);
                let name = field_name(a, &d);
                if keys
                    .iter()
                    .all(|k| matches!(k.as_str(), "AP" | "AS" | "F" | "DA" | "Q" | "Type"))
                {
                    explained.insert(n, ModificationLevel::FormFilling);
                    out.push(Finding {
                        obj: n,
                        change: Change::FieldValue,
                        what: format!("widget {n} (\"{name}\") appearance changed"),
                        field: Some(name),
                    });
                } else {
                    found!(
                        &mut out,
                        Change::Forbidden,
                        format!("widget annotation {n} changed /{}", keys.join(", /")),
                    );
                }
                continue;
            }
            if !existed && is_widget(&d) {
                continue; // a new widget: judged with the field that names it
            }
            let st = name_of(&d, "Subtype");
            found!(
                &mut out,
                Change::Annotation,
                format!(
                    "annotation {n} (/{st}) {}",
                    if existed { "changed" } else { "added" }
                ),
            );
            continue;
        }
        if existed {
            found!(
                &mut out,
                Change::Forbidden,
                match &new {
                    Object::Stream(_) => format!(
                        "stream object {n} ({}) replaced (content, image, font or form)",
                        describe(&old)
                    ),
                    _ => format!("object {n} ({}) changed", describe(&old)),
                },
            );
        }
    }

    // New objects that say nothing about themselves take the level of what references them.
    let new_objs: Vec<u32> = rev
        .changed
        .iter()
        .copied()
        .filter(|n| !b.exists(*n) && a.exists(*n))
        .collect();
    let mut levels: BTreeMap<u32, ModificationLevel> = BTreeMap::new();
    let mut stack: Vec<(u32, ModificationLevel)> =
        explained.iter().map(|(k, v)| (*k, *v)).collect();
    // A new field's widgets and appearances: its own level (new visible field: form filling).
    let mut budget = WALK_BUDGET;
    while let Some((n, lvl)) = stack.pop() {
        if budget == 0 {
            break;
        }
        budget -= 1;
        let mut refs = Vec::new();
        refs_in(&a.get(n), &mut refs);
        for r in refs {
            if !changed_set.contains(&r) || b.exists(r) || explained.contains_key(&r) {
                continue;
            }
            let e = levels.entry(r).or_insert(ModificationLevel::None);
            if lvl > *e {
                *e = lvl;
                stack.push((r, lvl));
            }
        }
    }
    // What is left is referenced by nothing this revision wrote: an orphan, unless the signed
    // state referenced that number before it existed (defining it changes the document).
    let orphans: Vec<u32> = new_objs
        .iter()
        .copied()
        .filter(|n| !explained.contains_key(n) && !levels.contains_key(n))
        .collect();
    let reused: HashSet<u32> = new_objs.iter().copied().filter(|n| *n < b.size()).collect();
    let dangling = if reused.is_empty() {
        HashMap::new()
    } else {
        referenced_in(b, &reused)
    };
    for n in &new_objs {
        if let Some(by) = dangling.get(n) {
            out.push(Finding {
                obj: *n,
                change: Change::Forbidden,
                what: format!(
                    "object {n} ({}) is defined after signing, but object {by} of the signed revision already referenced it",
                    describe(&a.get(*n))
                ),
                field: None,
            });
        }
    }
    for n in orphans {
        if !dangling.contains_key(&n) {
            out.push(Finding {
                obj: n,
                change: Change::Orphan,
                what: format!(
                    "new object {n} ({}) referenced by nothing",
                    describe(&a.get(n))
                ),
                field: None,
            });
        }
    }
    out
}

/// The new objects of a revision reachable from its trailer or its rewritten old objects,
/// through new objects only.
fn reachable_new(rev: &Revision<'_>, changed: &HashSet<u32>) -> HashSet<u32> {
    let (b, a) = (&rev.before, &rev.after);
    let mut stack = Vec::new();
    refs_in(&Object::Dict(a.trailer.clone()), &mut stack);
    for &n in &rev.changed {
        if b.exists(n) {
            refs_in(&a.get(n), &mut stack);
        }
    }
    let mut seen = HashSet::new();
    while let Some(n) = stack.pop() {
        if !changed.contains(&n) || b.exists(n) || !seen.insert(n) {
            continue;
        }
        if seen.len() > WALK_BUDGET {
            break;
        }
        refs_in(&a.get(n), &mut stack);
    }
    seen
}

/// For the object numbers in `wanted`: which object of `st` references each one, walking the
/// document from the trailer (with a budget; over it, every number counts as referenced).
fn referenced_in(st: &State<'_>, wanted: &HashSet<u32>) -> HashMap<u32, u32> {
    let mut found = HashMap::new();
    let mut seen = HashSet::new();
    let mut stack: Vec<(u32, Object)> = st
        .trailer
        .0
        .iter()
        .filter(|(k, _)| k.as_slice() != b"Prev" && k.as_slice() != b"XRefStm")
        .map(|(_, v)| (0, v.clone()))
        .collect();
    while let Some((from, o)) = stack.pop() {
        let mut refs = Vec::new();
        refs_in(&o, &mut refs);
        for r in refs {
            if wanted.contains(&r) {
                found.entry(r).or_insert(from);
            }
            if !seen.insert(r) {
                continue;
            }
            if seen.len() > WALK_BUDGET {
                return wanted.iter().map(|n| (*n, 0)).collect();
            }
            if st.exists(r) {
                stack.push((r, st.get(r)));
            }
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Policy: judging the findings for one signature.

/// What a signature allows after it.
#[derive(Debug, Clone, Default)]
pub struct Permissions {
    /// DocMDP `/P` of a certification signature (or of the field's `/Lock /P`).
    pub docmdp: Option<i64>,
    /// FieldMDP locks: `(action, fields)` with action `All`, `Include` or `Exclude`.
    pub locks: Vec<(String, Vec<String>)>,
}

impl Permissions {
    /// True when a change to the field `name` is forbidden by a FieldMDP lock.
    pub fn locked(&self, name: &str) -> bool {
        self.locks.iter().any(|(action, fields)| {
            let listed = fields
                .iter()
                .any(|f| f == name || name.starts_with(&format!("{f}.")));
            match action.as_str() {
                "All" => true,
                "Include" => listed,
                "Exclude" => !listed,
                _ => false,
            }
        })
    }
}

/// The judgement for one signature.
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The highest level of change after the signature.
    pub level: ModificationLevel,
    /// `pass`, `warn` or `fail`, with a message naming what changed.
    pub check: crate::report::Check,
}

/// Judges every revision after a signature against what it allows.
pub fn judge(history: &History<'_>, perms: &Permissions) -> Judgement {
    use crate::report::{Check, ids};
    let allowed = ModificationLevel::allowed_by_docmdp(perms.docmdp);
    let mut level = ModificationLevel::None;
    let mut forbidden: Vec<String> = Vec::new();
    let mut reported: Vec<String> = Vec::new();
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut warn = false;
    for rev in &history.revisions {
        let findings = classify(rev);
        let rev_level = if rev.without_xref {
            ModificationLevel::None
        } else {
            ModificationLevel::Ltv
        };
        level = level.max(rev_level);
        let mut orphans = 0;
        for f in &findings {
            let (l, w) = rule(f.change);
            if f.change == Change::Orphan {
                orphans += 1;
            }
            if !(rev.without_xref && matches!(f.change, Change::Orphan | Change::Unchanged)) {
                level = level.max(l);
            }
            let locked = l >= ModificationLevel::FormFilling
                && f.field.as_deref().is_some_and(|name| perms.locked(name));
            if l > allowed || locked {
                let why = if locked {
                    " (the field is locked by FieldMDP)".to_string()
                } else if l == ModificationLevel::Other {
                    String::new()
                } else {
                    format!(" (not allowed by DocMDP /P {})", perms.docmdp.unwrap_or(0))
                };
                forbidden.push(format!("{}: {}{why}", rev.label, f.what));
            } else if w {
                warn = true;
                reported.push(format!("{}: {}", rev.label, f.what));
            } else if !f.what.is_empty() {
                let k = kind_name(f.change);
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
        if rev.without_xref {
            warn = true;
            reported.push(format!(
                "{}: no reader uses these bytes unless it rebuilds the xref{}",
                rev.label,
                if orphans > 0 {
                    format!("; {orphans} new object(s) there are referenced by nothing")
                } else {
                    String::new()
                }
            ));
        }
    }
    if history.unused_tail > 0 {
        warn = true;
        reported.push(format!(
            "{} bytes follow the last revision but no reader uses them",
            history.unused_tail
        ));
    }
    let revs = history.revisions.iter().filter(|r| !r.without_xref).count();
    let mdp = match perms.docmdp {
        Some(p) => format!(" (DocMDP /P {p})"),
        None => String::new(),
    };
    let after = if revs > 0 {
        format!("changed after signing in {revs} later revision(s){mdp}")
    } else {
        format!("bytes follow the signed revision{mdp}")
    };
    let list = |v: &[String]| {
        let mut v: Vec<String> = v.to_vec();
        let more = v.len().saturating_sub(50);
        v.truncate(50);
        let mut s = v.join("; ");
        if more > 0 {
            s.push_str(&format!("; and {more} more"));
        }
        s
    };
    let check = if !forbidden.is_empty() {
        if allowed < ModificationLevel::Other && perms.docmdp == Some(1) && level > allowed {
            forbidden.insert(
                0,
                "the certification signature (DocMDP /P 1) forbids any change but LTV updates"
                    .into(),
            );
        }
        Check::fail(ids::MODIFICATIONS, format!("{after}: {}", list(&forbidden)))
    } else if warn {
        Check::warn(
            ids::MODIFICATIONS,
            format!("{after}, as allowed: {}", list(&reported)),
        )
    } else if history.revisions.is_empty() {
        Check::pass(
            ids::MODIFICATIONS,
            "nothing was appended after the signature",
        )
    } else {
        let what = if kinds.is_empty() {
            "objects rewritten unchanged".to_string()
        } else {
            kinds.join(", ")
        };
        Check::pass(
            ids::MODIFICATIONS,
            format!("{revs} later revision(s) only add {what}"),
        )
    };
    Judgement { level, check }
}

fn kind_name(c: Change) -> &'static str {
    match c {
        Change::Unchanged => "unchanged rewrites",
        Change::XrefStructure => "cross-reference data",
        Change::Orphan => "unused objects",
        Change::DocInfo => "document information",
        Change::Metadata => "XMP metadata",
        Change::Dss => "document security store (LTV) data",
        Change::Extensions => "PDF version and extension levels",
        Change::DocTimeStamp => "document timestamps",
        Change::InvisibleSigField => "invisible signature fields",
        Change::FormStructure => "form and page annotation lists",
        Change::Signature => "signatures",
        Change::SignatureField => "signature fields, widgets and appearances",
        Change::FieldValue => "form values",
        Change::FormDictionary => "form dictionary entries",
        Change::Annotation => "annotations",
        Change::Forbidden => "other changes",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_table_is_complete_and_ordered() {
        let all = [
            Change::Unchanged,
            Change::XrefStructure,
            Change::Orphan,
            Change::DocInfo,
            Change::Metadata,
            Change::Dss,
            Change::Extensions,
            Change::DocTimeStamp,
            Change::InvisibleSigField,
            Change::FormStructure,
            Change::Signature,
            Change::SignatureField,
            Change::FieldValue,
            Change::FormDictionary,
            Change::Annotation,
            Change::Forbidden,
        ];
        for c in all {
            assert_eq!(
                POLICY.iter().filter(|(k, _, _)| *k == c).count(),
                1,
                "{c:?}"
            );
        }
        assert_eq!(rule(Change::Forbidden).0, ModificationLevel::Other);
        assert_eq!(rule(Change::Dss).0, ModificationLevel::Ltv);
        assert!(ModificationLevel::allowed_by_docmdp(Some(1)) < rule(Change::Signature).0);
        assert!(ModificationLevel::allowed_by_docmdp(Some(2)) < rule(Change::Annotation).0);
        assert_eq!(
            ModificationLevel::allowed_by_docmdp(None),
            ModificationLevel::Annotations
        );
    }

    #[test]
    fn locks() {
        let p = Permissions {
            docmdp: None,
            locks: vec![("Include".into(), vec!["a".into()])],
        };
        assert!(p.locked("a") && p.locked("a.b") && !p.locked("ab"));
        let p = Permissions {
            docmdp: None,
            locks: vec![("Exclude".into(), vec!["a".into()])],
        };
        assert!(!p.locked("a") && p.locked("b"));
    }
}
