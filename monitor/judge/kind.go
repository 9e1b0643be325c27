package judge

import (
	"fmt"
	"strings"
)

// Kind is the kind of a source: what sort of observer it is. A violation
// is corroborated only by a source of another kind, since two feeds of one
// kind (two satellites, two event datasets) share their blind spots and
// their mistakes.
type Kind string

// The source kinds.
const (
	// Satellite is remote sensing, such as FIRMS heat detections.
	Satellite Kind = "satellite"
	// EventData is a curated event dataset compiled from reports, such
	// as ACLED and UCDP.
	EventData Kind = "event_data"
	// Field is reports of observers on the ground, such as pushed field
	// reports.
	Field Kind = "field"
)

// Kinds returns every kind, in the order messages and documents list them.
func Kinds() []Kind { return []Kind{Satellite, EventData, Field} }

// ParseKind returns the kind named s (case-sensitive), or an error listing
// the valid names.
func ParseKind(s string) (Kind, error) {
	names := make([]string, 0, 3)
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown kind %q (want one of %s)", s, strings.Join(names, ", "))
}
