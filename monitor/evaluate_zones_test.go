package monitor

import (
	"slices"
	"testing"
	"time"
)

// TestEvaluateWithZones: locating the point once for both gives what
// evaluate and zoneIDs give apart, across zone versions and outside any
// trial.
func TestEvaluateWithZones(t *testing.T) {
	ev, start, moved, _, _ := movedLine(t)
	tests := []struct {
		name string
		lon  float64
		at   time.Time
	}{
		{"old line before the move", 0.5, moved.Add(-1)},
		{"new line before the move", 5.5, moved.Add(-1)},
		{"old line after the move", 0.5, moved},
		{"new line after the move", 5.5, moved},
		{"new zone after the move", 10.5, moved},
		{"outside every zone", 50, moved},
		{"long before any trial", 0.5, start.AddDate(-5, 0, 0)},
		{"before the first version", 0.5, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := Incident{Source: "s", ID: "1", Lon: tt.lon, Lat: 0.5, Category: Shelling, OccurredAt: tt.at}
			var s scratch
			wantV := ev.evaluate(&inc, nil, &s)
			wantZ := ev.zoneIDs(&inc, &s)
			// Something before in the buffers stays as it was.
			gotV, gotZ := ev.evaluateWithZones(&inc, []Violation{{Trial: "x"}}, []string{"x"}, &s)
			if len(gotV) == 0 || gotV[0].Trial != "x" || !slices.Equal(gotV[1:], wantV) {
				t.Errorf("violations %+v, want x then %+v", gotV, wantV)
			}
			if !slices.Equal(gotZ, append([]string{"x"}, wantZ...)) {
				t.Errorf("zones %q, want x then %q", gotZ, wantZ)
			}
		})
	}
}
