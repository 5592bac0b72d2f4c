//! Text as shown on OFD pages (GB/T 33190-2016 §11 文字对象): every `TextObject` of a page, of
//! its templates (§7.7 `Template`, drawn below or above the page content by `ZOrder`) and of
//! nested `PageBlock`s, with the position of each character in page millimetres.
//!
//! A character's position is the TextCode's `X`/`Y` (continued from the previous TextCode when
//! absent) plus the running sum of `DeltaX`/`DeltaY` (§11.3; the compressed `g N v` form
//! repeats `v` N times; when fewer values than characters are given the last one is reused),
//! mapped by the object's `CTM` and moved to its `Boundary` origin (§8.2). The character box
//! reaches from the baseline 0.8 em up and 0.2 em down and is as wide as the distance to the
//! next character (or 1 em for a CJK character and ½ em for another one at the end of a run).
//!
//! Not interpreted: `CompositeObject`s (their graphic units live in resources), `HScale`,
//! and vertical `ReadDirection`/`CharDirection` (characters are still placed by DeltaX/DeltaY,
//! so the position is right; only the default width assumes horizontal writing).
//!
//! ```no_run
//! # fn main() -> eseal::Result<()> {
//! let pkg = eseal::ofd::Package::open("in.ofd", &Default::default())?;
//! for page in eseal::ofd::text::document_text(&pkg)? {
//!     for run in &page.runs {
//!         println!("page {} at {:?}: {}", page.page, run.glyphs.first().map(|g| g.rect), run.text);
//!     }
//! }
//! # Ok(()) }
//! ```

use super::package::{self, Package};
use super::xml;
use crate::error::{Error, ErrorKind, Result};
use crate::keyword::{self, Hit, KeywordSpec};

/// One character on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// The character.
    pub ch: char,
    /// Its pen position (baseline) in page millimetres.
    pub origin: (f64, f64),
    /// Its box `[x0, y0, x1, y1]` in page millimetres (y downwards).
    pub rect: [f64; 4],
}

/// The text of one `TextObject`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The object's `ID`.
    pub id: String,
    /// The text of all its TextCodes, in order.
    pub text: String,
    /// One entry per character of `text`.
    pub glyphs: Vec<Glyph>,
    /// True when the object belongs to a template page.
    pub from_template: bool,
    /// The font size (`Size`) in millimetres.
    pub size_mm: f64,
}

/// The text of one page, in drawing order (background templates, content, foreground
/// templates).
#[derive(Debug, Clone, PartialEq)]
pub struct PageText {
    /// Page number, from 1.
    pub page: usize,
    /// The page's `ID` in Document.xml.
    pub page_id: String,
    /// The page's PhysicalBox `[x, y, w, h]` (mm), from the page or the document.
    pub physical_box: Option<[f64; 4]>,
    /// The text runs.
    pub runs: Vec<TextRun>,
}

fn malformed(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedOfd, msg)
}

/// Pages and templates of the (first) document.
struct DocIndex {
    /// (page ID, Content.xml path)
    pages: Vec<(String, String)>,
    /// (template ID, Content.xml path)
    templates: Vec<(String, String)>,
    physical_box: Option<[f64; 4]>,
}

fn doc_index(pkg: &Package) -> Result<DocIndex> {
    let ofd = xml::parse_ofd_xml(
        pkg.get("OFD.xml")
            .ok_or_else(|| malformed("package has no OFD.xml"))?,
    )?;
    let root = ofd
        .bodies
        .first()
        .and_then(|b| b.doc_root.as_deref())
        .ok_or_else(|| malformed("OFD.xml DocBody has no DocRoot"))?;
    let doc_path = package::resolve_in(pkg, "OFD.xml", root)?;
    let bytes = pkg
        .get(&doc_path)
        .ok_or_else(|| malformed(format!("DocRoot {doc_path} is not in the package")))?;
    let doc = xml::parse(&doc_path, bytes)?;
    let r = doc.root_element();
    let mut idx = DocIndex {
        pages: Vec::new(),
        templates: Vec::new(),
        physical_box: None,
    };
    if let Some(cd) = xml::child(r, "CommonData") {
        idx.physical_box = xml::child(cd, "PageArea")
            .and_then(|a| xml::child_text(a, "PhysicalBox"))
            .and_then(|t| xml::parse_box(&t));
        for t in xml::children(cd, "TemplatePage") {
            if let (Some(id), Some(loc)) = (xml::attr(t, "ID"), xml::attr(t, "BaseLoc")) {
                idx.templates.push((
                    id.trim().to_string(),
                    package::resolve_in(pkg, &doc_path, loc)?,
                ));
            }
        }
    }
    let pages =
        xml::child(r, "Pages").ok_or_else(|| malformed(format!("{doc_path} has no Pages")))?;
    for p in xml::children(pages, "Page") {
        let id = xml::attr(p, "ID").unwrap_or("").trim().to_string();
        let loc = xml::attr(p, "BaseLoc")
            .ok_or_else(|| malformed(format!("{doc_path}: page {id:?} has no BaseLoc")))?;
        idx.pages
            .push((id, package::resolve_in(pkg, &doc_path, loc)?));
    }
    Ok(idx)
}

