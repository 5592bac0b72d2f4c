//! Verification of any input, one or many: detection of the input's kind by content, a
//! reusable [`Verifier`] holding the caller's trust anchors, CRLs and reference time, and
//! parallel batch runs ([`Verifier::verify_many`]) over lazily walked directories ([`Walk`]).
//!
//! The same verifier serves the command-line tool, the C ABI and batch runs; it is `Send +
//! Sync`, so one instance is shared by every worker thread. Work shared across a batch is
//! done once:
//!
//! - certification paths (RFC 5280 §6) are validated once per (SM3 of the certificate DER and
//!   of the untrusted certificates offered with it, reference time) and reused from a bounded,
//!   sharded [`ValidationCache`];
//! - CRLs are parsed once (they live in the [`TrustStore`]); a CRL's signature is verified once
//!   per issuer key and its entries are indexed on first lookup (see [`Crl::find`]);
//! - an intermediate certificate's signature, once verified with a key, is not verified again;
//! - certificate and CRL signatures are checked with a precomputed table of the issuer's key
//!   (about 4 times faster) once that key has been seen twice, from a bounded process-wide
//!   cache (see [`crate::crypto::sm2_verify::cached_key`]);
//! - a seal carried by many seal signatures has its `seal_signature` and `maker_cert.*` checks
//!   computed once (the seal bytes compared exactly; see [`Verifier::verify_ses_signature`]),
//!   and certificates found in seal signatures are parsed once.
//!
//! Inputs are routed by content: PEM or DER certificates, DER seals and seal signatures
//! (`crate::ses`), PDF (`crate::pdf`) and OFD (`crate::ofd`) documents.
//!
//! A batch run streams its results: inputs are pulled lazily from an iterator, handed to
//! `jobs` worker threads through a bounded queue, and each input's reports go to the caller's
//! sink as they finish (or in input order, with [`BatchOptions::sorted`], through a reorder
//! window of bounded size). Memory stays flat in the number of inputs.

use crate::crypto::sm3;
use crate::pki::Time;
use crate::pki::cert::{Certificate, parse_certificates};
use crate::pki::crl::Crl;
use crate::pki::path::Budget;
use crate::pki::store::TrustStore;
use crate::pki::verify::{CertOptions, Purpose, Validation, checks_of, validate};
use crate::report::{Check, Kind, Report, Status, Verdict, ids};
use crate::ses::{
    DataInput, Kind as SesKind, VerifyOptions as SesVerifyOptions, verify_seal,
    verify_ses_signature,
};
use crate::{Error, ErrorKind, Result};
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};

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

/// Largest input file read by a batch run (256 MiB); larger files are reported, not read.
pub const MAX_INPUT_SIZE: u64 = 256 * 1024 * 1024;

/// Default number of validations kept by a [`ValidationCache`].
pub const DEFAULT_CACHE_CAPACITY: usize = 1024;

const SHARDS: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct CacheKey {
    digest: [u8; 32],
    at: i64,
}

/// A concurrent, bounded cache of certification-path validations, keyed by the SM3 of the
/// certificate (and of the untrusted certificates offered with it) and the reference time.
///
/// It is sharded (16 mutex-protected maps chosen by the key's hash) so worker threads rarely
/// contend. A shard that reaches its share of the capacity is emptied before the next insert:
/// a crude but bounded policy that keeps the hot entries of a batch (the signer and maker
/// certificates met again and again) after a short warm-up. `now` (used only to judge CRLs
/// issued in the future and later expiry warnings) is the one of the first validation.
pub struct ValidationCache {
    shards: Vec<Mutex<HashMap<CacheKey, Arc<Validation>>>>,
    per_shard: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for ValidationCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidationCache")
            .field("capacity", &(self.per_shard * SHARDS))
            .field("hits", &self.hits.load(Ordering::Relaxed))
            .field("misses", &self.misses.load(Ordering::Relaxed))
            .finish()
    }
}

impl Default for ValidationCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CACHE_CAPACITY)
    }
}

impl ValidationCache {
    /// A cache holding at most about `capacity` validations (0 disables caching).
    pub fn with_capacity(capacity: usize) -> Self {
        ValidationCache {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard: capacity.div_ceil(SHARDS),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// (hits, misses) so far.
    pub fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// Number of validations held.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|m| m.len()).unwrap_or(0))
            .sum()
    }

    /// True when nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn shard(&self, key: &CacheKey) -> &Mutex<HashMap<CacheKey, Arc<Validation>>> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        &self.shards[(h.finish() as usize) % SHARDS]
    }

