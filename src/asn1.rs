//! A small, zero-copy DER reader and writer (X.690), in the style of rustls-webpki's `der`.
//!
//! Parsers across the crate use it to walk structures while keeping the raw bytes of every
//! element, so signatures are always verified over the bytes that were signed, never over a
//! re-encoding. Reading is bounded by the input: lengths are checked against the remaining
//! bytes before any slice is taken, so truncated or oversized input is an error, never a panic.
//! Only definite lengths and single-byte tags (numbers 0–30) are read; [`ber_to_der`] turns
//! BER (indefinite lengths, constructed OCTET STRINGs, as Bouncy Castle writes CMS by
//! default) into that form first.
//!
//! Depth: a [`Reader`] reads one level at a time and never recurses, so nesting depth is bounded
//! by each parser's schema (a SEQUENCE nested where a leaf is expected is an error there, at any
//! depth); DER nested 10,000 deep is refused in microseconds (`tests/hostile_inputs.rs`). The
//! generic walkers, the BER-to-DER normaliser of PKCS#12 and [`ber_to_der`], stop at 32 and 64
//! levels.

use crate::error::{Error, ErrorKind, Result};

/// Universal tag: BOOLEAN.
pub const BOOLEAN: u8 = 0x01;
/// Universal tag: INTEGER.
pub const INTEGER: u8 = 0x02;
/// Universal tag: BIT STRING.
pub const BIT_STRING: u8 = 0x03;
/// Universal tag: OCTET STRING.
pub const OCTET_STRING: u8 = 0x04;
/// Universal tag: NULL.
pub const NULL: u8 = 0x05;
/// Universal tag: OBJECT IDENTIFIER.
pub const OID: u8 = 0x06;
/// Universal tag: UTF8String.
pub const UTF8_STRING: u8 = 0x0c;
/// Universal tag: PrintableString.
pub const PRINTABLE_STRING: u8 = 0x13;
/// Universal tag: T61String / TeletexString.
pub const T61_STRING: u8 = 0x14;
/// Universal tag: IA5String.
pub const IA5_STRING: u8 = 0x16;
/// Universal tag: UTCTime.
pub const UTC_TIME: u8 = 0x17;
/// Universal tag: GeneralizedTime.
pub const GENERALIZED_TIME: u8 = 0x18;
/// Universal tag: BMPString.
pub const BMP_STRING: u8 = 0x1e;
/// Universal tag: SEQUENCE (constructed).
pub const SEQUENCE: u8 = 0x30;
/// Universal tag: SET (constructed).
pub const SET: u8 = 0x31;

/// Context-specific constructed tag `[n]`.
pub const fn context(n: u8) -> u8 {
    0xa0 | n
}

/// Context-specific primitive tag `[n]`.
pub const fn context_primitive(n: u8) -> u8 {
    0x80 | n
}

fn malformed(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedDer, msg.to_string())
}

/// Reads one TLV from the front of `input`: `(tag, body, rest)`.
pub fn read_tlv(input: &[u8]) -> Result<(u8, &[u8], &[u8])> {
    let (tag, hdr, len) = read_header(input)?;
    let end = hdr
        .checked_add(len)
        .filter(|&e| e <= input.len())
        .ok_or_else(|| malformed("length exceeds the input (truncated)"))?;
    Ok((tag, &input[hdr..end], &input[end..]))
}

/// Reads a tag and length: `(tag, header_len, body_len)`.
fn read_header(input: &[u8]) -> Result<(u8, usize, usize)> {
    let tag = *input
        .first()
        .ok_or_else(|| malformed("unexpected end of input"))?;
    if tag & 0x1f == 0x1f {
        return Err(malformed("multi-byte tags are not supported"));
    }
    let first = *input.get(1).ok_or_else(|| malformed("missing length"))?;
    if first < 0x80 {
        return Ok((tag, 2, first as usize));
    }
    let n = (first & 0x7f) as usize;
    if n == 0 {
        return Err(malformed("indefinite length is not DER"));
    }
    if n > 4 {
        return Err(malformed("length too large"));
    }
    let bytes = input
        .get(2..2 + n)
        .ok_or_else(|| malformed("truncated length"))?;
    let mut len = 0usize;
    for &b in bytes {
        len = (len << 8) | b as usize;
    }
    Ok((tag, 2 + n, len))
}

