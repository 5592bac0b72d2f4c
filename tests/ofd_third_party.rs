//! The OFD part of the third-party corpus (test-vectors/third-party/ofd/, made by gen.py with
//! Python zipfile and tongsuopy): each case's verdict and named checks, per manifest.json,
//! through the verify-any-input entry point (`eseal::batch::Verifier`, as `eseal verify`, batch
//! and the C ABI use it), through `eseal verify --format json`, and on a regeneration into a
//! temporary folder when tongsuopy is installed. (Kept until tests/third_party.rs, which walks
//! every folder of the corpus, covers it.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use eseal::batch::Verifier;
use eseal::pki::Time;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/third-party/ofd")
}

fn manifest() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir().join("manifest.json")).unwrap()).unwrap()
}

fn status_of(checks: &serde_json::Value, id: &str) -> Option<String> {
    checks
        .as_array()?
        .iter()
        .find(|c| c["id"] == id)
        .map(|c| c["status"].as_str().unwrap_or("").to_string())
}

/// Compares one report (JSON) with its manifest case.
fn expect(case: &serde_json::Value, r: &serde_json::Value, how: &str) {
    let file = case["file"].as_str().unwrap();
    assert_eq!(r["verdict"], case["verdict"], "{how} {file}: {r:#}");
    for (id, want) in case["checks"].as_object().into_iter().flatten() {
        assert_eq!(
            status_of(&r["checks"], id).as_deref(),
            want.as_str(),
            "{how} {file} {id}: {r:#}"
        );
    }
    for (i, s) in case["signatures"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let got = &r["signatures"][i];
        if let Some(v) = s.get("verdict") {
            assert_eq!(&got["verdict"], v, "{how} {file} signature {i}: {got:#}");
        }
        for (id, want) in s["checks"].as_object().into_iter().flatten() {
            assert_eq!(
                status_of(&got["checks"], id).as_deref(),
                want.as_str(),
                "{how} {file} signature {i} {id}: {got:#}"
            );
        }
    }
}

fn verifier(case: &serde_json::Value) -> Verifier {
    let mut v = Verifier::new();
    for t in case["trust"].as_array().into_iter().flatten() {
        v.add_trust(&std::fs::read(dir().join(t.as_str().unwrap())).unwrap())
            .unwrap();
    }
    if let Some(at) = case["at"].as_str() {
        v.set_time(Some(Time::parse_rfc3339(at).unwrap()));
    }
    v
}

fn check_folder(folder: &Path) {
    let m = manifest();
    for case in m["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let bytes = std::fs::read(folder.join(file)).unwrap();
        let reports = verifier(case).verify_bytes(file, &bytes);
        assert_eq!(reports.len(), 1, "{file}");
        let r = reports[0].to_json();
        expect(case, &r, "library");
        // Every unprotected file is listed with its role.
        let listed = r["unprotected_files"].as_array().map_or(0, |a| a.len());
        let roles = r["unprotected_file_roles"]
            .as_array()
            .map_or(0, |a| a.len());
        assert_eq!(listed, roles, "{file}: {r:#}");
    }
}

#[test]
fn third_party_ofds_through_the_library() {
    check_folder(&dir());
    // The roles named in the report.
    let m = manifest();
    let case = &m["cases"].as_array().unwrap()[2];
    assert_eq!(case["file"], "template-unprotected.ofd");
    let r = verifier(case).verify_bytes(
        "t",
        &std::fs::read(dir().join("template-unprotected.ofd")).unwrap(),
    )[0]
    .to_json();
    let roles: Vec<(String, String)> = r["unprotected_file_roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["file"].as_str().unwrap().to_string(),
                u["role"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        roles.contains(&("OFD.xml".into(), "ofd_xml".into())),
        "{roles:?}"
    );
    assert!(
        roles.contains(&("Doc_0/Tpls/Tpl_0/Content.xml".into(), "template".into())),
        "{roles:?}"
    );
}

#[test]
fn third_party_ofds_through_the_cli() {
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/examples/eseal");
    if !exe.exists() {
        println!("skipped: build the eseal example (cargo build --release --example eseal)");
        return;
    }
    let m = manifest();
    for case in m["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let mut cmd = Command::new(&exe);
        cmd.args(["verify", "--format", "json", "--no-progress"]);
        for t in case["trust"].as_array().into_iter().flatten() {
            cmd.arg("--trust").arg(dir().join(t.as_str().unwrap()));
        }
        if let Some(at) = case["at"].as_str() {
            cmd.args(["--at", at]);
        }
        let out = cmd.arg(dir().join(file)).output().unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        expect(case, &j[0], "cli");
    }
}

#[test]
fn regenerated_third_party_ofds() {
    let Some(tmp) = common::regenerate(&dir().join("gen.py"), "eseal-3p-ofd") else {
        return;
    };
    check_folder(&tmp);
    let _ = std::fs::remove_dir_all(&tmp);
}
