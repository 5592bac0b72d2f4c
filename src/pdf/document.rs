//! A PDF document read by offset (ISO 32000-1 §7.5 file structure, §7.7.3 page tree).
//!
//! Only what is asked for is read: the cross-reference sections, then single objects by their
//! offsets, with a small window per object. The file is never loaded whole, so memory stays far
//! below the file size. Object streams (§7.5.7) are decoded on demand (one cached at a time).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

use super::object::{Dict, EOF_DETAIL, Object, Parser, Stream};
use super::xref::{self, XrefEntry, XrefKind, XrefSection, malformed};
use crate::error::{Error, ErrorKind, Result};

/// Largest window read for one object's dictionary (stream data excluded).
const MAX_WINDOW: usize = 8 << 20;
/// Largest decoded stream the reader will produce (object streams, xref streams).
pub const MAX_DECODED: usize = 12 << 20;
/// Largest number of cross-reference sections followed through `/Prev`.
const MAX_SECTIONS: usize = 10_000;

/// An object id: number and generation.
pub type ObjId = (u32, u16);

/// Where the bytes come from.
enum Source {
    File(File),
    Bytes(Vec<u8>),
}

impl Source {
    fn read_at(&self, off: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Source::Bytes(b) => {
                let start = (off.min(b.len() as u64)) as usize;
                let n = buf.len().min(b.len() - start);
                buf[..n].copy_from_slice(&b[start..start + n]);
                Ok(n)
            }
            Source::File(f) => {
                let mut done = 0;
                while done < buf.len() {
                    #[cfg(unix)]
                    let r =
                        std::os::unix::fs::FileExt::read_at(f, &mut buf[done..], off + done as u64);
                    #[cfg(windows)]
                    let r = std::os::windows::fs::FileExt::seek_read(
                        f,
                        &mut buf[done..],
                        off + done as u64,
                    );
                    match r {
                        Ok(0) => break,
                        Ok(n) => done += n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
                Ok(done)
            }
        }
    }
}

/// A page with its inherited attributes resolved (§7.7.3.4).
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// The page object's id.
    pub id: ObjId,
    /// The page dictionary as stored.
    pub dict: Dict,
    /// /MediaBox (inherited), normalised to `[llx lly urx ury]`.
    pub media_box: [f64; 4],
    /// /CropBox (inherited), else the MediaBox, clipped to the MediaBox.
    pub crop_box: [f64; 4],
    /// /Rotate (inherited), normalised to 0, 90, 180 or 270.
    pub rotate: u16,
    /// /Resources (inherited), if any.
    pub resources: Option<Object>,
}

struct ObjStmCache {
    num: u32,
    data: Rc<Vec<u8>>,
    first: usize,
    offsets: Vec<(u32, usize)>,
}

/// A PDF document open for reading.
pub struct Document {
    src: Source,
    len: u64,
    xref: HashMap<u32, XrefEntry>,
    sections: Vec<XrefSection>,
    trailer: Dict,
    reconstructed: bool,
    objstm: RefCell<Option<ObjStmCache>>,
    depth: Cell<u32>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("len", &self.len)
            .field("objects", &self.xref.len())
            .field("sections", &self.sections.len())
            .field("reconstructed", &self.reconstructed)
            .finish()
    }
}

impl Document {
    /// Opens a PDF file (read by offset, never loaded whole).
    pub fn open(path: &Path) -> Result<Document> {
        let f = File::open(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        let len = f.metadata()?.len();
        Self::load(Source::File(f), len)
    }

    /// Reads a PDF held in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Document> {
        let len = bytes.len() as u64;
        Self::load(Source::Bytes(bytes), len)
    }

