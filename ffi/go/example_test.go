package eseal_test

import (
	"fmt"
	"os"

	eseal "github.com/eseal/eseal/ffi/go"
)

// verifyFile verifies a certificate, seal, seal signature, PDF or OFD against one trust anchor
// and returns its verdict and the checks that did not pass.
func verifyFile(rootPEM []byte, path string) (eseal.Verdict, []string, error) {
	v, err := eseal.NewVerifier()
	if err != nil {
		return eseal.Invalid, nil, err
	}
	defer v.Close()
	if err := v.AddTrust(rootPEM); err != nil {
		return eseal.Invalid, nil, err // err is an *eseal.Error: eseal.CodeOf(err) gives the code
	}
	input, err := os.ReadFile(path)
	if err != nil {
		return eseal.Invalid, nil, err
	}
	report, err := v.Verify(input)
	if err != nil {
		return eseal.Invalid, nil, err
	}
	checks, err := report.Checks()
	if err != nil {
		return eseal.Invalid, nil, err
	}
	var problems []string
	for _, c := range checks {
		if c.Status == "fail" || c.Status == "indeterminate" {
			problems = append(problems, c.ID+": "+c.Message)
		}
	}
	return report.Verdict, problems, nil
}

// signWithKey applies a seal to data with a key file and its certificate, and returns the DER
// SES_Signature.
func signWithKey(keyPEM, certPEM []byte, password string, seal *eseal.Seal, data []byte) ([]byte, error) {
	signer, err := eseal.NewSignerFromPEM(keyPEM, certPEM, password)
	if err != nil {
		return nil, err // e.g. eseal.CodeOf(err) == eseal.ResultWrongPassword
	}
	defer signer.Close()
	return signer.SignData(seal, data, &eseal.SignOptions{PropertyInfo: "contract.txt"})
}

func Example() {
	root, _ := os.ReadFile("../../test-vectors/chains/root.pem")
	verdict, problems, err := verifyFile(root, "../../test-vectors/chains/root.pem")
	fmt.Println(verdict, len(problems), err)
	verdict, problems, _ = verifyFile(root, "../../test-vectors/chains/leaf.pem")
	fmt.Println(verdict, problems[0][:10])
	// Output:
	// valid 0 <nil>
	// indeterminate cert.chain
}
