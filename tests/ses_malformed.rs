//! A deterministic malformed corpus: mutations (truncations, bit flips, corrupted lengths and
//! tags, inserted and deleted bytes) of the real sample seals and signatures, and of seals and
//! signatures made with a test PKI. Every mutant decodes to an error or verifies with a failed
//! check (never a panic); for the generated inputs, whose originals are valid, no mutant that
//! changes the bytes verifies as valid.

mod common;

use common::*;
use eseal::pki::TrustStore;
use eseal::report::{Status, Verdict};
use eseal::ses::{
    self, DataInput, Seal, SesSignature, SignRequest, VerifyOptions, Version, sign_hash,
    verify_seal, verify_ses_signature,
};

/// Deterministic mutations of `der` (about 60 per input).
fn mutants(der: &[u8], seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let n = der.len();
    let mut x = seed | 1;
    let mut rnd = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    // Truncations, including inside the headers.
    for cut in [
        0,
        1,
        2,
        3,
        4,
        5,
        8,
        16,
        30,
        n / 3,
        n / 2,
        n - 70,
        n - 2,
        n - 1,
    ] {
        if cut < n {
            out.push((format!("truncate@{cut}"), der[..cut].to_vec()));
        }
    }
    // Bit flips: every header byte of the first 40, and random positions.
    let positions: Vec<usize> = (0..40.min(n))
        .chain((0..20).map(|_| (rnd() as usize) % n))
        .collect();
    for i in positions {
        let mut m = der.to_vec();
        m[i] ^= 1 << (rnd() % 8);
        out.push((format!("flip@{i}"), m));
    }
    // Lengths made huge or short, tags replaced.
    for (i, v) in [
        (1usize, 0x84u8),
        (1, 0x80),
        (5, 0xff),
        (6, 0x00),
        (9, 0x85),
        (2, 0x00),
    ] {
        if i < n {
            let mut m = der.to_vec();
            m[i] = v;
            out.push((format!("set@{i}={v:02x}"), m));
        }
    }
    for tag in [0x31u8, 0x04, 0xa0, 0x02, 0x1f] {
        let mut m = der.to_vec();
        m[4.min(n - 1)] = tag;
        out.push((format!("tag@4={tag:02x}"), m));
    }
    // Inserted and deleted bytes, and appended garbage inside the outer length.
    for i in [4usize, 10, n / 2] {
        let mut m = der.to_vec();
        m.insert(i.min(n), 0x00);
        out.push((format!("insert@{i}"), m));
        let mut m = der.to_vec();
        m.remove(i.min(n - 1));
        out.push((format!("delete@{i}"), m));
    }
    out
}

fn opts() -> VerifyOptions {
    VerifyOptions {
        now: t(NOW),
        ..VerifyOptions::default()
    }
}

/// Runs every entry point on a mutant; returns true when the result is "valid".
fn exercise(m: &[u8], store: &TrustStore, data: &[u8]) -> bool {
    let _ = ses::detect(m);
    let seal = Seal::from_der(m);
    let sig = SesSignature::from_der(m);
    if let Ok(s) = &seal {
        let _ = s.to_der();
        let _ = s.verify_maker_signature();
    }
    if let Ok(s) = &sig {
        let _ = s.to_der();
        let _ = s.verify_signer_signature();
    }
    let r = verify_seal(m, store, &opts());
    assert!(seal.is_ok() || r.checks.iter().any(|c| c.status == Status::Fail));
    let sr = verify_ses_signature(m, Some(DataInput::Bytes(data)), store, &opts());
    assert!(sig.is_ok() || sr.checks.iter().any(|c| c.status == Status::Fail));
    match (seal.is_ok(), sig.is_ok()) {
        (true, _) => r.verdict == Verdict::Valid,
        (_, true) => sr.verdict == Verdict::Valid,
        _ => false,
    }
}

#[test]
fn sample_corpus_never_panics() {
    let Ok(dir) = std::env::var("ESEAL_SAMPLES") else {
        println!("skipped: ESEAL_SAMPLES not set");
        return;
    };
    let store = TrustStore::new();
    let mut total = 0;
    let mut rejected = 0;
    for (k, name) in [
        "UserV1.esl",
        "UserV4.esl",
        "UserV5.esl",
        "UserV5_ts.esl",
        "SESealData.DER",
        "SignedValueV4.dat",
        "SignedValueV5.dat",
    ]
    .iter()
    .enumerate()
    {
        let der = std::fs::read(format!("{dir}/ofdrw/{name}")).unwrap();
        for (what, m) in mutants(&der, 0x9e37_79b9 + k as u64) {
            total += 1;
            let parsed = Seal::from_der(&m).is_ok() || SesSignature::from_der(&m).is_ok();
            if !parsed {
                rejected += 1;
            }
            // No anchors: nothing from the samples can be fully valid.
            assert!(!exercise(&m, &store, b""), "{name} {what}");
        }
    }
    println!("sample corpus: {total} mutants, {rejected} rejected at decoding");
    assert!(total >= 200, "{total}");
}

#[test]
fn generated_corpus_is_never_valid() {
    let p = pki();
    let data = b"data";
    let mut inputs = Vec::new();
    for v in [Version::V4, Version::V5] {
        let seal = p.seal(v);
        let mut req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
        req.version = v;
        let s = sign_hash(&req, &eseal::crypto::sm3(data), &p.signer.signer()).unwrap();
        inputs.push(seal.raw_der().to_vec());
        inputs.push(s.raw_der().to_vec());
    }
    let mut total = 0;
    for (k, der) in inputs.iter().enumerate() {
        assert!(exercise(der, &p.store, data), "original {k} is valid");
        for (what, m) in mutants(der, 0x51ed + k as u64) {
            if &m == der {
                continue;
            }
            total += 1;
            assert!(
                !exercise(&m, &p.store, data),
                "input {k} {what} verified as valid"
            );
        }
    }
    println!("generated corpus: {total} mutants");
    assert!(total >= 200, "{total}");
}
