package eseal

/*
#include <stdlib.h>
#include "eseal.h"
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// Seal is a GB/T 38540 seal (SESeal of version 1, 4 or 5). Safe for concurrent use.
type Seal struct {
	h handle
}

func newSeal(p *C.eseal_seal) *Seal {
	s := &Seal{h: handle{ptr: unsafe.Pointer(p)}}
	runtime.SetFinalizer(s, (*Seal).Close)
	return s
}

// ParseSeal parses a DER seal (the maker's signature is checked by Verifier.Verify, not here).
func ParseSeal(der []byte) (*Seal, error) {
	var p *C.eseal_seal
	d, n := cbytes(der)
	if err := call(func() C.eseal_result { return C.eseal_seal_parse(d, n, &p) }); err != nil {
		return nil, err
	}
	return newSeal(p), nil
}

// Close frees the seal. It is safe to call more than once.
func (s *Seal) Close() error {
	s.h.close(func(p unsafe.Pointer) { C.eseal_seal_free((*C.eseal_seal)(p)) })
	runtime.SetFinalizer(s, nil)
	return nil
}

// DER returns the seal's bytes exactly as read or made.
func (s *Seal) DER() ([]byte, error) {
	defer runtime.KeepAlive(s)
	var out []byte
	err := s.h.use(func(p unsafe.Pointer) error {
		var d *C.uint8_t
		var n C.size_t
		if err := call(func() C.eseal_result { return C.eseal_seal_der((*C.eseal_seal)(p), &d, &n) }); err != nil {
			return err
		}
		out = C.GoBytes(unsafe.Pointer(d), C.int(n))
		return nil
	})
	return out, err
}

// InfoJSON returns facts about the seal as JSON (format, es_id, name, type, validity, picture,
// maker).
func (s *Seal) InfoJSON() (string, error) {
	defer runtime.KeepAlive(s)
	var out string
	err := s.h.use(func(p unsafe.Pointer) error {
		var j *C.char
		var n C.size_t
		if err := call(func() C.eseal_result { return C.eseal_seal_info_json((*C.eseal_seal)(p), &j, &n) }); err != nil {
			return err
		}
		out = C.GoStringN(j, C.int(n))
		return nil
	})
	return out, err
}

// SealSpec describes a seal to make (GB/T 38540 §7.1).
type SealSpec struct {
	Vid, EsID, Name string
	// Version is 4 (default when 0) or 5.
	Version uint32
	// Type is the business-defined seal type (default 1 when 0).
	Type int64
	// CertDigests lists SM3 digests of the signer certificates instead of the certificates.
	CertDigests bool
	// SignerCerts are the certificates (PEM or DER) of the signers allowed to use the seal.
	SignerCerts [][]byte
	// ValidFrom and ValidTo bound the seal's validity; Created defaults to the time of making.
	ValidFrom, ValidTo, Created time.Time
	// PictureType is "PNG", "JPG", "GIF", "BMP", "SVG" or "OFD"; the size is in millimetres.
	PictureType       string
	Picture           []byte
	WidthMM, HeightMM int64
}

// MakeSeal makes a seal described by spec and signs it with the maker's signer.
func MakeSeal(maker *Signer, spec *SealSpec) (*Seal, error) {
	defer runtime.KeepAlive(maker)
	var seal *Seal
	err := withBuilder(spec, func(b *C.eseal_seal_builder) error {
		return maker.h.use(func(mp unsafe.Pointer) error {
			var p *C.eseal_seal
			if err := call(func() C.eseal_result { return C.eseal_seal_make(b, (*C.eseal_signer)(mp), &p) }); err != nil {
				return err
			}
			seal = newSeal(p)
			return nil
		})
	})
	return seal, err
}

// PrepareMakeSeal starts making the seal spec describes for a maker whose key is elsewhere
// (two-phase): makerCert (PEM or DER) becomes the maker certificate; Finish returns the seal's
// DER (ParseSeal it).
func PrepareMakeSeal(spec *SealSpec, makerCert []byte) (*Pending, error) {
	var pe *Pending
	err := withBuilder(spec, func(b *C.eseal_seal_builder) error {
		var p *C.eseal_pending
		c, cn := cbytes(makerCert)
		if err := call(func() C.eseal_result { return C.eseal_prepare_seal_make(b, c, cn, &p) }); err != nil {
			return err
		}
		pe = newPending(p)
		return nil
	})
	return pe, err
}

// withBuilder runs f with a C seal builder holding spec, then frees it.
func withBuilder(spec *SealSpec, f func(b *C.eseal_seal_builder) error) error {
	vid, esID, name := C.CString(spec.Vid), C.CString(spec.EsID), C.CString(spec.Name)
	defer C.free(unsafe.Pointer(vid))
	defer C.free(unsafe.Pointer(esID))
	defer C.free(unsafe.Pointer(name))
	var b *C.eseal_seal_builder
	if err := call(func() C.eseal_result { return C.eseal_seal_builder_new(vid, esID, name, &b) }); err != nil {
		return err
	}
	defer C.eseal_seal_builder_free(b)
	steps := []func() C.eseal_result{}
	if spec.Version != 0 {
		steps = append(steps, func() C.eseal_result { return C.eseal_seal_builder_set_version(b, C.uint32_t(spec.Version)) })
	}
	if spec.Type != 0 {
		steps = append(steps, func() C.eseal_result { return C.eseal_seal_builder_set_type(b, C.int64_t(spec.Type)) })
	}
	if spec.CertDigests {
		steps = append(steps, func() C.eseal_result { return C.eseal_seal_builder_set_cert_list_type(b, 2) })
	}
	for _, c := range spec.SignerCerts {
		d, n := cbytes(c)
		steps = append(steps, func() C.eseal_result { return C.eseal_seal_builder_add_signer_cert(b, d, n) })
	}
	steps = append(steps, func() C.eseal_result {
		return C.eseal_seal_builder_set_validity(b, C.int64_t(spec.ValidFrom.Unix()), C.int64_t(spec.ValidTo.Unix()))
	})
	if !spec.Created.IsZero() {
		steps = append(steps, func() C.eseal_result { return C.eseal_seal_builder_set_create_date(b, C.int64_t(spec.Created.Unix())) })
	}
	ptype := C.CString(spec.PictureType)
	defer C.free(unsafe.Pointer(ptype))
	pd, pn := cbytes(spec.Picture)
	steps = append(steps, func() C.eseal_result {
		return C.eseal_seal_builder_set_picture(b, ptype, pd, pn, C.int64_t(spec.WidthMM), C.int64_t(spec.HeightMM))
	})
	if err := callAll(steps); err != nil {
		return err
	}
	return f(b)
}

// SignOptions control how a seal is applied to data; the zero value gives the defaults
// (empty propertyInfo, signing time now, version 4).
type SignOptions struct {
	PropertyInfo string
	SigningTime  time.Time
	Version      uint32
}

// SignData applies seal to data (GB/T 38540 §7.2) and returns the DER SES_Signature. The
// signer's certificate must be listed in the seal (else ResultSealRefused). opts may be nil.
func (s *Signer) SignData(seal *Seal, data []byte, opts *SignOptions) ([]byte, error) {
	o, err := newSignOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.eseal_sign_options_free(o)
	return s.applySeal(seal, func(sp *C.eseal_signer, sealp *C.eseal_seal, out **C.eseal_bytes) C.eseal_result {
		d, n := cbytes(data)
		return C.eseal_sign_data(sp, sealp, d, n, o, out)
	})
}

// VerifyDetached verifies a seal signature together with the data it protects (so its
// data_hash check is decided).
func (v *Verifier) VerifyDetached(sig, data []byte) (*Report, error) {
	return v.report(func(vp *C.eseal_verifier, out **C.eseal_report) C.eseal_result {
		s, sn := cbytes(sig)
		d, dn := cbytes(data)
		return C.eseal_verify_detached(vp, s, sn, d, dn, out)
	})
}

// newSignOptions makes the C options for opts (NULL for nil opts); the caller frees them.
func newSignOptions(opts *SignOptions) (*C.eseal_sign_options, error) {
	if opts == nil {
		return nil, nil
	}
	// The string stays allocated until the setters have run.
	var pi *C.char
	if opts.PropertyInfo != "" {
		pi = C.CString(opts.PropertyInfo)
		defer C.free(unsafe.Pointer(pi))
	}
	return configured(
		func(o **C.eseal_sign_options) C.eseal_result { return C.eseal_sign_options_new(o) },
		func(o *C.eseal_sign_options) { C.eseal_sign_options_free(o) },
		func(o *C.eseal_sign_options) []func() C.eseal_result {
			var steps []func() C.eseal_result
			if pi != nil {
				steps = append(steps, func() C.eseal_result { return C.eseal_sign_options_set_property_info(o, pi) })
			}
			if !opts.SigningTime.IsZero() {
				steps = append(steps, func() C.eseal_result {
					return C.eseal_sign_options_set_signing_time(o, C.int64_t(opts.SigningTime.Unix()))
				})
			}
			if opts.Version != 0 {
				steps = append(steps, func() C.eseal_result { return C.eseal_sign_options_set_version(o, C.uint32_t(opts.Version)) })
			}
			return steps
		})
}

// PrepareSignData starts applying seal to data for the signer of cert (PEM or DER) whose key is
// elsewhere (two-phase); Finish returns the DER SES_Signature. opts may be nil.
func PrepareSignData(cert []byte, seal *Seal, data []byte, opts *SignOptions) (*Pending, error) {
	o, err := newSignOptions(opts)
	if err != nil {
		return nil, err
	}
	defer C.eseal_sign_options_free(o)
	return prepareWithSeal(seal, func(sp *C.eseal_seal, out **C.eseal_pending) C.eseal_result {
		c, cn := cbytes(cert)
		d, n := cbytes(data)
		return C.eseal_prepare_sign_data(c, cn, sp, d, n, o, out)
	})
}

// prepareWithSeal runs a prepare call that reads seal and returns its pending operation.
func prepareWithSeal(seal *Seal, f func(sp *C.eseal_seal, out **C.eseal_pending) C.eseal_result) (*Pending, error) {
	defer runtime.KeepAlive(seal)
	var pe *Pending
	err := seal.h.use(func(sp unsafe.Pointer) error {
		var p *C.eseal_pending
		if err := call(func() C.eseal_result { return f((*C.eseal_seal)(sp), &p) }); err != nil {
			return err
		}
		pe = newPending(p)
		return nil
	})
	return pe, err
}
