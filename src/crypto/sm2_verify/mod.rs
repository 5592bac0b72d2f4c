//! Fast, variable-time SM2 signature verification (GB/T 32918.2-2016 §7.1, steps B1–B7).
//!
//! Verification handles only public data (key, digest, signature), so it may branch and index
//! on them; signing stays on the constant-time RustCrypto path in [`super::sm2`]. Given the
//! digest `e` (already `SM3(Z_A ‖ M)`), r and s:
//!
//! - B1/B2: r, s ∈ [1, n−1];
//! - B5: `t = (r + s) mod n`, reject t = 0;
//! - B6: `(x1, y1) = [s]G + [t]P_A`, reject the point at infinity;
//! - B7: accept iff `(e + x1) mod n = r`.
//!
//! How it is fast:
//!
//! - field arithmetic in Montgomery form specialised for p = 2^256 − 2^224 − 2^96 + 2^64 − 1
//!   (−p⁻¹ ≡ 1 mod 2^64; almost-reduced values with a sparse fold of 2^256 mod p; `field.rs`);
//! - `[s]G` from a fixed-base table of G (signed 7-bit windows, built once on first use): one
//!   mixed addition per window, no doubling;
//! - `[t]P` by width-5 NAF over odd multiples of P in Jacobian form with Z² and Z³ cached
//!   (about 256 doublings and 43 additions); with a [`PrecomputedPublicKey`] it is fixed-base too;
//! - no inversion at the end: B7 is checked in Jacobian coordinates as `X = c·Z²` with
//!   `c = (r − e) mod n`, and also `X = (c + n)·Z²` when `c + n < p` (x1 may lie in [n, p));
//! - on x86-64 CPUs with BMI2 and ADX (detected at run time), the field multiplication is the
//!   assembly of `kernel.rs` (two interleaved carry chains with `mulx`/`adcx`/`adox`), the only
//!   `unsafe` code of the library; elsewhere, or with `ESEAL_SM2_PORTABLE=1`, the portable Rust
//!   of `field.rs`. Both are tested against each other and against RustCrypto `sm2`
//!   (`tests/sm2_differential.rs`).
//!
//! Not used: half-size scalars by lattice reduction (Antipa et al. 2005, Pornin 2020). They
//! rewrite `[s]G + [t]P = R` as `[v]R = [v·s]G + [u]P` with u, v of about 128 bits, which
//! halves the doublings only if the verifier knows R. An SM2 signature carries only
//! `r = (e + x1) mod n`: R can be rebuilt from x1 (a square root) but its sign cannot, and
//! testing `[v]R = ±([v·s]G + [u]P)` needs `[v]R` and `[u]P` in separate accumulators, i.e. 2 ×
//! 128 doublings: the same 256 as `[t]P`, plus the square root. Trying one sign and then the
//! other (one joint 128-doubling pass each) costs 1.5 passes on average, more than `[t]P` today
//! by an operation count (≈ 3,100 against ≈ 2,700 multiplications). The trick pays for ECDSA/SM2 only when the signer sends the
//! sign of y, which the standard format (GB/T 35276 `SEQUENCE { r, s }`) cannot carry.

#[forbid(unsafe_code)]
mod field;
mod kernel;
#[forbid(unsafe_code)]
mod point;
#[forbid(unsafe_code)]
mod scalar;
#[forbid(unsafe_code)]
mod table;

use crate::crypto::sm2::{PublicKey, Signature};
use crate::error::{Error, ErrorKind, Result};
use field::{Fe, P, add4, lt4};
use point::{Affine, Jacobian};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use table::FixedBaseTable;

/// wNAF width for the variable-base multiplication `[t]P`.
const WNAF_W: usize = 5;
/// Odd multiples P, 3P, …, (2^(WNAF_W−1) − 1)P.
const WNAF_TABLE: usize = 1 << (WNAF_W - 2);

/// The fixed-base table of G, built on first use (≈ 150 KB, about a millisecond).
fn g_table() -> &'static FixedBaseTable {
    static TABLE: OnceLock<FixedBaseTable> = OnceLock::new();
    TABLE.get_or_init(|| FixedBaseTable::new(&Affine::generator()))
}

