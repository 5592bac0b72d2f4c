//! The `eseal` tool for the sealing tests: run it, a folder with the demo's seal and keys,
//! the producer PDFs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("examples").join("eseal")
}

pub fn eseal(dir: &Path, args: &[&str]) -> Output {
    Command::new(eseal_bin())
        .current_dir(dir)
        .env("ESEAL_TEST_PW", "eseal-demo")
        .args(args)
        .output()
        .expect("run eseal")
}

pub fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

pub fn producers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("test-vectors/producers")
}

/// A folder with the demo's seal and keys in `d/`.
pub fn demo_dir(name: &str) -> PathBuf {
    let dir = crate::common::temp_dir(name);
    let o = eseal(&dir, &["demo", "--dir", "d"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    dir
}

pub const KEY: &[&str] = &[
    "--seal",
    "d/demo.esl",
    "--key",
    "d/signer.key",
    "--cert",
    "d/signer.pem",
    "--password-env",
    "ESEAL_TEST_PW",
];

pub fn args<'a>(cmd: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec![cmd];
    v.extend_from_slice(KEY);
    v.extend_from_slice(rest);
    v
}
