//! A batch of sealed PDFs and OFDs verified through the batch verifier's shared cache
//! (`eseal::pki::Context` with a `Cache`: seal checks once per seal, paths once per certificate
//! and time) gives byte for byte the JSON reports of one-at-a-time verification without a
//! cache, through the public `pdf::verify_document` and `ofd::verify_ofd` entry points.
//!
//! The documents share one seal and one signer certificate (SES payloads in PDFs and OFDs, CMS
//! payloads in PDFs signed by the same certificate); some are tampered (a changed page, bytes
//! appended, a changed OFD page, a forged seal signature, another seal) so that cached good
//! results must not leak into them. The run is repeated with 1 and 2 workers, sorted and not,
//! and a second time over a warm cache.

mod common;
mod pdf_util;

use common::*;
use eseal::Report;
use eseal::batch::{BatchOptions, Input, Verifier};
use eseal::pdf::sign::{PayloadKind, SealOptions, ses_contents_size};
use eseal::ses::{Seal, Version};
use eseal::{Verdict, ofd, pdf};
use pdf_util::*;
use std::io::{Cursor, Read, Write};

/// A PDF of `pages` pages sealed with `seal` (SES payload) by the test signer at `when`.
fn ses_pdf(dir: &std::path::Path, n: usize, pki: &Pki, seal: &Seal, pages: usize) -> Vec<u8> {
    let input = dir.join(format!("in{n}.pdf"));
    let out = dir.join(format!("ses{n}.pdf"));
    let g = Gen {
        pages,
        pad_bytes: 40 * n,
        ..Gen::default()
    };
    std::fs::write(&input, make_pdf(&g)).unwrap();
    let opts = SealOptions {
        page: 1,
        x_mm: 60.0,
        y_mm: 80.0,
        picture: cms_options(1, 60.0, 80.0).picture,
        payload: PayloadKind::Ses,
        contents_size: ses_contents_size(seal, &pki.signer.cert),
        signing_time: t(SIGNING),
        ..SealOptions::default()
    };
    let p = pdf::prepare(&input, &out, &opts).unwrap();
    p.finish_ses(seal, &pki.signer.cert, &pki.signer.signer())
        .unwrap();
    std::fs::read(&out).unwrap()
}

/// `input` sealed again with a CMS payload by the test signer.
fn cms_pdf(dir: &std::path::Path, n: usize, pki: &Pki, input: &[u8]) -> Vec<u8> {
    let (src, out) = (
        dir.join(format!("c{n}.pdf")),
        dir.join(format!("cms{n}.pdf")),
    );
    std::fs::write(&src, input).unwrap();
    let signer = TestSigner {
        signer: pki.signer.signer(),
        cert: pki.signer.cert.clone(),
    };
    seal_cms(&src, &out, &cms_options(1, 20.0, 20.0), &signer).unwrap();
    std::fs::read(&out).unwrap()
}

fn sealed_ofd(input: &[u8], pki: &Pki, seal: &Seal, when: &str) -> Vec<u8> {
    let opts = ofd::sign::SealOfdOptions {
        signing_time: Some(t(when)),
        ..Default::default()
    };
    ofd::sign::seal_ofd_bytes(input, &opts, seal, &pki.signer.cert, &pki.signer.signer()).unwrap()
}

