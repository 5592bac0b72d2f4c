//! Certification path building and validation (RFC 5280 §6, RFC 4158), with a work budget.
//!
//! From the target certificate the builder walks up by name chaining (issuer = subject, §7.1
//! matching), trying every candidate issuer among the trust anchors, the caller's
//! intermediates and the untrusted certificates carried by the document, and backtracks when a
//! candidate fails. Candidates whose subjectKeyIdentifier matches the child's
//! authorityKeyIdentifier come first, then those valid at the reference time, anchors before
//! intermediates. A certificate whose subject and key already appear in the path is skipped (loop
//! detection). At every step:
//!
//! - the child's signature (SM2-with-SM3, or RSA / ECDSA through [`crate::pki::alg`]) must verify
//!   with the candidate's key (§6.1.3 (a)(1)); an unsupported algorithm (SHA-1, an unknown OID)
//!   makes the chain indeterminate, never valid;
//! - an intermediate must be a CA (basicConstraints cA, §6.1.4 (k)), have keyCertSign when it
//!   has keyUsage (§6.1.4 (n)), respect every pathLenConstraint (§6.1.4 (l)/(m); self-issued
//!   intermediates do not count) and have no unknown critical extension (§6.1.4 (o));
//! - a trust anchor is trusted for its name and key only (§6.1.1 (d)).
//!
//! Validity periods and revocation are checked separately (see `verify`) so a report can name
//! each rule. The [`Budget`] bounds signature checks, candidate visits and path length, so hostile
//! input cannot make building explode (as rustls-webpki does).

use crate::error::ErrorKind;
use crate::pki::Time;
use crate::pki::cert::Certificate;
use crate::pki::ext::KeyUsage;
use crate::pki::store::TrustStore;
use crate::report::Status;
use std::fmt;

/// Limits on the work done to build one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Most signature verifications.
    pub max_signatures: usize,
    /// Most candidate certificates considered (name-chaining steps).
    pub max_build_calls: usize,
    /// Most intermediate certificates between the target and the anchor.
    pub max_depth: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_signatures: 100,
            max_build_calls: 20_000,
            max_depth: 8,
        }
    }
}

/// Why no valid path was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathError {
    /// No certificate named as the issuer of `subject` leads to a trust anchor.
    NoAnchor {
        /// Subject whose issuer could not be found.
        subject: String,
        /// Issuer name looked for.
        issuer: String,
    },
    /// The trust store has no anchor.
    EmptyTrustStore,
    /// The budget ran out (which limit).
    BudgetExhausted(&'static str),
    /// Paths exist by name but are longer than allowed.
    TooDeep(usize),
    /// A signature did not verify.
    BadSignature {
        /// Subject of the certificate whose signature failed.
        subject: String,
        /// Subject of the issuer whose key was used.
        issuer: String,
    },
    /// A signature or key uses an algorithm not supported (see [`crate::pki::alg`]).
    Unsupported {
        /// Subject of the certificate concerned.
        subject: String,
        /// What is unsupported.
        detail: String,
    },
    /// An intermediate certificate is not a CA.
    NotCa {
        /// Its subject.
        subject: String,
    },
    /// An intermediate CA has keyUsage without keyCertSign.
    NoKeyCertSign {
        /// Its subject.
        subject: String,
    },
    /// A pathLenConstraint is exceeded.
    PathLenExceeded {
        /// Subject of the constraining CA.
        subject: String,
        /// Its pathLenConstraint.
        path_len: u32,
        /// Intermediates below it.
        below: usize,
    },
    /// A certificate has a critical extension not understood here.
    UnknownCriticalExtension {
        /// Its subject.
        subject: String,
        /// The extension OID.
        oid: String,
    },
}

impl PathError {
    /// The status of the chain check for this error: `Fail` when a path exists by names but
    /// breaks a rule, `Indeterminate` when no anchor was reached or the budget ran out.
    pub fn status(&self) -> Status {
        match self {
            PathError::NoAnchor { .. }
            | PathError::EmptyTrustStore
            | PathError::BudgetExhausted(_)
            | PathError::TooDeep(_)
            | PathError::Unsupported { .. } => Status::Indeterminate,
            _ => Status::Fail,
        }
    }

