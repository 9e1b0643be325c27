package daemon

import (
	"fmt"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/configs"
	"github.com/ceasefired/ceasefired/geo"
)

// TestDropSuperseded: a zone file edited in place applies from the edit
// only while its listing is in force; it never overrides a later dated
// listing of the same zone.
func TestDropSuperseded(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
	cfg := &configs.Config{Zones: []configs.ZoneFile{
		{File: "a.geojson", EffectiveFrom: day(1)},
		{File: "b.geojson", EffectiveFrom: day(10)},
	}}
	version := func(id string, from time.Time, entry int) configs.ZoneVersion {
		return configs.ZoneVersion{Zone: geo.Zone{ID: id}, From: from, Entry: entry}
	}
	for _, c := range []struct {
		name   string
		edited time.Time // when a.geojson's current content took effect
		keep   bool      // whether its zone z version stays
	}{
		{"edited while in force", day(5), true},
		{"edited on the next listing's date", day(10), false},
		{"edited after the next listing", day(15), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			vs := []configs.ZoneVersion{
				version("z", day(1), 0),        // a.geojson's earlier content
				version("z", c.edited, 0),      // its current content
				version("only-a", c.edited, 0), // in a.geojson alone: never superseded
				version("z", day(10), 1),
			}
			got := dropSuperseded(vs, cfg)
			kept := map[string]bool{}
			for _, v := range got {
				kept[fmt.Sprintf("%s@%s/%d", v.Zone.ID, v.From.Format("02"), v.Entry)] = true
			}
			edited := c.edited.Format("02")
			if kept["z@"+edited+"/0"] != c.keep || !kept["z@01/0"] || !kept["z@10/1"] || !kept["only-a@"+edited+"/0"] {
				t.Errorf("kept %v", kept)
			}
		})
	}
}

// TestNoteZoneEdits: the first content of a listing is in force from its
// date, a changed one from when it was loaded, an unchanged one adds
// nothing.
func TestNoteZoneEdits(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	cfg := &configs.Config{Zones: []configs.ZoneFile{{File: "a.geojson", SHA256: [32]byte{1}}}}
	hist, changed := noteZoneEdits(nil, cfg, now)
	if !changed || len(hist) != 1 || !hist[0].From.IsZero() {
		t.Fatalf("first load: %+v, %v", hist, changed)
	}
	if again, changed := noteZoneEdits(hist, cfg, now.Add(time.Hour)); changed || len(again) != 1 {
		t.Errorf("unchanged file: %+v, %v", again, changed)
	}
	cfg.Zones[0].SHA256 = [32]byte{2}
	hist, changed = noteZoneEdits(hist, cfg, now.Add(2*time.Hour))
	if !changed || len(hist) != 2 || !hist[1].From.Equal(now.Add(2*time.Hour)) {
		t.Errorf("edited file: %+v, %v", hist, changed)
	}
}
