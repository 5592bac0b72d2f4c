//! PKCS#12 / PFX files (RFC 7292) holding an SM2 key and its certificates.
//!
//! Reads password-integrity PFX files (RFC 7292 §4): the MAC (§5.1 `MacData`, key from the
//! PKCS#12 KDF of Appendix B with SHA-1, SHA-2 or SM3, or PBMAC1 with PBKDF2 as in RFC 9579) is
//! checked first, so a wrong password is reported as such and never yields a garbage key. The
//! authenticated safe may hold plain `data` and `encryptedData` contents (PBES2 or the PKCS#12 PBE schemes of Appendix C, see
//! [`crate::crypto::pbe`]); bags read are keyBag, pkcs8ShroudedKeyBag, certBag (X.509) and
//! safeContentsBag (§4.2). Public-key integrity and privacy modes (signedData, envelopedData)
//! are not supported.
//!
//! Producers such as Bouncy Castle write BER with indefinite lengths and constructed OCTET
//! STRINGs (X.690 §8.1.3.6, §8.7.3); [`ber_to_der`] rewrites those parts into definite form
//! and copies every definite-length element it does not need to change byte for byte, so
//! certificates come out exactly as they were signed.

use crate::asn1::{self, Reader};
use crate::crypto::pbe::{self, Hash};
use crate::crypto::pkcs8;
use crate::crypto::sm2::{PrivateKey, PublicKey};
use crate::error::{Error, ErrorKind, Result};
use zeroize::Zeroizing;

use crate::oid::{
    CERT_BAG as OID_CERT_BAG, ID_DATA as OID_DATA, ID_ENCRYPTED_DATA as OID_ENCRYPTED_DATA,
    ID_ENVELOPED_DATA as OID_ENVELOPED_DATA, ID_PBMAC1 as OID_PBMAC1,
    ID_SIGNED_DATA as OID_SIGNED_DATA, KEY_BAG as OID_KEY_BAG,
    PKCS8_SHROUDED_KEY_BAG as OID_SHROUDED_KEY_BAG, SAFE_CONTENTS_BAG as OID_SAFE_CONTENTS_BAG,
    X509_CERTIFICATE as OID_X509_CERTIFICATE,
};

/// Deepest nesting accepted in BER input and of safeContentsBags.
const MAX_DEPTH: usize = 32;

/// Largest PKCS#12 file accepted.
pub const MAX_FILE_LEN: usize = 16 * 1024 * 1024;

fn malformed(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedKeyFile, format!("PKCS#12: {msg}"))
}

/// One BER header: tag, header length and definite length (None for indefinite).
fn read_header(input: &[u8]) -> Result<(u8, usize, Option<usize>)> {
    let tag = *input.first().ok_or_else(|| malformed("unexpected end"))?;
    if tag & 0x1f == 0x1f {
        return Err(malformed("multi-byte tags are not supported"));
    }
    let first = *input.get(1).ok_or_else(|| malformed("missing length"))?;
    if first < 0x80 {
        return Ok((tag, 2, Some(first as usize)));
    }
    let n = (first & 0x7f) as usize;
    if n == 0 {
        if tag & 0x20 == 0 {
            return Err(malformed("indefinite length on a primitive element"));
        }
        return Ok((tag, 2, None));
    }
    if n > 4 {
        return Err(malformed("length too large"));
    }
    let bytes = input
        .get(2..2 + n)
        .ok_or_else(|| malformed("truncated length"))?;
    let len = bytes.iter().fold(0usize, |a, &b| (a << 8) | b as usize);
    Ok((tag, 2 + n, Some(len)))
}

