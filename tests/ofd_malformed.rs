//! A malformed corpus generated here (mutations of the samples, zip bombs, path tricks,
//! duplicate names, lying size fields) gives clear errors and never panics.

use eseal::ErrorKind;
use eseal::ofd::package::Limits;
use eseal::ofd::sign::{SealOfdOptions, SealPlacement, seal_ofd_bytes_with};
use eseal::ofd::{Package, VerifyOptions, verify_ofd};
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

fn make_zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (n, d) in entries {
        w.start_file(*n, opts).unwrap();
        w.write_all(d).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn entries_of(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).unwrap();
        if e.is_dir() {
            continue;
        }
        let mut d = Vec::new();
        e.read_to_end(&mut d).unwrap();
        out.push((e.name().unwrap().to_string(), d));
    }
    out
}

/// Runs verification and sealing; returns whether the input was rejected with an error.
fn exercise(label: &str, bytes: &[u8], seal: &[u8]) -> bool {
    let r = verify_ofd(label, bytes, &VerifyOptions::default());
    let json = r.to_json();
    assert!(json.is_object());
    if let Some(e) = &r.error {
        assert!(e.len() > 10, "{label}: unclear error {e:?}");
    }
    let placement = SealPlacement {
        seal_der: seal,
        width_mm: 40.0,
        height_mm: 40.0,
    };
    let _ = seal_ofd_bytes_with(
        bytes,
        &SealOfdOptions::default(),
        &placement,
        &mut |_, _| Ok(vec![0x30, 0]),
    );
    r.error.is_some()
}

#[test]
fn mutated_samples_never_panic() {
    let Some(dir) = samples() else { return };
    let seal = std::fs::read(dir.join("UserV4.esl")).unwrap();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut count = 0;
    let mut rejected = 0;
    for name in [
        "SESV4SignDoc.ofd",
        "v4signed.ofd",
        "signedFile.ofd",
        "DigitalSign.ofd",
        "helloworld.ofd",
        "allprotected.ofd",
    ] {
        let orig = std::fs::read(dir.join(name)).unwrap();
        // Raw byte flips and truncations of the zip itself.
        for _ in 0..25 {
            let mut b = orig.clone();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            rejected += exercise(name, &b, &seal) as usize;
            count += 1;
        }
        for k in 0..6 {
            let cut = orig.len() * k / 6;
            assert!(
                exercise(name, &orig[..cut], &seal),
                "{name} truncated at {cut}"
            );
            count += 1;
        }
        // Mutations of the XML and DER entries, in a well-formed zip.
        let entries = entries_of(&orig);
        for _ in 0..20 {
            let mut es = entries.clone();
            let j = rng.below(es.len());
            let d = &mut es[j].1;
            match rng.below(5) {
                0 => d.truncate(rng.below(d.len())),
                1 => {
                    let i = rng.below(d.len());
                    d[i] = b"<>/\"='&\0\xff"[rng.below(9)];
                }
                2 => {
                    let i = rng.below(d.len());
                    d.splice(i..i, b"<x>".iter().copied());
                }
                3 => d.clear(),
                _ => {
                    let s = String::from_utf8_lossy(d)
                        .replace("BaseLoc=\"", "BaseLoc=\"../../")
                        .replace("FileRef=\"/", "FileRef=\"/../../");
                    *d = s.into_bytes();
                }
            }
            let refs: Vec<(&str, &[u8])> =
                es.iter().map(|(n, d)| (n.as_str(), d.as_slice())).collect();
            exercise(
                name,
                &make_zip(&refs, zip::CompressionMethod::Deflated),
                &seal,
            );
            count += 1;
        }
    }
    println!("{count} mutations, {rejected} byte-flipped inputs rejected outright");
    assert!(count >= 200);
}

