//! Signers: a software key (PEM/DER key file or PKCS#12) or an external device reached through
//! a callback, each bound to its SM2 certificate; and plain SM2 signatures over data.
//!
//! A signer computes `e = SM3(Z_A || M)` itself (GB/T 32918.2 §6.1, default user ID
//! `1234567812345678` per GM/T 0009) and asks the key, or the callback, to sign `e`; every
//! signature is checked against the certificate's public key before it is used.

use crate::bytes::eseal_bytes;
use crate::error::{Failure, eseal_result};
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use eseal_core::crypto::{FnSigner, PrivateKey, Signer, SoftwareSigner, load_key_bundle};
use eseal_core::pki::{Certificate, parse_certificates};
use eseal_core::{Error, ErrorKind};
use std::ffi::{c_int, c_void};
use std::os::raw::c_char;

/// A signer: a private key (or a device) and its certificate. Immutable; usable from any
/// thread at once, except that a callback signer is only as thread-safe as its callback.
pub struct eseal_signer {
    _private: [u8; 0],
}

/// What an `eseal_signer` stands for.
pub(crate) struct SignerInner {
    pub(crate) signer: Box<dyn Signer>,
    pub(crate) cert: Certificate,
}

impl Opaque for eseal_signer {
    type Inner = SignerInner;
}
impl Owned for eseal_signer {}

/// Signs a 32-byte digest `e = SM3(Z || M)` for an external signer. Writes the signature, DER
/// `SEQUENCE { r, s }` or raw 64-byte `r || s`, into `sig` (capacity `sig_cap`, at least 128)
/// and its length into `*sig_len`; returns 0 on success, anything else on failure.
pub type eseal_sign_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        digest: *const u8,
        digest_len: usize,
        sig: *mut u8,
        sig_cap: usize,
        sig_len: *mut usize,
    ) -> c_int,
>;

/// Room given to a callback for its signature (DER SM2 signatures take at most 72 bytes).
const CALLBACK_SIG_CAP: usize = 128;

/// The first certificate of `bytes` (PEM or DER).
pub(crate) fn first_certificate(bytes: &[u8]) -> Result<Certificate, Failure> {
    parse_certificates(bytes)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::new(ErrorKind::MalformedCertificate, "no certificate").into())
}

fn bind(key: PrivateKey, cert: Certificate) -> Result<SignerInner, Failure> {
    if !key.matches_public(cert.public_key()?) {
        return Err(Error::new(
            ErrorKind::KeyMismatch,
            "the private key does not belong to the certificate",
        )
        .into());
    }
    Ok(SignerInner {
        signer: Box::new(Wiped(std::mem::ManuallyDrop::new(SoftwareSigner::new(key)))),
        cert,
    })
}

