//! Certificates and CRLs issued by `eseal::pki::issue` are accepted by OpenSSL 3
//! (`openssl verify -vfyopt distid:1234567812345678`), an implementation we did not write.
//! OpenSSL 3.0 uses the empty SM2 ID unless told, so the distid option is required.

use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pki::issue::*;
use eseal::pki::{KeyUsage, Time};
use std::process::Command;

fn openssl_available() -> bool {
    let ok = Command::new("openssl")
        .arg("version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl is required in CI"
        );
        eprintln!("skipped: openssl not found");
    }
    ok
}

#[test]
fn openssl_verifies_issued_chain_and_crl() {
    if !openssl_available() {
        return;
    }
    let dir = tempfile_dir();
    let t0 = Time::parse_rfc3339("2025-01-01T00:00:00Z").unwrap();
    let t1 = Time::parse_rfc3339("2045-01-01T00:00:00Z").unwrap();
    let root_key = PrivateKey::generate().unwrap();
    let root_signer = SoftwareSigner::new(root_key.clone());
    let root_name = NameBuilder::new()
        .country("CN")
        .organization("eseal test")
        .common_name("根 CA");
    let root_issuer = Issuer {
        name_der: root_name.to_der().unwrap(),
        public_key: root_key.public_key().clone(),
        signer: &root_signer,
    };
    let root = issue_certificate(
        &CertificateParams {
            serial: vec![1],
            subject: root_name.clone(),
            not_before: t0,
            not_after: Time::parse_rfc3339("2055-01-01T00:00:00Z").unwrap(),
            public_key: root_key.public_key().clone(),
            ca: Some(Some(1)),
            key_usage: KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN,
            extended_key_usage: vec![],
        },
        &root_issuer,
    )
    .unwrap();
    let leaf_key = PrivateKey::generate().unwrap();
    let leaf = issue_certificate(
        &CertificateParams {
            serial: vec![0x01, 0x71, 0x9d],
            subject: NameBuilder::new().country("CN").common_name("签章者"),
            not_before: t0,
            not_after: t1,
            public_key: leaf_key.public_key().clone(),
            ca: None,
            key_usage: KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION,
            extended_key_usage: vec![],
        },
        &root_issuer,
    )
    .unwrap();
    // OpenSSL 3.0 verifies CRL signatures with the empty SM2 ID and offers no option to change
    // it, so for OpenSSL's sake this CRL is signed with the empty ID (our own verifier uses the
    // default ID; see the pki tests).
    let empty_id_signer = SoftwareSigner::with_user_id(root_key.clone(), b"");
    let crl_issuer = Issuer {
        name_der: root_issuer.name_der.clone(),
        public_key: root_key.public_key().clone(),
        signer: &empty_id_signer,
    };
    let crl = issue_crl(
        &crl_issuer,
        t0,
        t1,
        7,
        &[RevokedEntry {
            serial: vec![9],
            revoked_at: t0,
        }],
    )
    .unwrap();
    std::fs::write(dir.join("root.pem"), to_pem("CERTIFICATE", &root)).unwrap();
    std::fs::write(dir.join("leaf.pem"), to_pem("CERTIFICATE", &leaf)).unwrap();
    std::fs::write(dir.join("crl.pem"), to_pem("X509 CRL", &crl)).unwrap();
    let out = Command::new("openssl")
        .args(["verify", "-vfyopt", "distid:1234567812345678", "-CAfile"])
        .arg(dir.join("root.pem"))
        .args(["-CRLfile"])
        .arg(dir.join("crl.pem"))
        .args(["-crl_check", "-attime", "1767225600"])
        .arg(dir.join("leaf.pem"))
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && text.contains(": OK"),
        "openssl verify: {text}"
    );
    // A tampered leaf must be refused by OpenSSL too (proves the check is real).
    let mut bad = leaf.clone();
    let n = bad.len();
    bad[n - 5] ^= 1;
    std::fs::write(dir.join("bad.pem"), to_pem("CERTIFICATE", &bad)).unwrap();
    let out = Command::new("openssl")
        .args(["verify", "-vfyopt", "distid:1234567812345678", "-CAfile"])
        .arg(dir.join("root.pem"))
        .args(["-attime", "1767225600"])
        .arg(dir.join("bad.pem"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "eseal-issue-{}-{}",
        std::process::id(),
        Time::now().unix()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}
