//! Electronic licences (电子证照): metadata, identifier, codes and the licence checks.
//!
//! The national standards (GB/T 36901–36905) were not available; the rules below follow
//! public material, each cited where it is used:
//! - metadata items after GB/T 36903 (证照名称, 证照类型名称, 证照类型代码, 证照编号, 证照标识,
//!   证照颁发机构, 证照颁发机构代码, 证照颁发日期, 持证主体, 持证主体代码, 持证主体代码类型 — 111
//!   公民身份号码, 001 统一社会信用代码, 099 other —, 证照有效期起始日期, 证照有效期截止日期,
//!   证照所属管辖属地编码) and the English keys of the platform clients (certificateIdentifier,
//!   certificateTypeCode, certificateHolderCode, …), see [`FIELDS`];
//! - where producers store them: OFD.xml DocInfo CustomDatas (GB/T 33190-2016 §7.4), a custom
//!   tag file (GB/T 33190-2016 §16; one vendor writes `Tag_Certificate.xml` in namespace
//!   `http://www.cert.org/`, binding each item to a text object on the page with
//!   `<ObjectRef PageRef="…">ID</ObjectRef>`), or only as text on the page;
//! - [`identifier`]: 证照标识 and its check character; [`codes`]: GB 32100, GB 11714, GB 11643;
//!   [`cert`]: the organisation code of the sealing certificate.
//!
//! Checks (ids public, see [`ids`]): `licence.metadata_protected`, `licence.identifier`,
//! `licence.codes`, `licence.issuer_matches_seal`, `licence.validity`, `licence.consistency`.
//! [`evaluate`] runs them on metadata found by a container reader ([`ofd`] for OFD, [`pdf`]
//! for PDF).

pub mod cert;
pub mod codes;
pub mod identifier;
pub mod issue;
pub mod ofd;
pub mod pdf;
pub mod pdf_fill;

use crate::pki::{Certificate, Time};
use crate::report::{Check, Verdict};
use serde_json::{Value, json};

/// Check ids of the licence section.
pub mod ids {
    /// Every file holding the metadata is covered by a valid seal signature.
    pub const METADATA_PROTECTED: &str = "licence.metadata_protected";
    /// The 证照标识 has the right structure and check character.
    pub const IDENTIFIER: &str = "licence.identifier";
    /// USCC and citizen identity numbers have correct check characters.
    pub const CODES: &str = "licence.codes";
    /// The authority code equals the one the sealing certificate carries.
    pub const ISSUER_MATCHES_SEAL: &str = "licence.issuer_matches_seal";
    /// The licence is in force at the reference time.
    pub const VALIDITY: &str = "licence.validity";
    /// The same field read from metadata and from the page agree.
    pub const CONSISTENCY: &str = "licence.consistency";
}