/// The field product `a·b·2^−256 mod p` (canonical, little-endian limbs) by the portable code
/// and, when the CPU has BMI2/ADX, by the assembly kernel: for the differential tests only.
#[doc(hidden)]
pub fn field_mul_paths(a: [u64; 4], b: [u64; 4]) -> ([u64; 4], Option<[u64; 4]>) {
    let canon = |f: Fe| {
        let (d, borrow) = field::sub4(&f.0, &P);
        if borrow == 0 { d } else { f.0 }
    };
    let portable = canon(Fe(a).mul_portable(&Fe(b)));
    let kernel = kernel::Adx::detect().map(|adx| {
        let (t, c) = adx.mont_mul(&a, &b);
        canon(field::fold_carry_pub(t, c))
    });
    (portable, kernel)
}

/// Like [`field_mul_paths`] for the square `a²·2^−256 mod p` (the kernel has its own squaring).
#[doc(hidden)]
pub fn field_square_paths(a: [u64; 4]) -> ([u64; 4], Option<[u64; 4]>) {
    let canon = |f: Fe| {
        let (d, borrow) = field::sub4(&f.0, &P);
        if borrow == 0 { d } else { f.0 }
    };
    let portable = canon(Fe(a).square_portable());
    let kernel = kernel::Adx::detect().map(|adx| {
        let (t, c) = adx.mont_sqr(&a);
        canon(field::fold_carry_pub(t, c))
    });
    (portable, kernel)
}

/// Verifies an SM2 signature over the digest `e = SM3(Z_A ‖ M)`.
pub fn verify_prehash(pk: &PublicKey, e: &[u8; 32], sig: &Signature) -> bool {
    verify_prehash_scalars(pk, e, sig.r(), sig.s())
}

/// Verifies the raw scalars r and s (big-endian, any 256-bit values: out-of-range r or s is
/// rejected here, so this is safe to call on values a [`Signature`] would refuse).
pub fn verify_prehash_scalars(pk: &PublicKey, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
    let Some((r, s, t)) = prepare(r, s) else {
        return false;
    };
    let Some(p) = affine_key(pk) else {
        return false;
    };
    let acc = double_mul(&p, &t, &s, g_table());
    final_check(&acc, &r, e)
}

/// `[t]P + [s]G`.
fn double_mul(p: &Affine, t: &[u64; 4], s: &[u64; 4], g: &FixedBaseTable) -> Jacobian {
    let acc = wnaf_mul(p, t);
    g.mul_add(s, acc)
}

/// B1, B2 and B5: parses r and s, checks their range and returns `(r, s, t = r + s mod n)`,
/// or None when the signature must be rejected.
fn prepare(r: &[u8; 32], s: &[u8; 32]) -> Option<([u64; 4], [u64; 4], [u64; 4])> {
    let r = scalar::limbs_from_be(r);
    let s = scalar::limbs_from_be(s);
    if !scalar::in_range(&r) || !scalar::in_range(&s) {
        return None;
    }
    let t = scalar::add_mod(&r, &s);
    if scalar::is_zero(&t) {
        return None;
    }
    Some((r, s, t))
}

/// The key's affine coordinates as field elements.
fn affine_key(pk: &PublicKey) -> Option<Affine> {
    let sec1 = pk.to_sec1_uncompressed();
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    x.copy_from_slice(&sec1[1..33]);
    y.copy_from_slice(&sec1[33..65]);
    Affine::from_be_coordinates(&x, &y)
}

/// `[t]P` by width-5 NAF, the odd multiples kept with Z² and Z³ cached.
#[inline(always)]
fn wnaf_mul(p: &Affine, t: &[u64; 4]) -> Jacobian {
    let pj = Jacobian::from_affine(p);
    let p2 = pj.double();
    let mut odd = [pj; WNAF_TABLE];
    for i in 1..WNAF_TABLE {
        odd[i] = odd[i - 1].add(&p2);
    }
    let odd = odd.map(|q| q.cached());
    let (digits, len) = scalar::wnaf(t, WNAF_W);
    let mut acc = Jacobian::IDENTITY;
    for i in (0..len).rev() {
        // The identity doubles to itself (Z stays 0), so no check is needed here.
        acc = acc.double();
        let d = digits[i];
        if d != 0 {
            acc = acc.add_cached(&odd[(d.unsigned_abs() as usize) >> 1], d < 0);
        }
    }
    acc
}

/// B6's identity check and B7 without inversion: with `c = (r − e) mod n`, accept iff the
/// affine x of `acc` equals c or c + n (the latter only when c + n < p).
fn final_check(acc: &Jacobian, r: &[u64; 4], e: &[u8; 32]) -> bool {
    if acc.is_identity() {
        return false;
    }
    let e = scalar::reduce(&scalar::limbs_from_be(e));
    let c = scalar::sub_mod(r, &e);
    let z2 = acc.z.square();
    if acc.x == Fe::from_canonical(c).mul(&z2) {
        return true;
    }
    let (c2, carry) = add4(&c, &scalar::N);
    carry == 0 && lt4(&c2, &P) && acc.x == Fe::from_canonical(c2).mul(&z2)
}

