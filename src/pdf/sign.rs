//! Staged sealing of a PDF (ISO 32000-1 §12.8 digital signatures, §12.7.4.5 signature fields,
//! §12.5.6.19 widget annotations), after pyHanko's pipeline: [`prepare_to`] writes the original
//! bytes and the incremental update with a `/Contents` placeholder to any `Write + Seek`, with
//! the `/ByteRange` fixed, hashing the ByteRange bytes with SM3 as they are written
//! ([`Prepared::digest`]); the caller obtains a payload (a signer, a callback, a remote service,
//! later); and [`Prepared::finish`] patches `/Contents` in place. [`prepare_bytes`] does this
//! for a PDF held in memory into a new buffer. [`prepare`] is the path form: the output is a
//! temporary file beside the output path, synced and renamed to it by
//! [`PreparedPdf::finish`], so the input is never overwritten and a partial output never
//! appears; an unfinished preparation removes its temporary file when dropped.
//!
//! `/SubFilter`: `cms` payloads use `/adbe.pkcs7.detached`. For `ses` payloads (a DER
//! GB/T 38540 SES_Signature) there is no registered name; Chinese iText-based products are
//! reported to keep `/adbe.pkcs7.detached` with the SES structure inside, which makes generic
//! validators report a corrupt PKCS #7. eseal writes `/SubFilter /GB.T38540.SES` by default
//! (overridable with [`SealOptions::sub_filter`]) with `/Filter /Adobe.PPKLite`, and verifiers
//! detect the payload by content whatever the `/SubFilter` says.

use std::fs::{File, OpenOptions};
use std::io::{Cursor, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::appearance::{self, Image, PT_PER_MM};
use super::document::{Document, ObjId};
use super::object::{Dict, Object, text_string};
use super::sigdict::{SigDictFields, byte_range_text, docmdp_p};
use super::writer::{IncrementalUpdate, deflate};
use crate::crypto::sm3::Sm3;
use crate::error::{Error, ErrorKind, Result};
use crate::keyword::KeywordSpec;
use crate::pki::time::Time;
use crate::riding::RidingSpec;

pub use super::sigdict::{CMS_SUB_FILTER, MAX_CONTENTS, SES_SUB_FILTER, pdf_date};

/// What goes into `/Contents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadKind {
    /// A GB/T 38540 SES_Signature (dataHash = SM3 of the ByteRange bytes).
    #[default]
    Ses,
    /// A CMS SignedData (`/adbe.pkcs7.detached`).
    Cms,
}

/// The seal picture (GB/T 38540 `SES_ESPictrueInfo`).
#[derive(Debug, Clone, PartialEq)]
pub struct SealPicture {
    /// The picture type (`PNG`, `JPG`, `GIF`, `BMP`, `SVG`, `ofd`), any case.
    pub kind: String,
    /// The picture bytes.
    pub data: Vec<u8>,
    /// Width in millimetres.
    pub width_mm: f64,
    /// Height in millimetres.
    pub height_mm: f64,
}

impl SealPicture {
    /// The picture of a seal (GB/T 38540 `SES_ESPictrueInfo`).
    pub fn from_seal(seal: &crate::ses::Seal) -> SealPicture {
        let p = &seal.seal_info.picture;
        SealPicture {
            kind: p.picture_type.clone(),
            data: p.data.clone(),
            width_mm: p.width as f64,
            height_mm: p.height as f64,
        }
    }
}

/// A /Contents size that fits an SES_Signature with this seal (the seal, the signer
/// certificate and the signature, plus room for a timestamp token).
pub fn ses_contents_size(seal: &crate::ses::Seal, cert: &[u8]) -> usize {
    (seal.raw_der().len() + cert.len() + 8192).min(MAX_CONTENTS)
}

/// How to seal.
#[derive(Debug, Clone)]
pub struct SealOptions {
    /// Page number, from 1.
    pub page: usize,
    /// Distance of the seal's left edge from the visible page's left edge, in mm (as shown).
    pub x_mm: f64,
    /// Distance of the seal's top edge from the visible page's top edge, in mm (as shown).
    pub y_mm: f64,
    /// The picture; `None` makes an invisible signature (empty /Rect).
    pub picture: Option<SealPicture>,
    /// For SVG/OFD pictures: draw a red ring and star instead of refusing.
    pub fallback_drawing: bool,
    /// Field name (`/T`); default `Seal<n>`, unique in the form.
    pub field_name: Option<String>,
    /// `/Name` of the signature dictionary.
    pub name: Option<String>,
    /// `/Reason`.
    pub reason: Option<String>,
    /// `/Location`.
    pub location: Option<String>,
    /// Signing time written as `/M`.
    pub signing_time: Time,
    /// Payload kind (selects the default /SubFilter).
    pub payload: PayloadKind,
    /// Override of the /SubFilter name (without slash).
    pub sub_filter: Option<String>,
    /// Bytes reserved for the payload in /Contents.
    pub contents_size: usize,
    /// Place the seal on a keyword instead of at `page`, `x_mm`, `y_mm`: centred on the chosen
    /// occurrence(s) of the text as shown (see [`super::text`]); several occurrences give one
    /// signature field whose widgets are the seals.
    pub keyword: Option<KeywordSpec>,
    /// A riding seal (骑缝章) over several pages instead: one field whose widgets are the
    /// strips of the picture, one per page (see [`crate::riding`]). Needs a picture.
    pub riding: Option<RidingSpec>,
}

