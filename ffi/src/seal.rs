//! Seals (GB/T 38540-2020 §6): parsing, making (§7.1) and applying a seal to data (§7.2), and
//! verifying a detached seal signature with its data (§7.3).
//!
//! An `eseal_seal` is immutable and may be used from any thread. An `eseal_seal_builder` and
//! an `eseal_sign_options` are locked inside, so setters and users may run on any thread.

use crate::bytes::{eseal_bytes, new_bytes};
use crate::error::{Failure, eseal_result};
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use crate::pending::{eseal_pending, hand_out, prepare_with_seal, start};
use crate::signer::{SignerInner, eseal_signer, first_certificate};
use crate::verify::{Reports, eseal_report, eseal_verifier, read_verifier};
use eseal_core::crypto::Signer;
use eseal_core::pki::{Time, parse_certificates};
use eseal_core::ses::description::{Entry, SealDescription, Signers};
use eseal_core::ses::sign::{SignRequest, sign_data};
use eseal_core::ses::{Seal, SealBuilder, Version};
use std::ffi::CString;
use std::os::raw::c_char;
use std::sync::{Mutex, OnceLock};

/// A seal (SESeal of version 1, 4 or 5). Immutable; usable from any thread.
pub struct eseal_seal {
    _private: [u8; 0],
}

/// What an `eseal_seal` stands for.
pub(crate) struct SealInner {
    pub(crate) seal: Seal,
    json: OnceLock<CString>,
}

impl SealInner {
    pub(crate) fn new(seal: Seal) -> Self {
        SealInner {
            seal,
            json: OnceLock::new(),
        }
    }
}

impl Opaque for eseal_seal {
    type Inner = SealInner;
}
impl Owned for eseal_seal {}

/// Parses a seal (DER SESeal of version 1, 4 or 5, decoded tolerantly as DESIGN §4 says). The
/// maker's signature is not checked here: verify the seal with `eseal_verify`.
///
/// # Safety
/// `der` must be NULL or valid for `len` bytes; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_parse(
    der: *const u8,
    len: usize,
    out: *mut *mut eseal_seal,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (der, out) = unsafe { (handle::bytes(der, len, "der")?, handle::out(out, "out")?) };
        let seal = Seal::from_der(der)?;
        *out = handle::boxed::<eseal_seal>(SealInner::new(seal));
        Ok(())
    })
}

/// The seal's DER bytes exactly as read or made, borrowed from `s` until `eseal_seal_free(s)`.
///
/// # Safety
/// `s` must be NULL or a live seal; `der` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_der(
    s: *const eseal_seal,
    der: *mut *const u8,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { handle::lend(s, "seal", der, "der", len, |s| Ok(s.seal.raw_der())) }
}

/// The seal's description in the C ABI's form, as it always was: `signers` is the number of
/// entries, `cert_list_type` the kind of list read (0 for a list of vendor entries), `maker`
/// null when the maker certificate cannot be parsed.
fn seal_json(seal: &Seal) -> String {
    let mut d = SealDescription::of(seal);
    let list = &seal.seal_info.property.cert_list;
    d.signers = Signers::Count(list.len());
    d.cert_list_type = list.list_type();
    if d.maker.as_ref().is_some_and(Entry::is_error) {
        d.maker = None;
    }
    d.to_json()
}

/// Facts about the seal as a JSON object, borrowed from `s` until `eseal_seal_free(s)`:
/// `format` (`ses-v1`/`ses-v4`/`ses-v5`), `vid`, `es_id`, `name`, `type`, `cert_list_type`,
/// `signers` and `signer_count` (entries in the certificate list), `created` and its alias
/// `create_date`, `valid_from`, `valid_to` (RFC 3339), `picture` {`type`, `width_mm`,
/// `height_mm`, `bytes`}, `ext_datas` (extension OIDs), `maker` {`subject`, `serial`,
/// `issuer`} (null if the maker certificate cannot be parsed), `sign_alg` and `timestamp`
/// (true when the seal carries one): the library's `SealDescription`, as `eseal seal show`
/// writes it except that `signers` is a number here.
///
/// # Safety
/// `s` must be NULL or a live seal; `json` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_info_json(
    s: *const eseal_seal,
    json: *mut *const c_char,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::lend(s, "seal", json, "json", len, |s| {
            let text = s.json.get_or_init(|| {
                CString::new(seal_json(&s.seal)).unwrap_or_else(|_| CString::default())
            });
            Ok(text.as_bytes())
        })
    }
}

/// Frees a seal. NULL is ignored.
///
/// # Safety
/// `s` must be NULL or a live seal, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_free(s: *mut eseal_seal) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(s) })
}

