// Package eseal binds libeseal, the C ABI of the eseal Rust library (GB/T 38540 electronic
// seals, SM2/SM3, seal and certificate verification), for Go through cgo.
//
// Handles (Verifier, Signer, Pending) hold C memory: call Close when done. A finalizer closes
// a handle that was forgotten, but only as a safety net. A Verifier and a Signer may be used
// from many goroutines at once; Close waits for calls in progress and later calls return
// ErrClosed. Errors returned by this package are *Error values carrying the eseal result code.
package eseal

/*
#include <stdlib.h>
#include "eseal.h"
*/
import "C"

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"
)

// Result is an eseal result code (eseal_result): 0 for success, else the stable code of what
// went wrong (the codes of the Rust eseal::ErrorKind).
type Result uint32

// Result codes (see ffi/include/eseal.h).
const (
	ResultOK                    Result = 0
	ResultInvalidArgument       Result = 1001
	ResultLimitExceeded         Result = 1002
	ResultUnsupported           Result = 1003
	ResultUnknownInput          Result = 1004
	ResultPanic                 Result = 1005
	ResultNullPointer           Result = 1901
	ResultAlreadyUsed           Result = 1902
	ResultUnrecognized          Result = 1903
	ResultMalformedDer          Result = 2001
	ResultInvalidPublicKey      Result = 2002
	ResultInvalidPrivateKey     Result = 2003
	ResultMalformedSignature    Result = 2004
	ResultBadSignature          Result = 2005
	ResultMalformedKeyFile      Result = 2006
	ResultWrongPassword         Result = 2007
	ResultPasswordRequired      Result = 2008
	ResultKeyMismatch           Result = 2009
	ResultSignerFailed          Result = 2010
	ResultRng                   Result = 2011
	ResultMalformedCertificate  Result = 3001
	ResultMalformedCrl          Result = 3002
	ResultCertificateNotUsable  Result = 3003
	ResultMalformedTime         Result = 3004
	ResultMalformedSeal         Result = 4001
	ResultMalformedSesSignature Result = 4002
	ResultSealRefused           Result = 4003
	ResultMalformedPicture      Result = 4004
	ResultMalformedTimestamp    Result = 4005
	ResultMalformedCms          Result = 4006
	ResultMalformedPdf          Result = 5001
	ResultEncryptedPdf          Result = 5002
	ResultPdfRefused            Result = 5003
	ResultMalformedOfd          Result = 6001
	ResultOfdRefused            Result = 6002
	ResultIo                    Result = 7001
)

// String is the fixed description of the code, from the library.
func (r Result) String() string {
	var buf [128]C.char
	C.eseal_result_message(C.eseal_result(r), &buf[0], C.size_t(len(buf)), nil)
	return C.GoString(&buf[0])
}

// Error is a failed call: the result code, its description and the detail the library gave.
type Error struct {
	Code   Result
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("eseal: %s (%d)", e.Code, uint32(e.Code))
	}
	return fmt.Sprintf("eseal: %s (%d): %s", e.Code, uint32(e.Code), e.Detail)
}

// ErrClosed is returned by methods of a handle after Close.
var ErrClosed = errors.New("eseal: handle is closed")

// CodeOf returns the result code carried by err (ResultOK if err is nil, ResultUnrecognized if
// err did not come from the library).
func CodeOf(err error) Result {
	if err == nil {
		return ResultOK
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ResultUnrecognized
}

// call runs f on a locked OS thread so that the library's per-thread last-error detail is read
// on the thread that failed.
func call(f func() C.eseal_result) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := f()
	if rc == C.ESEAL_RESULT_OK {
		return nil
	}
	n := C.eseal_last_error_length()
	buf := make([]byte, int(n)+1)
	C.eseal_last_error_message((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), &n)
	return &Error{Code: Result(rc), Detail: string(buf[:int(n)])}
}

// callAll runs the calls in order and stops at the first failure.
func callAll(steps []func() C.eseal_result) error {
	for _, step := range steps {
		if err := call(step); err != nil {
			return err
		}
	}
	return nil
}

// configured makes C options or a builder with mk and applies the setter calls that steps
// returns for it, in order; on failure it frees them with free and returns the first error.
func configured[T any](mk func(**T) C.eseal_result, free func(*T), steps func(*T) []func() C.eseal_result) (*T, error) {
	var o *T
	if err := call(func() C.eseal_result { return mk(&o) }); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			free(o)
		}
	}()
	if err := callAll(steps(o)); err != nil {
		return nil, err
	}
	ok = true
	return o, nil
}

