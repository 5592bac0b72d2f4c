//! Several seals on one document in one pass: a *job* lists seals with their placement, applied
//! in order as successive signatures (GB/T 38540-2020 §7.2 applied once per entry). Each later
//! signature keeps the earlier ones valid: a PDF gets one incremental update per seal (ISO
//! 32000-1 §12.8: an earlier signature's ByteRange still covers its revision, and a new
//! signature field is an allowed change), an OFD one more `Sign_N` folder per seal (GB/T
//! 33190-2016 §18: the earlier signatures' References leave Signatures.xml out, unless an
//! entry asks to protect it, which only the last entry may).
//!
//! # Job file (JSON)
//!
//! ```json
//! {"seals": [
//!   {"name": "company seal", "keyword": "（盖章）", "keyword_index": "all"},
//!   {"name": "legal representative", "seal": "legal.esl", "cert": "legal.pem",
//!    "key": "legal.key", "password_env": "LEGAL_PW", "page": 1, "x": 120, "y": 230},
//!   {"name": "riding", "riding": {"edge": "right", "pages": "all", "at": 100}}
//! ]}
//! ```
//!
//! Every member of an entry is optional; unknown members are refused.
//!
//! | member | meaning |
//! |---|---|
//! | `name` | a label used in messages (errors name the entry by number and this name) |
//! | `seal`, `cert`, `key` | the seal (SESeal, DER), the signer's certificate and key file; default: the command's `--seal`, `--cert`, `--key` (an entry naming its own `key` does not take `--cert`: give its `cert`, or a PKCS#12 key). Relative paths are relative to the job file's folder |
//! | `password_file`, `password_env` | where the entry's key password comes from (default: the command's password options) |
//! | `page`, `x`, `y` | the seal's page (from 1) and top-left corner in mm from the page's top-left (defaults 1, 20, 20) |
//! | `keyword`, `keyword_index`, `offset_x`, `offset_y` | centre the seal on a text as shown: occurrence `N` (from 1, default 1) or `"all"`, moved by the offsets (mm) — see [`crate::keyword`] |
//! | `riding` | a riding seal (骑缝章): `{"edge": "right\|left\|top\|bottom", "pages": "all\|odd\|even\|FROM-TO", "at": MM}`, each member optional — see [`crate::riding`] |
//! | `payload` | PDF only: `"ses"` (default) or `"cms"` |
//! | `chain` | PDF only: intermediate certificates (PEM) embedded in a CMS payload |
//! | `reason`, `location` | PDF only: `/Reason` and `/Location` of the signature |
//! | `protect_all` | OFD only, last entry only: also protect Signatures.xml (no later seal possible) |
//!
//! An entry uses one placement: `keyword…`, `riding`, or `page`/`x`/`y`. A member that does not
//! apply to the document kind (a PDF-only member in an OFD job) is refused rather than ignored.
//!
//! The seals, certificates and keys are loaded by the caller (the command line tool loads each
//! file once, whatever the number of entries or documents) and handed over as [`Sealer`]s;
//! [`PdfJob`] and [`OfdJob`] prepare every entry once and then seal any number of documents.
//! Nothing is written when an entry fails: the output appears only after the last seal.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::crypto::Signer;
use crate::error::{Error, ErrorKind, Result};
use crate::keyword::{KeywordSpec, Occurrence};
use crate::pdf::PayloadKind;
use crate::pki::time::Time;
use crate::riding::RidingSpec;
use crate::ses::Seal;

/// Most entries a job may list.
pub const MAX_ENTRIES: usize = 1000;

/// Where an entry puts its seal.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// On a page at a position.
    At {
        /// Page number, from 1.
        page: usize,
        /// Left edge of the seal, mm from the page's left edge (as shown).
        x_mm: f64,
        /// Top edge of the seal, mm from the page's top edge (as shown).
        y_mm: f64,
    },
    /// Centred on a keyword (see [`crate::keyword`]).
    Keyword(KeywordSpec),
    /// A riding seal (see [`crate::riding`]).
    Riding(RidingSpec),
}

/// The options' placement members: page, x, y (the defaults given unless placed by
/// position), keyword, riding.
type PlacementFields = (usize, f64, f64, Option<KeywordSpec>, Option<RidingSpec>);

