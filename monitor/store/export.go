package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ceasefired/ceasefired/monitor"
)

// TrialViolations returns the standing violations of trial, by zone,
// source and incident, with the versions they were judged under.
func (db *DB) TrialViolations(ctx context.Context, trial string) ([]monitor.Violation, error) {
	out, err := db.violations(ctx, nil, "SELECT "+violationColumns+
		" FROM violations WHERE trial = ? ORDER BY zone_id, source, incident_id", trial)
	if err != nil {
		return nil, fmt.Errorf("read violations of trial %q: %w", trial, err)
	}
	return out, nil
}

// Incident returns the stored incident (source, id) with its raw record,
// and whether it is stored; a deleted incident is returned too.
func (db *DB) Incident(ctx context.Context, source, id string) (monitor.Incident, bool, error) {
	inc := monitor.Incident{Source: source, ID: id}
	var at int64
	err := db.r.QueryRowContext(ctx, `SELECT occurred_at, lon, lat, uncertainty_m, category, confidence, raw
FROM incidents WHERE source = ? AND id = ?`, source, id).Scan(
		&at, &inc.Lon, &inc.Lat, &inc.UncertaintyM, &inc.Category, &inc.Confidence, &inc.Raw)
	if errors.Is(err, sql.ErrNoRows) {
		return inc, false, nil
	}
	if err != nil {
		return inc, false, fmt.Errorf("read incident %q/%q: %w", source, id, err)
	}
	inc.OccurredAt = fromNanos(at)
	return inc, true, nil
}
