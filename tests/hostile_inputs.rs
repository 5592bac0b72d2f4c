//! Hostile files against the stated resource limits (README, "Resource limits"): each is read
//! and verified within 1 s and 64 MiB of heap, with a named error (an [`ErrorKind`] and a
//! report whose `error` or `format` check says what went wrong), never a panic, a hang or a
//! stack overflow. The files are built here: DER nested 10,000 deep, XML with a DTD and entity
//! expansion, a zip bomb, and for PDF FlateDecode bombs in a stream and an object stream,
//! `/Prev` and `/XRefStm` loops, objects nested 10,000 deep, `/Length` lies and huge `/Count`
//! page trees.
//!
//! Heap use is measured by a counting global allocator (peak live bytes above the level at the
//! start); the tests take a lock so they are measured one at a time. Each case runs on a thread
//! with a 1 MiB stack, half of what a test thread gets, to show no deep recursion.

use eseal::pdf::{Document, VerifyOptions, verify_document};
use eseal::report::{Kind, Report, Verdict};
use eseal::{Error, ErrorKind};
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Counting;

// SAFETY: forwards to System and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const TIME_LIMIT: Duration = Duration::from_secs(1);
const HEAP_LIMIT: usize = 64 << 20;

/// Runs `f` on a 1 MiB stack and checks the time and heap limits; returns what `f` returned.
fn bounded<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let start = Instant::now();
    let out = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("{what}: panicked"));
    let took = start.elapsed();
    let peak = PEAK.load(Ordering::SeqCst).saturating_sub(base);
    eprintln!("{what}: {took:?}, peak heap {} KiB", peak / 1024);
    assert!(took < TIME_LIMIT, "{what}: took {took:?}");
    assert!(peak < HEAP_LIMIT, "{what}: peak heap {peak} bytes");
    out
}

/// Verifies a PDF given as bytes as the CLI does: the reader's error or the verifier's report.
fn verify_pdf_bytes(bytes: Vec<u8>) -> Report {
    let opts = VerifyOptions::default();
    match Document::from_bytes(bytes) {
        Ok(doc) => verify_document(&doc, "hostile.pdf", &opts),
        Err(e) => Report::from_error("hostile.pdf", Kind::Pdf, &e),
    }
}

fn zlib(chunks: usize, chunk: &[u8]) -> Vec<u8> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..chunks {
        z.write_all(chunk).unwrap();
    }
    z.finish().unwrap()
}

/// 256 MiB of zeros, zlib-compressed (about 256 KiB).
fn flate_bomb() -> Vec<u8> {
    zlib(256, &[0u8; 1 << 20])
}

