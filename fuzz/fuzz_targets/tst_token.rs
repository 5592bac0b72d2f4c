//! RFC 3161 time-stamp tokens: parse, then verify over fixed data with an empty trust store.
#![no_main]
use eseal::pki::{Time, TrustStore};
use eseal::ses::TimeStampToken;
use eseal::ses::timestamp::verify_token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if TimeStampToken::from_der(data).is_ok() {
        let now = Time::from_civil(2025, 1, 1, 0, 0, 0).unwrap();
        let _ = verify_token(data, b"stamped", &TrustStore::new(), now);
    }
});
