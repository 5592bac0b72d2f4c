//! `Type="Sign"` signatures whose value is a GM/T 0010 SignedData: attached SM3 digest, and
//! detached with signed attributes; signer certificate checked against the trust store.

mod ofd_common;

use eseal::asn1;
use eseal::crypto::{PrivateKey, Signer, SoftwareSigner};
use eseal::ofd::sign::{SealOfdOptions, SealPlacement, seal_ofd_bytes_with};
use eseal::ofd::xml::SignatureType;
use eseal::ofd::{VerifyOptions, verify_ofd};
use eseal::pki::KeyUsage;
use eseal::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate};
use eseal::pki::{Certificate, Time};
use eseal::report::{Status, Verdict, ids};
use std::path::PathBuf;

fn samples() -> Option<PathBuf> {
    match std::env::var_os("ESEAL_SAMPLES") {
        Some(p) => Some(PathBuf::from(p).join("ofdrw")),
        None => {
            eprintln!("skipped: ESEAL_SAMPLES not set");
            None
        }
    }
}

fn oid(out: &mut Vec<u8>, o: &str) {
    asn1::write_oid(out, o).unwrap();
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    asn1::tlv(asn1::SEQUENCE, &parts.concat())
}

/// GM/T 0010 SignedData over `xml`: attached (eContent = SM3(xml), signature over it) or
/// detached with signed attributes (messageDigest = SM3(xml)).
fn signed_data(
    cert: &Certificate,
    signer: &dyn Signer,
    xml: &[u8],
    attached: bool,
    alg: &str,
) -> Vec<u8> {
    let mut sm3 = Vec::new();
    oid(&mut sm3, "1.2.156.10197.1.401");
    let sm3_alg = seq(&[&sm3]);
    let mut data_oid = Vec::new();
    oid(&mut data_oid, "1.2.156.10197.6.1.4.2.1");
    let digest = eseal::crypto::sm3(xml);
    let (eci, signed_attrs, to_sign) = if attached {
        let oct = asn1::tlv(asn1::OCTET_STRING, &digest);
        let eci = seq(&[&data_oid, &asn1::tlv(asn1::context(0), &oct)]);
        (eci, None, digest.to_vec())
    } else {
        let mut ct = Vec::new();
        oid(&mut ct, "1.2.840.113549.1.9.3");
        let a1 = seq(&[&ct, &asn1::tlv(asn1::SET, &data_oid)]);
        let mut md = Vec::new();
        oid(&mut md, "1.2.840.113549.1.9.4");
        let a2 = seq(&[
            &md,
            &asn1::tlv(asn1::SET, &asn1::tlv(asn1::OCTET_STRING, &digest)),
        ]);
        let body = [a1, a2].concat();
        (
            seq(&[&data_oid]),
            Some(body.clone()),
            asn1::tlv(asn1::SET, &body),
        )
    };
    let sig = signer.sign(&to_sign).unwrap().to_der();
    let mut serial = Vec::new();
    asn1::write_tlv(&mut serial, asn1::INTEGER, cert.serial());
    let sid = seq(&[cert.issuer_name().der(), &serial]);
    let mut sig_alg = Vec::new();
    oid(&mut sig_alg, alg);
    let mut si = Vec::new();
    asn1::write_int(&mut si, 1);
    si.extend_from_slice(&sid);
    si.extend_from_slice(&sm3_alg);
    if let Some(a) = &signed_attrs {
        asn1::write_tlv(&mut si, asn1::context(0), a);
    }
    si.extend_from_slice(&seq(&[&sig_alg]));
    asn1::write_tlv(&mut si, asn1::OCTET_STRING, &sig);
    let si = asn1::tlv(asn1::SEQUENCE, &si);
    let mut sd = Vec::new();
    asn1::write_int(&mut sd, 1);
    asn1::write_tlv(&mut sd, asn1::SET, &sm3_alg);
    sd.extend_from_slice(&eci);
    asn1::write_tlv(&mut sd, asn1::context(0), cert.der());
    asn1::write_tlv(&mut sd, asn1::SET, &si);
    let sd = asn1::tlv(asn1::SEQUENCE, &sd);
    let mut ci = Vec::new();
    oid(&mut ci, "1.2.156.10197.6.1.4.2.2");
    asn1::write_tlv(&mut ci, asn1::context(0), &sd);
    asn1::tlv(asn1::SEQUENCE, &ci)
}

fn st(r: &eseal::Report, id: &str) -> Status {
    r.signatures[0]
        .checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("{id}"))
        .status
}

