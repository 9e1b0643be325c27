package configs

import (
	"slices"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

// TestJudgingDefaults loads the design's config, which sets no judging
// key, and checks the defaults: kinds from the formats, pre_days, no
// background, corroboration and coverage from package judge.
func TestJudgingDefaults(t *testing.T) {
	t.Setenv("FIRMS_MAP_KEY", "not-a-real-key")
	c, err := Load("testdata/design.yml")
	if err != nil {
		t.Fatal(err)
	}
	// The archive is a csv source of thermal anomalies only: a satellite.
	for _, s := range c.Sources {
		if s.Kind != judge.Satellite {
			t.Errorf("source %s kind %q, want satellite", s.Name, s.Kind)
		}
	}
	tr := c.Trials[0]
	if tr.PreDays != 30 || tr.Background != nil || c.Controls(tr) != nil {
		t.Errorf("trial pre_days %d background %+v controls %q; want 30 and none", tr.PreDays, tr.Background, c.Controls(tr))
	}
	want := Corroboration{DistanceM: 5000, Window: model.Duration(6 * time.Hour)}
	if c.Corroboration != want {
		t.Errorf("corroboration %+v, want %+v", c.Corroboration, want)
	}
	if c.Coverage != (Coverage{MinDaysFraction: 0.8, PushMaxGap: model.Duration(24 * time.Hour)}) {
		t.Errorf("coverage %+v", c.Coverage)
	}
}

// TestJudgingFull checks judging keys set in the file against the
// defaults of the keys left out.
func TestJudgingFull(t *testing.T) {
	c, err := Load("testdata/full.yml")
	if err != nil {
		t.Fatal(err)
	}
	all, ext := c.Trials[0], c.Trials[1]
	if all.PreDays != 30 || all.Background != nil {
		t.Errorf("trial %s pre_days %d background %+v", all.Name, all.PreDays, all.Background)
	}
	wantBG := Background{Source: "firms-all-types", Category: "other", Years: []int{2019, 2021},
		Controls: []string{"UA-63", "UA-14"}, Alpha: 0.01}
	if b := ext.Background; ext.PreDays != 90 || b == nil || b.Source != wantBG.Source ||
		b.Category != wantBG.Category || !slices.Equal(b.Years, wantBG.Years) ||
		!slices.Equal(b.Controls, wantBG.Controls) || b.Alpha != wantBG.Alpha {
		t.Errorf("trial %s pre_days %d background %+v, want 90 and %+v", ext.Name, ext.PreDays, b, wantBG)
	}
	if got := c.Controls(ext); !slices.Equal(got, wantBG.Controls) {
		t.Errorf("Controls %q, want %q", got, wantBG.Controls)
	}
	var kinds []judge.Kind
	for _, s := range c.Sources {
		kinds = append(kinds, s.Kind)
	}
	if want := []judge.Kind{judge.Satellite, judge.Satellite, judge.EventData}; !slices.Equal(kinds, want) {
		t.Errorf("kinds %q, want %q", kinds, want)
	}
	if c.Corroboration != (Corroboration{DistanceM: 2500, Window: model.Duration(3 * time.Hour)}) {
		t.Errorf("corroboration %+v", c.Corroboration)
	}
	if c.Coverage != (Coverage{MinDaysFraction: 0.9, PushMaxGap: model.Duration(12 * time.Hour)}) {
		t.Errorf("coverage %+v", c.Coverage)
	}
}

// TestFormatKinds checks the default kind of every format, and that every
// format has one.
func TestFormatKinds(t *testing.T) {
	want := map[string]judge.Kind{
		"firms": judge.Satellite, "acled": judge.EventData, "ucdp": judge.EventData,
		"geojson": judge.Field, "jsonl": judge.Field, "push": judge.Field, "csv": judge.Field,
	}
	for _, f := range formats() {
		if f.kind == nil {
			t.Errorf("format %s has no kind", f.name)
			continue
		}
		if got := f.kind(&Source{}); got != want[f.name] {
			t.Errorf("format %s: kind %q, want %q", f.name, got, want[f.name])
		}
	}
	csv, _ := lookupFormat("csv")
	tests := []struct {
		name string
		s    Source
		want judge.Kind
	}{
		{"thermal anomalies only", Source{Category: "thermal_anomaly", FormatBlocks: FormatBlocks{CSV: &CSVColumns{}}}, judge.Satellite},
		{"thermal default but a category column", Source{Category: "thermal_anomaly",
			FormatBlocks: FormatBlocks{CSV: &CSVColumns{Category: "kind"}}}, judge.Field},
		{"shelling", Source{Category: "shelling", FormatBlocks: FormatBlocks{CSV: &CSVColumns{}}}, judge.Field},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csv.kind(&tt.s); got != tt.want {
				t.Errorf("csv kind %q, want %q", got, tt.want)
			}
		})
	}
}

// TestControlsStar checks that "*" controls are every loaded zone outside
// the trial, in load order.
func TestControlsStar(t *testing.T) {
	c := &Config{Loaded: []geo.Zone{{ID: "A"}, {ID: "B"}, {ID: "C"}, {ID: "D"}}}
	tr := Trial{Zones: []string{"C", "A"}, Background: &Background{Controls: []string{"*"}}}
	if got := c.Controls(tr); !slices.Equal(got, []string{"B", "D"}) {
		t.Errorf("Controls = %q, want [B D]", got)
	}
	explicit := Trial{Zones: []string{"A"}, Background: &Background{Controls: []string{"D"}}}
	c.Controls(explicit)[0] = "changed"
	if explicit.Background.Controls[0] != "D" {
		t.Error("Controls shares its result with the trial")
	}
}
