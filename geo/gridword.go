package geo

import "math"

// The grid packs its cells and leaves into 32-bit words. Each kind of word
// has its own type, and each field of it one accessor and one constructor
// argument here; nothing else reads or sets their bits.

// cellWord is the word of a grid cell, at the top level or in a block. Its
// top two bits are a tag (cellEmpty, cellZone, cellBlock, cellLeaf) and
// the rest its payload:
//
//	cellEmpty  no zone touches the cell (the word is 0)
//	cellZone   the cell lies entirely inside one zone: zone()
//	cellBlock  the cell is split into fanout×fanout sub-cells, whose
//	           words start at blocks[block()]
//	cellLeaf   the leaf at leaf[leaf()] answers; or, when side() is set,
//	           the side leaf sides[sideLeaf()]
type cellWord uint32

// Tags of a cellWord.
const (
	cellEmpty = iota
	cellZone
	cellBlock
	cellLeaf
)

const (
	cellTagShift = 30
	cellPayload  = 1<<cellTagShift - 1
	cellSide     = 1 << 29      // in a cellLeaf word: a side leaf
	maxLeafIndex = cellSide - 1 // the largest leaf offset or side leaf
)

func zoneCell(z int) cellWord     { return cellZone<<cellTagShift | cellWord(z) }
func blockCell(off int) cellWord  { return cellBlock<<cellTagShift | cellWord(off) }
func leafCell(off int) cellWord   { return cellLeaf<<cellTagShift | cellWord(off) }
func sideLeafCell(i int) cellWord { return cellLeaf<<cellTagShift | cellSide | cellWord(i) }
func (w cellWord) tag() uint32    { return uint32(w) >> cellTagShift }
func (w cellWord) zone() int      { return int(w & cellPayload) }
func (w cellWord) block() int     { return int(w & cellPayload) }
func (w cellWord) side() bool     { return w&cellSide != 0 }
func (w cellWord) leaf() int      { return int(w & maxLeafIndex) }
func (w cellWord) sideLeaf() int  { return int(w & maxLeafIndex) }

// A leaf is a run of words in grid.leaf: a header of leafHeadWords words,
// the reference point's x and y as float64 (low word first) and a
// leafHead; then per polygon an entry of entryWords words, the polygon's
// index into parts, its zone and its entryFlags, followed by
// entryFlags.edges() edgeRef words.
const (
	leafHeadWords = 5
	entryWords    = 3
)

// appendLeafHead appends the header of a leaf with reference point
// (rx, ry) to leaf.
func appendLeafHead(leaf []uint32, rx, ry float64, h leafHead) []uint32 {
	xb, yb := math.Float64bits(rx), math.Float64bits(ry)
	return append(leaf, uint32(xb), uint32(xb>>32), uint32(yb), uint32(yb>>32), uint32(h))
}

// leafHeader reads the header at the start of words.
func leafHeader(words []uint32) (rx, ry float64, h leafHead) {
	rx = math.Float64frombits(uint64(words[0]) | uint64(words[1])<<32)
	ry = math.Float64frombits(uint64(words[2]) | uint64(words[3])<<32)
	return rx, ry, leafHead(words[4])
}

// leafHead is the last header word of a leaf: the number of entries and
// whether the leaf is a border between two zones, a pair: two entries of
// polygons of different zones whose edges in the cell are the same
// segments and of which exactly one contains the reference point. Only
// the first lists its edges. Off those edges each point of the cell is
// then in exactly one of the two (both polygons flip at the same places),
// and on them in both, so one count of crossings answers for both zones.
type leafHead uint32

const headPair = 1 << 31

func newLeafHead(entries int, pair bool) leafHead {
	h := leafHead(entries)
	if pair {
		h |= headPair
	}
	return h
}
func (h leafHead) entries() int { return int(h &^ headPair) }
func (h leafHead) pair() bool   { return h&headPair != 0 }

// entryFlags is the third word of a leaf entry: the number of edgeRef
// words that follow (0: the polygon contains the whole cell), whether the
// polygon contains the leaf's reference point, and whether that point
// lies on the line of one of those edges.
type entryFlags uint32

const (
	flagRefIn     = 1 << 30
	flagRefOnLine = 1 << 31
	flagEdges     = flagRefIn - 1
)

func newEntryFlags(edges int, refIn, refOnLine bool) entryFlags {
	f := entryFlags(edges)
	if refIn {
		f |= flagRefIn
	}
	if refOnLine {
		f |= flagRefOnLine
	}
	return f
}
func (f entryFlags) edges() int      { return int(f & flagEdges) }
func (f entryFlags) refIn() bool     { return f&flagRefIn != 0 }
func (f entryFlags) refOnLine() bool { return f&flagRefOnLine != 0 }

// edgeRef is an edge of a leaf entry: an index into grid.edges, and
// whether the leaf's reference point lies to the right of the edge.
type edgeRef uint32

const refFlip = 1 << 31

func newEdgeRef(edge int32, flip bool) edgeRef {
	r := edgeRef(edge)
	if flip {
		r |= refFlip
	}
	return r
}
func (r edgeRef) edge() int     { return int(r &^ refFlip) }
func (r edgeRef) flipped() bool { return r&refFlip != 0 }

// flipSign is the sign bit of a float64 when flipped, else 0: XOR it into
// a determinant to see it from the reference point's side of the edge.
func (r edgeRef) flipSign() uint64 { return uint64(r&refFlip) << 32 }
