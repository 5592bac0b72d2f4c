//! Electronic licences: every licence check passes on a licence made by
//! `eseal::licence::issue::fill` and sealed by its authority, and each defect fails exactly
//! its own check: a field changed after sealing (`licence.metadata_protected`), a wrong check
//! character (`licence.identifier`), a wrong holder code (`licence.codes`), a seal of another
//! authority (`licence.issuer_matches_seal`), an expired licence (`licence.validity`), page text
//! that disagrees with the metadata (`licence.consistency`). Also: the identifier read from the
//! page only, and the real SurRead file with page bindings.

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
    let plain = std::fs::read(common::samples_dir().unwrap().join("ofdrw/helloworld.ofd")).unwrap();
    rewrite(&plain, |n, d| {
        if n == "Doc_0/Pages/Page_0/Content.xml" {
            page.as_bytes().to_vec()
        } else if n == "Doc_0/Document.xml" {
            String::from_utf8(d)
                .unwrap()
                .replace("<ofd:MaxUnitID>4</ofd:MaxUnitID>", "<ofd:MaxUnitID>7</ofd:MaxUnitID>")
                .into_bytes()
        } else {
            d
        }
    })
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
        seal_ofd_bytes(ofd, &opts, &seal, &self.pki.signer.cert, &self.pki.signer.signer()).unwrap()
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
    if common::samples_dir().is_none() {
        return;
    }
    let a = Authority::new(AUTHORITY);
    let filled = eseal::licence::issue::fill(&template(), &row("2044-05-19")).unwrap();
    assert_eq!(
        filled.identifier,
        "1.2.156.3005.2.11100000000013338W011.11370000MB2852565A.20230000403.001.N".replace(
            ".N",
            &format!(
                ".{}",
                eseal::licence::codes::mod37_36("11100000000013338W01111370000MB2852565A20230000403001").unwrap()
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
            String::from_utf8(d).unwrap().replace("某某科技有限公司", "某某科技有限公司X").into_bytes()
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
    let wrong = format!("{}{}", &good[..good.len() - 1], if last == 'A' { 'B' } else { 'A' });
    let bad_id = rewrite(&filled.ofd, |_, d| match String::from_utf8(d) {
        Ok(s) => s.replace(&good, &wrong).into_bytes(),
        Err(e) => e.into_bytes(),
    });
    let r = a.verify(&a.seal(&bad_id));
    only_fails(&r, ids::IDENTIFIER);

    // A holder code with a wrong check character.
    let bad_code = rewrite(&filled.ofd, |_, d| match String::from_utf8(d) {
        Ok(s) => s.replace("91350100M000100Y43", "91350100M000100Y44").into_bytes(),
        Err(e) => e.into_bytes(),
    });
    only_fails(&a.verify(&a.seal(&bad_code)), ids::CODES);

    // Sealed by another authority.
    let other = Authority::new(OTHER_AUTHORITY);
    only_fails(&other.verify(&other.seal(&filled.ofd)), ids::ISSUER_MATCHES_SEAL);

    // Expired before the reference time.
    let expired = eseal::licence::issue::fill(&template(), &row("2025-12-31")).unwrap();
    only_fails(&a.verify(&a.seal(&expired.ofd)), ids::VALIDITY);

    // The page shows another holder than the metadata.
    let page_differs = rewrite(&filled.ofd, |n, d| {
        if n.ends_with("Content.xml") {
            String::from_utf8(d).unwrap().replace("某某科技有限公司", "另一家公司").into_bytes()
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
    let Some(dir) = common::samples_dir() else { return };
    let r = eseal::ofd::verify_ofd_file(dir.join("ofdrw/path_unstd.ofd"), &VerifyOptions::default());
    let lic = &r.extra["licence"];
    let b = lic["bindings"].as_array().unwrap();
    assert!(b.len() >= 10, "{b:?}");
    let c = r.find_check(ids::CONSISTENCY).unwrap();
    assert_eq!(c.status, Status::Pass, "{}", c.message);
    // Unsealed: the metadata is not protected.
    assert_eq!(status(&r, ids::METADATA_PROTECTED), Status::Fail);
}
