//! OFD documents (GB/T 33190-2016): the zip package, the signature XML files of §18, sealing
//! and verification of sealed OFDs (GB/T 38540-2020 §7), and electronic licence metadata
//! (GB/T 36901–36905).
//!
//! - [`package`]: reading the zip container safely and resolving OFD locations;
//! - [`xml`]: OFD.xml, Signatures.xml and Signature.xml;
//! - [`verify`]: every signature's References, dataHash and signature value, package checks;
//! - [`licence`]: e-licence metadata and whether a seal protects it.
//!
//! Signed XML is never re-serialised: every hash is taken over the exact bytes of the package
//! entry.

pub mod cms;
pub mod licence;
pub mod package;
pub mod sign;
pub mod verify;
pub mod xml;

pub use package::{Limits, Package};
pub use sign::{SealOfdOptions, SealPlacement, seal_ofd, seal_ofd_bytes, seal_ofd_with};
pub use verify::{VerifyOptions, verify_ofd, verify_ofd_file, verify_package};
