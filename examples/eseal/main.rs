//! `eseal`: make seals, seal documents and verify them from the command line.
//!
//! Run with `cargo run --release --example eseal -- <command> …`; `--help` lists the commands.
//! Exit status of `verify`: 0 all valid, 1 any invalid, 3 none invalid but some indeterminate,
//! 2 usage or I/O error. Other commands: 0 on success, 2 on any error.

mod art;
mod demo;
mod keys;
mod licence;
mod sample_docs;
mod seal;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "eseal",
    version,
    about = "Electronic seals (GB/T 38540) with SM2/SM3: make, seal, verify"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole flow on built-in demo data: PKI, seal picture, seal, sealing, verification.
    Demo(demo::DemoArgs),
    /// Verify certificates, seals, seal signatures and sealed documents.
    Verify(verify::VerifyArgs),
    /// Make or inspect seals.
    #[command(subcommand)]
    Seal(seal::SealCommand),
    /// Apply a seal to a file: writes a detached SES_Signature.
    SignData(seal::SignDataArgs),
    /// Seal a PDF document (incremental update with a visible seal), several seals (--job) or
    /// many documents (--batch).
    SignPdf(Box<seal::SignPdfArgs>),
    /// Seal an OFD document (GB/T 33190 signature with a GB/T 38540 seal and a stamp), several
    /// seals (--job) or many documents (--batch).
    SignOfd(Box<seal::SignOfdArgs>),
    /// Electronic licences (电子证照): issue sealed licences from a register.
    #[command(subcommand)]
    Licence(licence::LicenceCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Demo(a) => demo::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Seal(c) => seal::run(c),
        Command::SignData(a) => seal::run_sign_data(a),
        Command::SignOfd(a) => seal::run_sign_ofd(*a),
        Command::SignPdf(a) => seal::run_sign_pdf(*a),
        Command::Licence(c) => licence::run(c),
    };
    ExitCode::from(code)
}
