package eseal

/*
#include <stdlib.h>
#include "eseal.h"
*/
import "C"

import (
	"time"
	"unsafe"
)

// PDFPayload selects what goes into the PDF signature's /Contents.
type PDFPayload uint32

// PDF payloads.
const (
	// PayloadSES is a GB/T 38540 SES_Signature (the default).
	PayloadSES PDFPayload = 0
	// PayloadCMS is a CMS SignedData, /SubFilter /adbe.pkcs7.detached.
	PayloadCMS PDFPayload = 1
)

// PDFOptions control where and how a PDF is sealed; the zero value gives the defaults (page
// 1, 20 mm × 20 mm from the top-left corner, SES payload, signing time now).
type PDFOptions struct {
	// Page is 1-based (0: page 1).
	Page uint32
	// XMM and YMM place the seal's left and top edges, in millimetres (both 0: the default).
	XMM, YMM float64
	Payload  PDFPayload
	Reason   string
	Location string
	// SigningTime (zero: now).
	SigningTime time.Time
}

// SignPDF seals the PDF pdf with seal as an incremental update and returns the sealed PDF.
// The signer's certificate must be listed in the seal (else ResultSealRefused); opts may be
// nil.
func (s *Signer) SignPDF(seal *Seal, pdf []byte, opts *PDFOptions) ([]byte, error) {
	o, err := newPDFOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.eseal_pdf_options_free(o)
	return s.applySeal(seal, func(sp *C.eseal_signer, sealp *C.eseal_seal, out **C.eseal_bytes) C.eseal_result {
		d, n := cbytes(pdf)
		return C.eseal_sign_pdf(sp, sealp, d, n, o, out)
	})
}

// newPDFOptions makes the C options for opts (NULL for nil opts); the caller frees them.
func newPDFOptions(opts *PDFOptions) (*C.eseal_pdf_options, error) {
	if opts == nil {
		return nil, nil
	}
	// The strings stay allocated until the setters have run.
	var cstrs []*C.char
	defer func() {
		for _, p := range cstrs {
			C.free(unsafe.Pointer(p))
		}
	}()
	cstr := func(s string) *C.char {
		p := C.CString(s)
		cstrs = append(cstrs, p)
		return p
	}
	return configured(
		func(o **C.eseal_pdf_options) C.eseal_result { return C.eseal_pdf_options_new(o) },
		func(o *C.eseal_pdf_options) { C.eseal_pdf_options_free(o) },
		func(o *C.eseal_pdf_options) []func() C.eseal_result {
			steps := []func() C.eseal_result{
				func() C.eseal_result { return C.eseal_pdf_options_set_payload(o, C.eseal_pdf_payload(opts.Payload)) },
			}
			if opts.Page != 0 {
				steps = append(steps, func() C.eseal_result { return C.eseal_pdf_options_set_page(o, C.uint32_t(opts.Page)) })
			}
			if opts.XMM != 0 || opts.YMM != 0 {
				steps = append(steps, func() C.eseal_result {
					return C.eseal_pdf_options_set_position(o, C.double(opts.XMM), C.double(opts.YMM))
				})
			}
			if opts.Reason != "" {
				r := cstr(opts.Reason)
				steps = append(steps, func() C.eseal_result { return C.eseal_pdf_options_set_reason(o, r) })
			}
			if opts.Location != "" {
				l := cstr(opts.Location)
				steps = append(steps, func() C.eseal_result { return C.eseal_pdf_options_set_location(o, l) })
			}
			if !opts.SigningTime.IsZero() {
				steps = append(steps, func() C.eseal_result {
					return C.eseal_pdf_options_set_signing_time(o, C.int64_t(opts.SigningTime.Unix()))
				})
			}
			return steps
		})
}

// PrepareSignPDF starts sealing pdf with seal for the signer of cert (PEM or DER) whose key is
// elsewhere (two-phase); Finish returns the sealed PDF. opts may be nil.
func PrepareSignPDF(cert []byte, seal *Seal, pdf []byte, opts *PDFOptions) (*Pending, error) {
	o, err := newPDFOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.eseal_pdf_options_free(o)
	return prepareWithSeal(seal, func(sp *C.eseal_seal, out **C.eseal_pending) C.eseal_result {
		c, cn := cbytes(cert)
		d, n := cbytes(pdf)
		return C.eseal_prepare_sign_pdf(c, cn, sp, d, n, o, out)
	})
}
