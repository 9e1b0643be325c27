package geo

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLocateAllFIRMSPoints locates every one of the 1,263,651 FIRMS yearly
// points in each real zone file with the index and with the oracle (orb's
// ray-cast) and requires the same zones for every point, hence the same
// count per zone; no point may be one the oracle cannot decide. The
// ray-cast makes it slow: it runs only when CEASEFIRED_LONG_TESTS=1.
func TestLocateAllFIRMSPoints(t *testing.T) {
	if os.Getenv("CEASEFIRED_LONG_TESTS") != "1" {
		t.Skip("set CEASEFIRED_LONG_TESTS=1 to run")
	}
	pts := firmsPoints(t, 0)
	for _, f := range zoneFiles {
		t.Run(f.name, func(t *testing.T) {
			ix := indexShared(t, f.name)
			zones := ix.Zones()
			ref := newOracle(zones)
			counts := make([]int, len(zones))
			refCounts := make([]int, len(zones))
			var got, want, near []int
			start := time.Now()
			bad, undecided := 0, 0
			for i := 0; i < len(pts); i += 2 {
				got = ix.Locate(pts[i], pts[i+1], got[:0])
				want, near = ref.locate(pts[i], pts[i+1], want[:0], near[:0])
				if len(near) > 0 {
					if undecided++; undecided <= 5 {
						t.Errorf("point %v, %v: too close to the boundary of %v for the oracle", pts[i], pts[i+1], near)
					}
				}
				for _, z := range got {
					counts[z]++
				}
				for _, z := range want {
					refCounts[z]++
				}
				if !equalInts(got, want) {
					if bad++; bad <= 5 {
						t.Errorf("point %v, %v: index %v, orb's ray-cast %v", pts[i], pts[i+1], got, want)
					}
				}
			}
			for z := range zones {
				if counts[z] != refCounts[z] {
					t.Errorf("zone %s: index counts %d, orb's ray-cast %d", zones[z].ID, counts[z], refCounts[z])
				}
			}
			t.Logf("%d points, %d disagreements, %d undecided, %v", len(pts)/2, bad, undecided, time.Since(start))
		})
	}
}

// TestLocateMatchesShapelyCounts checks the FIRMS week against the counts
// the data set's notes give from an independent tool (shapely, interior
// only): no FIRMS point of that week lies on a boundary, so the counts
// must agree exactly.
func TestLocateMatchesShapelyCounts(t *testing.T) {
	path := filepath.Join(sharedData(t), "incidents", "firms_modis_ukraine_week_2022-03-18_2022-03-24_sp.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("FIRMS week absent: %v", err)
	}
	defer f.Close()
	var pts []float64
	sc := bufio.NewScanner(f)
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue // latitude,longitude,...
		}
		fields := strings.SplitN(sc.Text(), ",", 3)
		lat, err1 := strconv.ParseFloat(fields[0], 64)
		lon, err2 := strconv.ParseFloat(fields[1], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("line %d: %q", line+1, sc.Text())
		}
		pts = append(pts, lon, lat)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		ids  map[string]string // zone id → focus oblast ISO code
		want map[string]int    // "any" and ISO code → count
	}{
		{"naturalearth", map[string]string{"UA-14": "UA-14", "UA-09": "UA-09", "UA-23": "UA-23", "UA-65": "UA-65", "UA-63": "UA-63"},
			map[string]int{"any": 3608, "UA-14": 438, "UA-09": 123, "UA-23": 111, "UA-65": 53, "UA-63": 52}},
		{"geoboundaries", map[string]string{"UA-14": "UA-14", "UA-09": "UA-09", "UA-23": "UA-23", "UA-65": "UA-65", "UA-63": "UA-63"},
			map[string]int{"any": 3615, "UA-14": 442, "UA-09": 125, "UA-23": 111, "UA-65": 63, "UA-63": 52}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ix := indexShared(t, tt.file)
			got := map[string]int{}
			var dst []int
			for i := 0; i < len(pts); i += 2 {
				dst = ix.Locate(pts[i], pts[i+1], dst[:0])
				if len(dst) > 0 {
					got["any"]++
				}
				for _, z := range dst {
					if iso, ok := tt.ids[ix.Zones()[z].ID]; ok {
						got[iso]++
					}
				}
			}
			for k, w := range tt.want {
				if got[k] != w {
					t.Errorf("%s: %d points, shapely counts %d", k, got[k], w)
				}
			}
		})
	}
}
