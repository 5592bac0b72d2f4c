//! PEM armour (RFC 7468): `-----BEGIN LABEL-----`, base64 body, `-----END LABEL-----`.
//!
//! Decoding is lax in the way RFC 7468 §3 allows (any whitespace inside the body, text before,
//! between and after the blocks); a block with bad base64 or without its END line is an error.
//! Explanatory header lines (`Key: value`, RFC 1421) inside a block are skipped.

use crate::error::{Error, ErrorKind, Result};

/// One decoded PEM block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`.
    pub label: String,
    /// The decoded body.
    pub der: Vec<u8>,
}

/// True when `bytes` contain a PEM BEGIN line.
pub fn is_pem(bytes: &[u8]) -> bool {
    find(bytes, b"-----BEGIN ").is_some()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn malformed(kind: ErrorKind, msg: impl Into<String>) -> Error {
    Error::new(kind, msg)
}

/// Decodes every PEM block of `bytes`, in order. `kind` is the error kind used for bad blocks.
pub fn decode_all(bytes: &[u8], kind: ErrorKind) -> Result<Vec<PemBlock>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(start) = find(rest, b"-----BEGIN ") {
        let after = &rest[start + 11..];
        let label_end =
            find(after, b"-----").ok_or_else(|| malformed(kind, "PEM BEGIN line not closed"))?;
        let label_bytes = &after[..label_end];
        if label_bytes.len() > 64 || label_bytes.contains(&b'\n') {
            return Err(malformed(kind, "PEM label too long or broken"));
        }
        let label = String::from_utf8_lossy(label_bytes).into_owned();
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let body_end = find(body_start, end_marker.as_bytes())
            .ok_or_else(|| malformed(kind, format!("PEM block {label} has no END line")))?;
        let body = &body_start[..body_end];
        let der = decode_body(body)
            .ok_or_else(|| malformed(kind, format!("PEM block {label} has invalid base64")))?;
        out.push(PemBlock { label, der });
        rest = &body_start[body_end + end_marker.len()..];
    }
    Ok(out)
}

/// The base64 body of a block, skipping RFC 1421 header lines.
fn decode_body(body: &[u8]) -> Option<Vec<u8>> {
    let mut clean = Vec::with_capacity(body.len());
    for line in body.split(|&b| b == b'\n') {
        if line.contains(&b':') {
            continue;
        }
        clean.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
    }
    base64_decode(&clean)
}

fn b64_value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// Standard base64 (RFC 4648 §4) with optional padding; `None` on any invalid character.
pub fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let trimmed_len = s.len() - s.iter().rev().take_while(|&&c| c == b'=').count();
    if s.len() - trimmed_len > 2 {
        return None;
    }
    let s = &s[..trimmed_len];
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    for chunk in s.chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = (acc << 6) | b64_value(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
            2 => out.push((acc >> 4) as u8),
            _ => return None,
        }
    }
    Some(out)
}

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A PEM block with 64-column lines.
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for n in 0..40 {
            let data: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            let pem = encode("X", &data);
            let blocks = decode_all(pem.as_bytes(), ErrorKind::MalformedDer).unwrap();
            assert_eq!(blocks.len(), 1);
            assert_eq!(blocks[0].der, data);
        }
        assert_eq!(base64_decode(b"TWFu").unwrap(), b"Man");
        assert_eq!(base64_decode(b"TWE=").unwrap(), b"Ma");
        assert!(base64_decode(b"T").is_none());
        assert!(base64_decode(b"TW!=").is_none());
        let two = format!("junk\n{}between\n{}", encode("A", b"1"), encode("B", b"22"));
        let blocks = decode_all(two.as_bytes(), ErrorKind::MalformedDer).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1].label, "B");
        assert!(decode_all(b"-----BEGIN X-----\nAAAA\n", ErrorKind::MalformedDer).is_err());
    }
}
