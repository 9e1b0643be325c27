package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/store"
)

// TestReplayZoneVersions replays reports from both sides of a zone's move
// (testdata/versions): those before it are judged against the old line,
// those from its instant on against the new, in the violations printed,
// in those stored with their zone version and in the daily counts.
func TestReplayZoneVersions(t *testing.T) {
	t.Parallel()
	const cfg, reports = "testdata/versions/replay.yml", "testdata/versions/reports.csv"
	digest := func(name string) [32]byte {
		b, err := os.ReadFile(filepath.Join("testdata/versions", name))
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	want := map[string][32]byte{"old-before": digest("old.geojson"), "old-early": digest("old.geojson"),
		"new-after": digest("new.geojson"), "new-late": digest("new.geojson")}

	stdout, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--dry-run", reports)
	if code != 0 {
		t.Fatalf("replay --dry-run exit %d:\n%s", code, stderr)
	}
	var printed []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var v struct {
			IncidentID string `json:"incident_id"`
			ZoneID     string `json:"zone_id"`
		}
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("bad JSON line %q: %v", line, err)
		}
		printed = append(printed, v.IncidentID+"/"+v.ZoneID)
	}
	slices.Sort(printed)
	if w := []string{"new-after/a", "new-late/a", "old-before/a", "old-early/a"}; !slices.Equal(printed, w) {
		t.Errorf("dry run printed violations %q, want %q", printed, w)
	}

	dir := t.TempDir()
	if _, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--storage.path="+dir, reports); code != 0 {
		t.Fatalf("replay exit %d:\n%s", code, stderr)
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	vs, err := db.TrialViolations(context.Background(), "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(want) {
		t.Errorf("%d violations stored, want %d", len(vs), len(want))
	}
	for _, v := range vs {
		if sum, ok := want[v.IncidentID]; !ok || v.ZoneVersion != sum {
			t.Errorf("violation by %s stored under zone version %x, want %x", v.IncidentID, v.ZoneVersion, sum)
		}
	}

	dir = t.TempDir()
	if _, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--storage.path="+dir, "--counts-only", reports); code != 0 {
		t.Fatalf("replay --counts-only exit %d:\n%s", code, stderr)
	}
	db2, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	counts, err := db2.DailyCounts(context.Background(), time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, c := range counts {
		n += c.Count
	}
	if n != int64(len(want)) {
		t.Errorf("daily counts %+v add up to %d, want %d", counts, n, len(want))
	}
}
