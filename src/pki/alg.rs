//! Signature algorithms, keyed by AlgorithmIdentifier and key type, for everything eseal
//! verifies: certificate and CRL signatures (RFC 5280 §4.1.1.2, §5.1.1.2), CMS SignerInfo
//! signatures (RFC 5652 §5.4) and RFC 3161 tokens. Sealing stays SM2-only.
//!
//! Keys ([`SubjectPublicKey`], from a SubjectPublicKeyInfo):
//! - SM2: `id-ecPublicKey` with `sm2p256v1`, or the SM2 OID as the key algorithm (GM/T 0015);
//! - RSA: `rsaEncryption` with an `RSAPublicKey` (RFC 8017 A.1.1); keys of 1024 to 8192 bits are
//!   usable, keys below 2048 bits are reported **weak** ([`SubjectPublicKey::weakness`]: callers
//!   turn a passing check into a `warn`);
//! - ECDSA: `id-ecPublicKey` with the named curves P-256 (`prime256v1`) or P-384 (`secp384r1`)
//!   (RFC 5480 §2.1.1.1).
//!
//! Algorithms ([`SignatureAlgorithm`]): SM2-with-SM3 (GM/T 0009, default user ID); RSASSA-PKCS1-v1_5
//! and RSASSA-PSS (RFC 8017 §8, RFC 4055 §3.1 parameters: hash, MGF1 hash, salt length, trailer
//! field 1 — the MGF1 hash must be the hash, and the salt length is enforced); ECDSA (RFC 5758
//! §3.2) with SHA-256, SHA-384 or SHA-512 on either curve (the DER `Ecdsa-Sig-Value`). In CMS the
//! signature algorithm may name only the key type (`rsaEncryption`, `id-ecPublicKey`, as OpenSSL
//! and others write it); the SignerInfo's digestAlgorithm gives the hash then.
//!
//! **SHA-1 policy:** a signature computed over SHA-1 (sha1WithRSAEncryption, ecdsa-with-SHA1, PSS
//! with SHA-1) is not checked: it is reported *unsupported*, so checks depending on it are
//! `indeterminate` with a message saying SHA-1 is not accepted (chosen collisions are practical
//! since 2020; a pass would promise what SHA-1 cannot hold, and a fail would call a possibly
//! genuine old document forged). Every unknown OID is *unsupported* too, with the OID named;
//! nothing here panics on hostile input.

use crate::asn1::{self, Element, Reader};
use crate::crypto::sm2;
use crate::error::{Error, ErrorKind, Result};
use crate::oid;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rsa::traits::PublicKeyParts;

// The algorithm OIDs under their older names here (the table is [`crate::oid`]).
pub use crate::oid::{
    ECDSA_WITH_SHA1, ECDSA_WITH_SHA256, ECDSA_WITH_SHA384, ECDSA_WITH_SHA512, RSA_ENCRYPTION,
    SM2_SIGN, SM2_WITH_SM3,
};
pub use crate::oid::{
    ID_EC_PUBLIC_KEY as EC_PUBLIC_KEY, ID_MGF1 as MGF1, ID_RSASSA_PSS as RSASSA_PSS,
    SECP256R1 as CURVE_P256, SECP384R1 as CURVE_P384, SHA1_WITH_RSA_ENCRYPTION as SHA1_WITH_RSA,
    SHA256_WITH_RSA_ENCRYPTION as SHA256_WITH_RSA, SHA384_WITH_RSA_ENCRYPTION as SHA384_WITH_RSA,
    SHA512_WITH_RSA_ENCRYPTION as SHA512_WITH_RSA, SM2 as SM2_CURVE,
};

/// Smallest RSA modulus verified, in bits (smaller keys are unsupported).
pub const RSA_MIN_BITS: usize = 1024;
/// Smallest RSA modulus not reported weak, in bits.
pub const RSA_STRONG_BITS: usize = 2048;
/// Largest RSA modulus accepted, in bits (bounds the work of hostile input).
pub const RSA_MAX_BITS: usize = 8192;

