//! Unit tests of the batch rooms together: the verifier's cached reports, the pool, the walk.

use super::*;
use crate::crypto::sm2::PrivateKey;
use crate::pki::testutil::{Spec, make};
use crate::pki::verify::{CertOptions, Purpose};
use crate::pki::{Certificate, Time};
use crate::report::Report;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
