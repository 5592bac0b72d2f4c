//! Benchmarks for seals (GB/T 38540): making a seal, applying it to 1 MiB of data, and the full
//! verification of the resulting signature (all 15 checks, with a one-level test PKI).
//!
//! Run: `cargo bench --bench ses`.

use criterion::{Criterion, criterion_group, criterion_main};
use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pki::issue::{self, CertificateParams, Issuer, NameBuilder};
use eseal::pki::{Certificate, Time, TrustStore};
use eseal::ses::{
    DataInput, SealBuilder, SignRequest, VerifyOptions, sign_data, verify_ses_signature,
};
use std::hint::black_box;

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

fn cert(
    serial: u8,
    cn: &str,
    key: &PrivateKey,
    issuer: &PrivateKey,
    issuer_name: &[u8],
    ca: bool,
) -> Vec<u8> {
    let signer = SoftwareSigner::new(issuer.clone());
    issue::issue_certificate(
        &CertificateParams {
            serial: vec![serial],
            subject: NameBuilder::new().country("CN").common_name(cn),
            not_before: t("2020-01-01T00:00:00Z"),
            not_after: t("2040-01-01T00:00:00Z"),
            public_key: key.public_key().clone(),
            ca: ca.then_some(None),
            key_usage: if ca {
                eseal::pki::KeyUsage::KEY_CERT_SIGN
            } else {
                eseal::pki::KeyUsage::DIGITAL_SIGNATURE
            },
            extended_key_usage: vec![],
        },
        &Issuer {
            name_der: issuer_name.to_vec(),
            public_key: issuer.public_key().clone(),
            signer: &signer,
        },
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let root_key = PrivateKey::generate().unwrap();
    let root_name = NameBuilder::new()
        .country("CN")
        .common_name("bench root")
        .to_der()
        .unwrap();
    let root = cert(1, "bench root", &root_key, &root_key, &root_name, true);
    let maker_key = PrivateKey::generate().unwrap();
    let maker = cert(2, "maker", &maker_key, &root_key, &root_name, false);
    let signer_key = PrivateKey::generate().unwrap();
    let signer_cert = cert(3, "signer", &signer_key, &root_key, &root_name, false);
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&root).unwrap());
    let mut picture = b"\x89PNG\r\n\x1a\n".to_vec();
    picture.resize(16 * 1024, 0x42);
    let maker_signer = SoftwareSigner::new(maker_key);
    let signer = SoftwareSigner::new(signer_key);
    let builder = SealBuilder::new("bench", "es-1", "bench seal")
        .signer_certs(vec![signer_cert.clone()])
        .create_date(t("2024-01-01T00:00:00Z"))
        .validity(t("2024-01-01T00:00:00Z"), t("2030-01-01T00:00:00Z"))
        .picture("PNG", picture, 40, 40)
        .now(t("2024-01-01T00:00:00Z"));
    let data = vec![0x5au8; 1 << 20];

    c.bench_function("ses/make_seal", |b| {
        b.iter(|| builder.build(black_box(&maker), &maker_signer).unwrap())
    });
    let seal = builder.build(&maker, &maker_signer).unwrap();
    let req = SignRequest::new(&seal, &signer_cert, "/doc", t("2025-01-01T00:00:00Z"));
    c.bench_function("ses/apply_1MiB", |b| {
        b.iter(|| sign_data(&req, black_box(&data[..]), &signer).unwrap())
    });
    let sig = sign_data(&req, &data[..], &signer).unwrap();
    let opts = VerifyOptions {
        now: t("2026-01-01T00:00:00Z"),
        ..VerifyOptions::default()
    };
    c.bench_function("ses/verify_full_1MiB", |b| {
        b.iter(|| {
            let r = verify_ses_signature(
                black_box(sig.raw_der()),
                Some(DataInput::Bytes(&data)),
                &store,
                &opts,
            );
            assert_eq!(r.verdict, eseal::Verdict::Valid);
            r
        })
    });
    c.bench_function("ses/verify_no_data", |b| {
        b.iter(|| verify_ses_signature(black_box(sig.raw_der()), None, &store, &opts))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