fn unsupported(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Unsupported, msg)
}

/// A message digest algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Digest {
    /// SM3 (GM/T 0004).
    Sm3,
    /// SHA-1 (recognised so it can be refused by name).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Digest {
    /// The digest named by an AlgorithmIdentifier OID, if known.
    pub fn from_oid(oid: &str) -> Option<Digest> {
        Some(match oid {
            oid::SM3 | oid::SM3_NO_KEY | oid::SM3_WITH_KEY => Digest::Sm3,
            oid::ID_SHA1 => Digest::Sha1,
            oid::ID_SHA256 => Digest::Sha256,
            oid::ID_SHA384 => Digest::Sha384,
            oid::ID_SHA512 => Digest::Sha512,
            _ => return None,
        })
    }

    /// The algorithm's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Digest::Sm3 => "SM3",
            Digest::Sha1 => "SHA-1",
            Digest::Sha256 => "SHA-256",
            Digest::Sha384 => "SHA-384",
            Digest::Sha512 => "SHA-512",
        }
    }

    /// The digest of `data`.
    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        let mut h = self.hasher();
        h.update(data);
        h.finish()
    }

    /// An incremental hasher.
    pub fn hasher(self) -> Hasher {
        use sha2::Digest as _;
        Hasher(match self {
            Digest::Sm3 => HasherInner::Sm3(<sm3::Sm3 as sm3::Digest>::new()),
            Digest::Sha1 => HasherInner::Sha1(sha1::Sha1::new()),
            Digest::Sha256 => HasherInner::Sha256(sha2::Sha256::new()),
            Digest::Sha384 => HasherInner::Sha384(sha2::Sha384::new()),
            Digest::Sha512 => HasherInner::Sha512(sha2::Sha512::new()),
        })
    }
}

/// An incremental hash of one of the [`Digest`] algorithms.
pub struct Hasher(HasherInner);

enum HasherInner {
    Sm3(sm3::Sm3),
    Sha1(sha1::Sha1),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    /// Feeds bytes.
    pub fn update(&mut self, data: &[u8]) {
        use sha2::Digest as _;
        match &mut self.0 {
            HasherInner::Sm3(h) => sm3::Digest::update(h, data),
            HasherInner::Sha1(h) => h.update(data),
            HasherInner::Sha256(h) => h.update(data),
            HasherInner::Sha384(h) => h.update(data),
            HasherInner::Sha512(h) => h.update(data),
        }
    }

    /// The digest.
    pub fn finish(self) -> Vec<u8> {
        use sha2::Digest as _;
        match self.0 {
            HasherInner::Sm3(h) => sm3::Digest::finalize(h).to_vec(),
            HasherInner::Sha1(h) => h.finalize().to_vec(),
            HasherInner::Sha256(h) => h.finalize().to_vec(),
            HasherInner::Sha384(h) => h.finalize().to_vec(),
            HasherInner::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// A subject public key usable for verification.
#[derive(Clone, Debug)]
pub enum SubjectPublicKey {
    /// SM2 (sm2p256v1).
    Sm2(sm2::PublicKey),
    /// RSA.
    Rsa(rsa::PublicKey),
    /// ECDSA on P-256.
    P256(p256::ecdsa::VerifyingKey),
    /// ECDSA on P-384.
    P384(p384::ecdsa::VerifyingKey),
}

impl PartialEq for SubjectPublicKey {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Sm2(a), Self::Sm2(b)) => a == b,
            (Self::Rsa(a), Self::Rsa(b)) => a.n() == b.n() && a.e() == b.e(),
            (Self::P256(a), Self::P256(b)) => a == b,
            (Self::P384(a), Self::P384(b)) => a == b,
            _ => false,
        }
    }
}

