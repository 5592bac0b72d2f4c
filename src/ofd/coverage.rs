//! What a signature must protect: the files an OFD viewer uses to display the document, found
//! by walking the package as a viewer does (GB/T 33190-2016 §7.4 OFD.xml → DocBody/DocRoot,
//! §7.5 Document.xml: CommonData/TemplatePage, PublicRes, DocumentRes, Pages/Page,
//! Annotations, Attachments, CustomTags, Extensions; §7.9 resources: Fonts/FontFile,
//! MultiMedias/MediaFile, ColorSpaces/ICCProfile, with the resource file's `BaseLoc`; §7.7
//! pages and templates with their PageRes; §15 annotations; §16 custom tags; §19 versions;
//! §20 attachments; §18 the signature files).
//!
//! Each used file gets a [`Role`]; a file used twice keeps its most severe role. The
//! `unprotected_files` check then judges what no signature protects by what it could change
//! (DESIGN §4.3):
//!
//! | unprotected | status |
//! |---|---|
//! | nothing | pass |
//! | `OFD.xml`, when every DocRoot names a Document.xml the signatures protect | warn |
//! | files nothing uses; attachments, custom tags, extensions (not displayed) | warn |
//! | templates, resource files, fonts, images, multimedia, colour profiles, annotations, versions | indeterminate |
//! | the displayed Document.xml, a page's own content | fail |
//! | DocRoot names a document other than the one the signatures protect | fail |
//!
//! The signatures' own files (Signatures.xml, Signature.xml, SignedValue.dat, Seal.esl) and a
//! GM/T 0099 integrity-protection entry file with its signed value are not judged here.
//! Locations are resolved as a viewer would: relative to the referring file's folder, then from
//! the package root, then without regard to ASCII case (see [`package::resolve_used`]).

use std::collections::{BTreeMap, BTreeSet};

use super::package::{self, Package};
use super::xml;
use crate::report::{Check, Status};

/// What a file of the package is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Nothing the walk reaches uses the file.
    Unused,
    /// The package entry file `OFD.xml`.
    OfdXml,
    /// Attachment list (Attachments.xml).
    Attachments,
    /// An attached file.
    Attachment,
    /// Custom tag list (CustomTags.xml).
    CustomTags,
    /// A custom tag file or its schema.
    CustomTag,
    /// Extensions list or an extension's data.
    Extensions,
    /// A signature list, a Signature.xml, its signed value or seal file.
    Signature,
    /// A GM/T 0099 integrity-protection file (OFDEntries.xml, its signed value).
    Integrity,
    /// A version description file (DocVersion) or a file it lists.
    Version,
    /// Resource list (PublicRes, DocumentRes, PageRes).
    Resources,
    /// An ICC profile.
    ColorProfile,
    /// An embedded font file.
    Font,
    /// An image (MultiMedia Type="Image").
    Image,
    /// Other multimedia (audio, video).
    Multimedia,
    /// Annotation list (Annotations.xml).
    Annotations,
    /// A page's annotation file.
    Annotation,
    /// A template page's content.
    Template,
    /// A page's own content.
    Page,
    /// The document root Document.xml a DocRoot names.
    Document,
}

impl Role {
    /// The name used in reports (`extra.unprotected_file_roles`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Unused => "unused",
            Role::OfdXml => "ofd_xml",
            Role::Attachments => "attachments",
            Role::Attachment => "attachment",
            Role::CustomTags => "custom_tags",
            Role::CustomTag => "custom_tag",
            Role::Extensions => "extensions",
            Role::Signature => "signature",
            Role::Integrity => "integrity",
            Role::Version => "version",
            Role::Resources => "resources",
            Role::ColorProfile => "color_profile",
            Role::Font => "font",
            Role::Image => "image",
            Role::Multimedia => "multimedia",
            Role::Annotations => "annotations",
            Role::Annotation => "annotation",
            Role::Template => "template",
            Role::Page => "page",
            Role::Document => "document",
        }
    }

    /// The status of `unprotected_files` when a file of this role is unprotected (`OFD.xml`
    /// is judged with its DocRoot, see the module docs; signature files are not judged).
    pub fn status_if_unprotected(self) -> Status {
        match self {
            Role::Document | Role::Page => Status::Fail,
            Role::Template
            | Role::Resources
            | Role::Font
            | Role::Image
            | Role::Multimedia
            | Role::ColorProfile
            | Role::Annotations
            | Role::Annotation
            | Role::Version => Status::Indeterminate,
            Role::Signature | Role::Integrity => Status::Pass,
            Role::OfdXml
            | Role::Unused
            | Role::Attachments
            | Role::Attachment
            | Role::CustomTags
            | Role::CustomTag
            | Role::Extensions => Status::Warn,
        }
    }
}

