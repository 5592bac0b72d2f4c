//! SM2 private keys in PKCS#8 (RFC 5208 / RFC 5958) and SEC1 (RFC 5915) form.
//!
//! - `PrivateKeyInfo` / `OneAsymmetricKey` (RFC 5958 §2) with the algorithm id-ecPublicKey
//!   (`1.2.840.10045.2.1`) and the named curve sm2p256v1 (`1.2.156.10197.1.301`, GB/T 35276
//!   §5), or with the SM2 OID itself as the algorithm, as some tools write.
//! - `EncryptedPrivateKeyInfo` (RFC 5208 §6) decrypted by [`crate::crypto::pbe`].
//! - `ECPrivateKey` (RFC 5915 §3, SEC1 §C.4) with or without the curve parameter and the public
//!   key; when present they must name sm2p256v1 and match the private scalar.
//!
//! Written keys are DER `PrivateKeyInfo` version 0 with the curve in the algorithm identifier and
//! an inner `ECPrivateKey` holding the scalar and the public key, as OpenSSL 3 writes them.

use crate::asn1::{self, Reader};
use crate::crypto::pbe;
use crate::crypto::sm2::{PrivateKey, PublicKey};
use crate::error::{Error, ErrorKind, Result};
use zeroize::Zeroizing;

// id-ecPublicKey (RFC 5480) and the SM2 curve sm2p256v1 (GB/T 35276), from [`crate::oid`].
pub use crate::oid::{ID_EC_PUBLIC_KEY as OID_EC_PUBLIC_KEY, SM2 as OID_SM2};

fn malformed(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedKeyFile, msg.to_string())
}

fn not_sm2(what: &str) -> Error {
    Error::new(ErrorKind::Unsupported, format!("not an SM2 key ({what})"))
}

/// Parses a DER `PrivateKeyInfo` holding an SM2 key.
pub fn parse_private_key_info(der: &[u8]) -> Result<PrivateKey> {
    let bad = |m: &str| malformed(&format!("PKCS#8: {m}"));
    let top = asn1::parse_single(der).map_err(|_| bad("not a single DER element"))?;
    if top.tag != asn1::SEQUENCE {
        return Err(bad("not a SEQUENCE"));
    }
    let mut r = top.reader();
    let version = r.read_small_int().map_err(|_| bad("bad version"))?;
    if version != 0 && version != 1 {
        return Err(bad("unknown version"));
    }
    let mut alg = r
        .read_sequence()
        .map_err(|_| bad("bad algorithm identifier"))?;
    let alg_oid = alg.read_oid().map_err(|_| bad("bad algorithm OID"))?;
    match alg_oid.as_str() {
        OID_EC_PUBLIC_KEY => match alg.peek_tag() {
            Some(asn1::OID) => {
                let curve = alg.read_oid().map_err(|_| bad("bad curve OID"))?;
                if curve != OID_SM2 {
                    return Err(not_sm2(&format!("curve {curve}")));
                }
            }
            Some(asn1::SEQUENCE) => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    "explicit EC curve parameters are not supported",
                ));
            }
            // Absent or NULL: the inner ECPrivateKey may name the curve.
            _ => {}
        },
        OID_SM2 => {}
        other => return Err(not_sm2(&format!("algorithm {other}"))),
    }
    let inner = r
        .read(asn1::OCTET_STRING)
        .map_err(|_| bad("missing private key OCTET STRING"))?;
    // attributes [0] and publicKey [1] (RFC 5958) may follow; they add nothing we need.
    while let Some(t) = r.peek_tag() {
        if t != asn1::context(0) && t != asn1::context_primitive(1) && t != asn1::context(1) {
            return Err(bad("unexpected element after the private key"));
        }
        r.read_any().map_err(|_| bad("bad trailing element"))?;
    }
    parse_ec_private_key(inner)
}

