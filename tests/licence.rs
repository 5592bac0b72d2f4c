//! Electronic licences: every licence check passes on a licence made by
//! `eseal::licence::issue::fill` and sealed by its authority, and each defect fails exactly
//! its own check: a field changed after sealing (`licence.metadata_protected`), a wrong check
//! character (`licence.identifier`), a wrong holder code (`licence.codes`), a seal of another
//! authority (`licence.issuer_matches_seal`), an expired licence (`licence.validity`), page text
//! that disagrees with the metadata (`licence.consistency`). Also: the identifier read from the
//! page only, and the real SurRead file with page bindings. The template is written here (no
//! sample file is copied).

mod common;

use common::{CERT_FROM, CERT_TO, KU_SIGN, NOW, SIGNING, leaf, pki, t};
use eseal::licence::ids;
use eseal::ofd::sign::{SealOfdOptions, seal_ofd_bytes};
use eseal::ofd::{VerifyOptions, verify_ofd};
use eseal::report::{Report, Status};
use eseal::ses::Version;
use std::io::{Cursor, Read, Write};

const ALL: [&str; 6] = [
    ids::METADATA_PROTECTED,
    ids::IDENTIFIER,
    ids::CODES,
    ids::ISSUER_MATCHES_SEAL,
    ids::VALIDITY,
    ids::CONSISTENCY,
];

