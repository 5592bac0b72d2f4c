//! The `eseal` tool end to end: `demo` on a fresh folder, then `seal make`, `seal show`,
//! `sign-data` and `verify` fed with the demo's files, including the refusals.

mod common;

use common::{eseal_cli as eseal, output_text as text};

#[test]
fn demo_then_every_seal_command() {
    let dir = std::env::temp_dir().join(format!("eseal-cli-seal-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();

    let o = eseal(&dir, &["demo", "--dir", "d"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let d = dir.join("d");
    for f in [
        "root.pem",
        "root-crl.pem",
        "maker.pem",
        "maker.key",
        "signer.pem",
        "signer.key",
        "seal.png",
        "demo.esl",
        "contract.txt",
        "contract.txt.ses",
    ] {
        assert!(d.join(f).is_file(), "demo did not write {f}");
    }
    // The demo's files feed straight back into verify.
    let o = eseal(
        &d,
        &[
            "verify",
            "--trust",
            "root.pem",
            "--crl",
            "root-crl.pem",
            "--data",
            "contract.txt",
            "demo.esl",
            "signer.pem",
            "contract.txt.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    // Without the trust anchor: indeterminate (exit 3), not invalid.
    let o = eseal(&d, &["verify", "demo.esl"]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));

    // seal make with certificate digests (certListType 2), then show and extract the picture.
    let o = eseal(
        &d,
        &[
            "seal",
            "make",
            "--maker-cert",
            "maker.pem",
            "--maker-key",
            "maker.key",
            "--password",
            "eseal-demo",
            "--signer-cert",
            "signer.pem",
            "--name",
            "测试合同专用章",
            "--type",
            "3",
            "--image",
            "seal.png",
            "--width-mm",
            "42",
            "--height-mm",
            "42",
            "--cert-digests",
            "-o",
            "c.esl",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = eseal(
        &d,
        &[
            "seal",
            "show",
            "c.esl",
            "--format",
            "json",
            "--extract-picture",
            "pic.png",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["name"], "测试合同专用章");
    assert_eq!(j["type"], 3);
    assert_eq!(j["cert_list_type"], 2);
    assert_eq!(j["picture"]["width_mm"], 42);
    assert_eq!(
        std::fs::read(d.join("pic.png")).unwrap(),
        std::fs::read(d.join("seal.png")).unwrap()
    );

    // sign-data, verify with and without the data, and with tampered data.
    let o = eseal(
        &d,
        &[
            "sign-data",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "eseal-demo",
            "contract.txt",
            "-o",
            "c.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = eseal(
        &d,
        &[
            "verify",
            "--trust",
            "root.pem",
            "--format",
            "json",
            "--data",
            "contract.txt",
            "c.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j[0]["kind"], "ses");
    assert_eq!(j[0]["signatures"][0]["format"], "ses-v4");
    std::fs::write(d.join("other.txt"), b"not the contract").unwrap();
    let o = eseal(
        &d,
        &[
            "verify",
            "--trust",
            "root.pem",
            "--format",
            "json",
            "--data",
            "other.txt",
            "c.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let failing: Vec<&str> = j[0]["signatures"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(failing, ["data_hash"]);

    // Refusals: wrong password, a signer not in the seal; no output is left behind.
    let o = eseal(
        &d,
        &[
            "sign-data",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "nope",
            "contract.txt",
            "-o",
            "x.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("wrong password"), "{}", text(&o));
    let o = eseal(
        &d,
        &[
            "sign-data",
            "--seal",
            "c.esl",
            "--cert",
            "maker.pem",
            "--key",
            "maker.key",
            "--password",
            "eseal-demo",
            "contract.txt",
            "-o",
            "x.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("x.ses").exists());
    // A key that does not match the certificate.
    let o = eseal(
        &d,
        &[
            "sign-data",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "maker.key",
            "--password",
            "eseal-demo",
            "contract.txt",
            "-o",
            "x.ses",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("does not match"), "{}", text(&o));
    // Not a picture.
    let o = eseal(
        &d,
        &[
            "seal",
            "make",
            "--maker-cert",
            "maker.pem",
            "--maker-key",
            "maker.key",
            "--password",
            "eseal-demo",
            "--signer-cert",
            "signer.pem",
            "--name",
            "x",
            "--image",
            "contract.txt",
            "-o",
            "y.esl",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("y.esl").exists());

    // sign-ofd: a second seal on the demo's sealed OFD keeps the first valid; after
    // --protect-all no further seal is accepted; the input is never overwritten.
    let o = eseal(
        &d,
        &[
            "sign-ofd",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "eseal-demo",
            "--x",
            "30",
            "--y",
            "150",
            "--protect-all",
            "contract-sealed.ofd",
            "-o",
            "twice.ofd",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = eseal(
        &d,
        &[
            "verify",
            "--trust",
            "root.pem",
            "--format",
            "json",
            "twice.ofd",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j[0]["kind"], "ofd");
    assert_eq!(j[0]["signatures"].as_array().unwrap().len(), 2);
    let o = eseal(
        &d,
        &[
            "sign-ofd",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "eseal-demo",
            "twice.ofd",
            "-o",
            "thrice.ofd",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(!d.join("thrice.ofd").exists());
    let before = std::fs::read(d.join("contract.ofd")).unwrap();
    let o = eseal(
        &d,
        &[
            "sign-ofd",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "eseal-demo",
            "contract.ofd",
            "-o",
            "contract.ofd",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(std::fs::read(d.join("contract.ofd")).unwrap(), before);

    // sign-pdf: a CMS seal on top of the demo's SES-sealed PDF keeps both valid; the input is
    // never overwritten; a wrong password leaves no output.
    let o = eseal(
        &d,
        &[
            "sign-pdf",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "eseal-demo",
            "--payload",
            "cms",
            "--x",
            "30",
            "--y",
            "150",
            "--reason",
            "approved",
            "contract-sealed.pdf",
            "-o",
            "twice.pdf",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let o = eseal(
        &d,
        &[
            "verify",
            "--trust",
            "root.pem",
            "--format",
            "json",
            "twice.pdf",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j[0]["kind"], "pdf");
    let formats: Vec<&str> = j[0]["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["ses-v4", "cms"]);
    let before = std::fs::read(d.join("contract.pdf")).unwrap();
    let o = eseal(
        &d,
        &[
            "sign-pdf",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "eseal-demo",
            "contract.pdf",
            "-o",
            "contract.pdf",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(std::fs::read(d.join("contract.pdf")).unwrap(), before);
    let o = eseal(
        &d,
        &[
            "sign-pdf",
            "--seal",
            "c.esl",
            "--cert",
            "signer.pem",
            "--key",
            "signer.key",
            "--password",
            "bad",
            "contract.pdf",
            "-o",
            "bad.pdf",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("bad.pdf").exists());
    // A byte changed in the signed part of the PDF: invalid.
    let mut bytes = std::fs::read(d.join("contract-sealed.pdf")).unwrap();
    let pos = bytes
        .windows(12)
        .position(|w| w == b"eseal demo c")
        .unwrap();
    bytes[pos] = b'E';
    std::fs::write(d.join("tampered.pdf"), &bytes).unwrap();
    let o = eseal(&d, &["verify", "--trust", "root.pem", "tampered.pdf"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let _ = std::fs::remove_dir_all(&dir);
}
