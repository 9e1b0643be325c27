package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs/testenv"
	"github.com/ceasefired/ceasefired/monitor/store"
)

// monthCounts opens the store in dir and returns the counts of each zone
// over [from, to).
func monthCounts(t *testing.T, dir string, from, to time.Time) map[string]int64 {
	t.Helper()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.IncidentCount(context.Background()); err != nil || n != 0 {
		t.Errorf("IncidentCount = %d, %v; a counts-only replay stores no incident", n, err)
	}
	counts, err := db.DailyCounts(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range counts {
		out[c.ZoneID+" "+c.Source+" "+string(c.Category)] += c.Count
	}
	return out
}

// TestReplayCountsOnly replays a small file with --counts-only and finds
// its daily counts, and no incident, in the store.
func TestReplayCountsOnly(t *testing.T) {
	dir := t.TempDir()
	zones, err := filepath.Abs("../../configs/demo/zones.geojson")
	if err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yml")
	writeFile(t, cfg, fmt.Sprintf(`zones:
  - file: %s
    id_property: sector_id
trials:
  - name: t
    zones: [north]
    start: 2026-01-01T00:00:00Z
    prohibited: [thermal_anomaly]
sources:
  - name: archive
    format: csv
    path: /nonexistent/*.csv
    schedule: "@daily"
    category: thermal_anomaly
    csv: {lat: LATITUDE, lon: LONGITUDE, time: ACQ_DATE}
`, zones))
	data := filepath.Join(dir, "a.csv")
	writeFile(t, data, "LATITUDE,LONGITUDE,ACQ_DATE\n48.6,37.2,2019-08-01\n48.6,37.3,2019-08-01\n48.5,38.5,2019-08-02\n10,10,2019-08-02\n")
	_, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"), "--counts-only", data)
	if code != 0 {
		t.Fatalf("replay exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"rows read:    4", "in a zone:    3", "daily counts: 2"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	got := monthCounts(t, filepath.Join(dir, "data"), time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 8, 2, 0, 0, 0, 0, time.UTC))
	if len(got) != 1 || got["north archive thermal_anomaly"] != 2 {
		t.Errorf("counts of 1 August = %v, want 2 in north", got)
	}

	// The same file again, under another name and beside a new one: only
	// the new one is counted.
	again, more := filepath.Join(dir, "copy.csv"), filepath.Join(dir, "b.csv")
	writeFile(t, again, "LATITUDE,LONGITUDE,ACQ_DATE\n48.6,37.2,2019-08-01\n48.6,37.3,2019-08-01\n48.5,38.5,2019-08-02\n10,10,2019-08-02\n")
	writeFile(t, more, "LATITUDE,LONGITUDE,ACQ_DATE\n48.6,37.25,2019-08-01\n")
	_, stderr, code = runCmd(t, "replay", "--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"), "--counts-only", again, more, more)
	if code != 0 {
		t.Fatalf("second replay exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"copy.csv skipped: its content was counted", "b.csv skipped: the same content as", "files:        1 counted, 2 skipped"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("second summary lacks %q:\n%s", want, stderr)
		}
	}
	got = monthCounts(t, filepath.Join(dir, "data"), time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 8, 2, 0, 0, 0, 0, time.UTC))
	if got["north archive thermal_anomaly"] != 3 {
		t.Errorf("counts of 1 August after the second replay = %v, want 3 in north", got)
	}
}

// TestReplayCountsArchive builds the background from the 1.26 million rows
// of the yearly FIRMS archive with a counts-only replay and checks the
// monthly counts the judging documentation quotes (Donetsk oblast, UA-14,
// 2,793 in August 2019; Zaporizhzhia, UA-23, 3,861 in July 2019).
func TestReplayCountsArchive(t *testing.T) {
	t.Parallel() // waits on real processes or reads large files; runs beside the other slow tests
	files, _ := filepath.Glob(filepath.Join(testenv.SharedData(t, "incidents/firms_ukr_latlon_yearly"), "*.csv.gz"))
	testenv.SharedData(t, "zones/ua_oblasts_naturalearth_10m.geojson")
	dir := t.TempDir()
	args := append([]string{"replay", "--config.file=testdata/yearly.yml", "--storage.path=" + dir, "--counts-only"}, files...)
	_, stderr, code := runCmd(t, args...)
	if code != 0 {
		t.Fatalf("replay exit %d:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "rows read:    1263651") {
		t.Errorf("summary:\n%s", stderr)
	}
	t.Log(stderr)
	aug := monthCounts(t, dir, time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC))
	jul := monthCounts(t, dir, time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 8, 1, 0, 0, 0, 0, time.UTC))
	if n := aug["UA-14 firms-yearly thermal_anomaly"]; n != 2793 {
		t.Errorf("UA-14 in August 2019: %d, want 2793", n)
	}
	if n := jul["UA-23 firms-yearly thermal_anomaly"]; n != 3861 {
		t.Errorf("UA-23 in July 2019: %d, want 3861", n)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
