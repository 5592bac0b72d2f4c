//! Making PDF licences from a template: one register row → one unsigned licence PDF, ready for
//! the authority's seal ([`crate::pdf::seal_with`], see [`seal_pdf_bytes`]).
//!
//! The template is a PDF form, as licence templates are designed in form editors: every text
//! field (`/FT /Tx`, ISO 32000-1 §12.7.4.3) is named by a register column, a GB/T 36903 field
//! name (`证照编号`), an English key (`certificateNumber`) or a canonical name (`number`), and
//! its widget's `/Rect` is where the value goes. Filling (one incremental update, §7.5.6):
//! - every text field is flattened: its value drawn in the page content at the widget's
//!   rectangle (font size from `/DA`, shrunk to fit; `/Q` alignment), and the field and its
//!   widgets removed from `/AcroForm` and `/Annots`, so the text cannot be edited as a form
//!   value after sealing. The font is the Adobe-GB1 `STSong-Light` with the predefined
//!   `UniGB-UCS2-H` CMap (not embedded; PDF viewers supply it), so a value must be in the Basic
//!   Multilingual Plane;
//! - the licence fields of the row go to the document information dictionary (§14.3.3) under
//!   their English keys ([`super::pdf::ENGLISH_KEYS`]) and to an XMP packet (§14.3.2) in the
//!   `pdfx` namespace under the same keys, with the page bindings of the fields shown on a page
//!   ([`super::pdf::XMP_LAYOUT_NS`]);
//! - the identifier is made as for OFD ([`super::issue::prepare_row`]).

use super::issue::{esc, prepare_row};
use super::pdf::{XMP_FIELDS_NS, XMP_LAYOUT_NS, english_key};
use super::{canonical, label};
use crate::error::{Error, ErrorKind, Result};
use crate::pdf::document::{Document, ObjId};
use crate::pdf::object::{Dict, Object, text_string};
use crate::pdf::writer::IncrementalUpdate;
use crate::pki::Time;

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidArgument, msg)
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

/// A PDF licence made from a row: the unsigned PDF and its identifier.
#[derive(Debug, Clone)]
pub struct FilledPdf {
    /// The PDF (the template followed by the filling update).
    pub pdf: Vec<u8>,
    /// The 证照标识.
    pub identifier: String,
}

/// A widget of a text field to fill.
struct Widget {
    obj: Option<ObjId>,
    page: Option<ObjId>,
    rect: [f64; 4],
}

/// A terminal text field of the template.
struct TextField {
    name: String,
    /// The top-level entry of `/Fields` it belongs to.
    top: usize,
    font_size: f64,
    quadding: i64,
    widgets: Vec<Widget>,
}

fn rect_of(o: Option<&Object>) -> Option<[f64; 4]> {
    let a = o?.as_array()?;
    let v: Vec<f64> = a.iter().filter_map(Object::as_f64).collect();
    (v.len() == 4).then(|| {
        [
            v[0].min(v[2]),
            v[1].min(v[3]),
            v[0].max(v[2]),
            v[1].max(v[3]),
        ]
    })
}

/// The font size of a `/DA` string (`/F 12 Tf`), 0 for automatic.
fn da_size(da: &[u8]) -> f64 {
    let s = String::from_utf8_lossy(da);
    let t: Vec<&str> = s.split_whitespace().collect();
    t.iter()
        .position(|w| *w == "Tf")
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| t[i].parse().ok())
        .unwrap_or(0.0)
}

/// A field still to visit: the field, its parent's name, the inherited `/FT`, `/DA` and `/Q`,
/// its top-level entry and its depth.
type Visit = (
    Object,
    String,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<i64>,
    usize,
    usize,
);

