//! Sealing PDF documents (ISO 32000-1 §12.8, DESIGN §5.2): an incremental update with a
//! signature field whose appearance is the seal picture, and a `/Contents` payload that is an
//! SES_Signature (GB/T 38540) or a CMS SignedData over the ByteRange.
//!
//! The C ABI takes and returns bytes: the library reads the caller's buffer in place and writes
//! the sealed PDF into one new buffer; no temporary file is written. An `eseal_pdf_options` is
//! locked inside, so its setters may run on any thread.

use crate::bytes::{eseal_bytes, new_bytes};
use crate::error::{Failure, eseal_result};
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use crate::pending::{eseal_pending, hand_out, start};
use crate::placement;
use crate::seal::eseal_seal;
use crate::signer::{eseal_signer, first_certificate};
use eseal_core::crypto::Signer;
use eseal_core::keyword::KeywordSpec;
use eseal_core::pdf::cms::CmsProfile;
use eseal_core::pdf::sign::ses_contents_size;
use eseal_core::pdf::{PayloadKind, Prepared, SealOptions, SealPicture, prepare_bytes};
use eseal_core::pki::Time;
use eseal_core::riding::RidingSpec;
use eseal_core::ses::Seal;
use std::io::Cursor;
use std::os::raw::{c_char, c_int};
use std::sync::Mutex;

/// What goes into the signature's `/Contents`.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum eseal_pdf_payload {
    /// A GB/T 38540 SES_Signature (dataHash = SM3 of the ByteRange bytes); the default.
    Ses = 0,
    /// A CMS SignedData, `/SubFilter /adbe.pkcs7.detached` (SM2/SM3, PKCS #7 OIDs).
    Cms = 1,
}

/// An `eseal_pdf_payload` received from C as a plain integer (any value is accepted and
/// checked). In the header it is spelled `eseal_pdf_payload`.
pub type eseal_pdf_payload_code = u32;

/// How a PDF is sealed, gathered by the setters.
#[derive(Debug, Clone)]
pub(crate) struct PdfParams {
    page: usize,
    x_mm: f64,
    y_mm: f64,
    payload: PayloadKind,
    reason: Option<String>,
    location: Option<String>,
    signing_time: Option<Time>,
    keyword: Option<KeywordSpec>,
    riding: Option<RidingSpec>,
}

impl Default for PdfParams {
    fn default() -> Self {
        PdfParams {
            page: 1,
            x_mm: 20.0,
            y_mm: 20.0,
            payload: PayloadKind::Ses,
            reason: None,
            location: None,
            signing_time: None,
            keyword: None,
            riding: None,
        }
    }
}

/// Options for sealing a PDF (`eseal_sign_pdf`). Locked inside; usable from any thread.
pub struct eseal_pdf_options {
    _private: [u8; 0],
}

impl Opaque for eseal_pdf_options {
    type Inner = Mutex<PdfParams>;
}
impl Owned for eseal_pdf_options {}

/// Creates PDF sealing options with the defaults: page 1, the seal's top-left corner 20 mm
/// from the page's left and top edges, an SES_Signature payload, no reason or location,
/// signing time now.
///
/// # Safety
/// `out` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_new(out: *mut *mut eseal_pdf_options) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let out = unsafe { handle::out(out, "out") }?;
        *out = handle::boxed::<eseal_pdf_options>(Mutex::new(PdfParams::default()));
        Ok(())
    })
}

/// Sets the page to seal, from 1.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_set_page(
    o: *mut eseal_pdf_options,
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

/// Sets the seal's position: its left and top edges in millimetres from the visible page's
/// left and top edges (finite, 0 to 10000).
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_set_position(
    o: *mut eseal_pdf_options,
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
pub unsafe extern "C" fn eseal_pdf_options_set_keyword(
    o: *mut eseal_pdf_options,
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
pub unsafe extern "C" fn eseal_pdf_options_set_riding(
    o: *mut eseal_pdf_options,
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

/// Sets the payload: `ESEAL_PDF_PAYLOAD_SES` (default) or `ESEAL_PDF_PAYLOAD_CMS`.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_set_payload(
    o: *mut eseal_pdf_options,
    payload: eseal_pdf_payload_code,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            o.payload = match payload {
                p if p == eseal_pdf_payload::Ses as u32 => PayloadKind::Ses,
                p if p == eseal_pdf_payload::Cms as u32 => PayloadKind::Cms,
                p => return Err(Failure::invalid(format!("unknown PDF payload {p}"))),
            };
            Ok(())
        })
    }
}

