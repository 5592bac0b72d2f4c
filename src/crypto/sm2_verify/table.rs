//! Fixed-base tables: for a point Q and window width w, the affine multiples
//! `j·2^(w·i)·Q` for `j ∈ [1, 2^(w−1)]` and every window i, so that `k·Q` is one mixed addition
//! per signed window digit of k and no doubling at all.

use super::point::{Affine, Jacobian};
use super::scalar::signed_windows;

/// Window width of the fixed-base tables (measured: see benches/sm2.rs).
pub(crate) const W: usize = 7;
/// Number of windows covering 256 bits.
const WINDOWS: usize = 256_usize.div_ceil(W);
/// Entries per window.
const PER: usize = 1 << (W - 1);

/// The table for one base point (about `WINDOWS·PER·64` bytes).
pub(crate) struct FixedBaseTable {
    /// `entries[i·PER + j] = (j+1)·2^(W·i)·Q`.
    entries: Vec<Affine>,
    /// `2^(W·WINDOWS)·Q`, for the final carry digit.
    top: Affine,
}

impl FixedBaseTable {
    /// Builds the table for `q` (a point of prime order n, so no multiple below is the
    /// identity).
    pub(crate) fn new(q: &Affine) -> FixedBaseTable {
        let mut jac = Vec::with_capacity(WINDOWS * PER + 1);
        let mut base = Jacobian::from_affine(q);
        for _ in 0..WINDOWS {
            let mut m = base;
            jac.push(m);
            for j in 1..PER {
                m = if j == 1 { base.double() } else { m.add(&base) };
                jac.push(m);
            }
            // m = PER·base = 2^(W−1)·base; the next window's base is 2^W·base.
            base = m.double();
        }
        jac.push(base);
        let mut entries = Jacobian::batch_to_affine(&jac);
        let top = entries.pop().expect("table has a top entry");
        FixedBaseTable { entries, top }
    }

    /// `k·Q` added to `acc`, for any 256-bit k.
    #[inline(always)]
    pub(crate) fn mul_add(&self, k: &[u64; 4], mut acc: Jacobian) -> Jacobian {
        let mut digits = [0i16; WINDOWS];
        let carry = signed_windows(k, W, &mut digits);
        for (i, &d) in digits.iter().enumerate() {
            if d == 0 {
                continue;
            }
            let e = &self.entries[i * PER + (d.unsigned_abs() as usize - 1)];
            acc = if d > 0 {
                acc.add_affine(e)
            } else {
                acc.add_affine(&e.neg())
            };
        }
        if carry {
            acc = acc.add_affine(&self.top);
        }
        acc
    }
}
