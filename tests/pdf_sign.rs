//! Sealing PDFs with the CMS payload and checking the output with our verifier and with
//! independent tools (qpdf, pdfsig, pdftoppm, pikepdf, pyhanko).

mod pdf_util;

use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use eseal::report::{Status, Verdict, ids};
use pdf_util::*;
use std::process::Command;

#[test]
fn seal_and_verify_cms() {
    let dir = tmpdir("basic");
    let input = dir.join("in.pdf");
    std::fs::write(&input, make_pdf(&Gen::default())).unwrap();
    let s = test_signer("Seal One");
    let out = dir.join("out.pdf");
    seal_cms(&input, &out, &cms_options(1, 30.0, 40.0), &s).unwrap();
    // Input untouched and a prefix of the output.
    let a = std::fs::read(&input).unwrap();
    let b = std::fs::read(&out).unwrap();
    assert!(b.starts_with(&a));
    let r = verify_pdf(&out, &VerifyOptions::default());
    assert_eq!(r.signatures.len(), 1, "{:#?}", r);
    for id in [
        ids::BYTE_RANGE,
        ids::DATA_HASH,
        ids::SIGNATURE,
        ids::MODIFICATIONS,
        ids::FORMAT,
    ] {
        assert_eq!(status(&r, 0, id), Status::Pass, "{id}: {:#?}", r);
    }
    assert_eq!(r.signatures[0].format, "cms");
    assert!(
        r.signatures[0]
            .signer
            .as_ref()
            .unwrap()
            .subject
            .contains("Seal One")
    );
    // No trust anchors: the chain is undecided, nothing failed.
    assert_eq!(r.verdict, Verdict::Indeterminate);
    // With the (self-signed) signer certificate as trust anchor: valid.
    let mut trust = eseal::pki::TrustStore::new();
    trust.add_pem_or_der_anchors(&s.cert).unwrap();
    let r = verify_pdf(&out, &VerifyOptions { trust, now: None });
    assert_eq!(r.verdict, Verdict::Valid, "{r:#?}");

    // Refuses to overwrite its input; leaves no temp files behind.
    let e = seal_cms(&out, &out, &cms_options(1, 10.0, 10.0), &s).unwrap_err();
    assert_eq!(e.kind(), eseal::ErrorKind::PdfRefused);
    // A payload too large for the reservation: error, no output.
    let out2 = dir.join("toolarge.pdf");
    let e = eseal::pdf::seal_with(&out, &out2, &cms_options(1, 10.0, 10.0), |_| {
        Ok(vec![0x30; 9000])
    })
    .unwrap_err();
    assert_eq!(e.kind(), eseal::ErrorKind::PdfRefused);
    assert!(!out2.exists());
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("eseal-tmp"))
        .collect();
    assert!(leftovers.is_empty());

    // A second seal keeps the first valid; a one-byte change invalidates both.
    let out3 = dir.join("two.pdf");
    let s2 = test_signer("Seal Two");
    seal_cms(&out, &out3, &cms_options(2, 100.0, 100.0), &s2).unwrap();
    let r = verify_pdf(&out3, &VerifyOptions::default());
    assert_eq!(r.signatures.len(), 2, "{:#?}", r);
    for i in 0..2 {
        for id in [
            ids::BYTE_RANGE,
            ids::DATA_HASH,
            ids::SIGNATURE,
            ids::MODIFICATIONS,
        ] {
            assert_eq!(
                status(&r, i, id),
                Status::Pass,
                "sig {i} {id}: {:#?}",
                r.signatures[i]
            );
        }
    }
    let mut bytes = std::fs::read(&out3).unwrap();
    let pos = bytes
        .windows(17)
        .position(|w| w == b"Page 1 of a test ")
        .unwrap();
    bytes[pos + 5] = b'2';
    let tampered = dir.join("tampered.pdf");
    std::fs::write(&tampered, &bytes).unwrap();
    let r = verify_pdf(&tampered, &VerifyOptions::default());
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(status(&r, 0, ids::DATA_HASH), Status::Fail);
    assert_eq!(status(&r, 1, ids::DATA_HASH), Status::Fail);

    external_checks(&out3, 2);
}

/// Renders page `page` at 72 dpi and counts red pixels inside the display rectangle
/// (x, y, w, h in points from the top-left of the shown page).
fn red_pixels(path: &std::path::Path, page: usize, rect: [f64; 4]) -> Option<(usize, usize)> {
    pixels(path, page, rect, |p| p[0] > 150 && p[1] < 90 && p[2] < 90)
}

