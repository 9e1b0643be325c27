package configs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestLoadLimits checks the admission limits: the defaults when the keys
// are left out, and values as written, zero included.
func TestLoadLimits(t *testing.T) {
	zones, err := filepath.Abs(filepath.Join("testdata", "zones", "oblasts.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	head := "zones:\n  - {file: " + zones + ", id_property: iso_3166_2}\n" +
		"trials:\n  - {name: t, zones: [\"*\"], start: 2026-12-01T00:00:00Z, prohibited: [shelling]}\n"
	tests := []struct {
		name    string
		text    string
		skew    time.Duration
		maxUncM []float64 // by source; -1: no points block
	}{
		{"defaults", "sources:\n  - {name: a, format: jsonl, path: a/*.jsonl, schedule: '@hourly'}\n" +
			"  - {name: b, format: csv, path: b/*.csv, schedule: '@hourly', category: other, csv: {lat: y, lon: x, time: t}}\n",
			monitor.DefaultMaxFutureSkew, []float64{DefaultMaxUncertaintyMeters, -1}},
		{"set", "limits: {max_future_skew: 1h}\nsources:\n  - {name: a, format: geojson, path: a/*.geojson, schedule: '@hourly', points: {max_uncertainty_meters: 2000}}\n",
			time.Hour, []float64{2000}},
		{"zero kept", "limits: {max_future_skew: 0s}\nsources:\n  - {name: a, format: jsonl, path: a/*.jsonl, schedule: '@hourly', points: {max_uncertainty_meters: 0, min_confidence: low}}\n",
			0, []float64{0}},
		{"points block without the cap", "sources:\n  - {name: a, format: jsonl, path: a/*.jsonl, schedule: '@hourly', points: {min_confidence: low}}\n",
			monitor.DefaultMaxFutureSkew, []float64{DefaultMaxUncertaintyMeters}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yml")
			if err := os.WriteFile(file, []byte(head+tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if c.Limits.MaxFutureSkew != model.Duration(tt.skew) {
				t.Errorf("max_future_skew %v, want %v", c.Limits.MaxFutureSkew, tt.skew)
			}
			for i, want := range tt.maxUncM {
				p := c.Sources[i].Points
				if want < 0 && p != nil || want >= 0 && (p == nil || p.MaxUncertaintyMeters != want) {
					t.Errorf("source %d points %+v, want max_uncertainty_meters %v", i, p, want)
				}
			}
		})
	}
}

func TestLoadLimitsErrors(t *testing.T) {
	zones, err := filepath.Abs(filepath.Join("testdata", "zones", "oblasts.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	head := "zones:\n  - {file: " + zones + ", id_property: iso_3166_2}\n" +
		"trials:\n  - {name: t, zones: [\"*\"], start: 2026-12-01T00:00:00Z, prohibited: [shelling]}\n"
	tests := []struct {
		name, text, want string
	}{
		{"unknown key", "limits: {max_future_skw: 1m}\n", ":5: field max_future_skw not found in type configs.Limits"},
		{"negative", "limits: {max_future_skew: -1m}\n", `:5: limits.max_future_skew: not a valid duration string: "-1m"`},
		{"not a duration", "limits: {max_future_skew: soon}\n", `:5: limits.max_future_skew: not a valid duration string: "soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yml")
			if err := os.WriteFile(file, []byte(head+tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(file)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
