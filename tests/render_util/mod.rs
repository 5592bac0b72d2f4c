//! Looking at sealed pages in tests: PDF pages rendered by poppler's `pdftoppm`, OFD pages by
//! a small renderer written here for the tests (it reads the package with `zip` and
//! `roxmltree`, not with eseal's OFD code): a white page of the PhysicalBox, each TextObject's
//! Boundary as a grey box, PathObject Boundaries as grey outlines (their own colours are not
//! drawn, so that red can only come from a seal), and every StampAnnot of every signature:
//! the seal picture (decoded from SignedValue.dat's SES_Signature, PNG) scaled into the
//! Boundary, cut by the Clip, alpha-blended. Red pixels are then the seal's.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;

/// An RGB image.
pub struct Image {
    pub w: usize,
    pub h: usize,
    pub px: Vec<[u8; 3]>,
}

impl Image {
    pub fn new(w: usize, h: usize) -> Image {
        Image {
            w,
            h,
            px: vec![[255, 255, 255]; w * h],
        }
    }

    /// Red seal pixels (r > 150, g and b < 110): (x, y).
    pub fn red(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for y in 0..self.h {
            for x in 0..self.w {
                let p = self.px[y * self.w + x];
                if p[0] > 150 && p[1] < 110 && p[2] < 110 {
                    out.push((x, y));
                }
            }
        }
        out
    }

    /// The part `[x0, x1) × [y0, y1)`.
    pub fn crop(&self, x0: usize, y0: usize, x1: usize, y1: usize) -> Image {
        let (x1, y1) = (x1.min(self.w), y1.min(self.h));
        let mut out = Image::new(x1 - x0, y1 - y0);
        for y in y0..y1 {
            for x in x0..x1 {
                out.px[(y - y0) * out.w + (x - x0)] = self.px[y * self.w + x];
            }
        }
        out
    }

    /// Images side by side, `gap` grey pixels between them, tops aligned.
    pub fn side_by_side(images: &[Image], gap: usize) -> Image {
        let w = images.iter().map(|i| i.w).sum::<usize>() + gap * images.len().saturating_sub(1);
        let h = images.iter().map(|i| i.h).max().unwrap_or(0);
        let mut out = Image::new(w, h);
        out.px.iter_mut().for_each(|p| *p = [128, 128, 128]);
        let mut x0 = 0;
        for im in images {
            for y in 0..im.h {
                for x in 0..im.w {
                    out.px[y * w + x0 + x] = im.px[y * im.w + x];
                }
            }
            x0 += im.w + gap;
        }
        out
    }

    pub fn save_png(&self, path: &Path) {
        let f = std::fs::File::create(path).unwrap();
        let mut e = png::Encoder::new(std::io::BufWriter::new(f), self.w as u32, self.h as u32);
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
        let mut w = e.write_header().unwrap();
        let data: Vec<u8> = self.px.iter().flatten().copied().collect();
        w.write_image_data(&data).unwrap();
    }

    fn blend(&mut self, x: usize, y: usize, rgb: [u8; 3], a: u8) {
        let p = &mut self.px[y * self.w + x];
        for c in 0..3 {
            p[c] = ((rgb[c] as u32 * a as u32 + p[c] as u32 * (255 - a as u32)) / 255) as u8;
        }
    }

    /// Fills (or outlines) the rectangle `[x, y, w, h]` given in pixels.
    fn rect(&mut self, r: [f64; 4], rgb: [u8; 3], fill: bool) {
        let x0 = r[0].max(0.0).round() as usize;
        let y0 = r[1].max(0.0).round() as usize;
        let x1 = ((r[0] + r[2]).round().max(0.0) as usize).min(self.w);
        let y1 = ((r[1] + r[3]).round().max(0.0) as usize).min(self.h);
        for y in y0..y1 {
            for x in x0..x1 {
                if fill || y == y0 || y + 1 == y1 || x == x0 || x + 1 == x1 {
                    self.px[y * self.w + x] = rgb;
                }
            }
        }
    }
}

/// A PPM (P6) as written by `pdftoppm`.
pub fn from_ppm(ppm: &[u8]) -> Image {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !ppm[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&ppm[s..i]).to_string());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let data = &ppm[i + 1..];
    Image {
        w,
        h,
        px: data[..w * h * 3]
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2]])
            .collect(),
    }
}

