//! Result codes, their messages, and the per-thread detail of the last error.
//!
//! Every fallible export returns [`eseal_result`]. Its values are the stable codes of
//! `eseal::ErrorKind` (grouped 1xxx general, 2xxx crypto and key files, 3xxx certificates,
//! 4xxx seals, 5xxx PDF, 6xxx OFD, 7xxx I/O) plus `ESEAL_RESULT_OK` (0) and a few codes that
//! only the C ABI produces, in 1900–1999. A value, once given, is never reused: a retired
//! code stays here as a comment.

use eseal_core::{Error, ErrorKind};
use std::cell::RefCell;
use std::os::raw::c_char;

/// The result of a fallible function: `ESEAL_RESULT_OK` or the code of what went wrong.
///
/// The codes equal those of `eseal::ErrorKind`; `eseal_result_message` gives a fixed
/// description of a code and `eseal_last_error_message` the detail of the last failure on the
/// calling thread.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum eseal_result {
    /// Success.
    Ok = 0,
    /// An argument is invalid (empty where content is required, out of range, not UTF-8, …).
    InvalidArgument = 1001,
    /// A size or work limit was exceeded (hostile input).
    LimitExceeded = 1002,
    /// The operation is not supported (algorithm, format variant, …).
    Unsupported = 1003,
    /// Input is not of any known kind.
    UnknownInput = 1004,
    /// A panic was caught at the C boundary: a bug in eseal; please report it.
    Panic = 1005,
    /// A required pointer argument was NULL.
    NullPointer = 1901,
    /// The object was already used up (a finished two-phase signing operation).
    AlreadyUsed = 1902,
    /// An error of a kind this version of the C ABI has no code for; see the detail.
    Unrecognized = 1903,
    /// Generic structural error in DER / ASN.1 input.
    MalformedDer = 2001,
    /// An SM2 public key is not a valid point on the curve.
    InvalidPublicKey = 2002,
    /// An SM2 private key is out of range.
    InvalidPrivateKey = 2003,
    /// A signature value cannot be decoded or has r/s out of range.
    MalformedSignature = 2004,
    /// A signature did not verify.
    BadSignature = 2005,
    /// A key file is malformed or of an unknown kind.
    MalformedKeyFile = 2006,
    /// The password for an encrypted key file is wrong.
    WrongPassword = 2007,
    /// A password is needed but was not given.
    PasswordRequired = 2008,
    /// A private key does not match the certificate it is used with.
    KeyMismatch = 2009,
    /// An external signer (callback, device) failed.
    SignerFailed = 2010,
    /// A random number generator failure.
    Rng = 2011,
    /// A certificate cannot be parsed.
    MalformedCertificate = 3001,
    /// A CRL cannot be parsed.
    MalformedCrl = 3002,
    /// A certificate is not usable for the requested operation (validity, key usage).
    CertificateNotUsable = 3003,
    /// A time value cannot be parsed.
    MalformedTime = 3004,
    /// A seal (SESeal) cannot be parsed.
    MalformedSeal = 4001,
    /// A seal signature (SES_Signature) cannot be parsed.
    MalformedSesSignature = 4002,
    /// A seal cannot be made or applied as asked (signer not in seal, seal expired, …).
    SealRefused = 4003,
    /// A seal picture is malformed or of an unsupported type.
    MalformedPicture = 4004,
    /// A timestamp token cannot be parsed.
    MalformedTimestamp = 4005,
    /// A CMS SignedData cannot be parsed.
    MalformedCms = 4006,
    /// A PDF cannot be parsed.
    MalformedPdf = 5001,
    /// The PDF is encrypted.
    EncryptedPdf = 5002,
    /// A PDF cannot be sealed as asked.
    PdfRefused = 5003,
    /// An OFD package cannot be parsed.
    MalformedOfd = 6001,
    /// An OFD cannot be sealed as asked (e.g. Signatures.xml protected by an earlier seal).
    OfdRefused = 6002,
    /// A file could not be read or written.
    Io = 7001,
}

impl eseal_result {
    /// The result with this numeric value, if there is one.
    pub(crate) fn from_code(code: u32) -> Option<eseal_result> {
        C_ONLY
            .iter()
            .copied()
            .chain(KINDS.iter().map(|&(r, _)| r))
            .find(|&r| r as u32 == code)
    }