/// A PDF with a classic xref table over `objs` (object n+1 = objs[n], raw bytes between
/// `obj` and `endobj`) and `trailer` entries added to /Size.
fn classic_pdf(objs: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(o);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

const CATALOG: &str = "<< /Type /Catalog /Pages 2 0 R >>";
const PAGES: &str = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
const PAGE: &str = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>";

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn not_valid(what: &str, r: &Report) {
    assert_ne!(r.verdict, Verdict::Valid, "{what}");
}

fn named(what: &str, e: &Error, kinds: &[ErrorKind]) {
    assert!(kinds.contains(&e.kind()), "{what}: {:?} {e}", e.kind());
}

#[test]
fn pdf_flate_bomb_in_a_content_stream() {
    let objs = vec![
        b(CATALOG),
        b(PAGES),
        b(PAGE),
        stream("/Filter /FlateDecode", &flate_bomb()),
    ];
    let pdf = classic_pdf(&objs, "/Root 1 0 R");
    bounded("pdf flate bomb (stream)", move || {
        let doc = Document::from_bytes(pdf.clone()).unwrap();
        let Ok(eseal::pdf::object::Object::Stream(s)) = doc.get(4) else {
            panic!("object 4 is not a stream");
        };
        let e = doc
            .decode_stream(&s, eseal::pdf::document::MAX_DECODED)
            .unwrap_err();
        named("flate bomb", &e, &[ErrorKind::LimitExceeded]);
        not_valid("flate bomb", &verify_pdf_bytes(pdf));
    });
}

/// A PDF whose objects live in an object stream (a FlateDecode bomb) indexed by an xref stream.
#[test]
fn pdf_flate_bomb_in_an_object_stream() {
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let off1 = pdf.len();
    // Object 1: the object stream, said to hold objects 2 (catalog), 3 (pages), 4 (page).
    pdf.extend_from_slice(b"1 0 obj\n");
    pdf.extend_from_slice(&stream(
        "/Type /ObjStm /N 3 /First 12 /Filter /FlateDecode",
        &flate_bomb(),
    ));
    pdf.extend_from_slice(b"\nendobj\n");
    let off5 = pdf.len();
    let mut rows = Vec::new();
    let row = |t: u8, a: u32, b: u16| {
        let mut r = vec![t];
        r.extend_from_slice(&a.to_be_bytes());
        r.extend_from_slice(&b.to_be_bytes());
        r
    };
    rows.extend(row(0, 0, 65535));
    rows.extend(row(1, off1 as u32, 0));
    for i in 0..3 {
        rows.extend(row(2, 1, i));
    }
    rows.extend(row(1, off5 as u32, 0));
    pdf.extend_from_slice(b"5 0 obj\n");
    pdf.extend_from_slice(&stream("/Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R", &rows));
    pdf.extend_from_slice(format!("\nendobj\nstartxref\n{off5}\n%%EOF\n").as_bytes());
    bounded("pdf flate bomb (object stream)", move || {
        match Document::from_bytes(pdf.clone()) {
            Ok(doc) => {
                let e = doc.catalog().unwrap_err();
                named("objstm bomb", &e, &[ErrorKind::LimitExceeded]);
            }
            Err(e) => named("objstm bomb", &e, &[ErrorKind::LimitExceeded]),
        }
        not_valid("objstm bomb", &verify_pdf_bytes(pdf));
    });
}

#[test]
fn pdf_prev_loops() {
    // The trailer's /Prev points at its own xref table.
    let objs = vec![b(CATALOG), b(PAGES), b(PAGE), stream("", b"q Q")];
    let base = classic_pdf(&objs, "/Root 1 0 R");
    let xref = base.windows(5).rposition(|w| w == b"xref\n").unwrap();
    let self_loop = classic_pdf(&objs, &format!("/Root 1 0 R /Prev {xref}"));
    // Two updates pointing at each other: the last one's /Prev is the first, whose /Prev
    // (written with a fixed width, then patched) is the last.
    let mut two = classic_pdf(&objs, "/Root 1 0 R /Prev 0000000000");
    let first = two.windows(5).rposition(|w| w == b"xref\n").unwrap();
    let second = two.len();
    two.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 5 /Root 1 0 R /Prev {first} >>\nstartxref\n{second}\n%%EOF\n"
        )
        .as_bytes(),
    );
    let at = two
        .windows(16)
        .position(|w| w == b"/Prev 0000000000")
        .unwrap();
    two.splice(at + 6..at + 16, format!("{second:010}").bytes());
    for (what, pdf) in [("self /Prev", self_loop), ("/Prev cycle", two)] {
        bounded(what, move || {
            if let Ok(doc) = Document::from_bytes(pdf.clone()) {
                assert!(
                    doc.sections().len() <= 3,
                    "{what}: {}",
                    doc.sections().len()
                );
            }
            let _ = verify_pdf_bytes(pdf);
        });
    }
}

