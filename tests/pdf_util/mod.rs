//! Shared helpers for the PDF tests: PDF generators, keys and certificates, seal pictures,
//! and access to external tools (qpdf, pdfsig, pdftoppm, python with pyhanko/pikepdf).
#![allow(dead_code)]

use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pdf::cms::{self, CmsProfile};
use eseal::pdf::sign::{PayloadKind, SealOptions, SealPicture};
use eseal::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate};
use eseal::pki::time::Time;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The status of check `id` of signature `sig` (`skip` when the check is not there).
pub fn status(r: &eseal::Report, sig: usize, id: &str) -> eseal::report::Status {
    r.signatures[sig]
        .checks
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.status)
        .unwrap_or(eseal::report::Status::Skip)
}

/// A fresh temporary directory under target/.
pub fn tmpdir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("pdf-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Options for the generated PDF.
#[derive(Clone)]
pub struct Gen {
    pub pages: usize,
    pub rotate: Option<i64>,
    pub inherit: bool,
    pub crop: Option<[f64; 4]>,
    pub annots_indirect: bool,
    pub pad_bytes: usize,
}

impl Default for Gen {
    fn default() -> Self {
        Gen {
            pages: 2,
            rotate: None,
            inherit: false,
            crop: None,
            annots_indirect: false,
            pad_bytes: 0,
        }
    }
}

/// A small classic-xref PDF with text on every page.
pub fn make_pdf(g: &Gen) -> Vec<u8> {
    let mut objs: Vec<String> = Vec::new();
    // 1 catalog, 2 pages, 3 font, then per page: page, content; then optional annots arrays.
    let n_pages = g.pages;
    let first_page = 4;
    let mut kids = Vec::new();
    for i in 0..n_pages {
        kids.push(format!("{} 0 R", first_page + 2 * i));
    }
    objs.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let mut pages = format!(
        "<< /Type /Pages /Kids [{}] /Count {}",
        kids.join(" "),
        n_pages
    );
    if g.inherit {
        pages += " /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>";
        if let Some(r) = g.rotate {
            pages += &format!(" /Rotate {r}");
        }
    }
    pages += " >>";
    objs.push(pages);
    objs.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    let annots_base = first_page + 2 * n_pages;
    for i in 0..n_pages {
        let mut p = format!(
            "<< /Type /Page /Parent 2 0 R /Contents {} 0 R",
            first_page + 2 * i + 1
        );
        if !g.inherit {
            p += " /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>";
            if let Some(r) = g.rotate {
                p += &format!(" /Rotate {r}");
            }
        }
        if let Some(c) = g.crop {
            p += &format!(" /CropBox [{} {} {} {}]", c[0], c[1], c[2], c[3]);
        }
        if g.annots_indirect {
            p += &format!(" /Annots {} 0 R", annots_base + i);
        }
        p += " >>";
        objs.push(p);
        let text = format!(
            "BT /F1 24 Tf 72 720 Td (Page {} of a test document) Tj ET\n{}",
            i + 1,
            "% padding\n".repeat(g.pad_bytes / 10 / n_pages.max(1))
        );
        objs.push(format!(
            "<< /Length {} >>\nstream\n{}\nendstream",
            text.len(),
            text
        ));
    }
    if g.annots_indirect {
        for _ in 0..n_pages {
            objs.push("[]".into());
        }
    }
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, o).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", objs.len() + 1).as_bytes());
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\nstartxref\n{xref}\n%%EOF\n", objs.len() + 1).as_bytes(),
    );
    out
}

/// A red seal picture: a ring and a dot on a transparent background, as RGBA PNG.
pub fn red_seal_png(size: u32) -> Vec<u8> {
    let mut px = Vec::with_capacity((size * size * 4) as usize);
    let c = size as f64 / 2.0;
    for y in 0..size {
        for x in 0..size {
            let d = ((x as f64 - c).powi(2) + (y as f64 - c).powi(2)).sqrt();
            let on = (d > c * 0.8 && d < c * 0.97) || d < c * 0.3;
            px.extend_from_slice(&if on { [220, 20, 20, 255] } else { [0, 0, 0, 0] });
        }
    }
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, size, size);
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    let mut w = e.write_header().unwrap();
    w.write_image_data(&px).unwrap();
    drop(w);
    out
}

