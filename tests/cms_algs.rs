//! RSA and ECDSA verification against OpenSSL-made vectors (`test-vectors/algs/`, made by its
//! `gen.sh` with `openssl req/ca/cms`): certificate paths and CRLs of RSA, RSA-PSS, P-256 and
//! P-384 chains, and detached CMS signatures (RSA PKCS#1 v1.5, RSA-PSS, ECDSA) checked through
//! the PDF and OFD CMS readers, with tampered variants that must fail. Also the pyHanko-signed
//! PDFs of `test-vectors/third-party/pyhanko-algs/manifest.json`, through the library and
//! `eseal verify --format json`.

use eseal::pki::alg::Digest;
use eseal::pki::{
    CertOptions, Certificate, Purpose, Time, TrustStore, check_certificate, parse_certificates,
    verify_certificate_report,
};
use eseal::{ErrorKind, Status};
use std::path::{Path, PathBuf};

const FAMILIES: [&str; 4] = ["rsa", "pss", "ec256", "ec384"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/algs")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn cert(name: &str) -> Certificate {
    parse_certificates(&read(name)).unwrap().remove(0)
}

fn store(fam: &str, crls: bool) -> TrustStore {
    let mut s = TrustStore::new();
    s.add_pem_or_der_anchors(&read(&format!("{fam}_root.pem")))
        .unwrap();
    if crls {
        s.add_pem_or_der_crls(&read(&format!("{fam}_inter_crl.pem")))
            .unwrap();
        s.add_pem_or_der_crls(&read(&format!("{fam}_root_crl.pem")))
            .unwrap();
    }
    s
}

fn opts() -> CertOptions {
    CertOptions {
        at: Time::parse_rfc3339("2026-06-01T00:00:00Z").unwrap(),
        now: Time::now(),
        purpose: Purpose::Signing,
    }
}

fn statuses(checks: &[eseal::Check]) -> Vec<(String, Status)> {
    checks.iter().map(|c| (c.id.clone(), c.status)).collect()
}

fn status_of(checks: &[eseal::Check], id: &str) -> Status {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", statuses(checks)))
        .status
}

#[test]
fn chains_and_crls() {
    for fam in FAMILIES {
        let inter = cert(&format!("{fam}_inter.pem"));
        let signer = cert(&format!("{fam}_signer.pem"));
        let checks = check_certificate(
            &signer,
            std::slice::from_ref(&inter),
            &store(fam, true),
            &opts(),
            "c",
        );
        for id in ["c.chain", "c.validity", "c.revocation", "c.key_usage"] {
            assert_eq!(
                status_of(&checks, id),
                Status::Pass,
                "{fam} {id}: {checks:?}"
            );
        }
        // Revoked by the intermediate's CRL.
        let revoked = cert(&format!("{fam}_revoked.pem"));
        let checks = check_certificate(
            &revoked,
            std::slice::from_ref(&inter),
            &store(fam, true),
            &CertOptions::now(Purpose::Signing),
            "c",
        );
        assert_eq!(status_of(&checks, "c.chain"), Status::Pass, "{fam}");
        assert_eq!(status_of(&checks, "c.revocation"), Status::Fail, "{fam}");
        // Judged at a time before the revocation (the vectors are revoked when made): warn.
        let checks = check_certificate(
            &revoked,
            std::slice::from_ref(&inter),
            &store(fam, true),
            &opts(),
            "c",
        );
        assert_eq!(status_of(&checks, "c.revocation"), Status::Warn, "{fam}");
        // Another family's root: no path.
        let other = if fam == "ec256" { "rsa" } else { "ec256" };
        let checks = check_certificate(
            &signer,
            std::slice::from_ref(&inter),
            &store(other, false),
            &opts(),
            "c",
        );
        assert_eq!(
            status_of(&checks, "c.chain"),
            Status::Indeterminate,
            "{fam}"
        );
        // A flipped byte in the signer's signature: the chain fails.
        let mut der = signer.der().to_vec();
        let n = der.len();
        der[n - 8] ^= 0x01;
        let bad = Certificate::from_der(&der).unwrap();
        let checks = check_certificate(
            &bad,
            std::slice::from_ref(&inter),
            &store(fam, false),
            &opts(),
            "c",
        );
        assert_eq!(
            status_of(&checks, "c.chain"),
            Status::Fail,
            "{fam} {checks:?}"
        );
        // A CRL whose signature is damaged is not used: revocation indeterminate.
        let crl_pem = read(&format!("{fam}_inter_crl.pem"));
        let crl = eseal::pki::Crl::from_der_or_pem(&crl_pem).unwrap();
        let mut crl_der = crl.der().to_vec();
        let n = crl_der.len();
        crl_der[n - 6] ^= 0x01;
        let mut s = store(fam, false);
        s.add_pem_or_der_crls(&crl_der).unwrap();
        let checks = check_certificate(&signer, std::slice::from_ref(&inter), &s, &opts(), "c");
        assert_eq!(
            status_of(&checks, "c.revocation"),
            Status::Indeterminate,
            "{fam} {checks:?}"
        );
    }
}

