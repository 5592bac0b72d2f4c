//! The `cms` PDF payload (ISO 32000-2 §12.8.3.3, PAdES / `adbe.pkcs7.detached`): a detached
//! CMS SignedData over the ByteRange bytes, read and checked through [`crate::cms`] (RFC 5652
//! §5; GM/T 0010-2012 §8 for the SM2 variant). What is PDF's own: the digest of the content is
//! the hash of the ByteRange bytes, the signed attributes are required (PAdES), and the
//! findings are reported as `format`, `data_hash`, `signature` and `signer_cert.*`.

use crate::pki::alg::Digest;
use crate::pki::{CertOptions, Certificate, Context, Purpose};
use crate::report::{Check, SignerInfo, Status, ids};

pub use crate::cms::{CmsProfile, SignedData, build_signed_data};
/// PKCS #7 data, signedData; GM/T 0010 data, signedData; SM3; SM2-with-SM3; SM2 (`sm2-1`)
/// and the SM2 curve (re-exported from [`crate::oid`]).
pub use crate::oid::{
    GM_DATA as OID_GM_DATA, GM_SIGNED_DATA as OID_GM_SIGNED_DATA, ID_DATA as OID_DATA,
    ID_SIGNED_DATA as OID_SIGNED_DATA, SM2 as OID_SM2, SM2_SIGN as OID_SM2_SIGN,
    SM2_WITH_SM3 as OID_SM2_SM3, SM3 as OID_SM3,
};

/// True when `der` starts like a CMS ContentInfo with signedData (either OID family).
pub fn looks_like_cms(der: &[u8]) -> bool {
    crate::cms::looks_like_signed_data(der)
}

/// Parses a DER ContentInfo holding a SignedData. Trailing bytes (PDF zero padding) are
/// ignored.
pub fn parse_signed_data(der: &[u8]) -> crate::Result<SignedData<'_>> {
    let used = match crate::asn1::read_tlv(der) {
        Ok((_, _, rest)) => der.len() - rest.len(),
        Err(_) => der.len(),
    };
    SignedData::parse(&der[..used])
}