fn text_fields(doc: &Document, fields: &[Object]) -> Result<Vec<TextField>> {
    let mut out = Vec::new();
    let mut stack: Vec<Visit> = fields
        .iter()
        .enumerate()
        .rev()
        .map(|(i, f)| (f.clone(), String::new(), None, None, None, i, 0))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((f, prefix, ft, da, q, top, depth)) = stack.pop() {
        if depth > 32 || out.len() > 10_000 {
            return Err(bad(
                "the template's form field tree is too deep or too large",
            ));
        }
        if let Some((n, _)) = f.as_ref()
            && !seen.insert(n)
        {
            continue;
        }
        let d = doc.resolve_dict(&f, "form field")?;
        let full = super::pdf::field_name(&prefix, &d);
        let ft = d.name("FT").map(<[u8]>::to_vec).or(ft);
        let da = match d.get("DA") {
            Some(Object::String(s)) => Some(s.clone()),
            _ => da,
        };
        let q = d.int("Q").or(q);
        let kids = match d.get("Kids").map(|k| doc.resolve(k)).transpose()? {
            Some(Object::Array(a)) => a,
            _ => Vec::new(),
        };
        let field_kids: Vec<Object> = kids
            .iter()
            .filter(|k| {
                doc.resolve_dict(k, "kid")
                    .is_ok_and(|kd| kd.get("T").is_some())
            })
            .cloned()
            .collect();
        if !field_kids.is_empty() {
            for k in field_kids.into_iter().rev() {
                stack.push((k, full.clone(), ft.clone(), da.clone(), q, top, depth + 1));
            }
            continue;
        }
        if ft.as_deref() != Some(b"Tx") {
            continue;
        }
        let mut widgets = Vec::new();
        let mut add = |obj: Option<ObjId>, wd: &Dict| {
            if let Some(rect) = rect_of(wd.get("Rect")) {
                widgets.push(Widget {
                    obj,
                    page: wd.get("P").and_then(Object::as_ref),
                    rect,
                });
            }
        };
        if kids.is_empty() {
            add(f.as_ref(), &d);
        } else {
            for k in &kids {
                add(k.as_ref(), &doc.resolve_dict(k, "widget")?);
            }
        }
        out.push(TextField {
            name: full,
            top,
            font_size: da.as_deref().map(da_size).unwrap_or(0.0),
            quadding: q.unwrap_or(0),
            widgets,
        });
    }
    Ok(out)
}

/// Half an em for ASCII, a full em otherwise (the widths written for the font).
fn advance(c: char) -> f64 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

/// The content drawing `value` in `rect`.
fn draw(value: &str, rect: [f64; 4], size: f64, quadding: i64) -> Result<Vec<u8>> {
    let [x0, y0, x1, y1] = rect;
    let (w, h) = (x1 - x0, y1 - y0);
    let n = value.chars().count().max(1) as f64;
    // Shrunk so that even one em per character fits (the text extractor's measure).
    let mut size = if size > 0.0 { size } else { h * 0.7 };
    size = size.min(((w - 4.0) / n).max(2.0)).min(h.max(2.0));
    let width: f64 = value.chars().map(advance).sum::<f64>() * size;
    let x = match quadding {
        1 => x0 + (w - width) / 2.0,
        2 => x1 - 2.0 - width,
        _ => x0 + 2.0,
    };
    let y = y0 + (h - size) / 2.0 + size * 0.15;
    let mut hex = String::new();
    for c in value.chars() {
        let u = c as u32;
        if u > 0xFFFF {
            return Err(bad(format!(
                "{value:?}: the character U+{u:X} is outside the Basic Multilingual Plane"
            )));
        }
        hex.push_str(&format!("{u:04X}"));
    }
    Ok(
        format!("BT /ESealLicF1 {size:.2} Tf 1 0 0 1 {x:.2} {y:.2} Tm <{hex}> Tj ET\n")
            .into_bytes(),
    )
}

