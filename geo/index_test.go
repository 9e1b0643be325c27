package geo

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/paulmach/orb"
)

// squareWithHole is the square [0,4]² (in lattice units) with the hole
// [1,3]×[1,2], wound counter-clockwise like the exterior.
func squareWithHole() orb.Polygon {
	return orb.Polygon{rect(0, 0, 4, 4), rect(1, 1, 3, 2)}
}

func TestLocateBoundaryRule(t *testing.T) {
	zones := []Zone{
		{ID: "sq", Geometry: orb.MultiPolygon{squareWithHole()}},
		{ID: "right", Geometry: orb.MultiPolygon{{rect(4, 0, 8, 4)}}},            // shares the edge x=4
		{ID: "island", Geometry: orb.MultiPolygon{{rect(1.5, 1.25, 2.5, 1.75)}}}, // inside the hole
	}
	ix, err := NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		x, y float64 // lattice units
		want []int
	}{
		{"interior", 0.5, 3, []int{0}},
		{"exterior vertex", 0, 0, []int{0}},
		{"bottom horizontal edge", 2, 0, []int{0}},
		{"top horizontal edge", 0.25, 4, []int{0}},
		{"shared vertical edge", 4, 2.5, []int{0, 1}},
		{"shared vertex", 4, 4, []int{0, 1}},
		{"inside hole", 1.2, 1.5, nil},
		{"hole horizontal edge", 2, 1, []int{0}},
		{"hole vertex", 3, 2, []int{0}},
		{"island in hole", 2, 1.5, []int{2}},
		{"island edge", 1.5, 1.5, []int{2}},
		{"level with hole top, left of it", 0.5, 2, []int{0}},
		{"level with hole top, right of it", 3.5, 2, []int{0}},
		{"just outside", 8.001, 2, nil},
		{"far away", -10, -10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := lattice(tt.x, tt.y)
			got := ix.Locate(p[0], p[1], nil)
			if !equalInts(got, tt.want) {
				t.Errorf("Locate(%v) = %v, want %v", p, got, tt.want)
			}
			if in, near := newOracle(zones).locate(p[0], p[1], nil, nil); !equalInts(in, tt.want) || len(near) > 0 {
				t.Errorf("oracle(%v) = %v (undecided %v), want %v", p, in, near, tt.want)
			}
		})
	}
}

func TestLocateAppendsAndHandlesNaN(t *testing.T) {
	ix, err := NewIndex([]Zone{
		{ID: "a", Geometry: orb.MultiPolygon{{rect(0, 0, 2, 2)}}},
		{ID: "b", Geometry: orb.MultiPolygon{{rect(1, 1, 3, 3)}, {rect(0, 0, 2, 2)}}}, // overlapping parts
	})
	if err != nil {
		t.Fatal(err)
	}
	p := lattice(1.5, 1.5)
	got := ix.Locate(p[0], p[1], []int{7})
	if !equalInts(got, []int{7, 0, 1}) {
		t.Errorf("Locate appended %v, want [7 0 1]", got)
	}
	if got := ix.Locate(math.NaN(), p[1], nil); len(got) != 0 {
		t.Errorf("Locate(NaN) = %v, want nothing", got)
	}
	if got := ix.Within(math.NaN(), p[1], 1000, nil); len(got) != 0 {
		t.Errorf("Within(NaN) = %v, want nothing", got)
	}
}

