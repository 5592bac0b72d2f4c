//! Password-based encryption of key files.
//!
//! - PBES2 with PBKDF2 (PKCS#5 v2.1, RFC 8018 §6.2 and §5.2; GM/T 0091-2020 for the SM3 PRF):
//!   PRFs HMAC-SHA1/-SHA224/-SHA256/-SHA384/-SHA512 and HMAC-SM3 (under both OIDs in use,
//!   `1.2.156.10197.1.401.3.1` as OpenSSL and GM/T 0091 Annex A.2 write it and
//!   `1.2.156.10197.1.401.2` as GmSSL, Bouncy Castle and GM/T 0091 Annex C write it), ciphers
//!   SM4-CBC, AES-128/192/256-CBC and DES-EDE3-CBC. The password is used as its bytes (UTF-8).
//! - The PKCS#12 legacy schemes (RFC 7292 Appendix C): pbeWithSHAAnd3-KeyTripleDES-CBC,
//!   pbeWithSHAAnd2-KeyTripleDES-CBC, pbeWithSHAAnd128BitRC2-CBC and pbeWithSHAAnd40BitRC2-CBC,
//!   with the PKCS#12 key derivation function (RFC 7292 Appendix B.2) over the password as a
//!   BMPString (UTF-16BE plus two zero bytes).
//!
//! A wrong password shows as bad padding or, when the padding happens to look right, as a
//! plaintext that does not parse: callers map both to [`ErrorKind::WrongPassword`]. Every
//! derived key and every plaintext buffer is zeroized on drop. Iteration counts are capped at
//! [`MAX_ITERATIONS`] so a hostile file cannot make loading take hours.

use crate::asn1::{self, Reader};
use crate::error::{Error, ErrorKind, Result};
use cipher::block_padding::Pkcs7;
use cipher::{BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt};
use cipher::{InnerIvInit, KeyInit};
use hmac::Mac;
use sha1::Digest;
use zeroize::Zeroizing;

use aes::cipher;

/// Highest PBKDF2 or PKCS#12 KDF iteration count accepted when reading.
pub const MAX_ITERATIONS: u64 = 10_000_000;

// PBES2, PBKDF2, hmacWithSM3 as OpenSSL (GM/T 0091-2020 Annex A.2) and as GmSSL and Bouncy
// Castle (Annex C) write it, SM4-CBC and the PKCS#12 PBE arc, from [`crate::oid`].
use crate::oid::{self, PKCS12_PBE_IDS_ARC as OID_PKCS12_PBE_ARC};
pub use crate::oid::{
    HMAC_SM3 as OID_HMAC_SM3, ID_PBES2 as OID_PBES2, ID_PBKDF2 as OID_PBKDF2,
    SM3_WITH_KEY as OID_HMAC_SM3_ALT, SM4_CBC as OID_SM4_CBC,
};

/// A hash function used by a PRF, a MAC or the PKCS#12 KDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    /// SHA-1.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SM3.
    Sm3,
}