impl SubjectPublicKey {
    /// The key of a SubjectPublicKeyInfo given as its algorithm OID, the OID parameter (the
    /// named curve), and the BIT STRING contents (unused-bits byte first).
    pub fn from_spki_parts(alg: &str, param: Option<&str>, bits: &[u8]) -> Result<Self> {
        let key = match bits.split_first() {
            Some((0, k)) => k,
            _ => {
                return Err(Error::new(
                    ErrorKind::InvalidPublicKey,
                    "public key BIT STRING with unused bits",
                ));
            }
        };
        let bad_point = |curve: &str| {
            Error::new(
                ErrorKind::InvalidPublicKey,
                format!("public key is not a point on {curve}"),
            )
        };
        match (alg, param) {
            (SM2_CURVE, _) | (EC_PUBLIC_KEY, Some(SM2_CURVE)) => {
                Ok(Self::Sm2(sm2::PublicKey::from_sec1_bytes(key)?))
            }
            (EC_PUBLIC_KEY, Some(CURVE_P256)) => p256::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(Self::P256)
                .map_err(|_| bad_point("P-256")),
            (EC_PUBLIC_KEY, Some(CURVE_P384)) => p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(Self::P384)
                .map_err(|_| bad_point("P-384")),
            (EC_PUBLIC_KEY, p) => Err(unsupported(format!(
                "elliptic curve {} is not supported (SM2, P-256 and P-384 are)",
                p.unwrap_or("(not a named curve)")
            ))),
            (RSA_ENCRYPTION, _) => rsa_key(key).map(Self::Rsa),
            (a, p) => Err(unsupported(format!(
                "public key algorithm {a}{} is not supported",
                p.map(|p| format!(" ({p})")).unwrap_or_default()
            ))),
        }
    }

    /// "an SM2 key", "an RSA 2048-bit key", "an ECDSA P-256 key".
    pub fn describe(&self) -> String {
        match self {
            Self::Sm2(_) => "an SM2 key".into(),
            Self::Rsa(k) => format!("an RSA {}-bit key", k.n().bit_width()),
            Self::P256(_) => "an ECDSA P-256 key".into(),
            Self::P384(_) => "an ECDSA P-384 key".into(),
        }
    }

    /// Why the key is weak (RSA below [`RSA_STRONG_BITS`]), if it is.
    pub fn weakness(&self) -> Option<String> {
        match self {
            Self::Rsa(k) if (k.n().bit_width() as usize) < RSA_STRONG_BITS => Some(format!(
                "RSA key of {} bits is weak (fewer than {RSA_STRONG_BITS})",
                k.n().bit_width()
            )),
            _ => None,
        }
    }
}

/// Reads an `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
fn rsa_key(der: &[u8]) -> Result<rsa::PublicKey> {
    let invalid = |m: &str| Error::new(ErrorKind::InvalidPublicKey, format!("RSA key: {m}"));
    let top = asn1::parse_single(der).map_err(|e| invalid(e.detail()))?;
    if top.tag != asn1::SEQUENCE {
        return Err(invalid("not a SEQUENCE"));
    }
    let mut r = top.reader();
    let n = r.read(asn1::INTEGER).map_err(|e| invalid(e.detail()))?;
    let e = r.read(asn1::INTEGER).map_err(|e| invalid(e.detail()))?;
    r.finish().map_err(|e| invalid(e.detail()))?;
    let strip = |v: &'_ [u8]| -> Result<Vec<u8>> {
        match v {
            [] => Err(invalid("empty INTEGER")),
            [b, ..] if b & 0x80 != 0 => Err(invalid("negative INTEGER")),
            _ => Ok(v.iter().copied().skip_while(|&b| b == 0).collect()),
        }
    };
    let (n, e) = (strip(n)?, strip(e)?);
    let bits = n
        .first()
        .map_or(0, |b| 8 * n.len() - b.leading_zeros() as usize);
    if bits < RSA_MIN_BITS {
        return Err(unsupported(format!(
            "RSA key of {bits} bits is too small to verify (fewer than {RSA_MIN_BITS})"
        )));
    }
    if bits > RSA_MAX_BITS || e.len() > 8 {
        return Err(unsupported(format!(
            "RSA key of {bits} bits is larger than the {RSA_MAX_BITS}-bit limit"
        )));
    }
    rsa::PublicKey::new_with_size_limits(
        rsa::BoxedUint::from_be_slice_vartime(&n),
        rsa::BoxedUint::from_be_slice_vartime(&e),
        RSA_MIN_BITS..=RSA_MAX_BITS,
    )
    .map_err(|e| invalid(&e.to_string()))
}

