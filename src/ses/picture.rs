//! Seal pictures (GB/T 38540-2020 §6.2, `SES_ESPictrueInfo`): the type name written in the
//! seal and the picture's magic number must agree.
//!
//! Types: PNG, JPG (JPEG), GIF, BMP, SVG (XML text starting with `<svg` or `<?xml`) and OFD (a
//! whole OFD package, a ZIP file: tax seals use it). Names are matched in any case.

use crate::error::{Error, ErrorKind, Result};

/// A seal picture type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PictureType {
    /// PNG (`89 50 4E 47 0D 0A 1A 0A`).
    Png,
    /// JPEG (`FF D8 FF`), written `JPG`.
    Jpeg,
    /// GIF (`GIF87a` / `GIF89a`).
    Gif,
    /// BMP (`BM`).
    Bmp,
    /// SVG (text starting with `<svg` or `<?xml`).
    Svg,
    /// An OFD package (ZIP, `PK\x03\x04`).
    Ofd,
}

impl PictureType {
    /// The type judged from the bytes (the magic numbers listed on the variants), if any. The
    /// one picture sniffer of the library: seal making and checking ([`check_picture`]) and
    /// PDF appearances ([`PictureType::detect`]) both use it.
    pub fn sniff(data: &[u8]) -> Option<PictureType> {
        if data.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(PictureType::Png);
        }
        if data.starts_with(&[0xff, 0xd8, 0xff]) {
            return Some(PictureType::Jpeg);
        }
        if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
            return Some(PictureType::Gif);
        }
        if data.starts_with(b"BM") && data.len() >= 26 {
            return Some(PictureType::Bmp);
        }
        if data.starts_with(b"PK\x03\x04") {
            return Some(PictureType::Ofd);
        }
        let text = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
        let start = text
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(text.len());
        let text = &text[start..];
        if text.starts_with(b"<svg") || text.starts_with(b"<?xml") {
            return Some(PictureType::Svg);
        }
        None
    }

    /// The type for a name written in a seal, in any case (`png`, `JPG`, `jpeg`, `ofd`, …).
    pub fn from_name(name: &str) -> Option<PictureType> {
        match name.trim().to_ascii_uppercase().as_str() {
            "PNG" => Some(PictureType::Png),
            "JPG" | "JPEG" => Some(PictureType::Jpeg),
            "GIF" => Some(PictureType::Gif),
            "BMP" => Some(PictureType::Bmp),
            "SVG" => Some(PictureType::Svg),
            "OFD" => Some(PictureType::Ofd),
            _ => None,
        }
    }

    /// The type of a picture to render: judged from its bytes, or, when no magic number is
    /// recognised, from the name written in the seal (any case).
    pub fn detect(name: &str, data: &[u8]) -> Result<PictureType> {
        PictureType::sniff(data)
            .or_else(|| PictureType::from_name(name))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::MalformedPicture,
                    format!("unknown picture type {name:?}"),
                )
            })
    }

    /// The name written when making seals: `PNG`, `JPG`, `GIF`, `BMP`, `SVG` or `OFD`.
    pub fn name(self) -> &'static str {
        match self {
            PictureType::Png => "PNG",
            PictureType::Jpeg => "JPG",
            PictureType::Gif => "GIF",
            PictureType::Bmp => "BMP",
            PictureType::Svg => "SVG",
            PictureType::Ofd => "OFD",
        }
    }
}

/// Checks that `data` is a picture of the named type; returns the type.
pub fn check_picture(name: &str, data: &[u8]) -> Result<PictureType> {
    let named = PictureType::from_name(name).ok_or_else(|| {
        Error::new(
            ErrorKind::MalformedPicture,
            format!("unknown picture type {name:?}"),
        )
    })?;
    match PictureType::sniff(data) {
        Some(t) if t == named => Ok(t),
        Some(t) => Err(Error::new(
            ErrorKind::MalformedPicture,
            format!("picture is named {name:?} but its content is {}", t.name()),
        )),
        None => Err(Error::new(
            ErrorKind::MalformedPicture,
            format!("picture content is not {name:?} (unknown magic number)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        let mut bmp = vec![0u8; 26];
        bmp[..2].copy_from_slice(b"BM");
        let cases: [(&str, &[u8], PictureType); 7] = [
            ("png", b"\x89PNG\r\n\x1a\n....", PictureType::Png),
            ("JPEG", &[0xff, 0xd8, 0xff, 0xe0], PictureType::Jpeg),
            ("gif", b"GIF89a...", PictureType::Gif),
            ("ofd", b"PK\x03\x04rest", PictureType::Ofd),
            ("SVG", b"  <svg xmlns=''/>", PictureType::Svg),
            ("svg", b"<?xml version='1.0'?>", PictureType::Svg),
            ("BMP", &bmp, PictureType::Bmp),
        ];
        for (name, data, t) in cases {
            assert_eq!(check_picture(name, data).unwrap(), t, "{name}");
        }
        let e = check_picture("PNG", b"GIF89a").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedPicture);
        assert!(check_picture("TIFF", b"II*\0").is_err());
        assert!(check_picture("PNG", b"").is_err());
    }

    #[test]
    fn detect_prefers_the_magic_number() {
        assert_eq!(
            PictureType::detect("png", &[0xff, 0xd8, 0xff, 0xe0]).unwrap(),
            PictureType::Jpeg
        );
        assert_eq!(
            PictureType::detect("PNG", b"\n<svg/>").unwrap(),
            PictureType::Svg
        );
        // Not a full magic number: the name decides (and the decoder will refuse the bytes).
        assert_eq!(
            PictureType::detect("jpg", b"\x89PNG").unwrap(),
            PictureType::Jpeg
        );
        assert_eq!(
            PictureType::detect("gif", &[0xff, 0xd8, 0x00]).unwrap(),
            PictureType::Gif
        );
        let e = PictureType::detect("tiff", b"II*\0").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::MalformedPicture);
    }
}
