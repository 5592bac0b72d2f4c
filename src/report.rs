//! The verification report shared by every verifier (DESIGN §4.3–4.4).
//!
//! A report holds named checks, each with a [`Status`] and a message, and a [`Verdict`]
//! derived from them after ETSI EN 319 102-1: any failed check makes the result
//! [`Verdict::Invalid`]; otherwise any check that could not be decided makes it
//! [`Verdict::Indeterminate`]; otherwise it is [`Verdict::Valid`] (warnings allowed).
//! Skipped checks do not change the verdict.
//!
//! The check ids in [`ids`] are part of the public interface (JSON reports, the C ABI and the
//! bindings) and are never renamed.

use serde::Serialize;

/// Stable check ids (DESIGN §4.3).
pub mod ids {
    /// Parses as SES_Signature / SESeal / certificate of a known version.
    pub const FORMAT: &str = "format";
    /// The signer's SM2 signature over the raw TBS_Sign.
    pub const SIGNATURE: &str = "signature";
    /// The signer certificate is listed in the seal.
    pub const SIGNER_IN_SEAL: &str = "signer_in_seal";
    /// The maker's signature over the seal.
    pub const SEAL_SIGNATURE: &str = "seal_signature";
    /// The signing time is within the seal's validity.
    pub const SEAL_VALIDITY: &str = "seal_validity";
    /// Maker certificate: path to a trust anchor.
    pub const MAKER_CERT_CHAIN: &str = "maker_cert.chain";
    /// Maker certificate: validity at the seal's createDate.
    pub const MAKER_CERT_VALIDITY: &str = "maker_cert.validity";
    /// Maker certificate: not revoked.
    pub const MAKER_CERT_REVOCATION: &str = "maker_cert.revocation";
    /// Maker certificate: key usage allows signing.
    pub const MAKER_CERT_KEY_USAGE: &str = "maker_cert.key_usage";
    /// Signer certificate: path to a trust anchor.
    pub const SIGNER_CERT_CHAIN: &str = "signer_cert.chain";
    /// Signer certificate: validity at the signing time.
    pub const SIGNER_CERT_VALIDITY: &str = "signer_cert.validity";
    /// Signer certificate: not revoked at the signing time.
    pub const SIGNER_CERT_REVOCATION: &str = "signer_cert.revocation";
    /// Signer certificate: key usage allows signing.
    pub const SIGNER_CERT_KEY_USAGE: &str = "signer_cert.key_usage";
    /// Timestamp token, when present.
    pub const TIMESTAMP: &str = "timestamp";
    /// SM3 of the protected data equals dataHash.
    pub const DATA_HASH: &str = "data_hash";
    /// OFD: every Reference CheckValue matches its file.
    pub const REFERENCES: &str = "references";
    /// PDF: the ByteRange covers the signed revision exactly.
    pub const BYTE_RANGE: &str = "byte_range";
    /// PDF: what changed after the signed revision.
    pub const MODIFICATIONS: &str = "modifications";
    /// A certificate on its own: path to a trust anchor.
    pub const CERT_CHAIN: &str = "cert.chain";
    /// A certificate on its own: validity at the reference time.
    pub const CERT_VALIDITY: &str = "cert.validity";
    /// A certificate on its own: not revoked.
    pub const CERT_REVOCATION: &str = "cert.revocation";
    /// A certificate on its own: key usage.
    pub const CERT_KEY_USAGE: &str = "cert.key_usage";
}

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The check passed.
    Pass,
    /// The check failed: the object is invalid.
    Fail,
    /// The check passed with a reservation (e.g. a certificate expired after the signing time).
    Warn,
    /// The check was not run (nothing to check, or its input was not given).
    Skip,
    /// The check could not be decided (e.g. no trust anchor, revocation status unknown).
    Indeterminate,
}

/// The overall result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every check passed (warnings allowed).
    Valid,
    /// At least one check failed.
    Invalid,
    /// Nothing failed but something could not be decided.
    Indeterminate,
}

