//! Reading: hybrid files, damaged xref reconstruction, encrypted files, hostile structures,
//! and a malformed corpus (hundreds of mutations of real PDFs): clear errors, never a panic.

mod pdf_util;

use eseal::ErrorKind;
use eseal::pdf::Document;
use eseal::pdf::verify::{VerifyOptions, verify_document};
use eseal::report::{Status, ids};
use pdf_util::*;
use std::process::Command;

/// A hybrid-reference file (§7.5.8.4): page object 4 lives only in an object stream listed by
/// the /XRefStm stream; the classic table marks it free.
fn hybrid_pdf() -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut off = [0usize; 8];
    let mut obj = |out: &mut Vec<u8>, n: usize, body: &str| {
        off[n] = out.len();
        out.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
    };
    obj(&mut out, 1, "<< /Type /Catalog /Pages 2 0 R >>");
    obj(
        &mut out,
        2,
        "<< /Type /Pages /Kids [4 0 R] /Count 1 /MediaBox [0 0 400 300] /Rotate 90 >>",
    );
    let content = "BT /F1 12 Tf 20 20 Td (hybrid) Tj ET";
    obj(
        &mut out,
        3,
        &format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
    );
    let inner = "<< /Type /Page /Parent 2 0 R /Contents 3 0 R /Resources << >> >>";
    let header = "4 0 ";
    let objstm = format!("{header}{inner}");
    obj(
        &mut out,
        6,
        &format!(
            "<< /Type /ObjStm /N 1 /First {} /Length {} >>\nstream\n{objstm}\nendstream",
            header.len(),
            objstm.len()
        ),
    );
    // xref stream 7: W [1 2 1]: obj 4 -> type 2 in stream 6 index 0.
    let data = [2u8, 0, 6, 0];
    let xs = out.len();
    out.extend_from_slice(
        format!(
            "7 0 obj\n<< /Type /XRef /W [1 2 1] /Index [4 1] /Size 8 /Length {} >>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    let x = out.len();
    out.extend_from_slice(b"xref\n0 8\n0000000000 65535 f\r\n");
    for (n, o) in off.iter().enumerate().skip(1) {
        let line = match n {
            4 | 5 => "0000000000 00001 f\r\n".to_string(),
            7 => format!("{xs:010} 00000 n\r\n"),
            _ => format!("{o:010} 00000 n\r\n"),
        };
        out.extend_from_slice(line.as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size 8 /Root 1 0 R /XRefStm {xs} >>\nstartxref\n{x}\n%%EOF\n")
            .as_bytes(),
    );
    out
}

#[test]
fn hybrid_file_reads_and_seals() {
    let bytes = hybrid_pdf();
    let doc = Document::from_bytes(bytes.clone()).unwrap();
    let p = doc.page(1).unwrap();
    assert_eq!(p.rotate, 90);
    assert_eq!(p.media_box, [0.0, 0.0, 400.0, 300.0]);
    let dir = tmpdir("hybrid");
    let input = dir.join("hybrid.pdf");
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.join("sealed.pdf");
    seal_cms(
        &input,
        &out,
        &cms_options(1, 10.0, 10.0),
        &test_signer("Hybrid"),
    )
    .unwrap();
    let doc = Document::from_bytes(std::fs::read(&out).unwrap()).unwrap();
    let r = verify_document(&doc, "sealed.pdf", &VerifyOptions::default());
    assert_eq!(r.signatures.len(), 1);
    assert!(
        r.signatures[0]
            .checks
            .iter()
            .all(|c| c.status != Status::Fail),
        "{r:#?}"
    );
    if have("qpdf") {
        let (ok, o) = run(Command::new("qpdf").arg("--check").arg(&out));
        assert!(ok, "{o}");
    }
}

#[test]
fn damaged_xref_is_reconstructed() {
    let good = make_pdf(&Gen::default());
    // startxref points nowhere useful.
    let pos = rfind(&good, b"startxref\n") + 10;
    let mut bad = good.clone();
    bad[pos] = b'9';
    bad[pos + 1] = b'9';
    let doc = Document::from_bytes(bad.clone()).unwrap();
    assert!(doc.is_reconstructed());
    assert_eq!(doc.page_count().unwrap(), 2);
    // No xref at all (truncated before "xref").
    let cut = good.windows(5).position(|w| w == b"xref\n").unwrap();
    let doc = Document::from_bytes(good[..cut].to_vec()).unwrap();
    assert!(doc.is_reconstructed());
    doc.page(2).unwrap();
    // Sealing a damaged file writes a full xref; the result reads without reconstruction.
    let dir = tmpdir("damaged");
    let input = dir.join("damaged.pdf");
    std::fs::write(&input, &bad).unwrap();
    let out = dir.join("sealed.pdf");
    seal_cms(
        &input,
        &out,
        &cms_options(1, 10.0, 10.0),
        &test_signer("Damaged"),
    )
    .unwrap();
    let doc = Document::open(&out).unwrap();
    assert!(!doc.is_reconstructed());
    let r = verify_document(&doc, "x", &VerifyOptions::default());
    let br = r.signatures[0]
        .checks
        .iter()
        .find(|c| c.id == ids::BYTE_RANGE)
        .unwrap();
    assert_eq!(br.status, Status::Pass, "{r:#?}");
    if have("qpdf") {
        let (_, o) = run(Command::new("qpdf").arg("--check").arg(&out));
        assert!(o.contains("No syntax or stream encoding errors"), "{o}");
    }
    // Not a PDF at all.
    assert_eq!(
        Document::from_bytes(b"hello".to_vec()).unwrap_err().kind(),
        ErrorKind::MalformedPdf
    );
    assert_eq!(
        Document::from_bytes(b"%PDF-1.4\nnothing".to_vec())
            .unwrap_err()
            .kind(),
        ErrorKind::MalformedPdf
    );
}

#[test]
fn encrypted_is_refused() {
    let mut pdf = make_pdf(&Gen::default());
    let pos = rfind(&pdf, b"/Root 1 0 R");
    pdf.splice(
        pos..pos,
        b"/Encrypt << /Filter /Standard /V 2 /R 3 >> "
            .iter()
            .copied(),
    );
    // The startxref offset is unchanged (the trailer comes after the xref table).
    assert_eq!(
        Document::from_bytes(pdf).unwrap_err().kind(),
        ErrorKind::EncryptedPdf
    );
    if have("qpdf") {
        let dir = tmpdir("encrypted");
        let plain = dir.join("plain.pdf");
        std::fs::write(&plain, make_pdf(&Gen::default())).unwrap();
        let enc = dir.join("enc.pdf");
        let (ok, o) = run(Command::new("qpdf")
            .args(["--encrypt", "u", "o", "256", "--"])
            .arg(&plain)
            .arg(&enc));
        assert!(ok, "{o}");
        assert_eq!(
            Document::open(&enc).unwrap_err().kind(),
            ErrorKind::EncryptedPdf
        );
        let e = seal_cms(
            &enc,
            &dir.join("x.pdf"),
            &cms_options(1, 1.0, 1.0),
            &test_signer("E"),
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::EncryptedPdf);
    }
}

#[test]
fn hostile_structures() {
    // /Prev loop, page tree loop, self-referencing /Length, deep arrays.
    let mut pdf = make_pdf(&Gen::default());
    let x = rfind(&pdf, b"startxref\n");
    let xref_at: usize = String::from_utf8_lossy(&pdf[x + 10..])
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let pos = rfind(&pdf, b"/Root 1 0 R");
    pdf.splice(pos..pos, format!("/Prev {xref_at} ").bytes());
    let doc = Document::from_bytes(pdf).unwrap();
    doc.page(1).unwrap();

    let looped = make_pdf(&Gen::default());
    let s = String::from_utf8_lossy(&looped)
        .into_owned()
        .replace("/Kids [4 0 R 6 0 R]", "/Kids [2 0 R 6 0 R]");
    let doc = Document::from_bytes(s.into_bytes()).unwrap();
    assert!(doc.page_ids().is_err());
    assert!(doc.page(1).is_err());
    let r = verify_document(&doc, "loop", &VerifyOptions::default());
    assert!(r.signatures.is_empty());

    let deep = format!(
        "%PDF-1.4\n1 0 obj\n{}\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
        "[".repeat(100_000)
    );
    let e = Document::from_bytes(deep.into_bytes());
    assert!(e.is_err() || e.unwrap().page(1).is_err());
}

fn rfind(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .rposition(|w| w == needle)
        .unwrap()
}

/// A deterministic generator (xorshift) so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(src: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = src.to_vec();
    match rng.below(7) {
        0 => b.truncate(rng.below(b.len())),
        1 => {
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
        }
        2 => {
            // Change a digit (offsets, lengths, object numbers).
            let digits: Vec<usize> = b
                .iter()
                .enumerate()
                .filter(|(_, c)| c.is_ascii_digit())
                .map(|(i, _)| i)
                .collect();
            for _ in 0..1 + rng.below(4) {
                let i = digits[rng.below(digits.len())];
                b[i] = b'0' + rng.below(10) as u8;
            }
        }
        3 => {
            let i = rng.below(b.len());
            let n = rng.below(200).min(b.len() - i);
            b.drain(i..i + n);
        }
        4 => {
            let i = rng.below(b.len());
            let n = rng.below(200).min(b.len() - i);
            let chunk = b[i..i + n].to_vec();
            let j = rng.below(b.len());
            b.splice(j..j, chunk);
        }
        5 => {
            // Swap a delimiter for another.
            let delims = b"<>[]()/";
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(b.len());
                if delims.contains(&b[i]) {
                    b[i] = delims[rng.below(delims.len())];
                }
            }
        }
        _ => {
            // Huge numbers.
            let i = rng.below(b.len());
            b.splice(i..i, b"99999999999999999999 ".iter().copied());
        }
    }
    b
}

