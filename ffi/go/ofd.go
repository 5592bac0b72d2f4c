package eseal

/*
#include "eseal.h"
*/
import "C"

import (
	"time"
)

// OFDOptions control where and how an OFD is sealed; the zero value gives the defaults
// (page 1, 10 mm × 10 mm from the top-left corner, signing time now).
type OFDOptions struct {
	// Page is 1-based (0: page 1).
	Page uint32
	// X and Y are the stamp's left and top edges in millimetres (both 0: the default position).
	XMM, YMM float64
	// ProtectAll also protects Signatures.xml: the document then refuses later signatures.
	ProtectAll bool
	// IncludeSealFile stores the seal as Sign_N/Seal.esl.
	IncludeSealFile bool
	// SigningTime (zero: now).
	SigningTime time.Time
}

func boolInt(b bool) C.int {
	if b {
		return 1
	}
	return 0
}

// SealOFD seals the OFD package ofd with seal and returns the sealed package. The signer's
// certificate must be listed in the seal (else ResultSealRefused); opts may be nil.
func (s *Signer) SealOFD(seal *Seal, ofd []byte, opts *OFDOptions) ([]byte, error) {
	o, err := newOFDOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.eseal_ofd_options_free(o)
	return s.applySeal(seal, func(sp *C.eseal_signer, sealp *C.eseal_seal, out **C.eseal_bytes) C.eseal_result {
		d, n := cbytes(ofd)
		return C.eseal_seal_ofd(sp, sealp, d, n, o, out)
	})
}

// newOFDOptions makes the C options for opts (NULL for nil opts); the caller frees them.
func newOFDOptions(opts *OFDOptions) (*C.eseal_ofd_options, error) {
	if opts == nil {
		return nil, nil
	}
	return configured(
		func(o **C.eseal_ofd_options) C.eseal_result { return C.eseal_ofd_options_new(o) },
		func(o *C.eseal_ofd_options) { C.eseal_ofd_options_free(o) },
		func(o *C.eseal_ofd_options) []func() C.eseal_result {
			steps := []func() C.eseal_result{
				func() C.eseal_result { return C.eseal_ofd_options_set_protect_all(o, boolInt(opts.ProtectAll)) },
				func() C.eseal_result {
					return C.eseal_ofd_options_set_include_seal_file(o, boolInt(opts.IncludeSealFile))
				},
			}
			if opts.Page != 0 {
				steps = append(steps, func() C.eseal_result { return C.eseal_ofd_options_set_page(o, C.uint32_t(opts.Page)) })
			}
			if opts.XMM != 0 || opts.YMM != 0 {
				steps = append(steps, func() C.eseal_result {
					return C.eseal_ofd_options_set_position(o, C.double(opts.XMM), C.double(opts.YMM))
				})
			}
			if !opts.SigningTime.IsZero() {
				steps = append(steps, func() C.eseal_result {
					return C.eseal_ofd_options_set_signing_time(o, C.int64_t(opts.SigningTime.Unix()))
				})
			}
			return steps
		})
}

// PrepareSealOFD starts sealing the OFD package ofd with seal for the signer of cert (PEM or
// DER) whose key is elsewhere (two-phase); Finish returns the sealed package. opts may be nil.
func PrepareSealOFD(cert []byte, seal *Seal, ofd []byte, opts *OFDOptions) (*Pending, error) {
	o, err := newOFDOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.eseal_ofd_options_free(o)
	return prepareWithSeal(seal, func(sp *C.eseal_seal, out **C.eseal_pending) C.eseal_result {
		c, cn := cbytes(cert)
		d, n := cbytes(ofd)
		return C.eseal_prepare_seal_ofd(c, cn, sp, d, n, o, out)
	})
}