/// Canonical field names and the names producers write (compared ignoring case, `_`, `-`,
/// `.` and spaces).
pub const FIELDS: &[(&str, &[&str])] = &[
    (
        "licence_id",
        &[
            "证照标识",
            "证照唯一标识",
            "电子证照标识",
            "certificateidentifier",
            "certificateid",
            "licenceid",
            "licenseid",
            "zzbs",
        ],
    ),
    (
        "number",
        &[
            "证照编号",
            "certificatenumber",
            "certificateno",
            "证照号",
            "证照号码",
            "证件编号",
            "证书编号",
            "licencenumber",
            "licensenumber",
            "licenceno",
            "licenseno",
            "zzbh",
        ],
    ),
    (
        "name",
        &[
            "证照名称",
            "certificatename",
            "licencename",
            "licensename",
            "zzmc",
        ],
    ),
    (
        "type",
        &[
            "证照类型名称",
            "证照种类",
            "证照类型",
            "certificatetypename",
            "certificatetype",
            "licencetype",
            "licensetype",
            "zzlx",
            "zzlxmc",
        ],
    ),
    (
        "type_code",
        &[
            "证照类型代码",
            "certificatetypecode",
            "licencetypecode",
            "licensetypecode",
            "zzlxdm",
        ],
    ),
    (
        "holder",
        &[
            "持证主体",
            "持有人",
            "持证者",
            "持证人",
            "持证主体名称",
            "certificateholder",
            "certificateholdername",
            "holder",
            "holdername",
            "licenceholder",
            "licenseholder",
            "czzt",
        ],
    ),
    (
        "holder_id",
        &[
            "持证主体代码",
            "持证主体身份代码",
            "持证主体标识",
            "持证者代码",
            "持证主体证件号码",
            "certificateholdercode",
            "certificateholderid",
            "holderid",
            "holdercode",
            "czztdm",
        ],
    ),
    (
        "holder_id_type",
        &[
            "持证主体代码类型",
            "持证主体代码类型代码",
            "certificateholdertype",
            "certificateholdercodetype",
            "certificateholdertypecode",
            "holdertype",
            "czztdmlx",
            "czztdmlxdm",
        ],
    ),
    (
        "issuer",
        &[
            "证照颁发机构",
            "颁证单位",
            "颁发单位",
            "发证机构",
            "颁发机构",
            "发证单位",
            "签发机构",
            "certificateissuingauthorityname",
            "certificateissuingauthority",
            "issuingauthorityname",
            "issuer",
            "issuingauthority",
            "issueorg",
            "fzjg",
        ],
    ),
    (
        "issuer_code",
        &[
            "证照颁发机构代码",
            "颁证单位代码",
            "发证机构代码",
            "颁发机构代码",
            "certificateissuingauthoritycode",
            "issuingauthoritycode",
            "issuercode",
            "fzjgdm",
        ],
    ),
    (
        "issue_date",
        &[
            "证照颁发日期",
            "颁证日期",
            "发证时间",
            "发证日期",
            "颁发日期",
            "签发日期",
            "certificateissueddate",
            "issueddate",
            "issuedate",
            "fzrq",
        ],
    ),
    (
        "valid_from",
        &[
            "证照有效期起始日期",
            "有效期开始",
            "有效期起始日期",
            "有效期开始日期",
            "有效期起始",
            "有效起始日期",
            "certificateeffectivedate",
            "effectivedate",
            "validfrom",
            "validstart",
            "yxqqsrq",
        ],
    ),
    (
        "valid_to",
        &[
            "证照有效期截止日期",
            "有效期结束",
            "有效期截止日期",
            "有效期结束日期",
            "有效期截止",
            "有效期至",
            "certificateexpiringdate",
            "expiringdate",
            "expirydate",
            "validto",
            "validuntil",
            "validend",
            "yxqjzrq",
        ],
    ),
    (
        "jurisdiction",
        &[
            "证照所属管辖属地编码",
            "所属管辖属地编码",
            "管辖属地编码",
            "certificateareacode",
            "areacode",
            "jurisdictioncode",
        ],
    ),
];

/// The display label (GB/T 36903 name) of a canonical field.
pub fn label(canonical: &str) -> &'static str {
    FIELDS
        .iter()
        .find(|(k, _)| *k == canonical)
        .map(|(_, a)| a[0])
        .unwrap_or("")
}

/// The canonical name of a field name as written, if it is a licence field.
pub fn canonical(name: &str) -> Option<&'static str> {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    FIELDS
        .iter()
        .find(|(_, aliases)| aliases.contains(&n.as_str()))
        .map(|(k, _)| *k)
}

/// Where a field was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// OFD.xml DocInfo CustomDatas.
    CustomData,
    /// A custom tag file (OFD CustomTags).
    CustomTag,
    /// Text shown on a page.
    PageText,
    /// PDF document information dictionary.
    PdfInfo,
    /// PDF XMP metadata.
    Xmp,
}

impl Source {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::CustomData => "custom_data",
            Source::CustomTag => "custom_tag",
            Source::PageText => "page_text",
            Source::PdfInfo => "pdf_info",
            Source::Xmp => "xmp",
        }
    }
}

/// One field as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Canonical name (see [`FIELDS`]).
    pub name: &'static str,
    /// The name as written.
    pub key: String,
    /// The value (trimmed).
    pub value: String,
    /// Where it was found.
    pub source: Source,
    /// The file holding it.
    pub file: String,
}

