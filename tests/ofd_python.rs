//! OFDs sealed by eseal pass an independent verifier (test-vectors/ofd/verify_ofd.py: Python
//! zipfile + SM3 from cryptography/gmssl + SM2 from tongsuopy), and a tampered copy fails it.

mod ofd_common;

use eseal::ofd::sign::{SealOfdOptions, seal_ofd};
use ofd_common::{TestPki, in_validity, samples};
use std::path::{Path, PathBuf};
use std::process::Command;

fn tools() -> PathBuf {
    std::env::var_os("ESEAL_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools"))
}

fn python() -> Option<Command> {
    let py = tools().join("py");
    let ok = Command::new("python3")
        .env("PYTHONPATH", &py)
        .args(["-c", "import tongsuopy.crypto.asymciphers.ec"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with tongsuopy not found"
        );
        eprintln!("skipped: python3 with tongsuopy not found");
        return None;
    }
    let mut c = Command::new("python3");
    c.env("PYTHONPATH", py)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/ofd/verify_ofd.py"));
    Some(c)
}

#[test]
fn python_verifier_accepts_eseal_sealed_ofds() {
    let Some(dir) = samples() else { return };
    let Some(_) = python() else { return };
    let pki = TestPki::load(&dir);
    let tmp = std::env::temp_dir().join(format!("eseal-ofd-py-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();

    let cases: [(&str, usize, bool); 3] = [
        ("helloworld.ofd", 1, true),
        ("VPage7.ofd", 3, false),
        ("SESV4SignDoc.ofd", 1, true),
    ];
    for (input, page, with_seal_file) in cases {
        let once = tmp.join(format!("once-{input}"));
        let opts = SealOfdOptions {
            page,
            include_seal_file: with_seal_file,
            signing_time: Some(in_validity()),
            ..Default::default()
        };
        seal_ofd(
            dir.join(input),
            &once,
            &opts,
            &pki.seal,
            &pki.user_cert,
            &pki.signer,
        )
        .unwrap();
        let twice = tmp.join(format!("twice-{input}"));
        let opts2 = SealOfdOptions {
            protect_all: true,
            ..opts.clone()
        };
        seal_ofd(
            &once,
            &twice,
            &opts2,
            &pki.seal,
            &pki.user_cert,
            &pki.signer,
        )
        .unwrap();
        let n = if input.starts_with("SESV4") { 3 } else { 2 };
        let out = python()
            .unwrap()
            .arg(&twice)
            .args(["--expect-signatures", &n.to_string()])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        println!("{input}: {text}{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{input}: {text}");
        assert_eq!(text.lines().count(), n);
    }

    // It agrees with eseal on the sealed samples (tax invoices and ofdrw's files).
    for name in [
        "signedFile.ofd",
        "v4signed.ofd",
        "SESV4SignDoc.ofd",
        "allprotected.ofd",
    ] {
        let out = python().unwrap().arg(dir.join(name)).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }

    // The independent verifier is not a rubber stamp: a changed page fails it.
    let sealed = std::fs::read(tmp.join("once-helloworld.ofd")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&sealed[..])).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        use std::io::{Read, Write};
        let mut e = z.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut d = Vec::new();
        e.read_to_end(&mut d).unwrap();
        if name.ends_with("Content.xml") {
            d.extend_from_slice(b" ");
        }
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&d).unwrap();
    }
    let bad = tmp.join("bad.ofd");
    std::fs::write(&bad, w.finish().unwrap().into_inner()).unwrap();
    let out = python().unwrap().arg(&bad).output().unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}
