//! A PDF document read by offset (ISO 32000-1 §7.5 file structure).
//!
//! Only what is asked for is read: the cross-reference sections, then single objects by their
//! offsets, with a small window per object. The file is never loaded whole, so memory stays far
//! below the file size. The other read-side parts add to [`Document`]: [`super::xref`] (the
//! cross-reference chain and its repair), [`super::object::read`] (indirect objects, object
//! streams, stream data), [`super::filters`] and [`super::pages`].

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::object::read::ObjStmCache;
use super::object::{Dict, EOF_DETAIL, Object};
use super::xref::{self, XrefEntry, XrefKind, XrefSection, malformed};
use crate::error::{Error, ErrorKind, Result};

pub use super::filters::{decode, inflate};
pub use super::pages::{PageInfo, rect};
pub use super::xref::chain::merge_sections;

/// Largest window read for one object's dictionary (stream data excluded).
const MAX_WINDOW: usize = 8 << 20;
/// Largest decoded stream the reader will produce (object streams, xref streams).
pub const MAX_DECODED: usize = 12 << 20;

/// An object id: number and generation.
pub type ObjId = (u32, u16);

/// Where the bytes come from.
enum Source<'a> {
    File(File),
    Bytes(Cow<'a, [u8]>),
}

impl Source<'_> {
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

/// A PDF document open for reading: from a file, from owned bytes, or borrowing the bytes of
/// a caller that already holds them (`'a`; `'static` for the other two).
pub struct Document<'a> {
    src: Source<'a>,
    len: u64,
    pub(in crate::pdf) xref: HashMap<u32, XrefEntry>,
    pub(in crate::pdf) sections: Vec<XrefSection>,
    pub(in crate::pdf) trailer: Dict,
    pub(in crate::pdf) reconstructed: bool,
    pub(in crate::pdf) objstm: RefCell<Option<ObjStmCache>>,
    pub(in crate::pdf) depth: Cell<u32>,
}

impl std::fmt::Debug for Document<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("len", &self.len)
            .field("objects", &self.xref.len())
            .field("sections", &self.sections.len())
            .field("reconstructed", &self.reconstructed)
            .finish()
    }
}

impl Document<'static> {
    /// Opens a PDF file (read by offset, never loaded whole).
    pub fn open(path: &Path) -> Result<Document<'static>> {
        let f = File::open(path)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", path.display())))?;
        let len = f.metadata()?.len();
        Self::load(Source::File(f), len)
    }

    /// Reads a PDF held in memory, taking the bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Document<'static>> {
        let len = bytes.len() as u64;
        Document::load(Source::Bytes(Cow::Owned(bytes)), len)
    }
}

impl<'a> Document<'a> {
    /// Reads a PDF held in memory by the caller, without copying it.
    pub fn from_slice(bytes: &'a [u8]) -> Result<Document<'a>> {
        Document::load(Source::Bytes(Cow::Borrowed(bytes)), bytes.len() as u64)
    }

    fn load(src: Source<'a>, len: u64) -> Result<Document<'a>> {
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
    pub(in crate::pdf) fn parse_at<T>(
        &self,
        off: u64,
        f: impl Fn(&[u8], u64) -> Result<T>,
    ) -> Result<T> {
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
}

/// A reader over a byte range of a document (for streamed hashing).
pub struct RangeReader<'a> {
    doc: &'a Document<'a>,
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
