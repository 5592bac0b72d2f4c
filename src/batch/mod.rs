//! Verification of any input, one or many: detection of the input's kind by content
//! ([`detection`]), a reusable [`Verifier`] holding the caller's trust anchors, CRLs,
//! reference time and one shared cache ([`verifier`]), parallel batch runs
//! ([`Verifier::verify_many`], [`pool`]) over lazily walked directories ([`Walk`], [`walk`]),
//! and their [`Summary`] ([`summary`]).
//!
//! The same verifier serves the command-line tool, the C ABI and batch runs; it is `Send +
//! Sync`, so one instance is shared by every worker thread. Every input, whatever its kind,
//! is verified in the verifier's [`Context`](crate::pki::Context), so work shared across a
//! batch is done once (see [`crate::pki::context`]):
//!
//! - certification paths (RFC 5280 §6) are validated once per (SM3 of the certificate DER and
//!   of the untrusted certificates offered with it, reference time) and reused from a bounded,
//!   sharded [`ValidationCache`];
//! - CRLs are parsed once (they live in the [`TrustStore`](crate::pki::TrustStore)); a CRL's
//!   signature is verified once per issuer key and its entries are indexed on first lookup
//!   (see [`Crl::find`](crate::pki::Crl::find));
//! - an intermediate certificate's signature, once verified with a key, is not verified again;
//! - certificate and CRL signatures are checked with a precomputed table of the issuer's key
//!   (about 4 times faster) once that key has been seen twice, from a bounded process-wide
//!   cache (see [`crate::crypto::sm2_verify::cached_key`]);
//! - a seal carried by many seal signatures — detached, in PDFs or in OFDs — has its
//!   `seal_signature` and `maker_cert.*` checks computed once (the seal bytes compared
//!   exactly), and certificates found in seal signatures are parsed once.
//!
//! Inputs are routed by content: PEM or DER certificates, DER seals and seal signatures
//! (`crate::ses`), PDF (`crate::pdf`) and OFD (`crate::ofd`) documents.
//!
//! A batch run streams its results: inputs are pulled lazily from an iterator, handed to
//! `jobs` worker threads through a bounded queue, and each input's reports go to the caller's
//! sink as they finish (or in input order, with [`BatchOptions::sorted`], through a reorder
//! window of bounded size). Memory stays flat in the number of inputs.

pub mod detection;
pub mod pool;
pub mod summary;
pub mod verifier;
pub mod walk;

pub use crate::pki::context::{
    DEFAULT_CACHE_CAPACITY, DEFAULT_CERT_CACHE_CAPACITY, DEFAULT_SEAL_CACHE_CAPACITY,
    ValidationCache,
};
pub use detection::{InputKind, detect};
pub use pool::{BatchOptions, Input, MAX_INPUT_SIZE, Outcome};
pub use summary::Summary;
pub use verifier::Verifier;
pub use walk::Walk;

#[cfg(test)]
mod tests;
