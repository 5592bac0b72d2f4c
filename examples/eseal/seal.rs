//! `eseal seal make`, `eseal seal show`, `eseal sign-data`, and `eseal sign-pdf` / `sign-ofd`
//! (one document, a job of several seals ([`eseal::job`]), or many documents with --batch
//! ([`eseal::seal_batch`])).

use crate::keys;
use crate::verify::Progress;
use clap::{Args, Subcommand, ValueEnum};
use eseal::crypto::sm3;
use eseal::job::{Job, JobEntry, OfdJob, PdfJob, Placement, Sealer};
use eseal::pki::{Time, parse_certificates};
use eseal::ses::sign::{SignRequest, sign_data};
use eseal::ses::{PictureType, Seal, SealBuilder, Version};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// `eseal seal …`.
#[derive(Subcommand)]
pub enum SealCommand {
    /// Make a seal (GB/T 38540 SESeal) signed by the seal maker.
    Make(Box<MakeArgs>),
    /// Show what a seal holds.
    Show(ShowArgs),
}

/// Arguments of `eseal seal make`.
#[derive(Args)]
pub struct MakeArgs {
    /// The seal maker's certificate (PEM or DER; optional when --maker-key is PKCS#12).
    #[arg(long, value_name = "FILE")]
    maker_cert: Option<PathBuf>,
    /// The seal maker's private key (PKCS#8, SEC1 or PKCS#12).
    #[arg(long, value_name = "FILE")]
    maker_key: PathBuf,
    #[command(flatten)]
    password: keys::PasswordArgs,
    /// Certificates of the people allowed to use the seal (repeat for several).
    #[arg(long = "signer-cert", value_name = "FILE", required = true)]
    signer_cert: Vec<PathBuf>,
    /// Seal name (e.g. the organisation's name and 合同专用章).
    #[arg(long)]
    name: String,
    /// Seal type (business-defined; e.g. 1 official seal, 2 finance, 3 contract…).
    #[arg(long = "type", default_value_t = 1)]
    seal_type: i64,
    /// Seal picture (PNG, JPEG, GIF, BMP, SVG; its type is read from its content).
    #[arg(long, value_name = "FILE")]
    image: PathBuf,
    /// Picture width in millimetres.
    #[arg(long = "width-mm", default_value_t = 40)]
    width_mm: i64,
    /// Picture height in millimetres.
    #[arg(long = "height-mm", default_value_t = 40)]
    height_mm: i64,
    /// Seal code (esID); default: derived from the name and the time.
    #[arg(long = "es-id")]
    es_id: Option<String>,
    /// Vendor id (Vid) in the header.
    #[arg(long, default_value = "eseal")]
    vid: String,
    /// Start of validity (RFC 3339; default now).
    #[arg(long = "valid-from")]
    valid_from: Option<String>,
    /// End of validity (RFC 3339; default: the earliest signer certificate expiry).
    #[arg(long = "valid-to")]
    valid_to: Option<String>,
    /// List SM3 digests of the signer certificates (certListType 2) instead of the certificates.
    #[arg(long = "cert-digests")]
    cert_digests: bool,
    /// Write a version 5 (GM/T 0031-2025) seal instead of version 4.
    #[arg(long)]
    v5: bool,
    /// Output file.
    #[arg(short = 'o', long = "output", value_name = "SEAL.esl")]
    output: PathBuf,
}

/// Output formats of `seal show`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ShowFormat {
    /// Human-readable text.
    Text,
    /// JSON.
    Json,
}

/// Arguments of `eseal seal show`.
#[derive(Args)]
pub struct ShowArgs {
    /// The seal (DER).
    seal: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: ShowFormat,
    /// Write the seal picture to this file.
    #[arg(long = "extract-picture", value_name = "FILE")]
    extract_picture: Option<PathBuf>,
}

