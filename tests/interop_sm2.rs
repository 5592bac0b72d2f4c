//! SM2 interoperability with implementations eseal shares no code with: Bouncy Castle (Java),
//! OpenSSL 3, tongsuopy (Tongsuo), gmssl (pure Python) and sm-crypto (JavaScript).
//!
//! - `committed_*`: every vector in `test-vectors/sm2/<peer>/vectors.json` (made by the generator
//!   beside it) verifies in eseal, or fails when marked invalid.
//! - `live_<peer>_signs_*`: the peer makes fresh keys and signatures into a temp dir now, eseal
//!   verifies them.
//! - `live_eseal_signs_*`: eseal makes fresh keys and signatures (DER and raw, several IDs, some
//!   deliberately wrong), the peer verifies them and must agree with the expected result.
//!
//! - `committed_vectors_cross_checked_by_bouncycastle`: BC agrees with every committed `valid` flag.
//! - `*_bc_chains_*`: the Bouncy Castle certificate chains and CRLs of `test-vectors/chains-bc`
//!   (committed and freshly made) verify with eseal's SM2 over the raw TBS bytes.
//!
//! GB/T 38540 seals and signatures with Bouncy Castle (`test-vectors/java/SesTool.java`) are in
//! `tests/ses_bc_interop.rs`.
//!
//! Live tests follow the CI rule: a missing tool fails under `CI`, and is skipped otherwise.
//! The whole file takes about 10 s of CPU (JVM starts, pure-Python and JavaScript SM3).

mod common;

use common::*;
use eseal::crypto::{DEFAULT_ID, PrivateKey, PublicKey, Signature};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Deserialize)]
struct Manifest {
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    peer: String,
    #[serde(default)]
    comment: String,
    public_key_hex: String,
    id_hex: String,
    msg_hex: Option<String>,
    msg_pattern_len: Option<usize>,
    msg_file: Option<String>,
    sig_hex: String,
    encoding: String,
    valid: bool,
}

impl Vector {
    fn message(&self, dir: &Path) -> Vec<u8> {
        match (&self.msg_hex, self.msg_pattern_len, &self.msg_file) {
            (Some(h), None, None) => unhex(h),
            (None, Some(n), None) => pattern_msg(n),
            (None, None, Some(f)) => read(&dir.join(f)),
            _ => panic!("vector needs exactly one of msg_hex, msg_pattern_len, msg_file"),
        }
    }
}

/// The outcome of checking one vector in eseal: Ok(()) when it verifies.
fn eseal_verify(v: &Vector, dir: &Path) -> eseal::Result<()> {
    let pk = PublicKey::from_sec1_bytes(&unhex(&v.public_key_hex))?;
    let sig_bytes = unhex(&v.sig_hex);
    let sig = match v.encoding.as_str() {
        "der" => Signature::from_der(&sig_bytes)?,
        "raw" => Signature::from_raw(&sig_bytes)?,
        e => panic!("unknown encoding {e}"),
    };
    // The auto-detecting reader agrees with the explicit one.
    assert_eq!(Signature::from_bytes(&sig_bytes)?, sig);
    let msg = v.message(dir);
    pk.verify(&unhex(&v.id_hex), &msg, &sig)?;
    // The streaming digest gives the same e.
    let mut h = pk.digest_hasher(&unhex(&v.id_hex))?;
    sm3::Digest::update(&mut h, &msg);
    let e: [u8; 32] = sm3::Digest::finalize(h).into();
    pk.verify_digest(&e, &sig)
}

/// Checks every vector of a manifest; returns (valid, invalid) counts.
fn check_manifest(path: &Path) -> (usize, usize) {
    let dir = path.parent().unwrap();
    let m: Manifest =
        serde_json::from_slice(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut good, mut bad) = (0, 0);
    for (i, v) in m.vectors.iter().enumerate() {
        let r = eseal_verify(v, dir);
        let what = format!("{} #{i} [{}] {}", path.display(), v.peer, v.comment);
        if v.valid {
            r.unwrap_or_else(|e| panic!("{what}: should verify, got {e}"));
            good += 1;
        } else {
            assert!(r.is_err(), "{what}: marked invalid but verifies");
            bad += 1;
        }
    }
    assert!(good >= 10, "{}: only {good} valid vectors", path.display());
    assert!(bad >= 2, "{}: only {bad} invalid vectors", path.display());
    println!(
        "{}: {good} valid and {bad} invalid vectors agree",
        path.display()
    );
    (good, bad)
}

