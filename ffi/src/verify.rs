//! Verifiers, reports and batch verification.
//!
//! An `eseal_verifier` holds the caller's trust anchors, intermediates, CRLs and reference
//! time (DESIGN §4.3: trust is always the caller's choice). It is safe to use from any number
//! of threads at once, including configuring it while other threads verify: configuration
//! takes a write lock, verification a read lock. An `eseal_report` is immutable and may be
//! read from any thread.

use crate::error::{Failure, eseal_result};
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use eseal_core::batch::Verifier;
use eseal_core::report::{Report, Verdict};
use std::ffi::CString;
use std::os::raw::c_char;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{OnceLock, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A verifier: trust anchors, intermediates, CRLs and the reference time. Thread-safe.
pub struct eseal_verifier {
    _private: [u8; 0],
}

impl Opaque for eseal_verifier {
    type Inner = RwLock<Verifier>;
}
impl Owned for eseal_verifier {}

/// The outcome of a verification (ETSI EN 319 102-1).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum eseal_verdict {
    /// Every check passed (warnings allowed).
    Valid = 0,
    /// At least one check failed.
    Invalid = 1,
    /// Nothing failed but something could not be decided (no trust anchor, revocation unknown).
    Indeterminate = 2,
}

impl From<Verdict> for eseal_verdict {
    fn from(v: Verdict) -> Self {
        match v {
            Verdict::Valid => eseal_verdict::Valid,
            Verdict::Invalid => eseal_verdict::Invalid,
            Verdict::Indeterminate => eseal_verdict::Indeterminate,
        }
    }
}

/// The result of verifying one input: one report, or several when the input holds several
/// certificates (a PEM bundle). Immutable; readable from any thread.
pub struct eseal_report {
    _private: [u8; 0],
}

/// What an `eseal_report` stands for.
pub(crate) struct Reports {
    reports: Vec<Report>,
    json: Vec<OnceLock<CString>>,
}

impl Reports {
    pub(crate) fn new(reports: Vec<Report>) -> Self {
        let json = reports.iter().map(|_| OnceLock::new()).collect();
        Reports { reports, json }
    }

    fn verdict(&self) -> Verdict {
        self.reports
            .iter()
            .fold(Verdict::Valid, |v, r| v.combine(r.verdict))
    }

    fn json(&self, i: usize) -> Result<&CString, Failure> {
        let (Some(report), Some(cell)) = (self.reports.get(i), self.json.get(i)) else {
            return Err(Failure::invalid(format!(
                "report index {i} out of range (count {})",
                self.reports.len()
            )));
        };
        // serde_json escapes control characters, so the text never holds a NUL byte.
        Ok(cell.get_or_init(|| {
            CString::new(report.to_json().to_string()).unwrap_or_else(|_| CString::default())
        }))
    }
}

impl Opaque for eseal_report {
    type Inner = Reports;
}
impl Owned for eseal_report {}

/// One input of a batch: `len` bytes at `data`, and an optional NUL-terminated UTF-8 `name`
/// that labels its report (NULL: the report is named `#<index>`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct eseal_input {
    /// The input's bytes (PDF, OFD, seal, seal signature or certificate).
    pub data: *const u8,
    /// Their number.
    pub len: usize,
    /// Label for the report, or NULL.
    pub name: *const c_char,
}

pub(crate) fn read_verifier(v: &RwLock<Verifier>) -> RwLockReadGuard<'_, Verifier> {
    // The verifier is never left half-updated by a panic (each update is one push), so a
    // poisoned lock is still consistent.
    v.read().unwrap_or_else(|e| e.into_inner())
}

fn write(v: &RwLock<Verifier>) -> RwLockWriteGuard<'_, Verifier> {
    v.write().unwrap_or_else(|e| e.into_inner())
}

/// The body of the `eseal_verifier_add_*` functions: hands the caller's `len` bytes at `data`
/// (named `name` in errors) to `add` under the verifier's write lock.
///
/// # Safety
/// `v` must be NULL or a live verifier; `data` NULL or valid for `len` bytes.
unsafe fn add<R>(
    v: *mut eseal_verifier,
    data: *const u8,
    len: usize,
    name: &str,
    add: impl FnOnce(&mut Verifier, &[u8]) -> eseal_core::Result<R>,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (v, data) = unsafe { (handle::get(v, "verifier")?, handle::bytes(data, len, name)?) };
        add(&mut write(v), data)?;
        Ok(())
    })
}

/// Creates a verifier with no trust anchors (chains are then indeterminate), no CRLs, judging
/// at the current time. Free it with `eseal_verifier_free`.
///
/// # Safety
/// `out` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_new(out: *mut *mut eseal_verifier) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let out = unsafe { handle::out(out, "out") }?;
        *out = handle::boxed::<eseal_verifier>(RwLock::new(Verifier::new()));
        Ok(())
    })
}

