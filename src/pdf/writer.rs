//! The incremental writer (ISO 32000-1 §7.5.6 incremental updates).
//!
//! The original bytes are never touched: new objects and new versions of changed objects are
//! written straight to a byte buffer that is appended after the original, followed by a new
//! cross-reference section in the style of the input (a table after a table, a stream after a
//! stream, §7.5.8) and a trailer with `/Prev`, `/Size`, `/Root`, `/Info` and the original `/ID`.

use super::document::Document;
pub use super::filters::deflate;
use super::object::{Dict, Object, write_dict};
use super::xref::{XrefEntry, XrefKind};
use crate::error::{Error, ErrorKind, Result};
use std::io::Write;

/// An incremental update being written.
pub struct IncrementalUpdate {
    base_len: u64,
    buf: Vec<u8>,
    offsets: Vec<(u32, u16, u64)>,
    next: u32,
    prev: Option<u64>,
    kind: XrefKind,
    trailer: Dict,
    /// For a reconstructed input: every object of the document goes into the new xref.
    full: Vec<(u32, XrefEntry)>,
}

impl IncrementalUpdate {
    /// Starts an update of `doc`.
    pub fn new(doc: &Document) -> Result<Self> {
        let last = doc.read_at(doc.len().saturating_sub(1), 1)?;
        let mut buf = Vec::new();
        if !matches!(last.first(), Some(b'\n') | Some(b'\r')) {
            buf.push(b'\n');
        }
        let mut trailer = Dict::new();
        for key in ["Root", "Info", "ID"] {
            if let Some(v) = doc.trailer().get(key) {
                trailer.set(key, v.clone());
            }
        }
        let mut full = Vec::new();
        let mut kind = doc.xref_kind();
        if doc.is_reconstructed() {
            for n in 0..doc.size() {
                if let Some(e) = doc.entry(n) {
                    if matches!(e, XrefEntry::InStream { .. }) {
                        kind = XrefKind::Stream;
                    }
                    full.push((n, e));
                }
            }
        }
        Ok(IncrementalUpdate {
            base_len: doc.len(),
            buf,
            offsets: Vec::new(),
            next: doc.size().max(1),
            prev: doc.startxref(),
            kind,
            trailer,
            full,
        })
    }

    /// A fresh object number.
    pub fn alloc(&mut self) -> Result<u32> {
        let n = self.next;
        self.next = n
            .checked_add(1)
            .filter(|&n| n < 8_388_607)
            .ok_or_else(|| Error::new(ErrorKind::LimitExceeded, "object numbers exhausted"))?;
        Ok(n)
    }

    /// The absolute file offset of the next byte written.
    pub fn position(&self) -> u64 {
        self.base_len + self.buf.len() as u64
    }

    /// The bytes appended so far.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Sets an extra trailer entry (e.g. to keep `/Info` updated).
    pub fn set_trailer(&mut self, key: &str, value: Object) {
        self.trailer.set(key, value);
    }

    fn begin(&mut self, num: u32, generation: u16) {
        self.offsets.retain(|o| o.0 != num);
        self.offsets.push((num, generation, self.position()));
        self.buf
            .extend_from_slice(format!("{num} {generation} obj\n").as_bytes());
    }

    /// Writes object `num` (a new object or a new version of an existing one).
    pub fn write_object(&mut self, num: u32, generation: u16, obj: &Object) {
        self.begin(num, generation);
        obj.write(&mut self.buf);
        self.buf.extend_from_slice(b"\nendobj\n");
    }

    /// Writes object `num` from already serialised bytes; returns the absolute offset of the
    /// first byte of `body`.
    pub fn write_raw(&mut self, num: u32, generation: u16, body: &[u8]) -> u64 {
        self.begin(num, generation);
        let at = self.position();
        self.buf.extend_from_slice(body);
        self.buf.extend_from_slice(b"\nendobj\n");
        at
    }

