package judge_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/geo"
	"github.com/ceasefired/ceasefired/monitor/judge"
)

var trialStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// newCorroborator returns a Corroborator over a 30-day trial from
// trialStart with the given reach.
func newCorroborator(t *testing.T, distanceM float64, window time.Duration) *judge.Corroborator {
	t.Helper()
	c, err := judge.NewCorroborator(judge.CorroborationOptions{
		DistanceM: distanceM, Window: window,
		Start: trialStart, End: trialStart.AddDate(0, 0, 30),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// add adds r and fails the test on an error.
func add(t *testing.T, c *judge.Corroborator, r judge.Report) []judge.TierChange {
	t.Helper()
	ch, err := c.Add(r)
	if err != nil {
		t.Fatalf("Add(%+v): %v", r, err)
	}
	return ch
}

// Reports near Donetsk: a field report of shelling (a violation) and a
// satellite detection 1.2 km away and 2 hours later.
var (
	fieldReport = judge.Report{Source: "team", ID: "r1", Kind: judge.Field,
		At: trialStart.Add(10 * time.Hour), Lon: 37.80, Lat: 48.00, Violation: true}
	detection = judge.Report{Source: "firms", ID: "d1", Kind: judge.Satellite,
		At: trialStart.Add(12 * time.Hour), Lon: 37.80, Lat: 48.0108, Violation: true}
)

// TestCorroborationArrivalOrder checks that the tiers do not depend on
// which incident arrives first: the later one promotes the earlier.
func TestCorroborationArrivalOrder(t *testing.T) {
	tests := []struct {
		name          string
		first, second judge.Report
	}{
		{"field report first", fieldReport, detection},
		{"detection first", detection, fieldReport},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCorroborator(t, 5000, 6*time.Hour)
			got := add(t, c, tt.first)
			want := []judge.TierChange{{Source: tt.first.Source, ID: tt.first.ID, To: judge.Single}}
			if !slices.Equal(got, want) {
				t.Errorf("first: changes %+v, want %+v", got, want)
			}
			got = add(t, c, tt.second)
			want = []judge.TierChange{
				{Source: tt.second.Source, ID: tt.second.ID, To: judge.Corroborated},
				{Source: tt.first.Source, ID: tt.first.ID, From: judge.Single, To: judge.Corroborated},
			}
			if !slices.Equal(got, want) {
				t.Errorf("second: changes %+v, want %+v", got, want)
			}
			for _, r := range []judge.Report{tt.first, tt.second} {
				if tier, ok := c.Tier(r.Source, r.ID); !ok || tier != judge.Corroborated {
					t.Errorf("Tier(%s) = %q, %t; want corroborated", r.ID, tier, ok)
				}
			}
		})
	}
}

// TestCorroborationEdges checks that the distance and the window are
// inclusive: an incident exactly at either edge corroborates, one a step
// beyond does not.
func TestCorroborationEdges(t *testing.T) {
	d := geo.DistanceMeters(fieldReport.Lon, fieldReport.Lat, detection.Lon, detection.Lat)
	gap := detection.At.Sub(fieldReport.At)
	tests := []struct {
		name      string
		distanceM float64
		window    time.Duration
		want      judge.Tier
	}{
		{"both edges exact", d, gap, judge.Corroborated},
		{"distance a step short", math.Nextafter(d, 0), gap, judge.Single},
		{"window a nanosecond short", d, gap - time.Nanosecond, judge.Single},
		{"well inside", 5000, 6 * time.Hour, judge.Corroborated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, order := range [][2]judge.Report{{fieldReport, detection}, {detection, fieldReport}} {
				c := newCorroborator(t, tt.distanceM, tt.window)
				add(t, c, order[0])
				add(t, c, order[1])
				if got, _ := c.Tier(fieldReport.Source, fieldReport.ID); got != tt.want {
					t.Errorf("%s first: tier %q, want %q", order[0].ID, got, tt.want)
				}
			}
		})
	}
}