/// The package with one entry's bytes changed (the others copied as they are).
fn with_entry_changed(zip_bytes: &[u8], entry: &str, change: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let target = f.name().is_ok_and(|n| n == entry);
        if !target {
            w.raw_copy_file(f).unwrap();
            continue;
        }
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        change(&mut data);
        w.start_file(entry, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn corpus(pki: &Pki) -> Vec<(String, Vec<u8>)> {
    let dir = tmpdir("batch-context");
    let seal = pki.seal(Version::V4);
    let other_seal = pki
        .builder()
        .seal_type(3)
        .build(&pki.maker.cert, &pki.maker.signer())
        .unwrap();
    let mut forged_der = seal.raw_der().to_vec();
    let n = forged_der.len();
    forged_der[n - 5] ^= 0x01; // inside the maker's signature value
    let forged = Seal::from_der(&forged_der).unwrap();

    let mut docs = Vec::new();
    for i in 0..6 {
        docs.push((
            format!("ses{i}.pdf"),
            ses_pdf(&dir, i, pki, &seal, 1 + i % 3),
        ));
    }
    docs.push((
        "other-seal.pdf".into(),
        ses_pdf(&dir, 6, pki, &other_seal, 1),
    ));
    docs.push(("forged-seal.pdf".into(), ses_pdf(&dir, 7, pki, &forged, 2)));
    let twice = cms_pdf(&dir, 0, pki, &docs[0].1);
    docs.push(("ses-then-cms.pdf".into(), twice));
    let plain = make_pdf(&Gen::default());
    std::fs::write(dir.join("plain.pdf"), &plain).unwrap();
    docs.push(("cms.pdf".into(), cms_pdf(&dir, 1, pki, &plain)));
    // Tampered PDFs: a page changed inside the signed bytes; bytes appended after the seal.
    let mut changed = docs[1].1.clone();
    let at = changed.windows(6).position(|w| w == b"(Page ").unwrap();
    changed[at + 1] = b'X';
    docs.push(("changed-page.pdf".into(), changed));
    let mut appended = docs[2].1.clone();
    appended.extend_from_slice(b"1 0 obj\n<< /Type /Catalog >>\nendobj\n");
    docs.push(("appended.pdf".into(), appended));

    let template = std::fs::read(repo_dir().join("test-vectors/licence/template.ofd")).unwrap();
    for (i, when) in [SIGNING, SIGNING, "2025-07-01T00:00:00Z", SIGNING]
        .iter()
        .enumerate()
    {
        docs.push((
            format!("ses{i}.ofd"),
            sealed_ofd(&template, pki, &seal, when),
        ));
    }
    let twice = sealed_ofd(&docs[docs.len() - 1].1, pki, &seal, "2025-08-01T00:00:00Z");
    docs.push(("sealed-twice.ofd".into(), twice));
    docs.push((
        "other-seal.ofd".into(),
        sealed_ofd(&template, pki, &other_seal, SIGNING),
    ));
    docs.push((
        "forged-seal.ofd".into(),
        sealed_ofd(&template, pki, &forged, SIGNING),
    ));
    let good = sealed_ofd(&template, pki, &seal, SIGNING);
    let changed = with_entry_changed(&good, "Doc_0/Pages/Page_0/Content.xml", |d| {
        d.extend_from_slice(b"<!-- changed -->")
    });
    docs.push(("changed-page.ofd".into(), changed));
    let _ = std::fs::remove_dir_all(&dir);
    docs
}

/// One document verified on its own, without a cache, through the public entry points.
fn uncached(pki: &Pki, name: &str, bytes: &[u8]) -> Report {
    if name.ends_with(".pdf") {
        let opts = pdf::VerifyOptions {
            trust: pki.store.clone(),
            now: Some(t(NOW)),
        };
        let doc = pdf::Document::from_bytes(bytes.to_vec()).unwrap();
        pdf::verify_document(&doc, name, &opts)
    } else {
        let opts = ofd::VerifyOptions {
            trust: pki.store.clone(),
            now: Some(t(NOW)),
            ..Default::default()
        };
        ofd::verify_ofd(name, bytes, &opts)
    }
}

fn json(r: &Report) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn cached_batch_of_sealed_documents_equals_uncached_one_at_a_time() {
    let pki = pki();
    let docs = corpus(&pki);
    let reports: Vec<Report> = docs.iter().map(|(n, b)| uncached(&pki, n, b)).collect();
    let expected: Vec<String> = reports.iter().map(json).collect();

    // The verdicts the corpus was built for, so that equal reports are also right ones.
    let verdict = |name: &str| -> Verdict {
        let i = docs.iter().position(|(n, _)| n == name).unwrap();
        reports[i].verdict
    };
    for name in [
        "ses0.pdf",
        "ses5.pdf",
        "ses-then-cms.pdf",
        "cms.pdf",
        "ses0.ofd",
        "sealed-twice.ofd",
    ] {
        assert_eq!(verdict(name), Verdict::Valid, "{name}");
    }
    for name in [
        "forged-seal.pdf",
        "changed-page.pdf",
        "forged-seal.ofd",
        "changed-page.ofd",
    ] {
        assert_eq!(verdict(name), Verdict::Invalid, "{name}");
    }

    // One at a time through the verifier with its cache off: the same reports.
    let mut plain = Verifier::with_store(pki.store.clone());
    plain.set_time(Some(t(NOW)));
    plain.set_caching(false);
    for ((n, b), e) in docs.iter().zip(&expected) {
        let got = plain.verify_bytes(n, b);
        assert_eq!(got.len(), 1);
        assert_eq!(json(&got[0]), *e, "{n} (verifier without cache)");
    }
    assert_eq!(plain.seal_cache_stats(), (0, 0));

    // The cached batch, cold then warm, with 1 and 2 workers.
    let mut v = Verifier::with_store(pki.store.clone());
    v.set_time(Some(t(NOW)));
    for (jobs, sorted) in [(1, true), (2, false), (2, true)] {
        let inputs = docs.iter().map(|(n, b)| Input::Bytes {
            name: n.clone(),
            bytes: b.clone(),
        });
        let opts = BatchOptions {
            jobs,
            sorted,
            ..BatchOptions::default()
        };
        let mut seen = 0;
        v.verify_many(inputs, &opts, |o| {
            assert_eq!(o.reports.len(), 1);
            let i = o.index as usize;
            assert_eq!(
                json(&o.reports[0]),
                expected[i],
                "{} (cached, jobs {jobs})",
                o.name
            );
            seen += 1;
        });
        assert_eq!(seen, docs.len());
    }
    let (seal_hits, _) = v.seal_cache_stats();
    let (path_hits, _) = v.cache().stats();
    assert!(seal_hits > 0 && path_hits > 0, "{seal_hits} {path_hits}");
}
