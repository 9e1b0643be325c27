package evidence

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// incidentN returns a distinct incident leaf for each n.
func incidentN(n int) Leaf {
	i := sampleIncident()
	i.ID = fmt.Sprintf("inc-%d", n)
	return i
}

// appendN appends leaves incidentN(from)..incidentN(to-1), in batches of
// the given size.
func appendN(t testing.TB, s Storage, from, to, batch int) {
	t.Helper()
	for lo := from; lo < to; lo += batch {
		var leaves []Leaf
		for n := lo; n < min(lo+batch, to); n++ {
			leaves = append(leaves, incidentN(n))
		}
		start, err := Append(s, leaves...)
		if err != nil {
			t.Fatal(err)
		}
		if start != int64(lo) {
			t.Fatalf("Append returned start %d, want %d", start, lo)
		}
	}
}

// TestAppendProofsAtEverySize grows a log one leaf at a time to 300 leaves
// and, at every size, checks the root against one computed from the
// leaves alone, every leaf's inclusion proof and the consistency proof
// from a few earlier sizes.
func TestAppendProofsAtEverySize(t *testing.T) {
	const max = 300
	var s MemoryStorage
	var roots []tlog.Hash // roots[n] is the root of the first n leaves
	var ref memoryHashes  // stored hashes computed without Append
	empty, _ := tlog.TreeHash(0, nil)
	roots = append(roots, empty)
	for size := int64(1); size <= max; size++ {
		appendN(t, &s, int(size-1), int(size), 1)
		data, _ := Encode(incidentN(int(size - 1)))
		more, err := tlog.StoredHashes(size-1, data, ref)
		if err != nil {
			t.Fatal(err)
		}
		ref = append(ref, more...)
		want, _ := tlog.TreeHash(size, ref)
		head, err := Head(&s)
		if err != nil || head.N != size || head.Hash != want {
			t.Fatalf("Head = %v, %v; want size %d root %v", head, err, size, want)
		}
		roots = append(roots, head.Hash)
		for i := int64(0); i < size; i++ {
			p, err := ProveLeaf(&s, size, i)
			if err != nil {
				t.Fatal(err)
			}
			leaf, _ := Encode(incidentN(int(i)))
			if err := tlog.CheckRecord(p, size, head.Hash, i, tlog.RecordHash(leaf)); err != nil {
				t.Fatalf("size %d leaf %d: %v", size, i, err)
			}
		}
		for _, old := range []int64{0, 1, size / 2, size - 1, size} {
			p, err := ProveExtension(&s, size, old)
			if err != nil {
				t.Fatal(err)
			}
			if err := CheckExtension(tlog.Tree{N: old, Hash: roots[old]}, head, p); err != nil {
				t.Fatalf("size %d extends %d: %v", size, old, err)
			}
		}
	}
}

func TestAppendBatchSizesAgree(t *testing.T) {
	var one MemoryStorage
	appendN(t, &one, 0, 257, 1)
	want, err := Head(&one)
	if err != nil {
		t.Fatal(err)
	}
	for _, batch := range []int{2, 3, 7, 64, 100, 257} {
		t.Run(fmt.Sprint(batch), func(t *testing.T) {
			var s MemoryStorage
			appendN(t, &s, 0, 257, batch)
			got, err := Head(&s)
			if err != nil || got != want {
				t.Errorf("Head = %v, %v; want %v", got, err, want)
			}
			if len(s.hashes) != len(one.hashes) {
				t.Errorf("%d stored hashes, want %d", len(s.hashes), len(one.hashes))
			}
		})
	}
}

// failingStorage refuses every Write, as a transaction that fails would.
type failingStorage struct{ *MemoryStorage }

func (failingStorage) Write(*Batch) error { return errors.New("disk full") }

func TestAppendIsAllOrNothing(t *testing.T) {
	var s MemoryStorage
	appendN(t, &s, 0, 5, 5)
	before, _ := Head(&s)
	bad := sampleIncident()
	bad.Lat = 1 / zero()
	for _, tc := range []struct {
		name   string
		s      Storage
		leaves []Leaf
		want   string
	}{
		{"write fails", failingStorage{&s}, []Leaf{incidentN(5), incidentN(6)}, "disk full"},
		{"last leaf does not encode", &s, []Leaf{incidentN(5), bad}, "leaf 6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Append(tc.s, tc.leaves...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Append error = %v, want %q", err, tc.want)
			}
			after, _ := Head(&s)
			if after != before || len(s.leaves) != 5 || int64(len(s.hashes)) != tlog.StoredHashCount(5) {
				t.Errorf("log changed by a failed Append: %v, want %v", after, before)
			}
		})
	}
	appendN(t, &s, 5, 7, 2) // and the log goes on from where it was
}

