package eseal_test

import (
	"encoding/json"
	"testing"

	. "github.com/eseal/eseal/ffi/go"
)

// An electronic licence (test-vectors/licence/good.pdf, issued by `eseal licence issue` from a
// PDF form) verifies as a licence, with every licence check passing and the licence section
// readable; expired.ofd fails exactly licence.validity.
func TestLicence(t *testing.T) {
	v, err := NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	for _, step := range []error{
		v.AddTrust(vector(t, "licence/root.pem")),
		v.SetTime(t2026),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	r, err := v.VerifyNamed("good.pdf", vector(t, "licence/good.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != Valid {
		t.Fatalf("verdict %v: %s", r.Verdict, r.JSON[0])
	}
	var doc struct {
		Licence struct {
			LicenceID  string `json:"licence_id"`
			Holder     string `json:"holder"`
			HolderID   string `json:"holder_id"`
			IssuerCode string `json:"issuer_code"`
			ValidTo    string `json:"valid_to"`
			Verdict    string `json:"verdict"`
			Fields     []struct {
				Name, Source string
			} `json:"fields"`
			Checks []Check `json:"checks"`
		} `json:"licence"`
	}
	if err := json.Unmarshal([]byte(r.JSON[0]), &doc); err != nil {
		t.Fatal(err)
	}
	l := doc.Licence
	if l.Verdict != "valid" || l.Holder != "某某科技有限公司" || l.IssuerCode != "11370000MB2852565A" ||
		l.ValidTo != "2044-05-19" || len(l.LicenceID) < 40 || len(l.Checks) != 6 || len(l.Fields) == 0 {
		t.Fatalf("licence section: %+v", l)
	}
	for _, c := range l.Checks {
		if c.Status != "pass" {
			t.Fatalf("%s: %s %s", c.ID, c.Status, c.Message)
		}
	}
	r, err = v.VerifyNamed("expired.ofd", vector(t, "licence/expired.ofd"))
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Check("licence.validity"); r.Verdict != Invalid || c == nil || c.Status != "fail" {
		t.Fatalf("expired.ofd: %v %+v", r.Verdict, c)
	}
	if c := r.Check("licence.identifier"); c == nil || c.Status != "pass" {
		t.Fatalf("expired.ofd identifier: %+v", c)
	}
}