/// Arguments of `eseal sign-data`.
#[derive(Args)]
pub struct SignDataArgs {
    /// The seal to apply.
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
    /// Write a version 5 signature instead of version 4.
    #[arg(long)]
    v5: bool,
    /// The data to seal (hashed with SM3 as a stream).
    data: PathBuf,
    /// Output file (SES_Signature, DER).
    #[arg(short = 'o', long = "output", value_name = "SIG.dat")]
    output: PathBuf,
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes `data` to `path` through a temporary file in the same folder and a rename, so a
/// failure never leaves a partial file.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let res = (|| {
        use std::io::Write;
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    res.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("{}: {e}", path.display())
    })
}

fn time_arg(flag: &str, v: &Option<String>) -> Result<Option<Time>, String> {
    v.as_deref()
        .map(|s| Time::parse_rfc3339(s).map_err(|e| format!("{flag}: {e}")))
        .transpose()
}

fn make(a: MakeArgs) -> Result<(), String> {
    let maker = keys::load(&a.maker_key, a.maker_cert.as_deref(), &a.password)?;
    let mut signer_certs = Vec::new();
    let mut earliest_expiry: Option<Time> = None;
    for p in &a.signer_cert {
        let certs = parse_certificates(&read(p)?).map_err(|e| format!("{}: {e}", p.display()))?;
        let c = certs
            .first()
            .ok_or_else(|| format!("{}: no certificate", p.display()))?;
        earliest_expiry = Some(earliest_expiry.map_or(c.not_after(), |t| t.min(c.not_after())));
        signer_certs.push(c.der().to_vec());
    }
    let image = read(&a.image)?;
    let kind = PictureType::sniff(&image).ok_or_else(|| {
        format!(
            "{}: not a PNG, JPEG, GIF, BMP or SVG picture",
            a.image.display()
        )
    })?;
    let now = Time::now();
    let valid_from = time_arg("--valid-from", &a.valid_from)?.unwrap_or(now);
    let valid_to = match time_arg("--valid-to", &a.valid_to)? {
        Some(t) => t,
        None => earliest_expiry.ok_or("no signer certificate")?,
    };
    let es_id = a.es_id.clone().unwrap_or_else(|| {
        let h = sm3(format!("{}|{}", a.name, now.unix()).as_bytes());
        h[..8].iter().map(|b| format!("{b:02x}")).collect()
    });
    let seal = SealBuilder::new(&a.vid, &es_id, &a.name)
        .version(if a.v5 { Version::V5 } else { Version::V4 })
        .seal_type(a.seal_type)
        .cert_list_type(if a.cert_digests { 2 } else { 1 })
        .signer_certs(signer_certs)
        .create_date(now)
        .validity(valid_from, valid_to)
        .picture(kind.name(), image, a.width_mm, a.height_mm)
        .build(&maker.cert, &maker.signer)
        .map_err(|e| e.to_string())?;
    let der = seal.to_der().map_err(|e| e.to_string())?;
    write_atomic(&a.output, &der)?;
    println!(
        "{}: seal {:?} [{}], {} bytes",
        a.output.display(),
        a.name,
        es_id,
        der.len()
    );
    Ok(())
}

fn show(a: ShowArgs) -> Result<(), String> {
    let seal = Seal::from_der(&read(&a.seal)?).map_err(|e| format!("{}: {e}", a.seal.display()))?;
    let info = &seal.seal_info;
    // The library's one seal description (the C ABI writes the same, `signers` as a number).
    let j =
        serde_json::to_value(eseal::ses::SealDescription::of(&seal)).map_err(|e| e.to_string())?;
    if let Some(out) = &a.extract_picture {
        write_atomic(out, &info.picture.data)?;
    }
    match a.format {
        ShowFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&j).map_err(|e| e.to_string())?
        ),
        ShowFormat::Text => {
            println!(
                "{}: {} seal",
                a.seal.display(),
                j["format"].as_str().unwrap_or("")
            );
            for key in [
                "vid",
                "es_id",
                "name",
                "type",
                "cert_list_type",
                "create_date",
                "valid_from",
                "valid_to",
                "sign_alg",
                "timestamp",
            ] {
                println!("  {key:<15} {}", j[key]);
            }
            println!("  {:<15} {}", "picture", j["picture"]);
            println!("  {:<15} {}", "maker", j["maker"]);
            for s in j["signers"].as_array().into_iter().flatten() {
                println!("  {:<15} {s}", "signer");
            }
            if let Some(out) = &a.extract_picture {
                println!("  picture written to {}", out.display());
            }
        }
    }
    Ok(())
}

