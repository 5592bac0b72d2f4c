//! The coverage walk (`eseal::ofd::coverage`) on the real samples' shapes: every file a viewer
//! uses gets a role (KingGrid template trees, Suwell annotations/templates/CustomTags,
//! attachments, a template named with other letter case, the non-standard namespace, GM/T 0099
//! integrity files), and `unprotected_files` is judged by role.

mod ofd_common;

use std::collections::BTreeSet;

use eseal::ofd::coverage::{self, Role};
use eseal::ofd::{Limits, Package, xml};
use eseal::report::Status;
use ofd_common::samples;

fn open(name: &str) -> Option<(Package, xml::OfdXml)> {
    let dir = samples()?;
    let pkg = Package::open(dir.join(name), &Limits::default()).unwrap();
    let ofd = xml::parse_ofd_xml(pkg.get("OFD.xml").unwrap()).unwrap();
    Some((pkg, ofd))
}

/// Every file of every sample is reached by the walk (no genuine file is "unused"), except
/// v4signed.ofd's custom tags, which its Document.xml does not name (the files are there and
/// protected, but no viewer reads them).
#[test]
fn every_sample_file_is_used() {
    let expect: &[(&str, &[(&str, Role)])] = &[
        (
            "signedFile.ofd",
            &[
                ("Doc_0/Tpls/Tpl_0/Content.xml", Role::Template),
                ("Doc_0/Res/image_80.jb2", Role::Image),
                ("Doc_0/Annots/Page_0/Annotation.xml", Role::Annotation),
                ("Doc_0/Attachs/original_invoice.xml", Role::Attachment),
                ("Doc_0/Tags/CustomTag.xml", Role::CustomTag),
                ("Doc_0/Signs/Sign_0/SignedValue.dat", Role::Signature),
            ],
        ),
        (
            "v4signed.ofd",
            // Document.xml names "TPLS/Tpl_0/Content.xml"; the file is "Tpls/…".
            &[
                ("Doc_0/Tpls/Tpl_0/Content.xml", Role::Template),
                ("Doc_0/Res/qr.png", Role::Image),
            ],
        ),
        (
            "path_unstd.ofd",
            &[
                (
                    "Doc_0/KingGridTPLS/KingGridTPL_0/Content.xml",
                    Role::Template,
                ),
                (
                    "Doc_0/KingGridTPLS/KingGridTPL_1/Content.xml",
                    Role::Template,
                ),
                ("Doc_0/Pages/Page_Insert_55_2/Content.xml", Role::Page),
                ("Doc_0/Tags/Tag_Certificate.xml", Role::CustomTag),
            ],
        ),
        (
            "20240531141733.ofd",
            &[
                ("Doc_0/Res/image_6948.png", Role::Image),
                ("Doc_0/Res/image_6920.png", Role::Image),
                ("Doc_0/Annots/Page_0/Annotation.xml", Role::Annotation),
                ("Doc_0/Tags/CustomTag.xml", Role::CustomTag),
            ],
        ),
        (
            "AddAttachment.ofd",
            &[("Doc_0/Res/eg_tulip.jpg", Role::Attachment)],
        ),
        (
            "fptpl.ofd",
            &[
                ("Doc_0/Tpls/Tpl_4/Content.xml", Role::Template),
                ("Doc_0/Res/qrcode.png", Role::Image),
            ],
        ),
        (
            "hello-integrity.ofd",
            &[
                ("OFDEntries.xml", Role::Integrity),
                ("signedvalue.dat", Role::Integrity),
                ("Doc_0/Pages/Page_1/Content.xml", Role::Page),
            ],
        ),
        (
            "namespace_no_std.ofd",
            &[("Doc_0/Document.xml", Role::Document)],
        ),
        (
            "SESV4SignDoc.ofd",
            &[("Doc_0/Signs/Sign_0/Seal.esl", Role::Signature)],
        ),
        ("allprotected.ofd", &[]),
        ("DigitalSign.ofd", &[]),
        ("VPage7.ofd", &[]),
        ("helloworld.ofd", &[]),
        ("helloworld_with_pageblock.ofd", &[]),
        ("multiKeywordInTextCode.ofd", &[]),
    ];
    for (name, roles) in expect {
        let Some((pkg, ofd)) = open(name) else { return };
        let w = coverage::walk(&pkg, &ofd);
        let unused: Vec<&str> = pkg
            .files()
            .iter()
            .map(|f| f.name.as_str())
            .filter(|f| w.role(f) == Role::Unused)
            .collect();
        let known: &[&str] = if *name == "v4signed.ofd" {
            &["Doc_0/Tags/CustomTags.xml", "Doc_0/Tags/Tag_Invoice.xml"]
        } else {
            &[]
        };
        assert_eq!(unused, known, "{name}: unused files");
        assert_eq!(w.role("OFD.xml"), Role::OfdXml);
        for (file, role) in *roles {
            assert_eq!(w.role(file), *role, "{name}: {file}");
        }
    }
}