    fn load(src: Source, len: u64) -> Result<Document> {
        let mut doc = Document {
            src,
            len,
            xref: HashMap::new(),
            sections: Vec::new(),
            trailer: Dict::new(),
            reconstructed: false,
            objstm: RefCell::new(None),
            depth: Cell::new(0),
        };
        let head = doc.read_at(0, 1024)?;
        if xref::find(&head, b"%PDF-", 0).is_none() {
            return Err(malformed("no %PDF- header: not a PDF file"));
        }
        let tail_start = len.saturating_sub(4096);
        let tail = doc.read_at(tail_start, (len - tail_start) as usize)?;
        let chain = match xref::find_startxref(&tail) {
            Some(off) => doc.load_chain(off),
            None => Err(malformed("no startxref")),
        };
        match chain {
            Ok(()) if doc.trailer.get("Root").is_some() => {}
            Ok(()) => {
                doc.reconstruct()
                    .map_err(|e| malformed(format!("no /Root in trailer; {e}")))?;
            }
            Err(first) => {
                if first.kind() == ErrorKind::LimitExceeded {
                    return Err(first);
                }
                doc.reconstruct().map_err(|e| {
                    malformed(format!(
                        "{}; reconstruction failed: {}",
                        first.detail(),
                        e.detail()
                    ))
                })?;
            }
        }
        if doc.trailer.get("Encrypt").is_some() {
            return Err(Error::new(
                ErrorKind::EncryptedPdf,
                "the trailer has /Encrypt: encrypted PDFs cannot be sealed or verified",
            ));
        }
        Ok(doc)
    }

    /// The file length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True for an empty file (never for an opened document).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The newest trailer (for a reconstructed file: the best one found).
    pub fn trailer(&self) -> &Dict {
        &self.trailer
    }

    /// The cross-reference sections, newest first (empty when reconstructed).
    pub fn sections(&self) -> &[XrefSection] {
        &self.sections
    }

    /// True when the xref was damaged and rebuilt by scanning the file.
    pub fn is_reconstructed(&self) -> bool {
        self.reconstructed
    }

    /// The kind of the newest cross-reference section (table for reconstructed files).
    pub fn xref_kind(&self) -> XrefKind {
        self.sections
            .first()
            .map(|s| s.kind)
            .unwrap_or(XrefKind::Table)
    }

    /// The offset of the newest cross-reference section (the `/Prev` of an update).
    pub fn startxref(&self) -> Option<u64> {
        self.sections.first().map(|s| s.offset)
    }

    /// The /Size for an update: one more than the highest object number in use.
    pub fn size(&self) -> u32 {
        let max = self.xref.keys().copied().max().unwrap_or(0);
        let declared = self
            .trailer
            .int("Size")
            .unwrap_or(0)
            .clamp(0, u32::MAX as i64) as u32;
        declared.max(max.saturating_add(1))
    }

    /// The merged cross-reference entry for object `num`.
    pub fn entry(&self, num: u32) -> Option<XrefEntry> {
        self.xref.get(&num).copied()
    }

    /// Reads up to `len` bytes at `off` (fewer at the end of the file).
    pub fn read_at(&self, off: u64, len: usize) -> Result<Vec<u8>> {
        let avail = self.len.saturating_sub(off).min(len as u64) as usize;
        let mut buf = vec![0u8; avail];
        let n = self.src.read_at(off, &mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }

    /// A reader over the bytes `[off, off + len)` of the file.
    pub fn range_reader(&self, off: u64, len: u64) -> RangeReader<'_> {
        RangeReader {
            doc: self,
            pos: off,
            end: off.saturating_add(len).min(self.len),
        }
    }

    /// Parses with a growing window at `off`.
    fn parse_at<T>(&self, off: u64, f: impl Fn(&[u8], u64) -> Result<T>) -> Result<T> {
        if off >= self.len {
            return Err(malformed(format!(
                "offset {off} beyond the end of the file"
            )));
        }
        let mut size = 4096usize;
        loop {
            let buf = self.read_at(off, size)?;
            let at_end = buf.len() < size;
            match f(&buf, off) {
                Err(e) if e.detail() == EOF_DETAIL && !at_end && size < MAX_WINDOW => size *= 4,
                Err(e) if e.detail() == EOF_DETAIL => {
                    return Err(malformed(format!("object at offset {off} is truncated")));
                }
                r => return r,
            }
        }
    }