fn sign(a: SignDataArgs) -> Result<(), String> {
    let seal = Seal::from_der(&read(&a.seal)?).map_err(|e| format!("{}: {e}", a.seal.display()))?;
    let signer = keys::load(&a.key, a.cert.as_deref(), &a.password)?;
    let property_info = a
        .data
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .ok_or_else(|| format!("{}: not a file", a.data.display()))?;
    let mut req = SignRequest::new(&seal, &signer.cert, &property_info, Time::now());
    if a.v5 {
        req.version = Version::V5;
    }
    let file = std::fs::File::open(&a.data).map_err(|e| format!("{}: {e}", a.data.display()))?;
    let sig = sign_data(&req, std::io::BufReader::new(file), &signer.signer)
        .map_err(|e| e.to_string())?;
    let der = sig.to_der().map_err(|e| e.to_string())?;
    write_atomic(&a.output, &der)?;
    println!(
        "{}: {} signature over {} ({} bytes)",
        a.output.display(),
        sig.version().format_name(),
        a.data.display(),
        der.len()
    );
    Ok(())
}

/// Runs `eseal seal …`; returns the exit status.
pub fn run(c: SealCommand) -> u8 {
    let r = match c {
        SealCommand::Make(a) => make(*a),
        SealCommand::Show(a) => show(a),
    };
    finish("seal", r)
}

/// Runs `eseal sign-data`; returns the exit status.
pub fn run_sign_data(a: SignDataArgs) -> u8 {
    finish("sign-data", sign(a))
}

fn finish(cmd: &str, r: Result<(), String>) -> u8 {
    match r {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("eseal {cmd}: {e}");
            2
        }
    }
}

/// Keyword positioning options shared by `sign-pdf` and `sign-ofd`.
#[derive(Args, Clone)]
pub struct KeywordArgs {
    /// Centre the seal on this text as shown on the pages (instead of --page/--x/--y).
    #[arg(long, value_name = "TEXT", conflicts_with = "job")]
    keyword: Option<String>,
    /// Which occurrence of the keyword: a number from 1 (page order), or `all`.
    #[arg(
        long = "keyword-index",
        value_name = "N|all",
        default_value = "1",
        requires = "keyword"
    )]
    keyword_index: String,
    /// Move the seal right from the keyword's centre (mm; negative: left).
    #[arg(
        long = "offset-x",
        value_name = "MM",
        default_value_t = 0.0,
        allow_hyphen_values = true
    )]
    offset_x: f64,
    /// Move the seal down from the keyword's centre (mm; negative: up).
    #[arg(
        long = "offset-y",
        value_name = "MM",
        default_value_t = 0.0,
        allow_hyphen_values = true
    )]
    offset_y: f64,
    /// A riding seal (骑缝章): the picture cut into one strip per page along an edge, all under
    /// one signature (needs at least 2 pages).
    #[arg(long, conflicts_with_all = ["keyword", "job"])]
    riding: bool,
    /// Edge of a riding seal: right, left, top or bottom.
    #[arg(
        long,
        value_name = "EDGE",
        default_value = "right",
        requires = "riding"
    )]
    edge: String,
    /// Pages of a riding seal: all, odd, even or FROM-TO.
    #[arg(long, value_name = "PAGES", default_value = "all", requires = "riding")]
    pages: String,
    /// Riding seal's distance (mm) from the page's top (left/right edge) or left (top/bottom
    /// edge); default: centred along the edge.
    #[arg(long, value_name = "MM", requires = "riding")]
    at: Option<f64>,
}

