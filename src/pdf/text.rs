//! Text as shown on PDF pages (ISO 32000-1 §9 Text): the page's content streams are run
//! through the text operators (§9.4: `BT ET Tf Tm Td TD T* Tc Tw Tz TL Ts Tj TJ ' "`) with the
//! graphics state's CTM (`q Q cm`, §8.4) and through Form XObjects (`Do`, §8.10, with their
//! `/Matrix` and `/Resources`), and every character code shown is placed and turned into text.
//!
//! Character codes (§9.5–9.10): a `/ToUnicode` CMap (`begincodespacerange`, `bfchar`, `bfrange`)
//! wins; otherwise a Type0 font with a predefined UCS-2/UTF-16 CMap (`UniGB-UCS2-H`,
//! `UniGB-UTF16-H`, …) is read as Unicode; a simple font uses its `/Encoding` (WinAnsi,
//! Standard, MacRoman for ASCII, `/Differences` with standard glyph names and `uniXXXX`).
//! Codes that cannot be mapped become U+FFFD (and never match a keyword). Widths come from
//! `/Widths`, `/W` + `/DW`, or for the standard 14 fonts without `/Widths` from their metrics
//! (the URW base-35 AFM values, metric-compatible with Adobe's).
//!
//! Each glyph's box reaches from the baseline 0.2 em down and 0.8 em up in text space and is as
//! wide as its advance; it is mapped by the text rendering matrix (§9.4.4) into user space and
//! then into millimetres from the top-left of the page as a viewer shows it (CropBox, /Rotate).
//! Not interpreted: Type3 glyph procedures (their widths are used), vertical writing mode
//! (`-V` CMaps: glyphs are still placed horizontally), and text in annotations.

use std::collections::HashMap;

use super::appearance::PT_PER_MM;
use super::document::{Document, PageInfo};
use super::object::{Dict, Object, Parser, is_delim, is_white};
use crate::error::{Error, ErrorKind, Result};
use crate::keyword::{self, Hit, KeywordSpec};

/// Largest decoded content stream read (bytes).
const MAX_CONTENT: usize = 64 << 20;
/// Largest number of glyphs kept per page.
const MAX_GLYPHS: usize = 2_000_000;
/// Deepest Form XObject nesting followed.
const MAX_FORM_DEPTH: usize = 12;

/// One character code shown on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The text it stands for (usually one character; U+FFFD when unknown).
    pub text: String,
    /// Its box `[x0, y0, x1, y1]` in millimetres from the top-left corner of the visible page
    /// as shown (y downwards).
    pub rect_mm: [f64; 4],
    /// Its box in default user space (points) `[llx, lly, urx, ury]`.
    pub rect_user: [f64; 4],
    /// The font size in user space (points), along the glyph's vertical.
    pub size_pt: f64,
}

/// The text of one page, in content-stream order.
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    /// Page number, from 1.
    pub page: usize,
    /// The glyphs.
    pub glyphs: Vec<Glyph>,
}

