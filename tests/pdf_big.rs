//! Sealing and verifying a large PDF with bounded memory.
//!
//! Ignored by default (it writes a 100 MB file). CI or a developer runs it as
//! `cargo test --release --test pdf_big -- --ignored`; for the peak memory, run the test
//! binary under `/usr/bin/time -v` (see the pdf section of the final report / README).
//! `ESEAL_BIG_MB` sets the size (default 100).

mod pdf_util;

use eseal::pdf::verify::{VerifyOptions, verify_pdf};
use eseal::report::{Status, ids};
use pdf_util::*;
use std::time::Instant;

#[test]
#[ignore = "writes a 100 MB file; run with --ignored (release build recommended)"]
fn seal_and_verify_big() {
    let mb: u64 = std::env::var("ESEAL_BIG_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let dir = tmpdir("big");
    let input = dir.join("big.pdf");
    write_big_pdf(&input, mb << 20);
    let len = std::fs::metadata(&input).unwrap().len();
    let t = Instant::now();
    let sm3 = eseal::crypto::sm3::sm3_reader(std::fs::File::open(&input).unwrap()).unwrap();
    let t_sm3 = t.elapsed();
    let s = test_signer("Big");
    let out = dir.join("big-sealed.pdf");
    let opts = cms_options(1, 20.0, 20.0);
    let t = Instant::now();
    let p = eseal::pdf::prepare(&input, &out, &opts).unwrap();
    let t_prepare = t.elapsed();
    let d = p.digest().unwrap();
    let t_digest = t.elapsed() - t_prepare;
    let payload = eseal::pdf::cms::build_signed_data(
        &s.signer,
        &s.cert,
        &[],
        opts.signing_time,
        &d,
        eseal::pdf::cms::CmsProfile::Pkcs7,
    )
    .unwrap();
    let t0 = t.elapsed();
    p.finish(&payload).unwrap();
    let t_finish = t.elapsed() - t0;
    let t_seal = t.elapsed();
    eprintln!(
        "seal: prepare (copy + update) {t_prepare:?}, digest {t_digest:?}, finish (patch + fsync + rename) {t_finish:?}"
    );
    let t = Instant::now();
    let r = verify_pdf(&out, &VerifyOptions::default());
    let t_verify = t.elapsed();
    for id in [
        ids::BYTE_RANGE,
        ids::DATA_HASH,
        ids::SIGNATURE,
        ids::MODIFICATIONS,
    ] {
        let c = r.signatures[0].checks.iter().find(|c| c.id == id).unwrap();
        assert_eq!(c.status, Status::Pass, "{c:?}");
    }
    eprintln!(
        "{} bytes: one SM3 pass {:?} ({:02x}{:02x}…), seal {:?} ({:.2}x), verify {:?} ({:.2}x)",
        len,
        t_sm3,
        sm3[0],
        sm3[1],
        t_seal,
        t_seal.as_secs_f64() / t_sm3.as_secs_f64(),
        t_verify,
        t_verify.as_secs_f64() / t_sm3.as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
