//! CMS SignedData (RFC 5652 §5, PKCS #7; GM/T 0010-2012 §8 / GB/T 35275 for the SM2 variant):
//! the one reader, verifier and writer behind PDF `cms` payloads ([`crate::pdf::cms`]), OFD
//! `Sign` values ([`crate::ofd::cms`]) and RFC 3161 timestamp tokens
//! ([`crate::ses::timestamp`]).
//!
//! - [`read`]: [`SignedData::parse`] reads one ContentInfo holding a SignedData with either OID
//!   family, DER or — through [`der_of`] — BER as
//!   Bouncy Castle and OpenSSL stream it. It keeps the raw bytes of the signed attributes so the
//!   signature is checked over exactly what was signed, identifies the signer (issuer and serial
//!   number, or subject key identifier) and reads the content-type, message-digest,
//!   signing-time and ESS signing-certificate (v1 and v2) attributes.
//! - [`verify`]: the rules, each written once and used by every format: which digest
//!   algorithms count, the messageDigest comparison, finding the signer's certificate, the
//!   signature by any algorithm of [`crate::pki::alg`] (SM2-with-SM3, RSA PKCS#1 v1.5 / PSS,
//!   ECDSA P-256 / P-384) and the signing-certificate attribute. Each gives a [`Finding`]
//!   (a [`crate::report::Status`] and a message) that the formats report under their own
//!   check ids.
//! - [`write`]: a detached SignedData with SM3 and an SM2 signature, as PDF sealing writes it.
//!
//! Rules (one per situation): a digest or signature algorithm that cannot be checked (SHA-1,
//! an unknown OID, a key type or size not supported) is `indeterminate`; a messageDigest that
//! differs from the content, a signature that does not verify, a signer certificate that is not
//! carried or a signing-certificate attribute naming another certificate is `fail`; a signature
//! by a weak (short RSA) key that verifies is `warn`.

pub mod read;
pub mod verify;
pub mod write;

pub use read::{SignedData, SignerId, SigningCertificate, der_of, looks_like_signed_data};
pub use verify::{Finding, SignerCert};
pub use write::{CmsProfile, build_signed_data};

use crate::error::{Error, ErrorKind};

pub(crate) fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedCms, msg)
}