impl KeywordArgs {
    /// The placement the flags ask for (`page`, `x`, `y` when neither keyword nor riding).
    fn placement(&self, page: usize, x: f64, y: f64) -> Result<Placement, String> {
        let e = |e: eseal::Error| e.to_string();
        if self.riding {
            return Ok(Placement::Riding(eseal::riding::RidingSpec {
                edge: self.edge.parse().map_err(e)?,
                pages: self.pages.parse().map_err(e)?,
                at_mm: self.at,
            }));
        }
        if let Some(text) = &self.keyword {
            return Ok(Placement::Keyword(eseal::keyword::KeywordSpec {
                text: text.clone(),
                occurrence: self.keyword_index.parse().map_err(e)?,
                offset_x_mm: self.offset_x,
                offset_y_mm: self.offset_y,
            }));
        }
        Ok(Placement::At {
            page,
            x_mm: x,
            y_mm: y,
        })
    }
}

/// Several seals, many documents: options shared by `sign-pdf` and `sign-ofd`.
#[derive(Args, Clone)]
pub struct RunArgs {
    /// A job file (JSON) listing several seals with their placement, applied in order as
    /// successive signatures (see the README); --seal/--cert/--key are then the defaults of
    /// its entries.
    #[arg(long, value_name = "FILE")]
    job: Option<PathBuf>,
    /// Seal many documents: every matching file of a folder (recursively) or the files listed
    /// in a text file (one per line); -o is then the output folder. Outputs that exist are
    /// skipped, so an interrupted run resumes.
    #[arg(long, value_name = "DIR|LIST")]
    batch: Option<PathBuf>,
    /// Worker threads of a --batch run (default: four per core, as each output is synced to
    /// disk before its rename).
    #[arg(long, value_name = "N", requires = "batch")]
    jobs: Option<usize>,
    /// Never show the progress line of a --batch run (shown only when standard error is a
    /// terminal).
    #[arg(long = "no-progress", requires = "batch")]
    no_progress: bool,
}

/// The command's own seal, certificate, key and chain: the defaults of the job's entries.
struct Defaults<'a> {
    seal: Option<&'a Path>,
    cert: Option<&'a Path>,
    key: Option<&'a Path>,
    chain: Option<&'a Path>,
    password: &'a keys::PasswordArgs,
}

/// Every seal, key and chain a job needs, each file loaded once; `uses[i]` picks entry i's.
struct Loaded {
    seals: Vec<(PathBuf, Seal)>,
    keys: Vec<((PathBuf, Option<PathBuf>), keys::KeyAndCert)>,
    chains: Vec<(PathBuf, Vec<Vec<u8>>)>,
    uses: Vec<(usize, usize, Option<usize>)>,
}

impl Loaded {
    fn load(job: &Job, d: &Defaults<'_>) -> Result<Loaded, String> {
        let mut l = Loaded {
            seals: Vec::new(),
            keys: Vec::new(),
            chains: Vec::new(),
            uses: Vec::new(),
        };
        for (i, e) in job.entries.iter().enumerate() {
            let label = eseal::job::entry_label(i, e);
            let seal = e.seal.as_deref().or(d.seal).ok_or_else(|| {
                format!("{label}: no seal (give \"seal\" in the entry or --seal)")
            })?;
            let s = match l.seals.iter().position(|(p, _)| p == seal) {
                Some(s) => s,
                None => {
                    let der = read(seal).map_err(|m| format!("{label}: {m}"))?;
                    let parsed = Seal::from_der(&der)
                        .map_err(|err| format!("{label}: {}: {err}", seal.display()))?;
                    l.seals.push((seal.to_path_buf(), parsed));
                    l.seals.len() - 1
                }
            };
            let key =
                e.key.as_deref().or(d.key).ok_or_else(|| {
                    format!("{label}: no key (give \"key\" in the entry or --key)")
                })?;
            // An entry with its own key does not take the command's certificate.
            let cert = match &e.key {
                Some(_) => e.cert.as_deref(),
                None => e.cert.as_deref().or(d.cert),
            };
            let id = (key.to_path_buf(), cert.map(Path::to_path_buf));
            let k = match l.keys.iter().position(|(p, _)| *p == id) {
                Some(k) => k,
                None => {
                    let pw = if e.password_file.is_some() || e.password_env.is_some() {
                        keys::PasswordArgs {
                            password: None,
                            password_file: e.password_file.clone(),
                            password_env: e.password_env.clone(),
                        }
                    } else {
                        d.password.clone()
                    };
                    let kc = keys::load(key, cert, &pw).map_err(|m| format!("{label}: {m}"))?;
                    l.keys.push((id, kc));
                    l.keys.len() - 1
                }
            };
            let c = match e.chain.as_deref().or(d.chain) {
                None => None,
                Some(p) => Some(match l.chains.iter().position(|(q, _)| q == p) {
                    Some(c) => c,
                    None => {
                        let certs = parse_certificates(&read(p)?)
                            .map_err(|err| format!("{label}: {}: {err}", p.display()))?;
                        l.chains.push((
                            p.to_path_buf(),
                            certs.iter().map(|c| c.der().to_vec()).collect(),
                        ));
                        l.chains.len() - 1
                    }
                }),
            };
            l.uses.push((s, k, c));
        }
        Ok(l)
    }

