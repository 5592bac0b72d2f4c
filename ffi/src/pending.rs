//! Two-phase signing for signers that cannot be called back (a device behind a web page, a
//! signing service answering later): prepare → digest out → signature in → finish.
//!
//! `eseal_prepare_*` starts the operation on a background thread with a signer that hands the
//! digest `e = SM3(Z || M)` (GB/T 32918.2 §6.1, default user ID) to the caller and waits; the
//! caller reads it with `eseal_pending_digest`, has it signed anywhere, and gives the signature
//! to `eseal_pending_finish`, which checks it against the certificate's key before the
//! operation continues and returns the result. `eseal_pending_free` abandons an unfinished
//! operation (its thread ends) or releases a finished one.

use crate::bytes::{eseal_bytes, new_bytes};
use crate::error::{Failure, eseal_result};
use crate::handle::{self, Opaque, Owned};
use crate::panic::{boundary, call};
use crate::seal::eseal_seal;
use crate::signer::first_certificate;
use eseal_core::crypto::{PublicKey, Signature, Signer};
use eseal_core::ses::Seal;
use eseal_core::{Error, ErrorKind};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Mutex, MutexGuard};
use std::thread::JoinHandle;

/// A signing operation waiting for its signature. Thread-safe (calls are serialised).
pub struct eseal_pending {
    _private: [u8; 0],
}

/// What the operation's thread tells the caller.
enum Event {
    /// The operation needs this digest signed.
    Digest([u8; 32]),
    /// The operation ended.
    Done(eseal_core::Result<Vec<u8>>),
}

/// A signer that hands each digest out and waits for its signature.
struct ChannelSigner {
    public: PublicKey,
    events: Sender<Event>,
    signatures: Mutex<Receiver<Vec<u8>>>,
}

impl Signer for ChannelSigner {
    fn public_key(&self) -> &PublicKey {
        &self.public
    }

    fn sign_digest(&self, e: &[u8; 32]) -> eseal_core::Result<Signature> {
        let abandoned = || Error::new(ErrorKind::SignerFailed, "the signing was abandoned");
        self.events
            .send(Event::Digest(*e))
            .map_err(|_| abandoned())?;
        let sig = self
            .signatures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .recv()
            .map_err(|_| abandoned())?;
        Signature::from_bytes(&sig)
    }
}

/// The operation while it waits for the signature.
struct Waiting {
    signatures: Sender<Vec<u8>>,
    events: Receiver<Event>,
    thread: JoinHandle<()>,
}

impl Waiting {
    /// Abandons the operation: its signer sees a closed channel and fails; the thread ends.
    fn abandon(self) {
        drop(self.signatures);
        let _ = self.thread.join();
    }
}

/// What an `eseal_pending` stands for.
pub(crate) struct Pending {
    digest: [u8; 32],
    public: PublicKey,
    state: Mutex<Option<Waiting>>,
}

impl Drop for Pending {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(|p| p.into_inner());
        if let Some(w) = state.take() {
            w.abandon();
        }
    }
}

impl Opaque for eseal_pending {
    type Inner = Pending;
}
impl Owned for eseal_pending {}

impl Pending {
    fn lock(&self) -> MutexGuard<'_, Option<Waiting>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Runs `op` on a new thread with a [`ChannelSigner`] for `public` until it asks for its
/// digest to be signed.
pub(crate) fn start<F>(public: PublicKey, op: F) -> Result<Pending, Failure>
where
    F: FnOnce(&dyn Signer) -> eseal_core::Result<Vec<u8>> + Send + 'static,
{
    let (events_tx, events) = channel();
    let (signatures, signatures_rx) = channel();
    let signer = ChannelSigner {
        public: public.clone(),
        events: events_tx.clone(),
        signatures: Mutex::new(signatures_rx),
    };
    let thread = std::thread::Builder::new()
        .name("eseal-pending".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| op(&signer))).unwrap_or_else(|_| {
                Err(Error::new(
                    ErrorKind::Panic,
                    "internal panic in a signing operation",
                ))
            });
            let _ = events_tx.send(Event::Done(result));
        })
        .map_err(|e| Failure::new(eseal_result::Io, format!("cannot start a thread: {e}")))?;
    let first = events.recv();
    let waiting = Waiting {
        signatures,
        events,
        thread,
    };
    match first {
        Ok(Event::Digest(digest)) => Ok(Pending {
            digest,
            public,
            state: Mutex::new(Some(waiting)),
        }),
        Ok(Event::Done(result)) => {
            waiting.abandon();
            Err(match result {
                Err(e) => e.into(),
                Ok(_) => Failure::invalid("the operation finished without needing a signature"),
            })
        }
        Err(_) => {
            waiting.abandon();
            Err(Failure::new(
                eseal_result::Panic,
                "the signing operation ended without a result",
            ))
        }
    }
}

