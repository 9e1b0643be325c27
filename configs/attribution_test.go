package configs

import (
	"strings"
	"testing"
)

// TestFormatNotices checks which formats carry a licence notice and which
// restrict what evidence bundles may pass on: the report and the bundles
// both take them from the registry.
func TestFormatNotices(t *testing.T) {
	tests := []struct {
		format     string
		mentions   string // "" when the format needs no notice
		restricted bool
	}{
		{"firms", "FIRMS", false},
		{"ucdp", "CC BY 4.0", false},
		{"acled", "ACLED", true},
		{"csv", "", false},
		{"geojson", "", false},
		{"jsonl", "", false},
		{"push", "", false},
	}
	if len(tests) != len(formats()) {
		t.Fatalf("%d cases for %d formats: add the new format here", len(tests), len(formats()))
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			s := &Source{Format: tt.format}
			a := s.Attribution()
			if (a == "") != (tt.mentions == "") || !strings.Contains(a, tt.mentions) {
				t.Errorf("attribution %q, want one mentioning %q", a, tt.mentions)
			}
			if s.Restricted() != tt.restricted {
				t.Errorf("restricted %v, want %v", s.Restricted(), tt.restricted)
			}
		})
	}
}