/// One DocBody as the walk saw it.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// DocRoot resolved to a package file, if it names one.
    pub doc_root: Option<String>,
    /// DocRoot as written.
    pub doc_root_loc: Option<String>,
    /// Signatures.xml resolved, if named and present.
    pub signatures: Option<String>,
}

/// The files a viewer uses, each with its role.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    /// Used files (normalised names) and their most severe role.
    pub roles: BTreeMap<String, Role>,
    /// The DocBodies of OFD.xml, in order.
    pub bodies: Vec<Body>,
}

impl Walk {
    /// The role of `file` (Unused when nothing reaches it).
    pub fn role(&self, file: &str) -> Role {
        self.roles.get(file).copied().unwrap_or(Role::Unused)
    }

    fn mark(&mut self, file: &str, role: Role) {
        let e = self.roles.entry(file.to_string()).or_insert(role);
        if role > *e {
            *e = role;
        }
    }
}

/// Walks the package from OFD.xml as a viewer does (see the module docs). Files that do not
/// parse or locations that name no file are passed over: the walk records what is used, the
/// other checks judge what is broken.
pub fn walk(pkg: &Package, ofd: &xml::OfdXml) -> Walk {
    let mut w = Walk::default();
    w.mark("OFD.xml", Role::OfdXml);
    let mut seen = BTreeSet::new();
    for body in &ofd.bodies {
        let mut b = Body {
            doc_root_loc: body.doc_root.clone(),
            ..Body::default()
        };
        if let Some(loc) = &body.doc_root
            && let Some(doc) = package::resolve_used(pkg, "OFD.xml", loc)
        {
            w.mark(&doc, Role::Document);
            walk_document(pkg, &doc, &mut w, &mut seen);
            b.doc_root = Some(doc);
        }
        if let Some(loc) = &body.signatures
            && let Some(sigs) = package::resolve_used(pkg, "OFD.xml", loc)
        {
            walk_signatures(pkg, &sigs, &mut w);
            b.signatures = Some(sigs);
        }
        for loc in &body.versions {
            if let Some(v) = package::resolve_used(pkg, "OFD.xml", loc) {
                w.mark(&v, Role::Version);
                walk_version(pkg, &v, &mut w);
            }
        }
        w.bodies.push(b);
    }
    walk_integrity(pkg, &mut w);
    w
}

/// Resolves a location found in `referrer` and marks the file it names.
fn use_loc(pkg: &Package, w: &mut Walk, referrer: &str, loc: &str, role: Role) -> Option<String> {
    let p = package::resolve_used(pkg, referrer, loc)?;
    w.mark(&p, role);
    Some(p)
}

