//! The field multiplication kernel: the only `unsafe` code in the eseal library.
//!
//! Montgomery multiplication modulo the SM2 prime p (GB/T 32918.5 §A) in x86-64 assembly with
//! BMI2 `mulx` and ADX `adcx`/`adox`: each row of the product and each reduction row runs two
//! independent carry chains (CF for the low halves, OF for the high halves), which the portable
//! `u128` code cannot express and the compiler does not produce from intrinsics. The algorithm is
//! CIOS (coarsely integrated operand scanning) with m = the lowest limb, because
//! −p⁻¹ ≡ 1 (mod 2^64) for this p.
//!
//! Safety: the assembly needs BMI2 and ADX. It is reachable only through an [`Adx`] token,
//! which [`Adx::detect`] makes only after `is_x86_feature_detected!` saw both features, so the
//! instructions never run on a CPU without them; everywhere else (other CPUs, other
//! architectures, or `ESEAL_SM2_PORTABLE=1` in the environment) the portable code in `field.rs`
//! runs. The assembly reads the two 32-byte inputs through pointers to live references, reads
//! the constant p, writes only its register outputs, and uses no stack.
//!
//! Tests: `field.rs` checks it against the portable multiplication on random and edge-case
//! inputs, and `tests/sm2_differential.rs` against the portable path and RustCrypto `sm2`
//! (field level, [`super::field_mul_paths`], and whole verifications).
//!
//! Variable-time is not an issue here: the sequence is in fact branch-free, but it only serves
//! verification, which handles public data.
#![allow(unsafe_code)]

/// Proof that the CPU running this process has BMI2 and ADX.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Adx(());

impl Adx {
    /// The token when the kernel may run: an x86-64 CPU with BMI2 and ADX, and
    /// `ESEAL_SM2_PORTABLE` unset. Detected once per process.
    #[inline(always)]
    pub(crate) fn detect() -> Option<Adx> {
        use std::sync::atomic::{AtomicU8, Ordering};
        // 0: not yet known, 1: portable, 2: kernel.
        static STATE: AtomicU8 = AtomicU8::new(0);
        match STATE.load(Ordering::Relaxed) {
            2 => Some(Adx(())),
            1 => None,
            _ => {
                let ok = cpu_has_adx() && std::env::var_os("ESEAL_SM2_PORTABLE").is_none();
                STATE.store(if ok { 2 } else { 1 }, Ordering::Relaxed);
                ok.then_some(Adx(()))
            }
        }
    }

    /// `(t, c)` with `t + c·2^256 = a·b·2^−256 mod p` and `t + c·2^256 < 2^256 + p`, for any
    /// `a, b < 2^256` (little-endian limbs).
    #[inline(always)]
    pub(crate) fn mont_mul(self, a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], u64) {
        mont_mul_asm(a, b)
    }

    /// `(t, c)` with `t + c·2^256 = a²·2^−256 mod p` and `t + c·2^256 < 2^256 + p`, for any
    /// `a < 2^256`: the six cross products once, doubled, plus the four squares, then four
    /// reduction rows on the low half.
    #[inline(always)]
    pub(crate) fn mont_sqr(self, a: &[u64; 4]) -> ([u64; 4], u64) {
        mont_sqr_asm(a)
    }
}

#[cfg(target_arch = "x86_64")]
fn cpu_has_adx() -> bool {
    std::arch::is_x86_feature_detected!("bmi2") && std::arch::is_x86_feature_detected!("adx")
}

#[cfg(not(target_arch = "x86_64"))]
fn cpu_has_adx() -> bool {
    false
}