/// Counts pixels matching `want` inside and outside the rectangle.
fn pixels(
    path: &std::path::Path,
    page: usize,
    rect: [f64; 4],
    want: impl Fn(&[u8]) -> bool,
) -> Option<(usize, usize)> {
    if !have("pdftoppm") {
        return None;
    }
    let dir = path.parent().unwrap();
    let prefix = dir.join(format!(
        "render-{page}-{}",
        path.file_stem().unwrap().to_string_lossy()
    ));
    let (ok, out) = run(Command::new("pdftoppm")
        .args([
            "-cropbox",
            "-r",
            "72",
            "-f",
            &page.to_string(),
            "-l",
            &page.to_string(),
            "-singlefile",
            "-png",
        ])
        .arg(path)
        .arg(&prefix));
    assert!(ok, "pdftoppm: {out}");
    let png = std::fs::read(prefix.with_extension("png")).unwrap();
    let mut dec = png::Decoder::new(std::io::Cursor::new(png));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut rd = dec.read_info().unwrap();
    let mut buf = vec![0; rd.output_buffer_size().unwrap()];
    let info = rd.next_frame(&mut buf).unwrap();
    let ch = info.color_type.samples();
    let (mut inside, mut outside) = (0, 0);
    for y in 0..info.height as usize {
        for x in 0..info.width as usize {
            let p = &buf[y * info.line_size + x * ch..];
            let red = want(p);
            if red {
                let (fx, fy) = (x as f64 + 0.5, y as f64 + 0.5);
                if fx >= rect[0]
                    && fx <= rect[0] + rect[2]
                    && fy >= rect[1]
                    && fy <= rect[1] + rect[3]
                {
                    inside += 1;
                } else {
                    outside += 1;
                }
            }
        }
    }
    Some((inside, outside))
}

#[test]
fn seal_is_drawn_where_asked_on_rotated_pages() {
    let dir = tmpdir("rotate");
    let s = test_signer("Rotated");
    let mm = 72.0 / 25.4;
    for (rot, inherit, crop) in [
        (None, false, None),
        (Some(90), true, None),
        (Some(180), false, Some([20.0, 30.0, 500.0, 800.0])),
        (Some(270), true, None),
    ] {
        let input = dir.join(format!("in{rot:?}.pdf"));
        std::fs::write(
            &input,
            make_pdf(&Gen {
                rotate: rot,
                inherit,
                crop,
                ..Gen::default()
            }),
        )
        .unwrap();
        let out = dir.join(format!("out{}.pdf", rot.unwrap_or(0)));
        seal_cms(&input, &out, &cms_options(1, 30.0, 50.0), &s).unwrap();
        let r = verify_pdf(&out, &VerifyOptions::default());
        assert_eq!(status(&r, 0, ids::MODIFICATIONS), Status::Pass, "{:#?}", r);
        if let Some((inside, outside)) =
            red_pixels(&out, 1, [30.0 * mm, 50.0 * mm, 40.0 * mm, 40.0 * mm])
        {
            assert!(
                inside > 500,
                "rotate {rot:?}: only {inside} red pixels inside the seal box"
            );
            assert!(
                outside < inside / 20,
                "rotate {rot:?}: {outside} red pixels outside the seal box"
            );
        }
    }
}

fn png_of(
    color: png::ColorType,
    depth: png::BitDepth,
    w: u32,
    h: u32,
    data: &[u8],
    palette: Option<Vec<u8>>,
    trns: Option<Vec<u8>>,
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(color);
    e.set_depth(depth);
    if let Some(p) = palette {
        e.set_palette(p);
    }
    if let Some(t) = trns {
        e.set_trns(t);
    }
    let mut wr = e.write_header().unwrap();
    wr.write_image_data(data).unwrap();
    drop(wr);
    out
}

/// A disc: true inside.
fn disc(w: u32, h: u32) -> Vec<bool> {
    let (cx, cy, r) = (w as f64 / 2.0, h as f64 / 2.0, w.min(h) as f64 / 2.0 * 0.9);
    (0..h)
        .flat_map(|y| {
            (0..w).map(move |x| {
                ((x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2)).sqrt() < r
            })
        })
        .collect()
}