    fn sealers(&self) -> Vec<Sealer<'_>> {
        self.uses
            .iter()
            .map(|&(s, k, c)| Sealer {
                seal: &self.seals[s].1,
                cert: &self.keys[k].1.cert,
                chain: c.map(|c| self.chains[c].1.as_slice()).unwrap_or(&[]),
                signer: &self.keys[k].1.signer,
            })
            .collect()
    }
}

/// The job: read from --job, or one entry made of the command's placement flags.
fn job_of(run: &RunArgs, single: impl FnOnce() -> Result<JobEntry, String>) -> Result<Job, String> {
    match &run.job {
        Some(p) => {
            let base = p.parent().unwrap_or(Path::new(""));
            Job::from_json(&read(p)?, base).map_err(|e| format!("{}: {e}", p.display()))
        }
        None => Ok(Job::single(single()?)),
    }
}

/// Seals one document or, with --batch, many: `seal_one(input, output)`.
fn seal_documents(
    cmd: &str,
    ext: &str,
    job: &Job,
    run: &RunArgs,
    input: Option<&Path>,
    output: &Path,
    seal_one: &(dyn Fn(&Path, &Path) -> eseal::Result<()> + Sync),
) -> Result<u8, String> {
    let Some(source) = &run.batch else {
        let input = input.ok_or("give the document to seal, or --batch")?;
        if same_file(input, output) {
            return Err("refusing to overwrite the input; give another -o".into());
        }
        seal_one(input, output).map_err(|e| e.to_string())?;
        for (i, e) in job.entries.iter().enumerate() {
            println!(
                "{}: sealed {} of {}{}",
                output.display(),
                e.placement.describe(),
                input.display(),
                if job.entries.len() > 1 {
                    format!(" ({})", eseal::job::entry_label(i, e))
                } else {
                    String::new()
                }
            );
        }
        return Ok(0);
    };
    if run.jobs == Some(0) {
        return Err("--jobs must be at least 1".into());
    }
    std::fs::create_dir_all(output).map_err(|e| format!("{}: {e}", output.display()))?;
    let items =
        eseal::seal_batch::plan(source, output, ext).map_err(|e| format!("--batch: {e}"))?;
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
    let show = !run.no_progress && std::io::stderr().is_terminal();
    let progress = Mutex::new((0u64, show.then(|| Progress::fixed(items.len() as u64))));
    let opts = eseal::seal_batch::Options {
        jobs: run.jobs.unwrap_or(0),
        stop: Some(stop.clone()),
    };
    let start = Instant::now();
    let summary = eseal::seal_batch::run(&items, &opts, seal_one, &|_, _| {
        let mut g = progress.lock().unwrap_or_else(|p| p.into_inner());
        g.0 += 1;
        let done = g.0;
        if let Some(p) = g.1.as_mut() {
            p.draw(done, false);
        }
    });
    if let Some(p) = progress
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .1
        .as_mut()
    {
        p.draw(items.len() as u64, true);
        p.clear();
    }
    let secs = start.elapsed().as_secs_f64();
    let interrupted = stop.load(Ordering::SeqCst);
    let csv = eseal::seal_batch::write_errors_csv(output, &summary);
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "{}{cmd}: sealed {}, skipped {} (already sealed), failed {}{} of {} documents in {secs:.2} s ({:.1} documents/s){}",
        if interrupted { "interrupted; " } else { "" },
        summary.sealed,
        summary.skipped,
        summary.failed.len(),
        if summary.not_started > 0 {
            format!(", not started {}", summary.not_started)
        } else {
            String::new()
        },
        items.len(),
        summary.sealed as f64 / secs.max(1e-9),
        if summary.failed.is_empty() {
            String::new()
        } else {
            format!("; errors: {}", output.join("errors.csv").display())
        }
    );
    for (p, m) in summary.failed.iter().take(20) {
        let _ = writeln!(err, "{}: {m}", p.display());
    }
    if summary.failed.len() > 20 {
        let _ = writeln!(err, "… and {} more", summary.failed.len() - 20);
    }
    csv.map_err(|e| e.to_string())?;
    Ok(if interrupted {
        130
    } else if summary.failed.is_empty() {
        0
    } else {
        1
    })
}

