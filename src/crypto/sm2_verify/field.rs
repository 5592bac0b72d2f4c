//! Arithmetic in GF(p), p = 2^256 − 2^224 − 2^96 + 2^64 − 1 (the SM2 prime, GB/T 32918.5 §A).
//!
//! Elements are four little-endian 64-bit limbs in Montgomery form (a·2^256 mod p), kept
//! *almost* reduced (any representative below 2^256). Because p ≡ −1 (mod 2^64), the
//! Montgomery factor −p⁻¹ mod 2^64 is 1: each reduction row uses the lowest limb itself as m.
//! Because 2^256 mod p = 2^224 + 2^96 − 2^64 + 1 is sparse, a carry out of bit 256 folds back
//! with four additions of small constants. All operations are variable-time: this module only
//! serves verification, which handles public data.

/// The prime p, little-endian limbs.
pub(crate) const P: [u64; 4] = [
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_0000_0000,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// 2^512 mod p (converts into Montgomery form).
const R2: [u64; 4] = [
    0x0000_0002_0000_0003,
    0x0000_0002_ffff_ffff,
    0x0000_0001_0000_0001,
    0x0000_0004_0000_0002,
];

/// 2^256 mod p: the Montgomery form of 1.
const R1: [u64; 4] = [
    0x0000_0000_0000_0001,
    0x0000_0000_ffff_ffff,
    0x0000_0000_0000_0000,
    0x0000_0001_0000_0000,
];

#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a − b − borrow` with borrow in {0, 1}; returns (difference, borrow out in {0, 1}).
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub(b as u128 + borrow as u128);
    (t as u64, ((t >> 64) as u64) & 1)
}

/// `a + b·c + carry`, returns (low, high).
#[inline(always)]
fn mac(a: u64, b: u64, c: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + (b as u128) * (c as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// 256-bit `a − b`, returns (difference, borrow).
#[inline(always)]
pub(crate) fn sub4(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], u64) {
    let (r0, c) = sbb(a[0], b[0], 0);
    let (r1, c) = sbb(a[1], b[1], c);
    let (r2, c) = sbb(a[2], b[2], c);
    let (r3, c) = sbb(a[3], b[3], c);
    ([r0, r1, r2, r3], c)
}

/// 256-bit `a + b`, returns (sum, carry).
#[inline(always)]
pub(crate) fn add4(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], u64) {
    let (r0, c) = adc(a[0], b[0], 0);
    let (r1, c) = adc(a[1], b[1], c);
    let (r2, c) = adc(a[2], b[2], c);
    let (r3, c) = adc(a[3], b[3], c);
    ([r0, r1, r2, r3], c)
}

/// True when `a < b` as 256-bit integers.
#[inline(always)]
pub(crate) fn lt4(a: &[u64; 4], b: &[u64; 4]) -> bool {
    sub4(a, b).1 == 1
}

/// An element of GF(p) in Montgomery form, *almost* reduced: any 256-bit representative
/// (so p itself stands for zero). Values are made canonical only where they are compared
/// ([`PartialEq`], [`Fe::is_zero`]); since p > 2^256 − 2^225, a representative ≥ p is rare and
/// the extra reductions are branches that are almost never taken.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe(pub(crate) [u64; 4]);

impl PartialEq for Fe {
    fn eq(&self, other: &Fe) -> bool {
        self.canonical() == other.canonical()
    }
}

impl Eq for Fe {}

/// `(t + c·2^256) mod 2^256 + c·(2^256 mod p)` for a carry c ∈ {0, 1}: the same value modulo p,
/// back below 2^256 unless t ≥ p (rare, handled by a second, almost never taken, step).
#[inline(always)]
fn fold_carry(t: [u64; 4], c: u64) -> [u64; 4] {
    let (r0, k) = adc(t[0], c, 0);
    let (r1, k) = adc(t[1], c * 0xffff_ffff, k);
    let (r2, k) = adc(t[2], 0, k);
    let (r3, k) = adc(t[3], c << 32, k);
    if k != 0 {
        // Only when t ≥ p; then the sum wrapped to t − p < 2^256 − p, and adding 2^256 mod p once
        // more cannot carry.
        return add4(&[r0, r1, r2, r3], &R1).0;
    }
    [r0, r1, r2, r3]
}

/// [`fold_carry`] for the sibling modules.
pub(crate) fn fold_carry_pub(t: [u64; 4], c: u64) -> Fe {
    Fe(fold_carry(t, c))
}

impl Fe {
    pub(crate) const ZERO: Fe = Fe([0; 4]);
    pub(crate) const ONE: Fe = Fe(R1);

    /// The representative in [0, p).
    #[inline(always)]
    fn canonical(&self) -> [u64; 4] {
        let (d, borrow) = sub4(&self.0, &P);
        if borrow == 0 { d } else { self.0 }
    }

