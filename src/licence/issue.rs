//! Making licences from a template: one register row → one unsigned licence OFD, ready for
//! the authority's seal ([`crate::ofd::sign`]).
//!
//! The template is an OFD whose page text holds placeholders `{{name}}` (a column name of the
//! register, a GB/T 36903 field name such as `{{证照编号}}`, or a canonical name such as
//! `{{holder}}`). Filling:
//! - every `TextCode` holding a placeholder gets the value (its `DeltaX` is dropped, since the
//!   glyph count changes);
//! - the licence fields of the row go to OFD.xml DocInfo `CustomDatas` under their GB/T 36903
//!   names (GB/T 33190-2016 §7.4);
//! - a custom tag file `Doc_0/Tags/Tag_Certificate.xml` (namespace `http://www.cert.org/`,
//!   listed by `Tags/CustomTags.xml` with `TypeID="cert"`, named in Document.xml, §16) repeats
//!   each field and binds the ones shown on a page to their text object (`ObjectRef`);
//! - when the row has no 证照标识, one is made from 证照类型代码, 证照颁发机构代码, a serial
//!   (column `serial` or `流水号`, else 证照编号 with other characters removed) and version
//!   `001`, with its check character ([`super::identifier::Identifier::new`]).

use super::{canonical, codes, identifier::Identifier, label};
use crate::error::{Error, ErrorKind, Result};
use crate::ofd::package::{self, Limits, Package};
use crate::ofd::xml;
use std::io::{Cursor, Write};

/// The tag namespace written in the custom tag file.
pub const TAG_NS: &str = "http://www.cert.org/";

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

/// `s` escaped for XML text and attribute values.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A licence made from a row: the unsigned OFD and its identifier.
#[derive(Debug, Clone)]
pub struct Filled {
    /// The OFD package.
    pub ofd: Vec<u8>,
    /// The 证照标识.
    pub identifier: String,
}

