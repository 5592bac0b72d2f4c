//! Stream filters (ISO 32000-1 §7.4): FlateDecode (§7.4.4) with PNG predictors (§7.4.4.4),
//! decoding bounded in output size against decompression bombs, and the zlib encoding the
//! incremental writer uses.

use std::io::{Read, Write};

use super::object::{Dict, Object};
use super::xref::malformed;
use crate::error::{Error, ErrorKind, Result};

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

/// zlib-compresses `data`.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}
