//! Batch verification into table rows, for bindings that verify archives (the Spark job).
//!
//! `eseal_rows_verify_files` and `eseal_rows_verify_inputs` verify many inputs in one call, on
//! the library's worker threads (`eseal::batch::Verifier::verify_many`, as `eseal verify` does),
//! and reduce every report in Rust to the columns of an archive table: kind, verdict, failing
//! and indeterminate check ids, signer, seal, signing time, licence fields, error, and the
//! whole report as JSON (DESIGN §4.4). A binding then makes one foreign call per chunk of
//! inputs and parses no JSON. Files given by path are read by the worker that verifies them
//! (at most `eseal::batch::MAX_INPUT_SIZE` bytes), so their contents never cross the boundary.
//!
//! A table (`eseal_rows`) has one row per report: one per input, or one per certificate of a PEM
//! bundle. Its cells are text, read one by one with `eseal_rows_get` or all at once, as one
//! buffer, with `eseal_rows_packed`.

use crate::error::{Failure, eseal_result};
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use crate::verify::{eseal_input, eseal_verifier, read_verifier};
use eseal_core::batch::{BatchOptions, Input, Verifier};
use eseal_core::report::{Report, Status};
use serde_json::Value;
use std::os::raw::c_char;
use std::path::PathBuf;

/// Column: the index of the input in the call (decimal).
pub const ESEAL_COLUMN_INPUT: usize = 0;
/// Column: the report's index among the reports of its input (decimal; 0, or more for the
/// second and later certificates of a PEM bundle).
pub const ESEAL_COLUMN_REPORT_INDEX: usize = 1;
/// Column: the report's `path` (the input's name; `NAME#2`, … for later certificates of a bundle).
pub const ESEAL_COLUMN_PATH: usize = 2;
/// Column: `kind` (`pdf`, `ofd`, `seal`, `ses`, `cert`, `unknown`).
pub const ESEAL_COLUMN_KIND: usize = 3;
/// Column: `verdict` (`valid`, `invalid`, `indeterminate`).
pub const ESEAL_COLUMN_VERDICT: usize = 4;
/// Column: ids of the checks that failed, in the report and its signatures, first occurrence
/// order, without repeats, joined by `,` (empty when none).
pub const ESEAL_COLUMN_FAILING_CHECKS: usize = 5;
/// Column: ids of the indeterminate checks, as `ESEAL_COLUMN_FAILING_CHECKS`.
pub const ESEAL_COLUMN_INDETERMINATE_CHECKS: usize = 6;
/// Column: the number of signatures (decimal).
pub const ESEAL_COLUMN_SIGNATURE_COUNT: usize = 7;
/// Column: the signer's subject (first signature), or a certificate's own subject; may be NULL.
pub const ESEAL_COLUMN_SIGNER_SUBJECT: usize = 8;
/// Column: the signer's serial (hexadecimal), or a certificate's own serial; may be NULL.
pub const ESEAL_COLUMN_SIGNER_SERIAL: usize = 9;
/// Column: the seal's esID (first signature's seal, or the seal verified); may be NULL.
pub const ESEAL_COLUMN_SEAL_ID: usize = 10;
/// Column: the seal's name, like `ESEAL_COLUMN_SEAL_ID`; may be NULL.
pub const ESEAL_COLUMN_SEAL_NAME: usize = 11;
/// Column: the first signature's signing time (RFC 3339); may be NULL.
pub const ESEAL_COLUMN_SIGNING_TIME: usize = 12;
/// Column: the report's `licence` section as JSON; NULL when the input is no e-licence.
pub const ESEAL_COLUMN_LICENCE: usize = 13;
/// Column: licence identifier (证照标识); the licence columns are NULL when absent.
pub const ESEAL_COLUMN_LICENCE_IDENTIFIER: usize = 14;
/// Column: licence number (证照编号).
pub const ESEAL_COLUMN_LICENCE_NUMBER: usize = 15;
/// Column: licence type name (证照类型名称).
pub const ESEAL_COLUMN_LICENCE_TYPE: usize = 16;
/// Column: licence type code (证照类型代码).
pub const ESEAL_COLUMN_LICENCE_TYPE_CODE: usize = 17;
/// Column: licence holder (持证主体).
pub const ESEAL_COLUMN_LICENCE_HOLDER: usize = 18;
/// Column: licence holder code (持证主体代码).
pub const ESEAL_COLUMN_LICENCE_HOLDER_CODE: usize = 19;
/// Column: issuing authority (证照颁发机构).
pub const ESEAL_COLUMN_LICENCE_AUTHORITY: usize = 20;
/// Column: issuing authority code (证照颁发机构代码).
pub const ESEAL_COLUMN_LICENCE_AUTHORITY_CODE: usize = 21;
/// Column: issue date (证照颁发日期).
pub const ESEAL_COLUMN_LICENCE_ISSUE_DATE: usize = 22;
/// Column: start of validity (证照有效期起始日期).
pub const ESEAL_COLUMN_LICENCE_VALID_FROM: usize = 23;
/// Column: end of validity (证照有效期截止日期).
pub const ESEAL_COLUMN_LICENCE_VALID_TO: usize = 24;
/// Column: the licence section's own verdict.
pub const ESEAL_COLUMN_LICENCE_VERDICT: usize = 25;
/// Column: why the input could not be verified at all; NULL otherwise.
pub const ESEAL_COLUMN_ERROR: usize = 26;
/// Column: the whole report as JSON (DESIGN §4.4).
pub const ESEAL_COLUMN_REPORT: usize = 27;
/// The number of columns.
pub const ESEAL_COLUMN_COUNT: usize = 28;