impl Hash {
    /// The hash named by a digest-algorithm OID (as in a PKCS#12 MacData).
    pub fn from_digest_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            oid::ID_SHA1 => Hash::Sha1,
            oid::ID_SHA224 => Hash::Sha224,
            oid::ID_SHA256 => Hash::Sha256,
            oid::ID_SHA384 => Hash::Sha384,
            oid::ID_SHA512 => Hash::Sha512,
            oid::SM3 | oid::SM3_NO_KEY => Hash::Sm3,
            _ => return None,
        })
    }

    /// The hash of an HMAC PRF OID (RFC 8018 Appendix B.1, GM/T 0091).
    pub fn from_hmac_oid(oid: &str) -> Option<Hash> {
        Some(match oid {
            oid::ID_HMAC_WITH_SHA1 => Hash::Sha1,
            oid::ID_HMAC_WITH_SHA224 => Hash::Sha224,
            oid::ID_HMAC_WITH_SHA256 => Hash::Sha256,
            oid::ID_HMAC_WITH_SHA384 => Hash::Sha384,
            oid::ID_HMAC_WITH_SHA512 => Hash::Sha512,
            OID_HMAC_SM3 | OID_HMAC_SM3_ALT => Hash::Sm3,
            _ => return None,
        })
    }

    /// Output length in bytes (u in RFC 7292 Appendix B).
    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 => 28,
            Hash::Sha256 | Hash::Sm3 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    /// Input block length in bytes (v in RFC 7292 Appendix B).
    pub fn block_len(self) -> usize {
        match self {
            Hash::Sha384 | Hash::Sha512 => 128,
            _ => 64,
        }
    }

    /// `H^iterations(d || i)`, the inner loop of the PKCS#12 KDF.
    fn iterate(self, d: &[u8], i: &[u8], iterations: u32) -> Zeroizing<Vec<u8>> {
        fn run<D: Digest>(d: &[u8], i: &[u8], iterations: u32) -> Zeroizing<Vec<u8>> {
            let mut a = D::new().chain_update(d).chain_update(i).finalize();
            for _ in 1..iterations.max(1) {
                a = D::digest(&a);
            }
            let out = Zeroizing::new(a.to_vec());
            a.iter_mut().for_each(|b| *b = 0);
            out
        }
        match self {
            Hash::Sha1 => run::<sha1::Sha1>(d, i, iterations),
            Hash::Sha224 => run::<sha2::Sha224>(d, i, iterations),
            Hash::Sha256 => run::<sha2::Sha256>(d, i, iterations),
            Hash::Sha384 => run::<sha2::Sha384>(d, i, iterations),
            Hash::Sha512 => run::<sha2::Sha512>(d, i, iterations),
            Hash::Sm3 => run::<sm3::Sm3>(d, i, iterations),
        }
    }

    /// HMAC of `data` under `key`.
    pub fn hmac(self, key: &[u8], data: &[u8]) -> Zeroizing<Vec<u8>> {
        macro_rules! go {
            ($d:ty) => {{
                // HMAC accepts keys of any length: new_from_slice cannot fail.
                let mut m = match hmac::Hmac::<$d>::new_from_slice(key) {
                    Ok(m) => m,
                    Err(_) => return Zeroizing::new(Vec::new()),
                };
                m.update(data);
                Zeroizing::new(m.finalize().into_bytes().to_vec())
            }};
        }
        match self {
            Hash::Sha1 => go!(sha1::Sha1),
            Hash::Sha224 => go!(sha2::Sha224),
            Hash::Sha256 => go!(sha2::Sha256),
            Hash::Sha384 => go!(sha2::Sha384),
            Hash::Sha512 => go!(sha2::Sha512),
            Hash::Sm3 => go!(sm3::Sm3),
        }
    }

    /// PBKDF2 with HMAC over this hash (RFC 8018 §5.2).
    pub fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        use pbkdf2::pbkdf2_hmac;
        match self {
            Hash::Sha1 => pbkdf2_hmac::<sha1::Sha1>(password, salt, iterations, out),
            Hash::Sha224 => pbkdf2_hmac::<sha2::Sha224>(password, salt, iterations, out),
            Hash::Sha256 => pbkdf2_hmac::<sha2::Sha256>(password, salt, iterations, out),
            Hash::Sha384 => pbkdf2_hmac::<sha2::Sha384>(password, salt, iterations, out),
            Hash::Sha512 => pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, out),
            Hash::Sm3 => pbkdf2_hmac::<sm3::Sm3>(password, salt, iterations, out),
        }
    }
}

/// The password as a PKCS#12 BMPString: UTF-16BE code units then two zero bytes (RFC 7292
/// Appendix B.1). Bytes that are not UTF-8 are taken as Latin-1. An empty password gives just
/// the two zero bytes.
pub fn bmp_password(password: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    match std::str::from_utf8(password) {
        Ok(s) => {
            for u in s.encode_utf16() {
                out.extend_from_slice(&u.to_be_bytes());
            }
        }
        Err(_) => {
            for &b in password {
                out.extend_from_slice(&[0, b]);
            }
        }
    }
    out.extend_from_slice(&[0, 0]);
    out
}

