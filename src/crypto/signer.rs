//! The [`Signer`] trait: anything that can make an SM2 signature for a certificate's key.
//!
//! A software key ([`SoftwareSigner`]) implements it, and so can a hardware key (UKey, HSM) or
//! a remote signing service: the only operation required is signing the 32-byte digest
//! `e = SM3(Z_A || M)`, which eseal computes from the signer's public key and user ID. The
//! trait is object-safe so signers can be boxed and passed across the C ABI.

use super::sm2::{DEFAULT_ID, PrivateKey, PublicKey, Signature};
use crate::error::{Error, ErrorKind, Result};

/// Something that makes SM2 signatures.
pub trait Signer: Send + Sync {
    /// The public key whose private half makes the signatures.
    fn public_key(&self) -> &PublicKey;

    /// Signs the digest `e = SM3(Z_A || M)`.
    fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature>;

    /// The SM2 user ID used to compute `Z_A` (default `1234567812345678`).
    fn user_id(&self) -> &[u8] {
        DEFAULT_ID
    }

    /// Signs `msg`: computes `e` with [`Signer::user_id`] and signs it. The result is checked
    /// against the public key, so a faulty device never yields a bad signature silently.
    fn sign(&self, msg: &[u8]) -> Result<Signature> {
        let e = self.public_key().digest(self.user_id(), msg)?;
        let sig = self.sign_digest(&e)?;
        self.public_key().verify_digest(&e, &sig).map_err(|_| {
            Error::new(
                ErrorKind::SignerFailed,
                "signer returned a signature that does not verify",
            )
        })?;
        Ok(sig)
    }
}

/// A signer backed by an in-memory private key (zeroized on drop). The key is prepared for
/// signing and `Z_A` computed once, when the signer is made.
#[derive(Debug, Clone)]
pub struct SoftwareSigner {
    key: PrivateKey,
    id: Vec<u8>,
    /// `Z_A` for `id`; None when the ID is too long (signing then reports the error).
    z: Option<[u8; 32]>,
}

impl SoftwareSigner {
    /// A signer using the default user ID.
    pub fn new(key: PrivateKey) -> Self {
        Self::with_user_id(key, DEFAULT_ID)
    }

    /// A signer using another user ID.
    pub fn with_user_id(key: PrivateKey, id: &[u8]) -> Self {
        let z = key.public_key().z(id).ok();
        SoftwareSigner {
            key,
            id: id.to_vec(),
            z,
        }
    }

    /// The private key.
    pub fn private_key(&self) -> &PrivateKey {
        &self.key
    }
}

impl Signer for SoftwareSigner {
    fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature> {
        self.key.sign_digest(e)
    }

    fn user_id(&self) -> &[u8] {
        &self.id
    }

    /// As [`Signer::sign`] (the result is still checked against the public key), with the
    /// cached `Z_A`.
    fn sign(&self, msg: &[u8]) -> Result<Signature> {
        use ::sm3::Digest;
        let Some(z) = self.z else {
            // Only for an over-long ID: let the digest report the error.
            let e = self.key.public_key().digest(&self.id, msg)?;
            return self.key.sign_digest(&e);
        };
        let mut h = ::sm3::Sm3::new();
        h.update(z);
        h.update(msg);
        let e: [u8; 32] = h.finalize().into();
        let sig = self.key.sign_digest(&e)?;
        self.key.public_key().verify_digest(&e, &sig).map_err(|_| {
            Error::new(
                ErrorKind::SignerFailed,
                "signer returned a signature that does not verify",
            )
        })?;
        Ok(sig)
    }
}

/// A signer that calls a function to sign the digest (a UKey driver, an HSM, a remote service).
pub struct FnSigner<F> {
    public: PublicKey,
    f: F,
}

impl<F> FnSigner<F>
where
    F: Fn(&[u8; 32]) -> Result<Vec<u8>> + Send + Sync,
{
    /// A signer for `public` whose signatures come from `f`, which receives `e` and returns the
    /// signature as DER or raw `r || s`.
    pub fn new(public: PublicKey, f: F) -> Self {
        FnSigner { public, f }
    }
}

impl<F> Signer for FnSigner<F>
where
    F: Fn(&[u8; 32]) -> Result<Vec<u8>> + Send + Sync,
{
    fn public_key(&self) -> &PublicKey {
        &self.public
    }

    fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature> {
        let bytes = (self.f)(e)?;
        Signature::from_bytes(&bytes)
            .map_err(|err| Error::new(ErrorKind::SignerFailed, format!("external signer: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_and_external_signers() {
        let key = PrivateKey::generate().unwrap();
        let sw = SoftwareSigner::new(key.clone());
        let sig = sw.sign(b"data").unwrap();
        sw.public_key().verify_default(b"data", &sig).unwrap();

        // A "device" that only exposes digest signing.
        let dev_key = key.clone();
        let dev = FnSigner::new(key.public_key().clone(), move |e: &[u8; 32]| {
            Ok(dev_key.sign_digest(e)?.to_der())
        });
        let boxed: Box<dyn Signer> = Box::new(dev);
        let sig = boxed.sign(b"data").unwrap();
        key.public_key().verify_default(b"data", &sig).unwrap();

        // A faulty device is caught.
        let other = PrivateKey::generate().unwrap();
        let bad = FnSigner::new(key.public_key().clone(), move |e: &[u8; 32]| {
            Ok(other.sign_digest(e)?.to_raw().to_vec())
        });
        assert_eq!(bad.sign(b"x").unwrap_err().kind(), ErrorKind::SignerFailed);
    }
}
