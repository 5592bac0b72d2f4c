//! Looking at the result (issue 15 part 5): sealed pages rendered — PDF by poppler's
//! `pdftoppm`, OFD by the test-side renderer of `render_util` — and the seal's red pixels
//! checked against where they must be: centred on the keyword, and, for riding seals, each
//! page showing its strip against the edge at the same height so that the strips put back
//! together give the seal picture again.
//!
//! With `ESEAL_WRITE_IMAGES=DIR` the pictures shown in the README are written to DIR
//! (`keyword-pdf.png`, `riding-pdf.png`, `keyword-ofd.png`, `riding-ofd.png`; committed
//! under docs/img).

mod common;
mod render_util;
mod seal_cli;

use common::require_tool;
use render_util::{Image, Ofd, bbox, render_pdf_page};
use seal_cli::{args, demo_dir, eseal, producers, text};
use std::path::Path;

const PT: f64 = 72.0 / 25.4;

/// Runs `eseal sign-pdf|sign-ofd` with the demo's seal and key; it must succeed.
fn sign(dir: &Path, cmd: &str, rest: &[&str]) {
    let o = eseal(dir, &args(cmd, rest));
    assert_eq!(o.status.code(), Some(0), "{rest:?}: {}", text(&o));
}

/// Writes the part of `im` around its red pixels (5 mm more on each side).
fn write_around_red(name: &str, im: &Image, scale: f64) {
    let b = bbox(&im.red());
    let pad = (5.0 * scale) as usize;
    let crop = im.crop(
        b[0].saturating_sub(pad),
        b[1].saturating_sub(pad),
        b[2] + pad,
        b[3] + pad,
    );
    write_image(name, &crop);
}

/// Writes the right 60 mm of each page, from `top` to `bottom` mm, side by side.
fn write_edges(name: &str, pages: &[Image], scale: f64, top: f64, bottom: f64) {
    let strips: Vec<Image> = pages
        .iter()
        .map(|im| {
            let (y0, y1) = ((top * scale) as usize, (bottom * scale) as usize);
            im.crop(im.w - (60.0 * scale) as usize, y0, im.w, y1)
        })
        .collect();
    write_image(name, &Image::side_by_side(&strips, 6));
}

fn write_image(name: &str, im: &Image) {
    if let Some(d) = std::env::var_os("ESEAL_WRITE_IMAGES") {
        std::fs::create_dir_all(&d).unwrap();
        im.save_png(&Path::new(&d).join(name));
    }
}

/// The demo seal picture's red pixels as fractions of the picture: `[x0, y0, x1, y1]`, and
/// the picture itself (for [`reassembles`]).
fn seal_red_box(dir: &Path) -> ([f64; 4], Image) {
    let png = std::fs::read(dir.join("d/seal.png")).unwrap();
    let mut d = png::Decoder::new(std::io::Cursor::new(png));
    d.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut r = d.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgba);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut im = Image::new(w, h);
    for (i, p) in buf[..w * h * 4].chunks_exact(4).enumerate() {
        let a = p[3] as u32;
        let c = |v: u8| ((v as u32 * a + 255 * (255 - a)) / 255) as u8;
        im.px[i] = [c(p[0]), c(p[1]), c(p[2])];
    }
    let b = bbox(&im.red());
    (
        [
            b[0] as f64 / w as f64,
            b[1] as f64 / h as f64,
            (b[2] + 1) as f64 / w as f64,
            (b[3] + 1) as f64 / h as f64,
        ],
        im,
    )
}

