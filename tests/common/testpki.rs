//! A test PKI for the seal tests: root CA, seal maker, signer and TSA certificates issued with
//! `eseal::pki::issue`, seals made with `SealBuilder`, and RFC 3161 tokens written by hand.

use eseal::asn1::{self, tlv};
use eseal::crypto::{DEFAULT_ID, PrivateKey, SoftwareSigner, sm3};
use eseal::pki::issue::{self, CertificateParams, Issuer, NameBuilder, RevokedEntry};
use eseal::pki::{Certificate, Crl, Time, TrustStore};
use eseal::ses::{Seal, SealBuilder, Version};

pub fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

/// Certificates valid 2020–2040; seal valid 2024–2030, made 2024-01-01; signing 2025-06-01;
/// "now" 2026-01-01.
pub const CERT_FROM: &str = "2020-01-01T00:00:00Z";
pub const CERT_TO: &str = "2040-01-01T00:00:00Z";
pub const SEAL_FROM: &str = "2024-01-01T00:00:00Z";
pub const SEAL_TO: &str = "2030-01-01T00:00:00Z";
pub const SIGNING: &str = "2025-06-01T00:00:00Z";
pub const NOW: &str = "2026-01-01T00:00:00Z";

pub struct Party {
    pub key: PrivateKey,
    pub cert: Vec<u8>,
}

impl Party {
    pub fn signer(&self) -> SoftwareSigner {
        SoftwareSigner::new(self.key.clone())
    }
}

pub struct Pki {
    pub root: Party,
    pub root_name: Vec<u8>,
    pub maker: Party,
    pub signer: Party,
    pub tsa: Party,
    pub store: TrustStore,
}

pub const KU_SIGN: u16 =
    eseal::pki::KeyUsage::DIGITAL_SIGNATURE | eseal::pki::KeyUsage::NON_REPUDIATION;
pub const KU_ENC: u16 = eseal::pki::KeyUsage::KEY_ENCIPHERMENT;

/// Issues a leaf certificate under `root`.
#[allow(clippy::too_many_arguments)]
pub fn leaf(
    root: &Party,
    root_name: &[u8],
    serial: u8,
    cn: &str,
    ku: u16,
    eku: Vec<&'static str>,
    from: &str,
    to: &str,
) -> Party {
    let key = PrivateKey::generate().unwrap();
    let rs = root.signer();
    let cert = issue::issue_certificate(
        &CertificateParams {
            serial: vec![serial],
            subject: NameBuilder::new()
                .country("CN")
                .organization("eseal test")
                .common_name(cn),
            not_before: t(from),
            not_after: t(to),
            public_key: key.public_key().clone(),
            ca: None,
            key_usage: ku,
            extended_key_usage: eku,
        },
        &Issuer {
            name_der: root_name.to_vec(),
            public_key: root.key.public_key().clone(),
            signer: &rs,
        },
    )
    .unwrap();
    Party { key, cert }
}

pub fn pki() -> Pki {
    let key = PrivateKey::generate().unwrap();
    let name = NameBuilder::new()
        .country("CN")
        .common_name("eseal test root");
    let root_name = name.to_der().unwrap();
    let rs = SoftwareSigner::new(key.clone());
    let cert = issue::issue_certificate(
        &CertificateParams {
            serial: vec![1],
            subject: name,
            not_before: t(CERT_FROM),
            not_after: t(CERT_TO),
            public_key: key.public_key().clone(),
            ca: Some(None),
            key_usage: eseal::pki::KeyUsage::KEY_CERT_SIGN | eseal::pki::KeyUsage::CRL_SIGN,
            extended_key_usage: vec![],
        },
        &Issuer {
            name_der: root_name.clone(),
            public_key: key.public_key().clone(),
            signer: &rs,
        },
    )
    .unwrap();
    let root = Party { key, cert };
    let maker = leaf(
        &root,
        &root_name,
        2,
        "seal maker",
        KU_SIGN,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let signer = leaf(
        &root,
        &root_name,
        3,
        "signer",
        KU_SIGN,
        vec![],
        CERT_FROM,
        CERT_TO,
    );
    let tsa = leaf(
        &root,
        &root_name,
        4,
        "tsa",
        KU_SIGN,
        vec![eseal::pki::ext::KP_TIME_STAMPING],
        CERT_FROM,
        CERT_TO,
    );
    let mut store = TrustStore::new();
    store.add_anchor(Certificate::from_der(&root.cert).unwrap());
    Pki {
        root,
        root_name,
        maker,
        signer,
        tsa,
        store,
    }
}

impl Pki {
    /// A CRL from the root revoking `serial` at `at`, issued at `issued`.
    pub fn crl(&self, serial: u8, at: &str) -> Crl {
        let rs = self.root.signer();
        let der = issue::issue_crl(
            &Issuer {
                name_der: self.root_name.clone(),
                public_key: self.root.key.public_key().clone(),
                signer: &rs,
            },
            t(NOW),
            t("2027-01-01T00:00:00Z"),
            1,
            &[RevokedEntry {
                serial: vec![serial],
                revoked_at: t(at),
            }],
        )
        .unwrap();
        Crl::from_der(&der).unwrap()
    }

    pub fn builder(&self) -> SealBuilder {
        SealBuilder::new("eseal-test", "1101000000001", "测试合同专用章")
            .signer_certs(vec![self.signer.cert.clone()])
            .create_date(t(SEAL_FROM))
            .validity(t(SEAL_FROM), t(SEAL_TO))
            .picture("PNG", png(), 40, 40)
            .now(t(SEAL_FROM))
    }

    pub fn seal(&self, v: Version) -> Seal {
        self.builder()
            .version(v)
            .build(&self.maker.cert, &self.maker.signer())
            .unwrap()
    }
}

/// A PNG signature followed by some bytes (only the magic number is checked).
pub fn png() -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&[0, 0, 0, 13]);
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&[0u8; 17]);
    v
}