/// Checks a row's codes before issuing: the authority code must be a valid USCC, the holder
/// code valid for its type; returns the row with the identifier added when missing.
pub fn prepare_row(row: &[(String, String)]) -> Result<(Vec<(String, String)>, String)> {
    let get = |c: &str| {
        row.iter()
            .find(|(k, v)| canonical(k) == Some(c) && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };
    let issuer_code = get("issuer_code").ok_or_else(|| bad("missing 证照颁发机构代码"))?;
    if !codes::is_valid_uscc(&issuer_code) {
        return Err(bad(format!(
            "证照颁发机构代码 {issuer_code} is not a valid 统一社会信用代码"
        )));
    }
    for need in ["holder", "type_code"] {
        if get(need).is_none() {
            return Err(bad(format!("missing {}", label(need))));
        }
    }
    if let Some(h) = get("holder_id") {
        let t = get("holder_id_type").unwrap_or_default();
        let ok = match t.as_str() {
            "111" => codes::is_valid_id_number(&h),
            "001" => codes::is_valid_uscc(&h),
            _ => true,
        };
        if !ok {
            return Err(bad(format!(
                "持证主体代码 {h} fails its check character (type {t})"
            )));
        }
    }
    let mut out = row.to_vec();
    let id = match get("licence_id") {
        Some(id) => {
            let p = Identifier::parse(&id).map_err(bad)?;
            if !matches!(
                p.check_character(),
                super::identifier::CheckCharacter::Standard
            ) {
                return Err(bad(format!("证照标识 {id}: wrong check character")));
            }
            id
        }
        None => {
            let serial = row
                .iter()
                .find(|(k, v)| (k == "serial" || k == "流水号") && !v.trim().is_empty())
                .map(|(_, v)| v.trim().to_string())
                .or_else(|| get("number"))
                .ok_or_else(|| bad("missing serial (流水号) or 证照编号 for the identifier"))?;
            let serial: String = serial
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            if serial.is_empty() {
                return Err(bad("the serial has no character 0-9 A-Z"));
            }
            let id = Identifier::new(
                &get("type_code").unwrap_or_default(),
                &issuer_code,
                &serial,
                1,
            )
            .map_err(bad)?
            .to_string();
            out.push(("证照标识".into(), id.clone()));
            id
        }
    };
    Ok((out, id))
}

/// Fills `template` (an OFD) with `row` ((column, value) pairs); see the module docs.
pub fn fill(template: &[u8], row: &[(String, String)]) -> Result<Filled> {
    let (row, identifier) = prepare_row(row)?;
    let pkg = Package::from_bytes(template, &Limits::default())?;
    let ofd_bytes = pkg
        .get("OFD.xml")
        .ok_or_else(|| bad("template has no OFD.xml"))?;
    let ofd = xml::parse_ofd_xml(ofd_bytes)?;
    let doc_root = ofd.bodies[0]
        .doc_root
        .clone()
        .ok_or_else(|| bad("template has no DocRoot"))?;
    let doc_path = package::resolve_in(&pkg, "OFD.xml", &doc_root)?;
    let doc_bytes = pkg
        .get(&doc_path)
        .ok_or_else(|| bad("template DocRoot missing"))?;
    let doc_text = std::str::from_utf8(doc_bytes).map_err(|_| bad("Document.xml is not UTF-8"))?;
    let doc = xml::parse(&doc_path, doc_bytes)?;
    if xml::child(doc.root_element(), "CustomTags").is_some() {
        return Err(bad("the template already has CustomTags"));
    }
    let folder = package::folder_of(&doc_path).to_string();
    let value_of = |name: &str| -> Option<String> {
        row.iter()
            .find(|(k, _)| {
                k == name || canonical(k).is_some_and(|c| Some(c) == canonical(name) || c == name)
            })
            .map(|(_, v)| v.clone())
    };

    // Pages: fill placeholders, remember bindings (field → page ID, object ID).
    let mut replaced: Vec<(String, Vec<u8>)> = Vec::new();
    let mut bindings: Vec<(String, String, String)> = Vec::new();
    let pages =
        xml::child(doc.root_element(), "Pages").ok_or_else(|| bad("template has no Pages"))?;
    for p in xml::children(pages, "Page") {
        let page_id = xml::attr(p, "ID").unwrap_or("").to_string();
        let Some(loc) = xml::attr(p, "BaseLoc") else {
            continue;
        };
        let path = package::resolve_in(&pkg, &doc_path, loc)?;
        let Some(bytes) = pkg.get(&path) else {
            continue;
        };
        let text = std::str::from_utf8(bytes).map_err(|_| bad(format!("{path} is not UTF-8")))?;
        let content = xml::parse(&path, bytes)?;
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for tc in content
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "TextCode")
        {
            let t = tc.text().unwrap_or("");
            if !t.contains("{{") {
                continue;
            }
            let mut out = String::new();
            let mut rest = t;
            while let Some(i) = rest.find("{{") {
                out.push_str(&rest[..i]);
                let Some(j) = rest[i..].find("}}") else {
                    out.push_str(&rest[i..]);
                    rest = "";
                    break;
                };
                let name = rest[i + 2..i + j].trim();
                let v = value_of(name).ok_or_else(|| bad(format!("missing field {name}")))?;
                if let Some(obj) = tc.parent_element() {
                    let key = canonical(name).map(label).unwrap_or(name).to_string();
                    if rest[..i].trim().is_empty() && rest[i + j + 2..].trim().is_empty() {
                        bindings.push((
                            key,
                            page_id.clone(),
                            xml::attr(obj, "ID").unwrap_or("").to_string(),
                        ));
                    }
                }
                out.push_str(&v);
                rest = &rest[i + j + 2..];
            }
            out.push_str(rest);
            // Rewrite the element: same name and attributes except DeltaX.
            let r = tc.range();
            let src = &text[r.clone()];
            let open_end = src.find('>').ok_or_else(|| bad("bad TextCode"))?;
            let qname_end = src[1..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map(|e| e + 1)
                .unwrap_or(open_end);
            let qname = &src[1..qname_end];
            let attrs: String = tc
                .attributes()
                .filter(|a| a.name() != "DeltaX")
                .map(|a| format!(" {}=\"{}\"", a.name(), esc(a.value())))
                .collect();
            edits.push((r, format!("<{qname}{attrs}>{}</{qname}>", esc(&out))));
        }
        if !edits.is_empty() {
            let mut s = text.to_string();
            for (r, rep) in edits.into_iter().rev() {
                s.replace_range(r, &rep);
            }
            replaced.push((path, s.into_bytes()));
        }
    }

    // Licence fields of the row, under their GB/T 36903 names.
    let fields: Vec<(&'static str, String)> = row
        .iter()
        .filter_map(|(k, v)| canonical(k).map(|c| (c, v.trim().to_string())))
        .filter(|(_, v)| !v.is_empty())
        .collect();

    // OFD.xml: CustomDatas in DocInfo.
    let ofd_text = std::str::from_utf8(ofd_bytes).map_err(|_| bad("OFD.xml is not UTF-8"))?;
    let ofd_doc = xml::parse("OFD.xml", ofd_bytes)?;
    let body = xml::child(ofd_doc.root_element(), "DocBody").ok_or_else(|| bad("no DocBody"))?;
    let info =
        xml::child(body, "DocInfo").ok_or_else(|| bad("the template's OFD.xml has no DocInfo"))?;
    let pfx = {
        let s = &ofd_text[info.range()];
        match s[1..].find(':') {
            Some(i) if s[1..1 + i].chars().all(|c| c.is_alphanumeric()) => {
                format!("{}:", &s[1..1 + i])
            }
            _ => String::new(),
        }
    };
    let datas: String = fields
        .iter()
        .map(|(c, v)| {
            format!(
                "<{pfx}CustomData Name=\"{}\">{}</{pfx}CustomData>",
                label(c),
                esc(v)
            )
        })
        .collect();
    let new_ofd = if let Some(cds) = xml::child(info, "CustomDatas") {
        let r = cds.range();
        let end = ofd_text[r.clone()]
            .rfind("</")
            .map(|i| r.start + i)
            .ok_or_else(|| bad("empty CustomDatas"))?;
        format!("{}{}{}", &ofd_text[..end], datas, &ofd_text[end..])
    } else {
        let r = info.range();
        let end = ofd_text[r.clone()]
            .rfind("</")
            .map(|i| r.start + i)
            .ok_or_else(|| bad("empty DocInfo"))?;
        format!(
            "{}<{pfx}CustomDatas>{datas}</{pfx}CustomDatas>{}",
            &ofd_text[..end],
            &ofd_text[end..]
        )
    };
    replaced.push(("OFD.xml".into(), new_ofd.into_bytes()));

    // Document.xml: name the custom tags (after CommonData… Pages, before Attachments etc.:
    // CT_Document order is CommonData, Pages, Outlines, Permissions, Actions, VPreferences,
    // Bookmarks, Attachments, Annotations, CustomTags, Extensions).
    let root = doc.root_element();
    let after = root
        .children()
        .rfind(|n| n.is_element() && n.tag_name().name() != "Extensions")
        .ok_or_else(|| bad("empty Document.xml"))?;
    let insert_at = after.range().end;
    let dpfx = {
        let s = &doc_text[root.range()];
        match s[1..].find(':') {
            Some(i) if s[1..1 + i].chars().all(|c| c.is_alphanumeric()) => {
                format!("{}:", &s[1..1 + i])
            }
            _ => String::new(),
        }
    };
    let new_doc = format!(
        "{}<{dpfx}CustomTags>Tags/CustomTags.xml</{dpfx}CustomTags>{}",
        &doc_text[..insert_at],
        &doc_text[insert_at..]
    );
    replaced.push((doc_path.clone(), new_doc.into_bytes()));

    let base = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let tags_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ofd:CustomTags xmlns:ofd=\"{}\"><ofd:CustomTag TypeID=\"cert\"><ofd:FileLoc>Tag_Certificate.xml</ofd:FileLoc></ofd:CustomTag></ofd:CustomTags>\n",
        crate::ofd::sign::OFD_NS
    );
    let mut tag = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cert:Certificate xmlns:cert=\"{TAG_NS}\">"
    );
    for (c, v) in &fields {
        let name = label(c);
        let binding = bindings.iter().find(|(k, _, _)| k == name);
        match binding {
            Some((_, page, obj)) => tag.push_str(&format!(
                "<cert:{name} Value=\"{}\"><cert:ObjectRef PageRef=\"{}\">{}</cert:ObjectRef></cert:{name}>",
                esc(v), esc(page), esc(obj)
            )),
            None => tag.push_str(&format!("<cert:{name}>{}</cert:{name}>", esc(v))),
        }
    }
    tag.push_str("</cert:Certificate>\n");
    let added = [
        (format!("{base}Tags/CustomTags.xml"), tags_xml.into_bytes()),
        (format!("{base}Tags/Tag_Certificate.xml"), tag.into_bytes()),
    ];

    // Write the package.
    let zerr = |e: zip::result::ZipError| Error::new(ErrorKind::MalformedOfd, format!("zip: {e}"));
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(template.len() + 8192)));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for f in pkg.files() {
        if added.iter().any(|(n, _)| *n == f.name) {
            return Err(bad(format!("the template already has {}", f.name)));
        }
        let data = replaced
            .iter()
            .find(|(n, _)| *n == f.name)
            .map(|(_, d)| d.as_slice())
            .or_else(|| pkg.get(&f.name))
            .unwrap_or_default();
        w.start_file(f.name.as_str(), o).map_err(zerr)?;
        w.write_all(data)?;
    }
    for (n, d) in &added {
        w.start_file(n.as_str(), o).map_err(zerr)?;
        w.write_all(d)?;
    }
    let ofd = w.finish().map_err(zerr)?.into_inner();
    Ok(Filled { ofd, identifier })
}

