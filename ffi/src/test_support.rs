//! Helpers of the unit tests: the repository's test vectors and the test signer.

use crate::seal::{SealInner, eseal_seal};
use crate::signer::{SignerInner, eseal_signer};
use eseal_core::crypto::{SoftwareSigner, load_private_key};
use eseal_core::pki::{Certificate, Time, parse_certificates};
use eseal_core::ses::SealBuilder;

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

/// The test signer and a seal it made (valid from an hour ago to a day ahead, `picture` as a
/// 40 × 40 mm PNG), as C ABI handles.
pub(crate) fn test_handles(
    es_id: &str,
    name: &str,
    picture: Vec<u8>,
) -> (*mut eseal_signer, *mut eseal_seal) {
    let (signer, cert) = test_signer();
    let now = Time::now();
    let seal = SealBuilder::new("t", es_id, name)
        .signer_certs(vec![cert.der().to_vec()])
        .validity(Time(now.0 - 3600), Time(now.0 + 86400))
        .picture("PNG", picture, 40, 40)
        .build(cert.der(), &signer)
        .unwrap();
    let signer = crate::handle::boxed::<eseal_signer>(SignerInner {
        signer: Box::new(signer),
        cert,
    });
    (
        signer,
        crate::handle::boxed::<eseal_seal>(SealInner::new(seal)),
    )
}
