//! CMS SignedData as PDF signatures (`/Contents`) and OFD signatures (SignedValue.dat) carry it.
#![no_main]
use eseal::{ofd, pdf};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = pdf::cms::looks_like_cms(data);
    if let Ok(sd) = pdf::cms::parse_signed_data(data) {
        if let Some(cert) = sd.signer_certificate() {
            let _ = sd.check_signature(&cert, None);
        }
    }
    let _ = ofd::cms::looks_like_cms(data);
    if let Ok(sd) = ofd::cms::parse(data) {
        let _ = ofd::cms::check(&sd, b"<Signature/>");
    }
});
