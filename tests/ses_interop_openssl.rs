//! Seals and seal signatures against OpenSSL 3 (an independent SM2 implementation, with the
//! default distinguishing ID `1234567812345678`): OpenSSL verifies the maker's signature over
//! the SES_SealInfo we wrote and the signer's over TBS_Sign, and a seal whose signature OpenSSL
//! made verifies with our verifier. OpenSSL is installed by `.ci/setup.d/interop.sh`.

mod common;

use common::*;
use eseal::crypto::Signature;
use eseal::crypto::keyfile::to_pkcs8_pem;
use eseal::report::Status;
use eseal::ses::{Seal, SignRequest, VerifyOptions, Version, sign_hash, verify_seal};
use std::process::Command;

const DISTID: &str = "distid:1234567812345678";

fn openssl_verify(dir: &std::path::Path, cert: &[u8], msg: &[u8], sig_der: &[u8]) -> bool {
    std::fs::write(dir.join("cert.pem"), pem("CERTIFICATE", cert)).unwrap();
    let pubkey = run_ok(
        Command::new("openssl")
            .args(["x509", "-pubkey", "-noout", "-in"])
            .arg(dir.join("cert.pem")),
    );
    std::fs::write(dir.join("pub.pem"), pubkey).unwrap();
    std::fs::write(dir.join("msg.bin"), msg).unwrap();
    std::fs::write(dir.join("sig.der"), sig_der).unwrap();
    let out = run(Command::new("openssl")
        .args(["dgst", "-sm3", "-verify"])
        .arg(dir.join("pub.pem"))
        .args(["-sigopt", DISTID, "-signature"])
        .arg(dir.join("sig.der"))
        .arg(dir.join("msg.bin")));
    out.status.success()
}

#[test]
fn openssl_verifies_our_seal_and_signature() {
    if !require_tool("openssl") {
        return;
    }
    let dir = temp_dir("ses-openssl");
    let p = pki();
    for v in [Version::V4, Version::V5] {
        let seal = p.seal(v);
        let sig = Signature::from_bytes(&seal.signed_value).unwrap().to_der();
        assert!(
            openssl_verify(&dir, &p.maker.cert, seal.signed_bytes(), &sig),
            "{v:?} seal"
        );
        // A changed byte is rejected by OpenSSL too (the check can fail).
        let mut other = seal.signed_bytes().to_vec();
        other[10] ^= 1;
        assert!(!openssl_verify(&dir, &p.maker.cert, &other, &sig));

        let mut req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
        req.version = v;
        let s = sign_hash(&req, &[3; 32], &p.signer.signer()).unwrap();
        let sig = Signature::from_bytes(&s.signature).unwrap().to_der();
        assert!(
            openssl_verify(&dir, &p.signer.cert, s.tbs_bytes(), &sig),
            "{v:?} signature"
        );
    }
}

#[test]
fn we_verify_a_seal_signed_by_openssl() {
    if !require_tool("openssl") {
        return;
    }
    let dir = temp_dir("ses-openssl-sign");
    let p = pki();
    let mut seal = p.seal(Version::V4);
    std::fs::write(dir.join("key.pem"), to_pkcs8_pem(&p.maker.key).as_bytes()).unwrap();
    std::fs::write(dir.join("info.bin"), seal.signed_bytes()).unwrap();
    run_ok(
        Command::new("openssl")
            .args(["dgst", "-sm3", "-sign"])
            .arg(dir.join("key.pem"))
            .args(["-sigopt", DISTID, "-out"])
            .arg(dir.join("sig.der"))
            .arg(dir.join("info.bin")),
    );
    seal.signed_value = std::fs::read(dir.join("sig.der")).unwrap();
    let der = seal.to_der().unwrap();
    let seal = Seal::from_der(&der).unwrap();
    seal.verify_maker_signature().unwrap();
    let opts = VerifyOptions {
        now: t(NOW),
        ..VerifyOptions::default()
    };
    let r = verify_seal(&der, &p.store, &opts);
    let c = r.checks.iter().find(|c| c.id == "seal_signature").unwrap();
    assert_eq!(c.status, Status::Pass, "{}", c.message);
    assert_eq!(r.verdict, eseal::Verdict::Valid);
}
