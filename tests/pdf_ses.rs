//! The `ses` payload: a GB/T 38540 SES_Signature over the ByteRange bytes, made with a seal
//! from `crate::ses` and verified completely (seal, signer, chains, dataHash) with a trust
//! store; then sealed again with CMS, both stay valid.

mod common;
mod pdf_util;

use common::*;
use eseal::pdf::sign::{PayloadKind, SealOptions, SealPicture, ses_contents_size};
use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use eseal::report::{Status, Verdict, ids};
use pdf_util::*;

#[test]
fn ses_seal_verifies_with_trust_store() {
    let pki = pki();
    let seal = pki
        .builder()
        .picture("PNG", red_seal_png(100), 42, 42)
        .build(&pki.maker.cert, &pki.maker.signer())
        .unwrap();
    let dir = tmpdir("ses");
    let input = dir.join("in.pdf");
    std::fs::write(&input, make_pdf(&Gen::default())).unwrap();
    let out = dir.join("ses.pdf");
    let opts = SealOptions {
        page: 1,
        x_mm: 100.0,
        y_mm: 150.0,
        picture: Some(SealPicture::from_seal(&seal)),
        payload: PayloadKind::Ses,
        contents_size: ses_contents_size(&seal, &pki.signer.cert),
        signing_time: t(SIGNING),
        name: Some("测试签章人".into()),
        ..SealOptions::default()
    };
    let p = eseal::pdf::prepare(&input, &out, &opts).unwrap();
    assert!(p.ses_property_info().starts_with("PDF /ByteRange [0 "));
    p.finish_ses(&seal, &pki.signer.cert, &pki.signer.signer())
        .unwrap();

    let vopts = VerifyOptions {
        trust: pki.store.clone(),
        now: Some(t(NOW)),
    };
    let r = verify_pdf(&out, &vopts);
    assert_eq!(r.signatures.len(), 1);
    let s = &r.signatures[0];
    assert_eq!(s.format, "ses-v4");
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r);
    for id in [
        ids::BYTE_RANGE,
        ids::DATA_HASH,
        ids::SIGNATURE,
        ids::SIGNER_IN_SEAL,
        ids::SEAL_SIGNATURE,
        ids::MODIFICATIONS,
        ids::SIGNER_CERT_CHAIN,
    ] {
        let c = s.checks.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.status, Status::Pass, "{id}: {c:?}");
    }
    assert_eq!(s.seal.as_ref().unwrap().name, "测试合同专用章");
    // Without the trust store: undecided, not invalid.
    let r = verify_pdf(
        &out,
        &VerifyOptions {
            now: Some(t(NOW)),
            ..VerifyOptions::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Indeterminate);

    // A CMS seal on top: both valid.
    let cms_signer = TestSigner {
        signer: pki.signer.signer(),
        cert: pki.signer.cert.clone(),
    };
    let out2 = dir.join("ses-cms.pdf");
    let mut o2 = cms_options(2, 20.0, 20.0);
    o2.signing_time = t(SIGNING);
    seal_cms(&out, &out2, &o2, &cms_signer).unwrap();
    let r = verify_pdf(&out2, &vopts);
    assert_eq!(r.signatures.len(), 2);
    assert_eq!(r.verdict, Verdict::Valid, "{:#?}", r);
    tool_checks(&out2, 2);
    py_checks(&[(out2.as_path(), 2, 1)]);

    // One byte of page content changed: the seal's dataHash fails.
    let mut bytes = std::fs::read(&out).unwrap();
    let pos = bytes.windows(6).position(|w| w == b"Page 1").unwrap();
    bytes[pos + 5] = b'9';
    let bad = dir.join("bad.pdf");
    std::fs::write(&bad, &bytes).unwrap();
    let r = verify_pdf(&bad, &vopts);
    assert_eq!(r.verdict, Verdict::Invalid);
    let c = r.signatures[0]
        .checks
        .iter()
        .find(|c| c.id == ids::DATA_HASH)
        .unwrap();
    assert_eq!(c.status, Status::Fail);
}
