//! PDF sealing and verification (ISO 32000-1; DESIGN §5.2).
//!
//! - [`document`], [`object`], [`xref`]: reading by offset — classic xref tables, xref streams,
//!   object streams, hybrid files, incremental revisions, linearized files, inherited page
//!   attributes, and reconstruction of a damaged xref.
//! - [`writer`]: the incremental writer (original bytes never changed).
//! - [`appearance`]: the seal picture as an image XObject in the widget's appearance stream.
//! - [`sigdict`]: the signature dictionary written by [`sign`] and read by [`verify`].
//! - [`sign`]: staged sealing (prepare → digest → payload → finish), by position or keyword.
//! - [`text`]: the text shown on a page, with positions (keyword positioning).
//! - [`cms`]: the CMS SignedData payload (PKCS #7 or GM/T 0010 OIDs, SM2/SM3).
//! - [`verify`]: per-signature ByteRange, payload and modification analysis.
//!
//! ```no_run
//! use eseal::pdf::{SealOptions, SealPicture, PayloadKind, prepare, verify_pdf, VerifyOptions};
//! # fn demo(seal: &eseal::ses::Seal, cert: &[u8], signer: &dyn eseal::crypto::Signer)
//! #     -> eseal::Result<()> {
//! let opts = SealOptions {
//!     page: 1,
//!     x_mm: 120.0,
//!     y_mm: 200.0,
//!     picture: Some(SealPicture::from_seal(seal)),
//!     payload: PayloadKind::Ses,
//!     contents_size: eseal::pdf::sign::ses_contents_size(seal, cert),
//!     ..SealOptions::default()
//! };
//! // Stage 1: the update with a /Contents placeholder, in a temporary file beside the output.
//! let prepared = prepare("in.pdf".as_ref(), "out.pdf".as_ref(), &opts)?;
//! // Stage 2: SM3 of the ByteRange bytes (for a remote or two-phase signer).
//! let _digest = prepared.digest()?;
//! // Stage 3: the payload; patched in, synced, renamed to out.pdf.
//! prepared.finish_ses(seal, cert, signer)?;
//! let report = verify_pdf("out.pdf".as_ref(), &VerifyOptions::default());
//! println!("{}", report.to_json());
//! # Ok(()) }
//! ```

pub mod appearance;
pub mod cms;
pub mod diff;
pub mod document;
pub mod filters;
pub mod object;
pub mod pages;
pub mod sigdict;
pub mod sign;
pub mod text;
pub mod verify;
pub mod writer;
pub mod xref;

pub use document::Document;
pub use sign::{
    PayloadKind, Prepared, PreparedPdf, SealOptions, SealPicture, prepare, prepare_bytes,
    prepare_to, seal_bytes_with, seal_with,
};
pub use verify::{VerifyOptions, verify_document, verify_document_in, verify_pdf, verify_pdf_in};
