//! With the sample keys of ofdrw (PKCS#12, read through `ESEAL_SAMPLES`): the sample
//! signatures chain to ROOT.p12, and seals made and applied with the real maker (SealBuilder.p12)
//! and signer (USER.p12) keys verify completely at a time the certificates were valid.

use eseal::crypto::SoftwareSigner;
use eseal::crypto::keyfile::load_key_bundle;
use eseal::pki::{Certificate, Time, TrustStore};
use eseal::report::{Status, Verdict};
use eseal::ses::{
    DataInput, SealBuilder, SignRequest, VerifyOptions, sign_data, verify_seal,
    verify_ses_signature,
};

fn read(name: &str) -> Option<Vec<u8>> {
    let Ok(dir) = std::env::var("ESEAL_SAMPLES") else {
        println!("skipped: ESEAL_SAMPLES not set");
        return None;
    };
    Some(std::fs::read(format!("{dir}/ofdrw/{name}")).unwrap())
}

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

fn store() -> Option<TrustStore> {
    let root = load_key_bundle(&read("ROOT.p12")?, Some(b"123456")).unwrap();
    let mut s = TrustStore::new();
    s.add_anchor(Certificate::from_der(&root.certificates[0]).unwrap());
    Some(s)
}

#[test]
fn sample_signature_chains_to_the_sample_root() {
    let Some(store) = store() else { return };
    let der = read("SignedValueV4.dat").unwrap();
    let opts = VerifyOptions {
        now: t("2026-01-01T00:00:00Z"),
        ..VerifyOptions::default()
    };
    let r = verify_ses_signature(&der, None, &store, &opts);
    for id in ["maker_cert.chain", "signer_cert.chain"] {
        let c = r.checks.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.status, Status::Pass, "{id}: {}", c.message);
    }
    // Valid at signing time, expired since: warnings, not failures.
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r.checks);
}

#[test]
fn make_and_apply_with_the_sample_keys() {
    let Some(store) = store() else { return };
    let maker = load_key_bundle(&read("SealBuilder.p12").unwrap(), Some(b"777777")).unwrap();
    let user = load_key_bundle(&read("USER.p12").unwrap(), Some(b"777777")).unwrap();
    let png = read("StampImg.png").unwrap();
    let when = t("2021-03-01T00:00:00Z");
    let seal = SealBuilder::new("eseal", "sample-keys-1", "样例印章")
        .signer_certs(vec![user.certificates[0].clone()])
        .create_date(when)
        .validity(when, t("2022-01-01T00:00:00Z"))
        .picture("PNG", png, 40, 40)
        .now(when)
        .build(&maker.certificates[0], &SoftwareSigner::new(maker.key))
        .unwrap();
    let xml = read("Signature.xml").unwrap();
    let req = SignRequest::new(
        &seal,
        &user.certificates[0],
        "/Doc_0/Signs/Sign_0/Signature.xml",
        t("2021-06-01T00:00:00Z"),
    );
    let s = sign_data(&req, &xml[..], &SoftwareSigner::new(user.key)).unwrap();
    let opts = VerifyOptions {
        now: t("2021-07-01T00:00:00Z"),
        ..VerifyOptions::default()
    };
    let r = verify_ses_signature(s.raw_der(), Some(DataInput::Bytes(&xml)), &store, &opts);
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r.checks);
    let r = verify_seal(seal.raw_der(), &store, &opts);
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r.checks);
    // Today the maker certificate has expired: making a seal is refused.
    let maker = load_key_bundle(&read("SealBuilder.p12").unwrap(), Some(b"777777")).unwrap();
    let e = SealBuilder::new("eseal", "x", "x")
        .signer_certs(vec![user.certificates[0].clone()])
        .validity(when, t("2022-01-01T00:00:00Z"))
        .picture("PNG", read("StampImg.png").unwrap(), 40, 40)
        .build(&maker.certificates[0], &SoftwareSigner::new(maker.key))
        .unwrap_err();
    assert_eq!(e.kind(), eseal::ErrorKind::SealRefused);
}