#[test]
fn pdf_xrefstm_loop() {
    // A hybrid-reference file: the table's trailer names an xref stream (/XRefStm) whose /Prev
    // is the table again.
    let objs = [b(CATALOG), b(PAGES), b(PAGE), stream("", b"q Q")];
    let mut pdf = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend_from_slice(o);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xs = pdf.len();
    let table = xs + 200; // where the table will be: padded below
    let rows: Vec<u8> = [0u8, 0, 0, 0, 0, 0xff, 0xff].to_vec();
    let mut obj5 = b"5 0 obj\n".to_vec();
    obj5.extend_from_slice(&stream(
        &format!("/Type /XRef /Size 6 /W [1 4 2] /Index [0 1] /Prev {table}"),
        &rows,
    ));
    obj5.extend_from_slice(b"\nendobj\n");
    assert!(obj5.len() < 200);
    obj5.resize(200, b' ');
    pdf.extend_from_slice(&obj5);
    assert_eq!(pdf.len(), table);
    pdf.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size 6 /Root 1 0 R /XRefStm {xs} /Prev {table} >>\nstartxref\n{table}\n%%EOF\n"
        )
        .as_bytes(),
    );
    bounded("/XRefStm loop", move || {
        if let Ok(doc) = Document::from_bytes(pdf.clone()) {
            assert!(doc.sections().len() <= 3, "{}", doc.sections().len());
        }
        let _ = verify_pdf_bytes(pdf);
    });
}