/// The XMP packet: the fields under their English keys in `pdfx`, and the bindings.
fn xmp(
    fields: &[(&'static str, String)],
    title: &str,
    bindings: &[(String, usize, [f64; 4])],
    at: Time,
) -> String {
    let mut s = String::from(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">",
    );
    s.push_str(&format!(
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:pdfx=\"{XMP_FIELDS_NS}\" xmlns:zzbd=\"{XMP_LAYOUT_NS}\">"
    ));
    s.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title><xmp:CreateDate>{}</xmp:CreateDate><pdf:Producer>eseal</pdf:Producer>",
        esc(title),
        at.to_rfc3339()
    ));
    for (c, v) in fields {
        if let Some(k) = english_key(c) {
            s.push_str(&format!("<pdfx:{k}>{}</pdfx:{k}>", esc(v)));
        }
    }
    if !bindings.is_empty() {
        s.push_str("<zzbd:Bindings><rdf:Seq>");
        for (k, page, r) in bindings {
            s.push_str(&format!(
                "<rdf:li rdf:parseType=\"Resource\"><zzbd:Field>{}</zzbd:Field><zzbd:Page>{page}</zzbd:Page><zzbd:Rect>{:.2} {:.2} {:.2} {:.2}</zzbd:Rect></rdf:li>",
                esc(k), r[0], r[1], r[2], r[3]
            ));
        }
        s.push_str("</rdf:Seq></zzbd:Bindings>");
    }
    s.push_str("</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>");
    s
}