fn committed(peer: &str) {
    check_manifest(&vectors_dir("sm2").join(peer).join("vectors.json"));
}

#[test]
fn committed_bouncycastle() {
    committed("bouncycastle");
}

#[test]
fn committed_openssl() {
    committed("openssl");
}

#[test]
fn committed_tongsuopy() {
    committed("tongsuopy");
}

#[test]
fn committed_gmssl() {
    committed("gmssl");
}

#[test]
fn committed_sm_crypto() {
    committed("sm-crypto");
}

// ---------------------------------------------------------------- peer signs, eseal verifies

fn live_peer_signs(tool: &str, name: &str, mut cmd: Command) {
    if !require_tool(tool) {
        return;
    }
    let out = temp_dir(&format!("{name}-gen"));
    run_ok(cmd.arg(&out));
    check_manifest(&out.join("vectors.json"));
}

#[test]
fn live_bouncycastle_signs_eseal_verifies() {
    if !require_tool("bouncycastle") {
        return;
    }
    let mut c = java("Sm2Peer");
    c.arg("gen");
    live_peer_signs("bouncycastle", "bc", c);
}

#[test]
fn live_openssl_signs_eseal_verifies() {
    let mut c = Command::new("bash");
    c.arg(vectors_dir("sm2").join("openssl/gen.sh"));
    live_peer_signs("openssl", "openssl", c);
}

#[test]
fn live_tongsuopy_signs_eseal_verifies() {
    let mut c = python();
    c.arg(vectors_dir("py").join("tongsuopy_peer.py"))
        .arg("gen");
    live_peer_signs("tongsuopy", "tongsuopy", c);
}

#[test]
fn live_gmssl_signs_eseal_verifies() {
    let mut c = python();
    c.arg(vectors_dir("py").join("gmssl_peer.py")).arg("gen");
    live_peer_signs("gmssl", "gmssl", c);
}

#[test]
fn live_sm_crypto_signs_eseal_verifies() {
    let mut c = node();
    c.arg(vectors_dir("js").join("smcrypto_peer.js")).arg("gen");
    live_peer_signs("sm-crypto", "sm-crypto", c);
}

// ---------------------------------------------------------------- eseal signs, peer verifies

/// One eseal-made signature for a peer to check.
struct Case {
    label: String,
    public: [u8; 65],
    id: Vec<u8>,
    msg: Vec<u8>,
    /// How the message is passed in the list: hex:, pattern:.
    msg_spec: String,
    sig: Vec<u8>,
    der: bool,
    expect: bool,
}

