//! The sample OFDs of `ESEAL_SAMPLES/ofdrw` give their MANIFEST results.

use eseal::ofd::{VerifyOptions, verify_ofd_file};
use eseal::report::{Status, Verdict, ids};
use std::path::PathBuf;

fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p).join("ofdrw")),
        None => {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

fn status(r: &eseal::Report, sig: usize, id: &str) -> Option<Status> {
    r.signatures[sig]
        .checks
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.status)
}

#[test]
fn sealed_samples_pass_container_checks() {
    let Some(dir) = samples() else { return };
    for name in [
        "signedFile.ofd",
        "v4signed.ofd",
        "SESV4SignDoc.ofd",
        "allprotected.ofd",
    ] {
        let r = verify_ofd_file(dir.join(name), &VerifyOptions::default());
        println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        assert_eq!(r.signatures.len(), 1, "{name}");
        assert!(r.signatures[0].format.starts_with("ses-v4"), "{name}");
        assert_eq!(status(&r, 0, ids::FORMAT), Some(Status::Pass), "{name}");
        assert_eq!(status(&r, 0, ids::REFERENCES), Some(Status::Pass), "{name}");
        assert_eq!(status(&r, 0, ids::DATA_HASH), Some(Status::Pass), "{name}");
        let unprot = r
            .checks
            .iter()
            .find(|c| c.id == "unprotected_files")
            .unwrap();
        assert_eq!(unprot.status, Status::Pass, "{name}: {}", unprot.message);
        assert_ne!(r.verdict, Verdict::Invalid, "{name}");
        assert_ne!(r.verdict, Verdict::Valid, "{name}: SES not verified yet");
        assert!(
            r.extra.get("licence").is_none(),
            "{name}: invoices are not licences"
        );
    }
    // Seal.esl present in the ofdrw-made files and equal to the seal in the signature.
    for name in ["SESV4SignDoc.ofd", "allprotected.ofd"] {
        let r = verify_ofd_file(dir.join(name), &VerifyOptions::default());
        assert_eq!(status(&r, 0, "seal_file"), Some(Status::Pass), "{name}");
    }
    for name in ["signedFile.ofd", "v4signed.ofd"] {
        let r = verify_ofd_file(dir.join(name), &VerifyOptions::default());
        assert_eq!(status(&r, 0, "seal_file"), Some(Status::Skip), "{name}");
    }
}

#[test]
fn digital_sign_sample() {
    let Some(dir) = samples() else { return };
    let r = verify_ofd_file(dir.join("DigitalSign.ofd"), &VerifyOptions::default());
    println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
    assert_eq!(r.signatures.len(), 1);
    assert_eq!(r.signatures[0].id, "s001");
    assert_eq!(r.signatures[0].format, "sm2");
    assert_eq!(status(&r, 0, ids::REFERENCES), Some(Status::Pass));
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

fn openssl_ok() -> bool {
    let ok = std::process::Command::new("openssl")
        .arg("version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl not found (required in CI)"
        );
        eprintln!("skipped: openssl not found");
    }
    ok
}

/// The certificate of a PKCS#12 file, extracted with OpenSSL (`-legacy` for the RC2 ofdrw files).
fn p12_cert(path: &std::path::Path, pass: &str) -> eseal::pki::Certificate {
    let run = |legacy: bool| {
        let mut cmd = std::process::Command::new("openssl");
        cmd.arg("pkcs12");
        if legacy {
            cmd.arg("-legacy");
        }
        cmd.args(["-nokeys", "-passin"])
            .arg(format!("pass:{pass}"))
            .arg("-in")
            .arg(path)
            .output()
            .expect("run openssl pkcs12")
    };
    let mut out = run(true);
    if !out.status.success() {
        out = run(false);
    }
    assert!(out.status.success(), "openssl pkcs12 failed on {path:?}");
    eseal::pki::parse_certificates(&out.stdout)
        .unwrap()
        .remove(0)
}

#[test]
fn digital_sign_with_signer_certificate() {
    let Some(dir) = samples() else { return };
    if !openssl_ok() {
        return;
    }
    let user = p12_cert(&dir.join("USER.p12"), "777777");
    let root = p12_cert(&dir.join("ROOT.p12"), "123456");
    let mut opts = VerifyOptions {
        sign_certificate: Some(user.clone()),
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
    opts.trust.add_anchor(root);
    let r = verify_ofd_file(dir.join("DigitalSign.ofd"), &opts);
    println!("{}", serde_json::to_string_pretty(&r.to_json()).unwrap());
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
