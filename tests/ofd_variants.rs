//! Layout and spelling variants real producers write: Signatures.xml at Doc_0/Signatures.xml,
//! relative BaseLoc and FileRef, default namespace and no namespace, SignedValue in another
//! Sign_N folder, CheckMethod spellings, SignatureDateTime formats, Type missing.

mod ofd_common;

use base64ct::{Base64, Encoding};
use eseal::ofd::{Package, VerifyOptions, verify_package};
use eseal::report::{Status, Verdict, ids};
use eseal::ses::{SignRequest, sign_hash};
use ofd_common::{TestPki, in_validity, samples};

fn b64sm3(d: &[u8]) -> String {
    Base64::encode_string(&eseal::crypto::sm3(d))
}

#[test]
fn producer_variants_verify() {
    let Some(dir) = samples() else { return };
    let pki = TestPki::load(&dir);
    let vopts = VerifyOptions {
        trust: pki.trust(),
        ..Default::default()
    };
    let doc = br#"<Document xmlns="http://www.ofdspec.org/2016"><CommonData><PageArea><PhysicalBox>0 0 210 297</PhysicalBox></PageArea></CommonData><Pages><Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></Pages></Document>"#.to_vec();
    let page = br#"<Page xmlns="http://www.ofdspec.org/2016"><Content/></Page>"#.to_vec();
    let variants: [(&str, &str, &str, &str, &str); 4] = [
        // (namespace open, prefix, CheckMethod, SignatureDateTime, Type attribute)
        (
            "xmlns:ofd=\"http://www.ofdspec.org/2016\"",
            "ofd:",
            "1.2.156.10197.1.401.2",
            "20210601080000Z",
            "",
        ),
        (
            "xmlns=\"http://www.ofdspec.org/2016\"",
            "",
            "SM3",
            "2021-06-01 08:00:00",
            " Type=\"Seal\"",
        ),
        (
            "",
            "",
            "1.2.156.10197.1.401",
            "2021-06-01T16:00:00+08:00",
            " Type=\"seal\"",
        ),
        (
            "xmlns:o=\"http://www.ofdspec.org/2016\"",
            "o:",
            "sm3",
            "20210601080000",
            "",
        ),
    ];
    for (i, (ns, p, method, date, ty)) in variants.iter().enumerate() {
        let ofd = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><{p}OFD {ns} DocType=\"OFD\" Version=\"1.1\"><{p}DocBody><{p}DocInfo><{p}DocID>x</{p}DocID></{p}DocInfo><{p}DocRoot>/Doc_0/Document.xml</{p}DocRoot><{p}Signatures>Doc_0/Signatures.xml</{p}Signatures></{p}DocBody></{p}OFD>"
        );
        let sigs = format!(
            "<{p}Signatures {ns}><{p}MaxSignId>1</{p}MaxSignId><{p}Signature ID=\"v{i}\"{ty} BaseLoc=\"Signs/Sign_0/Signature.xml\"/></{p}Signatures>"
        );
        // FileRefs relative to Signature.xml's folder; SignedValue kept in Sign_1.
        let sig_xml = format!(
            "<{p}Signature {ns}><{p}SignedInfo><{p}Provider ProviderName=\"t\"/><{p}SignatureMethod>1.2.156.10197.1.501</{p}SignatureMethod><{p}SignatureDateTime>{date}</{p}SignatureDateTime><{p}References CheckMethod=\"{method}\"><{p}Reference FileRef=\"../../../OFD.xml\"><{p}CheckValue>{}</{p}CheckValue></{p}Reference><{p}Reference FileRef=\"../../Document.xml\"><{p}CheckValue>\n  {}\n</{p}CheckValue></{p}Reference><{p}Reference FileRef=\"/Doc_0/Pages/Page_0/Content.xml\"><{p}CheckValue>{}</{p}CheckValue></{p}Reference><{p}Reference FileRef=\"/Doc_0/Signatures.xml\"><{p}CheckValue>{}</{p}CheckValue></{p}Reference></{p}References><{p}StampAnnot ID=\"1\" PageRef=\"1\" Boundary=\"10 10 40 40\"/></{p}SignedInfo><{p}SignedValue>../Sign_1/SignedValue.dat</{p}SignedValue></{p}Signature>",
            b64sm3(ofd.as_bytes()),
            b64sm3(&doc),
            b64sm3(&page),
            b64sm3(sigs.as_bytes()),
        );
        let prop = "/Doc_0/Signs/Sign_0/Signature.xml";
        let req = SignRequest::new(&pki.seal, &pki.user_cert, prop, in_validity());
        let value = sign_hash(&req, &eseal::crypto::sm3(sig_xml.as_bytes()), &pki.signer).unwrap();
        let entries = vec![
            ("OFD.xml".to_string(), ofd.into_bytes()),
            ("Doc_0/Document.xml".to_string(), doc.clone()),
            ("Doc_0/Pages/Page_0/Content.xml".to_string(), page.clone()),
            ("Doc_0/Signatures.xml".to_string(), sigs.into_bytes()),
            (
                "Doc_0/Signs/Sign_0/Signature.xml".to_string(),
                sig_xml.into_bytes(),
            ),
            (
                "Doc_0/Signs/Sign_1/SignedValue.dat".to_string(),
                value.raw_der().to_vec(),
            ),
        ];
        let pkg = Package::from_entries(entries).unwrap();
        let r = verify_package("variant", &pkg, &vopts);
        assert!(r.error.is_none(), "variant {i}: {:?}", r.error);
        assert_eq!(r.signatures.len(), 1, "variant {i}");
        let s = &r.signatures[0];
        assert_eq!(s.id, format!("v{i}"));
        for c in &s.checks {
            assert_ne!(
                c.status,
                Status::Fail,
                "variant {i}: {} {}",
                c.id,
                c.message
            );
        }
        assert_eq!(
            s.checks
                .iter()
                .find(|c| c.id == ids::REFERENCES)
                .unwrap()
                .status,
            Status::Pass
        );
        assert_eq!(r.verdict, Verdict::Valid, "variant {i}: {:#?}", r.to_json());
        // Signatures.xml is protected here: sealing again is refused.
        assert_eq!(
            eseal::ofd::verify::protected_signatures_xml(&pkg)
                .unwrap()
                .as_deref(),
            Some(format!("v{i}").as_str())
        );
    }
}
