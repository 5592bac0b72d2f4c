//! The sample OFDs of `ESEAL_SAMPLES/ofdrw` give their expected results (MANIFEST.md, with the
//! two deviations explained below).

mod ofd_common;

use eseal::ofd::{VerifyOptions, verify_ofd_file};
use eseal::report::{Status, Verdict, ids};
use ofd_common::{TestPki, samples};

fn status(r: &eseal::Report, sig: usize, id: &str) -> Option<Status> {
    r.signatures[sig]
        .checks
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.status)
}

const CONTAINER: [&str; 3] = [ids::REFERENCES, ids::DATA_HASH, "property_info"];
const CRYPTO: [&str; 4] = [
    ids::FORMAT,
    ids::SIGNATURE,
    ids::SIGNER_IN_SEAL,
    ids::SEAL_SIGNATURE,
];

#[test]
fn tax_invoices() {
    let Some(dir) = samples() else { return };
    for name in ["signedFile.ofd", "v4signed.ofd"] {
        let r = verify_ofd_file(dir.join(name), &VerifyOptions::default());
        println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        assert_eq!(r.signatures.len(), 1, "{name}");
        assert_eq!(r.signatures[0].format, "ses-v4", "{name}");
        for id in CONTAINER
            .iter()
            .chain(CRYPTO.iter())
            .chain([&ids::SEAL_VALIDITY])
        {
            assert_eq!(status(&r, 0, id), Some(Status::Pass), "{name} {id}");
        }
        assert_eq!(
            status(&r, 0, "seal_file"),
            Some(Status::Skip),
            "{name}: no Seal.esl"
        );
        assert_eq!(
            r.find_check("unprotected_files").unwrap().status,
            Status::Pass
        );
        assert!(
            r.extra.get("licence").is_none(),
            "{name}: invoices are not licences"
        );
        // The tax CA is private: no anchor, so the chains are undecided, never failed.
        assert_eq!(
            status(&r, 0, ids::SIGNER_CERT_CHAIN),
            Some(Status::Indeterminate)
        );
        assert_eq!(
            status(&r, 0, ids::MAKER_CERT_CHAIN),
            Some(Status::Indeterminate)
        );
        for c in &r.signatures[0].checks {
            assert_ne!(c.status, Status::Fail, "{name}: {} {}", c.id, c.message);
        }
        if name == "signedFile.ofd" {
            // The seal's createDate (2019-10-11) precedes its maker certificate's notBefore
            // (2019-10-16): the standard's rule would fail it; the certificate was valid at the
            // signing time, so `ses` reports a warning naming the discrepancy.
            let c = r.find_check(ids::MAKER_CERT_VALIDITY).unwrap();
            assert_eq!(c.status, Status::Warn, "{}", c.message);
            assert!(
                c.message
                    .contains("precedes the maker certificate's notBefore")
            );
        }
        // Every check passes; only the private tax root is missing.
        assert_eq!(r.verdict, Verdict::Indeterminate, "{name}");
    }
}

