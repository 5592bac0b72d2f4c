//! Loading SM2 private keys from the files users bring, and writing PKCS#8.
//!
//! The format is detected from the content, never from a file name:
//! - PEM (RFC 7468 textual encoding; text before, between and after blocks is ignored, so
//!   `openssl pkcs12 -nodes` output loads): `PRIVATE KEY` (PKCS#8, RFC 5208 §5),
//!   `ENCRYPTED PRIVATE KEY` (RFC 5208 §6), `EC PRIVATE KEY` / `SM2 PRIVATE KEY` (SEC1,
//!   RFC 5915), also in OpenSSL's legacy encrypted form (RFC 1421 `Proc-Type`/`DEK-Info`);
//! - DER of any of these three, told apart by their first elements;
//! - PKCS#12 / PFX (RFC 7292), DER or BER, which also gives certificates;
//! - any of the binary forms wrapped in bare Base64 without PEM armour.
//!
//! See [`crate::crypto::pkcs8`], [`crate::crypto::pkcs12`] and [`crate::crypto::pbe`] for the
//! structures and algorithms. Buffers holding key bytes are zeroized on drop.

use crate::crypto::sm2::PrivateKey;
use crate::crypto::{pbe, pkcs8, pkcs12};
use crate::error::{Error, ErrorKind, Result};
use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

/// Largest key file accepted.
pub const MAX_KEY_FILE_LEN: usize = pkcs12::MAX_FILE_LEN;

/// A private key with the certificates that came with it.
#[derive(Debug)]
pub struct KeyBundle {
    /// The SM2 private key.
    pub key: PrivateKey,
    /// DER certificates: the one whose public key matches `key` first (when present), then its
    /// issuers, then the others. Empty for formats other than PKCS#12.
    pub certificates: Vec<Vec<u8>>,
}

fn malformed(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedKeyFile, msg.to_string())
}

/// Loads an SM2 private key from a key file of any supported format.
///
/// `password` is used for encrypted PKCS#8 and PKCS#12 and ignored otherwise. Errors:
/// [`ErrorKind::PasswordRequired`] when the file is encrypted and no password was given,
/// [`ErrorKind::WrongPassword`] when the password is wrong, [`ErrorKind::Unsupported`] for
/// keys that are not SM2 or algorithms not implemented, [`ErrorKind::MalformedKeyFile`] for
/// anything else that is not a key file.
pub fn load_private_key(bytes: &[u8], password: Option<&[u8]>) -> Result<PrivateKey> {
    load_key_bundle(bytes, password).map(|b| b.key)
}

/// Loads an SM2 private key and, from PKCS#12 files, the certificates stored with it.
///
/// Errors as for [`load_private_key`].
pub fn load_key_bundle(bytes: &[u8], password: Option<&[u8]>) -> Result<KeyBundle> {
    if bytes.len() > MAX_KEY_FILE_LEN {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            "key file larger than 16 MiB",
        ));
    }
    if find(bytes, b"-----BEGIN ").is_some() {
        return load_pem(bytes, password);
    }
    match load_der(bytes, password) {
        Err(e) if e.kind() == ErrorKind::MalformedKeyFile => {
            // Bare Base64 of a binary key file (some tools export .p12 this way).
            if let Some(decoded) = bare_base64(bytes) {
                match load_der(&decoded, password) {
                    Ok(b) => return Ok(b),
                    Err(e2) if e2.kind() != ErrorKind::MalformedKeyFile => return Err(e2),
                    Err(_) => {}
                }
            }
            Err(e)
        }
        other => other,
    }
}

