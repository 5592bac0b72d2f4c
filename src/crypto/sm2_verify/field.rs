//! Arithmetic in GF(p), p = 2^256 − 2^224 − 2^96 + 2^64 − 1 (the SM2 prime, GB/T 32918.5 §A).
//!
//! Elements are four little-endian 64-bit limbs in Montgomery form (a·2^256 mod p). Because
//! p ≡ −1 (mod 2^64), the Montgomery factor −p⁻¹ mod 2^64 is 1, and one reduction step
//! `t ← (t + m·p) / 2^64` with `m = t mod 2^64` becomes
//! `t ← ⌊t / 2^64⌋ + m·(2^192 − 2^160 − 2^32 + 1)`: shifts, one subtraction and one addition,
//! no multiplications. All operations are variable-time: this module only serves verification,
//! which handles public data.

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

/// Multiplication strategy (compared in benches; see the module docs).
const MUL_CIOS: bool = true;
const SQR_VIA_MUL: bool = false;
const REDUCE_MUL: bool = true;

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

/// An element of GF(p) in Montgomery form, fully reduced (< p).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fe(pub(crate) [u64; 4]);

impl Fe {
    pub(crate) const ZERO: Fe = Fe([0; 4]);
    pub(crate) const ONE: Fe = Fe(R1);

    /// Reduces `(t, hi)` (a value below 2p) into [0, p).
    #[inline(always)]
    fn reduce_once(t: [u64; 4], hi: u64) -> Fe {
        let (d, borrow) = sub4(&t, &P);
        if hi != 0 || borrow == 0 { Fe(d) } else { Fe(t) }
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
        Fe::montgomery_reduce([self.0[0], self.0[1], self.0[2], self.0[3], 0, 0, 0, 0]).0
    }

    /// True for zero.
    #[inline(always)]
    pub(crate) fn is_zero(&self) -> bool {
        (self.0[0] | self.0[1] | self.0[2] | self.0[3]) == 0
    }

    /// `self + b`.
    #[inline(always)]
    pub(crate) fn add(&self, b: &Fe) -> Fe {
        let (t, c) = add4(&self.0, &b.0);
        Fe::reduce_once(t, c)
    }

    /// `2·self`.
    #[inline(always)]
    pub(crate) fn double(&self) -> Fe {
        self.add(self)
    }

    /// `self − b`.
    #[inline(always)]
    pub(crate) fn sub(&self, b: &Fe) -> Fe {
        let (t, borrow) = sub4(&self.0, &b.0);
        if borrow == 0 {
            Fe(t)
        } else {
            Fe(add4(&t, &P).0)
        }
    }

    /// `−self`.
    #[inline(always)]
    pub(crate) fn neg(&self) -> Fe {
        if self.is_zero() {
            *self
        } else {
            Fe(sub4(&P, &self.0).0)
        }
    }

    /// Montgomery reduction by multiplications: `t += m·p·2^(64i)` row by row.
    #[inline(always)]
    fn montgomery_reduce_mul(t: [u64; 8]) -> Fe {
        let [t0, t1, t2, t3, t4, t5, t6, t7] = t;
        // Row 0.
        let m = t0;
        let (t1, c) = mac(t1, m, P[1], m);
        let (t2, c) = mac(t2, m, P[2], c);
        let (t3, c) = mac(t3, m, P[3], c);
        let (t4, c0) = adc(t4, c, 0);
        // Row 1.
        let m = t1;
        let (t2, c) = mac(t2, m, P[1], m);
        let (t3, c) = mac(t3, m, P[2], c);
        let (t4, c) = mac(t4, m, P[3], c);
        let (t5, c1) = adc(t5, c, c0);
        // Row 2.
        let m = t2;
        let (t3, c) = mac(t3, m, P[1], m);
        let (t4, c) = mac(t4, m, P[2], c);
        let (t5, c) = mac(t5, m, P[3], c);
        let (t6, c2) = adc(t6, c, c1);
        // Row 3.
        let m = t3;
        let (t4, c) = mac(t4, m, P[1], m);
        let (t5, c) = mac(t5, m, P[2], c);
        let (t6, c) = mac(t6, m, P[3], c);
        let (t7, c3) = adc(t7, c, c2);
        Fe::reduce_once([t4, t5, t6, t7], c3)
    }

