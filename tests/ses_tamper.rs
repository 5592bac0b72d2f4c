//! One tampered variant per verification check: each fails exactly its check and no other.

mod common;

use common::*;
use eseal::crypto::{DEFAULT_ID, PrivateKey};
use eseal::pki::TrustStore;
use eseal::report::{SignatureReport, Status};
use eseal::ses::{
    DataInput, Seal, SesSignature, SignRequest, VerifyOptions, Version, sign_hash, verify_seal,
    verify_ses_signature,
};

const DATA: &[u8] = b"protected bytes";

fn opts() -> VerifyOptions {
    VerifyOptions {
        now: t(NOW),
        ..VerifyOptions::default()
    }
}

fn sign(seal: &Seal, signer: &Party) -> SesSignature {
    let req = SignRequest::new(seal, &signer.cert, "/doc", t(SIGNING));
    sign_hash(&req, &eseal::crypto::sm3(DATA), &signer.signer()).unwrap()
}

/// Re-signs a modified signature's TBS_Sign with `key` and returns its DER.
fn resign(mut s: SesSignature, key: &PrivateKey) -> Vec<u8> {
    let tbs = SesSignature::from_der(&s.to_der().unwrap())
        .unwrap()
        .tbs_bytes()
        .to_vec();
    s.signature = key.sign(DEFAULT_ID, &tbs).unwrap().to_der();
    s.to_der().unwrap()
}

fn verify(der: &[u8], store: &TrustStore) -> SignatureReport {
    verify_ses_signature(der, Some(DataInput::Bytes(DATA)), store, &opts())
}

#[track_caller]
fn only_fails(r: &SignatureReport, id: &str) {
    let failed: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(failed, [id], "{:#?}", r.checks);
    assert_eq!(r.checks.len(), 15);
}

/// Corrupts the signature value of a certificate (its last byte, inside s).
fn corrupt_cert_signature(cert: &[u8]) -> Vec<u8> {
    let mut c = cert.to_vec();
    let n = c.len();
    c[n - 1] ^= 0x01;
    c
}

#[test]
fn baseline_is_valid() {
    let p = pki();
    let s = sign(&p.seal(Version::V4), &p.signer);
    let r = verify(s.raw_der(), &p.store);
    assert!(r.checks.iter().all(|c| c.status != Status::Fail));
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#?}", r.checks);
}

#[test]
fn format() {
    let p = pki();
    for bad in [
        &b"\x30\x03\x02\x01\x04"[..],
        b"",
        b"\x04\x02ab",
        b"\x30\x80\x00\x00",
    ] {
        let r = verify(bad, &p.store);
        only_fails(&r, "format");
        assert!(r.checks[1..].iter().all(|c| c.status == Status::Skip));
    }
}

#[test]
fn signature() {
    let p = pki();
    let s = sign(&p.seal(Version::V4), &p.signer);
    let other = PrivateKey::generate().unwrap();
    only_fails(&verify(&resign(s, &other), &p.store), "signature");
}

