//! Reader of the diff analysis: the signed revision's state, every later revision with the
//! state before and after it, and objects appended without an xref (ISO 32000-1 §7.5.6).

use std::collections::{HashMap, HashSet};

use super::rules::{dict_eq, obj_eq};
use super::{MAX_CHANGED, WALK_BUDGET};
use crate::pdf::document::{Document, merge_sections};
use crate::pdf::object::{Dict, Object};
use crate::pdf::xref::{XrefEntry, XrefSection};

/// One state of the document: the merged cross-reference entries and the trailer.
#[derive(Clone)]
pub struct State<'a> {
    pub(super) doc: &'a Document<'a>,
    pub(super) map: HashMap<u32, XrefEntry>,
    pub(super) trailer: Dict,
}

impl<'a> State<'a> {
    fn from_chain(doc: &'a Document<'a>, chain: &[XrefSection]) -> Self {
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

    pub(super) fn resolve_dict(&self, o: &Object) -> Option<Dict> {
        match self.resolve(o) {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(s.dict),
            _ => None,
        }
    }

    pub(super) fn trailer_ref(&self, key: &str) -> Option<u32> {
        self.trailer.get(key).and_then(Object::as_ref).map(|r| r.0)
    }

    pub(super) fn catalog(&self) -> Dict {
        self.trailer
            .get("Root")
            .and_then(|r| self.resolve_dict(r))
            .unwrap_or_default()
    }

    /// One more than the highest object number the state may use.
    pub(super) fn size(&self) -> u32 {
        let declared = self
            .trailer
            .int("Size")
            .unwrap_or(0)
            .clamp(0, u32::MAX as i64) as u32;
        let max = self.map.keys().copied().max().unwrap_or(0);
        declared.max(max.saturating_add(1))
    }

    /// The page objects, in order, with a budget against loops.
    pub(super) fn pages(&self) -> Vec<(u32, Dict)> {
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
    pub(super) fn same(&self, a: &Object, b: &Object) -> bool {
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
    b.iter().all(|&c| crate::pdf::object::is_white(c))
}

/// Reads the signed state (the revision ending at `end`) and every later revision.
pub fn history<'a>(doc: &'a Document<'a>, end: u64) -> Result<History<'a>, HistoryError> {
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
                    && let Ok(data) = doc.decode_stream(&st, crate::pdf::document::MAX_DECODED)
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
    let mut p = crate::pdf::object::Parser::new(data, 0);
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
        let Some(off) = doc.startxref_at(at) else {
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