    /// The validation of `cert` (with `extra` untrusted certificates) at `opts.at`, from the
    /// cache or computed with [`validate`] and remembered.
    pub fn validate(
        &self,
        cert: &Certificate,
        extra: &[Certificate],
        store: &TrustStore,
        opts: &CertOptions,
    ) -> Arc<Validation> {
        if self.per_shard == 0 {
            return Arc::new(validate(cert, extra, store, opts, &Budget::default()));
        }
        let digest = if extra.is_empty() {
            sm3(cert.der())
        } else {
            let mut all = Vec::with_capacity(cert.der().len() * (extra.len() + 1));
            for c in std::iter::once(cert).chain(extra) {
                all.extend_from_slice(&(c.der().len() as u64).to_be_bytes());
                all.extend_from_slice(c.der());
            }
            sm3(&all)
        };
        let key = CacheKey {
            digest,
            at: opts.at.0,
        };
        let shard = self.shard(&key);
        if let Some(v) = shard.lock().ok().and_then(|m| m.get(&key).cloned()) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return v;
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let v = Arc::new(validate(cert, extra, store, opts, &Budget::default()));
        if let Ok(mut m) = shard.lock() {
            if m.len() >= self.per_shard {
                m.clear();
            }
            m.insert(key, v.clone());
        }
        v
    }
}

/// The checks of a seal itself, shared by every signature that carries it.
#[derive(Debug)]
struct SealPart {
    seal_signature: Check,
    maker: Vec<Check>,
}

/// Default number of seals kept by the seal cache (a seal with its picture is often tens of
/// kilobytes).
pub const DEFAULT_SEAL_CACHE_CAPACITY: usize = 256;

/// Default number of parsed certificates kept by the certificate cache.
pub const DEFAULT_CERT_CACHE_CAPACITY: usize = 1024;

/// One shard: cheap hash → (bytes, tag, value) entries.
type ByteShard<V> = HashMap<u64, Vec<(Arc<[u8]>, i64, Arc<V>)>>;

/// A bounded concurrent map from exact bytes (plus a 64-bit tag, e.g. a time) to a value.
/// Lookups hash only the length and the last 256 bytes (where a seal or certificate keeps its
/// signature value) and compare the whole bytes on a hit, so a hit costs a memcmp, not a hash
/// of the whole input, and can never confuse two different inputs.
struct ByteCache<V> {
    shards: Vec<Mutex<ByteShard<V>>>,
    per_shard: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl<V> std::fmt::Debug for ByteCache<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteCache")
            .field("hits", &self.hits.load(Ordering::Relaxed))
            .field("misses", &self.misses.load(Ordering::Relaxed))
            .finish()
    }
}

impl<V> ByteCache<V> {
    fn with_capacity(capacity: usize) -> Self {
        ByteCache {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard: capacity.div_ceil(SHARDS),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }
}

impl<V> ByteCache<V> {
    fn tag(bytes: &[u8], tag: i64) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.len().hash(&mut h);
        bytes[bytes.len().saturating_sub(256)..].hash(&mut h);
        tag.hash(&mut h);
        h.finish()
    }

    fn get(&self, bytes: &[u8], tag: i64) -> Option<Arc<V>>
    where
        V: Send + Sync,
    {
        let k = Self::tag(bytes, tag);
        let found = self.shards[(k as usize) % SHARDS]
            .lock()
            .ok()
            .and_then(|m| {
                m.get(&k).and_then(|v| {
                    v.iter()
                        .find(|(b, t, _)| *t == tag && **b == *bytes)
                        .map(|(_, _, v)| v.clone())
                })
            });
        match &found {
            Some(_) => self.hits.fetch_add(1, Ordering::Relaxed),
            None => self.misses.fetch_add(1, Ordering::Relaxed),
        };
        found
    }

    fn insert(&self, bytes: &[u8], tag: i64, v: Arc<V>) {
        let k = Self::tag(bytes, tag);
        if let Ok(mut m) = self.shards[(k as usize) % SHARDS].lock() {
            if m.len() >= self.per_shard {
                m.clear();
            }
            let e = m.entry(k).or_default();
            if !e.iter().any(|(b, t, _)| *t == tag && **b == *bytes) {
                e.push((Arc::from(bytes), tag, v));
            }
        }
    }