    fn load_section(&self, off: u64) -> Result<XrefSection> {
        let first = self.read_at(off, 16)?;
        let skip = first
            .iter()
            .take_while(|&&b| super::object::is_white(b))
            .count();
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
            let after = self.read_at(at + 9, 64).ok()?;
            let digits: Vec<u8> = after
                .iter()
                .skip_while(|b| super::object::is_white(**b))
                .take_while(|b| b.is_ascii_digit())
                .copied()
                .collect();
            let n = std::str::from_utf8(&digits).ok()?.parse::<u64>().ok();
            if n == Some(section) {
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

    /// The offset of the first `needle` (at most 16 bytes) at or after `from`, streamed.
    pub fn find_forward(&self, from: u64, needle: &[u8]) -> Option<u64> {
        const CHUNK: usize = 1 << 20;
        let mut pos = from;
        while pos < self.len {
            let buf = self.read_at(pos, CHUNK + needle.len()).ok()?;
            if let Some(i) = xref::find(&buf, needle, 0) {
                return Some(pos + i as u64);
            }
            if buf.len() <= needle.len() {
                return None;
            }
            pos += (buf.len() - needle.len() + 1) as u64;
        }
        None
    }

    /// Every `N G obj` header in `[from, to)`, in file order: `(num, gen, offset)`, found by
    /// scanning (as a reader that reconstructs a damaged xref does), streamed in 1 MiB chunks.
    pub fn scan_objects(&self, from: u64, to: u64) -> Result<Vec<(u32, u16, u64)>> {
        const CHUNK: usize = 1 << 20;
        const OVERLAP: usize = 64;
        let to = to.min(self.len);
        let mut out = Vec::new();
        let mut pos = from;
        while pos < to {
            // Look back a little so that a header cut by the chunk start is read whole.
            let back = (pos - from).min(OVERLAP as u64) as usize;
            let want = ((to - pos) as usize).min(CHUNK);
            let buf = self.read_at(pos - back as u64, back + want + 3)?;
            let limit = buf.len().min(back + want);
            let mut i = back;
            while let Some(j) = xref::find(&buf, b"obj", i) {
                i = j + 3;
                if j >= limit {
                    break;
                }
                let Some((n, g, start)) = obj_header_before(&buf, j) else {
                    continue;
                };
                let after = buf.get(j + 3).copied();
                if !after.is_none_or(|c| super::object::is_white(c) || super::object::is_delim(c)) {
                    continue;
                }
                let at = pos - back as u64 + start as u64;
                if at < from {
                    continue;
                }
                if out.len() >= xref::MAX_ENTRIES {
                    return Err(Error::new(ErrorKind::LimitExceeded, "too many objects"));
                }
                out.push((n, g, at));
            }
            if limit <= back {
                break;
            }
            pos += (limit - back) as u64;
        }
        Ok(out)
    }

    fn load_chain(&mut self, start: u64) -> Result<()> {
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

    /// Rebuilds the xref by scanning the whole file for `N G obj` (streamed in 1 MiB chunks).
    fn reconstruct(&mut self) -> Result<()> {
        const CHUNK: usize = 1 << 20;
        const OVERLAP: usize = 64;
        let mut found: HashMap<u32, (u64, u16)> = HashMap::new();
        let mut trailers: Vec<u64> = Vec::new();
        let mut pos = 0u64;
        while pos < self.len {
            let buf = self.read_at(pos, CHUNK + OVERLAP)?;
            let limit = buf.len().min(CHUNK);
            let mut i = 0;
            while let Some(j) = xref::find(&buf, b"obj", i) {
                i = j + 3;
                if j >= limit {
                    break;
                }
                if let Some((n, g, start)) = obj_header_before(&buf, j) {
                    let after = buf.get(j + 3).copied();
                    if after
                        .is_none_or(|c| super::object::is_white(c) || super::object::is_delim(c))
                    {
                        if found.len() >= xref::MAX_ENTRIES {
                            return Err(Error::new(ErrorKind::LimitExceeded, "too many objects"));
                        }
                        found.insert(n, (pos + start as u64, g));
                    }
                }
            }
            let mut i = 0;
            while let Some(j) = xref::find(&buf, b"trailer", i) {
                i = j + 7;
                if j < limit {
                    trailers.push(pos + j as u64 + 7);
                }
            }
            pos += limit as u64;
            if limit == 0 {
                break;
            }
        }
        if found.is_empty() {
            return Err(malformed("no objects found"));
        }
        let mut map: HashMap<u32, XrefEntry> = found
            .iter()
            .map(|(&n, &(offset, generation))| (n, XrefEntry::InFile { offset, generation }))
            .collect();
        let mut trailer: Option<Dict> = None;
        for &t in trailers.iter().rev() {
            if let Ok(Object::Dict(d)) = self.parse_at(t, |b, base| Parser::new(b, base).object())
                && d.get("Root").is_some()
            {
                trailer = Some(d);
                break;
            }
        }
        // Object streams, xref streams and the catalog, from the objects themselves.
        let mut offsets: Vec<(u32, u64)> = found.iter().map(|(&n, &(o, _))| (n, o)).collect();
        offsets.sort_by_key(|x| x.1);
        let mut catalog = None;
        for (n, off) in offsets {
            let Ok((_, g, obj)) =
                self.parse_at(off, |b, base| Parser::new(b, base).indirect_object())
            else {
                continue;
            };
            let Some(d) = obj.as_dict() else { continue };
            if d.is_type("Catalog") {
                catalog = Some((n, g));
            }
            if d.is_type("XRef") && d.get("Root").is_some() {
                trailer = Some(d.clone());
            }
            if let Object::Stream(s) = &obj
                && s.dict.is_type("ObjStm")
                && let Ok(data) = self.decode_stream(s, MAX_DECODED)
                && let Ok((_, offs)) = objstm_header(&s.dict, &data)
            {
                for (i, (m, _)) in offs.iter().enumerate() {
                    map.entry(*m).or_insert(XrefEntry::InStream {
                        stream: n,
                        index: i as u32,
                    });
                }
            }
        }
        let mut trailer = trailer.unwrap_or_default();
        if trailer.get("Root").is_none() {
            let (n, g) = catalog.ok_or_else(|| malformed("no document catalog found"))?;
            trailer.set("Root", Object::Ref(n, g));
        }
        for key in [
            "Prev",
            "XRefStm",
            "Type",
            "W",
            "Index",
            "Length",
            "Filter",
            "DecodeParms",
        ] {
            trailer.remove(key);
        }
        self.xref = map;
        self.sections = Vec::new();
        trailer.set("Size", Object::Int(self.size() as i64));
        self.trailer = trailer;
        self.reconstructed = true;
        Ok(())
    }

    /// Reads the indirect object stored directly at `offset`: `(num, gen, object)`.
    pub fn object_at(&self, offset: u64) -> Result<(u32, u16, Object)> {
        self.parse_at(offset, |b, base| Parser::new(b, base).indirect_object())
    }

    /// Like [`Document::object_at`] for a non-stream object, also returning the absolute
    /// offset just after its `endobj` keyword (or after the object when `endobj` is missing).
    pub fn object_span(&self, offset: u64) -> Result<(u32, u16, Object, u64)> {
        self.parse_at(offset, |b, base| {
            let mut p = Parser::new(b, base);
            let (n, g, o) = p.indirect_object()?;
            p.skip_ws();
            let mut end = p.pos();
            if b.get(end..).is_some_and(|r| r.starts_with(b"endobj")) {
                end += 6;
            } else if b.len() - end < 6 {
                return Err(Error::new(ErrorKind::MalformedPdf, EOF_DETAIL));
            }
            Ok((n, g, o, base + end as u64))
        })
    }

    /// Reads object `num` as recorded by `entry` (for an older revision's view).
    pub fn get_with(&self, num: u32, entry: Option<XrefEntry>) -> Result<Object> {
        match entry {
            None | Some(XrefEntry::Free) => Ok(Object::Null),
            Some(XrefEntry::InFile { offset, .. }) => {
                let (n, _, obj) = self.object_at(offset)?;
                if n != num {
                    return Err(malformed(format!(
                        "xref entry of object {num} points at object {n}"
                    )));
                }
                Ok(obj)
            }
            Some(XrefEntry::InStream { stream, index }) => self.objstm_object(stream, index, num),
        }
    }

    /// Reads object `num` (a missing object is `null`, §7.3.10).
    pub fn get(&self, num: u32) -> Result<Object> {
        let d = self.depth.get();
        if d > 16 {
            return Err(malformed("references nested too deeply"));
        }
        self.depth.set(d + 1);
        let r = self.get_inner(num);
        self.depth.set(d);
        r
    }

    fn get_inner(&self, num: u32) -> Result<Object> {
        self.get_with(num, self.xref.get(&num).copied())
    }

    fn objstm_object(&self, stream: u32, index: u32, num: u32) -> Result<Object> {
        let cached = self
            .objstm
            .borrow()
            .as_ref()
            .is_some_and(|c| c.num == stream);
        if !cached {
            let obj = match self.xref.get(&stream) {
                Some(XrefEntry::InFile { offset, .. }) => self.object_at(*offset)?.2,
                _ => return Err(malformed(format!("object stream {stream} not in file"))),
            };
            let Object::Stream(s) = obj else {
                return Err(malformed(format!(
                    "object {stream} is not an object stream"
                )));
            };
            let data = self.decode_stream(&s, MAX_DECODED)?;
            let (first, offsets) = objstm_header(&s.dict, &data)?;
            *self.objstm.borrow_mut() = Some(ObjStmCache {
                num: stream,
                data: Rc::new(data),
                first,
                offsets,
            });
        }
        let cache = self.objstm.borrow();
        let c = cache
            .as_ref()
            .ok_or_else(|| malformed("object stream cache"))?;
        let (n, off) = *c
            .offsets
            .get(index as usize)
            .ok_or_else(|| malformed(format!("object {num}: index beyond object stream")))?;
        if n != num {
            return Err(malformed(format!(
                "object stream {stream} holds object {n}, not {num}"
            )));
        }
        let start = c.first.saturating_add(off);
        let slice = c
            .data
            .get(start..)
            .ok_or_else(|| malformed("object offset beyond object stream"))?;
        let mut padded = slice.to_vec();
        padded.push(b' ');
        Parser::new(&padded, 0)
            .object()
            .map_err(|e| malformed(format!("object {num} in stream {stream}: {}", e.detail())))
    }

    /// Resolves a reference (other objects are returned as they are).
    pub fn resolve(&self, obj: &Object) -> Result<Object> {
        match obj {
            Object::Ref(n, _) => self.get(*n),
            o => Ok(o.clone()),
        }
    }

    /// Resolves to a dictionary (of a dict or a stream), or an error naming `what`.
    pub fn resolve_dict(&self, obj: &Object, what: &str) -> Result<Dict> {
        match self.resolve(obj)? {
            Object::Dict(d) => Ok(d),
            Object::Stream(s) => Ok(s.dict),
            _ => Err(malformed(format!("{what} is not a dictionary"))),
        }
    }

    /// The raw (still encoded) data of a stream, at most `limit` bytes.
    pub fn stream_raw(&self, s: &Stream, limit: usize) -> Result<Vec<u8>> {
        let declared = match s.dict.get("Length") {
            Some(Object::Int(n)) => Some(*n),
            Some(Object::Ref(n, _)) => self.get(*n).ok().and_then(|o| o.as_int()),
            _ => None,
        };
        let ok_len = |len: u64| -> Result<bool> {
            let after = self.read_at(s.data_offset + len, 32)?;
            let skip = after
                .iter()
                .take_while(|&&b| super::object::is_white(b))
                .count();
            Ok(after[skip..].starts_with(b"endstream"))
        };
        let len = match declared {
            Some(n) if n >= 0 && ok_len(n as u64)? => n as u64,
            _ => self.find_endstream(s.data_offset, limit)?,
        };
        if len > limit as u64 {
            return Err(Error::new(ErrorKind::LimitExceeded, "stream too long"));
        }
        self.read_at(s.data_offset, len as usize)
    }

    fn find_endstream(&self, from: u64, limit: usize) -> Result<u64> {
        let mut pos = from;
        while pos < self.len && (pos - from) <= limit as u64 {
            let buf = self.read_at(pos, (1 << 20) + 16)?;
            if let Some(i) = xref::find(&buf, b"endstream", 0) {
                let mut end = pos + i as u64;
                // Strip the EOL before `endstream`.
                let before = self.read_at(end.saturating_sub(2).max(from), 2)?;
                if before.ends_with(b"\r\n") {
                    end -= 2;
                } else if before.ends_with(b"\n") || before.ends_with(b"\r") {
                    end -= 1;
                }
                return Ok(end.max(from) - from);
            }
            if buf.len() < (1 << 20) + 16 {
                break;
            }
            pos += 1 << 20;
        }
        Err(malformed("stream without endstream"))
    }

    /// The decoded data of a stream (FlateDecode with PNG predictors), at most `limit` bytes.
    pub fn decode_stream(&self, s: &Stream, limit: usize) -> Result<Vec<u8>> {
        let raw = self.stream_raw(s, limit)?;
        decode(&s.dict, raw, limit)
    }

    /// The document catalog: its id and dictionary.
    pub fn catalog(&self) -> Result<(ObjId, Dict)> {
        let (n, g) = self
            .trailer
            .get("Root")
            .and_then(Object::as_ref)
            .ok_or_else(|| malformed("trailer /Root is not a reference"))?;
        let d = self.resolve_dict(&Object::Ref(n, g), "the catalog")?;
        Ok(((n, g), d))
    }

    /// Page `n` (1-based), found through the page tree's /Count without reading other pages.
    pub fn page(&self, n: usize) -> Result<PageInfo> {
        let (_, cat) = self.catalog()?;
        let root = cat
            .get("Pages")
            .and_then(Object::as_ref)
            .ok_or_else(|| malformed("catalog without /Pages"))?;
        if n == 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "pages are numbered from 1",
            ));
        }
        let mut remaining = n;
        let mut node = root;
        let mut inherited = Inherited::default();
        let mut seen = HashSet::new();
        'descend: for _ in 0..64 {
            if !seen.insert(node.0) {
                return Err(malformed("page tree loop"));
            }
            let d = self.resolve_dict(&Object::Ref(node.0, node.1), "a page tree node")?;
            inherited.update(&d);
            if d.get("Kids").is_none() && !d.is_type("Pages") {
                if remaining == 1 {
                    return inherited.page(node, d);
                }
                break;
            }
            let kids = match d.get("Kids").map(|k| self.resolve(k)) {
                Some(Ok(Object::Array(a))) => a,
                _ => return Err(malformed("page tree node without /Kids")),
            };
            for kid in kids {
                let Some(r) = kid.as_ref() else { continue };
                let kd = self.resolve_dict(&Object::Ref(r.0, r.1), "a page tree node")?;
                let is_node = kd.get("Kids").is_some() || kd.is_type("Pages");
                let count = if is_node {
                    kd.int("Count").unwrap_or(0).max(0) as usize
                } else {
                    1
                };
                if remaining <= count {
                    node = r;
                    continue 'descend;
                }
                remaining -= count;
            }
            break;
        }
        Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("the document has no page {n}"),
        ))
    }

    /// The number of pages (from the root's /Count).
    pub fn page_count(&self) -> Result<usize> {
        let (_, cat) = self.catalog()?;
        let root = self.resolve_dict(
            cat.get("Pages")
                .ok_or_else(|| malformed("catalog without /Pages"))?,
            "/Pages",
        )?;
        Ok(root.int("Count").unwrap_or(0).max(0) as usize)
    }

    /// Every page object id, walking the page tree (loops and depth bounded).
    pub fn page_ids(&self) -> Result<Vec<ObjId>> {
        let (_, cat) = self.catalog()?;
        let root = cat
            .get("Pages")
            .and_then(Object::as_ref)
            .ok_or_else(|| malformed("catalog without /Pages"))?;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(root, 0usize)];
        while let Some((r, depth)) = stack.pop() {
            if depth > 64 || !seen.insert(r.0) || seen.len() > 1_000_000 {
                return Err(malformed("page tree too deep or with a loop"));
            }
            let d = self.resolve_dict(&Object::Ref(r.0, r.1), "a page tree node")?;
            if d.get("Kids").is_none() && !d.is_type("Pages") {
                out.push(r);
                continue;
            }
            if let Some(Object::Array(kids)) = d.get("Kids").map(|k| self.resolve(k)).transpose()? {
                for k in kids.iter().rev() {
                    if let Some(kr) = k.as_ref() {
                        stack.push((kr, depth + 1));
                    }
                }
            }
        }
        Ok(out)
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