/// A metadata item bound to a text object on the page (OFD custom tag `ObjectRef`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The metadata name (as written) and its value.
    pub key: String,
    /// The metadata value.
    pub value: String,
    /// The page content file and the object ID.
    pub page_file: String,
    /// The text object's ID.
    pub object_id: String,
    /// The object's text, `None` when the object was not found.
    pub page_text: Option<String>,
}

/// Licence metadata found in a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// Fields in the order found.
    pub fields: Vec<Field>,
    /// Files holding the metadata (normalised package paths).
    pub files: Vec<String>,
    /// Items bound to page text.
    pub bindings: Vec<Binding>,
    /// Licence identifiers shown on pages: (identifier, page file).
    pub page_identifiers: Vec<(String, String)>,
}

impl Metadata {
    /// The first value of a canonical field from metadata (not page text).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name && f.source != Source::PageText)
            .or_else(|| self.fields.iter().find(|f| f.name == name))
            .map(|f| f.value.as_str())
    }

    /// Adds a field when `key` names one; returns whether it did.
    pub fn add(&mut self, key: &str, value: &str, source: Source, file: &str) -> bool {
        let value = value.trim();
        match canonical(key) {
            Some(name) if !value.is_empty() => {
                self.fields.push(Field {
                    name,
                    key: key.to_string(),
                    value: value.to_string(),
                    source,
                    file: file.to_string(),
                });
                self.add_file(file);
                true
            }
            _ => false,
        }
    }

    /// When no metadata names the licence identifier, takes the first one shown on a page as the
    /// licence's identifier (source `page_text`); returns the page file it came from.
    pub fn identifier_from_page(&mut self) -> Option<String> {
        if self.get("licence_id").is_some() {
            return None;
        }
        let (id, file) = self.page_identifiers.first().cloned()?;
        self.fields.push(Field {
            name: "licence_id",
            key: "page text".into(),
            value: id,
            source: Source::PageText,
            file: file.clone(),
        });
        Some(file)
    }

    /// Records a file as holding metadata.
    pub fn add_file(&mut self, file: &str) {
        if !self.files.iter().any(|f| f == file) {
            self.files.push(file.to_string());
        }
    }

    /// Whether this is a licence: two metadata fields, or an identifier on the page, or items
    /// bound to page text.
    pub fn is_licence(&self) -> bool {
        let distinct: std::collections::BTreeSet<_> = self.fields.iter().map(|f| f.name).collect();
        distinct.len() >= 2 || !self.page_identifiers.is_empty() || !self.bindings.is_empty()
    }

    /// The flat map of canonical fields (first value wins; later different values go to
    /// `conflicts`), as written in the report since the first release.
    pub fn flat(&self) -> serde_json::Map<String, Value> {
        let mut m = serde_json::Map::new();
        for f in &self.fields {
            match m.get(f.name) {
                None => {
                    m.insert(f.name.to_string(), Value::from(f.value.clone()));
                }
                Some(v) if v.as_str() == Some(&f.value) => {}
                Some(_) => {
                    let c = m
                        .entry("conflicts")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Some(a) = c.as_array_mut() {
                        a.push(json!({ "field": f.name, "value": f.value }));
                    }
                }
            }
        }
        m
    }
}

/// A seal signature of the document, as the licence checks need it.
#[derive(Debug, Clone)]
pub struct SealEvidence {
    /// Signature id.
    pub id: String,
    /// The signature's verdict.
    pub verdict: Verdict,
    /// Whether it is a seal (SES) signature.
    pub is_seal: bool,
    /// Files its References cover (normalised paths).
    pub covers: Vec<String>,
    /// The signer certificate, when readable.
    pub signer: Option<Certificate>,
}

/// Options of [`evaluate`].
#[derive(Debug, Clone, Copy)]
pub struct Evaluation {
    /// Reference time for `licence.validity`.
    pub at: Time,
}

fn best(vs: impl Iterator<Item = Verdict>) -> Option<Verdict> {
    vs.fold(None, |a, v| {
        Some(match (a, v) {
            (Some(Verdict::Valid), _) | (_, Verdict::Valid) => Verdict::Valid,
            (Some(Verdict::Indeterminate), _) | (_, Verdict::Indeterminate) => {
                Verdict::Indeterminate
            }
            _ => Verdict::Invalid,
        })
    })
}

