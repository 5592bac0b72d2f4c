//! Certificate path validation: a 3-certificate SM2 chain (root → intermediate → leaf, CRLs
//! from both CAs), judged with all four `cert.*` checks.

use criterion::{Criterion, criterion_group, criterion_main};
use eseal::crypto::{PrivateKey, PublicKey, SoftwareSigner};
use eseal::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate, issue_crl};
use eseal::pki::{
    CertOptions, Certificate, Crl, KeyUsage, Purpose, Time, TrustStore, check_certificate,
};
use std::hint::black_box;

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

struct Ca {
    key: PrivateKey,
    name: NameBuilder,
}

impl Ca {
    fn issuer<'a>(&self, signer: &'a SoftwareSigner) -> Issuer<'a> {
        Issuer {
            name_der: self.name.to_der().unwrap(),
            public_key: self.key.public_key().clone(),
            signer,
        }
    }
}

fn cert(
    subject: &NameBuilder,
    pk: &PublicKey,
    ca: Option<Option<u8>>,
    ku: u16,
    serial: u8,
    issuer: &Issuer<'_>,
) -> Vec<u8> {
    issue_certificate(
        &CertificateParams {
            serial: vec![serial],
            subject: subject.clone(),
            not_before: t("2025-01-01T00:00:00Z"),
            not_after: t("2035-01-01T00:00:00Z"),
            public_key: pk.clone(),
            ca,
            key_usage: ku,
            extended_key_usage: vec![],
        },
        issuer,
    )
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let root = Ca {
        key: PrivateKey::generate().unwrap(),
        name: NameBuilder::new().country("CN").common_name("bench root"),
    };
    let inter = Ca {
        key: PrivateKey::generate().unwrap(),
        name: NameBuilder::new()
            .country("CN")
            .common_name("bench intermediate"),
    };
    let leaf_key = PrivateKey::generate().unwrap();
    let root_signer = SoftwareSigner::new(root.key.clone());
    let inter_signer = SoftwareSigner::new(inter.key.clone());
    let ca_ku = KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN;
    let root_cert = cert(
        &root.name,
        root.key.public_key(),
        Some(None),
        ca_ku,
        1,
        &root.issuer(&root_signer),
    );
    let inter_cert = cert(
        &inter.name,
        inter.key.public_key(),
        Some(Some(0)),
        ca_ku,
        2,
        &root.issuer(&root_signer),
    );
    let leaf_cert = cert(
        &NameBuilder::new().country("CN").common_name("bench signer"),
        leaf_key.public_key(),
        None,
        KeyUsage::DIGITAL_SIGNATURE,
        3,
        &inter.issuer(&inter_signer),
    );
    let at = t("2026-01-01T00:00:00Z");
    let root_crl = issue_crl(
        &root.issuer(&root_signer),
        at,
        t("2027-01-01T00:00:00Z"),
        1,
        &[],
    )
    .unwrap();
    let inter_crl = issue_crl(
        &inter.issuer(&inter_signer),
        at,
        t("2027-01-01T00:00:00Z"),
        1,
        &[],
    )
    .unwrap();

    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&root_cert).unwrap());
    store.add_intermediate(Certificate::from_der(&inter_cert).unwrap());
    store.add_crl(Crl::from_der(&root_crl).unwrap());
    store.add_crl(Crl::from_der(&inter_crl).unwrap());
    let leaf = Certificate::from_der(&leaf_cert).unwrap();
    let opts = CertOptions {
        at,
        now: at,
        purpose: Purpose::Signing,
    };
    let checks = check_certificate(&leaf, &[], &store, &opts, "cert");
    assert!(
        checks.iter().all(|c| c.status == eseal::Status::Pass),
        "{checks:#?}"
    );

    let mut g = c.benchmark_group("pki");
    g.bench_function("validate_3_cert_chain_with_crls", |b| {
        b.iter(|| check_certificate(black_box(&leaf), &[], black_box(&store), &opts, "cert"))
    });
    g.bench_function("parse_certificate", |b| {
        b.iter(|| Certificate::from_der(black_box(&leaf_cert)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