/// Parses a DER SEC1 `ECPrivateKey`. A curve parameter, when present, must name sm2p256v1; a
/// missing one is taken to mean SM2, the only curve this library handles.
pub fn parse_ec_private_key(der: &[u8]) -> Result<PrivateKey> {
    let bad = |m: &str| malformed(&format!("ECPrivateKey: {m}"));
    let top = asn1::parse_single(der).map_err(|_| bad("not a single DER element"))?;
    if top.tag != asn1::SEQUENCE {
        return Err(bad("not a SEQUENCE"));
    }
    let mut r = top.reader();
    if r.read_small_int().map_err(|_| bad("bad version"))? != 1 {
        return Err(bad("version must be 1"));
    }
    let d = r
        .read(asn1::OCTET_STRING)
        .map_err(|_| bad("missing private key"))?;
    if d.is_empty() || d.len() > 33 {
        return Err(bad("private key has a wrong length"));
    }
    let mut public: Option<&[u8]> = None;
    while let Some(t) = r.peek_tag() {
        let e = r.read_any().map_err(|_| bad("bad optional element"))?;
        if t == asn1::context(0) {
            let mut p = e.reader();
            match p.peek_tag() {
                Some(asn1::OID) => {
                    let curve = p.read_oid().map_err(|_| bad("bad curve OID"))?;
                    if curve != OID_SM2 {
                        return Err(not_sm2(&format!("curve {curve}")));
                    }
                }
                _ => {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        "explicit or implicit EC curve parameters are not supported",
                    ));
                }
            }
        } else if t == asn1::context(1) {
            let bits = e
                .reader()
                .read(asn1::BIT_STRING)
                .map_err(|_| bad("bad public key"))?;
            match bits.split_first() {
                Some((0, point)) => public = Some(point),
                _ => return Err(bad("bad public key BIT STRING")),
            }
        } else {
            return Err(bad("unexpected element"));
        }
    }
    let key = PrivateKey::from_bytes(d)
        .map_err(|_| Error::new(ErrorKind::InvalidPrivateKey, "SM2 private key out of range"))?;
    if let Some(point) = public {
        let pk = PublicKey::from_sec1_bytes(point)
            .map_err(|_| bad("public key is not a point on the SM2 curve"))?;
        if !key.matches_public(&pk) {
            return Err(Error::new(
                ErrorKind::InvalidPrivateKey,
                "the public key in the file does not match the private key",
            ));
        }
    }
    Ok(key)
}

/// Parses a DER `EncryptedPrivateKeyInfo` and decrypts it with `password`.
///
/// Errors: [`ErrorKind::PasswordRequired`] without a password, [`ErrorKind::WrongPassword`]
/// when the padding or the decrypted structure is wrong.
pub fn parse_encrypted_private_key_info(der: &[u8], password: Option<&[u8]>) -> Result<PrivateKey> {
    let bad = |m: &str| malformed(&format!("EncryptedPrivateKeyInfo: {m}"));
    let top = asn1::parse_single(der).map_err(|_| bad("not a single DER element"))?;
    if top.tag != asn1::SEQUENCE {
        return Err(bad("not a SEQUENCE"));
    }
    let mut r = top.reader();
    let alg = r
        .read_element(asn1::SEQUENCE)
        .map_err(|_| bad("bad encryption algorithm"))?;
    let data = r
        .read(asn1::OCTET_STRING)
        .map_err(|_| bad("bad encrypted data"))?;
    r.finish().map_err(|_| bad("trailing data"))?;
    let password = password.ok_or_else(|| {
        Error::new(
            ErrorKind::PasswordRequired,
            "the private key is encrypted: a password is required",
        )
    })?;
    decrypt_private_key_info(alg.raw, data, password)
}

/// Decrypts `data` under the encryption `AlgorithmIdentifier` `alg` and parses the
/// plaintext as a `PrivateKeyInfo`; a plaintext that does not parse means a wrong password.
pub(crate) fn decrypt_private_key_info(
    alg: &[u8],
    data: &[u8],
    password: &[u8],
) -> Result<PrivateKey> {
    let plain = pbe::decrypt(alg, data, password)?;
    parse_private_key_info(&plain).map_err(|e| match e.kind() {
        ErrorKind::Unsupported => e,
        _ => Error::new(
            ErrorKind::WrongPassword,
            "decrypted data is not a private key (wrong password or corrupted file)",
        ),
    })
}

/// The inner SEC1 `ECPrivateKey` (version 1, scalar, public key; no curve parameter).
fn ec_private_key_der(key: &PrivateKey, with_curve: bool) -> Zeroizing<Vec<u8>> {
    let d = key.to_bytes();
    let mut body = Zeroizing::new(Vec::with_capacity(128));
    asn1::write_int(&mut body, 1);
    asn1::write_tlv(&mut body, asn1::OCTET_STRING, d.as_ref());
    if with_curve {
        let mut oid = Vec::new();
        // The constant OID is valid: writing it cannot fail.
        if asn1::write_oid(&mut oid, OID_SM2).is_ok() {
            asn1::write_tlv(&mut body, asn1::context(0), &oid);
        }
    }
    let mut bits = Vec::with_capacity(66);
    bits.push(0);
    bits.extend_from_slice(&key.public_key().to_sec1_uncompressed());
    let bs = asn1::tlv(asn1::BIT_STRING, &bits);
    asn1::write_tlv(&mut body, asn1::context(1), &bs);
    let mut out = Zeroizing::new(Vec::with_capacity(body.len() + 4));
    asn1::write_tlv(&mut out, asn1::SEQUENCE, &body);
    out
}

