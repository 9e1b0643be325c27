package evidence

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// docVectors computes the worked example of docs/evidence.md: a key from
// a fixed seed, a log of three leaves, a proof of leaf 1, a signed
// checkpoint and a consistency proof from size 2 to 3. Each string
// returned must appear in the document verbatim.
func docVectors(t testing.TB) map[string]string {
	t.Helper()
	skey, vkey, err := GenerateKey(bytes.NewReader(bytes.Repeat([]byte{1}, 32)), origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 6, 30, 0, 0, time.UTC)
	var st MemoryStorage
	leaves := []Leaf{
		Version{FileKind: "zone", Name: "zones/donbas.geojson", SHA256: Sum([]byte("zones"))},
		Incident{Source: "acled", ID: "UKR1", OccurredAt: at, Lon: 37.8, Lat: 48.015, UncertaintyM: 2000,
			Category: "shelling", Confidence: -1, RawSHA256: Sum([]byte("raw record"))},
		Violation{Trial: "donbas-freeze", ZoneID: "UA-14", Category: "shelling", Placement: "inside",
			Source: "acled", IncidentID: "UKR1", ZoneVersion: Sum([]byte("zones")), Config: Sum([]byte("config"))},
	}
	if _, err := Append(&st, leaves[:2]...); err != nil {
		t.Fatal(err)
	}
	head2 := mustHead(t, &st)
	if _, err := Append(&st, leaves[2]); err != nil {
		t.Fatal(err)
	}
	head := mustHead(t, &st)
	cp, err := SignCheckpoint(Checkpoint{Origin: origin, Size: head.N, Hash: head.Hash, Time: at.Add(time.Minute)}, signer)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := st.ReadLeaves(0, 3)
	if err != nil {
		t.Fatal(err)
	}
	proof, err := ProveLeaf(&st, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	ext, err := ProveExtension(&st, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	b64 := func(h [32]byte) string { return base64.StdEncoding.EncodeToString(h[:]) }
	v := map[string]string{
		"secret key":      skey,
		"public key":      vkey,
		"leaf 0":          string(enc[0]),
		"leaf 1":          string(enc[1]),
		"leaf 2":          string(enc[2]),
		"leaf hash 1":     hex.EncodeToString(st.hashes[1][:]),
		"root 2":          b64(head2.Hash),
		"root 3":          b64(head.Hash),
		"signed":          string(cp),
		"inclusion proof": b64(proof[0]) + "\n" + b64(proof[1]),
		"extension proof": b64(ext[0]),
	}
	return v
}

func TestDocumentHoldsWorkedExample(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "evidence.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range docVectors(t) {
		if !bytes.Contains(doc, []byte(want)) {
			t.Errorf("docs/evidence.md lacks the %s:\n%s", name, strings.TrimSuffix(want, "\n"))
		}
	}
}