    /// The result for a library error kind (`Unrecognized` for a kind added to the library
    /// after this table; the drift test below keeps that from happening unnoticed).
    pub(crate) fn from_kind(kind: ErrorKind) -> eseal_result {
        eseal_result::from_code(kind.code()).unwrap_or(eseal_result::Unrecognized)
    }

    /// A fixed description of the result.
    pub(crate) fn description(self) -> &'static str {
        match self {
            eseal_result::Ok => "success",
            eseal_result::NullPointer => "a required pointer argument was NULL",
            eseal_result::AlreadyUsed => "the object was already used up",
            eseal_result::Unrecognized => "error without a C ABI code (see the detail)",
            eseal_result::Panic => "internal panic (a bug in eseal)",
            other => match kind_of(other as u32) {
                Some(k) => k.description(),
                None => "unknown result code",
            },
        }
    }
}

/// The results only the C ABI produces (no library kind has their codes).
const C_ONLY: [eseal_result; 4] = [
    eseal_result::Ok,
    eseal_result::NullPointer,
    eseal_result::AlreadyUsed,
    eseal_result::Unrecognized,
];

/// Pairs each library error kind with the result of the same name (the drift test below checks
/// that the codes agree too).
macro_rules! kinds {
    ($($name:ident),* $(,)?) => {
        [$((eseal_result::$name, ErrorKind::$name)),*]
    };
}

/// Every library error kind and its result.
const KINDS: [(eseal_result, ErrorKind); 32] = kinds![
    InvalidArgument,
    LimitExceeded,
    Unsupported,
    UnknownInput,
    Panic,
    MalformedDer,
    InvalidPublicKey,
    InvalidPrivateKey,
    MalformedSignature,
    BadSignature,
    MalformedKeyFile,
    WrongPassword,
    PasswordRequired,
    KeyMismatch,
    SignerFailed,
    Rng,
    MalformedCertificate,
    MalformedCrl,
    CertificateNotUsable,
    MalformedTime,
    MalformedSeal,
    MalformedSesSignature,
    SealRefused,
    MalformedPicture,
    MalformedTimestamp,
    MalformedCms,
    MalformedPdf,
    EncryptedPdf,
    PdfRefused,
    MalformedOfd,
    OfdRefused,
    Io,
];

/// The library kind with this code (the C-only codes have none).
fn kind_of(code: u32) -> Option<ErrorKind> {
    KINDS
        .iter()
        .find(|&&(r, _)| r as u32 == code)
        .map(|&(_, k)| k)
}

/// Why a call failed: the code to return and the detail kept for `eseal_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: eseal_result,
    pub(crate) detail: String,
}

impl Failure {
    /// A failure with a code and a detail.
    pub(crate) fn new(code: eseal_result, detail: impl Into<String>) -> Self {
        Failure {
            code,
            detail: detail.into(),
        }
    }

    /// A NULL pointer where `name` is required.
    pub(crate) fn null(name: &str) -> Self {
        Failure::new(eseal_result::NullPointer, format!("{name} is NULL"))
    }

    /// An invalid argument.
    pub(crate) fn invalid(detail: impl Into<String>) -> Self {
        Failure::new(eseal_result::InvalidArgument, detail)
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::new(eseal_result::from_kind(e.kind()), e.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records the detail of a failure on this thread.
pub(crate) fn set_last_error(detail: &str) {
    // `try_with`: during thread teardown the slot may be gone; then there is nothing to keep.
    let _ = LAST_ERROR.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            l.clear();
            l.push_str(detail);
        }
    });
}

/// Forgets the detail of the previous failure (every fallible call starts with this).
pub(crate) fn clear_last_error() {
    let _ = LAST_ERROR.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            l.clear();
        }
    });
}

fn last_error() -> String {
    LAST_ERROR
        .try_with(|l| l.try_borrow().map(|s| s.clone()).unwrap_or_default())
        .unwrap_or_default()
}

/// Copies `text` into `buf` (capacity `cap`) as a NUL-terminated string, cut at a character
/// boundary when it does not fit; `*written` (when not NULL) receives the bytes copied, NUL
/// excluded. Writes nothing when `buf` is NULL or `cap` is 0.
///
/// # Safety
/// `buf` must be NULL or valid for `cap` bytes; `written` NULL or valid.
pub(crate) unsafe fn copy_text(text: &str, buf: *mut c_char, cap: usize, written: *mut usize) {
    let mut n = 0;
    if !buf.is_null() && cap > 0 {
        n = text.len().min(cap - 1);
        while !text.is_char_boundary(n) {
            n -= 1;
        }
        // SAFETY: buf is valid for cap > n bytes (caller's contract); text has n bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
            *buf.add(n) = 0;
        }
    }
    if !written.is_null() {
        // SAFETY: written is valid (caller's contract).
        unsafe { *written = n };
    }
}

