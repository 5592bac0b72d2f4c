package eseal

/*
#include <stdlib.h>
#include "eseal.h"

int esealGoSign(void *userdata, uint8_t *digest, size_t digest_len, uint8_t *sig, size_t sig_cap,
                size_t *sig_len);

static eseal_result eseal_go_signer_from_callback(const uint8_t *cert, size_t len, void *userdata,
                                                  eseal_signer **out) {
    return eseal_signer_from_callback(cert, len, (eseal_sign_callback)esealGoSign, userdata, out);
}
*/
import "C"

import (
	"runtime"
	"runtime/cgo"
	"unsafe"
)

// Signer is a private key (or a device) with its SM2 certificate. Safe for concurrent use; a
// signer made by NewSignerFromFunc calls its function from several goroutines if it is used so.
type Signer struct {
	h        handle
	userdata unsafe.Pointer // C memory holding the cgo.Handle of a function signer
}

// SignFunc signs the 32-byte digest e = SM3(Z || M) and returns the signature, DER or raw
// 64-byte r || s.
type SignFunc func(digest []byte) ([]byte, error)

func newSigner(p *C.eseal_signer, userdata unsafe.Pointer) *Signer {
	s := &Signer{h: handle{ptr: unsafe.Pointer(p)}, userdata: userdata}
	runtime.SetFinalizer(s, (*Signer).Close)
	return s
}

// cpassword gives C an optional NUL-terminated password (nil when none is given); free it with
// C.free.
func cpassword(password []string) (*C.char, error) {
	if len(password) == 0 {
		return nil, nil
	}
	for _, c := range []byte(password[0]) {
		if c == 0 {
			return nil, &Error{Code: ResultInvalidArgument, Detail: "password contains a NUL byte"}
		}
	}
	return C.CString(password[0]), nil
}

// NewSignerFromPEM makes a signer from a key file (PKCS#8 plain or encrypted, SEC1 or PKCS#12,
// PEM or DER) and its certificate (PEM or DER). Give the password if the key is encrypted.
func NewSignerFromPEM(key, cert []byte, password ...string) (*Signer, error) {
	pw, err := cpassword(password)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(pw))
	var p *C.eseal_signer
	k, kn := cbytes(key)
	c, cn := cbytes(cert)
	if err := call(func() C.eseal_result { return C.eseal_signer_from_pem(k, kn, pw, c, cn, &p) }); err != nil {
		return nil, err
	}
	return newSigner(p, nil), nil
}

// NewSignerFromPKCS12 makes a signer from a PKCS#12 (.p12/.pfx) file holding the key and its
// certificate.
func NewSignerFromPKCS12(p12 []byte, password ...string) (*Signer, error) {
	pw, err := cpassword(password)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(pw))
	var p *C.eseal_signer
	d, n := cbytes(p12)
	if err := call(func() C.eseal_result { return C.eseal_signer_from_pkcs12(d, n, pw, &p) }); err != nil {
		return nil, err
	}
	return newSigner(p, nil), nil
}

// NewSignerFromFunc makes a signer whose signatures come from f (a UKey, an HSM, a remote
// service). f receives e = SM3(Z || M) computed with the certificate's key and the default user
// ID; its signature is checked against the certificate before use.
func NewSignerFromFunc(certDER []byte, f SignFunc) (*Signer, error) {
	h := cgo.NewHandle(f)
	userdata := C.malloc(C.size_t(unsafe.Sizeof(C.uintptr_t(0))))
	*(*C.uintptr_t)(userdata) = C.uintptr_t(h)
	var p *C.eseal_signer
	c, cn := cbytes(certDER)
	if err := call(func() C.eseal_result { return C.eseal_go_signer_from_callback(c, cn, userdata, &p) }); err != nil {
		h.Delete()
		C.free(userdata)
		return nil, err
	}
	return newSigner(p, userdata), nil
}

// Close frees the signer (a software key is zeroized). It is safe to call more than once.
func (s *Signer) Close() error {
	s.h.close(func(p unsafe.Pointer) {
		C.eseal_signer_free((*C.eseal_signer)(p))
		if s.userdata != nil {
			cgo.Handle(*(*C.uintptr_t)(s.userdata)).Delete()
			C.free(s.userdata)
			s.userdata = nil
		}
	})
	runtime.SetFinalizer(s, nil)
	return nil
}

