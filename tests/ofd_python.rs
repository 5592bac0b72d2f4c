//! OFDs sealed by eseal pass an independent verifier (test-vectors/ofd/verify_ofd.py: Python
//! zipfile + SM3 from cryptography/gmssl + SM2 from tongsuopy), and a tampered copy fails it.

use eseal::asn1;
use eseal::crypto::{PrivateKey, Signer, SoftwareSigner};
use eseal::ofd::sign::{SealOfdOptions, SealPlacement, seal_ofd_with};
use eseal::pki::Time;
use eseal::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate, key_usage};
use std::path::{Path, PathBuf};
use std::process::Command;

fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p).join("ofdrw")),
        None => {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

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

/// A v4 SES_Signature (GB/T 38540 §5.3) over `xml`, signed with `signer` for `cert`.
fn ses_v4(seal: &[u8], cert: &[u8], signer: &dyn Signer, xml: &[u8], prop: &str) -> Vec<u8> {
    let mut tbs = Vec::new();
    asn1::write_int(&mut tbs, 4);
    tbs.extend_from_slice(seal);
    asn1::write_tlv(
        &mut tbs,
        asn1::GENERALIZED_TIME,
        Time::now().to_generalized().as_bytes(),
    );
    let mut bits = vec![0u8];
    bits.extend_from_slice(&eseal::crypto::sm3(xml));
    asn1::write_tlv(&mut tbs, asn1::BIT_STRING, &bits);
    asn1::write_tlv(&mut tbs, asn1::IA5_STRING, prop.as_bytes());
    let tbs = asn1::tlv(asn1::SEQUENCE, &tbs);
    let sig = signer.sign(&tbs).unwrap().to_der();
    let mut body = tbs;
    asn1::write_tlv(&mut body, asn1::OCTET_STRING, cert);
    asn1::write_oid(&mut body, "1.2.156.10197.1.501").unwrap();
    let mut sb = vec![0u8];
    sb.extend_from_slice(&sig);
    asn1::write_tlv(&mut body, asn1::BIT_STRING, &sb);
    asn1::tlv(asn1::SEQUENCE, &body)
}

#[test]
fn python_verifier_accepts_eseal_sealed_ofds() {
    let Some(dir) = samples() else { return };
    let Some(_) = python() else { return };
    let seal = std::fs::read(dir.join("UserV4.esl")).unwrap();
    let key = PrivateKey::generate().unwrap();
    let signer = SoftwareSigner::new(key.clone());
    let t0 = Time::parse_rfc3339("2025-01-01T00:00:00Z").unwrap();
    let name = NameBuilder::new()
        .country("CN")
        .common_name("eseal OFD test signer");
    let cert = issue_certificate(
        &CertificateParams {
            serial: vec![7],
            subject: name.clone(),
            not_before: t0,
            not_after: Time::parse_rfc3339("2035-01-01T00:00:00Z").unwrap(),
            public_key: key.public_key().clone(),
            ca: None,
            key_usage: key_usage::DIGITAL_SIGNATURE | key_usage::NON_REPUDIATION,
            extended_key_usage: vec![],
        },
        &Issuer {
            name_der: name.to_der().unwrap(),
            public_key: key.public_key().clone(),
            signer: &signer,
        },
    )
    .unwrap();
    let tmp = std::env::temp_dir().join(format!("eseal-ofd-py-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let placement = SealPlacement {
        seal_der: &seal,
        width_mm: 40.0,
        height_mm: 40.0,
    };
    let mut make = |x: &[u8], p: &str| Ok(ses_v4(&seal, &cert, &signer, x, p));

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
            ..Default::default()
        };
        seal_ofd_with(dir.join(input), &once, &opts, &placement, &mut make).unwrap();
        let twice = tmp.join(format!("twice-{input}"));
        let opts2 = SealOfdOptions {
            protect_all: true,
            ..Default::default()
        };
        seal_ofd_with(&once, &twice, &opts2, &placement, &mut make).unwrap();
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