/// Sets `/Reason` (NUL-terminated UTF-8; NULL removes it).
///
/// # Safety
/// `o` must be NULL or live options; `reason` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_set_reason(
    o: *mut eseal_pdf_options,
    reason: *const c_char,
) -> eseal_result {
    // SAFETY: caller's contract (both pointers).
    unsafe {
        handle::set(o, "options", |o| {
            o.reason = handle::opt_text(reason, "reason")?.map(str::to_string);
            Ok(())
        })
    }
}

/// Sets `/Location` (NUL-terminated UTF-8; NULL removes it).
///
/// # Safety
/// `o` must be NULL or live options; `location` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_set_location(
    o: *mut eseal_pdf_options,
    location: *const c_char,
) -> eseal_result {
    // SAFETY: caller's contract (both pointers).
    unsafe {
        handle::set(o, "options", |o| {
            o.location = handle::opt_text(location, "location")?.map(str::to_string);
            Ok(())
        })
    }
}

/// Sets the signing time (seconds since the epoch; default: now), written as `/M` and in the
/// payload.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_set_signing_time(
    o: *mut eseal_pdf_options,
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

/// Frees PDF options. NULL is ignored.
///
/// # Safety
/// `o` must be NULL or live options, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pdf_options_free(o: *mut eseal_pdf_options) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(o) })
}

/// The options behind `o`, or the defaults for NULL, with the signing time fixed now.
///
/// # Safety
/// `o` must be NULL or live options.
unsafe fn params(o: *const eseal_pdf_options) -> PdfParams {
    // SAFETY: caller's contract.
    let mut p: PdfParams = unsafe { handle::copy_or_default(o) };
    p.signing_time = Some(p.signing_time.unwrap_or_else(Time::now));
    p
}

/// The library's sealing options for `p`, with `seal`'s picture and a `/Contents` reservation
/// that fits the payload for `cert`.
fn seal_options(cert: &[u8], seal: &Seal, p: &PdfParams) -> SealOptions {
    SealOptions {
        page: p.page,
        x_mm: p.x_mm,
        y_mm: p.y_mm,
        picture: Some(SealPicture::from_seal(seal)),
        reason: p.reason.clone(),
        location: p.location.clone(),
        signing_time: p.signing_time.unwrap_or_else(Time::now),
        payload: p.payload,
        contents_size: match p.payload {
            PayloadKind::Ses => ses_contents_size(seal, cert),
            PayloadKind::Cms => SealOptions::default().contents_size,
        },
        keyword: p.keyword.clone(),
        riding: p.riding,
        ..SealOptions::default()
    }
}

/// Finishes a prepared PDF with the payload `p` asks for, made by `signer`: the sealed PDF.
fn finish_pdf(
    prepared: Prepared<Cursor<Vec<u8>>>,
    signer: &dyn Signer,
    cert: &[u8],
    seal: &Seal,
    payload: PayloadKind,
) -> eseal_core::Result<Vec<u8>> {
    let out = match payload {
        PayloadKind::Ses => prepared.finish_ses(seal, cert, signer)?,
        PayloadKind::Cms => prepared.finish_cms(signer, cert, &[], CmsProfile::Pkcs7)?,
    };
    Ok(out.into_inner())
}

/// Seals `pdf` with `seal` for the signer `signer` holding `cert` (DER).
fn seal_pdf(
    signer: &dyn Signer,
    cert: &[u8],
    seal: &Seal,
    pdf: &[u8],
    p: &PdfParams,
) -> eseal_core::Result<Vec<u8>> {
    let prepared = prepare_bytes(pdf, &seal_options(cert, seal, p))?;
    finish_pdf(prepared, signer, cert, seal, p.payload)
}

