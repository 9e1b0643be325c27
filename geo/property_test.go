package geo

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// probePoints returns points that stress the boundary rule for zones:
// every vertex (up to maxVertices, evenly spread), the midpoint of each of
// those vertices' next edge, a point on the horizontal line through each,
// and random points over the bounding box grown by a tenth.
func probePoints(zones []Zone, maxVertices, random int, rng *rand.Rand) []orb.Point {
	var verts []orb.Point
	b := zones[0].Geometry.Bound()
	for _, z := range zones {
		b = b.Union(z.Geometry.Bound())
		for _, p := range z.Geometry {
			for _, r := range p {
				verts = append(verts, r...)
			}
		}
	}
	step := max(1, len(verts)/maxVertices)
	var pts []orb.Point
	for i := 0; i+1 < len(verts); i += step {
		a, c := verts[i], verts[i+1]
		pts = append(pts, a,
			orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2},
			orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), a[1]})
	}
	dx, dy := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	for range random {
		pts = append(pts, orb.Point{b.Min[0] - dx/10 + rng.Float64()*dx*1.2, b.Min[1] - dy/10 + rng.Float64()*dy*1.2})
	}
	return pts
}

// checkAgainstReference locates pts with ix and with the oracle over its
// zones and fails on the first few disagreements. It returns how many
// points the oracle could not decide for some zone.
func checkAgainstReference(t *testing.T, ix *Index, pts []orb.Point) (undecided int) {
	t.Helper()
	ref := newOracle(ix.Zones())
	var got, in, near []int
	bad := 0
	for _, p := range pts {
		got = ix.Locate(p[0], p[1], got[:0])
		in, near = ref.locate(p[0], p[1], in[:0], near[:0])
		if len(near) > 0 {
			undecided++
		}
		if !agrees(got, in, near) {
			bad++
			if bad <= 5 {
				t.Errorf("Locate(%v, %v) = %v, orb's ray-cast says %v (undecided %v)", p[0], p[1], got, in, near)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d points disagree", bad, len(pts))
	}
	t.Logf("%d points, %d of them undecided by the oracle", len(pts), undecided)
	if undecided*4 > len(pts) {
		t.Errorf("the oracle decides only %d of %d points", len(pts)-undecided, len(pts))
	}
	return undecided
}

func TestLocateMatchesRayCastGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	zones := adversarialZones()
	tests := []struct {
		name  string
		zones []Zone
	}{
		{"all", zones},
		{"comb", zones[0:1]},
		{"spiral", zones[1:2]},
		{"holes", zones[2:3]},
		{"star", zones[3:4]},
		{"touching-parts", zones[4:5]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Under the race detector a sample: fewer probes and the
			// whole-number lattice points only (CI runs it in full
			// without the detector).
			n, step := 5000, 0.5
			if testing.Short() {
				n = 800
			}
			if testenv.Race {
				n, step = 150, 1
			}
			pts := probePoints(tt.zones, n, 4*n, rng)
			// Every lattice point of the comb's and the holes' area.
			for i := -1.0; i <= 82; i += step {
				for j := -1.0; j <= 26; j += step {
					pts = append(pts, lattice(i, j))
				}
			}
			ix := adversarialIndex(t) // "all": the index other tests share
			if tt.name != "all" {
				var err error
				if ix, err = NewIndex(tt.zones); err != nil {
					t.Fatal(err)
				}
			}
			checkAgainstReference(t, ix, pts)
		})
	}
}

func TestLocateMatchesRayCastRealFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	n := 1500
	if testenv.Race || testing.Short() {
		n = 200 // a sample; CI runs it in full without the race detector
	}
	for _, f := range zoneFiles {
		t.Run(f.name, func(t *testing.T) {
			ix := indexShared(t, f.name)
			checkAgainstReference(t, ix, probePoints(ix.Zones(), n, n, rng))
		})
	}
}

func TestLocateFIRMSSample(t *testing.T) {
	pts := firmsSample(t)
	stride := 2 * 97 // about 13,000 points spread over all years
	switch {
	case testenv.Race:
		// About 1,300 points of every fourth year (see firmsSample);
		// CI runs it in full without the race detector.
		stride = 2 * 251
	case testing.Short():
		stride = 2 * 997
	}
	for _, f := range zoneFiles {
		t.Run(f.name, func(t *testing.T) {
			ix := indexShared(t, f.name)
			var sample []orb.Point
			for i := 0; i < len(pts); i += stride {
				sample = append(sample, orb.Point{pts[i], pts[i+1]})
			}
			checkAgainstReference(t, ix, sample)
		})
	}
}

// TestLocateBorders: zones sharing borders exactly, where most boundary
// leaves are borders of two zones answered by the side of one edge (side
// leaves) or, with more edges, by one count of crossings for both zones
// (leafHead.pair), agree with the ray-cast on vertices, edges, horizontal
// edges and around them.
func TestLocateBorders(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var leaves, pairs, sides int
	for _, tt := range []struct {
		name  string
		zones []Zone
	}{
		{"tiles", tiledZones(6, 4, 12)},
		{"zigzag", zigzagZones()},
		{"staircase", staircaseZones()},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := NewIndex(tt.zones)
			if err != nil {
				t.Fatal(err)
			}
			l, p := ix.grid.countLeaves()
			leaves, pairs = leaves+l, pairs+p
			sides += len(ix.grid.sides)
			pts := probePoints(tt.zones, 4000, 8000, rng)
			for i := -1.0; i <= 41; i += 0.5 {
				for j := -1.0; j <= 21; j += 0.5 {
					pts = append(pts, lattice(i, j))
				}
			}
			checkAgainstReference(t, ix, pts)
		})
	}
	if pairs == 0 || pairs == leaves || sides == 0 {
		t.Fatalf("%d leaves, %d of them borders answered by one count, and %d side leaves; want each kind",
			leaves, pairs, sides)
	}
}