fn each_text<'a>(node: roxmltree::Node<'a, '_>, name: &'a str) -> Vec<String> {
    node.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn walk_document(pkg: &Package, doc_path: &str, w: &mut Walk, seen: &mut BTreeSet<String>) {
    if !seen.insert(doc_path.to_string()) {
        return;
    }
    let Some(bytes) = pkg.get(doc_path) else {
        return;
    };
    let Ok(doc) = xml::parse(doc_path, bytes) else {
        return;
    };
    let root = doc.root_element();
    if let Some(common) = xml::child(root, "CommonData") {
        for t in xml::children(common, "TemplatePage") {
            if let Some(loc) = xml::attr(t, "BaseLoc")
                && let Some(p) = use_loc(pkg, w, doc_path, loc, Role::Template)
            {
                walk_page(pkg, &p, w);
            }
        }
        for name in ["PublicRes", "DocumentRes"] {
            for r in xml::children(common, name) {
                if let Some(loc) = r.text()
                    && let Some(p) = use_loc(pkg, w, doc_path, loc, Role::Resources)
                {
                    walk_res(pkg, &p, w);
                }
            }
        }
    }
    if let Some(pages) = xml::child(root, "Pages") {
        for page in pages
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().name() == "Page")
        {
            if let Some(loc) = xml::attr(page, "BaseLoc")
                && let Some(p) = use_loc(pkg, w, doc_path, loc, Role::Page)
            {
                walk_page(pkg, &p, w);
            }
        }
    }
    if let Some(loc) = xml::child_text(root, "Annotations")
        && let Some(p) = use_loc(pkg, w, doc_path, &loc, Role::Annotations)
    {
        walk_list(pkg, &p, w, "FileLoc", Role::Annotation);
    }
    if let Some(loc) = xml::child_text(root, "Attachments")
        && let Some(p) = use_loc(pkg, w, doc_path, &loc, Role::Attachments)
    {
        walk_list(pkg, &p, w, "FileLoc", Role::Attachment);
    }
    if let Some(loc) = xml::child_text(root, "CustomTags")
        && let Some(p) = use_loc(pkg, w, doc_path, &loc, Role::CustomTags)
    {
        walk_list(pkg, &p, w, "FileLoc", Role::CustomTag);
        walk_list(pkg, &p, w, "SchemaLoc", Role::CustomTag);
    }
    if let Some(loc) = xml::child_text(root, "Extensions")
        && let Some(p) = use_loc(pkg, w, doc_path, &loc, Role::Extensions)
    {
        walk_list(pkg, &p, w, "ExtendData", Role::Extensions);
    }
}

/// Marks every location held in a `name` element of the list file `list` with `role`.
fn walk_list(pkg: &Package, list: &str, w: &mut Walk, name: &str, role: Role) {
    let Some(bytes) = pkg.get(list) else { return };
    let Ok(doc) = xml::parse(list, bytes) else {
        return;
    };
    for loc in each_text(doc.root_element(), name) {
        use_loc(pkg, w, list, &loc, role);
    }
}

/// A page or template: its PageRes resource files.
fn walk_page(pkg: &Package, page: &str, w: &mut Walk) {
    let Some(bytes) = pkg.get(page) else { return };
    let Ok(doc) = xml::parse(page, bytes) else {
        return;
    };
    for r in xml::children(doc.root_element(), "PageRes") {
        if let Some(loc) = r.text()
            && let Some(p) = use_loc(pkg, w, page, loc, Role::Resources)
        {
            walk_res(pkg, &p, w);
        }
    }
}

/// A resource file (GB/T 33190 §7.9): font files, media files and ICC profiles, relative to
/// the file's `BaseLoc` folder.
fn walk_res(pkg: &Package, res: &str, w: &mut Walk) {
    let Some(bytes) = pkg.get(res) else { return };
    let Ok(doc) = xml::parse(res, bytes) else {
        return;
    };
    let root = doc.root_element();
    // A file path inside the BaseLoc folder, used as the referrer for the resources' locations.
    let base_ref = xml::attr(root, "BaseLoc")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .and_then(|b| package::resolve(res, &format!("{b}/_")).ok())
        .unwrap_or_else(|| res.to_string());
    let mut used = |loc: &str, role: Role| {
        if package::resolve_used(pkg, &base_ref, loc).is_some() {
            use_loc(pkg, w, &base_ref, loc, role);
        } else {
            use_loc(pkg, w, res, loc, role);
        }
    };
    for n in root.descendants().filter(|n| n.is_element()) {
        match n.tag_name().name() {
            "FontFile" => {
                if let Some(t) = n.text() {
                    used(t, Role::Font);
                }
            }
            "MediaFile" => {
                let image = n
                    .parent_element()
                    .and_then(|m| xml::attr(m, "Type"))
                    .is_none_or(|t| t.trim().eq_ignore_ascii_case("image"));
                if let Some(t) = n.text() {
                    used(t, if image { Role::Image } else { Role::Multimedia });
                }
            }
            "ColorSpace" => {
                if let Some(t) = xml::attr(n, "Profile") {
                    used(t, Role::ColorProfile);
                }
            }
            "ICCProfile" => {
                if let Some(t) = n.text() {
                    used(t, Role::ColorProfile);
                }
            }
            _ => {}
        }
    }
}