// TestLocateAtTheGridEdges probes the rim of the grid, where the lookup's
// cell number falls outside the grid and the bounding box decides: the sides and corners of the
// zones' bounding box, points a rounding step and a cell beyond them, and
// coordinates that are not numbers at all.
func TestLocateAtTheGridEdges(t *testing.T) {
	zones := []Zone{
		{ID: "frame", Geometry: orb.MultiPolygon{{rect(10, 20, 14, 23), rect(11, 21, 13, 22)}}},
		{ID: "core", Geometry: orb.MultiPolygon{{rect(11.5, 21.25, 12.5, 21.75)}}},
	}
	ix, err := NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	ref := newOracle(zones)
	// Coordinates near v, given in lattice units, in degrees.
	near := func(v float64, axis int) []float64 {
		d := lattice(v, v)[axis]
		return []float64{d, math.Nextafter(d, 0), math.Nextafter(d, 100), d - 1e-9, d + 1e-9,
			d - 0.001, d + 0.001, d - 1, d + 1}
	}
	xs := append(near(10, 0), near(14, 0)...)
	xs = append(xs, near(12, 0)[0], near(10.5, 0)[0])
	ys := append(near(20, 1), near(23, 1)...)
	ys = append(ys, near(21.5, 1)[0], near(20.5, 1)[0])
	strange := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300}
	for _, v := range strange {
		for _, w := range []float64{xs[0], v} {
			if got := ix.Locate(v, w, nil); len(got) != 0 {
				t.Errorf("Locate(%v, %v) = %v, want nothing", v, w, got)
			}
			if got := ix.Locate(w, v, nil); len(got) != 0 {
				t.Errorf("Locate(%v, %v) = %v, want nothing", w, v, got)
			}
		}
	}
	inside := 0
	for _, x := range xs {
		for _, y := range ys {
			got := ix.Locate(x, y, nil)
			in, near := ref.locate(x, y, nil, nil)
			if !agrees(got, in, near) {
				t.Errorf("Locate(%v, %v) = %v, orb's ray-cast says %v (undecided %v)", x, y, got, in, near)
			}
			inside += len(got)
		}
	}
	if inside == 0 {
		t.Fatal("no probe found a zone: the probes miss the zones")
	}
}

func TestIndexLookupAndZones(t *testing.T) {
	zones := adversarialZones()
	ix := adversarialIndex(t)
	if len(ix.Zones()) != len(zones) {
		t.Fatalf("Zones() has %d zones, want %d", len(ix.Zones()), len(zones))
	}
	for i, z := range zones {
		if got, ok := ix.Lookup(z.ID); !ok || got != i {
			t.Errorf("Lookup(%q) = %d, %v, want %d, true", z.ID, got, ok, i)
		}
	}
	if _, ok := ix.Lookup("nope"); ok {
		t.Error(`Lookup("nope") found a zone`)
	}
}