/// Seals the PDF in `pdf` (`len` bytes) with `seal` and `signer` and returns the sealed PDF in
/// a new `eseal_bytes`: an incremental update (the original bytes unchanged) with a signature
/// field showing the seal picture at the chosen place and a payload signed by `signer` (an
/// SES_Signature listing the signer in the seal, or CMS). `opts` may be NULL for the defaults.
/// Refused with `ESEAL_RESULT_SEAL_REFUSED` when the seal does not list the signer or the
/// signing time is outside its validity, `ESEAL_RESULT_PDF_REFUSED` when the document cannot be
/// sealed as asked (no such page, certified against changes), `ESEAL_RESULT_ENCRYPTED_PDF` for
/// encrypted documents.
///
/// # Safety
/// Handles must be NULL or live; `pdf` NULL or valid for `len` bytes; `out` NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_pdf(
    signer: *const eseal_signer,
    seal: *const eseal_seal,
    pdf: *const u8,
    len: usize,
    opts: *const eseal_pdf_options,
    out: *mut *mut eseal_bytes,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (signer, seal, pdf, p, out) = unsafe {
            (
                handle::get(signer, "signer")?,
                handle::get(seal, "seal")?,
                handle::bytes(pdf, len, "pdf")?,
                params(opts),
                handle::out(out, "out")?,
            )
        };
        let sealed = seal_pdf(
            signer.signer.as_ref(),
            signer.cert.der(),
            &seal.seal,
            pdf,
            &p,
        )?;
        *out = new_bytes(sealed);
        Ok(())
    })
}

