//! PDF objects and their syntax (ISO 32000-1 §7.2 lexical conventions, §7.3 objects).
//!
//! A tolerant lexer and parser over a byte slice, and a strict serialiser for the objects the
//! incremental writer appends. Stream data is never part of an [`Object`]: a parsed stream keeps
//! its dictionary and the offset of its data, which the document reads on demand.

pub mod read;

use crate::error::{Error, ErrorKind, Result};

/// Maximum nesting of arrays and dictionaries (hostile input).
const MAX_DEPTH: usize = 64;

/// A PDF dictionary, in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dict(pub Vec<(Vec<u8>, Object)>);

impl Dict {
    /// An empty dictionary.
    pub fn new() -> Self {
        Dict(Vec::new())
    }
    /// The value of `key` (without the leading slash).
    pub fn get(&self, key: &str) -> Option<&Object> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key.as_bytes())
            .map(|(_, v)| v)
    }
    /// Sets `key` to `value`, replacing an earlier value.
    pub fn set(&mut self, key: &str, value: Object) {
        if let Some(slot) = self.0.iter_mut().find(|(k, _)| k == key.as_bytes()) {
            slot.1 = value;
        } else {
            self.0.push((key.as_bytes().to_vec(), value));
        }
    }
    /// Removes `key`.
    pub fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| k != key.as_bytes());
    }
    /// The name value of `key`, if it is a name.
    pub fn name(&self, key: &str) -> Option<&[u8]> {
        match self.get(key) {
            Some(Object::Name(n)) => Some(n),
            _ => None,
        }
    }
    /// The integer value of `key`, if it is an integer.
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Object::as_int)
    }
    /// True when `/Type` is the name `ty`.
    pub fn is_type(&self, ty: &str) -> bool {
        self.name("Type") == Some(ty.as_bytes())
    }
}

/// A stream: its dictionary and where its (still encoded) data starts in its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    /// The stream dictionary.
    pub dict: Dict,
    /// Absolute offset of the first data byte in the file (or in the containing buffer).
    pub data_offset: u64,
}

/// A PDF object.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A real number.
    Real(f64),
    /// A name, without the slash, `#xx` escapes decoded.
    Name(Vec<u8>),
    /// A string (literal or hex), decoded.
    String(Vec<u8>),
    /// An array.
    Array(Vec<Object>),
    /// A dictionary.
    Dict(Dict),
    /// An indirect reference `n g R`.
    Ref(u32, u16),
    /// A stream (only as the value of an indirect object).
    Stream(Stream),
}

impl Object {
    /// The integer value.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Object::Int(i) => Some(*i),
            _ => None,
        }
    }
    /// The numeric value (integer or real).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Object::Int(i) => Some(*i as f64),
            Object::Real(r) => Some(*r),
            _ => None,
        }
    }
    /// The dictionary (of a dictionary or a stream).
    pub fn as_dict(&self) -> Option<&Dict> {
        match self {
            Object::Dict(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }
    /// The array.
    pub fn as_array(&self) -> Option<&[Object]> {
        match self {
            Object::Array(a) => Some(a),
            _ => None,
        }
    }
    /// The reference.
    pub fn as_ref(&self) -> Option<(u32, u16)> {
        match self {
            Object::Ref(n, g) => Some((*n, *g)),
            _ => None,
        }
    }
    /// The name.
    pub fn as_name(&self) -> Option<&[u8]> {
        match self {
            Object::Name(n) => Some(n),
            _ => None,
        }
    }

    /// Writes the object in PDF syntax (streams cannot be written this way).
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Object::Null => out.extend_from_slice(b"null"),
            Object::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Object::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
            Object::Real(r) => write_real(out, *r),
            Object::Name(n) => write_name(out, n),
            Object::String(s) => write_string(out, s),
            Object::Array(a) => {
                out.push(b'[');
                for (i, o) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    o.write(out);
                }
                out.push(b']');
            }
            Object::Dict(d) => write_dict(out, d),
            Object::Ref(n, g) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
            Object::Stream(s) => write_dict(out, &s.dict),
        }
    }
}

/// Writes a real number without exponent, at most 4 decimals.
pub fn write_real(out: &mut Vec<u8>, r: f64) {
    let r = if r.is_finite() { r } else { 0.0 };
    let mut s = format!("{r:.4}");
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    if s == "-0" {
        s = "0".into();
    }
    out.extend_from_slice(s.as_bytes());
}

