// Package monitor holds the verification domain: incidents, trials, the
// evaluation that turns incidents into violations, the run loop and the
// metrics that describe them.
package monitor

import (
	"fmt"
	"strings"
	"time"

	"github.com/ceasefired/ceasefired/alerts"
)

// Category is the normalised incident vocabulary. Every source format maps
// its own event types onto these values.
type Category string

// The normalised categories.
const (
	Shelling       Category = "shelling"        // artillery, missile, shelling
	AirStrike      Category = "air_strike"      // air or drone strike
	ArmedClash     Category = "armed_clash"     // exchange of fire between armed groups
	Explosion      Category = "explosion"       // other remote violence
	ThermalAnomaly Category = "thermal_anomaly" // satellite heat detection
	Other          Category = "other"
)

// Categories lists every valid category in a stable order. It is the one
// list of the vocabulary: ParseCategory's error message, the configuration's
// default severities and the documentation tests derive from it.
var Categories = []Category{Shelling, AirStrike, ArmedClash, Explosion, ThermalAnomaly, Other}

// DefaultSeverity returns the alert severity of c when the configuration
// does not set one: direct fire is "critical", other detections "warning",
// "other" is "info". It returns "" for a value not in Categories.
func (c Category) DefaultSeverity() string {
	switch c {
	case Shelling, AirStrike, ArmedClash:
		return "critical"
	case Explosion, ThermalAnomaly:
		return "warning"
	case Other:
		return "info"
	}
	return ""
}

// ParseCategory returns the category named s (case-sensitive), or an error
// listing the valid names.
func ParseCategory(s string) (Category, error) {
	names := make([]string, len(Categories))
	for i, c := range Categories {
		if string(c) == s {
			return c, nil
		}
		names[i] = string(c)
	}
	return "", fmt.Errorf("unknown category %q (want one of %s)", s, strings.Join(names, ", "))
}

// Incident is one geotagged report from one source. Its identity is
// (Source, ID). OccurredAt is the event time in UTC; it, not the ingest time,
// decides whether the incident falls in a trial window.
type Incident struct {
	Source     string
	ID         string
	OccurredAt time.Time
	Lon, Lat   float64 // WGS84 degrees
	// UncertaintyM is the radius in meters within which the true location
	// lies; 0 means the point is taken as exact.
	UncertaintyM float64
	Category     Category
	// Confidence is the source's confidence scaled to 0..100; -1 when the
	// source gives none.
	Confidence float64
	// Raw is the source record as received (a CSV line, a JSON object),
	// kept as evidence.
	Raw string
}

// Placement says how an incident relates to a zone.
type Placement string

// Placements, from most to least certain.
const (
	Inside Placement = "inside" // the point lies in the zone (boundary included)
	// Buffer: outside the zone but within the trial's buffer_meters.
	Buffer Placement = "buffer"
	// Ambiguous: outside the zone and the buffer, but the incident's
	// uncertainty radius reaches into them.
	Ambiguous Placement = "ambiguous"
)

// Violation is an incident inside a trial's zone and window, of a
// prohibited category. It carries the evidence that produced it.
type Violation struct {
	Trial      string
	ZoneID     string
	Category   Category
	Source     string
	IncidentID string
	OccurredAt time.Time
	Lon, Lat   float64
	Placement  Placement
	// Day is the 0-based trial day of OccurredAt: 0 for the first 24 hours
	// from the trial start.
	Day int
	// ZoneVersion is the SHA-256 of the zone file the zone's version in
	// force at OccurredAt was read from, and Config that of the config
	// file in force: what the violation was judged under. Both are zero
	// when the evaluator was given none (see NewVersionedEvaluator and
	// Evaluator.WithVersions).
	ZoneVersion, Config [32]byte
	// Tier is the corroboration tier ("single", "corroborated") the
	// runner gave the violation when it was stored, for the hooks that
	// alert on it; "" when not judged. Stores do not read it back.
	Tier string
}

// Key returns the (trial, zone_id, category) the violation counts for: the
// identity of its alert and of the aggregates of the tally and the store.
func (v *Violation) Key() alerts.Key {
	return alerts.Key{Trial: v.Trial, ZoneID: v.ZoneID, Category: string(v.Category)}
}

// Key returns the (trial, zone_id, category) of the total.
func (t *ViolationTotal) Key() alerts.Key {
	return alerts.Key{Trial: t.Trial, ZoneID: t.ZoneID, Category: string(t.Category)}
}
