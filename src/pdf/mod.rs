//! PDF sealing and verification (ISO 32000-1; DESIGN §5.2).
//!
//! - [`document`], [`object`], [`xref`]: reading by offset — classic xref tables, xref streams,
//!   object streams, hybrid files, incremental revisions, linearized files, inherited page
//!   attributes, and reconstruction of a damaged xref.
//! - [`writer`]: the incremental writer (original bytes never changed).
//! - [`appearance`]: the seal picture as an image XObject in the widget's appearance stream.
//! - [`sign`]: staged sealing (prepare → digest → payload → finish).
//! - [`cms`]: the CMS SignedData payload (PKCS #7 or GM/T 0010 OIDs, SM2/SM3).
//! - [`verify`]: per-signature ByteRange, payload and modification analysis.

pub mod appearance;
pub mod cms;
pub mod document;
pub mod object;
pub mod sign;
pub mod verify;
pub mod writer;
pub mod xref;

pub use document::Document;
pub use sign::{PayloadKind, PreparedPdf, SealOptions, SealPicture, prepare, seal_with};
pub use verify::{VerifyOptions, verify_document, verify_pdf};
