//! Key files: PKCS#8 (plain and encrypted), SEC1, PKCS#12, PEM or DER, without a password and
//! with the fixed password "fuzz".
#![no_main]
use eseal::crypto::keyfile::{load_key_bundle, load_private_key};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = load_private_key(data, None);
    let _ = load_key_bundle(data, Some(b"fuzz"));
});