/// `licence.metadata_protected`: every file holding metadata is covered by a valid seal.
/// Returns the check and whether every file is covered at all.
pub fn check_protected(md: &Metadata, seals: &[SealEvidence]) -> (Check, bool, bool) {
    let mut parts = Vec::new();
    let (mut covered, mut valid, mut undecided) = (true, true, false);
    for f in &md.files {
        let b = best(
            seals
                .iter()
                .filter(|s| s.is_seal && s.covers.iter().any(|c| c == f))
                .map(|s| s.verdict),
        );
        match b {
            None => {
                covered = false;
                valid = false;
                parts.push(format!("{f} (not protected by any seal)"));
            }
            Some(v) => {
                if v == Verdict::Invalid {
                    valid = false;
                }
                if v == Verdict::Indeterminate {
                    undecided = true;
                }
                parts.push(format!("{f} (best seal: {})", v.as_str()));
            }
        }
    }
    let msg = format!("licence metadata in {}", parts.join(", "));
    let check = if !covered || !valid {
        Check::fail(ids::METADATA_PROTECTED, msg)
    } else if undecided {
        Check::indeterminate(ids::METADATA_PROTECTED, msg)
    } else {
        Check::pass(ids::METADATA_PROTECTED, msg)
    };
    (check, covered, valid && !undecided)
}

/// `licence.identifier`.
pub fn check_identifier(md: &Metadata) -> Check {
    let Some(id) = md.get("licence_id") else {
        return Check::warn(ids::IDENTIFIER, "no 证照标识 (licence identifier) found");
    };
    let from = md
        .fields
        .iter()
        .find(|f| f.name == "licence_id" && f.value == id)
        .map(|f| format!(" ({} in {})", f.source.as_str(), f.file))
        .unwrap_or_default();
    match identifier::Identifier::parse(id) {
        Err(e) => Check::fail(ids::IDENTIFIER, format!("证照标识 {id}{from}: {e}")),
        Ok(p) => match p.check_character() {
            identifier::CheckCharacter::Standard => Check::pass(
                ids::IDENTIFIER,
                format!(
                    "证照标识 {id}{from}: structure and ISO 7064 MOD 37,36 check character correct"
                ),
            ),
            identifier::CheckCharacter::ShandongVariant => Check::warn(
                ids::IDENTIFIER,
                format!(
                    "证照标识 {id}{from}: check character {} differs from ISO 7064 MOD 37,36 (hybrid) over type code + authority code + serial + version ({}), and matches a divergent provincial implementation",
                    p.check,
                    codes::mod37_36(&format!(
                        "{}{}{}{}",
                        p.type_code, p.authority_code, p.serial, p.version
                    ))
                    .unwrap_or('?')
                ),
            ),
            identifier::CheckCharacter::Wrong(want) => Check::fail(
                ids::IDENTIFIER,
                format!(
                    "证照标识 {id}{from}: check character {} is wrong: ISO 7064 MOD 37,36 (hybrid) over type code + authority code + serial + version gives {want}",
                    p.check
                ),
            ),
        },
    }
}

/// How a holder code should be checked, from 持证主体代码类型 (GB/T 36903: 111 公民身份号码,
/// 001 统一社会信用代码, 099 other).
fn holder_rule(kind: Option<&str>) -> Option<&'static str> {
    let k = kind?.trim();
    if k == "111" || k.contains("身份证") || k.contains("身份号码") {
        Some("id")
    } else if k == "001" || k.contains("信用代码") {
        Some("uscc")
    } else {
        None
    }
}