/// Prepares sealing a PDF for a signer whose key is elsewhere (two-phase): `cert` (PEM or DER)
/// is the signer's certificate. `eseal_pending_finish` returns the sealed PDF. The document,
/// the seal and the options are copied.
///
/// # Safety
/// As for `eseal_sign_pdf`; `cert` NULL or valid for `cert_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_prepare_sign_pdf(
    cert: *const u8,
    cert_len: usize,
    seal: *const eseal_seal,
    pdf: *const u8,
    len: usize,
    opts: *const eseal_pdf_options,
    out: *mut *mut eseal_pending,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (cert, seal, pdf, p, out) = unsafe {
            (
                handle::bytes(cert, cert_len, "cert")?,
                handle::get(seal, "seal")?,
                handle::bytes(pdf, len, "pdf")?,
                params(opts),
                handle::out(out, "out")?,
            )
        };
        let cert = first_certificate(cert)?;
        let der = cert.der().to_vec();
        let public = cert.public_key()?.clone();
        let seal = seal.seal.clone();
        // Prepared here, from the caller's buffer: the pending operation holds only the
        // sealed PDF being built, not a second copy of the input.
        let prepared = prepare_bytes(pdf, &seal_options(&der, &seal, &p))?;
        let pending = start(public, move |s: &dyn Signer| {
            finish_pdf(prepared, s, &der, &seal, p.payload)
        })?;
        hand_out(pending, out);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    //! PDF sealing through the exported functions, checked by the library's PDF verifier.

    use super::*;
    use crate::test_support::{test_handles, vector};
    use eseal_core::pdf::{Document, VerifyOptions, verify_document};
    use eseal_core::report::Verdict;

    /// A one-page PDF with a classic xref table.
    fn minimal_pdf() -> Vec<u8> {
        let objs = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 4\n0000000000 65535 f \n");
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        pdf
    }

    #[test]
    fn seal_a_pdf_both_payloads_and_verify() {
        let (signer, seal) = test_handles("es-pdf", "PDF", minimal_png());
        let input = minimal_pdf();
        let mut vopts = VerifyOptions::default();
        vopts
            .trust
            .add_pem_or_der_anchors(&vector("keys/ca-cert.pem"))
            .unwrap();
        for payload in [eseal_pdf_payload::Ses, eseal_pdf_payload::Cms] {
            let mut opts = std::ptr::null_mut();
            let mut out = std::ptr::null_mut();
            unsafe {
                assert_eq!(eseal_pdf_options_new(&mut opts), eseal_result::Ok);
                assert_eq!(
                    eseal_pdf_options_set_payload(opts, payload as u32),
                    eseal_result::Ok
                );
                assert_eq!(
                    eseal_pdf_options_set_payload(opts, 7),
                    eseal_result::InvalidArgument
                );
                let r = eseal_sign_pdf(signer, seal, input.as_ptr(), input.len(), opts, &mut out);
                assert_eq!(r, eseal_result::Ok, "{payload:?}");
            }
            let sealed = unsafe { crate::handle::get(out.cast_const(), "out") }
                .unwrap()
                .clone();
            assert!(sealed.starts_with(&input), "an incremental update");
            let doc = Document::from_bytes(sealed).unwrap();
            let report = verify_document(&doc, "sealed.pdf", &vopts);
            assert_eq!(report.verdict, Verdict::Valid, "{}", report.to_json());
            assert_eq!(report.signatures.len(), 1);
            unsafe {
                crate::bytes::eseal_bytes_free(out);
                eseal_pdf_options_free(opts);
            }
        }
        unsafe {
            crate::seal::eseal_seal_free(seal);
            crate::signer::eseal_signer_free(signer);
        }
    }

    #[test]
    fn seal_on_a_keyword_and_refuse_a_missing_one() {
        let (signer, seal) = test_handles("es-pdf", "PDF", minimal_png());
        // fpdf2, Identity-H + ToUnicode: "（盖章）" twice on each of 2 pages.
        let input = vector("producers/fpdf2_identity_h.pdf");
        let mut opts = std::ptr::null_mut();
        let mut out = std::ptr::null_mut();
        unsafe {
            assert_eq!(eseal_pdf_options_new(&mut opts), eseal_result::Ok);
            let kw = c"（盖章）";
            assert_eq!(
                eseal_pdf_options_set_keyword(opts, kw.as_ptr(), 0, 0.0, f64::INFINITY),
                eseal_result::InvalidArgument
            );
            assert_eq!(
                eseal_pdf_options_set_keyword(opts, kw.as_ptr(), 0, 0.0, -3.0),
                eseal_result::Ok
            );
            let r = eseal_sign_pdf(signer, seal, input.as_ptr(), input.len(), opts, &mut out);
            assert_eq!(r, eseal_result::Ok);
        }
        let sealed = unsafe { crate::handle::get(out.cast_const(), "out") }
            .unwrap()
            .clone();
        let doc = Document::from_bytes(sealed.clone()).unwrap();
        let report = verify_document(&doc, "sealed.pdf", &VerifyOptions::default());
        assert_eq!(report.signatures.len(), 1, "{}", report.to_json());
        let widgets = sealed
            .windows(14)
            .filter(|w| w == b"/Subtype /Widg")
            .count();
        assert_eq!(widgets, 4, "one widget per occurrence");
        unsafe {
            crate::bytes::eseal_bytes_free(out);
            out = std::ptr::null_mut();
            let kw = c"不在文中";
            assert_eq!(
                eseal_pdf_options_set_keyword(opts, kw.as_ptr(), 1, 0.0, 0.0),
                eseal_result::Ok
            );
            let r = eseal_sign_pdf(signer, seal, input.as_ptr(), input.len(), opts, &mut out);
            assert_eq!(r, eseal_result::InvalidArgument);
            assert!(out.is_null(), "no output on failure");
            let mut buf = [0 as c_char; 512];
            let mut n = 0usize;
            crate::error::eseal_last_error_message(buf.as_mut_ptr(), buf.len(), &mut n);
            let msg =
                String::from_utf8_lossy(std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), n))
                    .into_owned();
            assert!(msg.contains("\"不在文中\" not found on pages 1-2"), "{msg}");
            // A riding seal over both pages: one field, two strips.
            assert_eq!(
                eseal_pdf_options_set_keyword(opts, std::ptr::null(), 0, 0.0, 0.0),
                eseal_result::Ok
            );
            assert_eq!(
                eseal_pdf_options_set_riding(opts, 1, 9, std::ptr::null(), -1.0),
                eseal_result::InvalidArgument
            );
            assert_eq!(
                eseal_pdf_options_set_riding(opts, 1, 0, c"1-2".as_ptr(), -1.0),
                eseal_result::Ok
            );
            let r = eseal_sign_pdf(signer, seal, input.as_ptr(), input.len(), opts, &mut out);
            assert_eq!(r, eseal_result::Ok);
            let sealed = crate::handle::get(out.cast_const(), "out").unwrap().clone();
            let widgets = sealed
                .windows(14)
                .filter(|w| w == b"/Subtype /Widg")
                .count();
            assert_eq!(widgets, 2);
            crate::bytes::eseal_bytes_free(out);
            eseal_pdf_options_free(opts);
            crate::seal::eseal_seal_free(seal);
            crate::signer::eseal_signer_free(signer);
        }
    }

    /// A 1×1 PNG (the appearance decodes the picture).
    fn minimal_png() -> Vec<u8> {
        vec![
            137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1,
            8, 6, 0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 248,
            207, 80, 15, 0, 3, 134, 1, 128, 90, 52, 125, 107, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66,
            96, 130,
        ]
    }
}
