//! SM2 digital signatures (GB/T 32918.2 / GM/T 0003.2) with the user ID rules of GM/T 0009.
//!
//! Signing computes `e = SM3(Z_A || M)` where `Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G
//! || x_A || y_A)`; the ID defaults to [`DEFAULT_ID`] (`1234567812345678`, ENTL 0x0080) and may
//! be any byte string the caller gives. Signatures are written as DER `SEQUENCE { r, s }` and
//! read as DER or as a raw 64-byte `r || s`; r and s must lie in `[1, n-1]`.
//!
//! Signing ([`super::sm2_sign`]) uses constant-time arithmetic (RustCrypto's field and scalar
//! types, a fixed-base comb with masked table selection) with a hedged nonce: RFC 6979
//! derivation mixed with fresh randomness, so k is never reused nor chosen by the caller. The
//! key is prepared once, when the [`PrivateKey`] is made.

use crate::error::{Error, ErrorKind, Result};
use ::sm2::elliptic_curve::sec1::ToSec1Point;
use ::sm2::elliptic_curve::{Generate, PrimeField};
use sm3::Digest;
use zeroize::Zeroizing;

/// The default SM2 user ID of GM/T 0009 / GB/T 35276.
pub const DEFAULT_ID: &[u8] = b"1234567812345678";

/// Curve coefficient a, big-endian.
const A: [u8; 32] = hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
/// Curve coefficient b, big-endian.
const B: [u8; 32] = hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
/// Base point x, big-endian.
const GX: [u8; 32] = hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
/// Base point y, big-endian.
const GY: [u8; 32] = hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
/// Group order n, big-endian.
pub const ORDER: [u8; 32] =
    hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

const fn hex32(s: &str) -> [u8; 32] {
    let b = s.as_bytes();
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = (nib(b[2 * i]) << 4) | nib(b[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nib(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => panic!("bad hex"),
    }
}

/// An SM2 public key: a point on the curve, not the identity.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: ::sm2::PublicKey,
    /// Uncompressed SEC1 encoding `04 || x || y`.
    sec1: [u8; 65],
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey(")?;
        for b in &self.sec1 {
            write!(f, "{b:02x}")?;
        }
        write!(f, ")")
    }
}

impl PublicKey {
    /// Parses a SEC1 point (uncompressed `04‖x‖y`, or compressed `02/03‖x`), checking it lies on
    /// the curve and is not the identity. A bare 64-byte `x‖y` (as some vendors store it) is
    /// accepted too.
    pub fn from_sec1_bytes(bytes: &[u8]) -> Result<Self> {
        let owned;
        let bytes = if bytes.len() == 64 {
            let mut v = Vec::with_capacity(65);
            v.push(4);
            v.extend_from_slice(bytes);
            owned = v;
            &owned[..]
        } else {
            bytes
        };
        let inner = ::sm2::PublicKey::from_sec1_bytes(bytes)
            .map_err(|_| Error::new(ErrorKind::InvalidPublicKey, "not a point on the SM2 curve"))?;
        Ok(Self::from_inner(inner))
    }

    fn from_inner(inner: ::sm2::PublicKey) -> Self {
        let p = inner.to_sec1_point(false);
        let mut sec1 = [0u8; 65];
        sec1.copy_from_slice(p.as_bytes());
        PublicKey { inner, sec1 }
    }

    /// Uncompressed SEC1 encoding `04 || x || y`.
    pub fn to_sec1_uncompressed(&self) -> [u8; 65] {
        self.sec1
    }

    /// The affine x coordinate, big-endian.
    pub fn x(&self) -> &[u8] {
        &self.sec1[1..33]
    }

    /// The affine y coordinate, big-endian.
    pub fn y(&self) -> &[u8] {
        &self.sec1[33..65]
    }

    /// The RustCrypto key (for code that needs the curve arithmetic).
    pub fn as_inner(&self) -> &::sm2::PublicKey {
        &self.inner
    }

    /// `Z_A` for this key and user `id` (GB/T 32918.2 §5.5).
    pub fn z(&self, id: &[u8]) -> Result<[u8; 32]> {
        let entl: u16 = id
            .len()
            .checked_mul(8)
            .and_then(|l| u16::try_from(l).ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    "SM2 user ID longer than 8191 bytes",
                )
            })?;
        let mut h = sm3::Sm3::new();
        h.update(entl.to_be_bytes());
        h.update(id);
        h.update(A);
        h.update(B);
        h.update(GX);
        h.update(GY);
        h.update(self.x());
        h.update(self.y());
        Ok(h.finalize().into())
    }

    /// The message digest `e = SM3(Z_A || M)` that the signature actually signs.
    pub fn digest(&self, id: &[u8], msg: &[u8]) -> Result<[u8; 32]> {
        let z = self.z(id)?;
        let mut h = sm3::Sm3::new();
        h.update(z);
        h.update(msg);
        Ok(h.finalize().into())
    }

    /// A streaming hasher already fed with `Z_A`: update it with the message, then finalize to
    /// get `e`.
    pub fn digest_hasher(&self, id: &[u8]) -> Result<sm3::Sm3> {
        let z = self.z(id)?;
        let mut h = sm3::Sm3::new();
        h.update(z);
        Ok(h)
    }

    /// Verifies `sig` over `msg` with user `id`.
    pub fn verify(&self, id: &[u8], msg: &[u8], sig: &Signature) -> Result<()> {
        let e = self.digest(id, msg)?;
        self.verify_digest(&e, sig)
    }

    /// Verifies `sig` over `msg` with the default user ID.
    pub fn verify_default(&self, msg: &[u8], sig: &Signature) -> Result<()> {
        self.verify(DEFAULT_ID, msg, sig)
    }

    /// Verifies `sig` over an already computed digest `e = SM3(Z_A || M)`.
    pub fn verify_digest(&self, e: &[u8; 32], sig: &Signature) -> Result<()> {
        // Variable-time fast path: verification only handles public data.
        if super::sm2_verify::verify_prehash(self, e, sig) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::BadSignature,
                "SM2 signature does not verify",
            ))
        }
    }
}

