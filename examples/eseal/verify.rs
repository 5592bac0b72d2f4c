//! `eseal verify`: verify files of any supported kind and print reports.

use clap::{Args, ValueEnum};
use eseal::batch::Verifier;
use eseal::pki::{Purpose, Time};
use eseal::report::{Report, Status, Verdict};
use std::path::{Path, PathBuf};

/// Output formats.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Human-readable text.
    Text,
    /// A JSON array of reports.
    Json,
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
    /// Reference time for certificates verified on their own (RFC 3339; default: now).
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
    /// Files to verify.
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
    if let Some(at) = &a.at {
        v.set_time(Some(
            Time::parse_rfc3339(at).map_err(|e| format!("--at: {e}"))?,
        ));
    }
    Ok(v)
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
        Ok(d) => d,
        Err(e) => {
            eprintln!("eseal verify: {e}");
            return 2;
        }
    };
    let mut reports = Vec::new();
    let mut io_error = false;
    for p in &a.paths {
        match std::fs::read(p) {
            Ok(bytes) => reports.extend(verifier.verify_bytes_with_data(
                &p.display().to_string(),
                &bytes,
                data.as_deref(),
            )),
            Err(e) => {
                eprintln!("eseal verify: {}: {e}", p.display());
                io_error = true;
            }
        }
    }
    match a.format {
        Format::Json => match serde_json::to_string_pretty(&reports) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("eseal verify: {e}");
                return 2;
            }
        },
        Format::Text => {
            for r in &reports {
                print_text(r);
            }
        }
    }
    exit_status(&reports, io_error)
}

/// 0 all valid, 1 any invalid, 3 none invalid but some indeterminate, 2 I/O error.
fn exit_status(reports: &[Report], io_error: bool) -> u8 {
    if io_error {
        return 2;
    }
    let verdict = reports
        .iter()
        .fold(Verdict::Valid, |v, r| v.combine(r.verdict));
    match verdict {
        Verdict::Valid => 0,
        Verdict::Invalid => 1,
        Verdict::Indeterminate => 3,
    }
}

/// Prints a report as text.
pub fn print_text(r: &Report) {
    println!(
        "{}: {} ({})",
        r.path,
        r.verdict.as_str().to_uppercase(),
        serde_json::to_value(r.kind)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    );
    if let Some(e) = &r.error {
        println!("  error: {e}");
    }
    for (k, v) in &r.extra {
        if let Some(s) = v.as_str() {
            println!("  {k}: {s}");
        }
    }
    for c in &r.checks {
        println!(
            "  {:<13} {:<24} {}",
            status_label(c.status),
            c.id,
            c.message
        );
    }
    for s in &r.signatures {
        println!(
            "  signature {} [{}]: {}",
            s.id,
            s.format,
            s.verdict.as_str().to_uppercase()
        );
        if let Some(t) = &s.signing_time {
            println!("    signing time: {t}");
        }
        if let Some(signer) = &s.signer {
            println!("    signer: {} (serial {})", signer.subject, signer.serial);
        }
        if let Some(seal) = &s.seal {
            println!(
                "    seal: {} [{}] {} .. {}",
                seal.name, seal.es_id, seal.valid_from, seal.valid_to
            );
        }
        for c in &s.checks {
            println!(
                "    {:<13} {:<24} {}",
                status_label(c.status),
                c.id,
                c.message
            );
        }
    }
}

fn status_label(s: Status) -> &'static str {
    s.as_str()
}
