//! `eseal verify --format json` on every certificate chain case of `test-vectors/chains*/`
//! (made by OpenSSL and by Bouncy Castle): the verdict, the named check and the exit status
//! must be what the generator's `cases.json` says.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `eseal` example binary built by `cargo test` beside this test's binary.
pub fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join("examples").join("eseal");
    assert!(
        bin.exists(),
        "{} not built (cargo test builds examples)",
        bin.display()
    );
    bin
}

fn expected_exit(verdict: &str) -> i32 {
    match verdict {
        "valid" => 0,
        "invalid" => 1,
        "indeterminate" => 3,
        v => panic!("unknown verdict {v}"),
    }
}

fn run_cases(cases_json: &Path) -> usize {
    let dir = cases_json.parent().unwrap();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(cases_json).unwrap()).unwrap();
    let mut n = 0;
    for case in doc["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        if case.get("now").is_some_and(|v| !v.is_null()) {
            // The CLI always judges "now" with the real clock.
            continue;
        }
        let mut cmd = Command::new(eseal_bin());
        cmd.arg("verify").arg("--format").arg("json");
        for (key, flag) in [
            ("trust", "--trust"),
            ("intermediates", "--intermediate"),
            ("crls", "--crl"),
        ] {
            for f in case[key].as_array().into_iter().flatten() {
                cmd.arg(flag).arg(dir.join(f.as_str().unwrap()));
            }
        }
        if let Some(at) = case["at"].as_str() {
            cmd.arg("--at").arg(at);
        }
        let purpose = case["purpose"].as_str().unwrap_or("signing");
        cmd.arg("--purpose").arg(purpose);
        cmd.arg(dir.join(case["cert"].as_str().unwrap()));
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let reports: serde_json::Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("{name}: bad JSON ({e}): {stdout}"));
        let report = &reports[0];
        let verdict = case["verdict"].as_str().unwrap();
        assert_eq!(
            report["verdict"],
            verdict,
            "{}/{name}: {report:#}",
            dir.display()
        );
        assert_eq!(
            out.status.code(),
            Some(expected_exit(verdict)),
            "{name}: exit status"
        );
        if let (Some(id), Some(status)) = (case["check"].as_str(), case["status"].as_str()) {
            let check = report["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id)
                .unwrap_or_else(|| panic!("{name}: no check {id}"));
            assert_eq!(check["status"], status, "{}/{name}: {check}", dir.display());
        }
        n += 1;
    }
    n
}

#[test]
fn every_chain_case_through_the_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors");
    let mut total = 0;
    let mut sets = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("chains") && p.join("cases.json").exists() {
            total += run_cases(&p.join("cases.json"));
            sets += 1;
        }
    }
    assert!(
        sets >= 1 && total >= 10,
        "only {total} cases in {sets} sets"
    );
    eprintln!("{total} chain cases from {sets} generators verified through the CLI");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = Command::new(eseal_bin())
        .args(["verify", "/nonexistent/x.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(eseal_bin())
        .args(["verify", "--at", "yesterday", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(eseal_bin()).args(["verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(eseal_bin())
        .args(["frobnicate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn garbage_file_is_invalid_not_a_crash() {
    let dir = std::env::temp_dir().join(format!("eseal-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("junk.pem");
    std::fs::write(
        &f,
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let g = dir.join("junk.bin");
    std::fs::write(&g, [0x30u8, 0x82, 0xff, 0xff, 1, 2, 3]).unwrap();
    let out = Command::new(eseal_bin())
        .arg("verify")
        .arg("--format")
        .arg("json")
        .arg(&f)
        .arg(&g)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 2);
    for r in reports.as_array().unwrap() {
        assert_eq!(r["verdict"], "invalid");
        assert!(r["error"].is_string());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