/// The prime p, little-endian limbs, for the assembly's memory operands.
#[cfg(target_arch = "x86_64")]
static SM2_P: [u64; 4] = super::field::P;

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn mont_mul_asm(a: &[u64; 4], b: &[u64; 4]) -> ([u64; 4], u64) {
    let (t0, t1, t2, t4, t5): (u64, u64, u64, u64, u64);
    // SAFETY: only reached through an `Adx` token, so the CPU has BMI2 (mulx) and ADX
    // (adcx/adox). `a` and `b` point to 4 readable u64 each (live references); the code reads
    // them and the static `SM2_P`, writes only the declared registers and flags, and touches
    // no stack.
    unsafe {
        std::arch::asm!(
            "xor {t0:e}, {t0:e}",
            "mov {t1}, {t0}",
            "mov {t2}, {t0}",
            "mov {t3}, {t0}",
            "mov {t4}, {t0}",
            "mov {t5}, {t0}",
            "mov rdx, qword ptr [{b} + 0]",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [{a} + 0]",
            "adcx {t0}, {lo}",
            "adox {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {t1}, {lo}",
            "adox {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "adcx {t4}, {z}",
            "adcx {t5}, {z}",
            "adox {t5}, {z}",
            "mov rdx, {t0}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t0}, {lo}",
            "adox {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t1}, {lo}",
            "adox {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "adcx {t4}, {z}",
            "adcx {t5}, {z}",
            "adox {t5}, {z}",
            "mov rdx, qword ptr [{b} + 8]",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [{a} + 0]",
            "adcx {t1}, {lo}",
            "adox {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {t4}, {lo}",
            "adox {t5}, {hi}",
            "adcx {t5}, {z}",
            "adcx {t0}, {z}",
            "adox {t0}, {z}",
            "mov rdx, {t1}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t1}, {lo}",
            "adox {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t4}, {lo}",
            "adox {t5}, {hi}",
            "adcx {t5}, {z}",
            "adcx {t0}, {z}",
            "adox {t0}, {z}",
            "mov rdx, qword ptr [{b} + 16]",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [{a} + 0]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {t4}, {lo}",
            "adox {t5}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {t5}, {lo}",
            "adox {t0}, {hi}",
            "adcx {t0}, {z}",
            "adcx {t1}, {z}",
            "adox {t1}, {z}",
            "mov rdx, {t2}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t4}, {lo}",
            "adox {t5}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t5}, {lo}",
            "adox {t0}, {hi}",
            "adcx {t0}, {z}",
            "adcx {t1}, {z}",
            "adox {t1}, {z}",
            "mov rdx, qword ptr [{b} + 24]",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [{a} + 0]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 8]",
            "adcx {t4}, {lo}",
            "adox {t5}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {t5}, {lo}",
            "adox {t0}, {hi}",
            "mulx {hi}, {lo}, qword ptr [{a} + 24]",
            "adcx {t0}, {lo}",
            "adox {t1}, {hi}",
            "adcx {t1}, {z}",
            "adcx {t2}, {z}",
            "adox {t2}, {z}",
            "mov rdx, {t3}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t4}, {lo}",
            "adox {t5}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t5}, {lo}",
            "adox {t0}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t0}, {lo}",
            "adox {t1}, {hi}",
            "adcx {t1}, {z}",
            "adcx {t2}, {z}",
            "adox {t2}, {z}",
            a = in(reg) a.as_ptr(),
            b = in(reg) b.as_ptr(),
            p = sym SM2_P,
            t0 = out(reg) t0,
            t1 = out(reg) t1,
            t2 = out(reg) t2,
            t3 = out(reg) _,
            t4 = out(reg) t4,
            t5 = out(reg) t5,
            hi = out(reg) _,
            lo = out(reg) _,
            z = out(reg) _,
            out("rdx") _,
            options(pure, readonly, nostack),
        );
    }
    // After four reduction rows the limbs have rotated: the result is t4, t5, t0, t1 and the
    // carry limb t2 (t3 is zero).
    ([t4, t5, t0, t1], t2)
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn mont_sqr_asm(a: &[u64; 4]) -> ([u64; 4], u64) {
    let (r0, t0, t1, t2, c): (u64, u64, u64, u64, u64);
    // SAFETY: as for `mont_mul_asm`; `a`'s register is reused as a limb once the last load
    // from it is done.
    unsafe {
        std::arch::asm!(
            "mov rdx, qword ptr [{a}]",
            "mulx {t2}, {t1}, qword ptr [{a} + 8]",
            "mulx {t3}, {lo}, qword ptr [{a} + 16]",
            "add {t2}, {lo}",
            "mulx {t4}, {lo}, qword ptr [{a} + 24]",
            "adc {t3}, {lo}",
            "adc {t4}, 0",
            "mov rdx, qword ptr [{a} + 8]",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [{a} + 16]",
            "adcx {t3}, {lo}",
            "adox {t4}, {hi}",
            "mulx {t5}, {lo}, qword ptr [{a} + 24]",
            "adcx {t4}, {lo}",
            "adcx {t5}, {z}",
            "adox {t5}, {z}",
            "mov rdx, qword ptr [{a} + 16]",
            "mulx {t6}, {lo}, qword ptr [{a} + 24]",
            "add {t5}, {lo}",
            "adc {t6}, 0",
            "xor {t7:e}, {t7:e}",
            "adcx {t1}, {t1}",
            "adcx {t2}, {t2}",
            "adcx {t3}, {t3}",
            "adcx {t4}, {t4}",
            "adcx {t5}, {t5}",
            "adcx {t6}, {t6}",
            "adcx {t7}, {t7}",
            "mov rdx, qword ptr [{a}]",
            "mulx {hi}, {t0}, rdx",
            "add {t1}, {hi}",
            "mov rdx, qword ptr [{a} + 8]",
            "mulx {hi}, {lo}, rdx",
            "adc {t2}, {lo}",
            "adc {t3}, {hi}",
            "mov rdx, qword ptr [{a} + 16]",
            "mulx {hi}, {lo}, rdx",
            "adc {t4}, {lo}",
            "adc {t5}, {hi}",
            "mov rdx, qword ptr [{a} + 24]",
            "mulx {hi}, {lo}, rdx",
            "adc {t6}, {lo}",
            "adc {t7}, {hi}",
            "mov rdx, {t0}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t0}, {lo}",
            "adox {t1}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t1}, {lo}",
            "adox {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {a}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t3}, {lo}",
            "adcx {a}, {z}",
            "adox {a}, {z}",
            "mov rdx, {t1}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t1}, {lo}",
            "adox {t2}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t3}, {lo}",
            "adox {a}, {hi}",
            "mulx {t0}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {a}, {lo}",
            "adcx {t0}, {z}",
            "adox {t0}, {z}",
            "mov rdx, {t2}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t2}, {lo}",
            "adox {t3}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {t3}, {lo}",
            "adox {a}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {a}, {lo}",
            "adox {t0}, {hi}",
            "mulx {t1}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t0}, {lo}",
            "adcx {t1}, {z}",
            "adox {t1}, {z}",
            "mov rdx, {t3}",
            "xor {z:e}, {z:e}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 0]",
            "adcx {t3}, {lo}",
            "adox {a}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 8]",
            "adcx {a}, {lo}",
            "adox {t0}, {hi}",
            "mulx {hi}, {lo}, qword ptr [rip + {p} + 16]",
            "adcx {t0}, {lo}",
            "adox {t1}, {hi}",
            "mulx {t2}, {lo}, qword ptr [rip + {p} + 24]",
            "adcx {t1}, {lo}",
            "adcx {t2}, {z}",
            "adox {t2}, {z}",
            "xor {z:e}, {z:e}",
            "adcx {a}, {t4}",
            "adcx {t0}, {t5}",
            "adcx {t1}, {t6}",
            "adcx {t2}, {t7}",
            "adcx {z}, {z}",
            a = inout(reg) a.as_ptr() => r0,
            p = sym SM2_P,
            t0 = out(reg) t0,
            t1 = out(reg) t1,
            t2 = out(reg) t2,
            t3 = out(reg) _,
            t4 = out(reg) _,
            t5 = out(reg) _,
            t6 = out(reg) _,
            t7 = out(reg) _,
            hi = out(reg) _,
            lo = out(reg) _,
            z = out(reg) c,
            out("rdx") _,
            options(pure, readonly, nostack),
        );
    }
    // The reduced low half ended in a, t0, t1, t2 (t3 is zero) and the high half t4..t7 was
    // added to it; z holds the carry.
    ([r0, t0, t1, t2], c)
}

#[cfg(not(target_arch = "x86_64"))]
fn mont_sqr_asm(_: &[u64; 4]) -> ([u64; 4], u64) {
    unreachable!("no Adx token exists off x86-64")
}

#[cfg(not(target_arch = "x86_64"))]
fn mont_mul_asm(_: &[u64; 4], _: &[u64; 4]) -> ([u64; 4], u64) {
    unreachable!("no Adx token exists off x86-64")
}
