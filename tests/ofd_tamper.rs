//! Tampered copies of sealed samples (made in memory) fail the right check.

use eseal::ofd::{VerifyOptions, verify_ofd};
use eseal::report::{Status, ids};
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p).join("ofdrw")),
        None => {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

/// Rewrites a zip: `f` maps (name, bytes) to new bytes or None (removed); `extra` is appended.
fn rewrite(
    zip_bytes: &[u8],
    mut f: impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if e.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if let Some(d) = f(&name, data) {
            w.start_file(name.as_str(), opts).unwrap();
            w.write_all(&d).unwrap();
        }
    }
    for (n, d) in extra {
        w.start_file(*n, opts).unwrap();
        w.write_all(d).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn check<'a>(r: &'a eseal::Report, id: &str) -> &'a eseal::Check {
    r.find_check(id)
        .unwrap_or_else(|| panic!("no check {id} in {:?}", r.to_json()))
}

#[test]
fn tampered_copies_fail_the_right_check() {
    let Some(dir) = samples() else { return };
    let opts = VerifyOptions::default();
    for sample in ["SESV4SignDoc.ofd", "v4signed.ofd", "signedFile.ofd"] {
        let orig = std::fs::read(dir.join(sample)).unwrap();

        // Untouched but rewritten (recompressed): everything still matches.
        let same = rewrite(&orig, |_, d| Some(d), &[]);
        let r = verify_ofd(sample, &same, &opts);
        assert_eq!(check(&r, ids::REFERENCES).status, Status::Pass, "{sample}");
        assert_eq!(check(&r, ids::DATA_HASH).status, Status::Pass, "{sample}");

        // A page's content changed.
        let t = rewrite(
            &orig,
            |n, mut d| {
                if n == "Doc_0/Pages/Page_0/Content.xml" {
                    let i = d.len() / 2;
                    d[i] ^= 0x01;
                }
                Some(d)
            },
            &[],
        );
        let r = verify_ofd(sample, &t, &opts);
        let c = check(&r, ids::REFERENCES);
        assert_eq!(c.status, Status::Fail, "{sample}");
        assert!(
            c.message.contains("/Doc_0/Pages/Page_0/Content.xml"),
            "{}",
            c.message
        );
        assert_eq!(check(&r, ids::DATA_HASH).status, Status::Pass);
        assert_eq!(r.verdict, eseal::Verdict::Invalid);

        // A protected file removed.
        let t = rewrite(&orig, |n, d| (n != "Doc_0/Document.xml").then_some(d), &[]);
        let r = verify_ofd(sample, &t, &opts);
        let c = check(&r, ids::REFERENCES);
        assert_eq!(c.status, Status::Fail);
        assert!(
            c.message.contains("missing: /Doc_0/Document.xml"),
            "{}",
            c.message
        );

        // Signature.xml re-serialised (same XML meaning, other bytes).
        let t = rewrite(
            &orig,
            |n, d| {
                if n == "Doc_0/Signs/Sign_0/Signature.xml" {
                    let s = String::from_utf8(d).unwrap().replace("\"/>", "\" />");
                    Some(s.into_bytes())
                } else {
                    Some(d)
                }
            },
            &[],
        );
        let r = verify_ofd(sample, &t, &opts);
        assert_eq!(check(&r, ids::REFERENCES).status, Status::Pass);
        assert_eq!(check(&r, ids::DATA_HASH).status, Status::Fail, "{sample}");

        // A file added after signing that nothing uses: a warning (issue 11: nothing
        // displayed changed).
        let t = rewrite(
            &orig,
            |_, d| Some(d),
            &[("Doc_0/Res/added.png", b"\x89PNG")],
        );
        let r = verify_ofd(sample, &t, &opts);
        let c = check(&r, "unprotected_files");
        assert_eq!(c.status, Status::Warn);
        assert!(
            c.message.contains("Doc_0/Res/added.png (unused)"),
            "{}",
            c.message
        );
        // The verdict is the untampered document's (SESV4SignDoc.ofd is invalid by date).
        assert_eq!(r.verdict, verify_ofd(sample, &orig, &opts).verdict);

        // A page added after signing (named by a new Document.xml): Document.xml changed →
        // references fail; the new page is unprotected page content → fail.
        let t = rewrite(
            &orig,
            |n, d| {
                if n == "Doc_0/Document.xml" {
                    let s = String::from_utf8(d).unwrap();
                    Some(
                        s.replacen(
                            "</ofd:Pages>",
                            "<ofd:Page ID=\"999\" BaseLoc=\"Pages/Page_9/Content.xml\"/></ofd:Pages>",
                            1,
                        )
                        .into_bytes(),
                    )
                } else {
                    Some(d)
                }
            },
            &[("Doc_0/Pages/Page_9/Content.xml", b"<ofd:Page/>")],
        );
        let r = verify_ofd(sample, &t, &opts);
        let c = check(&r, "unprotected_files");
        assert_eq!(c.status, Status::Fail, "{}", c.message);
        assert!(
            c.message.contains("Doc_0/Pages/Page_9/Content.xml (page)"),
            "{}",
            c.message
        );
        assert_eq!(r.verdict, eseal::Verdict::Invalid);
        let r = verify_ofd(
            sample,
            &t,
            &VerifyOptions {
                allow_unprotected: true,
                ..Default::default()
            },
        );
        assert_eq!(check(&r, "unprotected_files").status, Status::Fail);

        // The signature value removed.
        let t = rewrite(
            &orig,
            |n, d| (n != "Doc_0/Signs/Sign_0/SignedValue.dat").then_some(d),
            &[],
        );
        let r = verify_ofd(sample, &t, &opts);
        assert_eq!(r.signatures[0].checks[0].id, ids::FORMAT);
        assert_eq!(r.signatures[0].checks[0].status, Status::Fail);

        // The signature value's dataHash changed (one bit of SignedValue.dat's dataHash).
        let t = rewrite(
            &orig,
            |n, d| {
                if n == "Doc_0/Signs/Sign_0/SignedValue.dat" {
                    let xml_hash = {
                        let z = zip::ZipArchive::new(Cursor::new(&orig[..]));
                        let mut z = z.unwrap();
                        let mut x = Vec::new();
                        z.by_name("Doc_0/Signs/Sign_0/Signature.xml")
                            .unwrap()
                            .read_to_end(&mut x)
                            .unwrap();
                        eseal::crypto::sm3(&x)
                    };
                    let pos = d.windows(32).position(|w| w == xml_hash).unwrap();
                    let mut d = d;
                    d[pos] ^= 0x80;
                    Some(d)
                } else {
                    Some(d)
                }
            },
            &[],
        );
        let r = verify_ofd(sample, &t, &opts);
        assert_eq!(check(&r, ids::DATA_HASH).status, Status::Fail);

        // Signatures.xml removed while OFD.xml still names it: a clear error.
        let t = rewrite(
            &orig,
            |n, d| (n != "Doc_0/Signs/Signatures.xml").then_some(d),
            &[],
        );
        let r = verify_ofd(sample, &t, &opts);
        assert!(
            r.error.as_deref().unwrap().contains("Signatures"),
            "{:?}",
            r.error
        );
    }

    // Seal.esl swapped for another seal: seal_file fails (and the reference to it).
    let orig = std::fs::read(dir.join("SESV4SignDoc.ofd")).unwrap();
    let other = std::fs::read(dir.join("UserV5.esl")).unwrap();
    let t = rewrite(
        &orig,
        |n, d| {
            if n.ends_with("Seal.esl") {
                Some(other.clone())
            } else {
                Some(d)
            }
        },
        &[],
    );
    let r = verify_ofd("x", &t, &opts);
    assert_eq!(check(&r, "seal_file").status, Status::Fail);
    assert!(check(&r, ids::REFERENCES).message.contains("Seal.esl"));
}
