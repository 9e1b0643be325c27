package judge_test

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// The calibration setting of docs/judging.md: twelve 30-day windows a
// year from 1 January, every oblast as trial zone with the rest as
// controls.
const (
	calWindows    = 12
	calWindowDays = 30
	calTrialYear  = 2022
)

var calRefYears = []int{2012, 2013, 2016, 2018, 2019, 2020, 2021}

// sharedData is testenv.SharedData, except that in CI (CI set in the
// environment) missing data fails the test instead of skipping it.
func sharedData(tb testing.TB, rel string) string {
	tb.Helper()
	if os.Getenv("CI") == "" {
		return testenv.SharedData(tb, rel)
	}
	var p string
	if t, ok := tb.(*testing.T); ok {
		t.Run("locate "+rel, func(t *testing.T) { p = testenv.SharedData(t, rel) })
	}
	if p == "" {
		tb.Fatalf("shared data %s missing in CI", rel)
	}
	return p
}

// archiveCounts holds the FIRMS detections per year, zone and window.
type archiveCounts struct {
	zones  []geo.Zone
	counts map[int][][calWindows]int // year → zone → window
}

// loadArchive counts the detections of the given years per oblast and
// window; it skips tb when the shared data is absent.
func loadArchive(tb testing.TB, years []int) archiveCounts {
	tb.Helper()
	zonesPath := sharedData(tb, "zones/ua_oblasts_naturalearth_10m.geojson")
	dir := sharedData(tb, "incidents/firms_ukr_latlon_yearly")
	zones, _, err := geo.LoadFile(zonesPath, geo.LoadOptions{IDProperty: "iso_3166_2", NameProperty: "name"})
	if err != nil {
		tb.Fatal(err)
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		tb.Fatal(err)
	}
	ac := archiveCounts{zones: ix.Zones(), counts: map[int][][calWindows]int{}}
	for _, y := range years {
		c := make([][calWindows]int, len(ac.zones))
		path := filepath.Join(dir, fmt.Sprintf("ukr_fire_data_%d.csv.gz", y))
		if err := countFile(path, ix, c); err != nil {
			tb.Fatalf("count %s: %v", path, err)
		}
		ac.counts[y] = c
	}
	return ac
}

// countFile adds the detections of one yearly file (LATITUDE, LONGITUDE,
// ACQ_DATE) into c by zone and window; days after the twelfth window are
// not counted.
func countFile(path string, ix *geo.Index, c [][calWindows]int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	r := csv.NewReader(gz)
	r.ReuseRecord = true
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("header: %w", err)
	}
	var hits []int
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		lat, err1 := strconv.ParseFloat(rec[0], 64)
		lon, err2 := strconv.ParseFloat(rec[1], 64)
		day, err3 := time.Parse(time.DateOnly, rec[2])
		if err := errors.Join(err1, err2, err3); err != nil {
			return err
		}
		w := (day.YearDay() - 1) / calWindowDays
		if w >= calWindows {
			continue
		}
		hits = ix.Locate(lon, lat, hits[:0])
		for _, z := range hits {
			c[z][w]++
		}
	}
}

// sample is zone z's count and the other zones' total in window w of
// year y.
func (ac archiveCounts) sample(y, z, w int) judge.Sample {
	start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, w*calWindowDays)
	s := judge.Sample{Start: start, End: start.AddDate(0, 0, calWindowDays)}
	for i, zc := range ac.counts[y] {
		if i == z {
			s.Zone = zc[w]
		} else {
			s.Controls += zc[w]
		}
	}
	return s
}

// flag judges every zone-window of trialYear against refYears and returns
// the ones classed Above.
func (ac archiveCounts) flag(tb testing.TB, trialYear int, refYears []int, opts judge.BackgroundOptions) []flagged {
	tb.Helper()
	var out []flagged
	for z := range ac.zones {
		for w := range calWindows {
			refs := make([]judge.Sample, 0, len(refYears))
			for _, y := range refYears {
				refs = append(refs, ac.sample(y, z, w))
			}
			res, err := judge.Background(ac.sample(trialYear, z, w), refs, opts)
			if err != nil {
				tb.Fatalf("zone %s window %d: %v", ac.zones[z].ID, w, err)
			}
			if res.Class == judge.Above {
				out = append(out, flagged{zone: z, window: w, res: res})
			}
		}
	}
	return out
}

type flagged struct {
	zone, window int
	res          judge.BackgroundResult
}

func without(years []int, y int) []int {
	out := make([]int, 0, len(years))
	for _, v := range years {
		if v != y {
			out = append(out, v)
		}
	}
	return out
}