/// Judges a sample as if its signatures protected every file but `open_files`.
fn judge_without(name: &str, open_files: &[&str]) -> Option<(Status, String)> {
    let (pkg, ofd) = open(name)?;
    let w = coverage::walk(&pkg, &ofd);
    let own: BTreeSet<String> = pkg
        .files()
        .iter()
        .map(|f| f.name.clone())
        .filter(|f| w.role(f) == Role::Signature)
        .collect();
    let protected: BTreeSet<String> = pkg
        .files()
        .iter()
        .map(|f| f.name.clone())
        .filter(|f| !open_files.contains(&f.as_str()) && !own.contains(f))
        .collect();
    let j = coverage::judge(
        &pkg,
        &w,
        &coverage::Protection {
            protected: &protected,
            by_body: std::slice::from_ref(&protected),
            own: &own,
            changed: &BTreeSet::new(),
        },
        "unprotected_files",
    );
    Some((j.check.status, j.check.message))
}

#[test]
fn judged_by_role() {
    let cases: &[(&str, &[&str], Status, &str)] = &[
        ("v4signed.ofd", &[], Status::Pass, "every document file"),
        (
            "v4signed.ofd",
            &["OFD.xml"],
            Status::Warn,
            "OFD.xml (ofd_xml)",
        ),
        (
            "v4signed.ofd",
            &["OFD.xml", "Doc_0/Tpls/Tpl_0/Content.xml"],
            Status::Indeterminate,
            "Doc_0/Tpls/Tpl_0/Content.xml (template)",
        ),
        (
            "v4signed.ofd",
            &["Doc_0/Res/qr.png"],
            Status::Indeterminate,
            "(image)",
        ),
        (
            "signedFile.ofd",
            &["Doc_0/Annots/Page_0/Annotation.xml"],
            Status::Indeterminate,
            "(annotation)",
        ),
        (
            "signedFile.ofd",
            &[
                "Doc_0/Attachs/original_invoice.xml",
                "Doc_0/Tags/CustomTag.xml",
            ],
            Status::Warn,
            "(attachment)",
        ),
        (
            "signedFile.ofd",
            &["Doc_0/Document.xml"],
            Status::Fail,
            "DocRoot names",
        ),
        (
            "signedFile.ofd",
            &["Doc_0/Pages/Page_0/Content.xml"],
            Status::Fail,
            "(page)",
        ),
        (
            "path_unstd.ofd",
            &["Doc_0/KingGridTPLS/KingGridTPL_1/Content.xml"],
            Status::Indeterminate,
            "(template)",
        ),
        (
            "20240531141733.ofd",
            &["Doc_0/PublicRes.xml"],
            Status::Indeterminate,
            "(resources)",
        ),
    ];
    for (name, open_files, want, text) in cases {
        let Some((status, msg)) = judge_without(name, open_files) else {
            return;
        };
        assert_eq!(status, *want, "{name} {open_files:?}: {msg}");
        assert!(msg.contains(text), "{name} {open_files:?}: {msg}");
    }
}

/// hello-integrity.ofd (GM/T 0099 integrity protection, no seal) is recognised, listed and
/// left undecided: not called invalid, not called valid.
#[test]
fn integrity_protection_is_recognised() {
    let Some(dir) = samples() else { return };
    let r = eseal::ofd::verify_ofd_file(
        dir.join("hello-integrity.ofd"),
        &eseal::ofd::VerifyOptions::default(),
    );
    assert_eq!(r.verdict, eseal::Verdict::Indeterminate, "{:?}", r.checks);
    assert_eq!(
        r.find_check("integrity").unwrap().status,
        Status::Indeterminate
    );
    let p = &r.extra["integrity_protection"];
    assert_eq!(p["entries"], "OFDEntries.xml");
    assert_eq!(p["files"].as_array().unwrap().len(), 5);
}
