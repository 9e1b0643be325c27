package store

import (
	"fmt"
	"math"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// checkBatch is checkBatchItems with its error wrapping
// monitor.ErrInvalidBatch, so that a batch that can never be stored is not
// tried again.
func checkBatch(b *monitor.Batch) error {
	if err := checkBatchItems(b); err != nil {
		return fmt.Errorf("%w: %w", monitor.ErrInvalidBatch, err)
	}
	return nil
}

// checkBatchItems verifies that every incident and violation of b belongs to
// b.Source and names its incident consistently, so that both stores reject
// the same batches before touching anything. Empty Source and IncidentID
// fields are accepted: they mean "the incident of this item" and are filled
// in by normalize.
func checkBatchItems(b *monitor.Batch) error {
	if b.Source == "" {
		return fmt.Errorf("batch has no source")
	}
	for i := range b.Items {
		it := &b.Items[i]
		inc := &it.Incident
		if inc.ID == "" {
			return fmt.Errorf("item %d: incident has no id", i)
		}
		if inc.Source != "" && inc.Source != b.Source {
			return fmt.Errorf("item %d: incident %q belongs to source %q", i, inc.ID, inc.Source)
		}
		if err := checkTime(inc.OccurredAt); err != nil {
			return fmt.Errorf("item %d: incident %q: %w", i, inc.ID, err)
		}
		for _, f := range [...]float64{inc.Lon, inc.Lat, inc.UncertaintyM, inc.Confidence} {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("item %d: incident %q: number %v is not finite", i, inc.ID, f)
			}
		}
		for j := range it.Violations {
			v := &it.Violations[j]
			if v.Trial == "" || v.ZoneID == "" {
				return fmt.Errorf("item %d: violation %d of incident %q has no trial or zone", i, j, inc.ID)
			}
			if v.Source != "" && v.Source != b.Source {
				return fmt.Errorf("item %d: violation %d of incident %q names source %q", i, j, inc.ID, v.Source)
			}
			if v.IncidentID != "" && v.IncidentID != inc.ID {
				return fmt.Errorf("item %d: violation %d of incident %q names incident %q", i, j, inc.ID, v.IncidentID)
			}
			if err := checkTime(v.OccurredAt); err != nil {
				return fmt.Errorf("item %d: violation %d of incident %q: %w", i, j, inc.ID, err)
			}
		}
	}
	return nil
}

// checkTime rejects event times that unix nanoseconds cannot hold: the zero
// time and anything outside the years 1678 to 2261.
func checkTime(t time.Time) error {
	if y := t.UTC().Year(); y < 1678 || y > 2261 {
		return fmt.Errorf("event time %s out of the storable range (years 1678 to 2261)", t.Format(time.RFC3339))
	}
	return nil
}

// normalize returns v as it is stored: with the source and incident id of
// its item and its event time in UTC.
func normalize(v monitor.Violation, source, incidentID string) monitor.Violation {
	v.Source = source
	v.IncidentID = incidentID
	v.OccurredAt = v.OccurredAt.UTC()
	return v
}

// uniqueViolations returns the violations of it as stored, dropping repeats
// of the same (trial, zone) after the first. An incident normally has few
// violations, so a linear scan beats a map.
func uniqueViolations(dst []monitor.Violation, it *monitor.Item, source string) []monitor.Violation {
	start := len(dst)
next:
	for _, v := range it.Violations {
		for _, seen := range dst[start:] {
			if seen.Trial == v.Trial && seen.ZoneID == v.ZoneID {
				continue next
			}
		}
		dst = append(dst, normalize(v, source, it.Incident.ID))
	}
	return dst
}
