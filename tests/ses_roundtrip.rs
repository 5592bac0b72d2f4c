//! Seeded property test: encode → decode → encode is stable for generated v4 and v5 seals and
//! signatures (random names, types, times, picture kinds, cert lists, extensions, timestamps),
//! and decoding the v1 sample is stable.

mod common;

use common::*;
use eseal::crypto::sm3;
use eseal::pki::Time;
use eseal::ses::{ExtData, Seal, SesSignature, SignRequest, Version, sign_hash};

/// Seal and signature fields drawn from the shared generator.
trait Gen {
    fn bytes(&mut self, max: usize) -> Vec<u8>;
    fn ascii(&mut self, max: usize) -> String;
    fn text(&mut self, max: usize) -> String;
    fn time(&mut self, lo: i64, hi: i64) -> Time;
    fn exts(&mut self) -> Vec<ExtData>;
}

impl Gen for Rng {
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max + 1);
        (0..n).map(|_| self.next() as u8).collect()
    }
    fn ascii(&mut self, max: usize) -> String {
        let n = self.below(max + 1);
        (0..n)
            .map(|_| (0x20 + self.below(0x5f)) as u8 as char)
            .collect()
    }
    fn text(&mut self, max: usize) -> String {
        const POOL: [char; 8] = ['印', '章', 'a', 'Z', ' ', '合', '同', '7'];
        let n = self.below(max + 1);
        (0..n).map(|_| POOL[self.below(8)]).collect()
    }
    fn time(&mut self, lo: i64, hi: i64) -> Time {
        Time(lo + self.below((hi - lo) as usize + 1) as i64)
    }
    fn exts(&mut self) -> Vec<ExtData> {
        (0..self.below(3))
            .map(|_| ExtData {
                extn_id: format!("1.2.156.{}.{}", self.below(100000), self.below(300)),
                critical: self.below(2) == 1,
                extn_value: self.bytes(40),
            })
            .collect()
    }
}

#[test]
fn generated_seals_and_signatures_round_trip() {
    let p = pki();
    let others: Vec<Vec<u8>> = (0..2)
        .map(|i| {
            leaf(
                &p.root,
                &p.root_name,
                60 + i,
                "extra",
                KU_SIGN,
                vec![],
                CERT_FROM,
                CERT_TO,
            )
            .cert
        })
        .collect();
    let pictures: [(&str, Vec<u8>); 5] = [
        ("PNG", png()),
        ("gif", b"GIF87a..".to_vec()),
        ("Jpg", vec![0xff, 0xd8, 0xff, 0xdb]),
        ("svg", b"<?xml version=\"1.0\"?><svg/>".to_vec()),
        ("OFD", b"PK\x03\x04....".to_vec()),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for i in 0..40 {
        let version = if rng.below(2) == 0 {
            Version::V4
        } else {
            Version::V5
        };
        let start = rng.time(0, 4_000_000_000);
        let end = rng.time(start.0, 253_402_300_799);
        let (pt, mut pdata) = pictures[rng.below(5)].clone();
        pdata.extend(rng.bytes(64));
        let mut certs = vec![p.signer.cert.clone()];
        certs.extend(others.iter().take(rng.below(3)).cloned());
        let mut b = eseal::ses::SealBuilder::new(&rng.ascii(12), &rng.ascii(40), &rng.text(20))
            .version(version)
            .seal_type(rng.next() as i64 >> rng.below(63))
            .cert_list_type(1 + rng.below(2) as i64)
            .signer_certs(certs)
            .create_date(rng.time(0, start.0))
            .validity(start, end)
            .picture(
                pt,
                pdata,
                1 + rng.below(200) as i64,
                1 + rng.below(200) as i64,
            )
            .skip_maker_cert_check(true);
        for e in rng.exts() {
            b = b.ext_data(e);
        }
        let seal = b.build(&p.maker.cert, &p.maker.signer()).unwrap();
        seal.verify_maker_signature().unwrap();
        let der = seal.to_der().unwrap();
        assert_eq!(der, seal.raw_der(), "seal {i}");
        let back = Seal::from_der(&der).unwrap();
        assert_eq!(back, seal, "seal {i}");
        assert_eq!(back.to_der().unwrap(), der, "seal {i}");

        let prop = rng.ascii(60);
        let mut req = SignRequest::new(&seal, &p.signer.cert, &prop, rng.time(start.0, end.0));
        req.version = if rng.below(2) == 0 {
            Version::V4
        } else {
            Version::V5
        };
        req.ext_datas = rng.exts();
        let token = rng.bytes(50);
        let ts = |_: &[u8]| Ok(token.clone());
        if rng.below(2) == 0 && !token.is_empty() {
            req.timestamp = Some(&ts);
        }
        let hash = sm3(&rng.bytes(100));
        let s = sign_hash(&req, &hash, &p.signer.signer()).unwrap();
        s.verify_signer_signature().unwrap();
        let der = s.to_der().unwrap();
        assert_eq!(der, s.raw_der(), "signature {i}");
        let back = SesSignature::from_der(&der).unwrap();
        assert_eq!(back, s, "signature {i}");
        assert_eq!(back.to_der().unwrap(), der, "signature {i}");
        assert_eq!(back.tbs.ext_datas, req.ext_datas);
        assert_eq!(back.tbs.property_info, prop);
    }
}

#[test]
fn v1_sample_decodes_stably() {
    let Ok(dir) = std::env::var("ESEAL_SAMPLES") else {
        println!("skipped: ESEAL_SAMPLES not set");
        return;
    };
    let der = std::fs::read(format!("{dir}/ofdrw/UserV1.esl")).unwrap();
    let a = Seal::from_der(&der).unwrap();
    let b = Seal::from_der(a.raw_der()).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.raw_der(), &der[..]);
    // The v4 samples re-encode byte for byte: they are strict DER.
    for name in ["UserV4.esl", "UserV5.esl", "UserV5_ts.esl"] {
        let der = std::fs::read(format!("{dir}/ofdrw/{name}")).unwrap();
        let s = Seal::from_der(&der).unwrap();
        assert_eq!(s.to_der().unwrap(), der, "{name}");
    }
    for name in ["SignedValueV4.dat", "SignedValueV5.dat"] {
        let der = std::fs::read(format!("{dir}/ofdrw/{name}")).unwrap();
        let s = SesSignature::from_der(&der).unwrap();
        assert_eq!(s.to_der().unwrap(), der, "{name}");
    }
}
