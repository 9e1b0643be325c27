package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/alerts"
	"github.com/ceasefired/ceasefired/monitor"
)

// The queries behind Totals, Days, Recent and Since (see TestQueryPlans).
// Totals and Days run when the daemon starts: they scan the table. Recent
// and Since walk the event time index, newest first, and sort only the
// violations of one instant by the rest of their key; Recent names the
// index, as the planner would otherwise sort the whole table.
const (
	// totalsSQL groups the violations by their name ids and names only the
	// groups: through the view, every row's names were joined and the rows
	// sorted by text (twice the time on a store of 1.26 million violations).
	totalsSQL = `SELECT t.name, z.name, c.name, g.counted, g.ambiguous, g.last FROM (
  SELECT trial_ref, zone_ref, category_ref, SUM(placement_ref IS NOT amb.id) AS counted,
    SUM(placement_ref IS amb.id) AS ambiguous,
    COALESCE(MAX(CASE WHEN placement_ref IS NOT amb.id THEN occurred_at END), 0) AS last
  FROM violations v, (SELECT (SELECT id FROM names WHERE name = 'ambiguous') AS id) AS amb
  GROUP BY trial_ref, zone_ref, category_ref) AS g
JOIN names t ON t.id = g.trial_ref JOIN names z ON z.id = g.zone_ref JOIN names c ON c.id = g.category_ref
ORDER BY t.name, z.name, c.name`
	retractedSQL = `SELECT trial, zone_id, category, SUM(placement <> 'ambiguous'), SUM(placement = 'ambiguous')
FROM retracted_violations GROUP BY trial, zone_id, category ORDER BY trial, zone_id, category`
	daysSQL = `SELECT DISTINCT trial, zone_id, day FROM violation_rows WHERE placement <> 'ambiguous'
ORDER BY trial, zone_id, day`
	recentSQL = `SELECT ` + violationColumns + `
FROM violation_rows WHERE occurred_at >= coalesce((SELECT occurred_at FROM violations ORDER BY occurred_at DESC LIMIT 1 OFFSET ?1 - 1), -9223372036854775808)
ORDER BY occurred_at DESC, trial, zone_id, source, incident_id LIMIT ?1`
	sinceSQL = `SELECT ` + violationColumns + `, tier
FROM violation_rows WHERE occurred_at > ? AND placement <> 'ambiguous'
ORDER BY occurred_at DESC, trial, zone_id, source, incident_id`
)

// Cursors returns the stored cursors of source by document key; the map is
// empty, not nil, when there are none.
func (db *DB) Cursors(ctx context.Context, source string) (map[string]string, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT key, value FROM cursors WHERE source = ?", source)
	if err != nil {
		return nil, fmt.Errorf("read cursors of source %q: %w", source, err)
	}
	defer rows.Close()
	out := make(map[string]string)
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read cursors of source %q: %w", source, err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read cursors of source %q: %w", source, err)
	}
	return out, nil
}

// Totals returns the number of violations ever stored per (trial, zone_id,
// category), standing and retracted, with the newest standing event time
// (UTC), ordered by trial, zone_id and category. Each table is grouped
// along its own index and the two are merged here.
func (db *DB) Totals(ctx context.Context) ([]monitor.ViolationTotal, error) {
	byKey := map[alerts.Key]*monitor.ViolationTotal{}
	get := func(trial, zone string, c monitor.Category) *monitor.ViolationTotal {
		k := alerts.Key{Trial: trial, ZoneID: zone, Category: string(c)}
		if byKey[k] == nil {
			byKey[k] = &monitor.ViolationTotal{Trial: trial, ZoneID: zone, Category: c}
		}
		return byKey[k]
	}
	err := db.each(ctx, totalsSQL, nil, func(rows *sql.Rows) error {
		var trial, zone string
		var c monitor.Category
		var counted, ambiguous, last int64
		if err := rows.Scan(&trial, &zone, &c, &counted, &ambiguous, &last); err != nil {
			return err
		}
		t := get(trial, zone, c)
		t.Count += counted
		t.Ambiguous += ambiguous
		if last != 0 {
			t.Last = fromNanos(last)
		}
		return nil
	})
	if err == nil {
		err = db.each(ctx, retractedSQL, nil, func(rows *sql.Rows) error {
			var trial, zone string
			var c monitor.Category
			var counted, ambiguous int64
			if err := rows.Scan(&trial, &zone, &c, &counted, &ambiguous); err != nil {
				return err
			}
			t := get(trial, zone, c)
			t.Count += counted
			t.Retracted += counted
			t.Ambiguous += ambiguous
			return nil
		})
	}
	if err != nil {
		return nil, fmt.Errorf("read violation totals: %w", err)
	}
	return sortedTotals(byKey), nil
}

