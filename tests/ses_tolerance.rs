//! Hand-made variants of the structures that real producers write (DESIGN §4): each decodes,
//! and where it is signed, its signature verifies over the raw bytes.
//!
//! Variants: header versions 1–3 (v1), UTCTime dates, extDatas untagged / `[0]` explicit /
//! `[0]` implicit / OCTET-wrapped with `critical` missing, OCTET STRING for BIT STRING, raw
//! 64-byte `r‖s` signatures, picture types in any case (`png`, `ofd`), v1 free-form timeInfo
//! (ISO text, `yyyy-MM-dd HH:mm:ss`, an opaque token), TBS extDatas and timeStamp `[0]`
//! implicit, AlgorithmIdentifier SEQUENCE instead of a bare OID.

mod common;

use common::*;
use eseal::asn1::{self, tlv};
use eseal::crypto::DEFAULT_ID;
use eseal::report::Status;
use eseal::ses::{
    self, CertList, DataInput, Kind, Seal, SesSignature, VerifyOptions, Version, verify_seal,
    verify_ses_signature,
};

fn oid(s: &str) -> Vec<u8> {
    let mut v = Vec::new();
    asn1::write_oid(&mut v, s).unwrap();
    v
}

fn int(v: i64) -> Vec<u8> {
    let mut o = Vec::new();
    asn1::write_int(&mut o, v);
    o
}

fn bits(b: &[u8]) -> Vec<u8> {
    let mut v = vec![0u8];
    v.extend_from_slice(b);
    tlv(asn1::BIT_STRING, &v)
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

#[derive(Clone, Copy, PartialEq)]
enum Ext {
    None,
    Untagged,
    Explicit,
    Implicit,
    Octet,
}

fn ext_items() -> Vec<u8> {
    // First ExtData without `critical`, second with it TRUE.
    let a = tlv(
        asn1::SEQUENCE,
        &cat(&[&oid("1.2.156.1.1"), &tlv(asn1::OCTET_STRING, b"one")]),
    );
    let b = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &oid("1.2.156.1.2"),
            &tlv(asn1::BOOLEAN, &[0xff]),
            &tlv(asn1::OCTET_STRING, b"two"),
        ]),
    );
    cat(&[&a, &b])
}

/// SES_SealInfo with the given header version, time tag, picture type and ext wrapping.
fn seal_info(p: &Pki, version: i64, time_tag: u8, pic_type: &str, pic: &[u8], ext: Ext) -> Vec<u8> {
    let time = |s: &str| {
        let t = t(s);
        let text = if time_tag == asn1::UTC_TIME {
            t.to_utc_time()
        } else {
            t.to_generalized()
        };
        tlv(time_tag, text.as_bytes())
    };
    let header = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &tlv(asn1::IA5_STRING, b"ES"),
            &int(version),
            &tlv(asn1::IA5_STRING, b"vendor"),
        ]),
    );
    let certs = tlv(asn1::SEQUENCE, &tlv(asn1::OCTET_STRING, &p.signer.cert));
    let list_type = if version >= 4 { int(1) } else { Vec::new() };
    let property = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &int(6),
            &tlv(asn1::UTF8_STRING, "发票专用章".as_bytes()),
            &list_type,
            &certs,
            &time("2020-06-01T00:00:00Z"),
            &time("2020-06-01T00:00:00Z"),
            &time("2030-06-01T00:00:00Z"),
        ]),
    );
    let picture = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &tlv(asn1::IA5_STRING, pic_type.as_bytes()),
            &tlv(asn1::OCTET_STRING, pic),
            &int(42),
            &int(42),
        ]),
    );
    let items = ext_items();
    let exts = match ext {
        Ext::None => Vec::new(),
        Ext::Untagged => tlv(asn1::SEQUENCE, &items),
        Ext::Explicit => tlv(asn1::context(0), &tlv(asn1::SEQUENCE, &items)),
        Ext::Implicit => tlv(asn1::context(0), &items),
        Ext::Octet => tlv(asn1::OCTET_STRING, &tlv(asn1::SEQUENCE, &items)),
    };
    tlv(
        asn1::SEQUENCE,
        &cat(&[
            &header,
            &tlv(asn1::IA5_STRING, b"es-77"),
            &property,
            &picture,
            &exts,
        ]),
    )
}

fn opts() -> VerifyOptions {
    VerifyOptions {
        now: t(NOW),
        ..VerifyOptions::default()
    }
}

fn status(checks: &[eseal::Check], id: &str) -> Status {
    checks.iter().find(|c| c.id == id).unwrap().status
}