/// The body of the `eseal_prepare_*` functions that apply a seal to a document for a signer
/// whose key is elsewhere: checks the arguments (the signer's certificate `cert`, PEM or DER;
/// the seal; the document, named `doc_name` in errors; `out`), then starts the operation that
/// `job` makes from copies of the certificate (DER), the seal and the document.
///
/// # Safety
/// Buffers must be NULL or valid for their lengths; `seal` NULL or a live seal; `out` NULL or
/// valid for a write.
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn prepare_with_seal<J>(
    cert: *const u8,
    cert_len: usize,
    seal: *const eseal_seal,
    doc: *const u8,
    len: usize,
    doc_name: &str,
    out: *mut *mut eseal_pending,
    job: impl FnOnce(Vec<u8>, Seal, Vec<u8>) -> J,
) -> eseal_result
where
    J: FnOnce(&dyn Signer) -> eseal_core::Result<Vec<u8>> + Send + 'static,
{
    call(|| {
        // SAFETY: caller's contract.
        let (cert, seal, doc, out) = unsafe {
            (
                handle::bytes(cert, cert_len, "cert")?,
                handle::get(seal, "seal")?,
                handle::bytes(doc, len, doc_name)?,
                handle::out(out, "out")?,
            )
        };
        let cert = first_certificate(cert)?;
        let op = job(cert.der().to_vec(), seal.seal.clone(), doc.to_vec());
        let pending = start(cert.public_key()?.clone(), op)?;
        hand_out(pending, out);
        Ok(())
    })
}

/// Gives the caller a pending handle for `pending`.
pub(crate) fn hand_out(pending: Pending, out: &mut *mut eseal_pending) {
    *out = handle::boxed::<eseal_pending>(pending);
}

/// Prepares a plain SM2 signature (as `eseal_signer_sign_sm2` makes) over `len` bytes of `msg`
/// for the key of certificate `cert` (PEM or DER). On success `*out` is a pending operation:
/// sign its digest and call `eseal_pending_finish`, which returns the DER signature.
///
/// # Safety
/// Buffers must be NULL or valid for their lengths; `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_prepare_sign_sm2(
    cert: *const u8,
    cert_len: usize,
    msg: *const u8,
    len: usize,
    out: *mut *mut eseal_pending,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (cert, msg, out) = unsafe {
            (
                handle::bytes(cert, cert_len, "cert")?,
                handle::bytes(msg, len, "msg")?,
                handle::out(out, "out")?,
            )
        };
        let cert = first_certificate(cert)?;
        let msg = msg.to_vec();
        let pending = start(cert.public_key()?.clone(), move |s| {
            s.sign(&msg).map(|sig| sig.to_der())
        })?;
        hand_out(pending, out);
        Ok(())
    })
}

/// The digest to sign, `e = SM3(Z || M)` (32 bytes), borrowed from `p` until
/// `eseal_pending_free(p)`.
///
/// # Safety
/// `p` must be NULL or a live pending operation; `digest` and `len` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pending_digest(
    p: *const eseal_pending,
    digest: *mut *const u8,
    len: *mut usize,
) -> eseal_result {
    // SAFETY: caller's contract.
    unsafe { handle::lend(p, "pending", digest, "digest", len, |p| Ok(&p.digest[..])) }
}

/// Gives the signature of the digest (DER or raw 64-byte `r || s`) and finishes the operation:
/// on success `*out` receives its result (for `eseal_prepare_sign_sm2`, the DER signature).
/// A signature that is malformed (`ESEAL_RESULT_MALFORMED_SIGNATURE`) or does not verify
/// against the certificate's key (`ESEAL_RESULT_BAD_SIGNATURE`) is refused and the operation
/// keeps waiting, so the caller may try again; any other outcome ends it, and a later call
/// returns `ESEAL_RESULT_ALREADY_USED`. Free `p` with `eseal_pending_free` in every case.
///
/// # Safety
/// `p` must be NULL or a live pending operation; `sig` NULL or valid for `sig_len` bytes;
/// `out` NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pending_finish(
    p: *const eseal_pending,
    sig: *const u8,
    sig_len: usize,
    out: *mut *mut eseal_bytes,
) -> eseal_result {
    call(|| {
        // SAFETY: caller's contract.
        let (p, sig, out) = unsafe {
            (
                handle::get(p, "pending")?,
                handle::bytes(sig, sig_len, "sig")?,
                handle::out(out, "out")?,
            )
        };
        let mut state = p.lock();
        if state.is_none() {
            return Err(Failure::new(
                eseal_result::AlreadyUsed,
                "the operation is already finished",
            ));
        }
        let signature = Signature::from_bytes(sig)?;
        p.public.verify_digest(&p.digest, &signature).map_err(|_| {
            Failure::new(
                eseal_result::BadSignature,
                "the signature does not verify against the certificate's key for this digest",
            )
        })?;
        let Some(w) = state.take() else {
            return Err(Failure::new(eseal_result::AlreadyUsed, "already finished"));
        };
        drop(state);
        let sent = w.signatures.send(sig.to_vec());
        let event = if sent.is_ok() {
            w.events.recv().ok()
        } else {
            None
        };
        let result = match event {
            Some(Event::Done(r)) => r.map_err(Failure::from),
            Some(Event::Digest(_)) => Err(Failure::new(
                eseal_result::Unsupported,
                "the operation needs more than one signature",
            )),
            None => Err(Failure::new(
                eseal_result::Panic,
                "the signing operation ended without a result",
            )),
        };
        w.abandon();
        *out = new_bytes(result?);
        Ok(())
    })
}

/// Frees a pending operation, abandoning it if unfinished. NULL is ignored.
///
/// # Safety
/// `p` must be NULL or a live pending operation, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn eseal_pending_free(p: *mut eseal_pending) {
    // SAFETY: caller's contract.
    boundary(|| unsafe { handle::free_boxed(p) })
}
