package ingest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

func TestGeoJSONPointsFixture(t *testing.T) {
	rec := decodeFile(t, NewGeoJSONPoints(PointOptions{}), filepath.Join("testdata", "geojson_points.geojson"))
	want := []monitor.Incident{
		{ID: "fr-1", OccurredAt: time.Date(2026, 12, 1, 4, 30, 0, 0, time.UTC), Lat: 48.0123, Lon: 37.8012, UncertaintyM: 500, Category: monitor.Shelling, Confidence: 90},
		{ID: "17", OccurredAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Lat: 48.2, Lon: 37.9, Category: monitor.AirStrike, Confidence: ConfidenceHigh},
	}
	if len(rec.incidents) != len(want) {
		t.Fatalf("accepted %d, want %d; rejects %v", len(rec.incidents), len(want), rec.rejects)
	}
	for i, w := range want {
		got := rec.incidents[i]
		got.Raw = ""
		if got != w {
			t.Errorf("incident %d\n got %+v\nwant %+v", i, got, w)
		}
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(rec.incidents[0].Raw), &raw); err != nil {
		t.Fatal(err)
	}
	if props, _ := raw["properties"].(map[string]any); props["observer"] != "team 4" || strings.Contains(rec.incidents[0].Raw, ", ") {
		t.Errorf("raw %s: want the compact feature with its other properties", rec.incidents[0].Raw)
	}
	wantRejects := []reject{
		{Line: 9, Reason: monitor.ReasonNotPoint}, {Line: 11, Reason: monitor.ReasonNotSpatial}, {Line: 12, Reason: monitor.ReasonBadTime},
		{Line: 14, Reason: monitor.ReasonDuplicateInFile}, {Line: 16, Reason: monitor.ReasonOutOfRange},
		{Line: 18, Reason: monitor.ReasonBadCategory}, {Line: 20, Reason: monitor.ReasonBadUncertainty}, {Line: 22, Reason: monitor.ReasonMalformed},
	}
	if len(rec.rejects) != len(wantRejects) {
		t.Fatalf("rejects %v, want %v", rec.rejects, wantRejects)
	}
	for i, w := range wantRejects {
		if got := rec.rejects[i]; got.Line != w.Line || got.Reason != w.Reason || got.Err == nil {
			t.Errorf("reject %d: %+v, want line %d %s", i, got, w.Line, w.Reason)
		}
	}
}

func TestGeoJSONPointsOptions(t *testing.T) {
	rec := decodeFile(t, NewGeoJSONPoints(PointOptions{DefaultCategory: monitor.Other, MinConfidence: 85, MaxUncertaintyM: 100}),
		filepath.Join("testdata", "geojson_points.geojson"))
	got := rec.byReason()
	// The first fr-1: uncertainty 500 > 100, which leaves the later fr-1
	// unique; 17: high is 80 < 85; fr-8 now takes the default.
	if got[monitor.ReasonNotSpatial] != 1 || got[monitor.ReasonUncertaintyTooLarge] != 1 || got[monitor.ReasonLowConfidence] != 1 || got[monitor.ReasonBadCategory] != 0 {
		t.Errorf("rejects %v", got)
	}
	if len(rec.incidents) != 2 || rec.incidents[0].ID != "fr-1" || rec.incidents[1].ID != "fr-8" || rec.incidents[1].Category != monitor.Other {
		t.Errorf("incidents %+v, want the later fr-1 and fr-8 as other", rec.incidents)
	}
}

func TestGeoJSONPointsDocumentErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "not a JSON object"},
		{"array", `[{"type": "Feature"}]`, "not a JSON object"},
		{"truncated", `{"type": "FeatureCollection", "features": [{"type": "Feature"`, "features"},
		{"single feature", `{"type": "Feature", "geometry": null, "properties": {}}`, "want a FeatureCollection"},
		{"no features", `{"type": "FeatureCollection"}`, "want a FeatureCollection"},
		{"features not an array", `{"type": "FeatureCollection", "features": {}}`, "not an array"},
		{"trailing data", `{"type": "FeatureCollection", "features": []} {}`, "data after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec recorder
			err := NewGeoJSONPoints(PointOptions{}).Decode(strings.NewReader(tt.doc), "points.geojson", &rec)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "points.geojson") {
				t.Errorf("error %v, want it to name points.geojson and say %q", err, tt.want)
			}
			if len(rec.incidents)+len(rec.rejects) != 0 {
				t.Errorf("%d incidents and rejects from an unusable document", len(rec.incidents)+len(rec.rejects))
			}
		})
	}
}

func TestGeoJSONPointsTypeAfterFeatures(t *testing.T) {
	doc := "\xef\xbb\xbf{\"features\": [{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [30, 50]}, " +
		"\"properties\": {\"id\": \"a\", \"time\": \"2026-01-01T00:00:00Z\", \"category\": \"other\"}}], \"type\": \"FeatureCollection\"}"
	rec := decodeBytes(t, NewGeoJSONPoints(PointOptions{}), []byte(doc))
	if len(rec.incidents) != 1 || rec.incidents[0].Lat != 50 || rec.incidents[0].Lon != 30 {
		t.Errorf("incidents %+v, rejects %v; want one at lat 50, lon 30", rec.incidents, rec.rejects)
	}
}