/// A v4 seal with OCTET STRING signedValue holding a raw r‖s signature and an
/// AlgorithmIdentifier SEQUENCE.
fn v4_seal(p: &Pki, time_tag: u8, pic_type: &str, pic: &[u8], ext: Ext) -> Vec<u8> {
    let info = seal_info(p, 4, time_tag, pic_type, pic, ext);
    let sig = p.maker.key.sign(DEFAULT_ID, &info).unwrap().to_raw();
    tlv(
        asn1::SEQUENCE,
        &cat(&[
            &info,
            &tlv(asn1::OCTET_STRING, &p.maker.cert),
            &tlv(asn1::SEQUENCE, &oid(ses::OID_SM2_SM3)),
            &tlv(asn1::OCTET_STRING, &sig),
        ]),
    )
}

/// A GM/T 0031-2014 seal: the signature covers SEQUENCE { SealInfo, cert, alg }.
fn v1_seal(p: &Pki, header_version: i64) -> Vec<u8> {
    let info = seal_info(p, header_version, asn1::UTC_TIME, "PNG", &png(), Ext::None);
    let cert = tlv(asn1::OCTET_STRING, &p.maker.cert);
    let alg = oid(ses::OID_SM2_SM3);
    let signed = tlv(asn1::SEQUENCE, &cat(&[&info, &cert, &alg]));
    let sig = p.maker.key.sign(DEFAULT_ID, &signed).unwrap().to_der();
    let sign_info = tlv(asn1::SEQUENCE, &cat(&[&cert, &alg, &bits(&sig)]));
    tlv(asn1::SEQUENCE, &cat(&[&info, &sign_info]))
}

#[test]
fn v4_seal_variants() {
    let p = pki();
    let cases = [
        (asn1::UTC_TIME, "png", png(), Ext::Untagged),
        (
            asn1::GENERALIZED_TIME,
            "ofd",
            b"PK\x03\x04zip".to_vec(),
            Ext::Explicit,
        ),
        (asn1::UTC_TIME, "Gif", b"GIF89a".to_vec(), Ext::Implicit),
        (asn1::GENERALIZED_TIME, "PNG", png(), Ext::Octet),
        (asn1::GENERALIZED_TIME, "PNG", png(), Ext::None),
    ];
    for (i, (tag, pt, pic, ext)) in cases.into_iter().enumerate() {
        let der = v4_seal(&p, tag, pt, &pic, ext);
        assert_eq!(ses::detect(&der), Some(Kind::Seal));
        let seal = Seal::from_der(&der).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(seal.version(), Version::V4);
        assert_eq!(seal.seal_info.picture.picture_type, pt);
        assert_eq!(
            seal.seal_info.property.valid_end.to_rfc3339(),
            "2030-06-01T00:00:00Z"
        );
        if ext == Ext::None {
            assert!(seal.seal_info.ext_datas.is_empty());
        } else {
            let e = &seal.seal_info.ext_datas;
            assert_eq!(e.len(), 2, "case {i}");
            assert!(!e[0].critical && e[1].critical);
            assert_eq!(e[1].extn_value, b"two");
        }
        seal.verify_maker_signature().unwrap();
        let r = verify_seal(&der, &p.store, &opts());
        assert_eq!(
            status(&r.checks, "seal_signature"),
            Status::Pass,
            "case {i}"
        );
        assert_eq!(r.verdict, eseal::Verdict::Valid, "case {i}: {:?}", r.checks);
    }
}

#[test]
fn v1_seals_with_header_versions_1_to_3() {
    let p = pki();
    for hv in 1..=3 {
        let der = v1_seal(&p, hv);
        let seal = Seal::from_der(&der).unwrap();
        assert_eq!(seal.version(), Version::V1);
        assert_eq!(seal.seal_info.header.version, hv);
        assert!(
            matches!(seal.seal_info.property.cert_list, CertList::Certs(ref c) if c[0] == p.signer.cert)
        );
        let r = verify_seal(&der, &p.store, &opts());
        assert_eq!(r.verdict, eseal::Verdict::Valid, "{:?}", r.checks);
        assert_eq!(r.extra["format"], "ses-v1");
    }
}

/// A v1 SES_Signature with `time_info` as the BIT STRING content.
fn v1_signature(p: &Pki, time_info: &[u8], data: &[u8]) -> Vec<u8> {
    let tbs = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &int(1),
            &v1_seal(p, 1),
            &bits(time_info),
            &bits(&eseal::crypto::sm3(data)),
            &tlv(asn1::IA5_STRING, b"/Doc_0/Signs/Sign_0/Signature.xml"),
            &tlv(asn1::OCTET_STRING, &p.signer.cert),
            &oid(ses::OID_SM2_SM3),
        ]),
    );
    let sig = p.signer.key.sign(DEFAULT_ID, &tbs).unwrap().to_der();
    tlv(asn1::SEQUENCE, &cat(&[&tbs, &bits(&sig)]))
}

