//! Electronic seals and seal signatures: GB/T 38540-2020 (version 4), GM/T 0031-2025 (version 5)
//! and GM/T 0031-2014 (version 1).
//!
//! - [`Seal`] / [`SesSignature`]: the structures of GB/T 38540 §6 as plain values, decoded
//!   tolerantly ([`Seal::from_der`], [`SesSignature::from_der`]) and encoded strictly as DER
//!   ([`Seal::to_der`], [`SesSignature::to_der`]); [`detect`] tells one from the other.
//!   Decoded values keep the raw bytes the maker and the signer signed
//!   ([`Seal::signed_bytes`], [`SesSignature::tbs_bytes`]) and verification uses those.
//! - [`SealBuilder`]: making a seal (GB/T 38540 §7.1), signed by the maker.
//! - [`sign`]: applying a seal to data (GB/T 38540 §7.2), optionally timestamped.
//! - [`verify`]: verifying a seal or a seal signature (GB/T 38540 §7.3, GM/T 0031 §6.2.3),
//!   every check reported by its stable id; [`timestamp`] checks RFC 3161 tokens.
//!
//! ```no_run
//! use eseal::crypto::SoftwareSigner;
//! use eseal::pki::{Time, TrustStore};
//! use eseal::ses::{DataInput, SealBuilder, SignRequest, VerifyOptions, sign_data, verify_ses_signature};
//! # fn f(maker_cert: Vec<u8>, maker: SoftwareSigner, signer_cert: Vec<u8>, signer: SoftwareSigner,
//! #      png: Vec<u8>, doc: &[u8], store: TrustStore) -> eseal::Result<()> {
//! let seal = SealBuilder::new("vendor", "1101000000001", "合同专用章")
//!     .signer_certs(vec![signer_cert.clone()])
//!     .validity(Time::parse_rfc3339("2026-01-01T00:00:00Z")?, Time::parse_rfc3339("2028-01-01T00:00:00Z")?)
//!     .picture("PNG", png, 40, 40)
//!     .build(&maker_cert, &maker)?;
//! let req = SignRequest::new(&seal, &signer_cert, "/Doc_0/Signs/Sign_0/Signature.xml", Time::now());
//! let sig = sign_data(&req, doc, &signer)?;
//! let report = verify_ses_signature(sig.raw_der(), Some(DataInput::Bytes(doc)), &store, &VerifyOptions::default());
//! println!("{:?}", report.verdict);
//! # Ok(()) }
//! ```

mod decode;
pub mod description;
mod encode;
mod make;
pub mod picture;
pub mod sign;
pub mod timestamp;
pub mod types;
pub mod verify;

pub use decode::{Kind, decode_seal, decode_signature, detect};
pub use description::SealDescription;
pub use make::SealBuilder;
pub use picture::{PictureType, check_picture};
pub use sign::{SignRequest, sign_data, sign_hash};
pub use timestamp::TimeStampToken;
pub use types::*;
pub use verify::{
    DataInput, VerifyOptions, verify_seal, verify_seal_in, verify_seal_parsed,
    verify_seal_parsed_in, verify_ses_signature, verify_ses_signature_in,
    verify_ses_signature_parsed, verify_ses_signature_parsed_in,
};

impl Seal {
    /// Decodes a seal of version 1, 4 or 5 (tolerant; see DESIGN §4).
    pub fn from_der(bytes: &[u8]) -> crate::Result<Seal> {
        decode_seal(bytes)
    }
}

impl SesSignature {
    /// Decodes a seal signature of version 1, 4 or 5 (tolerant; see DESIGN §4).
    pub fn from_der(bytes: &[u8]) -> crate::Result<SesSignature> {
        decode_signature(bytes)
    }
}

impl Seal {
    /// Checks the maker's SM2 signature (default user ID) over [`Seal::signed_bytes`] with the
    /// public key of [`Seal::cert`].
    pub fn verify_maker_signature(&self) -> crate::Result<()> {
        let cert = crate::pki::Certificate::from_der(&self.cert)?;
        let sig = crate::crypto::Signature::from_bytes(&self.signed_value)?;
        cert.public_key()?.verify_default(&self.signed_bytes, &sig)
    }
}

impl SesSignature {
    /// Checks the signer's SM2 signature (default user ID) over the raw TBS_Sign with the
    /// public key of [`SesSignature::cert`].
    pub fn verify_signer_signature(&self) -> crate::Result<()> {
        let cert = crate::pki::Certificate::from_der(&self.cert)?;
        let sig = crate::crypto::Signature::from_bytes(&self.signature)?;
        cert.public_key()?.verify_default(&self.tbs_bytes, &sig)
    }
}
