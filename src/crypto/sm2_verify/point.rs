//! Points of the SM2 curve y² = x³ − 3x + b (GB/T 32918.5 §A) in affine and Jacobian
//! coordinates (x = X/Z², y = Y/Z³), with the a = −3 formulas of the Explicit-Formulas
//! Database: `dbl-2001-b` (3M + 5S, with Z3 = 2·Y·Z), `madd-2007-bl` (7M + 4S, with
//! Z3 = 2·Z1·H) and `add-2007-bl` (11M + 5S; 10M + 4S when the right-hand side's Z² and Z³
//! are cached).
//! Variable-time; special cases (identity, equal or opposite inputs) are handled by branches.

use super::field::Fe;

/// Curve coefficient b as a canonical integer, little-endian limbs.
const B: [u64; 4] = [
    0xddbc_bd41_4d94_0e93,
    0xf397_89f5_15ab_8f92,
    0x4d5a_9e4b_cf65_09a7,
    0x28e9_fa9e_9d9f_5e34,
];

/// Base point G, canonical little-endian limbs.
pub(crate) const GX: [u64; 4] = [
    0x715a_4589_334c_74c7,
    0x8fe3_0bbf_f266_0be1,
    0x5f99_0446_6a39_c994,
    0x32c4_ae2c_1f19_8119,
];
/// Base point G, y.
pub(crate) const GY: [u64; 4] = [
    0x02df_32e5_2139_f0a0,
    0xd0a9_877c_c62a_4740,
    0x59bd_cee3_6b69_2153,
    0xbc37_36a2_f4f6_779c,
];

/// An affine point that is never the identity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Affine {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
}

/// A Jacobian point (never the identity) with Z² and Z³.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cached {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
    pub(crate) z: Fe,
    pub(crate) zz: Fe,
    pub(crate) zzz: Fe,
}

/// A point in Jacobian coordinates; Z = 0 is the identity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
    pub(crate) z: Fe,
}

impl Affine {
    /// The base point G.
    pub(crate) fn generator() -> Affine {
        Affine {
            x: Fe::from_canonical(GX),
            y: Fe::from_canonical(GY),
        }
    }

    /// A point from big-endian coordinates; None unless both are below p and the point lies
    /// on the curve.
    pub(crate) fn from_be_coordinates(x: &[u8; 32], y: &[u8; 32]) -> Option<Affine> {
        let p = Affine {
            x: Fe::from_be_bytes(x)?,
            y: Fe::from_be_bytes(y)?,
        };
        p.is_on_curve().then_some(p)
    }

    /// True when y² = x³ − 3x + b.
    pub(crate) fn is_on_curve(&self) -> bool {
        let x3 = self.x.square().mul(&self.x);
        let three_x = self.x.double().add(&self.x);
        let rhs = x3.sub(&three_x).add(&Fe::from_canonical(B));
        self.y.square() == rhs
    }

    /// −P.
    #[inline(always)]
    pub(crate) fn neg(&self) -> Affine {
        Affine {
            x: self.x,
            y: self.y.neg(),
        }
    }
}

impl Jacobian {
    /// The identity.
    pub(crate) const IDENTITY: Jacobian = Jacobian {
        x: Fe::ONE,
        y: Fe::ONE,
        z: Fe::ZERO,
    };

    /// True for the identity.
    #[inline(always)]
    pub(crate) fn is_identity(&self) -> bool {
        self.z.is_zero()
    }

    /// An affine point with Z = 1.
    #[inline(always)]
    pub(crate) fn from_affine(p: &Affine) -> Jacobian {
        Jacobian {
            x: p.x,
            y: p.y,
            z: Fe::ONE,
        }
    }

    /// −P.
    #[cfg(test)]
    pub(crate) fn neg(&self) -> Jacobian {
        Jacobian {
            x: self.x,
            y: self.y.neg(),
            z: self.z,
        }
    }