#[derive(Default)]
struct Inherited {
    media_box: Option<Object>,
    crop_box: Option<Object>,
    rotate: Option<i64>,
    resources: Option<Object>,
}

impl Inherited {
    fn update(&mut self, d: &Dict) {
        if let Some(v) = d.get("MediaBox") {
            self.media_box = Some(v.clone());
        }
        if let Some(v) = d.get("CropBox") {
            self.crop_box = Some(v.clone());
        }
        if let Some(v) = d.int("Rotate") {
            self.rotate = Some(v);
        }
        if let Some(v) = d.get("Resources") {
            self.resources = Some(v.clone());
        }
    }

    fn page(self, id: ObjId, dict: Dict) -> Result<PageInfo> {
        let media_box = self
            .media_box
            .as_ref()
            .and_then(rect)
            .unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let crop_box = self
            .crop_box
            .as_ref()
            .and_then(rect)
            .map(|c| {
                [
                    c[0].max(media_box[0]),
                    c[1].max(media_box[1]),
                    c[2].min(media_box[2]),
                    c[3].min(media_box[3]),
                ]
            })
            .filter(|c| c[2] > c[0] && c[3] > c[1])
            .unwrap_or(media_box);
        let rotate = self.rotate.unwrap_or(0).rem_euclid(360);
        let rotate = ((rotate / 90) * 90) as u16;
        Ok(PageInfo {
            id,
            dict,
            media_box,
            crop_box,
            rotate,
            resources: self.resources,
        })
    }
}

