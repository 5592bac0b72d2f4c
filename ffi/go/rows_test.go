package eseal_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	. "github.com/eseal/eseal/ffi/go"
)

func TestVerifyFilesAndRows(t *testing.T) {
	v := chainVerifier(t)
	defer v.Close()
	dir := "../../test-vectors/chains/"
	rows, err := v.VerifyFiles([]string{dir + "leaf.pem", dir + "revoked.pem", dir + "no-such-file.pem"},
		[]string{"a.pem", "b.pem", "c.pem"}, 2)
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v, %d rows", err, len(rows))
	}
	for i, want := range []struct{ path, verdict, failing string }{
		{"a.pem", "valid", ""}, {"b.pem", "invalid", "cert.revocation"}, {"c.pem", "invalid", "format"},
	} {
		r := &rows[i]
		if r.Int(ColumnInput) != i || r.Text(ColumnPath) != want.path || r.Text(ColumnVerdict) != want.verdict ||
			strings.Join(r.List(ColumnFailingChecks), ",") != want.failing {
			t.Errorf("row %d: %s %s %v", i, r.Text(ColumnPath), r.Text(ColumnVerdict), r.List(ColumnFailingChecks))
		}
	}
	if rows[0][ColumnError] != nil || rows[2][ColumnError] == nil || !strings.HasPrefix(rows[0].Text(ColumnSignerSubject), "CN=") {
		t.Errorf("error or subject cells: %v %v %q", rows[0][ColumnError], rows[2][ColumnError], rows[0].Text(ColumnSignerSubject))
	}
	// The report column is the report Verify gives, labelled with the name.
	one, err := v.Verify(vector(t, "chains/revoked.pem"))
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if json.Unmarshal([]byte(rows[1].Text(ColumnReport)), &got) != nil || json.Unmarshal([]byte(one.JSON[0]), &want) != nil {
		t.Fatal("report JSON")
	}
	want["path"] = "b.pem"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("report column differs from Verify's report")
	}
	// In memory: a PEM bundle gives one row per certificate.
	bundle := append(vector(t, "chains/leaf.pem"), vector(t, "chains/revoked.pem")...)
	rows, err = v.VerifyRows([][]byte{bundle, []byte("junk")}, nil, 0)
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v, %d rows", err, len(rows))
	}
	if rows[1].Text(ColumnPath) != "#0#2" || rows[1].Int(ColumnReportIndex) != 1 || rows[2].Text(ColumnKind) != "unknown" {
		t.Errorf("bundle rows: %q %d %q", rows[1].Text(ColumnPath), rows[1].Int(ColumnReportIndex), rows[2].Text(ColumnKind))
	}
	if _, err := v.VerifyFiles([]string{"x"}, []string{}, 1); CodeOf(err) != ResultInvalidArgument {
		t.Errorf("names of another length: %v", err)
	}
	if rows, err := v.VerifyRows(nil, nil, 1); err != nil || len(rows) != 0 {
		t.Errorf("empty: %v %d", err, len(rows))
	}
}
