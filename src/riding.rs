//! Riding seals (骑缝章), shared by PDF and OFD sealing: the seal picture cut into N equal
//! strips, one per selected page, each placed against the same edge at the same height, so
//! that the pages fanned out side by side show the whole seal.
//!
//! Geometry (as ofdrw's `RidingStampPos` lays out OFD stamps): on the right edge page *i*
//! (0-based among the selected pages) shows strip *i* from the picture's left; on the left edge
//! the order is reversed (page 1 shows the last strip); bottom and top likewise with
//! horizontal strips. Positions are millimetres from the top-left of the page as shown.

use crate::error::{Error, ErrorKind, Result};

/// The page edge the seal rides on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Edge {
    /// The right edge (the default).
    #[default]
    Right,
    /// The left edge.
    Left,
    /// The top edge.
    Top,
    /// The bottom edge.
    Bottom,
}

impl std::str::FromStr for Edge {
    type Err = Error;
    fn from_str(s: &str) -> Result<Edge> {
        match s.to_ascii_lowercase().as_str() {
            "right" => Ok(Edge::Right),
            "left" => Ok(Edge::Left),
            "top" => Ok(Edge::Top),
            "bottom" => Ok(Edge::Bottom),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("edge {s:?} is not right, left, top or bottom"),
            )),
        }
    }
}

/// Which pages carry a strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageSelection {
    /// Every page.
    #[default]
    All,
    /// Pages 1, 3, 5, …
    Odd,
    /// Pages 2, 4, 6, …
    Even,
    /// Pages FROM to TO (from 1, inclusive).
    Range(usize, usize),
}

impl std::str::FromStr for PageSelection {
    type Err = Error;
    fn from_str(s: &str) -> Result<PageSelection> {
        let bad = || {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("pages {s:?} is not all, odd, even or FROM-TO"),
            )
        };
        match s.to_ascii_lowercase().as_str() {
            "all" => Ok(PageSelection::All),
            "odd" => Ok(PageSelection::Odd),
            "even" => Ok(PageSelection::Even),
            r => {
                let (a, b) = r.split_once('-').ok_or_else(bad)?;
                let (a, b) = (
                    a.trim().parse::<usize>().map_err(|_| bad())?,
                    b.trim().parse::<usize>().map_err(|_| bad())?,
                );
                if a == 0 || b < a {
                    return Err(bad());
                }
                Ok(PageSelection::Range(a, b))
            }
        }
    }
}

impl PageSelection {
    /// The selected page numbers of a document of `count` pages.
    pub fn pages(&self, count: usize) -> Result<Vec<usize>> {
        let pages: Vec<usize> = match *self {
            PageSelection::All => (1..=count).collect(),
            PageSelection::Odd => (1..=count).step_by(2).collect(),
            PageSelection::Even => (2..=count).step_by(2).collect(),
            PageSelection::Range(a, b) => {
                if b > count {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        format!("pages {a}-{b}: the document has {count} page(s)"),
                    ));
                }
                (a..=b).collect()
            }
        };
        if pages.len() < 2 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "a riding seal needs at least 2 pages; {} of the document's {count} page(s) selected",
                    pages.len()
                ),
            ));
        }
        Ok(pages)
    }
}

/// How to lay out a riding seal.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RidingSpec {
    /// The edge.
    pub edge: Edge,
    /// The pages.
    pub pages: PageSelection,
    /// Distance (mm) of the seal's top (left/right edges) or left side (top/bottom edges) from
    /// the page's top or left; `None` centres it along the edge.
    pub at_mm: Option<f64>,
}

/// One strip of a riding seal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Strip {
    /// Page number, from 1.
    pub page: usize,
    /// Index of the strip in the picture (0 = leftmost or topmost part).
    pub index: usize,
    /// Number of strips.
    pub count: usize,
    /// Where the visible strip goes: `[x, y, w, h]` mm from the page's top-left.
    pub rect_mm: [f64; 4],
    /// Where the whole picture would be (`[x, y, w, h]` mm; partly off the page).
    pub picture_mm: [f64; 4],
    /// The strip as a part of the picture: fractions `[x0, y0, x1, y1]` from its top-left.
    pub part: [f64; 4],
}

