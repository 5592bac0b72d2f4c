//! Helpers shared by the OFD tests: the sample folder and ofdrw's test PKI.
#![allow(dead_code)]

use eseal::crypto::SoftwareSigner;
use eseal::crypto::keyfile::load_key_bundle;
use eseal::pki::{Certificate, Time, TrustStore};
use eseal::ses::Seal;
use std::path::PathBuf;

/// `ESEAL_SAMPLES/ofdrw`, or None (after printing why the test is skipped).
pub fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p).join("ofdrw")),
        None => {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

/// ofdrw's test PKI: the v4 seal UserV4.esl, the signer USER.p12 (listed in the seal) and the
/// root of both, ROOT.p12.
pub struct TestPki {
    pub seal: Seal,
    pub seal_der: Vec<u8>,
    pub user_cert: Vec<u8>,
    pub signer: SoftwareSigner,
    pub root: Certificate,
}

impl TestPki {
    pub fn load(dir: &std::path::Path) -> TestPki {
        let seal_der = std::fs::read(dir.join("UserV4.esl")).unwrap();
        let seal = Seal::from_der(&seal_der).unwrap();
        let user = load_key_bundle(
            &std::fs::read(dir.join("USER.p12")).unwrap(),
            Some(b"777777"),
        )
        .unwrap();
        let root = load_key_bundle(
            &std::fs::read(dir.join("ROOT.p12")).unwrap(),
            Some(b"123456"),
        )
        .unwrap();
        TestPki {
            seal,
            seal_der,
            user_cert: user.certificates[0].clone(),
            signer: SoftwareSigner::new(user.key),
            root: Certificate::from_der(&root.certificates[0]).unwrap(),
        }
    }

    /// A trust store with the root as anchor.
    pub fn trust(&self) -> TrustStore {
        let mut t = TrustStore::new();
        t.add_anchor(self.root.clone());
        t
    }
}

/// A time inside the validity of the test seal and certificates (2020-04-22 .. 2022-04-21).
pub fn in_validity() -> Time {
    Time::parse_rfc3339("2021-06-01T08:00:00Z").unwrap()
}
