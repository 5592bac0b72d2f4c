//! The CLI's key loading (examples/eseal/keys.rs) leaves no copy of the password or of the
//! private key in freed heap memory: a poisoning global allocator scans every block freed by
//! this thread while armed for the secrets (the password, the private scalar big- and
//! little-endian) and counts the blocks that still hold one. A control proves the scan sees an
//! unwiped secret. Stack copies are outside what this test can see.

#[allow(dead_code)]
#[path = "../examples/eseal/keys.rs"]
mod keys;

use std::path::{Path, PathBuf};

#[path = "common/zeroize_scan.rs"]
mod zeroize_scan;

use zeroize_scan::{arm, disarm};

fn vector(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("test-vectors/keys")
        .join(name)
}

#[test]
fn key_loading_leaves_no_secret_in_freed_memory() {
    const PASSWORD: &[u8] = b"eseal-test";
    let key =
        eseal::crypto::load_private_key(&std::fs::read(vector("key.pem")).unwrap(), None).unwrap();
    let be: [u8; 32] = *key.to_bytes();
    let mut le = be;
    le.reverse();
    drop(key);

    let dir = std::env::temp_dir().join(format!("eseal-zeroize-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pw_file = dir.join("pw.txt");
    std::fs::write(&pw_file, b"eseal-test\n").unwrap();
    let from_file = keys::PasswordArgs {
        password_file: Some(pw_file.clone()),
        ..Default::default()
    };
    // SAFETY: no other thread of this test binary reads or writes the environment.
    unsafe { std::env::set_var("ESEAL_ZEROIZE_TEST_PW", "eseal-test") };
    let from_env = keys::PasswordArgs {
        password_env: Some("ESEAL_ZEROIZE_TEST_PW".into()),
        ..Default::default()
    };
    let none = keys::PasswordArgs::default();
    let cert = vector("leaf-cert.pem");

    // Control: an unwiped copy of the scalar is seen.
    arm(&[PASSWORD, &be, &le]);
    let copy = be.to_vec();
    drop(copy);
    assert_eq!(
        disarm(),
        1,
        "the poisoning allocator does not see freed secrets"
    );

    let cases: [(&str, &keys::PasswordArgs); 6] = [
        ("pkcs8-sm4-sha256.pem", &from_file),
        ("pkcs8-default.pem", &from_env),
        ("pkcs8-aes256-sha256.der", &from_file),
        ("p12-default.p12", &from_file),
        ("key.pem", &none),
        ("sec1.pem", &none),
    ];
    for (file, pw) in cases {
        arm(&[PASSWORD, &be, &le]);
        let loaded = keys::load(&vector(file), Some(&cert), pw);
        let ok = loaded.is_ok();
        drop(loaded);
        let hits = disarm();
        assert!(ok, "{file} did not load");
        assert_eq!(hits, 0, "{file}: {hits} freed blocks still held a secret");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