    /// The matching error kind (for callers that want an [`crate::Error`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            PathError::BudgetExhausted(_) | PathError::TooDeep(_) => ErrorKind::LimitExceeded,
            PathError::BadSignature { .. } => ErrorKind::BadSignature,
            PathError::Unsupported { .. } => ErrorKind::Unsupported,
            _ => ErrorKind::CertificateNotUsable,
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::NoAnchor { subject, issuer } => write!(
                f,
                "no path to a trust anchor: issuer \"{issuer}\" of \"{subject}\" not found"
            ),
            PathError::EmptyTrustStore => f.write_str("no trust anchor configured"),
            PathError::BudgetExhausted(what) => {
                write!(f, "path building budget exhausted ({what})")
            }
            PathError::TooDeep(n) => {
                write!(
                    f,
                    "paths to a trust anchor need more than {n} intermediates"
                )
            }
            PathError::BadSignature { subject, issuer } => write!(
                f,
                "signature of \"{subject}\" does not verify with the key of \"{issuer}\""
            ),
            PathError::Unsupported { subject, detail } => {
                write!(f, "cannot check \"{subject}\": {detail}")
            }
            PathError::NotCa { subject } => {
                write!(
                    f,
                    "intermediate \"{subject}\" is not a CA (basicConstraints)"
                )
            }
            PathError::NoKeyCertSign { subject } => {
                write!(f, "CA \"{subject}\" keyUsage lacks keyCertSign")
            }
            PathError::PathLenExceeded {
                subject,
                path_len,
                below,
            } => write!(
                f,
                "pathLenConstraint {path_len} of \"{subject}\" exceeded ({below} intermediates below it)"
            ),
            PathError::UnknownCriticalExtension { subject, oid } => {
                write!(f, "\"{subject}\" has unknown critical extension {oid}")
            }
        }
    }
}

enum Stop {
    Budget(&'static str),
}

struct Builder<'a> {
    store: &'a TrustStore,
    pool: Vec<&'a Certificate>,
    at: Time,
    budget: Budget,
    signatures: usize,
    calls: usize,
    /// First rule violation met on a path that reaches an anchor by names.
    fail: Option<PathError>,
    /// An unsupported algorithm met on such a path.
    unsupported: Option<PathError>,
    too_deep: bool,
}

/// Builds and validates a path from `cert` to a trust anchor of `store`, using the store's
/// intermediates and the untrusted `extra` certificates. Returns the path, target first and
/// anchor last (just `[cert]` when `cert` is itself an anchor). `at` only orders candidates
/// (those valid at `at` are tried first); validity is judged by the caller.
pub fn build_path(
    cert: &Certificate,
    extra: &[Certificate],
    store: &TrustStore,
    at: Time,
    budget: &Budget,
) -> Result<Vec<Certificate>, PathError> {
    if store.is_anchor(cert) {
        return Ok(vec![cert.clone()]);
    }
    if let Some(oid) = cert.unknown_critical_extensions().first() {
        return Err(PathError::UnknownCriticalExtension {
            subject: cert.subject(),
            oid: oid.clone(),
        });
    }
    if store.anchors().is_empty() {
        return Err(PathError::EmptyTrustStore);
    }
    let mut pool: Vec<&Certificate> = Vec::new();
    for c in extra.iter().chain(store.intermediates()) {
        if !pool.contains(&c) {
            pool.push(c);
        }
    }
    let mut b = Builder {
        store,
        pool,
        at,
        budget: *budget,
        signatures: 0,
        calls: 0,
        fail: None,
        unsupported: None,
        too_deep: false,
    };
    let mut path = vec![cert.clone()];
    match b.extend(&mut path) {
        Ok(true) => Ok(path),
        Ok(false) => Err(if let Some(f) = b.fail {
            f
        } else if let Some(u) = b.unsupported {
            u
        } else if b.too_deep {
            PathError::TooDeep(b.budget.max_depth)
        } else {
            PathError::NoAnchor {
                subject: cert.subject(),
                issuer: cert.issuer(),
            }
        }),
        Err(Stop::Budget(what)) => Err(PathError::BudgetExhausted(what)),
    }
}

