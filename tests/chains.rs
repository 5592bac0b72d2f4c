//! Certificate path validation against independent vectors: OpenSSL-made SM2 chains
//! (`test-vectors/chains/`, regenerated fresh by `gen.sh` when OpenSSL is present), any other
//! `test-vectors/chains*/cases.json` (e.g. Bouncy Castle), the ofdrw sample certificates, and a
//! malformed corpus.

use eseal::pki::{
    CertOptions, Certificate, Crl, Purpose, Time, TrustStore, parse_certificates,
    verify_certificate_report,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Returns false (after printing why) when OpenSSL is missing outside CI; panics in CI.
fn need_openssl() -> bool {
    if openssl_available() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("openssl not found (required in CI)");
    }
    println!("skipped: openssl not found");
    false
}

fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            println!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

/// The certificate of a PKCS#12 file, extracted with OpenSSL (BC files need `-legacy`).
fn p12_cert(path: &Path, pass: &str) -> Certificate {
    let out = Command::new("openssl")
        .args(["pkcs12", "-legacy", "-nokeys", "-passin"])
        .arg(format!("pass:{pass}"))
        .arg("-in")
        .arg(path)
        .output()
        .expect("run openssl pkcs12");
    assert!(out.status.success(), "openssl pkcs12 failed on {path:?}");
    let certs = parse_certificates(&out.stdout).expect("certificate from PKCS#12");
    assert_eq!(certs.len(), 1, "{path:?}");
    certs.into_iter().next().unwrap()
}

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

#[test]
fn ofdrw_certificates_chain_to_root() {
    let Some(dir) = samples() else { return };
    if !need_openssl() {
        return;
    }
    let dir = dir.join("ofdrw");
    let root = p12_cert(&dir.join("ROOT.p12"), "123456");
    let user = p12_cert(&dir.join("USER.p12"), "777777");
    let maker = p12_cert(&dir.join("SealBuilder.p12"), "777777");
    let sign = parse_certificates(&std::fs::read(dir.join("sign_cert.pem")).unwrap()).unwrap();
    assert_eq!(user.serial_hex(), "01719D2DAB60");
    assert_eq!(maker.serial_hex(), "01719D2E201D");
    assert_eq!(
        root.subject(),
        "CN=OFD Reader and WriterROOT Certificate,L=Hangzhou,ST=Zhejiang,O=OFD R&W,C=CN"
    );
    let mut store = TrustStore::new();
    store.add_anchor(root.clone());
    let now = Time::now();
    for (c, at) in [
        (&user, "2021-01-01T00:00:00Z"),
        (&maker, "2021-01-01T00:00:00Z"),
        (&sign[0], "2022-01-01T00:00:00Z"),
    ] {
        let opts = CertOptions {
            at: t(at),
            now,
            purpose: Purpose::Signing,
        };
        let r = verify_certificate_report("x", c, &store, &opts);
        assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#?}", r);
        assert_eq!(
            r.find_check("cert.chain").unwrap().status,
            eseal::Status::Pass
        );
        assert_eq!(
            r.find_check("cert.validity").unwrap().status,
            eseal::Status::Warn
        );
        let r = verify_certificate_report("x", c, &store, &CertOptions::now(Purpose::Signing));
        assert_eq!(
            r.find_check("cert.validity").unwrap().status,
            eseal::Status::Fail
        );
        assert_eq!(r.verdict, eseal::Verdict::Invalid);
        // Without the root the chain cannot be decided.
        let r = verify_certificate_report("x", c, &TrustStore::new(), &opts);
        assert_eq!(
            r.find_check("cert.chain").unwrap().status,
            eseal::Status::Indeterminate
        );
    }
    // The root is an anchor: valid by itself.
    let opts = CertOptions {
        at: t("2021-01-01T00:00:00Z"),
        now: t("2021-01-01T00:00:00Z"),
        purpose: Purpose::Any,
    };
    let r = verify_certificate_report("root", &root, &store, &opts);
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{r:#?}");
    let _ = Crl::from_der_or_pem(b"");
}