/// A signer with a self-signed SM2 certificate.
pub struct TestSigner {
    pub signer: SoftwareSigner,
    pub cert: Vec<u8>,
}

pub fn test_signer(cn: &str) -> TestSigner {
    let key = PrivateKey::generate().unwrap();
    let signer = SoftwareSigner::new(key.clone());
    let name = NameBuilder::new()
        .common_name(cn)
        .organization("eseal test");
    let params = CertificateParams {
        serial: vec![0x01, 0x02, 0x03],
        subject: name.clone(),
        not_before: Time::from_civil(2025, 1, 1, 0, 0, 0).unwrap(),
        not_after: Time::from_civil(2035, 1, 1, 0, 0, 0).unwrap(),
        public_key: key.public_key().clone(),
        ca: None,
        key_usage: 1 | 2,
        extended_key_usage: vec![],
    };
    let cert = issue_certificate(
        &params,
        &Issuer {
            name_der: name.to_der().unwrap(),
            public_key: key.public_key().clone(),
            signer: &signer,
        },
    )
    .unwrap();
    TestSigner { signer, cert }
}

/// Default CMS seal options with the red PNG picture.
pub fn cms_options(page: usize, x: f64, y: f64) -> SealOptions {
    SealOptions {
        page,
        x_mm: x,
        y_mm: y,
        picture: Some(SealPicture {
            kind: "PNG".into(),
            data: red_seal_png(120),
            width_mm: 40.0,
            height_mm: 40.0,
        }),
        payload: PayloadKind::Cms,
        contents_size: 8192,
        reason: Some("测试 seal".into()),
        signing_time: Time::from_civil(2026, 3, 1, 8, 0, 0).unwrap(),
        ..SealOptions::default()
    }
}

/// Seals `input` into `output` with a CMS payload.
pub fn seal_cms(
    input: &Path,
    output: &Path,
    opts: &SealOptions,
    s: &TestSigner,
) -> eseal::Result<()> {
    eseal::pdf::seal_with(input, output, opts, |d| {
        cms::build_signed_data(
            &s.signer,
            &s.cert,
            &[],
            opts.signing_time,
            d,
            CmsProfile::Pkcs7,
        )
    })
}

/// Whether a tool exists; panics under CI when it is missing.
pub fn have(tool: &str) -> bool {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("{tool} not found (CI): run .ci/setup.d/pdf.sh");
        }
        eprintln!("skipped: {tool} not found");
    }
    ok
}

