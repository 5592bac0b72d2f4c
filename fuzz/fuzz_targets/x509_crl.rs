//! X.509 CRLs, DER or PEM: parse, look a serial up, check the signature against a fixed key.
#![no_main]
use eseal::pki::Crl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(crl) = Crl::from_der_or_pem(data) {
        let _ = (
            crl.issuer(),
            crl.this_update(),
            crl.next_update(),
            crl.unsupported(),
        );
        let _ = crl.find(&[1]);
        for r in crl.revoked() {
            let _ = r.serial_hex();
        }
    }
});
