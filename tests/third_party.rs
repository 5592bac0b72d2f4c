//! The third-party corpus (`test-vectors/third-party/*/manifest.json`, layout in each folder's
//! README): files made or changed by other people's tools (pyHanko, PDFBox, …), each with its
//! expected verdict and named checks. Every case is checked through the library's
//! verify-any-input entry point (`batch::Verifier::verify_input`, the one `eseal verify` and
//! batch use) and through `eseal verify --format json`. A new folder with a manifest is picked
//! up with no code change. The C ABI and the Go and Java bindings check the same manifests
//! (ffi/tests/test_third_party.c, ffi/go/thirdparty_test.go, ffi/java/test/.../ThirdPartyTest).
//! A case's optional `data` names the file a detached seal signature protects.
//!
//! When a folder's generator can run here (its tools installed: `ESEAL_THIRD_PARTY_REGEN=1`,
//! or `CI` set), it is also regenerated into a temporary folder and the same expectations are
//! checked on the fresh files.

use std::path::{Path, PathBuf};
use std::process::Command;

use eseal::batch::{Input, Verifier};
use eseal::report::Report;
use serde_json::Value;

fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join("examples").join("eseal");
    assert!(bin.exists(), "{} not built", bin.display());
    bin
}

fn manifests() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/third-party");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path().join("manifest.json"))
                .filter(|p| p.exists())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn strings(case: &Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// `rel` in the checked folder `files`, or, when a regenerated folder lacks it (a file the
/// generator reads from elsewhere in test-vectors, e.g. a fixed key), in the manifest's `dir`.
fn locate(files: &Path, dir: &Path, rel: &str) -> PathBuf {
    let p = files.join(rel);
    if p.exists() { p } else { dir.join(rel) }
}

fn verifier(files: &Path, dir: &Path, case: &Value) -> Verifier {
    let mut v = Verifier::new();
    for t in strings(case, "trust") {
        let n = v
            .add_trust(&std::fs::read(locate(files, dir, &t)).unwrap())
            .unwrap();
        assert!(n > 0, "{t}: no certificate");
    }
    for t in strings(case, "intermediates") {
        v.add_intermediates(&std::fs::read(locate(files, dir, &t)).unwrap())
            .unwrap();
    }
    for t in strings(case, "crls") {
        v.add_crl(&std::fs::read(locate(files, dir, &t)).unwrap())
            .unwrap();
    }
    if let Some(at) = case.get("at").and_then(Value::as_str) {
        v.set_time(Some(eseal::pki::Time::parse_rfc3339(at).unwrap()));
    }
    v
}

/// Compares one report (as JSON) with a case; returns the differences.
fn compare(report: &Value, case: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let status_of = |checks: &Value, id: &str| -> Option<String> {
        checks.as_array().and_then(|a| {
            a.iter()
                .find(|c| c["id"] == id)
                .and_then(|c| c["status"].as_str().map(String::from))
        })
    };
    if let Some(v) = case.get("verdict").and_then(Value::as_str)
        && report["verdict"] != v
    {
        errs.push(format!("verdict {} (want {v})", report["verdict"]));
    }
    if let Some(checks) = case.get("checks").and_then(Value::as_object) {
        for (id, want) in checks {
            let got = status_of(&report["checks"], id);
            if got.as_deref() != want.as_str() {
                errs.push(format!("check {id}: {got:?} (want {want})"));
            }
        }
    }
    if let Some(sigs) = case.get("signatures").and_then(Value::as_array) {
        let got = report["signatures"].as_array().cloned().unwrap_or_default();
        if got.len() != sigs.len() {
            errs.push(format!("{} signatures (want {})", got.len(), sigs.len()));
        }
        for (i, (want, s)) in sigs.iter().zip(got.iter()).enumerate() {
            if let Some(v) = want.get("verdict").and_then(Value::as_str)
                && s["verdict"] != v
            {
                errs.push(format!(
                    "signature {i}: verdict {} (want {v})",
                    s["verdict"]
                ));
            }
            if let Some(f) = want.get("format").and_then(Value::as_str)
                && s["format"] != f
            {
                errs.push(format!("signature {i}: format {} (want {f})", s["format"]));
            }
            if let Some(l) = want.get("modification_level").and_then(Value::as_str)
                && s["modification_level"] != l
            {
                errs.push(format!(
                    "signature {i}: modification_level {} (want {l})",
                    s["modification_level"]
                ));
            }
            if let Some(checks) = want.get("checks").and_then(Value::as_object) {
                for (id, w) in checks {
                    let got = status_of(&s["checks"], id);
                    if got.as_deref() != w.as_str() {
                        let msg = s["checks"]
                            .as_array()
                            .and_then(|a| a.iter().find(|c| c["id"] == *id))
                            .map(|c| c["message"].to_string())
                            .unwrap_or_default();
                        errs.push(format!(
                            "signature {i}: check {id}: {got:?} (want {w}) {msg}"
                        ));
                    }
                }
            }
        }
    }
    errs
}

/// Checks every case of one manifest against the files in `files` (the manifest's folder or
/// a regenerated copy); returns the number of cases.
fn check_manifest(manifest: &Path, files: &Path) -> usize {
    let dir = manifest.parent().unwrap();
    let doc: Value = serde_json::from_slice(&std::fs::read(manifest).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let mut failures = Vec::new();
    let cases = doc["cases"].as_array().expect("cases");
    for case in cases {
        let file = case["file"].as_str().expect("file");
        let path = locate(files, dir, file);
        // A detached seal signature's data (optional).
        let data = case
            .get("data")
            .and_then(Value::as_str)
            .map(|d| locate(files, dir, d));
        let data_bytes = data.as_ref().map(|d| std::fs::read(d).unwrap());
        // The library.
        let reports: Vec<Report> = verifier(files, dir, case)
            .verify_input_with_data(Input::Path(path.clone()), data_bytes.as_deref());
        assert_eq!(reports.len(), 1, "{file}");
        let lib = reports[0].to_json();
        for e in compare(&lib, case) {
            failures.push(format!("{}/{file} (library): {e}", dir.display()));
        }
        // The CLI.
        let mut cmd = Command::new(eseal_bin());
        cmd.arg("verify").arg("--format").arg("json");
        for t in strings(case, "trust") {
            cmd.arg("--trust").arg(locate(files, dir, &t));
        }
        for t in strings(case, "intermediates") {
            cmd.arg("--intermediate").arg(locate(files, dir, &t));
        }
        for t in strings(case, "crls") {
            cmd.arg("--crl").arg(locate(files, dir, &t));
        }
        if let Some(at) = case.get("at").and_then(Value::as_str) {
            cmd.arg("--at").arg(at);
        }
        if let Some(d) = &data {
            cmd.arg("--data").arg(d);
        }
        let out = cmd.arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let cli: Value = serde_json::from_str(text.trim())
            .unwrap_or_else(|e| panic!("{file}: CLI output is not JSON ({e}): {text}"));
        let cli = match cli {
            Value::Array(mut a) if a.len() == 1 => a.remove(0),
            v => v,
        };
        for e in compare(&cli, case) {
            failures.push(format!("{}/{file} (CLI): {e}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    cases.len()
}

#[test]
fn third_party_corpus() {
    let ms = manifests();
    assert!(
        !ms.is_empty(),
        "no test-vectors/third-party/*/manifest.json"
    );
    let mut n = 0;
    for m in &ms {
        n += check_manifest(m, m.parent().unwrap());
    }
    eprintln!("{n} third-party cases in {} folders", ms.len());
}

/// Regenerates each folder whose generator's tools are here into a temporary folder and
/// checks the same expectations (the generators make fresh keys, so this proves the verdicts
/// do not depend on the committed bytes).
#[test]
fn third_party_corpus_regenerated() {
    if std::env::var_os("ESEAL_THIRD_PARTY_REGEN").is_none() && std::env::var_os("CI").is_none() {
        eprintln!("skipped: set ESEAL_THIRD_PARTY_REGEN=1 (CI does) to regenerate the corpus");
        return;
    }
    for m in manifests() {
        let dir = m.parent().unwrap();
        let doc: Value = serde_json::from_slice(&std::fs::read(&m).unwrap()).unwrap();
        let Some(generator) = doc["generator"].as_str() else {
            continue;
        };
        let tmp = std::env::temp_dir().join(format!(
            "eseal-third-party-{}-{}",
            dir.file_name().unwrap().to_string_lossy(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).unwrap();
        // A Python generator runs with python3, a shell script with bash.
        let interpreter = if generator.ends_with(".py") {
            "python3"
        } else {
            "bash"
        };
        let out = Command::new(interpreter)
            .arg(dir.join(generator))
            .arg(&tmp)
            .env("ESEAL", eseal_bin())
            .output()
            .unwrap();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            if err.contains("ModuleNotFoundError")
                || err.contains("command not found")
                || err.contains("No such file")
            {
                eprintln!(
                    "skipped {}: its tools are not installed: {}",
                    dir.display(),
                    err.lines().last().unwrap_or("")
                );
                continue;
            }
            panic!("{generator} in {} failed: {err}", dir.display());
        }
        let n = check_manifest(&m, &tmp);
        eprintln!("{}: {n} regenerated cases", dir.display());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
