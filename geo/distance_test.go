package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

func TestDistanceMeters(t *testing.T) {
	dms := func(d, m, s float64) float64 { return d + m/60 + s/3600 }
	tests := []struct {
		name                   string
		lon1, lat1, lon2, lat2 float64
		want, tolerance        float64 // meters
	}{
		// Vincenty (1975), test line between Flinders Peak and Buninyong.
		{"Flinders Peak to Buninyong", dms(144, 25, 29.52440), -dms(37, 57, 3.72030),
			dms(143, 55, 35.38390), -dms(37, 39, 10.15610), 54972.271, 0.001},
		// One degree of latitude from the equator: the meridian arc.
		{"one degree of meridian at the equator", 30, 0, 30, 1, 110574.389, 0.01},
		// A quarter of the equator.
		{"quarter equator", 0, 0, 90, 0, math.Pi / 2 * wgs84A, 0.001},
		{"same point", 37.8, 48.0, 37.8, 48.0, 0, 0},
		// Nearly antipodal: Vincenty does not converge; haversine answers.
		{"nearly antipodal", 0, 0, 179.7, 0.5, 19_995_000, 0.006 * 19_995_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DistanceMeters(tt.lon1, tt.lat1, tt.lon2, tt.lat2)
			if math.Abs(got-tt.want) > tt.tolerance {
				t.Errorf("DistanceMeters = %.4f m, want %.4f ± %g", got, tt.want, tt.tolerance)
			}
			if back := DistanceMeters(tt.lon2, tt.lat2, tt.lon1, tt.lat1); math.Abs(back-got) > 1e-6 {
				t.Errorf("not symmetric: %.6f and %.6f", got, back)
			}
		})
	}
	if d := DistanceMeters(math.NaN(), 0, 0, 0); !math.IsNaN(d) {
		t.Errorf("DistanceMeters(NaN) = %v, want NaN", d)
	}
}

// degreesEastAt48 is 1,000 m of longitude at 48°N on WGS84: a degree of
// the parallel there is N·cos φ·π/180 = 74,625.6 m.
const degreesEastAt48 = 1000 / 74625.6

func TestWithin(t *testing.T) {
	// A square zone whose east edge is the meridian 30°E, and a ring with
	// a hole whose edge runs along 36°E.
	zones := []Zone{
		{ID: "west", Geometry: orb.MultiPolygon{{{{29, 47.5}, {30, 47.5}, {30, 48.5}, {29, 48.5}, {29, 47.5}}}}},
		{ID: "holed", Geometry: orb.MultiPolygon{{
			{{35, 47}, {37, 47}, {37, 49}, {35, 49}, {35, 47}},
			{{36, 47.5}, {36.5, 47.5}, {36.5, 48.5}, {36, 48.5}, {36, 47.5}},
		}}},
	}
	ix, err := NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		lon, lat float64
		meters   float64
		want     []int
	}{
		{"1 km east of the edge, 2 km buffer", 30 + degreesEastAt48, 48, 2000, []int{0}},
		{"1 km east of the edge, 500 m buffer", 30 + degreesEastAt48, 48, 500, nil},
		{"inside the zone is not near", 29.99, 48, 2000, nil},
		{"in the hole, 1 km from its west edge", 36 + degreesEastAt48, 48, 2000, []int{1}},
		{"on the boundary is inside, not near", 30, 48, 2000, nil},
		{"negative buffer", 30 + degreesEastAt48, 48, -1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ix.Within(tt.lon, tt.lat, tt.meters, nil)
			if len(got) != len(tt.want) {
				t.Fatalf("Within = %v, want zones %v", got, tt.want)
			}
			for i, n := range got {
				if n.Zone != tt.want[i] {
					t.Errorf("Within zone %d = %d, want %d", i, n.Zone, tt.want[i])
				}
				if math.Abs(n.Meters-1000) > 5 {
					t.Errorf("Within distance = %.2f m, want 1000 m ± 0.5%%", n.Meters)
				}
			}
		})
	}
}

func TestWithinCorner(t *testing.T) {
	// The nearest boundary point is a vertex: 1 km south and 1 km east of
	// the south-east corner of a square lies √2 km from it.
	ix, err := NewIndex([]Zone{{ID: "sq", Geometry: orb.MultiPolygon{{{{29, 48}, {30, 48}, {30, 49}, {29, 49}, {29, 48}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	lat := 48 - 1000/111_160.0 // a degree of latitude at 48°N is 111,160 m
	got := ix.Within(30+degreesEastAt48, lat, 3000, nil)
	if len(got) != 1 || math.Abs(got[0].Meters-math.Sqrt2*1000)/(math.Sqrt2*1000) > 0.005 {
		t.Errorf("Within = %v, want zone 0 at 1414 m ± 0.5%%", got)
	}
}

func TestWithinMatchesBruteForce(t *testing.T) {
	pts := firmsSample(t)
	ix := indexShared(t, "minregion")
	zones := ix.Zones()
	ref := newOracle(zones)
	const meters = 5000
	stride := 2 * 1999
	if testenv.Race {
		// Every 9,999th point of a quarter of the files; CI runs it in
		// full without the race detector.
		stride = 2 * 9999
	}
	checked := 0
	for i := 0; i < len(pts); i += stride {
		x, y := pts[i], pts[i+1]
		inside, near := ref.locate(x, y, nil, nil)
		if len(near) > 0 {
			t.Fatalf("(%v, %v) is too close to a boundary for the oracle: %v", x, y, near)
		}
		var want []Near
		for zi, z := range zones {
			if contains(inside, zi) {
				continue
			}
			best := math.Inf(1)
			for _, p := range z.Geometry {
				for _, r := range p {
					for k := 0; k+1 < len(r); k++ {
						a, b := r[k], r[k+1]
						// Edges farther than 0.2° (over 14 km here) cannot
						// be within 5 km; skip the geodesic for them.
						if max(a[0], b[0]) < x-0.2 || min(a[0], b[0]) > x+0.2 ||
							max(a[1], b[1]) < y-0.2 || min(a[1], b[1]) > y+0.2 {
							continue
						}
						best = min(best, segmentDistanceMeters(x, y, a[0], a[1], b[0], b[1]))
					}
				}
			}
			if best <= meters {
				want = append(want, Near{Zone: zi, Meters: best})
			}
		}
		got := ix.Within(x, y, meters, nil)
		if len(got) != len(want) {
			t.Fatalf("Within(%v, %v) = %v, brute force %v", x, y, got, want)
		}
		for k := range got {
			if got[k] != want[k] {
				t.Fatalf("Within(%v, %v) = %v, brute force %v", x, y, got, want)
			}
		}
		checked += len(want)
	}
	if checked == 0 {
		t.Fatal("no point near a foreign zone: the test checks nothing")
	}
}
