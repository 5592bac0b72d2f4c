//! The progress bar and summary of `eseal verify` in a pseudo-terminal (`script` from
//! util-linux), and Ctrl-C: the summary of what was done, then exit 130.

#[path = "../benches/corpus/mod.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("examples").join("eseal")
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn progress_bar_and_summary_in_a_terminal() {
    if !have("script") {
        assert!(std::env::var_os("CI").is_none(), "script not found");
        eprintln!("skipped: script not found");
        return;
    }
    let dir = std::env::temp_dir().join(format!("eseal-batch-tty-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let c = corpus::generate(&dir, 300, 1, &corpus::MIXED).unwrap();
    let out_file = dir.join("out.jsonl");
    let cmd = format!(
        "{} verify --at {} --trust {} --crl {} --format jsonl -o {} --jobs 2 {}",
        shell_quote(&eseal_bin()),
        corpus::AT,
        shell_quote(&c.trust),
        shell_quote(&c.crls[0]),
        shell_quote(&out_file),
        shell_quote(&c.files)
    );
    let out = Command::new("script")
        .args(["-qfec", &cmd, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{screen}");
    // The bar: a line redrawn in place with done/total, rate and ETA.
    assert!(screen.contains("\r\x1b[K["), "{screen:?}");
    assert!(screen.contains("300/300 files 100%"), "{screen:?}");
    assert!(screen.contains("files/s  ETA "), "{screen:?}");
    assert!(
        screen
            .contains("summary: 300 files, 300 reports: 120 valid, 150 invalid, 30 indeterminate"),
        "{screen:?}"
    );
    assert!(
        screen.contains("failed checks: cert.chain 30"),
        "{screen:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap().lines().count(),
        300
    );

    // Off a terminal: no bar, same summary.
    let out = Command::new(eseal_bin())
        .args(["verify", "--at", corpus::AT, "--trust"])
        .arg(&c.trust)
        .arg("--crl")
        .arg(&c.crls[0])
        .args(["--format", "jsonl"])
        .arg(&c.files)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains('\r') && !err.contains("ETA"), "{err:?}");
    assert!(err.contains("summary: 300 files"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn ctrl_c_prints_the_summary_and_exits_130() {
    if !have("mkfifo") {
        assert!(std::env::var_os("CI").is_none(), "mkfifo not found");
        eprintln!("skipped: mkfifo not found");
        return;
    }
    let dir = std::env::temp_dir().join(format!("eseal-batch-int-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let c = corpus::generate(&dir, 100, 1, &corpus::MIXED).unwrap();
    // A FIFO given first keeps one worker waiting (open blocks until a writer comes), so the
    // run is certainly still going when the signal arrives.
    let fifo = dir.join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out_file = dir.join("out.jsonl");
    let child = Command::new(eseal_bin())
        .args(["verify", "--at", corpus::AT, "--trust"])
        .arg(&c.trust)
        .args(["--format", "jsonl", "--jobs", "2", "-o"])
        .arg(&out_file)
        .arg(&fifo)
        .arg(&c.files)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the other worker has verified something: the handler is installed by then.
    let start = Instant::now();
    while std::fs::metadata(&out_file).map_or(0, |m| m.len()) == 0 {
        assert!(start.elapsed() < Duration::from_secs(60), "no output");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = child.id().to_string();
    assert!(
        Command::new("sh")
            .args(["-c", &format!("kill -INT {pid}")])
            .status()
            .unwrap()
            .success()
    );
    std::thread::sleep(Duration::from_millis(300));
    // Unblock the FIFO reader: it gets an empty file.
    std::fs::write(&fifo, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted; summary: "), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
