//! The cross-reference chain (ISO 32000-1 §7.5.5 file trailer, §7.5.6 incremental updates,
//! §7.5.8.4 hybrid files): sections read from `startxref` through `/Prev` (and a table's
//! `/XRefStm`), merged newest first, and the revision ends they mark.

use std::collections::{HashMap, HashSet};

use super::{self as xref, XrefEntry, XrefKind, XrefSection, malformed};
use crate::error::{Error, ErrorKind, Result};
use crate::pdf::document::{Document, MAX_DECODED};
use crate::pdf::object::{Object, Parser, is_white};

/// Largest number of cross-reference sections followed through `/Prev`.
const MAX_SECTIONS: usize = 10_000;

impl Document<'_> {
    fn load_section(&self, off: u64) -> Result<XrefSection> {
        let first = self.read_at(off, 16)?;
        let skip = first.iter().take_while(|&&b| is_white(b)).count();
        if first[skip..].starts_with(b"xref") {
            let (entries, trailer) = self.parse_at(off + skip as u64, xref::parse_table)?;
            let mut s = XrefSection {
                offset: off,
                kind: XrefKind::Table,
                trailer,
                entries,
                hybrid: Vec::new(),
            };
            if let Some(stm) = s.trailer.int("XRefStm").filter(|&v| v > 0) {
                // A broken /XRefStm is ignored, as readers that do not know hybrids would.
                if let Ok(h) = self.load_section(stm as u64)
                    && h.kind == XrefKind::Stream
                {
                    s.hybrid = h.entries;
                }
            }
            Ok(s)
        } else {
            let (_, _, obj) =
                self.parse_at(off, |b, base| Parser::new(b, base).indirect_object())?;
            let Object::Stream(stream) = obj else {
                return Err(malformed(format!(
                    "startxref {off} points at neither an xref table nor an xref stream"
                )));
            };
            if !stream.dict.is_type("XRef") {
                return Err(malformed(format!("object at {off} is not an xref stream")));
            }
            let data = self.decode_stream(&stream, MAX_DECODED)?;
            let entries = xref::parse_stream_entries(&stream.dict, &data)?;
            Ok(XrefSection {
                offset: off,
                kind: XrefKind::Stream,
                trailer: stream.dict,
                entries,
                hybrid: Vec::new(),
            })
        }
    }

    /// Reads the cross-reference chain that starts at the section at `start` and follows
    /// `/Prev`, newest first (the chain of one revision; the document itself is not changed).
    pub fn read_chain(&self, start: u64) -> Result<Vec<XrefSection>> {
        let mut seen = HashSet::new();
        let mut next = Some(start);
        let mut sections = Vec::new();
        let mut total = 0usize;
        while let Some(off) = next {
            if !seen.insert(off) {
                break; // a /Prev loop: stop at the first repeat
            }
            if sections.len() >= MAX_SECTIONS {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    "too many xref sections",
                ));
            }
            let s = self.load_section(off)?;
            total += s.entries.len() + s.hybrid.len();
            if total > xref::MAX_ENTRIES {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    "too many xref entries",
                ));
            }
            next = s.trailer.int("Prev").filter(|&p| p >= 0).map(|p| p as u64);
            sections.push(s);
        }
        Ok(sections)
    }

    /// The cross-reference chain of the revision that ends at `end` (just after its `%%EOF`):
    /// found through the `startxref` before `end`.
    pub fn chain_ending_at(&self, end: u64) -> Result<Vec<XrefSection>> {
        let start = end.saturating_sub(1024);
        let tail = self.read_at(start, (end - start) as usize)?;
        let off = xref::find_startxref(&tail)
            .ok_or_else(|| malformed(format!("no startxref before offset {end}")))?;
        self.read_chain(off)
    }

    /// The end of the revision whose newest cross-reference section is at `section`: just
    /// after the `%%EOF` (and its end-of-line) that follows `startxref section`.
    pub fn revision_end_after(&self, section: u64) -> Option<u64> {
        let mut from = section;
        loop {
            let at = self.find_forward(from, b"startxref")?;
            if self.startxref_at(at) == Some(section) {
                let eof = self.find_forward(at + 9, b"%%EOF")?;
                let mut end = eof + 5;
                let rest = self.read_at(end, 2).ok()?;
                for b in rest {
                    if b == b'\r' || b == b'\n' {
                        end += 1;
                    } else {
                        break;
                    }
                }
                return Some(end);
            }
            from = at + 9;
        }
    }

    /// The offset written after the `startxref` keyword found at `at`, if it is a number.
    pub(in crate::pdf) fn startxref_at(&self, at: u64) -> Option<u64> {
        let after = self.read_at(at + 9, 64).ok()?;
        let digits: Vec<u8> = after
            .iter()
            .skip_while(|b| is_white(**b))
            .take_while(|b| b.is_ascii_digit())
            .copied()
            .collect();
        std::str::from_utf8(&digits).ok()?.parse::<u64>().ok()
    }

    pub(in crate::pdf) fn load_chain(&mut self, start: u64) -> Result<()> {
        let sections = self.read_chain(start)?;
        let map = merge_sections(sections.iter());
        // The newest trailer, completed with keys only older ones carry (/Root, /Info, /ID).
        let mut trailer = sections[0].trailer.clone();
        for s in &sections[1..] {
            for key in ["Root", "Info", "ID"] {
                if trailer.get(key).is_none()
                    && let Some(v) = s.trailer.get(key)
                {
                    trailer.set(key, v.clone());
                }
            }
        }
        self.xref = map;
        self.sections = sections;
        self.trailer = trailer;
        Ok(())
    }
}

/// Merges cross-reference sections given newest first (a newer entry wins; in a hybrid
/// section the table's in-use entries win over its stream's, which win over its free ones).
pub fn merge_sections<'a>(
    sections: impl Iterator<Item = &'a XrefSection>,
) -> HashMap<u32, XrefEntry> {
    let mut map = HashMap::new();
    for s in sections {
        let in_use = s.entries.iter().filter(|e| e.1 != XrefEntry::Free);
        let free = s.entries.iter().filter(|e| e.1 == XrefEntry::Free);
        for (n, e) in in_use.chain(s.hybrid.iter()).chain(free) {
            map.entry(*n).or_insert(*e);
        }
    }
    map
}
