package evidence

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// GenerateKey returns a new ed25519 key for the log named name, as a
// signer key ("PRIVATE+KEY+name+hash+data", secret) and its verifier key
// ("name+hash+data", public), in the formats of signed notes.
func GenerateKey(rand io.Reader, name string) (skey, vkey string, err error) {
	skey, vkey, err = note.GenerateKey(rand, name)
	if err != nil {
		return "", "", fmt.Errorf("generate key %q: %w", name, err)
	}
	return skey, vkey, nil
}

// CreateKeyFile writes a new signer key for the log named name to path,
// readable by its owner only, and returns its verifier key. It fails if
// path exists, so a key is never overwritten.
func CreateKeyFile(path, name string, rand io.Reader) (vkey string, err error) {
	skey, vkey, err := GenerateKey(rand, name)
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("create key file: %w", err)
	}
	if _, err := f.WriteString(skey + "\n"); err != nil {
		f.Close()
		return "", fmt.Errorf("write key file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("write key file %s: %w", path, err)
	}
	return vkey, nil
}

// ReadSigner reads the signer key in the file at path (one line, as
// CreateKeyFile writes it) and returns the signer and its verifier key.
func ReadSigner(path string) (note.Signer, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", fmt.Errorf("read key file: %w", err)
	}
	skey := strings.TrimSpace(string(b))
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("key file %s: %w", path, err)
	}
	vkey, err := VerifierKey(skey)
	if err != nil {
		return nil, "", fmt.Errorf("key file %s: %w", path, err)
	}
	return s, vkey, nil
}

// ReadVerifier reads the verifier key in the file at path (one line).
func ReadVerifier(path string) (note.Verifier, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read public key file: %w", err)
	}
	v, err := note.NewVerifier(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("public key file %s: %w", path, err)
	}
	return v, nil
}

// VerifierKey returns the verifier key of the ed25519 signer key skey.
func VerifierKey(skey string) (string, error) {
	if _, err := note.NewSigner(skey); err != nil {
		return "", fmt.Errorf("signer key: %w", err)
	}
	// PRIVATE+KEY+<name>+<hash>+<base64 of 0x01 and the 32-byte seed>;
	// the name holds no '+', the base64 may.
	parts := strings.SplitN(skey, "+", 5)
	data, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(data) != 1+ed25519.SeedSize || data[0] != 1 {
		return "", errors.New("signer key: not an ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(data[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(parts[2], pub)
	if err != nil {
		return "", fmt.Errorf("signer key: %w", err)
	}
	return vkey, nil
}
