//! Sealing OFD documents with ofdrw's test PKI (seal UserV4.esl, signer USER.p12, anchor
//! ROOT.p12, at a time inside their validity): structure of the result, sealing twice keeps the
//! first seal valid, refusal when Signatures.xml is protected.

mod ofd_common;

use eseal::ErrorKind;
use eseal::asn1;
use eseal::ofd::sign::{SealOfdOptions, SealPlacement, seal_ofd, seal_ofd_bytes, seal_ofd_with};
use eseal::ofd::{Package, VerifyOptions, verify_ofd};
use eseal::report::{Status, ids};
use ofd_common::{TestPki, in_validity, samples};

/// An SES_Signature-shaped DER (TBS_Sign fields in place, signature not valid) for the
/// refusal paths that never reach the signer.
fn fake_ses(seal: &[u8], xml: &[u8], prop: &str) -> Vec<u8> {
    let mut tbs = Vec::new();
    asn1::write_int(&mut tbs, 4);
    tbs.extend_from_slice(seal);
    asn1::write_tlv(&mut tbs, asn1::GENERALIZED_TIME, b"20260101000000Z");
    let mut bits = vec![0u8];
    bits.extend_from_slice(&eseal::crypto::sm3(xml));
    asn1::write_tlv(&mut tbs, asn1::BIT_STRING, &bits);
    asn1::write_tlv(&mut tbs, asn1::IA5_STRING, prop.as_bytes());
    let mut body = asn1::tlv(asn1::SEQUENCE, &tbs);
    asn1::write_tlv(&mut body, asn1::OCTET_STRING, b"");
    asn1::write_oid(&mut body, "1.2.156.10197.1.501").unwrap();
    asn1::write_tlv(&mut body, asn1::BIT_STRING, &[0, 1, 2]);
    asn1::tlv(asn1::SEQUENCE, &body)
}