/// Number of non-self-issued intermediates in `path[1..]` (the target excluded).
fn intermediates_below(path: &[Certificate]) -> usize {
    path.iter().skip(1).filter(|c| !c.is_self_issued()).count()
}

/// The rule an intermediate CA `cand` would break as the issuer of `path`'s last element.
fn ca_rule_violation(cand: &Certificate, path: &[Certificate]) -> Option<PathError> {
    if let Some(oid) = cand.unknown_critical_extensions().first() {
        return Some(PathError::UnknownCriticalExtension {
            subject: cand.subject(),
            oid: oid.clone(),
        });
    }
    if !cand.is_ca() {
        return Some(PathError::NotCa {
            subject: cand.subject(),
        });
    }
    if cand
        .key_usage()
        .is_some_and(|ku| !ku.any(KeyUsage::KEY_CERT_SIGN))
    {
        return Some(PathError::NoKeyCertSign {
            subject: cand.subject(),
        });
    }
    // pathLenConstraint of `cand`: the non-self-issued intermediates below it once it is added
    // (the constraints of those below were checked when each was added).
    let below = intermediates_below(path);
    if let Some(n) = cand.path_len()
        && below > n as usize
    {
        return Some(PathError::PathLenExceeded {
            subject: cand.subject(),
            path_len: n,
            below,
        });
    }
    None
}

