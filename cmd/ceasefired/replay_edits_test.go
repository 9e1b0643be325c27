package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor/store"
)

// TestReplayZoneEdit: a zone file edited in place between two stored
// replays applies from the second replay on; reports of earlier times are
// judged against the content in force then, which the store kept.
func TestReplayZoneEdit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	square := func(lon float64) string {
		return fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},
"geometry":{"type":"Polygon","coordinates":[[[%[1]g,0],[%[2]g,0],[%[2]g,1],[%[1]g,1],[%[1]g,0]]]}}]}`, lon, lon+1)
	}
	zones, cfg, storage := filepath.Join(dir, "zones.geojson"), filepath.Join(dir, "c.yml"), filepath.Join(dir, "data")
	now := time.Now().UTC()
	write(t, zones, square(0))
	first := sha256.Sum256([]byte(square(0)))
	write(t, cfg, fmt.Sprintf(`zones:
  - {file: zones.geojson, id_property: id}
trials:
  - {name: t, zones: [a], start: %s, days: 30, prohibited: [shelling]}
sources:
  - {name: reports, format: csv, path: %s/*.csv, schedule: "@daily", csv: {id: id, time: time, lat: lat, lon: lon, category: category}}
`, now.Add(-48*time.Hour).Format(time.RFC3339), dir))
	replay := func(name, body string) {
		t.Helper()
		path := filepath.Join(dir, name)
		write(t, path, "id,time,lat,lon,category\n"+body)
		if _, stderr, code := runCmd(t, "replay", "--config.file="+cfg, "--storage.path="+storage, path); code != 0 {
			t.Fatalf("replay %s: exit %d:\n%s", name, code, stderr)
		}
	}
	at := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }
	replay("1.csv", "first,"+at(-30*time.Hour)+",0.5,0.5,shelling\n")

	// The line moves east in place; the second replay loads it.
	write(t, zones, square(5))
	second := sha256.Sum256([]byte(square(5)))
	replay("2.csv", "old-late,"+at(-time.Hour)+",0.5,0.5,shelling\nnew-late,"+at(-time.Hour)+",0.5,5.5,shelling\n"+
		"old-now,"+at(5*time.Minute)+",0.5,0.5,shelling\nnew-now,"+at(5*time.Minute)+",0.5,5.5,shelling\n")

	db, err := store.Open(storage, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	vs, err := db.TrialViolations(context.Background(), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][32]byte{"first": first, "old-late": first, "new-now": second}
	got := map[string][32]byte{}
	for _, v := range vs {
		got[v.IncidentID] = v.ZoneVersion
	}
	if len(got) != len(want) {
		t.Errorf("violations by %v, want by %v", keys(got), keys(want))
	}
	for id, sum := range want {
		if g := got[id]; g != sum {
			t.Errorf("violation by %s under zone version %x, want %x", id, g[:4], sum[:4])
		}
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