/// Fresh eseal keys and signatures: DER and raw with the default ID over several messages
/// (`big` = the length of the long pattern message), other IDs, and signatures that must fail.
fn eseal_cases(big: usize) -> Vec<Case> {
    let alice = b"ALICE123@YAHOO.COM".to_vec();
    let binary_id = unhex("000102ff80");
    let mut random = vec![0u8; 1000];
    getrandom::fill(&mut random).unwrap();
    let msgs: Vec<(&str, Vec<u8>, String)> = vec![
        ("empty", vec![], "hex:".into()),
        ("abc", b"abc".to_vec(), format!("hex:{}", hex(b"abc"))),
        (
            "1000 random bytes",
            random.clone(),
            format!("hex:{}", hex(&random)),
        ),
        ("long pattern", pattern_msg(big), format!("pattern:{big}")),
    ];
    let mut cases = Vec::new();
    for n in 0..2 {
        let k = PrivateKey::generate().unwrap();
        let public = k.public_key().to_sec1_uncompressed();
        let mut add =
            |label: String, id: &[u8], msg: &[u8], spec: &str, sig: Vec<u8>, der, expect| {
                cases.push(Case {
                    label: format!("key {n}: {label}"),
                    public,
                    id: id.to_vec(),
                    msg: msg.to_vec(),
                    msg_spec: spec.to_string(),
                    sig,
                    der,
                    expect,
                })
            };
        for (i, (name, msg, spec)) in msgs.iter().enumerate() {
            // The long message once per key (DER for key 0, raw for key 1): slow peers.
            let long = i == msgs.len() - 1;
            if !long || n == 0 {
                let s = k.sign(DEFAULT_ID, msg).unwrap();
                add(
                    format!("default ID, DER, {name}"),
                    DEFAULT_ID,
                    msg,
                    spec,
                    s.to_der(),
                    true,
                    true,
                );
            }
            if !long || n == 1 {
                let s = k.sign(DEFAULT_ID, msg).unwrap();
                add(
                    format!("default ID, raw, {name}"),
                    DEFAULT_ID,
                    msg,
                    spec,
                    s.to_raw().to_vec(),
                    false,
                    true,
                );
            }
        }
        let abc = b"abc";
        let abc_spec = format!("hex:{}", hex(abc));
        let abd_spec = format!("hex:{}", hex(b"abd"));
        let s = k.sign(&alice, b"message digest").unwrap();
        let md_spec = format!("hex:{}", hex(b"message digest"));
        add(
            "ID ALICE123@YAHOO.COM, DER".into(),
            &alice,
            b"message digest",
            &md_spec,
            s.to_der(),
            true,
            true,
        );
        add(
            "INVALID: ALICE123 signature checked with the default ID".into(),
            DEFAULT_ID,
            b"message digest",
            &md_spec,
            s.to_der(),
            true,
            false,
        );
        let s = k.sign(&binary_id, abc).unwrap();
        add(
            "binary ID, raw".into(),
            &binary_id,
            abc,
            &abc_spec,
            s.to_raw().to_vec(),
            false,
            true,
        );
        add(
            "binary ID, DER".into(),
            &binary_id,
            abc,
            &abc_spec,
            s.to_der(),
            true,
            true,
        );
        let s = k.sign(b"", abc).unwrap();
        add(
            "empty ID, DER".into(),
            b"",
            abc,
            &abc_spec,
            s.to_der(),
            true,
            true,
        );
        add(
            "INVALID: empty-ID signature checked with the default ID".into(),
            DEFAULT_ID,
            abc,
            &abc_spec,
            s.to_der(),
            true,
            false,
        );
        let s = k.sign(DEFAULT_ID, abc).unwrap();
        add(
            "INVALID: default-ID signature checked with the empty ID".into(),
            b"",
            abc,
            &abc_spec,
            s.to_der(),
            true,
            false,
        );
        add(
            "INVALID: signature over abc checked against abd, DER".into(),
            DEFAULT_ID,
            b"abd",
            &abd_spec,
            s.to_der(),
            true,
            false,
        );
        add(
            "INVALID: signature over abc checked against abd, raw".into(),
            DEFAULT_ID,
            b"abd",
            &abd_spec,
            s.to_raw().to_vec(),
            false,
            false,
        );
        let mut t = s.to_raw();
        t[40] ^= 0x10;
        add(
            "INVALID: s tampered, raw".into(),
            DEFAULT_ID,
            abc,
            &abc_spec,
            t.to_vec(),
            false,
            false,
        );
        let t = Signature::from_raw(&t).unwrap().to_der();
        add(
            "INVALID: s tampered, DER".into(),
            DEFAULT_ID,
            abc,
            &abc_spec,
            t,
            true,
            false,
        );
    }
    // eseal agrees with itself on every case before anyone else is asked.
    for c in &cases {
        let pk = PublicKey::from_sec1_bytes(&c.public).unwrap();
        let ok = Signature::from_bytes(&c.sig)
            .and_then(|s| pk.verify(&c.id, &c.msg, &s))
            .is_ok();
        assert_eq!(ok, c.expect, "eseal self-check: {}", c.label);
    }
    cases
}

