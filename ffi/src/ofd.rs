//! Sealing OFD documents (GB/T 33190-2016 §18, GB/T 38540-2020 §7.2): a stamp annotation and a
//! seal signature (SES_Signature over the new Signature.xml) added to the package.
//!
//! An `eseal_ofd_options` is locked inside, so its setters may run on any thread.

use crate::bytes::eseal_bytes;
use crate::error::eseal_result;
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use crate::pending::{eseal_pending, prepare_with_seal};
use crate::placement;
use crate::seal::{apply_with_signer, eseal_seal};
use crate::signer::eseal_signer;
use eseal_core::crypto::Signer;
use eseal_core::ofd::{SealOfdOptions, seal_ofd_bytes};
use std::ffi::c_int;
use std::os::raw::c_char;
use std::sync::Mutex;

/// Options for sealing an OFD (`eseal_seal_ofd`). Locked inside; usable from any thread.
pub struct eseal_ofd_options {
    _private: [u8; 0],
}

impl Opaque for eseal_ofd_options {
    type Inner = Mutex<SealOfdOptions>;
}
impl Owned for eseal_ofd_options {}

/// Creates OFD sealing options with the defaults: page 1, stamp at 10 mm × 10 mm from the
/// page's top-left corner, Signatures.xml not protected, the seal not stored as a file, signing
/// time now.
///
/// # Safety
/// `out` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_new(out: *mut *mut eseal_ofd_options) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let out = unsafe { handle::out(out, "out") }?;
        *out = handle::boxed::<eseal_ofd_options>(Mutex::new(SealOfdOptions::default()));
        Ok(())
    })
}

/// Sets the page to stamp (1-based, in the order of Document.xml's Pages).
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_page(
    o: *mut eseal_ofd_options,
    page: u32,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            o.page = handle::page(page)?;
            Ok(())
        })
    }
}

/// Sets the stamp's position: its left and top edges in millimetres from the page's left and
/// top edges (finite, 0 to 10000).
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_position(
    o: *mut eseal_ofd_options,
    x_mm: f64,
    y_mm: f64,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            (o.x_mm, o.y_mm) = placement::position(x_mm, y_mm)?;
            Ok(())
        })
    }
}

/// Non-zero: also protect Signatures.xml, so that the document refuses any later signature.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_protect_all(
    o: *mut eseal_ofd_options,
    protect_all: c_int,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            o.protect_all = protect_all != 0;
            Ok(())
        })
    }
}

/// Non-zero: also store the seal as `Sign_N/Seal.esl`, protected by a Reference.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_include_seal_file(
    o: *mut eseal_ofd_options,
    include: c_int,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            o.include_seal_file = include != 0;
            Ok(())
        })
    }
}

/// Sets the signing time (seconds since the epoch; default: now), written as
/// SignatureDateTime and as the seal signature's timeInfo.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_signing_time(
    o: *mut eseal_ofd_options,
    unix_seconds: i64,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            o.signing_time = Some(handle::time(unix_seconds)?);
            Ok(())
        })
    }
}

/// Frees OFD options. NULL is ignored.
///
/// # Safety
/// `o` must be NULL or live options, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_free(o: *mut eseal_ofd_options) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(o) })
}

/// Places the seal by a keyword instead of the page and position: centred on occurrence
/// `index` (from 1, page order; 0 for every occurrence, one stamp each under one signature)
/// of `keyword` (NUL-terminated UTF-8, white space ignored) as shown on the pages, moved
/// `offset_x_mm` right and `offset_y_mm` down (finite, -10000 to 10000). NULL `keyword` goes
/// back to the page and position. When sealing, a keyword that is not found fails with
/// `ESEAL_RESULT_INVALID_ARGUMENT` and a message naming it and the pages searched.
///
/// # Safety
/// `o` must be NULL or live options; `keyword` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_keyword(
    o: *mut eseal_ofd_options,
    keyword: *const c_char,
    index: u32,
    offset_x_mm: f64,
    offset_y_mm: f64,
) -> eseal_result {
    // SAFETY: caller's contract (both pointers).
    unsafe {
        handle::set(o, "options", |o| {
            let k = handle::opt_text(keyword, "keyword")?;
            o.keyword = placement::keyword_spec(k, index, offset_x_mm, offset_y_mm)?;
            Ok(())
        })
    }
}