/// The licence columns in order: the keys tried in the `licence` section or its `fields`
/// (GB/T 36903 names too), the first found wins.
const LICENCE_KEYS: [&[&str]; 12] = [
    &["identifier", "证照标识"],
    &["number", "证照编号"],
    &["type_name", "type", "证照类型名称"],
    &["type_code", "证照类型代码"],
    &["holder", "持证主体"],
    &["holder_code", "持证主体代码"],
    &["authority", "证照颁发机构"],
    &["authority_code", "证照颁发机构代码"],
    &["issue_date", "证照颁发日期"],
    &["valid_from", "证照有效期起始日期"],
    &["valid_to", "证照有效期截止日期"],
    &["verdict"],
];

/// Length of a NULL cell in the packed buffer.
const NULL_CELL: u32 = u32::MAX;

/// A table of report rows. Immutable; readable from any thread.
pub struct eseal_rows {
    _private: [u8; 0],
}

/// What an `eseal_rows` stands for: the packed cells and, per cell, where its text starts.
pub(crate) struct Rows {
    packed: Vec<u8>,
    /// Offset of each cell's text in `packed` (after its length), `None` for NULL.
    cells: Vec<Option<usize>>,
}

impl Opaque for eseal_rows {
    type Inner = Rows;
}
impl Owned for eseal_rows {}

/// A file to verify: the `path` to read (NUL-terminated UTF-8) and an optional `name` that
/// labels its reports (NULL: the path).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct eseal_file {
    /// The file's path on the local file system.
    pub path: *const c_char,
    /// Label for the reports, or NULL.
    pub name: *const c_char,
}

impl Rows {
    fn new() -> Self {
        Rows {
            packed: Vec::new(),
            cells: Vec::new(),
        }
    }

    fn push_cell(&mut self, cell: Option<&str>) {
        match cell {
            None => {
                self.packed.extend_from_slice(&NULL_CELL.to_le_bytes());
                self.cells.push(None);
            }
            Some(text) => {
                // Cells are far below 4 GiB (inputs are limited to 256 MiB).
                let len = u32::try_from(text.len()).unwrap_or(NULL_CELL - 1);
                self.packed.extend_from_slice(&len.to_le_bytes());
                self.cells.push(Some(self.packed.len()));
                self.packed
                    .extend_from_slice(&text.as_bytes()[..len as usize]);
                self.packed.push(0);
            }
        }
    }

    /// Appends the row of the `index`-th report of input `input`.
    fn push_report(&mut self, input: usize, index: usize, report: &Report) {
        let json = report.to_json();
        let (failing, undecided) = check_ids(report);
        let first = report.signatures.first();
        let (subject, serial, seal_id, seal_name) = match first {
            Some(s) => (
                s.signer.as_ref().map(|x| x.subject.clone()),
                s.signer.as_ref().map(|x| x.serial.clone()),
                s.seal.as_ref().map(|x| x.es_id.clone()),
                s.seal.as_ref().map(|x| x.name.clone()),
            ),
            // A certificate report carries its own subject and serial, a seal report its seal.
            None => {
                let seal = report.extra.get("seal");
                (
                    text(report.extra.get("subject")),
                    text(report.extra.get("serial")),
                    text(seal.and_then(|s| s.get("es_id"))),
                    text(seal.and_then(|s| s.get("name"))),
                )
            }
        };
        let licence = report.extra.get("licence").filter(|l| !l.is_null());
        let cells: [Option<String>; 14] = [
            Some(input.to_string()),
            Some(index.to_string()),
            Some(report.path.clone()),
            text(json.get("kind")),
            Some(report.verdict.as_str().to_string()),
            Some(failing.join(",")),
            Some(undecided.join(",")),
            Some(report.signatures.len().to_string()),
            subject,
            serial,
            seal_id,
            seal_name,
            first.and_then(|s| s.signing_time.clone()),
            licence.map(Value::to_string),
        ];
        for c in &cells {
            self.push_cell(c.as_deref());
        }
        for keys in LICENCE_KEYS {
            self.push_cell(licence.and_then(|l| licence_field(l, keys)).as_deref());
        }
        self.push_cell(report.error.as_deref());
        self.push_cell(Some(&json.to_string()));
    }

