//! OFD documents (GB/T 33190-2016): the zip package, the signature XML files of §18, sealing
//! and verification of sealed OFDs (GB/T 38540-2020 §7), and electronic licence metadata
//! (GB/T 36901–36905).
//!
//! - [`package`]: reading the zip container safely and resolving OFD locations;
//! - [`xml`]: OFD.xml, Signatures.xml and Signature.xml;
//! - [`coverage`]: the files a viewer uses, and what no signature protects;
//! - [`verify`]: every signature's References, dataHash and signature value, package checks;
//! - [`sign`]: adding a seal (or a `Type="Sign"` signature) to a package;
//! - [`text`]: the text shown on each page, with positions (keyword positioning);
//! - [`cms`]: CMS / GM/T 0010 SignedData values of `Type="Sign"` signatures;
//! - [`licence`]: e-licence metadata and whether a seal protects it.
//!
//! Signed XML is never re-serialised: every hash is taken over the exact bytes of the package
//! entry.
//!
//! ```no_run
//! use eseal::ofd::{SealOfdOptions, VerifyOptions, seal_ofd, verify_ofd_file};
//! # fn main() -> eseal::Result<()> {
//! // Verify: every signature, its References and SES checks, package-level checks.
//! let mut opts = VerifyOptions::default();
//! opts.trust.add_pem_or_der_anchors(&std::fs::read("root.pem")?)?;
//! let report = verify_ofd_file("signed.ofd", &opts);
//! println!("{}", report.to_json());
//!
//! // Seal page 1 at (20 mm, 30 mm) with a seal and the signer's key.
//! let seal = eseal::ses::Seal::from_der(&std::fs::read("seal.esl")?)?;
//! let bundle = eseal::crypto::keyfile::load_key_bundle(&std::fs::read("signer.p12")?, Some(b"pw"))?;
//! let signer = eseal::crypto::SoftwareSigner::new(bundle.key);
//! let sopts = SealOfdOptions { page: 1, x_mm: 20.0, y_mm: 30.0, ..Default::default() };
//! seal_ofd("in.ofd", "out.ofd", &sopts, &seal, &bundle.certificates[0], &signer)?;
//! # Ok(())
//! # }
//! ```

pub mod cms;
pub mod coverage;
pub mod licence;
pub mod package;
pub mod sign;
pub mod text;
pub mod verify;
pub mod xml;

pub use package::{Limits, Package};
pub use sign::{SealOfdOptions, SealPlacement, seal_ofd, seal_ofd_bytes, seal_ofd_with};
pub use verify::{
    VerifyOptions, verify_ofd, verify_ofd_file, verify_ofd_file_in, verify_ofd_in, verify_package,
    verify_package_in,
};
