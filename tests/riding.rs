//! Riding seals (骑缝章) through the library and the CLI: one signature whose widgets (PDF) or
//! StampAnnots (OFD) are the strips of the picture, one per page; Bouncy Castle verifies the CMS
//! over the ByteRange, qpdf checks the file, pdftoppm renders the pages and the strips' red
//! pixels line up at the same height against the edge; a 1-page document is refused; removing
//! a page of a riding-sealed OFD makes it invalid.

mod common;
mod ofd_common;
mod pdf_util;
mod render_util;

use common::{java, require_tool};
use eseal::pdf::Document;
use eseal::riding::{Edge, PageSelection, RidingSpec};
use pdf_util::*;
use std::path::PathBuf;

const PT: f64 = 72.0 / 25.4;

fn producers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors/producers")
}

fn riding_opts(edge: Edge) -> eseal::pdf::SealOptions {
    eseal::pdf::SealOptions {
        riding: Some(RidingSpec {
            edge,
            pages: PageSelection::All,
            at_mm: Some(100.0),
        }),
        ..cms_options(1, 0.0, 0.0)
    }
}

/// Widget rectangles (user space) with their page object numbers, of the one field.
fn strips(doc: &Document) -> Vec<(u32, [f64; 4])> {
    let (_, cat) = doc.catalog().unwrap();
    let acro = doc
        .resolve_dict(cat.get("AcroForm").unwrap(), "af")
        .unwrap();
    let fields = doc.resolve(acro.get("Fields").unwrap()).unwrap();
    let fields = fields.as_array().unwrap();
    assert_eq!(fields.len(), 1, "one signature field");
    let f = doc.resolve_dict(&fields[0], "f").unwrap();
    let kids = doc
        .resolve(f.get("Kids").expect("widgets as kids"))
        .unwrap();
    kids.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            let w = doc.resolve_dict(k, "w").unwrap();
            let p = w.get("P").and_then(|p| p.as_ref()).unwrap().0;
            (
                p,
                eseal::pdf::document::rect(w.get("Rect").unwrap()).unwrap(),
            )
        })
        .collect()
}

/// The document with an incremental update whose page tree root lists `kids`.
fn with_page_tree(doc: &Document, kids: &[(u32, u16)]) -> Vec<u8> {
    let mut out = doc.read_at(0, doc.len() as usize).unwrap();
    let (root, cat) = doc.catalog().unwrap();
    let (n, g) = cat.get("Pages").and_then(|p| p.as_ref()).unwrap();
    let kids: Vec<String> = kids.iter().map(|(k, g)| format!("{k} {g} R")).collect();
    let off = out.len() + 1;
    out.extend(
        format!(
            "\n{n} {g} obj\n<< /Type /Pages /Kids [{}] /Count {} >>\nendobj\n",
            kids.join(" "),
            kids.len()
        )
        .bytes(),
    );
    let xref = out.len();
    out.extend(
        format!(
            "xref\n0 1\n0000000000 65535 f\r\n{n} 1\n{off:010} {g:05} n\r\ntrailer\n<< /Size {} /Root {} {} R /Prev {} >>\nstartxref\n{xref}\n%%EOF\n",
            doc.size(),
            root.0,
            root.1,
            doc.startxref().unwrap()
        )
        .bytes(),
    );
    out
}

