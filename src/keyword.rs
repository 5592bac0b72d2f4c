//! Keyword positioning shared by PDF and OFD sealing: find a text as shown on the pages and
//! centre the seal on it.
//!
//! The page text comes from [`crate::pdf::text`] or [`crate::ofd::text`] as a sequence of
//! glyphs in drawing order, each with its box in page millimetres (origin at the top-left of
//! the page as shown, y downwards). A keyword matches consecutive glyphs; white space is
//! ignored on both sides, so a keyword split over several text runs, operators or lines, or
//! written with spacing characters between its letters, is still found.

use crate::error::{Error, ErrorKind, Result};

/// Which occurrence(s) of the keyword to seal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Occurrence {
    /// The N-th occurrence, counted from 1 in page order and drawing order.
    Nth(usize),
    /// Every occurrence (one stamp each, all under one signature).
    #[default]
    All,
}

impl std::str::FromStr for Occurrence {
    type Err = Error;
    fn from_str(s: &str) -> Result<Occurrence> {
        if s.eq_ignore_ascii_case("all") {
            return Ok(Occurrence::All);
        }
        match s.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(Occurrence::Nth(n)),
            _ => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!("keyword index {s:?} is neither a number from 1 nor \"all\""),
            )),
        }
    }
}

/// Where to put a seal by a keyword.
#[derive(Debug, Clone, PartialEq)]
pub struct KeywordSpec {
    /// The text to find (white space is ignored).
    pub text: String,
    /// Which occurrence(s).
    pub occurrence: Occurrence,
    /// Moves the seal's centre right (mm) from the keyword's centre.
    pub offset_x_mm: f64,
    /// Moves the seal's centre down (mm) from the keyword's centre.
    pub offset_y_mm: f64,
}

impl KeywordSpec {
    /// The first occurrence of `text`, no offset.
    pub fn new(text: &str) -> KeywordSpec {
        KeywordSpec {
            text: text.to_string(),
            occurrence: Occurrence::Nth(1),
            offset_x_mm: 0.0,
            offset_y_mm: 0.0,
        }
    }
}

/// One occurrence of a keyword on a page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Page number, from 1.
    pub page: usize,
    /// The keyword's box `[x0, y0, x1, y1]` in mm from the top-left of the page as shown.
    pub rect_mm: [f64; 4],
}

