package ingest

import (
	"bytes"
	"encoding/json"
	"testing"
)

func FuzzGeoJSON(f *testing.F) {
	addFixtureSeeds(f, "geojson_points.geojson")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1e400,2]},"properties":null}]}`))
	d := NewGeoJSONPoints(PointOptions{DefaultCategory: "other"})
	f.Fuzz(func(t *testing.T, doc []byte) {
		var rec recorder
		if err := d.Decode(bytes.NewReader(doc), "fuzz.geojson", &rec); err != nil {
			return
		}
		for i := range rec.incidents {
			checkIncident(t, &rec.incidents[i])
		}
		var top map[string]json.RawMessage
		var feats []json.RawMessage
		if err := json.Unmarshal(bytes.TrimPrefix(doc, utf8BOM), &top); err != nil {
			t.Fatalf("decoded a document encoding/json rejects: %v", err)
		}
		if err := json.Unmarshal(top["features"], &feats); err != nil {
			t.Fatalf("decoded features encoding/json rejects: %v", err)
		}
		if got := len(rec.incidents) + len(rec.rejects); got != len(feats) {
			t.Fatalf("%d accepted + %d rejected, want %d features", len(rec.incidents), len(rec.rejects), len(feats))
		}
		lines := bytes.Count(doc, []byte{'\n'}) + 1
		for _, r := range rec.rejects {
			if r.Line < 1 || r.Line > lines || r.Err == nil {
				t.Fatalf("reject %+v: line outside 1..%d or no error", r, lines)
			}
		}
	})
}