impl Placement {
    fn fields(&self, page: usize, x: f64, y: f64) -> PlacementFields {
        match self {
            Placement::At { page, x_mm, y_mm } => (*page, *x_mm, *y_mm, None, None),
            Placement::Keyword(k) => (page, x, y, Some(k.clone()), None),
            Placement::Riding(r) => (page, x, y, None, Some(*r)),
        }
    }

    /// A short description for messages: `page 1 at (20, 20) mm`, `keyword "盖章" (all)`, …
    pub fn describe(&self) -> String {
        match self {
            Placement::At { page, x_mm, y_mm } => format!("page {page} at ({x_mm}, {y_mm}) mm"),
            Placement::Keyword(k) => match k.occurrence {
                Occurrence::All => format!("keyword {:?} (every occurrence)", k.text),
                Occurrence::Nth(n) => format!("keyword {:?} (occurrence {n})", k.text),
            },
            Placement::Riding(r) => format!("riding seal on the {:?} edge", r.edge).to_lowercase(),
        }
    }
}

/// One seal of a job.
#[derive(Debug, Clone, PartialEq)]
pub struct JobEntry {
    /// Label used in messages.
    pub name: Option<String>,
    /// The seal file (default: the caller's).
    pub seal: Option<PathBuf>,
    /// The signer's certificate file (default: the caller's).
    pub cert: Option<PathBuf>,
    /// The signer's key file (default: the caller's).
    pub key: Option<PathBuf>,
    /// A file whose first line is the key's password.
    pub password_file: Option<PathBuf>,
    /// An environment variable holding the key's password.
    pub password_env: Option<String>,
    /// PDF: intermediate certificates for a CMS payload.
    pub chain: Option<PathBuf>,
    /// Where the seal goes.
    pub placement: Placement,
    /// PDF: the payload (`None`: SES).
    pub payload: Option<PayloadKind>,
    /// PDF: `/Reason`.
    pub reason: Option<String>,
    /// PDF: `/Location`.
    pub location: Option<String>,
    /// OFD: also protect Signatures.xml (last entry only).
    pub protect_all: bool,
}

impl JobEntry {
    /// An entry with this placement and every other member unset.
    pub fn new(placement: Placement) -> JobEntry {
        JobEntry {
            name: None,
            seal: None,
            cert: None,
            key: None,
            password_file: None,
            password_env: None,
            chain: None,
            placement,
            payload: None,
            reason: None,
            location: None,
            protect_all: false,
        }
    }

    fn pdf_only(&self) -> Option<&'static str> {
        if self.payload.is_some() {
            Some("payload")
        } else if self.chain.is_some() {
            Some("chain")
        } else if self.reason.is_some() {
            Some("reason")
        } else if self.location.is_some() {
            Some("location")
        } else {
            None
        }
    }
}

/// A list of seals applied in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// The entries, in the order they are applied.
    pub entries: Vec<JobEntry>,
}

/// `job entry N` or `job entry N ("name")`, N from 1.
pub fn entry_label(index: usize, entry: &JobEntry) -> String {
    match &entry.name {
        Some(n) => format!("job entry {} ({n:?})", index + 1),
        None => format!("job entry {}", index + 1),
    }
}

/// The error `e` prefixed with the entry's label (none for a job of one unnamed entry, which
/// is how a single seal without a job file runs), same kind.
fn in_entry(label: &Option<String>, e: Error) -> Error {
    match label {
        Some(l) => Error::new(e.kind(), format!("{l}: {}", e.detail())),
        None => e,
    }
}

