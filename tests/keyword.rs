//! Keyword positioning on PDFs from three producers (test-vectors/producers: ReportLab with
//! standard fonts and Form XObjects, Ghostscript ps2pdf, ReportLab's UniGB-UCS2-H CID font,
//! fpdf2's Identity-H TrueType font with a ToUnicode CMap) and on ofdrw's OFD samples
//! (DeltaX with fewer values than characters, nested PageBlock, templates, `g` deltas): the
//! text positions, then sealing through the library and the CLI.
//!
//! Expected PDF positions: the x extents were read with poppler's `pdftotext -bbox` (an
//! independent text extractor); the vertical centre is the baseline + 0.3 em, this module's
//! glyph box convention.

mod common;
mod ofd_common;

use common::{eseal_cli as eseal, output_text as text};
use eseal::keyword::{KeywordSpec, Occurrence};
use eseal::pdf::Document;
use std::path::{Path, PathBuf};
use std::process::Command;

const PT: f64 = 72.0 / 25.4;

fn producers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors/producers")
}

fn spec(text: &str, occ: Occurrence) -> KeywordSpec {
    KeywordSpec {
        occurrence: occ,
        ..KeywordSpec::new(text)
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// (file, keyword, hits, [(page, centre x pt, centre y from the top in pt)] of the first hits)
type Case = (
    &'static str,
    &'static str,
    usize,
    &'static [(usize, f64, f64)],
);

const PDF_CASES: &[Case] = &[
    // "Comp" + "any " (Helvetica) + "Seal" (Times) at (100, 500), 14 pt; then in a Form XObject
    // at (300, 400), 12 pt, and the same form under a 2× scale at (100, 200).
    (
        "reportlab_latin.pdf",
        "Company Seal",
        3,
        &[
            (1, (100.0 + 187.906) / 2.0, 841.8898 - (500.0 + 0.3 * 14.0)),
            (2, (300.0 + 378.696) / 2.0, 841.8898 - (400.0 + 0.3 * 12.0)),
            (2, 100.0 + 78.696, 841.8898 - (200.0 + 0.3 * 24.0)),
        ],
    ),
    // Times-Roman 18 pt under `1.5 1.5 scale`, shown as "AUTHOR" + " SIGNATURE"; no /Widths.
    (
        "gs_ps2pdf.pdf",
        "SIGNATURE",
        1,
        &[(1, (419.232 + 572.214) / 2.0, 842.0 - (300.0 + 0.3 * 27.0))],
    ),
    // STSong-Light, UniGB-UCS2-H, 16 pt: "（盖章）" at x 320..384.
    (
        "reportlab_cid.pdf",
        "盖章",
        2,
        &[
            (1, 352.0, 841.8898 - (400.0 + 0.3 * 16.0)),
            (1, 352.0, 841.8898 - (300.0 + 0.3 * 16.0)),
        ],
    ),
    // Identity-H + ToUnicode, 14 pt: "甲方（盖章）：" at x 85.04..183.04, baseline 150 mm.
    (
        "fpdf2_identity_h.pdf",
        "（盖章）",
        4,
        &[
            (1, 85.04 + 2.0 * 14.0 + 28.0, 150.0 * PT - 0.3 * 14.0),
            (1, 340.16 + 2.0 * 14.0 + 28.0, 150.0 * PT - 0.3 * 14.0),
            (2, 85.04 + 2.0 * 14.0 + 28.0, 150.0 * PT - 0.3 * 14.0),
        ],
    ),
];

#[test]
fn pdf_keyword_positions_from_three_producers() {
    for (file, kw, n, expect) in PDF_CASES {
        let doc = Document::open(&producers().join(file)).unwrap();
        let hits = eseal::pdf::text::find_keyword(&doc, &spec(kw, Occurrence::All)).unwrap();
        assert_eq!(hits.len(), *n, "{file}: {hits:?}");
        for (hit, (page, x, y)) in hits.iter().zip(expect.iter()) {
            let (cx, cy) = hit.centre();
            assert_eq!(hit.page, *page, "{file}");
            assert!(close(cx, x / PT, 0.5), "{file}: x {cx} vs {}", x / PT);
            assert!(close(cy, y / PT, 0.5), "{file}: y {cy} vs {}", y / PT);
        }
    }
    // The text itself, as shown.
    let doc = Document::open(&producers().join("fpdf2_identity_h.pdf")).unwrap();
    let t = eseal::pdf::text::page_text(&doc, 2).unwrap().text();
    assert!(
        t.contains("电子合同 第二页") && t.contains("乙方（盖章）："),
        "{t}"
    );
    let doc = Document::open(&producers().join("reportlab_cid.pdf")).unwrap();
    let t = eseal::pdf::text::page_text(&doc, 1).unwrap().text();
    assert!(t.contains("甲方：某某有限公司"), "{t}");
    // Occurrence selection and the not-found message.
    let doc = Document::open(&producers().join("reportlab_latin.pdf")).unwrap();
    let h =
        eseal::pdf::text::find_keyword(&doc, &spec("Company Seal", Occurrence::Nth(3))).unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].page, 2);
    let e = eseal::pdf::text::find_keyword(&doc, &spec("Company Seal", Occurrence::Nth(4)))
        .unwrap_err()
        .to_string();
    assert!(e.contains("occurs 3 time(s) on pages 1-3"), "{e}");
    let e = eseal::pdf::text::find_keyword(&doc, &KeywordSpec::new("Stamp"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"Stamp\" not found on pages 1-3"), "{e}");
}

