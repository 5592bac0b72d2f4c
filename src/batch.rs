//! Verification of any input, one or many: detection of the input's kind by content and a
//! reusable [`Verifier`] holding the caller's trust anchors, CRLs and reference time.
//!
//! The same verifier serves the command-line tool, the C ABI and batch runs; it is `Send +
//! Sync`, so one instance can be shared by every worker thread.

use crate::pki::Time;
use crate::pki::cert::{Certificate, parse_certificates};
use crate::pki::crl::Crl;
use crate::pki::store::TrustStore;
use crate::pki::verify::{CertOptions, Purpose, verify_certificate_report};
use crate::report::{Kind, Report};
use crate::ses::{
    DataInput, Kind as SesKind, VerifyOptions as SesVerifyOptions, verify_seal,
    verify_ses_signature,
};
use crate::{Error, ErrorKind, Result};

/// What an input looks like, judged by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A PDF document (`%PDF-` near the start).
    Pdf,
    /// A zip package (an OFD document).
    Ofd,
    /// PEM text (certificates).
    Pem,
    /// DER data (a certificate, a seal or a seal signature).
    Der,
    /// None of the above.
    Unknown,
}

/// Detects the kind of `bytes` by content.
pub fn detect(bytes: &[u8]) -> InputKind {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        InputKind::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") {
        InputKind::Ofd
    } else if head.windows(11).any(|w| w == b"-----BEGIN ") {
        InputKind::Pem
    } else if bytes.first() == Some(&0x30) {
        InputKind::Der
    } else {
        InputKind::Unknown
    }
}

/// A reusable verifier: trust anchors, intermediates, CRLs and the reference time.
#[derive(Debug, Clone, Default)]
pub struct Verifier {
    store: TrustStore,
    at: Option<Time>,
    purpose: Option<Purpose>,
}

impl Verifier {
    /// A verifier with an empty trust store (chains will be indeterminate) judging at the
    /// current time.
    pub fn new() -> Self {
        Self::default()
    }

    /// A verifier using `store`.
    pub fn with_store(store: TrustStore) -> Self {
        Verifier {
            store,
            at: None,
            purpose: None,
        }
    }

    /// The trust store, to add anchors, intermediates and CRLs.
    pub fn store_mut(&mut self) -> &mut TrustStore {
        &mut self.store
    }

    /// The trust store.
    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// Adds trust anchors from PEM or DER bytes; returns how many.
    pub fn add_trust(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = parse_certificates(bytes)?;
        let n = certs.len();
        for c in certs {
            self.store.add_anchor(c);
        }
        Ok(n)
    }

    /// Adds untrusted intermediate certificates from PEM or DER bytes; returns how many.
    pub fn add_intermediates(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = parse_certificates(bytes)?;
        let n = certs.len();
        for c in certs {
            self.store.add_intermediate(c);
        }
        Ok(n)
    }

    /// Adds a CRL (PEM or DER).
    pub fn add_crl(&mut self, bytes: &[u8]) -> Result<()> {
        self.store.add_crl(Crl::from_der_or_pem(bytes)?);
        Ok(())
    }

    /// Sets the reference time for certificates verified on their own (default: now).
    pub fn set_time(&mut self, at: Option<Time>) {
        self.at = at;
    }

    /// Sets the purpose certificates verified on their own are judged for. `None` (the
    /// default) means: a CA certificate for path and validity only, an end-entity certificate
    /// for signing (digitalSignature or nonRepudiation).
    pub fn set_purpose(&mut self, purpose: Option<Purpose>) {
        self.purpose = purpose;
    }

    /// The reference time in force.
    pub fn time(&self) -> Time {
        self.at.unwrap_or_else(Time::now)
    }

    /// Verifies one input, whatever its kind; `name` labels the reports. A PEM file holding
    /// several certificates yields one report per certificate (named `name#2`, `name#3`, …).
    pub fn verify_bytes(&self, name: &str, bytes: &[u8]) -> Vec<Report> {
        self.verify_bytes_with_data(name, bytes, None)
    }

    /// Like [`Verifier::verify_bytes`], with the data a detached seal signature protects (for
    /// its `data_hash` check; without it the check is `skip`).
    pub fn verify_bytes_with_data(
        &self,
        name: &str,
        bytes: &[u8],
        data: Option<&[u8]>,
    ) -> Vec<Report> {
        match detect(bytes) {
            InputKind::Pem => match parse_certificates(bytes) {
                Ok(certs) if !certs.is_empty() => {
                    let many = certs.len() > 1;
                    certs
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let label = if many && i > 0 {
                                format!("{name}#{}", i + 1)
                            } else {
                                name.to_string()
                            };
                            self.verify_certificate(&label, c)
                        })
                        .collect()
                }
                Ok(_) => vec![Report::from_error(
                    name,
                    Kind::Unknown,
                    &Error::new(ErrorKind::UnknownInput, "PEM file holds no certificate"),
                )],
                Err(e) => vec![Report::from_error(name, Kind::Cert, &e)],
            },
            InputKind::Der => match crate::ses::detect(bytes) {
                Some(SesKind::Seal) => {
                    let mut r = verify_seal(bytes, &self.store, &self.ses_options());
                    r.path = name.to_string();
                    vec![r]
                }
                Some(SesKind::Signature) => {
                    let sig = verify_ses_signature(
                        bytes,
                        data.map(DataInput::Bytes),
                        &self.store,
                        &self.ses_options(),
                    );
                    let mut r = Report::new(name, Kind::Ses);
                    r.signatures.push(sig);
                    r.finish();
                    vec![r]
                }
                None => match Certificate::from_der(bytes) {
                    Ok(c) => vec![self.verify_certificate(name, &c)],
                    Err(e) => vec![Report::from_error(name, Kind::Unknown, &e)],
                },
            },
            InputKind::Pdf => {
                let opts = crate::pdf::VerifyOptions {
                    trust: self.store.clone(),
                    now: Some(self.time()),
                };
                match crate::pdf::Document::from_bytes(bytes.to_vec()) {
                    Ok(doc) => vec![crate::pdf::verify_document(&doc, name, &opts)],
                    Err(e) => vec![Report::from_error(name, Kind::Pdf, &e)],
                }
            }
            InputKind::Ofd => {
                let opts = crate::ofd::VerifyOptions {
                    trust: self.store.clone(),
                    now: Some(self.time()),
                    ..Default::default()
                };
                vec![crate::ofd::verify_ofd(name, bytes, &opts)]
            }
            InputKind::Unknown => vec![Report::from_error(
                name,
                Kind::Unknown,
                &Error::new(
                    ErrorKind::UnknownInput,
                    "not a certificate, seal, seal signature, PDF or OFD",
                ),
            )],
        }
    }

    /// Options for seal and seal-signature verification. Seals and signatures are judged at
    /// the times they carry (createDate, signing time); "now" is the reference time.
    fn ses_options(&self) -> SesVerifyOptions {
        SesVerifyOptions {
            now: self.time(),
            ..SesVerifyOptions::default()
        }
    }

    /// Verifies one certificate on its own (checks `cert.*`) at the reference time.
    pub fn verify_certificate(&self, name: &str, cert: &Certificate) -> Report {
        // A CA certificate on its own is judged for path and validity only; an end-entity
        // certificate must also allow signing (digitalSignature or nonRepudiation).
        let purpose = self.purpose.unwrap_or(if cert.is_ca() {
            Purpose::Any
        } else {
            Purpose::Signing
        });
        let opts = CertOptions {
            at: self.time(),
            now: Time::now(),
            purpose,
        };
        verify_certificate_report(name, cert, &self.store, &opts)
    }
}
