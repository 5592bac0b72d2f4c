//! `eseal_bytes`: a byte buffer the library made (a signed document, a signature, a seal),
//! owned by the caller until `eseal_bytes_free`. Immutable; readable from any thread.

use crate::handle::{self, Opaque, Owned};
use crate::panic::boundary;

/// A byte buffer owned by the caller.
pub struct eseal_bytes {
    _private: [u8; 0],
}

impl Opaque for eseal_bytes {
    type Inner = Vec<u8>;
}
impl Owned for eseal_bytes {}

/// A new `eseal_bytes` holding `v`.
pub(crate) fn new_bytes(v: Vec<u8>) -> *mut eseal_bytes {
    handle::boxed::<eseal_bytes>(v)
}

/// The bytes, borrowed from `b` until `eseal_bytes_free(b)`. NULL gives NULL. For an empty
/// buffer the pointer is not NULL but must not be read.
///
/// # Safety
/// `b` must be NULL or a live `eseal_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_bytes_data(b: *const eseal_bytes) -> *const u8 {
    boundary(|| {
        // SAFETY: caller's contract.
        unsafe { handle::get(b, "bytes") }.map_or(std::ptr::null(), |v| v.as_ptr())
    })
}

/// The number of bytes in `b`. NULL gives 0.
///
/// # Safety
/// `b` must be NULL or a live `eseal_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_bytes_len(b: *const eseal_bytes) -> usize {
    boundary(|| {
        // SAFETY: caller's contract.
        unsafe { handle::get(b, "bytes") }.map_or(0, |v| v.len())
    })
}

/// Frees `b`. NULL is ignored.
///
/// # Safety
/// `b` must be NULL or a live `eseal_bytes`, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_bytes_free(b: *mut eseal_bytes) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(b) })
}