/// Page `page` (from 1) of a PDF rendered by `pdftoppm` at `dpi`.
pub fn render_pdf_page(pdf: &Path, page: usize, dpi: u32) -> Image {
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-f", &page.to_string(), "-l"])
        .arg(page.to_string())
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    from_ppm(&out.stdout)
}

/// The bounding box `[x0, y0, x1, y1]` (pixels, inclusive) of some pixels.
pub fn bbox(px: &[(usize, usize)]) -> [usize; 4] {
    [
        px.iter().map(|p| p.0).min().unwrap(),
        px.iter().map(|p| p.1).min().unwrap(),
        px.iter().map(|p| p.0).max().unwrap(),
        px.iter().map(|p| p.1).max().unwrap(),
    ]
}

fn numbers(s: &str) -> Vec<f64> {
    s.split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect()
}

fn box4(s: Option<&str>) -> Option<[f64; 4]> {
    let v = numbers(s?);
    (v.len() == 4).then(|| [v[0], v[1], v[2], v[3]])
}

/// A StampAnnot: its page ID, Boundary, Clip and the seal picture (PNG).
pub struct Stamp {
    pub page_id: String,
    pub boundary: [f64; 4],
    pub clip: Option<[f64; 4]>,
    pub picture: Vec<u8>,
}

/// An OFD package's files.
pub struct Ofd {
    files: Vec<(String, Vec<u8>)>,
}

fn local<'a>(n: roxmltree::Node<'a, 'a>) -> &'a str {
    n.tag_name().name()
}

