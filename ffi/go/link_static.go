//go:build eseal_static && !eseal_nopkgconfig

package eseal

// Links libeseal.a found through pkg-config (eseal-static.pc from ffi/install.sh): the binary
// then needs no libeseal.so at run time.

/*
#cgo pkg-config: eseal-static
*/
import "C"