    fn stats(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

/// A reusable verifier: trust anchors, intermediates, CRLs, the reference time and the caches
/// shared by every input it verifies.
#[derive(Debug, Clone)]
pub struct Verifier {
    store: TrustStore,
    at: Option<Time>,
    purpose: Option<Purpose>,
    cache: Arc<ValidationCache>,
    seals: Arc<ByteCache<SealPart>>,
    certs: Arc<ByteCache<Certificate>>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            store: TrustStore::default(),
            at: None,
            purpose: None,
            cache: Arc::new(ValidationCache::default()),
            seals: Arc::new(ByteCache::with_capacity(DEFAULT_SEAL_CACHE_CAPACITY)),
            certs: Arc::new(ByteCache::with_capacity(DEFAULT_CERT_CACHE_CAPACITY)),
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

    /// The trust store, to add anchors, intermediates and CRLs. Clears the validation cache
    /// (validations depend on the store).
    pub fn store_mut(&mut self) -> &mut TrustStore {
        self.reset_cache();
        &mut self.store
    }

    /// The trust store.
    pub fn store(&self) -> &TrustStore {
        &self.store
    }

    /// Replaces the validation cache with an empty one holding at most `capacity` validations
    /// (0 disables caching).
    pub fn set_cache_capacity(&mut self, capacity: usize) {
        self.cache = Arc::new(ValidationCache::with_capacity(capacity));
    }

    /// The validation cache.
    pub fn cache(&self) -> &ValidationCache {
        &self.cache
    }

    fn reset_cache(&mut self) {
        let cap = self.cache.per_shard * SHARDS;
        self.cache = Arc::new(ValidationCache::with_capacity(cap));
        self.seals = Arc::new(ByteCache::with_capacity(DEFAULT_SEAL_CACHE_CAPACITY));
    }

    /// (hits, misses) of the seal cache: seals whose `seal_signature` and `maker_cert.*`
    /// checks were reused.
    pub fn seal_cache_stats(&self) -> (u64, u64) {
        self.seals.stats()
    }

    /// Parses a certificate, or returns the one parsed before from the same bytes (so that
    /// what was learnt about it, such as a verified signature, is reused).
    pub fn parse_certificate_cached(&self, der: &[u8]) -> Result<Certificate> {
        if let Some(c) = self.certs.get(der, 0) {
            return Ok((*c).clone());
        }
        let c = Certificate::from_der(der)?;
        self.certs.insert(der, 0, Arc::new(c.clone()));
        Ok(c)
    }

    /// Verifies a seal signature (SES_Signature DER) like [`crate::ses::verify_ses_signature`],
    /// with the protected data when given, reusing work across calls: the seal's
    /// `seal_signature` and `maker_cert.*` checks are computed once per seal (compared byte
    /// for byte) and reference time, certificates are parsed once, and certification paths
    /// come from the [`ValidationCache`]. The report is the same as the uncached one.
    pub fn verify_ses_signature(
        &self,
        der: &[u8],
        data: Option<DataInput<'_>>,
        opts: &SesVerifyOptions,
    ) -> crate::report::SignatureReport {
        use crate::ses::verify as sv;
        let s = match crate::ses::SesSignature::from_der(der) {
            Ok(s) => s,
            Err(_) => return verify_ses_signature(der, data, &self.store, opts),
        };
        let seal = s.seal();
        let signer = self.parse_certificate_cached(&s.cert);
        let ex = sv::extra(opts);
        let ts = s
            .timestamp
            .as_ref()
            .map(|t| crate::ses::timestamp::verify_token(t, &s.signature, &self.store, opts.now));
        let claimed = s.tbs.time_info;
        let at = ts.as_ref().and_then(|t| t.time).or(claimed);
        let part = self.seal_part(seal, &ex, opts.now);

        let mut checks = Vec::with_capacity(16);
        checks.push(sv::format_check(
            "SES_Signature",
            s.version,
            "TBS_Sign version",
            s.tbs.version,
        ));
        checks.push(sv::sm2_check(
            ids::SIGNATURE,
            "signer",
            signer.as_ref().ok(),
            &s.signature_alg,
            s.tbs_bytes(),
            &s.signature,
        ));
        checks.push(sv::signer_in_seal(seal, &s.cert));
        checks.push(part.seal_signature.clone());
        checks.push(sv::seal_validity(seal, at));
        // The seal's maker checks are judged at createDate; the ses verifier re-judges a maker
        // certificate that was not yet valid then but was when the seal was used (a rare case,
        // not cached).
        let maker_failed = part
            .maker
            .iter()
            .any(|c| c.id == ids::MAKER_CERT_VALIDITY && c.status == Status::Fail);
        if maker_failed && at.is_some() {
            let maker = self.parse_certificate_cached(&seal.cert);
            checks.extend(sv::maker_cert_checks(
                &maker,
                &self.store,
                &ex,
                seal,
                at,
                opts.now,
            ));
        } else {
            checks.extend(part.maker.iter().cloned());
        }
        checks.extend(self.cert_checks(
            &signer,
            &ex,
            at.unwrap_or(opts.now),
            opts.now,
            "signer_cert",
        ));
        checks.push(match ts {
            Some(t) => t.check,
            None => Check::skip(ids::TIMESTAMP, "no timestamp"),
        });
        checks.push(match data {
            None => Check::skip(ids::DATA_HASH, "no data given"),
            Some(d) => match sv::hash_data(d) {
                Err(m) => Check::fail(ids::DATA_HASH, m),
                Ok(h) if h.as_slice() == s.tbs.data_hash.as_slice() => {
                    Check::pass(ids::DATA_HASH, "SM3 of the data equals dataHash")
                }
                Ok(_) => Check::fail(ids::DATA_HASH, "SM3 of the data does not equal dataHash"),
            },
        });
        let mut r =
            crate::report::SignatureReport::new(opts.id.clone(), s.version.format_name(), checks);
        r.signing_time = claimed.map(|t| t.to_rfc3339());
        r.signer = signer.as_ref().ok().map(|c| c.signer_info());
        r.seal = Some(seal.report_info());
        r
    }

    /// The seal's own checks, from the seal cache or computed and remembered.
    fn seal_part(&self, seal: &crate::ses::Seal, ex: &[Certificate], now: Time) -> Arc<SealPart> {
        let der = seal.raw_der();
        let cacheable = ex.is_empty();
        if cacheable && let Some(p) = self.seals.get(der, now.0) {
            return p;
        }
        let maker = self.parse_certificate_cached(&seal.cert);
        let part = Arc::new(SealPart {
            seal_signature: crate::ses::verify::sm2_check(
                ids::SEAL_SIGNATURE,
                "maker",
                maker.as_ref().ok(),
                &seal.sign_alg,
                seal.signed_bytes(),
                &seal.signed_value,
            ),
            maker: self.cert_checks(
                &maker,
                ex,
                seal.seal_info.property.create_date,
                now,
                "maker_cert",
            ),
        });
        if cacheable {
            self.seals.insert(der, now.0, part.clone());
        }
        part
    }

    /// The four `{prefix}.*` checks (purpose: signing), or four failures when the
    /// certificate does not parse (as `crate::ses::verify` reports them).
    fn cert_checks(
        &self,
        cert: &Result<Certificate>,
        extra: &[Certificate],
        at: Time,
        now: Time,
        prefix: &str,
    ) -> Vec<Check> {
        match cert {
            Ok(c) => {
                let opts = CertOptions {
                    at,
                    now,
                    purpose: Purpose::Signing,
                };
                self.check_certificate(c, extra, &opts, prefix)
            }
            Err(e) => ["chain", "validity", "revocation", "key_usage"]
                .iter()
                .map(|s| {
                    Check::fail(
                        &format!("{prefix}.{s}"),
                        format!("certificate cannot be parsed: {}", e.detail()),
                    )
                })
                .collect(),
        }
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
                    let sig = self.verify_ses_signature(
                        bytes,
                        data.map(DataInput::Bytes),
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

    /// The four checks `{prefix}.chain`, `.validity`, `.revocation`, `.key_usage` of `cert`
    /// (with untrusted `extra` certificates) judged by `opts`, the path validation coming from
    /// the verifier's cache (see [`ValidationCache`]). The same checks as
    /// [`crate::pki::check_certificate`].
    pub fn check_certificate(
        &self,
        cert: &Certificate,
        extra: &[Certificate],
        opts: &CertOptions,
        prefix: &str,
    ) -> Vec<Check> {
        let v = self.cache.validate(cert, extra, &self.store, opts);
        checks_of(cert, &v, opts, prefix)
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
        let mut r = Report::new(name, Kind::Cert);
        r.checks.push(crate::pki::verify::format_check(cert));
        let v = self.cache.validate(cert, &[], &self.store, &opts);
        r.checks.extend(checks_of(cert, &v, &opts, "cert"));
        let s = serde_json::Value::String;
        r.extra.insert("subject".into(), s(cert.subject()));
        r.extra.insert("issuer".into(), s(cert.issuer()));
        r.extra.insert("serial".into(), s(cert.serial_hex()));
        r.extra
            .insert("not_before".into(), s(cert.not_before().to_string()));
        r.extra
            .insert("not_after".into(), s(cert.not_after().to_string()));
        if let Ok(p) = &v.path {
            r.extra.insert(
                "chain".into(),
                serde_json::Value::Array(p.iter().map(|c| s(c.subject())).collect()),
            );
        }
        r.finish();
        r
    }

    /// Verifies one batch input: reads a file (at most [`MAX_INPUT_SIZE`] bytes) and verifies
    /// its contents. A file that cannot be read, or a verifier that panics, gives one invalid
    /// report carrying the error, never a failure of the whole run.
    pub fn verify_input(&self, input: Input) -> Vec<Report> {
        self.verify_input_with_data(input, None)
    }

    /// [`Verifier::verify_input`] with the data a detached seal signature protects (see
    /// [`Verifier::verify_bytes_with_data`]).
    pub fn verify_input_with_data(&self, input: Input, data: Option<&[u8]>) -> Vec<Report> {
        let (name, bytes) = match input {
            Input::Bytes { name, bytes } => (name, bytes),
            Input::Failed { name, error } => {
                return vec![Report::from_error(name, Kind::Unknown, &error)];
            }
            Input::Path(p) => {
                let name = p.display().to_string();
                match read_limited(&p) {
                    Ok(b) => (name, b),
                    Err(e) => return vec![Report::from_error(name, Kind::Unknown, &e)],
                }
            }
        };
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.verify_bytes_with_data(&name, &bytes, data)
        }));
        match run {
            Ok(r) => r,
            Err(_) => vec![Report::from_error(
                name.as_str(),
                Kind::Unknown,
                &Error::new(ErrorKind::Panic, "the verifier panicked on this input"),
            )],
        }
    }

    /// Verifies many inputs on `opts.jobs` threads, handing each input's reports to `sink` on
    /// the calling thread as they finish (in input order when `opts.sorted`). Inputs are pulled
    /// lazily; at most a bounded number are in flight. Stops pulling new inputs once
    /// `opts.stop` is set (inputs already started are finished and delivered). Returns the
    /// number of inputs delivered.
    pub fn verify_many<I, F>(&self, inputs: I, opts: &BatchOptions, mut sink: F) -> u64
    where
        I: Iterator<Item = Input> + Send,
        F: FnMut(Outcome),
    {
        let jobs = opts.jobs.max(1);
        let window = opts.window.max(jobs) as u64;
        let never = AtomicBool::new(false);
        let stop: &AtomicBool = opts.stop.as_deref().unwrap_or(&never);
        // The source and the lowest index not yet delivered (for the sorted window).
        let source = Mutex::new((inputs, 0u64, false));
        let delivered = Mutex::new(0u64);
        let room = Condvar::new();
        let (tx, rx) = mpsc::sync_channel::<Outcome>(jobs * 4);
        let sorted = opts.sorted;
        let mut count = 0u64;
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                let tx = tx.clone();
                let (source, delivered, room) = (&source, &delivered, &room);
                scope.spawn(move || {
                    loop {
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let next = {
                            let Ok(mut src) = source.lock() else { break };
                            if src.2 {
                                break;
                            }
                            if sorted {
                                // Wait until the input would fall inside the reorder window.
                                let mut d = match delivered.lock() {
                                    Ok(d) => d,
                                    Err(_) => break,
                                };
                                while src.1 >= *d + window && !stop.load(Ordering::Relaxed) {
                                    d = match room
                                        .wait_timeout(d, std::time::Duration::from_millis(50))
                                    {
                                        Ok((d, _)) => d,
                                        Err(_) => return,
                                    };
                                }
                                if stop.load(Ordering::Relaxed) {
                                    break;
                                }
                            }
                            match src.0.next() {
                                Some(input) => {
                                    let i = src.1;
                                    src.1 += 1;
                                    Some((i, input))
                                }
                                None => {
                                    src.2 = true;
                                    None
                                }
                            }
                        };
                        let Some((index, input)) = next else { break };
                        let name = input.name();
                        let reports = self.verify_input_with_data(input, opts.data.as_deref());
                        if tx
                            .send(Outcome {
                                index,
                                name,
                                reports,
                            })
                            .is_err()
                        {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut pending: BTreeMap<u64, Outcome> = BTreeMap::new();
            let mut next_out = 0u64;
            for o in rx {
                if !sorted {
                    count += 1;
                    sink(o);
                    continue;
                }
                pending.insert(o.index, o);
                let mut moved = false;
                while let Some(o) = pending.remove(&next_out) {
                    next_out += 1;
                    count += 1;
                    moved = true;
                    sink(o);
                }
                if moved {
                    if let Ok(mut d) = delivered.lock() {
                        *d = next_out;
                    }
                    room.notify_all();
                }
            }
            // Stopped runs may leave gaps: deliver what was done, in order.
            for (_, o) in std::mem::take(&mut pending) {
                count += 1;
                sink(o);
            }
        });
        count
    }
}

fn read_limited(p: &std::path::Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, e.to_string());
    let f = std::fs::File::open(p).map_err(io)?;
    let mut buf = Vec::new();
    f.take(MAX_INPUT_SIZE + 1)
        .read_to_end(&mut buf)
        .map_err(io)?;
    if buf.len() as u64 > MAX_INPUT_SIZE {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!("file larger than {MAX_INPUT_SIZE} bytes"),
        ));
    }
    Ok(buf)
}

