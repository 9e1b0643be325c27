package monitor

import (
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/geo"
)

// squares: zone a is [0,1]x[0,1], zone b is [1,2]x[0,1] (they share the
// edge x=1), zone c is far away.
const squares = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
{"type":"Feature","properties":{"id":"c"},"geometry":{"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11],[10,10]]]}}]}`

func testIndex(t *testing.T) *geo.Index {
	t.Helper()
	zones, _, err := geo.Load([]byte(squares), "squares.geojson", geo.LoadOptions{IDProperty: "id"})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := geo.NewIndex(zones)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestEvaluate(t *testing.T) {
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	trials := []Trial{
		{Name: "ab", Zones: []string{"a", "b"}, Start: start, Days: 30, Prohibited: []Category{Shelling, AirStrike}},
		{Name: "b-buffered", Zones: []string{"b"}, Start: start, Days: 7, Prohibited: []Category{Shelling}, BufferMeters: 2000},
	}
	ev, err := NewEvaluator(testIndex(t), trials)
	if err != nil {
		t.Fatal(err)
	}
	// At the equator a degree of longitude is about 111.3 km.
	tests := []struct {
		name string
		inc  Incident
		want []string // trial/zone/placement
	}{
		{"inside a", Incident{Lon: 0.5, Lat: 0.5, Category: Shelling, OccurredAt: start}, []string{"ab/a/inside"}},
		{"shared edge counts in both", Incident{Lon: 1, Lat: 0.5, Category: Shelling, OccurredAt: start.Add(time.Hour)},
			[]string{"ab/a/inside", "ab/b/inside", "b-buffered/b/inside"}},
		{"not prohibited", Incident{Lon: 1.5, Lat: 0.5, Category: ArmedClash, OccurredAt: start}, nil},
		{"before the window", Incident{Lon: 1.5, Lat: 0.5, Category: Shelling, OccurredAt: start.Add(-time.Second)}, nil},
		{"last instant of a 7-day window", Incident{Lon: 1.5, Lat: 0.5, Category: Shelling, OccurredAt: start.Add(7*Day - 1)},
			[]string{"ab/b/inside", "b-buffered/b/inside"}},
		{"end of the 7-day window", Incident{Lon: 1.5, Lat: 0.5, Category: Shelling, OccurredAt: start.Add(7 * Day)},
			[]string{"ab/b/inside"}},
		{"1 km outside b: within the 2 km buffer", Incident{Lon: 2 + 1000/111320.0, Lat: 0.5, Category: Shelling, OccurredAt: start},
			[]string{"b-buffered/b/buffer"}},
		{"3 km outside b: beyond the buffer", Incident{Lon: 2 + 3000/111320.0, Lat: 0.5, Category: Shelling, OccurredAt: start}, nil},
		{"zone c is in no trial", Incident{Lon: 10.5, Lat: 10.5, Category: Shelling, OccurredAt: start}, nil},
		{"3 km outside b with 1.5 km uncertainty: ambiguous beyond the 2 km buffer",
			Incident{Lon: 2 + 3000/111320.0, Lat: 0.5, Category: Shelling, OccurredAt: start, UncertaintyM: 1500},
			[]string{"b-buffered/b/ambiguous"}},
		{"1 km outside a with 2 km uncertainty: ambiguous, a has no buffer",
			Incident{Lon: -1000 / 111320.0, Lat: 0.5, Category: Shelling, OccurredAt: start, UncertaintyM: 2000},
			[]string{"ab/a/ambiguous"}},
		{"inside a with a large uncertainty stays inside",
			Incident{Lon: 0.5, Lat: 0.5, Category: Shelling, OccurredAt: start, UncertaintyM: 100000},
			[]string{"ab/a/inside", "ab/b/ambiguous", "b-buffered/b/ambiguous"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.inc.Source, tc.inc.ID = "s", "1"
			var got []string
			for _, v := range ev.Evaluate(&tc.inc, nil) {
				got = append(got, v.Trial+"/"+v.ZoneID+"/"+string(v.Placement))
				if v.Day != (&Trial{Start: start}).DayIndex(tc.inc.OccurredAt) || v.IncidentID != "1" || v.Source != "s" {
					t.Errorf("violation evidence wrong: %+v", v)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestNewEvaluatorUnknownZone(t *testing.T) {
	_, err := NewEvaluator(testIndex(t), []Trial{{Name: "x", Zones: []string{"a", "nowhere"}}})
	if err == nil || err.Error() != `trial "x": unknown zone id "nowhere"` {
		t.Fatalf("err = %v", err)
	}
}