/// The label errors of entry `i` carry while sealing.
fn step_label(job: &Job, i: usize) -> Option<String> {
    let e = &job.entries[i];
    (job.entries.len() > 1 || e.name.is_some()).then(|| entry_label(i, e))
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJob {
    seals: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: Option<String>,
    seal: Option<String>,
    cert: Option<String>,
    key: Option<String>,
    password_file: Option<String>,
    password_env: Option<String>,
    chain: Option<String>,
    page: Option<usize>,
    x: Option<f64>,
    y: Option<f64>,
    keyword: Option<String>,
    keyword_index: Option<serde_json::Value>,
    offset_x: Option<f64>,
    offset_y: Option<f64>,
    riding: Option<RawRiding>,
    payload: Option<String>,
    reason: Option<String>,
    location: Option<String>,
    protect_all: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRiding {
    edge: Option<String>,
    pages: Option<String>,
    at: Option<f64>,
}

impl Job {
    /// Reads a job file (see the module documentation); relative paths in it are taken
    /// relative to `base` (the job file's folder). Errors name the entry.
    pub fn from_json(json: &[u8], base: &Path) -> Result<Job> {
        let raw: RawJob = serde_json::from_slice(json)
            .map_err(|e| invalid(format!("job file: {e} (expected {{\"seals\": [...]}})")))?;
        if raw.seals.is_empty() {
            return Err(invalid("job file: \"seals\" lists no seal"));
        }
        if raw.seals.len() > MAX_ENTRIES {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("job file: more than {MAX_ENTRIES} seals"),
            ));
        }
        let mut entries = Vec::with_capacity(raw.seals.len());
        for (i, v) in raw.seals.into_iter().enumerate() {
            let label = format!("job entry {}", i + 1);
            let r: RawEntry =
                serde_json::from_value(v).map_err(|e| invalid(format!("{label}: {e}")))?;
            let e = entry_from_raw(r, base);
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    return Err(invalid(format!("{label}: {}", err.detail())));
                }
            };
            entries.push(e);
        }
        let job = Job { entries };
        let last = job.entries.len() - 1;
        for (i, e) in job.entries.iter().enumerate() {
            if e.protect_all && i != last {
                return Err(invalid(format!(
                    "{}: protect_all forbids every later seal, so only the last entry may set it",
                    entry_label(i, e)
                )));
            }
        }
        Ok(job)
    }

    /// A job of one entry.
    pub fn single(entry: JobEntry) -> Job {
        Job {
            entries: vec![entry],
        }
    }
}

fn entry_from_raw(r: RawEntry, base: &Path) -> Result<JobEntry> {
    let path = |p: Option<String>| {
        p.map(|p| {
            let p = PathBuf::from(p);
            if p.is_absolute() { p } else { base.join(p) }
        })
    };
    let positional = r.page.is_some() || r.x.is_some() || r.y.is_some();
    let keyword_extras = r.keyword_index.is_some() || r.offset_x.is_some() || r.offset_y.is_some();
    let placement = match (r.keyword, r.riding) {
        (Some(_), Some(_)) => return Err(invalid("\"keyword\" and \"riding\" exclude each other")),
        (Some(_), None) | (None, Some(_)) if positional => {
            return Err(invalid(
                "\"page\"/\"x\"/\"y\" place the seal by position; they exclude \"keyword\" and \"riding\"",
            ));
        }
        (Some(text), None) => {
            let occurrence = match r.keyword_index {
                None => Occurrence::Nth(1),
                Some(serde_json::Value::Number(n)) => n.to_string().parse()?,
                Some(serde_json::Value::String(s)) => s.parse()?,
                Some(other) => {
                    return Err(invalid(format!(
                        "\"keyword_index\" must be a number from 1 or \"all\", not {other}"
                    )));
                }
            };
            Placement::Keyword(KeywordSpec {
                text,
                occurrence,
                offset_x_mm: r.offset_x.unwrap_or(0.0),
                offset_y_mm: r.offset_y.unwrap_or(0.0),
            })
        }
        (None, _) if keyword_extras => {
            return Err(invalid(
                "\"keyword_index\", \"offset_x\" and \"offset_y\" need \"keyword\"",
            ));
        }
        (None, Some(rd)) => Placement::Riding(RidingSpec {
            edge: rd.edge.as_deref().unwrap_or("right").parse()?,
            pages: rd.pages.as_deref().unwrap_or("all").parse()?,
            at_mm: rd.at,
        }),
        (None, None) => Placement::At {
            page: r.page.unwrap_or(1),
            x_mm: r.x.unwrap_or(20.0),
            y_mm: r.y.unwrap_or(20.0),
        },
    };
    if let Placement::At { page: 0, .. } = placement {
        return Err(invalid("\"page\" counts from 1"));
    }
    let payload = match r.payload.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("ses") => Some(PayloadKind::Ses),
        Some("cms") => Some(PayloadKind::Cms),
        Some(other) => {
            return Err(invalid(format!(
                "\"payload\" is \"ses\" or \"cms\", not {other:?}"
            )));
        }
    };
    Ok(JobEntry {
        name: r.name,
        seal: path(r.seal),
        cert: path(r.cert),
        key: path(r.key),
        password_file: path(r.password_file),
        password_env: r.password_env,
        chain: path(r.chain),
        placement,
        payload,
        reason: r.reason,
        location: r.location,
        protect_all: r.protect_all.unwrap_or(false),
    })
}

