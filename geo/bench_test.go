package geo

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// The many-zones case: 1,000 tiles of 80 edges each over Ukraine.
const manyX, manyY, manySide = 40, 25, 20

// BenchmarkLocate locates the FIRMS yearly points, one point per
// iteration, cycling through all 1,263,651 of them.
func BenchmarkLocate(b *testing.B) {
	pts := firmsPoints(b, 0)
	cases := []struct {
		name  string
		zones func() []Zone
	}{
		{"naturalearth", func() []Zone { return loadShared(b, "naturalearth") }},
		{"minregion", func() []Zone { return loadShared(b, "minregion") }},
		{"geoboundaries", func() []Zone { return loadShared(b, "geoboundaries") }},
		{"manyzones", func() []Zone { return tiledZones(manyX, manyY, manySide) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			// Built here, so that a run of one case builds one index: with
			// b.Loop this function runs once and the build is not timed.
			ix, err := NewIndex(c.zones())
			if err != nil {
				b.Fatal(err)
			}
			var dst []int
			j, found := 0, 0
			for b.Loop() {
				dst = ix.Locate(pts[j], pts[j+1], dst[:0])
				found += len(dst)
				if j += 2; j == len(pts) {
					j = 0
				}
			}
			if found == 0 {
				b.Fatal("no point located")
			}
		})
	}
}

// BenchmarkReadPoints is the floor: reading the points and nothing else.
func BenchmarkReadPoints(b *testing.B) {
	pts := firmsPoints(b, 0)
	j, sum := 0, 0.0
	for b.Loop() {
		sum += pts[j] + pts[j+1]
		if j += 2; j == len(pts) {
			j = 0
		}
	}
	if sum == 0 {
		b.Fatal("no points")
	}
}

// BenchmarkOrbContains is the comparison: orb's planar.MultiPolygonContains
// behind a bounding-box check, zone by zone, on the same points.
func BenchmarkOrbContains(b *testing.B) {
	pts := firmsPoints(b, 0)
	zones := loadShared(b, "minregion")
	bounds := make([]orb.Bound, len(zones))
	for i, z := range zones {
		bounds[i] = z.Geometry.Bound()
	}
	b.Run("minregion", func(b *testing.B) {
		j, found := 0, 0
		for b.Loop() {
			p := orb.Point{pts[j], pts[j+1]}
			for i, z := range zones {
				if bounds[i].Contains(p) && planar.MultiPolygonContains(z.Geometry, p) {
					found++
				}
			}
			if j += 2; j == len(pts) {
				j = 0
			}
		}
		if found == 0 {
			b.Fatal("no point located")
		}
	})
}

// BenchmarkBuild measures NewIndex per zone file and reports the heap the
// index holds beyond its zones, in MiB.
func BenchmarkBuild(b *testing.B) {
	for _, f := range zoneFiles {
		zones := loadShared(b, f.name)
		b.Run(f.name, func(b *testing.B) { benchBuild(b, zones) })
	}
	zones := tiledZones(manyX, manyY, manySide)
	b.Run("manyzones", func(b *testing.B) { benchBuild(b, zones) })
}

func benchBuild(b *testing.B, zones []Zone) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := ms.HeapAlloc
	ix, err := NewIndex(zones)
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&ms)
	heap := float64(ms.HeapAlloc-before) / (1 << 20)
	runtime.KeepAlive(ix)
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewIndex(zones); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(heap, "heap-MiB")
}

// BenchmarkLoad measures parsing and validating each zone file from memory.
func BenchmarkLoad(b *testing.B) {
	data := sharedData(b)
	for _, f := range zoneFiles {
		raw, err := os.ReadFile(filepath.Join(data, "zones", f.file))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, _, err := Load(raw, f.file, LoadOptions{IDProperty: f.idProperty}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWithin finds the zones within 2 km of each FIRMS point that do
// not contain it, one point per iteration.
func BenchmarkWithin(b *testing.B) {
	pts := firmsPoints(b, 0)
	ix, err := NewIndex(loadShared(b, "minregion"))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("minregion-2km", func(b *testing.B) {
		var dst []Near
		j, found := 0, 0
		for b.Loop() {
			dst = ix.Within(pts[j], pts[j+1], 2000, dst[:0])
			found += len(dst)
			if j += 2 * 7919; j >= len(pts) {
				j -= len(pts)
			}
		}
		if found == 0 && b.N > 1000 {
			b.Fatal("no zone near any point")
		}
	})
}
