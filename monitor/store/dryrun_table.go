package store

import (
	"fmt"

	"github.com/ceasefired/ceasefired/monitor"
)

// idEntry is what DryRun keeps of one incident: 24 bytes, no pointers.
type idEntry struct {
	key     uint64 // hash of (source, id), first part: places the entry
	content uint64 // contentHash, or deletedContent
	key2    uint32 // second part of the identity hash
	// viols holds the standing violations: 0 for none; one packed
	// violation plus one (below violsMany); or, with violsMany set, the
	// number of a run in idTable.runs.
	viols uint32
}

const (
	violsMany = uint32(1) << 31
	// entryChunk is the number of entries per chunk of idTable.entries:
	// the table grows by chunks, never copying what it holds.
	entryChunk = 1 << 15
)

// run is where the violations of an incident with several, or with one
// whose number does not fit idEntry.viols, lie in idTable.more.
type run struct{ off, n uint32 }

// packedViolation is a violation as DryRun keeps it: the number of its
// (trial, zone, category) shifted left by two, and its placement.
type packedViolation uint64

// placements numbers the placements a DryRun can keep.
var placements = [...]monitor.Placement{monitor.Inside, monitor.Buffer, monitor.Ambiguous}

func newPackedViolation(key uint32, p monitor.Placement) packedViolation {
	code := 0
	for i, q := range placements {
		if q == p {
			code = i
		}
	}
	return packedViolation(uint64(key)<<2 | uint64(code))
}

func (p packedViolation) key() uint32                  { return uint32(p >> 2) }
func (p packedViolation) placement() monitor.Placement { return placements[p&3] }

// checkPlacements returns an error naming the first violation of b whose
// placement a DryRun cannot keep.
func checkPlacements(b *monitor.Batch) error {
	for i := range b.Items {
		for j, v := range b.Items[i].Violations {
			if v.Placement != monitor.Inside && v.Placement != monitor.Buffer && v.Placement != monitor.Ambiguous {
				return fmt.Errorf("%w: item %d: violation %d has unknown placement %q",
					monitor.ErrInvalidBatch, i, j, v.Placement)
			}
		}
	}
	return nil
}

// idTable maps 96-bit identity hashes to entries: an open-addressing
// table of entry numbers (plus one; 0 is empty) over entries kept in
// chunks.
type idTable struct {
	slots   []uint32
	entries [][]idEntry
	n       int
	more    []packedViolation // violations of incidents with several
	runs    []run
	// batchStart is the number of entries before the current batch; the
	// entries from it on were made by the batch. touched holds the older
	// entries the batch met (revised, or found unchanged).
	batchStart int
	touched    map[uint32]struct{}
	// warmed is what warm read, kept so that its reads are not left out.
	warmed uint64
}

// mark starts a batch.
func (t *idTable) mark() {
	t.batchStart = t.n
	clear(t.touched)
}

func (t *idTable) len() int { return t.n }

func (t *idTable) entry(i uint32) *idEntry { return &t.entries[i/entryChunk][i%entryChunk] }

// inBatch reports whether the current batch made or met entry i.
func (t *idTable) inBatch(i uint32) bool {
	if int(i) >= t.batchStart {
		return true
	}
	_, ok := t.touched[i]
	return ok
}

// touch records that the current batch met entry i, revised or not.
func (t *idTable) touch(i uint32) {
	if int(i) >= t.batchStart {
		return
	}
	if t.touched == nil {
		t.touched = make(map[uint32]struct{})
	}
	t.touched[i] = struct{}{}
}

// warm reads the slots that looking up keys reads first, and the entries
// they hold, so that the reads for different keys overlap where lookups
// one after another would each wait for memory in turn. It first grows the
// slots as far as adding every key would.
func (t *idTable) warm(keys []idHash) {
	for 4*(t.n+len(keys)) > 3*len(t.slots) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	var sum uint64
	for _, k := range keys {
		sum += uint64(t.slots[k.a&mask])
	}
	for _, k := range keys {
		if v := t.slots[k.a&mask]; v != 0 {
			sum += t.entry(v - 1).key
		}
	}
	t.warmed = sum
}

// lookup returns the number of the entry of k, if there is one.
func (t *idTable) lookup(k idHash) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	n, _, found := t.probe(k)
	return n, found
}

// lookupOrInsert returns the number of the entry of k, adding one when
// there is none (found false): one probe for both.
func (t *idTable) lookupOrInsert(k idHash) (n uint32, found bool) {
	if 4*(t.n+1) > 3*len(t.slots) {
		t.grow()
	}
	n, s, found := t.probe(k)
	if found {
		return n, true
	}
	i := uint32(t.n)
	if int(i)%entryChunk == 0 {
		t.entries = append(t.entries, make([]idEntry, entryChunk))
	}
	*t.entry(i) = idEntry{key: k.a, key2: k.b}
	t.n++
	t.slots[s] = i + 1
	return i, false
}

// probe returns the number of the entry of k and its slot, or the empty
// slot where k would go. The slots must not be full.
func (t *idTable) probe(k idHash) (n uint32, slot uint64, found bool) {
	mask := uint64(len(t.slots) - 1)
	for s := k.a & mask; ; s = (s + 1) & mask {
		v := t.slots[s]
		if v == 0 {
			return 0, s, false
		}
		if e := t.entry(v - 1); e.key == k.a && e.key2 == k.b {
			return v - 1, s, true
		}
	}
}

// place puts entry i, of key k, in the first free slot of its probe run.
func (t *idTable) place(k uint64, i uint32) {
	mask := uint64(len(t.slots) - 1)
	s := k & mask
	for t.slots[s] != 0 {
		s = (s + 1) & mask
	}
	t.slots[s] = i + 1
}

// grow doubles the slots (at least 1024) and places every entry again.
func (t *idTable) grow() {
	t.slots = make([]uint32, max(1024, 2*len(t.slots)))
	for i := 0; i < t.n; i++ {
		t.place(t.entry(uint32(i)).key, uint32(i))
	}
}

// violations returns the standing violations of e.
func (t *idTable) violations(e *idEntry) []packedViolation {
	switch {
	case e.viols == 0:
		return nil
	case e.viols&violsMany != 0:
		r := t.runs[e.viols&^violsMany]
		return t.more[r.off : r.off+r.n]
	}
	return []packedViolation{packedViolation(e.viols - 1)}
}

// setViolations makes vs the standing violations of e. A run they replace
// is left unused.
func (t *idTable) setViolations(e *idEntry, vs []packedViolation) {
	switch {
	case len(vs) == 0:
		e.viols = 0
	case len(vs) == 1 && uint64(vs[0])+1 < uint64(violsMany):
		e.viols = uint32(vs[0]) + 1
	default:
		e.viols = violsMany | uint32(len(t.runs))
		t.runs = append(t.runs, run{uint32(len(t.more)), uint32(len(vs))})
		t.more = append(t.more, vs...)
	}
}
