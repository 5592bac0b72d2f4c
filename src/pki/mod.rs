//! Public-key infrastructure: SM2 X.509 certificates, CRLs, trust stores, path validation and
//! time (GM/T 0015, RFC 5280).

pub mod cert;
pub mod crl;
pub mod ext;
pub mod issue;
pub mod name;
pub mod path;
pub mod pem;
pub mod store;
#[cfg(test)]
mod testutil;
pub mod time;
pub mod verify;

pub use cert::{Certificate, parse_certificates};
pub use crl::Crl;
pub use ext::KeyUsage;
pub use name::Name;
pub use path::{Budget, PathError};
pub use store::TrustStore;
pub use time::Time;
pub use verify::{
    CertOptions, Purpose, check_certificate, verify_certificate_bytes, verify_certificate_report,
    verify_certificate_report_with,
};
