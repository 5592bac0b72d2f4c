package eseal_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/eseal/eseal/ffi/go"
)

// The test vectors live in the repository's test-vectors/ folder.
func vector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../test-vectors/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// 2026-01-01T00:00:00Z, the reference time of test-vectors/chains/cases.json.
const t2026 = 1767225600

func chainVerifier(t *testing.T) *Verifier {
	t.Helper()
	v, err := NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []error{
		v.AddTrust(vector(t, "chains/root.pem")),
		v.AddIntermediates(vector(t, "chains/inter.pem")),
		v.AddCRL(vector(t, "chains/inter_crl.pem")),
		v.AddCRL(vector(t, "chains/root_crl.pem")),
		v.SetTime(t2026),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	return v
}

var png = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0}

func TestVersionAndCodes(t *testing.T) {
	if v := Version(); v == "" || v[0] < '0' || v[0] > '9' {
		t.Fatalf("version %q", v)
	}
	if s := ResultWrongPassword.String(); s != "wrong password" {
		t.Fatalf("message %q", s)
	}
	if s := Result(4242).String(); s != "unknown result code 4242" {
		t.Fatalf("message %q", s)
	}
}

func TestVerify(t *testing.T) {
	v := chainVerifier(t)
	defer v.Close()
	cases := map[string]Verdict{"leaf.pem": Valid, "revoked.pem": Invalid, "expired.pem": Invalid, "other_leaf.pem": Indeterminate}
	for name, want := range cases {
		r, err := v.Verify(vector(t, "chains/"+name))
		if err != nil {
			t.Fatal(err)
		}
		if r.Verdict != want {
			t.Errorf("%s: %v, want %v", name, r.Verdict, want)
		}
	}
	r, _ := v.Verify(vector(t, "chains/revoked.pem"))
	if c := r.Check("cert.revocation"); c == nil || c.Status != "fail" {
		t.Errorf("revocation check %+v", c)
	}
	// Garbage is a report, not an error.
	r, err := v.Verify([]byte("junk"))
	if err != nil || r.Verdict != Invalid || !strings.Contains(r.JSON[0], `"error":"input of unknown kind`) {
		t.Errorf("garbage: %v %+v", err, r)
	}
	r, err = v.Verify(nil)
	if err != nil || r.Verdict != Invalid {
		t.Errorf("empty input: %v %+v", err, r)
	}
	// A PEM bundle gives one report per certificate.
	bundle := append(vector(t, "chains/leaf.pem"), vector(t, "chains/revoked.pem")...)
	r, err = v.Verify(bundle)
	if err != nil || len(r.JSON) != 2 || r.Verdict != Invalid {
		t.Errorf("bundle: %v %d %v", err, len(r.JSON), r.Verdict)
	}
}

