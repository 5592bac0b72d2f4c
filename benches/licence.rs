//! Licence issuance throughput and memory (`cargo bench --bench licence`).
//!
//! 1. Makes a PKI in memory (root CA; the authority's certificate naming its USCC in the CN), a
//!    seal, and a register CSV of `ESEAL_BENCH_N` rows (default 10,000) in a temporary folder;
//!    the template is test-vectors/licence/template.ofd (or template.pdf with
//!    `ESEAL_BENCH_FORMAT=pdf`).
//! 2. Measures, side by side in interleaved rounds (`ESEAL_BENCH_ROUNDS`, default 2):
//!    - the single-licence sealing rate: one thread filling and sealing one licence at a time
//!      (`ESEAL_BENCH_SINGLE` rows, default 200; no CSV, no file written);
//!    - the register rate: `issue_register_as` over the whole CSV with one job per core (CSV
//!      read, fill, seal, file written through a temporary file and a rename, SM3 for the
//!      manifest), into a fresh folder each round.
//!
//!    It prints the register rate against cores × the single rate (the issue's target: ≥ 80%).
//! 3. Memory: VmRSS at 10%, 50% and 100% of the rows of the register run, and VmHWM.
//! 4. Re-verifies every licence of the last run (every licence check must pass, verdict valid).
//!
//! The machine may be shared: it prints `uptime` before and after; compare the ratios.

use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::licence::issue::{IssueOptions, LicenceFormat, issue_register_as};
use eseal::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate};
use eseal::pki::{KeyUsage, Time, TrustStore};
use eseal::ses::{SealBuilder, Version};
use std::path::{Path, PathBuf};
use std::time::Instant;

const AUTHORITY: &str = "11370000MB2852565A";

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn uptime() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default()
}

fn status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

struct Authority {
    cert: Vec<u8>,
    key: PrivateKey,
    seal: eseal::ses::Seal,
    trust: TrustStore,
}