func zero() float64 { return 0 }

// TestWriteRefusesStaleBatch prepares two batches from the same size, as
// two appenders racing would: the second must not be stored.
func TestWriteRefusesStaleBatch(t *testing.T) {
	var s MemoryStorage
	appendN(t, &s, 0, 3, 3)
	var batches []*Batch
	capture := captureStorage{MemoryStorage: &s, batches: &batches}
	for n := range 2 {
		if _, err := Append(capture, incidentN(10+n)); err == nil {
			t.Fatal("captureStorage stored a batch")
		}
	}
	if err := s.Write(batches[0]); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(batches[1]); err == nil || !strings.Contains(err.Error(), "batch starts at leaf 3, log has 4") {
		t.Errorf("second Write error = %v", err)
	}
	if n, _ := s.Size(); n != 4 {
		t.Errorf("size %d, want 4", n)
	}
}

// captureStorage keeps the batches it is given instead of storing them.
type captureStorage struct {
	*MemoryStorage
	batches *[]*Batch
}

func (c captureStorage) Write(b *Batch) error {
	*c.batches = append(*c.batches, b)
	return errors.New("captured")
}

func TestAudit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(*MemoryStorage)
		want   string
	}{
		{"untouched", func(*MemoryStorage) {}, ""},
		{"one byte flipped", func(s *MemoryStorage) { s.leaves[41].Data[60] ^= 1 }, `leaf 41 (`},
		{"leaf deleted", func(s *MemoryStorage) {
			s.leaves = append(s.leaves[:17:17], s.leaves[18:]...)
			s.leaves = append(s.leaves, s.leaves[len(s.leaves)-1])
		}, `leaf 17 (incident "firms-noaa20"/"inc-18"): encoding does not match`},
		{"leaf deleted and hashes rebuilt", func(s *MemoryStorage) {
			var rebuilt MemoryStorage
			for i, e := range s.leaves {
				if i != 17 {
					l, _ := Decode(e.Data)
					if _, err := Append(&rebuilt, l); err != nil {
						panic(err)
					}
				}
			}
			s.leaves, s.hashes = rebuilt.leaves, rebuilt.hashes
		}, "read leaves 0..100: 99 stored"},
		{"leaf replaced and hashes rebuilt", func(s *MemoryStorage) {
			var rebuilt MemoryStorage
			for i, e := range s.leaves {
				l, _ := Decode(e.Data)
				if i == 50 {
					l = incidentN(1000)
				}
				if _, err := Append(&rebuilt, l); err != nil {
					panic(err)
				}
			}
			s.leaves, s.hashes = rebuilt.leaves, rebuilt.hashes
		}, "root of 100 leaves is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s MemoryStorage
			appendN(t, &s, 0, 100, 10)
			head, _ := Head(&s)
			tc.tamper(&s)
			err := Audit(&s, head)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Audit: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Audit error = %v, want %q", err, tc.want)
			}
		})
	}
}

// BenchmarkAppend100k appends 100,000 leaves to an empty log in batches
// of 100, the size of an ingest batch, and reports the time per leaf.
func BenchmarkAppend100k(b *testing.B) {
	const total, batch = 100_000, 100
	leaves := make([]Leaf, total)
	for i := range leaves {
		leaves[i] = incidentN(i)
	}
	b.ResetTimer()
	for range b.N {
		var s MemoryStorage
		for lo := 0; lo < total; lo += batch {
			if _, err := Append(&s, leaves[lo:lo+batch]...); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*total), "ns/leaf")
}

func TestAppendNothing(t *testing.T) {
	var s MemoryStorage
	appendN(t, &s, 0, 3, 3)
	start, err := Append(failingStorage{&s})
	if err != nil || start != 3 {
		t.Errorf("Append() = %d, %v; want 3 and no write", start, err)
	}
}
