//! The OFD XML files that matter for signatures: `OFD.xml` (GB/T 33190-2016 §7.4, DocBody and
//! its `Signatures` entry), `Signatures.xml` (§18.1, the list of signatures) and each
//! `Signature.xml` (§18.2: SignedInfo with Provider, SignatureMethod, SignatureDateTime,
//! References, StampAnnot, Seal; and SignedValue).
//!
//! Elements are matched by local name in any namespace, so `ofd:`-prefixed, default-namespace
//! and namespace-less files all read the same. The XML is only read, never re-serialised:
//! hashes are always taken over the exact bytes of the package entries. DTDs are refused (no
//! entity expansion).

use crate::error::{Error, ErrorKind, Result};
use crate::pki::time::Time;

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedOfd, msg)
}

/// Parses XML bytes (UTF-8, with or without a BOM) into a document.
pub fn parse<'a>(name: &str, bytes: &'a [u8]) -> Result<roxmltree::Document<'a>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text =
        std::str::from_utf8(bytes).map_err(|_| malformed(format!("{name} is not UTF-8 text")))?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, opts)
        .map_err(|e| malformed(format!("{name} is not well-formed XML: {e}")))
}

/// The first child element of `node` with local name `name`.
pub fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// All child elements of `node` with local name `name`.
pub fn children<'a, 'i: 'a>(
    node: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The trimmed text of the first child element named `name`, if not empty.
pub fn child_text(node: roxmltree::Node<'_, '_>, name: &str) -> Option<String> {
    child(node, name)
        .and_then(|c| c.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// An attribute by local name, whatever its namespace.
pub fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// The parts of `OFD.xml` the signature code needs (one entry per DocBody).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfdXml {
    /// One per DocBody.
    pub bodies: Vec<DocBody>,
}

/// One DocBody of `OFD.xml`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DocBody {
    /// DocRoot (Document.xml location), as written.
    pub doc_root: Option<String>,
    /// Signatures (Signatures.xml location), as written.
    pub signatures: Option<String>,
    /// DocInfo/CustomDatas: (Name, text) pairs in order.
    pub custom_datas: Vec<(String, String)>,
    /// Versions/Version BaseLoc values (GB/T 33190-2016 §19), as written.
    pub versions: Vec<String>,
}

/// Parses `OFD.xml`.
pub fn parse_ofd_xml(bytes: &[u8]) -> Result<OfdXml> {
    let doc = parse("OFD.xml", bytes)?;
    let root = doc.root_element();
    if root.tag_name().name() != "OFD" {
        return Err(malformed(format!(
            "OFD.xml root element is <{}>, not <OFD>",
            root.tag_name().name()
        )));
    }
    let mut out = OfdXml::default();
    for body in children(root, "DocBody") {
        let mut b = DocBody {
            doc_root: child_text(body, "DocRoot"),
            signatures: child_text(body, "Signatures"),
            custom_datas: Vec::new(),
            versions: child(body, "Versions")
                .map(|v| {
                    children(v, "Version")
                        .filter_map(|x| attr(x, "BaseLoc"))
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        };
        if let Some(info) = child(body, "DocInfo")
            && let Some(cds) = child(info, "CustomDatas")
        {
            for cd in children(cds, "CustomData") {
                let name = attr(cd, "Name").unwrap_or("").trim().to_string();
                let value = cd.text().unwrap_or("").trim().to_string();
                b.custom_datas.push((name, value));
            }
        }
        out.bodies.push(b);
    }
    if out.bodies.is_empty() {
        return Err(malformed("OFD.xml has no DocBody"));
    }
    Ok(out)
}

/// The kind of a signature (Signatures.xml `Type`, GB/T 33190-2016 §18.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureType {
    /// `Seal`: an electronic seal (SES_Signature). Also the default when `Type` is missing.
    Seal,
    /// `Sign`: a plain digital signature (CMS / GM/T 0010, or a bare SM2 signature).
    Sign,
}

/// One `<Signature>` entry of Signatures.xml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureEntry {
    /// `ID` attribute.
    pub id: String,
    /// `Type` attribute (missing ⇒ Seal).
    pub kind: SignatureType,
    /// `BaseLoc` as written.
    pub base_loc: String,
}

/// Signatures.xml.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignaturesXml {
    /// `MaxSignId` as written, if present.
    pub max_sign_id: Option<String>,
    /// The signatures, in document order.
    pub signatures: Vec<SignatureEntry>,
}

