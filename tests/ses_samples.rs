//! The real seal and signature samples of ofdrw (read through `ESEAL_SAMPLES`) decode and
//! verify as their MANIFEST rows state.

use eseal::asn1::Reader;
use eseal::crypto::{Signature, sm3};
use eseal::ses::{self, CertList, Kind, Seal, SesSignature, Version};

fn sample(name: &str) -> Option<Vec<u8>> {
    let dir = match std::env::var("ESEAL_SAMPLES") {
        Ok(d) => d,
        Err(_) => {
            println!("skipped: ESEAL_SAMPLES not set");
            return None;
        }
    };
    Some(std::fs::read(format!("{dir}/ofdrw/{name}")).expect("sample file readable"))
}

#[test]
fn user_v1_seal_signature_covers_the_triple() {
    let Some(der) = sample("UserV1.esl") else {
        return;
    };
    assert_eq!(ses::detect(&der), Some(Kind::Seal));
    let seal = Seal::from_der(&der).unwrap();
    assert_eq!(seal.version(), Version::V1);
    let info = &seal.seal_info;
    assert_eq!(info.header.version, 1);
    assert_eq!(info.header.vid, "OFDR&WTest");
    assert_eq!(info.es_id, "40C8CDD24DEF43388B86E62CCE1D6832");
    assert_eq!(info.property.name, "OFDRW测试用印章");
    assert_eq!(
        info.property.valid_start.to_rfc3339(),
        "2020-04-22T02:18:07Z"
    );
    assert_eq!(info.property.valid_end.to_rfc3339(), "2022-04-22T02:18:07Z");
    assert!(matches!(&info.property.cert_list, CertList::Certs(c) if c.len() == 1));
    assert_eq!(info.picture.picture_type, "PNG");
    assert_eq!((info.picture.width, info.picture.height), (40, 40));
    assert_eq!(&info.picture.data[..4], b"\x89PNG");
    seal.verify_maker_signature()
        .expect("v1 rule: signature over the triple");

    // The same signature over SES_SealInfo alone does not verify.
    let mut top = Reader::new(&der).read_sequence().unwrap();
    let seal_info_raw = top.read_any().unwrap().raw;
    assert!(seal.signed_bytes().len() > seal_info_raw.len());
    let sig = Signature::from_bytes(&seal.signed_value).unwrap();
    let pk = eseal_test_pk(&seal.cert);
    pk.verify_default(seal.signed_bytes(), &sig).unwrap();
    assert!(pk.verify_default(seal_info_raw, &sig).is_err());
}

/// The SM2 public key of a certificate, read with the crate's DER reader.
fn eseal_test_pk(cert: &[u8]) -> eseal::crypto::PublicKey {
    let mut c = Reader::new(cert).read_sequence().unwrap();
    let mut t = c.read_sequence().unwrap();
    if t.peek_tag() == Some(0xa0) {
        t.read_any().unwrap();
    }
    for _ in 0..5 {
        t.read_any().unwrap();
    }
    let mut spki = t.read_sequence().unwrap();
    spki.read_any().unwrap();
    let bits = spki.read(0x03).unwrap();
    eseal::crypto::PublicKey::from_sec1_bytes(&bits[1..]).unwrap()
}

#[test]
fn user_v4_and_v5_seals() {
    for (name, version, ts) in [
        ("UserV4.esl", Version::V4, false),
        ("UserV5.esl", Version::V5, false),
        ("UserV5_ts.esl", Version::V5, true),
    ] {
        let Some(der) = sample(name) else { return };
        assert_eq!(ses::detect(&der), Some(Kind::Seal), "{name}");
        let seal = Seal::from_der(&der).unwrap();
        assert_eq!(seal.version(), version, "{name}");
        assert_eq!(seal.timestamp.is_some(), ts, "{name}");
        if ts {
            assert_eq!(seal.timestamp.as_deref(), Some(&[1u8, 2, 3][..]));
        }
        assert_eq!(seal.seal_info.property.cert_list_type, 1);
        assert_eq!(seal.sign_alg, ses::OID_SM2_SM3);
        seal.verify_maker_signature()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(seal.raw_der(), &der[..]);
    }
}

#[test]
fn third_party_seal_parses_but_does_not_verify() {
    let Some(der) = sample("SESealData.DER") else {
        return;
    };
    let seal = Seal::from_der(&der).unwrap();
    assert_eq!(seal.version(), Version::V4);
    assert_eq!(seal.seal_info.header.vid, "Vid HebeiGede");
    assert_eq!(seal.seal_info.picture.picture_type, "GIF");
    assert_eq!(seal.seal_info.ext_datas.len(), 3);
    assert!(!seal.seal_info.ext_datas[0].critical);
    assert!(seal.seal_info.ext_datas[1].critical);
    assert_eq!(
        seal.seal_info.ext_datas[2].extn_value,
        b"HeBeiBaoDingShiCeShiDanWeiMingCheng"
    );
    assert!(seal.verify_maker_signature().is_err());
}

