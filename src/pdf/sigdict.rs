//! The signature dictionary (ISO 32000-1 §12.8.1, Table 252) as [`super::sign`] writes it and
//! [`super::verify`] reads it: the `/SubFilter` names, the `/Contents` reservation and its
//! hex-string placeholder, the `/ByteRange` placeholder patched once the file length is known,
//! the `/M` date (§7.9.4), and the DocMDP level a certification signature sets (§12.8.2.2).

use super::document::Document;
use super::object::{Dict, Object, text_string, write_dict, write_name};
use crate::error::{Error, ErrorKind, Result};
use crate::pki::time::Time;

/// The /SubFilter written for SES payloads by default.
pub const SES_SUB_FILTER: &str = "GB.T38540.SES";
/// The /SubFilter written for CMS payloads.
pub const CMS_SUB_FILTER: &str = "adbe.pkcs7.detached";

/// Largest /Contents reservation (bytes).
pub const MAX_CONTENTS: usize = 4 << 20;

/// The `/ByteRange` written before the offsets are known: wide enough for any file size the
/// writer accepts, patched in place with [`byte_range_text`].
const BR_PLACEHOLDER: &str = "[0 0000000000000 0000000000000 0000000000000]";

/// `D:YYYYMMDDHHmmSSZ`.
pub fn pdf_date(t: Time) -> String {
    let (y, mo, d, h, mi, s) = t.to_civil();
    format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z")
}

/// What goes into a new signature dictionary besides its placeholders.
pub(crate) struct SigDictFields<'a> {
    /// `/SubFilter`, without the slash.
    pub sub_filter: &'a str,
    /// Bytes reserved for the payload (the hex string is twice as long).
    pub contents_size: usize,
    /// `/M`.
    pub signing_time: Time,
    /// `/Name`.
    pub name: Option<&'a str>,
    /// `/Reason`.
    pub reason: Option<&'a str>,
    /// `/Location`.
    pub location: Option<&'a str>,
}

/// A signature dictionary serialised by hand, so that its placeholders' offsets are known.
pub(crate) struct SigDictBytes {
    /// `<< … >>`.
    pub bytes: Vec<u8>,
    /// Offset in `bytes` of the `/ByteRange` placeholder.
    pub byte_range_at: usize,
    /// Offset in `bytes` of the `<` that opens the `/Contents` hex string.
    pub contents_at: usize,
}

impl SigDictFields<'_> {
    /// `/Type /Sig /Filter /Adobe.PPKLite`, the /SubFilter, both placeholders and the rest.
    pub(crate) fn serialise(&self) -> SigDictBytes {
        let mut head = Vec::new();
        head.extend_from_slice(b"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter ");
        write_name(&mut head, self.sub_filter.as_bytes());
        head.extend_from_slice(b" /ByteRange ");
        let byte_range_at = head.len();
        head.extend_from_slice(BR_PLACEHOLDER.as_bytes());
        head.extend_from_slice(b" /Contents ");
        let contents_at = head.len();
        head.push(b'<');
        head.resize(head.len() + 2 * self.contents_size, b'0');
        head.push(b'>');
        let mut tail = Dict::new();
        tail.set(
            "M",
            Object::String(pdf_date(self.signing_time).into_bytes()),
        );
        for (k, v) in [
            ("Name", self.name),
            ("Reason", self.reason),
            ("Location", self.location),
        ] {
            if let Some(v) = v {
                tail.set(k, Object::String(text_string(v)));
            }
        }
        let mut t = Vec::new();
        write_dict(&mut t, &tail);
        head.push(b' ');
        head.extend_from_slice(&t[2..]); // tail entries and the closing ">>"
        SigDictBytes {
            bytes: head,
            byte_range_at,
            contents_at,
        }
    }
}

/// The `/ByteRange [0 a b c]` text that replaces the placeholder, padded to its length.
pub(crate) fn byte_range_text(br: [u64; 4]) -> Result<Vec<u8>> {
    let text = format!("[0 {} {} {}]", br[1], br[2], br[3]);
    if text.len() > BR_PLACEHOLDER.len() {
        return Err(Error::new(ErrorKind::LimitExceeded, "file too large"));
    }
    Ok(format!("{text:<width$}", width = BR_PLACEHOLDER.len()).into_bytes())
}

/// The DocMDP /P of a certification signature, if this signature has one.
pub(crate) fn docmdp_p(doc: &Document, sig: &Dict) -> Option<i64> {
    let refs = match sig.get("Reference").map(|r| doc.resolve(r)) {
        Some(Ok(Object::Array(a))) => a,
        _ => return None,
    };
    for r in refs.iter().take(16) {
        let Ok(d) = doc.resolve_dict(r, "reference") else {
            continue;
        };
        if d.name("TransformMethod") == Some(b"DocMDP") {
            let p = d
                .get("TransformParams")
                .and_then(|t| doc.resolve_dict(t, "params").ok())
                .and_then(|t| t.int("P"))
                .unwrap_or(2);
            return Some(p);
        }
    }
    None
}
