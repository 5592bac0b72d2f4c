//! The library's `unsafe` stays in its one documented kernel (`src/lib.rs` explains the
//! arrangement): every module declaration forbids `unsafe_code` except the path down to
//! `crypto::sm2_verify::kernel`, and no other source file says `unsafe` outside comments.

use std::path::{Path, PathBuf};

/// The kernel file and the module files on the path down to it, with the one module each may
/// declare without `#[forbid(unsafe_code)]`.
const KERNEL: &str = "src/crypto/sm2_verify/kernel.rs";
const PATH_TO_KERNEL: [(&str, &str); 3] = [
    ("src/lib.rs", "crypto"),
    ("src/crypto/mod.rs", "sm2_verify"),
    ("src/crypto/sm2_verify/mod.rs", "kernel"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The name declared by a line such as `pub(crate) mod name;` or `mod tests {`.
fn declared_module(line: &str) -> Option<&str> {
    let rest = line
        .trim_start()
        .trim_start_matches("pub(crate) ")
        .trim_start_matches("pub ");
    let rest = rest.strip_prefix("mod ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    Some(&rest[..end])
}

#[test]
fn modules_on_the_path_to_the_kernel_forbid_unsafe_elsewhere() {
    for (file, exempt) in PATH_TO_KERNEL {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut seen = 0;
        for (i, line) in lines.iter().enumerate() {
            let Some(name) = declared_module(line) else {
                continue;
            };
            seen += 1;
            // The attributes right above the declaration.
            let attrs = lines[..i]
                .iter()
                .rev()
                .take_while(|l| l.trim_start().starts_with("#["));
            let forbids = attrs.clone().any(|l| l.trim() == "#[forbid(unsafe_code)]");
            if name == exempt {
                assert!(!forbids, "{file}: `{name}` leads to the kernel");
            } else {
                assert!(
                    forbids,
                    "{file}:{}: `mod {name}` needs #[forbid(unsafe_code)] (see src/lib.rs)",
                    i + 1
                );
            }
        }
        assert!(seen > 0, "{file}: no module declarations found");
    }
}

#[test]
fn no_unsafe_outside_the_kernel() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    assert!(files.len() > 20, "found only {} files", files.len());
    for path in files {
        let rel = path
            .strip_prefix(root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if rel.replace('\\', "/") == KERNEL {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            let words = code.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            assert!(
                !words.clone().any(|w| w == "unsafe" || w == "unsafe_code")
                    || code == "#[forbid(unsafe_code)]"
                    || code == "#![deny(unsafe_code)]",
                "{rel}:{}: unsafe outside {KERNEL}: {line}",
                i + 1
            );
        }
    }
}