/// Writes the cases as a verify list (see test-vectors/sm2/README.md).
fn write_list(cases: &[Case], path: &Path) {
    let mut s = String::new();
    for c in cases {
        let id = if c.id.is_empty() {
            "-".to_string()
        } else {
            hex(&c.id)
        };
        s.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\n",
            if c.der { "der" } else { "raw" },
            hex(&c.public),
            id,
            c.msg_spec,
            hex(&c.sig)
        ));
    }
    std::fs::write(path, s).unwrap();
}

/// Compares a peer's answers (true/false/skip per case) with the expected ones; the peer must
/// check exactly `want_checked` cases (it skips those it cannot express). Returns that number.
fn compare(peer: &str, cases: &[Case], answers: &[String], want_checked: usize) -> usize {
    assert_eq!(
        answers.len(),
        cases.len(),
        "{peer}: one answer per case: {answers:?}"
    );
    let (mut checked, mut trues, mut falses) = (0, 0, 0);
    for (c, a) in cases.iter().zip(answers) {
        let got = match a.as_str() {
            "true" => true,
            "false" => false,
            "skip" => continue,
            other => panic!("{peer}: unexpected answer {other:?}"),
        };
        assert_eq!(got, c.expect, "{peer} disagrees on {}", c.label);
        checked += 1;
        if got { trues += 1 } else { falses += 1 }
    }
    assert_eq!(checked, want_checked, "{peer}: number of cases checked");
    assert!(
        trues > 0 && falses > 0,
        "{peer}: {trues} accepted, {falses} rejected"
    );
    println!(
        "{peer}: agrees with eseal on {checked} of {} cases ({trues} valid, {falses} invalid)",
        cases.len()
    );
    checked
}

fn live_eseal_signs(tool: &str, name: &str, big: usize, want_checked: usize, mut cmd: Command) {
    if !require_tool(tool) {
        return;
    }
    let dir = temp_dir(&format!("{name}-verify"));
    let cases = eseal_cases(big);
    let list = dir.join("list.tsv");
    write_list(&cases, &list);
    let out = run_ok(cmd.arg(&list));
    let answers: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    compare(name, &cases, &answers, want_checked);
}

#[test]
fn live_eseal_signs_bouncycastle_verifies() {
    if !require_tool("bouncycastle") {
        return;
    }
    let mut c = java("Sm2Peer");
    c.arg("verify");
    // BC checks everything: DER through the JCA, raw through SM2Signer + PlainDSAEncoding.
    live_eseal_signs("bouncycastle", "bouncycastle", 1 << 20, 36, c);
}

#[test]
fn live_eseal_signs_tongsuopy_verifies() {
    let mut c = python();
    c.arg(vectors_dir("py").join("tongsuopy_peer.py"))
        .arg("verify");
    // tongsuopy: DER with the default ID only.
    live_eseal_signs("tongsuopy", "tongsuopy", 1 << 20, 15, c);
}

#[test]
fn live_eseal_signs_gmssl_verifies() {
    let mut c = python();
    c.arg(vectors_dir("py").join("gmssl_peer.py")).arg("verify");
    // Pure-Python SM3 is slow: a 64 KiB long message instead of 1 MiB.
    live_eseal_signs("gmssl", "gmssl", 64 * 1024, 36, c);
}

#[test]
fn live_eseal_signs_sm_crypto_verifies() {
    let mut c = node();
    c.arg(vectors_dir("js").join("smcrypto_peer.js"))
        .arg("verify");
    // sm-crypto takes the ID as a UTF-8 string: the binary ID is skipped.
    live_eseal_signs("sm-crypto", "sm-crypto", 1 << 20, 32, c);
}

