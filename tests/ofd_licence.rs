//! Electronic licences: metadata in OFD.xml CustomDatas or a custom tag file is extracted into
//! `extra.licence`, and the `licence` check fails when a seal does not protect it.

mod ofd_common;

use eseal::ofd::sign::{SealOfdOptions, seal_ofd_bytes};
use eseal::ofd::{VerifyOptions, verify_ofd};
use eseal::report::{Status, Verdict};
use ofd_common::{TestPki, in_validity, samples};
use std::io::{Cursor, Read, Write};

fn rewrite(
    zip_bytes: &[u8],
    mut f: impl FnMut(&str, Vec<u8>) -> Vec<u8>,
    extra: &[(&str, &[u8])],
) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        if e.is_dir() {
            continue;
        }
        let name = e.name().unwrap().to_string();
        let mut d = Vec::new();
        e.read_to_end(&mut d).unwrap();
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(&f(&name, d)).unwrap();
    }
    for (n, d) in extra {
        w.start_file(*n, opts).unwrap();
        w.write_all(d).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const DATAS: &str = "<ofd:CustomDatas><ofd:CustomData Name=\"证照编号\">91330100MA27XL0G3K-001</ofd:CustomData><ofd:CustomData Name=\"证照类型\">营业执照</ofd:CustomData><ofd:CustomData Name=\"持证主体\">杭州某某科技有限公司</ofd:CustomData><ofd:CustomData Name=\"发证机构\">杭州市市场监督管理局</ofd:CustomData><ofd:CustomData Name=\"发证日期\">2024-05-20</ofd:CustomData><ofd:CustomData Name=\"有效期截止日期\">2044-05-19</ofd:CustomData></ofd:CustomDatas>";

#[test]
fn licence_metadata_and_protection() {
    let Some(dir) = samples() else { return };
    let pki = TestPki::load(&dir);
    let vopts = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    let plain = std::fs::read(dir.join("helloworld.ofd")).unwrap();
    // A licence: helloworld with licence CustomDatas in OFD.xml.
    let licence = rewrite(
        &plain,
        |n, d| {
            if n == "OFD.xml" {
                let s = String::from_utf8(d).unwrap();
                let s = s.replacen("</ofd:DocInfo>", &format!("{DATAS}</ofd:DocInfo>"), 1);
                assert!(s.contains("证照编号"), "helloworld's OFD.xml has a DocInfo");
                s.into_bytes()
            } else {
                d
            }
        },
        &[],
    );
    // Unsealed: metadata found, not protected → the licence check fails.
    let r = verify_ofd("lic", &licence, &VerifyOptions::default());
    let lic = &r.extra["licence"];
    assert_eq!(lic["number"], "91330100MA27XL0G3K-001");
    assert_eq!(lic["holder"], "杭州某某科技有限公司");
    assert_eq!(lic["issuer"], "杭州市市场监督管理局");
    assert_eq!(lic["valid_to"], "2044-05-19");
    assert_eq!(lic["protected"], false);
    assert_eq!(r.find_check("licence").unwrap().status, Status::Fail);
    assert_eq!(r.verdict, Verdict::Invalid);

    // Sealed: the metadata file (OFD.xml) is covered by the seal's References.
    let opts = SealOfdOptions {
        signing_time: Some(in_validity()),
        ..Default::default()
    };
    let sealed = seal_ofd_bytes(&licence, &opts, &pki.seal, &pki.user_cert, &pki.signer).unwrap();
    let r = verify_ofd("lic", &sealed, &vopts);
    assert_eq!(r.extra["licence"]["protected"], true);
    assert_eq!(r.extra["licence"]["files"][0], "OFD.xml");
    let c = r.find_check("licence").unwrap();
    assert_eq!(c.status, Status::Pass, "{}", c.message);
    assert_eq!(r.extra["licence"]["protected_by_valid_seal"], true);
    assert_eq!(r.verdict, Verdict::Valid);
    // Without the trust anchor the seal is undecided, and so is the licence.
    let r = verify_ofd("lic", &sealed, &VerifyOptions::default());
    assert_eq!(
        r.find_check("licence").unwrap().status,
        Status::Indeterminate
    );

    // The seal broken (a page changed after sealing): the licence is not valid.
    let broken = rewrite(
        &sealed,
        |n, mut d| {
            if n == "Doc_0/Pages/Page_0/Content.xml" {
                d.push(b' ');
            }
            d
        },
        &[],
    );
    let r = verify_ofd("lic", &broken, &vopts);
    let c = r.find_check("licence").unwrap();
    assert_eq!(c.status, Status::Fail, "{}", c.message);
    assert_eq!(r.extra["licence"]["protected_by_valid_seal"], false);

    // Metadata put in a custom tag file added after sealing: unprotected → fail.
    let tags_added = rewrite(
        &sealed,
        |n, d| {
            if n == "Doc_0/Document.xml" {
                String::from_utf8(d)
                    .unwrap()
                    .replacen(
                        "</ofd:CommonData>",
                        "</ofd:CommonData><ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>",
                        1,
                    )
                    .into_bytes()
            } else {
                d
            }
        },
        &[
            (
                "Doc_0/Tags/CustomTags.xml",
                b"<CustomTags><CustomTag><FileLoc>Licence.xml</FileLoc></CustomTag></CustomTags>",
            ),
            (
                "Doc_0/Tags/Licence.xml",
                "<Licence><LicenceNumber>X-9</LicenceNumber><Holder>Mallory</Holder></Licence>"
                    .as_bytes(),
            ),
        ],
    );
    let r = verify_ofd("lic", &tags_added, &vopts);
    assert_eq!(r.extra["licence"]["protected"], false);
    assert_eq!(r.extra["licence"]["conflicts"][0]["value"], "X-9");
    let c = r.find_check("licence").unwrap();
    assert_eq!(c.status, Status::Fail);
    assert!(
        c.message.contains("Doc_0/Tags/Licence.xml (not protected"),
        "{}",
        c.message
    );

    // Invoices are not licences.
    let r = eseal::ofd::verify_ofd_file(dir.join("v4signed.ofd"), &VerifyOptions::default());
    assert!(r.extra.get("licence").is_none());
    assert!(r.find_check("licence").is_none());
}
