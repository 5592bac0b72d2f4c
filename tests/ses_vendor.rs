//! Vendor-variant seals made by an independent encoder (test-vectors/ses-vendor/gen.py:
//! tongsuopy for SM2/SM3): a certList holding identifiers instead of certificates decodes,
//! `signer_in_seal` says what it holds and every other check still runs, through the library
//! and through `eseal verify --format json`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use eseal::batch::Verifier;
use eseal::pki::Time;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/ses-vendor")
}

fn manifest() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir().join("manifest.json")).unwrap()).unwrap()
}

fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let sigs = report["signatures"].as_array().cloned().unwrap_or_default();
    for c in report["checks"].as_array().into_iter().flatten().chain(
        sigs.iter()
            .flat_map(|s| s["checks"].as_array().into_iter().flatten()),
    ) {
        out.push((
            c["id"].as_str().unwrap().to_string(),
            c["status"].as_str().unwrap().to_string(),
        ));
    }
    out
}

fn expect(case: &serde_json::Value, report: &serde_json::Value, how: &str) {
    let file = case["file"].as_str().unwrap();
    assert_eq!(report["verdict"], case["verdict"], "{how} {file}: {report}");
    let got = statuses(report);
    for (id, want) in case["checks"].as_object().unwrap() {
        let st = got.iter().find(|(i, _)| i == id).map(|(_, s)| s.as_str());
        assert_eq!(st, want.as_str(), "{how} {file} {id}: {report}");
    }
}

/// Checks every case of the manifest on the files in `folder` through the library.
fn check_folder(folder: &Path) {
    let m = manifest();
    let mut v = Verifier::new();
    for t in m["trust"].as_array().unwrap() {
        v.add_trust(&std::fs::read(dir().join(t.as_str().unwrap())).unwrap())
            .unwrap();
    }
    v.set_time(Some(
        Time::parse_rfc3339(m["at"].as_str().unwrap()).unwrap(),
    ));
    let data = std::fs::read(folder.join(m["data"].as_str().unwrap())).unwrap();
    for case in m["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let bytes = std::fs::read(folder.join(file)).unwrap();
        let reports = v.verify_bytes_with_data(file, &bytes, Some(&data));
        assert_eq!(reports.len(), 1);
        expect(case, &reports[0].to_json(), "library");
    }
}

#[test]
fn vendor_seals_through_the_library() {
    check_folder(&dir());
    let r = eseal::ses::Seal::from_der(&std::fs::read(dir().join("v1-ia5-certlist.esl")).unwrap())
        .unwrap();
    match &r.seal_info.property.cert_list {
        eseal::ses::CertList::Other(e) => {
            assert_eq!(e.len(), 1);
            assert_eq!(e[0].describe(), "\"1\"");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn vendor_seals_through_the_cli() {
    let m = manifest();
    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/examples/eseal");
    if !exe.exists() {
        println!("skipped: build the eseal example (cargo build --release --example eseal)");
        return;
    }
    for case in m["cases"].as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let out = Command::new(&exe)
            .args(["verify", "--format", "json", "--no-progress", "--at"])
            .arg(m["at"].as_str().unwrap())
            .arg("--trust")
            .arg(dir().join(m["trust"][0].as_str().unwrap()))
            .arg("--data")
            .arg(dir().join(m["data"].as_str().unwrap()))
            .arg(dir().join(file))
            .output()
            .unwrap();
        let j: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{file}: {e}: {}", String::from_utf8_lossy(&out.stderr)));
        expect(case, &j[0], "cli");
    }
}

/// The generator run again into a temporary folder gives files with the same verdicts (new
/// random SM2 nonces, so new bytes).
#[test]
fn regenerated_vendor_seals() {
    let Some(tmp) = common::regenerate(&dir().join("gen.py"), "eseal-ses-vendor") else {
        return;
    };
    check_folder(&tmp);
    let _ = std::fs::remove_dir_all(&tmp);
}