#[test]
fn pdf_riding_seal_one_field_strips_line_up() {
    let dir = tmpdir("riding");
    let input = producers().join("reportlab_latin.pdf");
    let out = dir.join("riding.pdf");
    let signer = test_signer("Riding");
    seal_cms(&input, &out, &riding_opts(Edge::Right), &signer).unwrap();
    let doc = Document::open(&out).unwrap();
    let report = eseal::pdf::verify_document(&doc, "riding.pdf", &Default::default());
    assert_eq!(report.signatures.len(), 1, "{}", report.to_json());
    let sr = &report.signatures[0];
    assert_eq!(
        report.verdict,
        eseal::Verdict::Indeterminate,
        "no trust anchor"
    );
    let riding = sr.riding.as_ref().expect("the riding layout is reported");
    assert_eq!(
        (riding.pages.as_slice(), riding.strips),
        (&[1, 2, 3][..], 3)
    );
    let j = report.to_json();
    assert_eq!(j["signatures"][0]["riding"]["strips"], 3, "{j}");
    assert_eq!(j["signatures"][0]["riding"]["pages"][2], 3, "{j}");
    // A page removed or two pages swapped in an update after sealing: invalid.
    let pages = doc.page_ids().unwrap();
    for (what, kids) in [
        ("removed", vec![pages[0], pages[1]]),
        ("reordered", vec![pages[1], pages[0], pages[2]]),
    ] {
        let bad = dir.join(format!("{what}.pdf"));
        std::fs::write(&bad, with_page_tree(&doc, &kids)).unwrap();
        let d = Document::open(&bad).unwrap();
        assert_eq!(d.page_ids().unwrap(), kids, "{what}: the update is read");
        let r = eseal::pdf::verify_document(&d, "bad.pdf", &Default::default());
        assert_eq!(
            r.verdict,
            eseal::Verdict::Invalid,
            "{what}: {}",
            r.to_json()
        );
        assert_eq!(
            status(&r, 0, "modifications"),
            eseal::report::Status::Fail,
            "{what}: {}",
            r.to_json()
        );
        // Caught by the page tree change itself, before any riding-specific rule.
        let m = r.find_check("modifications").unwrap();
        assert!(m.message.contains("page tree"), "{what}: {}", m.message);
    }
    let s = strips(&doc);
    assert_eq!(s.len(), 3);
    let w = 595.2756;
    for (i, (p, r)) in s.iter().enumerate() {
        assert_eq!(*p, pages[i].0, "strip {i} on page {}", i + 1);
        assert!((r[2] - w).abs() < 1e-3, "against the right edge: {r:?}");
        assert!((r[2] - r[0] - 40.0 * PT / 3.0).abs() < 1e-3, "a third wide");
        assert!((r[3] - (841.8898 - 100.0 * PT)).abs() < 1e-3, "at 100 mm");
    }
    // One page: refused, nothing written.
    let one = dir.join("one.pdf");
    std::fs::write(
        &one,
        make_pdf(&Gen {
            pages: 1,
            ..Gen::default()
        }),
    )
    .unwrap();
    let e = seal_cms(&one, &dir.join("x.pdf"), &riding_opts(Edge::Right), &signer)
        .unwrap_err()
        .to_string();
    assert!(e.contains("at least 2 pages"), "{e}");
    assert!(!dir.join("x.pdf").exists());

    // Independent checks: qpdf, Bouncy Castle over the ByteRange, pdftoppm's rendering.
    if have("qpdf") {
        let q = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&out)
            .output()
            .unwrap();
        assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stdout));
    }
    if require_tool("bouncycastle") {
        let o = java("PdfCmsCheck").arg(&out).output().unwrap();
        let t =
            String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() && t.contains("OK"), "{t}");
    }
    if have("pdftoppm") {
        // At 72 dpi one pixel is one point: every page has red pixels only in the right band
        // of 40/3 mm, in rows 100..140 mm from the top, and together the strips span the seal.
        let mut rows = Vec::new();
        for page in 1..=3 {
            let im = render_util::render_pdf_page(&out, page, 72);
            let (pw, red) = (im.w, im.red());
            assert!(!red.is_empty(), "page {page} shows its strip");
            let band = (40.0 * PT / 3.0).ceil() as usize + 1;
            assert!(
                red.iter().all(|(x, _)| *x + band >= pw),
                "page {page}: red outside the edge"
            );
            let (y0, y1) = (
                red.iter().map(|p| p.1).min().unwrap(),
                red.iter().map(|p| p.1).max().unwrap(),
            );
            assert!(y0 as f64 >= 100.0 * PT - 2.0 && y1 as f64 <= 140.0 * PT + 2.0);
            rows.push((y0, y1));
        }
        // The ring crosses every strip: its top and bottom rows agree within a few pixels on
        // the middle strip and the outer ones touch the same rows band.
        let (lo, hi) = (
            rows.iter().map(|r| r.0).min().unwrap(),
            rows.iter().map(|r| r.1).max().unwrap(),
        );
        assert!(rows[1].0 <= lo + 3 && rows[1].1 + 3 >= hi, "{rows:?}");
    }
}