/// An SM2 signature value (r, s), both in `[1, n-1]`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Signature {
    r: [u8; 32],
    s: [u8; 32],
}

fn in_range(v: &[u8; 32]) -> bool {
    v.iter().any(|&b| b != 0) && v.as_slice() < ORDER.as_slice()
}

impl Signature {
    /// A signature from big-endian r and s, range-checked.
    pub fn from_scalars(r: [u8; 32], s: [u8; 32]) -> Result<Self> {
        if !in_range(&r) || !in_range(&s) {
            return Err(Error::new(
                ErrorKind::MalformedSignature,
                "r or s outside [1, n-1]",
            ));
        }
        Ok(Signature { r, s })
    }

    /// Parses a raw 64-byte `r || s`.
    pub fn from_raw(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != 64 {
            return Err(Error::new(
                ErrorKind::MalformedSignature,
                format!("raw SM2 signature must be 64 bytes, got {}", bytes.len()),
            ));
        }
        let mut r = [0u8; 32];
        let mut s = [0u8; 32];
        r.copy_from_slice(&bytes[..32]);
        s.copy_from_slice(&bytes[32..]);
        Self::from_scalars(r, s)
    }

    /// Parses DER `SEQUENCE { r INTEGER, s INTEGER }`, strictly (minimal, positive integers).
    pub fn from_der(bytes: &[u8]) -> Result<Self> {
        let bad = |m: &str| Error::new(ErrorKind::MalformedSignature, m.to_string());
        let (tag, body, rest) =
            crate::asn1::read_tlv(bytes).map_err(|_| bad("not a DER SEQUENCE"))?;
        if tag != 0x30 || !rest.is_empty() {
            return Err(bad("not a DER SEQUENCE"));
        }
        let (t1, r, rest) = crate::asn1::read_tlv(body).map_err(|_| bad("missing r"))?;
        let (t2, s, rest) = crate::asn1::read_tlv(rest).map_err(|_| bad("missing s"))?;
        if t1 != 0x02 || t2 != 0x02 || !rest.is_empty() {
            return Err(bad("expected two INTEGERs"));
        }
        Self::from_scalars(
            uint32(r).ok_or_else(|| bad("r is not a 256-bit positive INTEGER"))?,
            uint32(s).ok_or_else(|| bad("s is not a 256-bit positive INTEGER"))?,
        )
    }

