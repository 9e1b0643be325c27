package evidence

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// TestVerifierKeyWithPlusInKeyData: the base64 of a key may hold '+', the
// separator of the key's fields; the verifier key is still found. Seeds
// are tried until one encodes with a '+'.
func TestVerifierKeyWithPlusInKeyData(t *testing.T) {
	for b := range 256 {
		skey, vkey, err := GenerateKey(bytes.NewReader(bytes.Repeat([]byte{byte(b)}, 32)), "log.example/x")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Count(skey, "+") <= 4 {
			continue
		}
		got, err := VerifierKey(skey)
		if err != nil {
			t.Fatalf("VerifierKey(%q): %v", skey, err)
		}
		if got != vkey {
			t.Fatalf("VerifierKey = %q, want %q", got, vkey)
		}
		if _, err := note.NewVerifier(got); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatal("no seed gave a key with '+' in its data")
}