fn bmp24(w: u32, h: u32) -> Vec<u8> {
    let stride = (w * 3).div_ceil(4) * 4;
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
    let d = disc(w, h);
    for y in (0..h).rev() {
        let mut row = Vec::new();
        for x in 0..w {
            row.extend_from_slice(if d[(y * w + x) as usize] {
                &[20, 20, 220]
            } else {
                &[255, 255, 255]
            });
        }
        row.resize(stride as usize, 0);
        b.extend_from_slice(&row);
    }
    b
}

fn gif_disc(w: u16, h: u16) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let palette = [255u8, 255, 255, 220, 20, 20];
        let mut enc = gif::Encoder::new(&mut out, w, h, &palette).unwrap();
        let d = disc(w as u32, h as u32);
        let idx: Vec<u8> = d.iter().map(|&on| on as u8).collect();
        let mut f = gif::Frame::from_indexed_pixels(w, h, idx, Some(0));
        f.transparent = Some(0);
        enc.write_frame(&f).unwrap();
    }
    out
}

#[test]
fn picture_formats() {
    use eseal::pdf::sign::SealPicture;
    let dir = tmpdir("pictures");
    let input = dir.join("in.pdf");
    std::fs::write(&input, make_pdf(&Gen::default())).unwrap();
    let s = test_signer("Pictures");
    let (w, h) = (64u32, 64u32);
    let d = disc(w, h);
    let rgb16: Vec<u8> = d
        .iter()
        .flat_map(|&on| {
            if on {
                [0xdc, 0, 0x14, 0, 0x14, 0]
            } else {
                [0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
            }
        })
        .collect();
    let gray: Vec<u8> = d.iter().map(|&on| if on { 0 } else { 255 }).collect();
    let pal_idx: Vec<u8> = d.iter().map(|&on| on as u8).collect();
    let mut pics: Vec<(&str, &str, Vec<u8>, bool)> = vec![
        (
            "png16",
            "PNG",
            png_of(
                png::ColorType::Rgb,
                png::BitDepth::Sixteen,
                w,
                h,
                &rgb16,
                None,
                None,
            ),
            true,
        ),
        (
            "pnggray",
            "png",
            png_of(
                png::ColorType::Grayscale,
                png::BitDepth::Eight,
                w,
                h,
                &gray,
                None,
                None,
            ),
            false,
        ),
        (
            "pngpal",
            "PNG",
            png_of(
                png::ColorType::Indexed,
                png::BitDepth::Eight,
                w,
                h,
                &pal_idx,
                Some(vec![255, 255, 255, 220, 20, 20]),
                Some(vec![0, 255]),
            ),
            true,
        ),
        ("gif", "GIF", gif_disc(w as u16, h as u16), true),
        ("bmp", "bmp", bmp24(w, h), true),
    ];
    if have("gs") {
        let jpg = dir.join("seal.jpg");
        let (ok, o) = run(Command::new("gs").args(["-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=jpeg", "-r72", "-g100x100"]).arg(format!("-sOutputFile={}", jpg.display())).args(["-c", "1 1 1 setrgbcolor 0 0 100 100 rectfill 0.86 0.08 0.08 setrgbcolor 50 50 40 0 360 arc fill showpage"]));
        assert!(ok, "gs: {o}");
        pics.push(("jpeg", "JPG", std::fs::read(&jpg).unwrap(), true));
    }
    pics.push((
        "svgfallback",
        "SVG",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        true,
    ));
    let mm = 72.0 / 25.4;
    for (name, kind, data, red) in pics {
        let mut opts = cms_options(1, 50.0, 100.0);
        opts.picture = Some(SealPicture {
            kind: kind.into(),
            data,
            width_mm: 30.0,
            height_mm: 30.0,
        });
        let out = dir.join(format!("{name}.pdf"));
        if name == "svgfallback" {
            let e = seal_cms(&input, &out, &opts, &s).unwrap_err();
            assert_eq!(e.kind(), eseal::ErrorKind::Unsupported);
            opts.fallback_drawing = true;
        }
        seal_cms(&input, &out, &opts, &s).unwrap_or_else(|e| panic!("{name}: {e}"));
        tool_checks(&out, 1);
        let rect = [50.0 * mm, 100.0 * mm, 30.0 * mm, 30.0 * mm];
        let counted = if red {
            red_pixels(&out, 1, rect)
        } else {
            pixels(&out, 1, rect, |p| p[0] < 60 && p[1] < 60 && p[2] < 60)
        };
        if let Some((inside, outside)) = counted {
            assert!(inside > 300, "{name}: {inside} seal pixels inside");
            if red {
                assert!(outside < 20, "{name}: {outside} red pixels outside");
            }
        }
    }
}
