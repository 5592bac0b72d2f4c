//! The verification context handed to every verifier of the crate (DESIGN §2; the shape of
//! rustls-webpki's one context): the caller's [`TrustStore`], the current time, and an
//! optional [`Cache`] shared by many verifications.
//!
//! `pki`, `ses`, `pdf` and `ofd` verify through a [`Context`]; their older entry points that
//! take a store build an uncached one. With a cache, the same code reuses work across
//! documents, and the reports are the same as without it:
//!
//! - certificates are parsed once per DER (so what was learnt about one, such as a verified
//!   signature, is kept);
//! - certification paths (RFC 5280 §6) with their revocation status are validated once per
//!   (SM3 of the certificate and of the untrusted certificates offered with it, reference
//!   time);
//! - a seal's own checks (`seal_signature`, `maker_cert.*`, GB/T 38540 §7.3) are computed once
//!   per seal (compared byte for byte) and current time.
//!
//! Two memos live below the context and serve it whether or not it caches: a CRL's signature
//! is verified once per issuer key and its entries indexed on first lookup (on the [`Crl`]
//! held by the store, see [`Crl::find`]), and certificate and CRL signatures are checked with
//! a precomputed table of an issuer's key once that key has been seen twice (a bounded
//! process-wide table, see [`crate::crypto::sm2_verify::cached_key`]).
//!
//! The cache is `Send + Sync`: one instance serves every worker thread of a batch.
//!
//! [`Crl`]: crate::pki::Crl
//! [`Crl::find`]: crate::pki::Crl::find

use crate::crypto::sm3;
use crate::pki::cert::Certificate;
use crate::pki::path::Budget;
use crate::pki::store::TrustStore;
use crate::pki::time::Time;
use crate::pki::verify::{CertOptions, Validation, validate};
use crate::report::Check;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// What every verifier is handed: the trust store, the current time and, optionally, a cache
/// shared across verifications. It borrows them, so it is cheap to build and to copy.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    store: &'a TrustStore,
    now: Option<Time>,
    cache: Option<&'a Cache>,
}

impl<'a> Context<'a> {
    /// An uncached context over `store`, judging "now" by the system clock.
    pub fn new(store: &'a TrustStore) -> Self {
        Context {
            store,
            now: None,
            cache: None,
        }
    }

    /// The same context with the current time fixed (`None`: the system clock at each use).
    pub fn with_now(mut self, now: Option<Time>) -> Self {
        self.now = now;
        self
    }

    /// The same context reusing work through `cache`. A cache must only ever be used with
    /// one trust store (its results depend on it).
    pub fn with_cache(mut self, cache: &'a Cache) -> Self {
        self.cache = Some(cache);
        self
    }

    /// The trust store.
    pub fn store(&self) -> &'a TrustStore {
        self.store
    }

    /// The current time: the one fixed with [`Context::with_now`], else the system clock.
    pub fn now(&self) -> Time {
        self.now.unwrap_or_else(Time::now)
    }

    /// The cache, if any.
    pub fn cache(&self) -> Option<&'a Cache> {
        self.cache
    }

    /// Parses a certificate, or returns the one parsed before from the same bytes.
    pub fn parse_certificate(&self, der: &[u8]) -> crate::Result<Certificate> {
        let Some(cache) = self.cache else {
            return Certificate::from_der(der);
        };
        if let Some(c) = cache.certs.get(der, 0) {
            return Ok((*c).clone());
        }
        let c = Certificate::from_der(der)?;
        cache.certs.insert(der, 0, Arc::new(c.clone()));
        Ok(c)
    }

    /// The path validation of `cert` (with `extra` untrusted certificates) at `opts.at`
    /// ([`validate`] with the default [`Budget`]), from the cache when there is one.
    pub fn validate(
        &self,
        cert: &Certificate,
        extra: &[Certificate],
        opts: &CertOptions,
    ) -> Arc<Validation> {
        match self.cache {
            Some(c) => c.validations.validate(cert, extra, self.store, opts),
            None => Arc::new(validate(cert, extra, self.store, opts, &Budget::default())),
        }
    }

    /// A seal's own checks: from the cache when the same seal (`seal_der`, compared byte for
    /// byte) was checked at the same current time `now`, else `compute()`, remembered when
    /// `reusable` (false when the result depends on more than the seal and the store, e.g.
    /// on untrusted certificates offered by the caller).
    pub fn seal_checks(
        &self,
        seal_der: &[u8],
        now: Time,
        reusable: bool,
        compute: impl FnOnce() -> SealChecks,
    ) -> Arc<SealChecks> {
        let cache = self.cache.filter(|_| reusable);
        if let Some(c) = cache
            && let Some(p) = c.seals.get(seal_der, now.0)
        {
            return p;
        }
        let part = Arc::new(compute());
        if let Some(c) = cache {
            c.seals.insert(seal_der, now.0, part.clone());
        }
        part
    }
}

