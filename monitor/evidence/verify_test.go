package evidence

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testLog returns a log of 40 leaves of every kind, signed at its size.
func testLog(t testing.TB, s note.Signer) (*MemoryStorage, []byte) {
	t.Helper()
	var st MemoryStorage
	for n := range 8 {
		leaves := sampleLeaves()
		for i, l := range leaves {
			switch l := l.(type) {
			case Incident:
				l.ID = fmt.Sprintf("inc-%d", n)
				leaves[i] = l
			case Violation:
				l.IncidentID = fmt.Sprintf("inc-%d", n)
				leaves[i] = l
			}
		}
		if _, err := Append(&st, leaves...); err != nil {
			t.Fatal(err)
		}
	}
	return &st, sign(t, &st, s)
}

// sign returns a checkpoint of the log in st, signed by s.
func sign(t testing.TB, st *MemoryStorage, s note.Signer) []byte {
	t.Helper()
	head, err := Head(st)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := SignCheckpoint(Checkpoint{Origin: origin, Size: head.N, Hash: head.Hash, Time: t0}, s)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// export returns a bundle of the leaves at indexes, proven against cp.
func export(t testing.TB, st *MemoryStorage, cp []byte, indexes ...int64) *Bundle {
	t.Helper()
	c, err := ParseCheckpoint(string(cp[:strings.Index(string(cp), "\n\n")+1]))
	if err != nil {
		t.Fatal(err)
	}
	b := &Bundle{Checkpoint: cp}
	for _, x := range indexes {
		leaves, err := st.ReadLeaves(x, 1)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ProveLeaf(st, c.Size, x)
		if err != nil {
			t.Fatal(err)
		}
		b.Leaves = append(b.Leaves, ProvenLeaf{Index: x, Leaf: leaves[0], Proof: p})
	}
	return b
}

func TestVerifyBundle(t *testing.T) {
	s, v := testKey(t, 1)
	_, other := testKey(t, 2)
	indexes := []int64{0, 1, 2, 3, 4, 11, 12, 39} // 11: incident inc-2, 12: its violation
	for _, tc := range []struct {
		name   string
		tamper func(*Bundle)
		v      note.Verifier
		failed []int64 // leaf indexes the error must name, in order
		want   string
	}{
		{"untouched", func(*Bundle) {}, v, nil, ""},
		{"one byte of an incident flipped", func(b *Bundle) { b.Leaves[5].Leaf[len(b.Leaves[5].Leaf)-2] ^= 1 },
			v, []int64{11}, `leaf 11 (incident "firms-noaa20"/"inc-2"): not in the checkpoint's tree`},
		{"violation's trial edited", func(b *Bundle) {
			b.Leaves[6].Leaf = []byte(strings.Replace(string(b.Leaves[6].Leaf), "donbas-freeze", "donbas-frieze", 1))
		}, v, []int64{12}, `leaf 12 (violation of "donbas-frieze" in zone "UA-14" by incident "acled"/"inc-2")`},
		{"a leaf deleted and the rest moved up", func(b *Bundle) {
			for i := 5; i < 7; i++ {
				b.Leaves[i].Leaf = b.Leaves[i+1].Leaf
			}
			b.Leaves = b.Leaves[:7]
		}, v, []int64{11, 12}, "leaf 11"},
		{"proof of another leaf", func(b *Bundle) { b.Leaves[1].Proof = b.Leaves[2].Proof }, v, []int64{1}, "leaf 1"},
		{"index beyond the tree", func(b *Bundle) { b.Leaves[7].Index = 40 }, v, []int64{40}, "outside the checkpoint's tree of 40"},
		{"not an encoding, proof good", nil, v, []int64{40}, "undecodable"},
		{"records shown match", func(b *Bundle) { withRecords(t, b) }, v, nil, ""},
		{"raw record of an incident changed", func(b *Bundle) {
			withRecords(t, b)
			i := b.Leaves[5].Record.(Incident)
			i.RawSHA256 = Sum([]byte("48.1,37.9,...\n with one byte changed"))
			b.Leaves[5].Record = i
		}, v, []int64{11}, `leaf 11 (incident "firms-noaa20"/"inc-2"): the record shown differs from the leaf logged in field raw_sha256`},
		{"record of another kind", func(b *Bundle) {
			withRecords(t, b)
			b.Leaves[6].Record = Retraction(b.Leaves[6].Record.(Violation))
		}, v, []int64{12}, "differs from the leaf logged in field kind"},
		{"checkpoint of another key", func(*Bundle) {}, other, nil, "no verifiable signatures"},
		{"checkpoint size edited", func(b *Bundle) {
			b.Checkpoint = []byte(strings.Replace(string(b.Checkpoint), "\n40\n", "\n39\n", 1))
		}, v, nil, "invalid signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, cp := testLog(t, s)
			if tc.tamper == nil { // log a leaf that is not an encoding
				if err := st.Write(&Batch{Start: 40, HashStart: tlog.StoredHashCount(40),
					Leaves: []Entry{{Kind: "junk", Data: []byte("junk")}},
					Hashes: mustStoredHashes(t, st, 40, []byte("junk"))}); err != nil {
					t.Fatal(err)
				}
				cp = sign(t, st, s)
				indexes := append(indexes, 40)
				tc.tamper = func(b *Bundle) { *b = *export(t, st, cp, indexes...) }
			}
			b := export(t, st, cp, indexes...)
			tc.tamper(b)
			c, err := VerifyBundle(b, tc.v)
			if tc.want == "" {
				if err != nil || c.Size != 40 {
					t.Errorf("VerifyBundle = %+v, %v", c, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("VerifyBundle error = %v, want %q", err, tc.want)
			}
			var be *BundleError
			if !errors.As(err, &be) {
				if tc.failed != nil {
					t.Fatalf("error %v is not a *BundleError", err)
				}
				return
			}
			var got []int64
			for _, l := range be.Leaves {
				got = append(got, l.Index)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.failed) {
				t.Errorf("failed leaves %v, want %v", got, tc.failed)
			}
		})
	}
}

// withRecords sets each leaf's Record to the leaf it proves, as an
// exporter rebuilding leaves from untouched records would.
func withRecords(t testing.TB, b *Bundle) {
	t.Helper()
	for i := range b.Leaves {
		l, err := Decode(b.Leaves[i].Leaf)
		if err != nil {
			t.Fatal(err)
		}
		b.Leaves[i].Record = l
	}
}

func mustStoredHashes(t testing.TB, st *MemoryStorage, n int64, data []byte) []tlog.Hash {
	t.Helper()
	h, err := tlog.StoredHashes(n, data, st)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestVerifyConsistency(t *testing.T) {
	s, v := testKey(t, 1)
	st, older := testLog(t, s)
	appendN(t, st, 40, 73, 11)
	newer := sign(t, st, s)
	proof, err := ProveExtension(st, 73, 40)
	if err != nil {
		t.Fatal(err)
	}

	// A history rewritten from leaf 3 on, as long as the true one and
	// signed with the same key.
	var forged MemoryStorage
	all, _ := st.ReadLeaves(0, 73)
	for i, data := range all {
		l, _ := Decode(data)
		if i == 3 { // a retraction that never was
			r := Retraction(sampleViolation())
			r.IncidentID = "inc-7"
			l = r
		}
		if _, err := Append(&forged, l); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := mustHead(t, st), mustHead(t, &forged); a.N != b.N || a.Hash == b.Hash {
		t.Fatalf("forged log %v is not a rewrite of %v", b, a)
	}
	forgedCp := sign(t, &forged, s)
	forgedProof, err := ProveExtension(&forged, 73, 40)
	if err != nil {
		t.Fatal(err)
	}
	forgedOlder := sign(t, mustPrefix(t, &forged, 40), s)

	for _, tc := range []struct {
		name         string
		older, newer []byte
		proof        tlog.TreeProof
		want         string
	}{
		{"true extension", older, newer, proof, ""},
		{"same checkpoint", older, older, tlog.TreeProof{}, ""},
		{"forged history, its own proof", older, forgedCp, forgedProof, "does not extend"},
		{"forged history, the true proof", older, forgedCp, proof, "does not extend"},
		{"forged earlier checkpoint", forgedOlder, newer, proof, "does not extend"},
		{"newer is smaller", newer, older, proof, "cannot extend"},
		{"same size, other root", older, forgedOlder, tlog.TreeProof{}, "does not extend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := VerifyConsistency(tc.older, tc.newer, tc.proof, v)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("VerifyConsistency: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("VerifyConsistency error = %v, want %q", err, tc.want)
			}
		})
	}
}

// mustPrefix returns a log of the first n leaves of st.
func mustPrefix(t testing.TB, st *MemoryStorage, n int64) *MemoryStorage {
	t.Helper()
	var p MemoryStorage
	leaves, err := st.ReadLeaves(0, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range leaves {
		l, err := Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Append(&p, l); err != nil {
			t.Fatal(err)
		}
	}
	return &p
}

func TestCheckExtensionFromEmpty(t *testing.T) {
	var st MemoryStorage
	empty, _ := Head(&st)
	appendN(t, &st, 0, 5, 5)
	head, _ := Head(&st)
	p, err := ProveExtension(&st, 5, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckExtension(empty, head, p); err != nil {
		t.Errorf("CheckExtension from the empty tree: %v", err)
	}
	if err := CheckExtension(tlog.Tree{N: 0, Hash: head.Hash}, head, p); err == nil {
		t.Error("CheckExtension accepted an empty tree with a root other than the empty hash")
	}
}

func mustHead(t testing.TB, s Storage) tlog.Tree {
	t.Helper()
	h, err := Head(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestVerifyLog(t *testing.T) {
	s, v := testKey(t, 1)
	for _, tc := range []struct {
		name   string
		tamper func([][]byte) [][]byte
		want   string
	}{
		{"untouched", func(l [][]byte) [][]byte { return l }, ""},
		{"a violation deleted", func(l [][]byte) [][]byte { return append(l[:12:12], l[13:]...) }, "39 leaves, checkpoint has 40"},
		{"a violation deleted, an incident logged twice", func(l [][]byte) [][]byte {
			return append(append(l[:12:12], l[13:]...), l[11])
		}, "root of the 40 leaves is"},
		{"two leaves swapped", func(l [][]byte) [][]byte { l[11], l[12] = l[12], l[11]; return l }, "root of the 40 leaves is"},
		{"one byte flipped", func(l [][]byte) [][]byte { l[30][40] ^= 1; return l }, "root of the 40 leaves is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, cp := testLog(t, s)
			c, err := OpenCheckpoint(cp, v)
			if err != nil {
				t.Fatal(err)
			}
			leaves, err := st.ReadLeaves(0, 40)
			if err != nil {
				t.Fatal(err)
			}
			err = VerifyLog(tc.tamper(leaves), c)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("VerifyLog: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("VerifyLog error = %v, want %q", err, tc.want)
			}
		})
	}
}