/// Writes a name with `#xx` escapes where needed.
pub fn write_name(out: &mut Vec<u8>, n: &[u8]) {
    out.push(b'/');
    for &b in n {
        if b <= b' ' || b >= 0x7f || b == b'#' || is_delim(b) {
            out.extend_from_slice(format!("#{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
}

/// Writes a literal string with escapes.
pub fn write_string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'(');
    for &b in s {
        match b {
            b'(' | b')' | b'\\' => {
                out.push(b'\\');
                out.push(b);
            }
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\n' => out.extend_from_slice(b"\\n"),
            _ => out.push(b),
        }
    }
    out.push(b')');
}

/// Writes a dictionary.
pub fn write_dict(out: &mut Vec<u8>, d: &Dict) {
    out.extend_from_slice(b"<<");
    for (k, v) in &d.0 {
        write_name(out, k);
        out.push(b' ');
        v.write(out);
    }
    out.extend_from_slice(b">>");
}

/// A text string for PDF: ASCII as is, otherwise UTF-16BE with a BOM.
pub fn text_string(s: &str) -> Vec<u8> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        s.as_bytes().to_vec()
    } else {
        let mut v = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        v
    }
}

/// Decodes a text string (UTF-16BE with BOM, UTF-8 with BOM, else bytes as Latin-1).
pub fn decode_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = b.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

/// PDF white-space characters (§7.2.2).
pub fn is_white(b: u8) -> bool {
    matches!(b, 0 | 9 | 10 | 12 | 13 | 32)
}

/// PDF delimiter characters (§7.2.2).
pub fn is_delim(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// The error for a syntax problem at `pos`.
fn syntax(pos: usize, what: &str) -> Error {
    Error::new(ErrorKind::MalformedPdf, format!("{what} at offset {pos}"))
}

/// Error detail used when the parser ran out of input (the caller may retry with more bytes).
pub const EOF_DETAIL: &str = "unexpected end of data";

/// A token.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    Int(i64),
    Real(f64),
    Name(Vec<u8>),
    String(Vec<u8>),
    ArrayStart,
    ArrayEnd,
    DictStart,
    DictEnd,
    Keyword(Vec<u8>),
}

/// A parser over a byte slice; `base` is the absolute offset of `data[0]` (for stream offsets).
pub struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
    base: u64,
}

impl<'a> Parser<'a> {
    /// A parser over `data`, whose first byte is at absolute offset `base`.
    pub fn new(data: &'a [u8], base: u64) -> Self {
        Parser { data, pos: 0, base }
    }

    /// The current position in `data`.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Moves to `pos`.
    pub fn set_pos(&mut self, pos: usize) {
        self.pos = pos.min(self.data.len());
    }

    fn eof(&self) -> Error {
        Error::new(ErrorKind::MalformedPdf, EOF_DETAIL)
    }