/// Adds trust anchors: every certificate in `pem` (PEM with one or more `CERTIFICATE` blocks,
/// or one DER certificate). Nothing is added when any of them is malformed.
///
/// # Safety
/// `v` must be NULL or a live verifier; `pem` NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_add_trust_pem(
    v: *mut eseal_verifier,
    pem: *const u8,
    len: usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { add(v, pem, len, "pem", Verifier::add_trust) }
}

/// Adds untrusted intermediate certificates used to build paths (PEM or one DER certificate).
///
/// # Safety
/// `v` must be NULL or a live verifier; `pem` NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_add_intermediate_pem(
    v: *mut eseal_verifier,
    pem: *const u8,
    len: usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { add(v, pem, len, "pem", Verifier::add_intermediates) }
}

/// Adds a CRL (PEM or DER). Its signature is checked when it is used, against the issuer
/// found in the trust store.
///
/// # Safety
/// `v` must be NULL or a live verifier; `crl` NULL or valid for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_add_crl(
    v: *mut eseal_verifier,
    crl: *const u8,
    len: usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { add(v, crl, len, "crl", Verifier::add_crl) }
}

/// Sets the reference time (seconds since 1970-01-01T00:00:00Z, years 0000–9999) at which
/// certificates verified on their own are judged. Seals and documents are judged at their
/// signing time as DESIGN §4.3 says.
///
/// # Safety
/// `v` must be NULL or a live verifier.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_set_time(
    v: *mut eseal_verifier,
    unix_seconds: i64,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let v = unsafe { handle::get(v, "verifier") }?;
        write(v).set_time(Some(handle::time(unix_seconds)?));
        Ok(())
    })
}

/// Frees a verifier. NULL is ignored. No other thread may be using it.
///
/// # Safety
/// `v` must be NULL or a live verifier, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verifier_free(v: *mut eseal_verifier) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(v) })
}

fn verify_one(v: &Verifier, name: &str, input: &[u8]) -> Reports {
    Reports::new(v.verify_bytes(name, input))
}

/// Verifies one input, detected by content: a PDF, an OFD, a seal (SESeal), a seal signature
/// (SES_Signature) or a certificate (PEM or DER). An input that cannot be verified at all is
/// not an error: its report says why (verdict invalid, `error` set). The report's `path` is
/// empty; see `eseal_verify_named`.
///
/// # Safety
/// `v` must be NULL or a live verifier; `input` NULL or valid for `len` bytes; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verify(
    v: *const eseal_verifier,
    input: *const u8,
    len: usize,
    out: *mut *mut eseal_report,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (v, input, out) = unsafe {
            (
                handle::get(v, "verifier")?,
                handle::bytes(input, len, "input")?,
                handle::out(out, "out")?,
            )
        };
        let reports = verify_one(&read_verifier(v), "", input);
        *out = handle::boxed::<eseal_report>(reports);
        Ok(())
    })
}

/// Like `eseal_verify`, labelling the report with `name` (NUL-terminated UTF-8, e.g. a path).
///
/// # Safety
/// As for `eseal_verify`; `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verify_named(
    v: *const eseal_verifier,
    name: *const c_char,
    input: *const u8,
    len: usize,
    out: *mut *mut eseal_report,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (v, name, input, out) = unsafe {
            (
                handle::get(v, "verifier")?,
                handle::text(name, "name")?,
                handle::bytes(input, len, "input")?,
                handle::out(out, "out")?,
            )
        };
        let reports = verify_one(&read_verifier(v), name, input);
        *out = handle::boxed::<eseal_report>(reports);
        Ok(())
    })
}

/// Most worker threads a batch uses.
const MAX_THREADS: usize = 256;

