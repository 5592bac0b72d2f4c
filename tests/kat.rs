//! Known-answer tests from the standards (test-vectors/kat/vectors.json, sources in its
//! README): SM3 (GB/T 32905 Annex A), SM4 (GB/T 32907 Annex A) and the SM2 signature example on
//! the recommended curve (GM/T 0003.5 / GB/T 32918.5 Annex A).

mod common;

use common::{unhex, vectors_dir};
use eseal::crypto::sm2::{ORDER, PrivateKey, PublicKey, Signature};
use serde::Deserialize;

#[derive(Deserialize)]
struct Kat {
    sm3: Vec<Sm3Kat>,
    sm4: Vec<Sm4Kat>,
    sm2_sign: Vec<Sm2Kat>,
}

#[derive(Deserialize)]
struct Sm3Kat {
    source: String,
    msg_hex: String,
    digest_hex: String,
}

#[derive(Deserialize)]
struct Sm4Kat {
    source: String,
    key_hex: String,
    plaintext_hex: String,
    iterations: u32,
    ciphertext_hex: String,
}

#[derive(Deserialize)]
struct Sm2Kat {
    source: String,
    private_key_hex: String,
    public_key_hex: String,
    id_ascii: String,
    msg_ascii: String,
    za_hex: String,
    e_hex: String,
    k_hex: String,
    x1_hex: String,
    y1_hex: String,
    r_hex: String,
    s_hex: String,
}

fn kat() -> Kat {
    let p = vectors_dir("kat").join("vectors.json");
    serde_json::from_slice(&common::read(&p)).expect("kat/vectors.json")
}

fn arr32(h: &str) -> [u8; 32] {
    unhex(h).try_into().expect("32 bytes")
}

#[test]
fn sm3_standard_examples() {
    let k = kat();
    assert_eq!(k.sm3.len(), 2);
    for v in &k.sm3 {
        let msg = unhex(&v.msg_hex);
        let want = arr32(&v.digest_hex);
        assert_eq!(eseal::crypto::sm3(&msg), want, "{}", v.source);
        assert_eq!(
            eseal::crypto::sm3::sm3_reader(&msg[..]).unwrap(),
            want,
            "{} (streaming)",
            v.source
        );
    }
}

fn sm4_encrypt_iterated(v: &Sm4Kat) -> [u8; 16] {
    use sm4::cipher::{BlockCipherEncrypt, KeyInit};
    let key: [u8; 16] = unhex(&v.key_hex).try_into().unwrap();
    let pt: [u8; 16] = unhex(&v.plaintext_hex).try_into().unwrap();
    let c = sm4::Sm4::new(&key.into());
    let mut block = pt.into();
    for _ in 0..v.iterations {
        c.encrypt_block(&mut block);
    }
    block.into()
}

/// The SM4 implementation eseal links (the `sm4` crate) against GB/T 32907 example 1.
#[test]
fn sm4_standard_example_one_block() {
    let k = kat();
    let v = k.sm4.iter().find(|v| v.iterations == 1).expect("example 1");
    let want: [u8; 16] = unhex(&v.ciphertext_hex).try_into().unwrap();
    assert_eq!(sm4_encrypt_iterated(v), want, "{}", v.source);
}

/// GB/T 32907 example 2 (1,000,000 encryptions). About a second in debug builds with the
/// dependencies optimised; CI runs it with `cargo test --test kat -- --ignored`.
#[test]
#[ignore]
fn sm4_standard_example_million_iterations() {
    let k = kat();
    let v = k
        .sm4
        .iter()
        .find(|v| v.iterations == 1_000_000)
        .expect("example 2");
    let want: [u8; 16] = unhex(&v.ciphertext_hex).try_into().unwrap();
    assert_eq!(sm4_encrypt_iterated(v), want, "{}", v.source);
}

