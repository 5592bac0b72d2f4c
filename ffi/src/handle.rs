//! Typed opaque handles and checked views of the caller's pointers.
//!
//! Each handle kind is a distinct, never-defined C struct (`eseal_verifier`, `eseal_report`,
//! …) tied by [`Opaque`] to the Rust value it stands for, so a pointer of one kind cannot be
//! passed where another is expected without a cast, and `eseal_x_free` can only free an
//! `eseal_x`. Handles are `Box`es ([`Owned`]) owned by the caller from `eseal_x_new` (or the
//! function that produced them) until `eseal_x_free`.

use crate::error::{Failure, eseal_result};
use crate::panic::call;
use eseal_core::pki::Time;
use std::ffi::CStr;
use std::os::raw::c_char;
use std::sync::{Mutex, MutexGuard};

/// A C handle type and the Rust value behind it.
pub(crate) trait Opaque {
    /// The Rust value a pointer to `Self` stands for.
    type Inner;
}

/// Marks handles that are `Box<Inner>`.
pub(crate) trait Owned: Opaque {}

/// Gives the caller a new boxed handle.
pub(crate) fn boxed<T: Owned>(v: T::Inner) -> *mut T {
    Box::into_raw(Box::new(v)).cast()
}

/// Borrows the value behind a handle; NULL is an error naming `name`.
///
/// # Safety
/// `p` must be NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn get<'a, T: Opaque>(p: *const T, name: &str) -> Result<&'a T::Inner, Failure> {
    // SAFETY: caller's contract; a live handle points at a valid `Inner` (the Box contents).
    unsafe { p.cast::<T::Inner>().as_ref() }.ok_or_else(|| Failure::null(name))
}

/// Locks the values behind an options or builder handle. Setters replace whole fields after
/// checking their arguments, so a lock poisoned by a panic still guards consistent values.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The body of every setter of an options or builder handle: checks the handle (NULL is an
/// error naming `name`), locks it and lets `set` check its arguments and change the values,
/// inside the panic boundary, returning the result code.
///
/// # Safety
/// `h` must be NULL or a live handle of type `H`; `set` must uphold the contracts of any
/// pointer argument it reads.
pub(crate) unsafe fn set<H, T>(
    h: *mut H,
    name: &str,
    set: impl FnOnce(&mut T) -> Result<(), Failure>,
) -> eseal_result
where
    H: Opaque<Inner = Mutex<T>>,
{
    call(|| {
        // SAFETY: caller's contract.
        let h = unsafe { get(h.cast_const(), name) }?;
        set(&mut lock(h))
    })
}

/// The body of the functions that lend bytes held by a handle (`eseal_seal_der`,
/// `eseal_pending_digest`, the JSON getters, …): checks the handle (`name`) and both
/// out-pointers (`ptr_name`, `len`), then writes where the bytes `view` picks start and how many
/// there are. They stay valid until the handle is freed.
///
/// # Safety
/// `h` must be NULL or a live handle of type `H`; `ptr` and `len` NULL or valid for a write.
pub(crate) unsafe fn lend<H: Opaque, P>(
    h: *const H,
    name: &str,
    ptr: *mut *const P,
    ptr_name: &str,
    len: *mut usize,
    view: impl FnOnce(&H::Inner) -> Result<&[u8], Failure>,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (h, ptr, len) = unsafe { (get(h, name)?, out(ptr, ptr_name)?, out(len, "len")?) };
        let bytes = view(h)?;
        *ptr = bytes.as_ptr().cast();
        *len = bytes.len();
        Ok(())
    })
}

/// A copy of the values behind an options handle, or the defaults when it is NULL.
///
/// # Safety
/// `h` must be NULL or a live handle of type `H`.
pub(crate) unsafe fn copy_or_default<H, T>(h: *const H) -> T
where
    H: Opaque<Inner = Mutex<T>>,
    T: Clone + Default,
{
    // SAFETY: caller's contract.
    match unsafe { h.cast::<Mutex<T>>().as_ref() } {
        Some(m) => lock(m).clone(),
        None => T::default(),
    }
}

/// Frees a boxed handle; NULL is ignored. The block is wiped, padding included, before it goes
/// back to the allocator: moves may leave copies of secret bytes (a signer's key) in padding.
///
/// # Safety
/// `p` must be NULL or a live handle of type `T` made by [`boxed`], not used afterwards.
pub(crate) unsafe fn free_boxed<T: Owned>(p: *mut T) {
    if !p.is_null() {
        let inner = p.cast::<T::Inner>();
        // SAFETY: caller's contract: `inner` is a live `Box<T::Inner>`. It is dropped in place,
        // then wiped with volatile writes (not elided as dead stores), then its memory is
        // released as a `Box<MaybeUninit<T::Inner>>` (same layout, nothing left to drop).
        unsafe {
            std::ptr::drop_in_place(inner);
            let bytes = inner.cast::<u8>();
            for i in 0..std::mem::size_of::<T::Inner>() {
                bytes.add(i).write_volatile(0);
            }
            drop(Box::from_raw(
                inner.cast::<std::mem::MaybeUninit<T::Inner>>(),
            ));
        }
    }
}

/// Checks an out-pointer: it must not be NULL. Nothing is written through it here.
///
/// # Safety
/// `p` must be NULL or valid for writes.
pub(crate) unsafe fn out<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: caller's contract.
    unsafe { p.as_mut() }.ok_or_else(|| Failure::null(name))
}

/// The caller's buffer `p[0..len]`. NULL is an error even when `len` is 0.
///
/// # Safety
/// `p` must be NULL or valid for reads of `len` bytes for the duration of the call.
pub(crate) unsafe fn bytes<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8], Failure> {
    if p.is_null() {
        return Err(Failure::null(name));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!(
            "{name}: length {len} is too large"
        )));
    }
    // SAFETY: caller's contract; len checked against isize::MAX.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string.
pub(crate) unsafe fn text<'a>(p: *const c_char, name: &str) -> Result<&'a str, Failure> {
    if p.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: caller's contract.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map_err(|_| Failure::invalid(format!("{name} is not UTF-8")))
}

/// An optional NUL-terminated UTF-8 string argument (NULL means absent).
///
/// # Safety
/// As for [`text`].
pub(crate) unsafe fn opt_text<'a>(
    p: *const c_char,
    name: &str,
) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded.
        unsafe { text(p, name) }.map(Some)
    }
}

/// Earliest and latest times accepted: years 0000 to 9999.
const MIN_TIME: i64 = -62_167_219_200;
const MAX_TIME: i64 = 253_402_300_799;

/// A page number argument, counted from 1.
pub(crate) fn page(page: u32) -> Result<usize, Failure> {
    if page == 0 {
        return Err(Failure::invalid("pages are numbered from 1"));
    }
    Ok(page as usize)
}

/// A time argument in seconds since the epoch, within the years 0000–9999.
pub(crate) fn time(unix_seconds: i64) -> Result<Time, Failure> {
    if (MIN_TIME..=MAX_TIME).contains(&unix_seconds) {
        Ok(Time(unix_seconds))
    } else {
        Err(Failure::invalid(format!(
            "time {unix_seconds} is outside the years 0000-9999"
        )))
    }
}
