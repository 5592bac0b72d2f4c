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
//! 5. Seal signatures (`ESEAL_BENCH_DOCS`, default 10,000 detached SES_Signature documents
//!    over distinct data, held in memory): from one authority, then from 20 authorities round
//!    robin; documents/s with 1 and 2 jobs against the floor (SM3 of the document + one SM2
//!    verification of the signer's signature).
//!
//! 6. Sealed documents (`ESEAL_BENCH_SEALED`, default 300 PDFs and 300 OFDs, each sealed with
//!    an SES_Signature over distinct content by one authority's seal and signer, held in
//!    memory): the shared cache on and off side by side, in interleaved rounds, 1 job, then
//!    one round with 2 jobs; documents/s and the ratio. The reports of both are compared.
//!
//! `ESEAL_BENCH_PART=ses`, `docs` or `certs` runs one part only. Run it when the machine is
//! quiet; it prints `uptime` first.

#[path = "corpus/mod.rs"]
mod corpus;
#[path = "../tests/pdf_util/mod.rs"]
mod pdf_util;

use eseal::batch::{BatchOptions, Summary, Verifier, Walk};
use eseal::crypto::sm2::Signature;
use eseal::crypto::sm3;
use eseal::crypto::{DEFAULT_ID, PrivateKey, SoftwareSigner};
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
    let trace = std::env::var_os("ESEAL_BENCH_TRACE").is_some();
    let mut summary = Summary::default();
    let start = Instant::now();
    v.verify_many(Walk::new(vec![dir.join("files")], false), &opts, |o| {
        summary.add_outcome(&o);
        if trace && summary.inputs % 10_000 == 0 {
            eprintln!("{} inputs: VmHWM {} kB", summary.inputs, vm_hwm_kb());
        }
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
    // Read the peak before checking against the manifest (which loads the whole manifest).
    let hwm = vm_hwm_kb();
    check_manifest(dir, &s);
    println!("{} {hwm} {:.3}", s.inputs, secs);
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

/// A fake PNG (only the magic number and IHDR are checked by the seal builder).
fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&[0, 0, 0, 13]);
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&[0u8; 17]);
    v.extend_from_slice(&[0x5a; 8192]); // a picture of about 8 KB
    v
}

struct Authority {
    root_der: Vec<u8>,
    seal: eseal::ses::Seal,
    signer_cert: Vec<u8>,
    signer: SoftwareSigner,
}

fn authority(i: usize) -> Authority {
    use eseal::pki::KeyUsage;
    use eseal::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate};
    let t = |s: &str| Time::parse_rfc3339(s).unwrap();
    let root_key = PrivateKey::generate().unwrap();
    let root_name = NameBuilder::new()
        .country("CN")
        .common_name(&format!("Authority {i} root"));
    let root_signer = SoftwareSigner::new(root_key.clone());
    let issuer = Issuer {
        name_der: root_name.to_der().unwrap(),
        public_key: root_key.public_key().clone(),
        signer: &root_signer,
    };
    let cert = |serial: u8, name: NameBuilder, pk: &eseal::crypto::PublicKey, ca: bool| {
        issue_certificate(
            &CertificateParams {
                serial: vec![serial],
                subject: name,
                not_before: t("2024-01-01T00:00:00Z"),
                not_after: t("2040-01-01T00:00:00Z"),
                public_key: pk.clone(),
                ca: ca.then_some(None),
                key_usage: if ca {
                    KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN
                } else {
                    KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION
                },
                extended_key_usage: vec![],
            },
            &issuer,
        )
        .unwrap()
    };
    let root_der = cert(1, root_name.clone(), root_key.public_key(), true);
    let maker_key = PrivateKey::generate().unwrap();
    let maker_der = cert(
        2,
        NameBuilder::new().common_name(&format!("maker {i}")),
        maker_key.public_key(),
        false,
    );
    let signer_key = PrivateKey::generate().unwrap();
    let signer_cert = cert(
        3,
        NameBuilder::new().common_name(&format!("signer {i}")),
        signer_key.public_key(),
        false,
    );
    let seal = eseal::ses::SealBuilder::new("bench", &format!("1101{i:09}"), "bench seal")
        .signer_certs(vec![signer_cert.clone()])
        .create_date(t("2025-01-01T00:00:00Z"))
        .validity(t("2025-01-01T00:00:00Z"), t("2030-01-01T00:00:00Z"))
        .picture("PNG", png(), 40, 40)
        .now(t("2025-01-01T00:00:00Z"))
        .build(&maker_der, &SoftwareSigner::new(maker_key))
        .unwrap();
    Authority {
        root_der,
        seal,
        signer_cert,
        signer: SoftwareSigner::new(signer_key),
    }
}

