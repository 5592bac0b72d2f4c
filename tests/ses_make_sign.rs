//! Making seals and applying them, with a test PKI: the happy paths verify completely, and every
//! refusal the issue names is refused with the right error kind.

mod common;

use common::*;
use eseal::ErrorKind;
use eseal::crypto::PrivateKey;
use eseal::crypto::SoftwareSigner;
use eseal::report::{Status, Verdict};
use eseal::ses::{
    self, CertList, DataInput, Kind, Seal, SesSignature, SignRequest, VerifyOptions, Version,
    sign_data, sign_hash, verify_seal, verify_ses_signature,
};

fn opts() -> VerifyOptions {
    VerifyOptions {
        now: t(NOW),
        ..VerifyOptions::default()
    }
}

#[test]
fn made_seals_verify() {
    let p = pki();
    for v in [Version::V4, Version::V5] {
        let seal = p.seal(v);
        assert_eq!(seal.version(), v);
        assert_eq!(seal.seal_info.header.version, v.number());
        assert_eq!(seal.to_der().unwrap(), seal.raw_der());
        assert_eq!(ses::detect(seal.raw_der()), Some(Kind::Seal));
        let r = verify_seal(seal.raw_der(), &p.store, &opts());
        assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.checks);
        let ids: Vec<&str> = r.checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "format",
                "seal_signature",
                "seal_validity",
                "maker_cert.chain",
                "maker_cert.validity",
                "maker_cert.revocation",
                "maker_cert.key_usage"
            ]
        );
        assert_eq!(r.kind, eseal::report::Kind::Seal);
    }
}

#[test]
fn digest_cert_list() {
    let p = pki();
    let seal = p
        .builder()
        .cert_list_type(2)
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap();
    match &seal.seal_info.property.cert_list {
        CertList::Digests(d) => {
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].digest_type, "SM3");
            assert_eq!(d[0].value, eseal::crypto::sm3(&p.signer.cert).to_vec());
        }
        other => panic!("{other:?}"),
    }
    let req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
    let s = sign_hash(&req, &[7u8; 32], &p.signer.signer()).unwrap();
    let r = verify_ses_signature(
        s.raw_der(),
        Some(DataInput::Hash([7u8; 32])),
        &p.store,
        &opts(),
    );
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.checks);
    // Another certificate is not in a digest list.
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
    let req = SignRequest::new(&seal, &other.cert, "/doc", t(SIGNING));
    let e = sign_hash(&req, &[7u8; 32], &other.signer()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SealRefused);
}

#[test]
fn maker_refusals() {
    let p = pki();
    // Key does not match the certificate.
    let e = p
        .builder()
        .build(&p.maker.cert, &p.signer.signer())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::KeyMismatch);
    // Maker certificate expired "now".
    let old = leaf(
        &p.root,
        &p.root_name,
        20,
        "old maker",
        KU_SIGN,
        vec![],
        CERT_FROM,
        "2021-01-01T00:00:00Z",
    );
    let e = p.builder().build(&old.cert, &old.signer()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SealRefused);
    assert!(e.detail().contains("not valid"), "{e}");
    p.builder()
        .skip_maker_cert_check(true)
        .build(&old.cert, &old.signer())
        .unwrap();
    // keyUsage without signing bits.
    let enc = leaf(
        &p.root,
        &p.root_name,
        21,
        "enc maker",
        KU_ENC,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let e = p.builder().build(&enc.cert, &enc.signer()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SealRefused);
    assert!(e.detail().contains("keyUsage"), "{e}");
    // Picture type must match the content.
    let e = p
        .builder()
        .picture("JPG", png(), 40, 40)
        .build(&p.maker.cert, &p.maker.signer())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedPicture);
    for (name, data) in [
        ("gif", b"GIF89a\x01\x00".to_vec()),
        ("jpg", vec![0xff, 0xd8, 0xff, 0xe0, 0, 0]),
        (
            "SVG",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        ),
        ("ofd", b"PK\x03\x04\x14\x00".to_vec()),
    ] {
        let seal = p
            .builder()
            .picture(name, data.clone(), 30, 20)
            .build(&p.maker.cert, &p.maker.signer())
            .unwrap();
        assert_eq!(seal.seal_info.picture.picture_type, name);
        assert_eq!(seal.seal_info.picture.data, data);
    }
    // No signer, no validity, v1.
    assert!(
        p.builder()
            .signer_certs(vec![])
            .build(&p.maker.cert, &p.maker.signer())
            .is_err()
    );
    assert_eq!(
        p.builder()
            .version(Version::V1)
            .build(&p.maker.cert, &p.maker.signer())
            .unwrap_err()
            .kind(),
        ErrorKind::Unsupported
    );
}