/// Lays out a `w` × `h` mm picture over `pages` (page number and shown size in mm).
pub fn strips(
    spec: &RidingSpec,
    pages: &[(usize, f64, f64)],
    w: f64,
    h: f64,
) -> Result<Vec<Strip>> {
    let n = pages.len();
    if n < 2 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "a riding seal needs at least 2 pages",
        ));
    }
    if !(w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
        return Err(Error::new(ErrorKind::InvalidArgument, "bad seal size"));
    }
    if let Some(a) = spec.at_mm
        && !a.is_finite()
    {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "--at must be finite",
        ));
    }
    let nf = n as f64;
    let mut out = Vec::with_capacity(n);
    for (i, &(page, pw, ph)) in pages.iter().enumerate() {
        let k = match spec.edge {
            Edge::Right | Edge::Bottom => i,
            Edge::Left | Edge::Top => n - 1 - i,
        };
        let kf = k as f64;
        let (rect, picture, part) = match spec.edge {
            Edge::Right | Edge::Left => {
                let sw = w / nf;
                let y = spec.at_mm.unwrap_or((ph - h) / 2.0);
                let x = if spec.edge == Edge::Right {
                    pw - sw
                } else {
                    0.0
                };
                (
                    [x, y, sw, h],
                    [x - kf * sw, y, w, h],
                    [kf / nf, 0.0, (kf + 1.0) / nf, 1.0],
                )
            }
            Edge::Top | Edge::Bottom => {
                let sh = h / nf;
                let x = spec.at_mm.unwrap_or((pw - w) / 2.0);
                let y = if spec.edge == Edge::Bottom {
                    ph - sh
                } else {
                    0.0
                };
                (
                    [x, y, w, sh],
                    [x, y - kf * sh, w, h],
                    [0.0, kf / nf, 1.0, (kf + 1.0) / nf],
                )
            }
        };
        out.push(Strip {
            page,
            index: k,
            count: n,
            rect_mm: rect,
            picture_mm: picture,
            part,
        });
    }
    Ok(out)
}

/// The riding layout of a verified signature from the page of each of its strips, in strip
/// order (`None`: the page the strip names is not in the document). A signature with fewer
/// than two strips is not a riding seal (`Ok(None)`). A strip whose page is gone is an error
/// naming the strip. The order is reported, not judged: the page order is protected by the
/// signed page tree (PDF) or Document.xml (OFD), and other producers may list strips in any
/// order.
pub fn layout(
    strip_pages: &[Option<usize>],
) -> std::result::Result<Option<crate::report::RidingInfo>, String> {
    let n = strip_pages.len();
    if n < 2 {
        return Ok(None);
    }
    let mut pages = Vec::with_capacity(n);
    for (i, p) in strip_pages.iter().enumerate() {
        let Some(p) = *p else {
            return Err(format!(
                "riding seal strip {} of {n}: its page is no longer in the document",
                i + 1
            ));
        };
        pages.push(p);
    }
    Ok(Some(crate::report::RidingInfo { pages, strips: n }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        let pages = [
            (1, 210.0, 297.0),
            (2, 210.0, 297.0),
            (3, 210.0, 297.0),
            (4, 210.0, 297.0),
        ];
        let s = strips(&RidingSpec::default(), &pages, 40.0, 40.0).unwrap();
        assert_eq!(s[0].rect_mm, [200.0, 128.5, 10.0, 40.0]);
        assert_eq!(s[1].picture_mm, [190.0, 128.5, 40.0, 40.0]);
        assert_eq!(s[3].part, [0.75, 0.0, 1.0, 1.0]);
        let spec = RidingSpec {
            edge: Edge::Top,
            at_mm: Some(30.0),
            ..Default::default()
        };
        let s = strips(&spec, &pages[..2], 40.0, 40.0).unwrap();
        assert_eq!(s[0].index, 1);
        assert_eq!(s[0].rect_mm, [30.0, 0.0, 40.0, 20.0]);
        assert_eq!(s[0].picture_mm, [30.0, -20.0, 40.0, 40.0]);
        assert!(strips(&spec, &pages[..1], 40.0, 40.0).is_err());
        assert_eq!(
            "odd".parse::<PageSelection>().unwrap().pages(5).unwrap(),
            [1, 3, 5]
        );
        assert_eq!(
            "2-3".parse::<PageSelection>().unwrap().pages(5).unwrap(),
            [2, 3]
        );
        assert!("3-9".parse::<PageSelection>().unwrap().pages(5).is_err());
        let e = PageSelection::All.pages(1).unwrap_err().to_string();
        assert!(e.contains("at least 2 pages"), "{e}");
        assert!("x".parse::<Edge>().is_err());
        assert_eq!(layout(&[Some(1)]), Ok(None));
        let l = layout(&[Some(1), Some(3)]).unwrap().unwrap();
        assert_eq!((l.pages, l.strips), (vec![1, 3], 2));
        assert_eq!(layout(&[Some(2), Some(1)]).unwrap().unwrap().pages, [2, 1]);
        assert!(
            layout(&[Some(1), None])
                .unwrap_err()
                .contains("strip 2 of 2")
        );
    }
}