impl Verdict {
    /// The verdict of a set of checks.
    pub fn of<'a>(checks: impl IntoIterator<Item = &'a Check>) -> Verdict {
        let mut verdict = Verdict::Valid;
        for c in checks {
            match c.status {
                Status::Fail => return Verdict::Invalid,
                Status::Indeterminate => verdict = Verdict::Indeterminate,
                _ => {}
            }
        }
        verdict
    }

    /// Combines two verdicts: invalid wins over indeterminate, which wins over valid.
    pub fn combine(self, other: Verdict) -> Verdict {
        use Verdict::*;
        match (self, other) {
            (Invalid, _) | (_, Invalid) => Invalid,
            (Indeterminate, _) | (_, Indeterminate) => Indeterminate,
            _ => Valid,
        }
    }

    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Indeterminate => "indeterminate",
        }
    }
}

impl Status {
    /// The lowercase name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Skip => "skip",
            Status::Indeterminate => "indeterminate",
        }
    }
}

/// One named check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Stable id (see [`ids`]).
    pub id: String,
    /// Outcome.
    pub status: Status,
    /// What was found, for people.
    pub message: String,
}

impl Check {
    /// A check with the given outcome.
    pub fn new(id: &str, status: Status, message: impl Into<String>) -> Self {
        Check {
            id: id.to_string(),
            status,
            message: message.into(),
        }
    }
    /// A passed check.
    pub fn pass(id: &str, message: impl Into<String>) -> Self {
        Self::new(id, Status::Pass, message)
    }
    /// A failed check.
    pub fn fail(id: &str, message: impl Into<String>) -> Self {
        Self::new(id, Status::Fail, message)
    }
    /// A check passed with a warning.
    pub fn warn(id: &str, message: impl Into<String>) -> Self {
        Self::new(id, Status::Warn, message)
    }
    /// A skipped check.
    pub fn skip(id: &str, message: impl Into<String>) -> Self {
        Self::new(id, Status::Skip, message)
    }
    /// An undecided check.
    pub fn indeterminate(id: &str, message: impl Into<String>) -> Self {
        Self::new(id, Status::Indeterminate, message)
    }
}

/// The kind of input a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A PDF document.
    Pdf,
    /// An OFD document.
    Ofd,
    /// A seal (SESeal).
    Seal,
    /// A seal signature (SES_Signature).
    Ses,
    /// An X.509 certificate.
    Cert,
    /// Input whose kind could not be determined.
    Unknown,
}

/// Who signed (from the signer certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SignerInfo {
    /// Subject distinguished name, RFC 4514 style.
    pub subject: String,
    /// Serial number, hexadecimal.
    pub serial: String,
    /// Issuer distinguished name, RFC 4514 style.
    pub issuer: String,
}

/// Facts about the seal used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct SealInfo {
    /// esID, the seal code.
    pub es_id: String,
    /// Seal name.
    pub name: String,
    /// Business-defined seal type.
    #[serde(rename = "type")]
    pub seal_type: i64,
    /// Start of the seal's validity (RFC 3339).
    pub valid_from: String,
    /// End of the seal's validity (RFC 3339).
    pub valid_to: String,
}

/// The result for one signature inside a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureReport {
    /// Identifier of the signature within its container (PDF field name, OFD Signature ID, …).
    pub id: String,
    /// `ses-v4`, `ses-v1`, `ses-v5`, `cms` or `sm2`.
    pub format: String,
    /// Verdict of this signature's checks.
    pub verdict: Verdict,
    /// Signing time claimed by the signature (RFC 3339), if any.
    pub signing_time: Option<String>,
    /// Signer certificate facts, if the certificate could be parsed.
    pub signer: Option<SignerInfo>,
    /// Seal facts, for seal signatures.
    pub seal: Option<SealInfo>,
    /// The checks, in order.
    pub checks: Vec<Check>,
    /// PDF: how far the document changed after this signature (`none`, `ltv`,
    /// `form_filling`, `annotations`, `other`); absent when not analysed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modification_level: Option<String>,
    /// A riding seal (骑缝章): the pages its strips are on; absent for other signatures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub riding: Option<RidingInfo>,
}