/// One input of a batch run.
#[derive(Debug)]
pub enum Input {
    /// A file, read by the worker that verifies it.
    Path(PathBuf),
    /// Bytes already in memory, with the name that labels their reports.
    Bytes {
        /// Label of the reports.
        name: String,
        /// The contents.
        bytes: Vec<u8>,
    },
    /// An input that could not even be listed (e.g. an unreadable directory): reported as an
    /// invalid report carrying the error.
    Failed {
        /// Label of the report.
        name: String,
        /// What went wrong.
        error: Error,
    },
}

impl Input {
    /// The label of the input's reports.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Bytes { name, .. } | Input::Failed { name, .. } => name.clone(),
        }
    }
}

/// The reports of one input of a batch run.
#[derive(Debug)]
pub struct Outcome {
    /// Position of the input in the input sequence (from 0).
    pub index: u64,
    /// The input's label.
    pub name: String,
    /// Its reports (one per certificate of a PEM bundle, else one).
    pub reports: Vec<Report>,
}

/// How a batch run is carried out.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Worker threads (at least 1).
    pub jobs: usize,
    /// Deliver outcomes in input order (through a reorder window) rather than as they finish.
    pub sorted: bool,
    /// Inputs in flight at most when sorted, beyond the oldest undelivered one (at least
    /// `jobs`): bounds the memory a slow input can make the others wait in.
    pub window: usize,
    /// Set it (e.g. from a Ctrl-C handler) to stop pulling new inputs.
    pub stop: Option<Arc<AtomicBool>>,
    /// The data detached seal signatures protect (for their `data_hash` check), if any.
    pub data: Option<Arc<[u8]>>,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            jobs: std::thread::available_parallelism().map_or(1, |n| n.get()),
            sorted: false,
            window: 1024,
            stop: None,
            data: None,
        }
    }
}

