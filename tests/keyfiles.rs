//! Key files: every committed vector (made by OpenSSL 3.0 and Bouncy Castle, see
//! `test-vectors/keys/gen.sh`) loads to the expected key, wrong and missing passwords give their
//! own errors, the ofdrw samples load, our encrypted PKCS#8 reads back in OpenSSL, and a
//! corpus of malformed files gives errors without panicking.

mod common;

use common::Rng;
use eseal::crypto::{
    PrivateKey, load_key_bundle, load_private_key, to_encrypted_pkcs8_pem, to_pkcs8_der,
    to_pkcs8_pem,
};
use eseal::{ErrorKind, asn1};
use std::path::{Path, PathBuf};
use std::process::Command;

const PW: &[u8] = b"eseal-test";
const UPW: &str = "密码-pässwörd";

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/keys")
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The DER body of the first PEM block of `pem`.
fn pem_der(pem: &[u8]) -> Vec<u8> {
    use base64ct::{Base64, Encoding};
    let text = std::str::from_utf8(pem).unwrap();
    let b64: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    Base64::decode_vec(&b64).unwrap()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// (file, password, certificates expected in the bundle)
const FILES: &[(&str, Option<&str>, usize)] = &[
    ("key.pem", None, 0),
    ("key.der", None, 0),
    ("pkcs8-default.pem", Some("eseal-test"), 0),
    ("pkcs8-sm4-sha256.pem", Some("eseal-test"), 0),
    ("pkcs8-sm4-sha1.pem", Some("eseal-test"), 0),
    ("pkcs8-aes128-sha1.pem", Some("eseal-test"), 0),
    ("pkcs8-aes256-sha256.der", Some("eseal-test"), 0),
    ("pkcs8-des3-sha256.pem", Some("eseal-test"), 0),
    ("pkcs8-pbe-sha1-3des.pem", Some("eseal-test"), 0),
    ("pkcs8-pbe-sha1-rc2-40.pem", Some("eseal-test"), 0),
    ("pkcs8-sm4-utf8pw.pem", Some(UPW), 0),
    ("sec1.pem", None, 0),
    ("sec1.der", None, 0),
    ("sec1-nopub.pem", None, 0),
    ("sec1-ec-label.pem", None, 0),
    ("sec1-enc-aes256.pem", Some("eseal-test"), 0),
    ("sec1-enc-sm4.pem", Some("eseal-test"), 0),
    ("sec1-enc-des3.pem", Some("eseal-test"), 0),
    ("sec1-noparams.der", None, 0),
    ("sec1-with-params-block.pem", None, 0),
    ("p12-default.p12", Some("eseal-test"), 2),
    ("p12-legacy.p12", Some("eseal-test"), 2),
    ("p12-sm4-sm3mac.p12", Some("eseal-test"), 2),
    ("p12-plain.p12", Some("eseal-test"), 2),
    ("p12-nomac.p12", Some("eseal-test"), 2),
    ("p12-utf8pw.p12", Some(UPW), 2),
    ("p12-emptypw.p12", Some(""), 2),
    ("p12-dump.pem", None, 0),
    ("bc.p12", Some("eseal-test"), 2),
    ("bc-pkcs8-aes256.pem", Some("eseal-test"), 0),
];

/// Checks every vector of a directory made by gen.sh.
fn check_dir(dir: &Path) {
    let expected = read(dir, "key.der");
    let key = load_private_key(&expected, None).unwrap();
    // Our PKCS#8 writer produces exactly what OpenSSL 3 writes for the same key.
    assert_eq!(to_pkcs8_der(&key).as_slice(), expected.as_slice());
    let pem = read(dir, "key.pem");
    assert_eq!(to_pkcs8_pem(&key).as_bytes(), pem.as_slice());
    let point = key.public_key().to_sec1_uncompressed();
    let leaf = pem_der(&read(dir, "leaf-cert.pem"));
    for &(name, pw, ncerts) in FILES {
        let bytes = read(dir, name);
        let b = load_key_bundle(&bytes, pw.map(str::as_bytes))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            to_pkcs8_der(&b.key).as_slice(),
            expected.as_slice(),
            "{name}: wrong key"
        );
        assert_eq!(b.certificates.len(), ncerts, "{name}: certificates");
        if ncerts > 0 {
            assert!(
                contains(&b.certificates[0], &point),
                "{name}: leaf not first"
            );
            assert!(
                !contains(&b.certificates[1], &point),
                "{name}: CA has the key"
            );
            if !name.starts_with("bc") {
                assert_eq!(b.certificates[0], leaf, "{name}: leaf bytes differ");
            }
        }
        if let Some(p) = pw {
            let wrong = load_private_key(&bytes, Some(b"not the password")).unwrap_err();
            assert_eq!(wrong.kind(), ErrorKind::WrongPassword, "{name}: {wrong}");
            // Files that need a password say so when none is given (the unencrypted p12 with
            // a MAC, and the empty-password p12, included).
            if !p.is_empty() {
                let none = load_private_key(&bytes, None).unwrap_err();
                assert_eq!(none.kind(), ErrorKind::PasswordRequired, "{name}: {none}");
            }
        }
    }
    // The empty-password PKCS#12 also opens with no password at all.
    let b = load_key_bundle(&read(dir, "p12-emptypw.p12"), None).unwrap();
    assert_eq!(to_pkcs8_der(&b.key).as_slice(), expected.as_slice());
    // A different key is told apart.
    let other = load_private_key(&read(dir, "other-key.pem"), None).unwrap();
    assert_ne!(to_pkcs8_der(&other).as_slice(), expected.as_slice());
    // scrypt is not supported, and says so.
    let e = load_private_key(&read(dir, "pkcs8-scrypt.pem"), Some(PW)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
}

#[test]
fn committed_vectors_load() {
    check_dir(&vectors());
}

fn tool_missing(tool: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{tool} not found, and CI is set");
    }
    println!("skipped: {tool} not found");
}

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let d = std::env::temp_dir().join(format!("eseal-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Regenerates all vectors with gen.sh (OpenSSL and Bouncy Castle) and loads the fresh files.
#[test]
fn regenerated_vectors_load() {
    if !have("openssl", "version") {
        return tool_missing("openssl");
    }
    if !have("javac", "-version") || !Path::new("/usr/share/java/bcprov.jar").exists() {
        return tool_missing("javac with Bouncy Castle (libbcprov-java)");
    }
    let dir = temp_dir("keys-gen");
    let out = Command::new("bash")
        .arg(vectors().join("gen.sh"))
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gen.sh failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    check_dir(&dir);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn samples_load() {
    let Some(root) = std::env::var_os("ESEAL_SAMPLES") else {
        println!("skipped: ESEAL_SAMPLES not set");
        return;
    };
    let dir = Path::new(&root).join("ofdrw");
    for (name, pw) in [
        ("USER.p12", "777777"),
        ("SealBuilder.p12", "777777"),
        ("ROOT.p12", "123456"),
    ] {
        let bytes = read(&dir, name);
        let b =
            load_key_bundle(&bytes, Some(pw.as_bytes())).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!b.certificates.is_empty(), "{name}: no certificate");
        let point = b.key.public_key().to_sec1_uncompressed();
        assert!(
            contains(&b.certificates[0], &point),
            "{name}: leaf not first"
        );
        let e = load_private_key(&bytes, Some(b"000000")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongPassword, "{name}");
        let e = load_private_key(&bytes, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PasswordRequired, "{name}");
        // The key signs, and its certificate's key verifies.
        let sig = b.key.sign(eseal::crypto::DEFAULT_ID, b"m").unwrap();
        b.key.public_key().verify_default(b"m", &sig).unwrap();
    }
    let key = load_private_key(&read(&dir, "sign_key.pem"), None).unwrap();
    let cert = pem_der(&read(&dir, "sign_cert.pem"));
    assert!(contains(&cert, &key.public_key().to_sec1_uncompressed()));
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Our encrypted PKCS#8 reads back in ours and in OpenSSL. OpenSSL releases that know
/// hmacWithSM3 read the file directly; OpenSSL 3.0 has no HMAC-SM3 PRF for PBES2, so there the
/// same file is decrypted step by step with OpenSSL's own PBKDF2-SM3 (`openssl kdf`) and SM4-CBC
/// (`openssl enc`), and the plaintext must be the key that `openssl pkey` prints.
#[test]
fn encrypted_pem_reads_back_in_openssl() {
    let key = PrivateKey::generate().unwrap();
    let pem = to_encrypted_pkcs8_pem(&key, PW).unwrap();
    let back = load_private_key(pem.as_bytes(), Some(PW)).unwrap();
    assert_eq!(
        to_pkcs8_der(&back).as_slice(),
        to_pkcs8_der(&key).as_slice()
    );
    assert_eq!(
        load_private_key(pem.as_bytes(), Some(b"x"))
            .unwrap_err()
            .kind(),
        ErrorKind::WrongPassword
    );
    assert!(to_encrypted_pkcs8_pem(&key, b"").is_err());

    if !have("openssl", "version") {
        return tool_missing("openssl");
    }
    let dir = temp_dir("keys-interop");
    let f = dir.join("enc.pem");
    std::fs::write(&f, &pem).unwrap();
    let direct = Command::new("openssl")
        .args(["pkey", "-passin", "pass:eseal-test", "-in"])
        .arg(&f)
        .output()
        .unwrap();
    let expected_pem = to_pkcs8_pem(&key).to_string();
    if direct.status.success() {
        assert_eq!(String::from_utf8_lossy(&direct.stdout), expected_pem);
    } else {
        // Only acceptable when this OpenSSL does not know hmacWithSM3 at all.
        let probe = Command::new("openssl")
            .args(["pkcs8", "-topk8", "-v2", "sm4-cbc", "-v2prf", "hmacWithSM3"])
            .args(["-passout", "pass:x", "-in"])
            .arg(dir.join("none"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&probe.stderr);
        assert!(
            err.contains("Unknown PRF"),
            "OpenSSL knows hmacWithSM3 but cannot read our file: {}",
            String::from_utf8_lossy(&direct.stderr)
        );
        println!("note: this OpenSSL has no hmacWithSM3 PRF; checking step by step");
        // Pull salt, iterations, IV and ciphertext out of our file.
        let der = pem_der(pem.as_bytes());
        let mut epki = asn1::Reader::new(&der).read_sequence().unwrap();
        let mut alg = epki.read_sequence().unwrap();
        let ct = epki.read(asn1::OCTET_STRING).unwrap();
        assert_eq!(alg.read_oid().unwrap(), "1.2.840.113549.1.5.13");
        let mut params = alg.read_sequence().unwrap();
        let mut kdf = params.read_sequence().unwrap();
        assert_eq!(kdf.read_oid().unwrap(), "1.2.840.113549.1.5.12");
        let mut p = kdf.read_sequence().unwrap();
        let salt = p.read(asn1::OCTET_STRING).unwrap();
        let iter = p.read_small_int().unwrap();
        let mut prf = p.read_sequence().unwrap();
        assert_eq!(prf.read_oid().unwrap(), "1.2.156.10197.1.401.3.1");
        let mut enc = params.read_sequence().unwrap();
        assert_eq!(enc.read_oid().unwrap(), "1.2.156.10197.1.104.2");
        let iv = enc.read(asn1::OCTET_STRING).unwrap();
        assert_eq!(salt.len(), 16);
        assert!(iter >= 10_000);
        let k = Command::new("openssl")
            .args(["kdf", "-keylen", "16", "-kdfopt", "digest:SM3"])
            .args(["-kdfopt", "pass:eseal-test", "-kdfopt"])
            .arg(format!("hexsalt:{}", hex(salt)))
            .args(["-kdfopt"])
            .arg(format!("iter:{iter}"))
            .arg("PBKDF2")
            .output()
            .unwrap();
        assert!(k.status.success(), "openssl kdf failed");
        let kh: String = String::from_utf8_lossy(&k.stdout)
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        let ctf = dir.join("ct.bin");
        std::fs::write(&ctf, ct).unwrap();
        let plainf = dir.join("plain.der");
        let d = Command::new("openssl")
            .args(["enc", "-d", "-sm4-cbc", "-K", &kh, "-iv", &hex(iv), "-in"])
            .arg(&ctf)
            .arg("-out")
            .arg(&plainf)
            .output()
            .unwrap();
        assert!(d.status.success(), "openssl enc -d -sm4-cbc failed");
        let shown = Command::new("openssl")
            .args(["pkey", "-inform", "DER", "-in"])
            .arg(&plainf)
            .output()
            .unwrap();
        assert!(
            shown.status.success(),
            "openssl pkey cannot read the plaintext"
        );
        assert_eq!(String::from_utf8_lossy(&shown.stdout), expected_pem);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A named key file with the password to try.
type Case<'a> = (String, Vec<u8>, Option<&'a [u8]>);

/// Mutations of the vectors: all must give an error, none may panic.
#[test]
fn malformed_corpus_gives_errors() {
    let dir = vectors();
    let bases: Vec<Case<'_>> = vec![
        ("key.der".into(), read(&dir, "key.der"), None),
        ("key.pem".into(), read(&dir, "key.pem"), None),
        ("sec1.der".into(), read(&dir, "sec1.der"), None),
        (
            "sec1-enc-aes256.pem".into(),
            read(&dir, "sec1-enc-aes256.pem"),
            Some(PW),
        ),
        (
            "pkcs8-aes256-sha256.der".into(),
            read(&dir, "pkcs8-aes256-sha256.der"),
            Some(PW),
        ),
        (
            "pkcs8-sm4-sha256.pem".into(),
            read(&dir, "pkcs8-sm4-sha256.pem"),
            Some(PW),
        ),
        (
            "p12-default.p12".into(),
            read(&dir, "p12-default.p12"),
            Some(PW),
        ),
        (
            "p12-legacy.p12".into(),
            read(&dir, "p12-legacy.p12"),
            Some(PW),
        ),
        ("bc.p12".into(), read(&dir, "bc.p12"), Some(PW)),
    ];
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut corpus: Vec<Case<'_>> = Vec::new();
    for (name, bytes, pw) in &bases {
        let pem = bytes.starts_with(b"-----");
        // The untouched file loads (so the mutations below are what breaks it).
        load_private_key(bytes, *pw).unwrap_or_else(|e| panic!("{name}: {e}"));
        // Truncations at many offsets (a PEM keeps loading once its END line is complete).
        let max = if pem { bytes.len() - 2 } else { bytes.len() };
        for i in 0..12 {
            let cut = i * max / 12 + rng.below(max / 12);
            corpus.push((format!("{name} cut at {cut}"), bytes[..cut].to_vec(), *pw));
        }
        // Flipped bytes.
        for _ in 0..10 {
            let pos = rng.below(bytes.len() - if pem { 2 } else { 0 });
            let mut m = bytes.clone();
            m[pos] ^= 0xff;
            corpus.push((format!("{name} flipped at {pos}"), m, *pw));
        }
        if !pem {
            // Wrong outer tags.
            for tag in [0x31u8, 0x04, 0xa0, 0x02, 0x1f] {
                let mut m = bytes.clone();
                m[0] = tag;
                corpus.push((format!("{name} tag {tag:02x}"), m, *pw));
            }
            // Oversized and malformed lengths on the outer element.
            for len in [
                &[0x84u8, 0xff, 0xff, 0xff, 0xff][..],
                &[0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9],
                &[0x7f],
                &[0x82, 0xff, 0xff],
            ] {
                let (_, hdr) = header_len(bytes);
                let mut m = vec![bytes[0]];
                m.extend_from_slice(len);
                m.extend_from_slice(&bytes[hdr..]);
                corpus.push((format!("{name} length {len:02x?}"), m, *pw));
            }
        }
        // Wrong passwords.
        if pw.is_some() {
            for wrong in [&b"wrong"[..], b"eseal-tesT", b"eseal-test ", b"\xff\xfe"] {
                corpus.push((
                    format!("{name} password {wrong:?}"),
                    bytes.clone(),
                    Some(wrong),
                ));
            }
        }
    }
    // Random bytes, some dressed as a SEQUENCE, a PFX or a PEM.
    for i in 0..24 {
        let len = rng.below(600) + 1;
        let mut m: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        match i % 4 {
            1 => m
                .splice(0..0, [0x30, 0x82, (len >> 8) as u8, len as u8])
                .for_each(drop),
            2 => m
                .splice(0..0, [0x30, 0x80, 0x02, 0x01, 0x03])
                .for_each(drop),
            3 => {
                let mut p = b"-----BEGIN PRIVATE KEY-----\n".to_vec();
                p.extend(
                    m.iter()
                        .map(|b| b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"[(*b % 32) as usize]),
                );
                p.extend_from_slice(b"\n-----END PRIVATE KEY-----\n");
                m = p;
            }
            _ => {}
        }
        corpus.push((format!("random {i}"), m, Some(PW)));
    }
    // Deep BER nesting and an empty input.
    let mut deep = Vec::new();
    for _ in 0..5000 {
        deep.extend_from_slice(&[0x30, 0x80]);
    }
    corpus.push(("deep BER".into(), deep, Some(PW)));
    corpus.push(("empty".into(), Vec::new(), None));

    assert!(corpus.len() >= 60, "corpus has {} files", corpus.len());
    let mut wrong_pw = 0;
    for (name, bytes, pw) in &corpus {
        match load_key_bundle(bytes, *pw) {
            Ok(_) => panic!("{name}: loaded"),
            Err(e) => {
                if name.contains("password") {
                    assert_eq!(e.kind(), ErrorKind::WrongPassword, "{name}: {e}");
                    wrong_pw += 1;
                }
            }
        }
    }
    assert!(wrong_pw >= 20);
    println!("{} malformed key files rejected", corpus.len());
}

/// (tag, header length) of a DER element.
fn header_len(b: &[u8]) -> (u8, usize) {
    let first = b[1];
    if first < 0x80 {
        (b[0], 2)
    } else {
        (b[0], 2 + (first & 0x7f) as usize)
    }
}

/// A PKCS#12 whose MAC asks for 2^31-1 iterations is refused at once, not computed.
#[test]
fn hostile_iteration_count_is_refused() {
    let p12 = read(&vectors(), "p12-default.p12");
    let n = p12.len();
    // OpenSSL ends the file with the MAC iteration count INTEGER 2048.
    assert!(p12.ends_with(&[2, 2, 8, 0]));
    let mac_start = (0..n - 2)
        .rev()
        .find(|&i| p12[i] == 0x30 && p12[i + 1] as usize + 2 == n - i)
        .unwrap();
    let mut m = p12[..n - 4].to_vec();
    m.extend_from_slice(&[2, 4, 0x7f, 0xff, 0xff, 0xff]);
    m[mac_start + 1] += 2;
    assert_eq!(m[1], 0x82);
    let len = u16::from_be_bytes([m[2], m[3]]) + 2;
    m[2..4].copy_from_slice(&len.to_be_bytes());
    let t = std::time::Instant::now();
    let e = load_private_key(&m, Some(PW)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
    assert!(t.elapsed() < std::time::Duration::from_secs(2));
}

/// PBMAC1 (RFC 9579): the valid file of RFC 9579 Appendix A.1 (an RSA key, password "1234")
/// passes the MAC and is then refused as not SM2; a wrong password, or a changed PBKDF2
/// iteration count (as in the invalid file of Appendix A.4), fails the MAC.
#[test]
fn pbmac1_rfc9579_vector() {
    use base64ct::{Base64, Encoding};
    let b64: String = String::from_utf8(read(&vectors(), "rfc9579-a1.p12.b64"))
        .unwrap()
        .split_whitespace()
        .collect();
    let p12 = Base64::decode_vec(&b64).unwrap();
    let e = load_private_key(&p12, Some(b"1234")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
    assert!(e.detail().contains("not an SM2 key"), "{e}");
    let e = load_private_key(&p12, Some(b"1235")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongPassword, "{e}");
    // The PBMAC1 PBKDF2 parameters: salt 6f473c38b02e3173, iterations 2048, key length 32.
    let params = [
        0x04, 0x08, 0x6f, 0x47, 0x3c, 0x38, 0xb0, 0x2e, 0x31, 0x73, 0x02, 0x02, 0x08, 0x00,
    ];
    let pos = p12.windows(params.len()).position(|w| w == params).unwrap();
    let mut changed = p12.clone();
    changed[pos + 13] = 0x01;
    let e = load_private_key(&changed, Some(b"1234")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::WrongPassword, "{e}");
}

/// Many random multi-byte mutations (byte changes, insertions, deletions) of every vector: no
/// panic, whatever the result (a changed byte a plain key file does not protect may still load).
/// About ten seconds: `cargo test --test keyfiles -- --ignored`.
#[test]
#[ignore]
fn random_mutations_never_panic() {
    let dir = vectors();
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".java") && !n.ends_with(".sh") && !n.ends_with(".md"))
        .collect();
    names.sort();
    let mut loaded = 0;
    let mut total = 0;
    for name in &names {
        let base = read(&dir, name);
        for _ in 0..400 {
            let mut m = base.clone();
            for _ in 0..1 + rng.below(4) {
                if m.is_empty() {
                    break;
                }
                let pos = rng.below(m.len());
                match rng.below(4) {
                    0 => m[pos] = rng.next() as u8,
                    1 => m.insert(pos, rng.next() as u8),
                    2 => {
                        m.remove(pos);
                    }
                    _ => m.truncate(pos),
                }
            }
            total += 1;
            if load_key_bundle(&m, Some(PW)).is_ok() {
                loaded += 1;
            }
        }
    }
    println!("{total} mutations, {loaded} still loaded (unprotected bytes changed)");
}