#[test]
fn pdf_objects_nested_10000_deep() {
    let arrays = format!(
        "<< /Type /Catalog /Pages 2 0 R /Deep {}{} >>",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let mut dicts = String::from("<< /Type /Catalog /Pages 2 0 R /Deep ");
    for _ in 0..10_000 {
        dicts.push_str("<< /A ");
    }
    dicts.push('1');
    dicts.push_str(&" >>".repeat(10_001));
    for (what, catalog) in [("arrays 10,000 deep", arrays), ("dicts 10,000 deep", dicts)] {
        let pdf = classic_pdf(
            &[b(&catalog), b(PAGES), b(PAGE), stream("", b"q Q")],
            "/Root 1 0 R",
        );
        bounded(what, move || {
            if let Ok(doc) = Document::from_bytes(pdf.clone()) {
                let e = doc.catalog().unwrap_err();
                named(
                    what,
                    &e,
                    &[ErrorKind::LimitExceeded, ErrorKind::MalformedPdf],
                );
            }
            not_valid(what, &verify_pdf_bytes(pdf));
        });
    }
    // A chain of 10,000 indirect references: 1 0 R is 2 0 R is 3 0 R ...
    let mut objs: Vec<Vec<u8>> = (2..=10_000).map(|n| b(&format!("{n} 0 R"))).collect();
    objs.push(b("null"));
    let mut all = vec![b("<< /Type /Catalog /Pages 10002 0 R /Deep 2 0 R >>")];
    all.extend(objs);
    all.push(b("<< /Type /Pages /Kids [] /Count 0 >>"));
    let pdf = classic_pdf(&all, "/Root 1 0 R");
    bounded("references 10,000 deep", move || {
        let doc = Document::from_bytes(pdf.clone()).unwrap();
        let deep = eseal::pdf::object::Object::Ref(2, 0);
        let r = doc.resolve(&deep);
        if let Err(e) = &r {
            named(
                "reference chain",
                e,
                &[ErrorKind::LimitExceeded, ErrorKind::MalformedPdf],
            );
        }
        let _ = verify_pdf_bytes(pdf);
    });
}

#[test]
fn pdf_length_lies() {
    let data = b"BT /F1 12 Tf (hello) Tj ET";
    let cases: Vec<(&str, Vec<Vec<u8>>)> = vec![
        (
            "/Length 1,000,000,000",
            vec![{
                let mut o = b"<< /Length 1000000000 >>\nstream\n".to_vec();
                o.extend_from_slice(data);
                o.extend_from_slice(b"\nendstream");
                o
            }],
        ),
        (
            "/Length -1",
            vec![{
                let mut o = b"<< /Length -1 >>\nstream\n".to_vec();
                o.extend_from_slice(data);
                o.extend_from_slice(b"\nendstream");
                o
            }],
        ),
        (
            "/Length too short",
            vec![{
                let mut o = b"<< /Length 3 >>\nstream\n".to_vec();
                o.extend_from_slice(data);
                o.extend_from_slice(b"\nendstream");
                o
            }],
        ),
        (
            "/Length referring to itself",
            vec![
                {
                    let mut o = b"<< /Length 5 0 R >>\nstream\n".to_vec();
                    o.extend_from_slice(data);
                    o.extend_from_slice(b"\nendstream");
                    o
                },
                b("5 0 R"),
            ],
        ),
    ];
    for (what, extra) in cases {
        let mut objs = vec![b(CATALOG), b(PAGES), b(PAGE)];
        objs.extend(extra);
        let pdf = classic_pdf(&objs, "/Root 1 0 R");
        bounded(what, move || {
            if let Ok(doc) = Document::from_bytes(pdf.clone())
                && let Ok(eseal::pdf::object::Object::Stream(s)) = doc.get(4)
            {
                match doc.stream_raw(&s, eseal::pdf::document::MAX_DECODED) {
                    Ok(raw) => assert!(raw.len() <= 1 << 20, "{what}: {} bytes", raw.len()),
                    Err(e) => named(
                        what,
                        &e,
                        &[ErrorKind::LimitExceeded, ErrorKind::MalformedPdf],
                    ),
                }
            }
            let _ = verify_pdf_bytes(pdf);
        });
    }
}

#[test]
fn pdf_huge_count_page_trees() {
    let cases = [
        (
            "/Count 2,147,483,647 over one kid",
            "<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
        ),
        (
            "/Count 10^18",
            "<< /Type /Pages /Kids [3 0 R] /Count 1000000000000000000 >>",
        ),
        (
            "a Pages node that is its own kid",
            "<< /Type /Pages /Kids [2 0 R 2 0 R 3 0 R] /Count 1000000 >>",
        ),
    ];
    for (what, pages) in cases {
        let pdf = classic_pdf(
            &[b(CATALOG), b(pages), b(PAGE), stream("", b"q Q")],
            "/Root 1 0 R",
        );
        bounded(what, move || {
            let doc = Document::from_bytes(pdf.clone()).unwrap();
            let _ = doc.page_count();
            let _ = doc.page(0);
            let _ = doc.page(2_000_000_000);
            if let Ok(ids) = doc.page_ids() {
                assert!(ids.len() <= 3, "{what}: {} pages", ids.len());
            }
            let _ = verify_pdf_bytes(pdf);
        });
    }
}

/// DER SEQUENCEs nested `depth` deep (definite lengths), around `inner`.
fn nested_der(depth: usize, inner: &[u8]) -> Vec<u8> {
    let mut v = inner.to_vec();
    for _ in 0..depth {
        let mut out = vec![0x30];
        eseal::asn1::write_len(&mut out, v.len());
        out.extend_from_slice(&v);
        v = out;
    }
    v
}

#[test]
fn der_nested_10000_deep() {
    let definite = nested_der(10_000, &[0x05, 0x00]);
    // BER indefinite lengths, as a PKCS#12 file may use them: 30 80 ... 00 00.
    let mut indefinite = Vec::new();
    for _ in 0..10_000 {
        indefinite.extend_from_slice(&[0x30, 0x80]);
    }
    for _ in 0..10_000 {
        indefinite.extend_from_slice(&[0x00, 0x00]);
    }
    // The same under a PFX header (version 3), which sends it to the BER normaliser.
    let mut pfx_body = vec![0x02, 0x01, 0x03];
    pfx_body.extend_from_slice(&indefinite);
    let mut pfx = vec![0x30, 0x80];
    pfx.extend_from_slice(&pfx_body);
    pfx.extend_from_slice(&[0x00, 0x00]);
    for (what, der) in [
        ("DER 10,000 deep", definite),
        ("BER indefinite 10,000 deep", indefinite),
        ("PFX with BER 10,000 deep", pfx),
    ] {
        bounded(what, move || {
            use eseal::ses;
            assert!(ses::decode_seal(&der).is_err());
            assert!(ses::decode_signature(&der).is_err());
            assert!(eseal::pki::Certificate::from_der(&der).is_err());
            assert!(eseal::pki::Crl::from_der(&der).is_err());
            assert!(eseal::ses::TimeStampToken::from_der(&der).is_err());
            assert!(eseal::pdf::cms::parse_signed_data(&der).is_err());
            assert!(eseal::ofd::cms::parse(&der).is_err());
            let e = eseal::crypto::keyfile::load_key_bundle(&der, Some(b"x")).unwrap_err();
            named(
                what,
                &e,
                &[
                    ErrorKind::MalformedKeyFile,
                    ErrorKind::MalformedDer,
                    ErrorKind::LimitExceeded,
                ],
            );
            let reports = eseal::batch::Verifier::new().verify_bytes("hostile.der", &der);
            assert!(reports.iter().all(|r| r.verdict != Verdict::Valid));
            assert!(
                reports.iter().all(|r| r.error.is_some()
                    || r.checks.iter().any(|c| c.status == eseal::Status::Fail))
            );
        });
    }
}

fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const OFD_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">
<ofd:DocBody><ofd:DocInfo><ofd:DocID>x</ofd:DocID></ofd:DocInfo>
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot><ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody>
</ofd:OFD>"#;

#[test]
fn ofd_xml_with_a_dtd_and_entity_expansion() {
    // "Billion laughs": ten levels of ten references each.
    let mut dtd = String::from("<!DOCTYPE ofd:OFD [\n<!ENTITY l0 \"lol\">\n");
    for i in 1..10 {
        dtd.push_str(&format!(
            "<!ENTITY l{i} \"{}\">\n",
            format!("&l{};", i - 1).repeat(10)
        ));
    }
    dtd.push_str("]>\n");
    let laughs = OFD_XML
        .replacen("?>\n", &format!("?>\n{dtd}"), 1)
        .replace("<ofd:DocID>x</ofd:DocID>", "<ofd:DocID>&l9;</ofd:DocID>");
    let sigs = format!(
        "<?xml version=\"1.0\"?>\n{dtd}<ofd:Signatures xmlns:ofd=\"http://www.ofdspec.org/2016\">&l9;</ofd:Signatures>"
    );
    let pkg = zip(&[
        ("OFD.xml", laughs.as_bytes()),
        (
            "Doc_0/Document.xml",
            b"<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"/>",
        ),
        ("Doc_0/Signs/Signatures.xml", sigs.as_bytes()),
    ]);
    bounded("XML entity expansion", move || {
        let r = eseal::ofd::verify_ofd("laughs.ofd", &pkg, &eseal::ofd::VerifyOptions::default());
        not_valid("XML entity expansion", &r);
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.to_lowercase().contains("dtd"), "{text}");
    });
}

