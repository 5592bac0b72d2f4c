//! Sealing an OFD document (GB/T 33190-2016 §18, GB/T 38540-2020 §7.2 "电子签章过程").
//!
//! A seal adds, next to what is already in the package:
//! - `Signatures.xml` (created and named from OFD.xml's DocBody, or updated with one more
//!   `<Signature Type="Seal">` entry and its `MaxSignId`);
//! - `Sign_N/Signature.xml`: SignedInfo with Provider, SignatureMethod (SM2-with-SM3),
//!   SignatureDateTime, References (SM3, base64) over every package file except Signatures.xml
//!   itself (or over everything including Signatures.xml with
//!   [`SealOfdOptions::protect_all`], after which no further signature may be added), a
//!   StampAnnot on the chosen page with the seal's size, and optionally Seal/BaseLoc;
//! - `Sign_N/SignedValue.dat`: the SES_Signature, whose dataHash is SM3 of the exact bytes of
//!   Signature.xml and whose propertyInfo is the absolute path of Signature.xml;
//! - optionally `Sign_N/Seal.esl`, the seal.
//!
//! Existing XML is edited as text at the exact place of the change (no re-serialisation), every
//! original entry is copied into the new zip without recompression, and the result is written
//! to a temporary file in the destination folder and renamed over the output, so a failure
//! never leaves a half-written document. Sealing is refused ([`ErrorKind::OfdRefused`]) when an
//! earlier signature protects Signatures.xml.

use std::io::{Cursor, Write};
use std::path::Path;

use base64ct::{Base64, Encoding};

use super::package::{self, Limits, Package};
use super::verify::{protected_signatures_xml, signatures_files};
use super::xml;
use crate::error::{Error, ErrorKind, Result};
use crate::keyword::KeywordSpec;
use crate::pki::time::Time;
use crate::riding::RidingSpec;

/// The OFD namespace.
pub const OFD_NS: &str = "http://www.ofdspec.org/2016";
// SM2-with-SM3, written as SignatureMethod, and SM3, written as CheckMethod (from
// [`crate::oid`]).
pub use crate::oid::{SM2_WITH_SM3 as SM2_SM3_OID, SM3 as SM3_OID};

/// How to place and scope a seal.
#[derive(Debug, Clone)]
pub struct SealOfdOptions {
    /// Page to stamp, 1-based, in the order of Document.xml's Pages.
    pub page: usize,
    /// Left edge of the stamp, in millimetres from the page's left edge.
    pub x_mm: f64,
    /// Top edge of the stamp, in millimetres from the page's top edge.
    pub y_mm: f64,
    /// Also protect Signatures.xml: the document then refuses any further signature.
    pub protect_all: bool,
    /// Also store the seal as `Sign_N/Seal.esl` (and protect it by a Reference).
    pub include_seal_file: bool,
    /// Signing time written as SignatureDateTime (default: now).
    pub signing_time: Option<Time>,
    /// ProviderName written in Signature.xml.
    pub provider: String,
    /// Limits for reading the input package.
    pub limits: Limits,
    /// `Seal` (an SES_Signature value, the default) or `Sign` (a CMS SignedData or bare SM2
    /// value, GB/T 33190-2016 §18.1).
    pub signature_type: xml::SignatureType,
    /// Place the stamp(s) on a keyword instead of at `page`, `x_mm`, `y_mm`: centred on the
    /// chosen occurrence(s), one StampAnnot each (see [`super::text`]).
    pub keyword: Option<KeywordSpec>,
    /// A riding seal (骑缝章) instead: one StampAnnot per selected page, each showing its strip
    /// of the picture through a `Clip` (see [`crate::riding`]).
    pub riding: Option<RidingSpec>,
}

impl Default for SealOfdOptions {
    fn default() -> Self {
        SealOfdOptions {
            page: 1,
            x_mm: 10.0,
            y_mm: 10.0,
            protect_all: false,
            include_seal_file: false,
            signing_time: None,
            provider: "eseal".into(),
            limits: Limits::default(),
            signature_type: xml::SignatureType::Seal,
            keyword: None,
            riding: None,
        }
    }
}

