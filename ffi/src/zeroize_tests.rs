//! The C ABI leaves no copy of a private key in freed heap memory: a poisoning global allocator
//! (in this unit-test binary only) scans every block freed by the armed thread for the private
//! scalar (big- and little-endian) while a signer is made from encrypted and plain key files and
//! PKCS#12, used and freed. A control proves the scan sees an unwiped copy. The password is the
//! caller's buffer: the library borrows it and copies it only into zeroizing buffers (checked
//! here too). Stack copies are outside what this test can see.

use crate::signer::{
    eseal_signer, eseal_signer_free, eseal_signer_from_pem, eseal_signer_from_pkcs12,
};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};

const MAX_NEEDLES: usize = 3;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static NEEDLES: Cell<[([u8; 32], usize); MAX_NEEDLES]> = const { Cell::new([([0; 32], 0); MAX_NEEDLES]) };
}
static HITS: AtomicUsize = AtomicUsize::new(0);

struct Poison;

// SAFETY: forwards to System; the scan only reads the block being freed.
unsafe impl GlobalAlloc for Poison {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.try_with(Cell::get).unwrap_or(false) {
            // SAFETY: the block is ours until System.dealloc below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let needles = NEEDLES.with(Cell::get);
            if needles
                .iter()
                .filter(|(_, n)| *n > 0)
                .any(|(b, n)| block.windows(*n).any(|w| w == &b[..*n]))
            {
                HITS.fetch_add(1, Ordering::SeqCst);
                if std::env::var_os("ESEAL_ZEROIZE_TRACE").is_some() {
                    ARMED.with(|a| a.set(false));
                    let which: Vec<usize> = needles
                        .iter()
                        .enumerate()
                        .filter(|(_, (b, n))| *n > 0 && block.windows(*n).any(|w| w == &b[..*n]))
                        .map(|(i, _)| i)
                        .collect();
                    eprintln!(
                        "needles {which:?}, block of {}\n{}",
                        layout.size(),
                        std::backtrace::Backtrace::force_capture()
                    );
                    ARMED.with(|a| a.set(true));
                }
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Poison = Poison;

fn arm(secrets: &[&[u8]]) {
    let mut needles = [([0u8; 32], 0usize); MAX_NEEDLES];
    for (slot, s) in needles.iter_mut().zip(secrets) {
        slot.0[..s.len()].copy_from_slice(s);
        slot.1 = s.len();
    }
    NEEDLES.with(|n| n.set(needles));
    HITS.store(0, Ordering::SeqCst);
    ARMED.with(|a| a.set(true));
}

fn disarm() -> usize {
    ARMED.with(|a| a.set(false));
    HITS.load(Ordering::SeqCst)
}

fn vector(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../test-vectors/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
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
