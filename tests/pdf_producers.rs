//! Inputs from several producers (ReportLab, ps2pdf, qpdf object streams and linearization,
//! pyHanko-signed ECDSA, multi-revision files) seal and verify; earlier signatures stay valid.
//! The inputs are made by test-vectors/pdf/make_inputs.py.

mod pdf_util;

use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use eseal::report::{Status, ids};
use pdf_util::*;

#[test]
fn producers_seal_and_verify() {
    if !have_py("pyhanko") || !have_py("reportlab") || !have("qpdf") || !have("ps2pdf") {
        return;
    }
    let dir = tmpdir("producers");
    let base = dir.join("base.pdf");
    std::fs::write(
        &base,
        make_pdf(&Gen {
            annots_indirect: true,
            ..Gen::default()
        }),
    )
    .unwrap();
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/pdf/make_inputs.py");
    let (ok, out) = run(python().arg(&script).arg(&dir).arg(&base));
    assert!(ok && !out.contains(": "), "make_inputs.py: {out}");
    let s = test_signer("Producer Seal");
    let mut sealed = Vec::new();
    for (name, earlier) in [
        ("base.pdf", 0),
        ("reportlab.pdf", 0),
        ("ps2pdf.pdf", 0),
        ("objstm.pdf", 0),
        ("linear.pdf", 0),
        ("objstm_linear.pdf", 0),
        ("multirev.pdf", 0),
        ("pyhanko_signed.pdf", 1),
    ] {
        let input = dir.join(name);
        let output = dir.join(format!("sealed-{name}"));
        seal_cms(&input, &output, &cms_options(1, 20.0, 20.0), &s)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // A second seal on page 2 where there is one (the ReportLab page 2 is rotated).
        let twice = dir.join(format!("twice-{name}"));
        let doc = eseal::pdf::Document::open(&output).unwrap();
        let page2 = doc.page_count().unwrap() >= 2;
        seal_cms(
            &output,
            &twice,
            &cms_options(if page2 { 2 } else { 1 }, 60.0, 120.0),
            &s,
        )
        .unwrap_or_else(|e| panic!("{name} (second seal): {e}"));
        // The update's xref is in the style of the input.
        let input_kind = eseal::pdf::Document::open(&input).unwrap().xref_kind();
        assert_eq!(
            eseal::pdf::Document::open(&twice).unwrap().xref_kind(),
            input_kind,
            "{name}"
        );
        let r = verify_pdf(&twice, &VerifyOptions::default());
        assert_eq!(r.signatures.len(), earlier + 2, "{name}: {r:#?}");
        for i in 0..r.signatures.len() {
            assert_eq!(
                status(&r, i, ids::BYTE_RANGE),
                Status::Pass,
                "{name} sig {i}: {:#?}",
                r.signatures[i]
            );
            assert_eq!(
                status(&r, i, ids::MODIFICATIONS),
                Status::Pass,
                "{name} sig {i}: {:#?}",
                r.signatures[i]
            );
            assert_ne!(
                status(&r, i, ids::SIGNATURE),
                Status::Fail,
                "{name} sig {i}: {:#?}",
                r.signatures[i]
            );
        }
        for i in earlier..r.signatures.len() {
            assert_eq!(
                status(&r, i, ids::SIGNATURE),
                Status::Pass,
                "{name} sig {i}"
            );
            assert_eq!(
                status(&r, i, ids::DATA_HASH),
                Status::Pass,
                "{name} sig {i}"
            );
        }
        tool_checks(&twice, earlier + 2);
        sealed.push((twice, earlier + 2));
    }
    let files: Vec<(&std::path::Path, usize, usize)> =
        sealed.iter().map(|(p, n)| (p.as_path(), *n, *n)).collect();
    py_checks(&files);
    // A DocMDP /P 1 certified file: sealing is refused; a signature slipped in anyway is
    // reported as a forbidden change for the certification signature.
    let certified = dir.join("certified_p1.pdf");
    let e = seal_cms(
        &certified,
        &dir.join("x.pdf"),
        &cms_options(1, 20.0, 20.0),
        &s,
    )
    .unwrap_err();
    assert_eq!(e.kind(), eseal::ErrorKind::PdfRefused, "{e}");
    let r = verify_pdf(&certified, &VerifyOptions::default());
    assert_eq!(status(&r, 0, ids::MODIFICATIONS), Status::Pass, "{r:#?}");
    let doc = eseal::pdf::Document::open(&certified).unwrap();
    let (cat_id, cat) = doc.catalog().unwrap();
    // The catalog written again unchanged is no change (as in pyHanko's policy): allowed
    // even by /P 1, at level `ltv`.
    let mut bytes = std::fs::read(&certified).unwrap();
    let mut up = eseal::pdf::writer::IncrementalUpdate::new(&doc).unwrap();
    up.write_object(
        cat_id.0,
        cat_id.1,
        &eseal::pdf::object::Object::Dict(cat.clone()),
    );
    bytes.extend_from_slice(&up.finish().unwrap());
    let same = dir.join("certified-rewritten.pdf");
    std::fs::write(&same, &bytes).unwrap();
    let r = verify_pdf(&same, &VerifyOptions::default());
    assert_eq!(status(&r, 0, ids::MODIFICATIONS), Status::Pass, "{r:#?}");
    assert_eq!(r.signatures[0].modification_level.as_deref(), Some("ltv"));
    // A catalog entry changed after /P 1 fails.
    let mut bytes = std::fs::read(&certified).unwrap();
    let mut up = eseal::pdf::writer::IncrementalUpdate::new(&doc).unwrap();
    let mut changed = cat;
    changed.set(
        "PageMode",
        eseal::pdf::object::Object::Name(b"UseOutlines".to_vec()),
    );
    up.write_object(
        cat_id.0,
        cat_id.1,
        &eseal::pdf::object::Object::Dict(changed),
    );
    bytes.extend_from_slice(&up.finish().unwrap());
    let sneaky = dir.join("certified-changed.pdf");
    std::fs::write(&sneaky, &bytes).unwrap();
    let r = verify_pdf(&sneaky, &VerifyOptions::default());
    assert_eq!(status(&r, 0, ids::MODIFICATIONS), Status::Fail, "{r:#?}");
    // pyHanko itself still finds its ECDSA signature intact and valid after our two seals.
    let (ok, out) = run(python().arg("-c").arg(
        "import sys\nfrom pyhanko.pdf_utils.reader import PdfFileReader\nfrom pyhanko.sign.validation import validate_pdf_signature\nfrom pyhanko_certvalidator import ValidationContext\nfrom asn1crypto import x509\ncert = x509.Certificate.load(open(sys.argv[2], 'rb').read())\nr = PdfFileReader(open(sys.argv[1], 'rb'))\ns = r.embedded_signatures[0]\nst = validate_pdf_signature(s, ValidationContext(trust_roots=[cert]))\nprint(s.field_name, st.intact, st.valid, st.modification_level)",
    ).arg(dir.join("twice-pyhanko_signed.pdf")).arg(dir.join("pyhanko_cert.der")));
    assert!(ok, "pyhanko validate: {out}");
    assert!(
        out.contains("HankoSig True True"),
        "pyhanko validate: {out}"
    );
}
