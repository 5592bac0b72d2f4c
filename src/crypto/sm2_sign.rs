//! Constant-time SM2 signing (GB/T 32918.2-2016 §6.1, steps A1–A7) with the key prepared once.
//!
//! A [`SigningScalar`] holds the private scalar d and `(1 + d)⁻¹ mod n`, computed once when the
//! key is loaded (the old path rebuilt a RustCrypto `SigningKey` on every call, recomputing d·G
//! and a `Z_A`). Each signature then costs:
//!
//! - A3: the nonce k, hedged as before (DESIGN §3): RFC 6979 HMAC-DRBG over SM3 keyed by d and
//!   e, with 32 fresh bytes from the operating system as additional data, so k is neither
//!   reused nor predictable even if the generator fails;
//! - A4: `[k]G` by a fixed-base comb: signed 6-bit windows of k, 43 windows, a table of
//!   `j·2^(6i)·G` for `j ∈ [1, 32]` in affine form (≈ 88 KB, built once per process), one
//!   complete mixed addition per window and no doubling;
//! - A5–A6: `r = (e + x1) mod n` and `s = (1 + d)⁻¹·(k − r·d) mod n` in RustCrypto's
//!   constant-time scalar arithmetic.
//!
//! # Constant time
//!
//! Every value derived from d or k goes only through RustCrypto's constant-time field and scalar
//! arithmetic (`sm2`/`primeorder`: complete formulas, no secret-dependent branch or index).
//! The comb's table lookup reads all 32 entries of the window and keeps the wanted one by mask
//! ([`subtle::ConditionallySelectable`]); the digit's sign is applied by a masked negation; the
//! window recoding is branch-free arithmetic. The only branches are on public outcomes
//! (r = 0, r + k = n, s = 0, each of probability ≈ 2⁻²⁵⁶, which restart with the next k).
//!
//! How this is checked: `constant_time_signing_dudect` in `tests/sm2_differential.rs` (on
//! demand, `ESEAL_CT=1`) runs a dudect-style
//! fixed-versus-random test: it times `sign_digest` for a fixed key/nonce class against
//! random ones in interleaved random order and fails when Welch's t exceeds 4.5 (the dudect
//! threshold); the run and its t values are recorded in the report of issue 16.
//!
//! # Why secret scalars never reach the variable-time verifier
//!
//! The fast verifier (`super::sm2_verify`) branches and indexes on its inputs. It is kept away
//! from secrets by types, not by convention: its field, point and table types live in private
//! submodules of `sm2_verify` that this module cannot name, its only entry points take a
//! [`PublicKey`](super::sm2::PublicKey), a digest and a signature (public values), and the
//! private scalar lives in [`SigningScalar`] as a RustCrypto [`NonZeroScalar`], which exposes
//! no limbs and has no conversion into anything `sm2_verify` accepts. Signing's own point type
//! (RustCrypto's [`ProjectivePoint`]) is distinct from the verifier's, so mixing them up does
//! not compile.

use crate::error::{Error, ErrorKind, Result};
use ::sm2::elliptic_curve::bigint::U256;
use ::sm2::elliptic_curve::ops::Reduce;
use ::sm2::elliptic_curve::point::AffineCoordinates;
use ::sm2::elliptic_curve::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use ::sm2::elliptic_curve::{Curve, PrimeField};
use ::sm2::{AffinePoint, FieldBytes, NonZeroScalar, ProjectivePoint, Scalar, Sm2};
use std::sync::OnceLock;
use zeroize::Zeroize;

/// Comb window width in bits.
const W: usize = 6;
/// Windows covering a scalar below n < 2^256 with signed digits (43·6 = 258 bits: the top
/// window holds bits 252–255 plus a carry, at most 16, so no digit overflows).
const WINDOWS: usize = 43;
/// Table entries per window: `j·2^(6i)·G` for `j ∈ [1, 32]`.
const PER: usize = 1 << (W - 1);

/// The comb table of G: `entries[i·PER + j − 1] = j·2^(W·i)·G`, affine.
struct CombTable {
    entries: Vec<AffinePoint>,
}

