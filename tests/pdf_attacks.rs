//! The 2019 PDF signature attacks (universal signature forgery, incremental saving attacks,
//! signature wrapping, shadow attacks), each built from a validly sealed file and detected.
//!
//! This test is also the generator of test-vectors/pdf/attacks/: run it with
//! `ESEAL_WRITE_VECTORS=1 cargo test --test pdf_attacks` to rewrite the files there (the
//! committed files are checked by the same assertions on every run).

mod pdf_util;

use eseal::pdf::Document;
use eseal::pdf::object::{Dict, Object};
use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use eseal::pdf::writer::IncrementalUpdate;
use eseal::report::{Status, ids};
use pdf_util::*;
use std::path::{Path, PathBuf};

fn check(r: &eseal::Report, id: &str) -> (Status, String) {
    r.signatures
        .first()
        .and_then(|s| s.checks.iter().find(|c| c.id == id))
        .map(|c| (c.status, c.message.clone()))
        .unwrap_or((Status::Skip, String::new()))
}

/// A sealed original: page 1 has a content stream with a hidden (white) text and a visible one,
/// and a form XObject drawn on it (the targets of the shadow attacks).
fn original(dir: &Path) -> (PathBuf, Vec<u8>) {
    let mut pdf = make_pdf(&Gen {
        pages: 2,
        ..Gen::default()
    });
    // Put an extra, initially unused, object before the xref by rebuilding with qpdf-free means:
    // a second incremental revision that adds an overlay XObject the attacker can later swap.
    let base = dir.join("base.pdf");
    std::fs::write(&base, &pdf).unwrap();
    let doc = Document::from_bytes(pdf.clone()).unwrap();
    let mut up = IncrementalUpdate::new(&doc).unwrap();
    let page = doc.page(1).unwrap();
    let xo = up.alloc().unwrap();
    let mut d = Dict::new();
    d.set("Type", Object::Name(b"XObject".to_vec()));
    d.set("Subtype", Object::Name(b"Form".to_vec()));
    d.set(
        "BBox",
        Object::Array(vec![
            Object::Int(0),
            Object::Int(0),
            Object::Int(300),
            Object::Int(100),
        ]),
    );
    up.write_stream(xo, d, b"1 1 1 rg 0 0 300 100 re f\n");
    let content = up.alloc().unwrap();
    let body = b"q 72 500 cm /Overlay Do Q BT /F1 18 Tf 72 520 Td (Amount: 100 EUR) Tj ET\n";
    let mut cd = Dict::new();
    cd.set("Length", Object::Int(body.len() as i64));
    up.write_stream(content, cd, body);
    let mut pd = page.dict.clone();
    let old_contents = pd.get("Contents").cloned().unwrap();
    pd.set(
        "Contents",
        Object::Array(vec![old_contents, Object::Ref(content, 0)]),
    );
    let mut res = Dict::new();
    let mut fonts = Dict::new();
    fonts.set("F1", Object::Ref(3, 0));
    res.set("Font", Object::Dict(fonts));
    let mut xobjs = Dict::new();
    xobjs.set("Overlay", Object::Ref(xo, 0));
    res.set("XObject", Object::Dict(xobjs));
    pd.set("Resources", Object::Dict(res));
    up.write_object(page.id.0, page.id.1, &Object::Dict(pd));
    pdf.extend_from_slice(&up.finish().unwrap());
    std::fs::write(&base, &pdf).unwrap();
    let sealed = dir.join("original.pdf");
    let mut opts = cms_options(1, 120.0, 200.0);
    opts.contents_size = 3072;
    let s = test_signer("Attack Target");
    seal_cms(&base, &sealed, &opts, &s).unwrap();
    let bytes = std::fs::read(&sealed).unwrap();
    (sealed, bytes)
}

/// Appends an incremental update made by `f` to `bytes`.
fn append_update(bytes: &[u8], f: impl FnOnce(&Document, &mut IncrementalUpdate)) -> Vec<u8> {
    let doc = Document::from_bytes(bytes.to_vec()).unwrap();
    let mut up = IncrementalUpdate::new(&doc).unwrap();
    f(&doc, &mut up);
    let mut out = bytes.to_vec();
    out.extend_from_slice(&up.finish().unwrap());
    out
}