// applySeal runs op, an export that applies seal with the signer s and writes an eseal_bytes,
// and returns those bytes.
func (s *Signer) applySeal(seal *Seal, op func(sp *C.eseal_signer, sealp *C.eseal_seal, out **C.eseal_bytes) C.eseal_result) ([]byte, error) {
	defer runtime.KeepAlive(s)
	defer runtime.KeepAlive(seal)
	var out []byte
	err := s.h.use(func(sp unsafe.Pointer) error {
		return seal.h.use(func(sealp unsafe.Pointer) error {
			var b *C.eseal_bytes
			if err := call(func() C.eseal_result { return op((*C.eseal_signer)(sp), (*C.eseal_seal)(sealp), &b) }); err != nil {
				return err
			}
			out = takeBytes(b)
			return nil
		})
	})
	return out, err
}

// Version is the library's version.
func Version() string {
	return C.GoString(C.eseal_version())
}

// one is a non-NULL pointer for empty buffers (the C ABI refuses NULL even with length 0).
var one [1]byte

// cbytes gives C a view of b for the duration of a call (the library copies what it keeps).
func cbytes(b []byte) (*C.uint8_t, C.size_t) {
	if len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&one[0])), 0
	}
	return (*C.uint8_t)(unsafe.Pointer(&b[0])), C.size_t(len(b))
}

// takeBytes copies an eseal_bytes into Go memory and frees it.
func takeBytes(b *C.eseal_bytes) []byte {
	defer C.eseal_bytes_free(b)
	n := C.eseal_bytes_len(b)
	if n == 0 {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(C.eseal_bytes_data(b)), C.int(n))
}

// Verdict is the outcome of a verification (ETSI EN 319 102-1).
type Verdict int

// Verdicts.
const (
	Valid         Verdict = 0
	Invalid       Verdict = 1
	Indeterminate Verdict = 2
)

func (v Verdict) String() string {
	switch v {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	case Indeterminate:
		return "indeterminate"
	}
	return fmt.Sprintf("verdict(%d)", int(v))
}

// Check is one named check of a report (DESIGN §4.3).
type Check struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
}

// Report is the result of verifying one input, copied out of the library (no Close needed).
// JSON holds one report object per certificate of a PEM bundle, else exactly one.
type Report struct {
	Verdict Verdict
	JSON    []string
}

// Checks returns every check of the first report: its own, then each signature's.
func (r *Report) Checks() ([]Check, error) {
	var doc struct {
		Checks     []Check `json:"checks"`
		Signatures []struct {
			Checks []Check `json:"checks"`
		} `json:"signatures"`
	}
	if err := json.Unmarshal([]byte(r.JSON[0]), &doc); err != nil {
		return nil, err
	}
	checks := doc.Checks
	for _, s := range doc.Signatures {
		checks = append(checks, s.Checks...)
	}
	return checks, nil
}

// Check returns the first check with this id, or nil.
func (r *Report) Check(id string) *Check {
	checks, err := r.Checks()
	if err != nil {
		return nil
	}
	for i := range checks {
		if checks[i].ID == id {
			return &checks[i]
		}
	}
	return nil
}

// takeReport copies a C report into Go memory and frees it.
func takeReport(r *C.eseal_report) (*Report, error) {
	defer C.eseal_report_free(r)
	rep := &Report{Verdict: Verdict(C.eseal_report_verdict(r))}
	n := int(C.eseal_report_count(r))
	for i := 0; i < n; i++ {
		var text *C.char
		var l C.size_t
		if err := call(func() C.eseal_result {
			return C.eseal_report_json_at(r, C.size_t(i), &text, &l)
		}); err != nil {
			return nil, err
		}
		rep.JSON = append(rep.JSON, C.GoStringN(text, C.int(l)))
	}
	return rep, nil
}

// handle is the shared part of every Go handle: the C pointer behind a read/write lock so that
// Close waits for calls in progress and no call uses a freed pointer.
type handle struct {
	mu  sync.RWMutex
	ptr unsafe.Pointer
}

// use runs f with the live pointer under the read lock.
func (h *handle) use(f func(p unsafe.Pointer) error) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr == nil {
		return ErrClosed
	}
	return f(h.ptr)
}

// close frees the pointer once with free.
func (h *handle) close(free func(p unsafe.Pointer)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		free(h.ptr)
		h.ptr = nil
	}
}

// Verifier holds trust anchors, intermediates, CRLs and the reference time. Safe for concurrent
// use, including adding to it while other goroutines verify.
type Verifier struct {
	h handle
}

// NewVerifier makes a verifier with no trust anchors, judging at the current time.
func NewVerifier() (*Verifier, error) {
	var p *C.eseal_verifier
	if err := call(func() C.eseal_result { return C.eseal_verifier_new(&p) }); err != nil {
		return nil, err
	}
	v := &Verifier{h: handle{ptr: unsafe.Pointer(p)}}
	runtime.SetFinalizer(v, (*Verifier).Close)
	return v, nil
}

// Close frees the verifier. It is safe to call more than once.
func (v *Verifier) Close() error {
	v.h.close(func(p unsafe.Pointer) { C.eseal_verifier_free((*C.eseal_verifier)(p)) })
	runtime.SetFinalizer(v, nil)
	return nil
}

