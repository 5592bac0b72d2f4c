//! `eseal verify`: verify files and directories of any supported kind, in parallel, and
//! stream the reports.
//!
//! Exit status: 0 all valid, 1 any invalid, 3 none invalid but some indeterminate, 2 usage or
//! setup error (bad option, unreadable trust anchor or CRL, a PATH given on the command line
//! that does not exist, unwritable `--output`), 130 interrupted by Ctrl-C (the summary of what
//! was done is printed first). Once the run has started, a file that cannot be read is an
//! invalid report carrying the error, not exit 2.

use clap::{Args, ValueEnum};
use eseal::batch::{BatchOptions, Outcome, Summary, Verifier, Walk};
use eseal::pki::{Purpose, Time};
use eseal::report::{Report, Status, Verdict};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Output formats.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// A JSON array of reports (streamed element by element).
    Json,
    /// One JSON report per line.
    Jsonl,
    /// One CSV line per report: path, kind, verdict, failed checks, error.
    Csv,
}

/// Certificate purposes.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PurposeArg {
    /// digitalSignature or nonRepudiation.
    Signing,
    /// extended key usage timeStamping.
    Timestamping,
    /// No usage required.
    Any,
}

/// Arguments of `eseal verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// Trust anchor certificates (PEM or DER; a PEM file may hold several).
    #[arg(long = "trust", value_name = "FILE")]
    trust: Vec<PathBuf>,
    /// Untrusted intermediate certificates (PEM or DER).
    #[arg(long = "intermediate", value_name = "FILE")]
    intermediate: Vec<PathBuf>,
    /// Certificate revocation lists (PEM or DER).
    #[arg(long = "crl", value_name = "FILE")]
    crl: Vec<PathBuf>,
    /// Reference time for certificates and seals verified on their own (RFC 3339; default: now).
    #[arg(long = "at", value_name = "RFC3339-TIME")]
    at: Option<String>,
    /// Purpose certificates verified on their own must allow (default: `any` for CA
    /// certificates, `signing` for others).
    #[arg(long, value_enum)]
    purpose: Option<PurposeArg>,
    /// The data a detached seal signature (SES_Signature) protects, for its `data_hash` check.
    #[arg(long, value_name = "FILE")]
    data: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the reports to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Emit the reports in input order (default: as they finish; with --jobs 1 the order is
    /// the input order anyway).
    #[arg(long)]
    sorted: bool,
    /// Follow symbolic links found inside directories (paths given explicitly are always
    /// followed).
    #[arg(long)]
    follow_symlinks: bool,
    /// Never show the progress bar (it is shown only when standard error is a terminal).
    #[arg(long)]
    no_progress: bool,
    /// Files and directories to verify (directories recursively; kinds detected by content).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn build_verifier(a: &VerifyArgs) -> Result<Verifier, String> {
    let mut v = Verifier::new();
    for p in &a.trust {
        let n = v
            .add_trust(&read(p)?)
            .map_err(|e| format!("{}: {e}", p.display()))?;
        if n == 0 {
            return Err(format!("{}: no certificate found", p.display()));
        }
    }
    for p in &a.intermediate {
        v.add_intermediates(&read(p)?)
            .map_err(|e| format!("{}: {e}", p.display()))?;
    }
    for p in &a.crl {
        v.add_crl(&read(p)?)
            .map_err(|e| format!("{}: {e}", p.display()))?;
    }
    v.set_purpose(a.purpose.map(|p| match p {
        PurposeArg::Signing => Purpose::Signing,
        PurposeArg::Timestamping => Purpose::TimeStamping,
        PurposeArg::Any => Purpose::Any,
    }));
    // Without --at, "now" is the start of the run, the same for every input (so that work
    // shared across the batch, keyed by the reference time, is reused).
    v.set_time(Some(match &a.at {
        Some(at) => Time::parse_rfc3339(at).map_err(|e| format!("--at: {e}"))?,
        None => Time::now(),
    }));
    Ok(v)
}

/// Writes reports in the chosen format as they come.
struct Emitter {
    out: Box<dyn Write>,
    format: Format,
    first: bool,
}

impl Emitter {
    fn new(out: Box<dyn Write>, format: Format) -> std::io::Result<Self> {
        let mut e = Emitter {
            out,
            format,
            first: true,
        };
        match format {
            Format::Json => e.out.write_all(b"[")?,
            Format::Csv => e
                .out
                .write_all(b"path,kind,verdict,failed_checks,error,licence_identifier,licence_type,licence_holder,licence_holder_code,licence_authority,licence_issue_date,licence_valid_to,licence_verdict\n")?,
            _ => {}
        }
        Ok(e)
    }

