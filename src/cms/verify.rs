//! The checks of a SignedData, each rule written once (RFC 5652 §5.4, §5.6, §11; RFC 2634 §5.4,
//! RFC 5035 §3 for the signing-certificate attribute). The formats report the [`Finding`]s
//! under their own check ids (`data_hash`, `signature`, `timestamp`).

use super::read::{SignedData, SignerId};
use crate::error::ErrorKind;
use crate::pki::Certificate;
use crate::pki::alg::{Digest, SignatureAlgorithm, SubjectPublicKey};
use crate::report::Status;

/// The outcome of one rule: a status and a message for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Pass, warn, fail or indeterminate.
    pub status: Status,
    /// What was found.
    pub message: String,
}

impl Finding {
    fn new(status: Status, message: impl Into<String>) -> Finding {
        Finding {
            status,
            message: message.into(),
        }
    }

    /// A passing finding.
    pub fn pass(message: impl Into<String>) -> Finding {
        Finding::new(Status::Pass, message)
    }

    /// A failing finding.
    pub fn fail(message: impl Into<String>) -> Finding {
        Finding::new(Status::Fail, message)
    }

    /// An undecided finding.
    pub fn indeterminate(message: impl Into<String>) -> Finding {
        Finding::new(Status::Indeterminate, message)
    }

    /// True for pass and warn.
    pub fn is_ok(&self) -> bool {
        matches!(self.status, Status::Pass | Status::Warn)
    }
}

/// The signer's certificate as found in a SignedData.
#[derive(Debug, Clone)]
pub struct SignerCert<'a> {
    /// Its DER, as carried.
    pub raw: &'a [u8],
    /// The parsed certificate.
    pub certificate: Certificate,
}

/// Strips the leading zero octets of an INTEGER body (serials are compared as numbers).
fn trim_int(v: &[u8]) -> &[u8] {
    let skip = v.iter().take_while(|&&b| b == 0).count();
    &v[skip.min(v.len().saturating_sub(1))..]
}

impl<'a> SignedData<'a> {
    /// The digest algorithm of the signer, when it can be used: SM3 or SHA-256/384/512.
    /// SHA-1 (collisions are practical) and unknown algorithms are indeterminate.
    pub fn digest(&self) -> Result<Digest, Finding> {
        match Digest::from_oid(&self.digest_alg) {
            Some(d @ (Digest::Sm3 | Digest::Sha256 | Digest::Sha384 | Digest::Sha512)) => Ok(d),
            Some(Digest::Sha1) => Err(Finding::indeterminate(
                "digest algorithm SHA-1 is not accepted (SHA-1 collisions are practical)",
            )),
            None => Err(Finding::indeterminate(format!(
                "digest algorithm {} is not supported",
                self.digest_alg
            ))),
        }
    }

    /// The messageDigest attribute against `computed`, the digest (by [`Self::digest`]) of the
    /// content, described as `what` ("the ByteRange bytes", "the TSTInfo"): pass when equal,
    /// fail when different or absent.
    pub fn check_message_digest(&self, digest: Digest, computed: &[u8], what: &str) -> Finding {
        let name = digest.name();
        match self.message_digest {
            None => Finding::fail("no messageDigest attribute"),
            Some(md) if md == computed => {
                Finding::pass(format!("messageDigest equals {name} of {what}"))
            }
            Some(_) => Finding::fail(format!("messageDigest differs from {name} of {what}")),
        }
    }

    /// The signer's certificate among those carried, by the signer identifier: issuer Name
    /// (RFC 5280 §7.1 matching) and serial number, or subject key identifier.
    pub fn signer_certificate(&self) -> Option<Certificate> {
        self.signer_cert().map(|c| c.certificate)
    }