/// Produces SignedValue.dat from the exact bytes of the new Signature.xml and the propertyInfo
/// (its absolute path).
pub type MakeValue<'a> = dyn FnMut(&[u8], &str) -> Result<Vec<u8>> + 'a;

/// The seal as placed by [`seal_ofd_with`]: its DER and its picture size.
#[derive(Debug, Clone, Copy)]
pub struct SealPlacement<'a> {
    /// DER of the SESeal (written as Seal.esl when asked).
    pub seal_der: &'a [u8],
    /// Picture width in millimetres.
    pub width_mm: f64,
    /// Picture height in millimetres.
    pub height_mm: f64,
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedOfd, msg)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn fmt_mm(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() || s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The namespace prefix (with `:`) used by an element in the source text, e.g. `ofd:` or `""`.
fn prefix_of(text: &str, node: roxmltree::Node<'_, '_>) -> String {
    let start = node.range().start;
    let after = &text[start + 1..];
    let name_end = after
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(after.len());
    let qname = &after[..name_end];
    match qname.rfind(':') {
        Some(i) => qname[..=i].to_string(),
        None => String::new(),
    }
}

/// Byte offset of the closing tag of `node` (its `</…>`), for an element that is not empty.
fn closing_tag_start(text: &str, node: roxmltree::Node<'_, '_>) -> Option<usize> {
    let r = node.range();
    let inner = &text[r.start..r.end];
    if inner.ends_with("/>") {
        return None;
    }
    inner.rfind("</").map(|i| r.start + i)
}

fn utf8<'a>(name: &str, b: &'a [u8]) -> Result<&'a str> {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    std::str::from_utf8(b).map_err(|_| malformed(format!("{name} is not UTF-8")))
}

/// The page IDs of the document, in order.
pub(crate) fn page_ids(pkg: &Package, doc_path: &str) -> Result<Vec<String>> {
    let bytes = pkg
        .get(doc_path)
        .ok_or_else(|| malformed(format!("DocRoot {doc_path} is not in the package")))?;
    let doc = xml::parse(doc_path, bytes)?;
    let pages = xml::child(doc.root_element(), "Pages")
        .ok_or_else(|| malformed(format!("{doc_path} has no Pages")))?;
    Ok(xml::children(pages, "Page")
        .map(|p| xml::attr(p, "ID").unwrap_or("").trim().to_string())
        .collect())
}

/// What a sealing run will write, before the signature value exists.
#[derive(Debug, Clone)]
pub struct PreparedSeal {
    /// Replaced entries: (normalised name, new bytes).
    pub replaced: Vec<(String, Vec<u8>)>,
    /// New entries except SignedValue.dat: (normalised name, bytes).
    pub added: Vec<(String, Vec<u8>)>,
    /// Normalised path of the new Signature.xml.
    pub signature_xml_path: String,
    /// Exact bytes of the new Signature.xml.
    pub signature_xml: Vec<u8>,
    /// Normalised path of the new SignedValue.dat.
    pub signed_value_path: String,
}

impl PreparedSeal {
    /// propertyInfo for the SES_Signature: the absolute path of Signature.xml.
    pub fn property_info(&self) -> String {
        format!("/{}", self.signature_xml_path)
    }
}

