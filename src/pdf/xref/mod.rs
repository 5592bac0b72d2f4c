//! Cross-reference data (ISO 32000-1 §7.5.4 xref tables, §7.5.8 xref streams, §7.5.8.4 hybrid
//! files, §7.5.6 incremental updates): the entries of one section here, the chain of sections
//! in [`chain`], and the reconstruction of a damaged xref by scanning for `N G obj` in
//! [`repair`].

pub mod chain;
pub mod repair;

use super::object::{Dict, Object, Parser};
use crate::error::{Error, ErrorKind, Result};

/// Where an object lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrefEntry {
    /// A free entry.
    Free,
    /// An object stored directly in the file at `offset`.
    InFile {
        /// Byte offset of `N G obj`.
        offset: u64,
        /// Generation number.
        generation: u16,
    },
    /// An object stored in an object stream.
    InStream {
        /// Object number of the object stream.
        stream: u32,
        /// Index inside the object stream.
        index: u32,
    },
}

/// The kind of a cross-reference section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrefKind {
    /// A classic `xref` table.
    Table,
    /// A cross-reference stream.
    Stream,
}

/// One cross-reference section (one revision's xref, or the stream of a hybrid file).
#[derive(Debug, Clone)]
pub struct XrefSection {
    /// Offset of the section (`xref` keyword or the xref stream object).
    pub offset: u64,
    /// Table or stream.
    pub kind: XrefKind,
    /// The trailer (for a stream: its dictionary).
    pub trailer: Dict,
    /// The entries of this section, in order.
    pub entries: Vec<(u32, XrefEntry)>,
    /// For a hybrid table: the entries of its `/XRefStm` stream.
    pub hybrid: Vec<(u32, XrefEntry)>,
}

/// Upper bound on the entries of all sections (hostile input).
pub const MAX_ENTRIES: usize = 8_000_000;

pub(crate) fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedPdf, msg)
}

/// Finds the last `startxref` offset in the tail of a file.
pub fn find_startxref(tail: &[u8]) -> Option<u64> {
    let pos = rfind(tail, b"startxref")?;
    let mut extended = tail[pos + 9..].to_vec();
    extended.push(b' ');
    Parser::new(&extended, 0).uint().ok()
}

/// Last occurrence of `needle` in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| &hay[i..i + needle.len()] == needle)
}

/// First occurrence of `needle` in `hay` at or after `from`.
pub fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    let mut i = from;
    while i <= last_start {
        i += hay[i..=last_start].iter().position(|&b| b == first)?;
        if &hay[i + 1..i + needle.len()] == rest {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// Parses a classic xref table starting at `data[0]` (the `xref` keyword), whose absolute
/// offset is `base`. Returns the entries and the trailer dictionary.
pub fn parse_table(data: &[u8], base: u64) -> Result<(Vec<(u32, XrefEntry)>, Dict)> {
    let mut p = Parser::new(data, base);
    p.keyword(b"xref")?;
    let mut entries = Vec::new();
    loop {
        p.skip_ws();
        let rest = &data[p.pos()..];
        if rest.starts_with(b"trailer") {
            p.set_pos(p.pos() + 7);
            let t = p.object()?;
            let Object::Dict(d) = t else {
                return Err(malformed("trailer is not a dictionary"));
            };
            return Ok((entries, d));
        }
        if rest.is_empty() {
            return Err(Error::new(
                ErrorKind::MalformedPdf,
                super::object::EOF_DETAIL,
            ));
        }
        let start = p.uint()?;
        let count = p.uint()?;
        if start > u32::MAX as u64 || count > MAX_ENTRIES as u64 {
            return Err(malformed("xref subsection out of range"));
        }
        for i in 0..count {
            let off = p.uint()?;
            let generation = p.uint()?;
            p.skip_ws();
            let kind = data.get(p.pos()).copied();
            p.set_pos(p.pos() + 1);
            let num = start + i;
            if num > u32::MAX as u64 {
                return Err(malformed("object number out of range"));
            }
            let e = match kind {
                Some(b'n') => XrefEntry::InFile {
                    offset: off,
                    generation: generation.min(u16::MAX as u64) as u16,
                },
                Some(b'f') => XrefEntry::Free,
                None => {
                    return Err(Error::new(
                        ErrorKind::MalformedPdf,
                        super::object::EOF_DETAIL,
                    ));
                }
                _ => return Err(malformed("bad xref entry type")),
            };
            if entries.len() >= MAX_ENTRIES {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    "too many xref entries",
                ));
            }
            entries.push((num as u32, e));
        }
    }
}

