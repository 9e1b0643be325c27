package ingest

import (
	"encoding/binary"
	"hash/maphash"
)

// idSet is the set of incident ids met in one document: an open-addressing
// table of 64-bit hashes, a hit confirmed by comparing the ids themselves,
// which it keeps back to back (each after its length). It takes about 40
// bytes per id plus the id's length, none of it pointers.
type idSet struct {
	seed  maphash.Seed
	slots []idSlot
	n     int
	text  []byte
}

// idSlot is one slot of an idSet: the id's hash (0 for an empty slot) and
// where the id lies in text.
type idSlot struct {
	hash uint64
	off  uint64
}

func newIDSet() *idSet { return &idSet{seed: maphash.MakeSeed()} }

// add adds id and reports whether it was in the set already.
func (s *idSet) add(id string) (seen bool) {
	if 4*(s.n+1) > 3*len(s.slots) {
		s.grow()
	}
	h := maphash.String(s.seed, id) | 1
	mask := uint64(len(s.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl.hash == 0 {
			*sl = idSlot{hash: h, off: uint64(len(s.text))}
			s.text = binary.AppendUvarint(s.text, uint64(len(id)))
			s.text = append(s.text, id...)
			s.n++
			return false
		}
		if sl.hash == h && string(s.id(sl.off)) == id { // compared without a copy
			return true
		}
	}
}

// id returns the id kept at off in text.
func (s *idSet) id(off uint64) []byte {
	n, k := binary.Uvarint(s.text[off:])
	start := off + uint64(k)
	return s.text[start : start+n]
}

// grow doubles the slots (at least 1024) and places every id again.
func (s *idSet) grow() {
	old := s.slots
	s.slots = make([]idSlot, max(1024, 2*len(old)))
	mask := uint64(len(s.slots) - 1)
	for _, sl := range old {
		if sl.hash == 0 {
			continue
		}
		i := sl.hash & mask
		for s.slots[i].hash != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}