#[test]
fn apply_and_verify_v4_v5_streamed() {
    let p = pki();
    let data = b"the protected document".repeat(5000);
    for v in [Version::V4, Version::V5] {
        let seal = p.seal(v);
        let mut req = SignRequest::new(
            &seal,
            &p.signer.cert,
            "/Doc_0/Signs/Sign_0/Signature.xml",
            t(SIGNING),
        );
        req.version = v;
        let s = sign_data(&req, &data[..], &p.signer.signer()).unwrap();
        assert_eq!(s.version(), v);
        assert_eq!(s.tbs.version, v.number());
        assert_eq!(s.tbs.data_hash, eseal::crypto::sm3(&data).to_vec());
        assert_eq!(s.tbs.time_info, Some(t(SIGNING)));
        assert_eq!(s.seal().raw_der(), seal.raw_der());
        assert_eq!(s.to_der().unwrap(), s.raw_der());
        assert_eq!(ses::detect(s.raw_der()), Some(Kind::Signature));
        let mut reader = &data[..];
        let r = verify_ses_signature(
            s.raw_der(),
            Some(DataInput::Reader(&mut reader)),
            &p.store,
            &opts(),
        );
        assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.checks);
        assert_eq!(r.format, v.format_name());
        assert_eq!(r.signing_time.as_deref(), Some(SIGNING));
        assert!(r.signer.as_ref().unwrap().subject.contains("signer"));
        assert_eq!(r.seal.as_ref().unwrap().name, "测试合同专用章");
        let r = verify_ses_signature(
            s.raw_der(),
            Some(DataInput::Bytes(&data)),
            &p.store,
            &opts(),
        );
        assert_eq!(r.verdict, Verdict::Valid);
    }
}

#[test]
fn signer_refusals() {
    let p = pki();
    let seal = p.seal(Version::V4);
    // Not in the seal.
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
    let req = SignRequest::new(&seal, &other.cert, "/doc", t(SIGNING));
    let e = sign_hash(&req, &[0; 32], &other.signer()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SealRefused);
    assert!(e.detail().contains("not among"), "{e}");
    // Outside the seal's validity.
    for when in ["2023-12-31T23:59:59Z", "2030-01-01T00:00:01Z"] {
        let req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(when));
        let e = sign_hash(&req, &[0; 32], &p.signer.signer()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SealRefused, "{when}");
        assert!(e.detail().contains("outside"), "{e}");
    }
    // Key mismatch.
    let req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
    let wrong = SoftwareSigner::new(PrivateKey::generate().unwrap());
    assert_eq!(
        sign_hash(&req, &[0; 32], &wrong).unwrap_err().kind(),
        ErrorKind::KeyMismatch
    );
}

