package monitor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// TestParseSchedule checks the one schedule parser: five fields or a
// descriptor, and no "@every" interval under one second, which cron would
// otherwise round up to one second without a word.
func TestParseSchedule(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 7, 0, 0, time.UTC)
	tests := []struct {
		name, spec string
		next       time.Time // zero: want an error containing err
		err        string
	}{
		{"five fields", "*/30 * * * *", time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC), ""},
		{"hourly", "@hourly", time.Date(2026, 12, 1, 11, 0, 0, 0, time.UTC), ""},
		{"every second", "@every 1s", at.Add(time.Second), ""},
		{"every 90s", "@every 1m30s", at.Add(90 * time.Second), ""},
		{"every 0s", "@every 0s", time.Time{}, "@every interval 0s is shorter than one second"},
		{"every 500ms", "@every 500ms", time.Time{}, "@every interval 500ms is shorter than one second"},
		{"every -1m", "@every -1m", time.Time{}, "@every interval -1m is shorter than one second"},
		{"six fields", "0 */5 * * * *", time.Time{}, "expected exactly 5 fields"},
		{"bad duration", "@every soon", time.Time{}, "soon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch, err := monitor.ParseSchedule(tt.spec)
			if tt.next.IsZero() {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ParseSchedule(%q) error %v, want one containing %q", tt.spec, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := sch.Next(at); !got.Equal(tt.next) {
				t.Errorf("next run after %v = %v, want %v", at, got, tt.next)
			}
		})
	}
}