/// A rectangle `[a b c d]` normalised to `[llx lly urx ury]`.
pub fn rect(o: &Object) -> Option<[f64; 4]> {
    let a = o.as_array()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f64> = a.iter().filter_map(Object::as_f64).collect();
    if v.len() != 4 || v.iter().any(|x| !x.is_finite()) {
        return None;
    }
    Some([
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ])
}

fn objstm_header(dict: &Dict, data: &[u8]) -> Result<(usize, Vec<(u32, usize)>)> {
    let n = dict.int("N").filter(|&n| n >= 0).unwrap_or(0) as usize;
    let first = dict
        .int("First")
        .filter(|&f| f >= 0 && (f as usize) <= data.len())
        .ok_or_else(|| malformed("object stream without a valid /First"))? as usize;
    let mut head = data[..first].to_vec();
    head.push(b' ');
    let mut p = Parser::new(&head, 0);
    let mut offsets = Vec::with_capacity(n.min(100_000));
    for _ in 0..n {
        let (Ok(num), Ok(off)) = (p.uint(), p.uint()) else {
            break;
        };
        if num > u32::MAX as u64 || off > data.len() as u64 {
            return Err(malformed("bad object stream header"));
        }
        offsets.push((num as u32, off as usize));
    }
    Ok((first, offsets))
}