#[test]
fn ofd_riding_seal_on_a_sample_and_page_removal() {
    let Some(dir) = ofd_common::samples() else {
        return;
    };
    let pki = ofd_common::TestPki::load(&dir);
    let input = std::fs::read(dir.join("VPage7.ofd")).unwrap();
    let pkg = eseal::ofd::Package::from_bytes(&input, &Default::default()).unwrap();
    let n = eseal::ofd::text::page_count(&pkg).unwrap();
    assert!(n >= 2);
    let opts = eseal::ofd::SealOfdOptions {
        riding: Some(RidingSpec {
            edge: Edge::Bottom,
            pages: PageSelection::All,
            at_mm: None,
        }),
        signing_time: Some(ofd_common::in_validity()),
        ..Default::default()
    };
    let sealed =
        eseal::ofd::seal_ofd_bytes(&input, &opts, &pki.seal, &pki.user_cert, &pki.signer).unwrap();
    let vopts = eseal::ofd::VerifyOptions {
        trust: pki.trust(),
        now: Some(ofd_common::in_validity()),
        ..Default::default()
    };
    let r = eseal::ofd::verify_ofd("riding.ofd", &sealed, &vopts);
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{}", r.to_json());
    let riding = r.signatures[0].riding.as_ref().expect("riding layout");
    assert_eq!(riding.strips, n);
    assert_eq!(riding.pages, (1..=n).collect::<Vec<_>>());
    assert_eq!(r.to_json()["signatures"][0]["riding"]["strips"], n);
    let spkg = eseal::ofd::Package::from_bytes(&sealed, &Default::default()).unwrap();
    let xml = spkg.get("Doc_0/Signs/Sign_0/Signature.xml").unwrap();
    let sig = eseal::ofd::xml::parse_signature_xml("s", xml).unwrap();
    assert_eq!(sig.stamp_annots.len(), n);
    let h = pki.seal.seal_info.picture.height as f64;
    let text = String::from_utf8_lossy(xml);
    let boxes = eseal::ofd::text::page_boxes(&pkg).unwrap();
    for (i, s) in sig.stamp_annots.iter().enumerate() {
        let b = s.boundary.unwrap();
        // Boundary is the whole picture; its clip, strip i, ends on the bottom edge.
        let sh = h / n as f64;
        let ph = boxes[i].unwrap_or([0.0, 0.0, 210.0, 297.0])[3];
        assert!((b[3] - h).abs() < 1e-9);
        assert!((b[1] + sh * i as f64 + sh - ph).abs() < 0.01, "{i}: {b:?}");
        let clip = format!(
            " Clip=\"0 {} {} {}\"",
            fmt3(sh * i as f64),
            fmt3(b[2]),
            fmt3(sh)
        );
        assert!(text.contains(&clip), "{clip} in {text}");
    }
    assert_eq!(text.matches(" Clip=\"").count(), n);
    // Remove the last page from Document.xml, or swap the first two: the document no longer
    // verifies.
    let doc = String::from_utf8(spkg.get("Doc_0/Document.xml").unwrap().to_vec()).unwrap();
    let last = doc.rfind("<ofd:Page ").unwrap();
    let end = last + doc[last..].find("/>").unwrap() + 2;
    let removed = format!("{}{}", &doc[..last], &doc[end..]);
    let p0 = doc.find("<ofd:Page ").unwrap();
    let e0 = p0 + doc[p0..].find("/>").unwrap() + 2;
    let p1 = e0 + doc[e0..].find("<ofd:Page ").unwrap();
    let e1 = p1 + doc[p1..].find("/>").unwrap() + 2;
    let swapped = format!(
        "{}{}{}{}{}",
        &doc[..p0],
        &doc[p1..e1],
        &doc[e0..p1],
        &doc[p0..e0],
        &doc[e1..]
    );
    for cut in [removed, swapped] {
        let entries: Vec<(String, Vec<u8>)> = spkg
            .files()
            .iter()
            .map(|f| {
                let d = if f.name == "Doc_0/Document.xml" {
                    cut.clone().into_bytes()
                } else {
                    f.data.clone()
                };
                (f.name.clone(), d)
            })
            .collect();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, d) in entries {
            zip.start_file(n, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut zip, &d).unwrap();
        }
        let bad = zip.finish().unwrap().into_inner();
        let r = eseal::ofd::verify_ofd("cut.ofd", &bad, &vopts);
        assert_eq!(r.verdict, eseal::Verdict::Invalid, "{}", r.to_json());
    }
    // A one-page document is refused.
    let one = std::fs::read(dir.join("helloworld.ofd")).unwrap();
    let e = eseal::ofd::seal_ofd_bytes(&one, &opts, &pki.seal, &pki.user_cert, &pki.signer)
        .unwrap_err()
        .to_string();
    assert!(e.contains("at least 2 pages"), "{e}");
}

fn fmt3(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