fn st(r: &eseal::Report, sig: usize, id: &str) -> Status {
    r.signatures[sig]
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

fn seal_bytes(input: &[u8], pki: &TestPki, opts: &SealOfdOptions) -> eseal::Result<Vec<u8>> {
    let opts = SealOfdOptions {
        signing_time: Some(in_validity()),
        ..opts.clone()
    };
    seal_ofd_bytes(input, &opts, &pki.seal, &pki.user_cert, &pki.signer)
}

#[test]
fn seal_unsigned_twice_and_refuse_after_protect_all() {
    let Some(dir) = samples() else { return };
    let pki = TestPki::load(&dir);
    let seal = pki.seal_der.clone();
    let vopts = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    let input = std::fs::read(dir.join("helloworld.ofd")).unwrap();
    let opts = SealOfdOptions {
        include_seal_file: true,
        x_mm: 20.0,
        y_mm: 30.5,
        ..Default::default()
    };
    let once = seal_bytes(&input, &pki, &opts).unwrap();
    let pkg = Package::from_bytes(&once, &Default::default()).unwrap();
    let ofd_xml = String::from_utf8(pkg.get("OFD.xml").unwrap().to_vec()).unwrap();
    assert!(
        ofd_xml
            .contains("<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>")
    );
    let sx = String::from_utf8(
        pkg.get("Doc_0/Signs/Sign_0/Signature.xml")
            .unwrap()
            .to_vec(),
    )
    .unwrap();
    assert!(sx.contains(r#"Boundary="20 30.5 40 40""#), "{sx}");
    assert!(sx.contains(r#"FileRef="/OFD.xml""#));
    assert!(
        !sx.contains("Signatures.xml\""),
        "default mode leaves Signatures.xml out"
    );
    assert_eq!(pkg.get("Doc_0/Signs/Sign_0/Seal.esl").unwrap(), &seal[..]);

    let r = verify_ofd("once", &once, &vopts);
    assert_eq!(r.signatures.len(), 1);
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#?}", r.to_json());
    assert_eq!(
        r.signatures[0].signing_time.as_deref(),
        Some("2021-06-01T08:00:00Z")
    );
    for id in [ids::FORMAT, ids::REFERENCES, ids::DATA_HASH, "seal_file"] {
        assert_eq!(
            st(&r, 0, id),
            Status::Pass,
            "{id}: {:?}",
            r.signatures[0].checks
        );
    }
    assert_eq!(
        r.find_check("unprotected_files").unwrap().status,
        Status::Pass
    );

    // Second seal, protecting everything: the first stays intact.
    let opts2 = SealOfdOptions {
        protect_all: true,
        ..Default::default()
    };
    let twice = seal_bytes(&once, &pki, &opts2).unwrap();
    let r = verify_ofd("twice", &twice, &vopts);
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(
        r.verdict,
        eseal::Verdict::Valid,
        "both seals valid: {:#?}",
        r.to_json()
    );
    assert_eq!(r.signatures[1].id, "2");
    for s in 0..2 {
        for id in [ids::FORMAT, ids::REFERENCES, ids::DATA_HASH] {
            assert_eq!(
                st(&r, s, id),
                Status::Pass,
                "sig {s} {id}: {:?}",
                r.signatures[s].checks
            );
        }
    }
    let pkg2 = Package::from_bytes(&twice, &Default::default()).unwrap();
    // Original entries are copied unchanged.
    for f in pkg.files() {
        if f.name != "Doc_0/Signs/Signatures.xml" {
            assert_eq!(pkg2.get(&f.name).unwrap(), &f.data[..], "{}", f.name);
        }
    }
    let sigs = String::from_utf8(pkg2.get("Doc_0/Signs/Signatures.xml").unwrap().to_vec()).unwrap();
    assert!(sigs.contains("<ofd:MaxSignId>2</ofd:MaxSignId>"), "{sigs}");

    // Now Signatures.xml is protected: a third seal is refused.
    let err = seal_bytes(&twice, &pki, &SealOfdOptions::default()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OfdRefused);
}

#[test]
fn seal_signed_samples_and_refusals() {
    let Some(dir) = samples() else { return };
    let pki = TestPki::load(&dir);
    let seal = pki.seal_der.clone();
    let vopts = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    // An ofdrw-sealed document takes a second seal; its first seal stays intact.
    let input = std::fs::read(dir.join("allprotected.ofd")).unwrap();
    assert_eq!(
        seal_bytes(&input, &pki, &SealOfdOptions::default())
            .unwrap_err()
            .kind(),
        ErrorKind::OfdRefused
    );
    let input = std::fs::read(dir.join("SESV4SignDoc.ofd")).unwrap();
    let out = seal_bytes(&input, &pki, &SealOfdOptions::default()).unwrap();
    let r = verify_ofd("x", &out, &vopts);
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.signatures[1].id, "3", "after MaxSignId 2");
    for s in 0..2 {
        for id in [ids::REFERENCES, ids::DATA_HASH] {
            assert_eq!(st(&r, s, id), Status::Pass, "sig {s} {id}");
        }
    }
    assert_eq!(st(&r, 0, "seal_file"), Status::Pass);
    assert_eq!(r.signatures[1].verdict, eseal::Verdict::Valid);
    let pkg = Package::from_bytes(&out, &Default::default()).unwrap();
    assert!(pkg.contains("Doc_0/Signs/Sign_1/Signature.xml"));

    // allprotected.ofd protects Signatures.xml.
    let tmp = std::env::temp_dir().join(format!("eseal-ofd-refuse-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let placement = SealPlacement {
        seal_der: &seal,
        width_mm: 40.0,
        height_mm: 40.0,
    };
    let out_path = tmp.join("out.ofd");
    let err = seal_ofd_with(
        dir.join("allprotected.ofd"),
        &out_path,
        &SealOfdOptions::default(),
        &placement,
        &mut |x, p| Ok(fake_ses(&seal, x, p)),
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OfdRefused);
    assert!(!out_path.exists());
    // No page 9.
    let err = seal_bytes(
        &std::fs::read(dir.join("VPage7.ofd")).unwrap(),
        &pki,
        &SealOfdOptions {
            page: 9,
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    // Outside the seal's validity the ses module refuses to sign; nothing is written.
    let err = seal_ofd(
        dir.join("VPage7.ofd"),
        &out_path,
        &SealOfdOptions::default(),
        &pki.seal,
        &pki.user_cert,
        &pki.signer,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SealRefused);
    assert!(std::fs::read_dir(&tmp).unwrap().next().is_none());
    // A file written through the path API, with no temp file left behind.
    seal_ofd(
        dir.join("VPage7.ofd"),
        &out_path,
        &SealOfdOptions {
            page: 5,
            signing_time: Some(in_validity()),
            ..Default::default()
        },
        &pki.seal,
        &pki.user_cert,
        &pki.signer,
    )
    .unwrap();
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("out.ofd")]);
    let r = eseal::ofd::verify_ofd_file(&out_path, &vopts);
    assert_eq!(r.verdict, eseal::Verdict::Valid);
    let sx = eseal::ofd::Package::open(&out_path, &Default::default()).unwrap();
    let sx =
        String::from_utf8(sx.get("Doc_0/Signs/Sign_0/Signature.xml").unwrap().to_vec()).unwrap();
    let w = pki.seal.seal_info.picture.width;
    assert!(
        sx.contains(&format!(
            "Boundary=\"10 10 {w} {}\"",
            pki.seal.seal_info.picture.height
        )),
        "{sx}"
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}