/// Decodes the entries of an xref stream from its dictionary and decoded data.
pub fn parse_stream_entries(dict: &Dict, data: &[u8]) -> Result<Vec<(u32, XrefEntry)>> {
    let w: Vec<usize> = dict
        .get("W")
        .and_then(Object::as_array)
        .ok_or_else(|| malformed("xref stream without /W"))?
        .iter()
        .map(|o| {
            o.as_int()
                .filter(|&v| (0..=8).contains(&v))
                .map(|v| v as usize)
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| malformed("bad /W in xref stream"))?;
    if w.len() != 3 {
        return Err(malformed("/W must have three fields"));
    }
    let row = w[0] + w[1] + w[2];
    if row == 0 {
        return Err(malformed("empty /W"));
    }
    let size = dict.int("Size").unwrap_or(0).max(0);
    let index: Vec<i64> = match dict.get("Index").and_then(Object::as_array) {
        Some(a) => a.iter().filter_map(Object::as_int).collect(),
        None => vec![0, size],
    };
    let mut entries = Vec::new();
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks(2) {
        let [start, count] = pair else { break };
        if *start < 0 || *count < 0 || *start > u32::MAX as i64 {
            return Err(malformed("bad /Index in xref stream"));
        }
        for i in 0..*count {
            let Some(r) = rows.next() else {
                return Ok(entries);
            };
            let field = |k: usize| -> u64 {
                let s: usize = w[..k].iter().sum();
                r[s..s + w[k]]
                    .iter()
                    .fold(0u64, |a, &b| (a << 8) | b as u64)
            };
            let ty = if w[0] == 0 { 1 } else { field(0) };
            let num = start + i;
            if num > u32::MAX as i64 {
                return Err(malformed("object number out of range"));
            }
            let e = match ty {
                0 => XrefEntry::Free,
                1 => XrefEntry::InFile {
                    offset: field(1),
                    generation: field(2).min(u16::MAX as u64) as u16,
                },
                2 => XrefEntry::InStream {
                    stream: field(1).min(u32::MAX as u64) as u32,
                    index: field(2).min(u32::MAX as u64) as u32,
                },
                _ => continue, // reserved types are ignored (§7.5.8.3)
            };
            if entries.len() >= MAX_ENTRIES {
                return Err(Error::new(
                    ErrorKind::LimitExceeded,
                    "too many xref entries",
                ));
            }
            entries.push((num as u32, e));
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let t = b"xref\n0 2\n0000000000 65535 f\r\n0000000017 00000 n\r\n5 1\n0000000100 00001 n \ntrailer\n<</Size 6/Root 1 0 R>>\nstartxref\n";
        let (e, tr) = parse_table(t, 0).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(
            e[2],
            (
                5,
                XrefEntry::InFile {
                    offset: 100,
                    generation: 1
                }
            )
        );
        assert_eq!(tr.get("Root"), Some(&Object::Ref(1, 0)));
        assert!(parse_table(b"xref\n0 2\n0000000000 65535 f\r\n", 0).is_err());
    }

    #[test]
    fn startxref() {
        assert_eq!(find_startxref(b"...startxref\n1234\n%%EOF\n"), Some(1234));
        assert_eq!(find_startxref(b"nothing"), None);
    }

    #[test]
    fn stream_entries() {
        let mut d = Dict::new();
        d.set(
            "W",
            Object::Array(vec![Object::Int(1), Object::Int(2), Object::Int(1)]),
        );
        d.set("Size", Object::Int(3));
        let data = [0u8, 0, 0, 255, 1, 0, 10, 0, 2, 0, 2, 3];
        let e = parse_stream_entries(&d, &data).unwrap();
        assert_eq!(e[0], (0, XrefEntry::Free));
        assert_eq!(
            e[1],
            (
                1,
                XrefEntry::InFile {
                    offset: 10,
                    generation: 0
                }
            )
        );
        assert_eq!(
            e[2],
            (
                2,
                XrefEntry::InStream {
                    stream: 2,
                    index: 3
                }
            )
        );
    }
}