/// Reads one CSV record (RFC 4180: `,` separators, `"` quoting with `""` escapes, newlines
/// inside quotes) from `r`; `None` at the end.
pub fn read_csv_record(r: &mut impl std::io::BufRead) -> std::io::Result<Option<Vec<String>>> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    loop {
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cur.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cur.push(c),
                (false, '"') if cur.is_empty() => quoted = true,
                (false, ',') => fields.push(std::mem::take(&mut cur)),
                (false, '\r' | '\n') => {}
                (false, c) => cur.push(c),
            }
        }
        if !quoted {
            break;
        }
        line.clear();
        if r.read_line(&mut line)? == 0 {
            break;
        }
    }
    fields.push(cur);
    if let Some(f) = fields.first_mut()
        && let Some(s) = f.strip_prefix('\u{feff}')
    {
        *f = s.to_string();
    }
    Ok(Some(fields))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// What a register run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueSummary {
    /// Licences written by this run.
    pub issued: u64,
    /// Rows whose licence already existed (resumed runs).
    pub skipped: u64,
    /// Rows that failed: (row number, 1-based after the header; message).
    pub errors: Vec<(u64, String)>,
}

/// Threads that fsync and rename written licences (disk waits overlap the sealing).
const SYNCERS: usize = 16;

/// Options of [`issue_register`].
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// Worker threads (0: one per core).
    pub jobs: usize,
}

