//! Every OBJECT IDENTIFIER eseal reads or writes, in dotted form, in one table.
//!
//! Names follow the standard that assigns each arc: GM/T 0006-2012 (SM algorithms, GB/T 33560),
//! GM/T 0010-2012 (SM2 cryptographic message syntax), RFC 5652 / PKCS #7 and RFC 2985 / PKCS #9
//! (CMS content types and attributes), RFC 3161 (TSTInfo), RFC 2634 / RFC 5035 (ESS),
//! RFC 8017 (RSA), RFC 5480 / RFC 5758 (ECDSA), NIST CSOR (SHA-2, AES), RFC 8018 (PBES2),
//! RFC 7292 (PKCS #12), RFC 5280 / X.520 (certificate extensions and name attributes).
//! Modules match and write these constants; the few older names kept in other modules
//! (`pki::alg::SM2_WITH_SM3`, `ses::OID_SM2_SM3`, …) are re-exports of this table.

// --- GM/T 0006-2012: SM algorithms -----------------------------------------------------------

/// `sm2` (GM/T 0006 §A): the SM2 algorithm and the curve sm2p256v1.
pub const SM2: &str = "1.2.156.10197.1.301";
/// `sm2-1`: the SM2 digital signature algorithm.
pub const SM2_SIGN: &str = "1.2.156.10197.1.301.1";
/// `sm3`: the SM3 hash algorithm.
pub const SM3: &str = "1.2.156.10197.1.401";
/// SM3 used without a key (GM/T 0006 `sm3` `1`), read as SM3.
pub const SM3_NO_KEY: &str = "1.2.156.10197.1.401.1";
/// SM3 used with a key (GM/T 0006 `sm3` `2`): hmacWithSM3 as GmSSL and Bouncy Castle write it
/// (GM/T 0091-2020 Annex C); some producers use it as a plain SM3 digest identifier.
pub const SM3_WITH_KEY: &str = "1.2.156.10197.1.401.2";
/// hmacWithSM3 as OpenSSL writes it (GM/T 0091-2020 Annex A.2).
pub const HMAC_SM3: &str = "1.2.156.10197.1.401.3.1";
/// `sm2sign-with-sm3`: SM2 signature with SM3.
pub const SM2_WITH_SM3: &str = "1.2.156.10197.1.501";
/// `sm4-cbc` (GM/T 0006 `sm4` `2`).
pub const SM4_CBC: &str = "1.2.156.10197.1.104.2";

// --- GM/T 0010-2012: SM2 cryptographic message syntax ----------------------------------------

/// GM/T 0010 `data`.
pub const GM_DATA: &str = "1.2.156.10197.6.1.4.2.1";
/// GM/T 0010 `signedData`.
pub const GM_SIGNED_DATA: &str = "1.2.156.10197.6.1.4.2.2";

// --- RFC 5652 / PKCS #7 content types --------------------------------------------------------

/// `id-data`.
pub const ID_DATA: &str = "1.2.840.113549.1.7.1";
/// `id-signedData`.
pub const ID_SIGNED_DATA: &str = "1.2.840.113549.1.7.2";
/// `id-envelopedData`.
pub const ID_ENVELOPED_DATA: &str = "1.2.840.113549.1.7.3";
/// `id-encryptedData`.
pub const ID_ENCRYPTED_DATA: &str = "1.2.840.113549.1.7.6";
/// `id-ct-TSTInfo` (RFC 3161 §2.4.2).
pub const ID_CT_TST_INFO: &str = "1.2.840.113549.1.9.16.1.4";

// --- PKCS #9 / RFC 5652 §11 / ESS attributes -------------------------------------------------

/// `id-emailAddress` (PKCS #9), a legacy Name attribute.
pub const EMAIL_ADDRESS: &str = "1.2.840.113549.1.9.1";
/// `id-contentType` (RFC 5652 §11.1).
pub const ID_CONTENT_TYPE: &str = "1.2.840.113549.1.9.3";
/// `id-messageDigest` (RFC 5652 §11.2).
pub const ID_MESSAGE_DIGEST: &str = "1.2.840.113549.1.9.4";
/// `id-signingTime` (RFC 5652 §11.3).
pub const ID_SIGNING_TIME: &str = "1.2.840.113549.1.9.5";
/// `x509Certificate` certificate type of a PKCS #12 certBag (RFC 7292 §4.2.3).
pub const X509_CERTIFICATE: &str = "1.2.840.113549.1.9.22.1";
/// `id-aa-signingCertificate` (ESS, RFC 2634 §5.4).
pub const ID_AA_SIGNING_CERTIFICATE: &str = "1.2.840.113549.1.9.16.2.12";
/// `id-aa-signingCertificateV2` (ESS, RFC 5035 §3).
pub const ID_AA_SIGNING_CERTIFICATE_V2: &str = "1.2.840.113549.1.9.16.2.47";

