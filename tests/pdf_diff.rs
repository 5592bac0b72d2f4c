//! The modification policy of `src/pdf/diff.rs`, revision by revision: a forbidden change that
//! a later revision undoes still fails; later revisions that only rewrite objects unchanged or
//! update the Info dictionary pass at level `ltv`; the level is reported in the JSON.

mod pdf_util;

use eseal::pdf::Document;
use eseal::pdf::object::{Dict, Object};
use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use eseal::pdf::writer::IncrementalUpdate;
use eseal::report::{Status, ids};
use pdf_util::*;
use std::path::Path;

fn append_update(bytes: &[u8], f: impl FnOnce(&Document, &mut IncrementalUpdate)) -> Vec<u8> {
    let doc = Document::from_bytes(bytes.to_vec()).unwrap();
    let mut up = IncrementalUpdate::new(&doc).unwrap();
    f(&doc, &mut up);
    let mut out = bytes.to_vec();
    out.extend_from_slice(&up.finish().unwrap());
    out
}

fn first(r: &eseal::Report) -> (Status, String, Option<String>) {
    let s = &r.signatures[0];
    let c = s
        .checks
        .iter()
        .find(|c| c.id == ids::MODIFICATIONS)
        .unwrap();
    (c.status, c.message.clone(), s.modification_level.clone())
}

fn verify(dir: &Path, name: &str, bytes: &[u8]) -> eseal::Report {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    verify_pdf(&p, &VerifyOptions::default())
}

#[test]
fn revisions_are_judged_one_by_one() {
    let dir = tmpdir("pdf_diff");
    let base = dir.join("base.pdf");
    std::fs::write(&base, make_pdf(&Gen::default())).unwrap();
    let sealed = dir.join("sealed.pdf");
    seal_cms(
        &base,
        &sealed,
        &cms_options(1, 120.0, 200.0),
        &test_signer("Diff"),
    )
    .unwrap();
    let orig = std::fs::read(&sealed).unwrap();
    let r = verify_pdf(&sealed, &VerifyOptions::default());
    assert_eq!(first(&r).0, Status::Pass);
    assert_eq!(first(&r).2.as_deref(), Some("none"));
    assert_eq!(r.to_json()["signatures"][0]["modification_level"], "none");

    let doc = Document::from_bytes(orig.clone()).unwrap();
    let page = doc.page(1).unwrap();
    let content = page
        .dict
        .get("Contents")
        .and_then(|c| match c {
            Object::Array(a) => a.first().and_then(Object::as_ref),
            o => o.as_ref(),
        })
        .unwrap()
        .0;
    let original_content = doc.get(content).unwrap();
    let Object::Stream(original_stream) = &original_content else {
        panic!("content is not a stream");
    };
    let original_data = doc.stream_raw(original_stream, 1 << 20).unwrap();

    // Revision 1 replaces the page content; revision 2 puts the original bytes back.
    let changed = append_update(&orig, |_, up| {
        let body = b"BT /F1 18 Tf 72 520 Td (Amount: 900 EUR) Tj ET\n";
        let mut d = Dict::new();
        d.set("Length", Object::Int(body.len() as i64));
        up.write_stream(content, d, body);
    });
    let undone = append_update(&changed, |_, up| {
        up.write_stream(content, original_stream.dict.clone(), &original_data);
    });
    let r = verify(&dir, "undone.pdf", &undone);
    let (st, msg, level) = first(&r);
    assert_eq!(st, Status::Fail, "{msg}");
    assert!(msg.contains("replaced"), "{msg}");
    assert_eq!(level.as_deref(), Some("other"));
    assert_eq!(r.verdict, eseal::Verdict::Invalid);

    // An update that rewrites the page unchanged and a new Info dictionary: `ltv`, pass.
    let info = append_update(&orig, |doc, up| {
        let p = doc.page(1).unwrap();
        up.write_object(p.id.0, p.id.1, &Object::Dict(p.dict.clone()));
        let n = up.alloc().unwrap();
        let mut d = Dict::new();
        d.set("Producer", Object::String(b"another tool".to_vec()));
        up.write_object(n, 0, &Object::Dict(d));
        up.set_trailer("Info", Object::Ref(n, 0));
    });
    let r = verify(&dir, "info.pdf", &info);
    let (st, msg, level) = first(&r);
    assert_eq!(st, Status::Pass, "{msg}");
    assert_eq!(level.as_deref(), Some("ltv"), "{msg}");
}