/// A signature algorithm with its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// SM2 with SM3, default user ID `1234567812345678`.
    Sm2Sm3,
    /// RSASSA-PKCS1-v1_5 with a hash.
    RsaPkcs1(Digest),
    /// RSASSA-PSS; MGF1 uses the same hash.
    RsaPss {
        /// Hash (and MGF1 hash).
        hash: Digest,
        /// Salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA with a hash.
    Ecdsa(Digest),
}

fn sha2_only(d: Digest, what: &str) -> Result<Digest> {
    match d {
        Digest::Sha256 | Digest::Sha384 | Digest::Sha512 => Ok(d),
        Digest::Sha1 => Err(unsupported(format!(
            "{what} with SHA-1 is not accepted (SHA-1 collisions are practical)"
        ))),
        Digest::Sm3 => Err(unsupported(format!("{what} with SM3 is not supported"))),
    }
}

/// Reads an AlgorithmIdentifier naming a hash (parameters NULL or absent).
fn hash_identifier(el: &Element<'_>) -> Result<Digest> {
    let mut r = el.reader();
    let oid = r.read_oid()?;
    Digest::from_oid(&oid).ok_or_else(|| unsupported(format!("hash algorithm {oid} is unknown")))
}

/// RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 hash, salt length, trailer field.
fn pss_params(params: Option<&Element<'_>>) -> Result<SignatureAlgorithm> {
    let malformed =
        |m: String| Error::new(ErrorKind::MalformedDer, format!("RSASSA-PSS-params: {m}"));
    let (mut hash, mut mgf_hash, mut salt_len, mut trailer) = (Digest::Sha1, Digest::Sha1, 20, 1);
    if let Some(p) = params {
        if p.tag != asn1::SEQUENCE {
            return Err(malformed("not a SEQUENCE".into()));
        }
        let mut r = p.reader();
        if let Some(h) = r.read_optional(asn1::context(0))? {
            hash = hash_identifier(&h.reader().read_element(asn1::SEQUENCE)?)?;
        }
        if let Some(m) = r.read_optional(asn1::context(1))? {
            let mut mr = m.reader().read_sequence()?;
            let oid = mr.read_oid()?;
            if oid != MGF1 {
                return Err(unsupported(format!(
                    "RSASSA-PSS mask generation function {oid} is not MGF1"
                )));
            }
            mgf_hash = hash_identifier(&mr.read_element(asn1::SEQUENCE)?)?;
        }
        if let Some(s) = r.read_optional(asn1::context(2))? {
            let v = s.reader().read_small_int()?;
            salt_len = usize::try_from(v)
                .ok()
                .filter(|&v| v <= 1024)
                .ok_or_else(|| malformed(format!("salt length {v}")))?;
        }
        if let Some(t) = r.read_optional(asn1::context(3))? {
            trailer = t.reader().read_small_int()?;
        }
        r.finish().map_err(|e| malformed(e.detail().into()))?;
    }
    if trailer != 1 {
        return Err(malformed(format!("trailer field {trailer} is not 1")));
    }
    let hash = sha2_only(hash, "RSASSA-PSS")?;
    if mgf_hash != hash {
        return Err(unsupported(format!(
            "RSASSA-PSS with MGF1 over {} but hash {} is not supported",
            mgf_hash.name(),
            hash.name()
        )));
    }
    Ok(SignatureAlgorithm::RsaPss { hash, salt_len })
}