// Days returns every (trial, zone_id, day) with at least one stored
// violation, ordered by trial, zone_id and day.
func (db *DB) Days(ctx context.Context) ([]monitor.ViolationDay, error) {
	var out []monitor.ViolationDay
	err := db.each(ctx, daysSQL, nil, func(rows *sql.Rows) error {
		var d monitor.ViolationDay
		if err := rows.Scan(&d.Trial, &d.ZoneID, &d.Day); err != nil {
			return err
		}
		out = append(out, d)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read violation days: %w", err)
	}
	return out, nil
}

// Recent returns up to limit stored violations, newest event time first;
// ties are ordered by trial, zone_id, source and incident_id. A limit of 0
// or less returns nothing.
func (db *DB) Recent(ctx context.Context, limit int) ([]monitor.Violation, error) {
	if limit <= 0 {
		return nil, nil
	}
	out, err := db.violations(ctx, make([]monitor.Violation, 0, min(limit, 1024)), recentSQL, limit)
	if err != nil {
		return nil, fmt.Errorf("read recent violations: %w", err)
	}
	return out, nil
}

// Since returns the standing violations that are not ambiguous and whose
// event time is after t, newest first; ties are ordered by trial, zone_id,
// source and incident_id. The daemon uses it at start to find violations
// committed just before a crash that its alert state had not yet recorded;
// unlike the other queries it fills in Tier, which their alerts carry.
func (db *DB) Since(ctx context.Context, t time.Time) ([]monitor.Violation, error) {
	var out []monitor.Violation
	err := db.each(ctx, sinceSQL, []any{t.UnixNano()}, func(rows *sql.Rows) error {
		var tier string
		v, err := scanViolation(rows, &tier)
		if err != nil {
			return err
		}
		v.Tier = tier
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read violations since %s: %w", t.UTC().Format(time.RFC3339), err)
	}
	return out, nil
}

// violations appends to dst the rows of query q, which selects the
// violation columns in table order.
func (db *DB) violations(ctx context.Context, dst []monitor.Violation, q string, args ...any) ([]monitor.Violation, error) {
	err := db.each(ctx, q, args, func(rows *sql.Rows) error {
		v, err := scanViolation(rows)
		if err != nil {
			return err
		}
		dst = append(dst, v)
		return nil
	})
	return dst, err
}

// IncidentCount returns the number of stored incidents.
func (db *DB) IncidentCount(ctx context.Context) (int64, error) {
	var n int64
	if err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM incidents").Scan(&n); err != nil {
		return 0, fmt.Errorf("count incidents: %w", err)
	}
	return n, nil
}

// each runs query q on the read pool and calls fn for every row.
func (db *DB) each(ctx context.Context, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// fromNanos converts stored unix nanoseconds to a UTC time.
func fromNanos(n int64) time.Time { return time.Unix(0, n).UTC() }

// scanViolation reads one row of the violation columns, in table order.
func scanViolation(rows *sql.Rows, extra ...any) (monitor.Violation, error) {
	var v monitor.Violation
	var at int64
	var zone, config []byte
	dest := append([]any{&v.Trial, &v.ZoneID, &v.Category, &v.Source, &v.IncidentID,
		&at, &v.Lon, &v.Lat, &v.Placement, &v.Day, &zone, &config}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return v, err
	}
	v.OccurredAt = fromNanos(at)
	copy(v.ZoneVersion[:], zone) // NULL, from before versions were kept, stays zero
	copy(v.Config[:], config)
	return v, nil
}