/// How deeply [`ber_to_der`] follows nested constructed elements.
const BER_MAX_DEPTH: usize = 64;

/// Re-encodes the first BER element of `input` (X.690 §8) as definite-length DER-style
/// bytes: indefinite lengths (§8.1.3.6) become definite ones and constructed OCTET STRINGs
/// (§8.7.3) become primitive ones. Returns the re-encoding and how many bytes of `input`
/// the element used (trailing bytes, such as PDF zero padding, are left alone).
///
/// Elements that need no change are copied byte for byte, so DER input comes back
/// unchanged and signed bytes inside a BER wrapper (CMS signed attributes) are preserved.
/// Nesting is limited to 64 levels and the output is at most twice the input; malformed,
/// truncated or too deep input is an error, never a panic.
pub fn ber_to_der(input: &[u8]) -> Result<(Vec<u8>, usize)> {
    let mut out = Vec::new();
    let used = ber_element(input, 0, &mut out)?;
    Ok((out, used))
}

/// The definite-length form of a BER `input` (see [`ber_to_der`]), or `None` when the first
/// element is already definite-length DER (or is not readable as BER at all), in which case
/// callers read `input` itself as before.
pub fn ber_normalised(input: &[u8]) -> Option<Vec<u8>> {
    let (der, used) = ber_to_der(input).ok()?;
    (der != input[..used]).then_some(der)
}

/// Converts the element at the front of `input` into `out`; returns the bytes it used.
fn ber_element(input: &[u8], depth: usize, out: &mut Vec<u8>) -> Result<usize> {
    if depth > BER_MAX_DEPTH {
        return Err(malformed("BER nesting too deep"));
    }
    let tag = *input
        .first()
        .ok_or_else(|| malformed("unexpected end of input"))?;
    let indefinite = input.get(1) == Some(&0x80);
    let (hdr, end) = if indefinite {
        (2, None)
    } else {
        let (_, hdr, len) = read_header(input)?;
        let end = hdr
            .checked_add(len)
            .filter(|&e| e <= input.len())
            .ok_or_else(|| malformed("length exceeds the input (truncated)"))?;
        (hdr, Some(end))
    };
    if tag & 0x1f == 0x1f {
        return Err(malformed("multi-byte tags are not supported"));
    }
    if tag & 0x20 == 0 {
        let end = end.ok_or_else(|| malformed("indefinite length on a primitive element"))?;
        out.extend_from_slice(&input[..end]);
        return Ok(end);
    }
    let limit = end.unwrap_or(input.len());
    let mut body = Vec::new();
    let mut pos = hdr;
    let used = loop {
        if end.is_none() && input[pos..limit].starts_with(&[0, 0]) {
            break pos + 2;
        }
        if end == Some(pos) {
            break pos;
        }
        if pos >= limit {
            return Err(malformed("missing end-of-contents octets (truncated)"));
        }
        pos += ber_element(&input[pos..limit], depth + 1, &mut body)?;
    };
    if tag == OCTET_STRING | 0x20 {
        // The segments of a constructed OCTET STRING, concatenated (§8.7.3.2).
        let mut data = Vec::new();
        let mut r = Reader::new(&body);
        while !r.is_empty() {
            data.extend_from_slice(r.read(OCTET_STRING)?);
        }
        write_tlv(out, OCTET_STRING, &data);
    } else if end.is_some() && body == input[hdr..used] {
        out.extend_from_slice(&input[..used]);
    } else {
        write_tlv(out, tag, &body);
    }
    Ok(used)
}

/// A cursor over a sequence of DER elements.
#[derive(Clone, Copy, Debug)]
pub struct Reader<'a> {
    data: &'a [u8],
}

/// One element: its tag, its body and its full encoding (header included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element<'a> {
    /// The identifier octet.
    pub tag: u8,
    /// The contents octets.
    pub body: &'a [u8],
    /// The whole TLV.
    pub raw: &'a [u8],
}