/// Decodes stream data through its /Filter chain (FlateDecode only) and PNG predictors.
pub fn decode(dict: &Dict, raw: Vec<u8>, limit: usize) -> Result<Vec<u8>> {
    let filters: Vec<Vec<u8>> = match dict.get("Filter") {
        None | Some(Object::Null) => Vec::new(),
        Some(Object::Name(n)) => vec![n.clone()],
        Some(Object::Array(a)) => a
            .iter()
            .filter_map(|o| o.as_name().map(<[u8]>::to_vec))
            .collect(),
        _ => return Err(malformed("bad /Filter")),
    };
    let parms: Vec<Option<Dict>> = match dict.get("DecodeParms") {
        Some(Object::Dict(d)) => vec![Some(d.clone())],
        Some(Object::Array(a)) => a.iter().map(|o| o.as_dict().cloned()).collect(),
        _ => Vec::new(),
    };
    let mut data = raw;
    for (i, f) in filters.iter().enumerate() {
        match f.as_slice() {
            b"FlateDecode" | b"Fl" => {
                data = inflate(&data, limit)?;
                if let Some(Some(p)) = parms.get(i) {
                    data = unpredict(p, data)?;
                }
            }
            other => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!(
                        "stream filter /{} is not supported here",
                        String::from_utf8_lossy(other)
                    ),
                ));
            }
        }
    }
    Ok(data)
}

