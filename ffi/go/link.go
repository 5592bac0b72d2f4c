//go:build !eseal_static && !eseal_nopkgconfig

package eseal

// The library is found through pkg-config (ffi/install.sh PREFIX installs eseal.pc; set
// PKG_CONFIG_PATH=PREFIX/lib/pkgconfig): libeseal.so, with an rpath to its directory. Build tag
// eseal_static links libeseal.a instead (eseal-static.pc); eseal_nopkgconfig takes everything
// from CGO_CFLAGS (-I for eseal.h) and CGO_LDFLAGS (-L… -leseal, or the path of libeseal.a
// followed by -lpthread -ldl -lm).

/*
#cgo pkg-config: eseal
*/
import "C"