impl<'a> Element<'a> {
    /// A reader over the body (for constructed elements).
    pub fn reader(&self) -> Reader<'a> {
        Reader::new(self.body)
    }
}

impl<'a> Reader<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    /// True when nothing is left.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// What is left.
    pub fn remaining(&self) -> &'a [u8] {
        self.data
    }

    /// The tag of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub fn read_any(&mut self) -> Result<Element<'a>> {
        let (tag, body, rest) = read_tlv(self.data)?;
        let raw = &self.data[..self.data.len() - rest.len()];
        self.data = rest;
        Ok(Element { tag, body, raw })
    }

    /// Reads the next element, which must have `tag`; returns it.
    pub fn read_element(&mut self, tag: u8) -> Result<Element<'a>> {
        match self.peek_tag() {
            Some(t) if t == tag => self.read_any(),
            Some(t) => Err(malformed(&format!(
                "expected tag 0x{tag:02x}, found 0x{t:02x}"
            ))),
            None => Err(malformed(&format!(
                "expected tag 0x{tag:02x}, found end of input"
            ))),
        }
    }

    /// Reads the next element, which must have `tag`; returns its body.
    pub fn read(&mut self, tag: u8) -> Result<&'a [u8]> {
        Ok(self.read_element(tag)?.body)
    }

    /// Reads the next element when it has `tag`.
    pub fn read_optional(&mut self, tag: u8) -> Result<Option<Element<'a>>> {
        if self.peek_tag() == Some(tag) {
            self.read_any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Reads a SEQUENCE and returns a reader over its body.
    pub fn read_sequence(&mut self) -> Result<Reader<'a>> {
        Ok(Reader::new(self.read(SEQUENCE)?))
    }

    /// Reads an OBJECT IDENTIFIER and returns it in dotted form.
    pub fn read_oid(&mut self) -> Result<String> {
        oid_to_string(self.read(OID)?)
    }

    /// Reads an INTEGER that fits an i64.
    pub fn read_small_int(&mut self) -> Result<i64> {
        int_to_i64(self.read(INTEGER)?)
    }

    /// Fails unless the reader is empty.
    pub fn finish(&self) -> Result<()> {
        if self.data.is_empty() {
            Ok(())
        } else {
            Err(malformed("unexpected data after the last element"))
        }
    }
}

/// Parses `input` as exactly one element (no trailing bytes).
pub fn parse_single(input: &[u8]) -> Result<Element<'_>> {
    let mut r = Reader::new(input);
    let e = r.read_any()?;
    r.finish()?;
    Ok(e)
}

/// Decodes an INTEGER body into an i64.
pub fn int_to_i64(body: &[u8]) -> Result<i64> {
    if body.is_empty() {
        return Err(malformed("empty INTEGER"));
    }
    if body.len() > 8 {
        return Err(malformed("INTEGER too large"));
    }
    let mut v: i64 = if body[0] & 0x80 != 0 { -1 } else { 0 };
    for &b in body {
        v = (v << 8) | b as i64;
    }
    Ok(v)
}

/// Formats an OBJECT IDENTIFIER body in dotted form.
pub fn oid_to_string(body: &[u8]) -> Result<String> {
    if body.is_empty() || body[body.len() - 1] & 0x80 != 0 {
        return Err(malformed("malformed OBJECT IDENTIFIER"));
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut v: u64 = 0;
    for &b in body {
        if v > (u64::MAX >> 7) {
            return Err(malformed("OBJECT IDENTIFIER arc too large"));
        }
        v = (v << 7) | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            arcs.push(v);
            v = 0;
        }
    }
    let first = arcs[0];
    let (a, b) = if first < 40 {
        (0, first)
    } else if first < 80 {
        (1, first - 40)
    } else {
        (2, first - 80)
    };
    let mut s = format!("{a}.{b}");
    for arc in &arcs[1..] {
        s.push('.');
        s.push_str(&arc.to_string());
    }
    Ok(s)
}

