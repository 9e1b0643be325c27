package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// The functions of this file redo the checks of docs/evidence.md from
// its text, with SHA-256, ed25519 and base64 alone, as a third party
// would. They are an independent reading of the document that the tests
// hold against the log's real proofs, not a second implementation for
// use.

var errDocProof = errors.New("proof fails")

func docNode(a, b []byte) []byte {
	h := sha256.Sum256(append(append([]byte{1}, a...), b...))
	return h[:]
}

func docLargestPow2Below(n int64) int64 {
	k := int64(1)
	for 2*k < n {
		k *= 2
	}
	return k
}

// docRoot is section 3's root(p, m, n, h).
func docRoot(p [][]byte, m, n int64, h []byte) ([]byte, error) {
	if n == 1 {
		if len(p) != 0 {
			return nil, errDocProof
		}
		return h, nil
	}
	if len(p) == 0 {
		return nil, errDocProof
	}
	k, last, rest := docLargestPow2Below(n), p[len(p)-1], p[:len(p)-1]
	if m < k {
		r, err := docRoot(rest, m, k, h)
		return docNode(r, last), err
	}
	r, err := docRoot(rest, m-k, n-k, h)
	return docNode(last, r), err
}

// docSub is section 5's sub(p, m, n, whole), with O the older root.
func docSub(p [][]byte, m, n int64, whole bool, o []byte) ([]byte, []byte, error) {
	if m == n {
		if whole && len(p) == 0 {
			return o, o, nil
		}
		if !whole && len(p) == 1 {
			return p[0], p[0], nil
		}
		return nil, nil, errDocProof
	}
	if len(p) == 0 {
		return nil, nil, errDocProof
	}
	k, last, rest := docLargestPow2Below(n), p[len(p)-1], p[:len(p)-1]
	if m <= k {
		oo, t, err := docSub(rest, m, k, whole, o)
		return oo, docNode(t, last), err
	}
	oo, t, err := docSub(rest, m-k, n-k, false, o)
	return docNode(last, oo), docNode(last, t), err
}

// docOpen is section 4: check the signature line of key vkey on msg and
// return the checkpoint's size line and root.
func docOpen(msg []byte, vkey string) (size string, root []byte, err error) {
	name, rest, _ := strings.Cut(vkey, "+")
	keyHash, keyData, _ := strings.Cut(rest, "+")
	data, err := base64.StdEncoding.DecodeString(keyData)
	if err != nil || len(data) != 33 || data[0] != 1 {
		return "", nil, errors.New("bad public key")
	}
	sum := sha256.Sum256(append([]byte(name+"\n"), data...))
	if hex.EncodeToString(sum[:4]) != keyHash {
		return "", nil, errors.New("bad key hash")
	}
	text, sigs, ok := bytes.Cut(msg, []byte("\n\n"))
	if !ok {
		return "", nil, errors.New("no signatures")
	}
	text = append(text, '\n')
	for _, line := range strings.Split(strings.TrimSuffix(string(sigs), "\n"), "\n") {
		sigName, b64, _ := strings.Cut(strings.TrimPrefix(line, "\u2014 "), " ")
		sig, err := base64.StdEncoding.DecodeString(b64)
		if !strings.HasPrefix(line, "\u2014 ") || sigName != name || err != nil || len(sig) != 68 ||
			!bytes.Equal(sig[:4], sum[:4]) {
			continue
		}
		if !ed25519.Verify(ed25519.PublicKey(data[1:]), text, sig[4:]) {
			return "", nil, errors.New("bad signature")
		}
		lines := strings.Split(string(text), "\n")
		if lines[0] != name {
			return "", nil, errors.New("origin is not the key name")
		}
		root, err := base64.StdEncoding.DecodeString(lines[2])
		return lines[1], root, err
	}
	return "", nil, errors.New("no signature by the key")
}

func docHashes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

// TestDocumentedChecks runs the checks as the document states them
// against the log's proofs for every pair of sizes up to 40, and against
// proofs with one bit flipped.
func TestDocumentedChecks(t *testing.T) {
	var st MemoryStorage
	var roots [][]byte
	for n := int64(1); n <= 40; n++ {
		appendN(t, &st, int(n-1), int(n), 1)
		h := mustHead(t, &st).Hash
		roots = append(roots, h[:])
	}
	leaves, _ := st.ReadLeaves(0, 40)
	for n := int64(1); n <= 40; n++ {
		root := roots[n-1]
		for m := range n {
			p, err := ProveLeaf(&st, n, m)
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.Sum256(append([]byte{0}, leaves[m]...))
			got, err := docRoot(docHashes(p), m, n, h[:])
			if err != nil || !bytes.Equal(got, root) {
				t.Fatalf("inclusion of %d in %d as documented: %x, %v", m, n, got, err)
			}
			if len(p) > 0 {
				p[len(p)/2][0] ^= 1
				if got, err := docRoot(docHashes(p), m, n, h[:]); err == nil && bytes.Equal(got, root) {
					t.Fatalf("inclusion of %d in %d holds with a bit flipped", m, n)
				}
			}
		}
		for m := int64(1); m < n; m++ {
			p, err := ProveExtension(&st, n, m)
			if err != nil {
				t.Fatal(err)
			}
			o, nn, err := docSub(docHashes(p), m, n, true, roots[m-1])
			if err != nil || !bytes.Equal(o, roots[m-1]) || !bytes.Equal(nn, root) {
				t.Fatalf("extension from %d to %d as documented: %v", m, n, err)
			}
			p[0][0] ^= 1
			o, nn, err = docSub(docHashes(p), m, n, true, roots[m-1])
			if err == nil && bytes.Equal(o, roots[m-1]) && bytes.Equal(nn, root) {
				t.Fatalf("extension from %d to %d holds with a bit flipped", m, n)
			}
		}
	}
}

func TestDocumentedSignatureCheck(t *testing.T) {
	v := docVectors(t)
	size, root, err := docOpen([]byte(v["signed"]), v["public key"])
	if err != nil || size != "3" || base64.StdEncoding.EncodeToString(root) != v["root 3"] {
		t.Errorf("documented check of the example checkpoint = %s, %x, %v", size, root, err)
	}
	forged := strings.Replace(v["signed"], "\n3\n", "\n2\n", 1)
	if _, _, err := docOpen([]byte(forged), v["public key"]); err == nil {
		t.Error("documented check accepted an edited checkpoint")
	}
}
