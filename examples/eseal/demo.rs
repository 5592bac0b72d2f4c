//! `eseal demo`: a complete run on built-in data, so a newcomer sees every step work.
//!
//! Creates a demo PKI (root CA, seal maker, signer; SM2), draws a red round seal picture,
//! makes a GB/T 38540 seal, applies it to a sample text file and to generated OFD and PDF documents,
//! verifies the results against the demo root and prints the reports and where every file is.

use crate::art;
use crate::keys;
use clap::Args;
use eseal::batch::Verifier;
use eseal::crypto::keyfile::to_encrypted_pkcs8_pem;
use eseal::crypto::{PrivateKey, SoftwareSigner};
use eseal::pki::KeyUsage;
use eseal::pki::Time;
use eseal::pki::issue::{
    CertificateParams, Issuer, NameBuilder, issue_certificate, issue_crl, to_pem,
};
use eseal::ses::SealBuilder;
use eseal::ses::sign::{SignRequest, sign_data};
use std::path::{Path, PathBuf};

/// Password protecting the demo's private keys (they are demo keys: never use them for real).
pub const DEMO_PASSWORD: &str = "eseal-demo";

/// Arguments of `eseal demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Folder for the demo's files (created; existing demo files are replaced, key files only
    /// with --force).
    #[arg(long, default_value = "eseal-demo")]
    dir: PathBuf,
    /// Replace the demo's key files when they are already there (they are never replaced
    /// without it).
    #[arg(long)]
    force: bool,
}

struct Party {
    key: PrivateKey,
    cert: Vec<u8>,
}

fn write(dir: &Path, name: &str, data: &[u8]) -> Result<PathBuf, String> {
    let p = dir.join(name);
    std::fs::write(&p, data).map_err(|e| format!("{}: {e}", p.display()))?;
    Ok(p)
}

fn years(t: Time, n: i64) -> Time {
    Time(t.0 + n * 365 * 86400)
}

/// Runs the demo; returns the exit status.
pub fn run(a: DemoArgs) -> u8 {
    match demo(&a.dir, a.force) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("eseal demo: {e}");
            2
        }
    }
}

