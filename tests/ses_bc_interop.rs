//! GB/T 38540-2020 version 4 seals and seal signatures both ways with an independent
//! implementation: `test-vectors/java/SesTool.java`, written with Bouncy Castle's ASN.1 classes
//! (`org.bouncycastle.asn1.*`) and BC's SM2, sharing no code with eseal.
//!
//! - `live_bc_sestool_makes_eseal_verifies`: SesTool makes a maker CA and two signer
//!   certificates, v4 seals (certListType 1 with both certificates; certListType 2 with their SM3
//!   digests) around real PNG pictures, and SES_Signatures over a data file. eseal's
//!   `verify_seal` / `verify_ses_signature` (the BC maker certificate as the only trust anchor)
//!   pass or skip every check with the verdict `valid`; every field eseal decodes equals what
//!   SesTool was told; the picture is the input byte for byte. Then eseal applies the BC seal
//!   with the BC signer key and SesTool accepts eseal's signature around BC's seal.
//! - `live_eseal_makes_bc_sestool_checks`: eseal's `SealBuilder` (certListType 1 and 2) and
//!   `sign_data` make v4 seals and signatures with the test PKI; SesTool verifies the maker
//!   signature over SES_SealInfo and the signer signature over TBS_Sign, prints field values that
//!   equal eseal's inputs, writes the picture back byte for byte, and rejects tampered copies (a
//!   picture byte inside the seal, a dataHash byte, other data).
//!
//! Both follow the CI rule (Java + Bouncy Castle missing: fail under `CI`, skip otherwise).
//! SesTool is compiled once per test process and each test runs its commands in one or two JVMs.

mod common;

use common::*;
use eseal::crypto::{PrivateKey, SoftwareSigner, sm3};
use eseal::pki::{Certificate, Time, TrustStore};
use eseal::report::{Check, Status, Verdict};
use eseal::ses::{
    CertDigest, CertList, DataInput, OID_SM2_SM3, Seal, SealBuilder, SesSignature, SignRequest,
    VerifyOptions, Version, sign_data, verify_seal, verify_ses_signature,
};
use std::path::Path;