/// Normalizes the element at the front of `input` into `out`; returns the bytes consumed.
fn normalize(input: &[u8], depth: usize, out: &mut Vec<u8>) -> Result<usize> {
    if depth > MAX_DEPTH {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            "PKCS#12: BER nesting too deep",
        ));
    }
    let (tag, hdr, len) = read_header(input)?;
    let body_end = match len {
        Some(l) => Some(
            hdr.checked_add(l)
                .filter(|&e| e <= input.len())
                .ok_or_else(|| malformed("length exceeds the input (truncated)"))?,
        ),
        None => None,
    };
    if tag & 0x20 == 0 {
        // Primitive: definite by construction of read_header.
        let end = body_end.ok_or_else(|| malformed("indefinite primitive"))?;
        out.extend_from_slice(&input[..end]);
        return Ok(end);
    }
    let region = match body_end {
        Some(end) => &input[hdr..end],
        None => &input[hdr..],
    };
    // Children are normalized straight into `out`, after which the header is put in front
    // of them: no per-level buffers, so memory stays linear in the input.
    let start = out.len();
    let mut pos = 0;
    // Bounds of each child in `out`, kept only for constructed OCTET STRINGs.
    let mut segments: Vec<(usize, usize)> = Vec::new();
    loop {
        if body_end.is_none() {
            if region.len() < pos + 2 {
                return Err(malformed("missing end-of-contents (truncated)"));
            }
            if region[pos] == 0 && region[pos + 1] == 0 {
                pos += 2;
                break;
            }
        } else if pos == region.len() {
            break;
        }
        let child_start = out.len();
        pos += normalize(&region[pos..], depth + 1, out)?;
        if tag == 0x24 {
            segments.push((child_start, out.len()));
        }
    }
    let consumed = hdr + pos;
    if tag == 0x24 {
        // Constructed OCTET STRING: concatenate the segments (X.690 §8.7.3).
        let mut data = Zeroizing::new(Vec::with_capacity(out.len() - start));
        for &(s, e) in &segments {
            let (t, body, rest) = asn1::read_tlv(&out[s..e])?;
            if t != asn1::OCTET_STRING || !rest.is_empty() {
                return Err(malformed("bad segment in a constructed OCTET STRING"));
            }
            data.extend_from_slice(body);
        }
        out.truncate(start);
        asn1::write_tlv(out, asn1::OCTET_STRING, &data);
    } else if body_end.is_some() && &out[start..] == region {
        out.splice(start..start, input[..hdr].iter().copied());
    } else {
        let mut header = vec![tag];
        asn1::write_len(&mut header, out.len() - start);
        out.splice(start..start, header);
    }
    Ok(consumed)
}

/// Rewrites BER into DER where needed: indefinite lengths become definite and constructed
/// OCTET STRINGs become primitive. Definite-length elements that need no change are copied
/// unchanged. The input must be exactly one element.
pub fn ber_to_der(input: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    // Room for a few grown headers, so the buffer (which may hold key bytes) is rarely moved.
    let mut out = Zeroizing::new(Vec::with_capacity(input.len() + 256));
    let used = normalize(input, 0, &mut out)?;
    if used != input.len() {
        return Err(malformed("trailing data after the PFX"));
    }
    Ok(out)
}

/// True when `bytes` look like a PFX: a SEQUENCE (any length form) starting with INTEGER 3.
pub(crate) fn looks_like_pfx(bytes: &[u8]) -> bool {
    let Ok((tag, hdr, _)) = read_header(bytes) else {
        return false;
    };
    tag == asn1::SEQUENCE && bytes.get(hdr..hdr + 3) == Some(&[asn1::INTEGER, 1, 3])
}

/// What a PFX holds.
#[derive(Debug)]
pub struct Pkcs12Contents {
    /// The first SM2 private key found.
    pub key: PrivateKey,
    /// DER certificates: the one whose public key matches the key first, then its issuers in
    /// chain order when present, then the rest in file order.
    pub certificates: Vec<Vec<u8>>,
}

/// One password candidate: the bytes used by PBES2 and the BMPString used by the PKCS#12 KDF.
struct Password<'a> {
    utf8: &'a [u8],
    bmp: Zeroizing<Vec<u8>>,
}

struct Collected {
    keys: Vec<PrivateKey>,
    certs: Vec<Vec<u8>>,
    unsupported_key: Option<Error>,
}

