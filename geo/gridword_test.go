package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// TestPackedWordFields sets each field of each packed word to its extremes
// and reads every field back: no field may spill into another.
func TestPackedWordFields(t *testing.T) {
	t.Run("cell", func(t *testing.T) {
		for _, n := range []int{0, 1, maxLeafIndex} {
			if w := zoneCell(n); w.tag() != cellZone || w.zone() != n {
				t.Errorf("zoneCell(%d): tag %d zone %d", n, w.tag(), w.zone())
			}
			if w := blockCell(n); w.tag() != cellBlock || w.block() != n {
				t.Errorf("blockCell(%d): tag %d block %d", n, w.tag(), w.block())
			}
			if w := leafCell(n); w.tag() != cellLeaf || w.side() || w.leaf() != n {
				t.Errorf("leafCell(%d): tag %d side %v leaf %d", n, w.tag(), w.side(), w.leaf())
			}
			if w := sideLeafCell(n); w.tag() != cellLeaf || !w.side() || w.sideLeaf() != n {
				t.Errorf("sideLeafCell(%d): tag %d side %v side leaf %d", n, w.tag(), w.side(), w.sideLeaf())
			}
		}
		if w := cellWord(cellEmpty); w.tag() != cellEmpty || w != 0 {
			t.Errorf("empty cell word %#x", uint32(w))
		}
	})
	t.Run("leaf head", func(t *testing.T) {
		for _, n := range []int{0, 2, headPair - 1} {
			for _, pair := range []bool{false, true} {
				if h := newLeafHead(n, pair); h.entries() != n || h.pair() != pair {
					t.Errorf("newLeafHead(%d, %v): %d entries, pair %v", n, pair, h.entries(), h.pair())
				}
			}
		}
		rx, ry := 30.123456789, math.NaN()
		words := appendLeafHead(nil, rx, ry, newLeafHead(3, true))
		if len(words) != leafHeadWords {
			t.Fatalf("header of %d words, want %d", len(words), leafHeadWords)
		}
		if x, y, h := leafHeader(words); x != rx || !math.IsNaN(y) || h.entries() != 3 || !h.pair() {
			t.Errorf("leafHeader = %v, %v, %d entries, pair %v", x, y, h.entries(), h.pair())
		}
	})
	t.Run("entry flags", func(t *testing.T) {
		for _, n := range []int{0, 1, flagEdges} {
			for _, in := range []bool{false, true} {
				for _, on := range []bool{false, true} {
					f := newEntryFlags(n, in, on)
					if f.edges() != n || f.refIn() != in || f.refOnLine() != on {
						t.Errorf("newEntryFlags(%d, %v, %v): %d, %v, %v", n, in, on, f.edges(), f.refIn(), f.refOnLine())
					}
				}
			}
		}
	})
	t.Run("edge ref", func(t *testing.T) {
		for _, e := range []int32{0, 1, math.MaxInt32} {
			for _, flip := range []bool{false, true} {
				r := newEdgeRef(e, flip)
				if r.edge() != int(e) || r.flipped() != flip {
					t.Errorf("newEdgeRef(%d, %v): %d, %v", e, flip, r.edge(), r.flipped())
				}
				d := math.Float64frombits(math.Float64bits(2) ^ r.flipSign())
				if (d < 0) != flip || math.Abs(d) != 2 {
					t.Errorf("newEdgeRef(%d, %v) flips 2 to %v", e, flip, d)
				}
			}
		}
	})
}

// TestLocateWithoutTop16 answers from the plain top-level words, which
// the index uses when the compact form does not fit (65,535 zones or
// more, or too many split cells in a row), and requires the same answers
// as from the compact form and the oracle, on the rim of the grid too.
func TestLocateWithoutTop16(t *testing.T) {
	compact := adversarialIndex(t)
	zones := compact.Zones()
	if compact.grid.top16 == nil {
		t.Fatal("the compact form is not used")
	}
	plain := *compact // the same zones and polygons, with a grid of its own
	plain.grid = buildGrid(plain.parts, false)
	g := &plain.grid
	if g.top16 != nil || g.top == nil {
		t.Fatal("the plain form is not used")
	}

	n := 2000
	if testenv.Race {
		n = 250 // a sample; CI runs it in full without the race detector
	}
	pts := probePoints(zones, n, 2*n, rand.New(rand.NewPCG(9, 10)))
	rim := func(lo, hi float64) []float64 {
		return []float64{lo, hi, (lo + hi) / 2, math.Nextafter(lo, 0), math.Nextafter(hi, 100), lo - 1e-9, hi + 1e-9}
	}
	for _, x := range rim(g.x0, g.x1) {
		for _, y := range rim(g.y0, g.y1) {
			pts = append(pts, orb.Point{x, y})
		}
	}
	ref := newOracle(zones)
	var a, b, in, near []int
	for _, p := range pts {
		a = compact.Locate(p[0], p[1], a[:0])
		b = plain.Locate(p[0], p[1], b[:0])
		in, near = ref.locate(p[0], p[1], in[:0], near[:0])
		if !equalInts(a, b) || !agrees(b, in, near) {
			t.Fatalf("Locate(%v, %v): compact %v, plain %v, orb's ray-cast %v (undecided %v)", p[0], p[1], a, b, in, near)
		}
	}
}
