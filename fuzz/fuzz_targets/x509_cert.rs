//! X.509 certificates, DER or PEM: parse, read every accessor, check the self-signature.
#![no_main]
use eseal::pki::{Certificate, parse_certificates};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_certificates(data);
    if let Ok(c) = Certificate::from_der(data) {
        let _ = (
            c.subject(),
            c.issuer(),
            c.serial_hex(),
            c.to_pem(),
            c.signer_info(),
        );
        let _ = (c.key_usage(), c.ext_key_usage(), c.path_len(), c.is_ca());
        if let Ok(k) = c.public_key() {
            let _ = c.verify_signed_by(&k.clone());
        }
    }
});