impl Hit {
    /// Centre of the keyword's box (mm).
    pub fn centre(&self) -> (f64, f64) {
        let r = self.rect_mm;
        ((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0)
    }

    /// Top-left corner (mm) of a `w` × `h` mm seal centred on this hit, moved by the offsets.
    pub fn seal_origin(&self, spec: &KeywordSpec, w: f64, h: f64) -> (f64, f64) {
        let (cx, cy) = self.centre();
        (
            cx + spec.offset_x_mm - w / 2.0,
            cy + spec.offset_y_mm - h / 2.0,
        )
    }
}

/// Boxes of every occurrence of `keyword` in `glyphs` (text, box in mm), in order.
/// White space is skipped in both; a glyph may carry several characters (a ligature).
pub fn find_in(glyphs: &[(String, [f64; 4])], keyword: &str) -> Vec<[f64; 4]> {
    let key: Vec<char> = keyword.chars().filter(|c| !c.is_whitespace()).collect();
    if key.is_empty() {
        return Vec::new();
    }
    // Flatten to (char, glyph index).
    let mut chars: Vec<(char, usize)> = Vec::new();
    for (i, (t, _)) in glyphs.iter().enumerate() {
        for c in t.chars().filter(|c| !c.is_whitespace()) {
            chars.push((normalise(c), i));
        }
    }
    let key: Vec<char> = key.into_iter().map(normalise).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + key.len() <= chars.len() {
        if chars[i..i + key.len()]
            .iter()
            .zip(&key)
            .all(|((c, _), k)| c == k)
        {
            let mut r = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
            let (first, last) = (chars[i].1, chars[i + key.len() - 1].1);
            for (_, b) in &glyphs[first..=last] {
                r = [
                    r[0].min(b[0]),
                    r[1].min(b[1]),
                    r[2].max(b[2]),
                    r[3].max(b[3]),
                ];
            }
            out.push(r);
            i += key.len();
        } else {
            i += 1;
        }
    }
    out
}

/// Full-width ASCII forms (U+FF01..U+FF5E) compare equal to ASCII, and the ideographic space
/// is white space already; nothing else is folded.
fn normalise(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Picks the occurrence(s) asked for; an error names the keyword and the pages searched when
/// there is none (or fewer than asked).
pub fn select(hits: Vec<Hit>, spec: &KeywordSpec, pages_searched: &[usize]) -> Result<Vec<Hit>> {
    if spec.text.chars().all(char::is_whitespace) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "the keyword is empty",
        ));
    }
    if !(spec.offset_x_mm.is_finite() && spec.offset_y_mm.is_finite()) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "keyword offsets must be finite",
        ));
    }
    let pages = describe_pages(pages_searched);
    match spec.occurrence {
        _ if hits.is_empty() => Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("keyword {:?} not found on {pages}", spec.text),
        )),
        Occurrence::All => Ok(hits),
        Occurrence::Nth(n) => match hits.get(n.wrapping_sub(1)) {
            Some(h) => Ok(vec![*h]),
            None => Err(Error::new(
                ErrorKind::InvalidArgument,
                format!(
                    "keyword {:?} occurs {} time(s) on {pages}; occurrence {n} does not exist",
                    spec.text,
                    hits.len()
                ),
            )),
        },
    }
}

fn describe_pages(pages: &[usize]) -> String {
    match pages {
        [] => "no page (the document has none)".into(),
        [p] => format!("page {p}"),
        _ if pages.windows(2).all(|w| w[1] == w[0] + 1) => {
            format!("pages {}-{}", pages[0], pages[pages.len() - 1])
        }
        _ => format!(
            "pages {}",
            pages
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(t: &str, x: f64) -> (String, [f64; 4]) {
        (t.into(), [x, 0.0, x + 1.0, 1.0])
    }

    #[test]
    fn matches_across_glyphs_and_space() {
        let glyphs = vec![
            g("盖", 0.0),
            g(" ", 1.0),
            g("章", 2.0),
            g("盖", 3.0),
            g("章", 4.0),
        ];
        let hits = find_in(&glyphs, "盖章");
        assert_eq!(hits, vec![[0.0, 0.0, 3.0, 1.0], [3.0, 0.0, 5.0, 1.0]]);
        assert!(find_in(&glyphs, "章盖章盖").is_empty());
        assert_eq!(find_in(&[g("ＡＢ", 0.0)], "AB").len(), 1);
        assert!(find_in(&glyphs, " ").is_empty());
    }

    #[test]
    fn selection_and_errors() {
        let h = |p| Hit {
            page: p,
            rect_mm: [0.0; 4],
        };
        let mut spec = KeywordSpec::new("x");
        assert_eq!(select(vec![h(1), h(2)], &spec, &[1, 2]).unwrap()[0].page, 1);
        spec.occurrence = "2".parse().unwrap();
        assert_eq!(select(vec![h(1), h(2)], &spec, &[1, 2]).unwrap()[0].page, 2);
        spec.occurrence = Occurrence::Nth(3);
        let e = select(vec![h(1), h(2)], &spec, &[1, 2]).unwrap_err();
        assert!(
            e.to_string().contains("occurs 2 time(s) on pages 1-2"),
            "{e}"
        );
        let e = select(vec![], &spec, &[1, 3]).unwrap_err();
        assert!(
            e.to_string().contains("\"x\" not found on pages 1, 3"),
            "{e}"
        );
        assert!("0".parse::<Occurrence>().is_err());
        assert_eq!("ALL".parse::<Occurrence>().unwrap(), Occurrence::All);
    }
}
