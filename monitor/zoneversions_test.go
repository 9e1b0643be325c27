package monitor

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/paulmach/orb"
)

// square returns the zone id as the square [x, x+1]x[0,1].
func square(id string, x float64) geo.Zone {
	ring := orb.Ring{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}
	return geo.Zone{ID: id, File: id + ".geojson", Geometry: orb.MultiPolygon{{ring}}}
}

// movedLine is a trial of zone a, whose line moves mid-trial from
// [0,1]x[0,1] (version old) to [5,6]x[0,1] (version new), and of zone b,
// which is drawn only then, at [10,11]x[0,1].
func movedLine(t *testing.T) (ev *Evaluator, start, moved time.Time, old, new [32]byte) {
	t.Helper()
	start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	moved = start.Add(10*Day + 6*time.Hour)
	old, new = [32]byte{1}, [32]byte{2}
	versions := []ZoneVersion{
		// Listed out of order on purpose: the evaluator orders by From.
		{Zone: square("a", 5), From: moved, Digest: new},
		{Zone: square("b", 10), From: moved, Digest: new},
		{Zone: square("a", 0), Digest: old},
	}
	ev, err := NewVersionedEvaluator(versions, []Trial{{Name: "t", Zones: []string{"a", "b"}, Start: start, Days: 30, Prohibited: []Category{Shelling}}})
	if err != nil {
		t.Fatal(err)
	}
	return ev.WithVersions([32]byte{9}, nil), start, moved, old, new
}