    fn rows(&self) -> usize {
        self.cells.len() / ESEAL_COLUMN_COUNT
    }
}

/// The failing and the indeterminate check ids of a report and its signatures, each in first
/// occurrence order without repeats.
fn check_ids(report: &Report) -> (Vec<&str>, Vec<&str>) {
    let mut failing: Vec<&str> = Vec::new();
    let mut undecided: Vec<&str> = Vec::new();
    let all = report
        .checks
        .iter()
        .chain(report.signatures.iter().flat_map(|s| s.checks.iter()));
    for c in all {
        let list = match c.status {
            Status::Fail => &mut failing,
            Status::Indeterminate => &mut undecided,
            _ => continue,
        };
        if !list.contains(&c.id.as_str()) {
            list.push(&c.id);
        }
    }
    (failing, undecided)
}

/// A JSON value as a cell: strings as they are, other scalars and structures as JSON, null or
/// absent as NULL.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A licence field: the first of `keys` found in the section or its `fields` (a `{"value": …}`
/// object stands for its value).
fn licence_field(licence: &Value, keys: &[&str]) -> Option<String> {
    let places = [Some(licence), licence.get("fields")];
    keys.iter().find_map(|k| {
        places.iter().flatten().find_map(|place| {
            let v = place.as_object()?.get(*k)?;
            text(Some(v.get("value").unwrap_or(v)))
        })
    })
}

/// Verifies `inputs` on `threads` workers (0: one per core) in input order and builds the
/// table. `names[i]` relabels the reports of input `i` (replacing the path the library used).
fn verify_to_rows(
    v: &Verifier,
    inputs: Vec<Input>,
    names: Vec<Option<String>>,
    threads: usize,
) -> Rows {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let opts = BatchOptions {
        jobs: if threads == 0 { cores } else { threads }.clamp(1, inputs.len().max(1)),
        sorted: true,
        ..BatchOptions::default()
    };
    let mut rows = Rows::new();
    v.verify_many(inputs.into_iter(), &opts, |outcome| {
        let i = outcome.index as usize;
        let label = names.get(i).and_then(Option::as_deref);
        for (j, mut report) in outcome.reports.into_iter().enumerate() {
            if let Some(label) = label {
                // Later certificates of a bundle are `path#2`, …: keep the suffix.
                let suffix = report.path.strip_prefix(&outcome.name).unwrap_or("");
                report.path = format!("{label}{suffix}");
            }
            rows.push_report(i, j, &report);
        }
    });
    rows
}

/// The body of both entry points: checks the arguments, turns each of the `count` elements of
/// `items` into an input and its label with `item`, verifies them and hands out the table.
///
/// # Safety
/// `v` must be NULL or a live verifier; `items` NULL or valid for `count` reads; `out` NULL or
/// valid for a write.
unsafe fn verify_array<T>(
    v: *const eseal_verifier,
    items: *const T,
    count: usize,
    threads: usize,
    out: *mut *mut eseal_rows,
    what: &str,
    item: impl Fn(usize, &T) -> Result<(Input, Option<String>), Failure>,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (v, out) = unsafe { (handle::get(v, "verifier")?, handle::out(out, "out")?) };
        let items = if count == 0 {
            &[][..]
        } else if items.is_null() {
            return Err(Failure::null(what));
        } else if count > isize::MAX as usize / std::mem::size_of::<T>().max(1) {
            return Err(Failure::invalid("count is too large"));
        } else {
            // SAFETY: caller's contract; count checked.
            unsafe { std::slice::from_raw_parts(items, count) }
        };
        let (inputs, names) = items
            .iter()
            .enumerate()
            .map(|(i, x)| item(i, x))
            .collect::<Result<(Vec<_>, Vec<_>), _>>()?;
        *out =
            handle::boxed::<eseal_rows>(verify_to_rows(&read_verifier(v), inputs, names, threads));
        Ok(())
    })
}