    /// From a canonical integer (< p, little-endian limbs) into Montgomery form.
    pub(crate) fn from_canonical(a: [u64; 4]) -> Fe {
        Fe(a).mul(&Fe(R2))
    }

    /// Parses 32 big-endian bytes; None when the value is not below p.
    pub(crate) fn from_be_bytes(b: &[u8; 32]) -> Option<Fe> {
        let a = super::scalar::limbs_from_be(b);
        if !lt4(&a, &P) {
            return None;
        }
        Some(Fe::from_canonical(a))
    }

    /// The canonical integer (< p) as little-endian limbs.
    #[cfg(test)]
    pub(crate) fn to_canonical(self) -> [u64; 4] {
        Fe(self.mul(&Fe([1, 0, 0, 0])).canonical()).0
    }

    /// True for zero (0 or p).
    #[inline(always)]
    pub(crate) fn is_zero(&self) -> bool {
        let a = &self.0;
        (a[0] | a[1] | a[2] | a[3]) == 0 || *a == P
    }

    /// `self + b`.
    #[inline(always)]
    pub(crate) fn add(&self, b: &Fe) -> Fe {
        let (t, c) = add4(&self.0, &b.0);
        Fe(fold_carry(t, c))
    }

    /// `2·self`.
    #[inline(always)]
    pub(crate) fn double(&self) -> Fe {
        self.add(self)
    }

    /// `self·2^k` for k ≤ 31 (4·x, 8·x in the point formulas) with one reduction.
    #[inline(always)]
    pub(crate) fn shl(&self, k: u32) -> Fe {
        debug_assert!((1..32).contains(&k));
        let a = &self.0;
        let top = a[3] >> (64 - k);
        let t = [
            a[0] << k,
            (a[1] << k) | (a[0] >> (64 - k)),
            (a[2] << k) | (a[1] >> (64 - k)),
            (a[3] << k) | (a[2] >> (64 - k)),
        ];
        // t + top·2^256 ≡ t + top·(2^224 + 2^96 − 2^64 + 1).
        let (r0, c) = adc(t[0], top, 0);
        let (r1, c) = adc(t[1], top * 0xffff_ffff, c);
        let (r2, c) = adc(t[2], 0, c);
        let (r3, c) = adc(t[3], top << 32, c);
        Fe(fold_carry([r0, r1, r2, r3], c))
    }

    /// `self − b`.
    #[inline(always)]
    pub(crate) fn sub(&self, b: &Fe) -> Fe {
        let (t, borrow) = sub4(&self.0, &b.0);
        // On borrow the value is t − 2^256: add p, i.e. subtract 2^256 mod p.
        let (r0, k) = sbb(t[0], borrow, 0);
        let (r1, k) = sbb(t[1], borrow * 0xffff_ffff, k);
        let (r2, k) = sbb(t[2], 0, k);
        let (r3, k) = sbb(t[3], borrow << 32, k);
        let mut r = Fe([r0, r1, r2, r3]);
        if k != 0 {
            // Only when b − a > p (b ≥ p): add p once more.
            r = Fe(sub4(&r.0, &R1).0);
        }
        r
    }

    /// `−self`.
    #[inline(always)]
    pub(crate) fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    /// Montgomery reduction by multiplications (−p⁻¹ ≡ 1 mod 2^64, so m is the lowest limb):
    /// `t·2^−256`, below 2^256 + p for any t < 2^512, folded back below 2^256.
    #[inline(always)]
    fn montgomery_reduce(t: [u64; 8]) -> Fe {
        let [t0, t1, t2, t3, t4, t5, t6, t7] = t;
        // Row 0: t0 + m·p0 = m·2^64 exactly.
        let m = t0;
        let (t1, c) = mac(t1, m, P[1], m);
        let (t2, c) = mac(t2, m, P[2], c);
        let (t3, c) = mac(t3, m, P[3], c);
        let (t4, c0) = adc(t4, c, 0);
        let m = t1;
        let (t2, c) = mac(t2, m, P[1], m);
        let (t3, c) = mac(t3, m, P[2], c);
        let (t4, c) = mac(t4, m, P[3], c);
        let (t5, c1) = adc(t5, c, c0);
        let m = t2;
        let (t3, c) = mac(t3, m, P[1], m);
        let (t4, c) = mac(t4, m, P[2], c);
        let (t5, c) = mac(t5, m, P[3], c);
        let (t6, c2) = adc(t6, c, c1);
        let m = t3;
        let (t4, c) = mac(t4, m, P[1], m);
        let (t5, c) = mac(t5, m, P[2], c);
        let (t6, c) = mac(t6, m, P[3], c);
        let (t7, c3) = adc(t7, c, c2);
        // (t + c3·2^256) < 2^256 + p, so after one fold it is below 2^256.
        Fe(fold_carry([t4, t5, t6, t7], c3))
    }

