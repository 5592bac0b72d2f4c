//! The batch verifier's cached seal-signature verification (`Verifier::verify_ses_signature`:
//! the seal's own checks once per seal, certificates parsed once, paths from the validation
//! cache) gives exactly the report of the uncached `eseal::ses::verify_ses_signature`, for
//! valid signatures, tampered data, other signing times, a tampered signature value, a
//! revoked signer, and seals that differ; and `verify_many` over SES
//! signature files verifies the seal once.

mod common;

use common::*;
use eseal::batch::{BatchOptions, Input, Verifier};
use eseal::ses::{DataInput, SignRequest, VerifyOptions, Version, sign_data, verify_ses_signature};

struct Case {
    der: Vec<u8>,
    data: Vec<u8>,
}

fn cases(p: &Pki) -> Vec<Case> {
    let seal_a = p.seal(Version::V4);
    let seal_b = p
        .builder()
        .seal_type(3)
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap();
    let mut out = Vec::new();
    for i in 0..24u32 {
        let seal = if i % 6 == 5 { &seal_b } else { &seal_a };
        let when = if i % 8 == 7 {
            "2024-06-01T00:00:00Z" // another signing time: another reference time
        } else {
            SIGNING
        };
        let data = format!("document number {i}").into_bytes();
        let req = SignRequest::new(seal, &p.signer.cert, "doc.txt", t(when));
        let sig = sign_data(&req, data.as_slice(), &p.signer.signer()).unwrap();
        let mut der = sig.to_der().unwrap();
        if i % 7 == 3 {
            let n = der.len();
            der[n - 4] ^= 0x20; // the signer's signature value
        }
        let data = if i % 5 == 4 {
            b"tampered".to_vec()
        } else {
            data
        };
        out.push(Case { der, data });
    }
    out
}

#[test]
fn cached_equals_uncached() {
    let p = pki();
    let mut store = p.store.clone();
    let cases = cases(&p);
    for revoked in [false, true] {
        if revoked {
            store.add_crl(p.crl(3, "2025-01-01T00:00:00Z")); // the signer, before signing
        }
        let v = Verifier::with_store(store.clone());
        let opts = VerifyOptions {
            now: t(NOW),
            ..VerifyOptions::default()
        };
        let mut verdicts = std::collections::BTreeMap::new();
        for round in 0..2 {
            for (i, c) in cases.iter().enumerate() {
                let expected =
                    verify_ses_signature(&c.der, Some(DataInput::Bytes(&c.data)), &store, &opts);
                let got = v.verify_ses_signature(&c.der, Some(DataInput::Bytes(&c.data)), &opts);
                assert_eq!(got, expected, "case {i} round {round} revoked {revoked}");
                *verdicts.entry(got.verdict.as_str()).or_insert(0) += 1;
            }
        }
        let (hits, misses) = v.seal_cache_stats();
        assert_eq!(misses, 2, "two distinct seals");
        assert_eq!(hits, 2 * 24 - 2);
        // 7 of the 24 have a bad signature value or tampered data; once the signer is revoked
        // (2025-01-01) only the 3 signed before that (2024-06-01) stay valid (a warning).
        let want = if revoked { (6, 42) } else { (34, 14) };
        assert_eq!(
            (verdicts["valid"], verdicts["invalid"]),
            want,
            "{verdicts:?}"
        );
    }
}

#[test]
fn batch_of_ses_files_verifies_the_seal_once() {
    let p = pki();
    let seal = p.seal(Version::V4);
    let mut v = Verifier::with_store(p.store.clone());
    v.set_time(Some(t(NOW)));
    let inputs: Vec<Input> = (0..50)
        .map(|i| {
            let data = format!("licence {i}").into_bytes();
            let req = SignRequest::new(&seal, &p.signer.cert, "x", t(SIGNING));
            let sig = sign_data(&req, data.as_slice(), &p.signer.signer()).unwrap();
            Input::Bytes {
                name: format!("s{i}.ses"),
                bytes: sig.to_der().unwrap(),
            }
        })
        .collect();
    let opts = BatchOptions {
        jobs: 2,
        ..BatchOptions::default()
    };
    let mut n = 0;
    v.verify_many(inputs.into_iter(), &opts, |o| {
        for r in &o.reports {
            assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#?}", r);
            n += 1;
        }
    });
    assert_eq!(n, 50);
    let (hits, misses) = v.seal_cache_stats();
    // Two workers may both miss on the first inputs.
    assert!(misses <= 2 && hits + misses == 50, "{hits} {misses}");
}
