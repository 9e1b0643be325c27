package ingest

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// item decodes one JSON object the way a push endpoint would.
func item(t *testing.T, s string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestDecodeItem(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	base := `"id": "r-1", "time": "2026-12-01T12:00:00+02:00", "lat": 48.1, "lon": 37.5`
	tests := []struct {
		name   string
		json   string
		o      PointOptions
		reason monitor.RejectReason
		want   monitor.Incident // Raw not compared
	}{
		{"minimal", `{` + base + `, "category": "Shelling"}`, PointOptions{}, "",
			monitor.Incident{ID: "r-1", OccurredAt: at, Lat: 48.1, Lon: 37.5, Category: monitor.Shelling, Confidence: -1}},
		{"all members", `{` + base + `, "category": "explosion", "confidence": 55.5, "uncertainty_m": 250, "team": "north"}`, PointOptions{}, "",
			monitor.Incident{ID: "r-1", OccurredAt: at, Lat: 48.1, Lon: 37.5, Category: monitor.Explosion, Confidence: 55.5, UncertaintyM: 250}},
		{"numeric id and class", `{"id": 42, "time": "2026-12-01T10:00:00Z", "lat": -1e1, "lon": 0, "category": "other", "confidence": "nominal"}`, PointOptions{}, "",
			monitor.Incident{ID: "42", OccurredAt: at, Lat: -10, Lon: 0, Category: monitor.Other, Confidence: ConfidenceNominal}},
		{"default category", `{` + base + `}`, PointOptions{DefaultCategory: monitor.ArmedClash}, "",
			monitor.Incident{ID: "r-1", OccurredAt: at, Lat: 48.1, Lon: 37.5, Category: monitor.ArmedClash, Confidence: -1}},
		{"no category", `{` + base + `}`, PointOptions{}, monitor.ReasonBadCategory, monitor.Incident{}},
		{"unknown category", `{` + base + `, "category": "fire"}`, PointOptions{}, monitor.ReasonBadCategory, monitor.Incident{}},
		{"category not a string", `{` + base + `, "category": 3}`, PointOptions{}, monitor.ReasonBadCategory, monitor.Incident{}},
		{"no id", `{"time": "2026-12-01T10:00:00Z", "lat": 1, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonMissingID, monitor.Incident{}},
		{"blank id", `{"id": "  ", "time": "2026-12-01T10:00:00Z", "lat": 1, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonMissingID, monitor.Incident{}},
		{"object id", `{"id": {}, "time": "2026-12-01T10:00:00Z", "lat": 1, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonMissingID, monitor.Incident{}},
		{"time without zone", `{"id": "a", "time": "2026-12-01T10:00:00", "lat": 1, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonBadTime, monitor.Incident{}},
		{"time as number", `{"id": "a", "time": 1764583200, "lat": 1, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonBadTime, monitor.Incident{}},
		{"zero time", `{"id": "a", "time": "0001-01-01T00:00:00Z", "lat": 1, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonBadTime, monitor.Incident{}},
		{"lat as string", `{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": "1", "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonBadCoordinate, monitor.Incident{}},
		{"no lon", `{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": 1, "category": "other"}`, PointOptions{}, monitor.ReasonBadCoordinate, monitor.Incident{}},
		{"huge lat", `{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": 1e400, "lon": 2, "category": "other"}`, PointOptions{}, monitor.ReasonBadCoordinate, monitor.Incident{}},
		{"lon out of range", `{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": 1, "lon": -180.5, "category": "other"}`, PointOptions{}, monitor.ReasonOutOfRange, monitor.Incident{}},
		{"confidence above 100", `{` + base + `, "category": "other", "confidence": 101}`, PointOptions{}, monitor.ReasonBadConfidence, monitor.Incident{}},
		{"confidence as bool", `{` + base + `, "category": "other", "confidence": true}`, PointOptions{}, monitor.ReasonBadConfidence, monitor.Incident{}},
		{"low confidence", `{` + base + `, "category": "other", "confidence": "low"}`, PointOptions{MinConfidence: 30}, monitor.ReasonLowConfidence, monitor.Incident{}},
		{"negative uncertainty", `{` + base + `, "category": "other", "uncertainty_m": -1}`, PointOptions{}, monitor.ReasonBadUncertainty, monitor.Incident{}},
		{"uncertainty as string", `{` + base + `, "category": "other", "uncertainty_m": "5"}`, PointOptions{}, monitor.ReasonBadUncertainty, monitor.Incident{}},
		{"uncertainty too large", `{` + base + `, "category": "other", "uncertainty_m": 5001}`, PointOptions{MaxUncertaintyM: 5000}, monitor.ReasonUncertaintyTooLarge, monitor.Incident{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, reason, err := DecodeItem(item(t, tt.json), tt.o)
			if reason != tt.reason || (reason == "") != (err == nil) {
				t.Fatalf("reason %q (%v), want %q", reason, err, tt.reason)
			}
			if reason != "" {
				return
			}
			checkIncident(t, &inc)
			raw := inc.Raw
			inc.Raw = ""
			if inc != tt.want {
				t.Errorf("got %+v\nwant %+v", inc, tt.want)
			}
			if !json.Valid([]byte(raw)) || !strings.Contains(raw, `"id":`) {
				t.Errorf("raw %s: want the item as JSON", raw)
			}
		})
	}
}

func TestDecodeItemFloats(t *testing.T) {
	m := map[string]any{"id": "x", "time": "2026-12-01T10:00:00Z", "lat": math.NaN(), "lon": 2.0, "category": "other"}
	if _, reason, _ := DecodeItem(m, PointOptions{}); reason != monitor.ReasonBadCoordinate {
		t.Errorf("NaN latitude: reason %q, want bad_coordinate", reason)
	}
	m["lat"] = 48.25
	inc, reason, err := DecodeItem(m, PointOptions{})
	if reason != "" || inc.Lat != 48.25 || inc.Raw != `{"category":"other","id":"x","lat":48.25,"lon":2,"time":"2026-12-01T10:00:00Z"}` {
		t.Errorf("float64 members: %+v, %q, %v", inc, reason, err)
	}
}

func TestJSONLines(t *testing.T) {
	doc := strings.Join([]string{
		"\xef\xbb\xbf" + `{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": 48.1, "lon": 37.5, "category": "shelling", "note": "caf` + "\xe9" + `"}`,
		``,
		`   `,
		`{"id": "b", "time": "2026-12-01T10:05:00Z", "lat": 48.2, "lon": 37.6, "category": "air_strike", "confidence": 70}` + "\r",
		`{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": 48.1, "lon": 37.5, "category": "shelling"}`,
		`["not", "an", "object"]`,
		`null`,
		`{"id": "c"} {"id": "d"}`,
		`{"id": "e", "time": "2026-12-01T10:00:00Z", "lat": 48.1`,
		`{"id": "f", "time": "yesterday", "lat": 48.1, "lon": 37.5, "category": "shelling"}`,
		`{"id": "g", "time": "2026-12-01T10:00:00Z", "lat": 48.1, "lon": 37.5, "category": "shelling", "pad": "` + strings.Repeat("x", MaxJSONLine) + `"}`,
		`{"id": "h", "time": "2026-12-01T11:00:00Z", "lat": 48.3, "lon": 37.7, "category": "explosion"}`,
	}, "\n")
	rec := decodeBytes(t, NewJSONLines(PointOptions{}), []byte(doc))
	wantIDs := []string{"a", "b", "h"}
	if len(rec.incidents) != len(wantIDs) {
		t.Fatalf("accepted %d, want %d; rejects %v", len(rec.incidents), len(wantIDs), rec.rejects)
	}
	for i, id := range wantIDs {
		if rec.incidents[i].ID != id {
			t.Errorf("incident %d id %q, want %q", i, rec.incidents[i].ID, id)
		}
	}
	if want := `{"id":"a","time":"2026-12-01T10:00:00Z","lat":48.1,"lon":37.5,"category":"shelling","note":"caf` + "\uFFFD" + `"}`; rec.incidents[0].Raw != want {
		t.Errorf("raw\n got %s\nwant %s", rec.incidents[0].Raw, want)
	}
	if rec.incidents[1].Confidence != 70 || rec.incidents[1].Category != monitor.AirStrike {
		t.Errorf("second incident %+v", rec.incidents[1])
	}
	wantRejects := []reject{
		{Line: 5, Reason: monitor.ReasonDuplicateInFile}, {Line: 6, Reason: monitor.ReasonMalformed}, {Line: 7, Reason: monitor.ReasonMalformed},
		{Line: 8, Reason: monitor.ReasonMalformed}, {Line: 9, Reason: monitor.ReasonMalformed}, {Line: 10, Reason: monitor.ReasonBadTime},
		{Line: 11, Reason: monitor.ReasonMalformed},
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

func TestJSONLinesEmptyAndSinkError(t *testing.T) {
	rec := decodeBytes(t, NewJSONLines(PointOptions{}), []byte("\n\n"))
	if len(rec.incidents)+len(rec.rejects) != 0 {
		t.Errorf("blank document gave %v, %v", rec.incidents, rec.rejects)
	}
	doc := `{"id": "a", "time": "2026-12-01T10:00:00Z", "lat": 1, "lon": 2, "category": "other"}`
	err := NewJSONLines(PointOptions{}).Decode(bytes.NewReader([]byte("\n"+doc)), "reports.jsonl", failingSink{})
	if err == nil || !strings.Contains(err.Error(), "reports.jsonl line 2") || !strings.Contains(err.Error(), "store full") {
		t.Errorf("error %v, want the sink's error with document and line", err)
	}
}

// failingSink refuses every incident.
type failingSink struct{}

func (failingSink) Incident(*monitor.Incident) error        { return errStoreFull }
func (failingSink) Reject(int, monitor.RejectReason, error) {}

const errStoreFull = errorString("store full")

// errorString is a constant error.
type errorString string

func (e errorString) Error() string { return string(e) }