/// OpenSSL is driven directly: `dgst -sm3 -verify -sigopt distid:` and
/// `pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:`/`hexdistid:` (DER only; with no
/// option OpenSSL 3 uses the empty ID, which is how the empty-ID cases are checked).
#[test]
fn live_eseal_signs_openssl_verifies() {
    if !require_tool("openssl") {
        return;
    }
    let dir = temp_dir("openssl-verify");
    let cases = eseal_cases(1 << 20);
    let mut answers = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        if !c.der {
            answers.push("skip".to_string());
            continue;
        }
        let pubf = dir.join(format!("pub{i}.pem"));
        let msgf = dir.join(format!("msg{i}"));
        let sigf = dir.join(format!("sig{i}"));
        std::fs::write(&pubf, pem("PUBLIC KEY", &sm2_spki_der(&c.public))).unwrap();
        std::fs::write(&msgf, &c.msg).unwrap();
        std::fs::write(&sigf, &c.sig).unwrap();
        let printable = c.id.iter().all(|b| b.is_ascii_graphic());
        let mut cmd = Command::new("openssl");
        if i % 2 == 0 {
            cmd.args(["dgst", "-sm3", "-verify"]).arg(&pubf);
            if !c.id.is_empty() {
                cmd.arg("-sigopt").arg(if printable {
                    format!("distid:{}", String::from_utf8_lossy(&c.id))
                } else {
                    format!("hexdistid:{}", hex(&c.id))
                });
            }
            cmd.arg("-signature").arg(&sigf).arg(&msgf);
        } else {
            cmd.args(["pkeyutl", "-verify", "-pubin", "-inkey"])
                .arg(&pubf);
            cmd.args(["-rawin", "-digest", "sm3"]);
            if !c.id.is_empty() {
                cmd.arg("-pkeyopt").arg(if printable {
                    format!("distid:{}", String::from_utf8_lossy(&c.id))
                } else {
                    format!("hexdistid:{}", hex(&c.id))
                });
            }
            cmd.arg("-in").arg(&msgf).arg("-sigfile").arg(&sigf);
        }
        let out = run(&mut cmd);
        let text = String::from_utf8_lossy(&out.stdout);
        let ok = out.status.success()
            && (text.contains("Verified OK") || text.contains("Signature Verified Successfully"));
        answers.push(ok.to_string());
    }
    compare("openssl", &cases, &answers, 23);
}

/// The committed directories are the ones the generators write (a guard against a peer
/// directory being renamed and silently dropped).
#[test]
fn committed_sets_are_all_present() {
    let peers: Vec<PathBuf> = ["bouncycastle", "openssl", "tongsuopy", "gmssl", "sm-crypto"]
        .iter()
        .map(|p| vectors_dir("sm2").join(p).join("vectors.json"))
        .collect();
    for p in &peers {
        assert!(p.is_file(), "{} missing", p.display());
    }
}

// ---------------------------------------------------------------- Bouncy Castle certificates

/// A signed X.509 structure (`Certificate` or `CertificateList`): the raw to-be-signed bytes,
/// the signature algorithm OID and the signature value.
struct Signed {
    tbs: Vec<u8>,
    alg: String,
    sig: Vec<u8>,
}

fn parse_signed(der: &[u8]) -> eseal::Result<Signed> {
    use eseal::asn1::{BIT_STRING, Reader};
    let mut top = Reader::new(der).read_sequence()?;
    let tbs = top.read_any()?.raw.to_vec();
    let mut alg = top.read_sequence()?;
    let alg = alg.read_oid()?;
    let bits = top.read(BIT_STRING)?;
    top.finish()?;
    let sig = bits.get(1..).unwrap_or_default().to_vec();
    Ok(Signed { tbs, alg, sig })
}

/// The SM2 point in a certificate's SubjectPublicKeyInfo.
fn cert_public_key(der: &[u8]) -> PublicKey {
    use eseal::asn1::{BIT_STRING, Reader, context};
    let s = parse_signed(der).unwrap();
    let mut tbs = Reader::new(&s.tbs).read_sequence().unwrap();
    tbs.read_optional(context(0)).unwrap(); // version
    for _ in 0..5 {
        tbs.read_any().unwrap(); // serial, signature, issuer, validity, subject
    }
    let mut spki = tbs.read_sequence().unwrap();
    spki.read_sequence().unwrap();
    let bits = spki.read(BIT_STRING).unwrap();
    PublicKey::from_sec1_bytes(&bits[1..]).unwrap()
}