/// A seal with the key that applies it, loaded by the caller.
#[derive(Clone, Copy)]
pub struct Sealer<'a> {
    /// The seal.
    pub seal: &'a Seal,
    /// The signer's certificate (DER); it must be listed in the seal.
    pub cert: &'a [u8],
    /// PDF CMS payloads: intermediate certificates to embed (DER).
    pub chain: &'a [Vec<u8>],
    /// Signs with the signer's key.
    pub signer: &'a dyn Signer,
}

impl std::fmt::Debug for Sealer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealer")
            .field("seal", &self.seal.seal_info.es_id)
            .finish_non_exhaustive()
    }
}

struct PdfStep<'a> {
    label: Option<String>,
    opts: crate::pdf::SealOptions,
    sealer: Sealer<'a>,
}

/// A job prepared for PDF documents: every entry's options (and its copy of the seal picture)
/// made once, then [`PdfJob::seal`] applies them to any number of documents, from any
/// number of threads.
pub struct PdfJob<'a> {
    steps: Vec<PdfStep<'a>>,
}

impl<'a> PdfJob<'a> {
    /// Prepares `job` with one [`Sealer`] per entry (same order).
    pub fn new(job: &Job, sealers: &[Sealer<'a>]) -> Result<PdfJob<'a>> {
        if job.entries.len() != sealers.len() || job.entries.is_empty() {
            return Err(invalid("a job needs one sealer per entry, and an entry"));
        }
        let mut steps = Vec::with_capacity(sealers.len());
        for (i, (e, s)) in job.entries.iter().zip(sealers).enumerate() {
            let label = entry_label(i, e);
            if e.protect_all {
                return Err(invalid(format!(
                    "{label}: \"protect_all\" applies to OFD documents only"
                )));
            }
            let payload = e.payload.unwrap_or_default();
            let contents_size = match payload {
                PayloadKind::Ses => crate::pdf::sign::ses_contents_size(s.seal, s.cert),
                PayloadKind::Cms => {
                    s.cert.len() + s.chain.iter().map(Vec::len).sum::<usize>() + 8192
                }
            };
            let mut opts = crate::pdf::SealOptions {
                picture: Some(crate::pdf::SealPicture::from_seal(s.seal)),
                name: Some(s.seal.seal_info.property.name.clone()),
                reason: e.reason.clone(),
                location: e.location.clone(),
                payload,
                contents_size,
                ..Default::default()
            };
            (opts.page, opts.x_mm, opts.y_mm, opts.keyword, opts.riding) =
                e.placement.fields(opts.page, opts.x_mm, opts.y_mm);
            steps.push(PdfStep {
                label: step_label(job, i),
                opts,
                sealer: *s,
            });
        }
        Ok(PdfJob { steps })
    }

    /// Number of seals.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True if the job has no seal (never: [`PdfJob::new`] refuses that).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Seals `input` into `output` with every entry in order, each signing now. Intermediate
    /// revisions go to temporary files beside `output` (removed afterwards); `output` appears
    /// only when the last seal is done. An error names the entry.
    pub fn seal(&self, input: &Path, output: &Path) -> Result<()> {
        let mut temps = TempFiles(Vec::new());
        let n = self.steps.len();
        for (i, step) in self.steps.iter().enumerate() {
            let src = if i == 0 {
                input.to_path_buf()
            } else {
                temps.0[i - 1].clone()
            };
            let dst = if i + 1 == n {
                output.to_path_buf()
            } else {
                let t = temp_beside(output, i)?;
                temps.0.push(t.clone());
                t
            };
            self.seal_step(step, &src, &dst)
                .map_err(|e| in_entry(&step.label, e))?;
        }
        Ok(())
    }

    fn seal_step(&self, step: &PdfStep<'_>, src: &Path, dst: &Path) -> Result<()> {
        let mut opts = step.opts.clone();
        opts.signing_time = Time::now();
        let prepared = crate::pdf::prepare(src, dst, &opts)?;
        let s = step.sealer;
        match opts.payload {
            PayloadKind::Ses => prepared.finish_ses(s.seal, s.cert, s.signer),
            PayloadKind::Cms => prepared.finish_cms(
                s.signer,
                s.cert,
                s.chain,
                crate::pdf::cms::CmsProfile::Pkcs7,
            ),
        }
    }
}

/// Intermediate files, removed when dropped.
struct TempFiles(Vec<PathBuf>);

impl Drop for TempFiles {
    fn drop(&mut self) {
        for t in &self.0 {
            let _ = std::fs::remove_file(t);
        }
    }
}

fn temp_beside(output: &Path, step: usize) -> Result<PathBuf> {
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| invalid(format!("{}: not a file name", output.display())))?;
    let mut rnd = [0u8; 8];
    getrandom::fill(&mut rnd).map_err(|_| Error::new(ErrorKind::Rng, "no randomness"))?;
    Ok(dir.join(format!(
        ".{base}.job{}.{:016x}.eseal-tmp",
        step + 1,
        u64::from_le_bytes(rnd)
    )))
}

struct OfdStep<'a> {
    label: Option<String>,
    opts: crate::ofd::SealOfdOptions,
    sealer: Sealer<'a>,
}