func TestEvaluateZoneVersions(t *testing.T) {
	ev, start, moved, old, new := movedLine(t)
	tests := []struct {
		name     string
		lon      float64
		at       time.Time
		zone     string
		version  [32]byte
		violates bool
	}{
		{"before the move, inside the old line only", 0.5, start.Add(Day), "a", old, true},
		{"before the move, inside the new line only", 5.5, start.Add(Day), "", [32]byte{}, false},
		{"last instant before the move, old line", 0.5, moved.Add(-1), "a", old, true},
		{"last instant before the move, new line", 5.5, moved.Add(-1), "", [32]byte{}, false},
		{"at the move, new line", 5.5, moved, "a", new, true},
		{"at the move, old line", 0.5, moved, "", [32]byte{}, false},
		{"after the move, inside the new line only", 5.5, moved.Add(Day), "a", new, true},
		{"after the move, inside the old line only", 0.5, moved.Add(Day), "", [32]byte{}, false},
		{"a zone drawn at the move, before it", 10.5, moved.Add(-time.Hour), "", [32]byte{}, false},
		{"a zone drawn at the move, after it", 10.5, moved.Add(time.Hour), "b", new, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := Incident{Source: "s", ID: "1", Lon: tt.lon, Lat: 0.5, Category: Shelling, OccurredAt: tt.at}
			got := ev.Evaluate(&inc, nil)
			if !tt.violates {
				if len(got) != 0 {
					t.Errorf("violations %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].ZoneID != tt.zone || got[0].ZoneVersion != tt.version || got[0].Config != [32]byte{9} {
				t.Errorf("violations %+v, want one in zone %s judged under version %x", got, tt.zone, tt.version[0])
			}
		})
	}
}

// TestZoneIDsByVersion: the zones an incident adds to the daily counts of,
// live and when counting an archive, are those in force at its time.
func TestZoneIDsByVersion(t *testing.T) {
	ev, start, moved, _, _ := movedLine(t)
	tests := []struct {
		name string
		lon  float64
		at   time.Time
		want []string
	}{
		{"old line before the move", 0.5, moved.Add(-1), []string{"a"}},
		{"new line before the move", 5.5, moved.Add(-1), nil},
		{"old line after the move", 0.5, moved, nil},
		{"new line after the move", 5.5, moved, []string{"a"}},
		{"new zone after the move", 10.5, moved, []string{"b"}},
		{"long before any trial", 0.5, start.AddDate(-5, 0, 0), []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := Incident{Lon: tt.lon, Lat: 0.5, Category: Shelling, OccurredAt: tt.at}
			var s scratch
			if got := ev.zoneIDs(&inc, &s); !slices.Equal(got, tt.want) {
				t.Errorf("zoneIDs = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEvaluateBeforeTheFirstVersion(t *testing.T) {
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	ev, err := NewVersionedEvaluator([]ZoneVersion{{Zone: square("a", 0), From: from}},
		[]Trial{{Name: "t", Zones: []string{"a"}, Start: from.Add(-Day), Days: 30, Prohibited: []Category{Shelling}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{{from.Add(-1), 0}, {from, 1}} {
		inc := Incident{Lon: 0.5, Lat: 0.5, Category: Shelling, OccurredAt: tc.at}
		if got := ev.Evaluate(&inc, nil); len(got) != tc.want {
			t.Errorf("at %v: %d violations, want %d", tc.at, len(got), tc.want)
		}
	}
	if ev.IndexAt(from.Add(-1)) != nil || ev.IndexAt(from) == nil {
		t.Error("IndexAt: want no zones before the first version and some from it")
	}
}

func TestNewVersionedEvaluatorErrors(t *testing.T) {
	from := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	trial := []Trial{{Name: "t", Zones: []string{"a"}}}
	tests := []struct {
		name     string
		versions []ZoneVersion
		trials   []Trial
		want     string
	}{
		{"no zones", nil, nil, "no zones"},
		{"two versions from one instant", []ZoneVersion{{Zone: square("a", 0), From: from}, {Zone: square("a", 5), From: from}},
			trial, `zone "a": two versions from 2026-12-01T00:00:00Z`},
		{"unknown zone", []ZoneVersion{{Zone: square("b", 0)}}, trial, `trial "t": unknown zone id "a"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVersionedEvaluator(tt.versions, tt.trials)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestEvaluateVersionsDoNotAllocate: picking the version in force costs no
// allocation once the buffers have grown.
func TestEvaluateVersionsDoNotAllocate(t *testing.T) {
	ev, _, moved, _, _ := movedLine(t)
	incs := []Incident{
		{Lon: 0.5, Lat: 0.5, Category: Shelling, OccurredAt: moved.Add(-Day)},
		{Lon: 5.5, Lat: 0.5, Category: Shelling, OccurredAt: moved.Add(Day)},
	}
	var s scratch
	dst := make([]Violation, 0, 4)
	allocs := testing.AllocsPerRun(100, func() {
		for i := range incs {
			dst = ev.evaluate(&incs[i], dst[:0], &s)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}

// TestCounterByVersion: counting an archive adds each incident to the
// zones in force at its time.
func TestCounterByVersion(t *testing.T) {
	ev, _, moved, _, _ := movedLine(t)
	c := NewCounter(ev, func() time.Time { return moved.AddDate(1, 0, 0) })
	s := &countSink{ctx: t.Context(), c: c, source: "s"}
	for _, inc := range []Incident{
		{Lon: 0.5, Lat: 0.5, Category: Shelling, OccurredAt: moved.Add(-time.Hour)}, // a, old line
		{Lon: 5.5, Lat: 0.5, Category: Shelling, OccurredAt: moved.Add(-time.Hour)}, // nowhere yet
		{Lon: 0.5, Lat: 0.5, Category: Shelling, OccurredAt: moved.Add(time.Hour)},  // nowhere any more
		{Lon: 5.5, Lat: 0.5, Category: Shelling, OccurredAt: moved.Add(time.Hour)},  // a, new line
	} {
		if err := s.Incident(&inc); err != nil {
			t.Fatal(err)
		}
	}
	if s.stats.Located != 2 {
		t.Errorf("%d incidents located, want 2", s.stats.Located)
	}
	var n int64
	for _, dc := range c.Counts() {
		if dc.ZoneID != "a" {
			t.Errorf("count %+v, want only zone a", dc)
		}
		n += dc.Count
	}
	if n != 2 {
		t.Errorf("%d counted, want 2", n)
	}
}