fn pem_file(dir: &Path, name: &str, label: &str) -> Vec<u8> {
    let text = String::from_utf8(read(&dir.join(name))).unwrap();
    let mut blocks = pem_blocks(&text, label);
    assert_eq!(blocks.len(), 1, "{name}: one {label}");
    blocks.pop().unwrap()
}

/// Checks with eseal's SM2 the signature of every certificate and CRL of a chains-bc set on the
/// raw TBS bytes, and that cases.json is in the schema tests/chains.rs reads.
fn check_bc_chains(dir: &Path) {
    // (signed file, PEM label, issuer certificate, verifies with the default ID)
    let links = [
        ("root.pem", "CERTIFICATE", "root.pem", true),
        ("inter.pem", "CERTIFICATE", "root.pem", true),
        ("leaf.pem", "CERTIFICATE", "inter.pem", true),
        ("leaf-expired.pem", "CERTIFICATE", "inter.pem", true),
        ("leaf-notyet.pem", "CERTIFICATE", "inter.pem", true),
        ("leaf-revoked.pem", "CERTIFICATE", "inter.pem", true),
        ("leaf-revoked-later.pem", "CERTIFICATE", "inter.pem", true),
        ("leaf-keyenc.pem", "CERTIFICATE", "inter.pem", true),
        ("inter-noca.pem", "CERTIFICATE", "root.pem", true),
        ("leaf-under-noca.pem", "CERTIFICATE", "inter-noca.pem", true),
        ("inter-pathlen0.pem", "CERTIFICATE", "root.pem", true),
        ("inter-sub.pem", "CERTIFICATE", "inter-pathlen0.pem", true),
        ("leaf-pathlen.pem", "CERTIFICATE", "inter-sub.pem", true),
        ("leaf-badsig.pem", "CERTIFICATE", "inter.pem", false),
        ("leaf-emptyid.pem", "CERTIFICATE", "inter.pem", false),
        ("leaf-unknown.pem", "CERTIFICATE", "root.pem", false),
        ("root.crl.pem", "X509 CRL", "root.pem", true),
        ("inter.crl.pem", "X509 CRL", "inter.pem", true),
        ("inter-later.crl.pem", "X509 CRL", "inter.pem", true),
        ("inter-noca.crl.pem", "X509 CRL", "inter-noca.pem", true),
        (
            "inter-pathlen0.crl.pem",
            "X509 CRL",
            "inter-pathlen0.pem",
            true,
        ),
        ("inter-sub.crl.pem", "X509 CRL", "inter-sub.pem", true),
    ];
    for (file, label, issuer, ok) in links {
        let s = parse_signed(&pem_file(dir, file, label)).unwrap();
        assert_eq!(s.alg, "1.2.156.10197.1.501", "{file}: SM2-with-SM3");
        let pk = cert_public_key(&pem_file(dir, issuer, "CERTIFICATE"));
        let r = Signature::from_der(&s.sig).and_then(|sig| pk.verify(DEFAULT_ID, &s.tbs, &sig));
        assert_eq!(r.is_ok(), ok, "{file} signed by {issuer}: {r:?}");
    }
    // The empty-ID leaf is a good signature, made with the empty ID.
    let s = parse_signed(&pem_file(dir, "leaf-emptyid.pem", "CERTIFICATE")).unwrap();
    let pk = cert_public_key(&pem_file(dir, "inter.pem", "CERTIFICATE"));
    pk.verify(b"", &s.tbs, &Signature::from_der(&s.sig).unwrap())
        .expect("leaf-emptyid.pem verifies with the empty ID");

    // cases.json: the schema of tests/chains.rs.
    let v: serde_json::Value = serde_json::from_slice(&read(&dir.join("cases.json"))).unwrap();
    let cases = v["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 11);
    for c in cases {
        let name = c["name"].as_str().expect("name");
        let mut files = vec![c["cert"].as_str().expect("cert").to_string()];
        for k in ["trust", "intermediates", "crls"] {
            for f in c[k].as_array().unwrap_or_else(|| panic!("{name}: {k}")) {
                files.push(f.as_str().unwrap().to_string());
            }
        }
        for f in files {
            assert!(dir.join(&f).is_file(), "{name}: {f} missing");
        }
        let at = c["at"].as_str().unwrap();
        assert!(
            eseal::pki::time::Time::parse_rfc3339(at).is_ok(),
            "{name}: at {at}"
        );
        assert!(["valid", "invalid", "indeterminate"].contains(&c["verdict"].as_str().unwrap()));
        let check = c["check"].as_str();
        let status = c["status"].as_str();
        assert_eq!(
            check.is_some(),
            status.is_some(),
            "{name}: check and status go together"
        );
        if let Some(ch) = check {
            assert!(
                [
                    "cert.chain",
                    "cert.validity",
                    "cert.revocation",
                    "cert.key_usage"
                ]
                .contains(&ch),
                "{name}: check {ch}"
            );
            assert!(["fail", "warn", "indeterminate"].contains(&status.unwrap()));
        }
    }
}

#[test]
fn committed_bc_chains_signatures() {
    check_bc_chains(&vectors_dir("chains-bc"));
}

/// A fresh set made now by ChainGen (what test-vectors/chains-bc/gen.sh runs, with the classes
/// this process already compiled), then checked link by link by OpenSSL
/// (test-vectors/chains-bc/openssl-check.sh) and by eseal.
#[test]
fn live_bc_chains_signatures() {
    if !require_tool("bouncycastle") || !require_tool("openssl") {
        return;
    }
    let dir = temp_dir("chains-bc");
    run_ok(java("ChainGen").arg(&dir));
    run_ok(
        Command::new("bash")
            .arg(vectors_dir("chains-bc").join("openssl-check.sh"))
            .arg(&dir),
    );
    check_bc_chains(&dir);
}

/// A second opinion on the committed vectors: Bouncy Castle checks every other peer's set (and
/// its own), and must agree with each vector's `valid` flag, so no expected result rests on eseal
/// alone.
#[test]
fn committed_vectors_cross_checked_by_bouncycastle() {
    if !require_tool("bouncycastle") {
        return;
    }
    let dir = temp_dir("cross-bc");
    let mut lines = String::new();
    let mut expect = Vec::new();
    for peer in ["bouncycastle", "openssl", "tongsuopy", "gmssl", "sm-crypto"] {
        let path = vectors_dir("sm2").join(peer).join("vectors.json");
        let m: Manifest = serde_json::from_slice(&read(&path)).unwrap();
        for v in m.vectors {
            let msg = match (&v.msg_hex, v.msg_pattern_len, &v.msg_file) {
                (Some(h), _, _) => format!("hex:{h}"),
                (_, Some(n), _) => format!("pattern:{n}"),
                (_, _, Some(f)) => format!("file:{}", path.parent().unwrap().join(f).display()),
                _ => panic!("no message"),
            };
            let id = if v.id_hex.is_empty() {
                "-".to_string()
            } else {
                v.id_hex.clone()
            };
            lines.push_str(&format!(
                "{}\t{}\t{id}\t{msg}\t{}\n",
                v.encoding, v.public_key_hex, v.sig_hex
            ));
            expect.push((format!("{peer}: {}", v.comment), v.valid));
        }
    }
    let list = dir.join("list.tsv");
    std::fs::write(&list, lines).unwrap();
    let out = String::from_utf8(run_ok(java("Sm2Peer").arg("verify").arg(&list))).unwrap();
    let answers: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(answers.len(), expect.len());
    for ((what, valid), a) in expect.iter().zip(&answers) {
        assert_eq!(*a, valid.to_string(), "Bouncy Castle disagrees on {what}");
    }
    println!(
        "Bouncy Castle agrees on all {} committed vectors",
        answers.len()
    );
}