// --- Hash algorithms -------------------------------------------------------------------------

/// `id-sha1` (RFC 3279 §2.2.1).
pub const ID_SHA1: &str = "1.3.14.3.2.26";
/// `id-sha224` (NIST CSOR).
pub const ID_SHA224: &str = "2.16.840.1.101.3.4.2.4";
/// `id-sha256` (NIST CSOR).
pub const ID_SHA256: &str = "2.16.840.1.101.3.4.2.1";
/// `id-sha384` (NIST CSOR).
pub const ID_SHA384: &str = "2.16.840.1.101.3.4.2.2";
/// `id-sha512` (NIST CSOR).
pub const ID_SHA512: &str = "2.16.840.1.101.3.4.2.3";
/// `id-hmacWithSHA1` (RFC 8018 B.1.1).
pub const ID_HMAC_WITH_SHA1: &str = "1.2.840.113549.2.7";
/// `id-hmacWithSHA224` (RFC 8018 B.1.2).
pub const ID_HMAC_WITH_SHA224: &str = "1.2.840.113549.2.8";
/// `id-hmacWithSHA256`.
pub const ID_HMAC_WITH_SHA256: &str = "1.2.840.113549.2.9";
/// `id-hmacWithSHA384`.
pub const ID_HMAC_WITH_SHA384: &str = "1.2.840.113549.2.10";
/// `id-hmacWithSHA512`.
pub const ID_HMAC_WITH_SHA512: &str = "1.2.840.113549.2.11";

// --- RSA (RFC 8017) and ECDSA (RFC 5480, RFC 5758) -------------------------------------------

/// `rsaEncryption` (RFC 8017 A.1).
pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
/// `id-mgf1` (RFC 8017 B.2.1).
pub const ID_MGF1: &str = "1.2.840.113549.1.1.8";
/// `id-RSASSA-PSS` (RFC 8017 A.2.3).
pub const ID_RSASSA_PSS: &str = "1.2.840.113549.1.1.10";
/// `sha1WithRSAEncryption`.
pub const SHA1_WITH_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.5";
/// `sha256WithRSAEncryption`.
pub const SHA256_WITH_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.11";
/// `sha384WithRSAEncryption`.
pub const SHA384_WITH_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.12";
/// `sha512WithRSAEncryption`.
pub const SHA512_WITH_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.13";
/// `id-ecPublicKey` (RFC 5480 §2.1.1).
pub const ID_EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
/// `secp256r1` / prime256v1 (P-256).
pub const SECP256R1: &str = "1.2.840.10045.3.1.7";
/// `secp384r1` (P-384).
pub const SECP384R1: &str = "1.3.132.0.34";
/// `ecdsa-with-SHA1` (RFC 3279).
pub const ECDSA_WITH_SHA1: &str = "1.2.840.10045.4.1";
/// `ecdsa-with-SHA256` (RFC 5758 §3.2).
pub const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";
/// `ecdsa-with-SHA384`.
pub const ECDSA_WITH_SHA384: &str = "1.2.840.10045.4.3.3";
/// `ecdsa-with-SHA512`.
pub const ECDSA_WITH_SHA512: &str = "1.2.840.10045.4.3.4";

// --- Password-based encryption (RFC 8018, RFC 7292, RFC 9579) --------------------------------

/// `id-PBKDF2` (RFC 8018 A.2).
pub const ID_PBKDF2: &str = "1.2.840.113549.1.5.12";
/// `id-PBES2` (RFC 8018 A.4).
pub const ID_PBES2: &str = "1.2.840.113549.1.5.13";
/// `id-PBMAC1` (RFC 8018 A.5, RFC 9579).
pub const ID_PBMAC1: &str = "1.2.840.113549.1.5.14";
/// The `pkcs-12PbeIds` arc (RFC 7292 Appendix C), with a trailing dot: scheme n is this + n.
pub const PKCS12_PBE_IDS_ARC: &str = "1.2.840.113549.1.12.1.";
/// `keyBag` (RFC 7292 §4.2.1).
pub const KEY_BAG: &str = "1.2.840.113549.1.12.10.1.1";
/// `pkcs8ShroudedKeyBag` (RFC 7292 §4.2.2).
pub const PKCS8_SHROUDED_KEY_BAG: &str = "1.2.840.113549.1.12.10.1.2";
/// `certBag` (RFC 7292 §4.2.3).
pub const CERT_BAG: &str = "1.2.840.113549.1.12.10.1.3";
/// `safeContentsBag` (RFC 7292 §4.2.6).
pub const SAFE_CONTENTS_BAG: &str = "1.2.840.113549.1.12.10.1.6";
/// `aes128-CBC` (NIST CSOR, RFC 8018 B.2.5).
pub const AES128_CBC: &str = "2.16.840.1.101.3.4.1.2";
/// `aes192-CBC`.
pub const AES192_CBC: &str = "2.16.840.1.101.3.4.1.22";
/// `aes256-CBC`.
pub const AES256_CBC: &str = "2.16.840.1.101.3.4.1.42";
/// `des-EDE3-CBC` (RFC 8018 B.2.2).
pub const DES_EDE3_CBC: &str = "1.2.840.113549.3.7";

