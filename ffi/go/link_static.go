//go:build !eseal_dynamic

package eseal

// By default the package links the static library built by
// `cargo build --release -p eseal-ffi` in the repository's target directory.

/*
#cgo LDFLAGS: ${SRCDIR}/../../target/release/libeseal.a -lpthread -ldl -lm
*/
import "C"
