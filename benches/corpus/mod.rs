//! Corpus generator for batch verification tests and benchmarks (shared by
//! `examples/gen_corpus.rs`, `tests/batch_corpus.rs` and `benches/batch.rs` through `#[path]`).
//!
//! Writes into `dir`:
//! - `trust.pem`: the certificates of the trusted CAs (one or more);
//! - `crl/caN.crl`: one DER CRL per trusted CA, listing its revoked leaves;
//! - `files/dNNN/…`: the inputs, at most 1,000 per directory;
//! - `manifest.tsv`: `path<TAB>category<TAB>verdict<TAB>check`, one line per input, where
//!   `check` is the id of the check that must fail (or be indeterminate), `-` for valid inputs.
//!
//! Every input is judged at [`AT`] (`eseal verify --at`). Leaf keys are drawn from a small
//! pool (certificates differ by serial and subject), to keep generation fast.

#![allow(dead_code)]

use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pki::KeyUsage;
use eseal::pki::Time;
use eseal::pki::issue::{
    CertificateParams, Issuer, NameBuilder, RevokedEntry, issue_certificate, issue_crl, to_pem,
};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Reference time of the corpus.
pub const AT: &str = "2026-06-01T00:00:00Z";

/// What kind of input to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    /// A valid certificate (DER).
    Valid,
    /// A valid certificate (PEM).
    ValidPem,
    /// A certificate whose signature was altered.
    Tampered,
    /// Expired before [`AT`].
    Expired,
    /// Listed in its CA's CRL before [`AT`].
    Revoked,
    /// Truncated DER.
    Malformed,
    /// Not a certificate, seal or document at all.
    NotASeal,
    /// Issued by a CA that is not trusted.
    UnknownIssuer,
    /// keyUsage without digitalSignature or nonRepudiation.
    WrongUsage,
}

impl Category {
    /// Name in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Category::Valid => "valid",
            Category::ValidPem => "valid-pem",
            Category::Tampered => "tampered",
            Category::Expired => "expired",
            Category::Revoked => "revoked",
            Category::Malformed => "malformed",
            Category::NotASeal => "not-a-seal",
            Category::UnknownIssuer => "unknown-issuer",
            Category::WrongUsage => "wrong-usage",
        }
    }

    /// Expected verdict and the check that decides it.
    pub fn expected(self) -> (&'static str, &'static str) {
        match self {
            Category::Valid | Category::ValidPem => ("valid", "-"),
            Category::Tampered => ("invalid", "cert.chain"),
            Category::Expired => ("invalid", "cert.validity"),
            Category::Revoked => ("invalid", "cert.revocation"),
            Category::Malformed | Category::NotASeal => ("invalid", "format"),
            Category::UnknownIssuer => ("indeterminate", "cert.chain"),
            Category::WrongUsage => ("invalid", "cert.key_usage"),
        }
    }
}

/// The mixed distribution: of every 20 inputs, 8 valid (4 DER, 4 PEM) and 2 of each other
/// category except wrong usage (1) and not-a-seal (1).
pub const MIXED: [Category; 20] = [
    Category::Valid,
    Category::ValidPem,
    Category::Tampered,
    Category::Valid,
    Category::Expired,
    Category::ValidPem,
    Category::Revoked,
    Category::Malformed,
    Category::Valid,
    Category::NotASeal,
    Category::UnknownIssuer,
    Category::ValidPem,
    Category::Tampered,
    Category::Expired,
    Category::Valid,
    Category::Revoked,
    Category::Malformed,
    Category::ValidPem,
    Category::UnknownIssuer,
    Category::WrongUsage,
];

/// Certificates only, almost all valid (1 in 50 revoked), for throughput runs.
pub const MOSTLY_VALID: [Category; 50] = {
    let mut a = [Category::Valid; 50];
    a[49] = Category::Revoked;
    a
};

fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).expect("fixed time")
}

struct Ca {
    signer: SoftwareSigner,
    name_der: Vec<u8>,
    cert_der: Vec<u8>,
    revoked: Vec<RevokedEntry>,
}

fn make_ca(cn: &str) -> Ca {
    let key = PrivateKey::generate().expect("key");
    let subject = NameBuilder::new()
        .country("CN")
        .organization("eseal batch corpus")
        .common_name(cn);
    let name_der = subject.to_der().expect("name");
    let signer = SoftwareSigner::new(key);
    let pk = signer.private_key().public_key().clone();
    let params = CertificateParams {
        serial: vec![1],
        subject,
        not_before: t("2024-01-01T00:00:00Z"),
        not_after: t("2040-01-01T00:00:00Z"),
        public_key: pk.clone(),
        ca: Some(None),
        key_usage: KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN,
        extended_key_usage: Vec::new(),
    };
    let issuer = Issuer {
        name_der: name_der.clone(),
        public_key: pk,
        signer: &signer,
    };
    let cert_der = issue_certificate(&params, &issuer).expect("CA certificate");
    Ca {
        signer,
        name_der,
        cert_der,
        revoked: Vec::new(),
    }
}