/// One widget of the signature field: where it goes and which part of the picture it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WidgetPlacement {
    /// Page number, from 1.
    pub page: usize,
    /// Left edge (mm) from the visible page's left edge, as shown.
    pub x_mm: f64,
    /// Top edge (mm) from the visible page's top edge, as shown.
    pub y_mm: f64,
    /// The part of the picture shown, as fractions `[x0, y0, x1, y1]` from its top-left
    /// (`[0, 0, 1, 1]`: all of it).
    pub part: [f64; 4],
}

/// The widgets a sealing run writes: one at `page`/`x_mm`/`y_mm`, or one per chosen keyword
/// occurrence (the seal centred on it, moved by the offsets).
pub fn widget_placements(doc: &Document, opts: &SealOptions) -> Result<Vec<WidgetPlacement>> {
    let whole = [0.0, 0.0, 1.0, 1.0];
    if !(opts.x_mm.is_finite() && opts.y_mm.is_finite()) {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "the seal position must be finite",
        ));
    }
    if let Some(spec) = &opts.riding {
        let pic = opts.picture.as_ref().ok_or_else(|| {
            Error::new(ErrorKind::InvalidArgument, "a riding seal needs a picture")
        })?;
        let selected = spec.pages.pages(doc.page_count()?)?;
        let mut sizes = Vec::with_capacity(selected.len());
        for &n in &selected {
            let p = doc.page(n)?;
            let (w, h) = (p.crop_box[2] - p.crop_box[0], p.crop_box[3] - p.crop_box[1]);
            let (w, h) = if p.rotate % 180 == 90 { (h, w) } else { (w, h) };
            sizes.push((n, w / PT_PER_MM, h / PT_PER_MM));
        }
        return Ok(
            crate::riding::strips(spec, &sizes, pic.width_mm, pic.height_mm)?
                .into_iter()
                .map(|s| WidgetPlacement {
                    page: s.page,
                    x_mm: s.rect_mm[0],
                    y_mm: s.rect_mm[1],
                    part: s.part,
                })
                .collect(),
        );
    }
    let Some(spec) = &opts.keyword else {
        return Ok(vec![WidgetPlacement {
            page: opts.page,
            x_mm: opts.x_mm,
            y_mm: opts.y_mm,
            part: whole,
        }]);
    };
    let (w, h) = opts
        .picture
        .as_ref()
        .map(|p| (p.width_mm, p.height_mm))
        .unwrap_or((0.0, 0.0));
    Ok(super::text::find_keyword(doc, spec)?
        .into_iter()
        .map(|hit| {
            let (x, y) = hit.seal_origin(spec, w, h);
            WidgetPlacement {
                page: hit.page,
                x_mm: x,
                y_mm: y,
                part: whole,
            }
        })
        .collect())
}

impl Default for SealOptions {
    fn default() -> Self {
        SealOptions {
            page: 1,
            x_mm: 20.0,
            y_mm: 20.0,
            picture: None,
            fallback_drawing: false,
            field_name: None,
            name: None,
            reason: None,
            location: None,
            signing_time: Time::now(),
            payload: PayloadKind::Ses,
            sub_filter: None,
            contents_size: 32 * 1024,
            keyword: None,
            riding: None,
        }
    }
}

/// A document with its update written and its ByteRange fixed, waiting for the payload: the
/// sealed file being written to any `Write + Seek` (a file, a `Cursor<Vec<u8>>`, …). The
/// digest was computed while the bytes were written, so the output is never read back.
#[derive(Debug)]
pub struct Prepared<W: Write + Seek> {
    out: W,
    /// Where the document starts in `out` (its position when preparation began).
    base: u64,
    byte_range: [u64; 4],
    capacity: usize,
    field_name: String,
    signing_time: Time,
    digest: [u8; 32],
}

