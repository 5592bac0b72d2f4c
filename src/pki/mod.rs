//! Public-key infrastructure: SM2 X.509 certificates, CRLs, trust stores, path validation and
//! time (GM/T 0015, RFC 5280).

pub mod issue;
pub mod time;

pub use time::Time;
