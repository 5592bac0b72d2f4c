//! Check characters of the codes a licence carries.
//!
//! - 统一社会信用代码 (unified social credit code, USCC), GB 32100-2015 §4–§5: 18 characters
//!   from `0-9 A-H J-N P-R T-U W-Y` (no I, O, Z, S, V); the 18th is
//!   `31 − (Σ value(cᵢ)·wᵢ mod 31)` (31 maps to 0) with weights `3ⁱ⁻¹ mod 31`:
//!   1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28. Characters 9–17 are the
//!   organisation code of GB 11714.
//! - 组织机构代码 (organisation code), GB 11714-1997: 8 characters + a check character
//!   `11 − (Σ value(cᵢ)·wᵢ mod 11)` with weights 3 7 9 10 5 8 4 2 (10 → `X`, 11 → `0`).
//! - 公民身份号码 (citizen identity number), GB 11643-1999: 17 digits + a check character by
//!   ISO 7064 MOD 11-2 (weights `2¹⁷⁻ⁱ mod 11`, 10 written `X`).
//! - ISO/IEC 7064 MOD 37,36 (hybrid system, alphanumeric, M = 36): the check character of the
//!   electronic licence identifier (证照标识), see [`super::identifier`].

/// The USCC alphabet in value order (GB 32100-2015 Table 1).
const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// USCC weights, positions 1–17.
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/// GB 11714 weights, positions 1–8.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
/// ISO 7064 alphanumeric alphabet (MOD 37,36).
const ALNUM: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The USCC check character for the first 17 characters, or `None` when a character is outside
/// the alphabet or the length is wrong.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(USCC_WEIGHTS) {
        sum += USCC_ALPHABET.find(c)? as u32 * w;
    }
    let v = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(v as usize)
}

/// Whether `code` is a well-formed USCC: 18 characters of the alphabet and a correct check
/// character. (Characters 9–17 are not held to GB 11714: codes of public bodies carry serials
/// that are not organisation codes.)
pub fn is_valid_uscc(code: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let first: String = chars[..17].iter().collect();
    uscc_check_char(&first) == Some(chars[17])
}

/// The GB 11714 check character for the first 8 characters of an organisation code.
pub fn org_code_check_char(first8: &str) -> Option<char> {
    if first8.chars().count() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first8.chars().zip(ORG_WEIGHTS) {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 10,
            _ => return None,
        };
        sum += v * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        v => char::from_digit(v, 10)?,
    })
}

/// Whether `code` (9 characters, an optional `-` before the last) is a valid organisation code.
pub fn is_valid_org_code(code: &str) -> bool {
    let c: String = code.chars().filter(|&c| c != '-').collect();
    let chars: Vec<char> = c.chars().collect();
    chars.len() == 9
        && org_code_check_char(&chars[..8].iter().collect::<String>()) == Some(chars[8])
}

/// The GB 11643 check character (ISO 7064 MOD 11-2) for the first 17 digits.
pub fn id_number_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut p = 0u32;
    for c in first17.chars() {
        p = (p + c.to_digit(10)?) * 2 % 11;
    }
    let v = (12 - p % 11) % 11;
    Some(if v == 10 {
        'X'
    } else {
        char::from_digit(v, 10)?
    })
}

/// Whether `id` is a valid 18-character citizen identity number (lowercase `x` accepted).
pub fn is_valid_id_number(id: &str) -> bool {
    if id.len() != 18 || !id.is_ascii() {
        return false;
    }
    let last = id.as_bytes()[17].to_ascii_uppercase() as char;
    id_number_check_char(&id[..17]) == Some(last)
}

/// ISO/IEC 7064 MOD 37,36 (hybrid system): the check character for `data` (characters
/// `0-9A-Z`), or `None` when another character occurs.
pub fn mod37_36(data: &str) -> Option<char> {
    const M: u32 = 36;
    let mut p = M;
    for c in data.chars() {
        let v = ALNUM.find(c)? as u32;
        let mut s = (p + v) % M;
        if s == 0 {
            s = M;
        }
        p = s * 2 % (M + 1);
    }
    ALNUM.chars().nth(((M + 1 - p) % M) as usize)
}

