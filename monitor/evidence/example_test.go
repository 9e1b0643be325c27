package evidence_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor/evidence"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A log records leaves, signs a checkpoint and proves a leaf to a third
// party, who checks the bundle with the public key alone.
func Example() {
	seed := bytes.NewReader(bytes.Repeat([]byte{1}, 32)) // crypto/rand.Reader in real use
	skey, vkey, _ := evidence.GenerateKey(seed, "ceasefired.example/evidence")
	signer, _ := note.NewSigner(skey)

	var log evidence.MemoryStorage
	at := time.Date(2026, 12, 1, 6, 30, 0, 0, time.UTC)
	first, _ := evidence.Append(&log,
		evidence.Version{FileKind: "zone", Name: "zones/ua.geojson", SHA256: evidence.Sum([]byte("zones"))},
		evidence.Incident{Source: "acled", ID: "UKR1", OccurredAt: at, Lon: 37.8, Lat: 48.0,
			Category: "shelling", Confidence: -1, RawSHA256: evidence.Sum([]byte("raw record"))},
	)
	head, _ := evidence.Head(&log)
	cp, _ := evidence.SignCheckpoint(evidence.Checkpoint{
		Origin: "ceasefired.example/evidence", Size: head.N, Hash: head.Hash, Time: at}, signer)

	leaf, _ := log.ReadLeaves(first+1, 1)
	proof, _ := evidence.ProveLeaf(&log, head.N, first+1)
	bundle := &evidence.Bundle{Checkpoint: cp, Leaves: []evidence.ProvenLeaf{{Index: first + 1, Leaf: leaf[0], Proof: proof}}}

	verifier, _ := note.NewVerifier(vkey)
	c, err := evidence.VerifyBundle(bundle, verifier)
	fmt.Println(c.Size, err)

	bundle.Leaves[0].Leaf[len(bundle.Leaves[0].Leaf)-2] ^= 1 // one byte of the raw record's digest
	_, err = evidence.VerifyBundle(bundle, verifier)
	fmt.Println(err)
	// Output:
	// 2 <nil>
	// 1 of the bundle's leaves fail:
	// leaf 1 (incident "acled"/"UKR1"): not in the checkpoint's tree: invalid transparency proof
}

// The encoding of a leaf, the bytes the log hashes.
func ExampleEncode() {
	b, _ := evidence.Encode(evidence.Document{
		Source:    "ucdp",
		SHA256:    evidence.Sum([]byte("page 1")),
		FetchedAt: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC),
		Cursor:    "page=2\n",
	})
	fmt.Printf("%s", b)
	// Output:
	// ceasefired-evidence-v1 document
	// source 4:ucdp
	// sha256 64:0621a1c111cfd4554a172d9ecd490a9a8d6e4e66e0f444491b716fb1d00ab1b9
	// fetched_at 20:2026-12-01T06:00:00Z
	// cursor 7:page=2
	//
}

// A checkpoint's text, before it is signed.
func ExampleCheckpoint_Text() {
	text, _ := evidence.Checkpoint{Origin: "ceasefired.example/evidence", Size: 0,
		Hash: tlog.Hash(evidence.Sum(nil)), Time: time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)}.Text()
	fmt.Print(text)
	// Output:
	// ceasefired.example/evidence
	// 0
	// 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=
	// time 2026-12-05T03:00:00Z
}