// --- RFC 5280 certificate and CRL extensions -------------------------------------------------

/// `id-ce-subjectKeyIdentifier`.
pub const SUBJECT_KEY_IDENTIFIER: &str = "2.5.29.14";
/// `id-ce-keyUsage`.
pub const KEY_USAGE: &str = "2.5.29.15";
/// `id-ce-subjectAltName`.
pub const SUBJECT_ALT_NAME: &str = "2.5.29.17";
/// `id-ce-basicConstraints`.
pub const BASIC_CONSTRAINTS: &str = "2.5.29.19";
/// `id-ce-cRLNumber`.
pub const CRL_NUMBER: &str = "2.5.29.20";
/// `id-ce-cRLReasons` (reasonCode).
pub const CRL_REASONS: &str = "2.5.29.21";
/// `id-ce-invalidityDate`.
pub const INVALIDITY_DATE: &str = "2.5.29.24";
/// `id-ce-certificatePolicies`.
pub const CERTIFICATE_POLICIES: &str = "2.5.29.32";
/// `id-ce-authorityKeyIdentifier`.
pub const AUTHORITY_KEY_IDENTIFIER: &str = "2.5.29.35";
/// `id-ce-extKeyUsage`.
pub const EXT_KEY_USAGE: &str = "2.5.29.37";
/// `anyExtendedKeyUsage`.
pub const ANY_EXTENDED_KEY_USAGE: &str = "2.5.29.37.0";
/// `id-kp-timeStamping` (RFC 5280 §4.2.1.12).
pub const ID_KP_TIME_STAMPING: &str = "1.3.6.1.5.5.7.3.8";

// --- X.520 / RFC 4519 name attributes --------------------------------------------------------

/// `id-at-commonName`.
pub const COMMON_NAME: &str = "2.5.4.3";
/// `id-at-surname`.
pub const SURNAME: &str = "2.5.4.4";
/// `id-at-serialNumber`.
pub const SERIAL_NUMBER: &str = "2.5.4.5";
/// `id-at-countryName`.
pub const COUNTRY_NAME: &str = "2.5.4.6";
/// `id-at-localityName`.
pub const LOCALITY_NAME: &str = "2.5.4.7";
/// `id-at-stateOrProvinceName`.
pub const STATE_OR_PROVINCE_NAME: &str = "2.5.4.8";
/// `id-at-streetAddress`.
pub const STREET_ADDRESS: &str = "2.5.4.9";
/// `id-at-organizationName`.
pub const ORGANIZATION_NAME: &str = "2.5.4.10";
/// `id-at-organizationalUnitName`.
pub const ORGANIZATIONAL_UNIT_NAME: &str = "2.5.4.11";
/// `id-at-title`.
pub const TITLE: &str = "2.5.4.12";
/// `id-at-givenName`.
pub const GIVEN_NAME: &str = "2.5.4.42";
/// `id-at-dnQualifier`.
pub const DN_QUALIFIER: &str = "2.5.4.46";
/// `id-at-organizationIdentifier`.
pub const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
/// `domainComponent` (RFC 4519 §2.4).
pub const DOMAIN_COMPONENT: &str = "0.9.2342.19200300.100.1.25";
/// `uid` (RFC 4519 §2.39).
pub const USER_ID: &str = "0.9.2342.19200300.100.1.1";

#[cfg(test)]
mod tests {
    /// Every entry is a well-formed OID that survives an encode/decode round trip.
    #[test]
    fn table_is_well_formed() {
        use super::*;
        for oid in [
            SM2,
            SM2_SIGN,
            SM3,
            SM3_NO_KEY,
            SM3_WITH_KEY,
            HMAC_SM3,
            SM2_WITH_SM3,
            SM4_CBC,
            GM_DATA,
            GM_SIGNED_DATA,
            ID_DATA,
            ID_SIGNED_DATA,
            ID_CT_TST_INFO,
            ID_AA_SIGNING_CERTIFICATE,
            ID_AA_SIGNING_CERTIFICATE_V2,
            ID_SHA1,
            ID_SHA512,
            ID_RSASSA_PSS,
            SECP384R1,
            ID_PBMAC1,
            DES_EDE3_CBC,
            ANY_EXTENDED_KEY_USAGE,
            ID_KP_TIME_STAMPING,
            DOMAIN_COMPONENT,
        ] {
            let der = crate::asn1::oid_from_string(oid).unwrap();
            assert_eq!(crate::asn1::oid_to_string(&der).unwrap(), oid);
        }
    }
}