/// Encodes a dotted OBJECT IDENTIFIER into its body bytes.
pub fn oid_from_string(s: &str) -> Result<Vec<u8>> {
    let arcs: Vec<u64> = s
        .split('.')
        .map(|a| {
            a.parse::<u64>()
                .map_err(|_| Error::new(ErrorKind::InvalidArgument, format!("bad OID {s}")))
        })
        .collect::<Result<_>>()?;
    if arcs.len() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("bad OID {s}"),
        ));
    }
    let mut out = Vec::new();
    let mut push = |mut v: u64| {
        let mut tmp = vec![(v & 0x7f) as u8];
        v >>= 7;
        while v > 0 {
            tmp.push(0x80 | (v & 0x7f) as u8);
            v >>= 7;
        }
        tmp.reverse();
        out.extend_from_slice(&tmp);
    };
    push(arcs[0] * 40 + arcs[1]);
    for &a in &arcs[2..] {
        push(a);
    }
    Ok(out)
}

/// Appends a DER length.
pub fn write_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Appends a TLV.
pub fn write_tlv(out: &mut Vec<u8>, tag: u8, body: &[u8]) {
    out.push(tag);
    write_len(out, body.len());
    out.extend_from_slice(body);
}

/// A TLV as a new vector.
pub fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 6);
    write_tlv(&mut out, tag, body);
    out
}

/// Appends an unsigned big-endian value as a minimal DER INTEGER.
pub fn write_uint(out: &mut Vec<u8>, v: &[u8]) {
    let skip = v.iter().take_while(|&&b| b == 0).count();
    let v = &v[skip..];
    let mut body = Vec::with_capacity(v.len() + 1);
    if v.is_empty() || v[0] & 0x80 != 0 {
        body.push(0);
    }
    body.extend_from_slice(v);
    write_tlv(out, INTEGER, &body);
}

/// Appends a signed i64 as a minimal DER INTEGER.
pub fn write_int(out: &mut Vec<u8>, v: i64) {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    write_tlv(out, INTEGER, &bytes[start..]);
}

/// Appends an OBJECT IDENTIFIER given in dotted form. Panics never: a bad OID is an error.
pub fn write_oid(out: &mut Vec<u8>, oid: &str) -> Result<()> {
    let body = oid_from_string(oid)?;
    write_tlv(out, OID, &body);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlv_round_trip_and_limits() {
        let big = vec![7u8; 300];
        let enc = tlv(OCTET_STRING, &big);
        assert_eq!(&enc[..4], &[0x04, 0x82, 0x01, 0x2c]);
        let (t, b, rest) = read_tlv(&enc).unwrap();
        assert_eq!((t, b.len(), rest.len()), (OCTET_STRING, 300, 0));
        assert!(read_tlv(&enc[..100]).is_err());
        assert!(read_tlv(&[0x30, 0x80, 0, 0]).is_err());
        assert!(read_tlv(&[0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]).is_err());
        assert!(read_tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(read_tlv(&[]).is_err());
        assert!(read_tlv(&[0x1f, 0x01, 0x00]).is_err());
    }

    #[test]
    fn oids() {
        for s in [
            "1.2.156.10197.1.501",
            "2.5.29.15",
            "1.2.840.10045.2.1",
            "2.999.3",
        ] {
            let b = oid_from_string(s).unwrap();
            assert_eq!(oid_to_string(&b).unwrap(), s);
        }
        assert!(oid_to_string(&[0x2a, 0x81]).is_err());
        assert!(oid_from_string("1.2.x").is_err());
    }

    #[test]
    fn ints() {
        for v in [
            0i64,
            1,
            127,
            128,
            255,
            256,
            -1,
            -128,
            -129,
            i64::MAX,
            i64::MIN,
        ] {
            let mut out = Vec::new();
            write_int(&mut out, v);
            let (_, body, _) = read_tlv(&out).unwrap();
            assert_eq!(int_to_i64(body).unwrap(), v);
        }
        let mut out = Vec::new();
        write_uint(&mut out, &[0, 0, 0x80]);
        assert_eq!(out, [2, 2, 0, 0x80]);
    }
}
