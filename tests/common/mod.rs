//! Helpers shared by the integration tests: where the samples and the independent tools are,
//! the CI rule for missing tools, running commands, hex.
//!
//! The CI rule (see BRIEF): a test that needs an external tool FAILS when the environment
//! variable `CI` is set and the tool is missing, and prints `skipped: <tool> not found` and
//! returns otherwise. Use [`require_tool`] at the top of such a test.

#![allow(dead_code)]

mod rng;
mod testpki;
#[allow(unused_imports)]
pub use rng::Rng;
#[allow(unused_imports)]
pub use testpki::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root (where `Cargo.toml` is).
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `test-vectors/<sub>` in the repository.
pub fn vectors_dir(sub: &str) -> PathBuf {
    repo_dir().join("test-vectors").join(sub)
}

/// The sample files (`ESEAL_SAMPLES`), or None after printing the skip message.
pub fn samples_dir() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => {
            println!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

/// Where the setup scripts installed Python and npm packages: `ESEAL_TOOLS`, default
/// `<repo>/.tools` (the default of `.ci/setup.d/*.sh`).
pub fn tools_dir() -> PathBuf {
    match std::env::var_os("ESEAL_TOOLS") {
        Some(p) if !p.is_empty() => {
            let p = PathBuf::from(p);
            if p.is_absolute() {
                p
            } else {
                repo_dir().join(p)
            }
        }
        _ => repo_dir().join(".tools"),
    }
}

/// True when running under CI (`CI` set to anything but empty, `0` or `false`).
pub fn is_ci() -> bool {
    match std::env::var("CI") {
        Ok(v) => !(v.is_empty() || v == "0" || v.eq_ignore_ascii_case("false")),
        Err(_) => false,
    }
}

/// A program on `PATH`.
pub fn which(prog: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

/// The directory holding the Bouncy Castle jars (`ESEAL_BC_JARS`, default `/usr/share/java`,
/// where Debian's libbcprov-java/libbcpkix-java/libbcutil-java put them).
pub fn bc_jar_dir() -> PathBuf {
    std::env::var_os("ESEAL_BC_JARS")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/java"))
}

/// The Java class path with bcprov, bcpkix and bcutil.
pub fn bc_classpath() -> String {
    let d = bc_jar_dir();
    ["bcprov.jar", "bcpkix.jar", "bcutil.jar"]
        .iter()
        .map(|j| d.join(j).display().to_string())
        .collect::<Vec<_>>()
        .join(":")
}

/// Whether an independent tool is installed. Known names: programs on `PATH` (`openssl`,
/// `java`, `javac`, `node`, `python3`, ...), `bouncycastle` (javac + java + the three jars),
/// the Python packages `tongsuopy` and `gmssl` (in `$ESEAL_TOOLS/py`), the npm package
/// `sm-crypto` (in `$ESEAL_TOOLS/node/node_modules`).
pub fn tool_present(name: &str) -> bool {
    match name {
        "bouncycastle" => {
            which("javac").is_some()
                && which("java").is_some()
                && ["bcprov.jar", "bcpkix.jar", "bcutil.jar"]
                    .iter()
                    .all(|j| bc_jar_dir().join(j).is_file())
        }
        "tongsuopy" | "gmssl" => {
            which("python3").is_some() && tools_dir().join("py").join(name).is_dir()
        }
        "sm-crypto" => {
            which("node").is_some() && tools_dir().join("node/node_modules").join(name).is_dir()
        }
        prog => which(prog).is_some(),
    }
}

/// The CI rule: true when `name` is installed; otherwise panics under CI, or prints
/// `skipped: <name> not found` and returns false.
pub fn require_tool(name: &str) -> bool {
    if tool_present(name) {
        return true;
    }
    if is_ci() {
        panic!("{name} not found, and CI is set: install it in .ci/setup.d/interop.sh");
    }
    println!("skipped: {name} not found");
    false
}

/// Runs `cmd` and returns its output; panics (with the command) only when it cannot be started.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Runs `cmd` and panics with its stderr unless it exits 0; returns stdout.
pub fn run_ok(cmd: &mut Command) -> Vec<u8> {
    let out = run(cmd);
    if !out.status.success() {
        panic!(
            "{cmd:?} failed ({}):\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    out.stdout
}

/// `python3` with `PYTHONPATH=$ESEAL_TOOLS/py`.
pub fn python() -> Command {
    let mut c = Command::new("python3");
    c.env("PYTHONPATH", tools_dir().join("py"));
    c
}

/// `node` with `NODE_PATH=$ESEAL_TOOLS/node/node_modules`.
pub fn node() -> Command {
    let mut c = Command::new("node");
    c.env("NODE_PATH", tools_dir().join("node/node_modules"));
    c
}

/// A fresh, empty directory under the target directory, unique to this process and `name`.
/// The first call in a process removes the directories earlier test processes left there.
pub fn temp_dir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    static CLEAN: OnceLock<()> = OnceLock::new();
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    CLEAN.get_or_init(|| remove_stale(&base));
    let d = base.join(format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create temp dir");
    d
}

/// Removes `<name>-<pid>-<n>` directories of other (finished) processes.
fn remove_stale(base: &Path) {
    let me = std::process::id().to_string();
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let mut parts = name.rsplitn(3, '-');
        let (Some(n), Some(pid), Some(_)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(n) && digits(pid) && pid != me {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Compiles every `test-vectors/java/*.java` against Bouncy Castle, once per test process, and
/// returns the class directory. Call [`require_tool`]`("bouncycastle")` first.
pub fn java_classes() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let src = vectors_dir("java");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&src)
            .expect("test-vectors/java")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "java"))
            .collect();
        files.sort();
        let out = temp_dir("java-classes");
        let mut cmd = Command::new("javac");
        cmd.arg("-nowarn")
            .arg("-encoding")
            .arg("UTF-8")
            .arg("-cp")
            .arg(bc_classpath())
            .arg("-d")
            .arg(&out)
            .args(&files);
        run_ok(&mut cmd);
        out
    })
    .clone()
}

/// `java -cp <classes>:<bc jars> <class>`.
pub fn java(class: &str) -> Command {
    let mut c = Command::new("java");
    // Short-lived programs: the C1 compiler alone starts faster.
    c.arg("-XX:TieredStopAtLevel=1")
        .arg("-XX:+UseSerialGC")
        .arg("-cp")
        .arg(format!("{}:{}", java_classes().display(), bc_classpath()))
        .arg(class);
    c
}

/// Lower-case hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Parses hex (either case, even length); panics on bad input (test data only).
pub fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim();
    assert!(s.len().is_multiple_of(2), "odd-length hex: {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or_else(|_| panic!("bad hex: {s}")))
        .collect()
}

/// The `msg_pattern_len` message of the vector manifests: byte i is `i % 251`.
pub fn pattern_msg(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// Reads a file, with the path in the panic message.
pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Standard base64 with padding (for PEM).
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let b = [c[0], *c.get(1).unwrap_or(&0), *c.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// PEM armour, 64 columns.
pub fn pem(label: &str, der: &[u8]) -> String {
    let b = base64(der);
    let mut s = format!("-----BEGIN {label}-----\n");
    for line in b.as_bytes().chunks(64) {
        s.push_str(std::str::from_utf8(line).unwrap());
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----\n"));
    s
}

/// SubjectPublicKeyInfo (id-ecPublicKey, curve SM2) DER for an uncompressed SM2 point.
pub fn sm2_spki_der(point65: &[u8]) -> Vec<u8> {
    let mut v = unhex("3059301306072a8648ce3d020106082a811ccf5501822d034200");
    v.extend_from_slice(point65);
    v
}

/// Decodes standard base64 (whitespace ignored); panics on bad input (test data only).
pub fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 character {c:#x}"),
        }
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    for chunk in clean.chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= if c == b'=' { 0 } else { val(c) } << (18 - 6 * i);
        }
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    out
}

/// The DER of every PEM block labelled `label` in `text`.
pub fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(b) = rest.find(&begin) {
        let after = &rest[b + begin.len()..];
        let e = after.find(&end).expect("PEM END line");
        out.push(unbase64(&after[..e]));
        rest = &after[e + end.len()..];
    }
    out
}

/// The `eseal` tool built for this test run (`target/<profile>/examples/eseal`).
pub fn eseal_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("examples").join("eseal")
}

/// Runs the `eseal` tool with `args` in `dir`.
pub fn eseal_cli(dir: &Path, args: &[&str]) -> Output {
    Command::new(eseal_bin())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run eseal")
}

/// A command's stdout then stderr, for assertion messages.
pub fn output_text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr)
}

/// Runs the generator `gen_py` (a test-vectors `gen.py` using tongsuopy) again into a fresh
/// temporary folder and returns it, or None after printing the skip message when tongsuopy
/// is not installed.
pub fn regenerate(gen_py: &Path, name: &str) -> Option<PathBuf> {
    let ok = python()
        .args(["-c", "import tongsuopy.crypto.asymciphers.ec"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("skipped: tongsuopy not installed (.ci/setup.d/ofd.sh)");
        return None;
    }
    let tmp = temp_dir(name);
    let st = python().arg(gen_py).arg(&tmp).status().unwrap();
    assert!(st.success(), "{} failed", gen_py.display());
    Some(tmp)
}
