//! The organisation code an SM2 certificate carries, for `licence.issuer_matches_seal`.
//!
//! Chinese CAs put the holder's unified social credit code (or its older organisation code)
//! in one of these places (none is mandatory; sources are public integration code of the CAs'
//! client libraries):
//! - private extensions from the e-government certificate format (国家密码管理局《电子政务数字证书
//!   格式规范》, carried into GB/T 20518-2018 §5.2.4): `1.2.156.10260.4.1.4` 组织机构代码
//!   (read by GZCA and FJCA client code for organisation certificates), `1.2.156.10260.4.1.3`
//!   工商注册号 (FJCA), `1.2.156.10260.4.1.1` 个人身份标识码 (the code of a person);
//! - the older CA-private `1.2.86.11.7.3` (organisation code) and `1.2.156.1.8888.148`
//!   (read together with `1.2.156.10260.4.1.4` by a provincial portal);
//! - subject attributes: `OU`, `serialNumber` (2.5.4.5), `organizationIdentifier` (2.5.4.97),
//!   or inside `CN` (e.g. `某某局@113700000045046442`).
//!
//! Every 18-character run that passes the GB 32100 check is taken as a USCC; a 9-character
//! run (`XXXXXXXX-X` too) that passes the GB 11714 check, read from one of the extensions, as
//! an organisation code (it matches characters 9–17 of a USCC).

use super::codes;
use crate::asn1::{self, Reader};
use crate::pki::Certificate;

/// Extensions known to carry an organisation's or person's code.
pub const CODE_EXTENSIONS: &[&str] = &[
    "1.2.156.10260.4.1.4",
    "1.2.156.10260.4.1.3",
    "1.2.156.10260.4.1.1",
    "1.2.86.11.7.3",
    "1.2.156.1.8888.148",
];

/// The codes found in a certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertCodes {
    /// USCCs, with where they were found.
    pub uscc: Vec<(String, String)>,
    /// Organisation codes (GB 11714, 9 characters, no dash), with where they were found.
    pub org_code: Vec<(String, String)>,
}

impl CertCodes {
    /// Whether the certificate carries no code.
    pub fn is_empty(&self) -> bool {
        self.uscc.is_empty() && self.org_code.is_empty()
    }
}

fn runs(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .flat_map(|w| {
            // "XXXXXXXX-X" is an organisation code; other dashes split.
            let joined = w.replace('-', "");
            if w.len() == 10 && w.as_bytes().get(8) == Some(&b'-') {
                vec![joined]
            } else {
                w.split('-').map(String::from).collect()
            }
        })
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_uppercase())
        .collect()
}

fn extensions(cert: &Certificate) -> Vec<(String, Vec<u8>)> {
    let walk = || -> crate::Result<Vec<(String, Vec<u8>)>> {
        let mut outer = Reader::new(cert.tbs_der());
        let mut tbs = outer.read_sequence()?;
        while !tbs.is_empty() {
            let e = tbs.read_any()?;
            if e.tag == 0xa3 {
                let mut r = e.reader();
                let seq = r.read_sequence()?;
                return Ok(crate::pki::ext::read_extensions(seq.remaining())?
                    .into_iter()
                    .map(|x| (x.oid, x.value.to_vec()))
                    .collect());
            }
        }
        Ok(Vec::new())
    };
    walk().unwrap_or_default()
}

fn ext_text(value: &[u8]) -> String {
    match asn1::parse_single(value) {
        Ok(e) => crate::pki::name::decode_string(e.tag, e.body)
            .unwrap_or_else(|| String::from_utf8_lossy(value).into_owned()),
        Err(_) => String::from_utf8_lossy(value).into_owned(),
    }
}

/// The codes `cert` carries (subject and the extensions of [`CODE_EXTENSIONS`]).
pub fn codes_of(cert: &Certificate) -> CertCodes {
    let mut out = CertCodes::default();
    let push = |list: &mut Vec<(String, String)>, v: String, at: &str| {
        if !list.iter().any(|(x, _)| *x == v) {
            list.push((v, at.to_string()));
        }
    };
    for w in runs(&cert.subject()) {
        if w.len() == 18 && codes::is_valid_uscc(&w) {
            push(&mut out.uscc, w, "subject");
        }
    }
    for (oid, value) in extensions(cert) {
        if !CODE_EXTENSIONS.contains(&oid.as_str()) {
            continue;
        }
        let at = format!("extension {oid}");
        for w in runs(&ext_text(&value)) {
            if w.len() == 18 && codes::is_valid_uscc(&w) {
                push(&mut out.uscc, w, &at);
            } else if w.len() == 9 && codes::is_valid_org_code(&w) {
                push(&mut out.org_code, w, &at);
            }
        }
    }
    out
}

/// How an authority code compares with a certificate's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// A code in the certificate equals it (where).
    Equal(String),
    /// The certificate carries codes and none equals it (the codes found).
    Differs(String),
    /// The certificate carries no code.
    NoCode,
}

/// Compares `authority` (a USCC) with the codes of `cert`.
pub fn compare(authority: &str, codes: &CertCodes) -> Match {
    let authority = authority.trim().to_ascii_uppercase();
    if let Some((_, at)) = codes.uscc.iter().find(|(c, _)| *c == authority) {
        return Match::Equal(format!("USCC in {at}"));
    }
    let org = authority.get(8..17).unwrap_or("");
    if let Some((_, at)) = codes.org_code.iter().find(|(c, _)| c == org) {
        return Match::Equal(format!(
            "organisation code {org} (USCC characters 9–17) in {at}"
        ));
    }
    if codes.is_empty() {
        return Match::NoCode;
    }
    let found: Vec<String> = codes
        .uscc
        .iter()
        .chain(&codes.org_code)
        .map(|(c, at)| format!("{c} ({at})"))
        .collect();
    Match::Differs(found.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_runs() {
        let r = runs("CN=某局@113700000045046442,OU=M000100Y-4");
        assert!(r.contains(&"113700000045046442".to_string()));
        assert!(r.contains(&"M000100Y4".to_string()));
    }

    #[test]
    fn compare_codes() {
        let c = CertCodes {
            uscc: vec![("11370000MB2852565A".into(), "subject".into())],
            org_code: vec![],
        };
        assert!(matches!(compare("11370000MB2852565A", &c), Match::Equal(_)));
        assert!(matches!(
            compare("113700000045046442", &c),
            Match::Differs(_)
        ));
        assert_eq!(
            compare("113700000045046442", &CertCodes::default()),
            Match::NoCode
        );
        let o = CertCodes {
            uscc: vec![],
            org_code: vec![("MB2852565".into(), "x".into())],
        };
        assert!(matches!(compare("11370000MB2852565A", &o), Match::Equal(_)));
    }
}