#[test]
fn cms_sign_signatures() {
    let Some(dir) = samples() else { return };
    let input = std::fs::read(dir.join("helloworld.ofd")).unwrap();
    let key = PrivateKey::generate().unwrap();
    let signer = SoftwareSigner::new(key.clone());
    let name = NameBuilder::new()
        .country("CN")
        .common_name("eseal CMS signer");
    let cert_der = issue_certificate(
        &CertificateParams {
            serial: vec![0x42, 0x01],
            subject: name.clone(),
            not_before: Time::parse_rfc3339("2025-01-01T00:00:00Z").unwrap(),
            not_after: Time::parse_rfc3339("2045-01-01T00:00:00Z").unwrap(),
            public_key: key.public_key().clone(),
            ca: None,
            key_usage: KeyUsage::DIGITAL_SIGNATURE,
            extended_key_usage: vec![],
        },
        &Issuer {
            name_der: name.to_der().unwrap(),
            public_key: key.public_key().clone(),
            signer: &signer,
        },
    )
    .unwrap();
    let cert = Certificate::from_der(&cert_der).unwrap();
    let opts = SealOfdOptions {
        signature_type: SignatureType::Sign,
        ..Default::default()
    };
    let placement = SealPlacement {
        seal_der: &[],
        width_mm: 30.0,
        height_mm: 30.0,
    };
    let mut trust = VerifyOptions::default();
    trust.trust.add_anchor(cert.clone());
    for (attached, alg) in [
        (true, "1.2.156.10197.1.501"),
        (false, "1.2.156.10197.1.301.1"),
    ] {
        let mut tamper_sig = false;
        for round in 0..2 {
            let out = seal_ofd_bytes_with(&input, &opts, &placement, &mut |xml, _| {
                let mut v = signed_data(&cert, &signer, xml, attached, alg);
                if tamper_sig {
                    let n = v.len();
                    v[n - 5] ^= 1;
                }
                Ok(v)
            })
            .unwrap();
            let r = verify_ofd("cms", &out, &trust);
            println!("{}", serde_json::to_string(&r.to_json()).unwrap());
            assert_eq!(r.signatures[0].format, "cms");
            assert_eq!(st(&r, ids::FORMAT), Status::Pass);
            assert_eq!(st(&r, ids::REFERENCES), Status::Pass);
            assert_eq!(st(&r, ids::DATA_HASH), Status::Pass);
            if round == 0 {
                assert_eq!(st(&r, ids::SIGNATURE), Status::Pass, "attached {attached}");
                assert_eq!(st(&r, "signer_cert.chain"), Status::Pass);
                assert_eq!(r.verdict, Verdict::Valid);
                // Without the anchor: indeterminate.
                let r = verify_ofd("cms", &out, &VerifyOptions::default());
                assert_eq!(r.verdict, Verdict::Indeterminate);
                // Signature.xml changed: the CMS no longer binds it.
                let mut z = zip::ZipArchive::new(std::io::Cursor::new(&out[..])).unwrap();
                let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
                for i in 0..z.len() {
                    use std::io::{Read, Write};
                    let mut e = z.by_index(i).unwrap();
                    let n = e.name().unwrap().to_string();
                    let mut d = Vec::new();
                    e.read_to_end(&mut d).unwrap();
                    if n.ends_with("Signature.xml") {
                        d.push(b'\n');
                    }
                    w.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
                        .unwrap();
                    w.write_all(&d).unwrap();
                }
                let t = w.finish().unwrap().into_inner();
                let r = verify_ofd("cms", &t, &trust);
                assert_eq!(st(&r, ids::DATA_HASH), Status::Fail, "attached {attached}");
                assert_eq!(r.verdict, Verdict::Invalid);
            } else {
                assert_eq!(st(&r, ids::SIGNATURE), Status::Fail);
                assert_eq!(r.verdict, Verdict::Invalid);
            }
            tamper_sig = true;
        }
    }
}

