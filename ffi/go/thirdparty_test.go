package eseal_test

// The third-party corpus (test-vectors/third-party/*/manifest.json) through the Go binding:
// every case verified with its trust anchors, intermediates, CRLs, reference time and detached
// data, and its verdict and named checks compared with the manifest (as tests/third_party.rs
// does through the library and the CLI).

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	. "github.com/eseal/eseal/ffi/go"
)

type tpSignature struct {
	Verdict           *string           `json:"verdict"`
	Format            *string           `json:"format"`
	ModificationLevel *string           `json:"modification_level"`
	Checks            map[string]string `json:"checks"`
}

type tpCase struct {
	File          string            `json:"file"`
	Trust         []string          `json:"trust"`
	Intermediates []string          `json:"intermediates"`
	CRLs          []string          `json:"crls"`
	At            string            `json:"at"`
	Data          string            `json:"data"`
	Verdict       *string           `json:"verdict"`
	Checks        map[string]string `json:"checks"`
	Signatures    *[]tpSignature    `json:"signatures"`
}

type tpCheck struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

type tpReport struct {
	Verdict    string    `json:"verdict"`
	Checks     []tpCheck `json:"checks"`
	Signatures []struct {
		Verdict           string    `json:"verdict"`
		Format            string    `json:"format"`
		ModificationLevel *string   `json:"modification_level"`
		Checks            []tpCheck `json:"checks"`
	} `json:"signatures"`
}

func tpStatus(checks []tpCheck, id string) string {
	for _, c := range checks {
		if c.ID == id {
			return c.Status
		}
	}
	return "(absent)"
}

// tpCompare returns how the report differs from the case.
func tpCompare(r *tpReport, c *tpCase) []string {
	var errs []string
	if c.Verdict != nil && r.Verdict != *c.Verdict {
		errs = append(errs, fmt.Sprintf("verdict %s (want %s)", r.Verdict, *c.Verdict))
	}
	for id, want := range c.Checks {
		if got := tpStatus(r.Checks, id); got != want {
			errs = append(errs, fmt.Sprintf("check %s: %s (want %s)", id, got, want))
		}
	}
	if c.Signatures == nil {
		return errs
	}
	sigs := *c.Signatures
	if len(r.Signatures) != len(sigs) {
		errs = append(errs, fmt.Sprintf("%d signatures (want %d)", len(r.Signatures), len(sigs)))
	}
	for i := 0; i < len(sigs) && i < len(r.Signatures); i++ {
		want, got := sigs[i], r.Signatures[i]
		if want.Verdict != nil && got.Verdict != *want.Verdict {
			errs = append(errs, fmt.Sprintf("signature %d: verdict %s (want %s)", i, got.Verdict, *want.Verdict))
		}
		if want.Format != nil && got.Format != *want.Format {
			errs = append(errs, fmt.Sprintf("signature %d: format %s (want %s)", i, got.Format, *want.Format))
		}
		if want.ModificationLevel != nil {
			level := "(absent)"
			if got.ModificationLevel != nil {
				level = *got.ModificationLevel
			}
			if level != *want.ModificationLevel {
				errs = append(errs, fmt.Sprintf("signature %d: modification_level %s (want %s)", i, level, *want.ModificationLevel))
			}
		}
		for id, w := range want.Checks {
			if s := tpStatus(got.Checks, id); s != w {
				errs = append(errs, fmt.Sprintf("signature %d: check %s: %s (want %s)", i, id, s, w))
			}
		}
	}
	return errs
}

// tpVerify verifies one case through the binding and returns its report.
func tpVerify(t *testing.T, dir string, c *tpCase) *Report {
	t.Helper()
	read := func(rel string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	v, err := NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for _, f := range c.Trust {
		if err := v.AddTrust(read(f)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, f := range c.Intermediates {
		if err := v.AddIntermediates(read(f)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	for _, f := range c.CRLs {
		if err := v.AddCRL(read(f)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if c.At != "" {
		at, err := time.Parse(time.RFC3339, c.At)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.SetTime(at.Unix()); err != nil {
			t.Fatal(err)
		}
	}
	var r *Report
	if c.Data != "" {
		r, err = v.VerifyDetached(read(c.File), read(c.Data))
	} else {
		r, err = v.Verify(read(c.File))
	}
	if err != nil {
		t.Fatalf("%s: %v", c.File, err)
	}
	return r
}

func TestThirdPartyCorpus(t *testing.T) {
	manifests, err := filepath.Glob("../../test-vectors/third-party/*/manifest.json")
	if err != nil || len(manifests) == 0 {
		t.Fatalf("no third-party manifests: %v", err)
	}
	n := 0
	for _, m := range manifests {
		text, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Cases []tpCase `json:"cases"`
		}
		if err := json.Unmarshal(text, &doc); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		dir := filepath.Dir(m)
		for i := range doc.Cases {
			c := &doc.Cases[i]
			r := tpVerify(t, dir, c)
			var rep tpReport
			if err := json.Unmarshal([]byte(r.JSON[0]), &rep); err != nil {
				t.Fatalf("%s/%s: %v", dir, c.File, err)
			}
			if rep.Verdict != r.Verdict.String() {
				t.Errorf("%s/%s: verdict %s, JSON says %s", dir, c.File, r.Verdict, rep.Verdict)
			}
			for _, e := range tpCompare(&rep, c) {
				t.Errorf("%s/%s (Go): %s", dir, c.File, e)
			}
			n++
		}
	}
	t.Logf("%d third-party cases in %d folders", n, len(manifests))
}