/// A public key with a precomputed fixed-base table of its multiples (≈ 150 KB), so that
/// verification needs no doubling at all: about 2·37 mixed additions. Worth it when one key
/// verifies many signatures (a licence issuer's key in a batch run); building it costs about
/// as much as a few dozen verifications.
pub struct PrecomputedPublicKey {
    key: PublicKey,
    table: FixedBaseTable,
}

impl std::fmt::Debug for PrecomputedPublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrecomputedPublicKey")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl PrecomputedPublicKey {
    /// Builds the table for `pk`.
    pub fn new(pk: &PublicKey) -> PrecomputedPublicKey {
        // A PublicKey is always a valid curve point other than the identity.
        let p = affine_key(pk).expect("PublicKey holds a valid curve point");
        PrecomputedPublicKey {
            key: pk.clone(),
            table: FixedBaseTable::new(&p),
        }
    }

    /// The key this table was built for.
    pub fn public_key(&self) -> &PublicKey {
        &self.key
    }

    /// Verifies `sig` over the digest `e = SM3(Z_A ‖ M)`.
    pub fn verify_digest(&self, e: &[u8; 32], sig: &Signature) -> Result<()> {
        if self.verify_prehash_scalars(e, sig.r(), sig.s()) {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::BadSignature,
                "SM2 signature does not verify",
            ))
        }
    }

    /// Verifies `sig` over `msg` with user `id` (computes `e` first).
    pub fn verify(&self, id: &[u8], msg: &[u8], sig: &Signature) -> Result<()> {
        let e = self.key.digest(id, msg)?;
        self.verify_digest(&e, sig)
    }

    /// Like [`verify_prehash_scalars`], with this key's table.
    pub fn verify_prehash_scalars(&self, e: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
        let Some((r, s, t)) = prepare(r, s) else {
            return false;
        };
        let acc = self.table.mul_add(&t, Jacobian::IDENTITY);
        let acc = g_table().mul_add(&s, acc);
        final_check(&acc, &r, e)
    }
}

/// Most precomputed key tables kept by the process-wide cache (≈ 150 KB each, so ≈ 10 MB).
pub const KEY_CACHE_TABLES: usize = 64;
/// Most keys remembered as "seen once" by the process-wide cache (65 bytes each).
pub const KEY_CACHE_SEEN: usize = 4096;

/// The process-wide cache behind [`cached_key`]: tables of keys seen at least twice, and the
/// keys seen once. Both sets are bounded and cleared when full (a key whose table was dropped
/// is simply rebuilt the next time it is seen twice).
#[derive(Default)]
struct KeyCache {
    tables: HashMap<[u8; 65], Arc<PrecomputedPublicKey>>,
    seen: HashSet<[u8; 65]>,
}

fn key_cache() -> &'static Mutex<KeyCache> {
    static CACHE: OnceLock<Mutex<KeyCache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(KeyCache::default()))
}

/// The precomputed table of `pk` from a process-wide, bounded cache, built the second time a
/// key is asked for (None the first time, so a key used once never pays the ≈ 1.5 ms build).
///
/// Verification keys are public data and a table is a pure function of its key, so sharing
/// tables across the whole process (every verifier and thread) is safe. At most
/// [`KEY_CACHE_TABLES`] tables and [`KEY_CACHE_SEEN`] seen-once keys are kept; each set is
/// cleared when full. The table is built outside the lock; two threads may build the same
/// table at once, and one of them is kept.
pub fn cached_key(pk: &PublicKey) -> Option<Arc<PrecomputedPublicKey>> {
    let sec1 = pk.to_sec1_uncompressed();
    {
        let mut cache = key_cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(t) = cache.tables.get(&sec1) {
            return Some(Arc::clone(t));
        }
        if !cache.seen.contains(&sec1) {
            if cache.seen.len() >= KEY_CACHE_SEEN {
                cache.seen.clear();
            }
            cache.seen.insert(sec1);
            return None;
        }
    }
    let table = Arc::new(PrecomputedPublicKey::new(pk));
    let mut cache = key_cache().lock().unwrap_or_else(|e| e.into_inner());
    if cache.tables.len() >= KEY_CACHE_TABLES {
        cache.tables.clear();
    }
    cache.seen.remove(&sec1);
    Some(Arc::clone(cache.tables.entry(sec1).or_insert(table)))
}