impl Builder<'_> {
    fn tick(&mut self) -> Result<(), Stop> {
        self.calls += 1;
        if self.calls > self.budget.max_build_calls {
            return Err(Stop::Budget("too many candidate certificates"));
        }
        Ok(())
    }

    /// Candidate issuers of `child`: `(certificate, is_anchor)`, best first.
    fn candidates(&self, child: &Certificate) -> Vec<(Certificate, bool)> {
        let mut v: Vec<(Certificate, bool)> = self
            .store
            .anchors()
            .iter()
            .map(|a| (a, true))
            .chain(self.pool.iter().map(|c| (*c, false)))
            .filter(|(c, _)| c.subject_name().matches(child.issuer_name()))
            .map(|(c, a)| (c.clone(), a))
            .collect();
        let aki = child.authority_key_id();
        v.sort_by_key(|(c, anchor)| {
            let key_mismatch = match (aki, c.subject_key_id()) {
                (Some(a), Some(s)) => a != s,
                _ => false,
            };
            (key_mismatch, !c.is_valid_at(self.at), !anchor)
        });
        v
    }

    /// True when some chain of names leads from `cert` to an anchor (no signatures checked).
    fn reaches_anchor_by_name(
        &mut self,
        cert: &Certificate,
        seen: &mut Vec<Certificate>,
    ) -> Result<bool, Stop> {
        if self.store.is_anchor(cert) {
            return Ok(true);
        }
        if seen.len() > self.budget.max_depth + 1 {
            return Ok(false);
        }
        seen.push(cert.clone());
        for (cand, is_anchor) in self.candidates(cert) {
            self.tick()?;
            if is_anchor {
                seen.pop();
                return Ok(true);
            }
            if seen.iter().any(|s| s.same_subject_and_key(&cand)) {
                continue;
            }
            if self.reaches_anchor_by_name(&cand, seen)? {
                seen.pop();
                return Ok(true);
            }
        }
        seen.pop();
        Ok(false)
    }

    /// Records a rule violation when `cand` (a would-be issuer) leads to an anchor by names.
    fn record(
        &mut self,
        err: PathError,
        cand: &Certificate,
        path: &[Certificate],
    ) -> Result<(), Stop> {
        let slot_empty = match err.status() {
            Status::Fail => self.fail.is_none(),
            _ => self.unsupported.is_none(),
        };
        if !slot_empty {
            return Ok(());
        }
        let mut seen = path.to_vec();
        if self.reaches_anchor_by_name(cand, &mut seen)? {
            match err.status() {
                Status::Fail => self.fail = Some(err),
                _ => self.unsupported = Some(err),
            }
        }
        Ok(())
    }

    /// Extends `path` (non-empty) to an anchor; true when done.
    fn extend(&mut self, path: &mut Vec<Certificate>) -> Result<bool, Stop> {
        let child = match path.last() {
            Some(c) => c.clone(),
            None => return Ok(false),
        };
        for (cand, is_anchor) in self.candidates(&child) {
            self.tick()?;
            if path.iter().any(|p| p.same_subject_and_key(&cand)) {
                continue;
            }
            if !is_anchor {
                if path.len() > self.budget.max_depth {
                    self.too_deep = true;
                    continue;
                }
                if let Some(err) = ca_rule_violation(&cand, path) {
                    self.record(err, &cand, path)?;
                    continue;
                }
            }
            let key = match cand.subject_key() {
                Ok(k) => k,
                Err(e) => {
                    let err = PathError::Unsupported {
                        subject: cand.subject(),
                        detail: e.to_string(),
                    };
                    self.record(err, &cand, path)?;
                    continue;
                }
            };
            self.signatures += 1;
            if self.signatures > self.budget.max_signatures {
                return Err(Stop::Budget("too many signature checks"));
            }
            match child.verify_signed_by_key(key) {
                Ok(()) => {}
                Err(e) => {
                    let key_mismatch = matches!(
                        (child.authority_key_id(), cand.subject_key_id()),
                        (Some(a), Some(s)) if a != s
                    );
                    if key_mismatch {
                        // Same name, another key: not this child's issuer.
                        continue;
                    }
                    let err = if e.kind() == ErrorKind::Unsupported {
                        PathError::Unsupported {
                            subject: child.subject(),
                            detail: e.to_string(),
                        }
                    } else {
                        PathError::BadSignature {
                            subject: child.subject(),
                            issuer: cand.subject(),
                        }
                    };
                    self.record(err, &cand, path)?;
                    continue;
                }
            }
            path.push(cand);
            if is_anchor || self.extend(path)? {
                return Ok(true);
            }
            path.pop();
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::sm2::PrivateKey;
    use crate::pki::testutil::{Spec, make};

    fn at() -> Time {
        Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap()
    }

    fn key() -> PrivateKey {
        PrivateKey::generate().unwrap()
    }

    #[test]
    fn budget_runs_out_on_many_same_name_candidates() {
        let root_key = key();
        let root = make(&Spec::ca("Root", "Root"), &root_key, &root_key);
        let ca_key = key();
        let leaf = make(&Spec::leaf("Leaf", "CA"), &key(), &ca_key);
        let mut store = TrustStore::new();
        store.add_anchor(root);
        // 110 CAs named "CA", none with the key that signed the leaf.
        for i in 0..110 {
            let mut s = Spec::ca("CA", "Root");
            s.serial = 100 + i;
            store.add_intermediate(make(&s, &key(), &root_key));
        }
        let err = build_path(&leaf, &[], &store, at(), &Budget::default()).unwrap_err();
        assert_eq!(err, PathError::BudgetExhausted("too many signature checks"));
        assert_eq!(err.status(), Status::Indeterminate);
        let big = Budget {
            max_signatures: 1000,
            ..Budget::default()
        };
        let err = build_path(&leaf, &[], &store, at(), &big).unwrap_err();
        assert!(matches!(err, PathError::BadSignature { .. }), "{err}");
        // The real CA, given last among the document's certificates, is found.
        let real = make(&Spec::ca("CA", "Root"), &ca_key, &root_key);
        let path = build_path(&leaf, std::slice::from_ref(&real), &store, at(), &big).unwrap();
        assert_eq!(path.len(), 3);
        assert_eq!(path[1], real);
        let tiny = Budget {
            max_build_calls: 3,
            ..Budget::default()
        };
        assert_eq!(
            build_path(&leaf, &[], &store, at(), &tiny),
            Err(PathError::BudgetExhausted(
                "too many candidate certificates"
            ))
        );
        assert!(build_path(&leaf, &[real], &store, at(), &tiny).is_ok());
    }

    #[test]
    fn key_identifiers_order_candidates() {
        let root_key = key();
        let root = make(&Spec::ca("Root", "Root"), &root_key, &root_key);
        let ca_key = key();
        let mut store = TrustStore::new();
        store.add_anchor(root);
        for i in 0..150 {
            let mut s = Spec::ca("CA", "Root");
            s.serial = 100 + i;
            s.ski = Some(vec![i as u8; 20]);
            store.add_intermediate(make(&s, &key(), &root_key));
        }
        let mut s = Spec::ca("CA", "Root");
        s.ski = Some(vec![0xaa; 20]);
        let real = make(&s, &ca_key, &root_key);
        store.add_intermediate(real.clone());
        let mut l = Spec::leaf("Leaf", "CA");
        l.aki = Some(vec![0xaa; 20]);
        let leaf = make(&l, &key(), &ca_key);
        // The matching key identifier is tried first: two signatures suffice.
        let small = Budget {
            max_signatures: 2,
            ..Budget::default()
        };
        let path = build_path(&leaf, &[], &store, at(), &small).unwrap();
        assert_eq!(path[1], real);
    }

    #[test]
    fn depth_limit_and_self_issued_path_len() {
        let root_key = key();
        let root = make(&Spec::ca("Root", "Root"), &root_key, &root_key);
        let mut store = TrustStore::new();
        store.add_anchor(root);
        let mut parent_key = root_key;
        let mut parent = "Root".to_string();
        let mut chain = Vec::new();
        for i in 0..10 {
            let k = key();
            let cn = format!("CA{i}");
            chain.push(make(&Spec::ca(&cn, &parent), &k, &parent_key));
            parent_key = k;
            parent = cn;
        }
        let leaf = make(&Spec::leaf("Leaf", &parent), &key(), &parent_key);
        let err = build_path(&leaf, &chain, &store, at(), &Budget::default()).unwrap_err();
        assert_eq!(err, PathError::TooDeep(8));
        let deep = Budget {
            max_depth: 10,
            ..Budget::default()
        };
        assert_eq!(
            build_path(&leaf, &chain, &store, at(), &deep)
                .unwrap()
                .len(),
            12
        );

        // pathLen 0 CA above a self-issued (key rollover) CA: allowed (RFC 5280 §6.1.4 (l)).
        let root_key = key();
        let mut store = TrustStore::new();
        store.add_anchor(make(&Spec::ca("Root", "Root"), &root_key, &root_key));
        let (old, new) = (key(), key());
        let mut s = Spec::ca("CA", "Root");
        s.ca = Some((true, Some(0)));
        let ca_old = make(&s, &old, &root_key);
        let ca_rollover = make(&Spec::ca("CA", "CA"), &new, &old);
        let leaf = make(&Spec::leaf("Leaf", "CA"), &key(), &new);
        let path = build_path(
            &leaf,
            &[ca_rollover.clone(), ca_old.clone()],
            &store,
            at(),
            &Budget::default(),
        )
        .unwrap();
        assert_eq!(path.len(), 4);
        // A non-self-issued CA in the same place breaks the constraint.
        let other = key();
        let sub = make(&Spec::ca("Sub", "CA"), &other, &old);
        let leaf = make(&Spec::leaf("Leaf", "Sub"), &key(), &other);
        let err = build_path(&leaf, &[sub, ca_old], &store, at(), &Budget::default()).unwrap_err();
        assert!(matches!(err, PathError::PathLenExceeded { .. }), "{err}");
        assert_eq!(err.status(), Status::Fail);
    }

    #[test]
    fn missing_basic_constraints_is_not_a_ca() {
        let root_key = key();
        let mut store = TrustStore::new();
        store.add_anchor(make(&Spec::ca("Root", "Root"), &root_key, &root_key));
        let k = key();
        let mut s = Spec::ca("CA", "Root");
        s.ca = None;
        let ca = make(&s, &k, &root_key);
        let leaf = make(&Spec::leaf("Leaf", "CA"), &key(), &k);
        let err = build_path(&leaf, &[ca], &store, at(), &Budget::default()).unwrap_err();
        assert!(matches!(err, PathError::NotCa { .. }), "{err}");
        // Not reachable by name from an anchor: the same CA under an unknown root is no failure.
        let k2 = key();
        let mut s = Spec::ca("CA2", "Elsewhere");
        s.ca = None;
        let ca2 = make(&s, &k2, &key());
        let leaf = make(&Spec::leaf("Leaf", "CA2"), &key(), &k2);
        let err = build_path(&leaf, &[ca2], &store, at(), &Budget::default()).unwrap_err();
        assert!(matches!(err, PathError::NoAnchor { .. }), "{err}");
    }
}
