//! Certificate path validation against independent vectors: OpenSSL-made SM2 chains
//! (`test-vectors/chains/`, regenerated fresh by `gen.sh` when OpenSSL is present), any other
//! `test-vectors/chains*/cases.json` (e.g. Bouncy Castle), the ofdrw sample certificates, and a
//! malformed corpus.

mod common;

use common::Rng;
use eseal::pki::{
    CertOptions, Certificate, Crl, Purpose, Time, TrustStore, parse_certificates,
    verify_certificate_report,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Returns false (after printing why) when OpenSSL is missing outside CI; panics in CI.
fn need_openssl() -> bool {
    if openssl_available() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("openssl not found (required in CI)");
    }
    println!("skipped: openssl not found");
    false
}

fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            println!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

/// The certificate of a PKCS#12 file, extracted with OpenSSL (the ofdrw files use RC2, which
/// OpenSSL 3 reads only with `-legacy`; plain is tried too for builds without that provider).
fn p12_cert(path: &Path, pass: &str) -> Certificate {
    let run = |legacy: bool| {
        let mut cmd = Command::new("openssl");
        cmd.arg("pkcs12");
        if legacy {
            cmd.arg("-legacy");
        }
        cmd.args(["-nokeys", "-passin"])
            .arg(format!("pass:{pass}"))
            .arg("-in")
            .arg(path)
            .output()
            .expect("run openssl pkcs12")
    };
    let mut out = run(true);
    if !out.status.success() {
        out = run(false);
    }
    assert!(out.status.success(), "openssl pkcs12 failed on {path:?}");
    let certs = parse_certificates(&out.stdout).expect("certificate from PKCS#12");
    assert_eq!(certs.len(), 1, "{path:?}");
    certs.into_iter().next().unwrap()
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

fn strs(v: &serde_json::Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} must be an array"))
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// Runs every case of `dir/cases.json`; `strict` also requires every other `cert.*` check to
/// pass or be skipped. Returns the number of cases run.
fn run_cases(dir: &Path, strict: bool) -> usize {
    let json: serde_json::Value =
        serde_json::from_slice(&read(dir, "cases.json")).expect("cases.json is JSON");
    let cases = json["cases"].as_array().expect("cases array");
    assert!(!cases.is_empty(), "{}: no cases", dir.display());
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let mut store = TrustStore::new();
        for f in strs(case, "trust") {
            store.add_pem_or_der_anchors(&read(dir, &f)).expect(&f);
        }
        for f in strs(case, "intermediates") {
            store
                .add_pem_or_der_intermediates(&read(dir, &f))
                .expect(&f);
        }
        for f in strs(case, "crls") {
            store.add_pem_or_der_crls(&read(dir, &f)).expect(&f);
        }
        let cert_file = case["cert"].as_str().expect("cert");
        let certs = parse_certificates(&read(dir, cert_file)).expect(cert_file);
        let at = t(case["at"].as_str().expect("at"));
        // "now" is optional: the current time, or `at` when that is later.
        let now = case["now"]
            .as_str()
            .map(t)
            .unwrap_or_else(|| Time::now().max(at));
        let opts = CertOptions {
            at,
            now,
            purpose: match case["purpose"].as_str().unwrap_or("signing") {
                "signing" => Purpose::Signing,
                "timestamping" => Purpose::TimeStamping,
                "any" => Purpose::Any,
                p => panic!("case {name}: unknown purpose {p}"),
            },
        };
        let r = verify_certificate_report(cert_file, &certs[0], &store, &opts);
        let ctx = format!("{}: case {name}: {:#}", dir.display(), r.to_json());
        assert_eq!(
            r.verdict.as_str(),
            case["verdict"].as_str().expect("verdict"),
            "{ctx}"
        );
        let named = case["check"].as_str();
        if let Some(id) = named {
            let status = case["status"].as_str().expect("status with check");
            let c = r
                .find_check(id)
                .unwrap_or_else(|| panic!("no check {id}: {ctx}"));
            assert_eq!(c.status.as_str(), status, "{ctx}");
            println!(
                "{name}: {} {id} {status}: {}",
                r.verdict.as_str(),
                c.message
            );
        }
        if strict || named.is_none() {
            for c in &r.checks {
                if Some(c.id.as_str()) != named && c.id != "format" {
                    assert!(
                        matches!(c.status, eseal::Status::Pass | eseal::Status::Skip),
                        "check {} is {:?}: {ctx}",
                        c.id,
                        c.status
                    );
                }
            }
        }
    }
    cases.len()
}