/// Seal signatures: `n` detached SES_Signature documents over distinct data from `k`
/// authorities (round robin), verified in memory with 1 and 2 jobs, against the floor
/// (SM3 of the document + one SM2 verification).
fn ses_bench(n: usize, k: usize) {
    use eseal::batch::Input;
    let t = |s: &str| Time::parse_rfc3339(s).unwrap();
    let start = Instant::now();
    let auths: Vec<Authority> = (0..k).map(authority).collect();
    let docs: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            let a = &auths[i % k];
            let data = format!("licence number {i}");
            let req = eseal::ses::SignRequest::new(
                &a.seal,
                &a.signer_cert,
                "licence.txt",
                t("2026-01-01T00:00:00Z"),
            );
            eseal::ses::sign_data(&req, data.as_bytes(), &a.signer)
                .unwrap()
                .to_der()
                .unwrap()
        })
        .collect();
    println!(
        "made {n} seal signatures from {k} authorities ({} bytes each) in {:.1} s",
        docs[0].len(),
        start.elapsed().as_secs_f64()
    );
    let mut v = Verifier::new();
    for a in &auths {
        v.add_trust(&a.root_der).unwrap();
    }
    v.set_time(Some(t("2026-06-01T00:00:00Z")));
    let floor = || {
        let sample = 2000.min(n);
        let parsed: Vec<(eseal::ses::SesSignature, eseal::crypto::PublicKey)> = docs[..sample]
            .iter()
            .map(|d| {
                let s = eseal::ses::SesSignature::from_der(d).unwrap();
                let pk = Certificate::from_der(&s.cert)
                    .unwrap()
                    .public_key()
                    .unwrap()
                    .clone();
                (s, pk)
            })
            .collect();
        let start = Instant::now();
        let mut ok = 0;
        for (d, (s, pk)) in docs.iter().zip(&parsed) {
            std::hint::black_box(sm3(d));
            let sig = Signature::from_bytes(&s.signature).unwrap();
            if pk.verify(DEFAULT_ID, s.tbs_bytes(), &sig).is_ok() {
                ok += 1;
            }
        }
        assert_eq!(ok, sample);
        sample as f64 / start.elapsed().as_secs_f64()
    };
    let run = |v: &Verifier, jobs: usize| {
        let opts = BatchOptions {
            jobs,
            ..BatchOptions::default()
        };
        let mut valid = 0usize;
        let start = Instant::now();
        let inputs = docs.iter().enumerate().map(|(i, d)| Input::Bytes {
            name: format!("doc{i}.ses"),
            bytes: d.clone(),
        });
        v.verify_many(inputs, &opts, |o| {
            for r in &o.reports {
                if r.verdict == eseal::Verdict::Valid {
                    valid += 1;
                }
            }
        });
        assert_eq!(valid, n, "every signature valid");
        n as f64 / start.elapsed().as_secs_f64()
    };
    let fa = floor();
    let r1 = run(&v.clone(), 1);
    let fb = floor();
    let r2 = run(&v.clone(), 2);
    let fc = floor();
    let f = (fa + fb + fc) / 3.0;
    println!(
        "  floor (SM3 of the document + one SM2 verification), 1 thread: {f:.0} docs/s (samples {fa:.0} {fb:.0} {fc:.0})"
    );
    println!(
        "  1 job:  {r1:.0} docs/s ({:.0}% of the floor)",
        100.0 * r1 / f
    );
    println!(
        "  2 jobs: {r2:.0} docs/s ({:.0}% of the 2-thread floor), speed-up {:.2}x",
        100.0 * r2 / (2.0 * f),
        r2 / r1
    );
}

