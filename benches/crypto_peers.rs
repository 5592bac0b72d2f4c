//! One round of eseal's SM2/SM3 figures beside RustCrypto's, timed by this thread's CPU time
//! (`/proc/thread-self/schedstat`, nanoseconds on CPU), so that other processes competing for
//! the cores do not inflate them. `benches/crypto_peers.sh` runs several rounds interleaved with
//! OpenSSL and the Python peers and prints medians and ratios.
//!
//! `cargo bench --bench crypto_peers` prints `name value unit` lines (ops/s or MiB/s).
//! `ESEAL_PEERS_SECONDS` sets the CPU seconds per figure (default 1).

use eseal::crypto::sm2_verify::{PrecomputedPublicKey, verify_prehash};
use eseal::crypto::{PrivateKey, Signature};
use std::hint::black_box;

/// CPU time of this thread in nanoseconds, or wall-clock time where schedstat is missing.
fn cpu_ns() -> u64 {
    if let Ok(s) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(v) = s.split_whitespace().next().and_then(|v| v.parse().ok())
    {
        return v;
    }
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_nanos() as u64
}

/// Runs `f` in batches until `secs` of CPU time passed; returns operations per CPU second.
fn rate(secs: f64, mut f: impl FnMut()) -> f64 {
    for _ in 0..16 {
        f();
    }
    let budget = (secs * 1e9) as u64;
    let start = cpu_ns();
    let mut n = 0u64;
    let mut batch = 16u64;
    loop {
        for _ in 0..batch {
            f();
        }
        n += batch;
        let spent = cpu_ns() - start;
        if spent >= budget {
            return n as f64 * 1e9 / spent as f64;
        }
        batch = (batch * 2).min(4096);
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is accepted.
    let secs: f64 = std::env::var("ESEAL_PEERS_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    const CASES: usize = 32;
    let key = PrivateKey::from_bytes(&[0x5a; 32]).expect("key");
    let pk = key.public_key().clone();
    let cases: Vec<([u8; 32], Signature)> = (0..CASES)
        .map(|i| {
            let e = [i as u8 ^ 0xa5; 32];
            (e, key.sign_digest(&e).expect("sign"))
        })
        .collect();
    let pre = PrecomputedPublicKey::new(&pk);
    let mut i = 0usize;

    let v = rate(secs, || {
        i = (i + 1) % CASES;
        let (e, s) = &cases[i];
        assert!(verify_prehash(black_box(&pk), black_box(e), black_box(s)));
    });
    println!("eseal_verify {v:.0} ops/s");
    let v = rate(secs, || {
        i = (i + 1) % CASES;
        let (e, s) = &cases[i];
        assert!(pre.verify_digest(black_box(e), black_box(s)).is_ok());
    });
    println!("eseal_verify_precomputed {v:.0} ops/s");
    let v = rate(secs, || {
        i = (i + 1) % CASES;
        black_box(key.sign_digest(black_box(&cases[i].0)).expect("sign"));
    });
    println!("eseal_sign {v:.0} ops/s");

    {
        use ::sm2::dsa::signature::hazmat::{PrehashVerifier, RandomizedPrehashSigner};
        let vk = ::sm2::dsa::VerifyingKey::new("", *pk.as_inner()).expect("vk");
        let sk = ::sm2::dsa::SigningKey::new("", key.as_inner()).expect("sk");
        let rc: Vec<([u8; 32], ::sm2::dsa::Signature)> = cases
            .iter()
            .map(|(e, s)| {
                (
                    *e,
                    ::sm2::dsa::Signature::from_scalars(*s.r(), *s.s()).unwrap(),
                )
            })
            .collect();
        let v = rate(secs, || {
            i = (i + 1) % CASES;
            let (e, s) = &rc[i];
            assert!(vk.verify_prehash(black_box(e), black_box(s)).is_ok());
        });
        println!("rustcrypto_verify {v:.0} ops/s");
        let mut rng = SysRng;
        let v = rate(secs, || {
            i = (i + 1) % CASES;
            let s: ::sm2::dsa::Signature = sk
                .sign_prehash_with_rng(&mut rng, &cases[i].0)
                .expect("sign");
            black_box(s);
        });
        println!("rustcrypto_sign {v:.0} ops/s");
    }

    let data = vec![0x61u8; 1 << 20];
    let v = rate(secs, || {
        black_box(eseal::crypto::sm3(black_box(&data)));
    });
    println!("eseal_sm3_1MiB {v:.1} MiB/s");
    // An OFD-like package: 400 parts of 2–64 KiB, hashed one by one and with sm3_many.
    let parts: Vec<Vec<u8>> = (0..400)
        .map(|i| vec![i as u8; 2048 + (i * 7919) % (62 * 1024)])
        .collect();
    let total: usize = parts.iter().map(Vec::len).sum();
    let mib = total as f64 / (1 << 20) as f64;
    let t = std::time::Instant::now();
    let mut rounds = 0u32;
    while t.elapsed().as_secs_f64() < secs {
        black_box(eseal::crypto::sm3::sm3_many(black_box(&parts)));
        rounds += 1;
    }
    println!(
        "eseal_sm3_many_wall {:.1} MiB/s",
        mib * rounds as f64 / t.elapsed().as_secs_f64()
    );
    let t = std::time::Instant::now();
    let mut rounds = 0u32;
    while t.elapsed().as_secs_f64() < secs {
        for p in &parts {
            black_box(eseal::crypto::sm3(black_box(p)));
        }
        rounds += 1;
    }
    println!(
        "eseal_sm3_serial_wall {:.1} MiB/s",
        mib * rounds as f64 / t.elapsed().as_secs_f64()
    );
}

/// The operating system's generator for RustCrypto's randomized signer.
struct SysRng;

impl rand_core::TryRng for SysRng {
    type Error = getrandom::Error;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        getrandom::fill(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst)
    }
}

impl rand_core::TryCryptoRng for SysRng {}