/// A real PNG (RGBA, `w`×`h`): a red ring on a transparent background, made with the `png` crate.
fn stamp_png(w: u32, h: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((w * h * 4) as usize);
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let r = cx.min(cy) - 2.0;
    for y in 0..h {
        for x in 0..w {
            let d = ((x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2)).sqrt();
            let on = (d - r * 0.85).abs() < r * 0.08 || d < r * 0.2;
            pixels.extend_from_slice(if on {
                &[220, 20, 30, 255]
            } else {
                &[0, 0, 0, 0]
            });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().unwrap();
    wr.write_image_data(&pixels).unwrap();
    wr.finish().unwrap();
    assert!(out.starts_with(b"\x89PNG\r\n\x1a\n"));
    out
}

/// The picture for the second seal: the ofdrw sample stamp when `ESEAL_SAMPLES` is set (read at
/// run time, never copied into the project), else another generated PNG.
fn second_picture() -> (Vec<u8>, &'static str) {
    if let Some(d) = std::env::var_os("ESEAL_SAMPLES").filter(|d| !d.is_empty()) {
        let p = Path::new(&d).join("ofdrw/StampImg.png");
        if p.is_file() {
            return (read(&p), "ofdrw/StampImg.png");
        }
    }
    (stamp_png(97, 61), "generated 97x61 PNG")
}

/// Runs SesTool commands in one JVM (`SesTool batch`); returns each command's (exit status,
/// output).
fn sestool_batch(dir: &Path, commands: &[Vec<String>]) -> Vec<(i32, String)> {
    let list = dir.join(format!("batch-{}.txt", commands.len()));
    let text: String = commands.iter().map(|c| c.join("\t") + "\n").collect();
    std::fs::write(&list, text).unwrap();
    let out = String::from_utf8(run_ok(java("SesTool").arg("batch").arg(&list))).unwrap();
    let mut results: Vec<(i32, String)> = Vec::new();
    for line in out.lines() {
        if let Some(rc) = line.strip_prefix("RESULT ") {
            results.push((rc.parse().unwrap(), String::new()));
        } else {
            let last = results.last_mut().expect("output before the first RESULT");
            last.1.push_str(line);
            last.1.push('\n');
        }
    }
    assert_eq!(results.len(), commands.len(), "SesTool batch output: {out}");
    results
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("SesTool output {out:?}: {e}"))
}

/// A command line: arguments naming a file (`*.der`, `*.pem`, `*.png`, `*.bin`) are put in `dir`.
fn cmd(dir: &Path, args: &[&str]) -> Vec<String> {
    args.iter()
        .map(|a| {
            if [".der", ".pem", ".png", ".bin"]
                .iter()
                .any(|x| a.ends_with(x) && !a.starts_with('/'))
            {
                dir.join(a).display().to_string()
            } else {
                a.to_string()
            }
        })
        .collect()
}

/// The DER of the single PEM block `label` in `path`.
fn pem_der(path: &Path, label: &str) -> Vec<u8> {
    let text = String::from_utf8(read(path)).unwrap();
    let mut blocks = pem_blocks(&text, label);
    assert_eq!(blocks.len(), 1, "{}: one {label}", path.display());
    blocks.remove(0)
}

/// The SM2 private key of a SEC1 `EC PRIVATE KEY` PEM (what SesTool's JcaPEMWriter writes).
fn sec1_private_key(path: &Path) -> PrivateKey {
    use eseal::asn1::{INTEGER, OCTET_STRING, Reader};
    let der = pem_der(path, "EC PRIVATE KEY");
    let mut seq = Reader::new(&der).read_sequence().unwrap();
    seq.read(INTEGER).unwrap();
    PrivateKey::from_bytes(seq.read(OCTET_STRING).unwrap()).unwrap()
}

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

fn gt(s: &str) -> Time {
    Time::parse_generalized(s).unwrap()
}

/// Every check passes or is skipped, those in `must_pass` pass, and the verdict is valid.
fn all_pass_or_skip(what: &str, checks: &[Check], verdict: Verdict, must_pass: &[&str]) {
    for c in checks {
        assert!(
            matches!(c.status, Status::Pass | Status::Skip),
            "{what}: {} is {:?}: {}",
            c.id,
            c.status,
            c.message
        );
    }
    for id in must_pass {
        let c = checks
            .iter()
            .find(|c| c.id == *id)
            .unwrap_or_else(|| panic!("{what}: no check {id}"));
        assert_eq!(c.status, Status::Pass, "{what}: {id}: {}", c.message);
    }
    assert_eq!(verdict, Verdict::Valid, "{what}: {checks:#?}");
    let pass = checks.iter().filter(|c| c.status == Status::Pass).count();
    println!(
        "{what}: valid, {pass} checks pass, {} skipped",
        checks.len() - pass
    );
}

fn status_of(checks: &[Check], id: &str) -> Status {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id}"))
        .status
}

/// What SesTool is told for one seal.
struct BcSeal {
    file: &'static str,
    cert_list_type: i64,
    es_id: &'static str,
    name: &'static str,
    seal_type: i64,
    vid: &'static str,
    width: i64,
    height: i64,
    create: &'static str,
    start: &'static str,
    end: &'static str,
    picture: &'static str,
    sig: &'static str,
    property: &'static str,
    time: &'static str,
}

