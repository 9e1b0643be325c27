package geo

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// zoneFiles are the real zone files of the shared data set with the
// property that holds each file's zone id.
var zoneFiles = []struct{ name, file, idProperty string }{
	{"naturalearth", "ua_oblasts_naturalearth_10m.geojson", "iso_3166_2"},
	{"minregion", "ua_oblasts_minregion_2020.geojson", "ADMIN_1"},
	{"geoboundaries", "ua_adm1_geoboundaries_gbopen_2017.geojson", "shapeISO"},
}

// sharedData returns the shared data folder, or skips the test when it is
// absent.
func sharedData(tb testing.TB) string {
	tb.Helper()
	return testenv.SharedData(tb, "")
}

// loadShared loads one of zoneFiles by name.
func loadShared(tb testing.TB, name string) []Zone {
	tb.Helper()
	data := sharedData(tb)
	for _, f := range zoneFiles {
		if f.name == name {
			zones, _, err := LoadFile(filepath.Join(data, "zones", f.file), LoadOptions{IDProperty: f.idProperty})
			if err != nil {
				tb.Fatal(err)
			}
			return zones
		}
	}
	tb.Fatalf("unknown zone file %q", name)
	return nil
}

// firmsPoints reads up to limit points (all when limit <= 0) from the
// yearly FIRMS files as interleaved lon, lat pairs.
func firmsPoints(tb testing.TB, limit int) []float64 {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(sharedData(tb), "incidents", "firms_ukr_latlon_yearly", "*.csv.gz"))
	if err != nil || len(files) == 0 {
		tb.Skipf("no FIRMS yearly files: %v", err)
	}
	var pts []float64
	for _, f := range files {
		pts = readLatLon(tb, f, pts)
		if limit > 0 && len(pts) >= 2*limit {
			return pts[:2*limit]
		}
	}
	return pts
}

func readLatLon(tb testing.TB, path string, pts []float64) []float64 {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	r := bufio.NewReader(zr)
	for line := 0; ; line++ {
		s, err := r.ReadString('\n')
		if err == io.EOF {
			return pts
		}
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		if line == 0 {
			continue // LATITUDE,LONGITUDE,ACQ_DATE
		}
		fields := strings.SplitN(s, ",", 3)
		lat, err1 := strconv.ParseFloat(fields[0], 64)
		lon, err2 := strconv.ParseFloat(fields[1], 64)
		if err1 != nil || err2 != nil {
			tb.Fatalf("%s line %d: bad coordinates %q", path, line+1, s)
		}
		pts = append(pts, lon, lat)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// countLeaves returns the number of leaves of g and how many of them are
// borders of two zones (leafHead.pair).
func (g *grid) countLeaves() (leaves, pairs int) {
	for off := 0; off < len(g.leaf); leaves++ {
		_, _, head := leafHeader(g.leaf[off:])
		if head.pair() {
			pairs++
		}
		off += leafHeadWords
		for n := head.entries(); n > 0; n-- {
			off += entryWords + entryFlags(g.leaf[off+2]).edges()
		}
	}
	return leaves, pairs
}
