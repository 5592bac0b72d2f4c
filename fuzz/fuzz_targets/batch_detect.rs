//! Batch input detection and dispatch: whatever a batch run is handed (PDF, OFD, PEM, DER seal,
//! signature or certificate) goes through `Verifier::verify_bytes`.
#![no_main]
use eseal::batch::{Verifier, detect};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static VERIFIER: OnceLock<Verifier> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let _ = detect(data);
    let v = VERIFIER.get_or_init(|| {
        let mut v = Verifier::new();
        v.set_time(eseal::pki::Time::from_civil(2025, 1, 1, 0, 0, 0));
        v
    });
    let _ = v.verify_bytes("fuzz", data);
});