#[test]
fn ofd_zip_bomb() {
    // One entry inflating to 1 GiB of zeros (about 1 MiB compressed), and a package of many
    // entries just under the ratio threshold adding up past the total.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    w.start_file("OFD.xml", opts).unwrap();
    let mb = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        w.write_all(&mb).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    bounded("zip bomb", move || {
        let e = eseal::ofd::Package::from_bytes(&bomb, &eseal::ofd::Limits::default()).unwrap_err();
        named("zip bomb", &e, &[ErrorKind::LimitExceeded]);
        let r = eseal::ofd::verify_ofd("bomb.ofd", &bomb, &eseal::ofd::VerifyOptions::default());
        not_valid("zip bomb", &r);
        assert!(r.error.is_some(), "zip bomb: no error in the report");
    });
}

#[test]
fn the_builders_make_files_that_read() {
    // The hostile files above are these with one thing changed: the unchanged ones must read.
    let pdf = classic_pdf(
        &[b(CATALOG), b(PAGES), b(PAGE), stream("", b"q Q")],
        "/Root 1 0 R",
    );
    let doc = Document::from_bytes(pdf).unwrap();
    assert_eq!(doc.page_count().unwrap(), 1);
    assert!(doc.catalog().is_ok());
    assert!(matches!(
        doc.get(4),
        Ok(eseal::pdf::object::Object::Stream(_))
    ));
    let der = nested_der(3, &[0x05, 0x00]);
    assert_eq!(eseal::asn1::parse_single(&der).unwrap().tag, 0x30);
    let small = zip(&[("OFD.xml", OFD_XML.as_bytes())]);
    assert!(eseal::ofd::Package::from_bytes(&small, &eseal::ofd::Limits::default()).is_ok());
}
