package interop

import (
	"crypto/ecdsa"
	"os"
	"testing"

	eseal "github.com/eseal/eseal/ffi/go"

	"github.com/tjfoc/gmsm/sm2"
)

// tjfoc/gmsm's Sm2Sign/Sm2Verify take the user ID explicitly; its other entry points use an
// empty ID, which DESIGN §3 forbids, so only these two are used.
var defaultID = []byte("1234567812345678")

func read(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../../test-vectors/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gmsmKeys(t *testing.T) (*sm2.PrivateKey, *sm2.PublicKey) {
	t.Helper()
	priv, err := sm2.ReadPrivateKeyFromMem(read(t, "keys/key.pem"), nil)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := sm2.ReadCertificateFromMem(read(t, "keys/leaf-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	ec, ok := cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("certificate key is %T", cert.PublicKey)
	}
	pub := &sm2.PublicKey{Curve: sm2.P256Sm2(), X: ec.X, Y: ec.Y}
	if pub.X.Cmp(priv.PublicKey.X) != 0 || pub.Y.Cmp(priv.PublicKey.Y) != 0 {
		t.Fatal("key.pem does not belong to leaf-cert.pem")
	}
	return priv, pub
}

// gmsm verifies signatures made by eseal, with the default ID and only with it.
func TestGmsmVerifiesEsealSignature(t *testing.T) {
	_, pub := gmsmKeys(t)
	s, err := eseal.NewSignerFromPEM(read(t, "keys/key.pem"), read(t, "keys/leaf-cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, msg := range [][]byte{[]byte("eseal → gmsm"), {}, make([]byte, 10000)} {
		der, err := s.SignSM2(msg)
		if err != nil {
			t.Fatal(err)
		}
		r, ss, err := sm2.SignDataToSignDigit(der)
		if err != nil {
			t.Fatal(err)
		}
		if !sm2.Sm2Verify(pub, msg, defaultID, r, ss) {
			t.Fatalf("gmsm rejects eseal's signature over %d bytes", len(msg))
		}
		if sm2.Sm2Verify(pub, msg, []byte("another-user-id!"), r, ss) {
			t.Fatal("gmsm accepts the signature under another user ID")
		}
		if sm2.Sm2Verify(pub, append(msg, 0), defaultID, r, ss) {
			t.Fatal("gmsm accepts the signature over other data")
		}
	}
}

// eseal accepts, as the signature of its two-phase digest, a signature gmsm made over the same
// message with the default ID, and refuses one made with another ID.
func TestEsealAcceptsGmsmSignature(t *testing.T) {
	priv, _ := gmsmKeys(t)
	cert := read(t, "keys/leaf-cert.pem")
	msg := []byte("gmsm → eseal")
	sign := func(uid []byte) []byte {
		r, s, err := sm2.Sm2Sign(priv, msg, uid)
		if err != nil {
			t.Fatal(err)
		}
		der, err := sm2.SignDigitToSignData(r, s)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	p, err := eseal.PrepareSignSM2(cert, msg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Finish(sign([]byte("another-user-id!"))); eseal.CodeOf(err) != eseal.ResultBadSignature {
		t.Fatalf("signature under another ID: %v", err)
	}
	out, err := p.Finish(sign(defaultID))
	if err != nil || len(out) == 0 {
		t.Fatalf("gmsm signature refused: %v", err)
	}
}
