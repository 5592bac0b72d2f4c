//! Cryptography: SM2 keys and signatures, SM3, the [`Signer`] trait, and key files.
//!
//! This module knows nothing of seals or certificates.

pub mod signer;
pub mod sm2;
pub mod sm2_verify;
pub mod sm3;

pub use signer::{FnSigner, Signer, SoftwareSigner};
pub use sm2::{DEFAULT_ID, PrivateKey, PublicKey, Signature};
pub use sm3::sm3;
