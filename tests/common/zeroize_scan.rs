//! A poisoning global allocator for zeroization tests, shared by `tests/cli_password_zeroize.rs`
//! and the C ABI's `ffi/src/zeroize_tests.rs` (both include this file with `#[path]`; it
//! installs itself as the binary's `#[global_allocator]`).
//!
//! While the calling thread is armed ([`arm`]), every block it frees is scanned for the secrets
//! (up to [`MAX_NEEDLES`] of up to [`NEEDLE_LEN`] bytes) and each block that still holds one is
//! counted; [`disarm`] returns the count. `ESEAL_ZEROIZE_TRACE=1` prints which secret a block
//! held and where it was freed. Stack copies are outside what this scan can see.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Most secrets looked for at once.
pub const MAX_NEEDLES: usize = 4;
/// Longest secret, in bytes.
pub const NEEDLE_LEN: usize = 32;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static NEEDLES: Cell<[([u8; NEEDLE_LEN], usize); MAX_NEEDLES]> =
        const { Cell::new([([0; NEEDLE_LEN], 0); MAX_NEEDLES]) };
}
static HITS: AtomicUsize = AtomicUsize::new(0);

/// The allocator: the system's, with the scan on deallocation.
pub struct Poison;

// SAFETY: forwards to System; the scan only reads the block being freed.
unsafe impl GlobalAlloc for Poison {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ARMED.try_with(Cell::get).unwrap_or(false) {
            // SAFETY: the block is ours until System.dealloc below.
            let block = unsafe { std::slice::from_raw_parts(ptr, layout.size()) };
            let needles = NEEDLES.with(Cell::get);
            let held = |(b, n): &([u8; NEEDLE_LEN], usize)| {
                *n > 0 && block.windows(*n).any(|w| w == &b[..*n])
            };
            if needles.iter().any(held) {
                HITS.fetch_add(1, Ordering::SeqCst);
                if std::env::var_os("ESEAL_ZEROIZE_TRACE").is_some() {
                    ARMED.with(|a| a.set(false));
                    let which: Vec<usize> =
                        (0..MAX_NEEDLES).filter(|&i| held(&needles[i])).collect();
                    eprintln!(
                        "needles {which:?}, block of {}\n{}",
                        layout.size(),
                        std::backtrace::Backtrace::force_capture()
                    );
                    ARMED.with(|a| a.set(true));
                }
            }
        }
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Poison = Poison;

/// Starts scanning the blocks this thread frees for `secrets`, with the count at 0.
pub fn arm(secrets: &[&[u8]]) {
    assert!(
        secrets.len() <= MAX_NEEDLES,
        "at most {MAX_NEEDLES} secrets"
    );
    let mut needles = [([0u8; NEEDLE_LEN], 0usize); MAX_NEEDLES];
    for (slot, s) in needles.iter_mut().zip(secrets) {
        slot.0[..s.len()].copy_from_slice(s);
        slot.1 = s.len();
    }
    NEEDLES.with(|n| n.set(needles));
    HITS.store(0, Ordering::SeqCst);
    ARMED.with(|a| a.set(true));
}

/// Stops scanning; the number of freed blocks that held a secret since [`arm`].
pub fn disarm() -> usize {
    ARMED.with(|a| a.set(false));
    HITS.load(Ordering::SeqCst)
}