/// Checks a `cms` payload `c` (DER, padding allowed): `format`, `data_hash` (messageDigest
/// against `sm3`, the SM3 of the ByteRange bytes, or `hash` of them by another digest
/// algorithm; `None` when the ByteRange is not valid), `signature` and the signer certificate
/// judged at the signing time (DESIGN §4.3) against the context's trust store (cached when the
/// context has a cache). Returns the checks, the signer
/// and the signing time.
pub fn check_payload(
    c: &[u8],
    sm3: Option<&[u8; 32]>,
    hash: &dyn Fn(Digest) -> Option<Vec<u8>>,
    ctx: &Context<'_>,
) -> (Vec<Check>, Option<SignerInfo>, Option<String>) {
    let now = ctx.now();
    let mut checks = Vec::new();
    let sd = match parse_signed_data(c) {
        Ok(sd) => sd,
        Err(e) => {
            checks.push(Check::fail(ids::FORMAT, e.to_string()));
            return (checks, None, None);
        }
    };
    checks.push(Check::pass(
        ids::FORMAT,
        format!(
            "CMS SignedData ({} OIDs)",
            if sd.gmt { "GM/T 0010" } else { "PKCS #7" }
        ),
    ));
    let time = sd.signing_time.map(|t| t.to_rfc3339());
    checks.push(match sd.digest() {
        Err(f) => Check::new(ids::DATA_HASH, f.status, f.message),
        Ok(_) if sd.message_digest.is_none() => {
            Check::fail(ids::DATA_HASH, "no messageDigest attribute")
        }
        Ok(d) => {
            let computed = match d {
                Digest::Sm3 => sm3.map(|h| h.to_vec()),
                _ => hash(d),
            };
            match computed {
                None => Check::skip(ids::DATA_HASH, "not computed: the ByteRange is not valid"),
                Some(h) => {
                    let mut f = sd.check_message_digest(d, &h, "the ByteRange bytes");
                    if f.status == Status::Fail {
                        f.message.push_str(": the document was changed");
                    }
                    Check::new(ids::DATA_HASH, f.status, f.message)
                }
            }
        }
    });
    let Some(cert) = sd.signer_certificate() else {
        checks.push(Check::fail(
            ids::SIGNATURE,
            "the signer's certificate is not in the SignedData",
        ));
        return (checks, None, time);
    };
    let f = sd.check_signature(&cert, None);
    checks.push(Check::new(ids::SIGNATURE, f.status, f.message));
    let extras: Vec<Certificate> = sd
        .certs
        .iter()
        .filter(|x| **x != cert.der())
        .filter_map(|x| Certificate::from_der(x).ok())
        .collect();
    let opts = CertOptions {
        at: sd.signing_time.unwrap_or(now),
        now,
        purpose: Purpose::Signing,
    };
    checks.extend(crate::pki::check_certificate_in(
        ctx,
        &cert,
        &extras,
        &opts,
        "signer_cert",
    ));
    (checks, Some(cert.signer_info()), time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::{PrivateKey, SoftwareSigner};
    use crate::pki::issue::{CertificateParams, Issuer, NameBuilder, issue_certificate};
    use crate::pki::time::Time;

    pub(crate) fn test_cert(key: &PrivateKey) -> Vec<u8> {
        let signer = SoftwareSigner::new(key.clone());
        let name = NameBuilder::new()
            .common_name("Test Seal")
            .organization("eseal");
        let params = CertificateParams {
            serial: vec![0x12, 0x34],
            subject: name.clone(),
            not_before: Time::from_civil(2025, 1, 1, 0, 0, 0).unwrap(),
            not_after: Time::from_civil(2035, 1, 1, 0, 0, 0).unwrap(),
            public_key: key.public_key().clone(),
            ca: None,
            key_usage: 1 | 2,
            extended_key_usage: vec![],
        };
        issue_certificate(
            &params,
            &Issuer {
                name_der: name.to_der().unwrap(),
                public_key: key.public_key().clone(),
                signer: &signer,
            },
        )
        .unwrap()
    }

    #[test]
    fn build_parse_verify() {
        let key = PrivateKey::generate().unwrap();
        let cert = test_cert(&key);
        let signer = SoftwareSigner::new(key);
        let md = crate::crypto::sm3(b"pdf bytes");
        for profile in [CmsProfile::Pkcs7, CmsProfile::Gmt0010] {
            let t = Time::from_civil(2026, 1, 2, 3, 4, 5).unwrap();
            let der = build_signed_data(&signer, &cert, &[], t, &md, profile).unwrap();
            assert!(looks_like_cms(&der));
            let mut padded = der.clone();
            padded.extend_from_slice(&[0; 100]);
            let sd = parse_signed_data(&padded).unwrap();
            assert_eq!(sd.gmt, profile == CmsProfile::Gmt0010);
            assert_eq!(sd.message_digest, Some(&md[..]));
            assert_eq!(sd.signing_time, Some(t));
            let c = sd.signer_certificate().unwrap();
            assert!(c.subject().contains("CN=Test Seal"));
            let alg = sd.signature_algorithm().unwrap();
            sd.verify_with(&alg, &c).unwrap();
            // A flipped attribute byte breaks the signature.
            let pos = der.windows(32).position(|w| w == md).unwrap();
            let mut bad = der.clone();
            bad[pos] ^= 1;
            let sd = parse_signed_data(&bad).unwrap();
            assert!(
                sd.verify_with(&alg, &sd.signer_certificate().unwrap())
                    .is_err()
            );
        }
        for cut in [0, 1, 5, 40, 200] {
            let der =
                build_signed_data(&signer, &cert, &[], Time(0), &md, CmsProfile::Pkcs7).unwrap();
            let _ = parse_signed_data(&der[..cut.min(der.len())]);
        }
    }

    /// BER as OpenSSL streams it (`openssl cms -sign -stream -nodetach -binary -nosmimecap
    /// -outform DER`, OpenSSL 3.0, P-256 key): indefinite lengths and a constructed OCTET
    /// STRING. Read through [`crate::asn1::ber_normalised`], its signature still verifies
    /// over the signed attributes as they were signed.
    #[test]
    fn ber_openssl_stream() {
        let ber = include_bytes!("../../test-vectors/ber/openssl-stream.p7s");
        let content = include_bytes!("../../test-vectors/ber/content.txt");
        assert_eq!(&ber[..2], [0x30, 0x80]);
        assert!(parse_signed_data(ber).is_err());
        let der = crate::asn1::ber_normalised(ber).unwrap();
        assert!(looks_like_cms(&der));
        // Zero padding after the end-of-contents octets is not part of the element.
        let mut padded = ber.to_vec();
        padded.extend_from_slice(&[0; 64]);
        assert_eq!(crate::asn1::ber_normalised(&padded).unwrap(), der);
        // Already-definite input is left to the DER reader unchanged.
        assert_eq!(crate::asn1::ber_normalised(&der), None);
        let sd = parse_signed_data(&der).unwrap();
        let md = crate::pki::alg::Digest::Sha256.hash(content);
        assert_eq!(sd.message_digest, Some(&md[..]));
        let cert = crate::pki::Certificate::from_der(sd.signer_cert().unwrap().raw).unwrap();
        let alg = sd.signature_algorithm().unwrap();
        sd.verify_with(&alg, &cert).unwrap();
        // A changed signed attribute byte (inside the BER wrapper) breaks the signature.
        let pos = ber.windows(32).position(|w| w == md).unwrap();
        let mut bad = ber.to_vec();
        bad[pos] ^= 1;
        let der = crate::asn1::ber_normalised(&bad).unwrap();
        let sd = parse_signed_data(&der).unwrap();
        assert!(sd.verify_with(&alg, &cert).is_err());
    }

    /// Truncated, unterminated, too deep or otherwise malformed BER is an error, never a panic.
    #[test]
    fn ber_malformed() {
        let ber = include_bytes!("../../test-vectors/ber/openssl-stream.p7s");
        for cut in 0..ber.len() {
            // Every proper prefix lacks end-of-contents octets or is truncated.
            assert!(crate::asn1::ber_to_der(&ber[..cut]).is_err(), "cut {cut}");
            let _ = crate::asn1::ber_normalised(&ber[..cut]);
        }
        // Flipping each byte never panics.
        for i in 0..ber.len() {
            let mut b = ber.to_vec();
            b[i] ^= 0xff;
            if let Some(der) = crate::asn1::ber_normalised(&b) {
                let _ = parse_signed_data(&der);
            }
        }
        // Nesting beyond the limit.
        let deep: Vec<u8> = [0x30, 0x80]
            .repeat(100)
            .into_iter()
            .chain([0; 200])
            .collect();
        assert!(crate::asn1::ber_to_der(&deep).is_err());
        let ok: Vec<u8> = [0x30, 0x80].repeat(10).into_iter().chain([0; 20]).collect();
        assert_eq!(crate::asn1::ber_to_der(&ok).unwrap().1, 40);
        // Indefinite length on a primitive, a constructed OCTET STRING with a non-OCTET
        // STRING segment, an indefinite element running past its definite parent.
        assert!(crate::asn1::ber_to_der(&[0x04, 0x80, 0x01, 0x00, 0x00]).is_err());
        assert!(crate::asn1::ber_to_der(&[0x24, 0x80, 0x02, 0x01, 0x01, 0x00, 0x00]).is_err());
        assert!(crate::asn1::ber_to_der(&[0x30, 0x03, 0x30, 0x80, 0x00, 0x00, 0x00]).is_err());
        assert_eq!(
            crate::asn1::ber_to_der(&[0x24, 0x80, 0x04, 0x01, 0xaa, 0x04, 0x01, 0xbb, 0, 0])
                .unwrap(),
            (vec![0x04, 0x02, 0xaa, 0xbb], 10)
        );
    }
}
