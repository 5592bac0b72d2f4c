//! SES seal signatures (`SES_Signature`, v1/v4/v5): decode, then verify against fixed data with
//! an empty trust store.
#![no_main]
use eseal::pki::{Time, TrustStore};
use eseal::ses::{DataInput, VerifyOptions, decode_signature, verify_ses_signature};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if decode_signature(data).is_ok() {
        let opts = VerifyOptions {
            now: Time::from_civil(2025, 1, 1, 0, 0, 0).unwrap(),
            ..VerifyOptions::default()
        };
        let _ = verify_ses_signature(
            data,
            Some(DataInput::Bytes(b"data")),
            &TrustStore::new(),
            &opts,
        );
    }
});