/// Replaces `from` with `to` (padded with spaces to the same length) once.
fn patch_same_len(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert!(to.len() <= from.len());
    let pos = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern");
    let mut out = bytes.to_vec();
    let mut rep = to.to_vec();
    rep.resize(from.len(), b' ');
    out[pos..pos + from.len()].copy_from_slice(&rep);
    out
}

fn byte_range_of(bytes: &[u8]) -> (String, [u64; 4]) {
    let pos = bytes.windows(11).position(|w| w == b"/ByteRange ").unwrap() + 11;
    let end = pos + bytes[pos..].iter().position(|&b| b == b']').unwrap() + 1;
    let text = String::from_utf8(bytes[pos..end].to_vec()).unwrap();
    let v: Vec<u64> = text
        .trim_matches(|c| c == '[' || c == ']')
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    (text, [v[0], v[1], v[2], v[3]])
}

#[test]
fn attacks_are_detected() {
    let dir = tmpdir("attacks");
    let (orig_path, orig) = original(&dir);
    let r = verify_pdf(&orig_path, &VerifyOptions::default());
    for id in [
        ids::BYTE_RANGE,
        ids::DATA_HASH,
        ids::SIGNATURE,
        ids::MODIFICATIONS,
    ] {
        assert_eq!(check(&r, id).0, Status::Pass, "original {id}: {r:#?}");
    }
    let (br_text, br) = byte_range_of(&orig);
    let doc = Document::from_bytes(orig.clone()).unwrap();
    let page = doc.page(1).unwrap();
    let contents = page
        .dict
        .get("Contents")
        .unwrap()
        .as_array()
        .unwrap()
        .to_vec();
    let shown_content = contents[1].as_ref().unwrap();
    let overlay = page
        .dict
        .get("Resources")
        .and_then(|r| r.as_dict())
        .and_then(|r| r.get("XObject"))
        .and_then(|x| x.as_dict())
        .and_then(|x| x.get("Overlay"))
        .and_then(|o| o.as_ref())
        .unwrap();

    let mut cases: Vec<(&str, Vec<u8>, &str, Status, &str)> = Vec::new();
    // Universal signature forgery.
    cases.push((
        "usf_no_byterange.pdf",
        patch_same_len(&orig, format!("/ByteRange {br_text}").as_bytes(), b"/Foo 0"),
        ids::BYTE_RANGE,
        Status::Fail,
        "no /ByteRange",
    ));
    cases.push((
        "usf_zero_byterange.pdf",
        patch_same_len(&orig, br_text.as_bytes(), b"[0 0 0 0]"),
        ids::BYTE_RANGE,
        Status::Fail,
        "inconsistent",
    ));
    cases.push((
        "usf_null_byterange.pdf",
        patch_same_len(&orig, br_text.as_bytes(), b"null"),
        ids::BYTE_RANGE,
        Status::Fail,
        "not an array",
    ));
    let short = format!("[0 {} {} {}]", br[1], br[2], br[3] - 10);
    cases.push((
        "usf_short_byterange.pdf",
        patch_same_len(&orig, br_text.as_bytes(), short.as_bytes()),
        ids::BYTE_RANGE,
        Status::Fail,
        "not the end of a revision",
    ));
    {
        let mut b = orig.clone();
        let a = br[1] as usize;
        for x in &mut b[a + 1..br[2] as usize - 1] {
            *x = b'0';
        }
        cases.push((
            "usf_zero_contents.pdf",
            b,
            ids::FORMAT,
            Status::Fail,
            "neither",
        ));
    }
    // Signature wrapping: the ByteRange skips more than /Contents (moved content hides there).
    let wrapped = format!("[0 {} {} {}]", br[1], br[2] + 40, br[3] - 40);
    cases.push((
        "sw_wrapping.pdf",
        patch_same_len(&orig, br_text.as_bytes(), wrapped.as_bytes()),
        ids::BYTE_RANGE,
        Status::Fail,
        "not exactly one hex string",
    ));
    // Incremental saving attack: new page content appended in a later revision.
    let isa = append_update(&orig, |_, up| {
        let body = b"BT /F1 18 Tf 72 520 Td (Amount: 900 EUR) Tj ET\n";
        let mut d = Dict::new();
        d.set("Length", Object::Int(body.len() as i64));
        up.write_stream(shown_content.0, d, body);
    });
    cases.push((
        "isa_content.pdf",
        isa,
        ids::MODIFICATIONS,
        Status::Fail,
        "replaced",
    ));
    // Incremental saving attack: a new page added.
    let isa_page = append_update(&orig, |doc, up| {
        let n = up.alloc().unwrap();
        let p = doc.page(2).unwrap();
        let mut d = p.dict.clone();
        d.set("Parent", Object::Ref(2, 0));
        up.write_object(n, 0, &Object::Dict(d));
        let pages = doc.get(2).unwrap();
        let mut pd = pages.as_dict().unwrap().clone();
        let mut kids = pd.get("Kids").unwrap().as_array().unwrap().to_vec();
        kids.push(Object::Ref(n, 0));
        pd.set("Kids", Object::Array(kids));
        pd.set("Count", Object::Int(3));
        up.write_object(2, 0, &Object::Dict(pd));
    });
    cases.push((
        "isa_new_page.pdf",
        isa_page,
        ids::MODIFICATIONS,
        Status::Fail,
        "page object",
    ));
    // Bytes appended after %%EOF that no reader uses.
    let mut junk = orig.clone();
    junk.extend_from_slice(b"99 0 obj\n(not referenced)\nendobj\n");
    cases.push((
        "isa_trailing_bytes.pdf",
        junk,
        ids::MODIFICATIONS,
        Status::Warn,
        "no reader uses",
    ));
    // An update appended without any xref, after padding that pushes the signed revision's
    // startxref out of a reader's tail window: readers rebuild the xref by scanning and show
    // the redefined page content.
    let mut no_xref = orig.clone();
    no_xref.extend_from_slice(b"%");
    no_xref.extend_from_slice(&[b' '; 6000]);
    let body = b"BT /F1 18 Tf 72 520 Td (Amount: 900 EUR) Tj ET\n";
    no_xref.extend_from_slice(
        format!(
            "\n{} 0 obj\n<< /Length {} >>\nstream\n",
            shown_content.0,
            body.len()
        )
        .as_bytes(),
    );
    no_xref.extend_from_slice(body);
    no_xref.extend_from_slice(b"\nendstream\nendobj\n");
    cases.push((
        "isa_no_xref_redefine.pdf",
        no_xref,
        ids::MODIFICATIONS,
        Status::Fail,
        "without xref",
    ));
    // The same with only new objects that nothing references: they cannot be shown.
    let mut no_xref_new = orig.clone();
    no_xref_new.extend_from_slice(b"%");
    no_xref_new.extend_from_slice(&[b' '; 6000]);
    no_xref_new.extend_from_slice(
        b"\n900 0 obj\n<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] >>\nendobj\n",
    );
    cases.push((
        "isa_no_xref_new_objects.pdf",
        no_xref_new,
        ids::MODIFICATIONS,
        Status::Warn,
        "no reader uses",
    ));
    // Shadow attacks: hide (the overlay becomes empty), replace (the overlay draws new text),
    // hide-and-replace (the page's resources point elsewhere).
    let hide = append_update(&orig, |_, up| {
        let mut d = Dict::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Form".to_vec()));
        d.set(
            "BBox",
            Object::Array(vec![
                Object::Int(0),
                Object::Int(0),
                Object::Int(1),
                Object::Int(1),
            ]),
        );
        up.write_stream(overlay.0, d, b"");
    });
    cases.push((
        "shadow_hide.pdf",
        hide,
        ids::MODIFICATIONS,
        Status::Fail,
        "replaced",
    ));
    let replace = append_update(&orig, |_, up| {
        let mut d = Dict::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Form".to_vec()));
        d.set(
            "BBox",
            Object::Array(vec![
                Object::Int(0),
                Object::Int(0),
                Object::Int(300),
                Object::Int(100),
            ]),
        );
        up.write_stream(
            overlay.0,
            d,
            b"1 1 1 rg 0 0 300 100 re f 0 g BT /F1 18 Tf 0 20 Td (Amount: 1 EUR) Tj ET\n",
        );
    });
    cases.push((
        "shadow_replace.pdf",
        replace,
        ids::MODIFICATIONS,
        Status::Fail,
        "replaced",
    ));
    let hide_replace = append_update(&orig, |doc, up| {
        let p = doc.page(1).unwrap();
        let mut pd = p.dict.clone();
        let n = up.alloc().unwrap();
        let body = b"BT /F1 18 Tf 72 520 Td (Amount: 5 EUR) Tj ET\n";
        let mut d = Dict::new();
        d.set("Length", Object::Int(body.len() as i64));
        up.write_stream(n, d, body);
        pd.set("Contents", Object::Ref(n, 0));
        up.write_object(p.id.0, p.id.1, &Object::Dict(pd));
    });
    cases.push((
        "shadow_hide_and_replace.pdf",
        hide_replace,
        ids::MODIFICATIONS,
        Status::Fail,
        "page object",
    ));
    // An annotation laid over the content after signing: reported (warning), not hidden.
    let annot = append_update(&orig, |doc, up| {
        let p = doc.page(1).unwrap();
        let n = up.alloc().unwrap();
        let mut a = Dict::new();
        a.set("Type", Object::Name(b"Annot".to_vec()));
        a.set("Subtype", Object::Name(b"Square".to_vec()));
        a.set(
            "Rect",
            Object::Array(vec![
                Object::Int(72),
                Object::Int(500),
                Object::Int(372),
                Object::Int(600),
            ]),
        );
        a.set(
            "IC",
            Object::Array(vec![Object::Int(1), Object::Int(1), Object::Int(1)]),
        );
        up.write_object(n, 0, &Object::Dict(a));
        let mut pd = p.dict.clone();
        let mut annots = pd
            .get("Annots")
            .and_then(|a| a.as_array())
            .map(|a| a.to_vec())
            .unwrap_or_default();
        annots.push(Object::Ref(n, 0));
        pd.set("Annots", Object::Array(annots));
        up.write_object(p.id.0, p.id.1, &Object::Dict(pd));
    });
    cases.push((
        "annotation_overlay.pdf",
        annot,
        ids::MODIFICATIONS,
        Status::Warn,
        "annotation",
    ));

    let write = std::env::var_os("ESEAL_WRITE_VECTORS").is_some();
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/pdf/attacks");
    if write {
        std::fs::create_dir_all(&vectors).unwrap();
        std::fs::write(vectors.join("original.pdf"), &orig).unwrap();
    }
    for (name, bytes, id, want, needle) in &cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        if write {
            std::fs::write(vectors.join(name), bytes).unwrap();
        }
        let r = verify_pdf(&path, &VerifyOptions::default());
        let (st, msg) = check(&r, id);
        eprintln!("{name}: {id} {st:?}: {msg}");
        assert_eq!(st, *want, "{name}: {id}: {r:#?}");
        assert!(
            msg.contains(needle),
            "{name}: {id} message {msg:?} lacks {needle:?}"
        );
        if *want == Status::Fail {
            assert_eq!(r.verdict, eseal::Verdict::Invalid, "{name}");
        }
    }
    // The committed vectors give the same results.
    if vectors.exists() {
        for (name, _, id, want, _) in &cases {
            let p = vectors.join(name);
            if p.exists() {
                let r = verify_pdf(&p, &VerifyOptions::default());
                assert_eq!(check(&r, id).0, *want, "committed {name}");
            }
        }
        let r = verify_pdf(&vectors.join("original.pdf"), &VerifyOptions::default());
        assert_eq!(check(&r, ids::MODIFICATIONS).0, Status::Pass);
        assert_eq!(check(&r, ids::SIGNATURE).0, Status::Pass);
    }
}
