//! The panic boundary: no panic ever unwinds into C.
//!
//! Every export runs its body inside [`boundary`] (or [`call`], which also turns a
//! [`Failure`] into a result code and records its detail). A caught panic yields
//! `ESEAL_RESULT_PANIC` from functions returning `eseal_result`, and NULL, 0 or
//! `ESEAL_VERDICT_INVALID` from the others.

use crate::error::{Failure, clear_last_error, eseal_result, set_last_error};
use crate::verify::eseal_verdict;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The value an export returns when its body panicked.
pub(crate) trait PanicValue {
    /// That value.
    fn panic_value() -> Self;
}

impl PanicValue for eseal_result {
    fn panic_value() -> Self {
        eseal_result::Panic
    }
}

impl PanicValue for eseal_verdict {
    fn panic_value() -> Self {
        // Fail closed: never report "valid" for something that was not verified.
        eseal_verdict::Invalid
    }
}

impl PanicValue for usize {
    fn panic_value() -> Self {
        0
    }
}

impl PanicValue for () {
    fn panic_value() -> Self {}
}

impl<T> PanicValue for *const T {
    fn panic_value() -> Self {
        std::ptr::null()
    }
}

impl<T> PanicValue for *mut T {
    fn panic_value() -> Self {
        std::ptr::null_mut()
    }
}

/// Runs `f`, turning a panic into [`PanicValue::panic_value`].
///
/// State a panicking body leaves behind is either dropped during unwinding or behind a lock
/// whose poisoning is ignored on purpose (the data it guards is never left half-updated), so
/// `AssertUnwindSafe` holds.
pub(crate) fn boundary<R: PanicValue>(f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(v) => v,
        Err(_) => {
            set_last_error("internal panic (a bug in eseal): the call was abandoned");
            R::panic_value()
        }
    }
}

/// Runs a fallible export: clears the last-error detail, runs `f` inside the panic boundary
/// and returns `ESEAL_RESULT_OK` or the failure's code (recording its detail).
pub(crate) fn call(f: impl FnOnce() -> Result<(), Failure>) -> eseal_result {
    boundary(|| {
        clear_last_error();
        match f() {
            Ok(()) => eseal_result::Ok,
            Err(fail) => {
                set_last_error(&fail.detail);
                fail.code
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_values() {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        assert_eq!(call(|| panic!("boom")), eseal_result::Panic);
        assert_eq!(boundary::<usize>(|| panic!("boom")), 0);
        assert!(boundary::<*const u8>(|| panic!("boom")).is_null());
        assert_eq!(
            boundary::<eseal_verdict>(|| panic!("boom")),
            eseal_verdict::Invalid
        );
        std::panic::set_hook(prev);
        assert_eq!(call(|| Ok(())), eseal_result::Ok);
        assert_eq!(call(|| Err(Failure::null("x"))), eseal_result::NullPointer);
    }
}
