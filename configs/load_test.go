package configs

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"
)

// absTestdata returns the absolute path of name under testdata.
func absTestdata(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLoadDesignExample loads the config form of the design and checks
// what it parses to and the defaults it takes.
func TestLoadDesignExample(t *testing.T) {
	t.Setenv("FIRMS_MAP_KEY", "not-a-real-key")
	c, warnings, err := LoadWithWarnings("testdata/design.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The daemon starts without the archive's folder: it may be mounted later.
	wantWarning := `testdata/design.yml:19: sources[1].path: folder /var/spool/ceasefired of source "archive" does not exist`
	if !slices.Equal(warnings, []string{wantWarning}) {
		t.Errorf("warnings %q, want %q", warnings, wantWarning)
	}
	if want := absTestdata(t, "design.yml"); c.File != want {
		t.Errorf("File %q, want %q", c.File, want)
	}
	if want := absTestdata(t, "zones/oblasts.geojson"); c.Zones[0].File != want {
		t.Errorf("Zones[0].File %q, want %q", c.Zones[0].File, want)
	}
	var loaded []string
	for _, z := range c.Loaded {
		loaded = append(loaded, z.ID+"="+z.Name)
		if z.File != c.Zones[0].File {
			t.Errorf("zone %s File %q, want %q", z.ID, z.File, c.Zones[0].File)
		}
	}
	if want := []string{"UA-14=Donetsk sector", "UA-09=Luhansk sector", "UA-63=Kharkiv sector"}; !slices.Equal(loaded, want) {
		t.Errorf("loaded zones %q, want %q", loaded, want)
	}

	tr := c.Trials[0]
	if tr.Name != "donbas-freeze" || tr.Days != 30 || len(tr.Prohibited) != 5 ||
		!tr.Start.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("trial %+v", tr)
	}
	if got := c.ZoneIDs(tr); !slices.Equal(got, []string{"UA-14", "UA-09"}) {
		t.Errorf("ZoneIDs %q", got)
	}

	firms, archive := c.Sources[0], c.Sources[1]
	if !strings.Contains(firms.URL, "${FIRMS_MAP_KEY}") {
		t.Errorf("URL %q was expanded; it must be kept as written", firms.URL)
	}
	if firms.FIRMS == nil || !slices.Equal(firms.FIRMS.DropTypes, []int{2}) {
		t.Errorf("firms options %+v, want drop_types [2]", firms.FIRMS)
	}
	for _, s := range c.Sources {
		if s.Timeout != model.Duration(30*time.Second) || s.MaxBytes != 256<<20 {
			t.Errorf("source %s timeout %v max_bytes %d, want 30s and 256 MiB", s.Name, s.Timeout, s.MaxBytes)
		}
	}
	if archive.Path != "/var/spool/ceasefired/*.csv.gz" || archive.FIRMS != nil ||
		archive.Category != "thermal_anomaly" || *archive.CSV != (CSVColumns{Lat: "LATITUDE", Lon: "LONGITUDE", Time: "ACQ_DATE"}) {
		t.Errorf("archive source %+v", archive)
	}

	a := c.Alerting
	if !slices.Equal(a.Alertmanagers, []string{"http://127.0.0.1:9093"}) ||
		a.ResendDelay != model.Duration(time.Minute) || a.Hold != model.Duration(6*time.Hour) {
		t.Errorf("alerting %+v", a)
	}
	if len(a.Severity) != 6 || a.Severity["shelling"] != "critical" || a.Severity["explosion"] != "warning" ||
		a.Severity["thermal_anomaly"] != "warning" || a.Severity["other"] != "info" {
		t.Errorf("severity %v, want the defaults", a.Severity)
	}
}

// TestLoadFull checks values set in the file against defaults: explicit
// values win, relative paths become absolute, "*" expands in load order.
func TestLoadFull(t *testing.T) {
	c, warnings, err := LoadWithWarnings("testdata/full.yml")
	if err != nil {
		t.Fatal(err)
	}
	wantWarning := `skipped testdata/zones/extra.geojson: feature 1 (id "X-2"): geometry type Point is not Polygon or MultiPolygon`
	if !slices.Equal(warnings, []string{wantWarning}) {
		t.Errorf("warnings %q, want %q", warnings, wantWarning)
	}
	all, ext := c.Trials[0], c.Trials[1]
	if got := c.ZoneIDs(all); !slices.Equal(got, []string{"UA-14", "UA-09", "UA-63", "X-1"}) {
		t.Errorf(`ZoneIDs of ["*"] = %q`, got)
	}
	if all.Days != 30 || all.BufferMeters != 2500 ||
		!all.Start.Equal(time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("trial %+v", all)
	}
	if ext.Days != 366 || !ext.Start.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("trial %+v", ext)
	}

	tests := []struct {
		name      string
		path      string
		timeout   time.Duration
		maxBytes  int64
		dropTypes []int // nil: no firms options
		minConf   string
	}{
		{"firms-all-types", absTestdata(t, "spool/firms/*.csv"), 30 * time.Second, 256 << 20, []int{}, "nominal"},
		{"firms-min-number", "", 2 * time.Minute, 1024, []int{2}, "80"},
		{"field.reports", absTestdata(t, "feed/*.csv"), 30 * time.Second, 256 << 20, nil, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := c.Sources[i]
			if s.Name != tt.name || s.Path != tt.path || time.Duration(s.Timeout) != tt.timeout || s.MaxBytes != tt.maxBytes {
				t.Errorf("source %+v", s)
			}
			switch {
			case tt.dropTypes == nil && s.FIRMS != nil:
				t.Errorf("firms options %+v, want none", s.FIRMS)
			case tt.dropTypes != nil && (s.FIRMS == nil || s.FIRMS.DropTypes == nil ||
				!slices.Equal(s.FIRMS.DropTypes, tt.dropTypes) || s.FIRMS.MinConfidence != tt.minConf):
				t.Errorf("firms options %+v, want drop_types %v min_confidence %q", s.FIRMS, tt.dropTypes, tt.minConf)
			}
		})
	}
	if got := c.Sources[2].CSV; got.TimeFormat != "2006-01-02 15:04" || got.Category != "kind" || got.ID != "ref" {
		t.Errorf("csv columns %+v", got)
	}

	a := c.Alerting
	if a.ResendDelay != model.Duration(30*time.Second) || a.Hold != model.Duration(time.Hour) || len(a.Alertmanagers) != 2 {
		t.Errorf("alerting %+v", a)
	}
	if a.Severity["thermal_anomaly"] != "info" || a.Severity["other"] != "none" || a.Severity["shelling"] != "critical" {
		t.Errorf("severity %v: set values must override, others keep defaults", a.Severity)
	}
}

// TestLoadMissingFile checks that a config that cannot be read gives an
// error that can be tested with errors.Is.
func TestLoadMissingFile(t *testing.T) {
	c, err := Load(filepath.Join(t.TempDir(), "absent.yml"))
	if !errors.Is(err, fs.ErrNotExist) || c != nil {
		t.Errorf("Load = %v, %v; want nil and fs.ErrNotExist", c, err)
	}
}

// TestZoneIDs checks that ZoneIDs returns a copy the caller may change.
func TestZoneIDs(t *testing.T) {
	c := &Config{}
	tr := Trial{Zones: []string{"A", "B"}}
	got := c.ZoneIDs(tr)
	got[0] = "changed"
	if tr.Zones[0] != "A" {
		t.Error("ZoneIDs shares its result with the trial")
	}
	if got := c.ZoneIDs(Trial{Zones: []string{"*"}}); len(got) != 0 {
		t.Errorf(`ZoneIDs of ["*"] with no zones loaded = %q, want none`, got)
	}
}