fn load_der(bytes: &[u8], password: Option<&[u8]>) -> Result<KeyBundle> {
    if pkcs12::looks_like_pfx(bytes) {
        let c = pkcs12::parse(bytes, password)?;
        return Ok(KeyBundle {
            key: c.key,
            certificates: c.certificates,
        });
    }
    let key = match pkcs8::classify(bytes) {
        Some(pkcs8::DerKind::Pkcs8) => pkcs8::parse_private_key_info(bytes)?,
        Some(pkcs8::DerKind::EncryptedPkcs8) => {
            pkcs8::parse_encrypted_private_key_info(bytes, password)?
        }
        Some(pkcs8::DerKind::Sec1) => pkcs8::parse_ec_private_key(bytes)?,
        None => {
            return Err(malformed(
                "not a PKCS#8, SEC1 or PKCS#12 key file (unknown structure)",
            ));
        }
    };
    Ok(KeyBundle {
        key,
        certificates: Vec::new(),
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes Base64 ignoring ASCII whitespace; None when it is not Base64.
fn decode_base64(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let clean: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.iter()
            .copied()
            .filter(|b| !b.is_ascii_whitespace())
            .collect(),
    );
    Base64::decode_vec(std::str::from_utf8(&clean).ok()?)
        .ok()
        .map(Zeroizing::new)
}

fn bare_base64(bytes: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if bytes.len() < 16
        || !bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b"+/=".contains(&b) || b.is_ascii_whitespace())
    {
        return None;
    }
    decode_base64(bytes)
}

/// One PEM block: label, header lines (RFC 1421 style) and decoded body.
struct PemBlock {
    label: String,
    headers: Vec<String>,
    der: Zeroizing<Vec<u8>>,
}

fn pem_blocks(bytes: &[u8]) -> Result<Vec<PemBlock>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(b) = find(rest, b"-----BEGIN ") {
        let after = &rest[b + 11..];
        let label_end = find(after, b"-----").ok_or_else(|| malformed("PEM: bad BEGIN line"))?;
        let label = std::str::from_utf8(&after[..label_end])
            .map_err(|_| malformed("PEM: label is not text"))?
            .trim()
            .to_string();
        if label.len() > 64 {
            return Err(malformed("PEM: label too long"));
        }
        let body_start = &after[label_end + 5..];
        let end_marker = format!("-----END {label}-----");
        let e = find(body_start, end_marker.as_bytes())
            .ok_or_else(|| malformed(&format!("PEM: missing END line for {label}")))?;
        let body = &body_start[..e];
        let mut headers = Vec::new();
        let mut b64 = Zeroizing::new(Vec::with_capacity(body.len()));
        for line in body.split(|&c| c == b'\n') {
            if line.contains(&b':') {
                headers.push(String::from_utf8_lossy(line).trim().to_string());
            } else {
                b64.extend_from_slice(line);
            }
        }
        let der = decode_base64(&b64)
            .ok_or_else(|| malformed(&format!("PEM: {label} body is not Base64")))?;
        out.push(PemBlock {
            label,
            headers,
            der,
        });
        rest = &body_start[e + end_marker.len()..];
    }
    Ok(out)
}

fn load_pem(bytes: &[u8], password: Option<&[u8]>) -> Result<KeyBundle> {
    for block in pem_blocks(bytes)? {
        let key = match block.label.as_str() {
            "PRIVATE KEY" => pkcs8::parse_private_key_info(&block.der)?,
            "ENCRYPTED PRIVATE KEY" => {
                pkcs8::parse_encrypted_private_key_info(&block.der, password)?
            }
            "EC PRIVATE KEY" | "SM2 PRIVATE KEY" => {
                if block
                    .headers
                    .iter()
                    .any(|h| h.starts_with("Proc-Type") && h.contains("ENCRYPTED"))
                {
                    legacy_encrypted_sec1(&block, password)?
                } else {
                    pkcs8::parse_ec_private_key(&block.der)?
                }
            }
            "PKCS12" => {
                let c = pkcs12::parse(&block.der, password)?;
                return Ok(KeyBundle {
                    key: c.key,
                    certificates: c.certificates,
                });
            }
            _ => continue,
        };
        return Ok(KeyBundle {
            key,
            certificates: Vec::new(),
        });
    }
    Err(malformed("PEM: no private key block"))
}