/// A lazy, depth-first walk over files and directories, yielding every regular file as an
/// [`Input::Path`]. Directories are read one at a time as the walk reaches them (entries in
/// the order the file system returns them), so memory does not grow with the number of files.
/// Symbolic links met inside a directory are skipped (and counted) unless `follow_symlinks`;
/// paths given explicitly are always followed. With `follow_symlinks`, a directory already on
/// the current path (a link cycle) is not entered again. Unreadable entries become
/// [`Input::Failed`].
#[derive(Debug)]
pub struct Walk {
    roots: std::vec::IntoIter<PathBuf>,
    stack: Vec<(std::fs::ReadDir, Option<(u64, u64)>)>,
    follow_symlinks: bool,
    skipped: Arc<AtomicU64>,
}

impl Walk {
    /// A walk over `roots`.
    pub fn new(roots: Vec<PathBuf>, follow_symlinks: bool) -> Self {
        Walk {
            roots: roots.into_iter(),
            stack: Vec::new(),
            follow_symlinks,
            skipped: Arc::new(AtomicU64::new(0)),
        }
    }

    /// A counter of the symbolic links skipped so far (readable while the walk runs).
    pub fn skipped_symlinks(&self) -> Arc<AtomicU64> {
        self.skipped.clone()
    }

    fn dir_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    fn failed(p: &std::path::Path, e: std::io::Error) -> Input {
        Input::Failed {
            name: p.display().to_string(),
            error: Error::new(ErrorKind::Io, e.to_string()),
        }
    }