fn authority() -> Authority {
    let now = Time::now();
    let from = Time(now.0 - 86_400);
    let to = Time(now.0 + 5 * 365 * 86_400);
    let root_key = PrivateKey::generate().unwrap();
    let root_signer = SoftwareSigner::new(root_key.clone());
    let root_name = NameBuilder::new()
        .country("CN")
        .common_name("licence bench root");
    let issuer = Issuer {
        name_der: root_name.to_der().unwrap(),
        public_key: root_key.public_key().clone(),
        signer: &root_signer,
    };
    let params = |serial: u8, name: NameBuilder, key: &PrivateKey, ca: bool| CertificateParams {
        serial: vec![serial],
        subject: name,
        not_before: from,
        not_after: to,
        public_key: key.public_key().clone(),
        ca: ca.then_some(Some(0)),
        key_usage: if ca {
            KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN
        } else {
            KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION
        },
        extended_key_usage: vec![],
    };
    let root = issue_certificate(&params(1, root_name.clone(), &root_key, true), &issuer).unwrap();
    let key = PrivateKey::generate().unwrap();
    let cert = issue_certificate(
        &params(
            2,
            NameBuilder::new()
                .country("CN")
                .common_name(&format!("某省市场监督管理局@{AUTHORITY}")),
            &key,
            false,
        ),
        &issuer,
    )
    .unwrap();
    let png = std::fs::read(repo().join("test-vectors/licence/seal.png")).unwrap();
    let seal = SealBuilder::new(
        "licence-bench",
        "3700000000001",
        "某省市场监督管理局电子印章",
    )
    .signer_certs(vec![cert.clone()])
    .create_date(from)
    .validity(from, to)
    .picture("PNG", png, 40, 40)
    .now(now)
    .version(Version::V4)
    .build(&cert, &SoftwareSigner::new(key.clone()))
    .unwrap();
    let mut trust = TrustStore::new();
    trust.add_anchor(eseal::pki::Certificate::from_der(&root).unwrap());
    Authority {
        cert,
        key,
        seal,
        trust,
    }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const HEADER: &str = "证照名称,证照类型代码,证照编号,证照颁发机构,证照颁发机构代码,证照颁发日期,持证主体,持证主体代码,持证主体代码类型,证照有效期起始日期,证照有效期截止日期";

fn row(i: usize) -> String {
    format!(
        "营业执照,11100000000013338W011,2024{i:07},某省市场监督管理局,{AUTHORITY},2024-05-20,某某科技有限公司第{i}分公司,91350100M000100Y43,001,2024-05-20,2044-05-19"
    )
}

fn row_pairs(i: usize) -> Vec<(String, String)> {
    HEADER
        .split(',')
        .map(String::from)
        .zip(row(i).split(',').map(String::from))
        .collect()
}

fn main() {
    let n = env_usize("ESEAL_BENCH_N", 10_000);
    let single_n = env_usize("ESEAL_BENCH_SINGLE", 200);
    let rounds = env_usize("ESEAL_BENCH_ROUNDS", 2);
    let cores = std::thread::available_parallelism()
        .map(|c| c.get())
        .unwrap_or(1);
    let format = match std::env::var("ESEAL_BENCH_FORMAT").as_deref() {
        Ok("pdf") => LicenceFormat::Pdf,
        _ => LicenceFormat::Ofd,
    };
    let template = std::fs::read(repo().join(format!(
        "test-vectors/licence/template.{}",
        format.extension()
    )))
    .unwrap();
    println!("load before: {}", uptime().trim());
    println!(
        "licence issuance: {n} rows, {} template, {cores} cores, {rounds} rounds",
        format.extension()
    );
    let a = authority();
    let signer = SoftwareSigner::new(a.key.clone());
    let work = std::env::temp_dir().join(format!("eseal-licence-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let csv = work.join("register.csv");
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        writeln!(w, "{HEADER}").unwrap();
        for i in 0..n {
            writeln!(w, "{}", row(i)).unwrap();
        }
    }
    let ofd_opts = eseal::ofd::SealOfdOptions {
        x_mm: 140.0,
        y_mm: 200.0,
        ..Default::default()
    };
    let pdf_opts = eseal::pdf::SealOptions {
        x_mm: 140.0,
        y_mm: 200.0,
        picture: Some(eseal::pdf::SealPicture::from_seal(&a.seal)),
        contents_size: eseal::pdf::sign::ses_contents_size(&a.seal, &a.cert),
        ..Default::default()
    };
    let seal_in = |dir: &Path, doc: &[u8]| -> eseal::Result<Vec<u8>> {
        match format {
            LicenceFormat::Ofd => {
                eseal::ofd::sign::seal_ofd_bytes(doc, &ofd_opts, &a.seal, &a.cert, &signer)
            }
            LicenceFormat::Pdf => {
                let o = eseal::pdf::SealOptions {
                    signing_time: Time::now(),
                    ..pdf_opts.clone()
                };
                eseal::licence::pdf_fill::seal_pdf_bytes(doc, dir, &o, &a.seal, &a.cert, &signer)
            }
        }
    };
    let mut ratios = Vec::new();
    let mut last_out = PathBuf::new();
    for round in 1..=rounds {
        // Single-licence sealing rate: one thread, one licence at a time, in memory.
        let start = Instant::now();
        for i in 0..single_n {
            let r = row_pairs(1_000_000 + i);
            let doc = match format {
                LicenceFormat::Ofd => eseal::licence::issue::fill(&template, &r).unwrap().ofd,
                LicenceFormat::Pdf => {
                    eseal::licence::pdf_fill::fill(&template, &r, Time::now())
                        .unwrap()
                        .pdf
                }
            };
            std::hint::black_box(seal_in(&work, &doc).unwrap());
        }
        let single = single_n as f64 / start.elapsed().as_secs_f64();

        // The register, one job per core.
        let out = work.join(format!("out-{round}"));
        let marks = [n / 10, n / 2, n];
        let rss = std::sync::Mutex::new(Vec::new());
        let progress = |done: u64| {
            if marks.contains(&(done as usize)) {
                rss.lock().unwrap().push((done, status_kib("VmRSS:")));
            }
        };
        let start = Instant::now();
        let summary = issue_register_as(
            format,
            &template,
            std::io::BufReader::new(std::fs::File::open(&csv).unwrap()),
            &out,
            &|doc| seal_in(&out, doc),
            &IssueOptions { jobs: cores },
            &progress,
        )
        .unwrap();
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(
            summary.issued as usize,
            n,
            "{:?}",
            &summary.errors[..summary.errors.len().min(3)]
        );
        let rate = n as f64 / secs;
        let ratio = rate / (cores as f64 * single);
        ratios.push(ratio);
        let mut rss = rss.into_inner().unwrap();
        rss.sort();
        println!(
            "round {round}: single {single:.1} licences/s (1 thread); register {rate:.1} licences/s ({cores} jobs, {secs:.1} s) = {:.0}% of {cores} x single; VmRSS {}; load {}",
            ratio * 100.0,
            rss.iter()
                .map(|(d, k)| format!("{d} rows {:.1} MiB", *k as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(", "),
            uptime()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        );
        if round < rounds {
            let _ = std::fs::remove_dir_all(&out);
        }
        last_out = out;
    }
    println!("VmHWM {:.1} MiB", status_kib("VmHWM:") as f64 / 1024.0);
    let mut sorted = ratios.clone();
    sorted.sort_by(f64::total_cmp);
    println!(
        "register / (cores x single): median {:.0}% over {} rounds",
        sorted[sorted.len() / 2] * 100.0,
        sorted.len()
    );

    // Re-verify every licence of the last run.
    let files: Vec<PathBuf> = std::fs::read_to_string(last_out.join("manifest.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| last_out.join(l.split(',').nth(2).unwrap()))
        .collect();
    assert_eq!(files.len(), n);
    let start = Instant::now();
    let bad = std::sync::Mutex::new(Vec::new());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..cores {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(f) = files.get(i) else { break };
                    let r = match format {
                        LicenceFormat::Ofd => eseal::ofd::verify_ofd_file(
                            f,
                            &eseal::ofd::VerifyOptions {
                                trust: a.trust.clone(),
                                ..Default::default()
                            },
                        ),
                        LicenceFormat::Pdf => eseal::pdf::verify_pdf(
                            f,
                            &eseal::pdf::VerifyOptions {
                                trust: a.trust.clone(),
                                now: None,
                            },
                        ),
                    };
                    let licence_ok = r
                        .extra
                        .get("licence")
                        .is_some_and(|l| l["verdict"] == "valid");
                    if r.verdict != eseal::report::Verdict::Valid || !licence_ok {
                        bad.lock().unwrap().push(f.display().to_string());
                    }
                }
            });
        }
    });
    let bad = bad.into_inner().unwrap();
    println!(
        "re-verified {} licences in {:.1} s: {} valid with every licence check passing, {} not",
        files.len(),
        start.elapsed().as_secs_f64(),
        files.len() - bad.len(),
        bad.len()
    );
    println!("load after: {}", uptime().trim());
    let _ = std::fs::remove_dir_all(&work);
    assert!(bad.is_empty(), "{:?}", &bad[..bad.len().min(5)]);
}