impl CombTable {
    fn new() -> CombTable {
        use ::sm2::elliptic_curve::group::{Curve as _, Group as _};
        let mut proj = Vec::with_capacity(WINDOWS * PER);
        let mut base = ProjectivePoint::GENERATOR;
        for _ in 0..WINDOWS {
            let mut m = base;
            proj.push(m);
            for _ in 1..PER {
                m += base;
                proj.push(m);
            }
            // m = PER·base = 2^(W−1)·base; the next window's base is 2^W·base.
            base = m.double();
        }
        let mut entries = vec![AffinePoint::IDENTITY; proj.len()];
        ProjectivePoint::batch_normalize(&proj, &mut entries);
        CombTable { entries }
    }

    /// `[k]G` for the little-endian bytes of k (k < n), in constant time.
    fn mul(&self, k_le: &[u8; 32]) -> ProjectivePoint {
        let mut digits = [0i8; WINDOWS];
        recode(k_le, &mut digits);
        let mut acc = ProjectivePoint::IDENTITY;
        for (i, &d) in digits.iter().enumerate() {
            let d = d as i64;
            let sign = (d >> 63) & 1; // 1 when negative
            let abs = ((d ^ -sign) + sign) as u64; // |d| without a branch
            let window = &self.entries[i * PER..(i + 1) * PER];
            let mut sel = AffinePoint::IDENTITY;
            for (j, e) in window.iter().enumerate() {
                // Every entry is read; the one with j + 1 = |d| is kept by mask.
                sel.conditional_assign(e, (j as u64 + 1).ct_eq(&abs));
            }
            let neg = -sel;
            sel.conditional_assign(&neg, Choice::from(sign as u8));
            acc += sel;
        }
        digits.zeroize();
        acc
    }
}

/// Signed radix-2^W recoding of a 256-bit little-endian k: `k = Σ d_i·2^(W·i)` with
/// `d_i ∈ [−31, 32]`, computed without branches or secret-dependent indexing.
fn recode(k_le: &[u8; 32], out: &mut [i8; WINDOWS]) {
    let mut limbs = [0u64; 5];
    for (i, l) in limbs[..4].iter_mut().enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(&k_le[8 * i..8 * i + 8]);
        *l = u64::from_le_bytes(b);
    }
    let mut carry = 0i64;
    for (i, d) in out.iter_mut().enumerate() {
        let bit = i * W;
        let (limb, off) = (bit / 64, bit % 64);
        // Public positions: the index depends on i only.
        let lo = limbs[limb] >> off;
        let hi = if off + W > 64 {
            limbs[limb + 1] << (64 - off)
        } else {
            0
        };
        let v = ((lo | hi) & ((1 << W) - 1)) as i64 + carry;
        // c = 1 when v > 32: subtract 64 and carry one into the next window.
        let c = ((32 - v) >> 63) & 1;
        *d = (v - (c << W)) as i8;
        carry = c;
    }
    limbs.zeroize();
}

fn comb_table() -> &'static CombTable {
    static TABLE: OnceLock<CombTable> = OnceLock::new();
    TABLE.get_or_init(CombTable::new)
}

/// `[k]G` through the constant-time comb (for tests and the differential harness).
#[doc(hidden)]
pub fn mul_generator_ct(k: &NonZeroScalar) -> AffinePoint {
    let mut le: [u8; 32] = k.to_repr().into();
    le.reverse();
    let p = comb_table().mul(&le);
    le.zeroize();
    p.to_affine()
}

/// A private scalar prepared for signing: d and `(1 + d)⁻¹ mod n`. Both are zeroized on drop.
#[derive(Clone)]
pub struct SigningScalar {
    d: NonZeroScalar,
    /// `(1 + d)⁻¹ mod n`; None only for d = n − 1, which GB/T 32918.1 §6.1 excludes.
    d1_inv: Option<Scalar>,
}

impl Drop for SigningScalar {
    fn drop(&mut self) {
        if let Some(s) = self.d1_inv.as_mut() {
            s.zeroize();
        }
        // NonZeroScalar's zeroize sets it to one.
        self.d.zeroize();
    }
}

impl SigningScalar {
    /// Prepares `d`.
    pub fn new(d: NonZeroScalar) -> SigningScalar {
        let d1_inv = Option::<Scalar>::from((*d + Scalar::ONE).invert());
        SigningScalar { d, d1_inv }
    }

