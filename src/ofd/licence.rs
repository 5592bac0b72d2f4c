//! Electronic licence (电子证照) metadata in OFD documents (GB/T 36901–36905; GB/T 36903
//! defines the metadata: licence identifier, number, type, holder, issuing authority, issue
//! date, validity).
//!
//! Producers store the metadata in two places, both read here:
//! - `OFD.xml` DocInfo/CustomDatas, one `<CustomData Name="证照编号">…</CustomData>` per field
//!   (GB/T 33190-2016 §7.4 CT_DocInfo);
//! - a custom tag file: Document.xml `<CustomTags>` → CustomTags.xml → `<CustomTag><FileLoc>`
//!   → an XML file whose elements carry the fields (GB/T 33190-2016 §16 "自定义标引").
//!
//! Field names are matched in Chinese and English spellings, ignoring case, `_`, `-` and
//! spaces. A document counts as a licence when at least two fields are found. The verifier
//! (see [`super::verify`]) then states whether every file holding the metadata is protected by
//! a valid seal: a licence whose metadata is not protected is not valid.

use super::package::{self, Package};
use super::xml;

/// Licence metadata found in a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Licence {
    /// The fields, by canonical name (`number`, `type`, `holder`, `holder_id`, `issuer`,
    /// `issuer_code`, `issue_date`, `valid_from`, `valid_to`, `licence_id`).
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The package files that hold the fields (normalised paths).
    pub files: Vec<String>,
}

const FIELDS: &[(&str, &[&str])] = &[
    (
        "licence_id",
        &[
            "证照唯一标识",
            "certificateidentifier",
            "certificateid",
            "证照标识",
            "licenceid",
            "licenseid",
            "zzbs",
        ],
    ),
    (
        "number",
        &[
            "certificatenumber",
            "certificateno",
            "证照号",
            "证照编号",
            "证照号码",
            "证件编号",
            "证书编号",
            "licencenumber",
            "licensenumber",
            "licenceno",
            "licenseno",
            "zzbh",
        ],
    ),
    (
        "type",
        &[
            "证照种类",
            "certificatetypename",
            "certificatetype",
            "certificatename",
            "证照类型",
            "证照类型名称",
            "证照名称",
            "证照类型代码",
            "licencetype",
            "licensetype",
            "licencename",
            "licensename",
            "zzlx",
            "zzmc",
        ],
    ),
    (
        "holder",
        &[
            "持有人",
            "certificateholder",
            "certificateholdername",
            "持证主体",
            "持证者",
            "持证人",
            "持证主体名称",
            "holder",
            "holdername",
            "licenceholder",
            "licenseholder",
            "czzt",
        ],
    ),
    (
        "holder_id",
        &[
            "持证主体身份代码",
            "certificateholdercode",
            "certificateholderid",
            "持证主体代码",
            "持证主体标识",
            "持证者代码",
            "持证主体证件号码",
            "holderid",
            "holdercode",
            "czztdm",
        ],
    ),
    (
        "issuer",
        &[
            "颁证单位",
            "证照颁发机构",
            "颁发单位",
            "certificateissuingauthorityname",
            "certificateissuingauthority",
            "issuingauthorityname",
            "发证机构",
            "颁发机构",
            "发证单位",
            "签发机构",
            "issuer",
            "issuingauthority",
            "issueorg",
            "fzjg",
        ],
    ),
    (
        "issuer_code",
        &[
            "颁证单位代码",
            "证照颁发机构代码",
            "certificateissuingauthoritycode",
            "发证机构代码",
            "颁发机构代码",
            "issuercode",
            "fzjgdm",
        ],
    ),
    (
        "issue_date",
        &[
            "颁证日期",
            "证照颁发日期",
            "发证时间",
            "certificateissueddate",
            "issueddate",
            "发证日期",
            "颁发日期",
            "签发日期",
            "issuedate",
            "fzrq",
        ],
    ),
    (
        "valid_from",
        &[
            "证照有效期起始日期",
            "有效期开始",
            "certificateeffectivedate",
            "effectivedate",
            "有效期起始日期",
            "有效期开始日期",
            "有效期起始",
            "有效起始日期",
            "validfrom",
            "validstart",
            "yxqqsrq",
        ],
    ),
    (
        "valid_to",
        &[
            "证照有效期截止日期",
            "有效期结束",
            "certificateexpiringdate",
            "expiringdate",
            "expirydate",
            "有效期截止日期",
            "有效期结束日期",
            "有效期截止",
            "有效期至",
            "validto",
            "validuntil",
            "validend",
            "yxqjzrq",
        ],
    ),
];

