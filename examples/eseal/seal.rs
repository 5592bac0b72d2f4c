//! `eseal seal make`, `eseal seal show` and `eseal sign-data`.

use crate::keys;
use clap::{Args, Subcommand, ValueEnum};
use eseal::crypto::sm3;
use eseal::pki::{Time, parse_certificates};
use eseal::ses::sign::{SignRequest, sign_data};
use eseal::ses::{PictureType, Seal, SealBuilder, Version};
use std::path::{Path, PathBuf};

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
    #[arg(long, value_name = "TEXT")]
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
    #[arg(long, conflicts_with = "keyword")]
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
    fn spec(&self) -> Result<Option<eseal::keyword::KeywordSpec>, String> {
        let Some(text) = &self.keyword else {
            return Ok(None);
        };
        Ok(Some(eseal::keyword::KeywordSpec {
            text: text.clone(),
            occurrence: self
                .keyword_index
                .parse()
                .map_err(|e: eseal::Error| e.to_string())?,
            offset_x_mm: self.offset_x,
            offset_y_mm: self.offset_y,
        }))
    }

    fn riding(&self) -> Result<Option<eseal::riding::RidingSpec>, String> {
        if !self.riding {
            return Ok(None);
        }
        let e = |e: eseal::Error| e.to_string();
        Ok(Some(eseal::riding::RidingSpec {
            edge: self.edge.parse().map_err(e)?,
            pages: self.pages.parse().map_err(e)?,
            at_mm: self.at,
        }))
    }

    fn describe(&self, page: usize) -> String {
        if self.riding {
            return format!("{} edge of pages {} (riding seal)", self.edge, self.pages);
        }
        match &self.keyword {
            Some(k) => format!("keyword {k:?} (occurrence {})", self.keyword_index),
            None => format!("page {page}"),
        }
    }
}

/// Arguments of `eseal sign-ofd`.
#[derive(Args)]
pub struct SignOfdArgs {
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
    /// Page to stamp (1-based).
    #[arg(long, default_value_t = 1)]
    page: usize,
    /// Left edge of the stamp in millimetres from the page's left edge.
    #[arg(long, default_value_t = 20.0)]
    x: f64,
    /// Top edge of the stamp in millimetres from the page's top edge.
    #[arg(long, default_value_t = 20.0)]
    y: f64,
    /// Also protect Signatures.xml: no further seal can be added afterwards.
    #[arg(long = "protect-all")]
    protect_all: bool,
    #[command(flatten)]
    place: KeywordArgs,
    /// The OFD document to seal.
    input: PathBuf,
    /// Output file (written to a temporary file and renamed; never the input).
    #[arg(short = 'o', long = "output", value_name = "OUT.ofd")]
    output: PathBuf,
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn sign_ofd(a: SignOfdArgs) -> Result<(), String> {
    if same_file(&a.input, &a.output) {
        return Err("refusing to overwrite the input; give another -o".into());
    }
    let seal = Seal::from_der(&read(&a.seal)?).map_err(|e| format!("{}: {e}", a.seal.display()))?;
    let signer = keys::load(&a.key, a.cert.as_deref(), &a.password)?;
    let opts = eseal::ofd::SealOfdOptions {
        page: a.page,
        x_mm: a.x,
        y_mm: a.y,
        protect_all: a.protect_all,
        keyword: a.place.spec()?,
        riding: a.place.riding()?,
        ..Default::default()
    };
    eseal::ofd::seal_ofd(
        &a.input,
        &a.output,
        &opts,
        &seal,
        &signer.cert,
        &signer.signer,
    )
    .map_err(|e| e.to_string())?;
    println!(
        "{}: sealed {} of {} with {:?}",
        a.output.display(),
        a.place.describe(a.page),
        a.input.display(),
        seal.seal_info.property.name
    );
    Ok(())
}

/// Runs `eseal sign-ofd`; returns the exit status.
pub fn run_sign_ofd(a: SignOfdArgs) -> u8 {
    finish("sign-ofd", sign_ofd(a))
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
    /// Intermediate certificates to embed in a CMS payload (PEM).
    #[arg(long, value_name = "FILE")]
    chain: Option<PathBuf>,
    /// Page to stamp (1-based).
    #[arg(long, default_value_t = 1)]
    page: usize,
    /// Left edge of the seal in millimetres from the visible page's top-left corner.
    #[arg(long, default_value_t = 20.0)]
    x: f64,
    /// Top edge of the seal in millimetres from the visible page's top-left corner.
    #[arg(long, default_value_t = 20.0)]
    y: f64,
    /// What /Contents holds.
    #[arg(long, value_enum, default_value = "ses")]
    payload: PayloadArg,
    /// /Reason of the signature.
    #[arg(long)]
    reason: Option<String>,
    /// /Location of the signature.
    #[arg(long)]
    location: Option<String>,
    #[command(flatten)]
    place: KeywordArgs,
    /// The PDF to seal (never modified).
    input: PathBuf,
    /// Output file (written to a temporary file and renamed; never the input).
    #[arg(short = 'o', long = "output", value_name = "OUT.pdf")]
    output: PathBuf,
}

fn sign_pdf(a: SignPdfArgs) -> Result<(), String> {
    use eseal::pdf::{PayloadKind, SealOptions, SealPicture, cms::CmsProfile, prepare};
    if same_file(&a.input, &a.output) {
        return Err("refusing to overwrite the input; give another -o".into());
    }
    let seal = Seal::from_der(&read(&a.seal)?).map_err(|e| format!("{}: {e}", a.seal.display()))?;
    let signer = keys::load(&a.key, a.cert.as_deref(), &a.password)?;
    let chain: Vec<Vec<u8>> = match &a.chain {
        Some(p) => parse_certificates(&read(p)?)
            .map_err(|e| format!("{}: {e}", p.display()))?
            .iter()
            .map(|c| c.der().to_vec())
            .collect(),
        None => Vec::new(),
    };
    let payload = match a.payload {
        PayloadArg::Ses => PayloadKind::Ses,
        PayloadArg::Cms => PayloadKind::Cms,
    };
    let contents_size = match payload {
        PayloadKind::Ses => eseal::pdf::sign::ses_contents_size(&seal, &signer.cert),
        PayloadKind::Cms => signer.cert.len() + chain.iter().map(Vec::len).sum::<usize>() + 8192,
    };
    let opts = SealOptions {
        page: a.page,
        x_mm: a.x,
        y_mm: a.y,
        picture: Some(SealPicture::from_seal(&seal)),
        name: Some(seal.seal_info.property.name.clone()),
        reason: a.reason.clone(),
        location: a.location.clone(),
        signing_time: Time::now(),
        payload,
        contents_size,
        keyword: a.place.spec()?,
        riding: a.place.riding()?,
        ..Default::default()
    };
    let prepared = prepare(&a.input, &a.output, &opts).map_err(|e| e.to_string())?;
    match payload {
        PayloadKind::Ses => prepared.finish_ses(&seal, &signer.cert, &signer.signer),
        PayloadKind::Cms => {
            prepared.finish_cms(&signer.signer, &signer.cert, &chain, CmsProfile::Pkcs7)
        }
    }
    .map_err(|e| e.to_string())?;
    println!(
        "{}: sealed {} of {} with {:?} ({:?} payload)",
        a.output.display(),
        a.place.describe(a.page),
        a.input.display(),
        seal.seal_info.property.name,
        a.payload
    );
    Ok(())
}

/// Runs `eseal sign-pdf`; returns the exit status.
pub fn run_sign_pdf(a: SignPdfArgs) -> u8 {
    finish("sign-pdf", sign_pdf(a))
}