#[test]
fn ofd_keyword_positions_on_samples() {
    let Some(dir) = ofd_common::samples() else {
        return;
    };
    let open = |f: &str| eseal::ofd::Package::open(dir.join(f), &Default::default()).unwrap();
    // One TextCode, the keyword five times; 9 DeltaX values for 26 characters (the last one is
    // reused). First 哈 is character 10: x = 31.197 + 0.553 + Σ(10 deltas).
    let pkg = open("multiKeywordInTextCode.ofd");
    let hits = eseal::ofd::text::find_keyword(&pkg, &spec("哈哈", Occurrence::All)).unwrap();
    assert_eq!(hits.len(), 5, "{hits:?}");
    let x10 = 31.197 + 0.553 + 5.0 * 3.6829 + 4.0 * 3.7251 + 3.6829;
    let (cx, cy) = hits[0].centre();
    assert!(close(cx, x10 + 3.6829, 1e-6), "{cx}");
    assert!(close(cy, 26.2888 + 3.175 - 0.3 * 3.6865, 1e-6), "{cy}");
    // Text inside nested PageBlocks, with an entity in it.
    let pkg = open("helloworld_with_pageblock.ofd");
    let hits = eseal::ofd::text::find_keyword(&pkg, &KeywordSpec::new("Reader&Writer")).unwrap();
    let x0 = 31.7 + 4.0 * 3.0 + 4.0 * 1.5;
    assert!(close(hits[0].rect_mm[0], x0, 1e-6), "{:?}", hits[0]);
    // Templates: labels live in Tpl_0; values in the page with `g` deltas.
    let pkg = open("fptpl.ofd");
    let page = eseal::ofd::text::page_text(&pkg, 1).unwrap();
    let label = page
        .runs
        .iter()
        .find(|r| r.text == "发票代码：")
        .expect("template text");
    assert!(label.from_template);
    let code = page.runs.iter().find(|r| r.text == "050001700111").unwrap();
    assert!(!code.from_template);
    for (k, g) in code.glyphs.iter().enumerate() {
        assert!(close(g.origin.0, 164.0 + 1.5875 * k as f64, 1e-9), "{k}");
        assert!(close(g.origin.1, 6.2 + 4.0875, 1e-9));
    }
    assert!(eseal::ofd::text::find_keyword(&pkg, &KeywordSpec::new("发票代码")).is_ok());
    let e = eseal::ofd::text::find_keyword(&pkg, &KeywordSpec::new("合同章"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"合同章\" not found on page 1"), "{e}");
}

/// A folder with the demo's seal and keys (`eseal demo`).
fn demo_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("keyword-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let o = eseal(&dir, &["demo", "--dir", "d"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    dir
}

const KEY: &[&str] = &[
    "--seal",
    "d/demo.esl",
    "--key",
    "d/signer.key",
    "--cert",
    "d/signer.pem",
    "--password",
    "eseal-demo",
];

fn verify_valid(dir: &Path, file: &str) {
    let o = eseal(dir, &["verify", "--trust", "d/root.pem", file]);
    assert_eq!(o.status.code(), Some(0), "{file}: {}", text(&o));
}

/// Widget rectangles of the signature fields, with their pages (object numbers).
fn widget_rects(doc: &Document) -> Vec<[f64; 4]> {
    let (_, cat) = doc.catalog().unwrap();
    let acro = doc
        .resolve_dict(cat.get("AcroForm").unwrap(), "af")
        .unwrap();
    let fields = doc.resolve(acro.get("Fields").unwrap()).unwrap();
    let mut out = Vec::new();
    for f in fields.as_array().unwrap() {
        let d = doc.resolve_dict(f, "f").unwrap();
        let widgets: Vec<eseal::pdf::object::Dict> = match d.get("Kids") {
            Some(k) => doc
                .resolve(k)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|w| doc.resolve_dict(w, "w").unwrap())
                .collect(),
            None => vec![d.clone()],
        };
        for w in widgets {
            out.push(eseal::pdf::document::rect(w.get("Rect").unwrap()).unwrap());
        }
    }
    out
}