    /// Enters `p` if it is a directory (returns None), else yields it.
    fn visit(&mut self, p: PathBuf, meta: std::fs::Metadata) -> Option<Input> {
        if !meta.is_dir() {
            return Some(Input::Path(p));
        }
        let id = Self::dir_id(&meta);
        if id.is_some() && self.stack.iter().any(|(_, d)| *d == id) {
            return None; // a link cycle
        }
        match std::fs::read_dir(&p) {
            Ok(rd) => {
                self.stack.push((rd, id));
                None
            }
            Err(e) => Some(Self::failed(&p, e)),
        }
    }
}

impl Iterator for Walk {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some((rd, _)) = self.stack.last_mut() {
                match rd.next() {
                    None => {
                        self.stack.pop();
                    }
                    Some(Err(e)) => {
                        return Some(Input::Failed {
                            name: "(directory entry)".into(),
                            error: Error::new(ErrorKind::Io, e.to_string()),
                        });
                    }
                    Some(Ok(entry)) => {
                        let p = entry.path();
                        let ft = match entry.file_type() {
                            Ok(t) => t,
                            Err(e) => return Some(Self::failed(&p, e)),
                        };
                        if ft.is_symlink() && !self.follow_symlinks {
                            self.skipped.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        if ft.is_file() {
                            return Some(Input::Path(p));
                        }
                        let meta = match std::fs::metadata(&p) {
                            Ok(m) => m,
                            Err(e) => return Some(Self::failed(&p, e)),
                        };
                        if !meta.is_dir() && !meta.is_file() {
                            continue; // sockets, FIFOs, devices
                        }
                        if let Some(i) = self.visit(p, meta) {
                            return Some(i);
                        }
                    }
                }
                continue;
            }
            let p = self.roots.next()?;
            match std::fs::metadata(&p) {
                Ok(meta) => {
                    if let Some(i) = self.visit(p, meta) {
                        return Some(i);
                    }
                }
                Err(e) => return Some(Self::failed(&p, e)),
            }
        }
    }
}

