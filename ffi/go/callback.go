package eseal

// The C trampoline of NewSignerFromFunc. This file has an //export, so its preamble holds
// declarations only.

/*
#include "eseal.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"
)

// esealGoSign is the eseal_sign_callback of every signer made by NewSignerFromFunc: userdata
// points at the cgo.Handle of its SignFunc. Returns 0 on success.
//
//export esealGoSign
func esealGoSign(userdata unsafe.Pointer, digest *C.uint8_t, digestLen C.size_t, sig *C.uint8_t, sigCap C.size_t, sigLen *C.size_t) C.int {
	f, ok := cgo.Handle(*(*C.uintptr_t)(userdata)).Value().(SignFunc)
	if !ok {
		return 1
	}
	out, err := f(C.GoBytes(unsafe.Pointer(digest), C.int(digestLen)))
	if err != nil {
		return 2
	}
	if len(out) == 0 || len(out) > int(sigCap) {
		return 3
	}
	copy(unsafe.Slice((*byte)(unsafe.Pointer(sig)), int(sigCap)), out)
	*sigLen = C.size_t(len(out))
	return 0
}