#[test]
fn cli_seals_pdf_and_ofd_on_keywords() {
    let dir = demo_dir("cli");
    let p = producers();
    for (file, kw, n, expect) in PDF_CASES {
        let out = format!("sealed-{file}");
        let mut args = vec!["sign-pdf"];
        args.extend_from_slice(KEY);
        let input = p.join(file);
        let input = input.to_str().unwrap();
        args.extend_from_slice(&[
            "--keyword",
            kw,
            "--keyword-index",
            "all",
            "--offset-y",
            "-2",
            input,
            "-o",
            &out,
        ]);
        let o = eseal(&dir, &args);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", text(&o));
        verify_valid(&dir, &out);
        if ofd_common_have("qpdf") {
            let q = Command::new("qpdf")
                .args(["--check", dir.join(&out).to_str().unwrap()])
                .output()
                .unwrap();
            assert!(q.status.success(), "qpdf --check {out}: {}", text(&q));
        }
        // One field; a widget per occurrence, centred on it (2 mm higher), 40 mm wide.
        let doc = Document::open(&dir.join(&out)).unwrap();
        let rects = widget_rects(&doc);
        assert_eq!(rects.len(), *n, "{file}");
        for (r, (_, x, y)) in rects.iter().zip(expect.iter()) {
            let h = doc.page(1).unwrap().crop_box[3];
            let (cx, cy) = ((r[0] + r[2]) / 2.0, h - (r[1] + r[3]) / 2.0);
            assert!(close(cx, *x, 0.5 * PT), "{file}: {cx} vs {x}");
            assert!(close(cy, y - 2.0 * PT, 0.5 * PT), "{file}: {cy} vs {y}");
            assert!(close(r[2] - r[0], 40.0 * PT, 0.01), "{r:?}");
        }
    }
    // Not found: exit 2, the keyword and the pages named, nothing written.
    let mut args = vec!["sign-pdf"];
    args.extend_from_slice(KEY);
    let input = p.join("gs_ps2pdf.pdf");
    args.extend_from_slice(&[
        "--keyword",
        "盖章",
        input.to_str().unwrap(),
        "-o",
        "none.pdf",
    ]);
    let o = eseal(&dir, &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("keyword \"盖章\" not found on pages 1-2"),
        "{}",
        text(&o)
    );
    assert!(!dir.join("none.pdf").exists());
    assert!(
        !std::fs::read_dir(&dir).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("tmp")),
        "a temporary file was left behind"
    );

    // OFD samples.
    let Some(samples) = ofd_common::samples() else {
        return;
    };
    for (file, kw, idx, stamps) in [
        ("multiKeywordInTextCode.ofd", "哈哈", "all", 5),
        ("helloworld_with_pageblock.ofd", "Reader&Writer", "1", 1),
        ("fptpl.ofd", "发票代码", "1", 1),
    ] {
        let out = format!("sealed-{file}");
        let input = samples.join(file);
        let mut args = vec!["sign-ofd"];
        args.extend_from_slice(KEY);
        args.extend_from_slice(&[
            "--keyword",
            kw,
            "--keyword-index",
            idx,
            input.to_str().unwrap(),
            "-o",
            &out,
        ]);
        let o = eseal(&dir, &args);
        assert_eq!(o.status.code(), Some(0), "{file}: {}", text(&o));
        verify_valid(&dir, &out);
        let pkg = eseal::ofd::Package::open(dir.join(&out), &Default::default()).unwrap();
        let sig = pkg
            .files()
            .iter()
            .find(|f| f.name.ends_with("Sign_0/Signature.xml"))
            .unwrap();
        let x = eseal::ofd::xml::parse_signature_xml("s", &sig.data).unwrap();
        assert_eq!(x.stamp_annots.len(), stamps, "{file}");
        let hits = eseal::ofd::text::find_keyword(
            &eseal::ofd::Package::open(&input, &Default::default()).unwrap(),
            &spec(kw, idx.parse().unwrap()),
        )
        .unwrap();
        for (s, h) in x.stamp_annots.iter().zip(&hits) {
            let b = s.boundary.unwrap();
            let (cx, cy) = h.centre();
            assert!(close(b[0] + b[2] / 2.0, cx, 0.001) && close(b[1] + b[3] / 2.0, cy, 0.001));
        }
    }
    let mut args = vec!["sign-ofd"];
    args.extend_from_slice(KEY);
    let input = samples.join("helloworld.ofd");
    args.extend_from_slice(&[
        "--keyword",
        "盖章",
        input.to_str().unwrap(),
        "-o",
        "none.ofd",
    ]);
    let o = eseal(&dir, &args);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("\"盖章\" not found on page 1"),
        "{}",
        text(&o)
    );
    assert!(!dir.join("none.ofd").exists());
}

fn ofd_common_have(tool: &str) -> bool {
    let ok = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} not found (CI): run .ci/setup.d/pdf.sh"
        );
        eprintln!("skipped: {tool} checks (not installed)");
    }
    ok
}
