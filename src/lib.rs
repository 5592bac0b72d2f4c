//! # eseal
//!
//! Electronic seals for China's "no physical seal" reforms: make GB/T 38540 seals, seal PDF and
//! OFD documents with them, and verify seals, sealed documents, electronic licences and SM2
//! certificates, one at a time or in batch.
//!
//! Layout (see `DESIGN.md`): [`crypto`] (SM2, SM3, key files) knows nothing of seals; [`pki`]
//! (certificates, CRLs, path validation) uses `crypto`; [`report`] is the verification report
//! every verifier returns.
#![deny(unsafe_code)] // the one exception: crypto::sm2_verify::kernel (documented there)
#![deny(missing_docs)]

pub mod asn1;
pub mod batch;
pub mod cms;
pub mod crypto;
pub mod error;
pub mod keyword;
pub mod licence;
pub mod oid;
pub mod ofd;
pub mod pdf;
pub mod pki;
pub mod report;
pub mod riding;
pub mod ses;

pub use error::{Error, ErrorKind, Result};
pub use report::{Check, Report, Status, Verdict};
