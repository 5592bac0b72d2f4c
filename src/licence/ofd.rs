//! Licence metadata in an OFD package (GB/T 33190-2016): DocInfo CustomDatas (§7.4), custom
//! tag files (§16, Document.xml `<CustomTags>` → CustomTags.xml → `<CustomTag><FileLoc>`),
//! and the text of the pages (`TextObject`/`TextCode`, §11).
//!
//! A custom tag file may hold values (`<证照编号>…</证照编号>`, or `<Item Name="证照编号">…`), and
//! may bind an item to a text object on a page: an element with an `ObjectRef PageRef="page
//! ID"` child holding the object's ID. The bound item is the metadata of the same name (from
//! CustomDatas or the element's own value), or — as one vendor writes (`标引节点名称_N` in the
//! tag file for `元数据名称_N` in CustomDatas) — the CustomData with the same `_N` suffix.
//! Identifiers shown on pages (`1.2.156.3005.2.…`) are read from the page text.

use super::{Binding, Metadata, SealEvidence, Source};
use crate::ofd::package::{self, Package};
use crate::ofd::xml;
use std::collections::HashMap;

/// Text objects of a page: object ID → text.
type PageText = HashMap<String, String>;

/// The pages of a document: (page ID, content file, texts).
fn pages(
    pkg: &Package,
    doc_path: &str,
    doc: &roxmltree::Document<'_>,
) -> Vec<(String, String, PageText)> {
    let mut out = Vec::new();
    let Some(pages) = xml::child(doc.root_element(), "Pages") else {
        return out;
    };
    for p in xml::children(pages, "Page") {
        let id = xml::attr(p, "ID").unwrap_or("").trim().to_string();
        let Some(loc) = xml::attr(p, "BaseLoc") else {
            continue;
        };
        let Ok(path) = package::resolve_in(pkg, doc_path, loc) else {
            continue;
        };
        let Some(bytes) = pkg.get(&path) else {
            continue;
        };
        let Ok(content) = xml::parse(&path, bytes) else {
            continue;
        };
        let mut texts = PageText::new();
        for t in content
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "TextObject")
        {
            let text: String = t
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == "TextCode")
                .map(|c| c.text().unwrap_or(""))
                .collect();
            if let Some(oid) = xml::attr(t, "ID") {
                texts.insert(oid.trim().to_string(), text);
            }
        }
        out.push((id, path, texts));
    }
    out
}

fn suffix_number(name: &str) -> Option<&str> {
    let (_, n) = name.rsplit_once('_')?;
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())).then_some(n)
}