fn version_arg(version: u32) -> Result<Version, Failure> {
    match version {
        4 => Ok(Version::V4),
        5 => Ok(Version::V5),
        v => Err(Failure::invalid(format!(
            "version must be 4 or 5 (version 1 cannot be written), not {v}"
        ))),
    }
}

/// What a seal will hold, gathered by the setters.
#[derive(Clone)]
pub(crate) struct SealParams {
    vid: String,
    es_id: String,
    name: String,
    version: Version,
    seal_type: i64,
    cert_list_type: i64,
    signer_certs: Vec<Vec<u8>>,
    create_date: Option<Time>,
    validity: Option<(Time, Time)>,
    picture: Option<(String, Vec<u8>, i64, i64)>,
}

impl SealParams {
    fn builder(&self) -> SealBuilder {
        let mut b = SealBuilder::new(&self.vid, &self.es_id, &self.name)
            .version(self.version)
            .seal_type(self.seal_type)
            .cert_list_type(self.cert_list_type)
            .signer_certs(self.signer_certs.clone());
        if let Some(t) = self.create_date {
            b = b.create_date(t);
        }
        if let Some((start, end)) = self.validity {
            b = b.validity(start, end);
        }
        if let Some((t, data, w, h)) = &self.picture {
            b = b.picture(t, data.clone(), *w, *h);
        }
        b
    }
}

/// The description of a seal to make (GB/T 38540 §7.1). Locked inside; usable from any thread.
pub struct eseal_seal_builder {
    _private: [u8; 0],
}

impl Opaque for eseal_seal_builder {
    type Inner = Mutex<SealParams>;
}
impl Owned for eseal_seal_builder {}

/// Starts describing a seal: vendor id `vid`, seal code `es_id` and `name` (NUL-terminated
/// UTF-8). Defaults: version 4, type 1, certificate list type 1 (certificates), createDate
/// the time of making. Required before making: at least one signer certificate, the validity
/// and the picture.
///
/// # Safety
/// Strings must be NULL or NUL-terminated; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_new(
    vid: *const c_char,
    es_id: *const c_char,
    name: *const c_char,
    out: *mut *mut eseal_seal_builder,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (vid, es_id, name, out) = unsafe {
            (
                handle::text(vid, "vid")?,
                handle::text(es_id, "es_id")?,
                handle::text(name, "name")?,
                handle::out(out, "out")?,
            )
        };
        let params = SealParams {
            vid: vid.to_string(),
            es_id: es_id.to_string(),
            name: name.to_string(),
            version: Version::V4,
            seal_type: 1,
            cert_list_type: 1,
            signer_certs: Vec::new(),
            create_date: None,
            validity: None,
            picture: None,
        };
        *out = handle::boxed::<eseal_seal_builder>(Mutex::new(params));
        Ok(())
    })
}

/// Sets the seal format version: 4 (GB/T 38540-2020, default) or 5 (GM/T 0031-2025).
///
/// # Safety
/// `b` must be NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_version(
    b: *mut eseal_seal_builder,
    version: u32,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(b, "builder", |b| {
            b.version = version_arg(version)?;
            Ok(())
        })
    }
}

/// Sets the business-defined seal type (default 1).
///
/// # Safety
/// `b` must be NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_type(
    b: *mut eseal_seal_builder,
    seal_type: i64,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(b, "builder", |b| {
            b.seal_type = seal_type;
            Ok(())
        })
    }
}

/// Sets the certificate list type: 1 lists the signer certificates (default), 2 their SM3
/// digests.
///
/// # Safety
/// `b` must be NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_cert_list_type(
    b: *mut eseal_seal_builder,
    cert_list_type: i64,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(b, "builder", |b| {
            if !(1..=2).contains(&cert_list_type) {
                return Err(Failure::invalid(format!(
                    "the certificate list type must be 1 or 2, not {cert_list_type}"
                )));
            }
            b.cert_list_type = cert_list_type;
            Ok(())
        })
    }
}

/// Adds the certificates (PEM, one or more; or one DER certificate) of signers allowed to use
/// the seal.
///
/// # Safety
/// `b` must be NULL or a live builder; `cert` NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_add_signer_cert(
    b: *mut eseal_seal_builder,
    cert: *const u8,
    len: usize,
) -> eseal_result {
    // SAFETY: caller's contract (both pointers).
    unsafe {
        handle::set(b, "builder", |b| {
            let certs = parse_certificates(handle::bytes(cert, len, "cert")?)?;
            b.signer_certs
                .extend(certs.iter().map(|c| c.der().to_vec()));
            Ok(())
        })
    }
}

