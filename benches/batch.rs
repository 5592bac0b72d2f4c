//! Batch verification throughput and memory (`cargo bench --bench batch`).
//!
//! 1. Generates a corpus of certificates issued by one CA (`ESEAL_BENCH_N`, default 100,000;
//!    1 in 50 revoked, with the CA's CRL) into a temporary directory (removed at the end), or
//!    into `ESEAL_BENCH_DIR` (kept, and reused by later runs with the same N).
//! 2. Measures the floor in the same run: per certificate, SM3 of the file bytes plus one SM2
//!    verification of the certificate's signature with the CA key (the unavoidable work), on
//!    one thread; the floor for T threads is T times that rate.
//! 3. Verifies the whole directory (lazy walk, file reads, parsing, path validation, CRL
//!    check, report, JSON line written to a sink) with 1 and 2 worker threads, checks every
//!    verdict against the manifest, and prints files/s, the speed-up and the share of the
//!    floor.
//! 4. Peak memory: re-runs itself as a child process (`ESEAL_BENCH_CHILD=DIR`) that verifies a
//!    corpus of 10,000 and one of 100,000 (`ESEAL_BENCH_N`) certificates with 2 threads, and
//!    reads VmHWM from /proc/self/status at the end.
//!
//! Run it when the machine is quiet; it prints `uptime` first.

#[path = "corpus/mod.rs"]
mod corpus;

use eseal::batch::{BatchOptions, Summary, Verifier, Walk};
use eseal::crypto::DEFAULT_ID;
use eseal::crypto::sm2::Signature;
use eseal::crypto::sm3;
use eseal::pki::{Certificate, Time};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn verifier(c: &Path) -> Verifier {
    let mut v = Verifier::new();
    v.add_trust(&std::fs::read(c.join("trust.pem")).unwrap())
        .unwrap();
    for e in std::fs::read_dir(c.join("crl")).unwrap() {
        v.add_crl(&std::fs::read(e.unwrap().path()).unwrap())
            .unwrap();
    }
    v.set_time(Some(Time::parse_rfc3339(corpus::AT).unwrap()));
    v
}

/// Verifies every file of `dir/files`, writing JSON lines to a sink; returns (seconds, summary).
fn run_batch(v: &Verifier, dir: &Path, jobs: usize) -> (f64, Summary) {
    let opts = BatchOptions {
        jobs,
        ..BatchOptions::default()
    };
    let mut sink = std::io::sink();
    let mut summary = Summary::default();
    let start = Instant::now();
    v.verify_many(Walk::new(vec![dir.join("files")], false), &opts, |o| {
        summary.add_outcome(&o);
        for r in &o.reports {
            serde_json::to_writer(&mut sink, r).unwrap();
            sink.write_all(b"\n").unwrap();
        }
    });
    (start.elapsed().as_secs_f64(), summary)
}