/// A divergent implementation of MOD 37,36 used by one provincial platform (Shandong), which
/// some real licence identifiers carry: letters take their alphabet index plus one, the running
/// value is reduced modulo 37 after a letter and modulo 36 after a digit only when it exceeds
/// the modulus, and the final character solves `(P + X − 1) mod 36 = 0` over 1-based values.
/// It reproduces `1.2.156.3005.2.11100000MB03271699022.11370000MB2852565A.301213AF…25F.001.T`
/// and `1.2.156.3005.2.11100000000013661B006.113700000045046442.209FA4E8…EA49.001.M`, which the
/// standard algorithm does not. Reported as a warning, never as a pass.
pub fn mod37_36_shandong_variant(data: &str) -> Option<char> {
    const M: u32 = 36;
    let mut p = 0u32;
    for (i, c) in data.chars().enumerate() {
        let a = match c {
            '0'..='9' => c as u32 - '0' as u32,
            'A'..='Z' => c as u32 - 'A' as u32 + 11,
            _ => return None,
        };
        let mut r1 = if i == 0 { M + a } else { p + a };
        if a > 10 && r1 > M + 1 {
            r1 %= M + 1;
        } else if a < 10 && r1 > M {
            r1 %= M;
        }
        let r2 = if r1 % M == 0 { M } else { r1 % M };
        p = r2 * 2 % (M + 1);
    }
    let mut x = M as i64 - p as i64 + 1;
    while x < 1 {
        x += M as i64;
    }
    if x > M as i64 {
        return None;
    }
    ALNUM.chars().nth(x as usize - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uscc() {
        // Authority codes inside public licence identifiers.
        for c in [
            "11370000MB2852565A",
            "113700000045046442",
            "11430000006122244L",
            "11330105002500287C",
        ] {
            assert!(is_valid_uscc(c), "{c}");
        }
        assert!(is_valid_uscc("91350100M000100Y43"));
        assert!(is_valid_uscc("11370000MB2852565A"));
        assert!(!is_valid_uscc("91350100M000100Y44"));
        assert!(!is_valid_uscc("9135010OM000100Y43"));
    }

    #[test]
    fn id_number() {
        assert!(is_valid_id_number("11010519491231002X"));
        assert!(is_valid_id_number("11010519491231002x"));
        assert!(!is_valid_id_number("110105194912310021"));
        assert!(is_valid_id_number("440524188001010014"));
    }

    #[test]
    fn org_code() {
        assert!(is_valid_org_code("M000100Y4"));
        assert!(is_valid_org_code("M000100Y-4"));
        assert!(!is_valid_org_code("M000100Y5"));
    }

    #[test]
    fn iso7064_mod37_36() {
        // Identifiers from public material (see super::identifier).
        assert_eq!(
            mod37_36("11100000000013338W01111430000006122244L20230000403002"),
            Some('S')
        );
        assert_eq!(
            mod37_36("11100000000013338W01111430000006122244L20230000403001"),
            Some('U')
        );
        assert_eq!(
            mod37_36("11100000000013338W00911330105002500287C2025052201002"),
            Some('0')
        );
        assert_eq!(mod37_36("a"), None);
    }

    #[test]
    fn shandong_variant() {
        assert_eq!(
            mod37_36_shandong_variant(
                "11100000MB0327169902211370000MB2852565A301213AF0610489FBEC46E8AB9C5C25F001"
            ),
            Some('T')
        );
        assert_eq!(
            mod37_36("11100000MB0327169902211370000MB2852565A301213AF0610489FBEC46E8AB9C5C25F001"),
            Some('W')
        );
        assert_eq!(
            mod37_36_shandong_variant(
                "11100000000013661B006113700000045046442209FA4E88F9E4C878F3E9BED2CE7EA49001"
            ),
            Some('M')
        );
    }
}
