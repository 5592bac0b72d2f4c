//! The OFD package reader (zip) with the default limits.
#![no_main]
use eseal::ofd::{Limits, Package};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pkg) = Package::from_bytes(data, &Limits::default()) {
        for e in pkg.files() {
            let _ = pkg.get(&e.name);
        }
    }
});