fn canonical(name: &str) -> Option<&'static str> {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    FIELDS
        .iter()
        .find(|(_, aliases)| aliases.contains(&n.as_str()))
        .map(|(k, _)| *k)
}

fn add(fields: &mut serde_json::Map<String, serde_json::Value>, name: &str, value: &str) -> bool {
    let value = value.trim();
    match canonical(name) {
        Some(k) if !value.is_empty() => {
            match fields.get(k) {
                None => {
                    fields.insert(k.to_string(), serde_json::Value::from(value));
                }
                Some(v) if v.as_str() == Some(value) => {}
                Some(_) => {
                    // Two sources disagree: keep the first, record the other.
                    let c = fields
                        .entry("conflicts")
                        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
                    if let Some(a) = c.as_array_mut() {
                        a.push(serde_json::json!({ "field": k, "value": value }));
                    }
                }
            }
            true
        }
        _ => false,
    }
}

/// Extracts licence metadata from the package, or `None` when the document carries none.
/// Unreadable custom tag files are ignored (they cannot hold metadata we could trust).
pub fn extract(pkg: &Package, ofd: &xml::OfdXml) -> Option<Licence> {
    let mut lic = Licence::default();
    for body in &ofd.bodies {
        let mut found = false;
        for (n, v) in &body.custom_datas {
            found |= add(&mut lic.fields, n, v);
        }
        if found && !lic.files.iter().any(|f| f == "OFD.xml") {
            lic.files.push("OFD.xml".into());
        }
        let Some(root) = &body.doc_root else { continue };
        let Ok(doc_path) = package::resolve_in(pkg, "OFD.xml", root) else {
            continue;
        };
        let Some(doc_bytes) = pkg.get(&doc_path) else {
            continue;
        };
        let Ok(doc) = xml::parse(&doc_path, doc_bytes) else {
            continue;
        };
        let Some(tags_loc) = xml::child_text(doc.root_element(), "CustomTags") else {
            continue;
        };
        let Ok(tags_path) = package::resolve_in(pkg, &doc_path, &tags_loc) else {
            continue;
        };
        let Some(tags_bytes) = pkg.get(&tags_path) else {
            continue;
        };
        let Ok(tags) = xml::parse(&tags_path, tags_bytes) else {
            continue;
        };
        for tag in xml::children(tags.root_element(), "CustomTag") {
            let Some(loc) = xml::child_text(tag, "FileLoc") else {
                continue;
            };
            let Ok(tag_path) = package::resolve_in(pkg, &tags_path, &loc) else {
                continue;
            };
            let Some(tag_bytes) = pkg.get(&tag_path) else {
                continue;
            };
            let Ok(tag_doc) = xml::parse(&tag_path, tag_bytes) else {
                continue;
            };
            let mut found = false;
            for node in tag_doc.descendants().filter(|n| n.is_element()) {
                // Leaf elements named after a field, or <Item Name="field">value</Item>.
                let text: String = node
                    .children()
                    .filter(|c| c.is_text())
                    .filter_map(|c| c.text())
                    .collect();
                if node.children().any(|c| c.is_element()) {
                    continue;
                }
                found |= add(&mut lic.fields, node.tag_name().name(), &text);
                if let Some(n) = xml::attr(node, "Name") {
                    found |= add(&mut lic.fields, n, &text);
                }
            }
            if found {
                for f in [&tags_path, &tag_path] {
                    if !lic.files.contains(f) {
                        lic.files.push(f.clone());
                    }
                }
            }
        }
    }
    if lic.fields.len() >= 2 {
        Some(lic)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names() {
        assert_eq!(canonical("证照编号"), Some("number"));
        assert_eq!(canonical("License_Number"), Some("number"));
        assert_eq!(canonical("发票代码"), None);
        assert_eq!(canonical("CertificateHolderName"), Some("holder"));
        assert_eq!(canonical("颁证单位"), Some("issuer"));
        assert_eq!(canonical("CertificateExpiringDate"), Some("valid_to"));
    }

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