fn near(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// Checks that a red pixel box `b` (pixels) is where a `size` × `size` mm seal centred on
/// (`cx`, `cy`) mm shows its red part `f`, at `scale` pixels per mm.
fn assert_seal_at(b: [usize; 4], f: [f64; 4], cx: f64, cy: f64, size: f64, scale: f64) {
    let (x0, y0) = (cx - size / 2.0, cy - size / 2.0);
    let want = [
        (x0 + f[0] * size) * scale,
        (y0 + f[1] * size) * scale,
        (x0 + f[2] * size) * scale,
        (y0 + f[3] * size) * scale,
    ];
    let got = [
        b[0] as f64,
        b[1] as f64,
        b[2] as f64 + 1.0,
        b[3] as f64 + 1.0,
    ];
    for k in 0..4 {
        assert!(
            near(got[k], want[k], 2.5),
            "red box {got:?} vs expected {want:?} (pixels)"
        );
    }
}

/// The strips of a riding seal on the right edge, put back side by side in page order,
/// match the seal picture: the share of red pixels that agree (IoU) after scaling both to
/// the same grid.
fn reassembles(pages: &[Image], strip_px: f64, top_px: f64, seal: &Image) -> f64 {
    let n = pages.len();
    let (gw, gh) = (120usize, 120usize);
    let mut got = vec![false; gw * gh];
    for (i, im) in pages.iter().enumerate() {
        let left = im.w as f64 - strip_px;
        for (x, y) in im.red() {
            let u = (i as f64 * strip_px + (x as f64 + 0.5 - left)) / (n as f64 * strip_px);
            let v = (y as f64 + 0.5 - top_px) / (n as f64 * strip_px);
            assert!(
                (-0.01..1.01).contains(&u) && (-0.01..1.01).contains(&v),
                "page {}: red pixel ({x}, {y}) outside its strip",
                i + 1
            );
            let (gx, gy) = (
                ((u * gw as f64) as usize).min(gw - 1),
                ((v * gh as f64) as usize).min(gh - 1),
            );
            got[gy * gw + gx] = true;
        }
    }
    let mut want = vec![false; gw * gh];
    for (x, y) in seal.red() {
        want[(y * gh / seal.h) * gw + x * gw / seal.w] = true;
    }
    let inter = got.iter().zip(&want).filter(|(a, b)| **a && **b).count();
    let union = got.iter().zip(&want).filter(|(a, b)| **a || **b).count();
    inter as f64 / union.max(1) as f64
}

#[test]
fn pdf_keyword_seals_sit_on_the_keyword() {
    if !require_tool("pdftoppm") {
        return;
    }
    let dir = demo_dir("render-pdf-kw");
    let input = producers().join("fpdf2_identity_h.pdf");
    sign(
        &dir,
        "sign-pdf",
        &[
            "--keyword",
            "（盖章）",
            "--keyword-index",
            "all",
            input.to_str().unwrap(),
            "-o",
            "kw.pdf",
        ],
    );
    let (f, _) = seal_red_box(&dir);
    // 144 dpi: 2 pixels per point. The keyword on page 1, as read with `pdftotext -bbox`
    // (see tests/keyword.rs): centres x 141.04 and 396.16 pt, 150 mm - 0.3 em from the top.
    let dpi = 144;
    let scale = dpi as f64 / 25.4;
    let im = render_pdf_page(&dir.join("kw.pdf"), 1, dpi);
    let red = im.red();
    let (left, right): (Vec<_>, Vec<_>) = red.iter().partition(|p| p.0 < im.w / 2);
    let cy = 150.0 - 0.3 * 14.0 / PT;
    for (pixels, cx_pt) in [(left, 85.04 + 56.0), (right, 340.16 + 56.0)] {
        assert!(!pixels.is_empty());
        assert_seal_at(bbox(&pixels), f, cx_pt / PT, cy, 40.0, scale);
    }
    write_around_red("keyword-pdf.png", &im, scale);
}

#[test]
fn pdf_riding_strips_line_up() {
    if !require_tool("pdftoppm") {
        return;
    }
    let dir = demo_dir("render-pdf-riding");
    let input = producers().join("reportlab_latin.pdf");
    sign(
        &dir,
        "sign-pdf",
        &[
            "--riding",
            "--at",
            "100",
            input.to_str().unwrap(),
            "-o",
            "riding.pdf",
        ],
    );
    let (_, seal) = seal_red_box(&dir);
    let dpi = 144;
    let scale = dpi as f64 / 25.4;
    let pages: Vec<Image> = (1..=3)
        .map(|p| render_pdf_page(&dir.join("riding.pdf"), p, dpi))
        .collect();
    let iou = reassembles(&pages, 40.0 / 3.0 * scale, 100.0 * scale, &seal);
    assert!(iou > 0.75, "strips reassembled vs the seal: IoU {iou:.2}");
    // Each page's strip: the right band, at 100..140 mm, between 98 and 102 mm from the top.
    for (i, im) in pages.iter().enumerate() {
        let b = bbox(&im.red());
        assert!(
            b[0] as f64 >= im.w as f64 - 40.0 / 3.0 * scale - 1.0,
            "page {}",
            i + 1
        );
        assert!(b[1] as f64 >= 100.0 * scale - 2.0 && (b[3] as f64) < 140.0 * scale + 2.0);
    }
    write_edges("riding-pdf.png", &pages, scale, 80.0, 160.0);
}

#[test]
fn ofd_keyword_seal_sits_on_the_keyword() {
    let Some(samples) = common::samples_dir().map(|d| d.join("ofdrw")) else {
        return;
    };
    let dir = demo_dir("render-ofd-kw");
    let input = samples.join("multiKeywordInTextCode.ofd");
    sign(
        &dir,
        "sign-ofd",
        &["--keyword", "哈哈", input.to_str().unwrap(), "-o", "kw.ofd"],
    );
    let ofd = Ofd::from_bytes(&std::fs::read(dir.join("kw.ofd")).unwrap());
    // The keyword's place, from the page's XML alone: one TextCode at X 0.553 in a TextObject
    // at 31.197; 9 DeltaX values for 26 characters (the last one reused); the first 哈哈 is
    // characters 10 and 11; its centre is the middle of their two advances, and vertically
    // the baseline (Y 3.175) less 0.3 em (the size 3.6865).
    let content = String::from_utf8(ofd.get("Doc_0/Pages/Page_0/Content.xml").to_vec()).unwrap();
    let d = roxmltree::Document::parse(&content).unwrap();
    let tc = d
        .descendants()
        .find(|n| n.tag_name().name() == "TextCode")
        .unwrap();
    let text: Vec<char> = tc.text().unwrap().chars().collect();
    let k = text.windows(2).position(|w| w == ['哈', '哈']).unwrap();
    assert_eq!(k, 10);
    let deltas: Vec<f64> = tc
        .attribute("DeltaX")
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    let delta = |i: usize| deltas[i.min(deltas.len() - 1)];
    let x_of = |i: usize| 31.197 + 0.553 + (0..i).map(delta).sum::<f64>();
    let cx = (x_of(k) + x_of(k + 2)) / 2.0;
    let cy = 26.2888 + 3.175 - 0.3 * 3.6865;
    let (f, _) = seal_red_box(&dir);
    let scale = 8.0;
    let im = ofd.render(1, scale);
    let red = im.red();
    assert!(!red.is_empty(), "the stamp is drawn");
    assert_seal_at(bbox(&red), f, cx, cy, 40.0, scale);
    write_around_red("keyword-ofd.png", &im, scale);
}

#[test]
fn ofd_riding_strips_line_up() {
    let Some(samples) = common::samples_dir().map(|d| d.join("ofdrw")) else {
        return;
    };
    let dir = demo_dir("render-ofd-riding");
    let input = samples.join("VPage7.ofd");
    sign(
        &dir,
        "sign-ofd",
        &[
            "--riding",
            "--at",
            "120",
            input.to_str().unwrap(),
            "-o",
            "riding.ofd",
        ],
    );
    let ofd = Ofd::from_bytes(&std::fs::read(dir.join("riding.ofd")).unwrap());
    let n = ofd.pages().len();
    assert_eq!(n, 5);
    let (_, seal) = seal_red_box(&dir);
    let scale = 8.0;
    let pages: Vec<Image> = (1..=n).map(|p| ofd.render(p, scale)).collect();
    let iou = reassembles(&pages, 40.0 / n as f64 * scale, 120.0 * scale, &seal);
    assert!(iou > 0.85, "strips reassembled vs the seal: IoU {iou:.2}");
    write_edges("riding-ofd.png", &pages, scale, 100.0, 180.0);
}