/// Signatures.xml and, for each signature, its Signature.xml, SignedValue and Seal file.
fn walk_signatures(pkg: &Package, sigs: &str, w: &mut Walk) {
    w.mark(sigs, Role::Signature);
    let Some(bytes) = pkg.get(sigs) else { return };
    let Ok(list) = xml::parse_signatures_xml(sigs, bytes) else {
        return;
    };
    for entry in &list.signatures {
        let Some(sig) = use_loc(pkg, w, sigs, &entry.base_loc, Role::Signature) else {
            continue;
        };
        let Some(b) = pkg.get(&sig) else { continue };
        let Ok(sx) = xml::parse_signature_xml(&sig, b) else {
            continue;
        };
        for loc in sx.signed_value.iter().chain(sx.seal_loc.iter()) {
            use_loc(pkg, w, &sig, loc, Role::Signature);
        }
    }
}

/// A DocVersion file (GB/T 33190 §19): its DocRoot and listed files.
fn walk_version(pkg: &Package, version: &str, w: &mut Walk) {
    let Some(bytes) = pkg.get(version) else {
        return;
    };
    let Ok(doc) = xml::parse(version, bytes) else {
        return;
    };
    let root = doc.root_element();
    for name in ["File", "DocRoot"] {
        for loc in each_text(root, name) {
            use_loc(pkg, w, version, &loc, Role::Version);
        }
    }
}

/// GM/T 0099-2020 integrity protection: `OFDEntries.xml` at the root (a `DocEntries` list with
/// its `SignedValueLoc`).
fn walk_integrity(pkg: &Package, w: &mut Walk) {
    let Some(entries) = integrity_entries(pkg) else {
        return;
    };
    w.mark(&entries, Role::Integrity);
    let Some(bytes) = pkg.get(&entries) else {
        return;
    };
    let Ok(doc) = xml::parse(&entries, bytes) else {
        return;
    };
    if let Some(loc) = xml::child_text(doc.root_element(), "SignedValueLoc") {
        use_loc(pkg, w, &entries, &loc, Role::Integrity);
    }
}

/// The GM/T 0099 entries file of the package, when it has one whose root is `DocEntries`.
pub fn integrity_entries(pkg: &Package) -> Option<String> {
    let name = pkg.find_loose("OFDEntries.xml")?;
    let doc = xml::parse(&name, pkg.get(&name)?).ok()?;
    (doc.root_element().tag_name().name() == "DocEntries").then_some(name)
}

/// One unprotected file, with its role and what it makes of `unprotected_files`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unprotected {
    /// Normalised file name.
    pub file: String,
    /// Its role.
    pub role: Role,
    /// The status this file alone gives the check.
    pub status: Status,
}

/// The outcome of [`judge`].
#[derive(Debug, Clone)]
pub struct Judgement {
    /// The `unprotected_files` check (id given by the caller).
    pub check: Check,
    /// Every file no signature protects, in package order.
    pub unprotected: Vec<Unprotected>,
}

/// What the signatures protect, for [`judge`].
#[derive(Debug, Clone, Copy)]
pub struct Protection<'a> {
    /// Files whose Reference matched, over all signatures.
    pub protected: &'a BTreeSet<String>,
    /// `by_body[i]`: those of the signatures listed by DocBody `i`.
    pub by_body: &'a [BTreeSet<String>],
    /// The signatures' own files (Signature.xml, SignedValue.dat, Seal.esl).
    pub own: &'a BTreeSet<String>,
    /// Files named by a Reference whose digest no longer matches (changed after signing).
    pub changed: &'a BTreeSet<String>,
}