/// Overwrites the stack below the caller's frame, where key loading just ran: the arithmetic
/// on the private scalar leaves copies of it in dead stack slots, which a later value's padding
/// could carry into the heap (seen with a certificate parsed after a PKCS#12 key).
#[inline(never)]
fn scrub_stack() {
    let mut area = [0u8; 16 * 1024];
    for b in area.iter_mut() {
        // SAFETY: a valid, aligned pointer to a live local byte.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    std::hint::black_box(&area);
}

/// A software signer whose memory is wiped when it is dropped, padding included: moving a key
/// may leave copies of its bytes in a struct's padding, which the key's own zeroizing does not
/// reach. Boxed, the wiped bytes are those of the heap block about to be freed.
struct Wiped<S>(std::mem::ManuallyDrop<S>);

impl<S> Drop for Wiped<S> {
    fn drop(&mut self) {
        // SAFETY: the value is dropped once, here, and never used again; then every byte of
        // `self` (a plain, now dead block) is overwritten with volatile writes, which the
        // compiler cannot drop as dead stores.
        unsafe {
            std::mem::ManuallyDrop::drop(&mut self.0);
            let p = (self as *mut Self).cast::<u8>();
            for i in 0..std::mem::size_of::<Self>() {
                p.add(i).write_volatile(0);
            }
        }
    }
}

impl<S: Signer> Signer for Wiped<S> {
    fn public_key(&self) -> &eseal_core::crypto::PublicKey {
        self.0.public_key()
    }
    fn sign_digest(&self, e: &[u8; 32]) -> eseal_core::Result<eseal_core::crypto::Signature> {
        self.0.sign_digest(e)
    }
    fn user_id(&self) -> &[u8] {
        self.0.user_id()
    }
    fn sign(&self, msg: &[u8]) -> eseal_core::Result<eseal_core::crypto::Signature> {
        self.0.sign(msg)
    }
}

/// Creates a signer from a private key file and its certificate. `key` may be PKCS#8 (plain or
/// encrypted), SEC1 or PKCS#12, PEM or DER; `password` (NUL-terminated UTF-8) is needed for
/// encrypted keys and may be NULL otherwise. `cert` is the SM2 certificate (PEM or DER; the
/// first one is used); the key must match it (`ESEAL_RESULT_KEY_MISMATCH`).
///
/// # Safety
/// Buffers must be NULL or valid for their lengths; `password` NULL or NUL-terminated; `out`
/// NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_from_pem(
    key: *const u8,
    key_len: usize,
    password: *const c_char,
    cert: *const u8,
    cert_len: usize,
    out: *mut *mut eseal_signer,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (key, password, cert, out) = unsafe {
            (
                handle::bytes(key, key_len, "key")?,
                handle::opt_text(password, "password")?,
                handle::bytes(cert, cert_len, "cert")?,
                handle::out(out, "out")?,
            )
        };
        let cert = first_certificate(cert)?;
        let bundle = load_key_bundle(key, password.map(str::as_bytes));
        scrub_stack();
        let bundle = bundle?;
        let inner = bind(bundle.key, cert)?;
        *out = handle::boxed::<eseal_signer>(inner);
        Ok(())
    })
}

/// Creates a signer from a PKCS#12 (.p12/.pfx) file holding an SM2 key and its certificate.
/// `password` (NUL-terminated UTF-8; NULL for a file without one) opens it.
///
/// # Safety
/// `p12` must be NULL or valid for `len` bytes; `password` NULL or NUL-terminated; `out` NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_from_pkcs12(
    p12: *const u8,
    len: usize,
    password: *const c_char,
    out: *mut *mut eseal_signer,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (p12, password, out) = unsafe {
            (
                handle::bytes(p12, len, "p12")?,
                handle::opt_text(password, "password")?,
                handle::out(out, "out")?,
            )
        };
        let bundle = load_key_bundle(p12, password.map(str::as_bytes));
        scrub_stack();
        let bundle = bundle?;
        let first = bundle.certificates.first().ok_or_else(|| {
            Failure::from(Error::new(
                ErrorKind::MalformedKeyFile,
                "the file holds no certificate",
            ))
        })?;
        let cert = Certificate::from_der(first)?;
        let inner = bind(bundle.key, cert)?;
        *out = handle::boxed::<eseal_signer>(inner);
        Ok(())
    })
}

/// The callback and its userdata, carried into the signer.
struct Callback {
    cb: unsafe extern "C" fn(*mut c_void, *const u8, usize, *mut u8, usize, *mut usize) -> c_int,
    userdata: *mut c_void,
}

// SAFETY: the C caller promises (README, header) that the callback may be called from any
// thread that uses the signer, with its userdata; eseal never touches userdata itself.
unsafe impl Send for Callback {}
// SAFETY: as above.
unsafe impl Sync for Callback {}

