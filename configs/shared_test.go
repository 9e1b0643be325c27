package configs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ceasefired/ceasefired/configs/testenv"
)

// TestLoadNaturalEarthOblasts loads a real admin boundary file, used
// unchanged, through a config.
func TestLoadNaturalEarthOblasts(t *testing.T) {
	zones := filepath.Join(testenv.SharedData(t, ""), "zones", "ua_oblasts_naturalearth_10m.geojson")
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