    /// Writes a stream object; `/Length` is set from `data`.
    pub fn write_stream(&mut self, num: u32, mut dict: Dict, data: &[u8]) {
        dict.set("Length", Object::Int(data.len() as i64));
        self.begin(num, 0);
        write_dict(&mut self.buf, &dict);
        self.buf.extend_from_slice(b"\nstream\n");
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes the cross-reference section and trailer; returns all appended bytes.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        let mut entries: Vec<(u32, XrefEntry)> = self.full.clone();
        for &(n, g, off) in &self.offsets {
            entries.retain(|e| e.0 != n);
            entries.push((
                n,
                XrefEntry::InFile {
                    offset: off,
                    generation: g,
                },
            ));
        }
        let size = entries
            .iter()
            .map(|e| e.0)
            .max()
            .unwrap_or(0)
            .max(self.next.saturating_sub(1))
            + 1;
        let mut trailer = self.trailer.clone();
        if let Some(p) = self.prev
            && self.full.is_empty()
        {
            trailer.set("Prev", Object::Int(p as i64));
        }
        match self.kind {
            XrefKind::Table => {
                trailer.set("Size", Object::Int(size as i64));
                if !self.full.is_empty() && !entries.iter().any(|e| e.0 == 0) {
                    entries.push((0, XrefEntry::Free));
                }
                entries.sort_by_key(|e| e.0);
                let start = self.position();
                let mut x = b"xref\n".to_vec();
                for run in runs(&entries) {
                    x.extend_from_slice(format!("{} {}\n", run[0].0, run.len()).as_bytes());
                    for (n, e) in run {
                        let line = match e {
                            XrefEntry::InFile { offset, generation } => {
                                format!("{offset:010} {generation:05} n\r\n")
                            }
                            _ if *n == 0 => "0000000000 65535 f\r\n".to_string(),
                            _ => "0000000000 00001 f\r\n".to_string(),
                        };
                        x.extend_from_slice(line.as_bytes());
                    }
                }
                x.extend_from_slice(b"trailer\n");
                write_dict(&mut x, &trailer);
                write!(x, "\nstartxref\n{start}\n%%EOF\n").map_err(io)?;
                self.buf.extend_from_slice(&x);
            }
            XrefKind::Stream => {
                let num = self.alloc()?;
                let start = self.position();
                entries.push((
                    num,
                    XrefEntry::InFile {
                        offset: start,
                        generation: 0,
                    },
                ));
                if !self.full.is_empty() && !entries.iter().any(|e| e.0 == 0) {
                    entries.push((0, XrefEntry::Free));
                }
                entries.sort_by_key(|e| e.0);
                let size = entries.last().map(|e| e.0 + 1).unwrap_or(1);
                let ow = offset_width(start);
                let mut data = Vec::new();
                let mut index = Vec::new();
                for run in runs(&entries) {
                    index.push(Object::Int(run[0].0 as i64));
                    index.push(Object::Int(run.len() as i64));
                    for (_, e) in run {
                        let (t, a, b) = match *e {
                            XrefEntry::Free => (0u8, 0u64, 0u64),
                            XrefEntry::InFile { offset, generation } => {
                                (1, offset, generation as u64)
                            }
                            XrefEntry::InStream { stream, index } => {
                                (2, stream as u64, index as u64)
                            }
                        };
                        data.push(t);
                        data.extend_from_slice(&a.to_be_bytes()[8 - ow..]);
                        data.extend_from_slice(&b.to_be_bytes()[6..]);
                    }
                }
                let mut dict = Dict::new();
                dict.set("Type", Object::Name(b"XRef".to_vec()));
                for (k, v) in &trailer.0 {
                    if k != b"Size" {
                        dict.0.push((k.clone(), v.clone()));
                    }
                }
                dict.set("Size", Object::Int(size as i64));
                dict.set("Index", Object::Array(index));
                dict.set(
                    "W",
                    Object::Array(vec![Object::Int(1), Object::Int(ow as i64), Object::Int(2)]),
                );
                let packed = deflate(&data);
                dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                self.write_stream(num, dict, &packed);
                write!(self.buf, "startxref\n{start}\n%%EOF\n").map_err(io)?;
            }
        }
        Ok(self.buf)
    }
}

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, e.to_string())
}

fn offset_width(max: u64) -> usize {
    let mut w = 4;
    while w < 8 && max >= 1u64 << (8 * w) {
        w += 1;
    }
    w
}

/// Splits sorted entries into runs of consecutive object numbers.
fn runs(entries: &[(u32, XrefEntry)]) -> Vec<&[(u32, XrefEntry)]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=entries.len() {
        if i == entries.len() || entries[i].0 != entries[i - 1].0 + 1 {
            if i > start {
                out.push(&entries[start..i]);
            }
            start = i;
        }
    }
    out
}