impl Callback {
    fn sign(&self, e: &[u8; 32]) -> eseal_core::Result<Vec<u8>> {
        let mut sig = vec![0u8; CALLBACK_SIG_CAP];
        let mut len = 0usize;
        // SAFETY: the pointers are valid for the sizes given; the callback's contract is the
        // caller's.
        let rc = unsafe {
            (self.cb)(
                self.userdata,
                e.as_ptr(),
                e.len(),
                sig.as_mut_ptr(),
                sig.len(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(Error::new(
                ErrorKind::SignerFailed,
                format!("the signing callback returned {rc}"),
            ));
        }
        if len == 0 || len > sig.len() {
            return Err(Error::new(
                ErrorKind::SignerFailed,
                format!(
                    "the signing callback reported a signature of {len} bytes (room: {})",
                    sig.len()
                ),
            ));
        }
        sig.truncate(len);
        Ok(sig)
    }
}

/// Creates a signer whose signatures come from `cb` (a UKey, an HSM, a remote service): for
/// each signature eseal computes `e = SM3(Z || M)` with the certificate's public key and the
/// default user ID and calls `cb(userdata, e, 32, sig, cap, &sig_len)`. The signature may be
/// DER or raw `r || s`; a signature that does not verify against `cert_der`'s key fails the
/// operation with `ESEAL_RESULT_SIGNER_FAILED`, as does a non-zero return. `userdata` is passed
/// through untouched and must stay valid while the signer lives; the callback may be called
/// from any thread that uses the signer.
///
/// # Safety
/// `cert_der` must be NULL or valid for `len` bytes; `cb` a valid function or NULL; `out` NULL
/// or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_from_callback(
    cert_der: *const u8,
    len: usize,
    cb: eseal_sign_callback,
    userdata: *mut c_void,
    out: *mut *mut eseal_signer,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (cert, out) = unsafe {
            (
                handle::bytes(cert_der, len, "cert_der")?,
                handle::out(out, "out")?,
            )
        };
        let cb = cb.ok_or_else(|| Failure::null("cb"))?;
        let cert = first_certificate(cert)?;
        let public = cert.public_key()?.clone();
        let callback = Callback { cb, userdata };
        let signer = FnSigner::new(public, move |e: &[u8; 32]| callback.sign(e));
        *out = handle::boxed::<eseal_signer>(SignerInner {
            signer: Box::new(signer),
            cert,
        });
        Ok(())
    })
}

/// The signer's certificate (DER), borrowed from `s` until `eseal_signer_free(s)`.
///
/// # Safety
/// `s` must be NULL or a live signer; `der` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_certificate(
    s: *const eseal_signer,
    der: *mut *const u8,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { handle::lend(s, "signer", der, "der", len, |s| Ok(s.cert.der())) }
}

/// Makes a plain SM2 signature (GB/T 32918.2, default user ID `1234567812345678`) over `len`
/// bytes of `msg` and returns it as DER `SEQUENCE { r, s }` in a new `eseal_bytes`.
///
/// # Safety
/// `s` must be NULL or a live signer; `msg` NULL or valid for `len` bytes; `out` NULL or valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_sign_sm2(
    s: *const eseal_signer,
    msg: *const u8,
    len: usize,
    out: *mut *mut eseal_bytes,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (s, msg, out) = unsafe {
            (
                handle::get(s, "signer")?,
                handle::bytes(msg, len, "msg")?,
                handle::out(out, "out")?,
            )
        };
        let sig = s.signer.sign(msg)?;
        *out = crate::bytes::new_bytes(sig.to_der());
        Ok(())
    })
}

/// Signs a 32-byte digest `e = SM3(Z || M)` as it is (no hashing), for example the digest of
/// a two-phase operation (`eseal_pending_digest`) when the key is elsewhere than the
/// document. Returns the DER signature in a new `eseal_bytes`; it is checked against the
/// certificate's key, so a faulty callback signer gives `ESEAL_RESULT_SIGNER_FAILED`.
///
/// # Safety
/// `s` must be NULL or a live signer; `digest` NULL or valid for `len` bytes; `out` NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_sign_digest(
    s: *const eseal_signer,
    digest: *const u8,
    len: usize,
    out: *mut *mut eseal_bytes,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (s, digest, out) = unsafe {
            (
                handle::get(s, "signer")?,
                handle::bytes(digest, len, "digest")?,
                handle::out(out, "out")?,
            )
        };
        let e: &[u8; 32] = digest
            .try_into()
            .map_err(|_| Failure::invalid(format!("the digest must be 32 bytes, got {len}")))?;
        let sig = s.signer.sign_digest(e)?;
        s.signer.public_key().verify_digest(e, &sig).map_err(|_| {
            Error::new(
                ErrorKind::SignerFailed,
                "signer returned a signature that does not verify",
            )
        })?;
        *out = crate::bytes::new_bytes(sig.to_der());
        Ok(())
    })
}

/// Frees a signer (a software key is zeroized). NULL is ignored.
///
/// # Safety
/// `s` must be NULL or a live signer, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_signer_free(s: *mut eseal_signer) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(s) })
}
