//! Several seals in one pass (`--job`, [`eseal::job`]) and many documents in one run
//! (`--batch`, [`eseal::seal_batch`]) through the `eseal` tool, with the demo's PKI: on PDFs
//! from three producers (ReportLab, Ghostscript ps2pdf, fpdf2 with an Identity-H font) and on
//! ofdrw's OFD samples. Every result verifies with every signature valid and, for PDF, every
//! signature's `modifications` check passing; qpdf checks the PDFs; a failing entry is named
//! and leaves nothing behind; a batch goes on past bad files and resumes.

mod common;
mod seal_cli;

use common::require_tool;
use seal_cli::{args, demo_dir, eseal, producers, text};
use std::path::Path;
use std::process::{Command, Output};

/// `eseal verify --format json` of one file: every signature valid, every PDF signature's
/// `modifications` check passing; returns the signatures' ids.
fn verify_all_valid(dir: &Path, file: &str, signatures: usize) -> Vec<String> {
    let o = eseal(
        dir,
        &["verify", "--trust", "d/root.pem", "--format", "json", file],
    );
    assert_eq!(o.status.code(), Some(0), "{file}: {}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v[0];
    assert_eq!(r["verdict"], "valid", "{file}: {r}");
    let sigs = r["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), signatures, "{file}: {r}");
    for s in sigs {
        assert_eq!(s["verdict"], "valid", "{file}: {s}");
        if r["kind"] == "pdf" {
            let m = s["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == "modifications")
                .expect("modifications check");
            assert_eq!(m["status"], "pass", "{file}: {m}");
        }
    }
    sigs.iter()
        .map(|s| s["id"].as_str().unwrap_or("").to_string())
        .collect()
}

fn qpdf_check(path: &Path) {
    if require_tool("qpdf") {
        let q = Command::new("qpdf")
            .arg("--check")
            .arg(path)
            .output()
            .unwrap();
        assert!(
            q.status.success(),
            "qpdf --check {}: {}",
            path.display(),
            text(&q)
        );
    }
}

fn no_temp_files(dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(!n.contains("tmp"), "temporary file left behind: {n}");
    }
}

#[test]
fn pdf_job_three_seals_on_three_producers() {
    let dir = demo_dir("job-pdf");
    // The second seal is another signer's key in a PKCS#12-free setup: the demo's maker key
    // is not listed in the seal, so every entry uses the demo signer, but the job mixes
    // placements, payloads and names.
    for (file, keyword, riding_pages) in [
        ("fpdf2_identity_h.pdf", "（盖章）", "all"),
        ("reportlab_latin.pdf", "Company Seal", "1-3"),
        ("gs_ps2pdf.pdf", "SIGNATURE", "all"),
    ] {
        let job = serde_json::json!({"seals": [
            {"name": "company", "keyword": keyword, "keyword_index": "all"},
            {"name": "riding", "riding": {"edge": "right", "pages": riding_pages, "at": 60}},
            {"name": "finance", "page": 1, "x": 120, "y": 220, "payload": "cms",
             "reason": "approved", "location": "北京"}
        ]});
        std::fs::write(dir.join("job.json"), job.to_string()).unwrap();
        let input = producers().join(file);
        let out = format!("job-{file}");
        let o = eseal(
            &dir,
            &args(
                "sign-pdf",
                &["--job", "job.json", input.to_str().unwrap(), "-o", &out],
            ),
        );
        assert_eq!(o.status.code(), Some(0), "{file}: {}", text(&o));
        let t = text(&o);
        assert!(t.contains("job entry 3 (\"finance\")"), "{t}");
        verify_all_valid(&dir, &out, 3);
        qpdf_check(&dir.join(&out));
        // Three revisions appended to the producer's file, in the job's order.
        let doc = eseal::pdf::Document::open(&dir.join(&out)).unwrap();
        let bytes = std::fs::read(dir.join(&out)).unwrap();
        let original = std::fs::read(&input).unwrap();
        assert!(
            bytes.starts_with(&original),
            "{file}: the original bytes are kept"
        );
        let text = String::from_utf8_lossy(&bytes[original.len()..]);
        let first = text.find("/GB.T38540.SES").unwrap();
        let cms = text.find("/adbe.pkcs7.detached").unwrap();
        assert!(first < cms, "{file}: the CMS seal comes last");
        assert!(text.contains("approved"));
        drop(doc);
    }
    no_temp_files(&dir);
}

#[test]
fn ofd_job_on_samples() {
    let Some(samples) = common::samples_dir().map(|d| d.join("ofdrw")) else {
        return;
    };
    let dir = demo_dir("job-ofd");
    let job = serde_json::json!({"seals": [
        {"name": "page", "page": 2, "x": 100, "y": 200},
        {"name": "riding", "riding": {"edge": "bottom"}},
        {"name": "last", "page": 1, "x": 20, "y": 150, "protect_all": true}
    ]});
    std::fs::write(dir.join("job.json"), job.to_string()).unwrap();
    let input = samples.join("VPage7.ofd");
    let o = eseal(
        &dir,
        &args(
            "sign-ofd",
            &[
                "--job",
                "job.json",
                input.to_str().unwrap(),
                "-o",
                "job.ofd",
            ],
        ),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    verify_all_valid(&dir, "job.ofd", 3);
    // protect_all on the last entry: nothing more may be added.
    let o = eseal(&dir, &args("sign-ofd", &["job.ofd", "-o", "more.ofd"]));
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("protects Signatures.xml"), "{}", text(&o));

    // A keyword entry on the sample with five occurrences, then a second seal.
    let job = serde_json::json!({"seals": [
        {"keyword": "哈哈", "keyword_index": "all"},
        {"keyword": "打发", "keyword_index": 2, "offset_y": 30}
    ]});
    std::fs::write(dir.join("kw.json"), job.to_string()).unwrap();
    let input = samples.join("multiKeywordInTextCode.ofd");
    let o = eseal(
        &dir,
        &args(
            "sign-ofd",
            &["--job", "kw.json", input.to_str().unwrap(), "-o", "kw.ofd"],
        ),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    verify_all_valid(&dir, "kw.ofd", 2);
    no_temp_files(&dir);
}

#[test]
fn a_failing_entry_is_named_and_nothing_is_written() {
    let dir = demo_dir("job-errors");
    let input = producers().join("reportlab_latin.pdf");
    let input = input.to_str().unwrap();
    let job = serde_json::json!({"seals": [
        {"name": "first", "page": 1},
        {"name": "second", "keyword": "盖章"},
        {"page": 2}
    ]});
    std::fs::write(dir.join("job.json"), job.to_string()).unwrap();
    let o = eseal(
        &dir,
        &args("sign-pdf", &["--job", "job.json", input, "-o", "out.pdf"]),
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("job entry 2 (\"second\"): keyword \"盖章\" not found on pages 1-3"),
        "{t}"
    );
    assert!(!dir.join("out.pdf").exists());
    no_temp_files(&dir);
    // Errors in the file itself name the entry too, before anything is loaded.
    for (json, want) in [
        (
            r#"{"seals": [{"page": 1}, {"pag": 2}]}"#,
            "job entry 2: unknown field `pag`",
        ),
        (
            r#"{"seals": [{"keyword": "x", "riding": {}}]}"#,
            "job entry 1: \"keyword\" and \"riding\" exclude each other",
        ),
        (r#"{"seals": [{"seal": "missing.esl"}]}"#, "job entry 1: "),
        (
            r#"{"seals": [{"protect_all": true}]}"#,
            "job entry 1: \"protect_all\" applies to OFD documents only",
        ),
    ] {
        std::fs::write(dir.join("bad.json"), json).unwrap();
        let o = eseal(
            &dir,
            &args("sign-pdf", &["--job", "bad.json", input, "-o", "out.pdf"]),
        );
        assert_eq!(o.status.code(), Some(2), "{json}: {}", text(&o));
        assert!(text(&o).contains(want), "{json}: {}", text(&o));
        assert!(!dir.join("out.pdf").exists());
    }
    // PDF-only members are refused in an OFD job.
    std::fs::write(dir.join("bad.json"), r#"{"seals": [{"reason": "x"}]}"#).unwrap();
    let o = eseal(
        &dir,
        &args(
            "sign-ofd",
            &["--job", "bad.json", "d/contract.ofd", "-o", "out.ofd"],
        ),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o).contains("job entry 1: \"reason\" applies to PDF documents only"),
        "{}",
        text(&o)
    );
    // Placement flags and --job exclude each other.
    let o = eseal(
        &dir,
        &args(
            "sign-pdf",
            &["--job", "job.json", "--page", "2", input, "-o", "out.pdf"],
        ),
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

/// The batch summary line's counts: (sealed, skipped, failed).
fn counts(o: &Output) -> (u64, u64, u64) {
    let t = String::from_utf8_lossy(&o.stderr).to_string();
    let line = t
        .lines()
        .find(|l| l.contains(": sealed "))
        .unwrap_or_else(|| panic!("no summary in {t}"));
    let num = |after: &str| -> u64 {
        let i = line.find(after).unwrap() + after.len();
        line[i..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    (num("sealed "), num("skipped "), num("failed "))
}

#[test]
fn pdf_batch_goes_on_past_bad_files_and_resumes() {
    let dir = demo_dir("batch-pdf");
    let src = dir.join("in");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    for f in [
        "fpdf2_identity_h.pdf",
        "reportlab_latin.pdf",
        "gs_ps2pdf.pdf",
        "reportlab_cid.pdf",
    ] {
        std::fs::copy(producers().join(f), src.join(f)).unwrap();
    }
    std::fs::copy(dir.join("d/contract.pdf"), src.join("sub/contract.pdf")).unwrap();
    std::fs::write(src.join("broken.pdf"), b"%PDF-1.4\nnot really\n").unwrap();
    std::fs::write(src.join("notes.txt"), b"not a PDF: not picked").unwrap();
    let o = eseal(
        &dir,
        &args("sign-pdf", &["--batch", "in", "-o", "out", "--jobs", "2"]),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(counts(&o), (5, 0, 1), "{}", text(&o));
    let errors = std::fs::read_to_string(dir.join("out/errors.csv")).unwrap();
    assert_eq!(errors.lines().count(), 2, "{errors}");
    assert!(errors.contains("broken.pdf"), "{errors}");
    for f in [
        "out/fpdf2_identity_h.pdf",
        "out/reportlab_latin.pdf",
        "out/gs_ps2pdf.pdf",
        "out/reportlab_cid.pdf",
        "out/sub/contract.pdf",
    ] {
        verify_all_valid(&dir, f, 1);
    }
    qpdf_check(&dir.join("out/reportlab_cid.pdf"));
    assert!(!dir.join("out/broken.pdf").exists());
    no_temp_files(&dir.join("out"));
    // Again: everything sealed is skipped; one output removed is sealed again.
    let before = std::fs::read(dir.join("out/gs_ps2pdf.pdf")).unwrap();
    std::fs::remove_file(dir.join("out/reportlab_latin.pdf")).unwrap();
    let o = eseal(&dir, &args("sign-pdf", &["--batch", "in", "-o", "out"]));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(counts(&o), (1, 4, 1), "{}", text(&o));
    assert_eq!(
        std::fs::read(dir.join("out/gs_ps2pdf.pdf")).unwrap(),
        before
    );
    verify_all_valid(&dir, "out/reportlab_latin.pdf", 1);
    // The bad file fixed: the run is clean and errors.csv goes away.
    std::fs::remove_file(src.join("broken.pdf")).unwrap();
    let o = eseal(&dir, &args("sign-pdf", &["--batch", "in", "-o", "out"]));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!dir.join("out/errors.csv").exists());
    // A keyword batch: the documents without the keyword fail, by name.
    let o = eseal(
        &dir,
        &args(
            "sign-pdf",
            &[
                "--batch",
                "in",
                "-o",
                "kw",
                "--keyword",
                "盖章",
                "--keyword-index",
                "all",
            ],
        ),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(counts(&o), (2, 0, 3), "{}", text(&o));
    assert!(text(&o).contains("gs_ps2pdf.pdf: invalid argument: keyword \"盖章\" not found"));
    verify_all_valid(&dir, "kw/fpdf2_identity_h.pdf", 1);
    verify_all_valid(&dir, "kw/reportlab_cid.pdf", 1);
}

#[test]
fn ofd_batch_from_a_list_with_a_job() {
    let Some(samples) = common::samples_dir().map(|d| d.join("ofdrw")) else {
        return;
    };
    let dir = demo_dir("batch-ofd");
    let files = ["helloworld.ofd", "VPage7.ofd", "fptpl.ofd", "missing.ofd"];
    let list: String = files
        .iter()
        .map(|f| format!("{}\n", samples.join(f).display()))
        .collect();
    std::fs::write(dir.join("list.txt"), format!("# samples\n{list}")).unwrap();
    let job = serde_json::json!({"seals": [
        {"name": "a", "page": 1, "x": 30, "y": 40},
        {"name": "b", "page": 1, "x": 100, "y": 40}
    ]});
    std::fs::write(dir.join("job.json"), job.to_string()).unwrap();
    let o = eseal(
        &dir,
        &args(
            "sign-ofd",
            &[
                "--batch", "list.txt", "--job", "job.json", "-o", "out", "--jobs", "3",
            ],
        ),
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert_eq!(counts(&o), (3, 0, 1), "{}", text(&o));
    assert!(text(&o).contains("missing.ofd"), "{}", text(&o));
    for f in &files[..3] {
        verify_all_valid(&dir, &format!("out/{f}"), 2);
    }
    no_temp_files(&dir.join("out"));
}