/// PKCS#12 key derivation (RFC 7292 Appendix B.2): `n` bytes of purpose `id` (1 key, 2 IV,
/// 3 MAC key) from the BMP password, the salt and the iteration count.
pub fn pkcs12_kdf(
    hash: Hash,
    bmp_password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    n: usize,
) -> Zeroizing<Vec<u8>> {
    let u = hash.output_len();
    let v = hash.block_len();
    let d = vec![id; v];
    let fill = |src: &[u8]| -> Zeroizing<Vec<u8>> {
        if src.is_empty() {
            return Zeroizing::new(Vec::new());
        }
        let len = v * src.len().div_ceil(v);
        Zeroizing::new((0..len).map(|i| src[i % src.len()]).collect())
    };
    let s = fill(salt);
    let p = fill(bmp_password);
    let mut i_buf = Zeroizing::new(Vec::with_capacity(s.len() + p.len()));
    i_buf.extend_from_slice(&s);
    i_buf.extend_from_slice(&p);
    let mut out = Zeroizing::new(Vec::with_capacity(n + u));
    while out.len() < n {
        let a = hash.iterate(&d, &i_buf, iterations);
        out.extend_from_slice(&a);
        if out.len() >= n {
            break;
        }
        // B = A repeated to v bytes; each v-byte block I_j = (I_j + B + 1) mod 2^(8v).
        let b: Zeroizing<Vec<u8>> = Zeroizing::new((0..v).map(|k| a[k % u]).collect());
        for block in i_buf.chunks_mut(v) {
            let mut carry: u16 = 1;
            for k in (0..v).rev() {
                let sum = block[k] as u16 + b[k] as u16 + carry;
                block[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(n);
    out
}

fn malformed(msg: &str) -> Error {
    Error::new(ErrorKind::MalformedKeyFile, msg.to_string())
}

fn wrong_password() -> Error {
    Error::new(
        ErrorKind::WrongPassword,
        "decryption failed (wrong password or corrupted file)",
    )
}

fn iterations(body: &[u8]) -> Result<u32> {
    let n = asn1::int_to_i64(body).map_err(|_| malformed("bad iteration count"))?;
    if n < 1 {
        return Err(malformed("iteration count must be positive"));
    }
    if n as u64 > MAX_ITERATIONS {
        return Err(Error::new(
            ErrorKind::LimitExceeded,
            format!("iteration count {n} exceeds the limit of {MAX_ITERATIONS}"),
        ));
    }
    Ok(n as u32)
}

/// CBC decryption with PKCS#7 padding; a padding error is a wrong password.
fn cbc_decrypt<C>(cipher: C, iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>>
where
    C: BlockCipherDecrypt,
    cbc::Decryptor<C>: InnerIvInit<Inner = C>,
{
    let dec = cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|_| malformed("bad IV length"))?;
    let mut buf = Zeroizing::new(data.to_vec());
    let len = dec
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| wrong_password())?
        .len();
    buf.truncate(len);
    Ok(buf)
}

fn cbc_encrypt<C>(cipher: C, iv: &[u8], data: &[u8]) -> Result<Vec<u8>>
where
    C: BlockCipherEncrypt,
    cbc::Encryptor<C>: InnerIvInit<Inner = C>,
{
    let enc = cbc::Encryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|_| Error::new(ErrorKind::InvalidArgument, "bad IV length"))?;
    let padded = (data.len() / 16 + 1) * 16;
    let mut buf = Zeroizing::new(vec![0u8; padded]);
    buf[..data.len()].copy_from_slice(data);
    let ct = enc
        .encrypt_padded::<Pkcs7>(&mut buf, data.len())
        .map_err(|_| Error::new(ErrorKind::InvalidArgument, "padding failed"))?;
    Ok(ct.to_vec())
}

fn new_cipher<C: KeyInit>(key: &[u8]) -> Result<C> {
    C::new_from_slice(key).map_err(|_| malformed("bad key length"))
}

/// A block cipher of PBES2's encryption scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cbc {
    Sm4,
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
    Des,
}

impl Cbc {
    fn from_oid(oid: &str) -> Option<Cbc> {
        Some(match oid {
            OID_SM4_CBC => Cbc::Sm4,
            oid::AES128_CBC => Cbc::Aes128,
            oid::AES192_CBC => Cbc::Aes192,
            oid::AES256_CBC => Cbc::Aes256,
            oid::DES_EDE3_CBC => Cbc::DesEde3,
            _ => return None,
        })
    }

    fn key_len(self) -> usize {
        match self {
            Cbc::Sm4 | Cbc::Aes128 => 16,
            Cbc::Aes192 | Cbc::DesEde3 => 24,
            Cbc::Aes256 => 32,
            Cbc::Des => 8,
        }
    }

    fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        match self {
            Cbc::Sm4 => cbc_decrypt(new_cipher::<sm4::Sm4>(key)?, iv, data),
            Cbc::Aes128 => cbc_decrypt(new_cipher::<aes::Aes128>(key)?, iv, data),
            Cbc::Aes192 => cbc_decrypt(new_cipher::<aes::Aes192>(key)?, iv, data),
            Cbc::Aes256 => cbc_decrypt(new_cipher::<aes::Aes256>(key)?, iv, data),
            Cbc::DesEde3 => cbc_decrypt(new_cipher::<des::TdesEde3>(key)?, iv, data),
            Cbc::Des => cbc_decrypt(new_cipher::<des::Des>(key)?, iv, data),
        }
    }
}