/// Reads the licence metadata of an OFD package (every DocBody).
pub fn read(pkg: &Package, ofd: &xml::OfdXml) -> Metadata {
    let mut md = Metadata::default();
    for body in &ofd.bodies {
        for (n, v) in &body.custom_datas {
            md.add(n, v, Source::CustomData, "OFD.xml");
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
        let pages = pages(pkg, &doc_path, &doc);
        // Custom tags.
        let tag_files = (|| {
            let loc = xml::child_text(doc.root_element(), "CustomTags")?;
            let tags_path = package::resolve_in(pkg, &doc_path, &loc).ok()?;
            let tags = xml::parse(&tags_path, pkg.get(&tags_path)?).ok()?;
            let files: Vec<String> = xml::children(tags.root_element(), "CustomTag")
                .filter_map(|t| xml::child_text(t, "FileLoc"))
                .filter_map(|l| package::resolve_in(pkg, &tags_path, &l).ok())
                .collect();
            Some((tags_path, files))
        })();
        if let Some((tags_path, files)) = tag_files {
            for tag_path in files {
                let Some(bytes) = pkg.get(&tag_path) else {
                    continue;
                };
                let Ok(tag) = xml::parse(&tag_path, bytes) else {
                    continue;
                };
                let mut found = false;
                for node in tag.descendants().filter(|n| n.is_element()) {
                    let name = node.tag_name().name();
                    if name == "ObjectRef" {
                        continue;
                    }
                    let own: String = node
                        .children()
                        .filter(|c| c.is_text())
                        .filter_map(|c| c.text())
                        .collect();
                    let own = own.trim().to_string();
                    let own = if own.is_empty() {
                        xml::attr(node, "Value").unwrap_or("").trim().to_string()
                    } else {
                        own
                    };
                    let key = xml::attr(node, "Name").unwrap_or(name).to_string();
                    if !own.is_empty() && md.add(&key, &own, Source::CustomTag, &tag_path) {
                        found = true;
                    }
                    // Binding to page text.
                    let Some(oref) = xml::child(node, "ObjectRef") else {
                        continue;
                    };
                    let page_id = xml::attr(oref, "PageRef").unwrap_or("").trim();
                    let object_id = oref.text().unwrap_or("").trim().to_string();
                    let bound = if !own.is_empty() {
                        Some((key.clone(), own.clone()))
                    } else {
                        let same = body.custom_datas.iter().find(|(n, _)| *n == key);
                        let by_suffix = || {
                            let n = suffix_number(&key)?;
                            let mut it = body
                                .custom_datas
                                .iter()
                                .filter(|(c, _)| suffix_number(c) == Some(n));
                            let first = it.next()?;
                            it.next().is_none().then_some(first)
                        };
                        same.or_else(by_suffix).map(|(n, v)| (n.clone(), v.clone()))
                    };
                    let Some((bkey, value)) = bound else { continue };
                    found = true;
                    if body.custom_datas.iter().any(|(n, _)| *n == bkey) {
                        md.add_file("OFD.xml");
                    }
                    let page = pages.iter().find(|(id, _, _)| id == page_id);
                    let (page_file, page_text) = match page {
                        Some((_, f, texts)) => (f.clone(), texts.get(&object_id).cloned()),
                        None => (format!("page {page_id} (not in Document.xml)"), None),
                    };
                    if page.is_some() {
                        md.add_file(&page_file);
                    }
                    md.bindings.push(Binding {
                        key: bkey,
                        value,
                        page_file,
                        object_id,
                        page_text,
                    });
                }
                if found {
                    // CustomTags.xml before the tag file it names.
                    if !md.files.contains(&tags_path) {
                        let at = md
                            .files
                            .iter()
                            .position(|f| *f == tag_path)
                            .unwrap_or(md.files.len());
                        md.files.insert(at, tags_path.clone());
                    }
                    md.add_file(&tag_path);
                }
            }
        }
        // Identifiers shown on pages.
        for (_, file, texts) in &pages {
            let mut ids: Vec<(&String, &String)> = texts.iter().collect();
            ids.sort();
            let all: String = ids
                .iter()
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join("\n");
            for id in super::identifier::find_in_text(&all) {
                if !md.page_identifiers.iter().any(|(p, _)| *p == id) {
                    md.page_identifiers.push((id, file.clone()));
                }
            }
        }
    }
    // An identifier only on the page: it is the licence's identifier, read from page text.
    if let Some(file) = md.identifier_from_page() {
        md.add_file(&file);
    }
    md
}

/// The signer certificates of the package's seal signatures, by signature ID (unreadable ones
/// left out).
pub fn signer_certificates(
    pkg: &Package,
    ofd: &xml::OfdXml,
) -> HashMap<String, crate::pki::Certificate> {
    let mut out = HashMap::new();
    let Ok(files) = crate::ofd::verify::signatures_files(pkg, ofd) else {
        return out;
    };
    for sigs_path in files {
        let Ok(list) =
            xml::parse_signatures_xml(&sigs_path, pkg.get(&sigs_path).unwrap_or_default())
        else {
            continue;
        };
        for e in &list.signatures {
            let cert = (|| {
                let sig_path = package::resolve_in(pkg, &sigs_path, &e.base_loc).ok()?;
                let sx = xml::parse_signature_xml(&sig_path, pkg.get(&sig_path)?).ok()?;
                let v = package::resolve_in(pkg, &sig_path, sx.signed_value.as_deref()?).ok()?;
                let ses = crate::ses::SesSignature::from_der(pkg.get(&v)?).ok()?;
                crate::pki::Certificate::from_der(&ses.cert).ok()
            })();
            if let Some(c) = cert {
                out.insert(e.id.clone(), c);
            }
        }
    }
    out
}

/// Runs the licence checks on an OFD whose signatures were verified: `seals` pairs each
/// signature report with the files its References cover. Returns `None` when the document is
/// not a licence.
pub fn check(
    pkg: &Package,
    ofd: &xml::OfdXml,
    seals: &[(&crate::report::SignatureReport, &[String])],
    at: crate::pki::Time,
) -> Option<(Vec<crate::report::Check>, serde_json::Value)> {
    let md = read(pkg, ofd);
    if !md.is_licence() {
        return None;
    }
    let certs = signer_certificates(pkg, ofd);
    let evidence: Vec<SealEvidence> = seals
        .iter()
        .map(|(sr, covers)| SealEvidence {
            id: sr.id.clone(),
            verdict: sr.verdict,
            is_seal: sr.format.starts_with("ses"),
            covers: covers.to_vec(),
            signer: certs.get(&sr.id).cloned(),
        })
        .collect();
    Some(super::evaluate(&md, &evidence, &super::Evaluation { at }))
}