#[test]
fn v1_signatures_with_free_form_time() {
    let p = pki();
    for (text, want) in [
        (
            &b"2025-01-25T07:31:56.377Z"[..],
            Some("2025-01-25T07:31:56Z"),
        ),
        (b"2025-01-25 07:31:56", Some("2025-01-25T07:31:56Z")),
        (b"\x30\x82\x00\x01opaque-token", None),
    ] {
        let der = v1_signature(&p, text, b"doc");
        assert_eq!(ses::detect(&der), Some(Kind::Signature));
        let s = SesSignature::from_der(&der).unwrap();
        assert_eq!(s.version(), Version::V1);
        assert_eq!(s.tbs.time_info_raw, text);
        assert_eq!(s.cert, p.signer.cert);
        let r = verify_ses_signature(&der, Some(DataInput::Bytes(b"doc")), &p.store, &opts());
        assert_eq!(r.format, "ses-v1");
        assert_eq!(r.signing_time.as_deref(), want);
        for id in ["signature", "signer_in_seal", "seal_signature", "data_hash"] {
            assert_eq!(status(&r.checks, id), Status::Pass, "{id}: {:?}", r.checks);
        }
        let sv = status(&r.checks, "seal_validity");
        if want.is_some() {
            assert_eq!(sv, Status::Pass);
            assert_eq!(r.verdict, eseal::Verdict::Valid, "{:?}", r.checks);
        } else {
            assert_eq!(sv, Status::Indeterminate);
        }
        assert_eq!(
            s.to_der().unwrap_err().kind(),
            eseal::ErrorKind::Unsupported
        );
    }
}

#[test]
fn v4_signature_with_implicit_tags_utc_time_and_raw_signature() {
    let p = pki();
    let seal = p.seal(Version::V4);
    let ext = tlv(asn1::context(0), &ext_items()); // implicit [0]
    let tbs = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &int(4),
            seal.raw_der(),
            &tlv(asn1::UTC_TIME, t(SIGNING).to_utc_time().as_bytes()),
            &tlv(asn1::OCTET_STRING, &eseal::crypto::sm3(b"doc")),
            &tlv(asn1::IA5_STRING, b"/doc"),
            &ext,
        ]),
    );
    let sig = p.signer.key.sign(DEFAULT_ID, &tbs).unwrap().to_raw();
    let token = b"\x30\x03\x02\x01\x01";
    let mut ts_body = vec![0u8];
    ts_body.extend_from_slice(token);
    let der = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &tbs,
            &tlv(asn1::OCTET_STRING, &p.signer.cert),
            &oid(ses::OID_SM2_SM3),
            &bits(&sig),
            &tlv(asn1::context_primitive(0), &ts_body), // implicit [0] BIT STRING
        ]),
    );
    let s = SesSignature::from_der(&der).unwrap();
    assert_eq!(s.tbs.ext_datas.len(), 2);
    assert_eq!(s.timestamp.as_deref(), Some(&token[..]));
    assert_eq!(s.tbs.time_info, Some(t(SIGNING)));
    let r = verify_ses_signature(&der, Some(DataInput::Bytes(b"doc")), &p.store, &opts());
    for id in [
        "signature",
        "signer_in_seal",
        "seal_signature",
        "seal_validity",
        "data_hash",
    ] {
        assert_eq!(status(&r.checks, id), Status::Pass, "{id}: {:?}", r.checks);
    }
    // The token is not a TimeStampToken: reported, not a crash.
    assert_eq!(status(&r.checks, "timestamp"), Status::Fail);
    // Explicit [0] extDatas decode the same.
    let ext_explicit = tlv(asn1::context(0), &tlv(asn1::SEQUENCE, &ext_items()));
    let tbs_e = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &int(4),
            seal.raw_der(),
            &tlv(
                asn1::GENERALIZED_TIME,
                t(SIGNING).to_generalized().as_bytes(),
            ),
            &bits(&eseal::crypto::sm3(b"doc")),
            &tlv(asn1::IA5_STRING, b"/doc"),
            &ext_explicit,
        ]),
    );
    let sig = p.signer.key.sign(DEFAULT_ID, &tbs_e).unwrap().to_der();
    let der = tlv(
        asn1::SEQUENCE,
        &cat(&[
            &tbs_e,
            &tlv(asn1::OCTET_STRING, &p.signer.cert),
            &oid(ses::OID_SM2_SM3),
            &bits(&sig),
        ]),
    );
    let s2 = SesSignature::from_der(&der).unwrap();
    assert_eq!(s2.tbs.ext_datas, s.tbs.ext_datas);
    // This one is strict DER: it re-encodes byte for byte.
    assert_eq!(s2.to_der().unwrap(), der);
}
