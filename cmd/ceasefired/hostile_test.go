package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHostileRows feeds a FIRMS file with short rows, NaN and non-numeric
// coordinates, latitude 91, an impossible date, a static-source row and
// binary junk: the good rows are stored, each bad row is counted under its
// reason, and the daemon keeps serving.
func TestHostileRows(t *testing.T) {
	dir := t.TempDir()
	zones, _ := filepath.Abs("../../configs/demo/zones.geojson")
	spool := filepath.Join(dir, "spool")
	if err := os.MkdirAll(spool, 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/hostile_firms.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(spool, "hostile.csv"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - file: %s
    id_property: sector_id
trials:
  - name: t1
    zones: [north]
    start: 2026-01-01T00:00:00Z
    prohibited: [thermal_anomaly]
sources:
  - name: firms
    format: firms
    path: spool/*.csv
    schedule: "@every 1s"
`, zones)), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startDaemon(t, cfg, filepath.Join(dir, "data"))
	s := p.settledMetrics(t, 20*time.Second, "the hostile file ingested", func(s map[string]float64) bool {
		return s[`ceasefire_source_last_success_timestamp_seconds{source="firms"}`] > 0
	})
	want := map[string]float64{
		`ceasefire_incidents_ingested_total{source="firms"}`:                                3,
		`ceasefire_violations_total{category="thermal_anomaly",trial="t1",zone_id="north"}`: 3,
		`ceasefire_incidents_rejected_total{reason="short_row",source="firms"}`:             2, // "48.63" and the junk line
		`ceasefire_incidents_rejected_total{reason="coordinate_range",source="firms"}`:      1,
		`ceasefire_incidents_rejected_total{reason="bad_coordinate",source="firms"}`:        2,
		`ceasefire_incidents_rejected_total{reason="bad_time",source="firms"}`:              1,
		`ceasefire_incidents_rejected_total{reason="static_source",source="firms"}`:         1,
	}
	for series, v := range want {
		if s[series] != v {
			t.Errorf("%s = %v, want %v", series, s[series], v)
		}
	}
	if got := sumSeries(s, `ceasefire_incidents_rejected_total{`); got != 7 {
		t.Errorf("rejected in all %v, want 7", got)
	}
	if body := httpGet(t, p.url+"/-/healthy"); !strings.Contains(body, "healthy") {
		t.Errorf("healthy: %q", body)
	}
}

// TestBadConfigExits checks that a bad config makes both `check config` and
// the daemon exit 1 with an error naming the file and line.
func TestBadConfigExits(t *testing.T) {
	dir := t.TempDir()
	zones, _ := filepath.Abs("../../configs/demo/zones.geojson")
	cfg := filepath.Join(dir, "bad.yml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`zones:
  - file: %s
    id_property: sector_id
trials:
  - name: t1
    zones: [north, atlantis]
    start: 2026-01-01T00:00:00Z
    prohibited: [shelling]
    dayz: 3
sources: []
`, zones)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", "config", cfg},
		{"run", "--config.file=" + cfg, "--storage.path=" + filepath.Join(dir, "data"), "--web.listen-address=127.0.0.1:0"},
	} {
		_, stderr, code := runCmd(t, args...)
		if code != 1 {
			t.Errorf("%v: exit %d, want 1; stderr:\n%s", args[0], code, stderr)
		}
		if !strings.Contains(stderr, "bad.yml:9") || !strings.Contains(stderr, "dayz") {
			t.Errorf("%v: error does not name bad.yml:9 and the key dayz:\n%s", args[0], stderr)
		}
	}
}