// Certificate returns the signer's certificate (DER).
func (s *Signer) Certificate() ([]byte, error) {
	defer runtime.KeepAlive(s)
	var der []byte
	err := s.h.use(func(p unsafe.Pointer) error {
		var d *C.uint8_t
		var n C.size_t
		if err := call(func() C.eseal_result {
			return C.eseal_signer_certificate((*C.eseal_signer)(p), &d, &n)
		}); err != nil {
			return err
		}
		der = C.GoBytes(unsafe.Pointer(d), C.int(n))
		return nil
	})
	return der, err
}

func (s *Signer) sign(data []byte, f func(*C.eseal_signer, *C.uint8_t, C.size_t, **C.eseal_bytes) C.eseal_result) ([]byte, error) {
	defer runtime.KeepAlive(s)
	var out []byte
	err := s.h.use(func(p unsafe.Pointer) error {
		var b *C.eseal_bytes
		d, n := cbytes(data)
		if err := call(func() C.eseal_result { return f((*C.eseal_signer)(p), d, n, &b) }); err != nil {
			return err
		}
		out = takeBytes(b)
		return nil
	})
	return out, err
}

// SignSM2 makes a plain SM2 signature (default user ID 1234567812345678) over msg, DER encoded.
func (s *Signer) SignSM2(msg []byte) ([]byte, error) {
	return s.sign(msg, func(p *C.eseal_signer, d *C.uint8_t, n C.size_t, b **C.eseal_bytes) C.eseal_result {
		return C.eseal_signer_sign_sm2(p, d, n, b)
	})
}

// SignDigest signs a 32-byte digest e as it is and returns the DER signature.
func (s *Signer) SignDigest(digest []byte) ([]byte, error) {
	return s.sign(digest, func(p *C.eseal_signer, d *C.uint8_t, n C.size_t, b **C.eseal_bytes) C.eseal_result {
		return C.eseal_signer_sign_digest(p, d, n, b)
	})
}

// Pending is a two-phase signing operation waiting for its signature.
type Pending struct {
	h handle
}

// PrepareSignSM2 starts a two-phase SM2 signature over msg for the key of cert (PEM or DER):
// sign Digest() anywhere, then call Finish.
func PrepareSignSM2(cert, msg []byte) (*Pending, error) {
	var p *C.eseal_pending
	c, cn := cbytes(cert)
	m, mn := cbytes(msg)
	if err := call(func() C.eseal_result { return C.eseal_prepare_sign_sm2(c, cn, m, mn, &p) }); err != nil {
		return nil, err
	}
	return newPending(p), nil
}

func newPending(p *C.eseal_pending) *Pending {
	pe := &Pending{h: handle{ptr: unsafe.Pointer(p)}}
	runtime.SetFinalizer(pe, (*Pending).Close)
	return pe
}

// Digest returns the 32-byte digest e = SM3(Z || M) to be signed.
func (pe *Pending) Digest() ([]byte, error) {
	defer runtime.KeepAlive(pe)
	var out []byte
	err := pe.h.use(func(p unsafe.Pointer) error {
		var d *C.uint8_t
		var n C.size_t
		if err := call(func() C.eseal_result { return C.eseal_pending_digest((*C.eseal_pending)(p), &d, &n) }); err != nil {
			return err
		}
		out = C.GoBytes(unsafe.Pointer(d), C.int(n))
		return nil
	})
	return out, err
}

// Finish gives the signature of the digest (DER or raw r || s) and returns the operation's
// result. A malformed or wrong signature is refused (ResultMalformedSignature,
// ResultBadSignature) and the operation keeps waiting.
func (pe *Pending) Finish(sig []byte) ([]byte, error) {
	defer runtime.KeepAlive(pe)
	var out []byte
	err := pe.h.use(func(p unsafe.Pointer) error {
		var b *C.eseal_bytes
		d, n := cbytes(sig)
		if err := call(func() C.eseal_result { return C.eseal_pending_finish((*C.eseal_pending)(p), d, n, &b) }); err != nil {
			return err
		}
		out = takeBytes(b)
		return nil
	})
	return out, err
}

// Close frees the operation, abandoning it if it is not finished.
func (pe *Pending) Close() error {
	pe.h.close(func(p unsafe.Pointer) { C.eseal_pending_free((*C.eseal_pending)(p)) })
	runtime.SetFinalizer(pe, nil)
	return nil
}
