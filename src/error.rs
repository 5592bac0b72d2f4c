//! Errors with stable numeric codes.
//!
//! Every fallible function of the library returns [`Error`]. Its [`ErrorKind`] has a stable
//! `u32` value that the C ABI returns as `eseal_result` and the bindings expose; values are
//! grouped by area and never reused once retired. The message is for people: it says what was
//! wrong with the input, never anything about key material.

use std::fmt;

/// The kind of an error, with its stable numeric code.
///
/// Groups: 1xxx general, 2xxx crypto and key files, 3xxx certificates and path validation,
/// 4xxx seals and seal signatures, 5xxx PDF, 6xxx OFD, 7xxx batch and I/O.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument is invalid (empty where content is required, out of range, …).
    InvalidArgument = 1001,
    /// A size or work limit was exceeded (hostile input).
    LimitExceeded = 1002,
    /// The operation is not supported (algorithm, format variant, …).
    Unsupported = 1003,
    /// Input is not of any known kind.
    UnknownInput = 1004,
    /// A panic was caught at the C boundary (never produced by the Rust API itself).
    Panic = 1005,
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

impl ErrorKind {
    /// The stable numeric code.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// A short, fixed description of the kind.
    pub fn description(self) -> &'static str {
        use ErrorKind::*;
        match self {
            InvalidArgument => "invalid argument",
            LimitExceeded => "size or work limit exceeded",
            Unsupported => "unsupported",
            UnknownInput => "input of unknown kind",
            Panic => "internal panic",
            MalformedDer => "malformed DER",
            InvalidPublicKey => "invalid SM2 public key",
            InvalidPrivateKey => "invalid SM2 private key",
            MalformedSignature => "malformed signature value",
            BadSignature => "signature does not verify",
            MalformedKeyFile => "malformed key file",
            WrongPassword => "wrong password",
            PasswordRequired => "password required",
            KeyMismatch => "private key does not match certificate",
            SignerFailed => "external signer failed",
            Rng => "random number generator failed",
            MalformedCertificate => "malformed certificate",
            MalformedCrl => "malformed CRL",
            CertificateNotUsable => "certificate not usable",
            MalformedTime => "malformed time",
            MalformedSeal => "malformed seal",
            MalformedSesSignature => "malformed seal signature",
            SealRefused => "seal operation refused",
            MalformedPicture => "malformed seal picture",
            MalformedTimestamp => "malformed timestamp token",
            MalformedCms => "malformed CMS SignedData",
            MalformedPdf => "malformed PDF",
            EncryptedPdf => "encrypted PDF",
            PdfRefused => "PDF operation refused",
            MalformedOfd => "malformed OFD",
            OfdRefused => "OFD operation refused",
            Io => "I/O error",
        }
    }
}

/// An error: a stable kind and a human-readable detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    detail: String,
}

impl Error {
    /// An error of `kind` with a detail message.
    pub fn new(kind: ErrorKind, detail: impl Into<String>) -> Self {
        Error {
            kind,
            detail: detail.into(),
        }
    }

    /// The kind of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable numeric code of the error's kind.
    pub fn code(&self) -> u32 {
        self.kind.code()
    }

    /// The detail message.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            f.write_str(self.kind.description())
        } else {
            write!(f, "{}: {}", self.kind.description(), self.detail)
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(ErrorKind::Io, e.to_string())
    }
}

/// Result with the library's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