/// Prepares the new and changed files for a seal on `pkg` (nothing is written).
pub fn prepare_seal(
    pkg: &Package,
    opts: &SealOfdOptions,
    seal: &SealPlacement<'_>,
) -> Result<PreparedSeal> {
    if !names_missing_signatures(pkg)?
        && let Some(id) = protected_signatures_xml(pkg)?
    {
        return Err(Error::new(
            ErrorKind::OfdRefused,
            format!("signature {id:?} protects Signatures.xml: no further signature may be added"),
        ));
    }
    let finite = opts.x_mm.is_finite() && opts.y_mm.is_finite();
    let positive = seal.width_mm.is_finite()
        && seal.width_mm > 0.0
        && seal.height_mm.is_finite()
        && seal.height_mm > 0.0;
    if !(finite && positive) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "stamp position and seal size must be finite, the size positive",
        ));
    }
    let ofd_bytes = pkg
        .get("OFD.xml")
        .ok_or_else(|| malformed("package has no OFD.xml"))?;
    let ofd_text = utf8("OFD.xml", ofd_bytes)?;
    let ofd = xml::parse_ofd_xml(ofd_bytes)?;
    let body = &ofd.bodies[0];
    let doc_root = body
        .doc_root
        .as_deref()
        .ok_or_else(|| malformed("OFD.xml DocBody has no DocRoot"))?;
    let doc_path = package::resolve_in(pkg, "OFD.xml", doc_root)?;
    let pages = page_ids(pkg, &doc_path)?;
    let page_id = |page: usize| match page.checked_sub(1).and_then(|i| pages.get(i)) {
        Some(id) => Ok(id.clone()),
        None => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "page {} does not exist (the document has {})",
                page,
                pages.len()
            ),
        )),
    };
    // The stamps: (page ID, Boundary, Clip).
    let mut stamps: Vec<(String, [f64; 4], Option<[f64; 4]>)> = Vec::new();
    match (&opts.riding, &opts.keyword) {
        (Some(spec), _) => {
            let boxes = super::text::page_boxes(pkg)?;
            let selected = spec.pages.pages(boxes.len())?;
            let sizes: Vec<(usize, f64, f64)> = selected
                .iter()
                .map(|&n| {
                    let b = boxes[n - 1].unwrap_or([0.0, 0.0, 210.0, 297.0]);
                    (n, b[2], b[3])
                })
                .collect();
            for s in crate::riding::strips(spec, &sizes, seal.width_mm, seal.height_mm)? {
                let p = s.picture_mm;
                let clip = [
                    s.rect_mm[0] - p[0],
                    s.rect_mm[1] - p[1],
                    s.rect_mm[2],
                    s.rect_mm[3],
                ];
                stamps.push((page_id(s.page)?, p, Some(clip)));
            }
        }
        (None, Some(spec)) => {
            for hit in super::text::find_keyword(pkg, spec)? {
                let (x, y) = hit.seal_origin(spec, seal.width_mm, seal.height_mm);
                stamps.push((
                    page_id(hit.page)?,
                    [x, y, seal.width_mm, seal.height_mm],
                    None,
                ));
            }
        }
        (None, None) => stamps.push((
            page_id(opts.page)?,
            [opts.x_mm, opts.y_mm, seal.width_mm, seal.height_mm],
            None,
        )),
    }

    let mut replaced = Vec::new();
    // OFD.xml may name a Signatures.xml that the package lacks (unsigned templates such as
    // ofdrw's fptpl.ofd): it is then created where named, OFD.xml unchanged.
    let named = match &body.signatures {
        Some(loc) => Some(package::resolve_in(pkg, "OFD.xml", loc)?),
        None => None,
    };
    let existing = match &named {
        Some(p) if !pkg.contains(p) => vec![p.clone()],
        _ => signatures_files(pkg, &ofd)?,
    };
    let (sigs_path, sigs_bytes) = match existing.first() {
        Some(p) => (p.clone(), pkg.get(p)),
        None => {
            // Name a new Signatures.xml in OFD.xml: insert <Signatures> at the end of DocBody.
            let folder = package::folder_of(&doc_path);
            let p = if folder.is_empty() {
                "Signs/Signatures.xml".to_string()
            } else {
                format!("{folder}/Signs/Signatures.xml")
            };
            let doc = xml::parse("OFD.xml", ofd_bytes)?;
            let db = xml::child(doc.root_element(), "DocBody")
                .ok_or_else(|| malformed("OFD.xml has no DocBody"))?;
            let at = closing_tag_start(ofd_text, db)
                .ok_or_else(|| malformed("OFD.xml DocBody is empty"))?;
            let px = prefix_of(ofd_text, db);
            let mut new = String::with_capacity(ofd_text.len() + 64);
            new.push_str(&ofd_text[..at]);
            new.push_str(&format!("<{px}Signatures>{}</{px}Signatures>", esc(&p)));
            new.push_str(&ofd_text[at..]);
            replaced.push(("OFD.xml".to_string(), new.into_bytes()));
            (p, None)
        }
    };

    // Next free Sign_N folder.
    let signs_folder = package::folder_of(&sigs_path).to_string();
    let join = |rest: &str| {
        if signs_folder.is_empty() {
            rest.to_string()
        } else {
            format!("{signs_folder}/{rest}")
        }
    };
    let mut n = 0usize;
    while pkg
        .files()
        .iter()
        .any(|f| f.name.starts_with(&join(&format!("Sign_{n}/"))))
    {
        n += 1;
    }
    let sign_dir = join(&format!("Sign_{n}"));
    let signature_xml_path = format!("{sign_dir}/Signature.xml");
    let signed_value_path = format!("{sign_dir}/SignedValue.dat");
    let seal_path = format!("{sign_dir}/Seal.esl");

    // Signatures.xml, new or updated.
    let type_name = match opts.signature_type {
        xml::SignatureType::Seal => "Seal",
        xml::SignatureType::Sign => "Sign",
    };
    let new_sigs = match sigs_bytes {
        None => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signatures xmlns:ofd=\"{OFD_NS}\"><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID=\"1\" Type=\"{type_name}\" BaseLoc=\"/{}\"/></ofd:Signatures>",
            esc(&signature_xml_path)
        ),
        Some(old) => update_signatures_xml(&sigs_path, old, &signature_xml_path, type_name)?,
    };
    replaced.push((sigs_path.clone(), new_sigs.into_bytes()));

    let mut added = Vec::new();
    if opts.include_seal_file {
        added.push((seal_path.clone(), seal.seal_der.to_vec()));
    }

    // References: every file of the package as it will be, except Signatures.xml (unless
    // protect_all), the new Signature.xml and SignedValue.dat.
    let mut refs: Vec<(String, Vec<u8>)> = Vec::new();
    for f in pkg.files() {
        let data = replaced
            .iter()
            .find(|(n, _)| n == &f.name)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| f.data.clone());
        refs.push((f.name.clone(), data));
    }
    for (n, d) in replaced.iter().chain(added.iter()) {
        if !refs.iter().any(|(r, _)| r == n) {
            refs.push((n.clone(), d.clone()));
        }
    }
    if !opts.protect_all {
        refs.retain(|(n, _)| n != &sigs_path);
    }

    let time = opts.signing_time.unwrap_or_else(Time::now);
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str(&format!(
        "<ofd:Signature xmlns:ofd=\"{OFD_NS}\"><ofd:SignedInfo>"
    ));
    x.push_str(&format!(
        "<ofd:Provider ProviderName=\"{}\" Version=\"{}\" Company=\"eseal\"/>",
        esc(&opts.provider),
        env!("CARGO_PKG_VERSION")
    ));
    x.push_str(&format!(
        "<ofd:SignatureMethod>{SM2_SM3_OID}</ofd:SignatureMethod>"
    ));
    x.push_str(&format!(
        "<ofd:SignatureDateTime>{}</ofd:SignatureDateTime>",
        time.to_generalized()
    ));
    x.push_str(&format!("<ofd:References CheckMethod=\"{SM3_OID}\">"));
    for (name, data) in &refs {
        let v = Base64::encode_string(&crate::crypto::sm3(data));
        x.push_str(&format!(
            "<ofd:Reference FileRef=\"/{}\"><ofd:CheckValue>{v}</ofd:CheckValue></ofd:Reference>",
            esc(name)
        ));
    }
    x.push_str("</ofd:References>");
    let fmt_box = |b: &[f64; 4]| {
        format!(
            "{} {} {} {}",
            fmt_mm(b[0]),
            fmt_mm(b[1]),
            fmt_mm(b[2]),
            fmt_mm(b[3])
        )
    };
    for (i, (page_id, b, clip)) in stamps.iter().enumerate() {
        let clip = clip
            .map(|c| format!(" Clip=\"{}\"", fmt_box(&c)))
            .unwrap_or_default();
        x.push_str(&format!(
            "<ofd:StampAnnot ID=\"{}\" PageRef=\"{}\" Boundary=\"{}\"{clip}/>",
            i + 1,
            esc(page_id),
            fmt_box(b),
        ));
    }
    if opts.include_seal_file {
        x.push_str(&format!(
            "<ofd:Seal><ofd:BaseLoc>/{}</ofd:BaseLoc></ofd:Seal>",
            esc(&seal_path)
        ));
    }
    x.push_str("</ofd:SignedInfo>");
    x.push_str(&format!(
        "<ofd:SignedValue>/{}</ofd:SignedValue></ofd:Signature>",
        esc(&signed_value_path)
    ));
    let signature_xml = x.into_bytes();
    added.push((signature_xml_path.clone(), signature_xml.clone()));

    Ok(PreparedSeal {
        replaced,
        added,
        signature_xml_path,
        signature_xml,
        signed_value_path,
    })
}