/// Bouncy Castle (test-vectors/ofd/BcOfdCms.java) makes the SignedData over Signature.xml:
/// an independent GM/T 0010 producer.
#[test]
fn bouncy_castle_cms_sign_signatures() {
    let Some(dir) = samples() else { return };
    let jars: Vec<String> = ["bcprov", "bcpkix", "bcutil"]
        .iter()
        .map(|j| format!("/usr/share/java/{j}.jar"))
        .collect();
    let have_java = std::process::Command::new("javac")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
        && jars.iter().all(|j| std::path::Path::new(j).exists());
    if !have_java {
        assert!(
            std::env::var_os("CI").is_none(),
            "javac and Bouncy Castle not found (required in CI)"
        );
        eprintln!("skipped: javac and Bouncy Castle not found");
        return;
    }
    let tmp = std::env::temp_dir().join(format!("eseal-ofd-bc-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let cp = format!("{}:{}", jars.join(":"), tmp.display());
    let src =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/ofd/BcOfdCms.java");
    let st_javac = std::process::Command::new("javac")
        .args(["-cp", &cp, "-d"])
        .arg(&tmp)
        .arg(&src)
        .status()
        .unwrap();
    assert!(st_javac.success());
    let pki = ofd_common::TestPki::load(&dir);
    let trust = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    let input = std::fs::read(dir.join("helloworld.ofd")).unwrap();
    let opts = SealOfdOptions {
        signature_type: SignatureType::Sign,
        ..Default::default()
    };
    let placement = SealPlacement {
        seal_der: &[],
        width_mm: 30.0,
        height_mm: 30.0,
    };
    for mode in ["detached", "attached"] {
        let out = seal_ofd_bytes_with(&input, &opts, &placement, &mut |xml, _| {
            let data = tmp.join("data.xml");
            let der = tmp.join("out.der");
            std::fs::write(&data, xml).unwrap();
            let ok = std::process::Command::new("java")
                .args(["-cp", &cp, "BcOfdCms"])
                .arg(&data)
                .arg(dir.join("sign_cert.pem"))
                .arg(dir.join("sign_key.pem"))
                .arg(mode)
                .arg(&der)
                .status()
                .unwrap();
            assert!(ok.success());
            Ok(std::fs::read(&der).unwrap())
        })
        .unwrap();
        let r = verify_ofd("bc", &out, &trust);
        println!("{}", serde_json::to_string(&r.to_json()).unwrap());
        assert_eq!(r.signatures[0].format, "cms");
        for id in [
            ids::FORMAT,
            ids::REFERENCES,
            ids::DATA_HASH,
            ids::SIGNATURE,
            "signer_cert.chain",
        ] {
            assert_eq!(st(&r, id), Status::Pass, "{mode} {id}");
        }
        // BC writes signingTime = now; sign_cert.pem expired in 2022, so its validity fails.
        assert_eq!(st(&r, "signer_cert.validity"), Status::Fail, "{mode}");
        assert_eq!(
            r.signatures[0].signer.as_ref().unwrap().subject,
            eseal::pki::parse_certificates(&std::fs::read(dir.join("sign_cert.pem")).unwrap())
                .unwrap()[0]
                .subject()
        );
    }
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// A value whose kind contradicts Signatures.xml's Type is checked by its content, with a
/// `signature_type` warning.
#[test]
fn mislabelled_signature_types() {
    let Some(dir) = samples() else { return };
    let pki = ofd_common::TestPki::load(&dir);
    let trust = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    let input = std::fs::read(dir.join("helloworld.ofd")).unwrap();
    let cert = Certificate::from_der(&pki.user_cert).unwrap();
    let placement = SealPlacement {
        seal_der: &pki.seal_der,
        width_mm: 40.0,
        height_mm: 40.0,
    };
    let at = ofd_common::in_validity();
    // Type="Seal" holding a CMS SignedData.
    let opts = SealOfdOptions {
        signing_time: Some(at),
        ..Default::default()
    };
    let out = seal_ofd_bytes_with(&input, &opts, &placement, &mut |xml, _| {
        Ok(signed_data(
            &cert,
            &pki.signer,
            xml,
            false,
            "1.2.156.10197.1.501",
        ))
    })
    .unwrap();
    let r = verify_ofd("m1", &out, &trust);
    assert_eq!(r.signatures[0].format, "cms");
    assert_eq!(st(&r, ids::SIGNATURE), Status::Pass);
    assert_eq!(st(&r, "signature_type"), Status::Warn);
    // Type="Sign" holding an SES_Signature.
    let opts = SealOfdOptions {
        signing_time: Some(at),
        signature_type: SignatureType::Sign,
        ..Default::default()
    };
    let out = seal_ofd_bytes_with(&input, &opts, &placement, &mut |xml, prop| {
        let req = eseal::ses::SignRequest::new(&pki.seal, &pki.user_cert, prop, at);
        Ok(
            eseal::ses::sign_hash(&req, &eseal::crypto::sm3(xml), &pki.signer)?
                .raw_der()
                .to_vec(),
        )
    })
    .unwrap();
    let r = verify_ofd("m2", &out, &trust);
    assert_eq!(r.signatures[0].format, "ses-v4");
    assert_eq!(st(&r, ids::DATA_HASH), Status::Pass);
    assert_eq!(st(&r, "signature_type"), Status::Warn);
    assert_eq!(r.verdict, Verdict::Valid);
    // Type="Seal" holding 64 random bytes stays a seal whose format fails.
    let out = seal_ofd_bytes_with(
        &input,
        &SealOfdOptions::default(),
        &placement,
        &mut |_, _| Ok(vec![7u8; 64]),
    )
    .unwrap();
    let r = verify_ofd("m3", &out, &trust);
    assert_eq!(st(&r, ids::FORMAT), Status::Fail);
    assert_eq!(r.verdict, Verdict::Invalid);
}
