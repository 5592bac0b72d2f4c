//! The seal's appearance (ISO 32000-1 §12.5.5 appearance streams, §8.9 images, §11.6.5.3
//! soft-mask images, §8.10 form XObjects).
//!
//! The seal picture of GB/T 38540 `SES_ESPictrueInfo` becomes an image XObject: PNG (any colour
//! type and depth; transparency becomes an `/SMask`), JPEG passed through as `/DCTDecode`
//! (size from the SOF marker), GIF (first frame) and BMP (1/4/8/24/32-bit, uncompressed)
//! decoded. The picture's width/height in millimetres give the widget's size
//! (1 mm = 72/25.4 pt). SVG and OFD pictures cannot be rendered here: they are refused with
//! [`ErrorKind::Unsupported`], unless the caller asks for the documented fallback drawing (a red
//! double ring with a five-pointed star, the usual form of a Chinese official seal).

use crate::error::{Error, ErrorKind, Result};

/// Points per millimetre.
pub const PT_PER_MM: f64 = 72.0 / 25.4;

/// Largest picture accepted, in pixels.
const MAX_PIXELS: u64 = 25_000_000;

/// A decoded seal picture, ready to become an image XObject.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `DeviceGray`, `DeviceRGB` or `DeviceCMYK`.
    pub color_space: &'static str,
    /// Bits per component (8 for decoded pictures).
    pub bits: u8,
    /// True when `data` is a JPEG to be written with `/DCTDecode`; otherwise raw samples.
    pub dct: bool,
    /// Adobe CMYK JPEGs store inverted samples (`/Decode [1 0 1 0 1 0 1 0]`).
    pub invert_cmyk: bool,
    /// The sample data (raw, row by row) or the JPEG file.
    pub data: Vec<u8>,
    /// 8-bit alpha, one byte per pixel, if the picture is not opaque.
    pub alpha: Option<Vec<u8>>,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::MalformedPicture, msg)
}

fn check_size(w: u64, h: u64) -> Result<()> {
    if w == 0 || h == 0 {
        return Err(bad("picture has no pixels"));
    }
    if w.saturating_mul(h) > MAX_PIXELS {
        return Err(Error::new(ErrorKind::LimitExceeded, "picture too large"));
    }
    Ok(())
}

/// What a picture is: the seal picture type of [`crate::ses::picture`], whose sniffer is the
/// one used here ([`PictureType::detect`](crate::ses::PictureType::detect): the magic number
/// first, then the name written in the seal).
pub type PictureKind = crate::ses::PictureType;

/// Decodes a seal picture. SVG and OFD give [`ErrorKind::Unsupported`].
pub fn decode_picture(ty: &str, data: &[u8]) -> Result<Image> {
    match PictureKind::detect(ty, data)? {
        PictureKind::Png => decode_png(data),
        PictureKind::Jpeg => jpeg(data),
        PictureKind::Gif => decode_gif(data),
        PictureKind::Bmp => decode_bmp(data),
        k @ (PictureKind::Svg | PictureKind::Ofd) => Err(Error::new(
            ErrorKind::Unsupported,
            format!(
                "a {k:?} seal picture cannot be rendered into a PDF appearance; \
                 ask for the fallback drawing or use a PNG/JPEG/GIF/BMP picture"
            ),
        )),
    }
}

fn split_alpha(pixels: &[u8], channels: usize) -> (Vec<u8>, Option<Vec<u8>>) {
    let color = channels - 1;
    let mut rgb = Vec::with_capacity(pixels.len() / channels * color);
    let mut alpha = Vec::with_capacity(pixels.len() / channels);
    for px in pixels.chunks_exact(channels) {
        rgb.extend_from_slice(&px[..color]);
        alpha.push(px[color]);
    }
    let opaque = alpha.iter().all(|&a| a == 255);
    (rgb, if opaque { None } else { Some(alpha) })
}