/// True when OFD.xml's first DocBody names a Signatures.xml that the package lacks (no
/// signature exists then, so none can protect anything).
fn names_missing_signatures(pkg: &Package) -> Result<bool> {
    let Some(bytes) = pkg.get("OFD.xml") else {
        return Ok(false);
    };
    let ofd = xml::parse_ofd_xml(bytes)?;
    match ofd.bodies.first().and_then(|b| b.signatures.as_deref()) {
        Some(loc) => Ok(!pkg.contains(&package::resolve_in(pkg, "OFD.xml", loc)?)),
        None => Ok(false),
    }
}

/// Adds one `<Signature>` entry to an existing Signatures.xml (text edit) and updates MaxSignId.
fn update_signatures_xml(
    name: &str,
    old: &[u8],
    signature_xml_path: &str,
    type_name: &str,
) -> Result<String> {
    let text = utf8(name, old)?;
    let doc = xml::parse(name, old)?;
    let root = doc.root_element();
    if root.tag_name().name() != "Signatures" {
        return Err(malformed(format!("{name}: root is not <Signatures>")));
    }
    let px = prefix_of(text, root);
    let mut max: u64 = 0;
    for s in xml::children(root, "Signature") {
        if let Some(id) = xml::attr(s, "ID")
            && let Ok(v) = id.trim().parse::<u64>()
        {
            max = max.max(v);
        }
    }
    let max_node = xml::child(root, "MaxSignId");
    if let Some(m) = max_node.and_then(|m| m.text())
        && let Ok(v) = m.trim().parse::<u64>()
    {
        max = max.max(v);
    }
    let id = max + 1;
    let entry = format!(
        "<{px}Signature ID=\"{id}\" Type=\"{type_name}\" BaseLoc=\"/{}\"/>",
        esc(signature_xml_path)
    );
    // Edits, applied from the end of the text backwards: (start, end, replacement).
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    match closing_tag_start(text, root) {
        Some(at) => edits.push((at, at, entry)),
        None => {
            // <Signatures/>: expand it.
            let r = root.range();
            let open = &text[r.start..r.end - 2];
            edits.push((r.start, r.end, format!("{open}>{entry}</{px}Signatures>")));
        }
    }
    if let Some(m) = max_node {
        match m.first_child().filter(|c| c.is_text()) {
            Some(t) => {
                let r = t.range();
                edits.push((r.start, r.end, id.to_string()));
            }
            None => {
                let r = m.range();
                edits.push((
                    r.start,
                    r.end,
                    format!("<{px}MaxSignId>{id}</{px}MaxSignId>"),
                ));
            }
        }
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (s, e, rep) in edits {
        out.replace_range(s..e, &rep);
    }
    Ok(out)
}

/// Seals the OFD at `input` into `output`: `make_value` receives the exact bytes of the new
/// Signature.xml and the propertyInfo (its absolute path) and returns SignedValue.dat (a DER
/// SES_Signature whose dataHash is SM3 of those bytes).
pub fn seal_ofd_with(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    opts: &SealOfdOptions,
    seal: &SealPlacement<'_>,
    make_value: &mut MakeValue<'_>,
) -> Result<()> {
    let input = input.as_ref();
    let output = output.as_ref();
    let meta = std::fs::metadata(input)
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", input.display())))?;
    if meta.len() > opts.limits.max_package_size {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!("package of {} bytes exceeds the limit", meta.len()),
        ));
    }
    let bytes = std::fs::read(input)
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", input.display())))?;
    let out = seal_ofd_bytes_with(&bytes, opts, seal, make_value)?;
    write_atomically(output, &out)
}