/// Counts of a batch run: inputs, reports by verdict, failing check ids, errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Inputs verified.
    pub inputs: u64,
    /// Reports produced.
    pub reports: u64,
    /// Reports with verdict valid.
    pub valid: u64,
    /// Reports with verdict invalid.
    pub invalid: u64,
    /// Reports with verdict indeterminate.
    pub indeterminate: u64,
    /// Reports carrying an error (unreadable file, unknown or malformed input).
    pub errors: u64,
    /// For each check id, the number of reports in which it failed.
    pub failed_checks: BTreeMap<String, u64>,
    /// For each check id, the number of reports in which it was indeterminate.
    pub indeterminate_checks: BTreeMap<String, u64>,
}

impl Summary {
    /// Counts one input's reports.
    pub fn add_outcome(&mut self, o: &Outcome) {
        self.inputs += 1;
        for r in &o.reports {
            self.add(r);
        }
    }

    /// Counts one report.
    pub fn add(&mut self, r: &Report) {
        self.reports += 1;
        match r.verdict {
            Verdict::Valid => self.valid += 1,
            Verdict::Invalid => self.invalid += 1,
            Verdict::Indeterminate => self.indeterminate += 1,
        }
        if r.error.is_some() {
            self.errors += 1;
        }
        let mut failed: Vec<&str> = Vec::new();
        let mut undecided: Vec<&str> = Vec::new();
        for c in r
            .checks
            .iter()
            .chain(r.signatures.iter().flat_map(|s| s.checks.iter()))
        {
            match c.status {
                Status::Fail if !failed.contains(&c.id.as_str()) => failed.push(&c.id),
                Status::Indeterminate if !undecided.contains(&c.id.as_str()) => {
                    undecided.push(&c.id)
                }
                _ => {}
            }
        }
        for id in failed {
            *self.failed_checks.entry(id.to_string()).or_default() += 1;
        }
        for id in undecided {
            *self.indeterminate_checks.entry(id.to_string()).or_default() += 1;
        }
    }