    /// `self · b`: the full 512-bit product, then Montgomery reduction. (Interleaving the
    /// reduction into the product rows, CIOS, measured the same; so did a multiplication-free
    /// reduction built from shifts of m, because the carry chains, not the multiplications,
    /// bound the time.)
    #[inline(always)]
    pub(crate) fn mul(&self, b: &Fe) -> Fe {
        match super::kernel::Adx::detect() {
            Some(adx) => {
                let (t, c) = adx.mont_mul(&self.0, &b.0);
                Fe(fold_carry(t, c))
            }
            None => self.mul_portable(b),
        }
    }

    /// [`Fe::mul`] in portable Rust (the fallback, and the reference the kernel is tested
    /// against).
    #[inline(always)]
    pub(crate) fn mul_portable(&self, b: &Fe) -> Fe {
        let a = &self.0;
        let b = &b.0;
        let (t0, c) = mac(0, a[0], b[0], 0);
        let (t1, c) = mac(0, a[0], b[1], c);
        let (t2, c) = mac(0, a[0], b[2], c);
        let (t3, t4) = mac(0, a[0], b[3], c);
        let (t1, c) = mac(t1, a[1], b[0], 0);
        let (t2, c) = mac(t2, a[1], b[1], c);
        let (t3, c) = mac(t3, a[1], b[2], c);
        let (t4, t5) = mac(t4, a[1], b[3], c);
        let (t2, c) = mac(t2, a[2], b[0], 0);
        let (t3, c) = mac(t3, a[2], b[1], c);
        let (t4, c) = mac(t4, a[2], b[2], c);
        let (t5, t6) = mac(t5, a[2], b[3], c);
        let (t3, c) = mac(t3, a[3], b[0], 0);
        let (t4, c) = mac(t4, a[3], b[1], c);
        let (t5, c) = mac(t5, a[3], b[2], c);
        let (t6, t7) = mac(t6, a[3], b[3], c);
        Fe::montgomery_reduce([t0, t1, t2, t3, t4, t5, t6, t7])
    }

    /// `self²` (the kernel's multiplication when available).
    #[inline(always)]
    pub(crate) fn square(&self) -> Fe {
        match super::kernel::Adx::detect() {
            Some(adx) => {
                let (t, c) = adx.mont_sqr(&self.0);
                Fe(fold_carry(t, c))
            }
            None => self.square_portable(),
        }
    }

    /// `self²` in portable Rust.
    #[inline(always)]
    pub(crate) fn square_portable(&self) -> Fe {
        let a = &self.0;
        // Cross products a_i·a_j (i < j), doubled, plus the squares on the diagonal.
        let (t1, c) = mac(0, a[0], a[1], 0);
        let (t2, c) = mac(0, a[0], a[2], c);
        let (t3, t4) = mac(0, a[0], a[3], c);
        let (t3, c) = mac(t3, a[1], a[2], 0);
        let (t4, t5) = mac(t4, a[1], a[3], c);
        let (t5, t6) = mac(t5, a[2], a[3], 0);
        let t7 = t6 >> 63;
        let t6 = (t6 << 1) | (t5 >> 63);
        let t5 = (t5 << 1) | (t4 >> 63);
        let t4 = (t4 << 1) | (t3 >> 63);
        let t3 = (t3 << 1) | (t2 >> 63);
        let t2 = (t2 << 1) | (t1 >> 63);
        let t1 = t1 << 1;
        let (r0, c) = mac(0, a[0], a[0], 0);
        let (r1, c) = adc(t1, c, 0);
        let (r2, c2) = mac(t2, a[1], a[1], c);
        let (r3, c) = adc(t3, c2, 0);
        let (r4, c2) = mac(t4, a[2], a[2], c);
        let (r5, c) = adc(t5, c2, 0);
        let (r6, c2) = mac(t6, a[3], a[3], c);
        let (r7, _) = adc(t7, c2, 0);
        Fe::montgomery_reduce([r0, r1, r2, r3, r4, r5, r6, r7])
    }

    /// `self^(2^k)`.
    fn square_n(&self, k: u32) -> Fe {
        let mut x = *self;
        for _ in 0..k {
            x = x.square();
        }
        x
    }