/// The floor on one thread: SM3 of each file + one SM2 verification with the issuer's key.
fn floor(dir: &Path, sample: usize) -> f64 {
    let trust =
        eseal::pki::parse_certificates(&std::fs::read(dir.join("trust.pem")).unwrap()).unwrap();
    let ca_key = trust[0].public_key().unwrap().clone();
    let files: Vec<PathBuf> = Walk::new(vec![dir.join("files")], false)
        .filter_map(|i| match i {
            eseal::batch::Input::Path(p) => Some(p),
            _ => None,
        })
        .take(sample)
        .collect();
    // Read and parse outside the timed loop: the floor is the cryptography alone.
    let docs: Vec<(Vec<u8>, Vec<u8>, Signature)> = files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            let cert = Certificate::from_der(&bytes).unwrap();
            let sig = Signature::from_bytes(cert.signature_value()).unwrap();
            (bytes, cert.tbs_der().to_vec(), sig)
        })
        .collect();
    let start = Instant::now();
    let mut ok = 0usize;
    for (bytes, tbs, sig) in &docs {
        let h = sm3(bytes);
        std::hint::black_box(h);
        if ca_key.verify(DEFAULT_ID, tbs, sig).is_ok() {
            ok += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    assert!(
        ok * 50 >= docs.len() * 49,
        "floor sample: {ok}/{}",
        docs.len()
    );
    docs.len() as f64 / secs
}

fn check_manifest(dir: &Path, s: &Summary) {
    let m = corpus::read_manifest(&dir.join("manifest.tsv")).unwrap();
    let valid = m.iter().filter(|(_, v, _)| v == "valid").count() as u64;
    let invalid = m.iter().filter(|(_, v, _)| v == "invalid").count() as u64;
    assert_eq!(s.inputs as usize, m.len(), "inputs");
    assert_eq!((s.valid, s.invalid), (valid, invalid), "verdicts");
}

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn child(dir: &Path) {
    let v = verifier(dir);
    let (secs, s) = run_batch(&v, dir, 2);
    check_manifest(dir, &s);
    println!("{} {} {:.3}", s.inputs, vm_hwm_kb(), secs);
}

fn peak_memory(dir: &Path) -> (u64, u64) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env("ESEAL_BENCH_CHILD", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut f = text.split_whitespace();
    let n = f.next().unwrap().parse().unwrap();
    let kb = f.next().unwrap().parse().unwrap();
    (n, kb)
}

fn make_corpus(dir: &Path, n: usize) {
    if corpus::read_manifest(&dir.join("manifest.tsv")).is_ok_and(|m| m.len() == n) {
        println!(
            "reusing the corpus of {n} certificates in {}",
            dir.display()
        );
        return;
    }
    let start = Instant::now();
    let _ = std::fs::remove_dir_all(dir);
    corpus::generate(dir, n, 1, &corpus::MOSTLY_VALID).unwrap();
    println!(
        "generated {n} certificates in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    if let Some(dir) = std::env::var_os("ESEAL_BENCH_CHILD") {
        child(Path::new(&dir));
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let n: usize = std::env::var("ESEAL_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let uptime = std::process::Command::new("uptime")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    println!("uptime: {uptime}");
    let keep = std::env::var_os("ESEAL_BENCH_DIR");
    let root = match &keep {
        Some(d) => PathBuf::from(d),
        None => std::env::temp_dir().join(format!("eseal-bench-{}", std::process::id())),
    };
    let big = root.join("big");
    make_corpus(&big, n);

    // The floor is measured before and after each batch run, and averaged, so that a change
    // of load on a shared machine affects both alike.
    let sample = 5000.min(n);
    let fa = floor(&big, sample);
    let v = verifier(&big);
    let (t1, s1) = run_batch(&v, &big, 1);
    check_manifest(&big, &s1);
    let fb = floor(&big, sample);
    let v = verifier(&big); // fresh caches
    let (t2, s2) = run_batch(&v, &big, 2);
    check_manifest(&big, &s2);
    let fc = floor(&big, sample);
    println!("floor samples: {fa:.0} {fb:.0} {fc:.0} certs/s");
    let floor1 = (fa + fb + fc) / 3.0;
    let r1 = n as f64 / t1;
    let r2 = n as f64 / t2;
    println!("floor (SM3 of the file + one SM2 verification), 1 thread: {floor1:.0} certs/s");
    println!(
        "batch, 1 job:  {r1:.0} certs/s ({:.0}% of the 1-thread floor)",
        100.0 * r1 / floor1
    );
    println!(
        "batch, 2 jobs: {r2:.0} certs/s ({:.0}% of the 2-thread floor), speed-up {:.2}x",
        100.0 * r2 / (2.0 * floor1),
        r2 / r1
    );

    let small = root.join("small");
    make_corpus(&small, 10_000.min(n));
    let (n_small, kb_small) = peak_memory(&small);
    let (n_big, kb_big) = peak_memory(&big);
    println!(
        "peak memory (VmHWM, 2 jobs): {n_small} certs {:.1} MB, {n_big} certs {:.1} MB (+{:.1} MB)",
        kb_small as f64 / 1024.0,
        kb_big as f64 / 1024.0,
        (kb_big as f64 - kb_small as f64) / 1024.0
    );
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&root);
    } else {
        println!("corpus kept in {}", root.display());
    }
}