/// The number of pages of the package's first document.
pub fn page_count(pkg: &Package) -> Result<usize> {
    Ok(doc_index(pkg)?.pages.len())
}

/// Each page's PhysicalBox `[x, y, w, h]` (mm): the page's own Area, else the document's
/// PageArea; `None` when neither is given.
pub fn page_boxes(pkg: &Package) -> Result<Vec<Option<[f64; 4]>>> {
    let idx = doc_index(pkg)?;
    let mut out = Vec::with_capacity(idx.pages.len());
    for (_, path) in &idx.pages {
        let own = match pkg.get(path) {
            Some(b) => {
                let d = xml::parse(path, b)?;
                xml::child(d.root_element(), "Area")
                    .and_then(|a| xml::child_text(a, "PhysicalBox"))
                    .and_then(|t| xml::parse_box(&t))
            }
            None => None,
        };
        out.push(own.or(idx.physical_box));
    }
    Ok(out)
}

/// The text of every page of the package's first document.
pub fn document_text(pkg: &Package) -> Result<Vec<PageText>> {
    let idx = doc_index(pkg)?;
    (1..=idx.pages.len())
        .map(|n| page_text_in(pkg, &idx, n))
        .collect()
}

/// The text of page `page` (from 1) of the package's first document.
pub fn page_text(pkg: &Package, page: usize) -> Result<PageText> {
    let idx = doc_index(pkg)?;
    page_text_in(pkg, &idx, page)
}

fn page_text_in(pkg: &Package, idx: &DocIndex, page: usize) -> Result<PageText> {
    let (page_id, path) = page
        .checked_sub(1)
        .and_then(|i| idx.pages.get(i))
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "page {page} does not exist (the document has {})",
                    idx.pages.len()
                ),
            )
        })?;
    let bytes = pkg
        .get(path)
        .ok_or_else(|| malformed(format!("page {page}: {path} is not in the package")))?;
    let doc = xml::parse(path, bytes)?;
    let root = doc.root_element();
    let physical_box = xml::child(root, "Area")
        .and_then(|a| xml::child_text(a, "PhysicalBox"))
        .and_then(|t| xml::parse_box(&t))
        .or(idx.physical_box);
    let mut background = Vec::new();
    let mut foreground = Vec::new();
    for t in xml::children(root, "Template") {
        let Some(tid) = xml::attr(t, "TemplateID").map(str::trim) else {
            continue;
        };
        let Some((_, tpath)) = idx.templates.iter().find(|(id, _)| id == tid) else {
            continue;
        };
        let Some(tbytes) = pkg.get(tpath) else {
            continue;
        };
        let tdoc = xml::parse(tpath, tbytes)?;
        let runs = content_runs(tdoc.root_element(), true);
        match xml::attr(t, "ZOrder").map(str::trim) {
            Some("Foreground") => foreground.extend(runs),
            _ => background.extend(runs),
        }
    }
    let mut runs = background;
    runs.extend(content_runs(root, false));
    runs.extend(foreground);
    Ok(PageText {
        page,
        page_id: page_id.clone(),
        physical_box,
        runs,
    })
}

fn content_runs(page_root: roxmltree::Node<'_, '_>, from_template: bool) -> Vec<TextRun> {
    let Some(content) = xml::child(page_root, "Content") else {
        return Vec::new();
    };
    content
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "TextObject")
        .take(1_000_000)
        .filter_map(|n| text_object(n, from_template))
        .collect()
}

/// Parses a Delta list (§11.3), expanding `g N v`.
pub fn parse_deltas(s: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut it = s.split_whitespace();
    while let Some(tok) = it.next() {
        if tok == "g" {
            let n = it.next().and_then(|t| t.parse::<usize>().ok());
            let v = it.next().and_then(|t| t.parse::<f64>().ok());
            if let (Some(n), Some(v)) = (n, v) {
                out.extend(std::iter::repeat_n(v, n.min(100_000)));
            }
        } else if let Ok(v) = tok.parse::<f64>() {
            out.push(v);
        }
        if out.len() > 1_000_000 {
            break;
        }
    }
    out.retain(|v| v.is_finite());
    out
}

