//! SM2 verification and signing, SM3 hashing: RustCrypto `sm2` against eseal's fast paths,
//! side by side in one run.
//!
//! `cargo bench --bench sm2 -- --warm-up-time 1 --measurement-time 3`;
//! `benches/openssl_speed.sh` adds OpenSSL's figures and prints the ratios, and
//! `benches/crypto_peers.sh` compares with OpenSSL, RustCrypto, tongsuopy and gmssl-fast by CPU
//! time over interleaved rounds. `ESEAL_SM2_PORTABLE=1` measures the portable field code
//! instead of the BMI2/ADX kernel.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eseal::crypto::sm2_verify::{PrecomputedPublicKey, verify_prehash};
use eseal::crypto::{PrivateKey, Signature};
use std::hint::black_box;

/// Signatures cycled through so that branch predictors do not learn one input.
const CASES: usize = 32;

fn bench_sm2(c: &mut Criterion) {
    use ::sm2::dsa::signature::hazmat::PrehashVerifier;
    let key = PrivateKey::from_bytes(&[0x5a; 32]).expect("key");
    let pk = key.public_key().clone();
    let cases: Vec<([u8; 32], Signature)> = (0..CASES)
        .map(|i| {
            let e = [i as u8 ^ 0xa5; 32];
            (e, key.sign_digest(&e).expect("sign"))
        })
        .collect();
    let rc_cases: Vec<([u8; 32], ::sm2::dsa::Signature)> = cases
        .iter()
        .map(|(e, s)| {
            let sig = ::sm2::dsa::Signature::from_scalars(*s.r(), *s.s()).expect("sig");
            (*e, sig)
        })
        .collect();
    let vk = ::sm2::dsa::VerifyingKey::new("", *pk.as_inner()).expect("vk");
    let pre = PrecomputedPublicKey::new(&pk);
    // Build the G table before timing.
    assert!(verify_prehash(&pk, &cases[0].0, &cases[0].1));

    let mut g = c.benchmark_group("sm2");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    g.bench_function("verify/rustcrypto_sm2", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            let (e, s) = &rc_cases[i];
            assert!(vk.verify_prehash(black_box(e), black_box(s)).is_ok());
        })
    });
    g.bench_function("verify/eseal", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            let (e, s) = &cases[i];
            assert!(verify_prehash(black_box(&pk), black_box(e), black_box(s)));
        })
    });
    g.bench_function("verify/eseal_precomputed", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            let (e, s) = &cases[i];
            assert!(pre.verify_digest(black_box(e), black_box(s)).is_ok());
        })
    });
    g.bench_function("precompute_key/eseal", |b| {
        b.iter(|| PrecomputedPublicKey::new(black_box(&pk)))
    });
    g.bench_function("sign/eseal", |b| {
        b.iter(|| {
            i = (i + 1) % CASES;
            key.sign_digest(black_box(&cases[i].0)).expect("sign")
        })
    });
    {
        use ::sm2::dsa::signature::hazmat::PrehashSigner;
        // RustCrypto with the key parsed once (deterministic RFC 6979 nonce).
        let sk = ::sm2::dsa::SigningKey::new("", key.as_inner()).expect("sk");
        g.bench_function("sign/rustcrypto_sm2", |b| {
            b.iter(|| {
                i = (i + 1) % CASES;
                let s: ::sm2::dsa::Signature =
                    sk.sign_prehash(black_box(&cases[i].0)).expect("sign");
                s
            })
        });
    }
    g.finish();

    let data = vec![0x61u8; 1 << 20];
    let mut g = c.benchmark_group("sm3");
    g.throughput(Throughput::Bytes(data.len() as u64));
    g.bench_function("1MiB", |b| b.iter(|| eseal::crypto::sm3(black_box(&data))));
    g.finish();
}

criterion_group!(benches, bench_sm2);
criterion_main!(benches);