/// Issues one sealed licence per register row: reads `register` (CSV with a header of field
/// names) row by row (memory does not grow with the rows), fills `template` ([`fill`]), seals
/// with `seal` (the unsigned OFD in, the sealed OFD out), and writes `<out_dir>/<identifier>.ofd`
/// through a temporary file and a rename. A row whose file exists is skipped (runs resume). A
/// failing row is recorded and the run goes on. At the end `<out_dir>/manifest.csv`
/// (`row,identifier,file,sm3`, every issued or skipped row) and, when rows failed,
/// `<out_dir>/errors.csv` are written (atomically). `progress(done)` is called after each row.
pub fn issue_register(
    template: &[u8],
    register: impl std::io::BufRead + Send,
    out_dir: &std::path::Path,
    seal: &(dyn Fn(&[u8]) -> Result<Vec<u8>> + Sync),
    opts: &IssueOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<IssueSummary> {
    issue_register_as(
        LicenceFormat::Ofd,
        template,
        register,
        out_dir,
        seal,
        opts,
        progress,
    )
}

/// The container of issued licences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenceFormat {
    /// OFD: the template is an OFD with `{{field}}` placeholders ([`fill`]).
    Ofd,
    /// PDF: the template is a PDF form ([`super::pdf_fill::fill`]).
    Pdf,
}

