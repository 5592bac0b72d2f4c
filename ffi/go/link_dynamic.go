//go:build eseal_dynamic

package eseal

// With the build tag eseal_dynamic the package links libeseal.so found by the linker
// (set CGO_LDFLAGS=-L/path/to/lib and LD_LIBRARY_PATH accordingly).

/*
#cgo LDFLAGS: -leseal
*/
import "C"
