package geo

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
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

// The real zone files, their indexes and the FIRMS points are large and
// the tests only read them, so each is read or built once per test
// binary, on first use: under the race detector loading the three files,
// building their indexes and reading the points took about 15 s of CPU
// when every test did it again. Index is immutable, and the tests modify
// neither the zones it keeps nor the points.
var (
	sharedFiles = func() map[string]*sharedFile {
		m := map[string]*sharedFile{}
		for _, f := range zoneFiles {
			m[f.name] = &sharedFile{file: f.file, idProperty: f.idProperty}
		}
		return m
	}()
	sharedFIRMS, sampleFIRMS firmsOnce
	errNoFIRMS               = errors.New("no FIRMS yearly files")

	// adversarial is the index over adversarialZones, which several
	// tests build alike: under the race detector each build takes about
	// a second.
	adversarial = sync.OnceValues(func() (*Index, error) { return NewIndex(adversarialZones()) })
)

// firmsOnce holds FIRMS points read at most once.
type firmsOnce struct {
	once sync.Once
	pts  []float64
	err  error
}

// sharedFile is one of zoneFiles, loaded and indexed at most once.
type sharedFile struct {
	file, idProperty string
	load, build      sync.Once
	zones            []Zone
	ix               *Index
	loadErr, ixErr   error
}

// loadShared loads one of zoneFiles by name, once per test binary.
func loadShared(tb testing.TB, name string) []Zone {
	tb.Helper()
	data := sharedData(tb)
	f, ok := sharedFiles[name]
	if !ok {
		tb.Fatalf("unknown zone file %q", name)
	}
	f.load.Do(func() {
		f.zones, _, f.loadErr = LoadFile(filepath.Join(data, "zones", f.file), LoadOptions{IDProperty: f.idProperty})
	})
	if f.loadErr != nil {
		tb.Fatal(f.loadErr)
	}
	return f.zones
}

// indexShared returns the index over one of zoneFiles by name, built once
// per test binary.
func indexShared(tb testing.TB, name string) *Index {
	tb.Helper()
	zones := loadShared(tb, name)
	f := sharedFiles[name]
	f.build.Do(func() { f.ix, f.ixErr = NewIndex(zones) })
	if f.ixErr != nil {
		tb.Fatal(f.ixErr)
	}
	return f.ix
}

// adversarialIndex returns the index over adversarialZones, built once
// per test binary.
func adversarialIndex(tb testing.TB) *Index {
	tb.Helper()
	ix, err := adversarial()
	if err != nil {
		tb.Fatal(err)
	}
	return ix
}

// firmsPoints returns up to limit points (all when limit <= 0) of the
// yearly FIRMS files as interleaved lon, lat pairs, read once per test
// binary. The caller must not modify them.
func firmsPoints(tb testing.TB, limit int) []float64 {
	tb.Helper()
	return readFIRMSOnce(tb, &sharedFIRMS, 1, limit)
}

// firmsSample returns the points of the yearly FIRMS files for the tests
// that check a sample of them: all of them, but under the race detector
// those of every fourth file only, as reading all of them there costs
// more than the checks (CI runs those tests without the detector too, on
// all of them).
func firmsSample(tb testing.TB) []float64 {
	tb.Helper()
	if !testenv.Race {
		return firmsPoints(tb, 0)
	}
	return readFIRMSOnce(tb, &sampleFIRMS, 4, 0)
}

// readFIRMSOnce fills s with the points of every everyth yearly FIRMS
// file once and returns up to limit of them (all when limit <= 0).
func readFIRMSOnce(tb testing.TB, s *firmsOnce, every, limit int) []float64 {
	tb.Helper()
	data := sharedData(tb)
	s.once.Do(func() { s.pts, s.err = readFIRMS(data, every) })
	if errors.Is(s.err, errNoFIRMS) {
		tb.Skip(s.err)
	}
	if s.err != nil {
		tb.Fatal(s.err)
	}
	n := len(s.pts)
	if limit > 0 {
		n = min(n, 2*limit)
	}
	return s.pts[:n:n]
}

// readFIRMS reads every point of every everyth yearly FIRMS file under
// data, in the order of their names (years).
func readFIRMS(data string, every int) ([]float64, error) {
	files, err := filepath.Glob(filepath.Join(data, "incidents", "firms_ukr_latlon_yearly", "*.csv.gz"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errNoFIRMS
	}
	var pts []float64
	for i, f := range files {
		if i%every != 0 {
			continue
		}
		if pts, err = readLatLon(f, pts); err != nil {
			return nil, err
		}
	}
	return pts, nil
}

func readLatLon(path string, pts []float64) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	r := bufio.NewReader(zr)
	for line := 0; ; line++ {
		s, err := r.ReadString('\n')
		if err == io.EOF {
			return pts, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if line == 0 {
			continue // LATITUDE,LONGITUDE,ACQ_DATE
		}
		fields := strings.SplitN(s, ",", 3)
		lat, err1 := strconv.ParseFloat(fields[0], 64)
		lon, err2 := strconv.ParseFloat(fields[1], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s line %d: bad coordinates %q", path, line+1, s)
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