    /// `self⁻¹` (Fermat, `self^(p−2)`); zero maps to zero. Only used when building tables.
    pub(crate) fn invert(&self) -> Fe {
        // p − 2 = 2^256 − 2^224 − 2^96 + 2^64 − 3. In binary, from the top:
        // 31 ones, 1 zero, 128 ones, 32 zeros, 62 ones, 1 zero, 1 one.
        let x1 = *self;
        let x2 = x1.square().mul(&x1); // 2 ones
        let x3 = x2.square().mul(&x1);
        let x6 = x3.square_n(3).mul(&x3);
        let x12 = x6.square_n(6).mul(&x6);
        let x15 = x12.square_n(3).mul(&x3);
        let x30 = x15.square_n(15).mul(&x15);
        let x31 = x30.square().mul(&x1);
        let x32 = x31.square().mul(&x1);
        let x62 = x32.square_n(30).mul(&x30);
        let x64 = x62.square_n(2).mul(&x2);
        let x128 = x64.square_n(64).mul(&x64);
        // 31 ones, then one zero.
        let mut r = x31.square();
        // 128 ones.
        r = r.square_n(128).mul(&x128);
        // 32 zeros.
        r = r.square_n(32);
        // 62 ones.
        r = r.square_n(62).mul(&x62);
        // "01".
        r = r.square_n(2).mul(&x1);
        r
    }

    /// Inverts every element of `v` in place with one inversion (Montgomery's trick). Zeros
    /// are left as zero.
    pub(crate) fn batch_invert(v: &mut [Fe]) {
        let mut prefix = Vec::with_capacity(v.len());
        let mut acc = Fe::ONE;
        for x in v.iter() {
            prefix.push(acc);
            if !x.is_zero() {
                acc = acc.mul(x);
            }
        }
        let mut inv = acc.invert();
        for (x, pre) in v.iter_mut().zip(prefix.iter()).rev() {
            if x.is_zero() {
                continue;
            }
            let xi = inv.mul(pre);
            inv = inv.mul(x);
            *x = xi;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fe(v: u64) -> Fe {
        Fe::from_canonical([v, 0, 0, 0])
    }

    #[test]
    fn small_arithmetic() {
        assert_eq!(fe(6).mul(&fe(7)), fe(42));
        assert_eq!(fe(9).square(), fe(81));
        assert_eq!(fe(5).sub(&fe(7)).add(&fe(2)), Fe::ZERO);
        assert_eq!(fe(1), Fe::ONE);
        assert_eq!(fe(42).to_canonical(), [42, 0, 0, 0]);
        let pm1 = Fe::from_canonical(sub4(&P, &[1, 0, 0, 0]).0);
        assert_eq!(pm1.square(), Fe::ONE);
        assert_eq!(pm1.neg(), Fe::ONE);
    }

    /// The assembly kernel against the portable multiplication: random limbs, values near
    /// 0, p and 2^256, and results that need the final fold.
    #[test]
    fn kernel_matches_portable() {
        let Some(adx) = super::super::kernel::Adx::detect() else {
            println!("skipped: no BMI2/ADX on this CPU");
            return;
        };
        let mut x = 0x0123_4567_89ab_cdefu64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let edges = [
            [0u64; 4],
            [1, 0, 0, 0],
            P,
            sub4(&P, &[1, 0, 0, 0]).0,
            add4(&P, &[1, 0, 0, 0]).0,
            [u64::MAX; 4],
            R1,
            R2,
        ];
        let mut inputs: Vec<[u64; 4]> = edges.to_vec();
        for _ in 0..2000 {
            let mut v = [next(), next(), next(), next()];
            if next() % 4 == 0 {
                v[3] = u64::MAX - (next() % 3);
            }
            inputs.push(v);
        }
        for a in &inputs {
            for b in inputs.iter().take(64) {
                let (t, c) = adx.mont_mul(a, b);
                let k = Fe(fold_carry(t, c));
                let want = Fe(*a).mul_portable(&Fe(*b));
                assert_eq!(k.0, want.0, "a={a:x?} b={b:x?}");
            }
            let (t, c) = adx.mont_mul(a, a);
            assert_eq!(Fe(fold_carry(t, c)).0, Fe(*a).square_portable().0);
            let (t, c) = adx.mont_sqr(a);
            assert_eq!(
                Fe(fold_carry(t, c)).0,
                Fe(*a).square_portable().0,
                "a={a:x?}"
            );
        }
    }

    #[test]
    fn inverse_and_square_match_mul() {
        let mut x = Fe::from_canonical([
            0x0123_4567_89ab_cdef,
            0xfedc_ba98_7654_3210,
            0xdead_beef_cafe_babe,
            0x0f0f_0f0f_f0f0_f0f0,
        ]);
        for _ in 0..200 {
            assert_eq!(x.square(), x.mul(&x));
            assert_eq!(x.mul(&x.invert()), Fe::ONE);
            x = x.square().add(&Fe::ONE).add(&x.double());
        }
        let mut v = vec![fe(3), Fe::ZERO, fe(5), x];
        Fe::batch_invert(&mut v);
        assert_eq!(v[0].mul(&fe(3)), Fe::ONE);
        assert_eq!(v[1], Fe::ZERO);
        assert_eq!(v[2].mul(&fe(5)), Fe::ONE);
        assert_eq!(v[3].mul(&x), Fe::ONE);
    }
}