#[test]
fn timestamped_signature() {
    let p = pki();
    let seal = p.seal(Version::V4);
    let gen_at = t("2025-06-01T00:00:05Z");
    let tsa = |sig: &[u8]| Ok(tsa_token(&p.tsa, sig, gen_at));
    let mut req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
    req.timestamp = Some(&tsa);
    let s = sign_hash(&req, &[1; 32], &p.signer.signer()).unwrap();
    let token = s.timestamp.clone().expect("token");
    let parsed = ses::TimeStampToken::from_der(&token).unwrap();
    assert_eq!(parsed.gen_time, gen_at);
    let r = verify_ses_signature(s.raw_der(), None, &p.store, &opts());
    assert_eq!(r.verdict, Verdict::Valid, "{:?}", r.checks);
    let ts = r.checks.iter().find(|c| c.id == "timestamp").unwrap();
    assert_eq!(ts.status, Status::Pass, "{}", ts.message);
    let v = r
        .checks
        .iter()
        .find(|c| c.id == "signer_cert.validity")
        .unwrap();
    assert!(
        v.message.contains("2025-06-01T00:00:05Z"),
        "judged at genTime: {}",
        v.message
    );
    // The signature decodes back with the same token, and re-encodes identically.
    let back = SesSignature::from_der(s.raw_der()).unwrap();
    assert_eq!(back.timestamp.as_deref(), Some(&token[..]));
    assert_eq!(back.to_der().unwrap(), s.raw_der());
    // A TSA certificate without timeStamping is refused by the check.
    let no_eku = leaf(
        &p.root,
        &p.root_name,
        30,
        "tsa2",
        KU_SIGN,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let tsa2 = |sig: &[u8]| Ok(tsa_token(&no_eku, sig, gen_at));
    req.timestamp = Some(&tsa2);
    let s = sign_hash(&req, &[1; 32], &p.signer.signer()).unwrap();
    let r = verify_ses_signature(s.raw_der(), None, &p.store, &opts());
    let ts = r.checks.iter().find(|c| c.id == "timestamp").unwrap();
    assert_eq!(ts.status, Status::Fail, "{}", ts.message);
    assert!(ts.message.contains("timeStamping"), "{}", ts.message);
}

#[test]
fn v1_seal_cannot_be_applied() {
    let p = pki();
    let mut seal: Seal = p.seal(Version::V4);
    seal.version = Version::V1;
    let req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
    assert_eq!(
        sign_hash(&req, &[0; 32], &p.signer.signer())
            .unwrap_err()
            .kind(),
        ErrorKind::SealRefused
    );
    assert_eq!(seal.to_der().unwrap_err().kind(), ErrorKind::Unsupported);
}

#[test]
fn timestamp_token_layouts() {
    let p = pki();
    let seal = p.seal(Version::V4);
    let at = t("2025-06-01T00:00:07Z");
    for form in [
        TokenForm {
            no_signed_attrs: true,
            ..TokenForm::default()
        },
        TokenForm {
            key_id: true,
            ..TokenForm::default()
        },
        TokenForm {
            gm_oid: true,
            no_signed_attrs: true,
            key_id: true,
        },
    ] {
        let f = |sig: &[u8]| Ok(tsa_token_with(&p.tsa, sig, at, form));
        let mut req = SignRequest::new(&seal, &p.signer.cert, "/doc", t(SIGNING));
        req.timestamp = Some(&f);
        let s = sign_hash(&req, &[1; 32], &p.signer.signer()).unwrap();
        let r = verify_ses_signature(s.raw_der(), None, &p.store, &opts());
        let ts = r.checks.iter().find(|c| c.id == "timestamp").unwrap();
        assert_eq!(ts.status, Status::Pass, "{form:?}: {}", ts.message);
        assert_eq!(r.verdict, Verdict::Valid, "{form:?}");
    }
}

#[test]
fn maker_and_signer_under_different_anchors() {
    let a = pki();
    let b = pki();
    // Seal made by B's maker for A's signer.
    let seal = b
        .builder()
        .signer_certs(vec![a.signer.cert.clone()])
        .build(&b.maker.cert, &b.maker.signer())
        .unwrap();
    let req = SignRequest::new(&seal, &a.signer.cert, "/doc", t(SIGNING));
    let s = sign_hash(&req, &[2; 32], &a.signer.signer()).unwrap();
    let mut store = a.store.clone();
    store.add_anchor(eseal::pki::Certificate::from_der(&b.root.cert).unwrap());
    let r = verify_ses_signature(s.raw_der(), None, &store, &opts());
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r.checks);
    // With only A's anchor, the maker's chain is undecided (not failed).
    let r = verify_ses_signature(s.raw_der(), None, &a.store, &opts());
    let c = r
        .checks
        .iter()
        .find(|c| c.id == "maker_cert.chain")
        .unwrap();
    assert_eq!(c.status, Status::Indeterminate, "{}", c.message);
    assert_eq!(r.verdict, Verdict::Indeterminate);
}