/// Like [`seal_ofd_with`], on bytes in memory; returns the sealed package.
pub fn seal_ofd_bytes_with(
    input: &[u8],
    opts: &SealOfdOptions,
    seal: &SealPlacement<'_>,
    make_value: &mut MakeValue<'_>,
) -> Result<Vec<u8>> {
    let pkg = Package::from_bytes(input, &opts.limits)?;
    let prepared = prepare_seal(&pkg, opts, seal)?;
    let value = make_value(&prepared.signature_xml, &prepared.property_info())?;
    write_package(input, &prepared, &value)
}

/// Writes the sealed package: originals copied raw, replaced entries in place, new ones last.
fn write_package(input: &[u8], prepared: &PreparedSeal, value: &[u8]) -> Result<Vec<u8>> {
    let zerr = |e: zip::result::ZipError| malformed(format!("zip: {e}"));
    let mut src = zip::ZipArchive::new(Cursor::new(input)).map_err(zerr)?;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(input.len() + 64 * 1024)));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..src.len() {
        let f = src.by_index_raw(i).map_err(zerr)?;
        let name = package::normalize(&String::from_utf8_lossy(f.name_raw()));
        let replacement = name
            .as_ref()
            .ok()
            .and_then(|n| prepared.replaced.iter().find(|(r, _)| r == n));
        match replacement {
            Some((n, data)) if !f.is_dir() => {
                drop(f);
                w.start_file(n.as_str(), deflated).map_err(zerr)?;
                w.write_all(data)?;
            }
            _ => w.raw_copy_file(f).map_err(zerr)?,
        }
    }
    for (n, data) in &prepared.replaced {
        let existed = (0..src.len()).any(|i| {
            src.name_for_index(i)
                .and_then(|s| s.ok().and_then(|s| package::normalize(&s).ok()))
                .is_some_and(|s| &s == n)
        });
        if !existed {
            w.start_file(n.as_str(), deflated).map_err(zerr)?;
            w.write_all(data)?;
        }
    }
    for (n, data) in &prepared.added {
        w.start_file(n.as_str(), deflated).map_err(zerr)?;
        w.write_all(data)?;
    }
    w.start_file(prepared.signed_value_path.as_str(), stored)
        .map_err(zerr)?;
    w.write_all(value)?;
    Ok(w.finish().map_err(zerr)?.into_inner())
}

