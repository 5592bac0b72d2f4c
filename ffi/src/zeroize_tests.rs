//! The C ABI leaves no copy of a private key in freed heap memory: a poisoning global allocator
//! (in this unit-test binary only) scans every block freed by the armed thread for the private
//! scalar (big- and little-endian) while a signer is made from encrypted and plain key files and
//! PKCS#12, used and freed. A control proves the scan sees an unwiped copy. The password is the
//! caller's buffer: the library borrows it and copies it only into zeroizing buffers (checked
//! here too). Stack copies are outside what this test can see.

use crate::signer::{
    eseal_signer, eseal_signer_free, eseal_signer_from_pem, eseal_signer_from_pkcs12,
};
use std::ffi::CString;

#[path = "../../tests/common/zeroize_scan.rs"]
mod zeroize_scan;

use zeroize_scan::{arm, disarm};

fn vector(name: &str) -> Vec<u8> {
    crate::test_support::vector(&format!("keys/{name}"))
}

#[test]
fn signers_leave_no_key_in_freed_memory() {
    let key = eseal_core::crypto::load_private_key(&vector("key.pem"), None).unwrap();
    let be: [u8; 32] = *key.to_bytes();
    drop(key);
    let mut le = be;
    le.reverse();
    let cert = vector("leaf-cert.pem");
    let password = CString::new("eseal-test").unwrap();

    arm(&[&be, &le, b"eseal-test"]);
    drop(be.to_vec());
    assert_eq!(
        disarm(),
        1,
        "the poisoning allocator does not see freed secrets"
    );

    for file in [
        "pkcs8-sm4-sha256.pem",
        "pkcs8-default.pem",
        "key.pem",
        "sec1.der",
        "p12-default.p12",
    ] {
        let bytes = vector(file);
        arm(&[&be, &le, b"eseal-test"]);
        let mut s: *mut eseal_signer = std::ptr::null_mut();
        // SAFETY: valid buffers and out pointer; the signer is freed once.
        let rc = unsafe {
            if file.ends_with(".p12") {
                eseal_signer_from_pkcs12(bytes.as_ptr(), bytes.len(), password.as_ptr(), &mut s)
            } else {
                eseal_signer_from_pem(
                    bytes.as_ptr(),
                    bytes.len(),
                    password.as_ptr(),
                    cert.as_ptr(),
                    cert.len(),
                    &mut s,
                )
            }
        };
        let made = !s.is_null();
        // SAFETY: s is NULL or the signer just made.
        unsafe { eseal_signer_free(s) };
        let hits = disarm();
        assert!(made, "{file}: result {rc:?}");
        assert_eq!(hits, 0, "{file}: {hits} freed blocks still held a secret");
    }
}