/// Sets the seal's validity, validStart to validEnd (seconds since the epoch).
///
/// # Safety
/// `b` must be NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_validity(
    b: *mut eseal_seal_builder,
    start: i64,
    end: i64,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(b, "builder", |b| {
            let (start, end) = (handle::time(start)?, handle::time(end)?);
            if start > end {
                return Err(Failure::invalid("validStart is after validEnd"));
            }
            b.validity = Some((start, end));
            Ok(())
        })
    }
}

/// Sets createDate (seconds since the epoch; default: the time of making).
///
/// # Safety
/// `b` must be NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_create_date(
    b: *mut eseal_seal_builder,
    created: i64,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(b, "builder", |b| {
            b.create_date = Some(handle::time(created)?);
            Ok(())
        })
    }
}

/// Sets the seal picture: its type (`"PNG"`, `"JPG"`, `"GIF"`, `"BMP"`, `"SVG"` or `"OFD"`,
/// checked against the content), its bytes, and its size in millimetres (positive).
///
/// # Safety
/// `b` must be NULL or a live builder; `picture_type` NULL or NUL-terminated; `data` NULL or
/// valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_set_picture(
    b: *mut eseal_seal_builder,
    picture_type: *const c_char,
    data: *const u8,
    len: usize,
    width_mm: i64,
    height_mm: i64,
) -> eseal_result {
    // SAFETY: caller's contract (all pointers).
    unsafe {
        handle::set(b, "builder", |b| {
            let t = handle::text(picture_type, "picture_type")?;
            let data = handle::bytes(data, len, "data")?;
            eseal_core::ses::check_picture(t, data)?;
            if width_mm <= 0 || height_mm <= 0 {
                return Err(Failure::invalid(
                    "picture width and height must be positive (mm)",
                ));
            }
            b.picture = Some((t.to_string(), data.to_vec(), width_mm, height_mm));
            Ok(())
        })
    }
}

/// Makes the seal and signs it with the maker's signer (its certificate becomes the seal's
/// maker certificate; it must be valid now and allow signing).
///
/// # Safety
/// `b` must be NULL or a live builder; `maker` NULL or a live signer; `out` NULL or valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_make(
    b: *const eseal_seal_builder,
    maker: *const eseal_signer,
    out: *mut *mut eseal_seal,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (b, maker, out) = unsafe {
            (
                handle::get(b, "builder")?,
                handle::get(maker, "maker")?,
                handle::out(out, "out")?,
            )
        };
        let builder = handle::lock(b).builder();
        let seal = builder.build(maker.cert.der(), maker.signer.as_ref())?;
        *out = handle::boxed::<eseal_seal>(SealInner::new(seal));
        Ok(())
    })
}

/// Prepares making the seal with a maker whose key is elsewhere (two-phase): `maker_cert`
/// (PEM or DER) is the maker certificate. `eseal_pending_finish` returns the seal's DER
/// (parse it with `eseal_seal_parse`).
///
/// # Safety
/// `b` must be NULL or a live builder; `maker_cert` NULL or valid for `len` bytes; `out` NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_prepare_seal_make(
    b: *const eseal_seal_builder,
    maker_cert: *const u8,
    len: usize,
    out: *mut *mut eseal_pending,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (b, cert, out) = unsafe {
            (
                handle::get(b, "builder")?,
                handle::bytes(maker_cert, len, "maker_cert")?,
                handle::out(out, "out")?,
            )
        };
        let cert = first_certificate(cert)?;
        let builder = handle::lock(b).builder();
        // Fail early, before a thread starts, on what can be checked without the key.
        builder.seal_info()?;
        let der = cert.der().to_vec();
        let pending = start(cert.public_key()?.clone(), move |s: &dyn Signer| {
            builder.build(&der, s).map(|seal| seal.raw_der().to_vec())
        })?;
        hand_out(pending, out);
        Ok(())
    })
}

/// Frees a seal builder. NULL is ignored.
///
/// # Safety
/// `b` must be NULL or a live builder, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_seal_builder_free(b: *mut eseal_seal_builder) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(b) })
}

/// How to apply a seal to data.
#[derive(Clone)]
pub(crate) struct SignParams {
    property_info: String,
    signing_time: Option<Time>,
    version: Version,
}

impl Default for SignParams {
    fn default() -> Self {
        SignParams {
            property_info: String::new(),
            signing_time: None,
            version: Version::V4,
        }
    }
}

/// Options for applying a seal to data (`eseal_sign_data`). Locked inside; usable from any
/// thread.
pub struct eseal_sign_options {
    _private: [u8; 0],
}