/// A document with its update written into a temporary file beside the output and its
/// ByteRange fixed, waiting for the payload ([`prepare`]; [`Prepared`] on a file that is
/// renamed to the output when finished, removed when dropped unfinished).
#[derive(Debug)]
pub struct PreparedPdf {
    tmp: PathBuf,
    out: PathBuf,
    prepared: Option<Prepared<File>>,
}

fn refused(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::PdfRefused, msg)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn field_names(doc: &Document, acro: &Dict) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(Ok(Object::Array(fields))) = acro.get("Fields").map(|f| doc.resolve(f)) {
        for f in fields.iter().take(100_000) {
            if let Ok(d) = doc.resolve_dict(f, "field")
                && let Some(Object::String(t)) = d.get("T")
            {
                names.push(super::object::decode_text(t));
            }
        }
    }
    names
}

/// Writes `doc` followed by its sealing update to `out` (from `out`'s current position) and
/// returns it ready for the payload. Nothing is read back: the ByteRange digest is computed
/// as the bytes are written.
pub fn prepare_to<W: Write + Seek>(
    doc: &Document,
    mut out: W,
    opts: &SealOptions,
) -> Result<Prepared<W>> {
    if opts.contents_size == 0 || opts.contents_size > MAX_CONTENTS {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("contents_size must be 1..={MAX_CONTENTS}"),
        ));
    }
    let (mut bytes, contents_at, br_at, field_name) = build_update(doc, opts)?;
    let total = doc.len() + bytes.len() as u64;
    let a = contents_at;
    let b = contents_at + 2 + 2 * opts.contents_size as u64;
    let br = [0, a, b, total - b];
    let text = byte_range_text(br)?;
    let at = (br_at - doc.len()) as usize;
    bytes[at..at + text.len()].copy_from_slice(&text);
    let base = out.stream_position()?;
    let mut w = RangeHasher {
        out: &mut out,
        pos: 0,
        gap: (a, b),
        h: <Sm3 as sm3::Digest>::new(),
    };
    // The original bytes, streamed in 1 MiB blocks.
    let mut buf = vec![0u8; 1 << 20];
    let mut original = doc.range_reader(0, doc.len());
    let mut copied = 0u64;
    loop {
        let n = original.read(&mut buf)?;
        if n == 0 {
            break;
        }
        w.write_all(&buf[..n])?;
        copied += n as u64;
    }
    if copied != doc.len() {
        return Err(Error::new(ErrorKind::Io, "the input changed while sealing"));
    }
    w.write_all(&bytes)?;
    let digest = sm3::Digest::finalize(w.h).into();
    Ok(Prepared {
        out,
        base,
        byte_range: br,
        capacity: opts.contents_size,
        field_name,
        signing_time: opts.signing_time,
        digest,
    })
}

/// Prepares sealing a PDF held in memory: the sealed PDF is built in a new buffer (the input
/// is borrowed, not copied twice). [`Prepared::finish`] returns the buffer.
pub fn prepare_bytes(input: &[u8], opts: &SealOptions) -> Result<Prepared<Cursor<Vec<u8>>>> {
    let doc = Document::from_slice(input)?;
    // Room for the input, the update's fixed part and the /Contents reservation.
    let room = input.len() + 2 * opts.contents_size.min(MAX_CONTENTS) + 64 * 1024;
    prepare_to(&doc, Cursor::new(Vec::with_capacity(room)), opts)
}

/// Writes through to `out`, hashing with SM3 every byte outside `gap` (the `/Contents` hex
/// string), positions counted from the document's start.
struct RangeHasher<'w, W: Write> {
    out: &'w mut W,
    pos: u64,
    gap: (u64, u64),
    h: Sm3,
}

impl<W: Write> Write for RangeHasher<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        let (start, end) = (self.pos, self.pos + n as u64);
        let (a, b) = self.gap;
        // The parts of [start, end) before a and from b on.
        let before = start..end.min(a).max(start);
        let after = start.max(b).min(end)..end;
        for r in [before, after] {
            if r.start < r.end {
                let s = (r.start - start) as usize;
                let e = (r.end - start) as usize;
                sm3::Digest::update(&mut self.h, &buf[s..e]);
            }
        }
        self.pos = end;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes the update into a temporary file beside `output` and returns it ready for the
/// payload. `input` and `output` must differ. The input is read by offset, never loaded whole.
pub fn prepare(input: &Path, output: &Path, opts: &SealOptions) -> Result<PreparedPdf> {
    if input == output || same_file(input, output) {
        return Err(refused("the output must not be the input"));
    }
    if opts.contents_size == 0 || opts.contents_size > MAX_CONTENTS {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            format!("contents_size must be 1..={MAX_CONTENTS}"),
        ));
    }
    let doc = Document::open(input)?;
    let dir = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let base = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out.pdf".into());
    let mut rnd = [0u8; 8];
    getrandom::fill(&mut rnd).map_err(|_| Error::new(ErrorKind::Rng, "no randomness"))?;
    let tmp = dir.join(format!(
        ".{base}.{}.eseal-tmp",
        rnd.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ));
    let f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", tmp.display())))?;
    // From here on, dropping `prepared` removes the temporary file.
    let mut prepared = PreparedPdf {
        tmp,
        out: output.to_path_buf(),
        prepared: None,
    };
    prepared.prepared = Some(prepare_to(&doc, f, opts)?);
    Ok(prepared)
}