/// A SEC1 key in a legacy encrypted PEM (`Proc-Type: 4,ENCRYPTED`, `DEK-Info`), as
/// `openssl ec -aes256` writes it.
fn legacy_encrypted_sec1(block: &PemBlock, password: Option<&[u8]>) -> Result<PrivateKey> {
    let dek = block
        .headers
        .iter()
        .find_map(|h| h.strip_prefix("DEK-Info:"))
        .ok_or_else(|| malformed("PEM: encrypted key without a DEK-Info header"))?;
    let password = password.ok_or_else(|| {
        Error::new(
            ErrorKind::PasswordRequired,
            "the private key is encrypted: a password is required",
        )
    })?;
    let plain = pbe::legacy_pem_decrypt(dek, &block.der, password)?;
    pkcs8::parse_ec_private_key(&plain).map_err(|e| match e.kind() {
        ErrorKind::Unsupported => e,
        _ => Error::new(
            ErrorKind::WrongPassword,
            "decrypted data is not a private key (wrong password or corrupted file)",
        ),
    })
}

fn pem(label: &str, der: &[u8]) -> Zeroizing<String> {
    let b64 = Zeroizing::new(Base64::encode_string(der));
    let mut out = Zeroizing::new(String::with_capacity(b64.len() + b64.len() / 64 + 64));
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        // Base64 output is ASCII: every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

/// The key as DER PKCS#8 `PrivateKeyInfo` (curve sm2p256v1, public key included).
pub fn to_pkcs8_der(key: &PrivateKey) -> Zeroizing<Vec<u8>> {
    pkcs8::to_der(key)
}

/// The key as a `PRIVATE KEY` PEM.
pub fn to_pkcs8_pem(key: &PrivateKey) -> Zeroizing<String> {
    pem("PRIVATE KEY", &pkcs8::to_der(key))
}

/// The key as an `ENCRYPTED PRIVATE KEY` PEM: PBES2 with PBKDF2-HMAC-SM3 (OID
/// 1.2.156.10197.1.401.3.1, as OpenSSL writes it; random 16-byte salt,
/// [`crate::crypto::pbe::WRITE_ITERATIONS`] iterations) and SM4-CBC, the password used as given
/// (UTF-8 bytes). An empty password is an [`ErrorKind::InvalidArgument`].
pub fn to_encrypted_pkcs8_pem(key: &PrivateKey, password: &[u8]) -> Result<String> {
    if password.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            "an empty password would not protect the key",
        ));
    }
    let der = pkcs8::to_encrypted_der(key, password)?;
    Ok(pem("ENCRYPTED PRIVATE KEY", &der).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips() {
        let k = PrivateKey::generate().unwrap();
        let pem = to_pkcs8_pem(&k);
        let k2 = load_private_key(pem.as_bytes(), None).unwrap();
        assert_eq!(k.to_bytes().as_ref(), k2.to_bytes().as_ref());
        let enc = to_encrypted_pkcs8_pem(&k, b"pass").unwrap();
        assert!(enc.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        let k3 = load_private_key(enc.as_bytes(), Some(b"pass")).unwrap();
        assert_eq!(k.to_bytes().as_ref(), k3.to_bytes().as_ref());
        assert_eq!(
            load_private_key(enc.as_bytes(), None).unwrap_err().kind(),
            ErrorKind::PasswordRequired
        );
        // CRLF line ends and surrounding text are fine.
        let crlf = format!("key:\r\n{}", pem.replace('\n', "\r\n"));
        let k5 = load_private_key(crlf.as_bytes(), None).unwrap();
        assert_eq!(k.to_bytes().as_ref(), k5.to_bytes().as_ref());
        // Bare Base64 of the DER loads too.
        let b64 = Base64::encode_string(&to_pkcs8_der(&k));
        let k4 = load_private_key(b64.as_bytes(), None).unwrap();
        assert_eq!(k.to_bytes().as_ref(), k4.to_bytes().as_ref());
        assert_eq!(
            load_private_key(b"hello world", None).unwrap_err().kind(),
            ErrorKind::MalformedKeyFile
        );
    }
}
