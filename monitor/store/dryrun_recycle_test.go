package store

import (
	"fmt"
	"testing"
)

// TestDryRunRecycle: a result's violations handed back are filled by a
// later commit that fits in them, and hold that commit's violations only.
func TestDryRunRecycle(t *testing.T) {
	d := NewDryRun()
	defer d.Close()
	first := mustCommit(t, d, numberedBatch("s", 0, 8))
	if len(first.Violations) != 8 {
		t.Fatalf("%d violations, want 8", len(first.Violations))
	}
	d.Recycle(first.Violations)
	tests := []struct {
		name   string
		n      int
		reused bool
	}{
		{"fits: reused", 5, true},
		{"too large: made", 9, false},
		{"none spare: made", 3, false},
	}
	for k, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := mustCommit(t, d, numberedBatch("s", k+1, tt.n))
			if len(res.Violations) != tt.n {
				t.Fatalf("%d violations, want %d", len(res.Violations), tt.n)
			}
			if same := &res.Violations[:1][0] == &first.Violations[:1][0]; same != tt.reused {
				t.Errorf("reused the recycled buffer: %v, want %v", same, tt.reused)
			}
			for i, v := range res.Violations {
				if want := fmt.Sprintf("%d-%d", k+1, i); v.IncidentID != want || v.Source != "s" {
					t.Errorf("violation %d of %s/%s, want s/%s", i, v.Source, v.IncidentID, want)
				}
			}
			if tt.reused {
				// What the first batch left beyond the second is cleared.
				if rest := first.Violations[tt.n:8]; rest[0].IncidentID != "" {
					t.Errorf("recycled buffer still holds %q", rest[0].IncidentID)
				}
			}
		})
	}
}