/// Makes the seal a riding seal (骑缝章) instead of one stamp: the picture cut into one strip
/// per selected page along `edge` (0 right, 1 left, 2 top, 3 bottom), all under one signature.
/// `pages` is NUL-terminated `all`, `odd`, `even` or `FROM-TO` (NULL: all); `at_mm` is the
/// distance of the seal's top (left/right edge) or left side (top/bottom edge) from the page's
/// top or left, or a negative value to centre it. `enable` 0 turns it off. Sealing a document
/// with fewer than 2 selected pages fails with `ESEAL_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
/// `o` must be NULL or live options; `pages` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_ofd_options_set_riding(
    o: *mut eseal_ofd_options,
    enable: c_int,
    edge: u32,
    pages: *const c_char,
    at_mm: f64,
) -> eseal_result {
    // SAFETY: caller's contract (both pointers).
    unsafe {
        handle::set(o, "options", |o| {
            let pages = handle::opt_text(pages, "pages")?;
            o.riding = match enable {
                0 => None,
                _ => Some(placement::riding_spec(edge, pages, at_mm)?),
            };
            Ok(())
        })
    }
}

/// The options behind `o`, or the defaults for NULL, with the signing time fixed now so that
/// a two-phase operation writes the time it was prepared.
///
/// # Safety
/// `o` must be NULL or live options.
unsafe fn options(o: *const eseal_ofd_options) -> SealOfdOptions {
    // SAFETY: caller's contract.
    let mut opts: SealOfdOptions = unsafe { handle::copy_or_default(o) };
    opts.signing_time = Some(opts.signing_time.unwrap_or_else(eseal_core::pki::Time::now));
    opts
}

/// Seals the OFD package in `ofd` (`len` bytes) with `seal` and `signer` and returns the sealed
/// package in a new `eseal_bytes`: a stamp of the seal picture's size on the chosen page, a
/// Signature.xml protecting every file of the document, and an SES_Signature (version 4) over
/// it. The signer's certificate must be listed in the seal (`ESEAL_RESULT_SEAL_REFUSED`
/// otherwise); a document whose Signatures.xml is protected by an earlier seal is refused
/// (`ESEAL_RESULT_OFD_REFUSED`). `opts` may be NULL for the defaults.
///
/// # Safety
/// Handles must be NULL or live; `ofd` NULL or valid for `len` bytes; `out` NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_ofd(
    signer: *const eseal_signer,
    seal: *const eseal_seal,
    ofd: *const u8,
    len: usize,
    opts: *const eseal_ofd_options,
    out: *mut *mut eseal_bytes,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        apply_with_signer(signer, seal, ofd, len, "ofd", out, |signer, seal, ofd| {
            let opts = options(opts);
            seal_ofd_bytes(ofd, &opts, seal, signer.cert.der(), signer.signer.as_ref())
        })
    }
}

