//! Electronic licence (电子证照) metadata in OFD documents: the OFD side of
//! [`crate::licence`], kept for callers of the first release.
//!
//! [`extract`] reads the metadata ([`crate::licence::ofd::read`]: DocInfo CustomDatas, custom
//! tag files, page text); [`check`] runs the licence checks for the OFD verifier.

use super::package::Package;
use super::xml;

pub use crate::licence::ofd::check;

/// Licence metadata found in a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Licence {
    /// The fields, by canonical name (see [`crate::licence::FIELDS`]); a second, different
    /// value of a field is listed under `conflicts`.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The package files that hold the fields (normalised paths).
    pub files: Vec<String>,
}

/// Extracts licence metadata from the package, or `None` when the document is not a licence.
pub fn extract(pkg: &Package, ofd: &xml::OfdXml) -> Option<Licence> {
    let md = crate::licence::ofd::read(pkg, ofd);
    md.is_licence().then(|| Licence {
        fields: md.flat(),
        files: md.files.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_datas_and_tags() {
        let ofd = r#"<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"><ofd:DocBody><ofd:DocInfo><ofd:CustomDatas><ofd:CustomData Name="证照编号">A-1</ofd:CustomData><ofd:CustomData Name="发证机构">某市市场监督管理局</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#;
        let doc = r#"<Document><CustomTags>Tags/CustomTags.xml</CustomTags></Document>"#;
        let tags =
            r#"<CustomTags><CustomTag><FileLoc>Licence.xml</FileLoc></CustomTag></CustomTags>"#;
        let tag = r#"<Licence><持证主体>张三</持证主体><有效期截止日期>2030-01-01</有效期截止日期></Licence>"#;
        let pkg = Package::from_entries([
            ("OFD.xml".to_string(), ofd.as_bytes().to_vec()),
            ("Doc_0/Document.xml".to_string(), doc.as_bytes().to_vec()),
            (
                "Doc_0/Tags/CustomTags.xml".to_string(),
                tags.as_bytes().to_vec(),
            ),
            (
                "Doc_0/Tags/Licence.xml".to_string(),
                tag.as_bytes().to_vec(),
            ),
        ])
        .unwrap();
        let parsed = xml::parse_ofd_xml(ofd.as_bytes()).unwrap();
        let lic = extract(&pkg, &parsed).unwrap();
        assert_eq!(lic.fields["number"], "A-1");
        assert_eq!(lic.fields["holder"], "张三");
        assert_eq!(lic.fields["valid_to"], "2030-01-01");
        assert_eq!(
            lic.files,
            vec![
                "OFD.xml",
                "Doc_0/Tags/CustomTags.xml",
                "Doc_0/Tags/Licence.xml"
            ]
        );
    }
}
