package monitor

import (
	"testing"

	"github.com/ceasefired/ceasefired/alerts"
)

// TestKey checks that a violation and its total name the same alert key,
// the one the alert manager uses.
func TestKey(t *testing.T) {
	want := alerts.Key{Trial: "t", ZoneID: "UA-14", Category: "shelling"}
	v := Violation{Trial: "t", ZoneID: "UA-14", Category: Shelling, Source: "s", IncidentID: "i"}
	total := ViolationTotal{Trial: "t", ZoneID: "UA-14", Category: Shelling, Count: 3}
	if got := v.Key(); got != want {
		t.Errorf("Violation.Key() = %+v, want %+v", got, want)
	}
	if got := total.Key(); got != want {
		t.Errorf("ViolationTotal.Key() = %+v, want %+v", got, want)
	}
}