/// Decrypts `data` under the algorithm identifier `alg` (the whole `AlgorithmIdentifier`
/// SEQUENCE): PBES2 or one of the PKCS#12 PBE schemes. `password` is the password as given
/// (UTF-8 bytes); it is converted to a BMPString for the PKCS#12 schemes.
pub fn decrypt(alg: &[u8], data: &[u8], password: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    decrypt_with(alg, data, password, &bmp_password(password))
}

/// As [`decrypt`], with the BMPString form of the password given explicitly (PKCS#12 files
/// made without a password use an empty BMPString rather than the two zero bytes).
pub fn decrypt_with(
    alg: &[u8],
    data: &[u8],
    password: &[u8],
    bmp: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let mut outer = Reader::new(alg);
    let mut r = outer
        .read_sequence()
        .map_err(|_| malformed("bad encryption AlgorithmIdentifier"))?;
    let oid = r
        .read_oid()
        .map_err(|_| malformed("bad encryption algorithm OID"))?;
    if oid == OID_PBES2 {
        let params = r
            .read_sequence()
            .map_err(|_| malformed("bad PBES2 parameters"))?;
        pbes2_decrypt(params, data, password)
    } else if let Some(n) = oid.strip_prefix(OID_PKCS12_PBE_ARC) {
        let params = r
            .read_sequence()
            .map_err(|_| malformed("bad PKCS#12 PBE parameters"))?;
        pkcs12_pbe_decrypt(n, params, data, bmp)
    } else {
        Err(Error::new(
            ErrorKind::Unsupported,
            format!("key encryption algorithm {oid} is not supported"),
        ))
    }
}

/// PBES2 decryption (RFC 8018 §6.2.2).
/// PBKDF2 parameters (RFC 8018 Appendix A.2).
pub struct Pbkdf2Params<'a> {
    /// The salt (only the `specified` choice is supported).
    pub salt: &'a [u8],
    /// The iteration count, at most [`MAX_ITERATIONS`].
    pub iterations: u32,
    /// The key length, when given.
    pub key_len: Option<usize>,
    /// The HMAC hash of the PRF (HMAC-SHA1 by default).
    pub prf: Hash,
}

/// Reads a key-derivation `AlgorithmIdentifier` (the reader is inside its SEQUENCE), which
/// must be PBKDF2.
pub fn parse_pbkdf2<'a>(mut kdf: Reader<'a>) -> Result<Pbkdf2Params<'a>> {
    let bad = |m: &str| malformed(&format!("PBKDF2: {m}"));
    let kdf_oid = kdf.read_oid().map_err(|_| bad("bad KDF OID"))?;
    if kdf_oid != OID_PBKDF2 {
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!("key derivation {kdf_oid} is not supported (only PBKDF2)"),
        ));
    }
    let mut p = kdf.read_sequence().map_err(|_| bad("bad parameters"))?;
    let salt = p
        .read(asn1::OCTET_STRING)
        .map_err(|_| bad("salt must be an OCTET STRING"))?;
    let iterations = iterations(
        p.read(asn1::INTEGER)
            .map_err(|_| bad("missing iterations"))?,
    )?;
    let key_len = match p.read_optional(asn1::INTEGER)? {
        Some(e) => {
            let l = asn1::int_to_i64(e.body).map_err(|_| bad("bad key length"))?;
            if !(1..=128).contains(&l) {
                return Err(bad("key length out of range"));
            }
            Some(l as usize)
        }
        None => None,
    };
    let prf = match p.read_optional(asn1::SEQUENCE)? {
        Some(e) => {
            let oid = e.reader().read_oid().map_err(|_| bad("bad PRF OID"))?;
            Hash::from_hmac_oid(&oid).ok_or_else(|| {
                Error::new(
                    ErrorKind::Unsupported,
                    format!("PBKDF2 PRF {oid} is not supported"),
                )
            })?
        }
        None => Hash::Sha1,
    };
    Ok(Pbkdf2Params {
        salt,
        iterations,
        key_len,
        prf,
    })
}

