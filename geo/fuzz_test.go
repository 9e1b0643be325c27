package geo

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
)

// fuzzZones turns bytes into up to three zones on a 16×16 lattice (one
// byte per vertex: low nibble x, high nibble y), rings possibly
// self-intersecting, plus query points on the half lattice, so that points
// fall on vertices, on edges and on horizontal edges often.
func fuzzZones(data []byte) ([]Zone, []orb.Point) {
	var zones []Zone
	for len(zones) < 3 && len(data) > 0 {
		n := int(data[0]%24) + 3
		data = data[1:]
		if len(data) < n {
			break
		}
		r := make(orb.Ring, 0, n+1)
		for _, v := range data[:n] {
			r = append(r, lattice(float64(v&15), float64(v>>4)))
		}
		data = data[n:]
		r = append(r, r[0])
		poly := orb.Polygon{r}
		if len(data) > 0 && data[0]&1 == 1 && len(zones) == 0 {
			poly = append(poly, rect(6, 6, 9, 9)) // a hole, or an island
		}
		zones = append(zones, Zone{ID: fmt.Sprint(len(zones)), Geometry: orb.MultiPolygon{poly}})
	}
	var pts []orb.Point
	for i := 0; i+1 < len(data); i += 2 {
		pts = append(pts, lattice(float64(data[i]%34)/2-0.5, float64(data[i+1]%34)/2-0.5))
	}
	for i := -1.0; i <= 16; i += 0.25 {
		pts = append(pts, lattice(i, i*0.75), lattice(i, 7.5))
	}
	return zones, pts
}

func FuzzLocate(f *testing.F) {
	f.Add([]byte{4, 0x00, 0x0f, 0xff, 0xf0, 1, 0x77, 0x88, 0x12})
	f.Add([]byte{5, 0x00, 0xf0, 0x0f, 0xff, 0x88, 6, 0x11, 0x21, 0x22, 0x12, 0x44, 0x31})
	f.Add([]byte{20, 0x00, 0x10, 0x11, 0x21, 0x20, 0x30, 0x31, 0x41, 0x40, 0x50, 0x51, 0x61,
		0x60, 0x70, 0xa0, 0xa4, 0x74, 0x73, 0x13, 0x03, 0x00, 0x00, 0x33})
	f.Fuzz(func(t *testing.T, data []byte) {
		zones, pts := fuzzZones(data)
		if len(zones) == 0 {
			return
		}
		ix, err := NewIndex(zones)
		if err != nil {
			t.Fatal(err)
		}
		ref := newOracle(zones)
		var got, in, near []int
		for _, p := range pts {
			got = ix.Locate(p[0], p[1], got[:0])
			in, near = ref.locate(p[0], p[1], in[:0], near[:0])
			if !agrees(got, in, near) {
				t.Fatalf("Locate(%v) = %v, orb's ray-cast says %v (undecided %v); zones %v", p, got, in, near, zones)
			}
		}
	})
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(fc(feature("A", polygon(square)))))
	f.Add([]byte(fc(feature("A", `{"type":"MultiPolygon","coordinates":[[[[30,48],[31,48],[31,49],[30,48]]],[[[32,48],[33,48],[33,49],[32,48]]]]}`))))
	f.Add([]byte(fc(feature("A", polygon(`[[[30,48,1],[31,48,2],[31,49,3],[30,48,4]],[[30.5,48.2],[30.6,48.2],[30.6,48.3],[30.5,48.2]]]`)))))
	f.Add([]byte(fc(feature("A", polygon(`[[[30,48],[31,49],[31,48],[30,49],[30,48]]]`)))))
	f.Fuzz(func(t *testing.T, data []byte) {
		zones, _, err := Load(data, "f.geojson", LoadOptions{IDProperty: "id", SkipNonPolygon: true})
		if err != nil {
			return
		}
		ix, err := NewIndex(zones)
		if err != nil {
			t.Fatalf("loaded zones rejected by NewIndex: %v", err)
		}
		for zi, z := range zones {
			v := z.Geometry[0][0][0]
			got := ix.Locate(v[0], v[1], nil)
			if !contains(got, zi) {
				t.Fatalf("zone %d does not contain its own vertex %v: %v", zi, v, got)
			}
		}
	})
}
