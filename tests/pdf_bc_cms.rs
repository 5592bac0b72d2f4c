//! Bouncy Castle, an implementation we did not write, verifies the CMS payload of PDFs sealed by
//! eseal over the ByteRange bytes (`test-vectors/java/PdfCmsCheck.java`): messageDigest = SM3 of
//! the signed bytes and the SM3withSM2 signature over the signed attributes. A changed byte in
//! the signed part must make it fail.

mod common;
mod pdf_util;

use common::{java, require_tool};
use pdf_util::*;

#[test]
fn bouncy_castle_verifies_cms_over_byte_range() {
    if !require_tool("bouncycastle") {
        return;
    }
    let dir = tmpdir("bc-cms");
    let input = dir.join("in.pdf");
    std::fs::write(&input, make_pdf(&Gen::default())).unwrap();
    let one = dir.join("one.pdf");
    let two = dir.join("two.pdf");
    seal_cms(
        &input,
        &one,
        &cms_options(1, 30.0, 40.0),
        &test_signer("BC Check One"),
    )
    .unwrap();
    // A second seal on top: BC checks the last signature, which covers the whole file.
    seal_cms(
        &one,
        &two,
        &cms_options(1, 90.0, 40.0),
        &test_signer("BC Check Two"),
    )
    .unwrap();

    let mut tampered = std::fs::read(&two).unwrap();
    let pos = tampered
        .windows(7)
        .position(|w| w == b"/Parent")
        .expect("a page object");
    tampered[pos + 1] = b'p';
    let bad = dir.join("tampered.pdf");
    std::fs::write(&bad, &tampered).unwrap();

    let out = java("PdfCmsCheck").arg(&one).arg(&two).output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("OK") && text.contains("BC Check One") && text.contains("BC Check Two"),
        "{text}"
    );

    let out = java("PdfCmsCheck").arg(&bad).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success() && text.starts_with("FAIL"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
