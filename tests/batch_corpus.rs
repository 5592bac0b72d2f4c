//! `eseal verify` over a generated corpus of 5,000 mixed inputs (valid DER and PEM
//! certificates, tampered, expired, revoked, malformed, not-a-seal, unknown issuer, wrong key
//! usage; see `benches/corpus/mod.rs`): every report must have exactly the verdict the
//! generator's manifest gives, with the named check failed (or indeterminate), with 1 and with
//! 2 jobs; `--jobs 1` and `--jobs 2 --sorted` must give the same reports in the same order; the
//! JSON array and CSV outputs hold the same verdicts; and the summary counts them.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    let bin = dir.join("examples").join("eseal");
    assert!(bin.exists(), "{} not built", bin.display());
    bin
}

fn verify_cmd(c: &corpus::Corpus) -> Command {
    let mut cmd = Command::new(eseal_bin());
    cmd.arg("verify")
        .arg("--at")
        .arg(corpus::AT)
        .arg("--trust")
        .arg(&c.trust);
    for crl in &c.crls {
        cmd.arg("--crl").arg(crl);
    }
    cmd
}

fn jsonl(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line ({e}): {l}")))
        .collect()
}

fn check_against_manifest(
    c: &corpus::Corpus,
    expected: &HashMap<String, (String, String)>,
    reports: &[serde_json::Value],
    what: &str,
) {
    assert_eq!(reports.len(), expected.len(), "{what}: report count");
    let mut seen = std::collections::HashSet::new();
    for r in reports {
        let path = r["path"].as_str().unwrap();
        let rel = Path::new(path)
            .strip_prefix(&c.dir)
            .unwrap()
            .display()
            .to_string();
        let (verdict, check) = expected
            .get(&rel)
            .unwrap_or_else(|| panic!("{what}: unexpected report {rel}"));
        assert!(seen.insert(rel.clone()), "{what}: {rel} reported twice");
        assert_eq!(r["verdict"], verdict.as_str(), "{what}: {rel}: {r}");
        if check != "-" {
            let want = if verdict == "indeterminate" {
                "indeterminate"
            } else {
                "fail"
            };
            let found = r["checks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["id"] == check.as_str() && k["status"] == want);
            assert!(found, "{what}: {rel}: check {check} not {want}: {r}");
        }
    }
}

#[test]
fn five_thousand_mixed_files() {
    let dir = std::env::temp_dir().join(format!("eseal-batch-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let c = corpus::generate(&dir, 5000, 2, &corpus::MIXED).unwrap();
    let expected: HashMap<String, (String, String)> = corpus::read_manifest(&c.manifest)
        .unwrap()
        .into_iter()
        .map(|(p, v, k)| (p, (v, k)))
        .collect();
    assert_eq!(expected.len(), 5000);

    let run = |args: &[&str]| {
        let out = verify_cmd(&c).args(args).arg(&c.files).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    };
    let one = run(&["--format", "jsonl", "--jobs", "1"]);
    let one_reports = jsonl(&one.stdout);
    check_against_manifest(&c, &expected, &one_reports, "--jobs 1");
    let stderr = String::from_utf8_lossy(&one.stderr);
    assert!(
        stderr.contains(
            "summary: 5000 files, 5000 reports: 2000 valid, 2500 invalid, 500 indeterminate (750 errors)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "failed checks: cert.chain 500, cert.key_usage 250, cert.revocation 500, cert.validity 500, format 750"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("ETA"), "no progress bar off a terminal");

    let two = run(&["--format", "jsonl", "--jobs", "2"]);
    check_against_manifest(&c, &expected, &jsonl(&two.stdout), "--jobs 2");

    let sorted = run(&["--format", "jsonl", "--jobs", "2", "--sorted"]);
    assert!(
        sorted.stdout == one.stdout,
        "--jobs 2 --sorted differs from --jobs 1"
    );

    // The JSON array (streamed) and CSV hold the same verdicts.
    let out_file = dir.join("out.json");
    run(&[
        "--format",
        "json",
        "--jobs",
        "2",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let arr: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&out_file).unwrap()).unwrap();
    check_against_manifest(&c, &expected, &arr, "--format json");
    let csv = run(&["--format", "csv", "--jobs", "2"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    let mut lines = text.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("path,kind,verdict,failed_checks,error,licence_identifier,")
    );
    let mut n = 0;
    for l in lines {
        let mut f = l.splitn(4, ',');
        let path = f.next().unwrap();
        let _kind = f.next().unwrap();
        let verdict = f.next().unwrap();
        let rel = Path::new(path)
            .strip_prefix(&c.dir)
            .unwrap()
            .display()
            .to_string();
        assert_eq!(verdict, expected[&rel].0, "csv: {l}");
        n += 1;
    }
    assert_eq!(n, 5000);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unreadable_and_missing_inputs() {
    let dir = std::env::temp_dir().join(format!("eseal-batch-errs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let c = corpus::generate(&dir, 40, 1, &corpus::MIXED).unwrap();
    // A missing PATH on the command line is a usage error (exit 2) before the run starts.
    let out = verify_cmd(&c)
        .arg(&c.files)
        .arg(dir.join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    // A valid file only: exit 0; an indeterminate one: 3.
    let valid = c.files.join("d000/f000000.der");
    let out = verify_cmd(&c).arg(&valid).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let unknown = c.files.join("d000/f000010.der");
    let out = verify_cmd(&c).arg(&valid).arg(&unknown).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    // A file that cannot be read once the run started is an invalid report with an error.
    #[cfg(unix)]
    {
        let sub = dir.join("files/d000/sub");
        std::fs::create_dir_all(&sub).unwrap();
        std::os::unix::fs::symlink(dir.join("nowhere"), sub.join("dangling")).unwrap();
        let out = verify_cmd(&c)
            .args(["--format", "jsonl", "--follow-symlinks"])
            .arg(&sub)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let r = jsonl(&out.stdout);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0]["verdict"], "invalid");
        assert!(r[0]["error"].is_string());
        // Without --follow-symlinks the link is skipped and counted.
        let out = verify_cmd(&c).arg(&sub).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stderr).contains("skipped 1 symbolic links"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
