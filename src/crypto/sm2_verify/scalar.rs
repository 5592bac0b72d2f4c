//! Integers modulo the SM2 group order n (GB/T 32918.5 §A) and the scalar recodings used by the
//! point multiplications: width-w NAF and signed fixed windows.
//!
//! Verification needs no multiplication modulo n: only `t = (r + s) mod n`, `e mod n` and
//! `(r − e) mod n`. Everything here is variable-time (public data only).

use super::field::{add4, lt4, sub4};

/// The group order n, little-endian limbs.
pub(crate) const N: [u64; 4] = [
    0x53bb_f409_39d5_4123,
    0x7203_df6b_21c6_052b,
    0xffff_ffff_ffff_ffff,
    0xffff_fffe_ffff_ffff,
];

/// 32 big-endian bytes as little-endian 64-bit limbs.
pub(crate) fn limbs_from_be(b: &[u8; 32]) -> [u64; 4] {
    let mut out = [0u64; 4];
    for (i, limb) in out.iter_mut().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[32 - 8 * (i + 1)..32 - 8 * i]);
        *limb = u64::from_be_bytes(w);
    }
    out
}

/// Little-endian limbs as 32 big-endian bytes.
#[cfg(test)]
pub(crate) fn limbs_to_be(a: &[u64; 4]) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, limb) in a.iter().enumerate() {
        out[32 - 8 * (i + 1)..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// True when `a` lies in [1, n − 1].
pub(crate) fn in_range(a: &[u64; 4]) -> bool {
    a.iter().any(|&l| l != 0) && lt4(a, &N)
}

/// True when `a` is zero.
pub(crate) fn is_zero(a: &[u64; 4]) -> bool {
    a.iter().all(|&l| l == 0)
}

/// `a mod n` for any 256-bit `a` (a < 2^256 < 2n, so one subtraction suffices).
pub(crate) fn reduce(a: &[u64; 4]) -> [u64; 4] {
    let (d, borrow) = sub4(a, &N);
    if borrow == 0 { d } else { *a }
}

/// `(a + b) mod n` for a, b < n.
pub(crate) fn add_mod(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (s, carry) = add4(a, b);
    let (d, borrow) = sub4(&s, &N);
    if carry != 0 || borrow == 0 { d } else { s }
}

/// `(a − b) mod n` for a, b < n.
pub(crate) fn sub_mod(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (d, borrow) = sub4(a, b);
    if borrow == 0 { d } else { add4(&d, &N).0 }
}

/// Bit `i` of `k`.
#[inline(always)]
fn bit(k: &[u64; 4], i: usize) -> u64 {
    if i >= 256 {
        0
    } else {
        (k[i / 64] >> (i % 64)) & 1
    }
}

/// `w` bits of `k` starting at bit `i` (w ≤ 16; bits past 255 read as zero).
#[inline(always)]
fn bits(k: &[u64; 4], i: usize, w: usize) -> u64 {
    if i >= 256 {
        return 0;
    }
    let limb = i / 64;
    let off = i % 64;
    let mut v = k[limb] >> off;
    if off + w > 64 && limb + 1 < 4 {
        v |= k[limb + 1] << (64 - off);
    }
    v & ((1u64 << w) - 1)
}

/// Width-`w` NAF of `k`: digits are zero or odd in `(−2^(w−1), 2^(w−1))`, and any `w`
/// consecutive digits hold at most one non-zero. `k = Σ d_i·2^i`. Returns the digits and the
/// index one past the highest non-zero digit.
pub(crate) fn wnaf(k: &[u64; 4], w: usize) -> ([i8; 257], usize) {
    debug_assert!((2..=8).contains(&w));
    let mut out = [0i8; 257];
    let window = 1i64 << w;
    let half = window >> 1;
    let mut carry = 0i64;
    let mut i = 0usize;
    let mut len = 0usize;
    while i < 257 {
        let b = bit(k, i) as i64;
        if b == carry {
            i += 1;
            continue;
        }
        let mut d = (bits(k, i, w) as i64) + carry;
        if d & 1 == 0 {
            // Cannot happen: b != carry makes (bit + carry) odd.
            i += 1;
            continue;
        }
        if d >= half {
            d -= window;
            carry = 1;
        } else {
            carry = 0;
        }
        out[i] = d as i8;
        len = i + 1;
        i += w;
    }
    (out, len)
}

/// Signed fixed-window recoding with window `w`: `k = Σ d_i·2^(w·i)` with every digit in
/// `[−2^(w−1), 2^(w−1)]`, over `windows(w)` digits plus a final carry digit in {0, 1}.
pub(crate) fn signed_windows(k: &[u64; 4], w: usize, out: &mut [i16]) -> bool {
    let half = 1i64 << (w - 1);
    let full = 1i64 << w;
    let mut carry = 0i64;
    for (i, d) in out.iter_mut().enumerate() {
        let mut v = bits(k, i * w, w) as i64 + carry;
        if v > half {
            v -= full;
            carry = 1;
        } else {
            carry = 0;
        }
        *d = v as i16;
    }
    carry == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(seed: u64) -> [u64; 4] {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let mut out = [0u64; 4];
        for l in out.iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *l = x;
        }
        out
    }

    /// Σ d_i·2^(step·i) computed with wrapping 256-bit arithmetic plus an overflow counter.
    fn recombine(digits: &[(usize, i64)]) -> ([u64; 4], i64) {
        let mut acc = [0u64; 4];
        let mut over = 0i64;
        for &(pos, d) in digits {
            if d == 0 {
                continue;
            }
            let mut v = [0u64; 4];
            let m = d.unsigned_abs();
            // m·2^pos, pos + 8 bits fits when pos < 248; for larger pos split the overflow.
            let limb = pos / 64;
            let off = pos % 64;
            let wide = (m as u128) << off;
            let mut hi_over = 0u128;
            if limb < 4 {
                v[limb] = wide as u64;
                if limb + 1 < 4 {
                    v[limb + 1] = (wide >> 64) as u64;
                } else {
                    hi_over = wide >> 64;
                }
            } else {
                hi_over = (m as u128) << (pos - 256);
            }
            if d > 0 {
                let (s, c) = add4(&acc, &v);
                acc = s;
                over += c as i64 + hi_over as i64;
            } else {
                let (s, b) = sub4(&acc, &v);
                acc = s;
                over -= b as i64 + hi_over as i64;
            }
        }
        (acc, over)
    }

    #[test]
    fn wnaf_recombines() {
        for seed in 0..500u64 {
            let k = sample(seed);
            for w in 2..=8 {
                let (d, len) = wnaf(&k, w);
                let digits: Vec<(usize, i64)> =
                    d.iter().enumerate().map(|(i, &v)| (i, v as i64)).collect();
                assert_eq!(recombine(&digits), (k, 0), "w={w}");
                assert!(d[len..].iter().all(|&v| v == 0));
                for &v in &d {
                    assert!(v == 0 || (v % 2 != 0 && (v as i64).abs() < (1 << (w - 1))));
                }
            }
        }
    }

    #[test]
    fn signed_windows_recombine() {
        for seed in 0..500u64 {
            let k = sample(seed);
            for w in [4usize, 5, 6, 7, 8] {
                let n = 256usize.div_ceil(w);
                let mut d = vec![0i16; n];
                let carry = signed_windows(&k, w, &mut d);
                let mut digits: Vec<(usize, i64)> = d
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| (i * w, v as i64))
                    .collect();
                digits.push((n * w, carry as i64));
                assert_eq!(recombine(&digits), (k, 0), "w={w}");
                for &v in &d {
                    assert!((v as i64).abs() <= 1 << (w - 1));
                }
            }
        }
    }

    #[test]
    fn modular_helpers() {
        let nm1 = sub4(&N, &[1, 0, 0, 0]).0;
        assert!(in_range(&nm1));
        assert!(!in_range(&N));
        assert!(!in_range(&[0; 4]));
        assert_eq!(add_mod(&nm1, &[1, 0, 0, 0]), [0; 4]);
        assert_eq!(sub_mod(&[0; 4], &[1, 0, 0, 0]), nm1);
        assert_eq!(reduce(&N), [0; 4]);
        assert_eq!(reduce(&[u64::MAX; 4]), sub4(&[u64::MAX; 4], &N).0);
        let b = limbs_to_be(&N);
        assert_eq!(limbs_from_be(&b), N);
    }
}