/// The layout of a riding seal found when verifying (see [`crate::riding`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RidingInfo {
    /// The page (from 1) of each strip, in the signature's strip order.
    pub pages: Vec<usize>,
    /// Number of strips.
    pub strips: usize,
}

impl SignatureReport {
    /// A signature report with its verdict computed from `checks`.
    pub fn new(id: impl Into<String>, format: impl Into<String>, checks: Vec<Check>) -> Self {
        SignatureReport {
            id: id.into(),
            format: format.into(),
            verdict: Verdict::of(&checks),
            signing_time: None,
            signer: None,
            seal: None,
            checks,
            modification_level: None,
            riding: None,
        }
    }

    /// Recomputes the verdict from the checks.
    pub fn update_verdict(&mut self) {
        self.verdict = Verdict::of(&self.checks);
    }
}

/// The report for one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Path or name of the input.
    pub path: String,
    /// Kind of input.
    pub kind: Kind,
    /// Overall verdict: the combination of the checks and of every signature's verdict.
    pub verdict: Verdict,
    /// Checks about the input as a whole.
    pub checks: Vec<Check>,
    /// One entry per signature.
    pub signatures: Vec<SignatureReport>,
    /// Extra facts (e.g. `licence` metadata of an OFD e-licence, certificate subject).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Why the input could not be verified at all, if so.
    pub error: Option<String>,
}

impl Report {
    /// An empty report about `path`.
    pub fn new(path: impl Into<String>, kind: Kind) -> Self {
        Report {
            path: path.into(),
            kind,
            verdict: Verdict::Valid,
            checks: Vec::new(),
            signatures: Vec::new(),
            extra: serde_json::Map::new(),
            error: None,
        }
    }

    /// A report for an input that could not be processed: verdict invalid, with the error.
    pub fn from_error(path: impl Into<String>, kind: Kind, error: &crate::Error) -> Self {
        let mut r = Report::new(path, kind);
        r.error = Some(error.to_string());
        r.checks.push(Check::fail(ids::FORMAT, error.to_string()));
        r.finish();
        r
    }

    /// Recomputes the overall verdict from the checks and signatures.
    ///
    /// A document with no signature at all is not valid: it is reported indeterminate unless a
    /// check failed.
    pub fn finish(&mut self) {
        let mut v = Verdict::of(&self.checks);
        for s in &self.signatures {
            v = v.combine(s.verdict);
        }
        if matches!(self.kind, Kind::Pdf | Kind::Ofd) && self.signatures.is_empty() {
            v = v.combine(Verdict::Indeterminate);
        }
        self.verdict = v;
    }

    /// The report as a JSON value.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The first check with this id, in the report or any signature.
    pub fn find_check(&self, id: &str) -> Option<&Check> {
        self.checks
            .iter()
            .chain(self.signatures.iter().flat_map(|s| s.checks.iter()))
            .find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_rules() {
        let pass = Check::pass(ids::FORMAT, "");
        let warn = Check::warn(ids::CERT_VALIDITY, "");
        let ind = Check::indeterminate(ids::CERT_CHAIN, "");
        let fail = Check::fail(ids::SIGNATURE, "");
        let skip = Check::skip(ids::DATA_HASH, "");
        assert_eq!(Verdict::of([&pass, &warn, &skip]), Verdict::Valid);
        assert_eq!(Verdict::of([&pass, &ind]), Verdict::Indeterminate);
        assert_eq!(Verdict::of([&ind, &fail]), Verdict::Invalid);
    }

    #[test]
    fn json_shape() {
        let mut r = Report::new("a.pem", Kind::Cert);
        r.checks.push(Check::pass(ids::CERT_CHAIN, "ok"));
        r.finish();
        let j = r.to_json();
        assert_eq!(j["kind"], "cert");
        assert_eq!(j["verdict"], "valid");
        assert_eq!(j["checks"][0]["id"], "cert.chain");
        assert_eq!(j["checks"][0]["status"], "pass");
        assert!(j["error"].is_null());
    }
}