    /// The overall verdict: invalid if any report is, else indeterminate if any is, else valid.
    pub fn verdict(&self) -> Verdict {
        if self.invalid > 0 {
            Verdict::Invalid
        } else if self.indeterminate > 0 {
            Verdict::Indeterminate
        } else {
            Verdict::Valid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sm2::PrivateKey;
    use crate::pki::testutil::{Spec, make};

    fn fixture() -> (Verifier, Vec<(String, Vec<u8>)>) {
        let ca_key = PrivateKey::generate().unwrap();
        let ca = make(&Spec::ca("CA", "CA"), &ca_key, &ca_key);
        let mut v = Verifier::new();
        v.add_trust(ca.der()).unwrap();
        v.set_time(Some(Time::now())); // the same reference time for every run
        let mut files = Vec::new();
        for i in 0..40u64 {
            let cn = format!("Leaf {i}");
            let mut s = Spec::leaf(&cn, "CA");
            s.serial = i as i64 + 2;
            let leaf = make(&s, &PrivateKey::generate().unwrap(), &ca_key);
            let mut der = leaf.der().to_vec();
            if i % 5 == 0 {
                let n = der.len();
                der[n - 3] ^= 1; // tampered signature
            }
            files.push((format!("f{i}"), der));
        }
        files.push(("junk".into(), b"hello".to_vec()));
        (v, files)
    }

    #[test]
    fn der_trust_anchor_ending_in_a_space_like_byte() {
        // The last byte of a DER certificate (its signature) may be 0x00, 0x20, 0x0a…: such a
        // file must still load as a trust anchor.
        let key = PrivateKey::generate().unwrap();
        for serial in 1..2000 {
            let mut spec = Spec::ca("Root", "Root");
            spec.serial = serial;
            let ca = make(&spec, &key, &key);
            let last = *ca.der().last().unwrap();
            if last == 0 || last.is_ascii_whitespace() {
                let mut v = Verifier::new();
                assert_eq!(v.add_trust(ca.der()).unwrap(), 1);
                assert_eq!(v.store().anchors()[0].der(), ca.der());
                return;
            }
        }
        panic!("no certificate ending in such a byte in 2000 tries");
    }

    #[test]
    fn verifier_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Verifier>();
        check::<ValidationCache>();
    }

    #[test]
    fn cached_report_equals_pki_report() {
        let (v, files) = fixture();
        let at = Time::now();
        let mut v = v;
        v.set_time(Some(at));
        for (name, der) in &files[..6] {
            let cert = Certificate::from_der(der).unwrap();
            let opts = CertOptions {
                at,
                now: Time::now(),
                purpose: Purpose::Signing,
            };
            let expected = crate::pki::verify_certificate_report(name, &cert, v.store(), &opts);
            for _ in 0..2 {
                assert_eq!(v.verify_certificate(name, &cert), expected);
            }
        }
        let (hits, misses) = v.cache().stats();
        assert_eq!((hits, misses), (6, 6));
    }

    #[test]
    fn many_matches_one_by_one_sorted_and_not() {
        let (v, files) = fixture();
        let expected: Vec<Vec<Report>> = files.iter().map(|(n, b)| v.verify_bytes(n, b)).collect();
        for (jobs, sorted) in [(1, false), (2, false), (2, true), (3, true)] {
            let inputs = files.iter().map(|(n, b)| Input::Bytes {
                name: n.clone(),
                bytes: b.clone(),
            });
            let opts = BatchOptions {
                jobs,
                sorted,
                window: 2,
                stop: None,
                data: None,
            };
            let mut got: Vec<Option<Vec<Report>>> = vec![None; files.len()];
            let mut order = Vec::new();
            let mut summary = Summary::default();
            let n = v.verify_many(inputs, &opts, |o| {
                summary.add_outcome(&o);
                order.push(o.index);
                got[o.index as usize] = Some(o.reports);
            });
            assert_eq!(n as usize, files.len());
            for (g, e) in got.iter().zip(&expected) {
                assert_eq!(g.as_ref().unwrap(), e);
            }
            if sorted || jobs == 1 {
                assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
            }
            assert_eq!(summary.inputs, 41);
            assert_eq!(summary.invalid, 9);
            assert_eq!(summary.valid, 32);
            assert_eq!(summary.failed_checks.get("cert.chain"), Some(&8));
            assert_eq!(summary.failed_checks.get("format"), Some(&1));
        }
    }

    #[test]
    fn stop_flag_stops_pulling() {
        let (v, files) = fixture();
        let stop = Arc::new(AtomicBool::new(false));
        let opts = BatchOptions {
            jobs: 2,
            sorted: true,
            window: 4,
            stop: Some(stop.clone()),
            data: None,
        };
        let inputs = files.iter().map(|(n, b)| Input::Bytes {
            name: n.clone(),
            bytes: b.clone(),
        });
        let mut seen = 0;
        let n = v.verify_many(inputs, &opts, |_| {
            seen += 1;
            if seen == 3 {
                stop.store(true, Ordering::Relaxed);
            }
        });
        assert!(n >= 3 && (n as usize) < files.len(), "{n}");
    }

    #[test]
    fn walk_is_lazy_and_skips_symlinks() {
        let dir = std::env::temp_dir().join(format!("eseal-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/one"), b"1").unwrap();
        std::fs::write(dir.join("a/b/two"), b"2").unwrap();
        std::fs::write(dir.join("three"), b"3").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("three"), dir.join("a/link")).unwrap();
            std::os::unix::fs::symlink(&dir, dir.join("a/b/loop")).unwrap();
        }
        let names = |follow: bool| {
            let w = Walk::new(vec![dir.clone(), dir.join("missing")], follow);
            let skipped = w.skipped_symlinks();
            let mut v: Vec<String> = w
                .map(|i| match i {
                    Input::Path(p) => p.strip_prefix(&dir).unwrap().display().to_string(),
                    Input::Failed { .. } => "FAILED".into(),
                    Input::Bytes { .. } => unreachable!(),
                })
                .collect();
            v.sort();
            (v, skipped.load(Ordering::Relaxed))
        };
        let (plain, skipped) = names(false);
        assert_eq!(plain, ["FAILED", "a/b/two", "a/one", "three"]);
        #[cfg(unix)]
        {
            assert_eq!(skipped, 2);
            let (followed, _) = names(true);
            assert_eq!(followed, ["FAILED", "a/b/two", "a/link", "a/one", "three"]);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