fn read_at(f: &File, off: u64, buf: &mut [u8]) -> Result<()> {
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(f, buf, off)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n =
                std::os::windows::fs::FileExt::seek_read(f, &mut buf[done..], off + done as u64)?;
            if n == 0 {
                return Err(Error::new(ErrorKind::Io, "short read"));
            }
            done += n;
        }
    }
    Ok(())
}

/// SM3 over `[0, a)` and `[b, b + c)` of `f`, streamed in 1 MiB blocks.
pub fn hash_byte_range(f: &File, br: [u64; 4]) -> Result<[u8; 32]> {
    use sm3::Digest;
    let mut h = Sm3::new();
    let mut buf = vec![0u8; 1 << 20];
    for (start, len) in [(br[0], br[1]), (br[2], br[3])] {
        let mut pos = start;
        let end = start + len;
        while pos < end {
            let n = ((end - pos) as usize).min(buf.len());
            read_at(f, pos, &mut buf[..n])?;
            h.update(&buf[..n]);
            pos += n as u64;
        }
    }
    Ok(h.finalize().into())
}

impl<W: Write + Seek> Prepared<W> {
    /// The ByteRange `[0 a b c]`.
    pub fn byte_range(&self) -> [u64; 4] {
        self.byte_range
    }

    /// Bytes reserved for the payload.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The signature field's name.
    pub fn field_name(&self) -> &str {
        &self.field_name
    }

    /// The signing time given in the options (written as `/M`).
    pub fn signing_time(&self) -> Time {
        self.signing_time
    }

    /// SM3 of the ByteRange bytes.
    pub fn digest(&self) -> [u8; 32] {
        self.digest
    }

    /// The `propertyInfo` (protection scope) written into an SES_Signature for this PDF:
    /// `PDF /ByteRange [0 a b c]`.
    pub fn ses_property_info(&self) -> String {
        let b = self.byte_range;
        format!("PDF /ByteRange [{} {} {} {}]", b[0], b[1], b[2], b[3])
    }

    /// Finishes with a GB/T 38540 SES_Signature (version 4) made by `signer` with `seal`:
    /// dataHash = SM3 of the ByteRange bytes, propertyInfo = [`Prepared::ses_property_info`].
    /// Returns the output.
    pub fn finish_ses(
        self,
        seal: &crate::ses::Seal,
        cert: &[u8],
        signer: &dyn crate::crypto::Signer,
    ) -> Result<W> {
        let prop = self.ses_property_info();
        let req = crate::ses::SignRequest::new(seal, cert, &prop, self.signing_time);
        let ses = crate::ses::sign_hash(&req, &self.digest, signer)?;
        let der = ses.to_der()?;
        self.finish(&der)
    }

    /// Finishes with a CMS SignedData (see [`super::cms`]) made by `signer` for `cert`, with
    /// `chain` included. Returns the output.
    pub fn finish_cms(
        self,
        signer: &dyn crate::crypto::Signer,
        cert: &[u8],
        chain: &[Vec<u8>],
        profile: super::cms::CmsProfile,
    ) -> Result<W> {
        let der = super::cms::build_signed_data(
            signer,
            cert,
            chain,
            self.signing_time,
            &self.digest,
            profile,
        )?;
        self.finish(&der)
    }