    /// Parses either encoding: DER when the bytes are a SEQUENCE, else raw 64-byte `r || s`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        if bytes.first() == Some(&0x30)
            && let Ok(s) = Self::from_der(bytes)
        {
            return Ok(s);
        }
        if bytes.len() == 64 {
            return Self::from_raw(bytes);
        }
        Self::from_der(bytes)
    }

    /// DER encoding `SEQUENCE { r INTEGER, s INTEGER }`.
    pub fn to_der(&self) -> Vec<u8> {
        let mut body = Vec::with_capacity(72);
        crate::asn1::write_uint(&mut body, &self.r);
        crate::asn1::write_uint(&mut body, &self.s);
        let mut out = Vec::with_capacity(body.len() + 2);
        crate::asn1::write_tlv(&mut out, 0x30, &body);
        out
    }

    /// Raw 64-byte `r || s`.
    pub fn to_raw(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.r);
        out[32..].copy_from_slice(&self.s);
        out
    }

    /// r, big-endian.
    pub fn r(&self) -> &[u8; 32] {
        &self.r
    }

    /// s, big-endian.
    pub fn s(&self) -> &[u8; 32] {
        &self.s
    }
}

/// A DER INTEGER body as a 32-byte unsigned big-endian value; None when negative, non-minimal
/// or longer than 256 bits.
fn uint32(body: &[u8]) -> Option<[u8; 32]> {
    if body.is_empty() || body[0] & 0x80 != 0 {
        return None;
    }
    if body.len() > 1 && body[0] == 0 && body[1] & 0x80 == 0 {
        return None;
    }
    let v = if body[0] == 0 { &body[1..] } else { body };
    if v.len() > 32 {
        return None;
    }
    let mut out = [0u8; 32];
    out[32 - v.len()..].copy_from_slice(v);
    Some(out)
}

/// An SM2 private key. The scalar is zeroized when the key is dropped (the RustCrypto type
/// zeroizes on drop) and never printed.
#[derive(Clone)]
pub struct PrivateKey {
    inner: ::sm2::SecretKey,
    public: PublicKey,
    /// d and (1 + d)⁻¹, prepared once for signing.
    signing: super::sm2_sign::SigningScalar,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// A key from its 32-byte big-endian scalar, which must lie in `[1, n-1]`.
    pub fn from_bytes(d: &[u8]) -> Result<Self> {
        let bad = || Error::new(ErrorKind::InvalidPrivateKey, "SM2 private key out of range");
        if d.len() > 32 {
            // Some encoders write a leading zero byte.
            let (zeros, rest) = d.split_at(d.len() - 32);
            if zeros.iter().any(|&b| b != 0) {
                return Err(bad());
            }
            return Self::from_bytes(rest);
        }
        let mut buf = Zeroizing::new([0u8; 32]);
        buf[32 - d.len()..].copy_from_slice(d);
        let inner = ::sm2::SecretKey::from_slice(buf.as_ref()).map_err(|_| bad())?;
        Ok(Self::from_inner(inner))
    }

    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<Self> {
        let inner = ::sm2::SecretKey::try_generate()
            .map_err(|_| Error::new(ErrorKind::Rng, "operating system RNG failed"))?;
        Ok(Self::from_inner(inner))
    }