#[test]
fn certificate_reports_name_the_key() {
    for (fam, what) in [
        ("rsa", "an RSA 2048-bit key"),
        ("pss", "an RSA 3072-bit key"),
        ("ec256", "an ECDSA P-256 key"),
        ("ec384", "an ECDSA P-384 key"),
    ] {
        let ca_opts = CertOptions {
            purpose: Purpose::Any,
            ..opts()
        };
        let r = verify_certificate_report(
            "x.pem",
            &cert(&format!("{fam}_inter.pem")),
            &store(fam, true),
            &ca_opts,
        );
        let f = r.checks.iter().find(|c| c.id == "format").unwrap();
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains(what), "{}", f.message);
        assert_eq!(r.verdict, eseal::Verdict::Valid, "{fam}: {:?}", r.checks);
    }
    let r = verify_certificate_report(
        "w.pem",
        &cert("rsa_weak.pem"),
        &store("rsa", false),
        &opts(),
    );
    let f = r.checks.iter().find(|c| c.id == "format").unwrap();
    assert_eq!(f.status, Status::Warn, "{}", f.message);
    assert!(f.message.contains("1024"), "{}", f.message);
}

/// (file, signer family, digest, algorithm name fragment)
const CMS: [(&str, &str, Digest, &str); 9] = [
    (
        "rsa_sha256",
        "rsa",
        Digest::Sha256,
        "RSA PKCS#1 v1.5 with SHA-256",
    ),
    (
        "rsa_sha384",
        "rsa",
        Digest::Sha384,
        "RSA PKCS#1 v1.5 with SHA-384",
    ),
    (
        "rsa_sha512",
        "rsa",
        Digest::Sha512,
        "RSA PKCS#1 v1.5 with SHA-512",
    ),
    (
        "rsa_pss_sha256",
        "rsa",
        Digest::Sha256,
        "RSA-PSS with SHA-256 (salt 32)",
    ),
    (
        "pss_pss_sha384",
        "pss",
        Digest::Sha384,
        "RSA-PSS with SHA-384 (salt 48)",
    ),
    (
        "ec256_sha256",
        "ec256",
        Digest::Sha256,
        "ECDSA with SHA-256",
    ),
    (
        "ec256_sha512",
        "ec256",
        Digest::Sha512,
        "ECDSA with SHA-512",
    ),
    (
        "ec384_sha384",
        "ec384",
        Digest::Sha384,
        "ECDSA with SHA-384",
    ),
    (
        "weak_sha256",
        "rsa",
        Digest::Sha256,
        "RSA PKCS#1 v1.5 with SHA-256",
    ),
];

fn signer_of(sd: &eseal::pdf::cms::SignedData<'_>) -> Certificate {
    Certificate::from_der(sd.signer_cert().unwrap().raw).unwrap()
}