    /// Writes the payload into /Contents and returns the output (flushed, positioned just
    /// after the payload).
    pub fn finish(mut self, payload: &[u8]) -> Result<W> {
        if payload.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, "empty payload"));
        }
        if payload.len() > self.capacity {
            return Err(refused(format!(
                "payload of {} bytes does not fit the {} bytes reserved; prepare again with a larger contents_size",
                payload.len(),
                self.capacity
            )));
        }
        let hex: String = payload.iter().map(|b| format!("{b:02X}")).collect();
        self.out
            .seek(SeekFrom::Start(self.base + self.byte_range[1] + 1))?;
        self.out.write_all(hex.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

impl PreparedPdf {
    fn inner(&self) -> Result<&Prepared<File>> {
        self.prepared
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "already finished"))
    }

    /// The ByteRange `[0 a b c]`.
    pub fn byte_range(&self) -> [u64; 4] {
        self.prepared.as_ref().map_or([0; 4], Prepared::byte_range)
    }

    /// Bytes reserved for the payload.
    pub fn capacity(&self) -> usize {
        self.prepared.as_ref().map_or(0, Prepared::capacity)
    }

    /// The signature field's name.
    pub fn field_name(&self) -> &str {
        self.prepared.as_ref().map_or("", Prepared::field_name)
    }

    /// The signing time given in the options (written as `/M`).
    pub fn signing_time(&self) -> Time {
        self.prepared
            .as_ref()
            .map_or(Time(0), Prepared::signing_time)
    }

    /// The `propertyInfo` (protection scope) written into an SES_Signature for this PDF:
    /// `PDF /ByteRange [0 a b c]`.
    pub fn ses_property_info(&self) -> String {
        let b = self.byte_range();
        format!("PDF /ByteRange [{} {} {} {}]", b[0], b[1], b[2], b[3])
    }

    /// Finishes with a GB/T 38540 SES_Signature (version 4) made by `signer` with `seal`:
    /// dataHash = SM3 of the ByteRange bytes, propertyInfo = [`PreparedPdf::ses_property_info`].
    pub fn finish_ses(
        self,
        seal: &crate::ses::Seal,
        cert: &[u8],
        signer: &dyn crate::crypto::Signer,
    ) -> Result<()> {
        let digest = self.digest()?;
        let prop = self.ses_property_info();
        let req = crate::ses::SignRequest::new(seal, cert, &prop, self.signing_time());
        let ses = crate::ses::sign_hash(&req, &digest, signer)?;
        let der = ses.to_der()?;
        self.finish(&der)
    }

    /// Finishes with a CMS SignedData (see [`super::cms`]) made by `signer` for `cert`, with
    /// `chain` included.
    pub fn finish_cms(
        self,
        signer: &dyn crate::crypto::Signer,
        cert: &[u8],
        chain: &[Vec<u8>],
        profile: super::cms::CmsProfile,
    ) -> Result<()> {
        let digest = self.digest()?;
        let der = super::cms::build_signed_data(
            signer,
            cert,
            chain,
            self.signing_time(),
            &digest,
            profile,
        )?;
        self.finish(&der)
    }

    /// SM3 of the ByteRange bytes.
    pub fn digest(&self) -> Result<[u8; 32]> {
        Ok(self.inner()?.digest())
    }

    /// Writes the payload into /Contents, syncs, and renames the file to the output.
    pub fn finish(mut self, payload: &[u8]) -> Result<()> {
        let prepared = self
            .prepared
            .take()
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "already finished"))?;
        let f = prepared.finish(payload)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&self.tmp, &self.out)
            .map_err(|e| Error::new(ErrorKind::Io, format!("{}: {e}", self.out.display())))?;
        #[cfg(unix)]
        if let Some(dir) = self.out.parent().filter(|p| !p.as_os_str().is_empty())
            && let Ok(d) = File::open(dir)
        {
            let _ = d.sync_all();
        }
        self.tmp = PathBuf::new();
        Ok(())
    }
}

