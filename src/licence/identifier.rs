//! The electronic licence identifier (证照标识).
//!
//! Structure (GB/T 36903 as quoted by the national platform's access specifications, e.g. the
//! identifier example of 《全国一体化政务服务平台 电子证照 建筑施工企业安全生产管理人员考核合格证书》 Annex A.2,
//! `1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S`):
//!
//! `1.2.156.3005.2` `.` 证照类型代码 `.` 颁发机构代码 (18-character USCC) `.` 流水号 `.`
//! 版本号 (3 digits) `.` 校验位 (one character `0-9A-Z`).
//!
//! Check character: ISO/IEC 7064 MOD 37,36 (hybrid) over type code + authority code + serial +
//! version, dots removed. This rule reproduces every public identifier found whose serial is
//! not a 32-hex GUID: the Annex A.2 example above (`S`) and its `.001.U` sibling, a Zhejiang
//! licence file `…11330105002500287C.2025052201.002.0`, and platform test data from Shandong
//! (`…11370800MB28559184.37080001202411010001.001.3`) and Anhui (`…340100.000000016.001.9`).
//! Two real Shandong identifiers with GUID serials (`….301213AF…C25F.001.T`, `….209FA4E8…EA49.001.M`)
//! do not follow it; both are reproduced by a divergent implementation published in a Shandong
//! platform vendor's code ([`codes::mod37_36_shandong_variant`]). Verdicts: the standard rule
//! matches → pass; only the divergent rule matches → warn (naming it); neither → fail.

use super::codes;

/// The root arc of licence identifiers.
pub const ROOT: &str = "1.2.156.3005.2";

/// A parsed licence identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    /// 证照类型代码.
    pub type_code: String,
    /// 颁发机构代码.
    pub authority_code: String,
    /// 流水号.
    pub serial: String,
    /// 版本号 (3 digits).
    pub version: String,
    /// 校验位.
    pub check: char,
}

/// How the check character compares with the known rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckCharacter {
    /// ISO 7064 MOD 37,36 hybrid gives it.
    Standard,
    /// Only the divergent Shandong implementation gives it.
    ShandongVariant,
    /// No known rule gives it; the standard rule's character is given.
    Wrong(char),
}

impl Identifier {
    /// Parses an identifier, or says what is wrong with its structure.
    pub fn parse(s: &str) -> Result<Identifier, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix(ROOT)
            .and_then(|r| r.strip_prefix('.'))
            .ok_or_else(|| format!("{s:?} does not start with {ROOT}."))?;
        let parts: Vec<&str> = rest.split('.').collect();
        if parts.len() != 5 {
            return Err(format!(
                "{s:?} has {} parts after {ROOT}, expected 5 (type code, authority code, serial, version, check)",
                parts.len()
            ));
        }
        let alnum = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        };
        for (name, p) in [
            ("type code", parts[0]),
            ("authority code", parts[1]),
            ("serial", parts[2]),
        ] {
            if !alnum(p) {
                return Err(format!("{name} {p:?} is not made of 0-9 and A-Z"));
            }
        }
        if parts[3].len() != 3 || !parts[3].chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("version {:?} is not 3 digits", parts[3]));
        }
        let mut check = parts[4].chars();
        let c = match (check.next(), check.next()) {
            (Some(c), None) if c.is_ascii_digit() || c.is_ascii_uppercase() => c,
            _ => {
                return Err(format!(
                    "check character {:?} is not one of 0-9 A-Z",
                    parts[4]
                ));
            }
        };
        Ok(Identifier {
            type_code: parts[0].into(),
            authority_code: parts[1].into(),
            serial: parts[2].into(),
            version: parts[3].into(),
            check: c,
        })
    }

    /// The characters the check character covers.
    fn payload(&self) -> String {
        format!(
            "{}{}{}{}",
            self.type_code, self.authority_code, self.serial, self.version
        )
    }

    /// Compares the check character with the known rules.
    pub fn check_character(&self) -> CheckCharacter {
        let p = self.payload();
        let std = codes::mod37_36(&p);
        if std == Some(self.check) {
            CheckCharacter::Standard
        } else if codes::mod37_36_shandong_variant(&p) == Some(self.check) {
            CheckCharacter::ShandongVariant
        } else {
            CheckCharacter::Wrong(std.unwrap_or('?'))
        }
    }

    /// Builds an identifier with its check character (ISO 7064 MOD 37,36 hybrid).
    pub fn new(
        type_code: &str,
        authority_code: &str,
        serial: &str,
        version: u16,
    ) -> Result<Identifier, String> {
        let version = format!("{version:03}");
        let mut id = Identifier {
            type_code: type_code.into(),
            authority_code: authority_code.into(),
            serial: serial.into(),
            version,
            check: '0',
        };
        id.check = codes::mod37_36(&id.payload()).ok_or_else(|| {
            "type code, authority code and serial must be made of 0-9 and A-Z".to_string()
        })?;
        Identifier::parse(&id.to_string())
    }
}

impl std::fmt::Display for Identifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{ROOT}.{}.{}.{}.{}.{}",
            self.type_code, self.authority_code, self.serial, self.version, self.check
        )
    }
}

/// Finds licence identifiers in free text (page text): `1.2.156.3005.2.` followed by the parts.
pub fn find_in_text(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(ROOT) {
        let start = from + i;
        let end = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
            .map(|e| start + e)
            .unwrap_or(text.len());
        let cand = text[start..end].trim_end_matches('.');
        if cand.len() > ROOT.len() + 1 && !out.iter().any(|o: &String| o == cand) {
            out.push(cand.to_string());
        }
        from = end.max(start + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_identifiers() {
        for s in [
            "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S",
            "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
            "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
            "1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3",
        ] {
            assert_eq!(
                Identifier::parse(s).unwrap().check_character(),
                CheckCharacter::Standard,
                "{s}"
            );
        }
        for s in [
            "1.2.156.3005.2.11100000MB03271699022.11370000MB2852565A.301213AF0610489FBEC46E8AB9C5C25F.001.T",
            "1.2.156.3005.2.11100000000013661B006.113700000045046442.209FA4E88F9E4C878F3E9BED2CE7EA49.001.M",
        ] {
            assert_eq!(
                Identifier::parse(s).unwrap().check_character(),
                CheckCharacter::ShandongVariant,
                "{s}"
            );
        }
        let bad = Identifier::parse(
            "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.Q",
        )
        .unwrap();
        assert_eq!(bad.check_character(), CheckCharacter::Wrong('S'));
    }

    #[test]
    fn structure() {
        assert!(Identifier::parse("1.2.156.3005.1.A.B.C.001.X").is_err());
        assert!(Identifier::parse("1.2.156.3005.2.A.B.C.01.X").is_err());
        assert!(Identifier::parse("1.2.156.3005.2.A.B.C.001.XY").is_err());
        assert!(Identifier::parse("1.2.156.3005.2.A.B.001.X").is_err());
        assert!(Identifier::parse("1.2.156.3005.2.a.B.C.001.X").is_err());
    }

    #[test]
    fn build_and_find() {
        let id = Identifier::new(
            "11100000000013338W011",
            "11430000006122244L",
            "20230000403",
            2,
        )
        .unwrap();
        assert_eq!(
            id.to_string(),
            "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S"
        );
        let t = format!("证照标识：{id}。其他");
        assert_eq!(find_in_text(&t), vec![id.to_string()]);
    }
}