#[test]
fn malformed_corpus_gives_clear_errors() {
    let dir = tmpdir("corpus");
    let s = test_signer("Corpus");
    let mut seeds = vec![
        make_pdf(&Gen::default()),
        make_pdf(&Gen {
            annots_indirect: true,
            inherit: true,
            rotate: Some(90),
            ..Gen::default()
        }),
        hybrid_pdf(),
    ];
    let sealed_in = dir.join("seed.pdf");
    std::fs::write(&sealed_in, &seeds[0]).unwrap();
    let sealed = dir.join("seed-sealed.pdf");
    seal_cms(&sealed_in, &sealed, &cms_options(1, 10.0, 10.0), &s).unwrap();
    seeds.push(std::fs::read(&sealed).unwrap());
    if have("qpdf") {
        for (i, args) in [vec!["--object-streams=generate"], vec!["--linearize"]]
            .iter()
            .enumerate()
        {
            let out = dir.join(format!("q{i}.pdf"));
            let (ok, o) = run(Command::new("qpdf").args(args).arg(&sealed_in).arg(&out));
            assert!(ok, "{o}");
            seeds.push(std::fs::read(&out).unwrap());
        }
    }
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut count = 0;
    let mut errors = 0;
    for round in 0..60 {
        for seed in &seeds {
            let m = mutate(seed, &mut rng);
            count += 1;
            let res = Document::from_bytes(m.clone()).and_then(|doc| {
                let _ = doc.page_ids();
                let _ = doc.page(1);
                let r = verify_document(&doc, "m", &VerifyOptions::default());
                let _ = r.to_json();
                doc.page(1).map(|_| ())
            });
            if let Err(e) = &res {
                errors += 1;
                assert!(
                    (1000..2000).contains(&e.code()) || (5000..6000).contains(&e.code()),
                    "unexpected error kind {e}"
                );
                assert!(!e.to_string().is_empty());
            }
            // Sealing a mutated file either works (and the result reads) or fails cleanly.
            if round % 6 == 0 {
                let input = dir.join("m.pdf");
                std::fs::write(&input, &m).unwrap();
                let out = dir.join("m-sealed.pdf");
                let _ = std::fs::remove_file(&out);
                match seal_cms(&input, &out, &cms_options(1, 10.0, 10.0), &s) {
                    Ok(()) => {
                        Document::open(&out).unwrap();
                    }
                    Err(e) => assert!(!out.exists(), "{e}"),
                }
            }
        }
    }
    assert!(count >= 200, "{count} mutations");
    eprintln!("{count} mutations, {errors} rejected with clear errors");
}