/// The checks of a seal itself, shared by every seal signature that carries it.
#[derive(Debug, Clone, PartialEq)]
pub struct SealChecks {
    /// `seal_signature`: the maker's signature over the seal.
    pub seal_signature: Check,
    /// `maker_cert.*`, judged at the seal's createDate.
    pub maker: Vec<Check>,
}

/// Default number of validations kept by a [`ValidationCache`].
pub const DEFAULT_CACHE_CAPACITY: usize = 1024;

/// Default number of seals kept by the seal cache (a seal with its picture is often tens of
/// kilobytes).
pub const DEFAULT_SEAL_CACHE_CAPACITY: usize = 256;

/// Default number of parsed certificates kept by the certificate cache.
pub const DEFAULT_CERT_CACHE_CAPACITY: usize = 1024;

const SHARDS: usize = 16;

/// The work a [`Context`] reuses across verifications: parsed certificates, path validations
/// and seal checks. Bounded and sharded; see the module docs.
#[derive(Debug)]
pub struct Cache {
    validations: ValidationCache,
    seals: ByteCache<SealChecks>,
    certs: ByteCache<Certificate>,
}

impl Default for Cache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CACHE_CAPACITY)
    }
}

impl Cache {
    /// A cache holding at most about `validations` path validations (0: none), with the
    /// default seal and certificate capacities.
    pub fn with_capacity(validations: usize) -> Self {
        Cache {
            validations: ValidationCache::with_capacity(validations),
            seals: ByteCache::with_capacity(DEFAULT_SEAL_CACHE_CAPACITY),
            certs: ByteCache::with_capacity(DEFAULT_CERT_CACHE_CAPACITY),
        }
    }

    /// The path-validation cache.
    pub fn validations(&self) -> &ValidationCache {
        &self.validations
    }

    /// (hits, misses) of the seal cache.
    pub fn seal_stats(&self) -> (u64, u64) {
        self.seals.stats()
    }

    /// (hits, misses) of the certificate cache.
    pub fn cert_stats(&self) -> (u64, u64) {
        self.certs.stats()
    }
}

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
            .field("capacity", &self.capacity())
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

    /// The capacity (rounded up to a multiple of the shard count).
    pub fn capacity(&self) -> usize {
        self.per_shard * SHARDS
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

    fn tag(bytes: &[u8], tag: i64) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.len().hash(&mut h);
        bytes[bytes.len().saturating_sub(256)..].hash(&mut h);
        tag.hash(&mut h);
        h.finish()
    }

    fn get(&self, bytes: &[u8], tag: i64) -> Option<Arc<V>> {
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
        if self.per_shard == 0 {
            return;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_and_cache_are_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Context<'static>>();
        check::<Cache>();
        check::<ValidationCache>();
    }

    #[test]
    fn byte_cache_compares_whole_bytes() {
        let c: ByteCache<u32> = ByteCache::with_capacity(16);
        let mut a = vec![7u8; 600];
        c.insert(&a, 1, Arc::new(1));
        assert_eq!(c.get(&a, 1).as_deref(), Some(&1));
        assert!(c.get(&a, 2).is_none());
        a[0] = 8; // same length and tail: same hash, different bytes
        assert!(c.get(&a, 1).is_none());
        assert_eq!(c.stats(), (1, 2));
    }
}