impl PageText {
    /// The page's text (glyph texts concatenated).
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.text.as_str()).collect()
    }
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` (apply `a` first, then `b`), as in §8.3.4.
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn matrix_of(o: Option<&Object>) -> Option<Matrix> {
    let a = o?.as_array()?;
    if a.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (i, v) in a.iter().enumerate() {
        m[i] = v.as_f64().filter(|v| v.is_finite())?;
    }
    Some(m)
}

/// How a font turns codes into text and advances.
#[derive(Debug, Clone, Default)]
struct Font {
    /// Code lengths by first byte (from the codespace ranges); empty = one byte.
    codespace: Vec<(u32, u32, usize)>,
    two_byte_default: bool,
    to_unicode: HashMap<u32, String>,
    /// Codes are UCS-2/UTF-16BE (predefined Uni…-UCS2/UTF16 CMaps).
    unicode_codes: bool,
    simple_encoding: Option<Box<[Option<char>; 256]>>,
    widths: HashMap<u32, f64>,
    default_width: f64,
    /// Glyph space → text space scale (1/1000, or a Type3 FontMatrix's a).
    scale: f64,
}

impl Font {
    fn next_code(&self, s: &[u8]) -> (u32, usize) {
        if !self.codespace.is_empty() {
            for n in 1..=4usize.min(s.len()) {
                let code = s[..n].iter().fold(0u32, |a, &b| (a << 8) | b as u32);
                if self
                    .codespace
                    .iter()
                    .any(|&(lo, hi, len)| len == n && code >= lo && code <= hi)
                {
                    return (code, n);
                }
            }
        }
        let n = if self.two_byte_default { 2 } else { 1 }.min(s.len());
        (s[..n].iter().fold(0u32, |a, &b| (a << 8) | b as u32), n)
    }

    fn text_of(&self, code: u32, len: usize) -> String {
        if let Some(t) = self.to_unicode.get(&code) {
            return t.clone();
        }
        if self.unicode_codes
            && let Some(c) = char::from_u32(code)
        {
            return c.to_string();
        }
        if len == 1
            && let Some(enc) = &self.simple_encoding
            && let Some(c) = enc[code as usize & 0xff]
        {
            return c.to_string();
        }
        '\u{FFFD}'.to_string()
    }

    fn width(&self, code: u32) -> f64 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
            * self.scale
    }
}

/// A page's text as shown.
pub fn page_text(doc: &Document, page: usize) -> Result<PageText> {
    let info = doc.page(page)?;
    let mut ex = Extractor {
        doc,
        glyphs: Vec::new(),
        fonts: HashMap::new(),
        page: &info,
    };
    let resources = match &info.resources {
        Some(r) => doc.resolve_dict(r, "/Resources").unwrap_or_default(),
        None => Dict::new(),
    };
    let mut content = Vec::new();
    let contents = match info.dict.get("Contents") {
        Some(o) => doc.resolve(o)?,
        None => Object::Null,
    };
    let parts: Vec<Object> = match contents {
        Object::Array(a) => a,
        o => vec![o],
    };
    for p in parts.iter().take(10_000) {
        let o = match p {
            Object::Ref(..) => doc.resolve(p)?,
            o => o.clone(),
        };
        if let Object::Stream(s) = o {
            let data = content_data(doc, &s, MAX_CONTENT.saturating_sub(content.len()))?;
            content.extend_from_slice(&data);
            content.push(b'\n');
        }
    }
    ex.run(&content, &resources, IDENTITY, 0)?;
    Ok(PageText {
        page,
        glyphs: ex.glyphs,
    })
}

struct Extractor<'a> {
    doc: &'a Document<'a>,
    glyphs: Vec<Glyph>,
    /// Fonts by object number (direct font dictionaries are not cached).
    fonts: HashMap<u32, Font>,
    page: &'a PageInfo,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    trise: f64,
    tfs: f64,
    font: Option<(Option<u32>, Dict)>,
}

impl<'a> Extractor<'a> {
    fn run(&mut self, content: &[u8], res: &Dict, ctm: Matrix, depth: usize) -> Result<()> {
        let mut gs = GState {
            ctm,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            trise: 0.0,
            tfs: 0.0,
            font: None,
        };
        let mut stack: Vec<GState> = Vec::new();
        let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
        let mut ops: Vec<Object> = Vec::new();
        let mut p = Parser::new(content, 0);
        loop {
            p.skip_ws();
            let at = p.pos();
            let Some(&b) = content.get(at) else { break };
            let is_op_start = !(is_white(b)
                || is_delim(b)
                || b.is_ascii_digit()
                || b == b'+'
                || b == b'-'
                || b == b'.');
            if !is_op_start {
                match p.object() {
                    Ok(o) => {
                        if ops.len() < 64 {
                            ops.push(o);
                        }
                    }
                    Err(_) => {
                        // Skip one byte of garbage and go on (viewers do).
                        p.set_pos(at + 1);
                        ops.clear();
                    }
                }
                continue;
            }
            let mut end = at;
            while end < content.len() && !is_white(content[end]) && !is_delim(content[end]) {
                end += 1;
            }
            let op = &content[at..end];
            p.set_pos(end);
            let num = |i: usize| {
                ops.get(i)
                    .and_then(Object::as_f64)
                    .filter(|v| v.is_finite())
            };
            match op {
                b"q" if stack.len() < 256 => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(s) = stack.pop() {
                        gs = s;
                    }
                }
                b"cm" => {
                    if let (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) =
                        (num(0), num(1), num(2), num(3), num(4), num(5))
                    {
                        gs.ctm = mul(&[a, b, c, d, e, f], &gs.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"Tf" => {
                    if let (Some(Object::Name(n)), Some(size)) = (ops.first(), num(1)) {
                        gs.tfs = size;
                        gs.font = self.font_dict(res, n);
                    }
                }
                b"Tc" => gs.tc = num(0).unwrap_or(gs.tc),
                b"Tw" => gs.tw = num(0).unwrap_or(gs.tw),
                b"Tz" => gs.th = num(0).map(|v| v / 100.0).unwrap_or(gs.th),
                b"TL" => gs.tl = num(0).unwrap_or(gs.tl),
                b"Ts" => gs.trise = num(0).unwrap_or(gs.trise),
                b"Td" | b"TD" => {
                    if let (Some(x), Some(y)) = (num(0), num(1)) {
                        if op == b"TD" {
                            gs.tl = -y;
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, x, y], &tlm);
                        tm = tlm;
                    }
                }
                b"Tm" => {
                    if let (Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)) =
                        (num(0), num(1), num(2), num(3), num(4), num(5))
                    {
                        tlm = [a, b, c, d, e, f];
                        tm = tlm;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op != b"Tj" {
                        if op == b"\"" {
                            gs.tw = num(0).unwrap_or(gs.tw);
                            gs.tc = num(1).unwrap_or(gs.tc);
                        }
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    if let Some(Object::String(s)) = ops.last() {
                        let s = s.clone();
                        self.show(&s, &gs, &mut tm);
                    }
                }
                b"TJ" => {
                    if let Some(Object::Array(items)) = ops.first() {
                        let items = items.clone();
                        for it in items {
                            match it {
                                Object::String(s) => self.show(&s, &gs, &mut tm),
                                o => {
                                    if let Some(v) = o.as_f64().filter(|v| v.is_finite()) {
                                        let tx = -v / 1000.0 * gs.tfs * gs.th;
                                        tm = mul(&[1.0, 0.0, 0.0, 1.0, tx, 0.0], &tm);
                                    }
                                }
                            }
                        }
                    }
                }
                b"Do" => {
                    if depth < MAX_FORM_DEPTH
                        && let Some(Object::Name(n)) = ops.first()
                    {
                        self.form(res, n, &gs.ctm, depth)?;
                    }
                }
                b"BI" => {
                    // Inline image: skip to `EI` after white space.
                    let mut i = end;
                    while i + 2 < content.len() {
                        if is_white(content[i])
                            && &content[i + 1..i + 3] == b"EI"
                            && content
                                .get(i + 3)
                                .is_none_or(|&c| is_white(c) || is_delim(c))
                        {
                            break;
                        }
                        i += 1;
                    }
                    p.set_pos(i + 3);
                }
                _ => {}
            }
            ops.clear();
        }
        Ok(())
    }

    fn font_dict(&self, res: &Dict, name: &[u8]) -> Option<(Option<u32>, Dict)> {
        let fonts = self.doc.resolve_dict(res.get("Font")?, "/Font").ok()?;
        let key = std::str::from_utf8(name).ok()?;
        let o = fonts.get(key)?;
        let id = o.as_ref().map(|r| r.0);
        Some((id, self.doc.resolve_dict(o, "font").ok()?))
    }

    fn form(&mut self, res: &Dict, name: &[u8], ctm: &Matrix, depth: usize) -> Result<()> {
        let Some(xo) = res
            .get("XObject")
            .and_then(|x| self.doc.resolve_dict(x, "/XObject").ok())
        else {
            return Ok(());
        };
        let Some(key) = std::str::from_utf8(name).ok() else {
            return Ok(());
        };
        let Some(o) = xo.get(key) else { return Ok(()) };
        let Ok(Object::Stream(s)) = self.doc.resolve(o) else {
            return Ok(());
        };
        if s.dict.name("Subtype") != Some(b"Form") {
            return Ok(());
        }
        let m = matrix_of(s.dict.get("Matrix")).unwrap_or(IDENTITY);
        let inner_res = match s.dict.get("Resources") {
            Some(r) => self.doc.resolve_dict(r, "/Resources").unwrap_or_default(),
            None => res.clone(),
        };
        let Ok(data) = content_data(self.doc, &s, MAX_CONTENT) else {
            return Ok(());
        };
        self.run(&data, &inner_res, mul(&m, ctm), depth + 1)
    }

    fn show(&mut self, s: &[u8], gs: &GState, tm: &mut Matrix) {
        let Some((id, fd)) = &gs.font else { return };
        let font = match id {
            Some(n) => self
                .fonts
                .entry(*n)
                .or_insert_with(|| load_font(self.doc, fd))
                .clone(),
            None => load_font(self.doc, fd),
        };
        let mut i = 0;
        while i < s.len() {
            let (code, n) = font.next_code(&s[i..]);
            i += n.max(1);
            let w0 = font.width(code);
            let word_space = if n == 1 && code == 32 { gs.tw } else { 0.0 };
            let adv = (w0 * gs.tfs + gs.tc + word_space) * gs.th;
            let trm = mul(
                &mul(&[gs.tfs * gs.th, 0.0, 0.0, gs.tfs, 0.0, gs.trise], tm),
                &gs.ctm,
            );
            // Glyph box in text space units of the font size: width w0, from -0.2 to 0.8 em.
            let gw = if w0 > 0.0 { w0 } else { 0.5 };
            let corners = [
                apply(&trm, 0.0, -0.2),
                apply(&trm, gw, -0.2),
                apply(&trm, 0.0, 0.8),
                apply(&trm, gw, 0.8),
            ];
            let ru = [
                corners.iter().map(|c| c.0).fold(f64::MAX, f64::min),
                corners.iter().map(|c| c.1).fold(f64::MAX, f64::min),
                corners.iter().map(|c| c.0).fold(f64::MIN, f64::max),
                corners.iter().map(|c| c.1).fold(f64::MIN, f64::max),
            ];
            let size = (trm[2] * trm[2] + trm[3] * trm[3]).sqrt();
            if self.glyphs.len() < MAX_GLYPHS && ru.iter().all(|v| v.is_finite()) {
                let a = to_display(self.page, ru[0], ru[1]);
                let b = to_display(self.page, ru[2], ru[3]);
                self.glyphs.push(Glyph {
                    text: font.text_of(code, n),
                    rect_mm: [a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)],
                    rect_user: ru,
                    size_pt: size,
                });
            }
            *tm = mul(&[1.0, 0.0, 0.0, 1.0, adv, 0.0], tm);
        }
    }
}

/// A stream's decoded data: leading ASCII85Decode / ASCIIHexDecode filters (§7.4.2–7.4.3,
/// ReportLab's default) are undone here, the rest of the chain by the document reader.
fn content_data(doc: &Document, s: &super::object::Stream, limit: usize) -> Result<Vec<u8>> {
    let mut filters: Vec<Object> = match s.dict.get("Filter") {
        Some(Object::Name(n)) => vec![Object::Name(n.clone())],
        Some(Object::Array(a)) => a.clone(),
        _ => return doc.decode_stream(s, limit),
    };
    let mut parms: Vec<Object> = match s.dict.get("DecodeParms") {
        Some(Object::Array(a)) => a.clone(),
        Some(o) => vec![o.clone()],
        None => Vec::new(),
    };
    let mut data = doc.stream_raw(s, limit.saturating_mul(2))?;
    while let Some(Object::Name(f)) = filters.first() {
        data = match f.as_slice() {
            b"ASCII85Decode" | b"A85" => ascii85(&data)?,
            b"ASCIIHexDecode" | b"AHx" => ascii_hex(&data),
            _ => break,
        };
        filters.remove(0);
        if !parms.is_empty() {
            parms.remove(0);
        }
    }
    let mut d = s.dict.clone();
    d.set("Filter", Object::Array(filters));
    if parms.is_empty() {
        d.remove("DecodeParms");
    } else {
        d.set("DecodeParms", Object::Array(parms));
    }
    super::document::decode(&d, data, limit)
}

fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = data
        .iter()
        .take_while(|&&b| b != b'>')
        .filter_map(|&b| (b as char).to_digit(16).map(|v| v as u8))
        .collect();
    digits
        .chunks(2)
        .map(|c| (c[0] << 4) | c.get(1).copied().unwrap_or(0))
        .collect()
}

fn ascii85(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len() * 4 / 5);
    let mut group = [0u8; 5];
    let mut n = 0;
    let bad = || Error::new(ErrorKind::MalformedPdf, "bad ASCII85 data");
    let mut it = data.iter().copied();
    if data.starts_with(b"<~") {
        it.nth(1);
    }
    for b in it {
        match b {
            b'~' => break,
            b'z' if n == 0 => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group[n] = b - b'!';
                n += 1;
                if n == 5 {
                    let v = group.iter().fold(0u64, |a, &d| a * 85 + d as u64);
                    if v > u32::MAX as u64 {
                        return Err(bad());
                    }
                    out.extend_from_slice(&(v as u32).to_be_bytes());
                    n = 0;
                }
            }
            b if is_white(b) => {}
            _ => return Err(bad()),
        }
    }
    if n == 1 {
        return Err(bad());
    }
    if n > 1 {
        for g in group.iter_mut().skip(n) {
            *g = 84;
        }
        let v = group.iter().fold(0u64, |a, &d| a * 85 + d as u64);
        out.extend_from_slice(&(v as u32).to_be_bytes()[..n - 1]);
    }
    Ok(out)
}

/// A user-space point as millimetres from the top-left of the page as shown (the inverse of
/// [`super::appearance::placement`]).
pub fn to_display(page: &PageInfo, ux: f64, uy: f64) -> (f64, f64) {
    let [x0, y0, x1, y1] = page.crop_box;
    let (dx, dy) = match page.rotate {
        90 => (uy - y0, ux - x0),
        180 => (x1 - ux, uy - y0),
        270 => (y1 - uy, x1 - ux),
        _ => (ux - x0, y1 - uy),
    };
    (dx / PT_PER_MM, dy / PT_PER_MM)
}

fn load_font(doc: &Document, fd: &Dict) -> Font {
    let mut f = Font {
        scale: 0.001,
        default_width: 0.0,
        ..Font::default()
    };
    let subtype = fd.name("Subtype").unwrap_or(b"");
    if let Some(tu) = fd.get("ToUnicode")
        && let Ok(Object::Stream(s)) = doc.resolve(tu)
        && let Ok(data) = content_data(doc, &s, 8 << 20)
    {
        parse_cmap(&data, &mut f);
    }
    if subtype == b"Type0" {
        f.two_byte_default = true;
        if let Some(Object::Name(enc)) = fd.get("Encoding") {
            let enc = String::from_utf8_lossy(enc);
            if enc.starts_with("Uni") && (enc.contains("UCS2") || enc.contains("UTF16")) {
                f.unicode_codes = true;
            }
            if enc.contains("UTF8") {
                // UTF-8 codes: 1 to 4 bytes; handled as Unicode by the ToUnicode-less path below.
                f.two_byte_default = false;
            }
        }
        f.default_width = 1000.0;
        if let Some(Ok(Object::Array(desc))) = fd.get("DescendantFonts").map(|d| doc.resolve(d))
            && let Some(Ok(cid)) = desc.first().map(|d| doc.resolve_dict(d, "CIDFont"))
        {
            if let Some(dw) = cid.get("DW").and_then(|v| doc.resolve(v).ok()?.as_f64()) {
                f.default_width = dw;
            }
            if let Some(Ok(Object::Array(w))) = cid.get("W").map(|w| doc.resolve(w)) {
                parse_w(doc, &w, &mut f.widths);
            }
        }
        return f;
    }
    // Simple fonts.
    if subtype == b"Type3"
        && let Some(m) = matrix_of(
            fd.get("FontMatrix")
                .and_then(|m| doc.resolve(m).ok())
                .as_ref(),
        )
    {
        f.scale = m[0].abs();
    }
    let base = fd
        .name("BaseFont")
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_default();
    let first = fd.int("FirstChar").unwrap_or(0).clamp(0, 255) as u32;
    if let Some(Ok(Object::Array(ws))) = fd.get("Widths").map(|w| doc.resolve(w)) {
        for (i, w) in ws.iter().enumerate().take(256) {
            if let Some(v) = doc.resolve(w).ok().and_then(|v| v.as_f64()) {
                f.widths.insert(first + i as u32, v);
            }
        }
        if let Some(Ok(desc)) = fd
            .get("FontDescriptor")
            .map(|d| doc.resolve_dict(d, "desc"))
            && let Some(mw) = desc.get("MissingWidth").and_then(Object::as_f64)
        {
            f.default_width = mw;
        }
    } else if let Some(table) = standard_widths(&base) {
        for (i, w) in table.iter().enumerate() {
            f.widths.insert(32 + i as u32, *w as f64);
        }
        f.default_width = 500.0;
    } else {
        f.default_width = 500.0;
    }
    let mut enc = Box::new([None; 256]);
    for c in 32u8..127 {
        enc[c as usize] = Some(c as char);
    }
    let enc_obj = fd.get("Encoding").and_then(|e| doc.resolve(e).ok());
    let base_enc = match &enc_obj {
        Some(Object::Name(n)) => Some(n.clone()),
        Some(Object::Dict(d)) => d.name("BaseEncoding").map(<[u8]>::to_vec),
        _ => None,
    };
    if base_enc.as_deref() != Some(b"StandardEncoding") {
        // WinAnsi (and, for these, MacRoman) upper half: Latin-1 where it agrees.
        for c in 0xA0u32..=0xFF {
            enc[c as usize] = char::from_u32(c);
        }
    } else {
        enc[0x27] = Some('\u{2019}');
        enc[0x60] = Some('\u{2018}');
    }
    if let Some(Object::Dict(d)) = &enc_obj
        && let Some(Ok(Object::Array(diffs))) = d.get("Differences").map(|x| doc.resolve(x))
    {
        let mut code = 0usize;
        for it in diffs.iter().take(4096) {
            match it {
                Object::Int(n) => code = (*n).clamp(0, 255) as usize,
                Object::Name(n) => {
                    if code < 256 {
                        enc[code] = glyph_name_char(n);
                    }
                    code += 1;
                }
                _ => {}
            }
        }
    }
    f.simple_encoding = Some(enc);
    f
}

fn parse_w(doc: &Document, w: &[Object], out: &mut HashMap<u32, f64>) {
    let mut i = 0;
    while i < w.len() && out.len() < 200_000 {
        let Some(first) = w[i].as_int().filter(|v| *v >= 0) else {
            break;
        };
        match w.get(i + 1).map(|o| doc.resolve(o)) {
            Some(Ok(Object::Array(list))) => {
                for (k, v) in list.iter().enumerate() {
                    if let Some(v) = v.as_f64() {
                        out.insert(first as u32 + k as u32, v);
                    }
                }
                i += 2;
            }
            Some(Ok(o)) => {
                let (Some(last), Some(v)) = (o.as_int(), w.get(i + 2).and_then(Object::as_f64))
                else {
                    break;
                };
                for c in first..=last.min(first + 65_535) {
                    out.insert(c as u32, v);
                }
                i += 3;
            }
            _ => break,
        }
    }
}

/// A glyph name's character: `uniXXXX`, `uXXXX[XX]`, single letters and digits, and the
/// common ASCII punctuation names of the Adobe Glyph List.
fn glyph_name_char(n: &[u8]) -> Option<char> {
    let s = std::str::from_utf8(n).ok()?;
    let s = s.split('.').next().unwrap_or(s);
    if let Some(h) = s.strip_prefix("uni").filter(|h| h.len() >= 4) {
        return u32::from_str_radix(&h[..4], 16)
            .ok()
            .and_then(char::from_u32);
    }
    if let Some(h) = s.strip_prefix('u').filter(|h| (4..=6).contains(&h.len()))
        && let Ok(v) = u32::from_str_radix(h, 16)
    {
        return char::from_u32(v);
    }
    if s.len() == 1 {
        return s.chars().next();
    }
    const NAMES: &[(&str, char)] = &[
        ("space", ' '),
        ("exclam", '!'),
        ("quotedbl", '"'),
        ("numbersign", '#'),
        ("dollar", '$'),
        ("percent", '%'),
        ("ampersand", '&'),
        ("quotesingle", '\''),
        ("quoteright", '\u{2019}'),
        ("parenleft", '('),
        ("parenright", ')'),
        ("asterisk", '*'),
        ("plus", '+'),
        ("comma", ','),
        ("hyphen", '-'),
        ("period", '.'),
        ("slash", '/'),
        ("zero", '0'),
        ("one", '1'),
        ("two", '2'),
        ("three", '3'),
        ("four", '4'),
        ("five", '5'),
        ("six", '6'),
        ("seven", '7'),
        ("eight", '8'),
        ("nine", '9'),
        ("colon", ':'),
        ("semicolon", ';'),
        ("less", '<'),
        ("equal", '='),
        ("greater", '>'),
        ("question", '?'),
        ("at", '@'),
        ("bracketleft", '['),
        ("backslash", '\\'),
        ("bracketright", ']'),
        ("underscore", '_'),
        ("braceleft", '{'),
        ("bar", '|'),
        ("braceright", '}'),
        ("asciitilde", '~'),
    ];
    NAMES.iter().find(|(k, _)| *k == s).map(|(_, c)| *c)
}

/// Parses a ToUnicode CMap's codespace ranges, `bfchar` and `bfrange` (§9.10.3).
fn parse_cmap(data: &[u8], f: &mut Font) {
    let mut p = Parser::new(data, 0);
    let mut ops: Vec<Object> = Vec::new();
    loop {
        p.skip_ws();
        let at = p.pos();
        let Some(&b) = data.get(at) else { break };
        if b.is_ascii_alphabetic() {
            let mut end = at;
            while end < data.len() && !is_white(data[end]) && !is_delim(data[end]) {
                end += 1;
            }
            let op = &data[at..end];
            p.set_pos(end);
            match op {
                b"endcodespacerange" => {
                    for pair in ops.chunks(2) {
                        if let [Object::String(lo), Object::String(hi)] = pair
                            && !lo.is_empty()
                            && lo.len() <= 4
                            && f.codespace.len() < 64
                        {
                            f.codespace.push((be(lo), be(hi), lo.len()));
                        }
                    }
                }
                b"endbfchar" => {
                    for pair in ops.chunks(2) {
                        if let [Object::String(src), dst] = pair
                            && let Some(t) = dst_text(dst, 0)
                        {
                            f.to_unicode.insert(be(src), t);
                        }
                    }
                }
                b"endbfrange" => {
                    for tri in ops.chunks(3) {
                        if let [Object::String(lo), Object::String(hi), dst] = tri {
                            let (lo, hi) = (be(lo), be(hi));
                            if hi < lo || hi - lo > 65_535 || f.to_unicode.len() > 500_000 {
                                continue;
                            }
                            for (k, c) in (lo..=hi).enumerate() {
                                let t = match dst {
                                    Object::Array(a) => a.get(k).and_then(|d| dst_text(d, 0)),
                                    d => dst_text(d, k as u32),
                                };
                                if let Some(t) = t {
                                    f.to_unicode.insert(c, t);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
            if op.starts_with(b"begin") || op.starts_with(b"end") {
                ops.clear();
            }
            continue;
        }
        match p.object() {
            Ok(o) => {
                if ops.len() < 100_000 {
                    ops.push(o);
                }
            }
            Err(_) => p.set_pos(at + 1),
        }
    }
}

fn be(b: &[u8]) -> u32 {
    b.iter().take(4).fold(0u32, |a, &x| (a << 8) | x as u32)
}

/// The UTF-16BE destination of a bf mapping, its last code unit increased by `add`.
fn dst_text(o: &Object, add: u32) -> Option<String> {
    let Object::String(s) = o else { return None };
    let mut units: Vec<u16> = s
        .chunks(2)
        .map(|c| ((c[0] as u16) << 8) | *c.get(1).unwrap_or(&0) as u16)
        .collect();
    if let Some(last) = units.last_mut() {
        *last = last.wrapping_add(add as u16);
    }
    Some(String::from_utf16_lossy(&units))
}

/// Widths of ASCII 32..=126 for the standard 14 fonts without `/Widths` (URW base-35 AFM
/// metrics, metric-compatible with Helvetica and Times; Courier is 600 throughout).
fn standard_widths(base: &str) -> Option<&'static [u16; 95]> {
    let base = base.split('+').next_back().unwrap_or(base);
    let bold = base.contains("Bold");
    if base.starts_with("Helvetica") || base.starts_with("Arial") {
        Some(if bold { &HELVETICA_BOLD } else { &HELVETICA })
    } else if base.starts_with("Times") {
        Some(if bold {
            &TIMES_BOLD
        } else if base.contains("Italic") {
            &TIMES_ITALIC
        } else {
            &TIMES
        })
    } else if base.starts_with("Courier") {
        Some(&COURIER)
    } else {
        None
    }
}

static COURIER: [u16; 95] = [600; 95];
#[rustfmt::skip]
static HELVETICA: [u16; 95] = [278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584];
#[rustfmt::skip]
static HELVETICA_BOLD: [u16; 95] = [278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 278, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584];
#[rustfmt::skip]
static TIMES: [u16; 95] = [250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541];
#[rustfmt::skip]
static TIMES_BOLD: [u16; 95] = [250, 333, 555, 500, 500, 1000, 833, 333, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520];
#[rustfmt::skip]
static TIMES_ITALIC: [u16; 95] = [250, 333, 420, 500, 500, 833, 778, 333, 333, 333, 500, 675, 250, 333, 250, 278, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 333, 333, 675, 675, 675, 500, 920, 611, 611, 667, 722, 611, 611, 722, 722, 333, 444, 667, 556, 833, 667, 722, 611, 722, 611, 500, 556, 722, 611, 833, 611, 556, 556, 389, 278, 389, 422, 500, 333, 500, 500, 444, 500, 444, 278, 500, 500, 278, 278, 444, 278, 722, 500, 500, 500, 500, 389, 389, 278, 500, 444, 667, 444, 444, 389, 400, 275, 400, 541];

/// Every occurrence of the keyword on the document's pages (page order, content order), as
/// chosen by `spec.occurrence`; an error names the keyword and the pages searched when there
/// is none. Boxes are in millimetres from the top-left of the page as shown.
pub fn find_keyword(doc: &Document, spec: &KeywordSpec) -> Result<Vec<Hit>> {
    let n = doc.page_count()?;
    if n > 100_000 {
        return Err(Error::new(ErrorKind::LimitExceeded, "too many pages"));
    }
    let mut hits = Vec::new();
    let mut searched = Vec::new();
    for page in 1..=n {
        let t = page_text(doc, page)?;
        searched.push(page);
        let glyphs: Vec<(String, [f64; 4])> =
            t.glyphs.into_iter().map(|g| (g.text, g.rect_mm)).collect();
        hits.extend(
            keyword::find_in(&glyphs, &spec.text)
                .into_iter()
                .map(|rect_mm| Hit { page, rect_mm }),
        );
    }
    keyword::select(hits, spec, &searched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_ranges() {
        let cmap = b"1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0003> <0020> <0010> <76D6> endbfchar
1 beginbfrange <0020> <0022> <7AE0> endbfrange
1 beginbfrange <0030> <0031> [<0041> <00420043>] endbfrange";
        let mut f = Font::default();
        parse_cmap(cmap, &mut f);
        assert_eq!(f.codespace, vec![(0, 0xffff, 2)]);
        assert_eq!(f.text_of(0x10, 2), "盖");
        assert_eq!(f.text_of(0x21, 2), "\u{7AE1}");
        assert_eq!(f.text_of(0x31, 2), "BC");
        assert_eq!(f.next_code(&[0, 0x10, 0]), (0x10, 2));
        assert_eq!(f.text_of(0x99, 2), "\u{FFFD}");
    }

    #[test]
    fn glyph_names() {
        assert_eq!(glyph_name_char(b"uni76D6"), Some('盖'));
        assert_eq!(glyph_name_char(b"A.sc"), Some('A'));
        assert_eq!(glyph_name_char(b"parenleft"), Some('('));
        assert_eq!(glyph_name_char(b"g123"), None);
    }

    #[test]
    fn ascii_filters() {
        assert_eq!(ascii85(b"87cURD]i,\"Ebo80~>").unwrap(), b"Hello World!");
        assert_eq!(ascii85(b"z!!~>").unwrap(), [0, 0, 0, 0, 0]);
        assert_eq!(ascii_hex(b"48 65 7>"), b"Hep");
    }

    #[test]
    fn matrices() {
        let t = mul(
            &[1.0, 0.0, 0.0, 1.0, 10.0, 0.0],
            &[2.0, 0.0, 0.0, 2.0, 5.0, 5.0],
        );
        assert_eq!(apply(&t, 0.0, 0.0), (25.0, 5.0));
    }
}
