//! Sealing and verifying generated 1 MB and 100 MB PDFs, next to one SM3 pass over the same
//! bytes. Run: `cargo bench --bench pdf` (set `ESEAL_BENCH_BIG=0` to skip the 100 MB file).

#[path = "../tests/pdf_util/mod.rs"]
mod pdf_util;

use criterion::{Criterion, criterion_group, criterion_main};
use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use pdf_util::*;

fn bench(c: &mut Criterion) {
    let dir = tmpdir("bench");
    let s = test_signer("Bench");
    let mut sizes = vec![("1MB", 1u64 << 20)];
    if std::env::var("ESEAL_BENCH_BIG")
        .map(|v| v != "0")
        .unwrap_or(true)
    {
        sizes.push(("100MB", 100 << 20));
    }
    for (label, size) in sizes {
        let input = dir.join(format!("{label}.pdf"));
        write_big_pdf(&input, size);
        let sealed = dir.join(format!("{label}-sealed.pdf"));
        let opts = cms_options(1, 20.0, 20.0);
        seal_cms(&input, &sealed, &opts, &s).unwrap();
        let mut g = c.benchmark_group(format!("pdf {label}"));
        g.sample_size(10);
        g.bench_function("sm3 pass", |b| {
            b.iter(|| eseal::crypto::sm3::sm3_reader(std::fs::File::open(&input).unwrap()).unwrap())
        });
        let out = dir.join(format!("{label}-out.pdf"));
        g.bench_function("seal (cms)", |b| {
            b.iter(|| seal_cms(&input, &out, &opts, &s).unwrap())
        });
        g.bench_function("verify", |b| {
            b.iter(|| {
                let r = verify_pdf(&sealed, &VerifyOptions::default());
                assert_eq!(r.signatures.len(), 1);
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