#[test]
fn ofdrw_sealed_documents_with_root_anchor() {
    let Some(dir) = samples() else { return };
    let pki = TestPki::load(&dir);
    let opts = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    // allprotected.ofd: sealed 2020-10-23, inside every validity: valid (warnings: expired now).
    let r = verify_ofd_file(dir.join("allprotected.ofd"), &opts);
    println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
    assert_eq!(r.verdict, Verdict::Valid);
    assert_eq!(status(&r, 0, "seal_file"), Some(Status::Pass));
    assert_eq!(status(&r, 0, ids::SIGNER_CERT_CHAIN), Some(Status::Pass));
    assert_eq!(status(&r, 0, ids::SIGNER_CERT_VALIDITY), Some(Status::Warn));
    assert_eq!(
        r.signatures[0].signer.as_ref().unwrap().serial,
        "01719D2DAB60"
    );
    // Without the anchor: undecided.
    let r = verify_ofd_file(dir.join("allprotected.ofd"), &VerifyOptions::default());
    assert_eq!(r.verdict, Verdict::Indeterminate);

    // SESV4SignDoc.ofd: every cryptographic and container check passes and the chains reach
    // ROOT, but its timeInfo is 2026-08-04 (the zip entries carry the same date), after the
    // seal's validity end and the signer certificate's expiry (both 2022-04): so it is invalid
    // for exactly those two reasons (MANIFEST's "valid at signing time" does not hold for the
    // file as shipped).
    let r = verify_ofd_file(dir.join("SESV4SignDoc.ofd"), &opts);
    println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
    for id in CONTAINER
        .iter()
        .chain(CRYPTO.iter())
        .chain(["seal_file", ids::SIGNER_CERT_CHAIN, ids::MAKER_CERT_CHAIN].iter())
    {
        assert_eq!(status(&r, 0, id), Some(Status::Pass), "{id}");
    }
    assert_eq!(
        r.signatures[0].signing_time.as_deref(),
        Some("2026-08-04T02:08:09Z")
    );
    assert_eq!(status(&r, 0, ids::SEAL_VALIDITY), Some(Status::Fail));
    assert_eq!(status(&r, 0, ids::SIGNER_CERT_VALIDITY), Some(Status::Fail));
    let failed: Vec<_> = r.signatures[0]
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(failed, vec![ids::SEAL_VALIDITY, ids::SIGNER_CERT_VALIDITY]);
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn digital_sign_sample() {
    let Some(dir) = samples() else { return };
    let r = verify_ofd_file(dir.join("DigitalSign.ofd"), &VerifyOptions::default());
    assert_eq!(r.signatures.len(), 1);
    assert_eq!(r.signatures[0].id, "s001");
    assert_eq!(r.signatures[0].format, "sm2");
    assert_eq!(status(&r, 0, ids::REFERENCES), Some(Status::Pass));
    // A bare SM2 signature carries no certificate: undecided without one.
    assert_eq!(status(&r, 0, ids::SIGNATURE), Some(Status::Indeterminate));

    let pki = TestPki::load(&dir);
    let user = eseal::pki::Certificate::from_der(&pki.user_cert).unwrap();
    let mut opts = VerifyOptions {
        sign_certificate: Some(user),
        ..Default::default()
    };
    let r = verify_ofd_file(dir.join("DigitalSign.ofd"), &opts);
    assert_eq!(status(&r, 0, ids::SIGNATURE), Some(Status::Pass));
    assert_eq!(
        status(&r, 0, "signer_cert.chain"),
        Some(Status::Indeterminate)
    );
    assert_eq!(
        r.signatures[0].signer.as_ref().unwrap().serial,
        "01719D2DAB60"
    );
    opts.trust = pki.trust();
    let r = verify_ofd_file(dir.join("DigitalSign.ofd"), &opts);
    assert_eq!(status(&r, 0, "signer_cert.chain"), Some(Status::Pass));
    // Judged at the signing time 2020-04-22: valid then, expired now (a warning).
    assert_eq!(status(&r, 0, "signer_cert.validity"), Some(Status::Warn));
    assert_eq!(r.verdict, Verdict::Valid);
    // Another certificate does not verify the signature.
    let other = eseal::pki::parse_certificates(&std::fs::read(dir.join("sign_cert.pem")).unwrap())
        .unwrap()
        .remove(0);
    let r = verify_ofd_file(
        dir.join("DigitalSign.ofd"),
        &VerifyOptions {
            sign_certificate: Some(other),
            ..Default::default()
        },
    );
    assert_eq!(status(&r, 0, ids::SIGNATURE), Some(Status::Fail));
    assert_eq!(r.verdict, Verdict::Invalid);
}

#[test]
fn unsigned_samples() {
    let Some(dir) = samples() else { return };
    for name in ["VPage7.ofd", "helloworld.ofd"] {
        let r = verify_ofd_file(dir.join(name), &VerifyOptions::default());
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        assert!(r.signatures.is_empty());
        assert_eq!(
            r.verdict,
            Verdict::Indeterminate,
            "{name}: unsigned is not valid"
        );
    }
}
