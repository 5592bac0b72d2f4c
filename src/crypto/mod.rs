//! Cryptography: SM2 keys and signatures, SM3, the [`Signer`] trait, and key files.
//!
//! This module knows nothing of seals or certificates.

#[forbid(unsafe_code)]
pub mod keyfile;
#[forbid(unsafe_code)]
pub mod pbe;
#[forbid(unsafe_code)]
pub mod pkcs12;
#[forbid(unsafe_code)]
pub mod pkcs8;
#[forbid(unsafe_code)]
pub mod signer;
#[forbid(unsafe_code)]
pub mod sm2;
#[forbid(unsafe_code)]
pub mod sm2_sign;
pub mod sm2_verify;
#[forbid(unsafe_code)]
pub mod sm3;

pub use keyfile::{
    KeyBundle, load_key_bundle, load_private_key, to_encrypted_pkcs8_pem, to_pkcs8_der,
    to_pkcs8_pem,
};
pub use signer::{FnSigner, Signer, SoftwareSigner};
pub use sm2::{DEFAULT_ID, PrivateKey, PublicKey, Signature};
pub use sm3::sm3;
