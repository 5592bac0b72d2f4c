//! Public-key infrastructure: X.509 certificates (SM2 keys, and RSA / ECDSA keys verified through
//! [`alg`]), CRLs, trust stores, path validation and
//! time (GM/T 0015, RFC 5280).
//!
//! Trust is explicit (no global state): the caller fills a [`TrustStore`] with anchors,
//! intermediates and CRLs, and judges a certificate at a reference time.
//!
//! ```no_run
//! use eseal::pki::{CertOptions, Purpose, Time, TrustStore, parse_certificates};
//! use eseal::pki::verify::check_certificate;
//!
//! let mut store = TrustStore::new();
//! store.add_pem_or_der_anchors(&std::fs::read("root.pem")?)?;
//! store.add_pem_or_der_crls(&std::fs::read("ca.crl")?)?;
//! let certs = parse_certificates(&std::fs::read("signer.pem")?)?;
//! let opts = CertOptions {
//!     at: Time::parse_rfc3339("2026-01-01T00:00:00Z")?,
//!     now: Time::now(),
//!     purpose: Purpose::Signing,
//! };
//! // signer_cert.chain / .validity / .revocation / .key_usage
//! for check in check_certificate(&certs[0], &certs[1..], &store, &opts, "signer_cert") {
//!     println!("{} {} {}", check.id, check.status.as_str(), check.message);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod alg;
pub mod cert;
pub mod context;
pub mod crl;
pub mod ext;
pub mod issue;
pub mod name;
pub mod path;
pub mod pem;
pub mod store;
#[cfg(test)]
pub(crate) mod testutil;
pub mod time;
pub mod verify;

pub use alg::{SignatureAlgorithm, SubjectPublicKey};
pub use cert::{Certificate, parse_certificates};
pub use context::{Cache, Context};
pub use crl::Crl;
pub use ext::KeyUsage;
pub use name::Name;
pub use path::{Budget, PathError};
pub use store::TrustStore;
pub use time::Time;
pub use verify::{
    CertOptions, Purpose, check_certificate, check_certificate_in, verify_certificate_bytes,
    verify_certificate_report, verify_certificate_report_in, verify_certificate_report_with,
};
