//! The page tree (ISO 32000-1 §7.7.3): pages found by number through `/Count`, every page in
//! order, and the inherited attributes of a page (§7.7.3.4).

use std::collections::HashSet;

use super::document::{Document, ObjId};
use super::object::{Dict, Object};
use super::xref::malformed;
use crate::error::{Error, ErrorKind, Result};

/// A page with its inherited attributes resolved (§7.7.3.4).
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// The page object's id.
    pub id: ObjId,
    /// The page dictionary as stored.
    pub dict: Dict,
    /// /MediaBox (inherited), normalised to `[llx lly urx ury]`.
    pub media_box: [f64; 4],
    /// /CropBox (inherited), else the MediaBox, clipped to the MediaBox.
    pub crop_box: [f64; 4],
    /// /Rotate (inherited), normalised to 0, 90, 180 or 270.
    pub rotate: u16,
    /// /Resources (inherited), if any.
    pub resources: Option<Object>,
}

impl Document<'_> {
    /// Page `n` (1-based), found through the page tree's /Count without reading other pages.
    pub fn page(&self, n: usize) -> Result<PageInfo> {
        let (_, cat) = self.catalog()?;
        let root = cat
            .get("Pages")
            .and_then(Object::as_ref)
            .ok_or_else(|| malformed("catalog without /Pages"))?;
        if n == 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "pages are numbered from 1",
            ));
        }
        let mut remaining = n;
        let mut node = root;
        let mut inherited = Inherited::default();
        let mut seen = HashSet::new();
        'descend: for _ in 0..64 {
            if !seen.insert(node.0) {
                return Err(malformed("page tree loop"));
            }
            let d = self.resolve_dict(&Object::Ref(node.0, node.1), "a page tree node")?;
            inherited.update(&d);
            if d.get("Kids").is_none() && !d.is_type("Pages") {
                if remaining == 1 {
                    return inherited.page(node, d);
                }
                break;
            }
            let kids = match d.get("Kids").map(|k| self.resolve(k)) {
                Some(Ok(Object::Array(a))) => a,
                _ => return Err(malformed("page tree node without /Kids")),
            };
            for kid in kids {
                let Some(r) = kid.as_ref() else { continue };
                let kd = self.resolve_dict(&Object::Ref(r.0, r.1), "a page tree node")?;
                let is_node = kd.get("Kids").is_some() || kd.is_type("Pages");
                let count = if is_node {
                    kd.int("Count").unwrap_or(0).max(0) as usize
                } else {
                    1
                };
                if remaining <= count {
                    node = r;
                    continue 'descend;
                }
                remaining -= count;
            }
            break;
        }
        Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("the document has no page {n}"),
        ))
    }

    /// The number of pages (from the root's /Count).
    pub fn page_count(&self) -> Result<usize> {
        let (_, cat) = self.catalog()?;
        let root = self.resolve_dict(
            cat.get("Pages")
                .ok_or_else(|| malformed("catalog without /Pages"))?,
            "/Pages",
        )?;
        Ok(root.int("Count").unwrap_or(0).max(0) as usize)
    }

    /// Every page object id, walking the page tree (loops and depth bounded).
    pub fn page_ids(&self) -> Result<Vec<ObjId>> {
        let (_, cat) = self.catalog()?;
        let root = cat
            .get("Pages")
            .and_then(Object::as_ref)
            .ok_or_else(|| malformed("catalog without /Pages"))?;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(root, 0usize)];
        while let Some((r, depth)) = stack.pop() {
            if depth > 64 || !seen.insert(r.0) || seen.len() > 1_000_000 {
                return Err(malformed("page tree too deep or with a loop"));
            }
            let d = self.resolve_dict(&Object::Ref(r.0, r.1), "a page tree node")?;
            if d.get("Kids").is_none() && !d.is_type("Pages") {
                out.push(r);
                continue;
            }
            if let Some(Object::Array(kids)) = d.get("Kids").map(|k| self.resolve(k)).transpose()? {
                for k in kids.iter().rev() {
                    if let Some(kr) = k.as_ref() {
                        stack.push((kr, depth + 1));
                    }
                }
            }
        }
        Ok(out)
    }
}

#[derive(Default)]
struct Inherited {
    media_box: Option<Object>,
    crop_box: Option<Object>,
    rotate: Option<i64>,
    resources: Option<Object>,
}

impl Inherited {
    fn update(&mut self, d: &Dict) {
        if let Some(v) = d.get("MediaBox") {
            self.media_box = Some(v.clone());
        }
        if let Some(v) = d.get("CropBox") {
            self.crop_box = Some(v.clone());
        }
        if let Some(v) = d.int("Rotate") {
            self.rotate = Some(v);
        }
        if let Some(v) = d.get("Resources") {
            self.resources = Some(v.clone());
        }
    }

    fn page(self, id: ObjId, dict: Dict) -> Result<PageInfo> {
        let media_box = self
            .media_box
            .as_ref()
            .and_then(rect)
            .unwrap_or([0.0, 0.0, 612.0, 792.0]);
        let crop_box = self
            .crop_box
            .as_ref()
            .and_then(rect)
            .map(|c| {
                [
                    c[0].max(media_box[0]),
                    c[1].max(media_box[1]),
                    c[2].min(media_box[2]),
                    c[3].min(media_box[3]),
                ]
            })
            .filter(|c| c[2] > c[0] && c[3] > c[1])
            .unwrap_or(media_box);
        let rotate = self.rotate.unwrap_or(0).rem_euclid(360);
        let rotate = ((rotate / 90) * 90) as u16;
        Ok(PageInfo {
            id,
            dict,
            media_box,
            crop_box,
            rotate,
            resources: self.resources,
        })
    }
}

/// A rectangle `[a b c d]` normalised to `[llx lly urx ury]`.
pub fn rect(o: &Object) -> Option<[f64; 4]> {
    let a = o.as_array()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f64> = a.iter().filter_map(Object::as_f64).collect();
    if v.len() != 4 || v.iter().any(|x| !x.is_finite()) {
        return None;
    }
    Some([
        v[0].min(v[2]),
        v[1].min(v[3]),
        v[0].max(v[2]),
        v[1].max(v[3]),
    ])
}
