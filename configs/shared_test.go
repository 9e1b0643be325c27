package configs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sharedData returns the shared reference data folder, which lives next to
// the repository, or skips the test when it is absent.
func sharedData(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	data := filepath.Join(dir, "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	return data
}

// TestLoadNaturalEarthOblasts loads a real admin boundary file, used
// unchanged, through a config.
func TestLoadNaturalEarthOblasts(t *testing.T) {
	zones := filepath.Join(sharedData(t), "zones", "ua_oblasts_naturalearth_10m.geojson")
	if _, err := os.Stat(zones); err != nil {
		t.Skipf("zone file absent: %v", err)
	}
	cfg := filepath.Join(t.TempDir(), "ceasefired.yml")
	text := "zones:\n  - file: " + zones + "\n    id_property: iso_3166_2\n    name_property: name\n" +
		"trials:\n  - name: donbas\n    zones: [UA-14, UA-09]\n    start: 2026-12-01T00:00:00Z\n    prohibited: [shelling]\n" +
		"  - name: all\n    zones: [\"*\"]\n    start: 2026-12-01T00:00:00Z\n    prohibited: [shelling]\n"
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ids := c.ZoneIDs(c.Trials[1])
	if len(c.Loaded) != 27 || len(ids) != 27 {
		t.Errorf("%d zones loaded, %d covered by *, want 27", len(c.Loaded), len(ids))
	}
	if !slices.Contains(ids, "UA-14") {
		t.Errorf("zone UA-14 missing from %q", ids)
	}
	if c.Loaded[0].File != zones {
		t.Errorf("zone file %q, want %q", c.Loaded[0].File, zones)
	}
}