const OID_SM3: &str = "1.2.156.10197.1.401";

fn oid(s: &str) -> Vec<u8> {
    let mut v = Vec::new();
    asn1::write_oid(&mut v, s).unwrap();
    v
}

fn alg(s: &str) -> Vec<u8> {
    tlv(asn1::SEQUENCE, &oid(s))
}

/// An RFC 3161 TimeStampToken over `stamped` (SM3 imprint) at `gen_time`, signed by `tsa`.
pub fn tsa_token(tsa: &Party, stamped: &[u8], gen_time: Time) -> Vec<u8> {
    tsa_token_with(tsa, stamped, gen_time, TokenForm::default())
}

/// Variants of the token layout.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenForm {
    /// Sign the TSTInfo directly, without signed attributes.
    pub no_signed_attrs: bool,
    /// Identify the TSA by subjectKeyIdentifier instead of issuer and serial.
    pub key_id: bool,
    /// GM/T 0010 signedData OID instead of PKCS#7's.
    pub gm_oid: bool,
}

/// [`tsa_token`] in the layout `form`.
pub fn tsa_token_with(tsa: &Party, stamped: &[u8], gen_time: Time, form: TokenForm) -> Vec<u8> {
    let cert = Certificate::from_der(&tsa.cert).unwrap();
    let mut tst = Vec::new();
    asn1::write_int(&mut tst, 1);
    tst.extend(oid("1.2.3.4"));
    let mut mi = alg(OID_SM3);
    asn1::write_tlv(&mut mi, asn1::OCTET_STRING, &sm3(stamped));
    asn1::write_tlv(&mut tst, asn1::SEQUENCE, &mi);
    asn1::write_int(&mut tst, 42);
    asn1::write_tlv(
        &mut tst,
        asn1::GENERALIZED_TIME,
        gen_time.to_generalized().as_bytes(),
    );
    let tst = tlv(asn1::SEQUENCE, &tst);

    let mut attrs = Vec::new();
    let mut a = oid("1.2.840.113549.1.9.3");
    a.extend(tlv(asn1::SET, &oid("1.2.840.113549.1.9.16.1.4")));
    asn1::write_tlv(&mut attrs, asn1::SEQUENCE, &a);
    let mut a = oid("1.2.840.113549.1.9.4");
    a.extend(tlv(asn1::SET, &tlv(asn1::OCTET_STRING, &sm3(&tst))));
    asn1::write_tlv(&mut attrs, asn1::SEQUENCE, &a);
    let signed = if form.no_signed_attrs {
        tst.clone()
    } else {
        tlv(asn1::SET, &attrs)
    };
    let sig = tsa.key.sign(DEFAULT_ID, &signed).unwrap().to_der();

    let mut si = Vec::new();
    asn1::write_int(&mut si, 1);
    if form.key_id {
        let kid = cert.subject_key_id().expect("TSA certificate has an SKI");
        asn1::write_tlv(&mut si, asn1::context_primitive(0), kid);
    } else {
        let mut ias = cert.issuer_name().der().to_vec();
        asn1::write_tlv(&mut ias, asn1::INTEGER, cert.serial());
        asn1::write_tlv(&mut si, asn1::SEQUENCE, &ias);
    }
    si.extend(alg(OID_SM3));
    if !form.no_signed_attrs {
        asn1::write_tlv(&mut si, asn1::context(0), &attrs);
    }
    si.extend(alg("1.2.156.10197.1.501"));
    asn1::write_tlv(&mut si, asn1::OCTET_STRING, &sig);

    let mut sd = Vec::new();
    asn1::write_int(&mut sd, 3);
    asn1::write_tlv(&mut sd, asn1::SET, &alg(OID_SM3));
    let mut eci = oid("1.2.840.113549.1.9.16.1.4");
    asn1::write_tlv(&mut eci, asn1::context(0), &tlv(asn1::OCTET_STRING, &tst));
    asn1::write_tlv(&mut sd, asn1::SEQUENCE, &eci);
    asn1::write_tlv(&mut sd, asn1::context(0), &tsa.cert);
    asn1::write_tlv(&mut sd, asn1::SET, &tlv(asn1::SEQUENCE, &si));
    let mut ci = oid(if form.gm_oid {
        "1.2.156.10197.6.1.4.2.2"
    } else {
        "1.2.840.113549.1.7.2"
    });
    asn1::write_tlv(&mut ci, asn1::context(0), &tlv(asn1::SEQUENCE, &sd));
    tlv(asn1::SEQUENCE, &ci)
}