/// Sealed documents: `n` PDFs and `n` OFDs sealed by one authority, verified with the
/// verifier's shared cache on and off, side by side (see the module docs, part 6).
fn docs_bench(n: usize) {
    use eseal::batch::Input;
    let t = |s: &str| Time::parse_rfc3339(s).unwrap();
    let start = Instant::now();
    let a = authority(0);
    let dir = std::env::temp_dir().join(format!("eseal-bench-docs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut docs: Vec<(String, Vec<u8>)> = Vec::with_capacity(2 * n);
    let picture = pdf_util::cms_options(1, 60.0, 80.0).picture;
    for i in 0..n {
        let (input, out) = (dir.join("in.pdf"), dir.join("out.pdf"));
        let g = pdf_util::Gen {
            pages: 1 + i % 3,
            pad_bytes: 10 * i,
            ..pdf_util::Gen::default()
        };
        std::fs::write(&input, pdf_util::make_pdf(&g)).unwrap();
        let opts = eseal::pdf::SealOptions {
            page: 1,
            x_mm: 60.0,
            y_mm: 80.0,
            picture: picture.clone(),
            payload: eseal::pdf::PayloadKind::Ses,
            contents_size: eseal::pdf::sign::ses_contents_size(&a.seal, &a.signer_cert),
            signing_time: t("2026-01-01T00:00:00Z"),
            ..eseal::pdf::SealOptions::default()
        };
        let p = eseal::pdf::prepare(&input, &out, &opts).unwrap();
        p.finish_ses(&a.seal, &a.signer_cert, &a.signer).unwrap();
        docs.push((format!("doc{i}.pdf"), std::fs::read(&out).unwrap()));
    }
    let _ = std::fs::remove_dir_all(&dir);
    let template = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/licence/template.ofd"),
    )
    .unwrap();
    for i in 0..n {
        // Distinct signing times: distinct Signature.xml, same seal and certificates.
        let opts = eseal::ofd::sign::SealOfdOptions {
            signing_time: Some(Time(t("2026-01-01T00:00:00Z").0 + i as i64)),
            ..Default::default()
        };
        let ofd =
            eseal::ofd::sign::seal_ofd_bytes(&template, &opts, &a.seal, &a.signer_cert, &a.signer)
                .unwrap();
        docs.push((format!("doc{i}.ofd"), ofd));
    }
    println!(
        "made {n} sealed PDFs ({} bytes first) and {n} sealed OFDs ({} bytes first) in {:.1} s",
        docs[0].1.len(),
        docs[n].1.len(),
        start.elapsed().as_secs_f64()
    );
    let verifier = |cache: bool| {
        let mut v = Verifier::new();
        v.add_trust(&a.root_der).unwrap();
        v.set_time(Some(t("2026-06-01T00:00:00Z")));
        v.set_caching(cache);
        v
    };
    // Each run starts from a fresh verifier: the cache warms up within the run.
    let run = |cache: bool, jobs: usize| -> (f64, Vec<String>) {
        let v = verifier(cache);
        let opts = BatchOptions {
            jobs,
            sorted: true,
            ..BatchOptions::default()
        };
        let mut lines = Vec::with_capacity(docs.len());
        let start = Instant::now();
        let inputs = docs.iter().map(|(name, b)| Input::Bytes {
            name: name.clone(),
            bytes: b.clone(),
        });
        v.verify_many(inputs, &opts, |o| {
            for r in &o.reports {
                assert_eq!(r.verdict, eseal::Verdict::Valid, "{}", o.name);
                lines.push(serde_json::to_string(r).unwrap());
            }
        });
        (docs.len() as f64 / start.elapsed().as_secs_f64(), lines)
    };
    let (mut on, mut off) = (Vec::new(), Vec::new());
    for round in 0..3 {
        let (r_off, l_off) = run(false, 1);
        let (r_on, l_on) = run(true, 1);
        assert!(l_on == l_off, "cached and uncached reports differ");
        println!("  round {round}, 1 job: cache off {r_off:.0} docs/s, on {r_on:.0} docs/s");
        on.push(r_on);
        off.push(r_off);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "  1 job:  cache off {:.0} docs/s, on {:.0} docs/s, ratio {:.2}x",
        mean(&off),
        mean(&on),
        mean(&on) / mean(&off)
    );
    let (r_off, _) = run(false, 2);
    let (r_on, _) = run(true, 2);
    println!(
        "  2 jobs: cache off {r_off:.0} docs/s, on {r_on:.0} docs/s, ratio {:.2}x",
        r_on / r_off
    );
}

/// A count from the environment, or `default`.
fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    if let Some(dir) = std::env::var_os("ESEAL_BENCH_CHILD") {
        child(Path::new(&dir));
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let uptime = || {
        std::process::Command::new("uptime")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    println!("uptime: {}", uptime());
    let part = std::env::var("ESEAL_BENCH_PART").unwrap_or_default();
    if part == "docs" || part.is_empty() {
        let n: usize = env_usize("ESEAL_BENCH_SEALED", 300);
        println!("sealed documents, one authority:");
        docs_bench(n);
        if part == "docs" {
            return;
        }
        println!("uptime: {}", uptime());
    }
    if part == "ses" || part.is_empty() {
        let n: usize = env_usize("ESEAL_BENCH_DOCS", 10_000);
        println!("seal signatures, one authority:");
        ses_bench(n, 1);
        println!("seal signatures, 20 authorities:");
        ses_bench(n, 20);
        if part == "ses" {
            return;
        }
        println!("uptime: {}", uptime());
    }
    let n: usize = env_usize("ESEAL_BENCH_N", 100_000);
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