/// `licence.codes`: the authority's and the holder's codes.
pub fn check_codes(md: &Metadata) -> Check {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    let mut unsure = Vec::new();
    if let Some(c) = md.get("issuer_code") {
        if codes::is_valid_uscc(c) {
            ok.push(format!("颁发机构代码 {c} (GB 32100)"));
        } else {
            bad.push(format!(
                "颁发机构代码 {c} is not a valid 统一社会信用代码 (GB 32100)"
            ));
        }
    }
    if let Some(c) = md.get("holder_id") {
        match holder_rule(md.get("holder_id_type")) {
            Some("id") if codes::is_valid_id_number(c) => {
                ok.push(format!("持证主体代码 {c} (GB 11643)"))
            }
            Some("id") => bad.push(format!(
                "持证主体代码 {c} is not a valid 公民身份号码 (GB 11643)"
            )),
            Some(_) if codes::is_valid_uscc(c) => ok.push(format!("持证主体代码 {c} (GB 32100)")),
            Some(_) => bad.push(format!(
                "持证主体代码 {c} is not a valid 统一社会信用代码 (GB 32100)"
            )),
            None => {
                // Type not given or "other": check what the code looks like.
                let upper = c.to_ascii_uppercase();
                if codes::is_valid_uscc(&upper) || codes::is_valid_id_number(c) {
                    ok.push(format!("持证主体代码 {c}"));
                } else if md.get("holder_id_type").is_none() && c.len() == 18 {
                    unsure.push(format!(
                        "持证主体代码 {c} is neither a valid 统一社会信用代码 nor 公民身份号码, and its type is not given"
                    ));
                }
            }
        }
    }
    if !bad.is_empty() {
        Check::fail(ids::CODES, bad.join("; "))
    } else if !unsure.is_empty() {
        Check::warn(ids::CODES, unsure.join("; "))
    } else if ok.is_empty() {
        Check::skip(ids::CODES, "no 颁发机构代码 or 持证主体代码 to check")
    } else {
        Check::pass(
            ids::CODES,
            format!("check characters correct: {}", ok.join(", ")),
        )
    }
}

/// The authority code: metadata 证照颁发机构代码, else the identifier's authority part.
fn authority_code(md: &Metadata) -> Option<(String, &'static str)> {
    if let Some(c) = md.get("issuer_code") {
        return Some((c.to_string(), "证照颁发机构代码"));
    }
    let id = md.get("licence_id")?;
    let p = identifier::Identifier::parse(id).ok()?;
    Some((p.authority_code, "the 证照标识"))
}

/// `licence.issuer_matches_seal`: the authority code against the codes of the certificates
/// of the seals that protect the metadata.
pub fn check_issuer(md: &Metadata, seals: &[SealEvidence]) -> Check {
    let Some((code, from)) = authority_code(md) else {
        return Check::warn(
            ids::ISSUER_MATCHES_SEAL,
            "no authority code in the licence to match with the seal",
        );
    };
    let relevant: Vec<&SealEvidence> = seals
        .iter()
        .filter(|s| s.is_seal && md.files.iter().any(|f| s.covers.contains(f)))
        .collect();
    if relevant.is_empty() {
        return Check::warn(
            ids::ISSUER_MATCHES_SEAL,
            format!("authority code {code} (from {from}): no seal protects the metadata"),
        );
    }
    let mut equal = Vec::new();
    let mut differs = Vec::new();
    let mut none = Vec::new();
    for s in relevant {
        let Some(c) = &s.signer else {
            none.push(format!("{}: signer certificate unreadable", s.id));
            continue;
        };
        match cert::compare(&code, &cert::codes_of(c)) {
            cert::Match::Equal(at) => equal.push(format!("{}: {at}", s.id)),
            cert::Match::Differs(found) => {
                differs.push(format!("{}: certificate carries {found}", s.id))
            }
            cert::Match::NoCode => none.push(format!(
                "{}: the certificate carries no organisation code",
                s.id
            )),
        }
    }
    let head = format!("authority code {code} (from {from})");
    if !differs.is_empty() {
        Check::fail(
            ids::ISSUER_MATCHES_SEAL,
            format!(
                "{head} differs from the sealing certificate: {}",
                differs.join("; ")
            ),
        )
    } else if !equal.is_empty() {
        Check::pass(
            ids::ISSUER_MATCHES_SEAL,
            format!(
                "{head} equals the sealing certificate's: {}",
                equal.join("; ")
            ),
        )
    } else {
        Check::warn(
            ids::ISSUER_MATCHES_SEAL,
            format!("{head} cannot be matched: {}", none.join("; ")),
        )
    }
}