/// Fills `template` (a PDF form) with `row` ((column, value) pairs); see the module docs. `at`
/// is written as the creation date.
pub fn fill(template: &[u8], row: &[(String, String)], at: Time) -> Result<FilledPdf> {
    let (row, identifier) = prepare_row(row)?;
    let doc = Document::from_bytes(template.to_vec())?;
    let (cat_id, mut catalog) = doc.catalog()?;
    let (acro_id, mut acro) = match catalog.get("AcroForm") {
        Some(Object::Ref(n, g)) => (
            Some((*n, *g)),
            doc.resolve_dict(&Object::Ref(*n, *g), "/AcroForm")?,
        ),
        Some(Object::Dict(d)) => (None, d.clone()),
        _ => return Err(bad("the template has no form (/AcroForm) with text fields")),
    };
    let top_fields = match acro.get("Fields").map(|f| doc.resolve(f)).transpose()? {
        Some(Object::Array(a)) => a,
        _ => Vec::new(),
    };
    let fields = text_fields(&doc, &top_fields)?;
    if fields.is_empty() {
        return Err(bad("the template has no text field to fill"));
    }
    let value_of = |n: &str| -> Option<String> {
        row.iter()
            .find(|(k, _)| k == n)
            .or_else(|| {
                let c = canonical(n)
                    .or_else(|| super::FIELDS.iter().find(|(k, _)| *k == n).map(|(k, _)| *k))?;
                row.iter().find(|(k, _)| canonical(k) == Some(c))
            })
            .map(|(_, v)| v.trim().to_string())
    };
    let page_ids = doc.page_ids()?;
    let page_of = |w: &Widget| -> Option<usize> {
        if let Some(p) = w.page
            && let Some(i) = page_ids.iter().position(|id| *id == p)
        {
            return Some(i);
        }
        let obj = w.obj?;
        page_ids.iter().position(|id| {
            doc.get(id.0)
                .ok()
                .and_then(|p| p.as_dict().and_then(|d| d.get("Annots").cloned()))
                .and_then(|a| doc.resolve(&a).ok())
                .is_some_and(|a| {
                    a.as_array()
                        .is_some_and(|a| a.iter().any(|o| o.as_ref() == Some(obj)))
                })
        })
    };

    // What to draw on each page; bindings of licence fields.
    let mut drawn: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut removed_widgets: Vec<ObjId> = Vec::new();
    let mut bindings: Vec<(String, usize, [f64; 4])> = Vec::new();
    for f in &fields {
        let v = value_of(&f.name).ok_or_else(|| bad(format!("missing field {}", f.name)))?;
        for w in &f.widgets {
            let page = page_of(w)
                .ok_or_else(|| bad(format!("field {}: its widget is on no page", f.name)))?;
            let content = draw(&v, w.rect, f.font_size, f.quadding)?;
            match drawn.iter_mut().find(|(p, _)| *p == page) {
                Some((_, c)) => c.extend_from_slice(&content),
                None => drawn.push((page, content)),
            }
            if let Some(o) = w.obj {
                removed_widgets.push(o);
            }
            if let Some(k) = canonical(&f.name).and_then(english_key) {
                bindings.push((k.to_string(), page + 1, w.rect));
            }
        }
    }

    let mut up = IncrementalUpdate::new(&doc)?;
    // The font: STSong-Light, UniGB-UCS2-H (Adobe-GB1), not embedded.
    let fd_num = up.alloc()?;
    let mut fd = Dict::new();
    fd.set("Type", name("FontDescriptor"));
    fd.set("FontName", name("STSong-Light"));
    fd.set("Flags", Object::Int(6));
    fd.set(
        "FontBBox",
        Object::Array([-25, -254, 1000, 880].map(Object::Int).to_vec()),
    );
    fd.set("ItalicAngle", Object::Int(0));
    fd.set("Ascent", Object::Int(880));
    fd.set("Descent", Object::Int(-120));
    fd.set("CapHeight", Object::Int(880));
    fd.set("StemV", Object::Int(93));
    up.write_object(fd_num, 0, &Object::Dict(fd));
    let mut csi = Dict::new();
    csi.set("Registry", Object::String(b"Adobe".to_vec()));
    csi.set("Ordering", Object::String(b"GB1".to_vec()));
    csi.set("Supplement", Object::Int(2));
    let mut cid = Dict::new();
    cid.set("Type", name("Font"));
    cid.set("Subtype", name("CIDFontType0"));
    cid.set("BaseFont", name("STSong-Light"));
    cid.set("CIDSystemInfo", Object::Dict(csi));
    cid.set("FontDescriptor", Object::Ref(fd_num, 0));
    cid.set("DW", Object::Int(1000));
    cid.set(
        "W",
        Object::Array(vec![Object::Int(1), Object::Int(95), Object::Int(500)]),
    );
    let font_num = up.alloc()?;
    let mut font = Dict::new();
    font.set("Type", name("Font"));
    font.set("Subtype", name("Type0"));
    font.set("BaseFont", name("STSong-Light"));
    font.set("Encoding", name("UniGB-UCS2-H"));
    font.set("DescendantFonts", Object::Array(vec![Object::Dict(cid)]));
    up.write_object(font_num, 0, &Object::Dict(font));

    // Pages: content appended (the original wrapped in q … Q), font added, widgets removed.
    for (page, content) in &drawn {
        let info = doc.page(page + 1)?;
        let mut d = info.dict.clone();
        let mut contents: Vec<Object> = match d.get("Contents") {
            Some(o @ Object::Ref(..)) => match doc.resolve(o)? {
                Object::Array(a) => a,
                _ => vec![o.clone()],
            },
            Some(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let q_num = up.alloc()?;
        up.write_stream(q_num, Dict::new(), b"q\n");
        let c_num = up.alloc()?;
        let mut body = b"Q\n".to_vec();
        body.extend_from_slice(content);
        up.write_stream(c_num, Dict::new(), &body);
        contents.insert(0, Object::Ref(q_num, 0));
        contents.push(Object::Ref(c_num, 0));
        d.set("Contents", Object::Array(contents));
        let mut res = match &info.resources {
            Some(r) => doc.resolve_dict(r, "/Resources")?,
            None => Dict::new(),
        };
        let mut fonts = match res.get("Font") {
            Some(f) => doc.resolve_dict(f, "/Font")?,
            None => Dict::new(),
        };
        fonts.set("ESealLicF1", Object::Ref(font_num, 0));
        res.set("Font", Object::Dict(fonts));
        d.set("Resources", Object::Dict(res));
        if let Some(a) = d.get("Annots") {
            let kept: Vec<Object> = match doc.resolve(a)? {
                Object::Array(a) => a
                    .into_iter()
                    .filter(|o| !o.as_ref().is_some_and(|r| removed_widgets.contains(&r)))
                    .collect(),
                _ => Vec::new(),
            };
            d.set("Annots", Object::Array(kept));
        }
        up.write_object(info.id.0, info.id.1, &Object::Dict(d));
    }

    // The form: the filled fields removed (flattened).
    let filled_tops: Vec<usize> = fields.iter().map(|f| f.top).collect();
    let remaining: Vec<Object> = top_fields
        .iter()
        .enumerate()
        .filter(|(i, _)| !filled_tops.contains(i))
        .map(|(_, o)| o.clone())
        .collect();
    acro.set("Fields", Object::Array(remaining));
    acro.remove("NeedAppearances");
    match acro_id {
        Some((n, g)) => up.write_object(n, g, &Object::Dict(acro)),
        None => catalog.set("AcroForm", Object::Dict(acro)),
    }

    // Metadata: the information dictionary and XMP.
    let lic_fields: Vec<(&'static str, String)> = row
        .iter()
        .filter_map(|(k, v)| canonical(k).map(|c| (c, v.trim().to_string())))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let title = value_of("name")
        .or_else(|| value_of("type"))
        .unwrap_or_else(|| label("licence_id").to_string());
    let mut info = match doc.trailer().get("Info").map(|i| doc.resolve(i)) {
        Some(Ok(Object::Dict(d))) => d,
        _ => Dict::new(),
    };
    info.0
        .retain(|(k, _)| canonical(&String::from_utf8_lossy(k)).is_none());
    let date = Object::String(crate::pdf::sign::pdf_date(at).into_bytes());
    info.set("Title", Object::String(text_string(&title)));
    info.set("Producer", Object::String(b"eseal".to_vec()));
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    for (c, v) in &lic_fields {
        if let Some(k) = english_key(c) {
            info.set(k, Object::String(text_string(v)));
        }
    }
    let info_num = up.alloc()?;
    up.write_object(info_num, 0, &Object::Dict(info));
    up.set_trailer("Info", Object::Ref(info_num, 0));
    let xmp_num = up.alloc()?;
    let mut xd = Dict::new();
    xd.set("Type", name("Metadata"));
    xd.set("Subtype", name("XML"));
    up.write_stream(
        xmp_num,
        xd,
        xmp(&lic_fields, &title, &bindings, at).as_bytes(),
    );
    catalog.set("Metadata", Object::Ref(xmp_num, 0));
    up.write_object(cat_id.0, cat_id.1, &Object::Dict(catalog));

    let mut pdf = template.to_vec();
    pdf.extend_from_slice(&up.finish()?);
    Ok(FilledPdf { pdf, identifier })
}

/// Seals a PDF held in memory with a GB/T 38540 seal (through temporary files next to
/// `work_dir`'s other files, removed afterwards); returns the sealed PDF.
pub fn seal_pdf_bytes(
    pdf: &[u8],
    work_dir: &std::path::Path,
    opts: &crate::pdf::SealOptions,
    seal: &crate::ses::Seal,
    cert: &[u8],
    signer: &dyn crate::crypto::Signer,
) -> Result<Vec<u8>> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let stem = format!(".licence-{}-{n}", std::process::id());
    let input = work_dir.join(format!("{stem}.in.pdf"));
    let output = work_dir.join(format!("{stem}.out.pdf"));
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("{}: {e}", work_dir.display()));
    std::fs::write(&input, pdf).map_err(io)?;
    let mut opts = opts.clone();
    if opts.contents_size == 0 {
        opts.contents_size = crate::pdf::sign::ses_contents_size(seal, cert);
    }
    let r = crate::pdf::prepare(&input, &output, &opts)
        .and_then(|p| p.finish_ses(seal, cert, signer))
        .and_then(|_| std::fs::read(&output).map_err(io));
    let _ = std::fs::remove_file(&input);
    let _ = std::fs::remove_file(&output);
    r
}
