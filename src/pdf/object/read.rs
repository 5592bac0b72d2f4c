//! Indirect objects read from a [`Document`] (ISO 32000-1 §7.3.10 indirect objects, §7.3.8
//! streams, §7.5.7 object streams): by cross-reference entry or offset, references resolved,
//! stream data found by `/Length` or `endstream`, object streams decoded on demand (one cached
//! at a time).

use std::rc::Rc;

use super::{Dict, EOF_DETAIL, Object, Parser, Stream};
use crate::error::{Error, ErrorKind, Result};
use crate::pdf::document::{Document, MAX_DECODED};
use crate::pdf::filters::decode;
use crate::pdf::xref::{self, XrefEntry, malformed};

pub(in crate::pdf) struct ObjStmCache {
    pub(in crate::pdf) num: u32,
    pub(in crate::pdf) data: Rc<Vec<u8>>,
    pub(in crate::pdf) first: usize,
    pub(in crate::pdf) offsets: Vec<(u32, usize)>,
}

impl Document<'_> {
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
            let skip = after.iter().take_while(|&&b| super::is_white(b)).count();
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
        while pos < self.len() && (pos - from) <= limit as u64 {
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
}

pub(in crate::pdf) fn objstm_header(
    dict: &Dict,
    data: &[u8],
) -> Result<(usize, Vec<(u32, usize)>)> {
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