/// Prepares sealing an OFD for a signer whose key is elsewhere (two-phase): `cert` (PEM or
/// DER) is the signer's certificate. `eseal_pending_finish` returns the sealed package. The
/// document, the seal and the options are copied.
///
/// # Safety
/// As for `eseal_seal_ofd`; `cert` NULL or valid for `cert_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_prepare_seal_ofd(
    cert: *const u8,
    cert_len: usize,
    seal: *const eseal_seal,
    ofd: *const u8,
    len: usize,
    opts: *const eseal_ofd_options,
    out: *mut *mut eseal_pending,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        prepare_with_seal(
            cert,
            cert_len,
            seal,
            ofd,
            len,
            "ofd",
            out,
            |der, seal, ofd| {
                let opts = options(opts);
                move |s: &dyn Signer| seal_ofd_bytes(&ofd, &opts, &seal, &der, s)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    //! OFD sealing through the exported functions, checked by the library's OFD verifier.

    use super::*;
    use crate::test_support::{test_handles, vector};
    use eseal_core::ofd::{VerifyOptions, verify_ofd};
    use eseal_core::report::Verdict;

    #[test]
    fn seal_on_a_keyword_of_a_sample() {
        let Some(samples) = std::env::var_os("ESEAL_SAMPLES") else {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            return;
        };
        let input =
            std::fs::read(std::path::Path::new(&samples).join("ofdrw/multiKeywordInTextCode.ofd"))
                .expect("ofdrw/multiKeywordInTextCode.ofd");
        let (signer, seal) = test_handles("es-ofd", "OFD", b"\x89PNG\r\n\x1a\n\0\0\0\0".to_vec());
        let mut opts = std::ptr::null_mut();
        let mut out = std::ptr::null_mut();
        unsafe {
            assert_eq!(eseal_ofd_options_new(&mut opts), eseal_result::Ok);
            assert_eq!(
                eseal_ofd_options_set_keyword(opts, c"哈哈".as_ptr(), 0, 0.0, 0.0),
                eseal_result::Ok
            );
            assert_eq!(
                eseal_seal_ofd(signer, seal, input.as_ptr(), input.len(), opts, &mut out),
                eseal_result::Ok
            );
        }
        let sealed = unsafe { crate::handle::get(out.cast_const(), "out") }
            .unwrap()
            .clone();
        let mut vopts = VerifyOptions::default();
        vopts
            .trust
            .add_pem_or_der_anchors(&vector("keys/ca-cert.pem"))
            .unwrap();
        let report = verify_ofd("sealed.ofd", &sealed, &vopts);
        assert_eq!(report.verdict, Verdict::Valid, "{}", report.to_json());
        let pkg = eseal_core::ofd::Package::from_bytes(&sealed, &Default::default()).unwrap();
        let xml = pkg.get("Doc_0/Signs/Sign_0/Signature.xml").unwrap();
        let sig = eseal_core::ofd::xml::parse_signature_xml("s", xml).unwrap();
        assert_eq!(sig.stamp_annots.len(), 5);
        unsafe {
            crate::bytes::eseal_bytes_free(out);
            out = std::ptr::null_mut();
            assert_eq!(
                eseal_ofd_options_set_keyword(opts, c"盖章".as_ptr(), 1, 0.0, 0.0),
                eseal_result::Ok
            );
            assert_eq!(
                eseal_seal_ofd(signer, seal, input.as_ptr(), input.len(), opts, &mut out),
                eseal_result::InvalidArgument
            );
            assert!(out.is_null());
            eseal_ofd_options_free(opts);
            crate::seal::eseal_seal_free(seal);
            crate::signer::eseal_signer_free(signer);
        }
    }

    #[test]
    fn seal_an_ofd_and_verify_it() {
        let Some(samples) = std::env::var_os("ESEAL_SAMPLES") else {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            return;
        };
        let input = std::fs::read(std::path::Path::new(&samples).join("ofdrw/helloworld.ofd"))
            .expect("ofdrw/helloworld.ofd");
        let (signer, seal) = test_handles("es-ofd", "OFD", b"\x89PNG\r\n\x1a\n\0\0\0\0".to_vec());
        let mut opts = std::ptr::null_mut();
        let mut out = std::ptr::null_mut();
        unsafe {
            assert_eq!(eseal_ofd_options_new(&mut opts), eseal_result::Ok);
            assert_eq!(eseal_ofd_options_set_page(opts, 1), eseal_result::Ok);
            assert_eq!(
                eseal_ofd_options_set_position(opts, 30.0, 40.0),
                eseal_result::Ok
            );
            assert_eq!(
                eseal_ofd_options_set_position(opts, f64::NAN, 1.0),
                eseal_result::InvalidArgument
            );
            assert_eq!(
                eseal_seal_ofd(signer, seal, input.as_ptr(), input.len(), opts, &mut out),
                eseal_result::Ok
            );
        }
        let sealed = unsafe { crate::handle::get(out.cast_const(), "out") }
            .unwrap()
            .clone();
        let mut vopts = VerifyOptions::default();
        vopts
            .trust
            .add_pem_or_der_anchors(&vector("keys/ca-cert.pem"))
            .unwrap();
        let report = verify_ofd("sealed.ofd", &sealed, &vopts);
        assert_eq!(report.verdict, Verdict::Valid, "{}", report.to_json());
        assert_eq!(report.signatures.len(), 1);
        unsafe {
            crate::bytes::eseal_bytes_free(out);
            eseal_ofd_options_free(opts);
            crate::seal::eseal_seal_free(seal);
            crate::signer::eseal_signer_free(signer);
        }
    }
}