/// Verifies `count` files read from the local file system, on `threads` worker threads (0: one
/// per available core), and writes the table of their reports to `*out` (free it with
/// `eseal_rows_free`). Each file is read by the worker that verifies it; a file that cannot be
/// read, or is larger than 256 MiB, is a row with `error` set (verdict invalid), as in
/// `eseal verify`, never a failure of the call. Every path is checked before any work starts:
/// a NULL path fails the call with `ESEAL_RESULT_NULL_POINTER`. `count` 0 gives an empty table
/// (then `files` may be NULL).
///
/// # Safety
/// `v` must be NULL or a live verifier; `files` NULL or valid for `count` elements whose
/// strings are NUL-terminated; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_rows_verify_files(
    v: *const eseal_verifier,
    files: *const eseal_file,
    count: usize,
    threads: usize,
    out: *mut *mut eseal_rows,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        verify_array(v, files, count, threads, out, "files", |i, f| {
            let path = handle::text(f.path, &format!("files[{i}].path"))?;
            let name = handle::opt_text(f.name, &format!("files[{i}].name"))?;
            Ok((Input::Path(PathBuf::from(path)), name.map(str::to_string)))
        })
    }
}

/// Like `eseal_rows_verify_files` for inputs in memory (`eseal_input`, as for
/// `eseal_verify_batch`: a NULL name labels the report `#<index>`).
///
/// # Safety
/// `v` must be NULL or a live verifier; `inputs` NULL or valid for `count` elements whose
/// buffers and names are valid; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_rows_verify_inputs(
    v: *const eseal_verifier,
    inputs: *const eseal_input,
    count: usize,
    threads: usize,
    out: *mut *mut eseal_rows,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        verify_array(v, inputs, count, threads, out, "inputs", |i, x| {
            let data = handle::bytes(x.data, x.len, &format!("inputs[{i}].data"))?;
            let name = handle::opt_text(x.name, &format!("inputs[{i}].name"))?
                .map_or_else(|| format!("#{i}"), str::to_string);
            let bytes = data.to_vec();
            Ok((Input::Bytes { name, bytes }, None))
        })
    }
}

/// The number of rows of a table (one per report). NULL gives 0.
///
/// # Safety
/// `r` must be NULL or a live table.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_rows_count(r: *const eseal_rows) -> usize {
    boundary(|| {
        // SAFETY: caller's contract.
        unsafe { handle::get(r, "rows") }.map_or(0, Rows::rows)
    })
}

/// Lends the caller a piece of a table: `*ptr` and `*len` from `pick`.
///
/// # Safety
/// `r` must be NULL or a live table; `ptr` and `len` NULL or valid for a write.
unsafe fn lend<P>(
    r: *const eseal_rows,
    ptr: *mut *const P,
    len: *mut usize,
    pick: impl FnOnce(&Rows) -> Result<(*const P, usize), Failure>,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let r = unsafe { handle::get(r, "rows") }?;
        // SAFETY: caller's contract.
        let (ptr, len) = unsafe { (handle::out(ptr, "text")?, handle::out(len, "len")?) };
        (*ptr, *len) = pick(r)?;
        Ok(())
    })
}

/// The cell at `row` and `column` (an `ESEAL_COLUMN_*` value) as NUL-terminated UTF-8:
/// `*text` and `*len` (bytes, NUL excluded) are borrowed from `r` and stay valid until
/// `eseal_rows_free(r)`. A NULL cell gives `*text` NULL and `*len` 0.
///
/// # Safety
/// `r` must be NULL or a live table; `text` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_rows_get(
    r: *const eseal_rows,
    row: usize,
    column: usize,
    text: *mut *const c_char,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe {
        lend(r, text, len, |r| {
            if row >= r.rows() || column >= ESEAL_COLUMN_COUNT {
                return Err(Failure::invalid(format!(
                    "cell ({row}, {column}) out of range ({} rows, {ESEAL_COLUMN_COUNT} columns)",
                    r.rows()
                )));
            }
            Ok(match r.cells[row * ESEAL_COLUMN_COUNT + column] {
                None => (std::ptr::null(), 0),
                Some(at) => {
                    let mut n = [0u8; 4];
                    n.copy_from_slice(&r.packed[at - 4..at]);
                    (
                        r.packed[at..].as_ptr().cast(),
                        u32::from_le_bytes(n) as usize,
                    )
                }
            })
        })
    }
}

/// The whole table as one buffer, borrowed from `r` until `eseal_rows_free(r)`: row after row,
/// each of its `ESEAL_COLUMN_COUNT` cells in column order as a 32-bit little-endian length
/// followed by that many bytes of UTF-8 and a NUL byte, or the length 0xFFFFFFFF alone for a
/// NULL cell.
///
/// # Safety
/// `r` must be NULL or a live table; `data` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_rows_packed(
    r: *const eseal_rows,
    data: *mut *const u8,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { lend(r, data, len, |r| Ok((r.packed.as_ptr(), r.packed.len()))) }
}

/// Frees a table and the cells borrowed from it. NULL is ignored.
///
/// # Safety
/// `r` must be NULL or a live table, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_rows_free(r: *mut eseal_rows) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(r) })
}