    /// The signer's certificate with its DER as carried.
    pub fn signer_cert(&self) -> Option<SignerCert<'a>> {
        let issuer = match self.sid {
            SignerId::IssuerAndSerial { issuer, .. } => {
                crate::pki::name::Name::from_der(issuer).ok()
            }
            SignerId::SubjectKeyId(_) => None,
        };
        self.certs.iter().find_map(|der| {
            let c = Certificate::from_der(der).ok()?;
            let hit = match self.sid {
                SignerId::IssuerAndSerial { serial, .. } => {
                    trim_int(c.serial()) == trim_int(serial)
                        && issuer.as_ref().is_some_and(|i| c.issuer_name().matches(i))
                }
                SignerId::SubjectKeyId(k) => c.subject_key_id() == Some(k),
            };
            hit.then_some(SignerCert {
                raw: der,
                certificate: c,
            })
        })
    }

    /// The signature algorithm: any of [`crate::pki::alg`]; the digest algorithm gives the
    /// hash when the OID names only the key type. `key` resolves `id-ecPublicKey` on an SM2 key
    /// (as some Chinese producers write it) to SM2-with-SM3.
    pub fn signature_algorithm_for(
        &self,
        key: Option<&SubjectPublicKey>,
    ) -> crate::Result<SignatureAlgorithm> {
        if self.signature_alg == crate::oid::ID_EC_PUBLIC_KEY
            && matches!(key, Some(SubjectPublicKey::Sm2(_)))
        {
            return Ok(SignatureAlgorithm::Sm2Sm3);
        }
        let params = self
            .signature_params
            .map(crate::asn1::parse_single)
            .transpose()?;
        SignatureAlgorithm::from_identifier(
            &self.signature_alg,
            params.as_ref(),
            Some(&self.digest_alg),
        )
    }

    /// The signature algorithm (see [`Self::signature_algorithm_for`]).
    pub fn signature_algorithm(&self) -> crate::Result<SignatureAlgorithm> {
        self.signature_algorithm_for(None)
    }

    /// Verifies the signature over the signed attributes (re-tagged as SET, RFC 5652 §5.4) by
    /// `alg` with the key of `cert`.
    pub fn verify_with(&self, alg: &SignatureAlgorithm, cert: &Certificate) -> crate::Result<()> {
        let msg = self
            .signed_attrs_der()
            .ok_or_else(|| super::bad("no signed attributes"))?;
        alg.verify(cert.subject_key()?, &msg, self.signature)
    }

    /// The signing-certificate attribute (ESS v1 or v2) against `cert`: `None` when there is
    /// no such attribute or its hash algorithm is unknown, else whether it names `cert`.
    pub fn signing_certificate_matches(&self, cert: &Certificate) -> Option<bool> {
        let sc = self.signing_certificate.as_ref()?;
        let d = Digest::from_oid(&sc.hash_alg)?;
        Some(d.hash(cert.der()) == sc.cert_hash)
    }

    /// The signature check: the signer's signature over the signed attributes, or over
    /// `content` when there are none (`None`: the content is not at hand, which fails), with
    /// the key of `cert`. Pass when it verifies (warn for a weak key), fail when it does not
    /// or the signing-certificate attribute names another certificate, indeterminate when the
    /// algorithm or the key cannot be checked.
    pub fn check_signature(&self, cert: &Certificate, content: Option<&[u8]>) -> Finding {
        let signed = match (self.signed_attrs_der(), content) {
            (Some(attrs), _) => attrs,
            (None, Some(c)) => c.to_vec(),
            (None, None) => return Finding::fail("no signed attributes"),
        };
        let key = match cert.subject_key() {
            Ok(k) => k,
            Err(e) if e.kind() == ErrorKind::Unsupported => {
                return Finding::indeterminate(format!("signer key: {}", e.detail()));
            }
            Err(e) => return Finding::fail(format!("signer key: {}", e.detail())),
        };
        let alg = match self.signature_algorithm_for(Some(key)) {
            Ok(a) => a,
            Err(e) if e.kind() == ErrorKind::Unsupported => {
                return Finding::indeterminate(e.detail().to_string());
            }
            Err(e) => {
                return Finding::fail(format!(
                    "signature algorithm {}: {}",
                    self.signature_alg,
                    e.detail()
                ));
            }
        };
        if self.signing_certificate_matches(cert) == Some(false) {
            return Finding::fail(
                "the signing-certificate attribute names another certificate than the signer's",
            );
        }
        let over = if self.signed_attrs.is_some() {
            "the signed attributes"
        } else {
            "the content"
        };
        match alg.verify(key, &signed, self.signature) {
            Ok(()) => {
                let msg = format!("{} signature over {over} verifies", alg.name());
                match key.weakness() {
                    Some(w) => Finding::new(Status::Warn, format!("{msg}, but the {w}")),
                    None => Finding::pass(msg),
                }
            }
            Err(e) if e.kind() == ErrorKind::Unsupported => {
                Finding::indeterminate(format!("signer key: {}", e.detail()))
            }
            Err(e) => Finding::fail(e.detail().to_string()),
        }
    }
}