impl SignatureAlgorithm {
    /// The algorithm of an AlgorithmIdentifier (`oid` with its parameters element, if any).
    /// `cms_digest` is the SignerInfo digestAlgorithm, used when the OID names only the key type
    /// (`rsaEncryption`, `id-ecPublicKey`); pass `None` for certificates and CRLs.
    pub fn from_identifier(
        oid: &str,
        params: Option<&Element<'_>>,
        cms_digest: Option<&str>,
    ) -> Result<Self> {
        let digest = || -> Result<Digest> {
            let d = cms_digest
                .ok_or_else(|| unsupported(format!("signature algorithm {oid} names no hash")))?;
            Digest::from_oid(d)
                .ok_or_else(|| unsupported(format!("digest algorithm {d} is unknown")))
        };
        Ok(match oid {
            SM2_WITH_SM3 | SM2_SIGN | SM2_CURVE => SignatureAlgorithm::Sm2Sm3,
            SHA256_WITH_RSA => Self::RsaPkcs1(Digest::Sha256),
            SHA384_WITH_RSA => Self::RsaPkcs1(Digest::Sha384),
            SHA512_WITH_RSA => Self::RsaPkcs1(Digest::Sha512),
            SHA1_WITH_RSA => Self::RsaPkcs1(sha2_only(Digest::Sha1, "RSA")?),
            RSA_ENCRYPTION => Self::RsaPkcs1(sha2_only(digest()?, "RSA")?),
            RSASSA_PSS => pss_params(params)?,
            ECDSA_WITH_SHA256 => Self::Ecdsa(Digest::Sha256),
            ECDSA_WITH_SHA384 => Self::Ecdsa(Digest::Sha384),
            ECDSA_WITH_SHA512 => Self::Ecdsa(Digest::Sha512),
            ECDSA_WITH_SHA1 => Self::Ecdsa(sha2_only(Digest::Sha1, "ECDSA")?),
            EC_PUBLIC_KEY => Self::Ecdsa(sha2_only(digest()?, "ECDSA")?),
            other => {
                return Err(unsupported(format!(
                    "signature algorithm {other} is not supported"
                )));
            }
        })
    }

    /// Reads an AlgorithmIdentifier from `r` (see [`Self::from_identifier`]).
    pub fn read(r: &mut Reader<'_>, cms_digest: Option<&str>) -> Result<Self> {
        let (oid, params) = read_identifier(r)?;
        Self::from_identifier(&oid, params.as_ref(), cms_digest)
    }

    /// A name for messages: "SM2-with-SM3", "RSA PKCS#1 v1.5 with SHA-256", "RSA-PSS with
    /// SHA-384 (salt 48)", "ECDSA with SHA-256".
    pub fn name(&self) -> String {
        match self {
            Self::Sm2Sm3 => "SM2-with-SM3".into(),
            Self::RsaPkcs1(d) => format!("RSA PKCS#1 v1.5 with {}", d.name()),
            Self::RsaPss { hash, salt_len } => {
                format!("RSA-PSS with {} (salt {salt_len})", hash.name())
            }
            Self::Ecdsa(d) => format!("ECDSA with {}", d.name()),
        }
    }