fn demo(dir: &Path, force: bool) -> Result<u8, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for name in ["maker.key", "signer.key"] {
        let p = dir.join(name);
        if !force && std::fs::symlink_metadata(&p).is_ok() {
            return Err(format!(
                "{}: a key file is already there; give --force to replace it",
                p.display()
            ));
        }
    }
    let e = |err: eseal::Error| err.to_string();
    // Certificates start a day ago so the demo verifies at once whatever the clock skew.
    let now = Time::now();
    let start = Time(now.0 - 86400);

    println!("1. Demo PKI (SM2, SM3withSM2, default user ID 1234567812345678)");
    let root_key = PrivateKey::generate().map_err(e)?;
    let root_signer = SoftwareSigner::new(root_key.clone());
    let root_name = NameBuilder::new()
        .country("CN")
        .organization("eseal demo")
        .common_name("eseal Demo Root CA");
    let root_issuer = Issuer {
        name_der: root_name.to_der().map_err(e)?,
        public_key: root_key.public_key().clone(),
        signer: &root_signer,
    };
    let root_cert = issue_certificate(
        &CertificateParams {
            serial: vec![0x01],
            subject: root_name.clone(),
            not_before: start,
            not_after: years(now, 20),
            public_key: root_key.public_key().clone(),
            ca: Some(Some(0)),
            key_usage: KeyUsage::KEY_CERT_SIGN | KeyUsage::CRL_SIGN,
            extended_key_usage: vec![],
        },
        &root_issuer,
    )
    .map_err(e)?;
    let issue_party = |serial: u8, cn: &str| -> Result<Party, String> {
        let key = PrivateKey::generate().map_err(e)?;
        let cert = issue_certificate(
            &CertificateParams {
                serial: vec![serial, 0x5e, 0xa1],
                subject: NameBuilder::new()
                    .country("CN")
                    .organization("eseal demo")
                    .common_name(cn),
                not_before: start,
                not_after: years(now, 5),
                public_key: key.public_key().clone(),
                ca: None,
                key_usage: KeyUsage::DIGITAL_SIGNATURE | KeyUsage::NON_REPUDIATION,
                extended_key_usage: vec![],
            },
            &root_issuer,
        )
        .map_err(e)?;
        Ok(Party { key, cert })
    };
    let maker = issue_party(0x02, "eseal Demo Seal Maker")?;
    let signer = issue_party(0x03, "eseal Demo Signer")?;
    let crl = issue_crl(&root_issuer, start, Time(now.0 + 30 * 86400), 1, &[]).map_err(e)?;

    let root_pem = write(
        dir,
        "root.pem",
        to_pem("CERTIFICATE", &root_cert).as_bytes(),
    )?;
    let crl_pem = write(dir, "root-crl.pem", to_pem("X509 CRL", &crl).as_bytes())?;
    let maker_pem = write(
        dir,
        "maker.pem",
        to_pem("CERTIFICATE", &maker.cert).as_bytes(),
    )?;
    let signer_pem = write(
        dir,
        "signer.pem",
        to_pem("CERTIFICATE", &signer.cert).as_bytes(),
    )?;
    let pw = DEMO_PASSWORD.as_bytes();
    let maker_key = dir.join("maker.key");
    let signer_key = dir.join("signer.key");
    for (path, key) in [(&maker_key, &maker.key), (&signer_key, &signer.key)] {
        let pem = to_encrypted_pkcs8_pem(key, pw).map_err(e)?;
        keys::write_key_file(path, pem.as_bytes(), force)?;
    }
    println!("   root CA      {}", root_pem.display());
    println!("   CRL          {}", crl_pem.display());
    println!(
        "   seal maker   {} (key {}, SM4-CBC + PBKDF2-HMAC-SM3)",
        maker_pem.display(),
        maker_key.display()
    );
    println!(
        "   signer       {} (key {})",
        signer_pem.display(),
        signer_key.display()
    );
    println!("   key password {DEMO_PASSWORD}");

    println!("2. Seal picture");
    let picture = art::seal_png(400, "ESEAL DEMO SEAL MAKER", "SEAL-0001")?;
    let picture_path = write(dir, "seal.png", &picture)?;
    println!(
        "   {} (PNG with transparency, drawn by code)",
        picture_path.display()
    );

    println!("3. Seal (GB/T 38540 v4 SESeal, signed by the seal maker)");
    let maker_signer = SoftwareSigner::new(maker.key.clone());
    let seal = SealBuilder::new("eseal-demo", "11010000000001", "eseal 演示专用章")
        .seal_type(1)
        .cert_list_type(1)
        .signer_certs(vec![signer.cert.clone()])
        .create_date(now)
        .validity(start, years(now, 3))
        .picture("PNG", picture, 40, 40)
        .build(&maker.cert, &maker_signer)
        .map_err(e)?;
    let seal_der = seal.to_der().map_err(e)?;
    let seal_path = write(dir, "demo.esl", &seal_der)?;
    println!("   {}", seal_path.display());

    println!("4. Seal applied to data (SES_Signature over SM3 of the file)");
    let contract = "eseal demo contract\n\nThe parties agree that electronic seals made with eseal are for demonstration only.\n";
    let data_path = write(dir, "contract.txt", contract.as_bytes())?;
    println!("   data         {}", data_path.display());
    let signer_signer = SoftwareSigner::new(signer.key.clone());
    let req = SignRequest::new(&seal, &signer.cert, "contract.txt", now);
    let sig = sign_data(&req, contract.as_bytes(), &signer_signer).map_err(e)?;
    let sig_path = write(dir, "contract.txt.ses", &sig.to_der().map_err(e)?)?;
    println!("   {}", sig_path.display());

    println!("5. OFD document sealed (GB/T 33190 signature, stamp on page 1)");
    let lines = [
        "eseal demo contract",
        "",
        "The parties agree that electronic seals made",
        "with eseal are for demonstration only.",
    ];
    let ofd_path = write(dir, "contract.ofd", &crate::sample_docs::ofd(&lines)?)?;
    let sealed_ofd = dir.join("contract-sealed.ofd");
    let opts = eseal::ofd::SealOfdOptions {
        page: 1,
        x_mm: 140.0,
        y_mm: 60.0,
        ..Default::default()
    };
    eseal::ofd::seal_ofd(
        &ofd_path,
        &sealed_ofd,
        &opts,
        &seal,
        &signer.cert,
        &signer_signer,
    )
    .map_err(e)?;
    println!("   {} -> {}", ofd_path.display(), sealed_ofd.display());

    println!("6. PDF document sealed (incremental update, visible seal, SES payload)");
    let pdf_path = write(dir, "contract.pdf", &crate::sample_docs::pdf(&lines))?;
    let sealed_pdf = dir.join("contract-sealed.pdf");
    let pdf_opts = eseal::pdf::SealOptions {
        page: 1,
        x_mm: 140.0,
        y_mm: 60.0,
        picture: Some(eseal::pdf::SealPicture::from_seal(&seal)),
        name: Some(seal.seal_info.property.name.clone()),
        reason: Some("eseal demo".into()),
        contents_size: eseal::pdf::sign::ses_contents_size(&seal, &signer.cert),
        ..Default::default()
    };
    eseal::pdf::prepare(&pdf_path, &sealed_pdf, &pdf_opts)
        .and_then(|p| p.finish_ses(&seal, &signer.cert, &signer_signer))
        .map_err(e)?;
    println!("   {} -> {}", pdf_path.display(), sealed_pdf.display());

    println!("7. Verification against the demo root");
    let mut verifier = Verifier::new();
    verifier.add_trust(&root_cert).map_err(e)?;
    verifier.add_crl(&crl).map_err(e)?;
    let mut worst = eseal::Verdict::Valid;
    for path in [&signer_pem, &seal_path, &sig_path, &sealed_ofd, &sealed_pdf] {
        let bytes = std::fs::read(path).map_err(|err| format!("{}: {err}", path.display()))?;
        for r in verifier.verify_bytes_with_data(
            &path.display().to_string(),
            &bytes,
            Some(contract.as_bytes()),
        ) {
            worst = worst.combine(r.verdict);
            crate::verify::print_text(&r);
        }
    }

    println!("\nNext, try:");
    let d = dir.display();
    println!(
        "  cargo run --release --example eseal -- verify --trust {d}/root.pem --crl {d}/root-crl.pem {d}/demo.esl {d}/signer.pem"
    );
    println!(
        "  cargo run --release --example eseal -- verify --trust {d}/root.pem --data {d}/contract.txt {d}/contract.txt.ses"
    );
    println!("  cargo run --release --example eseal -- seal show {d}/demo.esl");
    println!(
        "  cargo run --release --example eseal -- sign-pdf --seal {d}/demo.esl --cert {d}/signer.pem --key {d}/signer.key --password {DEMO_PASSWORD} --payload cms --x 30 --y 120 {d}/contract-sealed.pdf -o {d}/contract-sealed-twice.pdf"
    );
    println!(
        "  cargo run --release --example eseal -- sign-ofd --seal {d}/demo.esl --cert {d}/signer.pem --key {d}/signer.key --password {DEMO_PASSWORD} --x 30 --y 120 {d}/contract-sealed.ofd -o {d}/contract-sealed-twice.ofd"
    );
    Ok(match worst {
        eseal::Verdict::Valid => 0,
        eseal::Verdict::Invalid => 1,
        eseal::Verdict::Indeterminate => 3,
    })
}