func TestNewIndexErrors(t *testing.T) {
	sq := orb.MultiPolygon{{rect(0, 0, 1, 1)}}
	tests := []struct {
		name  string
		zones []Zone
		want  string
	}{
		{"duplicate across files", []Zone{
			{ID: "A", File: "a.geojson", Feature: 2, Geometry: sq},
			{ID: "A", File: "b.geojson", Feature: 0, Geometry: sq},
		}, `b.geojson: feature 0 (id "A"): duplicate zone id, also used by a.geojson feature 2`},
		{"empty id", []Zone{{File: "a.geojson", Geometry: sq}},
			`a.geojson: feature 0 (id ""): empty zone id`},
		{"no geometry", []Zone{{ID: "A", File: "a.geojson"}},
			`a.geojson: feature 0 (id "A"): empty geometry`},
		{"NaN", []Zone{{ID: "A", File: "a.geojson", Geometry: orb.MultiPolygon{{
			{{0, 0}, {1, math.NaN()}, {1, 1}, {0, 0}}}}}},
			`a.geojson: feature 0 (id "A"): polygon 0 ring 0 vertex 1: coordinate is not a finite number`},
		{"short ring", []Zone{{ID: "A", File: "a.geojson", Geometry: orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}}}}}},
			`a.geojson: feature 0 (id "A"): polygon 0 ring 0: ring has 3 positions, need at least 4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewIndex(tt.zones)
			if err == nil || err.Error() != tt.want {
				t.Errorf("NewIndex error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestIndexConcurrentReaders(t *testing.T) {
	ix := adversarialIndex(t)
	zones := ix.Zones()
	ref := newOracle(zones)
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var got, in, near []int
			for i := 0; i < 2000; i++ {
				p := lattice(float64((i*7+w)%90)-2, float64((i*13+w)%30)-2)
				got = ix.Locate(p[0], p[1], got[:0])
				in, near = ref.locate(p[0], p[1], in[:0], near[:0])
				if !agrees(got, in, near) {
					errs <- "disagreement under concurrency"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestLeafContainsDegenerate(t *testing.T) {
	// One edge from (0,0) to (2,0); the reference point is r.
	tests := []struct {
		name       string
		px, py     float64
		rx, ry     float64
		refIn      bool
		wantIn, on bool
		ok         bool
	}{
		{"crossing flips", 1, -1, 1, 1, true, false, false, true},
		{"no crossing keeps", 3, 1, 1, 1, true, true, false, true},
		{"on edge", 1, 0, 1, 1, false, true, true, true},
		{"on vertex", 2, 0, 1, 1, false, true, true, true},
		{"segment through vertex", 2, -1, 2, 1, true, false, false, false},
		{"p on line, off edge", 3, 0, 1, 1, true, true, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edges := []edge{{0, 0, 2, 0}}
			ref := newEdgeRef(0, orient(0, 0, 2, 0, tt.rx, tt.ry) < 0)
			in, on, ok := leafContains(edges, []uint32{uint32(ref)}, tt.px, tt.py, tt.rx, tt.ry, tt.refIn)
			if ok != tt.ok || (ok && (in != tt.wantIn || on != tt.on)) {
				t.Errorf("leafContains = %v, %v, %v, want %v, %v, %v", in, on, ok, tt.wantIn, tt.on, tt.ok)
			}
		})
	}
}

func TestOrientExpansionMatchesBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	decided := 0
	for i := 0; i < 20000; i++ {
		// Points on or next to one line, on a lattice or in general
		// position, so that the float64 filter often cannot decide.
		ax, ay := 30+rng.Float64(), 48+rng.Float64()
		dx, dy := rng.Float64()-0.5, rng.Float64()-0.5
		t1, t2 := rng.Float64()*2, rng.Float64()*2
		if i%2 == 0 {
			ax, ay, dx, dy = math.Round(ax*64)/64, math.Round(ay*64)/64, math.Round(dx*64)/64, math.Round(dy*64)/64
			t1, t2 = math.Round(t1*8)/8, math.Round(t2*8)/8
		}
		bx, by := ax+t1*dx, ay+t1*dy
		cx, cy := ax+t2*dx, ay+t2*dy
		if i%3 == 0 {
			cx = math.Nextafter(cx, 100)
		}
		want := orientBig(ax, ay, bx, by, cx, cy)
		got, ok := orientExpansion(ax, ay, bx, by, cx, cy)
		if ok && got != want {
			t.Fatalf("orientExpansion(%v %v %v %v %v %v) = %d, big.Float says %d", ax, ay, bx, by, cx, cy, got, want)
		}
		if ok {
			decided++
		}
		if got := orient(ax, ay, bx, by, cx, cy); got != want {
			t.Fatalf("orient(%v %v %v %v %v %v) = %d, big.Float says %d", ax, ay, bx, by, cx, cy, got, want)
		}
	}
	if decided < 5000 {
		t.Errorf("orientExpansion decided only %d of 20000 cases", decided)
	}
}

func TestOrientExactNearlyCollinear(t *testing.T) {
	// b - a and c - a differ in the last bits only: the float64 filter
	// cannot decide and the exact path must.
	a := orb.Point{30.1, 48.1}
	b := orb.Point{30.3, 48.3}
	c := orb.Point{math.Nextafter(30.2, 31), 48.2}
	if got := orient(a[0], a[1], b[0], b[1], c[0], c[1]); got != orientExact(a[0], a[1], b[0], b[1], c[0], c[1]) {
		t.Errorf("orient = %d disagrees with exact", got)
	}
	if got := orient(0, 0, 2, 2, 1, 1); got != 0 {
		t.Errorf("orient on exact line = %d, want 0", got)
	}
	if got := orient(0, 0, 2, 0, 1, 1e-300); got != 1 {
		t.Errorf("orient of a point 1e-300 above = %d, want 1", got)
	}
}