#[test]
fn signer_in_seal() {
    let p = pki();
    let s = sign(&p.seal(Version::V4), &p.signer);
    // A seal from the same maker that lists somebody else.
    let other = leaf(
        &p.root,
        &p.root_name,
        9,
        "other",
        KU_SIGN,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let seal2 = p
        .builder()
        .signer_certs(vec![other.cert.clone()])
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap();
    let mut s2 = s.clone();
    s2.tbs.seal = seal2;
    only_fails(
        &verify(&resign(s2, &p.signer.key), &p.store),
        "signer_in_seal",
    );
}

#[test]
fn seal_signature() {
    let p = pki();
    let mut seal = p.seal(Version::V4);
    seal.signed_value = p.maker.key.sign(DEFAULT_ID, b"other").unwrap().to_der();
    let seal = Seal::from_der(&seal.to_der().unwrap()).unwrap();
    let s = sign(&seal, &p.signer);
    only_fails(&verify(s.raw_der(), &p.store), "seal_signature");
    let r = verify_seal(seal.raw_der(), &p.store, &opts());
    let failed: Vec<&str> = r
        .checks
        .iter()
        .filter(|c| c.status == Status::Fail)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(failed, ["seal_signature"]);
}

#[test]
fn seal_validity() {
    let p = pki();
    let mut s = sign(&p.seal(Version::V4), &p.signer);
    s.tbs.time_info = Some(t("2031-01-01T00:00:00Z"));
    only_fails(
        &verify(&resign(s, &p.signer.key), &p.store),
        "seal_validity",
    );
}

#[test]
fn seal_validity_v5_create_date() {
    let p = pki();
    let seal = p
        .builder()
        .version(Version::V5)
        .create_date(t("2025-01-01T00:00:00Z"))
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap();
    let mut s = sign(&seal, &p.signer);
    s.tbs.time_info = Some(t("2024-06-01T00:00:00Z"));
    let r = verify(&resign(s, &p.signer.key), &p.store);
    only_fails(&r, "seal_validity");
    assert!(r.checks[4].message.contains("createDate"));
}

fn with_maker(p: &Pki, maker: &Party) -> Seal {
    p.builder()
        .skip_maker_cert_check(true)
        .build(&maker.cert, &maker.signer())
        .unwrap()
}

#[test]
fn maker_cert_chain() {
    let p = pki();
    let maker = Party {
        key: p.maker.key.clone(),
        cert: corrupt_cert_signature(&p.maker.cert),
    };
    let s = sign(&with_maker(&p, &maker), &p.signer);
    only_fails(&verify(s.raw_der(), &p.store), "maker_cert.chain");
}

#[test]
fn maker_cert_validity() {
    let p = pki();
    let maker = leaf(
        &p.root,
        &p.root_name,
        40,
        "expired maker",
        KU_SIGN,
        vec![],
        CERT_FROM,
        "2023-01-01T00:00:00Z",
    );
    let s = sign(&with_maker(&p, &maker), &p.signer);
    only_fails(&verify(s.raw_der(), &p.store), "maker_cert.validity");
}

#[test]
fn maker_cert_revocation() {
    let mut p = pki();
    let crl = p.crl(2, "2023-06-01T00:00:00Z");
    p.store.add_crl(crl);
    let s = sign(&p.seal(Version::V4), &p.signer);
    let r = verify(s.raw_der(), &p.store);
    only_fails(&r, "maker_cert.revocation");
    assert_eq!(
        r.checks
            .iter()
            .find(|c| c.id == "signer_cert.revocation")
            .unwrap()
            .status,
        Status::Pass
    );
}

#[test]
fn maker_cert_key_usage() {
    let p = pki();
    let maker = leaf(
        &p.root,
        &p.root_name,
        41,
        "enc maker",
        KU_ENC,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let s = sign(&with_maker(&p, &maker), &p.signer);
    only_fails(&verify(s.raw_der(), &p.store), "maker_cert.key_usage");
}

fn with_signer(p: &Pki, signer: &Party) -> SesSignature {
    let seal = p
        .builder()
        .signer_certs(vec![signer.cert.clone()])
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap();
    sign(&seal, signer)
}

#[test]
fn signer_cert_chain() {
    let p = pki();
    let signer = Party {
        key: p.signer.key.clone(),
        cert: corrupt_cert_signature(&p.signer.cert),
    };
    let s = with_signer(&p, &signer);
    only_fails(&verify(s.raw_der(), &p.store), "signer_cert.chain");
}

#[test]
fn signer_cert_validity() {
    let p = pki();
    let signer = leaf(
        &p.root,
        &p.root_name,
        50,
        "expired signer",
        KU_SIGN,
        vec![],
        CERT_FROM,
        "2025-01-01T00:00:00Z",
    );
    let s = with_signer(&p, &signer);
    only_fails(&verify(s.raw_der(), &p.store), "signer_cert.validity");
}

#[test]
fn signer_cert_revocation() {
    let mut p = pki();
    let crl = p.crl(3, "2025-01-01T00:00:00Z");
    p.store.add_crl(crl);
    let s = sign(&p.seal(Version::V4), &p.signer);
    only_fails(&verify(s.raw_der(), &p.store), "signer_cert.revocation");
}

#[test]
fn signer_cert_key_usage() {
    let p = pki();
    let signer = leaf(
        &p.root,
        &p.root_name,
        51,
        "enc signer",
        KU_ENC,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let s = with_signer(&p, &signer);
    only_fails(&verify(s.raw_der(), &p.store), "signer_cert.key_usage");
}

#[test]
fn timestamp() {
    let p = pki();
    let seal = p.seal(Version::V4);
    let at = t("2025-06-01T00:00:05Z");
    // Wrong imprint, a bad token, and a token whose TSA signature is broken.
    let wrong = |_: &[u8]| Ok(tsa_token(&p.tsa, b"something else", at));
    let junk = |_: &[u8]| Ok(vec![1, 2, 3]);
    let broken = |sig: &[u8]| {
        let mut tok = tsa_token(&p.tsa, sig, at);
        let n = tok.len();
        tok[n - 1] ^= 1;
        Ok(tok)
    };
    for (name, f) in [
        (
            "imprint",
            &wrong as &dyn Fn(&[u8]) -> eseal::Result<Vec<u8>>,
        ),
        ("junk", &junk),
        ("tsa signature", &broken),
    ] {
        let mut req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
        req.timestamp = Some(f);
        let s = sign_hash(&req, &eseal::crypto::sm3(DATA), &p.signer.signer()).unwrap();
        let r = verify(s.raw_der(), &p.store);
        only_fails(&r, "timestamp");
        let c = r.checks.iter().find(|c| c.id == "timestamp").unwrap();
        println!("{name}: {}", c.message);
    }
}

#[test]
fn data_hash() {
    let p = pki();
    let s = sign(&p.seal(Version::V4), &p.signer);
    let r = verify_ses_signature(
        s.raw_der(),
        Some(DataInput::Bytes(b"other bytes")),
        &p.store,
        &opts(),
    );
    only_fails(&r, "data_hash");
}

/// A seal whose createDate precedes the maker certificate's notBefore (as production tax seals
/// have): a bare seal fails `maker_cert.validity` (the standard's rule); a signature made while
/// the certificate was valid gets a warning; one made when it was not still fails.
#[test]
fn maker_cert_valid_only_after_create_date() {
    let p = pki();
    let seal = p
        .builder()
        .skip_maker_cert_check(true)
        .create_date(t("2019-06-01T00:00:00Z"))
        .validity(t("2019-06-01T00:00:00Z"), t(SEAL_TO))
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap();
    let r = verify_seal(&seal.to_der().unwrap(), &p.store, &opts());
    let c = r.find_check("maker_cert.validity").unwrap();
    assert_eq!(c.status, Status::Fail, "{}", c.message);

    let s = sign(&seal, &p.signer);
    let r = verify(&s.to_der().unwrap(), &p.store);
    let c = r
        .checks
        .iter()
        .find(|c| c.id == "maker_cert.validity")
        .unwrap();
    assert_eq!(c.status, Status::Warn, "{}", c.message);
    assert!(
        c.message
            .contains("precedes the maker certificate's notBefore")
    );
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#?}", r.checks);

    // Used at a time the maker certificate was not valid either: still a failure.
    let mut s = sign(&seal, &p.signer);
    s.tbs.time_info = Some(t("2019-07-01T00:00:00Z"));
    let r = verify(&resign(s, &p.signer.key), &p.store);
    let c = r
        .checks
        .iter()
        .find(|c| c.id == "maker_cert.validity")
        .unwrap();
    assert_eq!(c.status, Status::Fail, "{}", c.message);
}