/// Arguments of `eseal sign-ofd`.
#[derive(Args)]
pub struct SignOfdArgs {
    /// The seal to apply.
    #[arg(long, value_name = "SEAL", required_unless_present = "job")]
    seal: Option<PathBuf>,
    /// The signer's certificate (PEM or DER; optional when --key is PKCS#12).
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The signer's private key (PKCS#8, SEC1 or PKCS#12).
    #[arg(long, value_name = "FILE", required_unless_present = "job")]
    key: Option<PathBuf>,
    #[command(flatten)]
    password: keys::PasswordArgs,
    /// Page to stamp (1-based).
    #[arg(long, default_value_t = 1, conflicts_with = "job")]
    page: usize,
    /// Left edge of the stamp in millimetres from the page's left edge.
    #[arg(long, default_value_t = 20.0, conflicts_with = "job")]
    x: f64,
    /// Top edge of the stamp in millimetres from the page's top edge.
    #[arg(long, default_value_t = 20.0, conflicts_with = "job")]
    y: f64,
    /// Also protect Signatures.xml: no further seal can be added afterwards.
    #[arg(long = "protect-all", conflicts_with = "job")]
    protect_all: bool,
    #[command(flatten)]
    place: KeywordArgs,
    #[command(flatten)]
    run: RunArgs,
    /// The OFD document to seal.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    input: Option<PathBuf>,
    /// Output file (written to a temporary file and renamed; never the input); with --batch,
    /// the output folder.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn sign_ofd(a: SignOfdArgs) -> Result<u8, String> {
    let job = job_of(&a.run, || {
        let mut e = JobEntry::new(a.place.placement(a.page, a.x, a.y)?);
        e.protect_all = a.protect_all;
        Ok(e)
    })?;
    let loaded = Loaded::load(
        &job,
        &Defaults {
            seal: a.seal.as_deref(),
            cert: a.cert.as_deref(),
            key: a.key.as_deref(),
            chain: None,
            password: &a.password,
        },
    )?;
    let ofd_job = OfdJob::new(&job, &loaded.sealers()).map_err(|e| e.to_string())?;
    seal_documents(
        "sign-ofd",
        "ofd",
        &job,
        &a.run,
        a.input.as_deref(),
        &a.output,
        &|i, o| ofd_job.seal(i, o),
    )
}

/// Runs `eseal sign-ofd`; returns the exit status (with --batch: 0 every document sealed or
/// already sealed, 1 some failed, 130 interrupted; 2 the run could not start).
pub fn run_sign_ofd(a: SignOfdArgs) -> u8 {
    finish_code("sign-ofd", sign_ofd(a))
}

