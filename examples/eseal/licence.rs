//! `eseal licence issue`: one sealed OFD or PDF licence per register row
//! ([`eseal::licence::issue::issue_register_as`]).

use crate::keys;
use clap::{Args, Subcommand};
use eseal::licence::issue::{IssueOptions, LicenceFormat, issue_register_as};
use eseal::ses::Seal;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

/// `eseal licence …`.
#[derive(Subcommand)]
pub enum LicenceCommand {
    /// Issue sealed licences from a template and a register (CSV, one licence per row).
    Issue(IssueArgs),
}

/// Container of the issued licences.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum OutputFormat {
    /// OFD (GB/T 33190).
    Ofd,
    /// PDF.
    Pdf,
}

/// Arguments of `eseal licence issue`.
#[derive(Args)]
pub struct IssueArgs {
    /// The template: an OFD whose page text has placeholders `{{field}}` (e.g. `{{持证主体}}`),
    /// or a PDF form whose text fields are named by the fields (`持证主体`, `certificateNumber`).
    #[arg(long, value_name = "OFD|PDF")]
    template: PathBuf,
    /// Output format (default: the template's).
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
    /// The register: CSV with a header of field names (证照类型代码, 证照颁发机构代码, 证照编号,
    /// 持证主体, …); one licence per row.
    #[arg(long, value_name = "CSV")]
    data: PathBuf,
    /// The authority's seal (SESeal, GB/T 38540).
    #[arg(long, value_name = "SEAL")]
    seal: PathBuf,
    /// The signer's certificate (PEM or DER; optional when --key is PKCS#12).
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The signer's private key (PKCS#8, SEC1 or PKCS#12).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    #[command(flatten)]
    password: keys::PasswordArgs,
    /// Page to stamp (1-based).
    #[arg(long, default_value_t = 1)]
    page: usize,
    /// Left edge of the stamp in millimetres from the page's left edge.
    #[arg(long, default_value_t = 140.0)]
    x: f64,
    /// Top edge of the stamp in millimetres from the page's top edge.
    #[arg(long, default_value_t = 200.0)]
    y: f64,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    jobs: usize,
    /// Output folder: `<identifier>.ofd` (or `.pdf`), manifest.csv, errors.csv.
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
}

fn issue(a: IssueArgs) -> Result<u8, String> {
    let read = |p: &PathBuf| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let template = read(&a.template)?;
    let seal = Seal::from_der(&read(&a.seal)?).map_err(|e| format!("{}: {e}", a.seal.display()))?;
    let kc = keys::load(&a.key, a.cert.as_deref(), &a.password)?;
    let register =
        std::fs::File::open(&a.data).map_err(|e| format!("{}: {e}", a.data.display()))?;
    let format = match a.format {
        Some(OutputFormat::Ofd) => LicenceFormat::Ofd,
        Some(OutputFormat::Pdf) => LicenceFormat::Pdf,
        None if template.starts_with(b"%PDF") => LicenceFormat::Pdf,
        None => LicenceFormat::Ofd,
    };
    let opts = eseal::ofd::SealOfdOptions {
        page: a.page,
        x_mm: a.x,
        y_mm: a.y,
        ..Default::default()
    };
    let pdf_opts = eseal::pdf::SealOptions {
        page: a.page,
        x_mm: a.x,
        y_mm: a.y,
        picture: Some(eseal::pdf::SealPicture::from_seal(&seal)),
        fallback_drawing: true,
        name: Some(seal.seal_info.property.name.clone()),
        contents_size: eseal::pdf::sign::ses_contents_size(&seal, &kc.cert),
        ..Default::default()
    };
    std::fs::create_dir_all(&a.output).map_err(|e| format!("{}: {e}", a.output.display()))?;
    let sealer = |doc: &[u8]| match format {
        LicenceFormat::Ofd => {
            eseal::ofd::sign::seal_ofd_bytes(doc, &opts, &seal, &kc.cert, &kc.signer)
        }
        LicenceFormat::Pdf => {
            let o = eseal::pdf::SealOptions {
                signing_time: eseal::pki::Time::now(),
                ..pdf_opts.clone()
            };
            eseal::licence::pdf_fill::seal_pdf_bytes(
                doc, &a.output, &o, &seal, &kc.cert, &kc.signer,
            )
        }
    };
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let progress = |done: u64| {
        if tty && done.is_multiple_of(50) {
            let rate = done as f64 / start.elapsed().as_secs_f64().max(1e-9);
            eprint!("\r{done} rows, {rate:.0}/s");
        }
    };
    let summary = issue_register_as(
        format,
        &template,
        std::io::BufReader::new(register),
        &a.output,
        &sealer,
        &IssueOptions { jobs: a.jobs },
        &progress,
    )
    .map_err(|e| e.to_string())?;
    if tty {
        eprintln!();
    }
    let secs = start.elapsed().as_secs_f64();
    let mut err = std::io::stderr();
    let _ = writeln!(
        err,
        "issued {}, skipped {} (already issued), failed {} in {secs:.1} s ({:.0} licences/s); manifest: {}",
        summary.issued,
        summary.skipped,
        summary.errors.len(),
        summary.issued as f64 / secs.max(1e-9),
        a.output.join("manifest.csv").display()
    );
    for (row, msg) in summary.errors.iter().take(20) {
        let _ = writeln!(err, "row {row}: {msg}");
    }
    Ok(if summary.errors.is_empty() { 0 } else { 1 })
}

/// Runs `eseal licence …`; returns the exit status (0 all rows issued, 1 some rows failed,
/// 2 the run could not start).
pub fn run(c: LicenceCommand) -> u8 {
    match c {
        LicenceCommand::Issue(a) => match issue(a) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("eseal licence issue: {e}");
                2
            }
        },
    }
}