/// Judges what the signatures leave unprotected (see the module docs for the rules).
pub fn judge(pkg: &Package, walk: &Walk, p: &Protection<'_>, id: &str) -> Judgement {
    let (protected, by_body, own) = (p.protected, p.by_body, p.own);
    let mut unprotected = Vec::new();
    for f in pkg.files() {
        if protected.contains(&f.name) {
            continue;
        }
        let mut role = walk.role(&f.name);
        if role == Role::Unused && own.contains(&f.name) {
            role = Role::Signature;
        }
        unprotected.push(Unprotected {
            file: f.name.clone(),
            role,
            status: role.status_if_unprotected(),
        });
    }

    // DocRoot: it must name a document the signatures protect.
    let mut swapped = Vec::new();
    let ofd_xml_open = unprotected.iter().any(|u| u.role == Role::OfdXml);
    for (i, body) in walk.bodies.iter().enumerate() {
        let mine = by_body.get(i).filter(|s| !s.is_empty());
        let Some(mine) = mine else { continue };
        let docs: Vec<&String> = mine
            .iter()
            .filter(|f| pkg.get(f).is_some_and(is_document))
            .collect();
        match &body.doc_root {
            Some(d) if mine.contains(d) => {}
            Some(d) if p.changed.contains(d) => {
                swapped.push(format!("DocRoot names {d}, which changed after signing"))
            }
            Some(d) if !docs.is_empty() => swapped.push(format!(
                "DocRoot names {d}, but the signatures protect {}",
                join(docs.iter().map(|s| s.as_str()))
            )),
            Some(d) => swapped.push(format!("DocRoot names {d}, which no signature protects")),
            None => swapped.push(format!(
                "DocRoot {:?} names no file of the package",
                body.doc_root_loc.as_deref().unwrap_or("")
            )),
        }
    }
    for u in &mut unprotected {
        if u.role == Role::OfdXml {
            u.status = if swapped.is_empty() {
                Status::Warn
            } else {
                Status::Fail
            };
        }
    }

    let worst = unprotected
        .iter()
        .map(|u| u.status)
        .chain((!swapped.is_empty()).then_some(Status::Fail))
        .max_by_key(|s| rank(*s))
        .unwrap_or(Status::Pass);
    let mut parts: Vec<String> = swapped.clone();
    let judged: Vec<&Unprotected> = unprotected
        .iter()
        .filter(|u| u.status != Status::Pass)
        .collect();
    if !judged.is_empty() {
        parts.push(format!(
            "files no signature protects: {}",
            join(
                judged
                    .iter()
                    .map(|u| format!("{} ({})", u.file, u.role.as_str()))
            )
        ));
    }
    let msg = match worst {
        Status::Pass => {
            let own_files: Vec<&str> = unprotected.iter().map(|u| u.file.as_str()).collect();
            if own_files.is_empty() {
                "every file is protected by a signature".to_string()
            } else {
                format!(
                    "every document file is protected; signature files not covered by a reference: {}",
                    own_files.join(", ")
                )
            }
        }
        Status::Warn => {
            let mut m = parts.join("; ");
            if ofd_xml_open {
                m.push_str(
                    "; OFD.xml's DocRoot names the protected document (its DocInfo, e.g. CustomDatas, is not protected)",
                );
            }
            format!("{m}; nothing displayed is unprotected")
        }
        Status::Indeterminate => format!(
            "{}; displayed content may have changed without breaking a signature",
            parts.join("; ")
        ),
        _ => parts.join("; "),
    };
    Judgement {
        check: Check::new(id, worst, msg),
        unprotected,
    }
}

fn rank(s: Status) -> u8 {
    match s {
        Status::Pass | Status::Skip => 0,
        Status::Warn => 1,
        Status::Indeterminate => 2,
        Status::Fail => 3,
    }
}

fn join<S: AsRef<str>>(items: impl Iterator<Item = S>) -> String {
    items
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether XML bytes have the root element `Document` (any prefix), judged from the first
/// element tag without parsing the whole file.
fn is_document(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let Some(i) = rest.iter().position(|&b| b == b'<') {
        rest = &rest[i + 1..];
        match rest.first() {
            Some(b'?') | Some(b'!') => continue,
            Some(_) => {
                let end = rest
                    .iter()
                    .position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
                    .unwrap_or(rest.len());
                let name = &rest[..end];
                let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
                return local == b"Document";
            }
            None => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_root_sniffing() {
        assert!(is_document(
            b"<?xml version=\"1.0\"?><!-- c --><ofd:Document xmlns:ofd=\"x\"/>"
        ));
        assert!(is_document(b"<Document>"));
        assert!(!is_document(b"<ofd:Page/>"));
        assert!(!is_document(b""));
    }

    #[test]
    fn roles_by_severity() {
        assert_eq!(Role::Page.status_if_unprotected(), Status::Fail);
        assert_eq!(
            Role::Template.status_if_unprotected(),
            Status::Indeterminate
        );
        assert_eq!(Role::Attachment.status_if_unprotected(), Status::Warn);
        assert!(Role::Document > Role::Template && Role::Template > Role::Attachment);
    }
}