pub fn tools_dir() -> PathBuf {
    std::env::var_os("ESEAL_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".tools"))
}

/// Whether python can import `module` from $ESEAL_TOOLS/py; panics under CI when missing.
pub fn have_py(module: &str) -> bool {
    let ok = python()
        .arg("-c")
        .arg(format!("import {module}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!("python module {module} not found (CI): run .ci/setup.d/pdf.sh");
        }
        eprintln!("skipped: python module {module} not found");
    }
    ok
}

pub fn python() -> Command {
    let mut c = Command::new("python3");
    c.env("PYTHONPATH", tools_dir().join("py"));
    c
}

/// Runs a command, returning (success, stdout + stderr).
pub fn run(cmd: &mut Command) -> (bool, String) {
    let o = cmd.output().expect("run tool");
    let mut s = String::from_utf8_lossy(&o.stdout).into_owned();
    s.push_str(&String::from_utf8_lossy(&o.stderr));
    (o.status.success(), s)
}

/// qpdf --check, pdfsig, pikepdf, pyhanko and pdftoppm on a sealed file with `n` signatures.
pub fn external_checks(path: &Path, n: usize) {
    tool_checks(path, n);
    py_checks(&[(path, n, n)]);
}

/// qpdf --check passes and pdfsig lists `n` signatures.
pub fn tool_checks(path: &Path, n: usize) {
    if have("qpdf") {
        let (ok, out) = run(Command::new("qpdf").arg("--check").arg(path));
        assert!(
            ok && out.contains("No syntax or stream encoding errors"),
            "qpdf: {out}"
        );
    }
    if have("pdfsig") {
        let (_, out) = run(Command::new("pdfsig").arg(path));
        assert_eq!(out.matches("Signature #").count(), n, "pdfsig: {out}");
    }
}

/// pikepdf reads the fields and SigFlags; pyHanko finds `n` signatures and whole-file coverage
/// for the last one. One Python process for all files (imports are slow).
/// `files`: (path, signature fields, signatures pyHanko knows: it ignores SES SubFilters).
pub fn py_checks(files: &[(&Path, usize, usize)]) {
    if !have_py("pikepdf") || !have_py("pyhanko") {
        return;
    }
    let script = "import sys, pikepdf\nfrom pyhanko.pdf_utils.reader import PdfFileReader\nargs = sys.argv[1:]\nfor path, n in zip(args[::2], args[1::2]):\n    pdf = pikepdf.open(path)\n    fs = [f for f in pdf.Root.AcroForm.Fields if f.get('/FT') == '/Sig']\n    flags = int(pdf.Root.AcroForm.SigFlags)\n    sigs = PdfFileReader(open(path, 'rb')).embedded_signatures\n    print(path, len(fs), flags, len(sigs), sigs[-1].evaluate_signature_coverage().name)\n";
    let mut cmd = python();
    cmd.arg("-c").arg(script);
    for (p, n, _) in files {
        cmd.arg(p).arg(n.to_string());
    }
    let (ok, out) = run(&mut cmd);
    assert!(ok, "pikepdf/pyhanko: {out}");
    for (p, n, k) in files {
        let want = format!("{} {n} 3 {k} ENTIRE_FILE", p.display());
        assert!(
            out.lines().any(|l| l.trim() == want),
            "pikepdf/pyhanko: want {want:?} in {out}"
        );
    }
}

/// Writes a PDF of about `target` bytes (pages of ~100 KB content each), streamed to disk.
pub fn write_big_pdf(path: &Path, target: u64) {
    use std::io::Write;
    let f = std::fs::File::create(path).unwrap();
    let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
    let per_page: u64 = 100_000;
    let pages = (target / per_page).max(1) as usize;
    let mut pos: u64 = 0;
    let mut offsets = Vec::with_capacity(3 + 2 * pages);
    let put = |w: &mut std::io::BufWriter<std::fs::File>, pos: &mut u64, b: &[u8]| {
        w.write_all(b).unwrap();
        *pos += b.len() as u64;
    };
    put(&mut w, &mut pos, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
    offsets.push(pos);
    put(
        &mut w,
        &mut pos,
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
    );
    offsets.push(pos);
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    put(&mut w, &mut pos, format!("2 0 obj\n<< /Type /Pages /Kids [{}] /Count {pages} /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> >>\nendobj\n", kids.join(" ")).as_bytes());
    offsets.push(pos);
    put(
        &mut w,
        &mut pos,
        b"3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n",
    );
    let line = b"0.9 g 10 10 5 5 re f % filler to make the file large enough for the benchmark\n";
    for i in 0..pages {
        offsets.push(pos);
        put(
            &mut w,
            &mut pos,
            format!(
                "{} 0 obj\n<< /Type /Page /Parent 2 0 R /Contents {} 0 R >>\nendobj\n",
                4 + 2 * i,
                5 + 2 * i
            )
            .as_bytes(),
        );
        offsets.push(pos);
        let text = format!("BT /F1 24 Tf 72 720 Td (Big page {}) Tj ET\n", i + 1);
        let n = (per_page as usize - text.len()) / line.len();
        let len = text.len() + n * line.len();
        put(
            &mut w,
            &mut pos,
            format!("{} 0 obj\n<< /Length {len} >>\nstream\n", 5 + 2 * i).as_bytes(),
        );
        put(&mut w, &mut pos, text.as_bytes());
        for _ in 0..n {
            put(&mut w, &mut pos, line);
        }
        put(&mut w, &mut pos, b"\nendstream\nendobj\n");
    }
    let xref = pos;
    put(
        &mut w,
        &mut pos,
        format!("xref\n0 {}\n0000000000 65535 f\r\n", offsets.len() + 1).as_bytes(),
    );
    for o in &offsets {
        put(&mut w, &mut pos, format!("{o:010} 00000 n\r\n").as_bytes());
    }
    put(
        &mut w,
        &mut pos,
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            offsets.len() + 1
        )
        .as_bytes(),
    );
    w.flush().unwrap();
}