impl Opaque for eseal_sign_options {
    type Inner = Mutex<SignParams>;
}
impl Owned for eseal_sign_options {}

/// Creates signing options with the defaults: empty propertyInfo, signing time = the time of
/// signing, version 4.
///
/// # Safety
/// `out` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_options_new(out: *mut *mut eseal_sign_options) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let out = unsafe { handle::out(out, "out") }?;
        *out = handle::boxed::<eseal_sign_options>(Mutex::new(SignParams::default()));
        Ok(())
    })
}

/// Sets propertyInfo, the protection scope written in the signature (NUL-terminated UTF-8;
/// e.g. the name of the signed file).
///
/// # Safety
/// `o` must be NULL or live options; `property_info` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_options_set_property_info(
    o: *mut eseal_sign_options,
    property_info: *const c_char,
) -> eseal_result {
    // SAFETY: caller's contract (both pointers).
    unsafe {
        handle::set(o, "options", |o| {
            o.property_info = handle::text(property_info, "property_info")?.to_string();
            Ok(())
        })
    }
}

/// Sets the signing time written in the signature (seconds since the epoch; default: now).
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_options_set_signing_time(
    o: *mut eseal_sign_options,
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

/// Sets the signature format version: 4 (default) or 5.
///
/// # Safety
/// `o` must be NULL or live options.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_options_set_version(
    o: *mut eseal_sign_options,
    version: u32,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::set(o, "options", |o| {
            o.version = version_arg(version)?;
            Ok(())
        })
    }
}

/// Frees signing options. NULL is ignored.
///
/// # Safety
/// `o` must be NULL or live options, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_options_free(o: *mut eseal_sign_options) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(o) })
}

/// The options behind `o`, or the defaults for NULL.
///
/// # Safety
/// `o` must be NULL or live options.
unsafe fn sign_params(o: *const eseal_sign_options) -> SignParams {
    // SAFETY: caller's contract.
    unsafe { handle::copy_or_default(o) }
}

/// Applies a seal to data: returns the DER SES_Signature (GB/T 38540 §7.2) over the SM3 of
/// `data`, signed by `signer`, whose certificate must be listed in the seal and the signing
/// time within the seal's validity (`ESEAL_RESULT_SEAL_REFUSED` otherwise).
fn apply(
    signer: &dyn Signer,
    cert_der: &[u8],
    seal: &Seal,
    data: &[u8],
    params: &SignParams,
) -> eseal_core::Result<Vec<u8>> {
    let at = params.signing_time.unwrap_or_else(Time::now);
    let mut req = SignRequest::new(seal, cert_der, &params.property_info, at);
    req.version = params.version;
    sign_data(&req, data, signer)?.to_der()
}

/// The body of the functions that apply a seal with a signer to a document and return the
/// result in a new `eseal_bytes` (`eseal_sign_data`, `eseal_seal_ofd`): checks the handles, the
/// document (named `doc_name` in errors) and `out`, then runs `job`.
///
/// # Safety
/// Handles must be NULL or live; `doc` NULL or valid for `len` bytes; `out` NULL or valid for
/// a write.
pub(crate) unsafe fn apply_with_signer(
    signer: *const eseal_signer,
    seal: *const eseal_seal,
    doc: *const u8,
    len: usize,
    doc_name: &str,
    out: *mut *mut eseal_bytes,
    job: impl FnOnce(&SignerInner, &Seal, &[u8]) -> eseal_core::Result<Vec<u8>>,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (signer, seal, doc, out) = unsafe {
            (
                handle::get(signer, "signer")?,
                handle::get(seal, "seal")?,
                handle::bytes(doc, len, doc_name)?,
                handle::out(out, "out")?,
            )
        };
        *out = new_bytes(job(signer, &seal.seal, doc)?);
        Ok(())
    })
}

/// Applies `seal` to `len` bytes of `data` with `signer` (GB/T 38540 §7.2) and returns the
/// DER SES_Signature in a new `eseal_bytes`. `opts` may be NULL for the defaults. Refused with
/// `ESEAL_RESULT_SEAL_REFUSED` when the signer's certificate is not listed in the seal or the
/// signing time is outside the seal's validity.
///
/// # Safety
/// Handles must be NULL or live; `data` NULL or valid for `len` bytes; `out` NULL or valid for
/// a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_sign_data(
    signer: *const eseal_signer,
    seal: *const eseal_seal,
    data: *const u8,
    len: usize,
    opts: *const eseal_sign_options,
    out: *mut *mut eseal_bytes,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        apply_with_signer(
            signer,
            seal,
            data,
            len,
            "data",
            out,
            |signer, seal, data| {
                let params = sign_params(opts);
                apply(
                    signer.signer.as_ref(),
                    signer.cert.der(),
                    seal,
                    data,
                    &params,
                )
            },
        )
    }
}

