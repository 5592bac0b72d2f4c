//! The OFD verifier: OFD.xml, Signatures.xml, Signature.xml, references, SES and CMS payloads.
#![no_main]
use eseal::ofd::{VerifyOptions, verify_ofd};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = VerifyOptions {
        now: eseal::pki::Time::from_civil(2025, 1, 1, 0, 0, 0),
        ..VerifyOptions::default()
    };
    let _ = verify_ofd("fuzz.ofd", data, &opts);
});