fn ctm_of(node: roxmltree::Node<'_, '_>) -> [f64; 6] {
    let v: Vec<f64> = xml::attr(node, "CTM")
        .map(|s| {
            s.split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    if v.len() == 6 && v.iter().all(|x: &f64| x.is_finite()) {
        [v[0], v[1], v[2], v[3], v[4], v[5]]
    } else {
        [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    }
}

fn is_wide(c: char) -> bool {
    (c as u32) >= 0x1100
}

fn text_object(obj: roxmltree::Node<'_, '_>, from_template: bool) -> Option<TextRun> {
    let bnd = xml::attr(obj, "Boundary").and_then(xml::parse_box)?;
    let size = xml::attr(obj, "Size")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(3.5);
    let m = ctm_of(obj);
    let map = |x: f64, y: f64| {
        (
            bnd[0] + m[0] * x + m[2] * y + m[4],
            bnd[1] + m[1] * x + m[3] * y + m[5],
        )
    };
    let mut run = TextRun {
        id: xml::attr(obj, "ID").unwrap_or("").to_string(),
        text: String::new(),
        glyphs: Vec::new(),
        from_template,
        size_mm: size,
    };
    let (mut pen_x, mut pen_y) = (0.0f64, 0.0f64);
    for tc in xml::children(obj, "TextCode") {
        let text = tc.text().unwrap_or("");
        if let Some(x) = xml::attr(tc, "X").and_then(|v| v.trim().parse::<f64>().ok()) {
            pen_x = x;
        }
        if let Some(y) = xml::attr(tc, "Y").and_then(|v| v.trim().parse::<f64>().ok()) {
            pen_y = y;
        }
        let dx = xml::attr(tc, "DeltaX")
            .map(parse_deltas)
            .unwrap_or_default();
        let dy = xml::attr(tc, "DeltaY")
            .map(parse_deltas)
            .unwrap_or_default();
        let chars: Vec<char> = text.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            let last = i + 1 == chars.len();
            let default_w = if is_wide(c) { size } else { size / 2.0 };
            let step_x = dx.get(i).or(dx.last()).copied();
            let step_y = dy.get(i).or(dy.last()).copied().unwrap_or(0.0);
            let w = match step_x {
                Some(s) if !last && s > 0.0 && s <= 3.0 * size => s,
                _ => default_w,
            };
            let corners = [
                map(pen_x, pen_y - 0.8 * size),
                map(pen_x + w, pen_y - 0.8 * size),
                map(pen_x, pen_y + 0.2 * size),
                map(pen_x + w, pen_y + 0.2 * size),
            ];
            let rect = [
                corners.iter().map(|p| p.0).fold(f64::MAX, f64::min),
                corners.iter().map(|p| p.1).fold(f64::MAX, f64::min),
                corners.iter().map(|p| p.0).fold(f64::MIN, f64::max),
                corners.iter().map(|p| p.1).fold(f64::MIN, f64::max),
            ];
            run.text.push(c);
            run.glyphs.push(Glyph {
                ch: c,
                origin: map(pen_x, pen_y),
                rect,
            });
            if !last {
                pen_x += step_x.unwrap_or(default_w);
                pen_y += step_y;
            } else {
                pen_x += default_w;
            }
        }
    }
    (!run.glyphs.is_empty()).then_some(run)
}

/// Every occurrence of the keyword on the document's pages (page order, drawing order), as
/// chosen by `spec.occurrence`; an error names the keyword and the pages searched when there
/// is none. Boxes are in page millimetres, as StampAnnot Boundaries are.
pub fn find_keyword(pkg: &Package, spec: &KeywordSpec) -> Result<Vec<Hit>> {
    let pages = document_text(pkg)?;
    let mut hits = Vec::new();
    for p in &pages {
        let glyphs: Vec<(String, [f64; 4])> = p
            .runs
            .iter()
            .flat_map(|r| r.glyphs.iter().map(|g| (g.ch.to_string(), g.rect)))
            .collect();
        hits.extend(
            keyword::find_in(&glyphs, &spec.text)
                .into_iter()
                .map(|rect_mm| Hit {
                    page: p.page,
                    rect_mm,
                }),
        );
    }
    let searched: Vec<usize> = pages.iter().map(|p| p.page).collect();
    keyword::select(hits, spec, &searched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas() {
        assert_eq!(parse_deltas("g 3 1.5 2"), vec![1.5, 1.5, 1.5, 2.0]);
        assert_eq!(parse_deltas(" 1  2 x 3"), vec![1.0, 2.0, 3.0]);
        assert_eq!(parse_deltas("g 2"), Vec::<f64>::new());
    }

    #[test]
    fn positions_with_ctm_and_deltas() {
        let x = r#"<Page xmlns="http://www.ofdspec.org/2016"><Content><Layer><PageBlock><PageBlock>
<TextObject ID="1" Boundary="10 20 50 10" Size="4" CTM="2 0 0 2 1 1"><TextCode X="0" Y="4" DeltaX="g 2 4">甲乙丙</TextCode><TextCode DeltaY="5">丁戊</TextCode></TextObject>
</PageBlock></PageBlock></Layer></Content></Page>"#;
        let d = roxmltree::Document::parse(x).unwrap();
        let runs = content_runs(d.root_element(), false);
        assert_eq!(runs.len(), 1);
        let g = &runs[0].glyphs;
        assert_eq!(runs[0].text, "甲乙丙丁戊");
        assert_eq!(g[0].origin, (11.0, 29.0));
        assert_eq!(g[1].origin, (19.0, 29.0));
        assert_eq!(g[2].origin, (27.0, 29.0));
        // The next TextCode continues after 丙 (default width 1 em = 4).
        assert_eq!(g[3].origin, (35.0, 29.0));
        assert_eq!(g[4].origin, (43.0, 39.0));
        // 1 em box scaled by the CTM: 8 mm wide, 8 mm high.
        assert_eq!(g[0].rect, [11.0, 29.0 - 6.4, 19.0, 29.0 + 1.6]);
    }
}