    fn report(&mut self, r: &Report) -> std::io::Result<()> {
        match self.format {
            Format::Text => write_text(&mut self.out, r),
            Format::Json => {
                self.out
                    .write_all(if self.first { b"\n" } else { b",\n" })?;
                serde_json::to_writer_pretty(&mut self.out, r)?;
                Ok(())
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, r)?;
                self.out.write_all(b"\n")
            }
            Format::Csv => {
                let failed: Vec<&str> = r
                    .checks
                    .iter()
                    .chain(r.signatures.iter().flat_map(|s| s.checks.iter()))
                    .filter(|c| c.status == Status::Fail)
                    .map(|c| c.id.as_str())
                    .collect();
                writeln!(
                    self.out,
                    "{},{},{},{},{},{}",
                    csv(&r.path),
                    kind_name(r),
                    r.verdict.as_str(),
                    csv(&failed.join(";")),
                    csv(r.error.as_deref().unwrap_or("")),
                    licence_columns(r)
                )
            }
        }?;
        self.first = false;
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.format == Format::Json {
            self.out
                .write_all(if self.first { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// The licence columns of a CSV row (empty when the input is not a licence): identifier, type,
/// holder, holder code, authority, issue date, valid to, licence verdict.
fn licence_columns(r: &Report) -> String {
    let lic = r.extra.get("licence");
    let get = |k: &str| {
        lic.and_then(|l| l.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let ty = if get("type").is_empty() {
        get("name")
    } else {
        get("type")
    };
    [
        get("licence_id"),
        ty,
        get("holder"),
        get("holder_id"),
        get("issuer"),
        get("issue_date"),
        get("valid_to"),
        get("verdict"),
    ]
    .iter()
    .map(|v| csv(v))
    .collect::<Vec<_>>()
    .join(",")
}

fn csv(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn kind_name(r: &Report) -> String {
    serde_json::to_value(r.kind)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// The progress line on standard error: done/total, rate and ETA. The total comes from a
/// second, counting walk that runs beside the verification (or is known: [`Progress::fixed`]).
pub(crate) struct Progress {
    start: Instant,
    last: Option<Instant>,
    total: Arc<AtomicU64>,
    total_done: Arc<AtomicBool>,
}

impl Progress {
    /// A progress line for a run of `total` files known in advance.
    pub(crate) fn fixed(total: u64) -> Progress {
        Progress {
            start: Instant::now(),
            last: None,
            total: Arc::new(AtomicU64::new(total)),
            total_done: Arc::new(AtomicBool::new(true)),
        }
    }

    pub(crate) fn draw(&mut self, done: u64, force: bool) {
        let now = Instant::now();
        if !force
            && self
                .last
                .is_some_and(|l| now - l < Duration::from_millis(100))
        {
            return;
        }
        self.last = Some(now);
        let secs = (now - self.start).as_secs_f64().max(1e-6);
        let rate = done as f64 / secs;
        let total = self.total.load(Ordering::Relaxed);
        let counted = self.total_done.load(Ordering::Relaxed);
        let width = 30usize;
        let line = if counted && total > 0 {
            let frac = (done as f64 / total as f64).min(1.0);
            let fill = (frac * width as f64) as usize;
            let eta = if rate > 0.0 {
                fmt_secs(total.saturating_sub(done) as f64 / rate)
            } else {
                "?".into()
            };
            format!(
                "[{}{}] {done}/{total} files {:>3.0}%  {rate:.1} files/s  ETA {eta}",
                "#".repeat(fill),
                "-".repeat(width - fill),
                frac * 100.0
            )
        } else {
            format!(
                "[{}] {done}/{total}+ files  {rate:.1} files/s  ETA ?",
                " ".repeat(width)
            )
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K{line}");
        let _ = err.flush();
    }

    pub(crate) fn clear(&self) {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
}

fn fmt_secs(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn print_summary(s: &Summary, elapsed: Duration, skipped: u64, interrupted: bool) {
    let mut err = std::io::stderr().lock();
    let secs = elapsed.as_secs_f64();
    let _ = writeln!(
        err,
        "{}summary: {} files, {} reports: {} valid, {} invalid, {} indeterminate ({} errors) in {:.2} s ({:.1} files/s)",
        if interrupted { "interrupted; " } else { "" },
        s.inputs,
        s.reports,
        s.valid,
        s.invalid,
        s.indeterminate,
        s.errors,
        secs,
        s.inputs as f64 / secs.max(1e-9)
    );
    let list = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !s.failed_checks.is_empty() {
        let _ = writeln!(err, "failed checks: {}", list(&s.failed_checks));
    }
    if !s.indeterminate_checks.is_empty() {
        let _ = writeln!(
            err,
            "indeterminate checks: {}",
            list(&s.indeterminate_checks)
        );
    }
    if skipped > 0 {
        let _ = writeln!(
            err,
            "skipped {skipped} symbolic links (use --follow-symlinks)"
        );
    }
}

/// Runs the command; returns the exit status.
pub fn run(a: VerifyArgs) -> u8 {
    let verifier = match build_verifier(&a) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("eseal verify: {e}");
            return 2;
        }
    };
    let data = match a.data.as_deref().map(read).transpose() {
        Ok(d) => d.map(Arc::<[u8]>::from),
        Err(e) => {
            eprintln!("eseal verify: {e}");
            return 2;
        }
    };
    for p in &a.paths {
        if let Err(e) = std::fs::metadata(p) {
            eprintln!("eseal verify: {}: {e}", p.display());
            return 2;
        }
    }
    if a.jobs == Some(0) {
        eprintln!("eseal verify: --jobs must be at least 1");
        return 2;
    }
    let out: Box<dyn Write> = match &a.output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(std::io::BufWriter::new(f)),
            Err(e) => {
                eprintln!("eseal verify: {}: {e}", p.display());
                return 2;
            }
        },
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C while the run winds down exits at once.
        let _ = ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        });
    }
    let mut opts = BatchOptions {
        sorted: a.sorted,
        stop: Some(stop.clone()),
        data,
        ..BatchOptions::default()
    };
    if let Some(j) = a.jobs {
        opts.jobs = j;
    }
    let walk = Walk::new(a.paths.clone(), a.follow_symlinks);
    let skipped = walk.skipped_symlinks();

    let show_progress = !a.no_progress && std::io::stderr().is_terminal();
    let mut progress = show_progress.then(|| {
        let total = Arc::new(AtomicU64::new(0));
        let total_done = Arc::new(AtomicBool::new(false));
        let (t, d, s) = (total.clone(), total_done.clone(), stop.clone());
        let roots = a.paths.clone();
        let follow = a.follow_symlinks;
        std::thread::spawn(move || {
            for _ in Walk::new(roots, follow) {
                if s.load(Ordering::Relaxed) {
                    return;
                }
                t.fetch_add(1, Ordering::Relaxed);
            }
            d.store(true, Ordering::Relaxed);
        });
        Progress {
            start: Instant::now(),
            last: None,
            total,
            total_done,
        }
    });

    let mut emitter = match Emitter::new(out, a.format) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("eseal verify: {e}");
            return 2;
        }
    };
    let start = Instant::now();
    let mut summary = Summary::default();
    let mut write_error: Option<std::io::Error> = None;
    verifier.verify_many(walk, &opts, |o: Outcome| {
        summary.add_outcome(&o);
        if write_error.is_none() {
            for r in &o.reports {
                if let Err(e) = emitter.report(r) {
                    // A closed pipe or a full disk: stop the run.
                    write_error = Some(e);
                    stop.store(true, Ordering::SeqCst);
                    break;
                }
            }
        }
        if let Some(p) = progress.as_mut() {
            p.draw(summary.inputs, false);
        }
    });
    let interrupted = stop.load(Ordering::SeqCst) && write_error.is_none();
    if let Some(p) = progress.as_mut() {
        p.draw(summary.inputs, true);
        p.clear();
    }
    if let Err(e) = emitter.finish()
        && write_error.is_none()
    {
        write_error = Some(e);
    }
    print_summary(
        &summary,
        start.elapsed(),
        skipped.load(Ordering::Relaxed),
        interrupted,
    );
    if let Some(e) = write_error {
        eprintln!("eseal verify: writing reports: {e}");
        return 2;
    }
    if interrupted {
        return 130;
    }
    match summary.verdict() {
        Verdict::Valid => 0,
        Verdict::Invalid => 1,
        Verdict::Indeterminate => 3,
    }
}

/// Prints a report as text on standard output.
pub fn print_text(r: &Report) {
    let mut out = std::io::stdout().lock();
    let _ = write_text(&mut out, r);
}

fn write_text(out: &mut dyn Write, r: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} ({})",
        r.path,
        r.verdict.as_str().to_uppercase(),
        kind_name(r)
    )?;
    if let Some(e) = &r.error {
        writeln!(out, "  error: {e}")?;
    }
    for (k, v) in &r.extra {
        if let Some(s) = v.as_str() {
            writeln!(out, "  {k}: {s}")?;
        }
    }
    for c in &r.checks {
        writeln!(
            out,
            "  {:<13} {:<24} {}",
            c.status.as_str(),
            c.id,
            c.message
        )?;
    }
    for s in &r.signatures {
        writeln!(
            out,
            "  signature {} [{}]: {}",
            s.id,
            s.format,
            s.verdict.as_str().to_uppercase()
        )?;
        if let Some(t) = &s.signing_time {
            writeln!(out, "    signing time: {t}")?;
        }
        if let Some(signer) = &s.signer {
            writeln!(
                out,
                "    signer: {} (serial {})",
                signer.subject, signer.serial
            )?;
        }
        if let Some(seal) = &s.seal {
            writeln!(
                out,
                "    seal: {} [{}] {} .. {}",
                seal.name, seal.es_id, seal.valid_from, seal.valid_to
            )?;
        }
        for c in &s.checks {
            writeln!(
                out,
                "    {:<13} {:<24} {}",
                c.status.as_str(),
                c.id,
                c.message
            )?;
        }
    }
    Ok(())
}