fn issue_leaf(ca: &Ca, key: &PrivateKey, serial: u64, cat: Category) -> Vec<u8> {
    let (nb, na) = if cat == Category::Expired {
        ("2022-01-01T00:00:00Z", "2024-01-01T00:00:00Z")
    } else {
        ("2025-01-01T00:00:00Z", "2030-01-01T00:00:00Z")
    };
    let params = CertificateParams {
        serial: serial.to_be_bytes().to_vec(),
        subject: NameBuilder::new()
            .country("CN")
            .organization("eseal batch corpus")
            .common_name(&format!("leaf {serial}")),
        not_before: t(nb),
        not_after: t(na),
        public_key: key.public_key().clone(),
        ca: None,
        key_usage: if cat == Category::WrongUsage {
            KeyUsage::KEY_ENCIPHERMENT
        } else {
            KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION
        },
        extended_key_usage: Vec::new(),
    };
    let issuer = Issuer {
        name_der: ca.name_der.clone(),
        public_key: ca.signer.private_key().public_key().clone(),
        signer: &ca.signer,
    };
    issue_certificate(&params, &issuer).expect("leaf certificate")
}

/// What [`generate`] made.
pub struct Corpus {
    /// The corpus directory.
    pub dir: PathBuf,
    /// `trust.pem`.
    pub trust: PathBuf,
    /// The CRL files.
    pub crls: Vec<PathBuf>,
    /// `files/`.
    pub files: PathBuf,
    /// `manifest.tsv`.
    pub manifest: PathBuf,
    /// Number of inputs.
    pub count: usize,
}

/// Generates `n` inputs issued by `cas` trusted CAs, cycling through `pattern`.
pub fn generate(dir: &Path, n: usize, cas: usize, pattern: &[Category]) -> std::io::Result<Corpus> {
    let cas = cas.max(1);
    std::fs::create_dir_all(dir.join("crl"))?;
    let files = dir.join("files");
    std::fs::create_dir_all(&files)?;
    let mut trusted: Vec<Ca> = (0..cas)
        .map(|i| make_ca(&format!("Batch CA {i}")))
        .collect();
    let rogue = make_ca("Untrusted CA");
    let keys: Vec<PrivateKey> = (0..16)
        .map(|_| PrivateKey::generate().expect("key"))
        .collect();
    let mut manifest = std::io::BufWriter::new(std::fs::File::create(dir.join("manifest.tsv"))?);
    let revoked_at = t("2026-02-01T00:00:00Z");
    for i in 0..n {
        let cat = pattern[i % pattern.len()];
        let sub = files.join(format!("d{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&sub)?;
        }
        let serial = 1000 + i as u64;
        let key = &keys[i % keys.len()];
        let ca_index = (i / pattern.len()) % cas;
        let (name, bytes): (String, Vec<u8>) = match cat {
            Category::NotASeal => (
                format!("f{i:06}.txt"),
                format!("Not a seal, just notes number {i}.\n").into_bytes(),
            ),
            Category::Malformed => {
                let der = issue_leaf(&trusted[ca_index], key, serial, cat);
                (format!("f{i:06}.der"), der[..der.len() / 2].to_vec())
            }
            Category::UnknownIssuer => {
                (format!("f{i:06}.der"), issue_leaf(&rogue, key, serial, cat))
            }
            Category::ValidPem => {
                let der = issue_leaf(&trusted[ca_index], key, serial, cat);
                (
                    format!("f{i:06}.pem"),
                    to_pem("CERTIFICATE", &der).into_bytes(),
                )
            }
            _ => {
                let mut der = issue_leaf(&trusted[ca_index], key, serial, cat);
                if cat == Category::Tampered {
                    // A byte of the signature value's s (the last bytes of the DER).
                    let len = der.len();
                    der[len - 5] ^= 0x5a;
                }
                if cat == Category::Revoked {
                    trusted[ca_index].revoked.push(RevokedEntry {
                        serial: serial.to_be_bytes().to_vec(),
                        revoked_at,
                    });
                }
                (format!("f{i:06}.der"), der)
            }
        };
        let path = sub.join(&name);
        std::fs::write(&path, &bytes)?;
        let (verdict, check) = cat.expected();
        let rel = path
            .strip_prefix(dir)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        writeln!(
            manifest,
            "{}\t{}\t{verdict}\t{check}",
            rel.display(),
            cat.name()
        )?;
    }
    manifest.flush()?;
    let mut trust = String::new();
    let mut crls = Vec::new();
    for (i, ca) in trusted.iter().enumerate() {
        let _ = write!(trust, "{}", to_pem("CERTIFICATE", &ca.cert_der));
        let issuer = Issuer {
            name_der: ca.name_der.clone(),
            public_key: ca.signer.private_key().public_key().clone(),
            signer: &ca.signer,
        };
        let crl = issue_crl(
            &issuer,
            t("2026-01-01T00:00:00Z"),
            t("2027-01-01T00:00:00Z"),
            1,
            &ca.revoked,
        )
        .expect("CRL");
        let p = dir.join("crl").join(format!("ca{i}.crl"));
        std::fs::write(&p, crl)?;
        crls.push(p);
    }
    std::fs::write(dir.join("trust.pem"), trust)?;
    Ok(Corpus {
        dir: dir.to_path_buf(),
        trust: dir.join("trust.pem"),
        crls,
        files,
        manifest: dir.join("manifest.tsv"),
        count: n,
    })
}

/// The manifest as (path relative to the corpus dir, verdict, check) triples, in file order.
pub fn read_manifest(path: &Path) -> std::io::Result<Vec<(String, String, String)>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut it = l.split('\t');
            let p = it.next()?;
            let _cat = it.next()?;
            Some((
                p.to_string(),
                it.next()?.to_string(),
                it.next()?.to_string(),
            ))
        })
        .collect())
}
