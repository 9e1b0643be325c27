package geo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// TestSplitContainment checks the containment split gives each polygon at
// each child's reference point against the ray-cast: with the parent's
// reference point at random, on the lines between children and on their
// corners, and with one child whose candidate reference points are all
// vertices of a zone, so that it has none and the chain of children
// restarts from the parent's point after it.
func TestSplitContainment(t *testing.T) {
	ix := adversarialIndex(t)
	zones := slices.Clone(ix.Zones())
	bb := ix.grid
	xs, ys := cuts(bb.x0, bb.x1), cuts(bb.y0, bb.y1)
	// The trap: a star-shaped zone through every candidate point of child
	// (1, 1), which lies inside the zones' bounding box.
	trap := box{xs[1], ys[1], xs[2], ys[2]}
	var ring orb.Ring
	for _, f := range refFractions {
		ring = append(ring, orb.Point{trap.x0 + f[0]*(trap.x1-trap.x0), trap.y0 + f[1]*(trap.y1-trap.y0)})
	}
	px, py := trap.x0+0.41*(trap.x1-trap.x0), trap.y0+0.47*(trap.y1-trap.y0)
	slices.SortFunc(ring, func(a, b orb.Point) int {
		return cmp.Compare(math.Atan2(a[1]-py, a[0]-px), math.Atan2(b[1]-py, b[0]-px))
	})
	ring = append(ring, ring[0])
	zones = append(zones, Zone{ID: "trap", File: "generated", Feature: len(zones), Geometry: orb.MultiPolygon{{ring}}})
	ix, err := NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	g := grid{x0: math.Inf(1), y0: math.Inf(1), x1: math.Inf(-1), y1: math.Inf(-1)}
	b, root := newGridBuilder(&g, ix.parts)
	if g.x0 != bb.x0 || g.x1 != bb.x1 || g.y0 != bb.y0 || g.y1 != bb.y1 {
		t.Fatal("the trap zone widened the bounding box")
	}

	rng := rand.New(rand.NewPCG(5, 6))
	var refs [][2]float64
	random := 300
	if testenv.Race {
		random = 50 // a sample; CI runs all 300 without the race detector
	}
	for range random {
		refs = append(refs, [2]float64{g.x0 + rng.Float64()*(g.x1-g.x0), g.y0 + rng.Float64()*(g.y1-g.y0)})
	}
	for i := range xs {
		for j := range ys {
			refs = append(refs, [2]float64{xs[i], ys[j]}, [2]float64{xs[i], g.y0 + rng.Float64()*(g.y1-g.y0)},
				[2]float64{g.x0 + rng.Float64()*(g.x1-g.x0), ys[j]})
		}
	}
	trapped, checked := 0, 0
	for _, r := range refs {
		if b.onAnyEdge(root, r[0], r[1], false) {
			continue // a reference point is never on an edge
		}
		items := slices.Clone(root)
		for i := range items {
			items[i].in = polygonContains(ix.parts[items[i].part].poly, r[0], r[1])
		}
		ni, ne, nk := len(b.items), len(b.idx), len(b.kids)
		kids := b.split(xs, ys, r[0], r[1], items)
		for k, kd := range kids {
			x, y := kd.rx, kd.ry
			if math.IsNaN(x) {
				if k != 1*4+1 {
					t.Fatalf("child %d has no reference point", k)
				}
				trapped++
				continue
			}
			in := make(map[int32]bool)
			for _, it := range kd.items {
				in[it.part] = it.in
			}
			for pi, p := range ix.parts {
				want := polygonContains(p.poly, x, y)
				if got := in[int32(pi)]; got != want {
					t.Fatalf("parent point %v, child %d point (%v, %v): polygon %d of zone %s contains it %v, split says %v",
						r, k, x, y, pi, zones[p.zone].ID, want, got)
				}
				checked++
			}
		}
		b.items, b.idx, b.kids = b.items[:ni], b.idx[:ne], b.kids[:nk]
	}
	if trapped == 0 || checked == 0 {
		t.Fatalf("%d children without a reference point, %d containments checked", trapped, checked)
	}
}

// cuts returns five bounds splitting [lo, hi] into four unequal runs.
func cuts(lo, hi float64) []float64 {
	return []float64{lo, lo + 0.2*(hi-lo), lo + 0.45*(hi-lo), lo + 0.7*(hi-lo), hi}
}