/// Inflates zlib (or raw deflate) data, at most `limit` bytes out (truncated data tolerated).
pub fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let r = flate2::read::ZlibDecoder::new(data)
        .take(limit as u64 + 1)
        .read_to_end(&mut out);
    if r.is_err() && out.is_empty() {
        out.clear();
        flate2::read::DeflateDecoder::new(data)
            .take(limit as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| malformed(format!("bad FlateDecode data: {e}")))?;
    }
    if out.len() > limit {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            "decoded stream too large",
        ));
    }
    Ok(out)
}

fn unpredict(p: &Dict, data: Vec<u8>) -> Result<Vec<u8>> {
    let predictor = p.int("Predictor").unwrap_or(1);
    if predictor < 10 {
        if predictor == 1 {
            return Ok(data);
        }
        return Err(Error::new(ErrorKind::Unsupported, "TIFF predictor"));
    }
    let colors = p.int("Colors").unwrap_or(1).clamp(1, 32) as usize;
    let bpc = p.int("BitsPerComponent").unwrap_or(8).clamp(1, 16) as usize;
    let columns = p.int("Columns").unwrap_or(1).clamp(1, 1 << 20) as usize;
    let bpp = (colors * bpc).div_ceil(8);
    let row = (colors * bpc * columns).div_ceil(8);
    let mut out = Vec::with_capacity(data.len());
    let mut prev = vec![0u8; row];
    for chunk in data.chunks(row + 1) {
        let (&ty, src) = chunk
            .split_first()
            .ok_or_else(|| malformed("predictor row"))?;
        let mut cur = src.to_vec();
        cur.resize(row, 0);
        for i in 0..row {
            let a = if i >= bpp { cur[i - bpp] } else { 0 };
            let b = prev[i];
            let c = if i >= bpp { prev[i - bpp] } else { 0 };
            let add = match ty {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => {
                    let pa = (b as i16 - c as i16).abs();
                    let pb = (a as i16 - c as i16).abs();
                    let pc = (a as i16 + b as i16 - 2 * c as i16).abs();
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                _ => return Err(malformed("bad PNG predictor type")),
            };
            cur[i] = cur[i].wrapping_add(add);
        }
        out.extend_from_slice(&cur[..src.len().min(row)]);
        prev = cur;
    }
    Ok(out)
}

/// `N G` right before `obj` at `j`: `(num, gen, start of N)`.
fn obj_header_before(buf: &[u8], j: usize) -> Option<(u32, u16, usize)> {
    let mut i = j;
    let ws = |c: u8| super::object::is_white(c);
    let skip_ws = |i: &mut usize| -> bool {
        let s = *i;
        while *i > 0 && ws(buf[*i - 1]) {
            *i -= 1;
        }
        *i < s
    };
    let digits = |i: &mut usize| -> Option<u64> {
        let e = *i;
        while *i > 0 && buf[*i - 1].is_ascii_digit() && e - *i < 10 {
            *i -= 1;
        }
        if *i == e {
            return None;
        }
        std::str::from_utf8(&buf[*i..e]).ok()?.parse().ok()
    };
    if !skip_ws(&mut i) {
        return None;
    }
    let g = digits(&mut i)?;
    if !skip_ws(&mut i) {
        return None;
    }
    let n = digits(&mut i)?;
    if i > 0 && !(ws(buf[i - 1]) || super::object::is_delim(buf[i - 1])) {
        return None;
    }
    if n > u32::MAX as u64 || g > u16::MAX as u64 {
        return None;
    }
    Some((n as u32, g as u16, i))
}

/// A reader over a byte range of a document (for streamed hashing).
pub struct RangeReader<'a> {
    doc: &'a Document,
    pos: u64,
    end: u64,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = (self.end.saturating_sub(self.pos)).min(buf.len() as u64) as usize;
        if n == 0 {
            return Ok(0);
        }
        let got = self.doc.src.read_at(self.pos, &mut buf[..n])?;
        self.pos += got as u64;
        Ok(got)
    }
}
