package eseal

/*
#include <stdlib.h>
#include "eseal.h"
*/
import "C"

import (
	"runtime"
	"strconv"
	"strings"
	"unsafe"
)

// Columns of a Row (the C ABI's ESEAL_COLUMN_*).
const (
	ColumnInput               = int(C.ESEAL_COLUMN_INPUT)
	ColumnReportIndex         = int(C.ESEAL_COLUMN_REPORT_INDEX)
	ColumnPath                = int(C.ESEAL_COLUMN_PATH)
	ColumnKind                = int(C.ESEAL_COLUMN_KIND)
	ColumnVerdict             = int(C.ESEAL_COLUMN_VERDICT)
	ColumnFailingChecks       = int(C.ESEAL_COLUMN_FAILING_CHECKS)
	ColumnIndeterminateChecks = int(C.ESEAL_COLUMN_INDETERMINATE_CHECKS)
	ColumnSignatureCount      = int(C.ESEAL_COLUMN_SIGNATURE_COUNT)
	ColumnSignerSubject       = int(C.ESEAL_COLUMN_SIGNER_SUBJECT)
	ColumnSignerSerial        = int(C.ESEAL_COLUMN_SIGNER_SERIAL)
	ColumnSealID              = int(C.ESEAL_COLUMN_SEAL_ID)
	ColumnSealName            = int(C.ESEAL_COLUMN_SEAL_NAME)
	ColumnSigningTime         = int(C.ESEAL_COLUMN_SIGNING_TIME)
	ColumnLicence             = int(C.ESEAL_COLUMN_LICENCE)
	ColumnLicenceIdentifier   = int(C.ESEAL_COLUMN_LICENCE_IDENTIFIER)
	ColumnLicenceVerdict      = int(C.ESEAL_COLUMN_LICENCE_VERDICT)
	ColumnError               = int(C.ESEAL_COLUMN_ERROR)
	ColumnReport              = int(C.ESEAL_COLUMN_REPORT)
	ColumnCount               = int(C.ESEAL_COLUMN_COUNT)
)

// Row is one report of a batch reduced to table columns by the library: a cell is nil where
// the report has no such fact (see the ESEAL_COLUMN_* docs in eseal.h).
type Row [ColumnCount]*string

// Text is the cell of column c, "" when nil.
func (r *Row) Text(c int) string {
	if r[c] == nil {
		return ""
	}
	return *r[c]
}

// Int is a numeric cell (ColumnInput, ColumnReportIndex, ColumnSignatureCount).
func (r *Row) Int(c int) int {
	n, _ := strconv.Atoi(r.Text(c))
	return n
}

// List is a list cell (ColumnFailingChecks, ColumnIndeterminateChecks), empty when none.
func (r *Row) List(c int) []string {
	if r.Text(c) == "" {
		return nil
	}
	return strings.Split(r.Text(c), ",")
}

// VerifyFiles verifies files of the local file system on the library's worker threads
// (threads 0: one per core) and returns one Row per report. The library reads each file; one
// it cannot read is a row with ColumnError set. names (nil, or one per path) label the reports
// instead of the paths.
func (v *Verifier) VerifyFiles(paths, names []string, threads int) ([]Row, error) {
	if names != nil && len(names) != len(paths) {
		return nil, &Error{Code: ResultInvalidArgument, Detail: "names and paths differ in number"}
	}
	return v.rows(len(paths), threads, C.sizeof_eseal_file, func(arr unsafe.Pointer, keep func(unsafe.Pointer)) {
		files := unsafe.Slice((*C.eseal_file)(arr), len(paths))
		for i, p := range paths {
			files[i].path = C.CString(p)
			keep(unsafe.Pointer(files[i].path))
			if names != nil {
				files[i].name = C.CString(names[i])
				keep(unsafe.Pointer(files[i].name))
			}
		}
	}, func(p *C.eseal_verifier, arr unsafe.Pointer, out **C.eseal_rows) C.eseal_result {
		return C.eseal_rows_verify_files(p, (*C.eseal_file)(arr), C.size_t(len(paths)), C.size_t(threads), out)
	})
}

// VerifyRows verifies inputs in memory like VerifyFiles; names (nil, or one per input) label
// the reports (else "#index").
func (v *Verifier) VerifyRows(inputs [][]byte, names []string, threads int) ([]Row, error) {
	if names != nil && len(names) != len(inputs) {
		return nil, &Error{Code: ResultInvalidArgument, Detail: "names and inputs differ in number"}
	}
	return v.rows(len(inputs), threads, C.sizeof_eseal_input, func(arr unsafe.Pointer, keep func(unsafe.Pointer)) {
		items := unsafe.Slice((*C.eseal_input)(arr), len(inputs))
		for i, in := range inputs {
			items[i].data = (*C.uint8_t)(C.CBytes(append(in[:len(in):len(in)], 0)))
			keep(unsafe.Pointer(items[i].data))
			items[i].len = C.size_t(len(in))
			if names != nil {
				items[i].name = C.CString(names[i])
				keep(unsafe.Pointer(items[i].name))
			}
		}
	}, func(p *C.eseal_verifier, arr unsafe.Pointer, out **C.eseal_rows) C.eseal_result {
		return C.eseal_rows_verify_inputs(p, (*C.eseal_input)(arr), C.size_t(len(inputs)), C.size_t(threads), out)
	})
}

// rows builds a zeroed C array of n elements of size bytes with fill (which registers the C
// memory it allocates with keep), makes the call and copies the table out.
func (v *Verifier) rows(n, threads int, size C.size_t, fill func(arr unsafe.Pointer, keep func(unsafe.Pointer)),
	f func(*C.eseal_verifier, unsafe.Pointer, **C.eseal_rows) C.eseal_result) ([]Row, error) {
	defer runtime.KeepAlive(v)
	if threads < 0 {
		return nil, &Error{Code: ResultInvalidArgument, Detail: "threads is negative"}
	}
	var out []Row
	err := v.h.use(func(p unsafe.Pointer) error {
		arr := C.calloc(C.size_t(n)+1, size)
		var owned []unsafe.Pointer
		defer func() {
			for _, m := range owned {
				C.free(m)
			}
			C.free(arr)
		}()
		fill(arr, func(m unsafe.Pointer) { owned = append(owned, m) })
		var t *C.eseal_rows
		if err := call(func() C.eseal_result { return f((*C.eseal_verifier)(p), arr, &t) }); err != nil {
			return err
		}
		defer C.eseal_rows_free(t)
		out = make([]Row, int(C.eseal_rows_count(t)))
		for i := range out {
			for c := 0; c < ColumnCount; c++ {
				var text *C.char
				var l C.size_t
				if err := call(func() C.eseal_result {
					return C.eseal_rows_get(t, C.size_t(i), C.size_t(c), &text, &l)
				}); err != nil {
					return err
				}
				if text != nil {
					s := C.GoStringN(text, C.int(l))
					out[i][c] = &s
				}
			}
		}
		return nil
	})
	return out, err
}