/// PBES2 decryption (RFC 8018 §6.2.2).
fn pbes2_decrypt(
    mut params: Reader<'_>,
    data: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let bad = |m: &str| malformed(&format!("PBES2: {m}"));
    let kdf = params.read_sequence().map_err(|_| bad("bad KDF"))?;
    let mut enc = params
        .read_sequence()
        .map_err(|_| bad("bad encryption scheme"))?;
    let Pbkdf2Params {
        salt,
        iterations: iter,
        key_len,
        prf,
    } = parse_pbkdf2(kdf)?;
    let enc_oid = enc.read_oid().map_err(|_| bad("bad cipher OID"))?;
    let cipher = Cbc::from_oid(&enc_oid).ok_or_else(|| {
        Error::new(
            ErrorKind::Unsupported,
            format!("PBES2 cipher {enc_oid} is not supported"),
        )
    })?;
    let iv = enc
        .read(asn1::OCTET_STRING)
        .map_err(|_| bad("cipher IV must be an OCTET STRING"))?;
    if key_len.is_some_and(|l| l != cipher.key_len()) {
        return Err(bad("key length does not match the cipher"));
    }
    let mut key = Zeroizing::new(vec![0u8; cipher.key_len()]);
    prf.pbkdf2(password, salt, iter, &mut key);
    cipher.decrypt(&key, iv, data)
}

/// Decryption with a PKCS#12 PBE scheme (RFC 7292 Appendix C), `n` the last OID arc.
fn pkcs12_pbe_decrypt(
    n: &str,
    mut params: Reader<'_>,
    data: &[u8],
    pw: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let salt = params
        .read(asn1::OCTET_STRING)
        .map_err(|_| malformed("PKCS#12 PBE: bad salt"))?;
    let iter = iterations(
        params
            .read(asn1::INTEGER)
            .map_err(|_| malformed("PKCS#12 PBE: missing iterations"))?,
    )?;
    let (key_len, iv_len) = match n {
        "3" => (24, 8),
        "4" => (16, 8),
        "5" => (16, 8),
        "6" => (5, 8),
        _ => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("PKCS#12 PBE scheme 1.2.840.113549.1.12.1.{n} is not supported"),
            ));
        }
    };
    let key = pkcs12_kdf(Hash::Sha1, pw, salt, 1, iter, key_len);
    let iv = pkcs12_kdf(Hash::Sha1, pw, salt, 2, iter, iv_len);
    match n {
        "3" => cbc_decrypt(new_cipher::<des::TdesEde3>(&key)?, &iv, data),
        "4" => cbc_decrypt(new_cipher::<des::TdesEde2>(&key)?, &iv, data),
        "5" => cbc_decrypt(rc2::Rc2::new_with_eff_key_len(&key, 128), &iv, data),
        _ => cbc_decrypt(rc2::Rc2::new_with_eff_key_len(&key, 40), &iv, data),
    }
}

/// Decrypts the body of a legacy OpenSSL encrypted PEM (RFC 1421 `Proc-Type: 4,ENCRYPTED` with
/// a `DEK-Info: <cipher>,<hex IV>` header): the key is OpenSSL's `EVP_BytesToKey` with MD5, one
/// iteration and the first 8 bytes of the IV as salt. Ciphers: AES-128/192/256-CBC,
/// SM4-CBC, DES-EDE3-CBC and DES-CBC.
pub fn legacy_pem_decrypt(
    dek_info: &str,
    data: &[u8],
    password: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let (name, iv_hex) = dek_info
        .split_once(',')
        .ok_or_else(|| malformed("PEM: bad DEK-Info header"))?;
    let cipher = match name.trim().to_ascii_uppercase().as_str() {
        "AES-128-CBC" => Cbc::Aes128,
        "AES-192-CBC" => Cbc::Aes192,
        "AES-256-CBC" => Cbc::Aes256,
        "SM4-CBC" | "SM4" => Cbc::Sm4,
        "DES-EDE3-CBC" => Cbc::DesEde3,
        "DES-CBC" => Cbc::Des,
        other => {
            return Err(Error::new(
                ErrorKind::Unsupported,
                format!("PEM encryption {other} is not supported"),
            ));
        }
    };
    let iv_hex = iv_hex.trim();
    if iv_hex.len() % 2 != 0 || iv_hex.len() > 64 || !iv_hex.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return Err(malformed("PEM: bad DEK-Info IV"));
    }
    let iv: Vec<u8> = (0..iv_hex.len() / 2)
        .map(|i| u8::from_str_radix(&iv_hex[2 * i..2 * i + 2], 16).unwrap_or(0))
        .collect();
    let salt = iv
        .get(..8)
        .ok_or_else(|| malformed("PEM: DEK-Info IV too short"))?;
    let mut key = Zeroizing::new(Vec::with_capacity(cipher.key_len() + 16));
    let mut prev: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
    while key.len() < cipher.key_len() {
        let mut h = md5::Md5::new();
        h.update(&prev);
        h.update(password);
        h.update(salt);
        prev = Zeroizing::new(h.finalize().to_vec());
        key.extend_from_slice(&prev);
    }
    key.truncate(cipher.key_len());
    cipher.decrypt(&key, &iv, data)
}