/// Verifies `sig` over `msg` with user `id` and key `pk`, through the precomputed table of
/// [`cached_key`] when the key has been seen before (same result as [`PublicKey::verify`]).
pub fn verify_cached(pk: &PublicKey, id: &[u8], msg: &[u8], sig: &Signature) -> Result<()> {
    match cached_key(pk) {
        Some(t) => t.verify(id, msg, sig),
        None => pk.verify(id, msg, sig),
    }
}

#[cfg(test)]
#[forbid(unsafe_code)]
mod tests {
    use super::*;
    use crate::crypto::sm2::PrivateKey;

    #[test]
    fn key_cache_builds_on_second_sight() {
        let k = PrivateKey::generate().unwrap();
        let pk = k.public_key();
        let msg = b"cached";
        let sig = k.sign(crate::crypto::sm2::DEFAULT_ID, msg).unwrap();
        // First sight: no table; the result is the plain verifier's.
        assert!(cached_key(pk).is_none());
        assert!(verify_cached(pk, crate::crypto::sm2::DEFAULT_ID, msg, &sig).is_ok());
        // Later sights: the same table every time, with the same results.
        let t = cached_key(pk).expect("table built on second sight");
        assert_eq!(t.public_key(), pk);
        assert!(Arc::ptr_eq(&t, &cached_key(pk).unwrap()));
        assert!(verify_cached(pk, crate::crypto::sm2::DEFAULT_ID, msg, &sig).is_ok());
        assert!(verify_cached(pk, crate::crypto::sm2::DEFAULT_ID, b"other", &sig).is_err());
        let other = PrivateKey::generate().unwrap();
        assert!(
            verify_cached(
                other.public_key(),
                crate::crypto::sm2::DEFAULT_ID,
                msg,
                &sig
            )
            .is_err()
        );
    }

    #[test]
    fn round_trip_and_rejections() {
        let k = PrivateKey::generate().unwrap();
        let pk = k.public_key();
        let pre = PrecomputedPublicKey::new(pk);
        for i in 0..20u8 {
            let e = [i; 32];
            let sig = k.sign_digest(&e).unwrap();
            assert!(verify_prehash(pk, &e, &sig));
            assert!(pre.verify_digest(&e, &sig).is_ok());
            let mut e2 = e;
            e2[31] ^= 1;
            assert!(!verify_prehash(pk, &e2, &sig));
            assert!(pre.verify_digest(&e2, &sig).is_err());
        }
        let e = [7u8; 32];
        let sig = k.sign_digest(&e).unwrap();
        assert!(!verify_prehash_scalars(pk, &e, &[0; 32], sig.s()));
        assert!(!verify_prehash_scalars(pk, &e, sig.r(), &[0; 32]));
        assert!(!verify_prehash_scalars(
            pk,
            &e,
            &crate::crypto::sm2::ORDER,
            sig.s()
        ));
        assert!(!pre.verify_prehash_scalars(&e, sig.r(), &[0xff; 32]));
    }
}

#[cfg(test)]
#[forbid(unsafe_code)]
mod speed {
    use super::*;
    use crate::crypto::sm2::PrivateKey;

    /// Timing harness for comparing candidates by CPU time on a loaded machine:
    /// `SPEED=ours|pre|rc perf stat -e task-clock <test binary> verify_speed --ignored`
    /// (build it with `cargo test --release --lib verify_speed --no-run`).
    #[test]
    #[ignore = "timing only"]
    fn verify_speed() {
        let k = PrivateKey::from_bytes(&[3u8; 32]).unwrap();
        let e = [1u8; 32];
        let sig = k.sign_digest(&e).unwrap();
        let pk = k.public_key();
        assert!(verify_prehash(pk, &e, &sig));
        let n = 20_000u32;
        let which = std::env::var("SPEED").unwrap_or_default();
        let pre = PrecomputedPublicKey::new(pk);
        let vk = ::sm2::dsa::VerifyingKey::new("", *pk.as_inner()).unwrap();
        let rs = ::sm2::dsa::Signature::from_scalars(*sig.r(), *sig.s()).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..n {
            let ok = match which.as_str() {
                "rc" => {
                    use ::sm2::dsa::signature::hazmat::PrehashVerifier;
                    vk.verify_prehash(&e, &rs).is_ok()
                }
                "pre" => pre.verify_digest(&e, &sig).is_ok(),
                _ => verify_prehash(std::hint::black_box(pk), &e, &sig),
            };
            assert!(ok);
        }
        println!("verify {:?}/op", t.elapsed() / n);
    }
}
