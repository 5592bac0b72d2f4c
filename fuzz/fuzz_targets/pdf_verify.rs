//! The PDF verifier: signature fields, byte ranges, CMS and SES payloads.
#![no_main]
use eseal::pdf::{Document, VerifyOptions, verify_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = Document::from_bytes(data.to_vec()) {
        let opts = VerifyOptions {
            now: eseal::pki::Time::from_civil(2025, 1, 1, 0, 0, 0),
            ..VerifyOptions::default()
        };
        let _ = verify_document(&doc, "fuzz.pdf", &opts);
    }
});