impl Drop for PreparedPdf {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            self.prepared = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Seals in one go: prepare, digest, payload from `make_payload(digest)`, finish.
pub fn seal_with(
    input: &Path,
    output: &Path,
    opts: &SealOptions,
    make_payload: impl FnOnce(&[u8; 32]) -> Result<Vec<u8>>,
) -> Result<()> {
    let p = prepare(input, output, opts)?;
    let d = p.digest()?;
    let payload = make_payload(&d)?;
    p.finish(&payload)
}

/// Seals a PDF held in memory in one go ([`seal_with`] on bytes): the sealed PDF.
pub fn seal_bytes_with(
    input: &[u8],
    opts: &SealOptions,
    make_payload: impl FnOnce(&[u8; 32]) -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    let p = prepare_bytes(input, opts)?;
    let payload = make_payload(&p.digest())?;
    Ok(p.finish(&payload)?.into_inner())
}

fn name(s: &str) -> Object {
    Object::Name(s.as_bytes().to_vec())
}

fn rect_obj(r: [f64; 4]) -> Object {
    Object::Array(r.iter().map(|&v| Object::Real(v)).collect())
}

/// Builds the appended bytes: `(bytes, absolute offset of '<' of /Contents, absolute offset of
/// the ByteRange placeholder, field name)`.
fn build_update(doc: &Document, opts: &SealOptions) -> Result<(Vec<u8>, u64, u64, String)> {
    let (cat_id, mut catalog) = doc.catalog()?;
    // A certification signature with DocMDP /P 1 forbids any later change (§12.8.2.2).
    if let Some(perms) = catalog.get("Perms")
        && let Ok(perms) = doc.resolve_dict(perms, "/Perms")
        && let Some(mdp) = perms.get("DocMDP")
        && let Ok(mdp) = doc.resolve_dict(mdp, "/DocMDP")
        && docmdp_p(doc, &mdp) == Some(1)
    {
        return Err(refused(
            "the document is certified with DocMDP /P 1: no change, not even a signature, is allowed",
        ));
    }
    let mut up = IncrementalUpdate::new(doc)?;

    // The AcroForm: kept indirect (new version of the same object, or a new object).
    let (acro_id, mut acro): (Option<ObjId>, Dict) = match catalog.get("AcroForm") {
        Some(Object::Ref(n, g)) => (
            Some((*n, *g)),
            doc.resolve_dict(&Object::Ref(*n, *g), "/AcroForm")?,
        ),
        Some(Object::Dict(d)) => (None, d.clone()),
        _ => (None, Dict::new()),
    };
    let existing = field_names(doc, &acro);
    let field_name = match &opts.field_name {
        Some(n) if existing.contains(n) => {
            return Err(refused(format!("a field named {n:?} exists")));
        }
        Some(n) => n.clone(),
        None => (1..)
            .map(|i| format!("Seal{i}"))
            .find(|n| !existing.contains(n))
            .unwrap_or_default(),
    };

    let sig_num = up.alloc()?;
    let field_num = up.alloc()?;

    // Where the seal goes: one widget per placement (a keyword may give several).
    let placements = widget_placements(doc, opts)?;
    let mut pages: Vec<(usize, super::document::PageInfo)> = Vec::new();
    for w in &placements {
        if !pages.iter().any(|(n, _)| *n == w.page) {
            pages.push((w.page, doc.page(w.page)?));
        }
    }
    let page_of = |n: usize| &pages.iter().find(|(p, _)| *p == n).expect("loaded").1;

    // Appearances: the picture decoded and written once, one form per widget.
    let mut widgets: Vec<(usize, [f64; 4], Option<u32>)> = Vec::new(); // (page, rect, form)
    match &opts.picture {
        None => widgets.push((opts.page, [0.0; 4], None)),
        Some(pic) => {
            if !(pic.width_mm > 0.0
                && pic.height_mm > 0.0
                && pic.width_mm < 2000.0
                && pic.height_mm < 2000.0)
            {
                return Err(Error::new(
                    ErrorKind::MalformedPicture,
                    "seal size out of range",
                ));
            }
            let (full_w, full_h) = (pic.width_mm * PT_PER_MM, pic.height_mm * PT_PER_MM);
            let drawing = match appearance::decode_picture(&pic.kind, &pic.data) {
                Ok(img) => {
                    let img_num = write_image(&mut up, &img)?;
                    let mut xo = Dict::new();
                    xo.set("Im0", Object::Ref(img_num, 0));
                    let mut res = Dict::new();
                    res.set("XObject", Object::Dict(xo));
                    Some(res)
                }
                Err(e) if e.kind() == ErrorKind::Unsupported && opts.fallback_drawing => None,
                Err(e) => return Err(e),
            };
            for wp in &placements {
                let page = page_of(wp.page);
                let [sx0, sy0, sx1, sy1] = wp.part;
                let (w, h) = (full_w * (sx1 - sx0), full_h * (sy1 - sy0));
                let (rect, matrix) =
                    appearance::placement(page.crop_box, page.rotate, wp.x_mm, wp.y_mm, w, h);
                // The whole picture drawn so that the wanted part fills the BBox (which clips).
                let (ox, oy) = (-sx0 * full_w, -(1.0 - sy1) * full_h);
                let (content, res) = match &drawing {
                    Some(res) => (
                        format!("q {full_w:.4} 0 0 {full_h:.4} {ox:.4} {oy:.4} cm /Im0 Do Q\n")
                            .into_bytes(),
                        res.clone(),
                    ),
                    None => {
                        let mut c = format!("q 1 0 0 1 {ox:.4} {oy:.4} cm\n").into_bytes();
                        c.extend_from_slice(&appearance::fallback_drawing(full_w, full_h));
                        c.extend_from_slice(b"Q\n");
                        (c, Dict::new())
                    }
                };
                let form_num = up.alloc()?;
                let mut fd = Dict::new();
                fd.set("Type", name("XObject"));
                fd.set("Subtype", name("Form"));
                fd.set("BBox", rect_obj([0.0, 0.0, w, h]));
                fd.set(
                    "Matrix",
                    Object::Array(matrix.iter().map(|&v| Object::Real(v)).collect()),
                );
                fd.set("Resources", Object::Dict(res));
                up.write_stream(form_num, fd, &content);
                widgets.push((wp.page, rect, Some(form_num)));
            }
        }
    }
    // The signature dictionary, with its placeholders.
    let sub_filter = opts.sub_filter.clone().unwrap_or_else(|| {
        match opts.payload {
            PayloadKind::Ses => SES_SUB_FILTER,
            PayloadKind::Cms => CMS_SUB_FILTER,
        }
        .to_string()
    });
    let sig_dict = SigDictFields {
        sub_filter: &sub_filter,
        contents_size: opts.contents_size,
        signing_time: opts.signing_time,
        name: opts.name.as_deref(),
        reason: opts.reason.as_deref(),
        location: opts.location.as_deref(),
    }
    .serialise();
    let body_at = up.write_raw(sig_num, 0, &sig_dict.bytes);

    // The field: merged with its widget when there is one, else a field with widget /Kids.
    let mut field = Dict::new();
    field.set("FT", name("Sig"));
    field.set("T", Object::String(text_string(&field_name)));
    field.set("V", Object::Ref(sig_num, 0));
    let widget_dict = |page: &super::document::PageInfo, rect: [f64; 4], form: Option<u32>| {
        let mut d = Dict::new();
        d.set("Type", name("Annot"));
        d.set("Subtype", name("Widget"));
        d.set("F", Object::Int(if form.is_some() { 4 } else { 2 }));
        d.set("Rect", rect_obj(rect));
        d.set("P", Object::Ref(page.id.0, page.id.1));
        if let Some(form) = form {
            let mut apd = Dict::new();
            apd.set("N", Object::Ref(form, 0));
            d.set("AP", Object::Dict(apd));
        }
        d
    };
    let mut new_annots: Vec<(usize, Object)> = Vec::new();
    if widgets.len() == 1 {
        let (p, rect, form) = widgets[0];
        let page = match pages.iter().find(|(n, _)| *n == p) {
            Some((_, pi)) => pi.clone(),
            None => doc.page(p)?,
        };
        for (k, v) in widget_dict(&page, rect, form).0 {
            field.0.push((k, v));
        }
        up.write_object(field_num, 0, &Object::Dict(field));
        new_annots.push((p, Object::Ref(field_num, 0)));
        if pages.is_empty() {
            pages.push((p, page));
        }
    } else {
        let mut kids = Vec::new();
        for &(p, rect, form) in &widgets {
            let n = up.alloc()?;
            let mut d = widget_dict(page_of(p), rect, form);
            d.set("Parent", Object::Ref(field_num, 0));
            up.write_object(n, 0, &Object::Dict(d));
            kids.push(Object::Ref(n, 0));
            new_annots.push((p, Object::Ref(n, 0)));
        }
        field.set("Kids", Object::Array(kids));
        up.write_object(field_num, 0, &Object::Dict(field));
    }

    // Pages' /Annots.
    for (p, page) in &pages {
        let mine: Vec<Object> = new_annots
            .iter()
            .filter(|(n, _)| n == p)
            .map(|(_, o)| o.clone())
            .collect();
        if mine.is_empty() {
            continue;
        }
        match page.dict.get("Annots") {
            Some(Object::Ref(n, g)) => {
                let mut arr = match doc.get(*n)? {
                    Object::Array(a) => a,
                    Object::Null => Vec::new(),
                    _ => return Err(super::xref::malformed("/Annots is not an array")),
                };
                arr.extend(mine);
                up.write_object(*n, *g, &Object::Array(arr));
            }
            other => {
                let mut arr = match other {
                    Some(Object::Array(a)) => a.clone(),
                    _ => Vec::new(),
                };
                arr.extend(mine);
                let mut pd = page.dict.clone();
                pd.set("Annots", Object::Array(arr));
                up.write_object(page.id.0, page.id.1, &Object::Dict(pd));
            }
        }
    }
    let widget = Object::Ref(field_num, 0);

    // AcroForm: /Fields extended (kept indirect if it was), /SigFlags 3.
    let mut fields = match acro.get("Fields").map(|f| doc.resolve(f)).transpose()? {
        Some(Object::Array(a)) => a,
        _ => Vec::new(),
    };
    fields.push(widget);
    let fields_ref = acro.get("Fields").and_then(Object::as_ref);
    match fields_ref {
        Some((n, g)) => up.write_object(n, g, &Object::Array(fields)),
        None => acro.set("Fields", Object::Array(fields)),
    }
    acro.set("SigFlags", Object::Int(3));
    match acro_id {
        Some((n, g)) => up.write_object(n, g, &Object::Dict(acro)),
        None => {
            let n = up.alloc()?;
            up.write_object(n, 0, &Object::Dict(acro));
            catalog.set("AcroForm", Object::Ref(n, 0));
            up.write_object(cat_id.0, cat_id.1, &Object::Dict(catalog));
        }
    }
    let bytes = up.finish()?;
    Ok((
        bytes,
        body_at + sig_dict.contents_at as u64,
        body_at + sig_dict.byte_range_at as u64,
        field_name,
    ))
}

fn write_image(up: &mut IncrementalUpdate, img: &Image) -> Result<u32> {
    let smask = match &img.alpha {
        Some(a) => {
            let n = up.alloc()?;
            let mut d = Dict::new();
            d.set("Type", name("XObject"));
            d.set("Subtype", name("Image"));
            d.set("Width", Object::Int(img.width as i64));
            d.set("Height", Object::Int(img.height as i64));
            d.set("ColorSpace", name("DeviceGray"));
            d.set("BitsPerComponent", Object::Int(8));
            d.set("Filter", name("FlateDecode"));
            up.write_stream(n, d, &deflate(a));
            Some(n)
        }
        None => None,
    };
    let n = up.alloc()?;
    let mut d = Dict::new();
    d.set("Type", name("XObject"));
    d.set("Subtype", name("Image"));
    d.set("Width", Object::Int(img.width as i64));
    d.set("Height", Object::Int(img.height as i64));
    d.set("ColorSpace", name(img.color_space));
    d.set("BitsPerComponent", Object::Int(img.bits as i64));
    if img.invert_cmyk {
        d.set(
            "Decode",
            Object::Array(
                [1, 0, 1, 0, 1, 0, 1, 0]
                    .iter()
                    .map(|&v| Object::Int(v))
                    .collect(),
            ),
        );
    }
    if let Some(s) = smask {
        d.set("SMask", Object::Ref(s, 0));
    }
    if img.dct {
        d.set("Filter", name("DCTDecode"));
        up.write_stream(n, d, &img.data);
    } else {
        d.set("Filter", name("FlateDecode"));
        up.write_stream(n, d, &deflate(&img.data));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn producer(name: &str) -> Vec<u8> {
        let dir = env!("CARGO_MANIFEST_DIR");
        std::fs::read(format!("{dir}/test-vectors/producers/{name}")).unwrap()
    }

    fn opts() -> SealOptions {
        SealOptions {
            signing_time: Time(1_700_000_000),
            contents_size: 64,
            ..SealOptions::default()
        }
    }

    /// Bytes, any `Write + Seek` (here after a prefix) and the path form write the same file,
    /// and the digest taken while writing is SM3 of the ByteRange bytes of the result.
    #[test]
    fn bytes_writer_and_path_forms_agree() {
        let input = producer("fpdf2_identity_h.pdf");
        let payload = [0x30, 0x03, 0x02, 0x01, 0x07];
        let mut seen = None;
        let from_bytes = seal_bytes_with(&input, &opts(), |d| {
            seen = Some(*d);
            Ok(payload.to_vec())
        })
        .unwrap();
        assert!(from_bytes.starts_with(&input));

        let mut prefixed = Cursor::new(b"junk!".to_vec());
        prefixed.seek(SeekFrom::End(0)).unwrap();
        let doc = Document::from_slice(&input).unwrap();
        let p = prepare_to(&doc, prefixed, &opts()).unwrap();
        assert_eq!(Some(p.digest()), seen);
        let out = p.finish(&payload).unwrap().into_inner();
        assert_eq!(&out[..5], b"junk!");
        assert_eq!(&out[5..], &from_bytes[..]);

        let dir = std::env::temp_dir().join(format!("eseal-sign-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (inp, outp) = (dir.join("in.pdf"), dir.join("out.pdf"));
        std::fs::write(&inp, &input).unwrap();
        let p = prepare(&inp, &outp, &opts()).unwrap();
        let br = p.byte_range();
        assert_eq!(p.digest().unwrap(), seen.unwrap());
        p.finish(&payload).unwrap();
        let on_disk = std::fs::read(&outp).unwrap();
        assert_eq!(on_disk, from_bytes);
        let f = File::open(&outp).unwrap();
        assert_eq!(hash_byte_range(&f, br).unwrap(), seen.unwrap());
        // Only the two files: no temporary file left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// An unfinished or failed preparation leaves neither the output nor a temporary file.
    #[test]
    fn a_refused_payload_leaves_nothing() {
        let input = producer("fpdf2_identity_h.pdf");
        let dir = std::env::temp_dir().join(format!("eseal-sign-r-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (inp, outp) = (dir.join("in.pdf"), dir.join("out.pdf"));
        std::fs::write(&inp, &input).unwrap();
        let p = prepare(&inp, &outp, &opts()).unwrap();
        let e = p.finish(&[1u8; 65]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PdfRefused);
        drop(prepare(&inp, &outp, &opts()).unwrap());
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1, "only the input is left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
