package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/ceasefired/ceasefired/monitor"
)

// RecordAttempt stores one fetch or push attempt.
func (db *DB) RecordAttempt(ctx context.Context, a monitor.Attempt) error {
	if err := checkTime(a.At); err != nil {
		return fmt.Errorf("record attempt of %s: %w", a.Source, err)
	}
	ok := 0
	if a.OK {
		ok = 1
	}
	st, err := db.stmts.get(stmtKey{query: attemptInsertSQL})
	if err == nil {
		_, err = st.ExecContext(ctx, a.At.UnixNano(), a.Source, ok)
	}
	if err != nil {
		return fmt.Errorf("record attempt of %s: %w", a.Source, diskFull(err))
	}
	return nil
}

// Attempts returns the attempts with At in [from, to], oldest first.
func (db *DB) Attempts(ctx context.Context, from, to time.Time) ([]monitor.Attempt, error) {
	var out []monitor.Attempt
	err := db.each(ctx, "SELECT at, source, ok FROM fetch_attempts WHERE at >= ? AND at <= ? ORDER BY at, source",
		[]any{from.UnixNano(), to.UnixNano()}, func(rows *sql.Rows) error {
			var a monitor.Attempt
			var at int64
			if err := rows.Scan(&at, &a.Source, &a.OK); err != nil {
				return err
			}
			a.At = fromNanos(at)
			out = append(out, a)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read attempts: %w", err)
	}
	return out, nil
}

// tierCountsSQL counts the violations of a trial, along the primary key.
const tierCountsSQL = `SELECT zone_id, source, tier, COUNT(*) FROM violation_rows
WHERE trial = ? AND placement != 'ambiguous' GROUP BY zone_id, source, tier ORDER BY zone_id, source, tier`

// TierCounts returns the standing, not ambiguous violations of trial by
// zone, source and tier.
func (db *DB) TierCounts(ctx context.Context, trial string) ([]monitor.TierCount, error) {
	var out []monitor.TierCount
	err := db.each(ctx, tierCountsSQL, []any{trial}, func(rows *sql.Rows) error {
		c := monitor.TierCount{Trial: trial}
		if err := rows.Scan(&c.ZoneID, &c.Source, &c.Tier, &c.Count); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count violations of %s by tier: %w", trial, err)
	}
	return out, nil
}

// locatedSQL reads the incidents of a window, marking the violations of a
// trial; the index is named for the reason given at tierUpdateSQL.
const locatedSQL = `SELECT i.source, i.id, i.occurred_at, i.lon, i.lat,
	EXISTS (SELECT 1 FROM violations v INDEXED BY violations_by_incident WHERE v.incident_ref = i.ref
		AND v.trial_ref = (SELECT id FROM names WHERE name = ?))
FROM incident_rows i WHERE i.occurred_at >= ? AND i.occurred_at <= ? AND i.deleted_at IS NULL ORDER BY i.source, i.id`

// Located returns the incidents not deleted with event time in [from, to],
// marking those with a standing violation of trial.
func (db *DB) Located(ctx context.Context, from, to time.Time, trial string) ([]monitor.Located, error) {
	var out []monitor.Located
	err := db.each(ctx, locatedSQL,
		[]any{trial, from.UnixNano(), to.UnixNano()}, func(rows *sql.Rows) error {
			var l monitor.Located
			var at int64
			if err := rows.Scan(&l.Source, &l.ID, &at, &l.Lon, &l.Lat, &l.Violation); err != nil {
				return err
			}
			l.At = fromNanos(at)
			out = append(out, l)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read incidents of %s: %w", trial, err)
	}
	return out, nil
}

// violationsOfSQL reads the violations of one incident in one trial.
const violationsOfSQL = "SELECT " + violationColumns +
	" FROM violation_rows WHERE id IN (SELECT rowid FROM violations INDEXED BY violations_by_incident" +
	" WHERE incident_ref = (SELECT rowid FROM incidents WHERE source_ref = (SELECT id FROM names WHERE name = ?2) AND id = ?3)" +
	" AND trial_ref = (SELECT id FROM names WHERE name = ?1)) ORDER BY zone_id"

// ViolationsOf returns the standing violations of trial by the incident
// (source, id), in zone order.
func (db *DB) ViolationsOf(ctx context.Context, trial, source, id string) ([]monitor.Violation, error) {
	vs, err := db.violations(ctx, nil, violationsOfSQL, trial, source, id)
	if err != nil {
		return nil, fmt.Errorf("read violations of %s/%s: %w", source, id, err)
	}
	return vs, nil
}

// PruneAttempts deletes the attempts before since that lie in none of the
// windows keep (edges kept), and returns how many it deleted.
func (db *DB) PruneAttempts(ctx context.Context, since time.Time, keep [][2]time.Time) (int64, error) {
	q := "DELETE FROM fetch_attempts WHERE at < ?"
	args := []any{since.UnixNano()}
	for _, w := range keep {
		q += " AND NOT (at >= ? AND at <= ?)"
		args = append(args, w[0].UnixNano(), w[1].UnixNano())
	}
	res, err := db.w.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, fmt.Errorf("prune attempts: %w", diskFull(err))
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// DB is a monitor.JudgingStore.
var _ monitor.JudgingStore = (*DB)(nil)