#[test]
fn signed_values_v4_v5() {
    let Some(v4) = sample("SignedValueV4.dat") else {
        return;
    };
    assert_eq!(ses::detect(&v4), Some(Kind::Signature));
    let s = SesSignature::from_der(&v4).unwrap();
    assert_eq!(s.version(), Version::V4);
    assert_eq!(s.tbs.version, 4);
    assert_eq!(s.tbs.property_info, "/Doc_0/Signs/Sign_0/Signature.xml");
    assert_eq!(s.tbs.data_hash, vec![0u8; 32]);
    assert_eq!(
        s.tbs.time_info.unwrap().to_rfc3339(),
        "2020-10-12T11:14:03Z"
    );
    s.verify_signer_signature().unwrap();
    s.seal().verify_maker_signature().unwrap();
    match &s.seal().seal_info.property.cert_list {
        CertList::Certs(c) => assert!(c.contains(&s.cert)),
        other => panic!("unexpected {other:?}"),
    }
    let xml = sample("Signature.xml").unwrap();
    assert_ne!(sm3(&xml).to_vec(), s.tbs.data_hash);

    let v5 = sample("SignedValueV5.dat").unwrap();
    let s = SesSignature::from_der(&v5).unwrap();
    assert_eq!(s.version(), Version::V5);
    assert_eq!(s.tbs.version, 5);
    s.verify_signer_signature().unwrap();
    s.seal().verify_maker_signature().unwrap();
}

mod full {
    use super::sample;
    use eseal::pki::{Time, TrustStore};
    use eseal::report::{Status, Verdict};
    use eseal::ses::{DataInput, VerifyOptions, verify_seal, verify_ses_signature};

    fn opts() -> VerifyOptions {
        VerifyOptions {
            now: Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap(),
            ..VerifyOptions::default()
        }
    }

    fn status(checks: &[eseal::Check], id: &str) -> Status {
        checks
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("no check {id}"))
            .status
    }

    #[test]
    fn sample_seals_through_the_verifier() {
        let store = TrustStore::new();
        for (name, sig_ok, format) in [
            ("UserV1.esl", Status::Pass, "ses-v1"),
            ("UserV4.esl", Status::Pass, "ses-v4"),
            ("UserV5.esl", Status::Pass, "ses-v5"),
            ("UserV5_ts.esl", Status::Pass, "ses-v5"),
            ("SESealData.DER", Status::Fail, "ses-v4"),
        ] {
            let Some(der) = sample(name) else { return };
            let r = verify_seal(&der, &store, &opts());
            assert_eq!(r.extra["format"], format, "{name}");
            assert_eq!(status(&r.checks, "format"), Status::Pass, "{name}");
            assert_eq!(status(&r.checks, "seal_signature"), sig_ok, "{name}: {r:?}");
            // No trust anchor given: the chain cannot be decided.
            assert_eq!(
                status(&r.checks, "maker_cert.chain"),
                Status::Indeterminate,
                "{name}"
            );
            let ts = r.checks.iter().find(|c| c.id == "timestamp");
            if name == "UserV5_ts.esl" {
                let ts = ts.expect("timestamp check");
                assert_eq!(ts.status, Status::Fail);
                assert!(ts.message.contains("cannot be parsed"), "{}", ts.message);
                assert_eq!(r.verdict, Verdict::Invalid);
            } else {
                assert!(ts.is_none());
            }
        }
    }

    #[test]
    fn sample_signatures_through_the_verifier() {
        let store = TrustStore::new();
        let Some(v4) = sample("SignedValueV4.dat") else {
            return;
        };
        let xml = sample("Signature.xml").unwrap();
        let r = verify_ses_signature(&v4, Some(DataInput::Bytes(&xml)), &store, &opts());
        assert_eq!(r.format, "ses-v4");
        for (id, want) in [
            ("format", Status::Pass),
            ("signature", Status::Pass),
            ("signer_in_seal", Status::Pass),
            ("seal_signature", Status::Pass),
            ("seal_validity", Status::Pass),
            ("maker_cert.validity", Status::Warn),
            ("signer_cert.validity", Status::Warn),
            ("signer_cert.chain", Status::Indeterminate),
            ("timestamp", Status::Skip),
            ("data_hash", Status::Fail),
        ] {
            assert_eq!(status(&r.checks, id), want, "{id}: {:?}", r.checks);
        }
        assert_eq!(r.signing_time.as_deref(), Some("2020-10-12T11:14:03Z"));
        assert_eq!(r.signer.as_ref().unwrap().serial, "01719D2DAB60");
        assert_eq!(
            r.seal.as_ref().unwrap().es_id,
            "51f044b76510434e9bc67a1185c2fba5"
        );
        assert_eq!(r.checks.len(), 15);

        let v5 = sample("SignedValueV5.dat").unwrap();
        let r = verify_ses_signature(&v5, None, &store, &opts());
        assert_eq!(r.format, "ses-v5");
        assert_eq!(status(&r.checks, "signature"), Status::Pass);
        assert_eq!(status(&r.checks, "seal_signature"), Status::Pass);
        assert_eq!(status(&r.checks, "signer_in_seal"), Status::Pass);
        assert_eq!(status(&r.checks, "data_hash"), Status::Skip);
    }
}