/// Parses Signatures.xml.
pub fn parse_signatures_xml(name: &str, bytes: &[u8]) -> Result<SignaturesXml> {
    let doc = parse(name, bytes)?;
    let root = doc.root_element();
    if root.tag_name().name() != "Signatures" {
        return Err(malformed(format!(
            "{name}: root element is <{}>, not <Signatures>",
            root.tag_name().name()
        )));
    }
    let mut out = SignaturesXml {
        max_sign_id: child_text(root, "MaxSignId"),
        signatures: Vec::new(),
    };
    for (i, s) in children(root, "Signature").enumerate() {
        let base_loc = attr(s, "BaseLoc")
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| malformed(format!("{name}: signature #{} has no BaseLoc", i + 1)))?;
        let kind = match attr(s, "Type").map(str::trim) {
            None | Some("") => SignatureType::Seal,
            Some(t) if t.eq_ignore_ascii_case("seal") => SignatureType::Seal,
            Some(t) if t.eq_ignore_ascii_case("sign") => SignatureType::Sign,
            Some(t) => {
                return Err(malformed(format!(
                    "{name}: signature #{} has unknown Type {t:?}",
                    i + 1
                )));
            }
        };
        out.signatures.push(SignatureEntry {
            id: attr(s, "ID").unwrap_or("").trim().to_string(),
            kind,
            base_loc: base_loc.to_string(),
        });
    }
    Ok(out)
}

/// The digest algorithm named by a `CheckMethod` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckMethod {
    /// SM3 (the OID 1.2.156.10197.1.401 and its variants, or `SM3`).
    Sm3,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

impl CheckMethod {
    /// Recognises a CheckMethod token; a missing one means SM3 (the default of GB/T 33190).
    pub fn parse(token: Option<&str>) -> Option<CheckMethod> {
        let t = match token.map(str::trim) {
            None | Some("") => return Some(CheckMethod::Sm3),
            Some(t) => t.to_ascii_lowercase(),
        };
        let t = t.strip_prefix("urn:oid:").unwrap_or(&t);
        if t == "sm3"
            || t.strip_prefix(crate::oid::SM3)
                .is_some_and(|arcs| arcs.is_empty() || arcs.starts_with('.'))
            || t == "sm3withsm2"
        {
            return Some(CheckMethod::Sm3);
        }
        match t {
            "sha1" | "sha-1" | crate::oid::ID_SHA1 => Some(CheckMethod::Sha1),
            "sha256" | "sha-256" | crate::oid::ID_SHA256 => Some(CheckMethod::Sha256),
            _ => None,
        }
    }

    /// The digest of `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        use sha2::Digest;
        match self {
            CheckMethod::Sm3 => crate::crypto::sm3(data).to_vec(),
            CheckMethod::Sha1 => sha1::Sha1::digest(data).to_vec(),
            CheckMethod::Sha256 => sha2::Sha256::digest(data).to_vec(),
        }
    }

    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            CheckMethod::Sm3 => "SM3",
            CheckMethod::Sha1 => "SHA-1",
            CheckMethod::Sha256 => "SHA-256",
        }
    }
}

/// One `<Reference>`: a protected file and its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// `FileRef` as written.
    pub file_ref: String,
    /// `CheckValue` text (base64), trimmed.
    pub check_value: String,
}

/// One `<StampAnnot>`: where the seal appears.
#[derive(Debug, Clone, PartialEq)]
pub struct StampAnnot {
    /// `ID`.
    pub id: String,
    /// `PageRef` (the page's ID in Document.xml).
    pub page_ref: String,
    /// `Boundary` x y w h in millimetres, if parseable.
    pub boundary: Option<[f64; 4]>,
}

/// Signature.xml (GB/T 33190-2016 §18.2).
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureXml {
    /// Provider/@ProviderName.
    pub provider: Option<String>,
    /// SignatureMethod text (an OID or a name).
    pub signature_method: Option<String>,
    /// SignatureDateTime text as written.
    pub signature_date_time: Option<String>,
    /// References/@CheckMethod as written.
    pub check_method: Option<String>,
    /// The References.
    pub references: Vec<Reference>,
    /// The StampAnnots.
    pub stamp_annots: Vec<StampAnnot>,
    /// Seal/BaseLoc (Seal.esl) as written.
    pub seal_loc: Option<String>,
    /// SignedValue (location of SignedValue.dat) as written.
    pub signed_value: Option<String>,
}

/// Parses a Signature.xml.
pub fn parse_signature_xml(name: &str, bytes: &[u8]) -> Result<SignatureXml> {
    let doc = parse(name, bytes)?;
    let root = doc.root_element();
    if root.tag_name().name() != "Signature" {
        return Err(malformed(format!(
            "{name}: root element is <{}>, not <Signature>",
            root.tag_name().name()
        )));
    }
    let info =
        child(root, "SignedInfo").ok_or_else(|| malformed(format!("{name}: no SignedInfo")))?;
    let refs = child(info, "References");
    let mut references = Vec::new();
    if let Some(refs) = refs {
        for r in children(refs, "Reference") {
            let file_ref = attr(r, "FileRef")
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .ok_or_else(|| malformed(format!("{name}: a Reference has no FileRef")))?;
            let check_value = child(r, "CheckValue")
                .and_then(|c| c.text())
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            references.push(Reference {
                file_ref: file_ref.to_string(),
                check_value,
            });
        }
    }
    let stamp_annots = children(info, "StampAnnot")
        .map(|s| StampAnnot {
            id: attr(s, "ID").unwrap_or("").to_string(),
            page_ref: attr(s, "PageRef").unwrap_or("").trim().to_string(),
            boundary: attr(s, "Boundary").and_then(parse_box),
        })
        .collect();
    Ok(SignatureXml {
        provider: child(info, "Provider")
            .and_then(|p| attr(p, "ProviderName"))
            .map(str::to_string),
        signature_method: child_text(info, "SignatureMethod"),
        signature_date_time: child_text(info, "SignatureDateTime"),
        check_method: refs
            .and_then(|r| attr(r, "CheckMethod"))
            .map(str::to_string),
        references,
        stamp_annots,
        seal_loc: child(info, "Seal").and_then(|s| child_text(s, "BaseLoc")),
        signed_value: child_text(root, "SignedValue"),
    })
}

