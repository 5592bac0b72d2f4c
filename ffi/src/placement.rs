//! Placement arguments shared by the PDF and OFD option setters (keyword positioning and
//! riding seals): checked once here, so both containers accept and refuse the same values.

use crate::error::Failure;
use eseal_core::keyword::{KeywordSpec, Occurrence};
use eseal_core::riding::{Edge, PageSelection, RidingSpec};

/// A stamp's position: its left and top edges in millimetres from the page's, each finite and
/// within 0 to 10,000.
pub(crate) fn position(x_mm: f64, y_mm: f64) -> Result<(f64, f64), Failure> {
    for v in [x_mm, y_mm] {
        if !(0.0..=10_000.0).contains(&v) {
            return Err(Failure::invalid(format!(
                "position {v} mm is not within 0 to 10000 mm"
            )));
        }
    }
    Ok((x_mm, y_mm))
}

/// The keyword placement for `keyword` (None: keyword positioning off); `index` 0 means every
/// occurrence, N the N-th; offsets in millimetres within ±10,000.
pub(crate) fn keyword_spec(
    keyword: Option<&str>,
    index: u32,
    offset_x_mm: f64,
    offset_y_mm: f64,
) -> Result<Option<KeywordSpec>, Failure> {
    for v in [offset_x_mm, offset_y_mm] {
        if !(-10_000.0..=10_000.0).contains(&v) {
            return Err(Failure::invalid(format!(
                "offset {v} mm is not within -10000 to 10000 mm"
            )));
        }
    }
    match keyword {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Err(Failure::invalid("the keyword is empty")),
        Some(t) => Ok(Some(KeywordSpec {
            text: t.to_string(),
            occurrence: match index {
                0 => Occurrence::All,
                n => Occurrence::Nth(n as usize),
            },
            offset_x_mm,
            offset_y_mm,
        })),
    }
}

/// The riding-seal layout: `edge` 0 right, 1 left, 2 top, 3 bottom; `pages` `all`, `odd`,
/// `even` or `FROM-TO` (None: all); `at_mm` negative to centre, else at most 10,000.
pub(crate) fn riding_spec(
    edge: u32,
    pages: Option<&str>,
    at_mm: f64,
) -> Result<RidingSpec, Failure> {
    let edge = match edge {
        0 => Edge::Right,
        1 => Edge::Left,
        2 => Edge::Top,
        3 => Edge::Bottom,
        n => return Err(Failure::invalid(format!("edge {n} is not 0 to 3"))),
    };
    let pages: PageSelection = match pages {
        Some(p) => p
            .parse()
            .map_err(|e: eseal_core::Error| Failure::invalid(e.to_string()))?,
        None => PageSelection::All,
    };
    if at_mm.is_nan() || at_mm > 10_000.0 {
        return Err(Failure::invalid("at_mm must be a number up to 10000"));
    }
    Ok(RidingSpec {
        edge,
        pages,
        at_mm: (at_mm >= 0.0).then_some(at_mm),
    })
}
