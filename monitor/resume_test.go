package monitor_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/ceasefired/ceasefired/monitor"
	"github.com/ceasefired/ceasefired/monitor/ingest"
)

// spoolCSV returns a CSV document of n reports, every third one in zone a
// on trial day 1 (a violation), the others far away, and every seventh row
// with a bad latitude (rejected).
func spoolCSV(n int) string {
	var sb strings.Builder
	sb.WriteString("id,time,lat,lon,category\n")
	for i := range n {
		lat, lon := "5.0", "5.0"
		switch {
		case i%7 == 6:
			lat = "95.0"
		case i%3 == 0:
			lat, lon = "0.5", fmt.Sprintf("0.%03d", 100+i%800)
		}
		fmt.Fprintf(&sb, "r%05d,2026-12-02T%02d:%02d:00Z,%s,%s,shelling\n", i, i/60%24, i%60, lat, lon)
	}
	return sb.String()
}

// countRows returns the incidents, rejected rows and violations of spoolCSV(n).
func countRows(n int) (incidents, rejected, violations int) {
	for i := range n {
		switch {
		case i%7 == 6:
			rejected++
		case i%3 == 0:
			incidents++
			violations++
		default:
			incidents++
		}
	}
	return incidents, rejected, violations
}

// fileSource returns a source of the CSV files matching glob.
func fileSource(t *testing.T, glob string) *monitor.Source {
	t.Helper()
	dec, err := ingest.NewCSV(ingest.CSVOptions{Lat: "lat", Lon: "lon", Time: "time", ID: "id", Category: "category"})
	if err != nil {
		t.Fatal(err)
	}
	return &monitor.Source{Name: "spool", Fetcher: ingest.NewFiles(glob), Decoder: dec}
}

// errKilled stands for the process dying in the middle of a document.
var errKilled = errors.New("killed")

// TestResumeAfterInterruptions interrupts the ingest of one file after
// every successful commit, each time with a new runner on the same store,
// as repeated kills would. Each run must store one more batch and send the
// store nothing it stored before, until the file is stored whole, with
// every count exact.
func TestResumeAfterInterruptions(t *testing.T) {
	const rows, batch = 100, 8
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.csv"), []byte(spoolCSV(rows)), 0o644); err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	ctx := context.Background()
	wantInc, wantRej, wantViol := countRows(rows)
	var sent, runs, rejected int64
	for {
		runs++
		if runs > rows { // old behaviour: every run starts over and dies again
			t.Fatalf("no end after %d runs: each run repeats the first batch", runs)
		}
		// Each run may commit once; its second commit "kills" it.
		fs := &failingStore{Store: db, fail: func(call int, _ *monitor.Batch) error {
			if call > 1 {
				return errKilled
			}
			return nil
		}}
		r, reg := clockRunner(t, fs, newFakeClock(trialStart.Add(3*monitor.Day)), batch)
		src := fileSource(t, filepath.Join(dir, "*.csv"))
		r.SetSources([]*monitor.Source{src})
		err := r.Fetch(ctx, src)
		if dup := testutil.ToFloat64(counter(t, reg, "ceasefire_incidents_duplicate_total")); dup != 0 {
			t.Errorf("run %d: %v duplicates: a stored batch was sent again", runs, dup)
		}
		rejected += int64(sumRejected(t, reg))
		sent += fs.okItems.Load()
		if err == nil {
			break
		}
		if !errors.Is(err, errKilled) {
			t.Fatal(err)
		}
	}
	if want := int64(wantInc/batch + 1); runs != want {
		t.Errorf("%d runs, want %d: one batch per run", runs, want)
	}
	if sent != int64(wantInc) {
		t.Errorf("%d incidents sent to the store in all, want each of the %d once", sent, wantInc)
	}
	if rejected != int64(wantRej) {
		t.Errorf("%d rows rejected in all runs, want each of the %d once", rejected, wantRej)
	}
	if n, _ := db.IncidentCount(ctx); n != int64(wantInc) {
		t.Errorf("%d incidents stored, want %d", n, wantInc)
	}
	totals, _ := db.Totals(ctx)
	if len(totals) != 1 || totals[0].Count != int64(wantViol) {
		t.Errorf("totals %+v, want %d violations in one zone", totals, wantViol)
	}
	// Once whole, the file's own cursor replaces the progress, and the
	// next fetch finds nothing to do.
	cur, _ := db.Cursors(ctx, "spool")
	for k, v := range cur {
		if strings.HasPrefix(v, "partial:") {
			t.Errorf("cursor of %s still records progress: %s", k, v)
		}
	}
	fs := &failingStore{Store: db}
	r, _ := clockRunner(t, fs, newFakeClock(trialStart.Add(3*monitor.Day)), batch)
	if err := r.Fetch(ctx, fileSource(t, filepath.Join(dir, "*.csv"))); err != nil || fs.calls.Load() != 0 {
		t.Errorf("fetch after completion: %v, %d commits; want none", err, fs.calls.Load())
	}
}
