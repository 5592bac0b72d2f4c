//! Writes a corpus for batch verification: `gen_corpus DIR N [CAS] [mixed|mostly-valid]`.
//!
//! See `benches/corpus/mod.rs` for the layout (`trust.pem`, `crl/`, `files/`, `manifest.tsv`).
//! Then: `eseal verify --at 2026-06-01T00:00:00Z --trust DIR/trust.pem --crl DIR/crl/ca0.crl
//! … DIR/files`.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: gen_corpus DIR N [CAS] [mixed|mostly-valid]");
        std::process::exit(2);
    }
    let dir = std::path::PathBuf::from(&args[0]);
    let n: usize = args[1].parse().unwrap_or_else(|_| {
        eprintln!("N must be a number");
        std::process::exit(2)
    });
    let cas: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let pattern: &[corpus::Category] = match args.get(3).map(String::as_str) {
        None | Some("mixed") => &corpus::MIXED,
        Some("mostly-valid") => &corpus::MOSTLY_VALID,
        Some(p) => {
            eprintln!("unknown pattern {p}");
            std::process::exit(2)
        }
    };
    match corpus::generate(&dir, n, cas, pattern) {
        Ok(c) => println!(
            "{} inputs in {}, manifest {}",
            c.count,
            c.files.display(),
            c.manifest.display()
        ),
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(1);
        }
    }
}