const BC_SEALS: [BcSeal; 2] = [
    BcSeal {
        file: "bc-seal-1.der",
        cert_list_type: 1,
        es_id: "BC-ESID-0001",
        name: "BC互操作合同专用章",
        seal_type: 3,
        vid: "BC-SesTool-vid",
        width: 42,
        height: 38,
        create: "20260102030405Z",
        start: "20260103000000Z",
        end: "20300101000000Z",
        picture: "pic-1.png",
        sig: "bc-sig-1.der",
        property: "/Doc_0/Signs/Sign_0/Signature.xml",
        time: "20260715120000Z",
    },
    BcSeal {
        file: "bc-seal-2.der",
        cert_list_type: 2,
        es_id: "BC-ESID-0002",
        name: "BC digest-list seal",
        seal_type: 1,
        vid: "BC2",
        width: 50,
        height: 30,
        create: "20260201000000Z",
        start: "20260201000000Z",
        end: "20310101000000Z",
        picture: "pic-2.png",
        sig: "bc-sig-2.der",
        property: "/Doc_0/Signs/Sign_1/Signature.xml",
        time: "20270101080000Z",
    },
];

#[test]
fn live_bc_sestool_makes_eseal_verifies() {
    if !require_tool("bouncycastle") {
        return;
    }
    let dir = temp_dir("ses-bc-make");
    let p = |n: &str| dir.join(n);
    let pic1 = stamp_png(64, 64);
    let (pic2, pic2_what) = second_picture();
    std::fs::write(p("pic-1.png"), &pic1).unwrap();
    std::fs::write(p("pic-2.png"), &pic2).unwrap();
    let data = b"the protected document, made by Bouncy Castle's SesTool\n".repeat(300);
    std::fs::write(p("data.bin"), &data).unwrap();

    let mut commands = vec![cmd(
        &dir,
        &[
            "make-cert",
            "--cn",
            "maker",
            "--ca",
            "--out-key",
            "mk.pem",
            "--out-cert",
            "mc.pem",
        ],
    )];
    for (cn, k, c) in [
        ("signer", "sk.pem", "sc.pem"),
        ("signer two", "sk2.pem", "sc2.pem"),
    ] {
        commands.push(cmd(
            &dir,
            &[
                "make-cert",
                "--cn",
                cn,
                "--issuer-key",
                "mk.pem",
                "--issuer-cert",
                "mc.pem",
                "--out-key",
                k,
                "--out-cert",
                c,
            ],
        ));
    }
    for s in &BC_SEALS {
        let (lt, ty, w, h) = (
            s.cert_list_type.to_string(),
            s.seal_type.to_string(),
            s.width.to_string(),
            s.height.to_string(),
        );
        commands.push(cmd(
            &dir,
            &[
                "make-seal",
                "--maker-key",
                "mk.pem",
                "--maker-cert",
                "mc.pem",
                "--signer-cert",
                "sc.pem",
                "--signer-cert",
                "sc2.pem",
                "--cert-list-type",
                &lt,
                "--picture",
                s.picture,
                "--picture-type",
                "PNG",
                "--esid",
                s.es_id,
                "--name",
                s.name,
                "--type",
                &ty,
                "--vid",
                s.vid,
                "--width",
                &w,
                "--height",
                &h,
                "--create",
                s.create,
                "--valid-start",
                s.start,
                "--valid-end",
                s.end,
                "--out",
                s.file,
            ],
        ));
        commands.push(cmd(
            &dir,
            &[
                "sign",
                "--seal",
                s.file,
                "--signer-key",
                "sk.pem",
                "--signer-cert",
                "sc.pem",
                "--data",
                "data.bin",
                "--property",
                s.property,
                "--time",
                s.time,
                "--out",
                s.sig,
            ],
        ));
    }
    for (rc, out) in sestool_batch(&dir, &commands) {
        assert_eq!(rc, 0, "SesTool: {out}");
    }

    let mc = pem_der(&p("mc.pem"), "CERTIFICATE");
    let sc = pem_der(&p("sc.pem"), "CERTIFICATE");
    let sc2 = pem_der(&p("sc2.pem"), "CERTIFICATE");
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&mc).unwrap());
    let opts = VerifyOptions {
        now: t("2028-01-01T00:00:00Z"),
        ..VerifyOptions::default()
    };

    for (s, picture) in BC_SEALS.iter().zip([&pic1, &pic2]) {
        let what = format!("BC seal certListType {}", s.cert_list_type);
        let der = read(&p(s.file));
        let seal = Seal::from_der(&der).unwrap();
        // Field values: what SesTool was told.
        assert_eq!(seal.version(), Version::V4, "{what}");
        assert_eq!(seal.raw_der(), &der[..]);
        let info = &seal.seal_info;
        assert_eq!(info.header.id, "ES");
        assert_eq!(info.header.version, 4);
        assert_eq!(info.header.vid, s.vid);
        assert_eq!(info.es_id, s.es_id);
        let prop = &info.property;
        assert_eq!(prop.seal_type, s.seal_type);
        assert_eq!(prop.name, s.name);
        assert_eq!(prop.cert_list_type, s.cert_list_type);
        let want_list = if s.cert_list_type == 1 {
            CertList::Certs(vec![sc.clone(), sc2.clone()])
        } else {
            CertList::Digests(
                [&sc, &sc2]
                    .iter()
                    .map(|c| CertDigest {
                        digest_type: "SM3".into(),
                        value: sm3(c).to_vec(),
                    })
                    .collect(),
            )
        };
        assert_eq!(prop.cert_list, want_list, "{what}");
        assert_eq!(prop.create_date, gt(s.create));
        assert_eq!(prop.valid_start, gt(s.start));
        assert_eq!(prop.valid_end, gt(s.end));
        assert_eq!(info.picture.picture_type, "PNG");
        assert_eq!(info.picture.width, s.width);
        assert_eq!(info.picture.height, s.height);
        assert!(
            info.picture.data == *picture,
            "{what}: picture not byte for byte"
        );
        assert!(info.ext_datas.is_empty());
        assert_eq!(seal.cert, mc, "maker certificate");
        assert_eq!(seal.sign_alg, OID_SM2_SM3);
        assert!(seal.timestamp.is_none());
        // eseal re-encodes BC's seal to the same DER.
        assert_eq!(seal.to_der().unwrap(), der, "{what}: DER re-encoding");

        let r = verify_seal(&der, &store, &opts);
        all_pass_or_skip(
            &what,
            &r.checks,
            r.verdict,
            &[
                "format",
                "seal_signature",
                "maker_cert.chain",
                "maker_cert.validity",
            ],
        );

        // The signature.
        let what = format!("BC signature, seal certListType {}", s.cert_list_type);
        let sder = read(&p(s.sig));
        let sig = SesSignature::from_der(&sder).unwrap();
        assert_eq!(sig.version(), Version::V4);
        assert_eq!(sig.tbs.version, 4);
        assert_eq!(sig.seal().raw_der(), &der[..], "the seal inside TBS_Sign");
        assert_eq!(sig.tbs.time_info, Some(gt(s.time)));
        assert_eq!(sig.tbs.time_info_raw, s.time.as_bytes());
        assert_eq!(sig.tbs.data_hash, sm3(&data).to_vec());
        assert_eq!(sig.tbs.property_info, s.property);
        assert!(sig.tbs.ext_datas.is_empty());
        assert_eq!(sig.cert, sc, "signer certificate");
        assert_eq!(sig.signature_alg, OID_SM2_SM3);
        assert!(sig.timestamp.is_none());
        assert_eq!(sig.to_der().unwrap(), sder, "{what}: DER re-encoding");
        let r = verify_ses_signature(&sder, Some(DataInput::Bytes(&data)), &store, &opts);
        all_pass_or_skip(
            &what,
            &r.checks,
            r.verdict,
            &[
                "format",
                "signature",
                "signer_in_seal",
                "seal_signature",
                "seal_validity",
                "maker_cert.chain",
                "signer_cert.chain",
                "signer_cert.validity",
                "data_hash",
            ],
        );
        assert_eq!(status_of(&r.checks, "timestamp"), Status::Skip);
        assert_eq!(r.signing_time, Some(gt(s.time).to_rfc3339()));
        let signer = r.signer.as_ref().unwrap();
        assert!(signer.subject.contains("signer"), "{}", signer.subject);
        assert_eq!(r.seal.as_ref().unwrap().es_id, s.es_id);
        // Other data, and no trust anchor, are told apart.
        let r = verify_ses_signature(&sder, Some(DataInput::Bytes(b"other")), &store, &opts);
        assert_eq!(status_of(&r.checks, "data_hash"), Status::Fail);
        assert_eq!(r.verdict, Verdict::Invalid);
        let r = verify_ses_signature(
            &sder,
            Some(DataInput::Bytes(&data)),
            &TrustStore::new(),
            &opts,
        );
        assert_ne!(status_of(&r.checks, "maker_cert.chain"), Status::Pass);
        assert_ne!(r.verdict, Verdict::Valid);
    }
    println!(
        "BC → eseal: 2 seals, 2 signatures; pictures {} B (generated) and {} B ({pic2_what})",
        pic1.len(),
        pic2.len()
    );

    // eseal applies BC's seals with BC's signer key; SesTool checks eseal's signatures.
    let sk = SoftwareSigner::new(sec1_private_key(&p("sk.pem")));
    let sk2 = SoftwareSigner::new(sec1_private_key(&p("sk2.pem")));
    let mut checks = Vec::new();
    for (i, s) in BC_SEALS.iter().enumerate() {
        let seal = Seal::from_der(&read(&p(s.file))).unwrap();
        let (cert, key) = if i == 0 { (&sc, &sk) } else { (&sc2, &sk2) };
        let req = SignRequest::new(&seal, cert, s.property, gt(s.time));
        let sig = sign_data(&req, &data[..], key).unwrap();
        let name = format!("es-on-bc-{i}.der");
        std::fs::write(p(&name), sig.raw_der()).unwrap();
        checks.push(cmd(&dir, &["check-sig", &name, "--data", "data.bin"]));
    }
    for ((rc, out), s) in sestool_batch(&dir, &checks).iter().zip(&BC_SEALS) {
        let v = json(out);
        assert_eq!(
            *rc, 0,
            "SesTool rejects eseal's signature on BC's seal: {v}"
        );
        for k in ["signature", "signer_in_seal", "data_hash_check"] {
            assert_eq!(v[k], "pass", "{k}: {v}");
        }
        assert_eq!(v["seal"]["seal_signature"], "pass");
        assert_eq!(v["seal"]["cert_list_type"], s.cert_list_type);
        assert_eq!(v["time_info"], s.time);
    }
}

