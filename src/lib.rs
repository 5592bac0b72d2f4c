//! # eseal
//!
//! Electronic seals for China's "no physical seal" reforms: make GB/T 38540 seals, seal PDF and
//! OFD documents with them, and verify seals, sealed documents, electronic licences and SM2
//! certificates, one at a time or in batch.
//!
//! Layout (see `DESIGN.md`): [`crypto`] (SM2, SM3, key files) knows nothing of seals; [`pki`]
//! (certificates, CRLs, path validation) uses `crypto`; [`report`] is the verification report
//! every verifier returns.
//!
//! Unsafe code: none, except the one documented kernel `crypto::sm2_verify::kernel` (x86-64
//! assembly for the SM2 field multiplication). Every module declaration carries
//! `#[forbid(unsafe_code)]` (which no inner `allow` can lift) except the path down to that
//! kernel (`crypto`, `crypto::sm2_verify`), whose own code is still under the crate-wide
//! `deny`; `tests/unsafe_code.rs` fails when a new module lacks the attribute or when `unsafe`
//! appears in any other file.
#![deny(unsafe_code)]
#![deny(missing_docs)]

#[forbid(unsafe_code)]
pub mod asn1;
#[forbid(unsafe_code)]
pub mod batch;
#[forbid(unsafe_code)]
pub mod cms;
pub mod crypto;
#[forbid(unsafe_code)]
pub mod error;
#[forbid(unsafe_code)]
pub mod job;
#[forbid(unsafe_code)]
pub mod keyword;
#[forbid(unsafe_code)]
pub mod licence;
#[forbid(unsafe_code)]
pub mod ofd;
#[forbid(unsafe_code)]
pub mod oid;
#[forbid(unsafe_code)]
pub mod pdf;
#[forbid(unsafe_code)]
pub mod pki;
#[forbid(unsafe_code)]
pub mod report;
#[forbid(unsafe_code)]
pub mod riding;
#[forbid(unsafe_code)]
pub mod seal_batch;
#[forbid(unsafe_code)]
pub mod ses;

pub use error::{Error, ErrorKind, Result};
pub use report::{Check, Report, Status, Verdict};
