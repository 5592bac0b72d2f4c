//! Reconstruction of a damaged cross-reference table by scanning the file for `N G obj`
//! headers and trailers, as readers do for broken files (ISO 32000-1 §7.5.4 is what is missing;
//! §7.5.7 object streams are read from the objects found).

use std::collections::HashMap;

use super::{self as xref, XrefEntry, malformed};
use crate::error::{Error, ErrorKind, Result};
use crate::pdf::document::{Document, MAX_DECODED};
use crate::pdf::object::read::objstm_header;
use crate::pdf::object::{Dict, Object, Parser, is_delim, is_white};

impl Document<'_> {
    /// Every `N G obj` header in `[from, to)`, in file order: `(num, gen, offset)`, found by
    /// scanning (as a reader that reconstructs a damaged xref does), streamed in 1 MiB chunks.
    pub fn scan_objects(&self, from: u64, to: u64) -> Result<Vec<(u32, u16, u64)>> {
        const CHUNK: usize = 1 << 20;
        const OVERLAP: usize = 64;
        let to = to.min(self.len());
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
                if !after.is_none_or(|c| is_white(c) || is_delim(c)) {
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

    /// Rebuilds the xref by scanning the whole file for `N G obj` (streamed in 1 MiB chunks).
    pub(in crate::pdf) fn reconstruct(&mut self) -> Result<()> {
        // Every `N G obj` header, in file order: a later definition of a number wins.
        let mut found: HashMap<u32, (u64, u16)> = HashMap::new();
        for (n, g, offset) in self.scan_objects(0, self.len())? {
            found.insert(n, (offset, g));
        }
        let mut trailers: Vec<u64> = Vec::new();
        let mut from = 0;
        while let Some(at) = self.find_forward(from, b"trailer") {
            from = at + 7;
            trailers.push(from);
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
}

/// `N G` right before `obj` at `j`: `(num, gen, start of N)`.
fn obj_header_before(buf: &[u8], j: usize) -> Option<(u32, u16, usize)> {
    let mut i = j;
    let ws = |c: u8| is_white(c);
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
    if i > 0 && !(ws(buf[i - 1]) || is_delim(buf[i - 1])) {
        return None;
    }
    if n > u32::MAX as u64 || g > u16::MAX as u64 {
        return None;
    }
    Some((n as u32, g as u16, i))
}

#[cfg(test)]
mod tests {
    use crate::pdf::document::Document;
    use crate::pdf::xref::XrefEntry;

    /// A header cut by a 1 MiB scan chunk is read whole: `12 0 obj` with its `1` before the
    /// boundary is object 12, never a phantom object 2.
    #[test]
    fn header_across_a_chunk_boundary() {
        let mut pdf = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 3 0 R >>\nendobj\n".to_vec();
        pdf.extend_from_slice(b"3 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n%");
        pdf.resize((1 << 20) - 2, b'x');
        pdf.push(b'\n');
        let at = pdf.len() as u64;
        assert_eq!(at, (1 << 20) - 1);
        pdf.extend_from_slice(b"12 0 obj\n(twelve)\nendobj\n%%EOF\n");
        let doc = Document::from_bytes(pdf).unwrap();
        assert!(doc.is_reconstructed());
        assert_eq!(
            doc.entry(12),
            Some(XrefEntry::InFile {
                offset: at,
                generation: 0
            })
        );
        assert_eq!(doc.entry(2), None);
        assert!(
            matches!(doc.get(12).unwrap(), crate::pdf::object::Object::String(s) if s == b"twelve")
        );
    }
}