#[test]
fn openssl_cms_signatures() {
    use eseal::pdf::cms::parse_signed_data;
    let data = read("data.bin");
    for (name, fam, digest, alg_name) in CMS {
        let der = read(&format!("{name}.p7s"));
        let sd = parse_signed_data(&der).unwrap();
        assert_eq!(Digest::from_oid(&sd.digest_alg), Some(digest), "{name}");
        assert_eq!(sd.message_digest.unwrap(), digest.hash(&data), "{name}");
        let alg = sd.signature_algorithm().unwrap();
        assert_eq!(alg.name(), alg_name, "{name}");
        let signer = signer_of(&sd);
        sd.verify_with(&alg, &signer).unwrap();
        let weak = signer.subject_key().unwrap().weakness();
        assert_eq!(weak.is_some(), name.starts_with("weak"), "{name}");
        // The signer certificate chains through the carried intermediate.
        let extras: Vec<Certificate> = sd
            .certs
            .iter()
            .map(|c| Certificate::from_der(c).unwrap())
            .collect();
        let checks = check_certificate(&signer, &extras, &store(fam, true), &opts(), "s");
        assert_eq!(status_of(&checks, "s.chain"), Status::Pass, "{name}");

        // Tampered data: the messageDigest no longer matches.
        let mut other = data.clone();
        other[0] ^= 1;
        assert_ne!(sd.message_digest.unwrap(), digest.hash(&other));
        // The OFD reader (detached SignedData over the content) agrees, and sees the change.
        let osd = eseal::ofd::cms::parse(&der).unwrap();
        let out = eseal::ofd::cms::check(&osd, &data);
        assert!(out.data.0 && out.signature.0, "{name}: {out:?}");
        let out = eseal::ofd::cms::check(&osd, &other);
        assert!(!out.data.0 && out.signature.0, "{name}: {out:?}");

        // A flipped signature byte fails (not indeterminate).
        let pos = der.len() - 3;
        let mut bad = der.clone();
        bad[pos] ^= 0x10;
        let bsd = parse_signed_data(&bad).unwrap();
        let e = bsd.verify_with(&alg, &signer).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadSignature, "{name}");
        let out = eseal::ofd::cms::check(&eseal::ofd::cms::parse(&bad).unwrap(), &data);
        assert!(!out.signature.0 && !out.signature_unsupported, "{name}");

        // A flipped byte inside the signed attributes fails.
        let md = sd.message_digest.unwrap();
        let p = der.windows(md.len()).position(|w| w == md).unwrap();
        let mut bad = der.clone();
        bad[p] ^= 1;
        let bsd = parse_signed_data(&bad).unwrap();
        assert!(bsd.verify_with(&alg, &signer).is_err(), "{name}");

        // The wrong certificate (another signer of the same key type) fails.
        let wrong = cert(&format!("{fam}_revoked.pem"));
        let e = sd.verify_with(&alg, &wrong).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadSignature, "{name}");
        // A key of another type fails too.
        let other_fam = if fam.starts_with("ec") {
            "rsa"
        } else {
            "ec384"
        };
        let e = sd
            .verify_with(&alg, &cert(&format!("{other_fam}_signer.pem")))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadSignature, "{name}");
    }
}

/// The RSASSA-PSS parameters are enforced: another salt length fails; MGF1 over another hash is
/// unsupported (indeterminate), as is SHA-1.
#[test]
fn pss_parameters_and_sha1() {
    use eseal::pdf::cms::parse_signed_data;
    let der = read("rsa_pss_sha256.p7s");
    let sd = parse_signed_data(&der).unwrap();
    let signer = signer_of(&sd);
    // saltLength [2] INTEGER 32 -> 33.
    let salt = [0xa2, 0x03, 0x02, 0x01, 0x20];
    let p = der.windows(5).position(|w| w == salt).unwrap();
    let mut bad = der.clone();
    bad[p + 4] = 0x21;
    let bsd = parse_signed_data(&bad).unwrap();
    let alg = bsd.signature_algorithm().unwrap();
    assert_eq!(
        bsd.verify_with(&alg, &signer).unwrap_err().kind(),
        ErrorKind::BadSignature
    );
    // The MGF1 hash (the second sha256 OID in the parameters) -> sha384: unsupported.
    let sha256 = [
        0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
    ];
    let hits: Vec<usize> = der
        .windows(sha256.len())
        .enumerate()
        .filter(|(_, w)| *w == sha256)
        .map(|(i, _)| i)
        .collect();
    // digestAlgorithms, SignerInfo digestAlgorithm, PSS hash, MGF1 hash (certificates are
    // sha256WithRSAEncryption, a different OID).
    let mgf = *hits.last().unwrap();
    let mut bad = der.clone();
    bad[mgf + 10] = 0x02;
    let e = parse_signed_data(&bad)
        .unwrap()
        .signature_algorithm()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
    assert!(e.detail().contains("MGF1"), "{e}");
    // SHA-1 (sha1 digest, rsaEncryption): unsupported, never a pass or a panic.
    let sha1 = read("rsa_sha1.p7s");
    let sd = parse_signed_data(&sha1).unwrap();
    let e = sd.signature_algorithm().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    assert!(e.detail().contains("SHA-1"), "{e}");
    let out = eseal::ofd::cms::check(
        &eseal::ofd::cms::parse(&read("rsa_sha1.p7s")).unwrap(),
        &read("data.bin"),
    );
    assert!(out.signature_unsupported, "{out:?}");
}