/// Parses an ST_Box `x y w h`.
pub fn parse_box(s: &str) -> Option<[f64; 4]> {
    let v: Vec<f64> = s
        .split_whitespace()
        .map(|p| p.parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    if v.len() == 4 && v.iter().all(|x| x.is_finite()) {
        Some([v[0], v[1], v[2], v[3]])
    } else {
        None
    }
}

/// Offset of China Standard Time, the zone of SignatureDateTime values written without one.
pub const CHINA_OFFSET_SECONDS: i64 = 8 * 3600;

/// Parses a SignatureDateTime in the forms seen in real files: `20200125073156Z`,
/// `20201004072855.302Z`, RFC 3339 (`2020-01-25T07:31:56+08:00`), and without a zone
/// `20201010151120`, `2020-01-25 07:31:56`, `2020-01-25`.
///
/// A value without a zone is Beijing time (UTC+8): every zone-less sample (ofdrw, the tax
/// seal system) is exactly 8 hours ahead of the UTC timeInfo in its SES_Signature.
pub fn parse_date_time(s: &str) -> Result<Time> {
    let t = s.trim();
    let zoned = t
        .get(10..)
        .is_some_and(|rest| rest.contains(['Z', 'z', '+', '-']));
    let parsed = if t.len() >= 10 && t.as_bytes().get(4) == Some(&b'-') {
        Time::parse_rfc3339(t)?
    } else if t.len() == 12 || t.len() == 13 && t.ends_with(['Z', 'z']) {
        // YYMMDDHHMMSS[Z]: UTCTime
        Time::parse_utc_time(t)?
    } else {
        Time::parse_generalized(t)?
    };
    if zoned || t.len() == 12 || t.len() == 13 {
        Ok(parsed)
    } else {
        Ok(Time(parsed.0 - CHINA_OFFSET_SECONDS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_methods() {
        for t in [
            "1.2.156.10197.1.401",
            "SM3",
            "sm3",
            "1.2.156.10197.1.401.2",
            "1.2.156.10197.1.401.1",
        ] {
            assert_eq!(CheckMethod::parse(Some(t)), Some(CheckMethod::Sm3), "{t}");
        }
        assert_eq!(CheckMethod::parse(None), Some(CheckMethod::Sm3));
        assert_eq!(
            CheckMethod::parse(Some("SHA-256")),
            Some(CheckMethod::Sha256)
        );
        assert_eq!(CheckMethod::parse(Some("MD5")), None);
    }

    #[test]
    fn dates() {
        let want = Time::from_civil(2020, 1, 25, 7, 31, 56).unwrap();
        for s in [
            "20200125073156Z",
            "20200125153156",
            "20200125073156.302Z",
            "2020-01-25 15:31:56",
            "2020-01-25T07:31:56Z",
            "2020-01-25T15:31:56+08:00",
            "2020-01-25T05:31:56-02:00",
            "200125073156Z",
        ] {
            assert_eq!(parse_date_time(s).unwrap(), want, "{s}");
        }
        assert_eq!(
            parse_date_time("2020-01-25").unwrap(),
            Time::from_civil(2020, 1, 24, 16, 0, 0).unwrap()
        );
        assert!(parse_date_time("yesterday").is_err());
    }

    #[test]
    fn namespaces() {
        let with = br#"<ofd:Signatures xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>"#;
        let default = br#"<Signatures xmlns="http://www.ofdspec.org/2016"><Signature ID="1" Type="Sign" BaseLoc="Sign_0/Signature.xml"/></Signatures>"#;
        let none =
            br#"<Signatures><Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></Signatures>"#;
        let a = parse_signatures_xml("a", with).unwrap();
        let b = parse_signatures_xml("b", default).unwrap();
        let c = parse_signatures_xml("c", none).unwrap();
        assert_eq!(a.signatures[0].kind, SignatureType::Seal);
        assert_eq!(b.signatures[0].kind, SignatureType::Sign);
        assert_eq!(c.signatures[0].base_loc, "Sign_0/Signature.xml");
        assert!(parse_signatures_xml("d", b"<!DOCTYPE x [<!ENTITY a 'b'>]><Signatures/>").is_err());
    }
}