/// A date as written on licences: `2024-05-20`, `2024/5/20`, `2024.05.20`, `20240520`,
/// `2024年5月20日`, optionally followed by a time. `Ok(None)` for open-ended values (长期,
/// 长期有效, 永久, 无固定期限, 9999-12-31).
pub fn parse_date(s: &str) -> Result<Option<(i64, u32, u32)>, String> {
    let t = s.trim();
    if [
        "长期",
        "长期有效",
        "永久",
        "永久有效",
        "无固定期限",
        "无期限",
        "long-term",
    ]
    .contains(&t)
    {
        return Ok(None);
    }
    let nums: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|x| !x.is_empty())
        .collect();
    let (y, m, d) = match nums.as_slice() {
        [ymd, ..] if ymd.len() == 8 => (
            ymd[..4].parse().ok(),
            ymd[4..6].parse().ok(),
            ymd[6..].parse().ok(),
        ),
        [y, m, d, ..] if y.len() == 4 => (y.parse().ok(), m.parse().ok(), d.parse().ok()),
        _ => (None, None, None),
    };
    match (y, m, d) {
        (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            if y >= 9999 {
                Ok(None)
            } else {
                Ok(Some((y, m, d)))
            }
        }
        _ => Err(format!("{t:?} is not a date")),
    }
}

/// Start of a civil day in China (UTC+8), as a Unix time.
fn day_start(y: i64, m: u32, d: u32) -> i64 {
    crate::pki::time::days_from_civil(y, m, d) * 86_400 - 8 * 3600
}