/// Writes `data` to a temporary file beside `output` and renames it over `output`.
pub fn write_atomically(output: &Path, data: &[u8]) -> Result<()> {
    let dir = match output.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = output
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "output path has no file name"))?;
    let mut rnd = [0u8; 8];
    getrandom::fill(&mut rnd).map_err(|_| Error::new(ErrorKind::Rng, "no randomness"))?;
    let tmp = dir.join(format!(
        ".{}.{:016x}.tmp",
        file_name.to_string_lossy(),
        u64::from_le_bytes(rnd)
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(data)?;
        f.sync_all()?;
        std::fs::rename(&tmp, output)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::new(
            ErrorKind::Io,
            format!("{}: {e}", output.display()),
        ));
    }
    Ok(())
}

/// Seals the OFD at `input` into `output` with `seal`: the SES_Signature (v4) is made by
/// [`crate::ses::sign_hash`] with `signer`, whose certificate `signer_cert` (DER) must be listed
/// in the seal; dataHash is SM3 of the new Signature.xml and propertyInfo its absolute path. The
/// stamp takes the seal picture's size (millimetres). The signing time is
/// [`SealOfdOptions::signing_time`] (default now), written both as SignatureDateTime and timeInfo.
pub fn seal_ofd(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    opts: &SealOfdOptions,
    seal: &crate::ses::Seal,
    signer_cert: &[u8],
    signer: &dyn crate::crypto::Signer,
) -> Result<()> {
    let opts = with_time(opts);
    let placement = placement_of(seal)?;
    seal_ofd_with(input, output, &opts, &placement, &mut |xml, prop| {
        ses_value(&opts, seal, signer_cert, signer, xml, prop)
    })
}