/// Writes a fixed English description of result code `result` into `buf` (capacity `cap`
/// bytes) as a NUL-terminated UTF-8 string, truncated at a character boundary if it does not
/// fit; `*written` (if `written` is not NULL) receives the number of bytes written, NUL
/// excluded. Nothing is written to `buf` when it is NULL or `cap` is 0. Unknown codes get
/// "unknown result code N".
///
/// # Safety
/// `buf` must be NULL or point to `cap` writable bytes; `written` must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_result_message(
    result: eseal_result_code,
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) {
    crate::panic::boundary(|| {
        let text = match eseal_result::from_code(result) {
            Some(r) => r.description().to_string(),
            None => format!("unknown result code {result}"),
        };
        // SAFETY: forwarded caller contract.
        unsafe { copy_text(&text, buf, cap, written) }
    })
}

/// The length in bytes (NUL excluded) of the detail of the last failure on the calling thread;
/// 0 when the last fallible call on this thread succeeded.
#[unsafe(no_mangle)]
pub extern "C" fn eseal_last_error_length() -> usize {
    crate::panic::boundary(|| last_error().len())
}

/// Writes the detail of the last failure on the calling thread (what was wrong, for people)
/// into `buf` like `eseal_result_message`; an empty string when the last fallible call on this
/// thread succeeded. Every function returning `eseal_result` sets or clears this detail; other
/// functions leave it alone.
///
/// # Safety
/// `buf` must be NULL or point to `cap` writable bytes; `written` must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_last_error_message(
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) {
    crate::panic::boundary(|| {
        let text = last_error();
        // SAFETY: forwarded caller contract.
        unsafe { copy_text(&text, buf, cap, written) }
    })
}

/// An `eseal_result` value received from C, which may hold any number: taken as a plain
/// integer so that an unknown value is never an invalid enum in Rust. In the header it is
/// spelled `eseal_result` (the same type as `uint32_t`).
pub type eseal_result_code = u32;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `ErrorKind` code in the library's source has a result with the same value and
    /// name, so the C ABI never drifts from the library.
    #[test]
    fn every_library_code_has_a_result() {
        let src = include_str!("../../src/error.rs");
        let mut seen = 0;
        for line in src.lines() {
            let line = line.trim();
            let Some((name, rest)) = line.split_once(" = ") else {
                continue;
            };
            let Ok(code) = rest.trim_end_matches(',').parse::<u32>() else {
                continue;
            };
            if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                continue;
            }
            let r = eseal_result::from_code(code)
                .unwrap_or_else(|| panic!("ErrorKind::{name} = {code} has no eseal_result"));
            assert_eq!(format!("{r:?}"), name, "code {code}");
            assert_eq!(kind_of(code).map(|k| k.code()), Some(code));
            seen += 1;
        }
        assert!(seen >= 30, "parsed only {seen} kinds from src/error.rs");
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut codes = std::collections::HashSet::new();
        for code in 0..10_000u32 {
            if let Some(r) = eseal_result::from_code(code) {
                assert_eq!(r as u32, code);
                assert!(codes.insert(code));
                assert!(!r.description().is_empty());
            }
        }
        assert_eq!(
            eseal_result::from_kind(ErrorKind::WrongPassword) as u32,
            2007
        );
    }

    #[test]
    fn text_is_cut_at_char_boundaries() {
        let mut buf = [0x55u8; 8];
        let mut n = 99;
        // "é" is two bytes: with room for 4 bytes + NUL, "abé" (4 bytes) fits, "abéé" does not.
        unsafe { copy_text("abéé", buf.as_mut_ptr().cast(), 5, &mut n) };
        assert_eq!(n, 4);
        assert_eq!(&buf[..5], b"ab\xc3\xa9\0");
        unsafe { copy_text("abéé", buf.as_mut_ptr().cast(), 4, &mut n) };
        assert_eq!(n, 2);
        assert_eq!(&buf[..3], b"ab\0");
        unsafe { copy_text("x", std::ptr::null_mut(), 4, &mut n) };
        assert_eq!(n, 0);
        unsafe { copy_text("x", buf.as_mut_ptr().cast(), 0, &mut n) };
        assert_eq!(n, 0);
    }
}