/// (a + b) mod n for a, b < 2^256, big-endian; enough to check r = (e + x1) mod n.
fn add_mod_n(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let mut sum = [0u8; 33];
    let mut carry = 0u16;
    for i in (0..32).rev() {
        let t = a[i] as u16 + b[i] as u16 + carry;
        sum[i + 1] = t as u8;
        carry = t >> 8;
    }
    sum[0] = carry as u8;
    let mut n = [0u8; 33];
    n[1..].copy_from_slice(&ORDER);
    // Both inputs are < 2^256 < 2n, so one subtraction suffices.
    while sum >= n {
        let mut borrow = 0i16;
        for i in (0..33).rev() {
            let t = sum[i] as i16 - n[i] as i16 - borrow;
            sum[i] = t.rem_euclid(256) as u8;
            borrow = if t < 0 { 1 } else { 0 };
        }
    }
    sum[1..].try_into().unwrap()
}

#[test]
fn sm2_standard_signature_example() {
    let k = kat();
    assert!(!k.sm2_sign.is_empty());
    for v in &k.sm2_sign {
        let src = &v.source;
        let id = v.id_ascii.as_bytes();
        let msg = v.msg_ascii.as_bytes();
        // The published key pair: d·G is the published public key.
        let sk = PrivateKey::from_bytes(&unhex(&v.private_key_hex)).unwrap();
        let pk = PublicKey::from_sec1_bytes(&unhex(&v.public_key_hex)).unwrap();
        assert_eq!(sk.public_key(), &pk, "{src}: d·G");
        // Z_A and e.
        assert_eq!(pk.z(id).unwrap(), arr32(&v.za_hex), "{src}: Z_A");
        let e = pk.digest(id, msg).unwrap();
        assert_eq!(e, arr32(&v.e_hex), "{src}: e");
        // The nonce point (x1, y1) = k·G and r = (e + x1) mod n.
        let kg = PrivateKey::from_bytes(&unhex(&v.k_hex)).unwrap();
        assert_eq!(kg.public_key().x(), &arr32(&v.x1_hex)[..], "{src}: x1");
        assert_eq!(kg.public_key().y(), &arr32(&v.y1_hex)[..], "{src}: y1");
        let r = arr32(&v.r_hex);
        let s = arr32(&v.s_hex);
        assert_eq!(add_mod_n(&e, &arr32(&v.x1_hex)), r, "{src}: r = e + x1");
        // The published (r, s) verifies, raw and DER, through every entry point.
        let sig = Signature::from_scalars(r, s).unwrap();
        pk.verify(id, msg, &sig).unwrap();
        pk.verify_digest(&e, &sig).unwrap();
        let mut raw = r.to_vec();
        raw.extend_from_slice(&s);
        assert_eq!(Signature::from_bytes(&raw).unwrap(), sig);
        assert_eq!(Signature::from_bytes(&sig.to_der()).unwrap(), sig);
        if v.id_ascii.as_bytes() == eseal::crypto::DEFAULT_ID {
            pk.verify_default(msg, &sig).unwrap();
        }
        // And it fails when anything changes.
        assert!(pk.verify(b"ALICE123@YAHOO.COM", msg, &sig).is_err());
        assert!(pk.verify(b"", msg, &sig).is_err());
        assert!(pk.verify(id, b"message digesT", &sig).is_err());
        let mut s2 = s;
        s2[31] ^= 1;
        let bad = Signature::from_scalars(r, s2).unwrap();
        assert!(pk.verify(id, msg, &bad).is_err());
        let other = PrivateKey::generate().unwrap();
        assert!(other.public_key().verify(id, msg, &sig).is_err());
    }
}

#[test]
fn add_mod_n_wraps() {
    let mut n_minus_1 = ORDER;
    n_minus_1[31] -= 1;
    let mut two = [0u8; 32];
    two[31] = 2;
    let mut one = [0u8; 32];
    one[31] = 1;
    assert_eq!(add_mod_n(&n_minus_1, &two), one);
    assert_eq!(add_mod_n(&one, &two)[31], 3);
}