/// Reads a PFX with `password` (None: try the empty password as OpenSSL and Java write it).
pub fn parse(bytes: &[u8], password: Option<&[u8]>) -> Result<Pkcs12Contents> {
    if bytes.len() > MAX_FILE_LEN {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            "PKCS#12 file larger than 16 MiB",
        ));
    }
    let der = ber_to_der(bytes)?;
    let mut r = Reader::new(&der)
        .read_sequence()
        .map_err(|_| malformed("not a SEQUENCE"))?;
    if r.read_small_int().map_err(|_| malformed("bad version"))? != 3 {
        return Err(malformed("version must be 3"));
    }
    let mut auth = r
        .read_sequence()
        .map_err(|_| malformed("bad authSafe ContentInfo"))?;
    let ct = auth.read_oid().map_err(|_| malformed("bad content type"))?;
    match ct.as_str() {
        OID_DATA => {}
        OID_SIGNED_DATA => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                "PKCS#12 public-key integrity mode (signedData) is not supported",
            ));
        }
        _ => return Err(malformed("authSafe is not data")),
    }
    let auth_octets = auth
        .read(asn1::context(0))
        .and_then(|b| Reader::new(b).read(asn1::OCTET_STRING))
        .map_err(|_| malformed("bad authSafe content"))?;
    let mac_data = r.read_optional(asn1::SEQUENCE)?;
    r.finish()
        .map_err(|_| malformed("trailing data in the PFX"))?;

    let candidates: Vec<Password<'_>> = match password {
        Some(p) => vec![Password {
            utf8: p,
            bmp: pbe::bmp_password(p),
        }],
        None => vec![
            Password {
                utf8: b"",
                bmp: pbe::bmp_password(b""),
            },
            Password {
                utf8: b"",
                bmp: Zeroizing::new(Vec::new()),
            },
        ],
    };
    let chosen = match mac_data {
        Some(m) => {
            let i = check_mac(m.body, auth_octets, &candidates)?;
            match i {
                Some(i) => &candidates[i],
                None if password.is_none() => {
                    return Err(Error::new(
                        ErrorKind::PasswordRequired,
                        "the PKCS#12 file is protected: a password is required",
                    ));
                }
                None => {
                    return Err(Error::new(
                        ErrorKind::WrongPassword,
                        "PKCS#12 MAC does not verify (wrong password or corrupted file)",
                    ));
                }
            }
        }
        None => &candidates[0],
    };

    let mut got = Collected {
        keys: Vec::new(),
        certs: Vec::new(),
        unsupported_key: None,
    };
    let safe = ber_to_der(auth_octets)?;
    let mut list = Reader::new(&safe)
        .read_sequence()
        .map_err(|_| malformed("AuthenticatedSafe is not a SEQUENCE"))?;
    while !list.is_empty() {
        let mut ci = list
            .read_sequence()
            .map_err(|_| malformed("bad ContentInfo"))?;
        let oid = ci.read_oid().map_err(|_| malformed("bad content type"))?;
        let content = ci
            .read(asn1::context(0))
            .map_err(|_| malformed("missing content"))?;
        match oid.as_str() {
            OID_DATA => {
                let octets = Reader::new(content)
                    .read(asn1::OCTET_STRING)
                    .map_err(|_| malformed("data content is not an OCTET STRING"))?;
                safe_contents(octets, chosen, password.is_some(), 0, &mut got)?;
            }
            OID_ENCRYPTED_DATA => {
                let plain = encrypted_data(content, chosen, password.is_some())?;
                safe_contents(&plain, chosen, password.is_some(), 0, &mut got)?;
            }
            OID_ENVELOPED_DATA => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    "PKCS#12 public-key privacy mode (envelopedData) is not supported",
                ));
            }
            _ => return Err(malformed("unknown content type in AuthenticatedSafe")),
        }
    }
    // Cloned, not moved out: a move would leave the scalar's bytes in the Vec's freed buffer,
    // while the originals left in place are zeroized when the Vec drops them.
    let key = match got.keys.first() {
        Some(k) => k.clone(),
        None => {
            return Err(got
                .unsupported_key
                .unwrap_or_else(|| malformed("no private key in the file")));
        }
    };
    let certificates = order_certificates(&key, got.certs);
    Ok(Pkcs12Contents { key, certificates })
}

