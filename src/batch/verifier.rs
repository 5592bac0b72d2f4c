//! The reusable [`Verifier`]: the caller's trust anchors, intermediates, CRLs, reference time
//! and one shared [`Cache`], and the routing of any input to its verifier by content. Every
//! verification goes through [`Verifier::context`], so certificates, seal signatures, PDFs and
//! OFDs all reuse the same cache (see [`crate::pki::context`]).

use super::detection::{InputKind, detect};
use crate::pki::Time;
use crate::pki::cert::{Certificate, parse_certificates};
use crate::pki::context::{Cache, Context, ValidationCache};
use crate::pki::crl::Crl;
use crate::pki::store::TrustStore;
use crate::pki::verify::{
    CertOptions, Purpose, check_certificate_in, verify_certificate_report_in,
};
use crate::report::{Check, Kind, Report, SignatureReport};
use crate::ses::{
    DataInput, Kind as SesKind, VerifyOptions as SesVerifyOptions, verify_seal_in,
    verify_ses_signature_in,
};
use crate::{Error, ErrorKind, Result};
use std::sync::Arc;

/// A reusable verifier: trust anchors, intermediates, CRLs, the reference time and the cache
/// shared by every input it verifies.
#[derive(Debug, Clone)]
pub struct Verifier {
    store: TrustStore,
    at: Option<Time>,
    purpose: Option<Purpose>,
    cache: Arc<Cache>,
    caching: bool,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            store: TrustStore::default(),
            at: None,
            purpose: None,
            cache: Arc::new(Cache::default()),
            caching: true,
        }
    }
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
            ..Self::default()
        }
    }

    /// The trust store, to add anchors, intermediates and CRLs. Clears the cache (what it
    /// holds depends on the store).
    pub fn store_mut(&mut self) -> &mut TrustStore {
        self.reset_cache();
        &mut self.store
    }

    /// The trust store.
    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// Replaces the cache with an empty one holding at most `capacity` path validations (0
    /// disables caching them).
    pub fn set_cache_capacity(&mut self, capacity: usize) {
        self.cache = Arc::new(Cache::with_capacity(capacity));
    }

    /// Turns the shared cache on (the default) or off. Reports are the same either way; off,
    /// every input is verified from scratch.
    pub fn set_caching(&mut self, on: bool) {
        self.caching = on;
    }

    /// The path-validation cache.
    pub fn cache(&self) -> &ValidationCache {
        self.cache.validations()
    }

    fn reset_cache(&mut self) {
        let cap = self.cache.validations().capacity();
        self.cache = Arc::new(Cache::with_capacity(cap));
    }

    /// (hits, misses) of the seal cache: seals whose `seal_signature` and `maker_cert.*`
    /// checks were reused.
    pub fn seal_cache_stats(&self) -> (u64, u64) {
        self.cache.seal_stats()
    }

    /// The verification context every input is verified in: the trust store, the reference
    /// time as the current time, and the shared cache (unless turned off).
    pub fn context(&self) -> Context<'_> {
        let ctx = Context::new(&self.store).with_now(Some(self.time()));
        if self.caching {
            ctx.with_cache(&self.cache)
        } else {
            ctx
        }
    }

    /// Parses a certificate, or returns the one parsed before from the same bytes (so that
    /// what was learnt about it, such as a verified signature, is reused).
    pub fn parse_certificate_cached(&self, der: &[u8]) -> Result<Certificate> {
        self.context().parse_certificate(der)
    }

    /// Verifies a seal signature (SES_Signature DER) like [`crate::ses::verify_ses_signature`],
    /// with the protected data when given, in the verifier's context: the seal's
    /// `seal_signature` and `maker_cert.*` checks are computed once per seal (compared byte
    /// for byte) and current time, certificates are parsed once, and certification paths are
    /// validated once. The report is the same as the uncached one.
    pub fn verify_ses_signature(
        &self,
        der: &[u8],
        data: Option<DataInput<'_>>,
        opts: &SesVerifyOptions,
    ) -> SignatureReport {
        verify_ses_signature_in(&self.context(), der, data, opts)
    }

    /// Adds trust anchors from PEM or DER bytes; returns how many.
    pub fn add_trust(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = parse_certificates(bytes)?;
        let n = certs.len();
        for c in certs {
            self.store_mut().add_anchor(c);
        }
        Ok(n)
    }

    /// Adds untrusted intermediate certificates from PEM or DER bytes; returns how many.
    pub fn add_intermediates(&mut self, bytes: &[u8]) -> Result<usize> {
        let certs = parse_certificates(bytes)?;
        let n = certs.len();
        for c in certs {
            self.store_mut().add_intermediate(c);
        }
        Ok(n)
    }

    /// Adds a CRL (PEM or DER).
    pub fn add_crl(&mut self, bytes: &[u8]) -> Result<()> {
        let crl = Crl::from_der_or_pem(bytes)?;
        self.store_mut().add_crl(crl);
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
        let ctx = self.context();
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
                    let mut r = verify_seal_in(&ctx, bytes, &self.ses_options(&ctx));
                    r.path = name.to_string();
                    vec![r]
                }
                Some(SesKind::Signature) => {
                    let sig = verify_ses_signature_in(
                        &ctx,
                        bytes,
                        data.map(DataInput::Bytes),
                        &self.ses_options(&ctx),
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
            InputKind::Pdf => match crate::pdf::Document::from_bytes(bytes.to_vec()) {
                Ok(doc) => vec![crate::pdf::verify_document_in(&ctx, &doc, name)],
                Err(e) => vec![Report::from_error(name, Kind::Pdf, &e)],
            },
            InputKind::Ofd => vec![crate::ofd::verify_ofd_in(
                &ctx,
                name,
                bytes,
                &crate::ofd::VerifyOptions::default(),
            )],
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
    fn ses_options(&self, ctx: &Context<'_>) -> SesVerifyOptions {
        SesVerifyOptions {
            now: ctx.now(),
            ..SesVerifyOptions::default()
        }
    }

    /// The four checks `{prefix}.chain`, `.validity`, `.revocation`, `.key_usage` of `cert`
    /// (with untrusted `extra` certificates) judged by `opts`, in the verifier's context (its
    /// path validations cached). The same checks as [`crate::pki::check_certificate`].
    pub fn check_certificate(
        &self,
        cert: &Certificate,
        extra: &[Certificate],
        opts: &CertOptions,
        prefix: &str,
    ) -> Vec<Check> {
        check_certificate_in(&self.context(), cert, extra, opts, prefix)
    }

    /// Verifies one certificate on its own (checks `cert.*`) at the reference time. The report
    /// is the one of [`crate::pki::verify_certificate_report`], its path validation cached.
    pub fn verify_certificate(&self, name: &str, cert: &Certificate) -> Report {
        // A CA certificate on its own is judged for path and validity only; an end-entity
        // certificate must also allow signing (digitalSignature or nonRepudiation).
        let purpose = self.purpose.unwrap_or(if cert.is_ca() {
            Purpose::Any
        } else {
            Purpose::Signing
        });
        let now = Time::now();
        let opts = CertOptions {
            at: self.at.unwrap_or(now),
            now,
            purpose,
        };
        verify_certificate_report_in(&self.context(), name, cert, &[], &opts)
    }
}