#[test]
fn zip_bombs_path_tricks_duplicates() {
    let ofd = br#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
    let kind = |b: &[u8], l: &Limits| Package::from_bytes(b, l).unwrap_err().kind();
    let d = Limits::default();

    // Ratio bomb: 64 MiB of zeros compress to ~64 KiB.
    let zeros = vec![0u8; 64 << 20];
    let bomb = make_zip(
        &[("OFD.xml", ofd), ("Doc_0/bomb.bin", &zeros)],
        zip::CompressionMethod::Deflated,
    );
    assert!(bomb.len() < 1 << 20);
    assert_eq!(kind(&bomb, &d), ErrorKind::LimitExceeded);
    let r = verify_ofd("bomb", &bomb, &VerifyOptions::default());
    assert!(
        r.error.as_deref().unwrap().contains("zip bomb"),
        "{:?}",
        r.error
    );
    drop(zeros);

    // Entry and total size limits, entry count.
    let small = Limits {
        max_entry_size: 1000,
        ..d
    };
    let big = vec![7u8; 1001];
    let z = make_zip(
        &[("OFD.xml", ofd), ("a", &big)],
        zip::CompressionMethod::Stored,
    );
    assert_eq!(kind(&z, &small), ErrorKind::LimitExceeded);
    let total = Limits {
        max_total_size: 1500,
        ..d
    };
    let z = make_zip(
        &[("OFD.xml", ofd), ("a", &big), ("b", &big)],
        zip::CompressionMethod::Stored,
    );
    assert_eq!(kind(&z, &total), ErrorKind::LimitExceeded);
    let names: Vec<String> = (0..101).map(|i| format!("f{i}")).collect();
    let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let z = make_zip(&many, zip::CompressionMethod::Stored);
    assert_eq!(
        kind(
            &z,
            &Limits {
                max_entries: 100,
                ..d
            }
        ),
        ErrorKind::LimitExceeded
    );
    let pkgsize = Limits {
        max_package_size: 100,
        ..d
    };
    assert_eq!(kind(&z, &pkgsize), ErrorKind::LimitExceeded);

    // Path tricks.
    for bad in [
        "../evil.xml",
        "/abs.xml",
        "a/../../b.xml",
        "C:\\win.xml",
        "..\\x",
        "a/..\\..\\b",
    ] {
        let z = make_zip(
            &[("OFD.xml", ofd), (bad, b"x")],
            zip::CompressionMethod::Stored,
        );
        match Package::from_bytes(&z, &d) {
            Err(e) => assert_eq!(e.kind(), ErrorKind::MalformedOfd, "{bad}: {e}"),
            Ok(_) => panic!("{bad} accepted"),
        }
    }

    // Duplicate names: write a.xml and b.xml, then rename b.xml to a.xml in the raw bytes.
    let mut z = make_zip(
        &[
            ("OFD.xml", ofd),
            ("Doc_0/a.xml", b"1"),
            ("Doc_0/b.xml", b"2"),
        ],
        zip::CompressionMethod::Stored,
    );
    let mut i = 0;
    while let Some(p) = z[i..].windows(11).position(|w| w == b"Doc_0/b.xml") {
        z[i + p + 6] = b'a';
        i += p + 11;
    }
    let e = Package::from_bytes(&z, &d).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::MalformedOfd), "{e}");
    assert!(e.to_string().contains("duplicate"), "{e}");

    // A lying size field: the central directory and local header claim 1 byte, 5 are stored.
    let mut z = make_zip(
        &[("OFD.xml", ofd), ("Doc_0/x.bin", b"12345")],
        zip::CompressionMethod::Stored,
    );
    let mut patched = 0;
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let mut at = 0;
        while let Some(p) = z[at..].windows(4).position(|w| w == sig) {
            let h = at + p;
            let (name_len_off, size_off, name_off) = if sig[2] == 3 {
                (26, 22, 30)
            } else {
                (28, 24, 46)
            };
            let nl = u16::from_le_bytes([z[h + name_len_off], z[h + name_len_off + 1]]) as usize;
            if &z[h + name_off..h + name_off + nl] == b"Doc_0/x.bin" {
                z[h + size_off..h + size_off + 4].copy_from_slice(&1u32.to_le_bytes());
                patched += 1;
            }
            at = h + 4;
        }
    }
    assert_eq!(patched, 2);
    assert!(Package::from_bytes(&z, &d).is_err());

    // Not a zip, empty, no OFD.xml, an OFD.xml that is not OFD.
    for (label, b) in [
        ("random", vec![0x42u8; 300]),
        ("empty", Vec::new()),
        (
            "no OFD.xml",
            make_zip(&[("x.xml", b"<a/>")], zip::CompressionMethod::Stored),
        ),
        (
            "wrong root",
            make_zip(&[("OFD.xml", b"<a/>")], zip::CompressionMethod::Stored),
        ),
        (
            "DTD",
            make_zip(
                &[("OFD.xml", b"<!DOCTYPE a [<!ENTITY x 'y'>]><OFD/>")],
                zip::CompressionMethod::Stored,
            ),
        ),
    ] {
        let r = verify_ofd(label, &b, &VerifyOptions::default());
        assert!(r.error.is_some(), "{label}");
        assert_eq!(r.verdict, eseal::Verdict::Invalid, "{label}");
    }
}