func (v *Verifier) add(data []byte, f func(*C.eseal_verifier, *C.uint8_t, C.size_t) C.eseal_result) error {
	defer runtime.KeepAlive(v)
	return v.h.use(func(p unsafe.Pointer) error {
		d, n := cbytes(data)
		return call(func() C.eseal_result { return f((*C.eseal_verifier)(p), d, n) })
	})
}

// AddTrust adds trust anchors (PEM with one or more certificates, or one DER certificate).
func (v *Verifier) AddTrust(pem []byte) error {
	return v.add(pem, func(p *C.eseal_verifier, d *C.uint8_t, n C.size_t) C.eseal_result {
		return C.eseal_verifier_add_trust_pem(p, d, n)
	})
}

// AddIntermediates adds untrusted intermediate certificates used to build paths.
func (v *Verifier) AddIntermediates(pem []byte) error {
	return v.add(pem, func(p *C.eseal_verifier, d *C.uint8_t, n C.size_t) C.eseal_result {
		return C.eseal_verifier_add_intermediate_pem(p, d, n)
	})
}

// AddCRL adds a CRL (PEM or DER).
func (v *Verifier) AddCRL(crl []byte) error {
	return v.add(crl, func(p *C.eseal_verifier, d *C.uint8_t, n C.size_t) C.eseal_result {
		return C.eseal_verifier_add_crl(p, d, n)
	})
}

// SetTime sets the reference time, in seconds since 1970-01-01T00:00:00Z.
func (v *Verifier) SetTime(unixSeconds int64) error {
	defer runtime.KeepAlive(v)
	return v.h.use(func(p unsafe.Pointer) error {
		return call(func() C.eseal_result {
			return C.eseal_verifier_set_time((*C.eseal_verifier)(p), C.int64_t(unixSeconds))
		})
	})
}

// Verify verifies one input (PDF, OFD, seal, seal signature or certificate, detected by
// content). Input that cannot be verified is not an error: its report says why.
func (v *Verifier) Verify(input []byte) (*Report, error) {
	return v.report(func(vp *C.eseal_verifier, out **C.eseal_report) C.eseal_result {
		d, n := cbytes(input)
		return C.eseal_verify(vp, d, n, out)
	})
}

// VerifyNamed is Verify labelling the report with name (e.g. the file's path), which becomes
// its "path".
func (v *Verifier) VerifyNamed(name string, input []byte) (*Report, error) {
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	return v.report(func(vp *C.eseal_verifier, out **C.eseal_report) C.eseal_result {
		d, n := cbytes(input)
		return C.eseal_verify_named(vp, cname, d, n, out)
	})
}

// report runs op, an export that verifies with v and writes one report, and takes the report.
func (v *Verifier) report(op func(vp *C.eseal_verifier, out **C.eseal_report) C.eseal_result) (*Report, error) {
	defer runtime.KeepAlive(v)
	var rep *Report
	err := v.h.use(func(p unsafe.Pointer) error {
		var r *C.eseal_report
		if err := call(func() C.eseal_result { return op((*C.eseal_verifier)(p), &r) }); err != nil {
			return err
		}
		var err error
		rep, err = takeReport(r)
		return err
	})
	return rep, err
}

// VerifyBatch verifies many inputs on the library's worker threads (threads 0: one per core)
// and returns one report per input, in order. The inputs are copied to C memory first.
func (v *Verifier) VerifyBatch(inputs [][]byte, threads int) ([]*Report, error) {
	defer runtime.KeepAlive(v)
	if len(inputs) == 0 {
		return []*Report{}, nil
	}
	if threads < 0 {
		return nil, &Error{Code: ResultInvalidArgument, Detail: "threads is negative"}
	}
	var out []*Report
	err := v.h.use(func(p unsafe.Pointer) error {
		n := len(inputs)
		arr := (*[1 << 28]C.eseal_input)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(C.eseal_input{}))))[:n:n]
		defer C.free(unsafe.Pointer(&arr[0]))
		for i, in := range inputs {
			arr[i].data = (*C.uint8_t)(C.CBytes(append(in[:len(in):len(in)], 0)))
			arr[i].len = C.size_t(len(in))
			arr[i].name = nil
		}
		defer func() {
			for i := range arr {
				C.free(unsafe.Pointer(arr[i].data))
			}
		}()
		reports := (*[1 << 28]*C.eseal_report)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(uintptr(0)))))[:n:n]
		defer C.free(unsafe.Pointer(&reports[0]))
		if err := call(func() C.eseal_result {
			return C.eseal_verify_batch((*C.eseal_verifier)(p), &arr[0], C.size_t(n), C.size_t(threads), &reports[0])
		}); err != nil {
			return err
		}
		out = make([]*Report, n)
		var first error
		for i := range reports {
			r, err := takeReport(reports[i])
			if err != nil && first == nil {
				first = err
			}
			out[i] = r
		}
		return first
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