/// A job prepared for OFD documents (see [`PdfJob`]).
pub struct OfdJob<'a> {
    steps: Vec<OfdStep<'a>>,
}

impl<'a> OfdJob<'a> {
    /// Prepares `job` with one [`Sealer`] per entry (same order).
    pub fn new(job: &Job, sealers: &[Sealer<'a>]) -> Result<OfdJob<'a>> {
        if job.entries.len() != sealers.len() || job.entries.is_empty() {
            return Err(invalid("a job needs one sealer per entry, and an entry"));
        }
        let last = job.entries.len() - 1;
        let mut steps = Vec::with_capacity(sealers.len());
        for (i, (e, s)) in job.entries.iter().zip(sealers).enumerate() {
            let label = entry_label(i, e);
            if let Some(m) = e.pdf_only() {
                return Err(invalid(format!(
                    "{label}: {m:?} applies to PDF documents only"
                )));
            }
            if e.protect_all && i != last {
                return Err(invalid(format!(
                    "{label}: protect_all forbids every later seal, so only the last entry may set it"
                )));
            }
            let mut opts = crate::ofd::SealOfdOptions {
                protect_all: e.protect_all,
                ..Default::default()
            };
            (opts.page, opts.x_mm, opts.y_mm, opts.keyword, opts.riding) =
                e.placement.fields(opts.page, opts.x_mm, opts.y_mm);
            steps.push(OfdStep {
                label: step_label(job, i),
                opts,
                sealer: *s,
            });
        }
        Ok(OfdJob { steps })
    }

    /// Number of seals.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// True if the job has no seal (never: [`OfdJob::new`] refuses that).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Seals the package `input` (bytes) with every entry in order, each signing now; returns
    /// the sealed package. An error names the entry.
    pub fn seal_bytes(&self, input: &[u8]) -> Result<Vec<u8>> {
        let mut cur: Option<Vec<u8>> = None;
        for step in &self.steps {
            let src = cur.as_deref().unwrap_or(input);
            let s = step.sealer;
            let out = crate::ofd::seal_ofd_bytes(src, &step.opts, s.seal, s.cert, s.signer)
                .map_err(|e| in_entry(&step.label, e))?;
            cur = Some(out);
        }
        cur.ok_or_else(|| invalid("empty job"))
    }

    /// Seals the OFD at `input` into `output` (temporary file and rename; `output` must not be
    /// `input`).
    pub fn seal(&self, input: &Path, output: &Path) -> Result<()> {
        if same_file(input, output) {
            return Err(Error::new(
                ErrorKind::OfdRefused,
                "the output must not be the input",
            ));
        }
        let limit = crate::ofd::Limits::default().max_package_size;
        let meta = std::fs::metadata(input)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", input.display())))?;
        if meta.len() > limit {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("package of {} bytes exceeds the limit", meta.len()),
            ));
        }
        let bytes = std::fs::read(input)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", input.display())))?;
        let sealed = self.seal_bytes(&bytes)?;
        crate::ofd::sign::write_atomically(output, &sealed)
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::riding::{Edge, PageSelection};

    fn parse(s: &str) -> Result<Job> {
        Job::from_json(s.as_bytes(), Path::new("/jobs"))
    }

    #[test]
    fn parses_every_placement() {
        let j = parse(
            r#"{"seals": [
                {"name": "a", "keyword": "盖章", "keyword_index": "all", "offset_y": -3},
                {"keyword": "x", "keyword_index": 2},
                {"seal": "s.esl", "key": "/k/a.key", "page": 2, "x": 1.5, "payload": "CMS"},
                {"riding": {"edge": "left", "pages": "2-4", "at": 50}, "protect_all": true}
            ]}"#,
        )
        .unwrap();
        let e = &j.entries;
        assert_eq!(
            e[0].placement,
            Placement::Keyword(KeywordSpec {
                text: "盖章".into(),
                occurrence: Occurrence::All,
                offset_x_mm: 0.0,
                offset_y_mm: -3.0
            })
        );
        assert!(
            matches!(&e[1].placement, Placement::Keyword(k) if k.occurrence == Occurrence::Nth(2))
        );
        assert_eq!(
            e[2].placement,
            Placement::At {
                page: 2,
                x_mm: 1.5,
                y_mm: 20.0
            }
        );
        assert_eq!(e[2].seal.as_deref(), Some(Path::new("/jobs/s.esl")));
        assert_eq!(e[2].key.as_deref(), Some(Path::new("/k/a.key")));
        assert_eq!(e[2].payload, Some(PayloadKind::Cms));
        assert_eq!(
            e[3].placement,
            Placement::Riding(RidingSpec {
                edge: Edge::Left,
                pages: PageSelection::Range(2, 4),
                at_mm: Some(50.0)
            })
        );
        assert_eq!(entry_label(0, &e[0]), "job entry 1 (\"a\")");
    }

    #[test]
    fn errors_name_the_entry() {
        let cases = [
            (r#"{"seals": []}"#, "lists no seal"),
            (r#"[]"#, "expected {\"seals\""),
            (
                r#"{"seals": [{}, {"kyword": "x"}]}"#,
                "job entry 2: unknown field `kyword`",
            ),
            (
                r#"{"seals": [{"keyword": "x", "riding": {}}]}"#,
                "job entry 1: \"keyword\" and \"riding\" exclude",
            ),
            (
                r#"{"seals": [{"keyword": "x", "page": 2}]}"#,
                "job entry 1: \"page\"",
            ),
            (
                r#"{"seals": [{"offset_x": 2}]}"#,
                "job entry 1: \"keyword_index\"",
            ),
            (
                r#"{"seals": [{"keyword": "x", "keyword_index": 0}]}"#,
                "job entry 1: keyword index \"0\"",
            ),
            (
                r#"{"seals": [{"riding": {"edge": "middle"}}]}"#,
                "job entry 1: edge \"middle\"",
            ),
            (
                r#"{"seals": [{"page": 0}]}"#,
                "job entry 1: \"page\" counts from 1",
            ),
            (
                r#"{"seals": [{"payload": "rsa"}]}"#,
                "job entry 1: \"payload\"",
            ),
            (
                r#"{"seals": [{"protect_all": true}, {"name": "b"}]}"#,
                "job entry 1: protect_all",
            ),
        ];
        for (json, want) in cases {
            let e = parse(json).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{json}");
            assert!(e.to_string().contains(want), "{json}: {e}");
        }
    }
}
