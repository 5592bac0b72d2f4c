//! SM3: one large input, small inputs, and an OFD-like package through `sm3_many`.
//!
//! `cargo bench --bench sm3 -- --warm-up-time 1 --measurement-time 3`; OpenSSL's figure beside
//! it comes from `benches/crypto_peers.sh`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use eseal::crypto::sm3::{sm3, sm3_many};
use std::hint::black_box;

fn bench_sm3(c: &mut Criterion) {
    let mut g = c.benchmark_group("sm3");
    for size in [64usize, 4096, 1 << 20] {
        let data = vec![0x61u8; size];
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function(format!("one/{size}"), |b| b.iter(|| sm3(black_box(&data))));
    }
    // 400 parts of 2–64 KiB, as in an OFD package with images and fonts.
    let parts: Vec<Vec<u8>> = (0..400)
        .map(|i| vec![i as u8; 2048 + (i * 7919) % (62 * 1024)])
        .collect();
    let total: usize = parts.iter().map(Vec::len).sum();
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("package/one_by_one", |b| {
        b.iter(|| parts.iter().map(|p| sm3(p)).collect::<Vec<_>>())
    });
    g.bench_function("package/sm3_many", |b| {
        b.iter(|| sm3_many(black_box(&parts)))
    });
    g.finish();
}

criterion_group!(benches, bench_sm3);
criterion_main!(benches);