// TestCorroborationDemotion checks that deleting or revising the only
// corroborating incident demotes the violation, and that a second one
// keeps it corroborated.
func TestCorroborationDemotion(t *testing.T) {
	moved := detection
	moved.Lat += 0.1 // about 11 km north
	event := judge.Report{Source: "acled", ID: "e1", Kind: judge.EventData,
		At: fieldReport.At.Add(-time.Hour), Lon: 37.81, Lat: 48.0, Violation: false}

	t.Run("deletion", func(t *testing.T) {
		c := newCorroborator(t, 5000, 6*time.Hour)
		add(t, c, fieldReport)
		add(t, c, detection)
		got := c.Remove(detection.Source, detection.ID)
		want := []judge.TierChange{
			{Source: "firms", ID: "d1", From: judge.Corroborated},
			{Source: "team", ID: "r1", From: judge.Corroborated, To: judge.Single},
		}
		if !slices.Equal(got, want) {
			t.Errorf("changes %+v, want %+v", got, want)
		}
		if c.Len() != 1 {
			t.Errorf("Len %d after the deletion, want 1", c.Len())
		}
		if got := c.Remove("firms", "d1"); got != nil {
			t.Errorf("second removal: changes %+v, want none", got)
		}
	})
	t.Run("revision moves it away", func(t *testing.T) {
		c := newCorroborator(t, 5000, 6*time.Hour)
		add(t, c, fieldReport)
		add(t, c, detection)
		got := add(t, c, moved)
		want := []judge.TierChange{
			{Source: "firms", ID: "d1", From: judge.Corroborated, To: judge.Single},
			{Source: "team", ID: "r1", From: judge.Corroborated, To: judge.Single},
		}
		if !slices.Equal(got, want) {
			t.Errorf("changes %+v, want %+v", got, want)
		}
	})
	t.Run("revision moves it out of the trial's reach", func(t *testing.T) {
		c := newCorroborator(t, 5000, 6*time.Hour)
		add(t, c, fieldReport)
		event := judge.Report{Source: "acled", ID: "e1", Kind: judge.EventData, At: fieldReport.At, Lon: 37.8, Lat: 48}
		add(t, c, event)
		event.At = trialStart.AddDate(0, 0, 31) // a corrected date, long after the trial
		got := add(t, c, event)
		want := []judge.TierChange{{Source: "team", ID: "r1", From: judge.Corroborated, To: judge.Single}}
		if !slices.Equal(got, want) || c.Len() != 1 {
			t.Errorf("changes %+v with %d kept, want %+v with 1 kept", got, c.Len(), want)
		}
	})
	t.Run("revision into a non-violation keeps it corroborating", func(t *testing.T) {
		c := newCorroborator(t, 5000, 6*time.Hour)
		add(t, c, fieldReport)
		add(t, c, detection)
		notViolation := detection
		notViolation.Violation = false
		got := add(t, c, notViolation)
		want := []judge.TierChange{{Source: "firms", ID: "d1", From: judge.Corroborated}}
		if !slices.Equal(got, want) {
			t.Errorf("changes %+v, want %+v", got, want)
		}
		if tier, _ := c.Tier("team", "r1"); tier != judge.Corroborated {
			t.Errorf("field report %q, want corroborated", tier)
		}
	})
	t.Run("a second corroborator keeps the tier", func(t *testing.T) {
		c := newCorroborator(t, 5000, 6*time.Hour)
		add(t, c, fieldReport)
		add(t, c, detection)
		add(t, c, event)
		got := c.Remove(detection.Source, detection.ID)
		want := []judge.TierChange{{Source: "firms", ID: "d1", From: judge.Corroborated}}
		if !slices.Equal(got, want) {
			t.Errorf("changes %+v, want %+v", got, want)
		}
		if tier, _ := c.Tier("team", "r1"); tier != judge.Corroborated {
			t.Errorf("field report %q, want corroborated", tier)
		}
		c.Remove(event.Source, event.ID)
		if tier, _ := c.Tier("team", "r1"); tier != judge.Single {
			t.Errorf("field report %q after both removals, want single", tier)
		}
	})
}

// TestCorroborationSameKind checks that sources of one kind never
// corroborate each other, however close.
func TestCorroborationSameKind(t *testing.T) {
	c := newCorroborator(t, 5000, 6*time.Hour)
	add(t, c, fieldReport)
	other := fieldReport
	other.Source, other.ID = "team-2", "x"
	add(t, c, other)
	if tier, _ := c.Tier("team", "r1"); tier != judge.Single {
		t.Errorf("tier %q, want single", tier)
	}
}

// TestCorroborationKeeps checks which incidents are kept: those within the
// window of the trial, edges included, and no others.
func TestCorroborationKeeps(t *testing.T) {
	end := trialStart.AddDate(0, 0, 30)
	tests := []struct {
		name string
		at   time.Time
		kept bool
	}{
		{"window before the start", trialStart.Add(-6 * time.Hour), true},
		{"a nanosecond earlier", trialStart.Add(-6*time.Hour - time.Nanosecond), false},
		{"window after the end", end.Add(6 * time.Hour), true},
		{"a nanosecond later", end.Add(6*time.Hour + time.Nanosecond), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCorroborator(t, 5000, 6*time.Hour)
			r := detection
			r.At, r.Violation = tt.at, false
			add(t, c, r)
			if got := c.Len() == 1; got != tt.kept {
				t.Errorf("kept %t, want %t", got, tt.kept)
			}
		})
	}
}

// TestCorroborationErrors checks that bad options and reports are refused
// and that a refused report changes nothing.
func TestCorroborationErrors(t *testing.T) {
	for _, o := range []judge.CorroborationOptions{
		{DistanceM: 0, Window: time.Hour, Start: trialStart, End: trialStart.Add(time.Hour)},
		{DistanceM: math.Inf(1), Window: time.Hour, Start: trialStart, End: trialStart.Add(time.Hour)},
		{DistanceM: 10, Window: -1, Start: trialStart, End: trialStart.Add(time.Hour)},
		{DistanceM: 10, Window: time.Hour, Start: trialStart, End: trialStart},
	} {
		if _, err := judge.NewCorroborator(o); err == nil {
			t.Errorf("NewCorroborator(%+v) succeeded", o)
		}
	}
	c := newCorroborator(t, 5000, 6*time.Hour)
	bad := map[string]judge.Report{}
	r := fieldReport
	r.Kind = "drone"
	bad["kind"] = r
	r = fieldReport
	r.Lat = math.NaN()
	bad["latitude"] = r
	r = fieldReport
	r.Lon = 181
	bad["longitude"] = r
	r = fieldReport
	r.At = trialStart.Add(-time.Second)
	bad["violation before the trial"] = r
	for name, r := range bad {
		if _, err := c.Add(r); err == nil {
			t.Errorf("%s: Add succeeded", name)
		}
	}
	if c.Len() != 0 {
		t.Errorf("Len %d after refused reports, want 0", c.Len())
	}
}
