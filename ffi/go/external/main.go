// Command consumer is a business program outside the eseal repository: it requires the Go
// binding as a module (github.com/eseal/eseal/ffi/go), finds libeseal through pkg-config, seals
// a PDF and verifies it. ffi/go/external/run.sh copies it into a temporary module and builds it
// offline from a `replace` and from a vendored copy.
//
// usage: consumer KEY.pem CERT.pem CA.pem OUT.pdf
package main

import (
	"fmt"
	"os"
	"time"

	eseal "github.com/eseal/eseal/ffi/go"
)

// onePagePDF is a minimal PDF with a classic cross-reference table.
func onePagePDF() []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"}
	b := []byte("%PDF-1.7\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, len(b))
		b = append(b, fmt.Sprintf("%d 0 obj\n%s\nendobj\n", i+1, o)...)
	}
	x := len(b)
	b = append(b, "xref\n0 4\n0000000000 65535 f \n"...)
	for _, o := range offs {
		b = append(b, fmt.Sprintf("%010d 00000 n \n", o)...)
	}
	return append(b, fmt.Sprintf("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", x)...)
}

// png1x1 is a 1×1 PNG for the seal picture.
var png1x1 = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\xdacd\xf8\xcfP\x0f\x00\x03\x86\x01\x80Z4}k\x00\x00\x00\x00IEND\xaeB`\x82")

func run(keyPath, certPath, caPath, out string) error {
	key, err := os.ReadFile(keyPath)
	if err != nil {
		return err
	}
	cert, err := os.ReadFile(certPath)
	if err != nil {
		return err
	}
	ca, err := os.ReadFile(caPath)
	if err != nil {
		return err
	}
	signer, err := eseal.NewSignerFromPEM(key, cert)
	if err != nil {
		return err
	}
	defer signer.Close()
	now := time.Now()
	seal, err := eseal.MakeSeal(signer, &eseal.SealSpec{
		Vid: "consumer", EsID: "consumer-1", Name: "外部模块测试章", SignerCerts: [][]byte{cert},
		ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(24 * time.Hour),
		PictureType: "PNG", Picture: png1x1, WidthMM: 40, HeightMM: 40,
	})
	if err != nil {
		return err
	}
	defer seal.Close()
	sealed, err := signer.SignPDF(seal, onePagePDF(), &eseal.PDFOptions{Reason: "external module"})
	if err != nil {
		return err
	}
	v, err := eseal.NewVerifier()
	if err != nil {
		return err
	}
	defer v.Close()
	if err := v.AddTrust(ca); err != nil {
		return err
	}
	report, err := v.VerifyNamed(out, sealed)
	if err != nil {
		return err
	}
	if report.Verdict != eseal.Valid {
		return fmt.Errorf("sealed PDF verifies as %v: %v", report.Verdict, report.JSON)
	}
	if err := os.WriteFile(out, sealed, 0o644); err != nil {
		return err
	}
	fmt.Printf("consumer: sealed %s (%d bytes), libeseal %s, verdict %v\n", out, len(sealed), eseal.Version(), report.Verdict)
	return nil
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: consumer KEY.pem CERT.pem CA.pem OUT.pdf")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3], os.Args[4]); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		os.Exit(1)
	}
}
