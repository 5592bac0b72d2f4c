//! Helpers of the unit tests: the repository's test vectors and the test signer.

use eseal_core::crypto::{SoftwareSigner, load_private_key};
use eseal_core::pki::{Certificate, parse_certificates};

/// `test-vectors/<name>` of the repository.
pub(crate) fn vector(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../test-vectors/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The test key (`keys/key.pem`) as a signer, and its certificate (`keys/leaf-cert.pem`).
pub(crate) fn test_signer() -> (SoftwareSigner, Certificate) {
    let key = load_private_key(&vector("keys/key.pem"), None).unwrap();
    let cert = parse_certificates(&vector("keys/leaf-cert.pem")).unwrap()[0].clone();
    (SoftwareSigner::new(key), cert)
}
