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