/// Each case of the pyHanko manifest through the library and the CLI.
#[test]
fn pyhanko_manifest() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/third-party/pyhanko-algs");
    let Ok(text) = std::fs::read_to_string(root.join("manifest.json")) else {
        println!("skipped: no pyhanko-algs manifest");
        return;
    };
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = m["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    let exe = cli();
    for case in cases {
        let file = root.join(case["file"].as_str().unwrap());
        let mut store = TrustStore::new();
        let mut args: Vec<String> = vec!["verify".into(), "--format".into(), "json".into()];
        for (key, flag) in [
            ("trust", "--trust"),
            ("intermediates", "--intermediate"),
            ("crls", "--crl"),
        ] {
            for f in case[key].as_array().into_iter().flatten() {
                let p = root.join(f.as_str().unwrap());
                let bytes = std::fs::read(&p).unwrap();
                match key {
                    "trust" => drop(store.add_pem_or_der_anchors(&bytes).unwrap()),
                    "intermediates" => drop(store.add_pem_or_der_intermediates(&bytes).unwrap()),
                    _ => drop(store.add_pem_or_der_crls(&bytes).unwrap()),
                }
                args.push(flag.into());
                args.push(p.display().to_string());
            }
        }
        let bytes = std::fs::read(&file).unwrap();
        let opts = eseal::pdf::VerifyOptions {
            trust: store,
            ..Default::default()
        };
        let doc = eseal::pdf::Document::from_bytes(bytes).unwrap();
        let report = eseal::pdf::verify_document(&doc, &file.display().to_string(), &opts);
        let json = serde_json::to_value(&report).unwrap();
        check_case(case, &json, "library");
        if let Some(exe) = &exe {
            args.push(file.display().to_string());
            let out = std::process::Command::new(exe)
                .args(&args)
                .output()
                .unwrap();
            let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
                panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr))
            });
            let json = if json.is_array() {
                json[0].clone()
            } else {
                json
            };
            check_case(case, &json, "cli");
        }
    }
}

fn check_case(case: &serde_json::Value, report: &serde_json::Value, via: &str) {
    let file = case["file"].as_str().unwrap();
    assert_eq!(
        report["verdict"], case["verdict"],
        "{via} {file}: {report:#}"
    );
    let sigs = report["signatures"].as_array().cloned().unwrap_or_default();
    for (i, want) in case["signatures"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let got = &sigs[i];
        if let Some(v) = want.get("verdict") {
            assert_eq!(&got["verdict"], v, "{via} {file} signature {i}: {got:#}");
        }
        for (id, st) in want["checks"].as_object().into_iter().flatten() {
            let c = got["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id.as_str())
                .unwrap_or_else(|| panic!("{via} {file}: no check {id}: {got:#}"));
            assert_eq!(&c["status"], st, "{via} {file} {id}: {c:#}");
        }
    }
}

/// The `eseal` example binary, built by cargo for this test run when available.
fn cli() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let p = dir.join("examples").join("eseal");
    if p.exists() {
        Some(p)
    } else {
        println!("skipped CLI: {} not built", p.display());
        None
    }
}