func TestErrorsCarryCodes(t *testing.T) {
	v, _ := NewVerifier()
	defer v.Close()
	err := v.AddTrust([]byte("not a certificate"))
	var e *Error
	if !errors.As(err, &e) || e.Code != ResultMalformedCertificate || e.Detail == "" {
		t.Fatalf("AddTrust error %#v", err)
	}
	if CodeOf(v.AddCRL([]byte("x"))) != ResultMalformedCrl {
		t.Fatal("AddCRL code")
	}
	if CodeOf(v.SetTime(1<<62)) != ResultInvalidArgument {
		t.Fatal("SetTime code")
	}
	if !strings.Contains(err.Error(), "malformed certificate (3001)") {
		t.Fatalf("message %q", err.Error())
	}
	key, cert := vector(t, "keys/pkcs8-default.pem"), vector(t, "keys/leaf-cert.pem")
	if _, err := NewSignerFromPEM(key, cert, "wrong"); CodeOf(err) != ResultWrongPassword {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := NewSignerFromPEM(key, cert); CodeOf(err) != ResultPasswordRequired {
		t.Fatalf("no password: %v", err)
	}
	if _, err := NewSignerFromPEM(vector(t, "keys/other-key.pem"), cert); CodeOf(err) != ResultKeyMismatch {
		t.Fatalf("mismatch: %v", err)
	}
	if _, err := NewSignerFromPKCS12(vector(t, "keys/p12-default.p12"), "nope"); CodeOf(err) != ResultWrongPassword {
		t.Fatalf("p12 password: %v", err)
	}
}

func TestClose(t *testing.T) {
	v, _ := NewVerifier()
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify([]byte("x")); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
	s, err := NewSignerFromPKCS12(vector(t, "keys/p12-default.p12"), "eseal-test")
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := s.SignSM2([]byte("x")); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
}

func signer(t *testing.T) *Signer {
	t.Helper()
	s, err := NewSignerFromPEM(vector(t, "keys/key.pem"), vector(t, "keys/leaf-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSigners(t *testing.T) {
	s := signer(t)
	defer s.Close()
	sig, err := s.SignSM2([]byte("data"))
	if err != nil || len(sig) < 8 || sig[0] != 0x30 {
		t.Fatalf("sign: %v %x", err, sig)
	}
	cert, _ := s.Certificate()
	p12, err := NewSignerFromPKCS12(vector(t, "keys/p12-utf8pw.p12"), "密码-pässwörd")
	if err != nil {
		t.Fatal(err)
	}
	defer p12.Close()
	cert2, _ := p12.Certificate()
	if !bytes.Equal(cert, cert2) {
		t.Fatal("the PKCS#12 file holds another certificate")
	}

	// A device reached through a Go function; its digest is the two-phase digest.
	var seen []byte
	dev, err := NewSignerFromFunc(cert, func(e []byte) ([]byte, error) {
		seen = append([]byte(nil), e...)
		return s.SignDigest(e)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if _, err := dev.SignSM2([]byte("message")); err != nil {
		t.Fatal(err)
	}
	pe, err := PrepareSignSM2(cert, []byte("message"))
	if err != nil {
		t.Fatal(err)
	}
	defer pe.Close()
	e, _ := pe.Digest()
	if !bytes.Equal(e, seen) || len(e) != 32 {
		t.Fatalf("digests differ: %x %x", e, seen)
	}
	if _, err := pe.Finish([]byte("junk")); CodeOf(err) != ResultMalformedSignature {
		t.Fatalf("junk signature: %v", err)
	}
	good, _ := s.SignDigest(e)
	out, err := pe.Finish(good)
	if err != nil || !bytes.Equal(out, good) {
		t.Fatalf("finish: %v", err)
	}
	if _, err := pe.Finish(good); CodeOf(err) != ResultAlreadyUsed {
		t.Fatalf("second finish: %v", err)
	}

	// Failing devices.
	failing, _ := NewSignerFromFunc(cert, func(e []byte) ([]byte, error) { return nil, errors.New("card removed") })
	defer failing.Close()
	if _, err := failing.SignSM2([]byte("x")); CodeOf(err) != ResultSignerFailed {
		t.Fatalf("failing device: %v", err)
	}
	lying, _ := NewSignerFromFunc(cert, func(e []byte) ([]byte, error) { return s.SignDigest(make([]byte, 32)) })
	defer lying.Close()
	if _, err := lying.SignSM2([]byte("x")); CodeOf(err) != ResultSignerFailed {
		t.Fatalf("wrong signature: %v", err)
	}
}

func TestSeals(t *testing.T) {
	s := signer(t)
	defer s.Close()
	cert, _ := s.Certificate()
	now := time.Now()
	seal, err := MakeSeal(s, &SealSpec{
		Vid: "go", EsID: "es-go", Name: "Go 测试章", SignerCerts: [][]byte{cert},
		ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(24 * time.Hour),
		PictureType: "PNG", Picture: png, WidthMM: 40, HeightMM: 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer seal.Close()
	info, _ := seal.InfoJSON()
	if !strings.Contains(info, `"es_id":"es-go"`) {
		t.Fatal(info)
	}
	der, _ := seal.DER()
	again, err := ParseSeal(der)
	if err != nil {
		t.Fatal(err)
	}
	again.Close()
	if _, err := ParseSeal([]byte{0x30, 0}); CodeOf(err) != ResultMalformedSeal {
		t.Fatalf("parse garbage: %v", err)
	}

	// The README's snippet (a plain key ignores the password).
	sig, err := signWithKey(vector(t, "keys/key.pem"), vector(t, "keys/leaf-cert.pem"), "", seal, []byte("contract"))
	if err != nil || len(sig) < 100 {
		t.Fatalf("signWithKey: %v", err)
	}
	if _, err := signWithKey(vector(t, "keys/pkcs8-default.pem"), vector(t, "keys/leaf-cert.pem"), "bad", seal, nil); CodeOf(err) != ResultWrongPassword {
		t.Fatalf("signWithKey, wrong password: %v", err)
	}
	sig, err = s.SignData(seal, []byte("contract"), &SignOptions{PropertyInfo: "contract.txt", Version: 5})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := NewVerifier()
	defer v.Close()
	v.AddTrust(vector(t, "keys/ca-cert.pem"))
	r, err := v.VerifyDetached(sig, []byte("contract"))
	if err != nil || r.Verdict != Valid || r.Check("data_hash").Status != "pass" {
		t.Fatalf("detached: %v %+v", err, r)
	}
	r, _ = v.VerifyDetached(sig, []byte("contract!"))
	if r.Verdict != Invalid || r.Check("data_hash").Status != "fail" {
		t.Fatalf("tampered data: %+v", r)
	}
	if _, err := s.SignData(seal, []byte("x"), &SignOptions{SigningTime: now.Add(48 * time.Hour)}); CodeOf(err) != ResultSealRefused {
		t.Fatalf("out of validity: %v", err)
	}

	// A bare seal's seal_validity is judged at the reference time (issue 11).
	r, err = v.Verify(der)
	if err != nil || r.Verdict != Valid || r.Check("seal_validity") == nil || r.Check("seal_validity").Status != "pass" {
		t.Fatalf("bare seal now: %v %+v", err, r)
	}
	later, _ := NewVerifier()
	defer later.Close()
	later.AddTrust(vector(t, "keys/ca-cert.pem"))
	if err := later.SetTime(now.Add(48 * time.Hour).Unix()); err != nil {
		t.Fatal(err)
	}
	r, err = later.Verify(der)
	if err != nil || r.Verdict != Invalid || r.Check("seal_validity") == nil || r.Check("seal_validity").Status != "fail" {
		t.Fatalf("bare seal after validEnd: %v %+v", err, r)
	}
}

func TestConcurrency(t *testing.T) {
	v := chainVerifier(t)
	defer v.Close()
	s := signer(t)
	defer s.Close()
	leaf, revoked := vector(t, "chains/leaf.pem"), vector(t, "chains/revoked.pem")
	var wg sync.WaitGroup
	errs := make(chan string, 1000)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if r, err := v.Verify(leaf); err != nil || r.Verdict != Valid {
					errs <- "leaf"
				}
				if r, err := v.Verify(revoked); err != nil || r.Verdict != Invalid {
					errs <- "revoked"
				}
				if _, err := s.SignSM2([]byte{byte(g), byte(i)}); err != nil {
					errs <- err.Error()
				}
				// Each failure's detail belongs to its own call.
				if err := v.AddCRL([]byte{byte(g)}); CodeOf(err) != ResultMalformedCrl || err.(*Error).Detail == "" {
					errs <- "detail"
				}
			}
		}(g)
	}
	// Reconfiguring while others verify is allowed.
	for i := 0; i < 10; i++ {
		if err := v.AddIntermediates(vector(t, "chains/inter.pem")); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}

	inputs := make([][]byte, 40)
	for i := range inputs {
		inputs[i] = [][]byte{leaf, revoked, []byte("junk"), {}}[i%4]
	}
	reports, err := v.VerifyBatch(inputs, 8)
	if err != nil || len(reports) != len(inputs) {
		t.Fatal(err)
	}
	for i, r := range reports {
		want := Invalid
		if i%4 == 0 {
			want = Valid
		}
		if r.Verdict != want {
			t.Errorf("batch %d: %v", i, r.Verdict)
		}
	}
}

func TestSealOFD(t *testing.T) {
	samples := os.Getenv("ESEAL_SAMPLES")
	if samples == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("ESEAL_SAMPLES not set")
		}
		t.Skip("skipped: ESEAL_SAMPLES not set")
	}
	input, err := os.ReadFile(samples + "/ofdrw/helloworld.ofd")
	if err != nil {
		t.Fatal(err)
	}
	s := signer(t)
	defer s.Close()
	cert, _ := s.Certificate()
	now := time.Now()
	seal, err := MakeSeal(s, &SealSpec{
		Vid: "go", EsID: "es-ofd", Name: "OFD", SignerCerts: [][]byte{cert},
		ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(time.Hour),
		PictureType: "PNG", Picture: png, WidthMM: 40, HeightMM: 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer seal.Close()
	out, err := s.SealOFD(seal, input, &OFDOptions{Page: 1, XMM: 20, YMM: 30, ProtectAll: true})
	if err != nil || len(out) <= len(input) || !bytes.HasPrefix(out, []byte("PK\x03\x04")) {
		t.Fatalf("SealOFD: %v", err)
	}
	// Signatures.xml is now protected: a second seal is refused.
	if _, err := s.SealOFD(seal, out, nil); CodeOf(err) != ResultOfdRefused {
		t.Fatalf("second seal: %v", err)
	}
	if _, err := s.SealOFD(seal, []byte("PK\x03\x04junk"), nil); CodeOf(err) != ResultMalformedOfd {
		t.Fatalf("junk: %v", err)
	}
	if _, err := s.SealOFD(seal, input, &OFDOptions{XMM: -5, YMM: 1}); CodeOf(err) != ResultInvalidArgument {
		t.Fatalf("bad position: %v", err)
	}
}

// A one-page PDF with a classic xref table.
func minimalPDF() []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	b.WriteString("xref\n0 4\n0000000000 65535 f \n")
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// A 1×1 PNG (the PDF appearance decodes the picture).
var realPNG = []byte{137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 31, 21, 196, 137, 0, 0, 0, 13, 73, 68, 65, 84, 120, 218, 99, 100, 248, 207, 80, 15, 0, 3, 134, 1, 128, 90, 52, 125, 107, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130}

func TestSignPDF(t *testing.T) {
	s := signer(t)
	defer s.Close()
	cert, _ := s.Certificate()
	now := time.Now()
	seal, err := MakeSeal(s, &SealSpec{
		Vid: "go", EsID: "es-pdf", Name: "PDF", SignerCerts: [][]byte{cert},
		ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(time.Hour),
		PictureType: "PNG", Picture: realPNG, WidthMM: 40, HeightMM: 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer seal.Close()
	in := minimalPDF()
	for _, payload := range []PDFPayload{PayloadSES, PayloadCMS} {
		out, err := s.SignPDF(seal, in, &PDFOptions{Page: 1, XMM: 100, YMM: 150, Payload: payload, Reason: "同意", Location: "Beijing"})
		if err != nil {
			t.Fatalf("payload %d: %v", payload, err)
		}
		if !bytes.HasPrefix(out, in) || !bytes.Contains(out, []byte("/ByteRange")) {
			t.Fatalf("payload %d: not an incremental update with a signature", payload)
		}
		keepForChecks(t, fmt.Sprintf("go-%s.pdf", map[PDFPayload]string{PayloadSES: "ses", PayloadCMS: "cms"}[payload]), out)
	}
	// A signer whose key lives in a "device" (a UKey simulated by a Go callback that signs
	// the 32-byte digest e = SM3(Z || M)) seals too.
	dev, err := NewSignerFromFunc(cert, func(e []byte) ([]byte, error) { return s.SignDigest(e) })
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	for _, payload := range []PDFPayload{PayloadSES, PayloadCMS} {
		out, err := dev.SignPDF(seal, in, &PDFOptions{Page: 1, XMM: 30, YMM: 60, Payload: payload})
		if err != nil {
			t.Fatalf("device signer, payload %d: %v", payload, err)
		}
		keepForChecks(t, fmt.Sprintf("go-device-%s.pdf", map[PDFPayload]string{PayloadSES: "ses", PayloadCMS: "cms"}[payload]), out)
	}
	if _, err := s.SignPDF(seal, in, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignPDF(seal, []byte("%PDF-1.7\njunk"), nil); CodeOf(err) != ResultMalformedPdf {
		t.Fatalf("junk: %v", err)
	}
	if _, err := s.SignPDF(seal, in, &PDFOptions{Payload: 9}); CodeOf(err) != ResultInvalidArgument {
		t.Fatalf("bad payload: %v", err)
	}
}

// keepForChecks writes a sealed document into $ESEAL_BINDING_OUT when it is set, so that
// .ci/ffi.sh can check it with `eseal verify` and the independent PDF tools.
func keepForChecks(t *testing.T, name string, data []byte) {
	t.Helper()
	if dir := os.Getenv("ESEAL_BINDING_OUT"); dir != "" {
		if err := os.WriteFile(dir+"/"+name, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// finishWith signs the pending operation's digest with s and finishes it.
func finishWith(t *testing.T, s *Signer, pe *Pending) []byte {
	t.Helper()
	defer pe.Close()
	e, err := pe.Digest()
	if err != nil || len(e) != 32 {
		t.Fatalf("Digest: %v", err)
	}
	sig, err := s.SignDigest(e)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pe.Finish(sig)
	if err != nil {
		t.Fatalf("Finish: %v", err)
	}
	return out
}

// TestTwoPhase makes a seal, a seal signature, a sealed PDF and a sealed OFD in two phases
// (prepare, digest, sign elsewhere, finish) and verifies each.
func TestTwoPhase(t *testing.T) {
	s := signer(t)
	defer s.Close()
	cert, _ := s.Certificate()
	v, err := NewVerifier()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.AddTrust(vector(t, "keys/ca-cert.pem")); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	spec := &SealSpec{
		Vid: "go", EsID: "es-2p", Name: "两阶段", SignerCerts: [][]byte{cert},
		ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(time.Hour),
		PictureType: "PNG", Picture: realPNG, WidthMM: 40, HeightMM: 40,
	}
	pe, err := PrepareMakeSeal(spec, cert)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := s.SignDigest(make([]byte, 32))
	if _, err := pe.Finish(other); CodeOf(err) != ResultBadSignature {
		t.Fatalf("wrong signature: %v", err)
	}
	der := finishWith(t, s, pe)
	if r, _ := v.Verify(der); r.Verdict != Valid {
		t.Fatalf("two-phase seal: %v %s", r.Verdict, r.JSON)
	}
	seal, err := ParseSeal(der)
	if err != nil {
		t.Fatal(err)
	}
	defer seal.Close()
	data := []byte("two-phase")
	pe, err = PrepareSignData(cert, seal, data, &SignOptions{PropertyInfo: "2p.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := v.VerifyDetached(finishWith(t, s, pe), data); r.Verdict != Valid {
		t.Fatalf("two-phase seal signature: %v %s", r.Verdict, r.JSON)
	}
	pe, err = PrepareSignPDF(cert, seal, minimalPDF(), &PDFOptions{Reason: "2p"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := v.VerifyNamed("two-phase.pdf", finishWith(t, s, pe))
	if err != nil || r.Verdict == Invalid || !strings.Contains(r.JSON[0], `"path":"two-phase.pdf"`) {
		t.Fatalf("two-phase PDF: %v %v %s", err, r.Verdict, r.JSON)
	}
	samples := os.Getenv("ESEAL_SAMPLES")
	if samples == "" {
		t.Skip("skipped: OFD (ESEAL_SAMPLES not set)")
	}
	ofd, err := os.ReadFile(samples + "/ofdrw/helloworld.ofd")
	if err != nil {
		t.Fatal(err)
	}
	pe, err = PrepareSealOFD(cert, seal, ofd, &OFDOptions{IncludeSealFile: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := v.Verify(finishWith(t, s, pe)); r.Verdict != Valid {
		t.Fatalf("two-phase OFD: %v %s", r.Verdict, r.JSON)
	}
}

// Third-party OFDs (test-vectors/third-party/ofd, issue 11): what no signature protects is
// judged by what a viewer uses it for.
func TestThirdPartyOFDCoverage(t *testing.T) {
	v, _ := NewVerifier()
	defer v.Close()
	v.AddTrust(vector(t, "keys/ca-cert.pem"))
	for _, c := range []struct {
		file    string
		verdict Verdict
		status  string
	}{
		{"ofdxml-unprotected.ofd", Valid, "warn"},
		{"template-unprotected.ofd", Indeterminate, "indeterminate"},
		{"docroot-swapped.ofd", Invalid, "fail"},
	} {
		r, err := v.Verify(vector(t, "third-party/ofd/"+c.file))
		if err != nil || r.Verdict != c.verdict || r.Check("unprotected_files") == nil || r.Check("unprotected_files").Status != c.status {
			t.Fatalf("%s: %v %+v", c.file, err, r)
		}
		if !strings.Contains(r.JSON[0], `"unprotected_file_roles"`) {
			t.Fatalf("%s: no roles: %s", c.file, r.JSON[0])
		}
	}
}