    fn from_inner(inner: ::sm2::SecretKey) -> Self {
        let signing = super::sm2_sign::SigningScalar::new(inner.to_nonzero_scalar());
        // d·G through the constant-time comb (the same table signing uses).
        let point = super::sm2_sign::mul_generator_ct(&inner.to_nonzero_scalar());
        let public = ::sm2::PublicKey::from_affine(point).unwrap_or_else(|_| inner.public_key());
        PrivateKey {
            public: PublicKey::from_inner(public),
            inner,
            signing,
        }
    }

    /// The 32-byte big-endian scalar, in a buffer zeroized on drop.
    pub fn to_bytes(&self) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        out.copy_from_slice(&self.inner.to_bytes());
        out
    }

    /// The public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// Signs the digest `e = SM3(Z_A || M)` with a hedged nonce (RFC 6979 mixed with fresh
    /// operating-system randomness).
    pub fn sign_digest(&self, e: &[u8; 32]) -> Result<Signature> {
        let mut extra = Zeroizing::new([0u8; 32]);
        getrandom::fill(extra.as_mut())
            .map_err(|_| Error::new(ErrorKind::Rng, "operating system RNG failed"))?;
        let (r, s) = self.signing.sign_digest_with(e, extra.as_ref())?;
        Signature::from_scalars(r, s)
    }

    /// Signs `msg` with user `id`.
    pub fn sign(&self, id: &[u8], msg: &[u8]) -> Result<Signature> {
        let e = self.public.digest(id, msg)?;
        self.sign_digest(&e)
    }

    /// The RustCrypto secret key.
    pub fn as_inner(&self) -> &::sm2::SecretKey {
        &self.inner
    }

    /// The scalar as a field element check helper: true when `d` equals this key's scalar.
    pub fn matches_public(&self, pk: &PublicKey) -> bool {
        &self.public == pk
    }
}

#[allow(dead_code)]
fn _assert_field(_: ::sm2::Scalar) -> bool {
    ::sm2::Scalar::NUM_BITS == 256
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_round_trip_with_ids() {
        let k = PrivateKey::generate().unwrap();
        let sig = k.sign(DEFAULT_ID, b"hello").unwrap();
        k.public_key().verify_default(b"hello", &sig).unwrap();
        assert!(k.public_key().verify(b"", b"hello", &sig).is_err());
        assert!(k.public_key().verify_default(b"hellO", &sig).is_err());
        let sig2 = k.sign(b"alice@example", b"hello").unwrap();
        k.public_key()
            .verify(b"alice@example", b"hello", &sig2)
            .unwrap();
        // Fresh nonce each time.
        assert_ne!(
            k.sign(DEFAULT_ID, b"x").unwrap(),
            k.sign(DEFAULT_ID, b"x").unwrap()
        );
    }

    #[test]
    fn encodings() {
        let k = PrivateKey::generate().unwrap();
        let sig = k.sign(DEFAULT_ID, b"m").unwrap();
        assert_eq!(Signature::from_bytes(&sig.to_der()).unwrap(), sig);
        assert_eq!(Signature::from_bytes(&sig.to_raw()).unwrap(), sig);
        assert!(Signature::from_raw(&[0u8; 64]).is_err());
        let mut n = [0u8; 64];
        n[..32].copy_from_slice(&ORDER);
        n[63] = 1;
        assert!(Signature::from_raw(&n).is_err());
        assert!(Signature::from_bytes(&[0x30, 0x00]).is_err());
        assert!(Signature::from_bytes(&[]).is_err());
    }

    #[test]
    fn key_round_trip() {
        let k = PrivateKey::generate().unwrap();
        let k2 = PrivateKey::from_bytes(k.to_bytes().as_ref()).unwrap();
        assert_eq!(k.public_key(), k2.public_key());
        let pk = PublicKey::from_sec1_bytes(&k.public_key().to_sec1_uncompressed()).unwrap();
        assert_eq!(&pk, k.public_key());
        assert!(PublicKey::from_sec1_bytes(&[4u8; 65]).is_err());
        assert!(PrivateKey::from_bytes(&[0u8; 32]).is_err());
        assert!(PrivateKey::from_bytes(&ORDER).is_err());
    }
}