/// Verifies `count` inputs on `threads` worker threads (0: one per available core; never more
/// than `count` or 256). On success `reports[i]` receives the report of `inputs[i]` for every
/// `i` (free each with `eseal_report_free`); on failure nothing is written. Every input is
/// checked before any work starts: a NULL `data` fails the whole call with
/// `ESEAL_RESULT_NULL_POINTER`. `count` 0 succeeds and writes nothing (then `inputs` and
/// `reports` may be NULL).
///
/// # Safety
/// `v` must be NULL or a live verifier; `inputs` NULL or valid for `count` elements whose
/// buffers and names are valid; `reports` NULL or valid for `count` writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_verify_batch(
    v: *const eseal_verifier,
    inputs: *const eseal_input,
    count: usize,
    threads: usize,
    reports: *mut *mut eseal_report,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let v = unsafe { handle::get(v, "verifier") }?;
        if count == 0 {
            return Ok(());
        }
        if inputs.is_null() {
            return Err(Failure::null("inputs"));
        }
        if reports.is_null() {
            return Err(Failure::null("reports"));
        }
        if count > isize::MAX as usize / std::mem::size_of::<eseal_input>() {
            return Err(Failure::invalid("count is too large"));
        }
        // SAFETY: caller's contract; count checked.
        let raw = unsafe { std::slice::from_raw_parts(inputs, count) };
        let mut items = Vec::with_capacity(count);
        for (i, input) in raw.iter().enumerate() {
            // SAFETY: caller's contract.
            let data =
                unsafe { handle::bytes(input.data, input.len, &format!("inputs[{i}].data")) }?;
            // SAFETY: caller's contract.
            let name = unsafe { handle::opt_text(input.name, &format!("inputs[{i}].name")) }?
                .map_or_else(|| format!("#{i}"), str::to_string);
            items.push((name, data));
        }
        let verifier = read_verifier(v);
        let results = run_parallel(&verifier, &items, threads)?;
        drop(verifier);
        for (i, r) in results.into_iter().enumerate() {
            // SAFETY: reports is valid for count writes (caller's contract); i < count.
            unsafe { *reports.add(i) = handle::boxed::<eseal_report>(r) };
        }
        Ok(())
    })
}

/// Verifies every item on scoped worker threads pulling indices from a shared counter.
fn run_parallel(
    v: &Verifier,
    items: &[(String, &[u8])],
    threads: usize,
) -> Result<Vec<Reports>, Failure> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let n = if threads == 0 { cores } else { threads }.clamp(1, MAX_THREADS.min(items.len()));
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((name, data)) = items.get(i) else {
                break;
            };
            done.push((i, verify_one(v, name, data)));
        }
        done
    };
    let mut slots: Vec<Option<Reports>> = items.iter().map(|_| None).collect();
    let finished = std::thread::scope(|s| {
        let handles: Vec<_> = (1..n)
            .map(|_| std::thread::Builder::new().spawn_scoped(s, work))
            .collect();
        // The calling thread works too.
        let mut all = vec![Ok(work())];
        // A thread that could not start leaves its share to the others.
        for h in handles.into_iter().flatten() {
            all.push(h.join().map_err(|_| ()));
        }
        all
    });
    for part in finished {
        let part = part.map_err(|()| {
            Failure::new(
                eseal_result::Panic,
                "internal panic in a batch worker thread",
            )
        })?;
        for (i, r) in part {
            slots[i] = Some(r);
        }
    }
    slots
        .into_iter()
        .map(|r| r.ok_or_else(|| Failure::new(eseal_result::Panic, "a batch input was lost")))
        .collect()
}

/// The verdict of a report (combined over all its reports when the input held several
/// certificates). NULL gives `ESEAL_VERDICT_INVALID`, never VALID.
///
/// # Safety
/// `r` must be NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_verdict(r: *const eseal_report) -> eseal_verdict {
    boundary(|| {
        // SAFETY: caller's contract.
        match unsafe { handle::get(r, "report") } {
            Ok(r) => r.verdict().into(),
            Err(_) => eseal_verdict::Invalid,
        }
    })
}

/// The number of reports in `r`: 1, or more when the input held several certificates (a PEM
/// bundle: one report per certificate). NULL gives 0.
///
/// # Safety
/// `r` must be NULL or a live report.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_count(r: *const eseal_report) -> usize {
    boundary(|| {
        // SAFETY: caller's contract.
        unsafe { handle::get(r, "report") }.map_or(0, |r| r.reports.len())
    })
}

/// The report as a JSON object (DESIGN §4.4), NUL-terminated UTF-8: `*json` and `*len` (bytes,
/// NUL excluded) are borrowed from `r` and stay valid until `eseal_report_free(r)`. For an
/// input with several reports this is the first; see `eseal_report_json_at`.
///
/// # Safety
/// `r` must be NULL or a live report; `json` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_json(
    r: *const eseal_report,
    json: *mut *const c_char,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: forwarded caller contract.
    unsafe { eseal_report_json_at(r, 0, json, len) }
}

/// The JSON of report `index` (0-based, below `eseal_report_count`), borrowed like
/// `eseal_report_json`.
///
/// # Safety
/// As for `eseal_report_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_json_at(
    r: *const eseal_report,
    index: usize,
    json: *mut *const c_char,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        handle::lend(r, "report", json, "json", len, |r| {
            Ok(r.json(index)?.as_bytes())
        })
    }
}

/// Frees a report and the JSON borrowed from it. NULL is ignored.
///
/// # Safety
/// `r` must be NULL or a live report, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_report_free(r: *mut eseal_report) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(r) })
}