fn vectors_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors")
}

#[test]
fn committed_vectors() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(vectors_root())
        .expect("test-vectors")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("chains"))
                && p.join("cases.json").is_file()
        })
        .collect();
    dirs.sort();
    assert!(
        dirs.iter().any(|d| d.ends_with("chains")),
        "test-vectors/chains missing"
    );
    for d in dirs {
        let strict = d.ends_with("chains");
        let n = run_cases(&d, strict);
        println!("{}: {n} cases", d.display());
    }
}

#[test]
fn regenerated_openssl_vectors() {
    if !need_openssl() {
        return;
    }
    let out = std::env::temp_dir().join(format!("eseal-chains-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let status = Command::new("bash")
        .arg(vectors_root().join("chains/gen.sh"))
        .arg(&out)
        .status()
        .expect("run gen.sh");
    assert!(status.success(), "gen.sh failed");
    let n = run_cases(&out, true);
    assert!(n >= 12);
    std::fs::remove_dir_all(&out).ok();
}

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

#[test]
fn ofdrw_certificates_chain_to_root() {
    let Some(dir) = samples() else { return };
    if !need_openssl() {
        return;
    }
    let dir = dir.join("ofdrw");
    let root = p12_cert(&dir.join("ROOT.p12"), "123456");
    let user = p12_cert(&dir.join("USER.p12"), "777777");
    let maker = p12_cert(&dir.join("SealBuilder.p12"), "777777");
    let sign = parse_certificates(&std::fs::read(dir.join("sign_cert.pem")).unwrap()).unwrap();
    assert_eq!(user.serial_hex(), "01719D2DAB60");
    assert_eq!(maker.serial_hex(), "01719D2E201D");
    assert_eq!(
        root.subject(),
        "CN=OFD Reader and WriterROOT Certificate,L=Hangzhou,ST=Zhejiang,O=OFD R&W,C=CN"
    );
    let mut store = TrustStore::new();
    store.add_anchor(root.clone());
    let now = Time::now();
    for (c, at) in [
        (&user, "2021-01-01T00:00:00Z"),
        (&maker, "2021-01-01T00:00:00Z"),
        (&sign[0], "2022-01-01T00:00:00Z"),
    ] {
        let opts = CertOptions {
            at: t(at),
            now,
            purpose: Purpose::Signing,
        };
        let r = verify_certificate_report("x", c, &store, &opts);
        assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#?}", r);
        assert_eq!(
            r.find_check("cert.chain").unwrap().status,
            eseal::Status::Pass
        );
        assert_eq!(
            r.find_check("cert.validity").unwrap().status,
            eseal::Status::Warn
        );
        let r = verify_certificate_report("x", c, &store, &CertOptions::now(Purpose::Signing));
        assert_eq!(
            r.find_check("cert.validity").unwrap().status,
            eseal::Status::Fail
        );
        assert_eq!(r.verdict, eseal::Verdict::Invalid);
        // Without the root the chain cannot be decided.
        let r = verify_certificate_report("x", c, &TrustStore::new(), &opts);
        assert_eq!(
            r.find_check("cert.chain").unwrap().status,
            eseal::Status::Indeterminate
        );
    }
    // The root is an anchor: valid by itself.
    let opts = CertOptions {
        at: t("2021-01-01T00:00:00Z"),
        now: t("2021-01-01T00:00:00Z"),
        purpose: Purpose::Any,
    };
    let r = verify_certificate_report("root", &root, &store, &opts);
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{r:#?}");
}

fn der_of_pem(bytes: &[u8]) -> Vec<u8> {
    eseal::pki::pem::decode_all(bytes, eseal::ErrorKind::MalformedDer)
        .unwrap()
        .remove(0)
        .der
}

/// Mutations of `der`: `(description, bytes, must_fail_to_parse)`.
fn mutations(der: &[u8], rng: &mut Rng) -> Vec<(String, Vec<u8>, bool)> {
    let mut out = Vec::new();
    // Truncations (always malformed: the outer length no longer fits).
    for i in 0..20 {
        let n = if i < 10 { i } else { rng.below(der.len()) };
        out.push((format!("truncated to {n}"), der[..n].to_vec(), true));
    }
    // Flipped bytes: may still parse, but then must never validate.
    for _ in 0..25 {
        let mut d = der.to_vec();
        let i = rng.below(d.len());
        d[i] ^= 1 << rng.below(8);
        out.push((format!("bit flipped at {i}"), d, false));
    }
    // Wrong tags on the first elements of the structure.
    for pos in [0usize, 4, 8] {
        for tag in [0x31u8, 0x04, 0xa0, 0x02, 0x1f, 0x00] {
            let mut d = der.to_vec();
            if d[pos] == tag {
                continue;
            }
            d[pos] = tag;
            out.push((format!("tag 0x{tag:02x} at {pos}"), d, true));
        }
    }
    // Huge or broken lengths on the outer and the TBS headers.
    for pos in [1usize, 5] {
        for len in [
            &[0x84u8, 0xff, 0xff, 0xff, 0xff][..],
            &[0x85, 1, 0, 0, 0, 0],
            &[0x80],
            &[0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        ] {
            let mut d = der[..pos].to_vec();
            d.extend_from_slice(len);
            d.extend_from_slice(&der[pos + 3..]);
            out.push((format!("length {len:02x?} at {pos}"), d, true));
        }
    }
    // Random bytes, some behind a plausible SEQUENCE header.
    for i in 0..12 {
        let n = 1 + rng.below(600);
        let mut d: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
        if i % 2 == 0 {
            d[0] = 0x30;
        }
        out.push((format!("random {n} bytes"), d, true));
    }
    out
}

#[test]
fn malformed_certificates_and_crls() {
    let dir = vectors_root().join("chains");
    let leaf_der = der_of_pem(&read(&dir, "leaf.pem"));
    let crl_der = der_of_pem(&read(&dir, "inter_crl.pem"));
    let inter = parse_certificates(&read(&dir, "inter.pem"))
        .unwrap()
        .remove(0);
    let mut store = TrustStore::new();
    store
        .add_pem_or_der_anchors(&read(&dir, "root.pem"))
        .unwrap();
    store.add_intermediate(inter.clone());
    let opts = CertOptions {
        at: t("2026-01-01T00:00:00Z"),
        now: Time::now(),
        purpose: Purpose::Signing,
    };
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let mut total = 0;
    let mut rejected = 0;
    for (what, bytes, must_fail) in mutations(&leaf_der, &mut rng) {
        total += 1;
        match Certificate::from_der(&bytes) {
            Err(e) => {
                assert_eq!(e.kind(), eseal::ErrorKind::MalformedCertificate, "{what}");
                rejected += 1;
            }
            Ok(c) => {
                assert!(!must_fail, "certificate mutation {what} parsed");
                let r = verify_certificate_report("m", &c, &store, &opts);
                let chain = r.find_check("cert.chain").unwrap().status;
                assert_ne!(
                    chain,
                    eseal::Status::Pass,
                    "certificate mutation {what} validated"
                );
            }
        }
        // The PEM path must behave the same.
        let pem = eseal::pki::pem::encode("CERTIFICATE", &bytes);
        assert!(
            must_fail <= parse_certificates(pem.as_bytes()).is_err(),
            "{what}"
        );
    }
    let key = inter.public_key().unwrap();
    for (what, bytes, must_fail) in mutations(&crl_der, &mut rng) {
        total += 1;
        match Crl::from_der_or_pem(&bytes) {
            Err(e) => {
                assert_eq!(e.kind(), eseal::ErrorKind::MalformedCrl, "{what}");
                rejected += 1;
            }
            Ok(c) => {
                assert!(!must_fail, "CRL mutation {what} parsed");
                assert!(
                    c.verify_signed_by(key).is_err(),
                    "CRL mutation {what} verified"
                );
            }
        }
    }
    println!("{total} mutations, {rejected} rejected at parse time");
    let r = eseal::pki::verify::verify_certificate_bytes("junk", b"\x30\x82junk", &store, &opts);
    assert_eq!(r.verdict, eseal::Verdict::Invalid);
    assert_eq!(r.find_check("format").unwrap().status, eseal::Status::Fail);
    assert!(r.error.is_some());
    // A PEM bundle: the leaf first, its intermediate after it, only the root trusted.
    let mut roots = TrustStore::new();
    roots
        .add_pem_or_der_anchors(&read(&dir, "root.pem"))
        .unwrap();
    let mut bundle = read(&dir, "leaf.pem");
    bundle.extend(read(&dir, "inter.pem"));
    let r = eseal::pki::verify::verify_certificate_bytes("bundle", &bundle, &roots, &opts);
    assert_eq!(r.verdict, eseal::Verdict::Valid, "{:#}", r.to_json());
    assert!(total >= 80);
    // The unmodified inputs are fine.
    assert!(Certificate::from_der(&leaf_der).is_ok());
    assert!(
        Crl::from_der_or_pem(&crl_der)
            .unwrap()
            .verify_signed_by(key)
            .is_ok()
    );
}

/// `key=value` lines printed by one OpenSSL command.
fn openssl_fields(args: &[&str], file: &Path) -> std::collections::HashMap<String, String> {
    let out = Command::new("openssl")
        .args(args)
        .arg("-in")
        .arg(file)
        .output()
        .expect("run openssl");
    assert!(out.status.success(), "openssl {args:?} {file:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn openssl_time(s: &str) -> Time {
    // "Jan  1 00:00:00 2025 GMT"
    let parts: Vec<&str> = s.split_whitespace().collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = months.iter().position(|x| *x == parts[0]).unwrap() as u32 + 1;
    let hms: Vec<u32> = parts[2].split(':').map(|x| x.parse().unwrap()).collect();
    Time::from_civil(
        parts[3].parse().unwrap(),
        m,
        parts[1].parse().unwrap(),
        hms[0],
        hms[1],
        hms[2],
    )
    .unwrap()
}

/// Names (RFC 2253 form), serials and dates agree with OpenSSL's reading of the same files.
#[test]
fn fields_match_openssl() {
    if !need_openssl() {
        return;
    }
    let dir = vectors_root().join("chains");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pem"))
        .collect();
    if let Some(s) = std::env::var_os("ESEAL_SAMPLES") {
        files.push(PathBuf::from(s).join("ofdrw/sign_cert.pem"));
    }
    files.sort();
    let mut certs = 0;
    let mut crls = 0;
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        if f.to_string_lossy().contains("crl") {
            let crl = Crl::from_der_or_pem(&bytes).unwrap();
            let o = openssl_fields(
                &[
                    "crl",
                    "-noout",
                    "-issuer",
                    "-lastupdate",
                    "-nextupdate",
                    "-nameopt",
                    "RFC2253",
                ],
                f,
            );
            assert_eq!(crl.issuer(), o["issuer"], "{f:?}");
            assert_eq!(crl.this_update(), openssl_time(&o["lastUpdate"]), "{f:?}");
            assert_eq!(
                crl.next_update(),
                Some(openssl_time(&o["nextUpdate"])),
                "{f:?}"
            );
            crls += 1;
            continue;
        }
        let c = parse_certificates(&bytes).unwrap().remove(0);
        let o = openssl_fields(
            &[
                "x509",
                "-noout",
                "-subject",
                "-issuer",
                "-serial",
                "-startdate",
                "-enddate",
                "-nameopt",
                "RFC2253",
            ],
            f,
        );
        assert_eq!(c.subject(), o["subject"], "{f:?}");
        assert_eq!(c.issuer(), o["issuer"], "{f:?}");
        assert_eq!(c.serial_hex(), o["serial"], "{f:?}");
        assert_eq!(c.not_before(), openssl_time(&o["notBefore"]), "{f:?}");
        assert_eq!(c.not_after(), openssl_time(&o["notAfter"]), "{f:?}");
        certs += 1;
    }
    println!("{certs} certificates and {crls} CRLs agree with OpenSSL");
    assert!(certs >= 20 && crls >= 3);
}