/// Prepares applying `seal` to `data` for a signer whose key is elsewhere (two-phase):
/// `cert` (PEM or DER) is the signer's certificate. `eseal_pending_finish` returns the DER
/// SES_Signature. The data and the seal are copied.
///
/// # Safety
/// As for `eseal_sign_data`; `cert` NULL or valid for `cert_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_prepare_sign_data(
    cert: *const u8,
    cert_len: usize,
    seal: *const eseal_seal,
    data: *const u8,
    len: usize,
    opts: *const eseal_sign_options,
    out: *mut *mut eseal_pending,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        prepare_with_seal(
            cert,
            cert_len,
            seal,
            data,
            len,
            "data",
            out,
            |der, seal, data| {
                let params = sign_params(opts);
                move |s: &dyn Signer| apply(s, &der, &seal, &data, &params)
            },
        )
    }
}

/// Verifies a detached seal signature (DER SES_Signature) together with the `data_len` bytes
/// of `data` it protects, so that its `data_hash` check is decided (with `eseal_verify` alone
/// it is `skip`). Other inputs are verified as `eseal_verify` does and `data` is ignored.
///
/// # Safety
/// `v` must be NULL or a live verifier; buffers NULL or valid for their lengths; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verify_detached(
    v: *const eseal_verifier,
    sig: *const u8,
    len: usize,
    data: *const u8,
    data_len: usize,
    out: *mut *mut eseal_report,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (v, sig, data, out) = unsafe {
            (
                handle::get(v, "verifier")?,
                handle::bytes(sig, len, "sig")?,
                handle::bytes(data, data_len, "data")?,
                handle::out(out, "out")?,
            )
        };
        let reports = read_verifier(v).verify_bytes_with_data("", sig, Some(data));
        *out = handle::boxed::<eseal_report>(Reports::new(reports));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    //! The seal description through `eseal_seal_info_json`: the C ABI's keys and values, and
    //! the keys it shares with `eseal seal show`.

    use super::*;
    use crate::test_support::test_signer;

    #[test]
    fn info_json_has_every_key_of_both_surfaces() {
        let (signer, cert) = test_signer();
        let seal = SealBuilder::new("v", "es-json", "章")
            .signer_certs(vec![cert.der().to_vec(), cert.der().to_vec()])
            .create_date(Time(1_700_000_000))
            .validity(Time(1_700_000_000), Time(1_900_000_000))
            .picture("PNG", b"\x89PNG\r\n\x1a\n\0\0\0\0".to_vec(), 40, 30)
            .build(cert.der(), &signer)
            .unwrap();
        let s = handle::boxed::<eseal_seal>(SealInner::new(seal.clone()));
        let (mut json, mut len) = (std::ptr::null(), 0);
        // SAFETY: a live seal and valid out-pointers; the text lives until the seal is freed.
        let text = unsafe {
            assert_eq!(
                eseal_seal_info_json(s, &mut json, &mut len),
                eseal_result::Ok
            );
            std::str::from_utf8(std::slice::from_raw_parts(json.cast::<u8>(), len))
                .unwrap()
                .to_string()
        };
        // SAFETY: freed once.
        unsafe { eseal_seal_free(s) };
        let j: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(j["format"], "ses-v4");
        assert_eq!(j["es_id"], "es-json");
        assert_eq!(j["cert_list_type"], 1);
        assert_eq!(j["signers"], 2);
        assert_eq!(j["signer_count"], 2);
        assert_eq!(j["created"], "2023-11-14T22:13:20Z");
        assert_eq!(j["create_date"], j["created"]);
        assert_eq!(j["picture"]["height_mm"], 30);
        assert_eq!(j["sign_alg"], "1.2.156.10197.1.501");
        assert_eq!(j["timestamp"], false);
        assert_eq!(j["ext_datas"], serde_json::json!([]));
        assert!(j["maker"]["subject"].as_str().unwrap().contains("leaf"));
        // The CLI's form differs only in `signers`, the entries themselves.
        let cli = serde_json::to_value(SealDescription::of(&seal)).unwrap();
        assert_eq!(cli["signers"][1]["subject"], j["maker"]["subject"]);
        let mut same = cli.clone();
        same["signers"] = j["signers"].clone();
        assert_eq!(same, j);
    }
}
