//! SES seals (`SESeal`, GB/T 38540 v1/v4/v5): decode, then verify with an empty trust store.
#![no_main]
use eseal::pki::{Time, TrustStore};
use eseal::ses::{VerifyOptions, decode_seal, detect, verify_seal};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = detect(data);
    if decode_seal(data).is_ok() {
        let opts = VerifyOptions {
            now: Time::from_civil(2025, 1, 1, 0, 0, 0).unwrap(),
            ..VerifyOptions::default()
        };
        let _ = verify_seal(data, &TrustStore::new(), &opts);
    }
});