    /// Montgomery reduction of a 512-bit value below p·2^256: returns `t·2^−256 mod p`.
    #[inline(always)]
    fn montgomery_reduce(t: [u64; 8]) -> Fe {
        if REDUCE_MUL {
            return Fe::montgomery_reduce_mul(t);
        }
        let [mut t0, mut t1, mut t2, mut t3, t4, t5, t6, t7] = t;
        // Four steps of t ← t/2^64 + m·(2^192 − 2^160 − 2^32 + 1), m = t mod 2^64, keeping the
        // running value in a window of limbs (t0..t3) with the untouched upper limbs added at the
        // end. Each step adds a value below 2^256 to a value below 2^256, so one extra carry
        // limb suffices.
        let mut carry_hi = 0u64; // carry into the limb just above the window
        let upper = [t4, t5, t6, t7];
        let mut out = [0u64; 4];
        #[allow(clippy::needless_range_loop)]
        for i in 0..4 {
            let m = t0;
            let mlo = m << 32;
            let mhi = m >> 32;
            // D = m·2^192 + m − (m·2^160 + m·2^32), as 4 limbs (never negative).
            let (d0, b) = sbb(m, mlo, 0);
            let (d1, b) = sbb(0, mhi, b);
            let (d2, b) = sbb(0, mlo, b);
            let (d3, _) = sbb(m, mhi, b);
            // (t >> 64) + D; the window shifts down by one limb, the next upper limb comes in.
            let (n0, c) = adc(t1, d0, 0);
            let (n1, c) = adc(t2, d1, c);
            let (n2, c) = adc(t3, d2, c);
            let (n3, c) = adc(carry_hi, d3, c);
            // Bring in upper[i] at the top of the window.
            let (n3, c2) = adc(n3, upper[i], 0);
            t0 = n0;
            t1 = n1;
            t2 = n2;
            t3 = n3;
            carry_hi = c + c2;
            out = [t0, t1, t2, t3];
        }
        Fe::reduce_once(out, carry_hi)
    }

    /// `self · b`.
    #[inline(always)]
    pub(crate) fn mul(&self, b: &Fe) -> Fe {
        if MUL_CIOS {
            self.mul_cios(b)
        } else {
            self.mul_sos(b)
        }
    }

    /// Montgomery multiplication, coarsely integrated operand scanning: each row adds
    /// `a_i·b` and then `m·p` (m = lowest limb, as −p⁻¹ ≡ 1 mod 2^64), shifting one limb.
    #[inline(always)]
    fn mul_cios(&self, b: &Fe) -> Fe {
        let a = &self.0;
        let b = &b.0;
        let (mut t0, mut t1, mut t2, mut t3, mut t4) = (0u64, 0u64, 0u64, 0u64, 0u64);
        for &ai in a {
            let (r0, c) = mac(t0, ai, b[0], 0);
            let (r1, c) = mac(t1, ai, b[1], c);
            let (r2, c) = mac(t2, ai, b[2], c);
            let (r3, c) = mac(t3, ai, b[3], c);
            let (r4, r5) = adc(t4, c, 0);
            let m = r0;
            // r + m·p, with m·p0 + r0 = m·2^64 exactly.
            let c = m;
            let (s1, c) = mac(r1, m, P[1], c);
            let (s2, c) = mac(r2, m, P[2], c);
            let (s3, c) = mac(r3, m, P[3], c);
            let (s4, c) = adc(r4, c, 0);
            t0 = s1;
            t1 = s2;
            t2 = s3;
            t3 = s4;
            t4 = r5 + c;
        }
        Fe::reduce_once([t0, t1, t2, t3], t4)
    }

    /// Montgomery multiplication: full product, then the shift-only reduction.
    #[inline(always)]
    fn mul_sos(&self, b: &Fe) -> Fe {
        let a = &self.0;
        let b = &b.0;
        let mut t = [0u64; 8];
        #[allow(clippy::needless_range_loop)]
        for i in 0..4 {
            let mut carry = 0;
            for j in 0..4 {
                let (lo, hi) = mac(t[i + j], a[i], b[j], carry);
                t[i + j] = lo;
                carry = hi;
            }
            t[i + 4] = carry;
        }
        Fe::montgomery_reduce(t)
    }

    /// `self²`.
    #[inline(always)]
    pub(crate) fn square(&self) -> Fe {
        if SQR_VIA_MUL {
            return self.mul_cios(self);
        }
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