fn finish_code(cmd: &str, r: Result<u8, String>) -> u8 {
    match r {
        Ok(code) => code,
        Err(e) => {
            eprintln!("eseal {cmd}: {e}");
            2
        }
    }
}

/// PDF payloads.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum PayloadArg {
    /// A GB/T 38540 SES_Signature (SubFilter /GB.T38540.SES).
    Ses,
    /// A CMS SignedData with SM2/SM3 (SubFilter /adbe.pkcs7.detached).
    Cms,
}

/// Arguments of `eseal sign-pdf`.
#[derive(Args)]
pub struct SignPdfArgs {
    /// The seal to apply (its picture is drawn on the page).
    #[arg(long, value_name = "SEAL", required_unless_present = "job")]
    seal: Option<PathBuf>,
    /// The signer's certificate (PEM or DER; optional when --key is PKCS#12).
    #[arg(long, value_name = "FILE")]
    cert: Option<PathBuf>,
    /// The signer's private key (PKCS#8, SEC1 or PKCS#12).
    #[arg(long, value_name = "FILE", required_unless_present = "job")]
    key: Option<PathBuf>,
    #[command(flatten)]
    password: keys::PasswordArgs,
    /// Intermediate certificates to embed in a CMS payload (PEM).
    #[arg(long, value_name = "FILE")]
    chain: Option<PathBuf>,
    /// Page to stamp (1-based).
    #[arg(long, default_value_t = 1, conflicts_with = "job")]
    page: usize,
    /// Left edge of the seal in millimetres from the visible page's top-left corner.
    #[arg(long, default_value_t = 20.0, conflicts_with = "job")]
    x: f64,
    /// Top edge of the seal in millimetres from the visible page's top-left corner.
    #[arg(long, default_value_t = 20.0, conflicts_with = "job")]
    y: f64,
    /// What /Contents holds (with --job: for the entries that do not say).
    #[arg(long, value_enum, default_value = "ses")]
    payload: PayloadArg,
    /// /Reason of the signature (with --job: for the entries that do not say).
    #[arg(long)]
    reason: Option<String>,
    /// /Location of the signature (with --job: for the entries that do not say).
    #[arg(long)]
    location: Option<String>,
    #[command(flatten)]
    place: KeywordArgs,
    #[command(flatten)]
    run: RunArgs,
    /// The PDF to seal (never modified).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    input: Option<PathBuf>,
    /// Output file (written to a temporary file and renamed; never the input); with --batch,
    /// the output folder.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: PathBuf,
}

fn sign_pdf(a: SignPdfArgs) -> Result<u8, String> {
    let payload = match a.payload {
        PayloadArg::Ses => eseal::pdf::PayloadKind::Ses,
        PayloadArg::Cms => eseal::pdf::PayloadKind::Cms,
    };
    let mut job = job_of(&a.run, || {
        Ok(JobEntry::new(a.place.placement(a.page, a.x, a.y)?))
    })?;
    for e in &mut job.entries {
        e.payload = e.payload.or(Some(payload));
        e.reason = e.reason.take().or_else(|| a.reason.clone());
        e.location = e.location.take().or_else(|| a.location.clone());
    }
    let loaded = Loaded::load(
        &job,
        &Defaults {
            seal: a.seal.as_deref(),
            cert: a.cert.as_deref(),
            key: a.key.as_deref(),
            chain: a.chain.as_deref(),
            password: &a.password,
        },
    )?;
    let pdf_job = PdfJob::new(&job, &loaded.sealers()).map_err(|e| e.to_string())?;
    seal_documents(
        "sign-pdf",
        "pdf",
        &job,
        &a.run,
        a.input.as_deref(),
        &a.output,
        &|i, o| pdf_job.seal(i, o),
    )
}

/// Runs `eseal sign-pdf`; returns the exit status (as [`run_sign_ofd`]).
pub fn run_sign_pdf(a: SignPdfArgs) -> u8 {
    finish_code("sign-pdf", sign_pdf(a))
}