    /// 2P (`dbl-2001-b`, a = −3). The identity doubles to itself (Z stays 0); no point of the
    /// prime-order curve has y = 0.
    #[inline(always)]
    pub(crate) fn double(&self) -> Jacobian {
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let t = self.x.sub(&delta).mul(&self.x.add(&delta));
        let alpha = t.double().add(&t);
        let beta4 = beta.shl(2);
        let x3 = alpha.square().sub(&beta.shl(3));
        let z3 = self.y.mul(&self.z).double();
        let gamma2 = gamma.square();
        let gamma2_8 = gamma2.shl(3);
        let y3 = alpha.mul(&beta4.sub(&x3)).sub(&gamma2_8);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q with Q affine (`madd-2007-bl`).
    #[inline(always)]
    pub(crate) fn add_affine(&self, q: &Affine) -> Jacobian {
        if self.is_identity() {
            return Jacobian::from_affine(q);
        }
        let z1z1 = self.z.square();
        let u2 = q.x.mul(&z1z1);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        if h.is_zero() {
            if r.is_zero() {
                return self.double();
            }
            return Jacobian::IDENTITY;
        }
        let r = r.double();
        let hh = h.square();
        let i = hh.shl(2);
        let j = h.mul(&i);
        let v = self.x.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&j).double());
        let z3 = self.z.mul(&h).double();
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// P + Q (`add-2007-bl`).
    #[inline(always)]
    pub(crate) fn add(&self, q: &Jacobian) -> Jacobian {
        if self.is_identity() {
            return *q;
        }
        if q.is_identity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = q.x.mul(&z1z1);
        let s1 = self.y.mul(&q.z).mul(&z2z2);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        if h.is_zero() {
            if r.is_zero() {
                return self.double();
            }
            return Jacobian::IDENTITY;
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let r = r.double();
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = self.z.add(&q.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// This point with Z² and Z³ cached, as a right-hand side of [`Jacobian::add_cached`].
    #[inline(always)]
    pub(crate) fn cached(&self) -> Cached {
        let zz = self.z.square();
        Cached {
            x: self.x,
            y: self.y,
            z: self.z,
            zz,
            zzz: zz.mul(&self.z),
        }
    }

    /// P + Q, or P − Q when `negate`, with Q's Z² and Z³ cached (`add-2007-bl` less one S and
    /// one M). Q is never the identity.
    #[inline(always)]
    pub(crate) fn add_cached(&self, q: &Cached, negate: bool) -> Jacobian {
        let qy = if negate { q.y.neg() } else { q.y };
        if self.is_identity() {
            return Jacobian {
                x: q.x,
                y: qy,
                z: q.z,
            };
        }
        let z1z1 = self.z.square();
        let u1 = self.x.mul(&q.zz);
        let u2 = q.x.mul(&z1z1);
        let s1 = self.y.mul(&q.zzz);
        let s2 = qy.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        if h.is_zero() {
            if r.is_zero() {
                return self.double();
            }
            return Jacobian::IDENTITY;
        }
        let i = h.double().square();
        let j = h.mul(&i);
        let r = r.double();
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = self.z.mul(&q.z).double().mul(&h);
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// The affine point, or None for the identity (one inversion).
    #[cfg(test)]
    pub(crate) fn to_affine(self) -> Option<Affine> {
        if self.is_identity() {
            return None;
        }
        let zi = self.z.invert();
        let zi2 = zi.square();
        Some(Affine {
            x: self.x.mul(&zi2),
            y: self.y.mul(&zi2).mul(&zi),
        })
    }

    /// Converts many points to affine with one inversion. Panics (debug) on the identity,
    /// which callers never pass.
    pub(crate) fn batch_to_affine(points: &[Jacobian]) -> Vec<Affine> {
        let mut zs: Vec<Fe> = points.iter().map(|p| p.z).collect();
        Fe::batch_invert(&mut zs);
        points
            .iter()
            .zip(zs.iter())
            .map(|(p, zi)| {
                debug_assert!(!p.is_identity());
                let zi2 = zi.square();
                Affine {
                    x: p.x.mul(&zi2),
                    y: p.y.mul(&zi2).mul(zi),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_on_curve_and_group_law() {
        let g = Affine::generator();
        assert!(g.is_on_curve());
        let gj = Jacobian::from_affine(&g);
        let g2 = gj.double();
        let g3a = g2.add_affine(&g);
        let g3b = gj.add(&g2);
        let g3c = gj.add_affine(&g).add(&gj);
        let a = g3a.to_affine().unwrap();
        assert!(a.is_on_curve());
        assert_eq!(a, g3b.to_affine().unwrap());
        assert_eq!(a, g3c.to_affine().unwrap());
        let g3d = g2.add_cached(&gj.cached(), false);
        assert_eq!(a, g3d.to_affine().unwrap());
        let g1 = g2.add_cached(&gj.cached(), true);
        assert_eq!(g1.to_affine().unwrap(), g);
        let g4 = g2.double();
        assert!(g4.add_cached(&g4.neg().cached(), false).is_identity());
        assert_eq!(
            g2.add_cached(&g2.cached(), false).to_affine().unwrap(),
            g4.to_affine().unwrap()
        );
        let g1 = Jacobian::IDENTITY.add_cached(&gj.cached(), false);
        assert_eq!(g1.to_affine().unwrap(), g);
        assert!(gj.add_affine(&g.neg()).is_identity());
        assert!(gj.add(&gj.neg()).is_identity());
        assert!(Jacobian::IDENTITY.double().is_identity());
        assert_eq!(Jacobian::IDENTITY.add_affine(&g).to_affine().unwrap(), g);
        let pts = [g2, g3a, gj];
        let aff = Jacobian::batch_to_affine(&pts);
        assert_eq!(aff[0], g2.to_affine().unwrap());
        assert_eq!(aff[1], a);
        assert_eq!(aff[2], g);
    }
}
