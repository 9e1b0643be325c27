package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func FuzzDecodePush(f *testing.F) {
	f.Add([]byte(`[{"id":"a","time":"2026-12-01T10:00:00Z","lat":48.1,"lon":37.5,"category":"shelling","uncertainty_m":10},` +
		`{"id":"a","time":"2026-12-01T10:00:00Z","lat":48.1,"lon":37.5,"category":"shelling","uncertainty_m":10},{"id":"a"},1,null]`))
	f.Add([]byte(`{"features":[{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[38.5,48.4]},` +
		`"properties":{"time":"2026-12-01T10:00:00+02:00","id":"v\udcff"}},{}],"type":"FeatureCollection"}`))
	f.Add([]byte("[{\"id\":\"u\xff\",\"time\":\"2026-12-01T10:00:00Z\",\"lat\":1,\"lon\":2}] "))
	f.Fuzz(func(t *testing.T, body []byte) {
		const max = 50
		got, err := DecodePush(bytes.NewReader(body), PushOptions{MaxItems: max, Points: PointOptions{DefaultCategory: "other", MaxUncertaintyM: 50000}})
		var tm *TooManyItemsError
		if errors.As(err, &tm) {
			return
		}
		if err != nil {
			if json.Valid(body) && len(bytes.TrimSpace(body)) > 0 && (bytes.TrimSpace(body)[0] == '[') {
				t.Fatalf("a valid JSON array refused: %v", err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("invalid JSON accepted: %+v", got)
		}
		if got.Items > max || got.Items != len(got.Incidents)+got.Duplicate+len(got.Errors) {
			t.Fatalf("%d items: %d incidents, %d duplicates, %d errors", got.Items, len(got.Incidents), got.Duplicate, len(got.Errors))
		}
		ids := map[string]bool{}
		for i := range got.Incidents {
			inc := &got.Incidents[i]
			checkIncident(t, inc)
			if ids[inc.ID] {
				t.Fatalf("id %q twice", inc.ID)
			}
			ids[inc.ID] = true
			if inc.UncertaintyM > 50000 {
				t.Fatalf("uncertainty %v above the cap", inc.UncertaintyM)
			}
		}
		last := -1
		for _, e := range got.Errors {
			if e.Index <= last || e.Index >= got.Items || e.Reason == "" || e.Error == "" {
				t.Fatalf("error %+v after index %d of %d items", e, last, got.Items)
			}
			last = e.Index
		}
	})
}