/// Iterations used when writing PBES2.
pub const WRITE_ITERATIONS: u32 = 100_000;

/// Encrypts `data` with PBES2: PBKDF2-HMAC-SM3 (OID [`OID_HMAC_SM3`]) with a random 16-byte
/// salt and [`WRITE_ITERATIONS`], and SM4-CBC with a random IV. Returns the DER
/// `AlgorithmIdentifier` and the ciphertext.
pub fn pbes2_sm4_encrypt(data: &[u8], password: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    pbes2_sm4_encrypt_with(data, password, OID_HMAC_SM3, WRITE_ITERATIONS)
}

fn pbes2_sm4_encrypt_with(
    data: &[u8],
    password: &[u8],
    prf_oid: &str,
    iterations: u32,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let rng = |buf: &mut [u8]| {
        getrandom::fill(buf).map_err(|_| Error::new(ErrorKind::Rng, "operating system RNG failed"))
    };
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    rng(&mut salt)?;
    rng(&mut iv)?;
    let mut key = Zeroizing::new([0u8; 16]);
    let prf_hash = Hash::from_hmac_oid(prf_oid)
        .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "unknown PRF"))?;
    prf_hash.pbkdf2(password, &salt, iterations, key.as_mut());
    let ct = cbc_encrypt(new_cipher::<sm4::Sm4>(key.as_ref())?, &iv, data)?;

    let mut prf = Vec::new();
    asn1::write_oid(&mut prf, prf_oid)?;
    asn1::write_tlv(&mut prf, asn1::NULL, &[]);
    let mut pbkdf2 = Vec::new();
    asn1::write_tlv(&mut pbkdf2, asn1::OCTET_STRING, &salt);
    asn1::write_int(&mut pbkdf2, iterations as i64);
    asn1::write_tlv(&mut pbkdf2, asn1::SEQUENCE, &prf);
    let mut kdf = Vec::new();
    asn1::write_oid(&mut kdf, OID_PBKDF2)?;
    asn1::write_tlv(&mut kdf, asn1::SEQUENCE, &pbkdf2);
    let mut enc = Vec::new();
    asn1::write_oid(&mut enc, OID_SM4_CBC)?;
    asn1::write_tlv(&mut enc, asn1::OCTET_STRING, &iv);
    let mut params = Vec::new();
    asn1::write_tlv(&mut params, asn1::SEQUENCE, &kdf);
    asn1::write_tlv(&mut params, asn1::SEQUENCE, &enc);
    let mut alg = Vec::new();
    asn1::write_oid(&mut alg, OID_PBES2)?;
    asn1::write_tlv(&mut alg, asn1::SEQUENCE, &params);
    Ok((asn1::tlv(asn1::SEQUENCE, &alg), ct))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// RFC 6070 test vectors for PBKDF2-HMAC-SHA1.
    #[test]
    fn pbkdf2_sha1_rfc6070() {
        let mut out = [0u8; 20];
        Hash::Sha1.pbkdf2(b"password", b"salt", 2, &mut out);
        assert_eq!(hex(&out), "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
    }

    /// PKCS#12 KDF known answers, computed with OpenSSL 3.0 (`openssl kdf -kdfopt digest:SHA1
    /// -kdfopt hexpass:<BMP password> -kdfopt hexsalt:... -kdfopt id:N -kdfopt iter:N PKCS12KDF`).
    #[test]
    fn pkcs12_kdf_known_answers() {
        let pw = bmp_password(b"smeg");
        let salt = [0x0a, 0x58, 0xcf, 0x64, 0x53, 0x0d, 0x82, 0x3f];
        let k = pkcs12_kdf(Hash::Sha1, &pw, &salt, 1, 1, 24);
        assert_eq!(hex(&k), "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3");
        let iv = pkcs12_kdf(Hash::Sha1, &pw, &salt, 2, 1, 8);
        assert_eq!(hex(&iv), "79993dfe048d3b76");
        let pw = bmp_password(b"queeg");
        let salt = [0x16, 0x82, 0xc0, 0xfc, 0x5b, 0x3f, 0x7e, 0xc5];
        let m = pkcs12_kdf(Hash::Sm3, &pw, &salt, 3, 1000, 70);
        assert_eq!(
            hex(&m),
            "99524450eeff0e17b6d775b8d9a3f23895834b9d4461febe1b7537ceafcd1452cb79b57a95026fcd\
             2487e3b69aecceac95e1cd3a0c838f0e6891f191c2586e4124d96304fc76"
        );
        let mut salt = [0u8; 70];
        salt[69] = 7;
        let k = pkcs12_kdf(Hash::Sha512, &pw, &salt, 1, 3, 40);
        assert_eq!(
            hex(&k),
            "90821afcfc25a88db3de1811a17d837b0a6e29c71a4fc49801b30fa7445c985b468f76a0b7312e7d"
        );
    }

    /// PBKDF2-HMAC-SM3, computed with OpenSSL 3.0 (`openssl kdf -keylen 16 -kdfopt digest:SM3
    /// -kdfopt pass:password -kdfopt salt:salt -kdfopt iter:1000 PBKDF2`).
    #[test]
    fn pbkdf2_sm3_known_answer() {
        let mut out = [0u8; 16];
        Hash::Sm3.pbkdf2(b"password", b"salt", 1000, &mut out);
        assert_eq!(hex(&out), "e8b635a41dfe5aaab7cf828cff6f3608");
    }

    #[test]
    fn bmp() {
        assert_eq!(bmp_password(b"ab").as_slice(), &[0, b'a', 0, b'b', 0, 0]);
        assert_eq!(bmp_password(b"").as_slice(), &[0, 0]);
        assert_eq!(
            bmp_password("中".as_bytes()).as_slice(),
            &[0x4e, 0x2d, 0, 0]
        );
    }

    /// Both hmacWithSM3 OIDs in use are read; other PRFs are keyed by their own OID.
    #[test]
    fn pbes2_prf_oids() {
        for oid in [OID_HMAC_SM3, OID_HMAC_SM3_ALT, oid::ID_HMAC_WITH_SHA256] {
            let (alg, ct) = pbes2_sm4_encrypt_with(b"data", b"pw", oid, 1000).unwrap();
            assert_eq!(
                decrypt(&alg, &ct, b"pw").unwrap().as_slice(),
                b"data",
                "{oid}"
            );
        }
        // The SM3 PRF really is HMAC-SM3: a file keyed with HMAC-SHA256 does not decrypt when
        // read as HMAC-SM3 (compare the keys each derives).
        let mut k1 = [0u8; 16];
        let mut k2 = [0u8; 16];
        Hash::Sm3.pbkdf2(b"pw", b"salt", 10, &mut k1);
        Hash::Sha256.pbkdf2(b"pw", b"salt", 10, &mut k2);
        assert_ne!(k1, k2);
        // Hostile iteration counts are refused before any work.
        assert_eq!(
            iterations(&[0x7f, 0xff, 0xff, 0xff]).unwrap_err().kind(),
            ErrorKind::LimitExceeded
        );
    }

    #[test]
    fn pbes2_round_trip() {
        let (alg, ct) = pbes2_sm4_encrypt(b"secret data", b"pw").unwrap();
        assert_eq!(
            decrypt(&alg, &ct, b"pw").unwrap().as_slice(),
            b"secret data"
        );
        // A wrong password almost always fails the padding check.
        match decrypt(&alg, &ct, b"px") {
            Err(e) => assert_eq!(e.kind(), ErrorKind::WrongPassword),
            Ok(p) => assert_ne!(p.as_slice(), b"secret data"),
        }
    }
}