impl Ofd {
    pub fn from_bytes(bytes: &[u8]) -> Ofd {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut files = Vec::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let name = String::from_utf8_lossy(f.name_raw())
                .trim_start_matches('/')
                .to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            files.push((name, data));
        }
        Ofd { files }
    }

    pub fn get(&self, path: &str) -> &[u8] {
        let p = path.trim_start_matches('/');
        &self
            .files
            .iter()
            .find(|(n, _)| n == p)
            .unwrap_or_else(|| panic!("{p} not in the package"))
            .1
    }

    fn xml(&self, path: &str) -> String {
        String::from_utf8(self.get(path).to_vec()).unwrap()
    }

    /// `loc` from the file `from`: absolute, or relative to its folder.
    fn resolve(from: &str, loc: &str) -> String {
        if let Some(abs) = loc.strip_prefix('/') {
            return abs.to_string();
        }
        match from.rfind('/') {
            Some(i) => format!("{}/{loc}", &from[..i]),
            None => loc.to_string(),
        }
    }

    /// (Document.xml path, Signatures.xml path if any).
    fn doc_body(&self) -> (String, Option<String>) {
        let t = self.xml("OFD.xml");
        let d = roxmltree::Document::parse(&t).unwrap();
        let body = d.descendants().find(|n| local(*n) == "DocBody").unwrap();
        let text = |name: &str| {
            body.descendants()
                .find(|n| local(*n) == name)
                .and_then(|n| n.text())
                .map(|s| Ofd::resolve("OFD.xml", s.trim()))
        };
        (text("DocRoot").unwrap(), text("Signatures"))
    }

    /// Pages: (ID, content path, PhysicalBox in mm).
    pub fn pages(&self) -> Vec<(String, String, [f64; 4])> {
        let (doc_path, _) = self.doc_body();
        let t = self.xml(&doc_path);
        let d = roxmltree::Document::parse(&t).unwrap();
        let default = d
            .descendants()
            .find(|n| local(*n) == "PhysicalBox")
            .and_then(|n| box4(n.text()))
            .unwrap_or([0.0, 0.0, 210.0, 297.0]);
        d.descendants()
            .filter(|n| local(*n) == "Page" && n.attribute("BaseLoc").is_some())
            .map(|p| {
                let content = Ofd::resolve(&doc_path, p.attribute("BaseLoc").unwrap());
                let ct = self.xml(&content);
                let cd = roxmltree::Document::parse(&ct).unwrap();
                let pb = cd
                    .descendants()
                    .find(|n| local(*n) == "PhysicalBox")
                    .and_then(|n| box4(n.text()))
                    .unwrap_or(default);
                (p.attribute("ID").unwrap().to_string(), content, pb)
            })
            .collect()
    }

    /// Every StampAnnot of every signature.
    pub fn stamps(&self) -> Vec<Stamp> {
        let (_, sigs) = self.doc_body();
        let Some(sigs) = sigs else {
            return Vec::new();
        };
        let t = self.xml(&sigs);
        let d = roxmltree::Document::parse(&t).unwrap();
        let mut out = Vec::new();
        for s in d.descendants().filter(|n| local(*n) == "Signature") {
            let sx = Ofd::resolve(&sigs, s.attribute("BaseLoc").unwrap());
            let st = self.xml(&sx);
            let sd = roxmltree::Document::parse(&st).unwrap();
            let value = sd
                .descendants()
                .find(|n| local(*n) == "SignedValue")
                .and_then(|n| n.text())
                .unwrap();
            let ses =
                eseal::ses::SesSignature::from_der(self.get(&Ofd::resolve(&sx, value.trim())))
                    .unwrap();
            let picture = ses.seal().seal_info.picture.data.clone();
            for a in sd.descendants().filter(|n| local(*n) == "StampAnnot") {
                out.push(Stamp {
                    page_id: a.attribute("PageRef").unwrap().trim().to_string(),
                    boundary: box4(a.attribute("Boundary")).unwrap(),
                    clip: box4(a.attribute("Clip")),
                    picture: picture.clone(),
                });
            }
        }
        out
    }

    /// Page `page` (from 1) at `ppm` pixels per millimetre.
    pub fn render(&self, page: usize, ppm: f64) -> Image {
        let pages = self.pages();
        let (id, content, pb) = &pages[page - 1];
        let (w, h) = (
            (pb[2] * ppm).round() as usize,
            (pb[3] * ppm).round() as usize,
        );
        let mut im = Image::new(w, h);
        let px = |b: [f64; 4]| [b[0] * ppm, b[1] * ppm, b[2] * ppm, b[3] * ppm];
        let ct = self.xml(content);
        let cd = roxmltree::Document::parse(&ct).unwrap();
        for n in cd.descendants() {
            match local(n) {
                "TextObject" => {
                    if let Some(b) = box4(n.attribute("Boundary")) {
                        im.rect(px(b), [200, 200, 200], true);
                    }
                }
                "PathObject" | "ImageObject" => {
                    if let Some(b) = box4(n.attribute("Boundary")) {
                        im.rect(px(b), [160, 160, 160], false);
                    }
                }
                _ => {}
            }
        }
        for st in self.stamps() {
            if &st.page_id != id {
                continue;
            }
            let (b, clip) = (st.boundary, st.clip);
            let (pw, ph, rgba) = decode_png(&st.picture);
            let c = clip.unwrap_or([0.0, 0.0, b[2], b[3]]);
            // Pixels of the clip area, each sampled from the picture (nearest neighbour).
            let (x0, y0) = (((b[0] + c[0]) * ppm).round(), ((b[1] + c[1]) * ppm).round());
            let (x1, y1) = (
                ((b[0] + c[0] + c[2]) * ppm).round(),
                ((b[1] + c[1] + c[3]) * ppm).round(),
            );
            for y in (y0.max(0.0) as usize)..(y1.max(0.0) as usize).min(h) {
                for x in (x0.max(0.0) as usize)..(x1.max(0.0) as usize).min(w) {
                    let u = ((x as f64 + 0.5) / ppm - b[0]) / b[2];
                    let v = ((y as f64 + 0.5) / ppm - b[1]) / b[3];
                    if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
                        continue;
                    }
                    let (sx, sy) = ((u * pw as f64) as usize, (v * ph as f64) as usize);
                    let p = &rgba[(sy * pw + sx) * 4..(sy * pw + sx) * 4 + 4];
                    im.blend(x, y, [p[0], p[1], p[2]], p[3]);
                }
            }
        }
        im
    }
}

/// A PNG as 8-bit RGBA: (width, height, pixels).
fn decode_png(data: &[u8]) -> (usize, usize, Vec<u8>) {
    let mut d = png::Decoder::new(std::io::Cursor::new(data));
    d.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut r = d.read_info().unwrap();
    let mut buf = vec![0; r.output_buffer_size().unwrap()];
    let info = r.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf[..w * h * 4].to_vec(),
        png::ColorType::Rgb => buf[..w * h * 3]
            .chunks_exact(3)
            .flat_map(|c| [c[0], c[1], c[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf[..w * h * 2]
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0], c[1]])
            .collect(),
        png::ColorType::Grayscale => buf[..w * h].iter().flat_map(|&g| [g, g, g, 255]).collect(),
        other => panic!("PNG colour type {other:?}"),
    };
    (w, h, rgba)
}