    /// Verifies `sig` over `msg` with `key`. Errors: `BadSignature` when the signature does not
    /// verify or does not fit the key type, `Unsupported` when it cannot be checked.
    pub fn verify(&self, key: &SubjectPublicKey, msg: &[u8], sig: &[u8]) -> Result<()> {
        let bad = || {
            Error::new(
                ErrorKind::BadSignature,
                format!("{} signature does not verify", self.name()),
            )
        };
        let mismatch = || {
            Error::new(
                ErrorKind::BadSignature,
                format!(
                    "a {} signature cannot be made by {}",
                    self.name(),
                    key.describe()
                ),
            )
        };
        match (self, key) {
            (Self::Sm2Sm3, SubjectPublicKey::Sm2(k)) => {
                let sig = sm2::Signature::from_bytes(sig)?;
                crate::crypto::sm2_verify::verify_cached(k, sm2::DEFAULT_ID, msg, &sig)
            }
            (Self::RsaPkcs1(d), SubjectPublicKey::Rsa(k)) => {
                let scheme = match d {
                    Digest::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    Digest::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    Digest::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                    _ => return Err(unsupported(format!("RSA with {}", d.name()))),
                };
                k.verify(scheme, &d.hash(msg), sig).map_err(|_| bad())
            }
            (Self::RsaPss { hash, salt_len }, SubjectPublicKey::Rsa(k)) => {
                let h = hash.hash(msg);
                let r = match hash {
                    Digest::Sha256 => {
                        k.verify(rsa::Pss::<sha2::Sha256>::new_with_salt(*salt_len), &h, sig)
                    }
                    Digest::Sha384 => {
                        k.verify(rsa::Pss::<sha2::Sha384>::new_with_salt(*salt_len), &h, sig)
                    }
                    Digest::Sha512 => {
                        k.verify(rsa::Pss::<sha2::Sha512>::new_with_salt(*salt_len), &h, sig)
                    }
                    _ => return Err(unsupported(format!("RSA-PSS with {}", hash.name()))),
                };
                r.map_err(|_| bad())
            }
            (Self::Ecdsa(d), SubjectPublicKey::P256(k)) => {
                let s = p256::ecdsa::Signature::from_der(sig).map_err(|_| bad())?;
                k.verify_prehash(&d.hash(msg), &s).map_err(|_| bad())
            }
            (Self::Ecdsa(d), SubjectPublicKey::P384(k)) => {
                let s = p384::ecdsa::Signature::from_der(sig).map_err(|_| bad())?;
                k.verify_prehash(&d.hash(msg), &s).map_err(|_| bad())
            }
            _ => Err(mismatch()),
        }
    }
}

/// Reads an AlgorithmIdentifier: its OID and its parameters element (absent or any).
pub fn read_identifier<'a>(r: &mut Reader<'a>) -> Result<(String, Option<Element<'a>>)> {
    let mut a = r.read_sequence()?;
    let oid = a.read_oid()?;
    let params = if a.is_empty() {
        None
    } else {
        Some(a.read_any()?)
    };
    a.finish()?;
    Ok((oid, params))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_sha1_are_unsupported() {
        for oid in [
            SHA1_WITH_RSA,
            ECDSA_WITH_SHA1,
            "1.2.3.4",
            "1.2.840.113549.1.1.14",
        ] {
            let e = SignatureAlgorithm::from_identifier(oid, None, None).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Unsupported, "{oid}");
        }
        let e = SignatureAlgorithm::from_identifier("1.2.3.4", None, None).unwrap_err();
        assert!(e.detail().contains("1.2.3.4"));
        // PSS without parameters means SHA-1.
        let e = SignatureAlgorithm::from_identifier(RSASSA_PSS, None, None).unwrap_err();
        assert!(e.detail().contains("SHA-1"), "{e}");
        // rsaEncryption in CMS takes the digest algorithm.
        assert_eq!(
            SignatureAlgorithm::from_identifier(
                RSA_ENCRYPTION,
                None,
                Some("2.16.840.1.101.3.4.2.2")
            )
            .unwrap(),
            SignatureAlgorithm::RsaPkcs1(Digest::Sha384)
        );
    }

    #[test]
    fn garbage_keys_do_not_panic() {
        for bits in [
            &[][..],
            &[0],
            &[1, 2],
            &[0, 0x30, 0],
            &[0, 0x30, 3, 2, 1, 0],
        ] {
            for (a, p) in [
                (RSA_ENCRYPTION, None),
                (EC_PUBLIC_KEY, Some(CURVE_P256)),
                (EC_PUBLIC_KEY, Some(CURVE_P384)),
                (EC_PUBLIC_KEY, Some("1.3.132.0.35")),
            ] {
                assert!(SubjectPublicKey::from_spki_parts(a, p, bits).is_err());
            }
        }
    }
}