impl LicenceFormat {
    /// The file extension of issued licences.
    pub fn extension(self) -> &'static str {
        match self {
            LicenceFormat::Ofd => "ofd",
            LicenceFormat::Pdf => "pdf",
        }
    }
}

/// [`issue_register`] for either container: `template` is an OFD or a PDF form as `format`
/// says, `seal` turns the unsigned licence into the sealed one, files are
/// `<out_dir>/<identifier>.ofd` or `.pdf`.
pub fn issue_register_as(
    format: LicenceFormat,
    template: &[u8],
    register: impl std::io::BufRead + Send,
    out_dir: &std::path::Path,
    seal: &(dyn Fn(&[u8]) -> Result<Vec<u8>> + Sync),
    opts: &IssueOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<IssueSummary> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("{}: {e}", out_dir.display()));
    std::fs::create_dir_all(out_dir).map_err(io)?;
    let mut register = register;
    let header = read_csv_record(&mut register)
        .map_err(io)?
        .ok_or_else(|| bad("the register is empty"))?;
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
    let source = Mutex::new((register, 0u64));
    let manifest_tmp = out_dir.join(".manifest.csv.partial");
    let manifest = Mutex::new(std::io::BufWriter::new(
        std::fs::File::create(&manifest_tmp).map_err(io)?,
    ));
    let errors = Mutex::new(Vec::new());
    let (issued, skipped, done) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
    let jobs = if opts.jobs == 0 {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    } else {
        opts.jobs
    };
    // A licence written to a temporary file, waiting for its fsync and rename.
    struct Pending {
        row: u64,
        id: String,
        file: String,
        digest: String,
        tmp: std::path::PathBuf,
        handle: std::fs::File,
    }
    enum Outcome {
        Skipped(String, String, String),
        Written(Box<Pending>),
    }
    let sm3_hex = |bytes: &[u8]| -> String {
        crate::crypto::sm3::sm3(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    let tmp_counter = AtomicU64::new(0);
    let one = |n: u64, rec: Vec<String>| -> Result<Outcome> {
        if rec.len() != header.len() {
            return Err(bad(format!(
                "{} fields, the header has {}",
                rec.len(),
                header.len()
            )));
        }
        let row: Vec<(String, String)> = header.iter().cloned().zip(rec).collect();
        let (_, id) = prepare_row(&row)?;
        let file = format!("{id}.{}", format.extension());
        let path = out_dir.join(&file);
        if let Ok(b) = std::fs::read(&path) {
            return Ok(Outcome::Skipped(id, file, sm3_hex(&b)));
        }
        let unsigned = match format {
            LicenceFormat::Ofd => fill(template, &row)?.ofd,
            LicenceFormat::Pdf => {
                super::pdf_fill::fill(template, &row, crate::pki::Time::now())?.pdf
            }
        };
        let sealed = seal(&unsigned)?;
        let tmp = out_dir.join(format!(
            ".{file}.{}.{}.tmp",
            std::process::id(),
            tmp_counter.fetch_add(1, Ordering::Relaxed)
        ));
        let mut handle = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(io)?;
        if let Err(e) = handle.write_all(&sealed) {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        Ok(Outcome::Written(Box::new(Pending {
            row: n,
            digest: sm3_hex(&sealed),
            id,
            file,
            tmp,
            handle,
        })))
    };
    let record = |n: u64, id: &str, file: &str, digest: &str| {
        let mut m = manifest.lock().unwrap_or_else(|p| p.into_inner());
        let _ = writeln!(m, "{n},{},{},{digest}", csv_field(id), csv_field(file));
    };
    // Written licences are made durable (fsync, then the rename to their name) by syncer
    // threads, so that the workers do not wait for the disk; a licence file therefore exists
    // only complete, and a resumed run can trust it.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Box<Pending>>(4 * jobs);
    let rx = Mutex::new(rx);
    std::thread::scope(|s| {
        for _ in 0..SYNCERS {
            s.spawn(|| {
                loop {
                    let job = rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                    let Ok(p) = job else { break };
                    let path = out_dir.join(&p.file);
                    match p
                        .handle
                        .sync_all()
                        .and_then(|_| std::fs::rename(&p.tmp, &path))
                    {
                        Ok(()) => {
                            issued.fetch_add(1, Ordering::Relaxed);
                            record(p.row, &p.id, &p.file, &p.digest);
                        }
                        Err(e) => {
                            let _ = std::fs::remove_file(&p.tmp);
                            errors
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .push((p.row, format!("{}: {e}", path.display())));
                        }
                    }
                }
            });
        }
        for _ in 0..jobs {
            let tx = tx.clone();
            let (source, errors, done, skipped) = (&source, &errors, &done, &skipped);
            let (one, record) = (&one, &record);
            s.spawn(move || {
                loop {
                    let next = {
                        let mut g = source.lock().unwrap_or_else(|p| p.into_inner());
                        let (r, n) = &mut *g;
                        match read_csv_record(r) {
                            Ok(Some(rec)) if rec.iter().all(|f| f.trim().is_empty()) => {
                                *n += 1;
                                continue;
                            }
                            Ok(Some(rec)) => {
                                *n += 1;
                                Some((*n, Ok(rec)))
                            }
                            Ok(None) => None,
                            Err(e) => {
                                *n += 1;
                                Some((*n, Err(e.to_string())))
                            }
                        }
                    };
                    let Some((n, rec)) = next else { break };
                    match rec.map_err(bad).and_then(|r| one(n, r)) {
                        Ok(Outcome::Skipped(id, file, digest)) => {
                            skipped.fetch_add(1, Ordering::Relaxed);
                            record(n, &id, &file, &digest);
                        }
                        Ok(Outcome::Written(p)) => {
                            if let Err(std::sync::mpsc::SendError(p)) = tx.send(p) {
                                let _ = std::fs::remove_file(&p.tmp);
                            }
                        }
                        Err(e) => errors
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push((n, e.to_string())),
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                }
            });
        }
        drop(tx);
    });
    let mut m = manifest.into_inner().unwrap_or_else(|p| p.into_inner());
    m.flush().map_err(io)?;
    drop(m);
    // Sorted by row, with a header.
    let body = std::fs::read_to_string(&manifest_tmp).map_err(io)?;
    let _ = std::fs::remove_file(&manifest_tmp);
    let mut lines: Vec<(u64, &str)> = body
        .lines()
        .filter_map(|l| Some((l.split(',').next()?.parse().ok()?, l)))
        .collect();
    lines.sort();
    let mut out = String::from("row,identifier,file,sm3\n");
    for (_, l) in lines {
        out.push_str(l);
        out.push('\n');
    }
    crate::ofd::sign::write_atomically(&out_dir.join("manifest.csv"), out.as_bytes())?;
    let mut errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    errors.sort();
    if !errors.is_empty() {
        let mut e = String::from("row,error\n");
        for (n, msg) in &errors {
            e.push_str(&format!("{n},{}\n", csv_field(msg)));
        }
        crate::ofd::sign::write_atomically(&out_dir.join("errors.csv"), e.as_bytes())?;
    }
    Ok(IssueSummary {
        issued: issued.into_inner(),
        skipped: skipped.into_inner(),
        errors,
    })
}