/// `licence.validity`: the reference time within [valid_from, valid_to] (whole days, China
/// time; valid_to inclusive).
pub fn check_validity(md: &Metadata, at: Time) -> Check {
    let from = md.get("valid_from").or(md.get("issue_date"));
    let to = md.get("valid_to");
    if from.is_none() && to.is_none() {
        return Check::skip(ids::VALIDITY, "no validity period in the licence");
    }
    let now = at.unix();
    let mut msg = Vec::new();
    if let Some(f) = from {
        match parse_date(f) {
            Err(e) => return Check::warn(ids::VALIDITY, format!("start of validity: {e}")),
            Ok(Some((y, m, d))) if now < day_start(y, m, d) => {
                return Check::fail(
                    ids::VALIDITY,
                    format!("not yet in force at {}: valid from {f}", at.to_rfc3339()),
                );
            }
            _ => msg.push(format!("from {f}")),
        }
    }
    if let Some(t) = to {
        match parse_date(t) {
            Err(e) => return Check::warn(ids::VALIDITY, format!("end of validity: {e}")),
            Ok(Some((y, m, d))) if now >= day_start(y, m, d) + 86_400 => {
                return Check::fail(
                    ids::VALIDITY,
                    format!("expired: valid to {t}, reference time {}", at.to_rfc3339()),
                );
            }
            Ok(None) => msg.push(format!("to {t} (no end)")),
            _ => msg.push(format!("to {t}")),
        }
    }
    Check::pass(
        ids::VALIDITY,
        format!("in force at {} ({})", at.to_rfc3339(), msg.join(" ")),
    )
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// `licence.consistency`: metadata sources agree with each other, with the text bound on the
/// page, with identifiers shown on the page, and with the identifier's own parts.
pub fn check_consistency(md: &Metadata) -> Check {
    let mut bad = Vec::new();
    let mut compared = Vec::new();
    // Metadata sources against each other.
    for (i, f) in md.fields.iter().enumerate() {
        if let Some(g) = md.fields[..i]
            .iter()
            .find(|g| g.name == f.name && squash(&g.value) != squash(&f.value))
        {
            bad.push(format!(
                "{} is {:?} in {} ({}) but {:?} in {} ({})",
                label(f.name),
                g.value,
                g.file,
                g.source.as_str(),
                f.value,
                f.file,
                f.source.as_str()
            ));
        } else if md.fields[..i].iter().any(|g| g.name == f.name) {
            compared.push(format!(
                "{} ({} = {})",
                label(f.name),
                f.source.as_str(),
                md.fields[..i]
                    .iter()
                    .find(|g| g.name == f.name)
                    .map(|g| g.source.as_str())
                    .unwrap_or("")
            ));
        }
    }
    // Bound page text.
    for b in &md.bindings {
        match &b.page_text {
            None => bad.push(format!(
                "{} is bound to object {} of {}, which does not exist",
                b.key, b.object_id, b.page_file
            )),
            Some(t) if squash(t) != squash(&b.value) => bad.push(format!(
                "{} is {:?} in the metadata but the page shows {:?} (object {} of {})",
                b.key, b.value, t, b.object_id, b.page_file
            )),
            Some(_) => compared.push(format!("{} (page object {})", b.key, b.object_id)),
        }
    }
    // Identifier shown on the page.
    let meta_id = md
        .fields
        .iter()
        .find(|f| f.name == "licence_id" && f.source != Source::PageText)
        .map(|f| f.value.clone());
    if let (Some(id), false) = (&meta_id, md.page_identifiers.is_empty()) {
        if md.page_identifiers.iter().any(|(p, _)| p == id) {
            compared.push("证照标识 (page text)".into());
        } else {
            let shown: Vec<String> = md
                .page_identifiers
                .iter()
                .map(|(p, f)| format!("{p} ({f})"))
                .collect();
            bad.push(format!(
                "证照标识 is {id} in the metadata but the page shows {}",
                shown.join(", ")
            ));
        }
    }
    // The identifier's parts against the metadata codes.
    if let Some(p) = md
        .get("licence_id")
        .and_then(|i| identifier::Identifier::parse(i).ok())
    {
        for (name, part) in [
            ("issuer_code", &p.authority_code),
            ("type_code", &p.type_code),
        ] {
            if let Some(v) = md.get(name) {
                if v.trim().eq_ignore_ascii_case(part) {
                    compared.push(format!("{} (证照标识)", label(name)));
                } else {
                    bad.push(format!(
                        "{} is {v} but the 证照标识 carries {part}",
                        label(name)
                    ));
                }
            }
        }
    }
    if !bad.is_empty() {
        Check::fail(ids::CONSISTENCY, bad.join("; "))
    } else if compared.is_empty() {
        Check::skip(
            ids::CONSISTENCY,
            "no field is given twice (metadata, page text, identifier)",
        )
    } else {
        Check::pass(ids::CONSISTENCY, format!("agree: {}", compared.join(", ")))
    }
}

/// Runs every licence check; returns the checks and the report's `licence` section.
pub fn evaluate(md: &Metadata, seals: &[SealEvidence], opts: &Evaluation) -> (Vec<Check>, Value) {
    let (protected, covered, valid) = check_protected(md, seals);
    let checks = vec![
        protected,
        check_identifier(md),
        check_codes(md),
        check_issuer(md, seals),
        check_validity(md, opts.at),
        check_consistency(md),
    ];
    let mut obj = md.flat();
    obj.insert("files".into(), Value::from(md.files.clone()));
    obj.insert("protected".into(), Value::from(covered));
    obj.insert(
        "protected_by_valid_seal".into(),
        Value::from(covered && valid),
    );
    let fields: Vec<Value> = md
        .fields
        .iter()
        .map(|f| json!({"name": f.name, "label": label(f.name), "key": f.key, "value": f.value, "source": f.source.as_str(), "file": f.file}))
        .collect();
    obj.insert("fields".into(), Value::Array(fields));
    if !md.bindings.is_empty() {
        let b: Vec<Value> = md
            .bindings
            .iter()
            .map(|b| json!({"key": b.key, "value": b.value, "page_file": b.page_file, "object_id": b.object_id, "page_text": b.page_text}))
            .collect();
        obj.insert("bindings".into(), Value::Array(b));
    }
    if let Some(id) = md.get("licence_id")
        && let Ok(p) = identifier::Identifier::parse(id)
    {
        obj.insert(
            "identifier".into(),
            json!({"type_code": p.type_code, "authority_code": p.authority_code, "serial": p.serial, "version": p.version, "check": p.check.to_string()}),
        );
    }
    let verdict = Verdict::of(&checks);
    obj.insert("verdict".into(), Value::from(verdict.as_str()));
    obj.insert(
        "checks".into(),
        Value::Array(
            checks
                .iter()
                .map(|c| json!({"id": c.id, "status": c.status.as_str(), "message": c.message}))
                .collect(),
        ),
    );
    (checks, Value::Object(obj))
}