/// Decodes a PNG of any colour type and depth to 8-bit gray/RGB with optional alpha.
pub fn decode_png(data: &[u8]) -> Result<Image> {
    let mut dec =
        png::Decoder::new_with_limits(std::io::Cursor::new(data), png::Limits { bytes: 128 << 20 });
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().map_err(|e| bad(format!("PNG: {e}")))?;
    {
        let info = reader.info();
        check_size(info.width as u64, info.height as u64)?;
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| Error::new(ErrorKind::LimitExceeded, "PNG too large"))?;
    let mut buf = vec![0u8; size];
    let out = reader
        .next_frame(&mut buf)
        .map_err(|e| bad(format!("PNG: {e}")))?;
    buf.truncate(out.buffer_size());
    let (cs, channels, has_alpha) = match out.color_type {
        png::ColorType::Grayscale => ("DeviceGray", 1, false),
        png::ColorType::GrayscaleAlpha => ("DeviceGray", 2, true),
        png::ColorType::Rgb => ("DeviceRGB", 3, false),
        png::ColorType::Rgba => ("DeviceRGB", 4, true),
        png::ColorType::Indexed => return Err(bad("PNG palette not expanded")),
    };
    if out.bit_depth != png::BitDepth::Eight {
        return Err(bad("PNG depth not normalised to 8 bits"));
    }
    let row = out.width as usize * channels;
    // Drop any row padding.
    let mut pixels = Vec::with_capacity(row * out.height as usize);
    for r in buf.chunks(out.line_size).take(out.height as usize) {
        pixels.extend_from_slice(&r[..row.min(r.len())]);
    }
    let (data, alpha) = if has_alpha {
        split_alpha(&pixels, channels)
    } else {
        (pixels, None)
    };
    Ok(Image {
        width: out.width,
        height: out.height,
        color_space: cs,
        bits: 8,
        dct: false,
        invert_cmyk: false,
        data,
        alpha,
    })
}

/// Reads a JPEG's size and components from its SOF marker; the data is passed through.
pub fn jpeg(data: &[u8]) -> Result<Image> {
    if !data.starts_with(&[0xff, 0xd8]) {
        return Err(bad("JPEG without SOI marker"));
    }
    let mut i = 2usize;
    let mut adobe = false;
    while i + 4 <= data.len() {
        if data[i] != 0xff {
            return Err(bad("JPEG marker expected"));
        }
        let m = data[i + 1];
        if m == 0xff {
            i += 1;
            continue;
        }
        if (0xd0..=0xd9).contains(&m) || m == 0x01 {
            i += 2;
            continue;
        }
        let len = u16::from_be_bytes([data[i + 2], data[i + 3]]) as usize;
        if len < 2 || i + 2 + len > data.len() {
            return Err(bad("JPEG segment truncated"));
        }
        let seg = &data[i + 4..i + 2 + len];
        if m == 0xee && seg.starts_with(b"Adobe") {
            adobe = true;
        }
        let sof = matches!(m, 0xc0..=0xcf) && !matches!(m, 0xc4 | 0xc8 | 0xcc);
        if sof {
            if seg.len() < 6 {
                return Err(bad("JPEG SOF truncated"));
            }
            let bits = seg[0];
            let height = u16::from_be_bytes([seg[1], seg[2]]) as u32;
            let width = u16::from_be_bytes([seg[3], seg[4]]) as u32;
            let comps = seg[5];
            check_size(width as u64, height as u64)?;
            let cs = match comps {
                1 => "DeviceGray",
                3 => "DeviceRGB",
                4 => "DeviceCMYK",
                _ => return Err(bad(format!("JPEG with {comps} components"))),
            };
            if bits != 8 {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    "JPEG with 12-bit samples",
                ));
            }
            return Ok(Image {
                width,
                height,
                color_space: cs,
                bits: 8,
                dct: true,
                invert_cmyk: comps == 4 && adobe,
                data: data.to_vec(),
                alpha: None,
            });
        }
        i += 2 + len;
    }
    Err(bad("JPEG without SOF marker"))
}