/// Checks the MAC with each candidate; returns the index of the one that verifies.
fn check_mac(mac_data: &[u8], auth: &[u8], candidates: &[Password<'_>]) -> Result<Option<usize>> {
    let mut r = Reader::new(mac_data);
    let mut digest_info = r.read_sequence().map_err(|_| malformed("bad MacData"))?;
    let mut alg = digest_info
        .read_sequence()
        .map_err(|_| malformed("bad MAC algorithm"))?;
    let oid = alg
        .read_oid()
        .map_err(|_| malformed("bad MAC algorithm OID"))?;
    let mac = digest_info
        .read(asn1::OCTET_STRING)
        .map_err(|_| malformed("bad MAC value"))?;
    let salt = r
        .read(asn1::OCTET_STRING)
        .map_err(|_| malformed("bad MAC salt"))?;
    let iter = match r.read_optional(asn1::INTEGER)? {
        Some(e) => asn1::int_to_i64(e.body).map_err(|_| malformed("bad MAC iterations"))?,
        None => 1,
    };
    if iter < 1 {
        return Err(malformed("bad MAC iterations"));
    }
    if iter as u64 > pbe::MAX_ITERATIONS {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!("MAC iteration count {iter} exceeds the limit"),
        ));
    }
    if oid == OID_PBMAC1 {
        // RFC 9579: PBMAC1 with PBKDF2 over the UTF-8 password; macSalt and iterations of
        // MacData are not used.
        let mut params = alg
            .read_sequence()
            .map_err(|_| malformed("bad PBMAC1 parameters"))?;
        let kdf = params
            .read_sequence()
            .map_err(|_| malformed("bad PBMAC1 key derivation"))?;
        let mut scheme = params
            .read_sequence()
            .map_err(|_| malformed("bad PBMAC1 message authentication scheme"))?;
        let kdf = pbe::parse_pbkdf2(kdf)?;
        let scheme_oid = scheme
            .read_oid()
            .map_err(|_| malformed("bad PBMAC1 MAC OID"))?;
        let mac_hash = Hash::from_hmac_oid(&scheme_oid).ok_or_else(|| {
            Error::new(
                ErrorKind::Unsupported,
                format!("PBMAC1 MAC {scheme_oid} is not supported"),
            )
        })?;
        let key_len = kdf.key_len.unwrap_or(mac_hash.output_len());
        for (i, c) in candidates.iter().enumerate() {
            let mut key = Zeroizing::new(vec![0u8; key_len]);
            kdf.prf.pbkdf2(c.utf8, kdf.salt, kdf.iterations, &mut key);
            if ct_eq(&mac_hash.hmac(&key, auth), mac) {
                return Ok(Some(i));
            }
        }
        return Ok(None);
    }
    let hash = Hash::from_digest_oid(&oid).ok_or_else(|| {
        Error::new(
            ErrorKind::Unsupported,
            format!("PKCS#12 MAC digest {oid} is not supported"),
        )
    })?;
    for (i, c) in candidates.iter().enumerate() {
        let key = pbe::pkcs12_kdf(hash, &c.bmp, salt, 3, iter as u32, hash.output_len());
        let got = hash.hmac(&key, auth);
        if ct_eq(&got, mac) {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn decrypt_error(e: Error, have_password: bool) -> Error {
    if !have_password && e.kind() == ErrorKind::WrongPassword {
        Error::new(
            ErrorKind::PasswordRequired,
            "the PKCS#12 file is encrypted: a password is required",
        )
    } else {
        e
    }
}

/// Decrypts an `EncryptedData` (RFC 5652 §8) content.
fn encrypted_data(
    content: &[u8],
    pw: &Password<'_>,
    have_password: bool,
) -> Result<Zeroizing<Vec<u8>>> {
    let mut ed = Reader::new(content)
        .read_sequence()
        .map_err(|_| malformed("bad EncryptedData"))?;
    ed.read_small_int()
        .map_err(|_| malformed("bad EncryptedData version"))?;
    let mut eci = ed
        .read_sequence()
        .map_err(|_| malformed("bad EncryptedContentInfo"))?;
    eci.read_oid().map_err(|_| malformed("bad content type"))?;
    let alg = eci
        .read_element(asn1::SEQUENCE)
        .map_err(|_| malformed("bad content encryption algorithm"))?;
    let data: Vec<u8> = match eci.peek_tag() {
        Some(t) if t == asn1::context_primitive(0) => eci.read_any()?.body.to_vec(),
        Some(t) if t == asn1::context(0) => {
            // BER constructed [0] IMPLICIT OCTET STRING: concatenate the segments.
            let e = eci.read_any()?;
            let mut segs = e.reader();
            let mut v = Vec::with_capacity(e.body.len());
            while !segs.is_empty() {
                v.extend_from_slice(
                    segs.read(asn1::OCTET_STRING)
                        .map_err(|_| malformed("bad encrypted content segment"))?,
                );
            }
            v
        }
        _ => return Err(malformed("missing encrypted content")),
    };
    pbe::decrypt_with(alg.raw, &data, pw.utf8, &pw.bmp).map_err(|e| decrypt_error(e, have_password))
}

/// Reads a `SafeContents` (SEQUENCE OF SafeBag), possibly BER.
fn safe_contents(
    bytes: &[u8],
    pw: &Password<'_>,
    have_password: bool,
    depth: usize,
    got: &mut Collected,
) -> Result<()> {
    if depth > 8 {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            "PKCS#12: safeContentsBags nested too deep",
        ));
    }
    let der = ber_to_der(bytes).map_err(|e| {
        if e.kind() == ErrorKind::LimitExceeded {
            e
        } else {
            malformed("bad SafeContents")
        }
    })?;
    let mut bags = Reader::new(&der)
        .read_sequence()
        .map_err(|_| malformed("SafeContents is not a SEQUENCE"))?;
    while !bags.is_empty() {
        let mut bag = bags.read_sequence().map_err(|_| malformed("bad SafeBag"))?;
        let oid = bag.read_oid().map_err(|_| malformed("bad bag type"))?;
        let value = bag
            .read(asn1::context(0))
            .map_err(|_| malformed("bad bag value"))?;
        // bagAttributes (friendlyName, localKeyId) are not needed.
        match oid.as_str() {
            OID_KEY_BAG => {
                let pki = Reader::new(value)
                    .read_element(asn1::SEQUENCE)
                    .map_err(|_| malformed("bad keyBag"))?;
                match pkcs8::parse_private_key_info(pki.raw) {
                    Ok(k) => got.keys.push(k),
                    Err(e) if e.kind() == ErrorKind::Unsupported => {
                        got.unsupported_key.get_or_insert(e);
                    }
                    Err(e) => return Err(e),
                }
            }
            OID_SHROUDED_KEY_BAG => {
                let mut epki = Reader::new(value)
                    .read_sequence()
                    .map_err(|_| malformed("bad pkcs8ShroudedKeyBag"))?;
                let alg = epki
                    .read_element(asn1::SEQUENCE)
                    .map_err(|_| malformed("bad key encryption algorithm"))?;
                let data = epki
                    .read(asn1::OCTET_STRING)
                    .map_err(|_| malformed("bad encrypted key"))?;
                let plain = pbe::decrypt_with(alg.raw, data, pw.utf8, &pw.bmp)
                    .map_err(|e| decrypt_error(e, have_password))?;
                let plain = ber_to_der(&plain).map_err(|_| {
                    decrypt_error(
                        Error::new(ErrorKind::WrongPassword, "decrypted key is not DER"),
                        have_password,
                    )
                })?;
                match pkcs8::parse_private_key_info(&plain) {
                    Ok(k) => got.keys.push(k),
                    Err(e) if e.kind() == ErrorKind::Unsupported => {
                        got.unsupported_key.get_or_insert(e);
                    }
                    Err(_) => {
                        return Err(decrypt_error(
                            Error::new(
                                ErrorKind::WrongPassword,
                                "decrypted key does not parse (wrong password or corrupted file)",
                            ),
                            have_password,
                        ));
                    }
                }
            }
            OID_CERT_BAG => {
                let mut cb = Reader::new(value)
                    .read_sequence()
                    .map_err(|_| malformed("bad certBag"))?;
                let cert_type = cb
                    .read_oid()
                    .map_err(|_| malformed("bad certificate type"))?;
                if cert_type == OID_X509_CERTIFICATE {
                    let cert = cb
                        .read(asn1::context(0))
                        .and_then(|b| Reader::new(b).read(asn1::OCTET_STRING))
                        .map_err(|_| malformed("bad certificate value"))?;
                    got.certs.push(cert.to_vec());
                }
            }
            OID_SAFE_CONTENTS_BAG => {
                let inner = Reader::new(value)
                    .read_element(asn1::SEQUENCE)
                    .map_err(|_| malformed("bad safeContentsBag"))?;
                safe_contents(inner.raw, pw, have_password, depth + 1, got)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Issuer, subject (raw DER Names) and public key point of a certificate.
fn cert_fields(der: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let mut cert = Reader::new(der).read_sequence().ok()?;
    let mut tbs = cert.read_sequence().ok()?;
    tbs.read_optional(asn1::context(0)).ok()?;
    tbs.read(asn1::INTEGER).ok()?;
    tbs.read(asn1::SEQUENCE).ok()?;
    let issuer = tbs.read_element(asn1::SEQUENCE).ok()?.raw;
    tbs.read(asn1::SEQUENCE).ok()?;
    let subject = tbs.read_element(asn1::SEQUENCE).ok()?.raw;
    let mut spki = tbs.read_sequence().ok()?;
    spki.read(asn1::SEQUENCE).ok()?;
    let bits = spki.read(asn1::BIT_STRING).ok()?;
    let (&unused, point) = bits.split_first()?;
    (unused == 0).then_some((issuer, subject, point))
}

/// Puts the certificate matching `key` first, then its issuers, then the rest.
fn order_certificates(key: &PrivateKey, certs: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let matches = |c: &Vec<u8>| {
        cert_fields(c)
            .and_then(|(_, _, p)| PublicKey::from_sec1_bytes(p).ok())
            .is_some_and(|pk| key.matches_public(&pk))
    };
    let mut rest = certs;
    let Some(i) = rest.iter().position(matches) else {
        return rest;
    };
    let mut out = vec![rest.remove(i)];
    while let Some(last) = out.last() {
        let Some((issuer, subject, _)) = cert_fields(last) else {
            break;
        };
        if issuer == subject {
            break;
        }
        let issuer = issuer.to_vec();
        let Some(j) = rest
            .iter()
            .position(|c| cert_fields(c).is_some_and(|(_, s, _)| s == issuer.as_slice()))
        else {
            break;
        };
        out.push(rest.remove(j));
    }
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ber_normalization() {
        // SEQUENCE(indef) { INTEGER 3, OCTET STRING(constructed, indef) { "ab", "c" } }
        let ber = [
            0x30, 0x80, 0x02, 0x01, 0x03, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x04, 0x01, b'c',
            0x00, 0x00, 0x00, 0x00,
        ];
        let der = ber_to_der(&ber).unwrap();
        assert_eq!(
            der.as_slice(),
            &[0x30, 0x08, 0x02, 0x01, 0x03, 0x04, 0x03, b'a', b'b', b'c']
        );
        // Definite, non-minimal lengths are kept byte for byte.
        let odd = [0x30, 0x81, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(ber_to_der(&odd).unwrap().as_slice(), &odd);
        // A definite SEQUENCE around an indefinite one gets a new length; nested constructed
        // OCTET STRINGs flatten.
        let mixed = [
            0x30, 0x0d, 0x30, 0x80, 0x24, 0x80, 0x24, 0x03, 0x04, 0x01, b'x', 0x00, 0x00, 0x00,
        ];
        let mixed = [&mixed[..], &[0x00]].concat();
        assert_eq!(
            ber_to_der(&mixed).unwrap().as_slice(),
            &[0x30, 0x05, 0x30, 0x03, 0x04, 0x01, b'x']
        );
        assert!(ber_to_der(&ber[..ber.len() - 1]).is_err());
        assert!(ber_to_der(&[0x04, 0x80, 0x00, 0x00]).is_err());
        let mut deep = vec![];
        for _ in 0..100 {
            deep.extend_from_slice(&[0x30, 0x80]);
        }
        deep.extend(std::iter::repeat_n(0u8, 200));
        assert_eq!(
            ber_to_der(&deep).unwrap_err().kind(),
            ErrorKind::LimitExceeded
        );
    }
}
