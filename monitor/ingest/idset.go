package ingest

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
)

// idSet is the set of incident ids met in one document: an open-addressing
// table of 64-bit hashes, a hit confirmed by comparing the ids themselves,
// which it keeps back to back (each after its length) in blocks that are
// never copied. It takes about 30 bytes per id plus the id's length, in
// memory without pointers.
type idSet struct {
	seed   maphash.Seed
	slots  []idSlot
	n      int
	blocks [][]byte
	cur    int // the block ids go to; those after it are empty
}

// idSlot is one slot of an idSet: the id's hash (0 for an empty slot) and
// where the id lies: the number of its block, shifted left by 32, and its
// offset there.
type idSlot struct {
	hash uint64
	at   uint64
}

// idBlock is the size of the blocks ids are kept in; a longer id has a
// block of its own.
const idBlock = 32 << 10

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
			*sl = idSlot{hash: h, at: s.keep(id)}
			s.n++
			return false
		}
		if sl.hash == h && string(s.id(sl.at)) == id { // compared without a copy
			return true
		}
	}
}

// keep stores id in the current block, or the next, and returns where.
func (s *idSet) keep(id string) uint64 {
	need := binary.MaxVarintLen64 + len(id)
	for len(s.blocks) == 0 || cap(s.blocks[s.cur])-len(s.blocks[s.cur]) < need {
		switch {
		case len(s.blocks) == 0:
		case s.cur+1 < len(s.blocks):
			s.cur++
			continue
		default:
			s.cur = len(s.blocks)
		}
		s.blocks = append(s.blocks, make([]byte, 0, max(idBlock, need)))
	}
	b := &s.blocks[s.cur]
	at := uint64(s.cur)<<32 | uint64(len(*b))
	*b = binary.AppendUvarint(*b, uint64(len(id)))
	*b = append(*b, id...)
	return at
}

// id returns the id kept at at.
func (s *idSet) id(at uint64) []byte {
	b := s.blocks[at>>32][uint32(at):]
	n, k := binary.Uvarint(b)
	return b[k : uint64(k)+n]
}

// reset empties s, keeping its memory.
func (s *idSet) reset() {
	clear(s.slots)
	for i := range s.blocks {
		s.blocks[i] = s.blocks[i][:0]
	}
	s.n, s.cur = 0, 0
}

// idSets hands out idSets, keeping one to use again, so that the documents
// a decoder reads one after another share the memory of one set (a fresh
// set per document costs page faults for its table). It keeps, for as
// long as the decoder lives, the memory of the largest document's set:
// about 8 MB for 160,000 ids of 26 bytes (4 MB of table, 4 MB of ids).
// The zero value is ready; a nil *idSets hands out new sets and keeps none.
type idSets struct {
	mu    sync.Mutex
	spare *idSet
}

// get returns an empty set.
func (p *idSets) get() *idSet {
	if p == nil {
		return newIDSet()
	}
	p.mu.Lock()
	s := p.spare
	p.spare = nil
	p.mu.Unlock()
	if s == nil {
		s = newIDSet()
	}
	return s
}

// put takes back s, which the caller no longer uses.
func (p *idSets) put(s *idSet) {
	if p == nil {
		return
	}
	s.reset()
	p.mu.Lock()
	p.spare = s
	p.mu.Unlock()
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