/// Decodes the first frame of a GIF to RGB with alpha (transparent colour).
pub fn decode_gif(data: &[u8]) -> Result<Image> {
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    opts.set_memory_limit(gif::MemoryLimit::Bytes(
        std::num::NonZeroU64::new(128 << 20).unwrap_or(std::num::NonZeroU64::MIN),
    ));
    let mut d = opts
        .read_info(std::io::Cursor::new(data))
        .map_err(|e| bad(format!("GIF: {e}")))?;
    let frame = d
        .read_next_frame()
        .map_err(|e| bad(format!("GIF: {e}")))?
        .ok_or_else(|| bad("GIF without frames"))?;
    let (w, h) = (frame.width as u32, frame.height as u32);
    check_size(w as u64, h as u64)?;
    if frame.buffer.len() != (w * h * 4) as usize {
        return Err(bad("GIF frame size mismatch"));
    }
    let (rgb, alpha) = split_alpha(&frame.buffer, 4);
    Ok(Image {
        width: w,
        height: h,
        color_space: "DeviceRGB",
        bits: 8,
        dct: false,
        invert_cmyk: false,
        data: rgb,
        alpha,
    })
}

/// Decodes an uncompressed BMP (1, 4, 8, 24 or 32 bits per pixel; 32-bit alpha honoured).
pub fn decode_bmp(data: &[u8]) -> Result<Image> {
    let u16at = |o: usize| -> Result<u16> {
        data.get(o..o + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| bad("BMP truncated"))
    };
    let u32at = |o: usize| -> Result<u32> {
        data.get(o..o + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .ok_or_else(|| bad("BMP truncated"))
    };
    if !data.starts_with(b"BM") {
        return Err(bad("BMP without BM signature"));
    }
    let pix_off = u32at(10)? as usize;
    let hdr = u32at(14)? as usize;
    if hdr < 40 {
        return Err(Error::new(ErrorKind::Unsupported, "BMP core header"));
    }
    let w = u32at(18)? as i32;
    let h = u32at(22)? as i32;
    let bpp = u16at(28)?;
    let compression = u32at(30)?;
    if w <= 0 || h == 0 || h == i32::MIN {
        return Err(bad("BMP size"));
    }
    let (w, top_down, h) = (w as u32, h < 0, h.unsigned_abs());
    check_size(w as u64, h as u64)?;
    if !(compression == 0 || (compression == 3 && bpp == 32)) {
        return Err(Error::new(ErrorKind::Unsupported, "compressed BMP"));
    }
    let palette: Vec<[u8; 3]> = if bpp <= 8 {
        let used = u32at(46)? as usize;
        let n = if used == 0 {
            1usize << bpp
        } else {
            used.min(256)
        };
        (0..n)
            .map(|i| {
                let o = 14 + hdr + i * 4;
                data.get(o..o + 3)
                    .map(|b| [b[2], b[1], b[0]])
                    .ok_or_else(|| bad("BMP palette truncated"))
            })
            .collect::<Result<_>>()?
    } else {
        Vec::new()
    };
    if !matches!(bpp, 1 | 4 | 8 | 24 | 32) {
        return Err(Error::new(ErrorKind::Unsupported, format!("{bpp}-bit BMP")));
    }
    let stride = (bpp as usize * w as usize).div_ceil(32) * 4;
    let mut rgb = Vec::with_capacity(w as usize * h as usize * 3);
    let mut alpha = Vec::with_capacity(w as usize * h as usize);
    for y in 0..h as usize {
        let src_row = if top_down { y } else { h as usize - 1 - y };
        let o = pix_off + src_row * stride;
        let row = data
            .get(o..o + stride)
            .ok_or_else(|| bad("BMP pixel data truncated"))?;
        for x in 0..w as usize {
            let (px, a) = match bpp {
                24 => ([row[x * 3 + 2], row[x * 3 + 1], row[x * 3]], 255),
                32 => ([row[x * 4 + 2], row[x * 4 + 1], row[x * 4]], row[x * 4 + 3]),
                _ => {
                    let bit = x * bpp as usize;
                    let byte = row[bit / 8];
                    let shift = 8 - bpp as usize - (bit % 8);
                    let idx = (byte >> shift) & ((1u16 << bpp) - 1) as u8;
                    (
                        *palette
                            .get(idx as usize)
                            .ok_or_else(|| bad("BMP palette index"))?,
                        255,
                    )
                }
            };
            rgb.extend_from_slice(&px);
            alpha.push(a);
        }
    }
    // 32-bit BMPs often carry an unused (all zero) alpha channel.
    let alpha = if bpp == 32 && alpha.iter().any(|&a| a != 0) && alpha.iter().any(|&a| a != 255) {
        Some(alpha)
    } else {
        None
    };
    Ok(Image {
        width: w,
        height: h,
        color_space: "DeviceRGB",
        bits: 8,
        dct: false,
        invert_cmyk: false,
        data: rgb,
        alpha,
    })
}

/// The fallback drawing's content stream for a `w` × `h` pt box: a red double ring and a
/// five-pointed star (used only when the caller asks for it, for SVG/OFD pictures).
pub fn fallback_drawing(w: f64, h: f64) -> Vec<u8> {
    let (cx, cy) = (w / 2.0, h / 2.0);
    let r = w.min(h) / 2.0;
    let mut s = String::from("q 0.86 0.08 0.08 RG 0.86 0.08 0.08 rg\n");
    let lw = (r * 0.06).max(0.5);
    s += &format!("{lw:.3} w\n");
    for rr in [r - lw / 2.0, r * 0.86] {
        s += &circle(cx, cy, rr);
        s += "S\n";
    }
    let outer = r * 0.35;
    let inner = outer * 0.382;
    for i in 0..10 {
        let ang = std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::PI / 5.0;
        let rad = if i % 2 == 0 { outer } else { inner };
        let (x, y) = (cx + rad * ang.cos(), cy + rad * ang.sin());
        s += &format!("{x:.3} {y:.3} {}\n", if i == 0 { "m" } else { "l" });
    }
    s += "h f\nQ\n";
    s.into_bytes()
}

fn circle(cx: f64, cy: f64, r: f64) -> String {
    let k = 0.5523 * r;
    format!(
        "{:.3} {:.3} m {:.3} {:.3} {:.3} {:.3} {:.3} {:.3} c {:.3} {:.3} {:.3} {:.3} {:.3} {:.3} c \
         {:.3} {:.3} {:.3} {:.3} {:.3} {:.3} c {:.3} {:.3} {:.3} {:.3} {:.3} {:.3} c h\n",
        cx + r,
        cy,
        cx + r,
        cy + k,
        cx + k,
        cy + r,
        cx,
        cy + r,
        cx - k,
        cy + r,
        cx - r,
        cy + k,
        cx - r,
        cy,
        cx - r,
        cy - k,
        cx - k,
        cy - r,
        cx,
        cy - r,
        cx + k,
        cy - r,
        cx + r,
        cy - k,
        cx + r,
        cy
    )
}

/// Where the widget goes: the rectangle in default user space and the appearance /Matrix
/// that keeps the picture upright for the viewer on a page with `/Rotate`.
///
/// `x_mm`, `y_mm` are measured from the top-left corner of the visible page (CropBox) as the
/// viewer shows it (after rotation); `w_pt`, `h_pt` is the seal's size as shown.
pub fn placement(
    crop: [f64; 4],
    rotate: u16,
    x_mm: f64,
    y_mm: f64,
    w_pt: f64,
    h_pt: f64,
) -> ([f64; 4], [f64; 6]) {
    let (x, y) = (x_mm * PT_PER_MM, y_mm * PT_PER_MM);
    let [x0, y0, x1, y1] = crop;
    // Maps a display point (X right, Y down from the shown top-left) to user space.
    let map = |dx: f64, dy: f64| -> (f64, f64) {
        match rotate {
            90 => (x0 + dy, y0 + dx),
            180 => (x1 - dx, y0 + dy),
            270 => (x1 - dy, y1 - dx),
            _ => (x0 + dx, y1 - dy),
        }
    };
    let a = map(x, y);
    let b = map(x + w_pt, y + h_pt);
    let rect = [a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)];
    let matrix = match rotate {
        90 => [0.0, 1.0, -1.0, 0.0, 0.0, 0.0],
        180 => [-1.0, 0.0, 0.0, -1.0, 0.0, 0.0],
        270 => [0.0, -1.0, 1.0, 0.0, 0.0, 0.0],
        _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
    };
    (rect, matrix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_rgba(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        let mut wr = e.write_header().unwrap();
        let mut px = Vec::new();
        for i in 0..w * h {
            px.extend_from_slice(&[255, 0, 0, if i % 2 == 0 { 255 } else { 0 }]);
        }
        wr.write_image_data(&px).unwrap();
        drop(wr);
        out
    }

    #[test]
    fn png_with_alpha() {
        let img = decode_picture("png", &png_rgba(4, 3)).unwrap();
        assert_eq!((img.width, img.height), (4, 3));
        assert_eq!(img.data.len(), 36);
        assert_eq!(img.alpha.as_ref().unwrap().len(), 12);
        assert_eq!(img.color_space, "DeviceRGB");
    }

    #[test]
    fn bmp_24() {
        let (w, h) = (2u32, 2u32);
        let stride = 8;
        let mut b = b"BM".to_vec();
        b.extend_from_slice(&(54 + stride * h).to_le_bytes());
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(&54u32.to_le_bytes());
        b.extend_from_slice(&40u32.to_le_bytes());
        b.extend_from_slice(&(w as i32).to_le_bytes());
        b.extend_from_slice(&(h as i32).to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&24u16.to_le_bytes());
        b.extend_from_slice(&[0; 24]);
        // bottom row: blue, green; top row: red, white
        b.extend_from_slice(&[255, 0, 0, 0, 255, 0, 0, 0]);
        b.extend_from_slice(&[0, 0, 255, 255, 255, 255, 0, 0]);
        let img = decode_picture("BMP", &b).unwrap();
        assert_eq!(&img.data[..3], &[255, 0, 0]);
        assert_eq!(&img.data[6..9], &[0, 0, 255]);
        assert!(decode_bmp(&b[..60]).is_err());
    }

    #[test]
    fn jpeg_sof() {
        let j = [
            0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 20, 0, 30, 3, 1, 0x22, 0, 0xff, 0xd9,
        ];
        let img = jpeg(&j).unwrap();
        assert_eq!(
            (img.width, img.height, img.color_space),
            (30, 20, "DeviceRGB")
        );
        assert!(jpeg(&j[..8]).is_err());
    }

    #[test]
    fn svg_refused() {
        let e = decode_picture("svg", b"<svg/>").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
    }

    #[test]
    fn rotation_placement() {
        let crop = [0.0, 0.0, 600.0, 800.0];
        let (r, m) = placement(crop, 0, 10.0, 10.0, 100.0, 50.0);
        let x = 10.0 * PT_PER_MM;
        assert!((r[0] - x).abs() < 1e-9 && (r[3] - (800.0 - x)).abs() < 1e-9);
        assert_eq!(m, [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
        let (r, _) = placement(crop, 90, 0.0, 0.0, 100.0, 50.0);
        // Shown top-left is the user-space bottom-left; the seal's width runs up the page.
        assert_eq!(r, [0.0, 0.0, 50.0, 100.0]);
    }
}