    /// Skips white space and comments.
    pub fn skip_ws(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(&c) = self.data.get(self.pos) {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn token(&mut self) -> Result<Token> {
        self.skip_ws();
        let start = self.pos;
        let b = *self.data.get(self.pos).ok_or_else(|| self.eof())?;
        match b {
            b'[' => {
                self.pos += 1;
                Ok(Token::ArrayStart)
            }
            b']' => {
                self.pos += 1;
                Ok(Token::ArrayEnd)
            }
            b'<' => {
                if self.data.get(self.pos + 1) == Some(&b'<') {
                    self.pos += 2;
                    Ok(Token::DictStart)
                } else {
                    self.hex_string()
                }
            }
            b'>' => {
                if self.data.get(self.pos + 1) == Some(&b'>') {
                    self.pos += 2;
                    Ok(Token::DictEnd)
                } else if self.pos + 1 >= self.data.len() {
                    Err(self.eof())
                } else {
                    Err(syntax(start, "unexpected '>'"))
                }
            }
            b'(' => self.literal_string(),
            b'/' => {
                self.pos += 1;
                let mut name = Vec::new();
                while let Some(&c) = self.data.get(self.pos) {
                    if is_white(c) || is_delim(c) {
                        break;
                    }
                    if c == b'#' {
                        let h = self.data.get(self.pos + 1..self.pos + 3);
                        if let Some(v) = h.and_then(|h| {
                            std::str::from_utf8(h)
                                .ok()
                                .and_then(|s| u8::from_str_radix(s, 16).ok())
                        }) {
                            name.push(v);
                            self.pos += 3;
                            continue;
                        }
                    }
                    name.push(c);
                    self.pos += 1;
                }
                if self.pos >= self.data.len() {
                    return Err(self.eof());
                }
                Ok(Token::Name(name))
            }
            b')' | b'{' | b'}' => {
                self.pos += 1;
                Err(syntax(start, "unexpected delimiter"))
            }
            _ => {
                while let Some(&c) = self.data.get(self.pos) {
                    if is_white(c) || is_delim(c) {
                        break;
                    }
                    self.pos += 1;
                }
                if self.pos >= self.data.len() {
                    return Err(self.eof());
                }
                let word = &self.data[start..self.pos];
                if word
                    .first()
                    .is_some_and(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
                {
                    Ok(parse_number(word).unwrap_or(Token::Int(0)))
                } else {
                    Ok(Token::Keyword(word.to_vec()))
                }
            }
        }
    }

    fn hex_string(&mut self) -> Result<Token> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut hi: Option<u8> = None;
        loop {
            let c = *self.data.get(self.pos).ok_or_else(|| self.eof())?;
            self.pos += 1;
            if c == b'>' {
                break;
            }
            if is_white(c) {
                continue;
            }
            let v = (c as char)
                .to_digit(16)
                .ok_or_else(|| syntax(self.pos - 1, "bad hex digit"))? as u8;
            match hi.take() {
                Some(h) => out.push(h << 4 | v),
                None => hi = Some(v),
            }
        }
        if let Some(h) = hi {
            out.push(h << 4);
        }
        Ok(Token::String(out))
    }

    fn literal_string(&mut self) -> Result<Token> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let c = *self.data.get(self.pos).ok_or_else(|| self.eof())?;
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let e = *self.data.get(self.pos).ok_or_else(|| self.eof())?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.data.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = (e - b'0') as u32;
                            for _ in 0..2 {
                                match self.data.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        Ok(Token::String(out))
    }

    /// Parses one direct object (a reference `n g R` is recognised).
    pub fn object(&mut self) -> Result<Object> {
        self.object_depth(0)
    }

    fn object_depth(&mut self, depth: usize) -> Result<Object> {
        if depth > MAX_DEPTH {
            return Err(syntax(self.pos, "objects nested too deeply"));
        }
        let start = self.pos;
        let tok = self.token()?;
        self.object_from_token(tok, start, depth)
    }

    fn object_from_token(&mut self, tok: Token, start: usize, depth: usize) -> Result<Object> {
        match tok {
            Token::Int(i) => {
                // Look ahead for `g R`.
                let save = self.pos;
                if (0..=u32::MAX as i64).contains(&i)
                    && let Ok(Token::Int(g)) = self.token()
                    && (0..=u16::MAX as i64).contains(&g)
                    && let Ok(Token::Keyword(k)) = self.token()
                    && k == b"R"
                {
                    return Ok(Object::Ref(i as u32, g as u16));
                }
                self.pos = save;
                Ok(Object::Int(i))
            }
            Token::Real(r) => Ok(Object::Real(r)),
            Token::Name(n) => Ok(Object::Name(n)),
            Token::String(s) => Ok(Object::String(s)),
            Token::ArrayStart => {
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    match self.data.get(self.pos) {
                        None => return Err(self.eof()),
                        Some(b']') => {
                            self.pos += 1;
                            break;
                        }
                        _ => items.push(self.object_depth(depth + 1)?),
                    }
                }
                Ok(Object::Array(items))
            }
            Token::DictStart => Ok(Object::Dict(self.dict_body(depth)?)),
            Token::Keyword(k) => match k.as_slice() {
                b"true" => Ok(Object::Bool(true)),
                b"false" => Ok(Object::Bool(false)),
                b"null" => Ok(Object::Null),
                _ => Err(syntax(start, "unexpected keyword")),
            },
            Token::ArrayEnd | Token::DictEnd => Err(syntax(start, "unexpected end of container")),
        }
    }

    fn dict_body(&mut self, depth: usize) -> Result<Dict> {
        let mut d = Dict::new();
        loop {
            let at = self.pos;
            match self.token()? {
                Token::DictEnd => break,
                Token::Name(k) => {
                    self.skip_ws();
                    // A key directly followed by '>>' has no value: tolerate as null.
                    if self.data.get(self.pos..self.pos + 2) == Some(b">>") {
                        d.0.push((k, Object::Null));
                        continue;
                    }
                    let v = self.object_depth(depth + 1)?;
                    d.0.push((k, v));
                }
                _ => return Err(syntax(at, "dictionary key is not a name")),
            }
        }
        Ok(d)
    }

    /// Expects a keyword (e.g. `obj`) next.
    pub fn keyword(&mut self, kw: &[u8]) -> Result<()> {
        let at = self.pos;
        match self.token()? {
            Token::Keyword(k) if k == kw => Ok(()),
            _ => Err(syntax(
                at,
                &format!("expected '{}'", String::from_utf8_lossy(kw)),
            )),
        }
    }

    /// Reads an unsigned integer token.
    pub fn uint(&mut self) -> Result<u64> {
        let at = self.pos;
        match self.token()? {
            Token::Int(i) if i >= 0 => Ok(i as u64),
            _ => Err(syntax(at, "expected an unsigned integer")),
        }
    }

    /// Parses `n g obj <object>` and, for a stream, the `stream` keyword; returns the
    /// object number, generation and object. The stream's data offset is absolute.
    pub fn indirect_object(&mut self) -> Result<(u32, u16, Object)> {
        let n = self.uint()?;
        let g = self.uint()?;
        if n > u32::MAX as u64 || g > u16::MAX as u64 {
            return Err(syntax(self.pos, "object number out of range"));
        }
        self.keyword(b"obj")?;
        let obj = self.object()?;
        if let Object::Dict(d) = &obj {
            let save = self.pos;
            self.skip_ws();
            if self.data[self.pos..].starts_with(b"stream") {
                self.pos += 6;
                // EOL after `stream`: CRLF or LF (tolerate lone CR).
                match self.data.get(self.pos) {
                    Some(b'\r') => {
                        self.pos += 1;
                        if self.data.get(self.pos) == Some(&b'\n') {
                            self.pos += 1;
                        }
                    }
                    Some(b'\n') => self.pos += 1,
                    None => return Err(self.eof()),
                    _ => {}
                }
                let data_offset = self.base + self.pos as u64;
                return Ok((
                    n as u32,
                    g as u16,
                    Object::Stream(Stream {
                        dict: d.clone(),
                        data_offset,
                    }),
                ));
            }
            if self.pos + 6 >= self.data.len() {
                return Err(self.eof());
            }
            self.pos = save;
        }
        Ok((n as u32, g as u16, obj))
    }
}

fn parse_number(word: &[u8]) -> Option<Token> {
    let s = std::str::from_utf8(word).ok()?;
    if let Ok(i) = s.parse::<i64>() {
        return Some(Token::Int(i));
    }
    // Tolerate forms like "--5", "5.", ".5", "1.2.3" as best we can.
    let cleaned: String = s
        .trim_start_matches(['+'])
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    let neg = cleaned.starts_with('-');
    let body = cleaned.trim_start_matches('-');
    let mut parts = body.splitn(2, '.');
    let ip = parts.next().unwrap_or("");
    let fp: String = parts
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let v: f64 = format!("{}.{}0", if ip.is_empty() { "0" } else { ip }, fp)
        .parse()
        .ok()?;
    Some(Token::Real(if neg { -v } else { v }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Object {
        let data = format!("{s} ");
        Parser::new(data.as_bytes(), 0).object().unwrap()
    }

    #[test]
    fn objects() {
        assert_eq!(parse("12"), Object::Int(12));
        assert_eq!(parse("-3.5"), Object::Real(-3.5));
        assert_eq!(parse("/A#20B"), Object::Name(b"A B".to_vec()));
        assert_eq!(parse("(a\\(b\\)\\101)"), Object::String(b"a(b)A".to_vec()));
        assert_eq!(parse("<41 42 4>"), Object::String(b"AB@".to_vec()));
        assert_eq!(parse("3 0 R"), Object::Ref(3, 0));
        let d = parse("<< /Type /Page /Kids [1 0 R 2 0 R] /N 5 %c\n /X null >>");
        let d = d.as_dict().unwrap();
        assert!(d.is_type("Page"));
        assert_eq!(d.get("Kids").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(d.int("N"), Some(5));
    }

    #[test]
    fn round_trip() {
        let src = "<</A [1 2.5 (x\\)y) /N#23 true null 4 0 R] /B <</C (\\r)>>>>";
        let o = parse(src);
        let mut out = Vec::new();
        o.write(&mut out);
        out.push(b' ');
        let again = Parser::new(&out, 0).object().unwrap();
        assert_eq!(o, again);
    }

    #[test]
    fn hostile() {
        let deep = "[".repeat(10_000);
        assert!(Parser::new(deep.as_bytes(), 0).object().is_err());
        for s in ["<< /A", "(abc", "<4", "[1 2", "<< 1 2 >>", ")", ">"] {
            assert!(Parser::new(s.as_bytes(), 0).object().is_err(), "{s}");
        }
    }

    #[test]
    fn stream_object() {
        let src = b"7 0 obj\n<</Length 3>>\nstream\r\nabc\nendstream\nendobj\n";
        let (n, g, o) = Parser::new(src, 100).indirect_object().unwrap();
        assert_eq!((n, g), (7, 0));
        match o {
            Object::Stream(s) => assert_eq!(s.data_offset, 100 + 30),
            _ => panic!("not a stream"),
        }
    }
}