fn rewrite(zip_bytes: &[u8], mut f: impl FnMut(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        if e.is_dir() {
            continue;
        }
        let name = e.name().unwrap().to_string();
        let mut d = Vec::new();
        e.read_to_end(&mut d).unwrap();
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&f(&name, d)).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A template: one page with the identifier, holder and number as placeholders.
pub fn template() -> Vec<u8> {
    let page = r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="2"><ofd:TextObject ID="4" Boundary="20 20 170 8" Font="3" Size="4"><ofd:TextCode X="0" Y="4">营业执照</ofd:TextCode></ofd:TextObject><ofd:TextObject ID="5" Boundary="20 40 170 8" Font="3" Size="4"><ofd:TextCode X="0" Y="4" DeltaX="4 4">{{持证主体}}</ofd:TextCode></ofd:TextObject><ofd:TextObject ID="6" Boundary="20 50 170 8" Font="3" Size="4"><ofd:TextCode X="0" Y="4">{{证照编号}}</ofd:TextCode></ofd:TextObject><ofd:TextObject ID="7" Boundary="20 260 170 8" Font="3" Size="3"><ofd:TextCode X="0" Y="3">{{证照标识}}</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>"#;
    let ofd = r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>5f0c1a7e2b8d4c39a6e1d2f3b4c5a697</ofd:DocID><ofd:Title>营业执照模板</ofd:Title><ofd:CreationDate>2026-12-04</ofd:CreationDate><ofd:Creator>eseal tests</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
    let document = r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>7</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>"#;
    let res = r#"<?xml version="1.0" encoding="UTF-8"?>
<ofd:Res xmlns:ofd="http://www.ofdspec.org/2016" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" FontName="SimSun" FamilyName="SimSun"/></ofd:Fonts></ofd:Res>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (n, d) in [
        ("OFD.xml", ofd),
        ("Doc_0/Document.xml", document),
        ("Doc_0/PublicRes.xml", res),
        ("Doc_0/Pages/Page_0/Content.xml", page),
    ] {
        w.start_file(n, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(d.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub const AUTHORITY: &str = "11370000MB2852565A";
pub const OTHER_AUTHORITY: &str = "113700000045046442";

pub fn row(valid_to: &str) -> Vec<(String, String)> {
    [
        ("证照名称", "营业执照"),
        ("证照类型代码", "11100000000013338W011"),
        ("证照编号", "20230000403"),
        ("证照颁发机构", "某省市场监督管理局"),
        ("证照颁发机构代码", AUTHORITY),
        ("证照颁发日期", "2024-05-20"),
        ("持证主体", "某某科技有限公司"),
        ("持证主体代码", "91350100M000100Y43"),
        ("持证主体代码类型", "001"),
        ("证照有效期起始日期", "2024-05-20"),
        ("证照有效期截止日期", valid_to),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

struct Authority {
    pki: common::Pki,
}

impl Authority {
    /// The test PKI with a signer certificate naming `uscc` in its CN.
    fn new(uscc: &str) -> Authority {
        let mut p = pki();
        p.signer = leaf(
            &p.root,
            &p.root_name,
            9,
            &format!("某省市场监督管理局@{uscc}"),
            KU_SIGN,
            vec![],
            CERT_FROM,
            CERT_TO,
        );
        Authority { pki: p }
    }

    fn seal(&self, ofd: &[u8]) -> Vec<u8> {
        let seal = self.pki.seal(Version::V4);
        let opts = SealOfdOptions {
            signing_time: Some(t(SIGNING)),
            ..Default::default()
        };
        seal_ofd_bytes(
            ofd,
            &opts,
            &seal,
            &self.pki.signer.cert,
            &self.pki.signer.signer(),
        )
        .unwrap()
    }

    fn verify(&self, ofd: &[u8]) -> Report {
        verify_ofd(
            "licence.ofd",
            ofd,
            &VerifyOptions {
                trust: self.pki.store.clone(),
                now: Some(t(NOW)),
                ..Default::default()
            },
        )
    }
}

fn status(r: &Report, id: &str) -> Status {
    r.find_check(id).unwrap_or_else(|| panic!("no {id}")).status
}

/// Every licence check passes except `failing`, which fails.
fn only_fails(r: &Report, failing: &str) {
    for id in ALL {
        let c = r.find_check(id).unwrap();
        if id == failing {
            assert_eq!(c.status, Status::Fail, "{id}: {}", c.message);
        } else {
            assert_eq!(c.status, Status::Pass, "{id}: {}", c.message);
        }
    }
}

#[test]
fn licence_checks_pass_and_fail() {
    let a = Authority::new(AUTHORITY);
    let filled = eseal::licence::issue::fill(&template(), &row("2044-05-19")).unwrap();
    assert_eq!(
        filled.identifier,
        "1.2.156.3005.2.11100000000013338W011.11370000MB2852565A.20230000403.001.N".replace(
            ".N",
            &format!(
                ".{}",
                eseal::licence::codes::mod37_36(
                    "11100000000013338W01111370000MB2852565A20230000403001"
                )
                .unwrap()
            )
        )
    );
    let sealed = a.seal(&filled.ofd);
    let r = a.verify(&sealed);
    for id in ALL {
        let c = r.find_check(id).unwrap();
        assert_eq!(c.status, Status::Pass, "{id}: {}", c.message);
    }
    assert_eq!(status(&r, "licence"), Status::Pass);
    let lic = &r.extra["licence"];
    assert_eq!(lic["licence_id"], filled.identifier.as_str());
    assert_eq!(lic["verdict"], "valid");
    let sources: Vec<&str> = lic["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["source"].as_str().unwrap())
        .collect();
    assert!(sources.contains(&"custom_data") && sources.contains(&"custom_tag"));
    assert_eq!(lic["bindings"].as_array().unwrap().len(), 3, "{lic:#}");
    assert_eq!(r.verdict, eseal::report::Verdict::Valid, "{:#?}", r.checks);

    // A field changed after sealing.
    let tampered = rewrite(&sealed, |n, d| {
        if n == "OFD.xml" {
            String::from_utf8(d)
                .unwrap()
                .replace("某某科技有限公司", "某某科技有限公司X")
                .into_bytes()
        } else {
            d
        }
    });
    let r = a.verify(&tampered);
    assert_eq!(status(&r, ids::METADATA_PROTECTED), Status::Fail);
    assert_eq!(status(&r, ids::IDENTIFIER), Status::Pass);
    assert_eq!(status(&r, ids::VALIDITY), Status::Pass);
    assert_eq!(status(&r, ids::CODES), Status::Pass);

    // A wrong check character (the same on the page and in every metadata copy).
    let good = filled.identifier.clone();
    let last = good.chars().last().unwrap();
    let wrong = format!(
        "{}{}",
        &good[..good.len() - 1],
        if last == 'A' { 'B' } else { 'A' }
    );
    let bad_id = rewrite(&filled.ofd, |_, d| match String::from_utf8(d) {
        Ok(s) => s.replace(&good, &wrong).into_bytes(),
        Err(e) => e.into_bytes(),
    });
    let r = a.verify(&a.seal(&bad_id));
    only_fails(&r, ids::IDENTIFIER);

    // A holder code with a wrong check character.
    let bad_code = rewrite(&filled.ofd, |_, d| match String::from_utf8(d) {
        Ok(s) => s
            .replace("91350100M000100Y43", "91350100M000100Y44")
            .into_bytes(),
        Err(e) => e.into_bytes(),
    });
    only_fails(&a.verify(&a.seal(&bad_code)), ids::CODES);

    // Sealed by another authority.
    let other = Authority::new(OTHER_AUTHORITY);
    only_fails(
        &other.verify(&other.seal(&filled.ofd)),
        ids::ISSUER_MATCHES_SEAL,
    );

    // Expired before the reference time.
    let expired = eseal::licence::issue::fill(&template(), &row("2025-12-31")).unwrap();
    only_fails(&a.verify(&a.seal(&expired.ofd)), ids::VALIDITY);

    // The page shows another holder than the metadata.
    let page_differs = rewrite(&filled.ofd, |n, d| {
        if n.ends_with("Content.xml") {
            String::from_utf8(d)
                .unwrap()
                .replace("某某科技有限公司", "另一家公司")
                .into_bytes()
        } else {
            d
        }
    });
    only_fails(&a.verify(&a.seal(&page_differs)), ids::CONSISTENCY);

    // The identifier only on the page (no metadata at all): read from page text.
    let page_only = rewrite(&template(), |n, d| {
        if n.ends_with("Content.xml") {
            String::from_utf8(d)
                .unwrap()
                .replace("{{证照标识}}", &good)
                .replace("{{持证主体}}", "某某科技有限公司")
                .replace("{{证照编号}}", "20230000403")
                .into_bytes()
        } else {
            d
        }
    });
    let r = a.verify(&a.seal(&page_only));
    let lic = &r.extra["licence"];
    assert_eq!(lic["fields"][0]["source"], "page_text");
    assert_eq!(lic["licence_id"], good.as_str());
    assert_eq!(status(&r, ids::IDENTIFIER), Status::Pass);
    assert_eq!(status(&r, ids::METADATA_PROTECTED), Status::Pass);
    // The authority code comes from the identifier and matches the seal.
    assert_eq!(status(&r, ids::ISSUER_MATCHES_SEAL), Status::Pass);
}

#[test]
fn issue_rejects_bad_rows() {
    let mut r = row("2044-05-19");
    r.retain(|(k, _)| k != "证照颁发机构代码");
    assert!(eseal::licence::issue::prepare_row(&r).is_err());
    let mut r = row("2044-05-19");
    r[4].1 = "11370000MB2852565B".into();
    let e = eseal::licence::issue::prepare_row(&r).unwrap_err();
    assert!(e.to_string().contains("统一社会信用代码"), "{e}");
}

#[test]
fn surread_bindings() {
    let Some(dir) = common::samples_dir() else {
        return;
    };
    let r =
        eseal::ofd::verify_ofd_file(dir.join("ofdrw/path_unstd.ofd"), &VerifyOptions::default());
    let lic = &r.extra["licence"];
    let b = lic["bindings"].as_array().unwrap();
    assert!(b.len() >= 10, "{b:?}");
    let c = r.find_check(ids::CONSISTENCY).unwrap();
    assert_eq!(c.status, Status::Pass, "{}", c.message);
    // Unsealed: the metadata is not protected.
    assert_eq!(status(&r, ids::METADATA_PROTECTED), Status::Fail);
}

/// The cases of `test-vectors/licence/`: (file, check, expected status). `good.ofd` passes
/// every check; each other file fails exactly one.
pub const CASES: &[(&str, &str, &str)] = &[
    ("good.ofd", ids::METADATA_PROTECTED, "pass"),
    ("good.ofd", ids::IDENTIFIER, "pass"),
    ("good.ofd", ids::CODES, "pass"),
    ("good.ofd", ids::ISSUER_MATCHES_SEAL, "pass"),
    ("good.ofd", ids::VALIDITY, "pass"),
    ("good.ofd", ids::CONSISTENCY, "pass"),
    ("tampered_field.ofd", ids::METADATA_PROTECTED, "fail"),
    ("wrong_check_character.ofd", ids::IDENTIFIER, "fail"),
    ("bad_holder_code.ofd", ids::CODES, "fail"),
    ("other_authority.ofd", ids::ISSUER_MATCHES_SEAL, "fail"),
    ("expired.ofd", ids::VALIDITY, "fail"),
    ("page_differs.ofd", ids::CONSISTENCY, "fail"),
    ("identifier_on_page_only.ofd", ids::IDENTIFIER, "pass"),
];

/// Regenerates `test-vectors/licence/` (run on demand:
/// `cargo test --release --test licence -- --ignored regenerate`).
#[test]
#[ignore]
fn regenerate_vectors() {
    let dir = common::repo_dir().join("test-vectors/licence");
    std::fs::create_dir_all(&dir).unwrap();
    let a = Authority::new(AUTHORITY);
    let filled = eseal::licence::issue::fill(&template(), &row("2044-05-19")).unwrap();
    let good = filled.identifier.clone();
    let edit = |ofd: &[u8], from: &str, to: &str, only: Option<&str>| {
        rewrite(ofd, |n, d| {
            if only.is_some_and(|o| !n.ends_with(o)) {
                return d;
            }
            match String::from_utf8(d) {
                Ok(s) => s.replace(from, to).into_bytes(),
                Err(e) => e.into_bytes(),
            }
        })
    };
    let sealed = a.seal(&filled.ofd);
    let wrong = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('A') { 'B' } else { 'A' }
    );
    let other = Authority::new(OTHER_AUTHORITY);
    let expired = eseal::licence::issue::fill(&template(), &row("2025-12-31")).unwrap();
    let page_only = rewrite(&template(), |n, d| {
        if n.ends_with("Content.xml") {
            String::from_utf8(d)
                .unwrap()
                .replace("{{证照标识}}", &good)
                .replace("{{持证主体}}", "某某科技有限公司")
                .replace("{{证照编号}}", "20230000403")
                .into_bytes()
        } else {
            d
        }
    });
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("good.ofd", sealed.clone()),
        // Changed in every copy (metadata, tag file, page): only the seal notices.
        (
            "tampered_field.ofd",
            edit(&sealed, "某某科技有限公司", "某某科技有限公司X", None),
        ),
        (
            "wrong_check_character.ofd",
            a.seal(&edit(&filled.ofd, &good, &wrong, None)),
        ),
        (
            "bad_holder_code.ofd",
            a.seal(&edit(
                &filled.ofd,
                "91350100M000100Y43",
                "91350100M000100Y44",
                None,
            )),
        ),
        ("other_authority.ofd", other.seal(&filled.ofd)),
        ("expired.ofd", a.seal(&expired.ofd)),
        (
            "page_differs.ofd",
            a.seal(&edit(
                &filled.ofd,
                "某某科技有限公司",
                "另一家公司",
                Some("Content.xml"),
            )),
        ),
        ("identifier_on_page_only.ofd", a.seal(&page_only)),
    ];
    for (n, d) in files {
        std::fs::write(dir.join(n), d).unwrap();
    }
    std::fs::write(dir.join("template.ofd"), template()).unwrap();
    std::fs::write(dir.join("template.pdf"), pdf_template()).unwrap();
    for (n, d) in pdf_cases(&a, &other) {
        std::fs::write(dir.join(n), d).unwrap();
    }
    let pem = |der: &[u8]| eseal::pki::issue::to_pem("CERTIFICATE", der);
    std::fs::write(dir.join("root.pem"), pem(&a.pki.root.cert)).unwrap();
    std::fs::write(dir.join("other-root.pem"), pem(&other.pki.root.cert)).unwrap();
}

/// The committed vectors, through the library and through `eseal verify --format json`.
#[test]
fn vectors_library_and_cli() {
    let dir = common::repo_dir().join("test-vectors/licence");
    let mut trust = eseal::pki::TrustStore::new();
    for r in ["root.pem", "other-root.pem"] {
        for c in eseal::pki::parse_certificates(&std::fs::read(dir.join(r)).unwrap()).unwrap() {
            trust.add_anchor(c);
        }
    }
    let opts = VerifyOptions {
        trust,
        now: Some(t(NOW)),
        ..Default::default()
    };
    let bin = {
        let exe = std::env::current_exe().unwrap();
        exe.parent()
            .and_then(std::path::Path::parent)
            .unwrap()
            .join("examples/eseal")
    };
    for (file, check, want) in CASES {
        let r = eseal::ofd::verify_ofd_file(dir.join(file), &opts);
        let c = r
            .find_check(check)
            .unwrap_or_else(|| panic!("{file}: no {check}"));
        assert_eq!(c.status.as_str(), *want, "{file} {check}: {}", c.message);
        if *want == "fail" {
            for id in ALL.iter().filter(|i| *i != check) {
                let o = r.find_check(id).unwrap();
                assert_ne!(
                    o.status,
                    Status::Fail,
                    "{file}: {id} fails too: {}",
                    o.message
                );
            }
        }
        if !bin.exists() {
            println!("skipped: CLI not built");
            continue;
        }
        let out = std::process::Command::new(&bin)
            .args(["verify", "--format", "json", "--at", NOW, "--trust"])
            .arg(dir.join("root.pem"))
            .arg("--trust")
            .arg(dir.join("other-root.pem"))
            .arg(dir.join(file))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let checks = v[0]["checks"].as_array().unwrap();
        let c = checks.iter().find(|c| c["id"] == *check).unwrap();
        assert_eq!(c["status"], *want, "CLI {file} {check}");
        assert_eq!(v[0]["licence"]["checks"].as_array().unwrap().len(), 6);
    }
    // CSV: the licence columns.
    if bin.exists() {
        let out = std::process::Command::new(&bin)
            .args(["verify", "--format", "csv", "--at", NOW, "--trust"])
            .arg(dir.join("root.pem"))
            .arg(dir.join("good.ofd"))
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let mut lines = text.lines();
        assert!(lines.next().unwrap().ends_with("licence_identifier,licence_type,licence_holder,licence_holder_code,licence_authority,licence_issue_date,licence_valid_to,licence_verdict"));
        let row = lines.next().unwrap();
        assert!(
            row.contains(
                ",1.2.156.3005.2.11100000000013338W011.11370000MB2852565A.20230000403.001."
            ),
            "{row}"
        );
        assert!(row.ends_with(",营业执照,某某科技有限公司,91350100M000100Y43,某省市场监督管理局,2024-05-20,2044-05-19,valid"), "{row}");
    }
}

/// `eseal licence issue` from a register: good rows issued, bad rows reported, the run resumes.
#[test]
fn cli_issue_register() {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .and_then(std::path::Path::parent)
        .unwrap()
        .join("examples/eseal");
    if !bin.exists() {
        println!("skipped: CLI not built");
        return;
    }
    let work = common::temp_dir("licence_issue");
    let a = Authority::new(AUTHORITY);
    let seal = a.pki.seal(Version::V4);
    std::fs::write(work.join("seal.esl"), seal.raw_der()).unwrap();
    std::fs::write(
        work.join("cert.pem"),
        eseal::pki::issue::to_pem("CERTIFICATE", &a.pki.signer.cert),
    )
    .unwrap();
    std::fs::write(
        work.join("key.pem"),
        eseal::crypto::keyfile::to_pkcs8_pem(&a.pki.signer.key).as_bytes(),
    )
    .unwrap();
    std::fs::write(
        work.join("root.pem"),
        eseal::pki::issue::to_pem("CERTIFICATE", &a.pki.root.cert),
    )
    .unwrap();
    std::fs::write(work.join("template.ofd"), template()).unwrap();
    let header = row("2044-05-19")
        .iter()
        .map(|(k, _)| k.clone())
        .collect::<Vec<_>>()
        .join(",");
    let mut csv = format!("{header}\n");
    for i in 0..20 {
        let mut r = row("2044-05-19");
        r[2].1 = format!("2024{i:06}");
        r[6].1 = format!("\"公司, 第{i}号\"");
        if i == 7 {
            r[4].1 = "11370000MB2852565B".into(); // bad authority code
        }
        csv.push_str(
            &r.iter()
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push('\n');
    }
    std::fs::write(work.join("register.csv"), &csv).unwrap();
    let run = || {
        std::process::Command::new(&bin)
            .args(["licence", "issue", "--template"])
            .arg(work.join("template.ofd"))
            .arg("--data")
            .arg(work.join("register.csv"))
            .arg("--seal")
            .arg(work.join("seal.esl"))
            .arg("--cert")
            .arg(work.join("cert.pem"))
            .arg("--key")
            .arg(work.join("key.pem"))
            .arg("-o")
            .arg(work.join("out"))
            .output()
            .unwrap()
    };
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("issued 19, skipped 0") && err.contains("row 8:"),
        "{err}"
    );
    let manifest = std::fs::read_to_string(work.join("out/manifest.csv")).unwrap();
    assert_eq!(manifest.lines().count(), 20);
    // Every issued licence verifies with every licence check passing (signing time = now).
    for l in manifest.lines().skip(1) {
        let file = l.split(',').nth(2).unwrap();
        let bytes = std::fs::read(work.join("out").join(file)).unwrap();
        let digest: String = eseal::crypto::sm3::sm3(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(l.ends_with(&digest));
        let r = verify_ofd(
            file,
            &bytes,
            &VerifyOptions {
                trust: a.pki.store.clone(),
                ..Default::default()
            },
        );
        for id in ALL {
            let c = r.find_check(id).unwrap();
            assert_eq!(c.status, Status::Pass, "{file} {id}: {}", c.message);
        }
    }
    // Resumed: nothing new issued.
    let out = run();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("issued 0, skipped 19"), "{err}");
    let _ = std::fs::remove_dir_all(&work);
}

// ---- PDF licences ----------------------------------------------------------------------------

/// A PDF form template: a page with a printed heading and three text fields named by their
/// GB/T 36903 names (持证主体, 证照编号, 证照标识), built here with its cross-reference table.
pub fn pdf_template() -> Vec<u8> {
    let utf16 = |s: &str| -> String {
        let mut h = String::from("<FEFF");
        for u in s.encode_utf16() {
            h.push_str(&format!("{u:04X}"));
        }
        h.push('>');
        h
    };
    let content = "BT /F1 24 Tf 200 760 Td (Business Licence) Tj ET\nBT /F1 10 Tf 40 615 Td (Holder) Tj ET\nBT /F1 10 Tf 40 575 Td (Number) Tj ET\n";
    let field = |t: &str, rect: &str, size: u32| {
        format!(
            "<< /Type /Annot /Subtype /Widget /FT /Tx /T {} /Rect [{rect}] /P 3 0 R /F 4 /DA (/Helv {size} Tf 0 g) >>",
            utf16(t)
        )
    };
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R 6 0 R 7 0 R] /DA (/Helv 0 Tf 0 g) /DR << /Font << /Helv 8 0 R >> >> >> >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 8 0 R >> >> /Annots [5 0 R 6 0 R 7 0 R] >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        field("持证主体", "100 600 450 630", 14),
        field("证照编号", "100 560 450 590", 14),
        field("证照标识", "40 80 560 100", 9),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /ID [<0a1b2c3d4e5f60718293a4b5c6d7e8f9> <0a1b2c3d4e5f60718293a4b5c6d7e8f9>] >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

impl Authority {
    fn seal_pdf(&self, pdf: &[u8]) -> Vec<u8> {
        let seal = self.pki.seal(Version::V4);
        let opts = eseal::pdf::SealOptions {
            page: 1,
            x_mm: 140.0,
            y_mm: 200.0,
            picture: None,
            signing_time: t(SIGNING),
            contents_size: eseal::pdf::sign::ses_contents_size(&seal, &self.pki.signer.cert),
            ..Default::default()
        };
        let dir = common::temp_dir("licence_pdf_seal");
        let out = eseal::licence::pdf_fill::seal_pdf_bytes(
            pdf,
            &dir,
            &opts,
            &seal,
            &self.pki.signer.cert,
            &self.pki.signer.signer(),
        )
        .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        out
    }

    fn verify_pdf(&self, pdf: &[u8]) -> Report {
        let doc = eseal::pdf::Document::from_bytes(pdf.to_vec()).unwrap();
        eseal::pdf::verify_document(
            &doc,
            "licence.pdf",
            &eseal::pdf::VerifyOptions {
                trust: self.pki.store.clone(),
                now: Some(t(NOW)),
            },
        )
    }
}

/// `s` as the hex of its UTF-16BE code units (how the filled page shows it).
fn ucs2_hex(s: &str) -> String {
    s.encode_utf16().map(|u| format!("{u:04X}")).collect()
}

/// Replaces `from` by `to` (same length) in the bytes, as text and as page hex.
fn replace_same_length(pdf: &[u8], from: &str, to: &str, page: bool, meta: bool) -> Vec<u8> {
    let mut out = pdf.to_vec();
    let mut pairs = Vec::new();
    if meta {
        pairs.push((from.as_bytes().to_vec(), to.as_bytes().to_vec()));
    }
    if page {
        pairs.push((ucs2_hex(from).into_bytes(), ucs2_hex(to).into_bytes()));
    }
    for (a, b) in pairs {
        assert_eq!(a.len(), b.len());
        let mut i = 0;
        while let Some(p) = out[i..].windows(a.len()).position(|w| w == a.as_slice()) {
            out[i + p..i + p + a.len()].copy_from_slice(&b);
            i += p + a.len();
        }
    }
    out
}

/// An incremental update after sealing that rewrites the information dictionary and the XMP
/// with `valid_to` changed (metadata changes are allowed after signing: the seal stays valid).
fn extend_validity_after_sealing(pdf: &[u8], from: &str, to: &str) -> Vec<u8> {
    use eseal::pdf::object::Object;
    let doc = eseal::pdf::Document::from_bytes(pdf.to_vec()).unwrap();
    let mut up = eseal::pdf::writer::IncrementalUpdate::new(&doc).unwrap();
    let info_ref = doc.trailer().get("Info").unwrap().as_ref().unwrap();
    let Object::Dict(mut info) = doc.get(info_ref.0).unwrap() else {
        panic!()
    };
    info.set(
        "certificateExpiringDate",
        Object::String(to.as_bytes().to_vec()),
    );
    up.write_object(info_ref.0, info_ref.1, &Object::Dict(info));
    let (_, cat) = doc.catalog().unwrap();
    let xmp_ref = cat.get("Metadata").unwrap().as_ref().unwrap();
    let Object::Stream(s) = doc.get(xmp_ref.0).unwrap() else {
        panic!()
    };
    let xmp = String::from_utf8(doc.decode_stream(&s, 1 << 20).unwrap())
        .unwrap()
        .replace(from, to);
    let mut d = eseal::pdf::object::Dict::new();
    d.set("Type", Object::Name(b"Metadata".to_vec()));
    d.set("Subtype", Object::Name(b"XML".to_vec()));
    up.write_stream(xmp_ref.0, d, xmp.as_bytes());
    let mut out = pdf.to_vec();
    out.extend_from_slice(&up.finish().unwrap());
    out
}

/// The filled PDF with its metadata unlinked (no /Info, no catalog /Metadata): the identifier
/// is then only on the page.
fn unlink_metadata(pdf: &[u8]) -> Vec<u8> {
    use eseal::pdf::object::Object;
    let doc = eseal::pdf::Document::from_bytes(pdf.to_vec()).unwrap();
    let mut up = eseal::pdf::writer::IncrementalUpdate::new(&doc).unwrap();
    let (id, mut cat) = doc.catalog().unwrap();
    cat.remove("Metadata");
    up.write_object(id.0, id.1, &Object::Dict(cat));
    let mut info = eseal::pdf::object::Dict::new();
    info.set("Producer", Object::String(b"eseal tests".to_vec()));
    let n = up.alloc().unwrap();
    up.write_object(n, 0, &Object::Dict(info));
    up.set_trailer("Info", Object::Ref(n, 0));
    let mut out = pdf.to_vec();
    out.extend_from_slice(&up.finish().unwrap());
    out
}

/// The PDF cases: (file name, bytes).
fn pdf_cases(a: &Authority, other: &Authority) -> Vec<(&'static str, Vec<u8>)> {
    let at = t(SIGNING);
    let filled = eseal::licence::pdf_fill::fill(&pdf_template(), &row("2044-05-19"), at).unwrap();
    let good = filled.identifier.clone();
    let wrong = format!(
        "{}{}",
        &good[..good.len() - 1],
        if good.ends_with('A') { 'B' } else { 'A' }
    );
    let sealed = a.seal_pdf(&filled.pdf);
    let expired = eseal::licence::pdf_fill::fill(&pdf_template(), &row("2025-12-31"), at).unwrap();
    let cases = vec![
        ("good.pdf", sealed.clone()),
        (
            "tampered_field.pdf",
            extend_validity_after_sealing(&sealed, "2044-05-19", "2054-05-19"),
        ),
        (
            "wrong_check_character.pdf",
            a.seal_pdf(&replace_same_length(&filled.pdf, &good, &wrong, true, true)),
        ),
        (
            "bad_holder_code.pdf",
            a.seal_pdf(&replace_same_length(
                &filled.pdf,
                "91350100M000100Y43",
                "91350100M000100Y44",
                false,
                true,
            )),
        ),
        ("other_authority.pdf", other.seal_pdf(&filled.pdf)),
        ("expired.pdf", a.seal_pdf(&expired.pdf)),
        (
            "page_differs.pdf",
            a.seal_pdf(&replace_same_length(
                &filled.pdf,
                "某某科技有限公司",
                "某某商贸有限公司",
                true,
                false,
            )),
        ),
        (
            "identifier_on_page_only.pdf",
            a.seal_pdf(&unlink_metadata(&filled.pdf)),
        ),
    ];
    cases
}

/// The PDF cases of `test-vectors/licence/`.
pub const PDF_CASES: &[(&str, &str, &str)] = &[
    ("good.pdf", ids::METADATA_PROTECTED, "pass"),
    ("good.pdf", ids::IDENTIFIER, "pass"),
    ("good.pdf", ids::CODES, "pass"),
    ("good.pdf", ids::ISSUER_MATCHES_SEAL, "pass"),
    ("good.pdf", ids::VALIDITY, "pass"),
    ("good.pdf", ids::CONSISTENCY, "pass"),
    ("tampered_field.pdf", ids::METADATA_PROTECTED, "fail"),
    ("wrong_check_character.pdf", ids::IDENTIFIER, "fail"),
    ("bad_holder_code.pdf", ids::CODES, "fail"),
    ("other_authority.pdf", ids::ISSUER_MATCHES_SEAL, "fail"),
    ("expired.pdf", ids::VALIDITY, "fail"),
    ("page_differs.pdf", ids::CONSISTENCY, "fail"),
    ("identifier_on_page_only.pdf", ids::IDENTIFIER, "pass"),
];

#[test]
fn pdf_licence_checks_pass_and_fail() {
    let (a, other) = (Authority::new(AUTHORITY), Authority::new(OTHER_AUTHORITY));
    let cases = pdf_cases(&a, &other);
    for (file, pdf) in &cases {
        let who = if file.starts_with("other") {
            &other
        } else {
            &a
        };
        let r = who.verify_pdf(pdf);
        let lic = &r
            .extra
            .get("licence")
            .unwrap_or_else(|| panic!("{file}: no licence section: {:#?}", r.checks));
        for (f, check, want) in PDF_CASES.iter().filter(|c| c.0 == *file) {
            let c = r.find_check(check).unwrap();
            assert_eq!(
                c.status.as_str(),
                *want,
                "{f} {check}: {} {lic:#}",
                c.message
            );
            if *want == "fail" {
                only_fails(&r, check);
            }
        }
        // The seal itself stays valid (only the licence is wrong).
        assert_eq!(
            r.signatures[0].verdict,
            eseal::report::Verdict::Valid,
            "{file}: {:#?}",
            r.signatures[0].checks
        );
        if *file == "good.pdf" {
            let sources: Vec<&str> = lic["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["source"].as_str().unwrap())
                .collect();
            assert!(
                sources.contains(&"xmp") && sources.contains(&"pdf_info"),
                "{lic:#}"
            );
            assert_eq!(lic["bindings"].as_array().unwrap().len(), 3, "{lic:#}");
            assert_eq!(r.verdict, eseal::report::Verdict::Valid);
        }
        if *file == "identifier_on_page_only.pdf" {
            assert_eq!(lic["fields"][0]["source"], "page_text", "{lic:#}");
            for id in ALL
                .iter()
                .filter(|i| **i != ids::CODES && **i != ids::VALIDITY && **i != ids::CONSISTENCY)
            {
                assert_eq!(status(&r, id), Status::Pass, "{id}");
            }
        }
    }
}

/// English and Chinese keys, in XMP and in the information dictionary, are read alike.
#[test]
fn pdf_metadata_keys() {
    use eseal::pdf::object::{Dict, Object, text_string};
    let filled =
        eseal::licence::pdf_fill::fill(&pdf_template(), &row("2044-05-19"), t(SIGNING)).unwrap();
    let doc = eseal::pdf::Document::from_bytes(filled.pdf.clone()).unwrap();
    let (md, holders) = eseal::licence::pdf::read(&doc);
    assert_eq!(md.get("licence_id"), Some(filled.identifier.as_str()));
    assert_eq!(md.get("holder"), Some("某某科技有限公司"));
    assert_eq!(holders.len(), 3, "{holders:?}");
    // Chinese keys in the information dictionary only.
    let mut up = eseal::pdf::writer::IncrementalUpdate::new(&doc).unwrap();
    let (id, mut cat) = doc.catalog().unwrap();
    cat.remove("Metadata");
    up.write_object(id.0, id.1, &Object::Dict(cat));
    let mut info = Dict::new();
    info.0.push((
        "证照颁发机构代码".as_bytes().to_vec(),
        Object::String(text_string(AUTHORITY)),
    ));
    info.0.push((
        "持证主体".as_bytes().to_vec(),
        Object::String(text_string("某某科技有限公司")),
    ));
    let n = up.alloc().unwrap();
    up.write_object(n, 0, &Object::Dict(info));
    up.set_trailer("Info", Object::Ref(n, 0));
    let mut pdf = filled.pdf.clone();
    pdf.extend_from_slice(&up.finish().unwrap());
    let doc = eseal::pdf::Document::from_bytes(pdf).unwrap();
    let (md, _) = eseal::licence::pdf::read(&doc);
    assert_eq!(md.get("issuer_code"), Some(AUTHORITY));
    assert_eq!(md.get("holder"), Some("某某科技有限公司"));
    // The identifier comes from the page.
    assert_eq!(md.get("licence_id"), Some(filled.identifier.as_str()));
}

// ---- Licences from the independent generator (test-vectors/licence/gen.py) -------------------

/// Verifies every case of a `gen.py` output folder against its manifest: through the library,
/// and through `eseal verify --format json` (one run for the folder) when the CLI is built.
fn check_generated(dir: &std::path::Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let at = manifest["reference_time"].as_str().unwrap();
    let mut trust = eseal::pki::TrustStore::new();
    for r in manifest["trust"].as_array().unwrap() {
        for c in
            eseal::pki::parse_certificates(&std::fs::read(dir.join(r.as_str().unwrap())).unwrap())
                .unwrap()
        {
            trust.add_anchor(c);
        }
    }
    let opts = VerifyOptions {
        trust,
        now: Some(t(at)),
        ..Default::default()
    };
    let cases = manifest["cases"].as_array().unwrap();
    assert!(cases.len() >= 9);
    let mut files = Vec::new();
    for case in cases {
        let file = case["file"].as_str().unwrap();
        files.push(dir.join(file));
        let r = eseal::ofd::verify_ofd_file(dir.join(file), &opts);
        for (id, want) in case["checks"].as_object().unwrap() {
            let c = r
                .find_check(id)
                .unwrap_or_else(|| panic!("{file}: no {id}"));
            assert_eq!(c.status.as_str(), want, "{file} {id}: {}", c.message);
        }
    }
    let bin = cli();
    if !bin.exists() {
        println!("skipped: CLI not built");
        return;
    }
    let out = std::process::Command::new(&bin)
        .args(["verify", "--format", "json", "--at", at, "--trust"])
        .arg(dir.join(manifest["trust"][0].as_str().unwrap()))
        .args(&files)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for case in cases {
        let r = v
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["path"]
                    .as_str()
                    .unwrap()
                    .ends_with(case["file"].as_str().unwrap())
            })
            .unwrap();
        for (id, want) in case["checks"].as_object().unwrap() {
            let c = r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id.as_str())
                .unwrap();
            assert_eq!(&c["status"], want, "CLI {} {id}", case["file"]);
        }
        assert!(r["licence"]["fields"].as_array().is_some());
    }
}

fn cli() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .and_then(std::path::Path::parent)
        .unwrap()
        .join("examples/eseal")
}

/// The committed output of gen.py.
#[test]
fn independent_generator_vectors() {
    check_generated(&common::repo_dir().join("test-vectors/licence/py"));
}

/// gen.py run now (a new PKI and new signatures), when python3 with tongsuopy is installed
/// (.ci/setup.d/ofd.sh installs it for CI).
#[test]
fn independent_generator_fresh_run() {
    let tools = std::env::var_os("ESEAL_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| common::repo_dir().join(".tools"));
    let py = tools.join("py");
    let ok = std::process::Command::new("python3")
        .env("PYTHONPATH", &py)
        .args(["-c", "import tongsuopy.crypto.asymciphers.ec"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 with tongsuopy not found"
        );
        println!("skipped: python3 with tongsuopy not found");
        return;
    }
    let dir = common::temp_dir("licence_gen_py");
    let out = std::process::Command::new("python3")
        .env("PYTHONPATH", &py)
        .arg(common::repo_dir().join("test-vectors/licence/gen.py"))
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_generated(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The committed PDF vectors through the library and `eseal verify --format json`.
#[test]
fn pdf_vectors_library_and_cli() {
    let dir = common::repo_dir().join("test-vectors/licence");
    let mut trust = eseal::pki::TrustStore::new();
    for r in ["root.pem", "other-root.pem"] {
        for c in eseal::pki::parse_certificates(&std::fs::read(dir.join(r)).unwrap()).unwrap() {
            trust.add_anchor(c);
        }
    }
    let opts = eseal::pdf::VerifyOptions {
        trust,
        now: Some(t(NOW)),
    };
    let bin = cli();
    let mut files: Vec<&str> = PDF_CASES.iter().map(|c| c.0).collect();
    files.dedup();
    let cli_reports: Option<serde_json::Value> = bin.exists().then(|| {
        let out = std::process::Command::new(&bin)
            .args(["verify", "--format", "json", "--at", NOW, "--trust"])
            .arg(dir.join("root.pem"))
            .arg("--trust")
            .arg(dir.join("other-root.pem"))
            .args(files.iter().map(|f| dir.join(f)))
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    });
    for (file, check, want) in PDF_CASES {
        let r = eseal::pdf::verify_pdf(&dir.join(file), &opts);
        let c = r
            .find_check(check)
            .unwrap_or_else(|| panic!("{file}: no {check}"));
        assert_eq!(c.status.as_str(), *want, "{file} {check}: {}", c.message);
        if *want == "fail" {
            for id in ALL.iter().filter(|i| *i != check) {
                assert_ne!(
                    r.find_check(id).unwrap().status,
                    Status::Fail,
                    "{file}: {id}"
                );
            }
        }
        if let Some(v) = &cli_reports {
            let r = v
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["path"].as_str().unwrap().ends_with(file))
                .unwrap();
            let c = r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == *check)
                .unwrap();
            assert_eq!(c["status"], *want, "CLI {file} {check}");
            assert_eq!(r["licence"]["checks"].as_array().unwrap().len(), 6);
        }
    }
    if cli_reports.is_none() {
        println!("skipped: CLI not built");
    }
}

/// `eseal licence issue --format pdf`: a register of PDF licences from a PDF form, each sealed
/// and passing every licence check; qpdf (when installed) finds no syntax error.
#[test]
fn cli_issue_pdf_register() {
    let bin = cli();
    if !bin.exists() {
        println!("skipped: CLI not built");
        return;
    }
    let work = common::temp_dir("licence_issue_pdf");
    let a = Authority::new(AUTHORITY);
    // A seal whose picture is a real PNG (the PDF appearance draws it).
    let png = std::fs::read(common::repo_dir().join("test-vectors/licence/seal.png")).unwrap();
    let seal = a
        .pki
        .builder()
        .picture("PNG", png, 40, 40)
        .version(Version::V4)
        .build(&a.pki.maker.cert, &a.pki.maker.signer())
        .unwrap();
    std::fs::write(work.join("seal.esl"), seal.raw_der()).unwrap();
    std::fs::write(
        work.join("cert.pem"),
        eseal::pki::issue::to_pem("CERTIFICATE", &a.pki.signer.cert),
    )
    .unwrap();
    std::fs::write(
        work.join("key.pem"),
        eseal::crypto::keyfile::to_pkcs8_pem(&a.pki.signer.key).as_bytes(),
    )
    .unwrap();
    std::fs::write(work.join("template.pdf"), pdf_template()).unwrap();
    let header = row("2044-05-19")
        .iter()
        .map(|(k, _)| k.clone())
        .collect::<Vec<_>>()
        .join(",");
    let mut csv = format!("{header}\n");
    for i in 0..6 {
        let mut r = row("2044-05-19");
        r[2].1 = format!("2024{i:06}");
        if i == 3 {
            r[7].1 = "91350100M000100Y44".into(); // bad holder code
        }
        csv.push_str(
            &r.iter()
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
                .join(","),
        );
        csv.push('\n');
    }
    std::fs::write(work.join("register.csv"), &csv).unwrap();
    let out = std::process::Command::new(&bin)
        .args(["licence", "issue", "--template"])
        .arg(work.join("template.pdf"))
        .arg("--data")
        .arg(work.join("register.csv"))
        .arg("--seal")
        .arg(work.join("seal.esl"))
        .arg("--cert")
        .arg(work.join("cert.pem"))
        .arg("--key")
        .arg(work.join("key.pem"))
        .arg("-o")
        .arg(work.join("out"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("issued 5, skipped 0") && err.contains("row 4:"),
        "{err}"
    );
    let manifest = std::fs::read_to_string(work.join("out/manifest.csv")).unwrap();
    let qpdf = std::process::Command::new("qpdf")
        .arg("--version")
        .output()
        .is_ok();
    for l in manifest.lines().skip(1) {
        let file = l.split(',').nth(2).unwrap();
        assert!(file.ends_with(".pdf"));
        let path = work.join("out").join(file);
        let r = eseal::pdf::verify_pdf(
            &path,
            &eseal::pdf::VerifyOptions {
                trust: a.pki.store.clone(),
                now: None,
            },
        );
        for id in ALL {
            let c = r.find_check(id).unwrap();
            assert_eq!(c.status, Status::Pass, "{file} {id}: {}", c.message);
        }
        assert_eq!(r.verdict, eseal::report::Verdict::Valid, "{file}");
        if qpdf {
            let q = std::process::Command::new("qpdf")
                .arg("--check")
                .arg(&path)
                .output()
                .unwrap();
            assert!(
                q.status.success(),
                "qpdf --check {file}: {}",
                String::from_utf8_lossy(&q.stdout)
            );
        }
    }
    if !qpdf {
        println!("skipped: qpdf not installed");
    }
    let leftovers: Vec<_> = std::fs::read_dir(work.join("out"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let _ = std::fs::remove_dir_all(&work);
}