/// Like [`seal_ofd`], on bytes in memory; returns the sealed package.
pub fn seal_ofd_bytes(
    input: &[u8],
    opts: &SealOfdOptions,
    seal: &crate::ses::Seal,
    signer_cert: &[u8],
    signer: &dyn crate::crypto::Signer,
) -> Result<Vec<u8>> {
    let opts = with_time(opts);
    let placement = placement_of(seal)?;
    seal_ofd_bytes_with(input, &opts, &placement, &mut |xml, prop| {
        ses_value(&opts, seal, signer_cert, signer, xml, prop)
    })
}

fn with_time(opts: &SealOfdOptions) -> SealOfdOptions {
    let mut o = opts.clone();
    o.signing_time = Some(opts.signing_time.unwrap_or_else(Time::now));
    o.signature_type = xml::SignatureType::Seal;
    o
}

fn placement_of(seal: &crate::ses::Seal) -> Result<SealPlacement<'_>> {
    let p = &seal.seal_info.picture;
    if p.width <= 0 || p.height <= 0 || p.width > 1000 || p.height > 1000 {
        return Err(Error::new(
            ErrorKind::MalformedSeal,
            format!(
                "seal picture size {} x {} mm is not usable",
                p.width, p.height
            ),
        ));
    }
    Ok(SealPlacement {
        seal_der: seal.raw_der(),
        width_mm: p.width as f64,
        height_mm: p.height as f64,
    })
}

fn ses_value(
    opts: &SealOfdOptions,
    seal: &crate::ses::Seal,
    signer_cert: &[u8],
    signer: &dyn crate::crypto::Signer,
    xml: &[u8],
    prop: &str,
) -> Result<Vec<u8>> {
    let time = opts.signing_time.unwrap_or_else(Time::now);
    let req = crate::ses::SignRequest::new(seal, signer_cert, prop, time);
    let s = crate::ses::sign_hash(&req, &crate::crypto::sm3(xml), signer)?;
    Ok(s.raw_der().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_xml_updates() {
        let old = br#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>7</ofd:MaxSignId><ofd:Signature ID="3" BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>"#;
        let new =
            update_signatures_xml("s", old, "Doc_0/Signs/Sign_1/Signature.xml", "Seal").unwrap();
        assert!(new.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:Signatures"));
        assert!(new.contains("<ofd:MaxSignId>8</ofd:MaxSignId><ofd:Signature ID=\"3\" BaseLoc=\"/Doc_0/Signs/Sign_0/Signature.xml\"/><ofd:Signature ID=\"8\" Type=\"Seal\" BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\"/></ofd:Signatures>"), "{new}");
        // Default namespace, no MaxSignId, IDs that are not numbers.
        let old = br#"<Signatures xmlns="http://www.ofdspec.org/2016"><Signature ID="s001" Type="Sign" BaseLoc="Sign_0/Signature.xml"/></Signatures>"#;
        let new =
            update_signatures_xml("s", old, "Doc_0/Signs/Sign_1/Signature.xml", "Seal").unwrap();
        assert!(new.ends_with("<Signature ID=\"1\" Type=\"Seal\" BaseLoc=\"/Doc_0/Signs/Sign_1/Signature.xml\"/></Signatures>"), "{new}");
        // Empty element.
        let new = update_signatures_xml(
            "s",
            b"<ofd:Signatures xmlns:ofd=\"x\"/>",
            "S/Signature.xml",
            "Sign",
        )
        .unwrap();
        assert_eq!(
            new,
            "<ofd:Signatures xmlns:ofd=\"x\"><ofd:Signature ID=\"1\" Type=\"Sign\" BaseLoc=\"/S/Signature.xml\"/></ofd:Signatures>"
        );
        // Attribute values are escaped.
        assert_eq!(esc("a&b\"<"), "a&amp;b&quot;&lt;");
        assert_eq!(fmt_mm(20.0), "20");
        assert_eq!(fmt_mm(30.5), "30.5");
        assert_eq!(fmt_mm(-0.0001), "0");
    }
}