    /// Signs the digest `e = SM3(Z_A ‖ M)` (GB/T 32918.2 §6.1 A3–A7) with a hedged nonce:
    /// `extra` is mixed into the RFC 6979 derivation (32 fresh random bytes in normal use).
    /// Returns big-endian (r, s).
    pub fn sign_digest_with(&self, e: &[u8; 32], extra: &[u8]) -> Result<([u8; 32], [u8; 32])> {
        let d1_inv = self.d1_inv.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidPrivateKey,
                "SM2 private key n − 1 cannot sign (GB/T 32918.1 §6.1)",
            )
        })?;
        let e_s = <Scalar as Reduce<U256>>::reduce(&U256::from_be_slice(e));
        let mut d_bytes = self.d.to_repr();
        let mut kgen = rfc6979::KGenerator::<::sm3::Sm3, _>::new(
            &d_bytes,
            &e_s.to_repr(),
            extra,
            Sm2::ORDER.as_ref(),
        );
        d_bytes.zeroize();
        // A3–A6, retried with the next k in the (≈ 2⁻²⁵⁶) cases the standard says to.
        loop {
            let mut k_bytes = FieldBytes::default();
            kgen.fill_next_k(&mut k_bytes);
            let k = Option::<NonZeroScalar>::from(NonZeroScalar::from_repr(k_bytes));
            k_bytes.zeroize();
            let Some(k) = k else { continue };
            // A4: (x1, y1) = [k]G.
            let point = mul_generator_ct(&k);
            // A5: r = (e + x1) mod n; retry when r = 0 or r + k = n.
            let r = e_s + <Scalar as Reduce<FieldBytes>>::reduce(&point.x());
            if bool::from(r.is_zero() | (r + *k).ct_eq(&Scalar::ZERO)) {
                continue;
            }
            // A6: s = (1 + d)⁻¹·(k − r·d) mod n; retry when s = 0.
            let s = d1_inv * (*k - r * *self.d);
            if bool::from(s.is_zero()) {
                continue;
            }
            return Ok((r.to_repr().into(), s.to_repr().into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comb_matches_generic_multiplication() {
        let mut k = Scalar::from(1u64);
        let step = Scalar::from_repr(FieldBytes::from([0x5a; 32])).unwrap();
        for _ in 0..200 {
            let nz = NonZeroScalar::new(k).unwrap();
            let want = (ProjectivePoint::GENERATOR * k).to_affine();
            assert_eq!(mul_generator_ct(&nz), want);
            k = k * step + Scalar::ONE;
        }
        // Extremes: 1, n − 1, 2^255 region, all-ones windows.
        for k in [Scalar::ONE, -Scalar::ONE, -Scalar::from(2u64)] {
            let nz = NonZeroScalar::new(k).unwrap();
            assert_eq!(
                mul_generator_ct(&nz),
                (ProjectivePoint::GENERATOR * k).to_affine()
            );
        }
    }

    #[test]
    fn recoding_recombines() {
        let mut x = 0x1234_5678_9abc_def1u64;
        for _ in 0..1000 {
            let mut k = [0u8; 32];
            for b in k.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
            k[31] &= 0x7f;
            let mut d = [0i8; WINDOWS];
            recode(&k, &mut d);
            // Recombine with i128 chunks: Σ d_i·2^(6i) as a little-endian byte string.
            let mut acc = [0i128; 5];
            for (i, &di) in d.iter().enumerate() {
                assert!((-31..=32).contains(&di));
                let bit = i * W;
                acc[bit / 64] += (di as i128) << (bit % 64);
            }
            // Normalise carries between 64-bit limbs.
            let mut limbs = [0u64; 4];
            let mut c = 0i128;
            for i in 0..5 {
                let v = acc[i] + c;
                if i < 4 {
                    limbs[i] = v as u64;
                    c = v >> 64;
                } else {
                    assert_eq!(v, 0);
                }
            }
            assert_eq!(c, 0);
            let mut want = [0u64; 4];
            for (i, l) in want.iter_mut().enumerate() {
                *l = u64::from_le_bytes(k[8 * i..8 * i + 8].try_into().unwrap());
            }
            assert_eq!(limbs, want);
        }
    }
}
