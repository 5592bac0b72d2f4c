//! `eseal`: make seals, seal documents and verify them from the command line.
//!
//! Run with `cargo run --release --example eseal -- <command> …`; `--help` lists the commands.
//! Exit status of `verify`: 0 all valid, 1 any invalid, 3 none invalid but some indeterminate,
//! 2 usage or I/O error.

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
    /// Verify certificates, seals, seal signatures and sealed documents.
    Verify(verify::VerifyArgs),
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
        Command::Verify(a) => verify::run(a),
    };
    ExitCode::from(code)
}
