//! The key file's password off the command line (`--password-file`, `--password-env`, the
//! terminal prompt; `--password` still works with a warning) and key files written 0600 whatever
//! the umask, never over an existing key without `--force`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("examples").join("eseal")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Runs eseal under `sh` with the given umask, in `dir`.
fn eseal_umask(dir: &Path, umask: &str, args: &[&str]) -> Output {
    let cmd = format!(
        "umask {umask}; exec {} {}",
        quote(&eseal_bin().display().to_string()),
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
    );
    Command::new("sh")
        .current_dir(dir)
        .args(["-c", &cmd])
        .stdin(Stdio::null())
        .output()
        .expect("run eseal")
}

fn eseal(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(eseal_bin())
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("run eseal")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn fresh(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eseal-cli-pw-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const SIGN: [&str; 8] = [
    "sign-data",
    "--seal",
    "demo.esl",
    "--cert",
    "signer.pem",
    "--key",
    "signer.key",
    "contract.txt",
];

fn sign(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Output {
    let _ = std::fs::remove_file(dir.join("out.dat"));
    let mut args: Vec<&str> = SIGN.to_vec();
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-o", "out.dat"]);
    eseal(dir, &args, env)
}

#[test]
fn key_files_are_0600_whatever_the_umask_and_never_replaced_without_force() {
    let dir = fresh("mode");
    for (i, umask) in ["000", "022", "0277"].iter().enumerate() {
        let d = format!("d{i}");
        std::fs::create_dir_all(dir.join(&d)).unwrap();
        let o = eseal_umask(&dir, umask, &["demo", "--dir", &d]);
        assert_eq!(o.status.code(), Some(0), "umask {umask}: {}", text(&o));
        for k in ["maker.key", "signer.key"] {
            let p = dir.join(&d).join(k);
            assert_eq!(mode(&p), 0o600, "umask {umask}: {k}");
        }
        // A certificate is public: the umask applies as usual.
        let m = mode(&dir.join(&d).join("signer.pem"));
        assert_eq!(m & 0o200, if *umask == "0277" { 0 } else { 0o200 });
    }

    // Run again: the keys are there, so the demo refuses and leaves them alone.
    let key = dir.join("d1/signer.key");
    let before = std::fs::read(&key).unwrap();
    let o = eseal_umask(&dir, "022", &["demo", "--dir", "d1"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--force"), "{}", text(&o));
    assert_eq!(std::fs::read(&key).unwrap(), before);
    // A key planted by someone else, readable by all, is not replaced either.
    let d3 = dir.join("d3");
    std::fs::create_dir_all(&d3).unwrap();
    std::fs::write(d3.join("maker.key"), b"not mine").unwrap();
    let o = eseal_umask(&dir, "022", &["demo", "--dir", "d3"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(std::fs::read(d3.join("maker.key")).unwrap(), b"not mine");
    assert!(!d3.join("signer.key").exists());

    // With --force: new keys, still 0600, and no temporary file left behind.
    let o = eseal_umask(&dir, "000", &["demo", "--dir", "d1", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_ne!(std::fs::read(&key).unwrap(), before);
    assert_eq!(mode(&key), 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(dir.join("d1"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn password_from_a_file_the_environment_the_prompt_or_the_command_line() {
    let dir = fresh("src");
    let o = eseal(&dir, &["demo", "--dir", "d"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let d = dir.join("d");
    let warning = "--password is unsafe";

    // From a file: first line only, with or without a line end (LF or CRLF).
    for content in ["eseal-demo", "eseal-demo\n", "eseal-demo\r\nsecond line\n"] {
        std::fs::write(d.join("pw.txt"), content).unwrap();
        let o = sign(&d, &["--password-file", "pw.txt"], &[]);
        assert_eq!(o.status.code(), Some(0), "{content:?}: {}", text(&o));
        assert!(!text(&o).contains(warning));
        assert!(d.join("out.dat").is_file());
    }
    std::fs::write(d.join("bad.txt"), "wrong\n").unwrap();
    let o = sign(&d, &["--password-file", "bad.txt"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).to_lowercase().contains("password"), "{}", text(&o));
    assert!(!d.join("out.dat").exists());
    let o = sign(&d, &["--password-file", "missing.txt"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("missing.txt"), "{}", text(&o));

    // From the environment.
    let env = [("ESEAL_TEST_KEY_PW", "eseal-demo")];
    let o = sign(&d, &["--password-env", "ESEAL_TEST_KEY_PW"], &env);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!text(&o).contains(warning));
    let o = sign(&d, &["--password-env", "ESEAL_TEST_UNSET_VAR"], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("ESEAL_TEST_UNSET_VAR"), "{}", text(&o));

    // On the command line: still works, with a warning on standard error.
    let o = sign(&d, &["--password", "eseal-demo"], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains(warning));

    // Two sources at once: a usage error.
    let o = sign(
        &d,
        &["--password", "x", "--password-env", "ESEAL_TEST_KEY_PW"],
        &env,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = sign(
        &d,
        &[
            "--password-file",
            "pw.txt",
            "--password-env",
            "ESEAL_TEST_KEY_PW",
        ],
        &env,
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // None, and standard input is not a terminal: no prompt, a clear error.
    let o = sign(&d, &[], &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).to_lowercase().contains("password"), "{}", text(&o));
    assert!(!text(&o).contains("Password for"), "{}", text(&o));

    // None, on a terminal: the prompt, without echo.
    if Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "script not found");
        eprintln!("skipped: script not found (the prompt)");
        return;
    }
    let _ = std::fs::remove_file(d.join("out.dat"));
    let mut cmd = quote(&eseal_bin().display().to_string());
    for a in SIGN.iter().chain(&["-o", "out.dat"]) {
        cmd.push(' ');
        cmd.push_str(&quote(a));
    }
    // The password is typed after the prompt is up (echo is off by then).
    let sh = format!(
        "(sleep 3; printf 'eseal-demo\\n') | script -qfec {} /dev/null",
        quote(&cmd)
    );
    let o = Command::new("sh")
        .current_dir(&d)
        .args(["-c", &sh])
        .output()
        .unwrap();
    let screen = text(&o);
    assert_eq!(o.status.code(), Some(0), "{screen:?}");
    assert!(screen.contains("Password for signer.key: "), "{screen:?}");
    assert!(!screen.contains("eseal-demo"), "echoed: {screen:?}");
    assert!(d.join("out.dat").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