/// The DER SEC1 `ECPrivateKey` with the curve parameter and the public key.
pub fn to_sec1_der(key: &PrivateKey) -> Zeroizing<Vec<u8>> {
    ec_private_key_der(key, true)
}

/// The DER `PrivateKeyInfo` of `key`.
pub fn to_der(key: &PrivateKey) -> Zeroizing<Vec<u8>> {
    let inner = ec_private_key_der(key, false);
    let mut alg = Vec::new();
    let mut body = Zeroizing::new(Vec::with_capacity(inner.len() + 32));
    asn1::write_int(&mut body, 0);
    // The constant OIDs are valid: writing them cannot fail.
    let _ = asn1::write_oid(&mut alg, OID_EC_PUBLIC_KEY);
    let _ = asn1::write_oid(&mut alg, OID_SM2);
    asn1::write_tlv(&mut body, asn1::SEQUENCE, &alg);
    asn1::write_tlv(&mut body, asn1::OCTET_STRING, &inner);
    let mut out = Zeroizing::new(Vec::with_capacity(body.len() + 4));
    asn1::write_tlv(&mut out, asn1::SEQUENCE, &body);
    out
}

/// The DER `EncryptedPrivateKeyInfo` of `key`: PBES2 with PBKDF2-HMAC-SM3 and SM4-CBC.
pub fn to_encrypted_der(key: &PrivateKey, password: &[u8]) -> Result<Vec<u8>> {
    let plain = to_der(key);
    let (alg, ct) = pbe::pbes2_sm4_encrypt(&plain, password)?;
    let mut body = alg;
    asn1::write_tlv(&mut body, asn1::OCTET_STRING, &ct);
    Ok(asn1::tlv(asn1::SEQUENCE, &body))
}

/// Reads the structure of a DER key file far enough to tell which of the three kinds it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DerKind {
    /// `PrivateKeyInfo`.
    Pkcs8,
    /// `EncryptedPrivateKeyInfo`.
    EncryptedPkcs8,
    /// SEC1 `ECPrivateKey`.
    Sec1,
}

/// Classifies a definite-length DER SEQUENCE by its first elements.
pub(crate) fn classify(der: &[u8]) -> Option<DerKind> {
    let top = asn1::parse_single(der).ok()?;
    if top.tag != asn1::SEQUENCE {
        return None;
    }
    let mut r: Reader<'_> = top.reader();
    match r.peek_tag()? {
        asn1::SEQUENCE => Some(DerKind::EncryptedPkcs8),
        asn1::INTEGER => {
            let v = r.read_small_int().ok()?;
            match (v, r.peek_tag()?) {
                (0 | 1, asn1::SEQUENCE) => Some(DerKind::Pkcs8),
                (1, asn1::OCTET_STRING) => Some(DerKind::Sec1),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let k = PrivateKey::generate().unwrap();
        let der = to_der(&k);
        assert_eq!(classify(&der), Some(DerKind::Pkcs8));
        let k2 = parse_private_key_info(&der).unwrap();
        assert_eq!(k2.to_bytes().as_ref(), k.to_bytes().as_ref());
        let sec1 = to_sec1_der(&k);
        assert_eq!(classify(&sec1), Some(DerKind::Sec1));
        assert_eq!(
            parse_ec_private_key(&sec1).unwrap().to_bytes().as_ref(),
            k.to_bytes().as_ref()
        );
        let enc = to_encrypted_der(&k, b"pw").unwrap();
        assert_eq!(classify(&enc), Some(DerKind::EncryptedPkcs8));
        let k3 = parse_encrypted_private_key_info(&enc, Some(b"pw")).unwrap();
        assert_eq!(k3.to_bytes().as_ref(), k.to_bytes().as_ref());
        let e = parse_encrypted_private_key_info(&enc, Some(b"wrong")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::WrongPassword);
        let e = parse_encrypted_private_key_info(&enc, None).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PasswordRequired);
    }

    #[test]
    fn mismatched_public_key_is_rejected() {
        let k = PrivateKey::generate().unwrap();
        let other = PrivateKey::generate().unwrap();
        let mut sec1 = to_sec1_der(&k).to_vec();
        let pk = k.public_key().to_sec1_uncompressed();
        let opk = other.public_key().to_sec1_uncompressed();
        let pos = sec1.windows(65).position(|w| w == pk).unwrap();
        sec1[pos..pos + 65].copy_from_slice(&opk);
        let e = parse_ec_private_key(&sec1).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidPrivateKey);
    }
}