/// What eseal's SealBuilder is given for one seal.
fn eseal_builder(p: &Pki, other: &Party, cert_list_type: i64, picture: &[u8]) -> SealBuilder {
    SealBuilder::new(
        "eseal-bc-vid",
        &format!("ESEAL-BC-000{cert_list_type}"),
        "互操作测试章",
    )
    .seal_type(2)
    .cert_list_type(cert_list_type)
    .signer_certs(vec![p.signer.cert.clone(), other.cert.clone()])
    .create_date(t("2024-02-03T04:05:06Z"))
    .validity(t(SEAL_FROM), t(SEAL_TO))
    .picture("PNG", picture.to_vec(), 45, 35)
    .now(t(SEAL_FROM))
}

/// `der` with the byte at `pos` flipped.
fn flip(der: &[u8], pos: usize) -> Vec<u8> {
    let mut v = der.to_vec();
    v[pos] ^= 0x01;
    v
}

/// The offset of `needle` in `hay` (exactly one occurrence).
fn find_once(hay: &[u8], needle: &[u8]) -> usize {
    let hits: Vec<usize> = hay
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "expected one occurrence");
    hits[0]
}

#[test]
fn live_eseal_makes_bc_sestool_checks() {
    if !require_tool("bouncycastle") {
        return;
    }
    let dir = temp_dir("ses-bc-check");
    let p = |n: &str| dir.join(n);
    let pki = pki();
    let other = leaf(
        &pki.root,
        &pki.root_name,
        7,
        "second signer",
        KU_SIGN,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let picture = stamp_png(80, 60);
    let data = b"document bytes protected by an eseal signature\n".repeat(200);
    std::fs::write(p("data.bin"), &data).unwrap();
    std::fs::write(p("other.bin"), b"other bytes").unwrap();
    let property = "/Doc_0/Signs/Sign_0/Signature.xml";

    let mut seals = Vec::new();
    let mut sigs = Vec::new();
    let mut commands = Vec::new();
    for lt in [1i64, 2] {
        let seal = eseal_builder(&pki, &other, lt, &picture)
            .build(&pki.maker.cert, &pki.maker.signer())
            .unwrap();
        let req = SignRequest::new(&seal, &pki.signer.cert, property, t(SIGNING));
        let sig = sign_data(&req, &data[..], &pki.signer.signer()).unwrap();
        let (sf, gf) = (format!("es-seal-{lt}.der"), format!("es-sig-{lt}.der"));
        std::fs::write(p(&sf), seal.raw_der()).unwrap();
        std::fs::write(p(&gf), sig.raw_der()).unwrap();
        let (po1, po2) = (format!("out-seal-{lt}.png"), format!("out-sig-{lt}.png"));
        commands.push(cmd(&dir, &["check-seal", &sf, "--picture-out", &po1]));
        commands.push(cmd(
            &dir,
            &[
                "check-sig",
                &gf,
                "--data",
                "data.bin",
                "--picture-out",
                &po2,
            ],
        ));
        seals.push(seal);
        sigs.push(sig);
    }
    // Tampered copies: one picture byte inside the seal (bare, and inside the signature), one
    // dataHash byte; and the right signature with other data.
    let seal_der = seals[0].raw_der();
    let at = find_once(seal_der, &picture) + picture.len() / 2;
    let bad_seal = flip(seal_der, at);
    let sig_der = sigs[0].raw_der();
    let at = find_once(sig_der, &picture) + picture.len() / 2;
    let bad_pic_sig = flip(sig_der, at);
    let at = find_once(sig_der, &sm3(&data)) + 7;
    let bad_hash_sig = flip(sig_der, at);
    std::fs::write(p("bad-pic-seal.der"), &bad_seal).unwrap();
    std::fs::write(p("bad-pic-sig.der"), &bad_pic_sig).unwrap();
    std::fs::write(p("bad-hash-sig.der"), &bad_hash_sig).unwrap();
    commands.push(cmd(&dir, &["check-seal", "bad-pic-seal.der"]));
    commands.push(cmd(
        &dir,
        &["check-sig", "bad-pic-sig.der", "--data", "data.bin"],
    ));
    commands.push(cmd(&dir, &["check-sig", "bad-hash-sig.der"]));
    commands.push(cmd(
        &dir,
        &["check-sig", "es-sig-1.der", "--data", "other.bin"],
    ));
    let res = sestool_batch(&dir, &commands);

    let sm3hex = |b: &[u8]| hex(&sm3(b));
    for (i, lt) in [1i64, 2].into_iter().enumerate() {
        // check-seal: maker signature over SES_SealInfo and every field.
        let (rc, out) = &res[2 * i];
        let v = json(out);
        assert_eq!(
            *rc, 0,
            "SesTool rejects eseal's seal (certListType {lt}): {v}"
        );
        assert_eq!(v["seal_signature"], "pass");
        assert_eq!(v["sign_alg"], OID_SM2_SM3);
        assert_eq!(v["version"], 4);
        assert_eq!(v["header_id"], "ES");
        assert_eq!(v["vid"], "eseal-bc-vid");
        assert_eq!(v["es_id"], format!("ESEAL-BC-000{lt}"));
        assert_eq!(v["type"], 2);
        assert_eq!(v["name"], "互操作测试章");
        assert_eq!(v["cert_list_type"], lt);
        assert_eq!(v["cert_list_len"], 2);
        let list = v["cert_list"].as_array().unwrap();
        for (entry, cert) in list.iter().zip([&pki.signer.cert, &other.cert]) {
            if lt == 1 {
                assert_eq!(entry["sm3"], sm3hex(cert), "certificate in the list");
            } else {
                assert_eq!(entry["type"], "SM3");
                assert_eq!(entry["value"], sm3hex(cert), "digest in the list");
            }
        }
        assert_eq!(v["create_date"], t("2024-02-03T04:05:06Z").to_generalized());
        assert_eq!(v["valid_start"], t(SEAL_FROM).to_generalized());
        assert_eq!(v["valid_end"], t(SEAL_TO).to_generalized());
        assert_eq!(v["picture_type"], "PNG");
        assert_eq!(v["picture_len"], picture.len());
        assert_eq!(v["picture_sm3"], sm3hex(&picture));
        assert_eq!(v["width"], 45);
        assert_eq!(v["height"], 35);
        assert_eq!(v["ext_datas"], false);
        assert_eq!(v["maker_cert_sm3"], sm3hex(&pki.maker.cert));
        assert!(
            read(&p(&format!("out-seal-{lt}.png"))) == picture,
            "picture out"
        );

        // check-sig: signer signature over TBS_Sign, the seal inside, the data hash.
        let (rc, out) = &res[2 * i + 1];
        let v = json(out);
        assert_eq!(
            *rc, 0,
            "SesTool rejects eseal's signature (certListType {lt}): {v}"
        );
        for k in ["signature", "signer_in_seal", "data_hash_check"] {
            assert_eq!(v[k], "pass", "{k}: {v}");
        }
        assert_eq!(v["version"], 4);
        assert_eq!(v["time_info"], t(SIGNING).to_generalized());
        assert_eq!(v["data_hash"], sm3hex(&data));
        assert_eq!(v["property_info"], property);
        assert_eq!(v["ext_datas"], false);
        assert_eq!(v["timestamp"], false);
        assert_eq!(v["sign_alg"], OID_SM2_SM3);
        assert_eq!(v["signer_cert_sm3"], sm3hex(&pki.signer.cert));
        assert_eq!(v["seal"]["seal_signature"], "pass");
        assert_eq!(v["seal"]["es_id"], format!("ESEAL-BC-000{lt}"));
        assert_eq!(v["seal"]["cert_list_type"], lt);
        assert!(
            read(&p(&format!("out-sig-{lt}.png"))) == picture,
            "picture out"
        );
    }

    // Tampering is caught by SesTool (and by eseal).
    let (rc, out) = &res[4];
    let v = json(out);
    assert_eq!((*rc, &v["seal_signature"]), (1, &"fail".into()), "{v}");
    let (rc, out) = &res[5];
    let v = json(out);
    assert_eq!(*rc, 1, "{v}");
    assert_eq!(v["signature"], "fail");
    assert_eq!(v["seal"]["seal_signature"], "fail");
    let (rc, out) = &res[6];
    let v = json(out);
    assert_eq!(*rc, 1, "{v}");
    assert_eq!(v["signature"], "fail");
    assert_eq!(v["seal"]["seal_signature"], "pass");
    let (rc, out) = &res[7];
    let v = json(out);
    assert_eq!(*rc, 1, "{v}");
    assert_eq!(v["data_hash_check"], "fail");
    assert_eq!(v["signature"], "pass");

    let opts = VerifyOptions {
        now: t(NOW),
        ..VerifyOptions::default()
    };
    let r = verify_seal(&bad_seal, &pki.store, &opts);
    assert_eq!(r.find_check("seal_signature").unwrap().status, Status::Fail);
    for bad in [&bad_pic_sig, &bad_hash_sig] {
        let r = verify_ses_signature(bad, Some(DataInput::Bytes(&data)), &pki.store, &opts);
        assert_eq!(status_of(&r.checks, "signature"), Status::Fail);
        assert_eq!(r.verdict, Verdict::Invalid);
    }
    let r = verify_ses_signature(sig_der, Some(DataInput::Bytes(&data)), &pki.store, &opts);
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r.checks);
    println!(
        "eseal → BC: 2 seals + 2 signatures accepted with every field equal, picture {} B round-trips; 4 tampered inputs rejected",
        picture.len()
    );
}
